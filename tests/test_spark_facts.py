"""Cost allocation, `facts` and the rollups on Spark (issue 16, engines/spark_facts.py): the DuckDB
engine's own SQL (build.build_fact_tables) run on Spark gives the same warehouse tables and the same
`summary --json` as the DuckDB engine.

The translation rules it needs are checked without a JVM; the builds share one local SparkSession
(local[2], 2 shuffle partitions, UI off). tests/test_spark_engine.py compares the traps fixture, the
peer sets (with `summary --json`), seed1 and the generated sets table by table (its Spark imports
build the facts on Spark as well); this module adds the regions fixture and checks that the fact
tables really were built on Spark.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sqlglot", reason="the spark extra: pip install '.[spark]'")

from warehouse.engines.spark_sql import to_spark  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_enum_casts_are_text_on_spark():
    """The build's ENUM types (build._create_dimension_types) become text; DuckDB types them on load."""
    sql = to_spark("SELECT c.label::basis_value AS basis, 'Unattributed'::source_value AS source FROM t c")
    assert sql == "SELECT CAST(c.label AS STRING) AS basis, CAST('Unattributed' AS STRING) AS source FROM t AS c"


def test_division_is_floating_point_as_in_duckdb():
    """DuckDB's `1.0 / n` is a DOUBLE; Spark's would be a DECIMAL(23,22) without the cast."""
    assert to_spark("SELECT 1.0 / count(*) FROM t") == "SELECT CAST(1.0 AS DOUBLE) / COUNT(*) FROM t"
    assert to_spark("SELECT a // 2 FROM t") == "SELECT a DIV 2 FROM t"


pyspark = pytest.importorskip("pyspark", reason="the spark extra: pip install '.[spark]'")

from spark_equality import differences, same_value  # noqa: E402

from warehouse import build  # noqa: E402
from warehouse.engines import spark as spark_engine  # noqa: E402
from warehouse.engines import spark_facts  # noqa: E402
from warehouse.importer import Engine, import_dataset  # noqa: E402

SPARK = Engine("spark", "local[2]")


@pytest.fixture(scope="module")
def spark():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HKDASH_SPARK_SHUFFLE_PARTITIONS", "2")
        session = spark_engine.session("local[2]")
        yield session
        session.stop()


@pytest.fixture
def fact_builds(monkeypatch):
    """The connection classes build.build_fact_tables ran on, in order."""
    seen = []
    original = build.build_fact_tables

    def recorded(con):
        seen.append(type(con).__name__)
        return original(con)

    monkeypatch.setattr(build, "build_fact_tables", recorded)
    return seen


def summary_json(db: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(db), "summary", "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def assert_same_warehouse_and_summary(folder: Path, tmp_path: Path):
    duck_db, spark_db = tmp_path / "duckdb" / "wh.duckdb", tmp_path / "spark" / "wh.duckdb"
    import_dataset(folder, duck_db)
    import_dataset(folder, spark_db, engine=SPARK)
    assert differences(duck_db, spark_db) == []
    assert same_value(summary_json(duck_db), summary_json(spark_db))


@pytest.mark.slow
@pytest.mark.xdist_group("spark")
def test_regions_fixture_builds_facts_on_spark_identically(spark, tmp_path, fact_builds):
    """Every table and the summary equal, and the fact tables were built on Spark (the second
    import), not by DuckDB from handed-over cells. The traps fixture, the peer sets, seed1 and
    generated sets go through the same path in tests/test_spark_engine.py (each Spark import costs
    CI about a minute, so none is imported twice)."""
    assert_same_warehouse_and_summary(ROOT / "tests" / "fixtures" / "regions", tmp_path)
    assert fact_builds == ["DuckDBPyConnection", spark_facts._RecordingConnection.__name__]
