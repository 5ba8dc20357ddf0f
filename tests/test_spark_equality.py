"""The warehouse comparison the Spark equality tests and `bench.spark` rely on, on hand-made files:
the Python path and the DuckDB path (large tables) must agree on what is equal and what differs."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import spark_equality  # noqa: E402
from spark_equality import differences  # noqa: E402

ROWS = [("a", 1, 0.1 + 0.2), ("b", 2, 1.2345650000), ("c", 3, None), ("c", 3, None), ("d", 4, 0.0)]


def _warehouse(path: Path, rows) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE facts (creator VARCHAR, orders BIGINT, roas DOUBLE)")
    con.executemany("INSERT INTO facts VALUES (?, ?, ?)", rows)
    con.close()
    return path


@pytest.fixture(params=[10**6, 0], ids=["python", "duckdb"])
def python_rows(request):
    return request.param


def test_same_rows_in_another_order_with_summation_noise_are_equal(tmp_path, python_rows):
    # 0.30000000000000004 vs 0.3 and a double on the 6-digit rounding boundary (1.234565 vs a hair
    # above it): each lands in another hash on the DuckDB path and must be paired back.
    left = _warehouse(tmp_path / "l.duckdb", ROWS)
    noisy = [("d", 4, 0.0), ("c", 3, None), ("b", 2, 1.2345650000001), ("a", 1, 0.3), ("c", 3, None)]
    right = _warehouse(tmp_path / "r.duckdb", noisy)
    assert differences(left, right, python_rows=python_rows) == []


def test_a_changed_value_is_named_with_its_row(tmp_path, python_rows):
    left = _warehouse(tmp_path / "l.duckdb", ROWS)
    right = _warehouse(tmp_path / "r.duckdb", [*ROWS[:3], ("c", 4, None), ROWS[4]])
    assert differences(left, right, python_rows=python_rows) == ["facts: ('c', 3, None) != ('c', 4, None)"]


def test_a_missing_row_and_a_missing_table_are_reported(tmp_path, python_rows):
    left = _warehouse(tmp_path / "l.duckdb", ROWS)
    right = _warehouse(tmp_path / "r.duckdb", ROWS[:4])
    assert differences(left, right, python_rows=python_rows) == ["facts: 5 rows != 4"]
    con = duckdb.connect(str(right))
    con.execute("CREATE TABLE extra (x INTEGER)")
    con.close()
    assert differences(left, right, python_rows=python_rows)[0] == "tables differ: ['extra']"


def test_money_sums_in_another_order_hash_alike(tmp_path, monkeypatch):
    # The 50M benchmark's cohorts: 48451.25 against 48451.249999999985 (and a sum each side of a power
    # of ten) must not even need pairing: with nothing read back, any differing hash is reported.
    monkeypatch.setattr(spark_equality, "MAX_READ", 0)
    sums = [("a", 1, 48451.25), ("b", 2, 66049.55), ("c", 3, 1000.0), ("d", 4, 1234566.3)]
    noise = [
        ("a", 1, 48451.249999999985),
        ("b", 2, 66049.54999999999),
        ("c", 3, 999.9999999999999),
        ("d", 4, 1234566.3000000003),
    ]
    left, right = _warehouse(tmp_path / "l.duckdb", sums), _warehouse(tmp_path / "r.duckdb", noise)
    assert differences(left, right, python_rows=0) == []
    changed = _warehouse(tmp_path / "c.duckdb", [*noise[:3], ("d", 4, 1234566.31)])
    assert differences(left, changed, python_rows=0) == ["facts: 2 row hashes differ"]


def test_single_precision_draws_one_step_apart_are_equal(tmp_path, python_rows):
    # The 10M benchmark's lift_draws: 3562.057373046875 and 3562.05712890625 are adjacent float32
    # values (the same draw from sums that differ in the 13th digit); 3562.1 is not.
    def draws(path, value):
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE lift_draws (draw INTEGER, incremental_revenue FLOAT)")
        con.execute("INSERT INTO lift_draws VALUES (14, ?), (15, 10.5)", [value])
        con.close()
        return path

    left = draws(tmp_path / "l.duckdb", 3562.057373046875)
    assert differences(left, draws(tmp_path / "r.duckdb", 3562.05712890625), python_rows=python_rows) == []
    assert len(differences(left, draws(tmp_path / "c.duckdb", 3562.1), python_rows=python_rows)) == 1
