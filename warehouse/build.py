"""Typing staged files into the warehouse tables, cross-file checks, and the additive fact tables.

Order of work: influencers, posts and sales are typed from their staged text; payout rows are
turned into cost components (fixed or variable, and by basis); the cost of every influencer is
then spread over cells (influencer × date × brand × campaign × product) as docs/architecture.md
describes, so that every figure is a plain SUM over cells.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import pandas as pd

from metrics import format as fmt
from metrics.catalogue import TERMS_TOLERANCE, TERMS_TOLERANCE_TEXT
from warehouse.errors import Problem
from warehouse.rates import Rate, normalise_basis, parse_rate
from warehouse.sources import SourceFile, line_of
from warehouse.validate import Findings
from warehouse.values import date_sql, guest_user_sql, number_sql

UNATTRIBUTED = "Unattributed"
SPEND_LABELS = ("post", "order", "commission", "hybrid", "gifted", "other")
# Spend by payout basis (SPEND_LABELS) is kept apart, in `spend_rates` and `spend_pieces`: five
# measures instead of eleven make every rollup and every query half the work.
# refunds: rupees refunded (the negative revenue of refund rows, as a positive amount), already
# netted into revenue.
MEASURES = ("orders", "revenue", "refunds", "new_customers", "orders_without_user", "spend")
COUNT_MEASURES = ("orders", "new_customers", "orders_without_user")
# Text dimensions of the fact tables, stored as ENUMs (a small integer per row, sorted like the text).
SALE_DIMENSIONS = ("brand", "campaign", "product", "source")
# Rollups, smallest first: the metrics layer answers from the smallest one with the dimensions it needs.
# Each is stored sorted by what its queries filter on, so that DuckDB's zone maps skip the rest.
ROLLUPS = {
    "facts_influencer": ("influencer_key",),
    "facts_day": ("influencer_key", "date"),
    "facts_day_brand": ("influencer_key", "date", "brand"),
    "facts_day_campaign": ("influencer_key", "date", "brand", "campaign"),
    "facts_day_product": ("influencer_key", "date", "brand", "product"),
    "facts": ("influencer_key", "date", "brand", "campaign", "product", "source"),
}
ROLLUP_ORDER = {
    "facts_influencer": "influencer_key",
    "facts_day": "date",
    "facts_day_brand": "brand, date",
    "facts_day_campaign": "campaign, date",
    "facts_day_product": "product, date",
}
# Each rollup is summed from the smallest finer one, largest first.
ROLLUP_SOURCES = {
    "facts_day_campaign": "facts",
    "facts_day_product": "facts",
    "facts_day_brand": "facts_day_campaign",
    "facts_day": "facts_day_brand",
    "facts_influencer": "facts_day",
}

PLATFORM_SQL = """CASE lower(trim({col}))
    WHEN 'instagram' THEN 'Instagram' WHEN 'ig' THEN 'Instagram'
    WHEN 'youtube' THEN 'YouTube' WHEN 'yt' THEN 'YouTube'
    WHEN 'facebook' THEN 'Facebook' WHEN 'fb' THEN 'Facebook'
    WHEN 'twitter' THEN 'Twitter' WHEN 'x' THEN 'Twitter' WHEN 'x/twitter' THEN 'Twitter'
    WHEN 'tiktok' THEN 'TikTok' WHEN 'tik tok' THEN 'TikTok'
    ELSE NULLIF(trim({col}), '') END"""
TEXT_SQL = "NULLIF(trim({col}), '')"
BRAND_SQL = """CASE lower(replace(trim({col}), ' ', ''))
    WHEN 'muscleblaze' THEN 'MuscleBlaze' WHEN 'hkvitals' THEN 'HKVitals'
    WHEN 'gritzo' THEN 'Gritzo' WHEN 'bgreen' THEN 'bGreen'
    ELSE NULLIF(trim({col}), '') END"""
# How a sale's text is cleaned before it is grouped on (blanks then become `Unattributed`).
SALE_TEXT = ("influencer_id",) + SALE_DIMENSIONS
CLEANING = {
    "influencer_id": "trim({col})",
    "brand": BRAND_SQL,
    "campaign": TEXT_SQL,
    "product": TEXT_SQL,
    "source": TEXT_SQL,
}


def _col(source: SourceFile | None, column: str, template: str = "{col}", sql_type: str = "VARCHAR") -> str:
    """Typed expression for a staged column, or a typed NULL when the file does not have it."""
    if source is None or column not in source.columns:
        return f"CAST(NULL AS {sql_type})"
    return template.format(col=column)


def _text(source, column):
    return _col(source, column, "NULLIF(trim({col}), '')")


def _reading(source: SourceFile | None, column: str, text_rule: str) -> str:
    """The column as parsed: the typed column, or the text path's reading decided in validation."""
    if source is None or source.typed or column not in source.columns:
        return "{col}"
    return source.readings.get(column, text_rule).replace("{", "{{").replace("}", "}}")


def _number(source, column, sql_type="DOUBLE"):
    return _col(source, column, f"CAST({_reading(source, column, number_sql(column))} AS {sql_type})", sql_type)


def _date(source, column):
    return _col(source, column, _reading(source, column, date_sql(column)), "DATE")


def type_influencers(con, influencers: SourceFile):
    """Create `influencers` from the staged file, one row per file row in file order.

    Columns: influencer_id, name (the id when blank), platform (canonical; 'Unknown' when blank),
    category ('Uncategorised' when blank), gender, follower_count (BIGINT, a count), persona, url,
    known (true: listed in the file; add_unknown_influencers adds the others). Values the value
    rule refuses were reported by validate.check_values before this runs; raises duckdb.Error only
    on a staging table that bypassed it.
    """
    con.execute(f"""
        CREATE TABLE influencers AS SELECT
            trim(influencer_id) AS influencer_id,
            COALESCE({_text(influencers, "name")}, trim(influencer_id)) AS name,
            COALESCE({PLATFORM_SQL.format(col="platform")}, 'Unknown') AS platform,
            COALESCE({_text(influencers, "category")}, 'Uncategorised') AS category,
            {_text(influencers, "gender")} AS gender,
            {_number(influencers, "follower_count", "BIGINT")} AS follower_count,
            {_text(influencers, "persona")} AS persona,
            {_text(influencers, "url")} AS url,
            true AS known
        FROM {influencers.table} ORDER BY rowid""")


def type_posts(
    con, posts: SourceFile | None, extras: list[SourceFile], parts: Sequence[tuple[int, int, str, int]] = ()
):
    """Create `posts`, one row per file row in file order (an empty table without a posts file).

    Columns: post_id ('row N' when blank: N its line; in an append's merged posts, `parts`, the
    line in its own import's file: _blank_post_id), influencer_id, platform (the post's, else its
    influencer's, else 'Unknown'), date (DATE), brand, url, caption, the counts reach, impressions,
    likes, comments, shares, saves, views (BIGINT, NULL when not given) and engagements (likes +
    comments + shares + saves, NULL when all four are missing). `extras` (per-platform exports)
    fill metrics the posts file leaves empty, matched by post_id; they never overwrite a value.
    """
    metric_columns = ("reach", "impressions", "likes", "comments", "shares", "saves", "views")
    if posts is None:
        con.execute("""CREATE TABLE posts (post_id VARCHAR, influencer_id VARCHAR, platform VARCHAR, date DATE,
            brand VARCHAR, url VARCHAR, caption VARCHAR, reach BIGINT, impressions BIGINT, likes BIGINT,
            comments BIGINT, shares BIGINT, saves BIGINT, views BIGINT, engagements BIGINT)""")
        return
    metrics = ", ".join(f"{_number(posts, c, 'BIGINT')} AS {c}" for c in metric_columns)
    con.execute(f"""
        CREATE TEMP TABLE typed_posts AS
        WITH typed AS (
            SELECT rowid AS post_no,
                COALESCE({_text(posts, "post_id")}, {_blank_post_id(posts, parts)}) AS post_id,
                trim(influencer_id) AS influencer_id,
                {_col(posts, "platform", PLATFORM_SQL)} AS platform,
                {_date(posts, "date")} AS date,
                {_col(posts, "brand", BRAND_SQL)} AS brand,
                {_text(posts, "url")} AS url,
                {_text(posts, "caption")} AS caption,
                {metrics}
            FROM {posts.table})
        SELECT typed.* REPLACE (COALESCE(typed.platform, i.platform, 'Unknown') AS platform)
        FROM typed LEFT JOIN influencers i USING (influencer_id) ORDER BY post_no""")
    # Per-platform exports fill in the metrics a posts file lacks (never overwrite what it has).
    for extra in extras:
        fills = [c for c in metric_columns if c in extra.columns]
        if not fills:
            continue
        values = ", ".join(f"max({_number(extra, c, 'BIGINT')}) AS {c}" for c in fills)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE extra AS SELECT trim(post_id) AS post_id, {values} "
            f"FROM {extra.table} GROUP BY 1"
        )
        sets = ", ".join(f"{c} = COALESCE(typed_posts.{c}, extra.{c})" for c in fills)
        con.execute(f"UPDATE typed_posts SET {sets} FROM extra WHERE extra.post_id = typed_posts.post_id")
    engagement_parts = [f"{c}" for c in ("likes", "comments", "shares", "saves")]
    any_present = " OR ".join(f"{c} IS NOT NULL" for c in engagement_parts)
    total = " + ".join(f"COALESCE({c}, 0)" for c in engagement_parts)
    con.execute(f"""CREATE TABLE posts AS SELECT * EXCLUDE (post_no), CASE WHEN {any_present} THEN {total} END
                    AS engagements FROM typed_posts ORDER BY post_no""")


def _blank_post_id(posts: SourceFile, parts: Sequence[tuple[int, int, str, int]]) -> str:
    """SQL naming a post without a post_id by its row: 'row ' and its line, or, in an append's merged
    posts, by its place in its own import's file: (first place, rows, prefix, line of the first) per
    part (importer._post_parts: "row 3", "feb/posts.csv row 2"), never the merged file's line."""
    cases = " ".join(
        f"WHEN rowid >= {int(start)} AND rowid < {int(start) + int(rows)} "
        f"THEN {_quoted(prefix)} || (rowid - {int(start) - int(first)})"
        for start, rows, prefix, first in parts
    )
    merged = f"'row ' || {line_of(posts)}"
    return f"CASE {cases} ELSE {merged} END" if cases else merged


def _quoted(text: str) -> str:
    """`text` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


# The distinct values of each text column (cleaned and typed in build_facts), with the sales of
# each influencer id as written (orders, revenue, rows; NULL for the other columns' values, which
# summed too cost 15 % more than their distinct values alone). The dimensions' grouping sets run on
# their distinct combinations (a few hundred): one grouping of the rows instead of one per set.
SALE_TEXT_VALUES = f"""
    CREATE TEMP TABLE sale_text_values AS
    SELECT true AS is_influencer_id, {", ".join(f"false AS is_{c}" for c in SALE_DIMENSIONS)}, influencer_id AS value,
           sum(orders) AS orders, sum(revenue) AS revenue, count(*) AS rows
    FROM sales GROUP BY influencer_id
    UNION ALL
    SELECT false, {", ".join(f"GROUPING({c}) = 0" for c in SALE_DIMENSIONS)}, COALESCE({", ".join(SALE_DIMENSIONS)}),
           NULL, NULL, NULL
    FROM (SELECT DISTINCT {", ".join(SALE_DIMENSIONS)} FROM sales) AS combinations
    GROUP BY GROUPING SETS ({", ".join(f"({c})" for c in SALE_DIMENSIONS)})"""
# Sales per influencer id as written, from sale_text_values (small: one row per distinct value).
SALES_BY_INFLUENCER = """
    CREATE TEMP TABLE sales_by_influencer AS
    SELECT trim(value) AS influencer_id, sum(orders) AS orders, sum(revenue) AS revenue, sum(rows) AS rows
    FROM sale_text_values WHERE is_influencer_id GROUP BY 1"""


def text_value_types(con, limit: int) -> dict[str, str]:
    """{column: type name} for each SALE_TEXT column of the sales with at most `limit` distinct
    values as written (`sale_text_values`, after type_sales): a TEMP ENUM type `written_<column>` of
    exactly those values, so that a cast of the column to it keeps every value (NULL stays NULL).
    For writing the sales out (history's Parquet): an ENUM gives the writer each row's dictionary
    index without hashing its text."""
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE is_{c})" for c in SALE_TEXT)
        + " FROM sale_text_values WHERE value IS NOT NULL"
    ).fetchone()
    types = {}
    for column, count in zip(SALE_TEXT, counts):
        if 0 < count <= limit:
            con.execute(f"""CREATE OR REPLACE TEMP TYPE written_{column} AS ENUM (
                            SELECT value FROM sale_text_values WHERE is_{column} AND value IS NOT NULL ORDER BY value)""")
            types[column] = f"written_{column}"
    return types


def type_sales(con, tracking: SourceFile | None, payouts: SourceFile):
    """Attributed sales, and their totals per influencer.

    Without a tracking file, payouts' revenue and orders are the sales: a total per influencer,
    which follows the influencer's posts (_payouts_as_sales). The `sales` view keeps text as it is
    in the file: at tens of millions of rows, trimming and normalising each row costs more than the
    whole import otherwise does, so the rules are checked on distinct values and applied per row
    only to a column that needs them (build_facts).
    """
    if tracking is not None:
        # On the text path the value rule is work per row: read each value once, not in every query.
        con.execute(f"""
            CREATE TEMP {"VIEW" if tracking.typed else "TABLE"} sales AS SELECT
                {tracking.order_column} AS sale_no, influencer_id, {_date(tracking, "date")} AS date,
                {_col(tracking, "brand")} AS brand, {_col(tracking, "campaign")} AS campaign,
                {_col(tracking, "product")} AS product, {_col(tracking, "source")} AS source,
                NULLIF({_col(tracking, "user_id")}, '') AS user_id,
                {_number(tracking, "orders", "BIGINT")} AS orders, {_number(tracking, "revenue")} AS revenue,
                {_col(tracking, "region")} AS region
            FROM {tracking.table}""")
    else:
        _payouts_as_sales(con, payouts)
    con.execute(SALE_TEXT_VALUES)
    con.execute(SALES_BY_INFLUENCER)
    if tracking is None:  # rows of the file, not the pieces they were cut into
        con.execute("""UPDATE sales_by_influencer t SET rows = p.rows
                       FROM (SELECT influencer_id, count(DISTINCT sale_no) AS rows FROM sales GROUP BY 1) p
                       WHERE p.influencer_id = t.influencer_id""")


def _payouts_as_sales(con, payouts: SourceFile):
    """Sales given only as a total per payout row (orders, total_revenue) follow the influencer's
    posts, as fixed cost does: each post carries an equal share, on the post's date and with the
    brand it names (campaign, product and source stay unknown). Orders are split as whole numbers
    that add up to the total (post k of n gets ⌊orders·k/n⌋ − ⌊orders·(k−1)/n⌋). An influencer
    without posts keeps one undated row. `sale_no` is the payout row, so the rows of the file can
    still be counted.
    """
    orders = _number(payouts, "orders", "BIGINT")
    revenue = _number(payouts, "total_revenue")
    _create_post_shares(con)
    con.execute(f"""
        CREATE TEMP TABLE sales AS
        WITH totals AS (
            SELECT rowid AS sale_no, trim(influencer_id) AS influencer_id,
                   COALESCE({orders}, 0) AS orders, COALESCE({revenue}, 0.0) AS revenue
            FROM {payouts.table} WHERE {orders} IS NOT NULL OR {revenue} IS NOT NULL)
        SELECT t.sale_no, t.influencer_id, p.date, p.brand, CAST(NULL AS VARCHAR) AS campaign,
               CAST(NULL AS VARCHAR) AS product, CAST(NULL AS VARCHAR) AS source, CAST(NULL AS VARCHAR) AS user_id,
               CASE WHEN p.posts IS NULL THEN t.orders
                    ELSE t.orders * p.post_rank // p.posts - t.orders * (p.post_rank - 1) // p.posts END AS orders,
               t.revenue * COALESCE(p.share, 1.0) AS revenue
        FROM totals t LEFT JOIN post_shares p USING (influencer_id)
        ORDER BY t.sale_no, p.post_rank""")


def warn_payouts_as_sales(con, payouts: SourceFile, warnings: Findings):
    """Say what _payouts_as_sales assumed: where sales got their dates and brands, and which stayed undated."""
    dated, undated, undated_revenue = con.execute("""
        SELECT count(DISTINCT influencer_id) FILTER (WHERE date IS NOT NULL),
               count(DISTINCT influencer_id) FILTER (WHERE date IS NULL),
               COALESCE(sum(revenue) FILTER (WHERE date IS NULL), 0) FROM sales""").fetchone()
    if dated:
        warnings.add(
            Problem(
                payouts.path.name,
                None,
                "total_revenue",
                None,
                f"no tracking file: revenue and orders are totals per influencer; those of {dated} "
                "influencers are spread over their posts (equally per post, dated by the post, "
                "branded where the post names a brand) — an assumption; sales have no campaign "
                "or product",
            )
        )
    if undated:
        warnings.add(
            Problem(
                payouts.path.name,
                None,
                "total_revenue",
                f"{undated_revenue:.2f}",
                f"{undated} influencers with sales have no posts: their sales stay undated and "
                "fall outside any date range",
            )
        )


def _create_post_shares(con):
    """Each post's equal share of its influencer, on the post's date and brand: the rule by which
    fixed cost (_build_post_weights) and sales given per influencer (_payouts_as_sales) follow posts.
    Columns: influencer_id, date, brand (text), post_rank (1…posts, file order), posts, share (1/posts).
    """
    con.execute("""
        CREATE TEMP TABLE IF NOT EXISTS post_shares AS
        SELECT influencer_id, date, brand, row_number() OVER (PARTITION BY influencer_id ORDER BY rowid) AS post_rank,
               count(*) OVER (PARTITION BY influencer_id) AS posts, 1.0 / count(*) OVER (PARTITION BY influencer_id) AS share
        FROM posts""")


# The order of sales for first orders is one BIGINT key (days << 32 | row) so that the per-user
# minimum is a cheap aggregate; an undated sale comes after every dated one. FIRST_KEY_DATE reads
# the date back out of a dated key (NULL for an undated one).
FIRST_KEY = """CASE WHEN date IS NULL THEN (CAST(1 AS BIGINT) << 62) + sale_no
                    ELSE (date_diff('day', DATE '1970-01-01', date) + 1000000) * CAST(4294967296 AS BIGINT) + sale_no
               END"""
FIRST_KEY_DATE = """CASE WHEN {key} < CAST(1 AS BIGINT) << 62
                         THEN DATE '1970-01-01' + CAST(({key} >> 32) - 1000000 AS INTEGER) END"""


def type_buyers(con, tracking: SourceFile | None, warnings: Findings):
    """Each buyer's first order (`first_orders`: the order that makes a user_id a new customer, by
    earliest date, then file order) and the guest or placeholder ids that are no buyer at all
    (`guest_ids`: values.GUEST_USER_IDS, warned about with their count of rows that place orders; their orders, like
    those without a user_id, count as unknown buyers). A refund row makes no one a new customer,
    nor does a row of 0 orders (no order was placed: a hypothesis example of 0 orders and ₹0 made one).
    """
    con.execute(f"CREATE TEMP VIEW keyed_sales AS SELECT *, {FIRST_KEY} AS first_key FROM sales")
    # The first order's creator comes along (a sale always has one: a missing influencer_id is an
    # error), so that the cohorts need not look for each first order among all the sales again. Only
    # rows that place orders are grouped: a store export's later line items and refund rows carry
    # the buyer too (a quarter of its rows), and no one's first order is among them.
    con.execute(f"""CREATE TEMP TABLE first_orders AS
                    SELECT user_id, min(first_key) FILTER (WHERE revenue >= 0) AS first_key,
                           arg_min(influencer_id, first_key) FILTER (WHERE revenue >= 0) AS first_influencer_id
                    FROM keyed_sales WHERE user_id IS NOT NULL AND {PLACES_ORDERS} GROUP BY user_id""")
    _set_guests_apart(con)
    if tracking is None or "user_id" not in tracking.columns or tracking.buyers_reported:
        return
    for file, blanks, guests in _guest_rows_by_file(con, tracking):
        rows = blanks + sum(count for _, count in guests)
        if not rows:
            continue
        listed = ", ".join(repr(user_id) for user_id, _ in guests[:5])
        shown = f"{listed} and blank" if listed and blanks else listed
        warnings.add(
            Problem(
                file,
                None,
                "user_id",
                shown or "blank",
                f"{fmt.count(rows)} row{'s' * (rows != 1)} with a guest, placeholder or blank user_id: counted as unknown buyers "
                "(their new customers are estimated)",
            )
        )


def sales_after_export(con, tracking: SourceFile | None) -> dict | None:
    """The sales rows after a store export's in an append's merged sales (after type_buyers), every
    append's since the export (SourceFile.buyers_reported_rows: the export's sales come first):
    {"files": the file(s) they came from, "rows": sales rows, "orders": orders, "orders_without_user":
    orders without a buyer id (blank, guest or placeholder user_id)}; None when there are none."""
    if tracking is None or not tracking.buyers_reported_rows or tracking.buyers_reported_rows >= tracking.rows:
        return None
    unknown = "user_id IS NULL" + (
        " OR user_id IN (SELECT user_id FROM guest_ids)"
        if con.execute("SELECT count(*) FROM guest_ids").fetchone()[0]
        else ""
    )
    rows, orders, without = con.execute(f"""
        SELECT count(*), COALESCE(sum(orders), 0), COALESCE(sum(orders) FILTER (WHERE {unknown}), 0)
        FROM sales WHERE sale_no >= {int(tracking.buyers_reported_rows)}""").fetchone()
    files = tracking.after_export or tracking.path.name
    return {"files": files, "rows": int(rows), "orders": int(orders), "orders_without_user": int(without)}


def _set_guests_apart(con):
    """Move the guest and placeholder ids out of `first_orders` (buyers, one row per user_id of the
    rows that place orders) into `guest_ids` (user_id, rows: their rows that place orders), with the
    guest ids found only on returns (negative orders: they count as orders without a buyer; rows of
    0 orders count for nothing). The rule trims every id, which costs more than the rest of the
    step: it runs once, on the distinct ids, and the DELETE (a semi-join on the few guest ids) only
    when there is a guest to take out. Their rows are counted then, from their own sales: counted
    for every buyer in `first_orders`, they cost 8 % of that grouping."""
    is_guest = guest_user_sql("user_id")
    con.execute(f"""CREATE TEMP TABLE guest_ids AS
                    SELECT user_id, CAST(NULL AS BIGINT) AS rows FROM first_orders WHERE {is_guest}
                    UNION
                    SELECT user_id, NULL FROM sales WHERE orders < 0 AND user_id IS NOT NULL AND {is_guest}""")
    if con.execute("SELECT count(*) FROM guest_ids").fetchone()[0]:
        con.execute("DELETE FROM first_orders WHERE user_id IN (SELECT user_id FROM guest_ids)")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE guest_ids AS
                        SELECT user_id, count(*) FILTER (WHERE {PLACES_ORDERS}) AS rows
                        FROM sales WHERE user_id IN (SELECT user_id FROM guest_ids) GROUP BY user_id""")


# A row of 0 orders (a refund row, negative revenue) places no order: it is no buyer, known or not,
# so the warning about unknown buyers leaves it out (docs/metrics.md, new customers).
PLACES_ORDERS = "orders > 0"


def _guest_rows_by_file(con, tracking: SourceFile) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """(file, rows without a user_id, [(guest or placeholder id, rows)]) of each file whose rows are
    warned about: an append's merged sales, each import's rows by its own file (SourceFile.parts),
    but for a store export's sales, its first rows (its mapping states its guest checkouts in orders
    per file: buyers_reported_rows); without parts, the rows after the export's, or the sales file."""
    if tracking.parts:
        return [(name, *_guests_among(con, start, start + rows)) for name, start, rows in _user_parts(tracking)]
    if tracking.buyers_reported_rows:
        return [(tracking.after_export or tracking.path.name, *_guests_among(con, tracking.buyers_reported_rows))]
    return [
        (
            tracking.path.name,
            con.execute(f"SELECT count(*) FROM sales WHERE user_id IS NULL AND {PLACES_ORDERS}").fetchone()[0],
            con.execute("SELECT user_id, rows FROM guest_ids WHERE rows > 0 ORDER BY rows DESC, user_id").fetchall(),
        )
    ]


def _user_parts(source: SourceFile) -> list[tuple[str, int, int]]:
    """(name, first row, rows) of each part of an append's merged file (SourceFile.parts, in file
    order) whose rows a warning counts: not a store export's sales (its first buyers_reported_rows)."""
    starts = [sum(rows for _, rows in source.parts[:i]) for i in range(len(source.parts))]
    return [
        (name, start, rows) for (name, rows), start in zip(source.parts, starts) if start >= source.buyers_reported_rows
    ]


def _guests_among(con, first: int, end: int | None = None) -> tuple[int, list[tuple[str, int]]]:
    """(rows without a user_id, [(guest or placeholder id, rows)]) among the sales rows `first` to
    `end` (excluded; None: to the last) in file order."""
    until = "" if end is None else f" AND sale_no < {int(end)}"
    counts = con.execute(f"""
        SELECT user_id, count(*) FROM sales
        WHERE sale_no >= {int(first)}{until} AND {guest_user_sql("user_id")} AND {PLACES_ORDERS}
        GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall()
    blank = sum(count for user_id, count in counts if user_id is None)
    return blank, [(user_id, count) for user_id, count in counts if user_id is not None]


def add_unknown_influencers(con, sources: dict[str, SourceFile], warnings: Findings, rows_con=None):
    """Sales, posts and payouts of ids missing from influencers are kept under `Unknown`. rows_con:
    where the sales rows are (the Spark engine's connection), if not on `con`."""
    for role, table, rows in (
        ("tracking", "sales_by_influencer", "sum(t.rows)"),
        ("posts", "posts", "count(*)"),
        ("payouts", "payouts", "count(*)"),
    ):
        if role not in sources:
            continue  # without a tracking file the sales come from payouts, checked there
        orphans = con.execute(f"""
            SELECT t.influencer_id, {rows} FROM {table} t
            LEFT JOIN influencers i USING (influencer_id)
            WHERE i.influencer_id IS NULL OR NOT i.known GROUP BY 1 ORDER BY 1""").fetchall()
        source = sources[role]
        # A store export's creators were named on its code map's rows (store_orders.warn_unknown_creators),
        # and are again after an append (named_creators): any other unknown id's sales are the appended files'.
        unnamed = [] if source.creators_checked else [o for o in orphans if o[0] not in source.named_creators]
        for file, influencer_id, count in _unknown_rows_by_file(rows_con or con, con, source, unnamed):
            warnings.add(
                Problem(
                    file,
                    None,
                    "influencer_id",
                    influencer_id,
                    f"unknown influencer ({fmt.count(count)} row{'s' * (count != 1)}): kept and shown as Unknown",
                )
            )
        con.execute(f"""
            INSERT INTO influencers
            SELECT DISTINCT t.influencer_id, 'Unknown', 'Unknown', 'Unknown', NULL, NULL, NULL, NULL, false
            FROM {table} t LEFT JOIN influencers i USING (influencer_id) WHERE i.influencer_id IS NULL""")


def _unknown_rows_by_file(rows_con, con, source: SourceFile, unnamed: list) -> list[tuple[str, str, int]]:
    """(file, influencer id, rows) of each unknown id's rows: an append's merged sales, posts and
    payouts by the file of each import (SourceFile.parts, their rows in file order: the sales' on
    `rows_con`), else the file (or the files appended after a store export's sales)."""
    if not source.parts or not unnamed:
        return [(source.after_export or source.path.name, influencer_id, rows) for influencer_id, rows in unnamed]
    if source.role == "tracking":
        connection, table, row = rows_con, "sales", "sale_no"
    else:  # one typed row per staged row: the staged file's rowid is its order
        connection, table, row = con, source.table, "rowid"
    ids = [influencer_id for influencer_id, _ in unnamed]
    found = []
    for name, start, part_rows in _user_parts(source):
        counts = connection.execute(
            f"""SELECT trim(CAST(influencer_id AS VARCHAR)) AS id, count(DISTINCT {row}) FROM {table}
                WHERE {row} >= {start} AND {row} < {start + part_rows} AND trim(CAST(influencer_id AS VARCHAR)) IN
                ({", ".join("?" * len(ids))}) GROUP BY 1 ORDER BY 1""",
            ids,
        ).fetchall()
        found += [(name, influencer_id, rows) for influencer_id, rows in counts]
    return found


PAYOUT_NUMBERS = (
    "posts",
    "orders",
    "total_revenue",
    "total_payout",
    "gifted_products_cost",
    "other_cost",
    "total_cost",
)
PAYOUT_COLUMNS = {
    "row_no": "BIGINT",
    "influencer_id": "VARCHAR",
    "basis": "VARCHAR",
    "rate_text": "VARCHAR",
    "fee_per_post": "DOUBLE",
    "per_order": "DOUBLE",
    "commission_pct": "DOUBLE",
    "posts": "DOUBLE",
    "orders": "DOUBLE",
    "total_revenue": "DOUBLE",
    "total_payout": "DOUBLE",
    "gifted_cost": "DOUBLE",
    "other_cost": "DOUBLE",
    "total_cost": "DOUBLE",
    "terms_cost": "DOUBLE",
}
RATE_EXAMPLES = "e.g. '₹50,000/post', '₹120/order', '12% commission', '₹50,000/post + 6%'"


def type_payouts(
    con,
    payouts: SourceFile,
    has_tracking: bool,
    errors: Findings,
    warnings: Findings,
    appended: list[AppendedOrders] | None = None,
):
    """Payout rows with their parsed terms, the cost they stand for, and its components.

    Creates `payouts` (one row per payout row: PAYOUT_COLUMNS, ₹) and `cost_components`
    (influencer_id, label, kind: fixed/orders/revenue, amount ₹). Rows whose cost cannot be told
    are errors; terms that disagree with the totals are warnings. `appended`: the sales appended
    after each payouts file (appended_orders), which that file's payout rows do not count.
    """
    numbers = ", ".join(f"{_number(payouts, c)} AS {c}" for c in PAYOUT_NUMBERS)
    rows = con.execute(f"""
        SELECT rowid AS place, {line_of(payouts)} AS line, trim(influencer_id) AS influencer_id, basis,
               {_col(payouts, "rate")} AS rate, {numbers}
        FROM {payouts.table} ORDER BY rowid""").df()
    # pandas reads a NULL cell as NaN: a blank rate would parse, and be named, as the text 'nan'
    rows = rows.astype(object).where(rows.notna(), None)
    tracked = {
        influencer_id: (orders, revenue)
        for influencer_id, orders, revenue in con.execute(
            "SELECT influencer_id, orders, revenue FROM sales_by_influencer"
        ).fetchall()
    }
    post_counts = dict(con.execute("SELECT influencer_id, count(*) FROM posts GROUP BY 1").fetchall())
    issues = _PayoutIssues(payouts.path.name, errors, warnings)
    orders_check = _PayoutOrders(issues, appended or [])
    terms_check = _PayoutTerms(issues, appended or [])
    records, components = [], []
    for row in rows.itertuples(index=False):
        record = _cost_of_payout(row, tracked, post_counts, has_tracking, issues, (orders_check, terms_check))
        if record is not None:
            records.append(record)
            components.extend(_cost_components(record))
    orders_check.warn_appended()
    terms_check.warn_appended()
    _write_payouts(con, records, components)


class _PayoutIssues:
    """Errors and warnings about one payouts file, each naming its row and column."""

    def __init__(self, file_name: str, errors: Findings, warnings: Findings):
        self.file_name, self.errors, self.warnings = file_name, errors, warnings

    def error(self, row, column: str, value, reason: str):
        self.errors.add(Problem(self.file_name, int(row.line), column, value, reason))

    def warning(self, row, column: str, value, reason: str):
        self.warnings.add(Problem(self.file_name, int(row.line), column, value, reason))

    def where(self, later: AppendedOrders, line: int | None) -> tuple[str, int | None]:
        """(file, row) of a warning about the payout rows of the file `later` follows: a single row's
        line in the merged file, which the append names by the file it came from and its line there
        (importer.Appended.located), as a row's own warning; several rows by that file alone."""
        return (later.payouts_file, None) if line is None else (self.file_name, line)


@dataclasses.dataclass(frozen=True)
class AppendedOrders:
    """The sales appended after one payouts file came (appended_orders): that file's payout rows
    (places in the merged payouts), its name as warnings name it, the sales file(s) appended after
    it, and their orders and revenue (₹) per influencer id (trimmed, as sales_by_influencer); `covered`:
    per influencer id with sales there when the payouts file came, the first and last date of those
    sales (None, None where none is dated)."""

    payout_rows: range
    payouts_file: str
    files: str
    by_influencer: dict[str, int]
    revenue_by_influencer: dict[str, float] = dataclasses.field(default_factory=dict)
    covered: dict[str, tuple] = dataclasses.field(default_factory=dict)


# The covered dates of a payout row whose creator had no sale when its file came: a range holding no
# date (first after last), so that appended sales take none of its cost, which stays where it was
# before the append (on its posts, else one undated cell).
COVERS_NO_SALE = (dt.date(1970, 1, 2), dt.date(1970, 1, 1))


def _appended_after(appended: list[AppendedOrders], row) -> tuple[int, AppendedOrders] | None:
    """(its index, the sales appended after the payouts file a payout row came in), if any."""
    return next(((i, later) for i, later in enumerate(appended) if int(row.place) in later.payout_rows), None)


class _PayoutOrders:
    """The check of a payout row's orders against the tracked orders. Payouts carry no date: a
    payouts file counts the orders of the sales that existed when it came, so where a row's
    difference is exactly the creator's orders appended after its file, the rows of that file are
    said in one warning (warn_appended) rather than one each; any other difference is a row's own
    warning."""

    def __init__(self, issues: _PayoutIssues, appended: list[AppendedOrders]):
        self.issues, self.appended = issues, appended
        # per AppendedOrders (its index): (influencer id, payout orders, tracked orders, line) of its rows
        self.explained: dict[int, list[tuple[str, int, int, int]]] = {}

    def check(self, row, tracked_orders: int):
        payout_orders = int(row.orders)
        if payout_orders == tracked_orders:
            return
        for index, later in enumerate(self.appended):
            added = later.by_influencer.get(row.influencer_id, 0)
            if int(row.place) in later.payout_rows and added and payout_orders == tracked_orders - added:
                explained = (row.influencer_id, payout_orders, tracked_orders, int(row.line))
                self.explained.setdefault(index, []).append(explained)
                return
        self.issues.warning(
            row, "orders", str(payout_orders), f"payout orders differ from tracked orders ({tracked_orders})"
        )

    def warn_appended(self):
        for index, explained in self.explained.items():
            later = self.appended[index]
            creator, payout_orders, tracked_orders, line = explained[0]
            rows = len(explained)
            self.issues.warnings.add(
                Problem(
                    *self.issues.where(later, line if rows == 1 else None),
                    "orders",
                    None,
                    f"{fmt.counted(rows, 'payout row')} {'count' if rows != 1 else 'counts'} the orders before "
                    f"{later.files} "
                    "was appended: payouts carry no date, so they cover the earlier period, while tracked orders "
                    f"include the appended sales (e.g. {creator}: {fmt.count(payout_orders)} in the payouts, "
                    f"{fmt.count(tracked_orders)} tracked, {fmt.count(tracked_orders - payout_orders)} of them appended)",
                )
            )


class _PayoutTerms:
    """The sales a stated payout's terms are measured on. Payouts carry no date: a payout row with a
    total paid (total_payout or total_cost) covers the sales that existed when its file came, so its
    terms count its creator's tracked orders and revenue less those appended after that file (as
    _PayoutOrders compares its orders); a row whose total is within tolerance of those terms but not
    of the terms on every tracked sale is said in one warning per payouts file (warn_appended). A
    row without a total costs its terms on every tracked sale (cost follows sales)."""

    def __init__(self, issues: _PayoutIssues, appended: list[AppendedOrders]):
        self.issues, self.appended = issues, appended
        # per AppendedOrders (its index): (influencer id, paid ₹, terms on the sales before ₹, on every
        # sale ₹, line) of its rows
        self.explained: dict[int, list[tuple[str, float, float, float, int]]] = {}

    def covered(self, row, tracked_orders, tracked_revenue) -> tuple:
        """(orders, revenue ₹) of the creator's tracked sales the row's payout covers (None: untracked)."""
        later = _appended_after(self.appended, row)
        if later is None or tracked_orders is None or not (_given(row.total_payout) or _given(row.total_cost)):
            return tracked_orders, tracked_revenue
        _, sales = later
        orders = tracked_orders - sales.by_influencer.get(row.influencer_id, 0)
        return orders, tracked_revenue - sales.revenue_by_influencer.get(row.influencer_id, 0.0)

    def covered_dates(self, row) -> tuple:
        """(first, last) date of the creator's sales the row's payout covers, where sales were appended
        after its file: its cost follows only the sales dated so (an append refuses sales dated within
        the live data set's period of a creator, so those dates tell the sales apart); COVERS_NO_SALE
        where the creator had no sale then; else (None, None): every sale (no append after its file,
        no total, or only undated sales then, which no date range can tell apart)."""
        later = _appended_after(self.appended, row)
        if later is None or not (_given(row.total_payout) or _given(row.total_cost)):
            return None, None
        return later[1].covered.get(row.influencer_id, COVERS_NO_SALE)

    def check(self, row, payout: float, terms: float, every: float | None):
        """Record a row whose payout matches its terms on the sales it covers (`terms`, ₹) but not on
        every tracked sale (`every`, ₹): the appended sales explain the difference."""
        later = _appended_after(self.appended, row)
        if later is not None and every is not None and abs(every - payout) > TERMS_TOLERANCE * payout:
            self.explained.setdefault(later[0], []).append((row.influencer_id, payout, terms, every, int(row.line)))

    def warn_appended(self):
        for index, explained in self.explained.items():
            later = self.appended[index]
            creator, payout, terms, every, line = explained[0]
            rows = len(explained)
            self.issues.warnings.add(
                Problem(
                    *self.issues.where(later, line if rows == 1 else None),
                    "total_payout",
                    None,
                    f"{fmt.counted(rows, 'payout row')} {'are' if rows != 1 else 'is'} measured on the sales "
                    f"before {later.files} was appended: payouts carry no date, so a total paid covers the earlier "
                    "period, while tracked sales include the appended ones "
                    f"(e.g. {creator}: {fmt.inr(payout, 2)} paid, its terms {fmt.inr(terms, 2)} on the sales before, "
                    f"{fmt.inr(every, 2)} with the appended ones)",
                )
            )


def _terms_of(rate: Rate, posts: float, orders: float, revenue: float) -> float | None:
    """What a row's terms come to (₹) for its posts, orders and revenue (₹); None without terms."""
    if rate.is_empty:
        return None
    return (
        (rate.fee_per_post or 0) * posts + (rate.per_order or 0) * orders + (rate.commission_pct or 0) / 100 * revenue
    )


def _live_file(source: SourceFile) -> str:
    """The file(s) of an append's merged file that hold the live data set's rows (SourceFile.parts
    up to live_rows, named as warnings about their rows name them), else the file."""
    starts = [sum(rows for _, rows in source.parts[:i]) for i in range(len(source.parts))]
    live = [name for (name, _), start in zip(source.parts, starts) if start < (source.live_rows or 0)]
    return " + ".join(live) or source.path.name


def appended_orders(con, tracking: SourceFile | None, payouts: SourceFile | None) -> list[AppendedOrders]:
    """For each payouts file of a data set that has sales appended after it, those sales' orders and
    revenue per influencer id (sale_no is the merged sales file's row); none outside an append."""
    counts, covered = {}, {}
    appended = []
    for payout_rows, payouts_file, files, first_sale in _sales_after_payouts(tracking, payouts):
        if first_sale not in counts:
            counts[first_sale] = con.execute(f"""
                SELECT trim(CAST(influencer_id AS VARCHAR)), COALESCE(sum(orders), 0), COALESCE(sum(revenue), 0)
                FROM sales WHERE sale_no >= {int(first_sale)} GROUP BY 1""").fetchall()
            covered[first_sale] = con.execute(f"""
                SELECT trim(CAST(influencer_id AS VARCHAR)), min(date), max(date)
                FROM sales WHERE sale_no < {int(first_sale)} GROUP BY 1""").fetchall()
        by_influencer = {influencer_id: int(orders) for influencer_id, orders, _ in counts[first_sale]}
        revenue = {influencer_id: float(revenue) for influencer_id, _, revenue in counts[first_sale]}
        dates = {influencer_id: (first, last) for influencer_id, first, last in covered[first_sale]}
        appended.append(AppendedOrders(payout_rows, payouts_file, files, by_influencer, revenue, dates))
    return appended


def _sales_after_payouts(tracking: SourceFile | None, payouts: SourceFile | None) -> list[tuple[range, str, str, int]]:
    """(payout rows, payouts file, sales files, first sale_no) of each payouts part with sales parts
    of a later import after it (SourceFile.part_imports: a file of an earlier append counts the
    sales before every later one); where no parts were recorded, the live data set's payout rows
    against the sales the append adds (SourceFile.live_rows)."""
    if tracking is None or payouts is None or tracking.live_rows is None:
        return []
    if tracking.part_imports and payouts.part_imports:
        sales = _part_spans(tracking)
        after = []
        for name, start, rows, number in _part_spans(payouts):
            later = [part for part in sales if part[3] > number]
            if later and rows:
                after.append((range(start, start + rows), name, " + ".join(part[0] for part in later), later[0][1]))
        return after
    if tracking.live_rows >= tracking.rows:
        return []
    files = tracking.parts[-1][0] if tracking.parts else tracking.after_export or tracking.path.name
    return [(range(payouts.live_rows or 0), _live_file(payouts), files, tracking.live_rows)]


def _part_spans(source: SourceFile) -> list[tuple[str, int, int, int]]:
    """(name, first row, rows, import number) of each part of a merged file, in file order."""
    starts = [sum(rows for _, rows in source.parts[:i]) for i in range(len(source.parts))]
    return [
        (name, start, rows, number) for (name, rows), start, number in zip(source.parts, starts, source.part_imports)
    ]


def _cost_of_payout(
    row,
    tracked: dict,
    post_counts: dict,
    has_tracking: bool,
    issues: _PayoutIssues,
    checks: tuple[_PayoutOrders, _PayoutTerms],
) -> dict | None:
    """One payout row as a `payouts` record, or None (with an error) when its cost cannot be told."""
    orders_check, terms_check = checks
    basis = normalise_basis(row.basis)
    rate = _rate_of(row, basis, issues)
    if rate is None:
        return None
    tracked_orders, tracked_revenue = tracked.get(row.influencer_id, (None, None))
    covered_orders, covered_revenue = terms_check.covered(row, tracked_orders, tracked_revenue)
    posts = _first(row.posts, post_counts.get(row.influencer_id), 0)
    orders = _first(row.orders, covered_orders, 0)
    revenue = _first(row.total_revenue, covered_revenue, 0)
    fee_part = (rate.fee_per_post or 0) * posts
    terms = _terms_of(rate, posts, orders, revenue)
    gifted, other = _first(row.gifted_products_cost, 0), _first(row.other_cost, 0)
    payout = _stated_payout(row, gifted, other, terms)
    if payout is None:
        issues.error(row, "rate", row.rate, "no total_cost, total_payout or rate to tell what this influencer costs")
        return None
    payout, other = _reconcile_total_cost(row, payout, gifted, other, issues)
    if terms is not None and payout and abs(terms - payout) > TERMS_TOLERANCE * payout:
        issues.warning(
            row,
            "total_payout",
            f"{payout:.2f}",
            f"differs from its terms ({row.rate} → {terms:.2f}) by more than {TERMS_TOLERANCE_TEXT}",
        )
    elif terms is not None and payout:
        every = _terms_of(
            rate, posts, _first(row.orders, tracked_orders, 0), _first(row.total_revenue, tracked_revenue, 0)
        )
        terms_check.check(row, payout, terms, every)
    if has_tracking and _given(row.orders) and tracked_orders is not None:
        orders_check.check(row, int(tracked_orders))
    first_date, last_date = terms_check.covered_dates(row)
    return {
        "row_no": int(row.line),
        "influencer_id": row.influencer_id,
        "basis": basis,
        "rate_text": row.rate,
        "fee_per_post": rate.fee_per_post,
        "per_order": rate.per_order,
        "commission_pct": rate.commission_pct,
        "posts": posts,
        "orders": orders,
        "total_revenue": revenue,
        "total_payout": payout,
        "gifted_cost": gifted,
        "other_cost": other,
        "total_cost": payout + gifted + other,
        "terms_cost": terms,
        "fee_part": fee_part,
        "first_date": first_date,
        "last_date": last_date,
    }


def _rate_of(row, basis: str | None, issues: _PayoutIssues) -> Rate | None:
    """The row's terms. A rate not understood is an error, unless a total says what was paid: then
    the total decides the cost and the rate is only a warning."""
    rate = parse_rate(row.rate, basis)
    if rate is not None:
        return rate
    if _given(row.total_payout) or _given(row.total_cost):
        issues.warning(row, "rate", row.rate, f"rate not understood ({RATE_EXAMPLES}); the total decides the cost")
        return Rate()
    issues.error(row, "rate", row.rate, f"rate not understood ({RATE_EXAMPLES})")
    return None


def _stated_payout(row, gifted: float, other: float, terms: float | None) -> float | None:
    """What the creator was paid: total_payout, else total_cost less gifted and other cost, else the terms."""
    if _given(row.total_payout):
        return float(row.total_payout)
    if _given(row.total_cost):
        return max(float(row.total_cost) - gifted - other, 0.0)
    return terms


def _reconcile_total_cost(
    row, payout: float, gifted: float, other: float, issues: _PayoutIssues
) -> tuple[float, float]:
    """total_cost is authoritative: a surplus over payout + gifted + other is other cost we were not
    told about; a shortfall lowers the payout (a warning beyond rounding). Returns (payout, other)."""
    if not _given(row.total_cost):
        return payout, other
    given_total = float(row.total_cost)
    gap = given_total - (payout + gifted + other)
    if gap >= 0.5:
        return payout, other + gap
    if gap < -max(0.5, TERMS_TOLERANCE * given_total):
        issues.warning(
            row,
            "total_cost",
            f"{given_total:.2f}",
            f"is less than payout + gifted products ({payout + gifted:.2f}); total_cost is used",
        )
    return max(given_total - gifted - other, 0.0), other


def _cost_components(record: dict) -> list[tuple]:
    """(influencer_id, label, kind, amount ₹, first_date, last_date) of a payout record: its payout split
    by basis, gifted, other; the dates bound the sales its cost may follow (None: every sale)."""
    influencer_id = record["influencer_id"]
    rate = Rate(record["fee_per_post"], record["per_order"], record["commission_pct"])
    components = _components(influencer_id, record["basis"], rate, record["total_payout"], record["fee_part"])
    for label, column in (("gifted", "gifted_cost"), ("other", "other_cost")):
        if record[column]:
            components.append((influencer_id, label, "fixed", record[column]))
    return [(*component, record["first_date"], record["last_date"]) for component in components]


def _write_payouts(con, records: list[dict], components: list[tuple]):
    frame = pd.DataFrame.from_records(records, columns=list(PAYOUT_COLUMNS))
    con.register("payout_frame", frame)
    columns = ", ".join(f"{column}::{sql_type} AS {column}" for column, sql_type in PAYOUT_COLUMNS.items())
    con.execute(f"CREATE TABLE payouts AS SELECT {columns} FROM payout_frame")
    con.unregister("payout_frame")
    component_frame = pd.DataFrame(
        components, columns=["influencer_id", "label", "kind", "amount", "first_date", "last_date"]
    ).astype({"first_date": object, "last_date": object})
    con.register("component_frame", component_frame)
    # span: 0 for cost that follows every sale of its creator, else one number per covered date range
    con.execute("""CREATE TEMP TABLE cost_components AS
        SELECT influencer_id::VARCHAR AS influencer_id, label::VARCHAR AS label, kind::VARCHAR AS kind,
               sum(amount)::DOUBLE AS amount, first_date::DATE AS first_date, last_date::DATE AS last_date,
               (CASE WHEN first_date IS NULL THEN 0
                     ELSE dense_rank() OVER (ORDER BY influencer_id, first_date, last_date) END)::INTEGER AS span
        FROM component_frame WHERE amount <> 0 GROUP BY influencer_id, label, kind, first_date, last_date""")
    con.unregister("component_frame")


def _given(value) -> bool:
    return value is not None and not pd.isna(value)


def _first(*values):
    for value in values:
        if _given(value):
            return float(value)
    return None


def _components(influencer_id, basis, rate, payout, fee_part):
    """Split a payout into (label, kind, amount): fixed follows posts; orders/revenue follow sales."""
    if basis in ("post", "gifted"):
        return [(influencer_id, basis, "fixed", payout)]
    if basis == "hybrid":
        fixed = min(fee_part, payout) if rate.fee_per_post else 0.0
        return [(influencer_id, "hybrid", "fixed", fixed), (influencer_id, "hybrid", "revenue", payout - fixed)]
    if basis == "order":
        kind = "orders" if rate.per_order is not None or rate.commission_pct is None else "revenue"
        return [(influencer_id, "order", kind, payout)]
    return [(influencer_id, "commission", "revenue", payout)]


def build_facts(con):
    """Sales, new customers and allocated spend per cell (`facts`, with the tracking source), and rollups.

    Sales are grouped straight onto the typed dimensions: influencers by their text id (joined
    to their integer key once, on the grouped cells), brand, campaign, product and source by
    ENUMs, which makes the group-by, and every later join and filter, work on small integers.
    (The Spark engine runs the same steps with engines/spark.build_facts.)
    """
    dimension = key_dimensions(con)
    _create_sales_cells(con, dimension)
    build_fact_tables(con)


def key_dimensions(con) -> dict[str, str]:
    """Number the influencers and create the dimension types (_create_dimension_types: returns the
    SQL of each sale column's cleaned, typed value)."""
    _key_influencers(con)
    return _create_dimension_types(con)


# A sales cell's spend is its share of the cost that follows sales; pieces of cost that follow
# posts are appended with source `Unattributed` (the tracking source of a sale says nothing of them).
FACTS_SQL = f"""
    CREATE TABLE facts AS
    WITH rates AS (SELECT influencer_key, sum(per_order) AS per_order, sum(per_revenue) AS per_revenue
                   FROM spend_rates GROUP BY 1)
    SELECT i.influencer_key, c.date, c.brand, c.campaign, c.product, c.source,
           c.orders, c.revenue, c.refunds, c.new_customers, c.orders_without_user,
           COALESCE(c.orders * r.per_order + c.revenue * r.per_revenue, 0) AS spend
    FROM sales_cells c JOIN influencers i USING (influencer_id) LEFT JOIN rates r USING (influencer_key)
    UNION ALL
    SELECT influencer_key, date, brand, campaign, product, '{UNATTRIBUTED}'::source_value, 0, 0, 0, 0, 0, spend
    FROM spend_pieces"""
# Cost covering dated sales only (spend_rates' first_date..last_date: _cover_sales) adds to the cells
# in its dates; a data set without such cost keeps FACTS_SQL's plain per-influencer rates.
DATED_FACTS_SQL = f"""
    CREATE TABLE facts AS
    WITH rates AS (SELECT influencer_key, sum(per_order) AS per_order, sum(per_revenue) AS per_revenue
                   FROM spend_rates WHERE first_date IS NULL GROUP BY 1),
         cells AS (SELECT i.influencer_key, c.* FROM sales_cells c JOIN influencers i USING (influencer_id)),
         dated AS (SELECT c.influencer_key, c.date, c.brand, c.campaign, c.product, c.source,
                          sum(c.orders * d.per_order + c.revenue * d.per_revenue) AS spend
                   FROM cells c JOIN spend_rates d ON d.influencer_key = c.influencer_key
                        AND c.date BETWEEN d.first_date AND d.last_date
                   GROUP BY ALL)
    SELECT c.influencer_key, c.date, c.brand, c.campaign, c.product, c.source,
           c.orders, c.revenue, c.refunds, c.new_customers, c.orders_without_user,
           COALESCE(c.orders * r.per_order + c.revenue * r.per_revenue, 0) + COALESCE(d.spend, 0) AS spend
    FROM cells c LEFT JOIN rates r USING (influencer_key)
    LEFT JOIN dated d USING (influencer_key, date, brand, campaign, product, source)
    UNION ALL
    SELECT influencer_key, date, brand, campaign, product, '{UNATTRIBUTED}'::source_value, 0, 0, 0, 0, 0, spend
    FROM spend_pieces"""
# The tables build_fact_tables creates from `sales_cells`, in order (the Spark engine loads them so).
FACT_TABLES = ("spend_rates", "spend_pieces", "facts", *ROLLUP_SOURCES)


def build_fact_tables(con):
    """From `sales_cells` (influencer_id, date, SALE_DIMENSIONS, the sales measures), `influencers`
    (keyed), `posts`, `cost_components` and `sales_by_influencer`: cost allocation (`spend_rates`,
    `spend_pieces`: _allocate_costs), `facts` (MEASURES per cell, ₹ and counts) and its rollups
    (ROLLUPS, each sorted by ROLLUP_ORDER). DuckDB SQL, which the Spark engine runs translated."""
    _allocate_costs(con)
    (dated,) = con.execute("SELECT count(*) FROM spend_rates WHERE first_date IS NOT NULL").fetchone()
    con.execute(DATED_FACTS_SQL if dated else FACTS_SQL)
    measure_sums = ", ".join(
        f"sum({m})::BIGINT AS {m}" if m in COUNT_MEASURES else f"sum({m}) AS {m}" for m in MEASURES
    )
    for table, source in ROLLUP_SOURCES.items():
        keys = ", ".join(ROLLUPS[table])
        con.execute(
            f"CREATE TABLE {table} AS SELECT {keys}, {measure_sums} FROM {source} GROUP BY ALL "
            f"ORDER BY {ROLLUP_ORDER[table]}"
        )


def _create_sales_cells(con, dimension: dict[str, str]):
    unknown_buyer = "s.user_id IS NULL" + (
        " OR s.user_id IN (SELECT user_id FROM guest_ids)"
        if con.execute("SELECT count(*) FROM guest_ids").fetchone()[0]
        else ""
    )
    first_sales = _first_sales_bits(con)
    con.execute(f"CREATE TEMP TABLE sales_cells AS {sales_cells_sql(dimension, unknown_buyer, first_sales)}")


# The sale number in a first order's key (FIRST_KEY: its low 32 bits).
FIRST_SALE = "(first_key & 4294967295)"


def _first_sales_bits(con) -> tuple[int, int] | None:
    """`first_sales` (one row: `bits`, a BITSTRING with bit n − low set where sale number n is a
    buyer's first order) and (low, high), the range of those sale numbers; None when there is no
    first order, or the range is too wide for a bit index. A sale number names one row of `sales`
    (`sale_no`; a payout row spread over posts repeats it, but carries no buyer), so a sale is a
    first order exactly when its bit is set: a lookup in 1 bit per sale instead of a hash join of
    every sale against every buyer's key (7 % of `sales_cells` at 2M line items)."""
    low, high = con.execute(f"SELECT min({FIRST_SALE}), max({FIRST_SALE}) FROM first_orders").fetchone()
    if low is None or high - low >= 2**31:
        return None
    con.execute(f"""CREATE OR REPLACE TEMP TABLE first_sales AS
                    SELECT bitstring_agg({FIRST_SALE}, {low}, {high}) AS bits FROM first_orders""")
    return low, high


def sales_cells_sql(dimension: dict[str, str], unknown_buyer: str, first_sales: tuple[int, int] | None = None) -> str:
    """The query grouping `keyed_sales` (with `first_orders`) into sales cells: influencer_id,
    date, SALE_DIMENSIONS (as `dimension` gives each: SQL of the cleaned value, blank as NULL or
    already `Unattributed`; blanks are `Unattributed` in the cells), orders, revenue,
    refunds, new_customers, orders_without_user (the orders of rows that place orders and whose buyer is
    unknown, `unknown_buyer` telling which: a return (orders < 0) is no buyer, known or unknown, as it
    unmakes no known buyer's first order either).
    New customers are the sales whose key is a buyer's first (`first_orders`): with `first_sales`
    (_first_sales_bits' range; DuckDB only) looked up in its bits, else joined on the key."""
    if first_sales is None:
        new_customers, firsts = "count(f.first_key)", "LEFT JOIN first_orders f USING (first_key)"
    else:
        low, high = first_sales
        bit = f"get_bit(b.bits, (s.sale_no - {low})::INTEGER) = 1"
        new_customers = f"count(*) FILTER (WHERE CASE WHEN s.sale_no BETWEEN {low} AND {high} THEN {bit} END)"
        firsts = "CROSS JOIN first_sales b"
    # A blank value becomes `Unattributed` on the grouped cells, not on every row: where the column
    # also holds `Unattributed` as written, `dimension` fills the blanks before grouping instead
    # (_create_dimension_types), so that the two make one cell either way.
    filled = ", ".join(
        f"COALESCE({column}, '{UNATTRIBUTED}'::{column}_value) AS {column}" for column in SALE_DIMENSIONS
    )
    return f"""
        SELECT influencer_id, date, {filled}, orders, revenue, refunds, new_customers, orders_without_user FROM (
            SELECT {dimension["influencer_id"]} AS influencer_id, date,
                   {", ".join(f"{dimension[column]} AS {column}" for column in SALE_DIMENSIONS)},
                   sum(orders)::BIGINT AS orders, sum(revenue) AS revenue,
                   COALESCE(-sum(revenue) FILTER (WHERE revenue < 0), 0) AS refunds,
                   {new_customers}::BIGINT AS new_customers,
                   COALESCE(sum(orders) FILTER (WHERE orders > 0 AND ({unknown_buyer})), 0)::BIGINT AS orders_without_user
            FROM keyed_sales s {firsts}
            GROUP BY ALL)"""


def _key_influencers(con):
    """Number the influencers (1, 2, …, in file order): fact tables refer to them by that key."""
    con.execute("""CREATE OR REPLACE TABLE influencers AS
                   SELECT (row_number() OVER (ORDER BY rowid))::INTEGER AS influencer_key, * FROM influencers
                   ORDER BY influencer_key""")


def _create_dimension_types(con) -> dict[str, str]:
    """One ENUM per sale dimension holding every value a cell can have, in text order (so ORDER BY
    and comparisons behave as on the text), and one for the payout bases. Returns, per column of
    `sales`, the SQL of its cleaned value: typed, and NULL where blank (sales_cells_sql makes it
    `Unattributed` once per cell), or already `Unattributed` where the column also holds that value
    as written: a blank and a written `Unattributed` must then be grouped into one cell.

    The cleaning rules (trim, canonical brand spelling) are checked on the distinct values of each
    column (type_sales): a clean column is cast as it is, and only a column with values to fix
    pays for its rule on every row. Cost pieces sit on sales cells, or on a post's brand, or on
    `Unattributed` (_build_post_weights).
    """
    rules = {column: CLEANING[column].format(col="value") for column in SALE_TEXT}
    counts = con.execute(f"""
        SELECT {", ".join(f"count(*) FILTER (WHERE is_{c} AND ({rules[c]}) IS DISTINCT FROM value)" for c in SALE_TEXT)},
               {", ".join(f"count(*) FILTER (WHERE is_{c} AND ({rules[c]}) = '{UNATTRIBUTED}')" for c in SALE_DIMENSIONS)}
        FROM sale_text_values WHERE value IS NOT NULL""").fetchone()
    dirty, written_unattributed = counts[: len(SALE_TEXT)], dict(zip(SALE_DIMENSIONS, counts[len(SALE_TEXT) :]))
    cleaned = {}
    for column, changes in zip(SALE_TEXT, dirty):
        value = CLEANING[column].format(col=column) if changes else column
        if column == "influencer_id":
            cleaned[column] = value
            continue
        con.execute(f"""CREATE TYPE {column}_value AS ENUM (
            SELECT DISTINCT value FROM (
                SELECT {rules[column]} AS value FROM sale_text_values WHERE is_{column}
                {"UNION ALL SELECT brand FROM posts" if column == "brand" else ""}
                UNION ALL SELECT '{UNATTRIBUTED}')
            WHERE value IS NOT NULL ORDER BY value)""")
        typed = f"CAST({value} AS {column}_value)"
        filled = f"COALESCE({typed}, '{UNATTRIBUTED}'::{column}_value)"
        cleaned[column] = filled if written_unattributed[column] else typed
    con.execute(f"CREATE TYPE basis_value AS ENUM ({', '.join(repr(label) for label in SPEND_LABELS)})")
    return cleaned


def build_sale_values(con):
    """Every brand, campaign and product of the facts: what the filter bar offers, without a scan."""
    con.execute("""CREATE TABLE sale_values AS
        SELECT DISTINCT 'brand' AS dimension, brand::VARCHAR AS value FROM facts_day_brand
        UNION SELECT DISTINCT 'campaign', campaign::VARCHAR FROM facts_day_campaign
        UNION SELECT DISTINCT 'product', product::VARCHAR FROM facts_day_product
        ORDER BY 1, 2""")


def _allocate_costs(con):
    """Where each cost component goes: the first thing it can follow (see preferences) among the
    influencer's orders, revenue and posts.

    Cost that follows orders or revenue is a rate per order or per rupee of the influencer's sales
    (`spend_rates`): each sales cell's spend is its orders and revenue times those rates, computed
    where the cell is written, so such cost needs no rows of its own. Cost that follows posts, or
    has nothing to follow, is cut into pieces on cells of their own (`spend_pieces`).
    """
    con.execute("""
        CREATE TEMP TABLE preferences AS SELECT * FROM (VALUES
            ('fixed', 'posts', 1), ('fixed', 'revenue', 2), ('fixed', 'orders', 3),
            ('orders', 'orders', 1), ('orders', 'revenue', 2), ('orders', 'posts', 3),
            ('revenue', 'revenue', 1), ('revenue', 'orders', 2), ('revenue', 'posts', 3)
        ) AS t(kind, basis, priority)""")
    # Net revenue is a sum of rupee amounts in floating point: sales and refunds that cancel leave a
    # residue (₹0.10 + ₹0.20 − ₹0.30 = 5.6e-17), and cost divided by a residue lands on cells worth ₹0.
    # Below half a paisa it is no revenue to follow (docs/metrics.md, "Fallbacks").
    _cover_sales(con)
    con.execute("""
        CREATE TEMP TABLE chosen AS
        WITH available AS (
            SELECT influencer_id, span, 'orders' AS basis FROM covered_sales WHERE orders > 0
            UNION ALL SELECT influencer_id, span, 'revenue' FROM covered_sales WHERE round(revenue, 2) > 0
            UNION ALL SELECT DISTINCT influencer_id, span, 'posts' FROM posts JOIN cost_components USING (influencer_id))
        SELECT c.influencer_id, c.span, c.kind, arg_min(p.basis, p.priority) AS basis
        FROM (SELECT DISTINCT influencer_id, span, kind FROM cost_components) c
        JOIN preferences p USING (kind)
        JOIN available ON available.influencer_id = c.influencer_id AND available.span = c.span
             AND available.basis = p.basis
        GROUP BY ALL""")
    con.execute("""
        CREATE TABLE spend_rates AS
        SELECT i.influencer_key, c.label::basis_value AS basis,
               COALESCE(sum(c.amount / t.orders) FILTER (WHERE chosen.basis = 'orders'), 0) AS per_order,
               COALESCE(sum(c.amount / t.revenue) FILTER (WHERE chosen.basis = 'revenue'), 0) AS per_revenue,
               c.first_date, c.last_date
        FROM cost_components c JOIN chosen USING (influencer_id, span, kind) JOIN covered_sales t USING (influencer_id, span)
        JOIN influencers i USING (influencer_id)
        WHERE chosen.basis IN ('orders', 'revenue')
        GROUP BY ALL ORDER BY ALL""")
    _build_post_weights(con)
    typed_dimensions = ", ".join(f"c.{column}::{column}_value AS {column}" for column in SALE_DIMENSIONS[:3])
    con.execute(f"""
        CREATE TABLE spend_pieces AS
        WITH pieces AS (
            SELECT w.influencer_id, w.date, w.brand, w.campaign, w.product, c.label, c.amount * w.weight AS amount
            FROM cost_components c
            JOIN chosen USING (influencer_id, span, kind)
            JOIN post_weights w USING (influencer_id, span)
            WHERE chosen.basis = 'posts'
            UNION ALL
            -- nothing to follow: one undated, unattributed cell keeps the cost in every total
            SELECT c.influencer_id, NULL, '{UNATTRIBUTED}', '{UNATTRIBUTED}', '{UNATTRIBUTED}', c.label, c.amount
            FROM cost_components c ANTI JOIN chosen USING (influencer_id, span, kind)
        )
        SELECT i.influencer_key, c.date, {typed_dimensions}, c.label::basis_value AS basis, c.amount AS spend
        FROM pieces c JOIN influencers i USING (influencer_id)""")


# The sales cells within each payout's covered dates (`spans`, k; sales cells, c): the sales a cost
# component with span > 0 follows, by its rates and, for a post fee, by its sales mix.
SPAN_CELLS = """spans k JOIN sales_cells c
    ON c.influencer_id = k.influencer_id AND c.date BETWEEN k.first_date AND k.last_date"""


def _cover_sales(con):
    """`covered_sales`: the orders and revenue (₹) each creator's cost components may follow: every sale
    (span 0: sales_by_influencer), or the sales dated within a payout's covered dates (span > 0: a
    payout row with a total paid before sales were appended, _PayoutTerms.covered_dates; `spans`
    holds those dates per influencer_id and span)."""
    con.execute("""CREATE TEMP TABLE spans AS
                   SELECT DISTINCT influencer_id, span, first_date, last_date FROM cost_components WHERE span > 0""")
    con.execute(f"""
        CREATE TEMP TABLE covered_sales AS
        SELECT influencer_id, 0 AS span, orders, revenue FROM sales_by_influencer
        UNION ALL
        SELECT k.influencer_id, k.span, sum(c.orders) AS orders, sum(c.revenue) AS revenue
        FROM {SPAN_CELLS} GROUP BY ALL""")


def _build_post_weights(con):
    """How an influencer's cost that follows posts spreads over cells, summing to 1 per influencer
    and span (_cover_sales): `post_weights` (influencer_id, span, date, brand, campaign, product, weight).

    Each post gets an equal share, on the post's date and brand, spread over the sales mix of the
    sales its cost covers for what the post does not name: every sale of the influencer (span 0),
    or those within a payout's covered dates (span > 0), so that a fee paid before sales were
    appended is not split over the campaigns and products only the appended sales have.
    """
    # The sales mix over brand × campaign × product (share of gross revenue, before refunds, so that
    # a cell of refunds never carries a negative share of fixed cost; orders where there is no revenue).
    con.execute(f"""
        CREATE TEMP TABLE mix AS
        WITH cells AS (SELECT influencer_id, 0 AS span, brand, campaign, product, sum(revenue + refunds) AS sold,
                              sum(orders) AS orders
                       FROM sales_cells GROUP BY ALL
                       UNION ALL
                       SELECT k.influencer_id, k.span, c.brand, c.campaign, c.product,
                              sum(c.revenue + c.refunds), sum(c.orders)
                       FROM {SPAN_CELLS} GROUP BY ALL),
             totals AS (SELECT influencer_id, span, sum(sold) AS sold, sum(orders) AS orders FROM cells GROUP BY ALL)
        SELECT * FROM (
            SELECT c.influencer_id, span, brand, campaign, product,
                   CASE WHEN t.sold > 0 THEN c.sold / t.sold ELSE c.orders / t.orders END AS share
            FROM cells c JOIN totals t USING (influencer_id, span)
            WHERE t.sold > 0 OR t.orders <> 0)
        WHERE share <> 0""")
    con.execute("""
        CREATE TEMP TABLE mix_within_brand AS
        SELECT influencer_id, span, brand, campaign, product,
               share / sum(share) OVER (PARTITION BY influencer_id, span, brand) AS share
        FROM mix""")
    con.execute("""
        CREATE TEMP TABLE mix_any_brand AS
        SELECT influencer_id, span, campaign, product, sum(share) AS share FROM mix GROUP BY ALL""")
    _create_post_shares(con)
    con.execute("""
        CREATE TEMP TABLE post_mix AS
        SELECT p.influencer_id, k.span, p.date, p.brand::brand_value AS brand, p.share,
               EXISTS (SELECT 1 FROM mix m WHERE m.influencer_id = p.influencer_id AND m.span = k.span) AS has_mix,
               EXISTS (SELECT 1 FROM mix m WHERE m.influencer_id = p.influencer_id AND m.span = k.span
                                                 AND m.brand = p.brand) AS brand_sold
        FROM post_shares p
        JOIN (SELECT DISTINCT influencer_id, 0 AS span FROM post_shares UNION ALL SELECT influencer_id, span FROM spans) k
             USING (influencer_id)""")
    con.execute(f"""
        CREATE TEMP TABLE post_weights AS
        -- a post naming a brand the influencer sold: that brand's campaign × product mix
        SELECT p.influencer_id, p.span, p.date, p.brand, m.campaign, m.product, p.share * m.share AS weight
        FROM post_mix p JOIN mix_within_brand m
             ON m.influencer_id = p.influencer_id AND m.span = p.span AND m.brand = p.brand
        WHERE p.brand_sold
        UNION ALL
        -- a post naming a brand the influencer did not sell: its brand, the overall campaign × product mix
        SELECT p.influencer_id, p.span, p.date, p.brand, m.campaign, m.product, p.share * m.share
        FROM post_mix p JOIN mix_any_brand m USING (influencer_id, span)
        WHERE p.brand IS NOT NULL AND NOT p.brand_sold AND p.has_mix
        UNION ALL
        -- a post naming no brand: the full sales mix
        SELECT p.influencer_id, p.span, p.date, m.brand, m.campaign, m.product, p.share * m.share
        FROM post_mix p JOIN mix m USING (influencer_id, span)
        WHERE p.brand IS NULL AND p.has_mix
        UNION ALL
        -- an influencer with no sales (in the span): the post's own date and brand
        SELECT p.influencer_id, p.span, p.date, COALESCE(p.brand, '{UNATTRIBUTED}'::brand_value),
               '{UNATTRIBUTED}'::campaign_value, '{UNATTRIBUTED}'::product_value, p.share
        FROM post_mix p WHERE NOT p.has_mix""")
