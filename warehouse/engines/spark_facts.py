"""Cost allocation, `facts` and its rollups on Spark (issue 16), loaded into the DuckDB warehouse.

The Spark side runs build.build_fact_tables, the DuckDB engine's own SQL, through a
SparkConnection (engines/spark_sql.py translates it): the cost rules exist once. Around it:

- DuckDB keys the influencers and creates the dimension types (build.prepare_facts), as its own
  build does; the influencers' keys, the posts' dates and brands and the cost components (one row
  per influencer, post or payout part: small) are handed to Spark as DataFrames;
- Spark groups its sales rows into cells with build.sales_cells_sql and DuckDB's cleaning SQL per
  column (casts to the ENUM types are text on Spark), then allocates cost and builds the tables;
- each table the build creates without TEMP (the warehouse's: `spend_rates`, `spend_pieces`,
  `facts`, the rollups) is written as Parquet in the import's scratch folder and loaded into the
  DuckDB warehouse file, its text columns cast to their ENUM types and its rows in the order its
  CREATE statement asks for (Spark skips that ORDER BY: its tables have no order to keep). The
  dashboard then reads DuckDB tables exactly as after a DuckDB import, and the import's atomic
  swap (importer.py) is unchanged.
"""

from __future__ import annotations

from pathlib import Path

from sqlglot import exp, parse_one

from warehouse import build
from warehouse.engines.spark import SparkConnection
from warehouse.values import guest_user_sql

# What build_fact_tables reads of DuckDB's small tables (columns, as DuckDB SQL). `rowid` is the
# posts' file order, by which post_shares ranks them.
HANDED_OVER = {
    "influencers": "SELECT influencer_key, influencer_id FROM influencers",
    "posts": "SELECT rowid, influencer_id, date, brand FROM posts",
    "cost_components": "SELECT influencer_id, label, kind, amount FROM cost_components",
}


class _RecordingConnection:
    """A SparkConnection for build.build_fact_tables that notes every table it creates and, for the
    warehouse's (created without TEMP), the ORDER BY of its query, which it leaves to DuckDB."""

    def __init__(self, con: SparkConnection):
        self.con = con
        self.created: list[str] = []
        self.warehouse: dict[str, str] = {}  # table -> its ORDER BY clause (DuckDB SQL) or ""

    def execute(self, sql: str, params=None):
        """SparkConnection.execute, recording CREATE statements (see the class)."""
        tree = parse_one(sql, read="duckdb")
        if isinstance(tree, exp.Create):
            name = tree.this.name
            self.created.append(name)
            properties = tree.args.get("properties")
            temporary = properties is not None and any(
                isinstance(p, exp.TemporaryProperty) for p in properties.expressions
            )
            if not temporary:
                order = tree.expression.args.get("order")
                self.warehouse[name] = order.sql(dialect="duckdb") if order is not None else ""
                if order is not None:
                    tree.expression.set("order", None)
                    sql = tree.sql(dialect="duckdb")
        return self.con.execute(sql, params)


def build_facts(con: SparkConnection, duck, scratch: Path) -> list[str]:
    """build.build_facts with the cells, cost allocation, `facts` and rollups computed on Spark from
    the sales rows it holds (`keyed_sales`, `first_orders`, `guest_ids`, `sales_by_influencer`:
    spark.type_sales and build.type_buyers run on `con`), loaded into DuckDB (`duck`) with the
    same columns, types and row order as the DuckDB engine's tables. Parquet goes through
    `scratch` (a folder both Spark and this process reach). Returns the warehouse tables loaded.

    Raises duckdb.Error if a value Spark wrote is not in its dimension's ENUM (as DuckDB's own
    build would fail its cast), and Spark's errors for a failed job."""
    dimension = build.prepare_facts(duck)
    for table, query in HANDED_OVER.items():
        con.register(table, con.spark.createDataFrame(duck.sql(query).to_arrow_table()), persist=False)
    # guest_ids holds exactly the user ids guest_user_sql names (build.type_buyers): a subquery in
    # an aggregate's FILTER, as build._create_sales_cells writes it, is DuckDB's, not Spark's.
    cells = build.sales_cells_sql(dimension, guest_user_sql("s.user_id"))
    con.execute(f"CREATE TEMP TABLE sales_cells AS {cells}")
    recording = _RecordingConnection(con)
    build.build_fact_tables(recording)
    for table, order in recording.warehouse.items():
        _load(duck, table, con.write_parquet(f"SELECT * FROM {table}", scratch / table), order)
    for table in ["sales_cells", *recording.created, "posts", "cost_components"]:
        con.drop(table)
    return list(recording.warehouse)


def _load(duck, table: str, files: str, order: str):
    """Create DuckDB's `table` from Spark's Parquet: text columns as their ENUM (`<column>_value`,
    build._create_dimension_types: every text column of a fact table is one), rows in `order`."""
    described = duck.execute("DESCRIBE SELECT * FROM read_parquet(?)", [files]).fetchall()
    columns = ", ".join(
        f"CAST({name} AS {name}_value) AS {name}" if sql_type == "VARCHAR" else name for name, sql_type, *_ in described
    )
    duck.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM read_parquet(?) {order}", [files])
