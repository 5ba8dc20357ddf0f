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

from test_spark_engine import SPARK, assert_same_build, monkeypatch_module, spark, validate_outcome  # noqa: E402, F401

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
