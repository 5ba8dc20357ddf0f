"""Where sales come from: the optional region of a sale (a tracking_data `region`/`state` column, a
store export's shipping province or state), read as an Indian state or union territory
(warehouse/regions.py) and kept beside the facts, never in them (the facts' grain stays as it is).

Table (present after every import; empty when the sales carry no region):
- sales_regions: influencer_key, date, brand (brand_value), region (the state or union territory,
  or the name as written when unmatched; NULL for sales without a region), matched (BOOLEAN; NULL
  without a region), orders, revenue (₹, net of refunds); sorted by date.

With the Spark engine the sales rows stay on Spark: it groups them by REGION_CELLS_SQL into
`sale_region_cells` (engines/spark.py), which the rules below read in place of `sales`; a cell
carries its rows and its first line, so warnings and the table are the same as DuckDB's.
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
# The sales grouped as far as the rules below need: influencer id (trimmed, as the join does), date,
# brand and region as written, with their rows, orders, revenue and first line (`{line}`: SQL of a
# row's line in its file, from `sales` s and, where `{join}` adds it, the staged file t).
REGION_CELLS_SQL = """
    SELECT trim(s.influencer_id) AS influencer_id, s.date, s.brand, s.region, count(*) AS rows,
           sum(s.orders) AS orders, sum(s.revenue) AS revenue, min({line}) AS line
    FROM sales s {join}
    GROUP BY trim(s.influencer_id), s.date, s.brand, s.region"""


def has_region(source: SourceFile | None) -> TypeGuard[SourceFile]:
    """Whether the staged sales carry a region column."""
    return source is not None and "region" in source.columns


def _sales(cells: bool) -> tuple[str, str]:
    """The relation of sales the rules read (`sales`, or Spark's `sale_region_cells`) and the SQL of
    a row's count of sales rows."""
    return ("sale_region_cells", "s.rows") if cells else ("sales", "1")


def _create_region_map(connection, cells: bool = False) -> None:
    """`sale_region_map`: each distinct region as written -> region (module doc) and matched."""
    regions.create_region_names(connection)
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE sale_region_map AS
            WITH written AS (SELECT DISTINCT region AS raw FROM {_sales(cells)[0]} WHERE {regions.SHOWN_SQL.format(col="region")}
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
    first row, column, value, with its rows and revenue). on_spark: the sales are Spark's
    `sale_region_cells` (module doc)."""
    if not has_region(tracking):
        return
    _create_region_map(connection, on_spark)
    relation, count = _sales(on_spark)
    rows = connection.execute(
        f"""SELECT m.raw, sum({count})::BIGINT, sum(s.revenue), count(*) OVER () FROM {relation} s
               JOIN sale_region_map m ON m.raw = s.region WHERE NOT m.matched GROUP BY 1 ORDER BY 3 DESC NULLS LAST, 1"""
    ).fetchall()
    store = tracking.table == "store_sales"  # rows of line items, not of the export: no line to name
    first_line = (
        f"min({line_of(tracking)}) FROM {tracking.table}" if not on_spark else "min(line) FROM sale_region_cells"
    )
    for raw, count, revenue, _total in rows[:MAX_SHOWN]:
        line = None
        if not store:
            (line,) = connection.execute(f"SELECT {first_line} WHERE region = ?", [raw]).fetchone()
        shown = f"{UNMATCHED_REASON} ({fmt.count(count)} {'row' if count == 1 else 'rows'}, {fmt.inr(revenue)})"
        warnings.add(Problem(tracking.path.name, None if line is None else int(line), "region", raw, shown), 0)
    if rows:
        warnings.total += rows[0][3]


def build_sales_regions(connection, tracking: SourceFile | None, on_spark: bool = False) -> None:
    """Create `sales_regions` (module doc) after build.build_facts (it needs the brand type and keys).
    on_spark: the sales are Spark's `sale_region_cells` (module doc)."""
    connection.execute(
        """CREATE TABLE sales_regions (influencer_key INTEGER, date DATE, brand brand_value, region VARCHAR,
                                       matched BOOLEAN, orders BIGINT, revenue DOUBLE)"""
    )
    if not has_region(tracking):
        return
    (mapped,) = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'sale_region_map'"
    ).fetchone()
    if not mapped:  # warn_unmatched made it unless the import skipped the warnings
        _create_region_map(connection, on_spark)
    relation = _sales(on_spark)[0]
    brand = build.CLEANING["brand"].format(col="s.brand")
    connection.execute(
        f"""INSERT INTO sales_regions
            SELECT i.influencer_key, s.date,
                   COALESCE(CAST({brand} AS brand_value), '{build.UNATTRIBUTED}'::brand_value) AS brand,
                   m.region, m.matched, sum(s.orders)::BIGINT, sum(s.revenue)
            FROM {relation} s JOIN influencers i ON i.influencer_id = trim(s.influencer_id)
            LEFT JOIN sale_region_map m ON m.raw = s.region
            GROUP BY ALL ORDER BY 2, 1"""
    )
