"""Comparing two warehouses table by table (the DuckDB and the Spark engine's builds of one folder)."""

from __future__ import annotations

import json
import math

import duckdb

# Keys of dataset_info that differ between any two imports of the same folder.
PER_IMPORT = {"dataset_id", "imported_at", "source"}


def tables(path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of a warehouse file: (column names with types, rows sorted by their text)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            described = con.execute(f"DESCRIBE {name}").fetchall()
            columns = [f"{row[0]} {row[1]}" for row in described]
            rows = con.execute(f"SELECT * FROM {name}").fetchall()
            if name == "dataset_info":
                rows = [(k, v) for k, v in rows if k not in PER_IMPORT]
            out[name] = (columns, sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r)))
        return out
    finally:
        con.close()


def same_value(a, b, rel: float = 1e-9) -> bool:
    """Equal, with floats equal to `rel` (sums of the same doubles in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)
    if isinstance(a, str) and isinstance(b, str) and a[:1] in "[{" and b[:1] in "[{":
        try:
            return same_value(json.loads(a), json.loads(b), rel)
        except ValueError:
            return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k], rel) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return same_value(float(a), float(b), rel)
    return a == b


def differences(left, right, limit: int = 5) -> list[str]:
    """What differs between two warehouse files: tables, column types, row counts, first rows."""
    a, b = tables(left), tables(right)
    found = []
    if a.keys() != b.keys():
        found.append(f"tables differ: {sorted(a.keys() ^ b.keys())}")
    for name in sorted(a.keys() & b.keys()):
        (cols_a, rows_a), (cols_b, rows_b) = a[name], b[name]
        if cols_a != cols_b:
            found.append(f"{name}: columns {cols_a} != {cols_b}")
            continue
        if len(rows_a) != len(rows_b):
            found.append(f"{name}: {len(rows_a)} rows != {len(rows_b)}")
            continue
        bad = [(x, y) for x, y in zip(rows_a, rows_b) if not same_value(x, y)]
        for x, y in bad[:limit]:
            found.append(f"{name}: {x} != {y}")
    return found
