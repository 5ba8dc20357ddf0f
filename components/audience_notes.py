"""The audience views' notes in words (plain text for the /audience page, the creator page and the
creator PDF): what a chart leaves out, sales without a region, filters the sales side ignores,
unmatched region names."""

from __future__ import annotations

from metrics import format as fmt
from metrics.audience import HOW_TO_ADD

HOW_TO_ADD_REGION = (
    "The sales carry no region, so only the audience side is drawn. To see where sales come from, add a "
    "region column (region or state: the buyer's state, by name or code such as MH) to tracking_data, or "
    "import a store export with its shipping province (Shopify) or shipping state (WooCommerce), and import "
    'again (docs/metrics.md, "Regions of sales and audiences").'
)


NOTHING_SELECTED = "No creator has sales or spend in the selection."


# The rows a view of one audience dimension (metrics.audience.DIMENSIONS) reads: a creator with only
# places has no age-band rows, so "without audience rows" would contradict the places chart (tester t1).
SEGMENT_ROWS = {"age_band": "age-band rows", "gender": "gender rows", "region": "place rows"}


def segment_rows(dimension: str | None) -> str:
    """What a creator of the `dimension` view has or lacks: "age-band rows"; "audience rows" for None."""
    return SEGMENT_ROWS.get(dimension or "", "audience rows")


def uncovered_note(attrs: dict, empty: bool = False, dimension: str | None = None) -> str:
    """What the segments leave out: the selection's creators without rows of the `dimension`
    (segment_rows); `empty`: the segments have no row (then a selection without creators says so,
    not "every creator")."""
    rows = segment_rows(dimension)
    left = attrs.get("uncovered") or {}
    if not left.get("creators"):
        if empty:
            return NOTHING_SELECTED
        note = f"Every creator of the selection has {rows}."
    else:
        note = (
            f"Left out: {_creators(left['creators'])} without {rows} "
            f"({fmt.inr_compact(left['revenue'])} revenue, {fmt.inr_compact(left['spend'])} spend)."
        )
    idle = attrs.get("idle_creators") or 0
    if idle:
        has = "has" if idle == 1 else "have"
        note += f" {_creators(idle).capitalize()} with {rows} {has} no spend or sales in the selection."
    return note


def segment_note(attrs: dict, empty: bool, dimension: str, files: dict) -> str:
    """The segment chart's note (uncovered_note), led by why a view has no row at all when the data
    set lacks the file of its `dimension` (`files`: metrics.audience.audience_files)."""
    has_file = files["geography"] if dimension == "region" else files["demographics"]
    if has_file:
        return uncovered_note(attrs, empty, dimension)
    kind, views = (
        ("geography", "Age band and Gender views") if dimension == "region" else ("demographics", "Place view")
    )
    missing = (
        f"This data set has no audience {kind} file, so no creator has {segment_rows(dimension)}: see the {views}."
    )
    return f"{missing} {uncovered_note(attrs, empty, dimension)}"


# Orders under the weighted rule are each creator's orders × its segment weight (metrics.audience):
# shares of orders, not whole ones; the count format keeps their two decimals, so the table says why.
ESTIMATED_ORDERS = (
    "Orders are estimated shares: each creator's orders spread over its segments by audience share "
    "(weighted rule), so a segment's orders need not be whole; the dominant rule counts whole orders."
)
WHOLE_ORDERS = "Each creator counts whole in its largest segment: revenue, spend and orders as recorded."


def orders_note(rule: str) -> str:
    """What the segment table's orders are under the audience `rule` ("weighted" / "dominant")."""
    return ESTIMATED_ORDERS if rule == "weighted" else WHOLE_ORDERS


def _creators(n: int) -> str:
    return f"{fmt.count(n)} creator{'' if n == 1 else 's'}"


def _orders(n: int) -> str:
    return f"{fmt.count(n)} order{'' if n == 1 else 's'}"


def _names(values: list[str]) -> str:
    return ", ".join(f"“{v}”" for v in values)


def region_note(regions, has_geography: bool = True, one_creator: bool = False) -> str:
    """What the regions chart covers (metrics.audience.region_comparison's attrs): creators without
    places (`one_creator`: whether this one has none), sales without a region, filters the sales side
    ignores, and every unmatched name."""
    attrs = regions.attrs
    if not has_geography:
        parts = [f"No audience geography file: {HOW_TO_ADD}."]
    elif one_creator:
        uncovered = (attrs.get("uncovered") or {}).get("creators")
        parts = ["This creator has no places in the audience geography file: only its sales are drawn."] * bool(
            uncovered
        )
    else:
        parts = [uncovered_note(attrs, regions.empty, "region")]
    sales = attrs.get("sales") or {}
    if not sales.get("available"):
        parts.append(HOW_TO_ADD_REGION)
    else:
        parts.append(
            f"Sales shares: {fmt.inr_compact(sales['revenue'])} of revenue ({_orders(sales['orders'])}) "
            "with a region"
            + (
                f"; {fmt.inr_compact(sales['revenue_without_region'])} ({_orders(sales['orders_without_region'])}) "
                "carries none and is left out of the shares."
                if sales.get("orders_without_region") or sales.get("revenue_without_region")
                else "."
            )
        )
        if sales.get("ignored_filters"):
            parts.append(
                f"The {' and '.join(sales['ignored_filters'])} filter applies to the audience side only "
                "(sales regions are kept by date and brand)."
            )
    for side, key in (("audience", "unmatched_audience"), ("sales", "unmatched_sales")):
        if attrs.get(key):
            parts.append(f"Not matched to an Indian state ({side}, shown as written): {_names(attrs[key])}.")
    return " ".join(parts)
