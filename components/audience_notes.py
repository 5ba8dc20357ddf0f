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


def uncovered_note(attrs: dict, empty: bool = False) -> str:
    """What the segments leave out: the selection's creators without audience rows; `empty`: the
    segments have no row (then a selection without creators says so, not "every creator")."""
    left = attrs.get("uncovered") or {}
    if not left.get("creators"):
        if empty:
            return NOTHING_SELECTED
        note = "Every creator of the selection has audience rows."
    else:
        note = (
            f"Left out: {_creators(left['creators'])} without audience rows "
            f"({fmt.inr_compact(left['revenue'])} revenue, {fmt.inr_compact(left['spend'])} spend)."
        )
    idle = attrs.get("idle_creators") or 0
    if idle:
        has = "has" if idle == 1 else "have"
        note += f" {_creators(idle).capitalize()} with audience rows {has} no spend or sales in the selection."
    return note


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
        parts = [uncovered_note(attrs, regions.empty)]
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
