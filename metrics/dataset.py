"""What data set is loaded, how fresh it is, and the values each filter can take."""

from __future__ import annotations

import functools
import json

from metrics import format as fmt
from metrics.catalogue import TIER_NAMES
from metrics.selection import tier_sql
from metrics.settings import DEFAULT_SETTINGS, Settings

# What a data set's "sales rows" are (the rows its figures are built from), said next to the files'
# rows and a store export's line items and orders on /data and by `hkdash validate` / `import`.
SALES_ROWS = "attributed sales rows the figures are built from"
STORE_SALES_ROWS = (
    "one per line item of each attributed order, plus one per line item of each refunded attributed order "
    "for its refund (negative revenue); orders that are not sales and unattributed orders have none"
)


ROW_COUNTS = (("influencers", "influencer"), ("posts", "post"), ("sales_rows", "sales row"), ("payouts", "payout row"))


def row_counts(info: dict, keep_missing: bool = False) -> list[str]:
    """The data set's rows in words ("40 influencers", "1 post", …) from dataset_info's counts; a
    count the info lacks is left out, or shown as fmt.counted shows None with keep_missing."""
    return [fmt.counted(info.get(key), noun) for key, noun in ROW_COUNTS if keep_missing or info.get(key) is not None]


def dataset_info(wh) -> dict:
    """The loaded data set's description (the `dataset_info` table): name, source, imported_at (ISO,
    UTC), counts (influencers, posts, sales_rows, payouts), has_user_ids, sale_orders and
    orders_without_user (imports since session 12), warnings, files, first and last sale dates and
    schema_version. Raises warehouse.db.WarehouseMissing without a data set."""
    rows = wh.query("SELECT key, value FROM dataset_info")
    return {key: json.loads(value) for key, value in zip(rows["key"], rows["value"])}


def buyer_ids_text(info: dict) -> str:
    """What the data set's buyer ids allow, for the PDF cover and /data: present (new customers
    counted), partly present (a store export's hashed e-mails, or user_id, on some orders: the
    others' new customers estimated), or absent (estimated). `info` is dataset_info(); data sets
    imported before it recorded `sale_orders` and `orders_without_user` fall back to the store
    export's guest count. Sales appended after a store export (`sales_after_export`) carry user_id:
    their orders without one are said apart from the export's guest checkouts."""
    store = info.get("store_orders") or {}
    after = info.get("sales_after_export")
    source = "hashed e-mail" if store else "user_id"
    if store and after:
        source = f"hashed e-mail; user_id in {after['files']}"
    if info.get("has_user_ids"):
        return f"present ({source}): new customers counted"
    partly = buyers_partly_present(info)
    if partly:
        orders, without = partly
        return (
            f"present ({source}) on {fmt.count(orders - without)} of {fmt.counted(orders, 'order')}: new "
            f"customers counted, estimated for the {fmt.counted(without, 'order')} without a buyer "
            f"({_without_buyer_reason(store, after, without)})"
        )
    return "absent: new customers estimated"


def _without_buyer_reason(store: dict, after: dict | None, without: int) -> str:
    """Why orders have no buyer: guest checkouts of a store export, no user_id in a sales file, or
    both apart after an append over a store export (its orders without a user_id are no guests)."""
    if not store:
        return "no user_id"
    if not after or not after["orders_without_user"]:
        return "guest checkouts"
    appended = after["orders_without_user"]
    return (
        f"{fmt.count(without - appended)} guest checkouts of the store export, "
        f"{fmt.count(appended)} of {after['files']} without a user_id"
    )


def sales_after_export_text(after: dict | None) -> str | None:
    """The sales appended after a store export's (dataset_info's `sales_after_export`), said apart
    from the export's mapping on the PDF cover, /data and by `hkdash import`: "tracking_data.csv,
    appended after the export: 24 orders (20 sales rows), 6 of them without a user_id". None when
    nothing was appended after one."""
    if not after:
        return None
    without = (
        f", {fmt.count(after['orders_without_user'])} of them without a user_id" if after["orders_without_user"] else ""
    )
    return (
        f"{after['files']}, appended after the export: {fmt.counted(after['orders'], 'order')} "
        f"({fmt.counted(after['rows'], 'sales row')}){without}"
    )


def buyers_partly_present(info: dict) -> tuple[int, int] | None:
    """(orders, orders without a buyer id) when some but not all orders carry a buyer, else None.
    From dataset_info's sale_orders and orders_without_user; a store data set imported before those
    were kept falls back to its attributed and guest orders."""
    orders, without = info.get("sale_orders"), info.get("orders_without_user")
    store = info.get("store_orders") or {}
    if orders is None and store:
        orders, without = store.get("attributed_orders"), store.get("guest_orders")
    if orders and without is not None and 0 < without < orders:
        return int(orders), int(without)
    return None


def filter_options(wh, settings: Settings = DEFAULT_SETTINGS) -> dict[str, list[str]]:
    """Every value each filter can take in the loaded data set (sorted; tiers in size order)."""
    options = {}
    for column in ("platform", "category"):
        options[column] = wh.query(f"SELECT DISTINCT {column} FROM influencers ORDER BY 1")[column].tolist()
    present = set(wh.query(f"SELECT DISTINCT {tier_sql(settings)} AS tier FROM influencers i")["tier"])
    options["tier"] = [t for t in TIER_NAMES + ("Unknown",) if t in present]
    values = wh.query("SELECT dimension, value FROM sale_values ORDER BY dimension, value")
    for column in ("brand", "campaign", "product"):
        options[column] = values.loc[values["dimension"] == column, "value"].tolist()
    return options


def date_bounds(wh) -> tuple:
    """First and last dated cell (sales or posts' costs); (None, None) when nothing is dated."""
    row = wh.connection().execute("SELECT min(date), max(date) FROM facts_day").fetchone()
    return row[0], row[1]


def sale_date_bounds(wh) -> tuple:
    """First and last date with a sale (orders or revenue not 0; costs alone do not count), as
    datetime.date; (None, None) when no sale is dated. Date presets count back from the last one.
    Read once per warehouse file version (every comparison and preset asks; an import replaces
    the file, so a new version has a new key)."""
    try:
        stat = wh.path.stat()
    except FileNotFoundError:
        wh.connection()  # raises WarehouseMissing, naming the path
        raise
    return _sale_date_bounds(str(wh.path), stat.st_ino, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _sale_date_bounds(path: str, inode: int, mtime_ns: int) -> tuple:
    from warehouse import Warehouse

    row = (
        Warehouse(path)
        .connection()
        .execute("SELECT min(date), max(date) FROM facts_day WHERE date IS NOT NULL AND (orders <> 0 OR revenue <> 0)")
        .fetchone()
    ) or (None, None)
    return row[0], row[1]


def sales_coverage(wh, filters=None) -> dict:
    """How far the selection's sales can be split by its filters (docs/metrics.md, "Sales without
    dates or brands"), from what the import recorded in `dataset_info`.

    Returns a dict: sales_undated (bool: the sales file gives no dates, so sales follow posts),
    sales_dated_from_posts_share and sales_undated_share (shares 0–1 of revenue dated by posts /
    left without a date; None when there is no revenue), cannot_split_by (the selection's filters
    among date, brand, campaign, product that no sale carries), undated_left_out (a date range
    leaves some revenue out because it has no date).
    """
    info = dataset_info(wh)
    active = {"date": bool(filters and (filters.start or filters.end))}
    active.update({name: bool(filters and getattr(filters, name)) for name in ("brand", "campaign", "product")})
    undated_share = info.get("sales_undated_share")
    return {
        "sales_undated": bool(info.get("sales_undated")),
        "sales_dated_from_posts_share": info.get("sales_dated_from_posts_share"),
        "sales_undated_share": undated_share,
        "cannot_split_by": [name for name in info.get("sales_unsplit_by") or [] if active.get(name)],
        "undated_left_out": bool(active["date"] and undated_share),
    }


def sales_notices(coverage: dict) -> list[str]:
    """The sentences every page, the PDF and the CLI show for a sales_coverage() result (may be empty)."""
    from metrics.format import share

    notices = []
    from_posts = coverage.get("sales_dated_from_posts_share") or 0
    undated = coverage.get("sales_undated_share") or 0
    if coverage.get("sales_undated") and from_posts:
        notices.append(
            "Sales in this data set have no dates or brands of their own (payouts give revenue and orders per "
            "influencer): they follow each influencer's posts — an equal share per post, dated by the post, "
            f"branded where the post names a brand. {share(from_posts)} of revenue is dated this way."
        )
    if undated and coverage.get("undated_left_out"):
        notices.append(
            f"{share(undated)} of revenue has no date and is left out of this date range, "
            "as is the cost that follows it."
        )
    elif undated and coverage.get("sales_undated"):
        notices.append(
            f"{share(undated)} of revenue has no date (influencers with sales but no posts): it counts "
            "in totals, but in no date range or time chart."
        )
    for name in coverage.get("cannot_split_by") or []:
        holds = (
            "none of them"
            if name == "date"
            else "either every sale (“Unattributed”) or none, not the share of the value chosen"
        )
        notices.append(
            f"Revenue and orders cannot be split by {name} in this data set: no sale carries a {name}, "
            f"so under this filter the figures hold {holds}."
        )
    return notices
