"""The Spark engine: the import's work on sales rows and on what grows with them runs on Apache
Spark, the small files in DuckDB.

What runs where (docs/scale.md):
- Spark: the sales (tracking) file, the one that grows with orders: reading it, the value rule and
  every row check (validate.check_values), typing (build.type_sales), buyers' first orders
  (build.type_buyers), the grouping of rows into sales cells (build.sales_cells_sql), cost
  allocation, `facts` and its rollups (build.build_fact_tables) and the customer cohorts
  (customer_tables). All of it is the DuckDB engine's own SQL, run through SparkConnection
  (spark_sql.to_spark translates it).
- DuckDB: the small files (influencers, posts, payouts, campaigns, organic sales), payout terms,
  the influencer keys and dimension types, lift and the dataset info, in the same file and with
  the same atomic swap as the DuckDB engine.

Spark hands DuckDB Parquet files: each sales text value with its sums (what the dimension types
and the payouts' checks read), the region cells, the cost tables, `facts` and its rollups, and the
customer cohorts. DuckDB hands Spark the small tables the cost allocation reads, as Parquet too."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from sqlglot import exp, parse_one

from warehouse import build, csvfile, customer_tables, region_tables
from warehouse.engines import spark_paths
from warehouse.engines.spark_sql import to_spark
from warehouse.errors import Problem
from warehouse.sources import COLUMNS, SourceFile, canonical_columns, select_columns
from warehouse.values import guest_user_sql, missing_sql, number_sql

DEFAULT_MASTER = "local[*]"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
# PySpark warns on every start that pandas 3 is "not fully supported": the engine hands Spark no
# pandas frames, and its tables equal the DuckDB engine's at 1M-50M orders (tests/test_spark_equality.py).
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
_CREATE = re.compile(r"^\s*CREATE\s", re.IGNORECASE)


def session(master: str | None = None):
    """A SparkSession for an import: `master` (default local[*]), UI off, ANSI casts off (spark_sql),
    UTC, shuffle partitions from HKDASH_SPARK_SHUFFLE_PARTITIONS (default: 2 × cores in local mode),
    adaptive execution off and the JIT's quick tier only (HKDASH_SPARK_JAVA_OPTIONS replaces it) in
    local mode.

    Raises ImportError without the `spark` extra (pip install '.[spark]'), and Spark's errors when
    no Java 17 is found."""
    from pyspark.sql import SparkSession

    master = master or DEFAULT_MASTER
    level = os.environ.get("HKDASH_SPARK_LOG_LEVEL", "FATAL")
    builder = (
        SparkSession.builder.master(master)
        .appName("hkdash import")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        .config("spark.driver.memory", os.environ.get("HKDASH_SPARK_DRIVER_MEMORY", "2g"))
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        cores = os.cpu_count() or 2
        builder = builder.config(
            "spark.sql.shuffle.partitions", os.environ.get("HKDASH_SPARK_SHUFFLE_PARTITIONS", str(2 * cores))
        )
        # Adaptive execution runs each shuffle stage as a job of its own and optimises the rest of
        # the plan again after each: on one machine's few partitions it has nothing to rebalance,
        # and the import's wide plans made that planning the cost (docs/benchmarks.md, Spark engine).
        builder = builder.config("spark.sql.adaptive.enabled", "false")
        # The driver runs the tasks too; an import's JVM lives minutes and spends them mostly in
        # Spark's planner and code generation, code the JIT's slow optimising tier compiles too
        # late to pay back: its quick tier only (C1) cut the JVM's CPU by a third at 50k orders.
        java_options = os.environ.get("HKDASH_SPARK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1")
    else:
        java_options = ""
        if "HKDASH_SPARK_SHUFFLE_PARTITIONS" in os.environ:
            builder = builder.config("spark.sql.shuffle.partitions", os.environ["HKDASH_SPARK_SHUFFLE_PARTITIONS"])
    # The driver JVM runs here in every mode (PySpark is client mode): its log is set from its start.
    log_options = f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()} -Dhkdash.spark.log.level={level}"
    builder = builder.config("spark.driver.extraJavaOptions", f"{java_options} {log_options}".strip())
    spark = builder.getOrCreate()
    # FATAL: Spark logs a wide file's generated code that outgrows the JVM's 64 KB method limit as
    # an ERROR with a 250-line trace, then runs it without code generation; a real failure raises
    # in Python with its message, so the log would only bury the user's own errors.
    spark.sparkContext.setLogLevel(level)
    return spark


class _Result:
    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return self.rows


class SparkConnection:
    """The part of a DuckDB connection the import's SQL uses, on a Spark session.

    execute(sql, params) takes DuckDB SQL: a query (rows are collected to the driver: only counts
    and examples are asked for), `CREATE [TEMP] TABLE|VIEW [IF NOT EXISTS] name AS query` (a
    temporary view; a table is checkpointed: computed now, kept in memory then disk) and
    `DELETE FROM name WHERE condition` (the view is replaced by the rows kept). close() leaves the
    session as found: no view of its own, no checkpoint."""

    def __init__(self, spark):
        self.spark = spark
        self._views: set[str] = set()
        self._checkpoints: list[tuple[str, object]] = []  # (view, frame), oldest first

    def execute(self, sql: str, params=None) -> _Result:
        """Run one DuckDB-dialect statement on Spark (see the class); rows as tuples."""
        tree = parse_one(sql, read="duckdb")
        if isinstance(tree, exp.Create):
            self._create(tree)
            return _Result([])
        if isinstance(tree, exp.Delete):
            self._delete(tree)
            return _Result([])
        frame = self.spark.sql(to_spark(sql), args=list(params) if params else None)
        return _Result([tuple(row) for row in frame.collect()])

    def _create(self, tree: exp.Create):
        kind = tree.args["kind"].upper()
        if kind not in ("TABLE", "VIEW"):
            raise NotImplementedError(f"CREATE {kind} on Spark")
        name = tree.this.name if isinstance(tree.this, exp.Table) else tree.this.this.name
        if tree.args.get("exists") and name in self._views:
            return
        frame = self.spark.sql(to_spark(_unsorted(tree.expression).sql(dialect="duckdb")))
        self.register(name, frame, persist=kind == "TABLE")

    def _delete(self, tree: exp.Delete):
        name = tree.this.name
        condition = tree.args["where"].this.sql(dialect="duckdb")
        kept = self.spark.sql(to_spark(f"SELECT * FROM {name} WHERE NOT COALESCE(({condition}), false)"))
        self.register(name, kept, persist=True)

    def register(self, name: str, frame, persist: bool):
        """Make `frame` the view `name`. With `persist` it is checkpointed first: computed now and
        kept (memory, then disk) without the plan that made it. Each table's plan would otherwise
        carry its whole lineage down to the files, and Spark analyses it again in every later
        query: after a few imports in one session, planning `SELECT * FROM facts` on 30 rows took
        24 s. Earlier versions stay kept (a view may still read them) until drop(name)."""
        from pyspark import StorageLevel

        if persist:
            frame = frame.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)
            self._checkpoints.append((name, frame))
        frame.createOrReplaceTempView(name)
        self._views.add(name)

    def drop(self, name: str):
        """Drop view `name` and release its kept versions, newest first (once nothing reads them)."""
        self.spark.catalog.dropTempView(name)
        self._views.discard(name)
        mine = [frame for view, frame in self._checkpoints if view == name]
        self._checkpoints = [(view, frame) for view, frame in self._checkpoints if view != name]
        for frame in reversed(mine):
            _release(frame)

    def read_once(self, source: SourceFile):
        """Compute each column's reading (validate: the value rule as decided for the column) once per
        row, into a column `__read_<column>` of the staged view, and point source.readings at it.

        DuckDB evaluates the rule's repeated sub-expressions once; Spark would evaluate the text
        in every check, with generated code beyond the JVM's 64 KB per method. A column whose every
        value is plain (_plain_columns) is read by the plain cast alone: the same values, from a
        plan a fraction as wide, which is what Spark's analysis and code generation cost."""
        if not source.readings:
            return
        plain = _plain_columns(self, source)
        readings = ", ".join(f"{plain.get(column, sql)} AS __read_{column}" for column, sql in source.readings.items())
        frame = self.spark.sql(to_spark(f"SELECT *, {readings} FROM {source.table}"))
        self.register(source.table, frame, persist=True)
        for column in list(source.readings):
            source.readings[column] = f"__read_{column}"

    def write_parquet(self, sql: str, folder: Path) -> str:
        """Run a DuckDB-dialect query on Spark and write its rows as Parquet files under `folder`;
        returns the glob DuckDB's read_parquet takes."""
        self.spark.sql(to_spark(sql)).write.mode("overwrite").parquet(str(folder))
        return str(folder / "*.parquet")

    def close(self):
        """Drop every view this connection made and release its checkpoints, newest first: a
        later table may be built on an earlier one, never the other way round."""
        for name in self._views:
            self.spark.catalog.dropTempView(name)
        self._views.clear()
        while self._checkpoints:
            _release(self._checkpoints.pop()[1])


def _unsorted(query: exp.Expression) -> exp.Expression:
    """A table's query without its outer ORDER BY (one without LIMIT). In DuckDB it is the order the
    rows are stored in, for its zone maps; a Spark view keeps no order, and sorting would cost a
    sampling job and a shuffle per table: DuckDB sorts what it loads from Spark (spark.FACT_ORDER,
    the cohorts)."""
    if query.args.get("order") is None or query.args.get("limit") is not None:
        return query
    unsorted = query.copy()
    unsorted.set("order", None)
    return unsorted


def _release(frame):
    """Free a checkpointed frame's blocks. PySpark has no call for it: a local checkpoint is the
    RDD under the frame's plan (a LogicalRDD), kept as a persisted RDD."""
    frame._jdf.queryExecution().logical().rdd().unpersist(False)


def _plain_reading(column: str, kind: str, reading: str) -> str | None:
    """The plain cast that gives `reading`'s value for every present value it reads, or None.

    The rule's first branch is that cast (values.number_sql, values.date_sql): a number read by
    TRY_CAST(… AS DOUBLE), a date by TRY_CAST(trim(…) AS DATE) with a year of 100 or more; a
    missing value reads NULL either way. A decimal-comma column has no such branch."""
    if kind in ("count", "money"):
        return f"TRY_CAST({column} AS DOUBLE)" if reading == number_sql(column) else None
    text = f"trim({column})"
    return f"CASE WHEN year(TRY_CAST({text} AS DATE)) >= 100 THEN TRY_CAST({text} AS DATE) END"


def _plain_columns(con: SparkConnection, source: SourceFile) -> dict[str, str]:
    """Columns of `source.readings` whose every value is missing or read by its plain cast
    (_plain_reading), with that cast: one narrow pass over the staged rows. Machine-written
    files are all plain; a file with `₹1,23,456` or `16-01-25` keeps the whole rule there."""
    kinds = COLUMNS[source.role]
    plain = {
        column: cast
        for column, reading in source.readings.items()
        if (cast := _plain_reading(column, kinds[column], reading)) is not None
    }
    if not plain:
        return {}
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE ({cast}) IS NULL AND NOT {missing_sql(c)})" for c, cast in plain.items())
        + f" FROM {source.table}"
    ).fetchone()
    return {column: cast for (column, cast), other in zip(plain.items(), counts) if other == 0}


def stage_tracking(con: SparkConnection, path: Path | spark_paths.SalesAt) -> tuple[SourceFile | None, list[Problem]]:
    """Stage the sales file as the Spark view `raw_tracking`: text columns named as in
    sources.COLUMNS, `rowid` (0, 1, … in file order) and, for a file read through csvfile's clean
    copy, its `source_line`. Same refusals, with the same messages, as sources.load. `path` may be
    a sales file or Parquet folder Spark reads where it is (spark_paths.SalesAt)."""
    name = path.name
    if path.stat().st_size == 0:
        return None, [Problem(name, None, None, None, "file is empty")]
    if path.suffix.lower() == ".parquet":
        header = list(con.spark.read.parquet(str(path)).columns)
        selected, ignored, problems = select_columns("tracking", name, header, 1)
        if problems:
            return None, problems
        frame = con.spark.read.parquet(str(path))
        columns = [frame[f"`{src}`"].cast("string").alias(canonical) for canonical, src in selected.items()]
        if getattr(path, "folder", False):  # spark_paths.SalesAt: a folder of Parquet parts
            return _finish(con, path, _numbered_parts(frame, columns), selected, ignored, 1, False, [])
        return _finish(con, path, _numbered(frame.select(*columns)), selected, ignored, 1, False, [])
    # A SalesAt is read as a Path is below: its first bytes by csvfile.sniff, its location by Spark.
    path = cast(Path, path)
    layout, sniffed = csvfile.sniff(path, lambda cells: len(canonical_columns("tracking", cells)))
    if layout is None:
        return None, sniffed
    if not any(h.strip() for h in layout.header):
        return None, [Problem(name, None, None, None, "file is empty (no header)")]
    selected, ignored, problems = select_columns("tracking", name, layout.header, layout.header_line)
    if problems:
        return None, problems
    if layout.direct and _reads_directly(con, path, layout):
        frame = _read_csv(con, path, layout.delimiter, len(layout.header))
        position = {canonical: layout.header.index(src) for canonical, src in selected.items()}
        frame = frame.select(*[frame[f"c{position[c]}"].alias(c) for c in selected])
        return _finish(con, path, _numbered(frame), selected, ignored, 2, False, [])
    if isinstance(path, spark_paths.SalesAt):  # repairing reads the whole file on this machine
        return None, [path.cannot_repair()]
    # Not UTF-8, ragged rows, line breaks inside cells: csvfile reads and repairs it (as for DuckDB).
    kinds = [COLUMNS["tracking"].get(_canonical_of(selected, h), "text") for h in layout.header]
    with csvfile.rewritten(path, layout, kinds) as copy:
        if copy.path is None:
            return None, copy.errors
        frame = _read_csv(con, copy.path, ",", len(copy.header) + 1)
        position = {canonical: copy.header.index(src) + 1 for canonical, src in selected.items()}
        frame = frame.select(
            frame["c0"].cast("bigint").alias(csvfile.LINE_COLUMN),
            *[frame[f"c{position[c]}"].alias(c) for c in selected],
        )
        staged = _finish(con, path, _numbered(frame), selected, ignored, 2, True, copy.warnings)
        if staged[0] is not None:
            _load(con, "raw_tracking")  # now: the clean copy it is read from is removed when this block ends
        return staged


def _canonical_of(selected: dict[str, str], header_cell: str) -> str:
    return next((canonical for canonical, src in selected.items() if src == header_cell), "")


def _finish(con, path, numbered, selected, ignored, first_line, line_column, warnings):
    """`numbered`: _numbered's frame and rows. Its rows come from the numbering's counts: a
    count(*) would be one more Spark job (registering checkpoints the rows)."""
    frame, rows = numbered
    con.register("raw_tracking", frame, persist=True)
    if rows == 0:
        note = " (the rows below it are blank)" if warnings else ""
        return None, [Problem(path.name, None, None, None, f"file has a header but no data rows{note}")]
    source = SourceFile("tracking", path, "raw_tracking", first_line, list(selected), ignored, rows, False, line_column)
    source.warnings.extend(warnings)
    return source, []


def _load(con: SparkConnection, view: str):
    """Read the checkpointed `view` whole (its every partition) before the files it was read from are
    removed: a checkpoint block missing then could not be computed again. Only for such files
    (a repaired file's clean copy): elsewhere it would be one Spark job more."""
    con.execute(f"SELECT count(*) FROM {view}")


def _read_csv(con, path: Path, delimiter: str, width: int):
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(f"c{i}", StringType()) for i in range(width)])
    return con.spark.read.csv(
        str(path), schema=schema, header=True, sep=delimiter, quote='"', escape='"', encoding="UTF-8", mode="PERMISSIVE"
    )


def _reads_directly(con, path: Path, layout: csvfile.Layout) -> bool:
    """Whether Spark's CSV reader takes the file as DuckDB's strict read would: every line a whole
    record of the header's width (no line breaks inside quotes, no short or long rows), valid
    UTF-8, no blank rows (csvfile drops and reports them). One pass over the lines as text;
    otherwise csvfile repairs or refuses the file."""
    from pyspark.sql import functions as F

    if len(layout.delimiter) != 1:
        return False
    delimiter = re.escape(layout.delimiter)
    # A delimiter outside quotes: an even number of quotes follows it on the line. The look-ahead
    # rescans the rest of the line at every delimiter, so it runs only on lines with a quote; on
    # the others (nearly all of a machine-written file) every delimiter is outside quotes.
    outside = f'{delimiter}(?=(?:[^"]*"[^"]*")*[^"]*$)'
    lines = con.spark.read.text(str(path))
    quotes = F.length("value") - F.length(F.regexp_replace("value", '"', ""))
    unquoted_cells = F.length("value") - F.length(F.replace("value", F.lit(layout.delimiter), F.lit(""))) + 1
    cells = F.when(F.col("value").contains('"'), F.size(F.split("value", outside))).otherwise(unquoted_cells)
    bad = (
        (cells != len(layout.header))
        | (quotes % 2 == 1)
        | F.col("value").contains("\ufffd")
        | F.col("value").rlike(f'^(?:\\s|"\\s*"|{delimiter})*$')
    )
    return lines.where(bad).limit(1).count() == 0


def _numbered(frame):
    """(The frame with `rowid`: 0, 1, … in file order; its rows). Spark numbers rows per partition
    (monotonically_increasing_id: partition << 33 | row); a single file's partitions follow the
    file (its splits are listed in order and sorted stably by size), so each partition's offset is
    the rows of the partitions before it."""
    from pyspark.sql import functions as F

    frame = frame.withColumn("_mid", F.monotonically_increasing_id())
    partition = (F.col("_mid") / F.lit(1 << 33)).cast("bigint")
    counts = sorted(frame.groupBy(partition.alias("p")).count().collect())
    offsets, total = [], 0
    for p, count in counts:
        offsets.append((p, total))
        total += count
    table = frame.sparkSession.createDataFrame(offsets or [(0, 0)], "p bigint, offset bigint")
    numbered = frame.join(F.broadcast(table), partition == table["p"])
    rowid = numbered["offset"] + numbered["_mid"] - numbered["p"] * F.lit(1 << 33)
    return numbered.select(*[c for c in frame.columns if c != "_mid"], rowid.alias("rowid")), total


def _numbered_parts(frame, columns):
    """The chosen columns of a folder's Parquet parts with `rowid` (0, 1, … over the parts in name
    order, each part's rows in file order: Parquet's row index), as if the parts were one file, and
    the number of rows (as _numbered)."""
    from pyspark.sql import functions as F

    parts = frame.select(
        *columns, F.col("_metadata.file_name").alias("_part"), F.col("_metadata.row_index").alias("_row")
    )
    offsets, total = [], 0
    for part, count in sorted(parts.groupBy("_part").count().collect()):
        offsets.append((part, total))
        total += count
    table = frame.sparkSession.createDataFrame(offsets or [("", 0)], "_part string, offset bigint")
    numbered = parts.join(F.broadcast(table), "_part")
    return numbered.select(
        *[c for c in parts.columns if c not in ("_part", "_row")], (F.col("offset") + F.col("_row")).alias("rowid")
    ), total


def type_sales(con: SparkConnection, duck, tracking: SourceFile, payouts: SourceFile, scratch: Path):
    """build.type_sales on Spark; its per-value totals (`sale_text_values`: one row per distinct
    value, small) are copied into DuckDB, which sums them per influencer (`sales_by_influencer`)."""
    build.type_sales(con, tracking, payouts)
    if region_tables.has_region(tracking):
        _region_cells(con, duck, tracking, scratch)
    files = con.write_parquet("SELECT * FROM sale_text_values", scratch / "sale_text_values")
    duck.execute("CREATE TEMP TABLE sale_text_values AS SELECT * FROM read_parquet(?)", [files])
    # Summed from the small per-value table in DuckDB: one Spark job less.
    duck.execute(build.SALES_BY_INFLUENCER)
    # Only now that nothing more reads the staged rows: `sales` is a checkpointed table of its own,
    # or, for a typed source (a store export's sales), a view of Parquet that is not checkpointed.
    con.drop(tracking.table)


def _region_cells(con: SparkConnection, duck, tracking: SourceFile, scratch: Path):
    """The sales grouped by region_tables.REGION_CELLS_SQL (one row per influencer, day, brand and
    region as written: small), copied into DuckDB as `sale_region_cells` for the region rules."""
    if tracking.line_column:  # a repaired file's line of each row is in the staged file
        line, join = f"t.{csvfile.LINE_COLUMN}", f"JOIN {tracking.table} t ON t.rowid = s.sale_no"
    else:
        line, join = f"s.sale_no + {tracking.first_line}", ""
    query = region_tables.REGION_CELLS_SQL.format(line=line, join=join)
    files = con.write_parquet(query, scratch / "sale_region_cells")
    duck.execute("CREATE TEMP TABLE sale_region_cells AS SELECT * FROM read_parquet(?)", [files])


def stage_store_sales(con: SparkConnection, duck, store_sales: SourceFile, scratch: Path) -> SourceFile:
    """A store export's attributed sales on Spark: the export's own parsing, checks and attribution
    stay on DuckDB (store_orders.stage: one pass over the export, its order-level rules need the
    whole order's line items together), and its result `store_sales` (a typed sales table, one row
    per line item) is handed to Spark as Parquet with its `rowid` (file order), for the same steps
    a tracking_data file takes there. DuckDB's copy is dropped. Returns the source, now Spark's."""
    folder = scratch / store_sales.table
    folder.mkdir()
    target = str(folder / "part-0.parquet").replace("'", "''")
    duck.execute(f"COPY (SELECT rowid, * FROM {store_sales.table} ORDER BY rowid) TO '{target}' (FORMAT parquet)")
    duck.execute(f"DROP TABLE {store_sales.table}")
    # Not checkpointed: the Parquet stays until the import ends, and `sales`, a view of it (typed
    # rows), must never read a released checkpoint once type_sales drops this view.
    con.register(store_sales.table, con.spark.read.parquet(str(folder)), persist=False)
    return store_sales


# What build.build_fact_tables reads besides `sales_cells`: small tables (one row per influencer,
# post or cost component) copied from DuckDB, with the columns its SQL uses.
FACT_INPUTS = {
    "influencers": "SELECT influencer_key, influencer_id FROM influencers",
    "posts": "SELECT rowid, influencer_id, date, brand FROM posts",
    "cost_components": "SELECT influencer_id, label, kind, amount, first_date, last_date, span FROM cost_components",
    "sales_by_influencer": "SELECT influencer_id, orders, revenue, rows FROM sales_by_influencer",
}
# How each table build.build_fact_tables makes is stored in DuckDB (as that SQL sorts it).
FACT_ORDER = {"spend_rates": "ALL", **build.ROLLUP_ORDER}


def build_facts(con: SparkConnection, duck, scratch: Path):
    """build.build_facts with its work on Spark: DuckDB keys the influencers and makes the dimension
    types (build.key_dimensions), Spark groups the sales cells (build.sales_cells_sql) and runs the
    cost allocation, `facts` and its rollups (build.build_fact_tables), which are written as Parquet
    and loaded into DuckDB (build.FACT_TABLES), each cast to DuckDB's types and sorted as there.

    On Spark the dimensions stay text (spark_sql: a cast to an ENUM keeps the text); loading casts
    them to the ENUMs, so a value the types lack fails the import rather than being lost."""
    dimension = build.key_dimensions(duck)
    for name, query in FACT_INPUTS.items():
        _copy_to_spark(con, duck, name, query, scratch)
    # guest_ids holds exactly the user ids guest_user_sql names (type_buyers): a subquery in an
    # aggregate's FILTER is DuckDB's, not Spark's.
    con.execute(f"CREATE TEMP TABLE sales_cells AS {build.sales_cells_sql(dimension, guest_user_sql('s.user_id'))}")
    build.build_fact_tables(con)
    for table in build.FACT_TABLES:
        _load_fact_table(con, duck, table, scratch)


def _copy_to_spark(con: SparkConnection, duck, name: str, query: str, scratch: Path):
    """DuckDB's rows of `query` as the Spark view `name`, through Parquet (types kept)."""
    folder = scratch / "to_spark" / name
    folder.mkdir(parents=True)
    target = str(folder / "part-0.parquet").replace("'", "''")
    duck.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet)")
    con.register(name, con.spark.read.parquet(str(folder)), persist=False)


def _load_fact_table(con: SparkConnection, duck, table: str, scratch: Path):
    """Spark's `table` as DuckDB's, its text dimensions cast to the ENUMs (build._create_dimension_types)."""
    files = con.write_parquet(f"SELECT * FROM {table}", scratch / table)
    enums = (*build.SALE_DIMENSIONS, "basis")
    columns = ", ".join(
        f"CAST({column} AS {column}_value) AS {column}" if column in enums else column
        for column in con.spark.table(table).columns
    )
    order = f" ORDER BY {FACT_ORDER[table]}" if table in FACT_ORDER else ""
    duck.execute(f"CREATE TABLE {table} AS SELECT {columns} FROM read_parquet(?){order}", [files])


def build_customer_tables(con: SparkConnection, duck, scratch: Path):
    """customer_tables.build_customer_tables on Spark (it reads every sale of each buyer), with the
    influencer keys build_facts copied there; the cohorts (one row per influencer and day) are
    loaded into DuckDB."""
    customer_tables.build_customer_tables(con)
    files = con.write_parquet("SELECT * FROM customer_cohorts", scratch / "customer_cohorts")
    duck.execute(
        "CREATE TABLE customer_cohorts AS SELECT * FROM read_parquet(?) ORDER BY influencer_key, date", [files]
    )


@contextlib.contextmanager
def spark_connection(master: str | None = None) -> Iterator[SparkConnection]:
    """A SparkConnection on a new session, stopped on exit (a local JVM never outlives the import);
    a session already running in this process (a test suite's, a notebook's) is used and left running."""
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    spark = running or session(master)
    con = SparkConnection(spark)
    try:
        yield con
    finally:
        con.close()
        if running is None:
            spark.stop()


def scratch(db_path_parent: Path | None) -> tempfile.TemporaryDirectory:
    """Where Spark writes its Parquet for DuckDB: beside the warehouse (same disk), removed after."""
    return tempfile.TemporaryDirectory(prefix=".hkdash-spark-", dir=db_path_parent)
