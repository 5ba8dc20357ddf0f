"""bench.import_equality: two imports of one folder are the same warehouse; a changed value is found."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from bench import import_equality
from bench.import_equality import compare, same
from warehouse import import_dataset


def _verdicts(left, right) -> dict[str, str]:
    return dict(compare(str(left), str(right)))


def test_two_imports_of_one_folder_are_the_same(tmp_path, traps_dir):
    import_dataset(traps_dir, tmp_path / "a.duckdb")
    import_dataset(traps_dir, tmp_path / "b.duckdb")
    verdicts = _verdicts(tmp_path / "a.duckdb", tmp_path / "b.duckdb")
    assert "facts" in verdicts and "customer_cohorts" in verdicts and "lift_info" in verdicts
    assert all(same(verdict) for verdict in verdicts.values()), verdicts


@pytest.mark.parametrize("small_table", [0, 20_000])  # 0: every table compared in DuckDB (as at 10M)
def test_a_changed_value_a_last_bit_and_a_missing_row(tmp_path, traps_dir, monkeypatch, small_table):
    monkeypatch.setattr(import_equality, "SMALL_TABLE", small_table)
    import_dataset(traps_dir, tmp_path / "a.duckdb")
    for name in ("bits", "value", "row"):
        shutil.copyfile(tmp_path / "a.duckdb", tmp_path / f"{name}.duckdb")
    with duckdb.connect(str(tmp_path / "bits.duckdb")) as con:
        con.execute("UPDATE facts SET revenue = revenue * (1 + 1e-13) WHERE revenue > 0")
    with duckdb.connect(str(tmp_path / "value.duckdb")) as con:
        con.execute(
            "UPDATE facts SET spend = spend + 0.01 WHERE rowid = (SELECT min(rowid) FROM facts WHERE spend > 0)"
        )
    with duckdb.connect(str(tmp_path / "row.duckdb")) as con:
        con.execute("DELETE FROM customer_cohorts WHERE rowid = 0")
    bits = _verdicts(tmp_path / "a.duckdb", tmp_path / "bits.duckdb")
    assert bits["facts"].startswith("equal up to summation order") and same(bits["facts"])
    value = _verdicts(tmp_path / "a.duckdb", tmp_path / "value.duckdb")
    assert value["facts"] == "1 rows differ beyond a relative 1e-09" and not same(value["facts"])
    row = _verdicts(tmp_path / "a.duckdb", tmp_path / "row.duckdb")
    assert not same(row["customer_cohorts"]) and "rows !=" in row["customer_cohorts"]
