"""Where sales come from: the optional region of a sale (a tracking_data `region`/`state` column, a
store export's shipping province or state), read as an Indian state or union territory
(warehouse/regions.py) and kept beside the facts, never in them (the facts' grain stays as it is).

Table (present after every import; empty when the sales carry no region):
- sales_regions: influencer_key, date, brand (brand_value), region (the state or union territory,
  or the name as written when unmatched; NULL for sales without a region), matched (BOOLEAN; NULL
  without a region), orders, revenue (₹, net of refunds); sorted by date.
"""

from __future__ import annotations

from typing import TypeGuard

from metrics import format as fmt
from warehouse import build, regions
from warehouse.errors import MAX_SHOWN, Problem
from warehouse.sources import SourceFile, line_of
from warehouse.validate import Findings

UNMATCHED_REASON = (
    "not a known Indian state, union territory or city (warehouse/regions.py): its sales are shown under "
    "this name as written, listed as unmatched"
)
SPARK_REASON = "the Spark engine does not read the sales' region: import with --engine duckdb to compare regions"


def has_region(source: SourceFile | None) -> TypeGuard[SourceFile]:
    """Whether the staged sales carry a region column."""
    return source is not None and "region" in source.columns


def _create_region_map(connection) -> None:
    """`sale_region_map`: each distinct region as written -> region (module doc) and matched."""
    regions.create_region_names(connection)
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE sale_region_map AS
            WITH written AS (SELECT DISTINCT region AS raw FROM sales WHERE {regions.SHOWN_SQL.format(col="region")}
                                                                         IS NOT NULL),
            read AS (SELECT raw, {regions.region_of_sql("raw")} AS canonical,
                            {regions.KEY_SQL.format(col="raw")} AS key, {regions.SHOWN_SQL.format(col="raw")} AS shown
                     FROM written)
            SELECT raw, COALESCE(canonical, min(shown) OVER (PARTITION BY key)) AS region,
                   canonical IS NOT NULL AS matched
            FROM read"""
    )


def warn_unmatched(connection, tracking: SourceFile | None, warnings: Findings, on_spark: bool = False) -> None:
    """After build.type_sales: one warning per region as written that names no known region (file,
    first row, column, value, with its rows and revenue); on Spark, one that regions are not read."""
    if not has_region(tracking):
        return
    if on_spark:
        warnings.add(Problem(tracking.path.name, None, "region", None, SPARK_REASON))
        return
    _create_region_map(connection)
    rows = connection.execute(
        """SELECT m.raw, count(*), sum(s.revenue), count(*) OVER () FROM sales s JOIN sale_region_map m
               ON m.raw = s.region WHERE NOT m.matched GROUP BY 1 ORDER BY 3 DESC NULLS LAST, 1"""
    ).fetchall()
    store = tracking.table == "store_sales"  # rows of line items, not of the export: no line to name
    for raw, count, revenue, _total in rows[:MAX_SHOWN]:
        line = None
        if not store:
            (line,) = connection.execute(
                f"SELECT min({line_of(tracking)}) FROM {tracking.table} WHERE region = ?", [raw]
            ).fetchone()
        shown = f"{UNMATCHED_REASON} ({fmt.count(count)} {'row' if count == 1 else 'rows'}, {fmt.inr(revenue)})"
        warnings.add(Problem(tracking.path.name, None if line is None else int(line), "region", raw, shown), 0)
    if rows:
        warnings.total += rows[0][3]


def build_sales_regions(connection, tracking: SourceFile | None, on_spark: bool = False) -> None:
    """Create `sales_regions` (module doc) after build.build_facts (it needs the brand type and keys)."""
    connection.execute(
        """CREATE TABLE sales_regions (influencer_key INTEGER, date DATE, brand brand_value, region VARCHAR,
                                       matched BOOLEAN, orders BIGINT, revenue DOUBLE)"""
    )
    if not has_region(tracking) or on_spark:
        return
    (mapped,) = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'sale_region_map'"
    ).fetchone()
    if not mapped:  # warn_unmatched made it unless the import skipped the warnings
        _create_region_map(connection)
    brand = build.CLEANING["brand"].format(col="s.brand")
    connection.execute(
        f"""INSERT INTO sales_regions
            SELECT i.influencer_key, s.date,
                   COALESCE(CAST({brand} AS brand_value), '{build.UNATTRIBUTED}'::brand_value) AS brand,
                   m.region, m.matched, sum(s.orders)::BIGINT, sum(s.revenue)
            FROM sales s JOIN influencers i ON i.influencer_id = trim(s.influencer_id)
            LEFT JOIN sale_region_map m ON m.raw = s.region
            GROUP BY ALL ORDER BY 2, 1"""
    )
