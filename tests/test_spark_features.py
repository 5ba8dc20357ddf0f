"""The Spark engine's inputs beyond a tracking_data file (issue 16 part B), against the DuckDB engine:
sales regions, store order exports with their code map, and sales given by URI. Each test compares
whole imports (every warehouse table, the warnings) or the refusals (file, row, column, value).

The module's SparkSession is test_spark_engine's fixture (local[2], small file splits).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

pytest.importorskip("pyspark", reason="the spark extra: pip install '.[spark]'")

from spark_equality import differences  # noqa: E402
from test_spark_engine import (  # noqa: E402, F401
    SPARK,
    assert_same_build,
    monkeypatch_module,
    outcome,
    spark,
    validate_outcome,
)

from cli import folder_argument  # noqa: E402
from warehouse.sample import generate_sample  # noqa: E402

# The module-scoped session of test_spark_engine, imported above, started once for the module.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark"), pytest.mark.usefixtures("spark")]
FIXTURES = Path(__file__).parent / "fixtures"


def rows_of(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def region_warnings(outcome) -> list[str]:
    return [w for w in outcome[1] if "column region" in w]


def test_sales_regions_build_the_same_warehouse(tmp_path):
    """tests/fixtures/regions (a state per sale: matched, spelt as an abbreviation, unknown, blank)
    gives the same `sales_regions` and the same unmatched-region warning, naming its line."""
    duck = assert_same_build(FIXTURES / "regions", tmp_path)
    assert duck[0] == "imported"
    assert any("row 5, column region" in w and "Narnia" in w for w in region_warnings(duck)), duck[1]
    by_region = dict(
        rows_of(
            tmp_path / "spark" / "wh.duckdb", "SELECT COALESCE(region, '-'), sum(orders) FROM sales_regions GROUP BY 1"
        )
    )
    assert by_region["Maharashtra"] == 3 and by_region["Narnia"] == 1


def test_region_warnings_name_the_same_lines_in_a_repaired_file(tmp_path):
    """A sales file csvfile repairs (blank rows, Excel's short rows: its rows carry their line) names
    an unmatched region on the same line with both engines."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "regions", folder)
    tracking = folder / "tracking_data.csv"
    header, *rows = tracking.read_text(encoding="utf-8").splitlines()
    rows.insert(2, "")
    rows.insert(2, ",,,,,,,,,,")
    tracking.write_text(
        "\n".join([header, *rows, "T9,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-01-08,1,500,Atlantis"]) + "\n"
    )
    duck = validate_outcome(folder, None)
    assert duck[0] == "valid"
    warned = region_warnings(duck)
    assert any("row 7, column region" in w and "Narnia" in w for w in warned), warned
    assert any("row 12, column region" in w and "Atlantis" in w for w in warned), warned
    assert validate_outcome(folder, SPARK) == duck


def shopify_with_provinces(folder: Path) -> Path:
    """tests/fixtures/store_shopify with a `Shipping Province Name` column (one order's province
    unknown), so that the store path's regions are compared too."""
    shutil.copytree(FIXTURES / "store_shopify", folder)
    export = folder / "orders_export_1.csv"
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    provinces = ["Karnataka", "MH", "Gondor", "Delhi"]
    rows[0].append("Shipping Province Name")
    for i, row in enumerate(rows[1:]):
        row.append(provinces[i % len(provinces)])
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def test_store_export_builds_the_same_warehouse(tmp_path):
    """A Shopify export and its code map: read and attributed by DuckDB with either engine, the
    attributed sales then typed, grouped and given cohorts on Spark; every table the same, the store
    mapping report (dataset_info) and the warnings too."""
    folder = shopify_with_provinces(tmp_path / "store")
    duck = assert_same_build(folder, tmp_path)
    assert duck[0] == "imported"
    assert any("Gondor" in w for w in region_warnings(duck)), duck[1]
    (orders,) = rows_of(tmp_path / "spark" / "wh.duckdb", "SELECT sum(orders) FROM facts")[0]
    assert orders > 0


def test_store_export_refusals_are_the_same(tmp_path):
    """A store export with a bad total is refused naming the same line and column with either engine."""
    folder = tmp_path / "store"
    shutil.copytree(FIXTURES / "store_shopify", folder)
    export = folder / "orders_export_1.csv"
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][rows[0].index("Total")] = "12abc"
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    duck = validate_outcome(folder, None)
    assert duck[0] == "refused" and any("12abc" in p for p in duck[1]), duck
    assert validate_outcome(folder, SPARK) == duck


def test_folder_given_as_a_uri_builds_the_same_warehouse(tmp_path):
    """`file://…` (Hadoop's FileSystem, as for s3a:// or gs://): the small files are copied, the
    sales file read by Spark where it is; the same warehouse as the DuckDB engine's local import."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "traps", folder)
    duck = outcome(folder, tmp_path / "duckdb" / "wh.duckdb", None)
    sparked = outcome(folder.as_uri(), tmp_path / "spark" / "wh.duckdb", SPARK)
    assert duck[0] == "imported" and sparked == duck
    assert differences(tmp_path / "duckdb" / "wh.duckdb", tmp_path / "spark" / "wh.duckdb") == []


def split_into_parts(single: Path, parts: int) -> Path:
    """A Parquet file rewritten as a folder of the same name holding `parts` files (as Spark writes)."""
    folder = single.with_name(single.name + ".parts")
    folder.mkdir()
    con = duckdb.connect()
    (rows,) = con.execute("SELECT count(*) FROM read_parquet(?)", [str(single)]).fetchone()
    size = -(-rows // parts)
    for i in range(parts):
        target = str(folder / f"part-{i:05d}.parquet").replace("'", "''")
        con.execute(
            f"COPY (SELECT * FROM read_parquet(?) LIMIT {size} OFFSET {i * size}) TO '{target}' (FORMAT parquet)",
            [str(single)],
        )
    con.close()
    single.unlink()
    folder.rename(single)
    return single


def test_parquet_folder_names_the_same_rows_as_one_file(tmp_path):
    """Sales as a folder of Parquet parts (given by URI): rows are numbered across the parts in name
    order, so bad values deep in the third part are named on the rows DuckDB names in one file."""
    folder = tmp_path / "data"
    generate_sample(folder, orders=1_500, seed=3, fmt="parquet")
    shutil.rmtree(folder / "truth")
    single = folder / "tracking_data.parquet"
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT * REPLACE (CASE WHEN row_number() OVER () = 1201 THEN '2025-13-01' ELSE date::VARCHAR END AS date,
                                    CASE WHEN row_number() OVER () = 1333 THEN '12abc' ELSE revenue::VARCHAR END
                                    AS revenue)
                  FROM read_parquet('{single}')) TO '{single}.tmp' (FORMAT parquet)"""
    )
    con.close()
    Path(f"{single}.tmp").replace(single)
    duck = validate_outcome(folder, None)
    assert duck[0] == "refused" and any("12abc" in p for p in duck[1]) and any("2025-13-01" in p for p in duck[1])
    split_into_parts(single, 3)
    assert validate_outcome(folder.as_uri(), SPARK) == duck


def test_local_parquet_folder_builds_the_same_warehouse(tmp_path):
    """A local data set whose sales are a folder of Parquet parts builds the warehouse the DuckDB
    engine builds from the same rows in one file."""
    folder = tmp_path / "data"
    generate_sample(folder, orders=1_000, seed=5, fmt="parquet")
    shutil.rmtree(folder / "truth")
    duck = outcome(folder, tmp_path / "duckdb" / "wh.duckdb", None)
    split_into_parts(folder / "tracking_data.parquet", 2)
    assert outcome(folder, tmp_path / "spark" / "wh.duckdb", SPARK) == duck
    assert differences(tmp_path / "duckdb" / "wh.duckdb", tmp_path / "spark" / "wh.duckdb") == []


@pytest.mark.parametrize(
    ("uri", "connector"),
    [("s3a://hk-orders/2026/", "hadoop-aws"), ("gs://hk-orders/2026/", "gcs-connector")],
)
def test_object_store_without_its_connector_is_refused_naming_both(tmp_path, uri, connector):
    """No connector jar on Spark's classpath: refused before anything is read, naming the path and the
    jar to add (nothing is downloaded)."""
    refused = outcome(uri, tmp_path / "wh.duckdb", SPARK)
    assert refused[0] == "refused" and len(refused[1]) == 1
    assert refused[1][0].startswith(uri) and connector in refused[1][0]
    assert not (tmp_path / "wh.duckdb").exists()


def test_uri_needs_the_spark_engine(tmp_path):
    refused = outcome("file:///nowhere/data", tmp_path / "wh.duckdb", None)
    assert refused[0] == "refused" and "--engine spark" in refused[1][0]


def test_command_line_keeps_a_uri_as_written():
    assert folder_argument("s3a://bucket/x/") == "s3a://bucket/x/"
    assert folder_argument("data/x") == Path("data/x")


def test_sales_needing_repair_are_refused_where_they_are(tmp_path):
    """A cp1252 sales file given by URI: csvfile's repair would read it all on this machine, so it is
    refused naming the file and what to do; from a local folder the same file imports."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "traps", folder)
    tracking = folder / "tracking_data.csv"
    tracking.write_bytes(tracking.read_bytes().replace(b"Whey", "Whey Café".encode("cp1252"), 1))
    refused = validate_outcome(folder.as_uri(), SPARK)
    assert refused[0] == "refused" and len(refused[1]) == 1
    assert refused[1][0].startswith("tracking_data.csv:") and "convert it to Parquet" in refused[1][0]
    assert validate_outcome(folder, SPARK)[0] == "valid"


def test_an_appends_warnings_name_each_file_as_on_duckdb(tmp_path):
    """tests/fixtures/append_same_name: "ap2" appended to "sample", both with a tracking_data.csv,
    posts.csv and payouts.csv holding rows of an unknown creator (and guest buyers in ap2's sales):
    on Spark, whose sales rows are numbered and counted there, the warnings name each file by its
    folder with its own count, as on DuckDB (whose lines test_history checks by hand); the warehouse
    is the same."""
    from test_history import SAME_NAME, SAME_NAME_WARNINGS

    from warehouse.importer import import_dataset

    outcomes = []
    for engine, db in ((None, tmp_path / "duckdb" / "wh.duckdb"), (SPARK, tmp_path / "spark" / "wh.duckdb")):
        import_dataset(SAME_NAME / "sample", db)
        report = import_dataset(SAME_NAME / "ap2", db, append=True, engine=engine)
        outcomes.append([str(w) for w in report.warnings])
    assert outcomes[1] == outcomes[0]
    assert [line for line in outcomes[1] if "user_id" in line or "influencer_id" in line] == SAME_NAME_WARNINGS
    assert differences(tmp_path / "duckdb" / "wh.duckdb", tmp_path / "spark" / "wh.duckdb") == []
