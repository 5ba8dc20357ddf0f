"""Comparing two warehouses table by table (the DuckDB and the Spark engine's builds of one folder).

Small tables are compared row by row in Python; large ones (the 10M/50M benchmark's `sales` and
`facts`) in DuckDB, so that neither warehouse has to fit in Python's memory: each row's hash with its
doubles rounded to 9 significant digits, counted per hash on both sides; only the rows whose hash
counts differ are read into Python and compared with the same tolerance as small tables (a double
that sits on a rounding boundary lands in another hash on each side and is paired back there)."""

from __future__ import annotations

import json
import math

import duckdb

# Keys of dataset_info that differ between any two imports of the same folder.
PER_IMPORT = {"dataset_id", "imported_at", "source"}
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
# Single-precision columns (lift draws) hold doubles rounded to 24 bits: two sums that differ in the
# 13th digit can land one float32 step (6e-8) apart, so they are compared to 1e-6 and hashed to 6 digits.
SINGLE_TYPES = {"FLOAT", "REAL"}
# Above this many rows a table is compared in DuckDB (module docstring).
PYTHON_ROWS = 200_000
# Where a step of the rounding grid starts (_row_hash): no money value with up to six digits below
# the step lands there.
ROUNDING_OFFSET = 0.376543
# More differing rows than this are reported by count only.
MAX_READ = 20_000


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


def _sorted(rows) -> list[tuple]:
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


def _rows_differ(name: str, kinds: list[str], rows_a: list[tuple], rows_b: list[tuple], limit: int) -> list[str]:
    if len(rows_a) != len(rows_b):
        return [f"{name}: {len(rows_a)} rows != {len(rows_b)}"]
    rels = [1e-6 if kind in SINGLE_TYPES else 1e-9 for kind in kinds]
    bad = [
        (x, y)
        for x, y in zip(_sorted(rows_a), _sorted(rows_b))
        if not all(same_value(u, v, rel) for u, v, rel in zip(x, y, rels))
    ]
    return [f"{name}: {x} != {y}" for x, y in bad[:limit]]


def _row_hash(columns: list[tuple[str, str]]) -> str:
    """SQL of a row's hash with its doubles rounded to 9 significant digits (single-precision ones to 6). The rounding grid is
    shifted by ROUNDING_OFFSET of a step: money sums such as 48451.25 sit exactly on the usual
    half-step boundary, where 48451.249999999985 (the same sum in another order) rounds the other way.
    The result is scaled back by dividing or multiplying by an exact power of ten, so that a sum just
    below a power of ten (999.99999999) and one just above it give the same double."""
    parts = []
    for column, kind in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        if kind in FLOAT_TYPES:
            digits = f"({5 if kind in SINGLE_TYPES else 8} - CAST(floor(log10(abs({quoted}))) AS INTEGER))"
            scaled = (
                f"CASE WHEN {digits} >= 0 THEN floor({quoted} * pow(10, {digits}) + {ROUNDING_OFFSET}) / pow(10, {digits}) "
                f"ELSE floor({quoted} / pow(10, -{digits}) + {ROUNDING_OFFSET}) * pow(10, -{digits}) END"
            )
            quoted = f"CASE WHEN {quoted} = 0 OR NOT isfinite({quoted}) THEN {quoted} ELSE {scaled} END"
        parts.append(quoted)
    return f"hash({', '.join(parts)})"


def _large_table_differs(con, name: str, columns: list[tuple[str, str]], limit: int) -> list[str]:
    row_hash = _row_hash(columns)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE unmatched AS
        SELECT h FROM (SELECT {row_hash} AS h, count(*) AS n FROM a.{name} GROUP BY 1) AS l
        FULL JOIN (SELECT {row_hash} AS h, count(*) AS n FROM b.{name} GROUP BY 1) AS r USING (h)
        WHERE coalesce(l.n, 0) <> coalesce(r.n, 0)"""
    )
    (unmatched,) = con.execute("SELECT count(*) FROM unmatched").fetchone()
    if unmatched == 0:
        return []
    if unmatched > MAX_READ:
        return [f"{name}: {unmatched:,} row hashes differ"]
    side = f"SELECT * FROM {{}}.{name} WHERE {row_hash} IN (SELECT h FROM unmatched)"
    rows = [con.execute(side.format(which)).fetchall() for which in ("a", "b")]
    return _rows_differ(name, [kind for _, kind in columns], rows[0], rows[1], limit)


def _table_differs(con, name: str, limit: int, python_rows: int) -> list[str]:
    described = [con.execute(f"DESCRIBE {side}.{name}").fetchall() for side in ("a", "b")]
    if described[0] != described[1]:
        cols = [[f"{row[0]} {row[1]}" for row in rows] for rows in described]
        return [f"{name}: columns {cols[0]} != {cols[1]}"]
    counts = [con.execute(f"SELECT count(*) FROM {side}.{name}").fetchone()[0] for side in ("a", "b")]
    if counts[0] != counts[1]:
        return [f"{name}: {counts[0]} rows != {counts[1]}"]
    if counts[0] > python_rows:
        return _large_table_differs(con, name, [(row[0], row[1]) for row in described[0]], limit)
    rows = [con.execute(f"SELECT * FROM {side}.{name}").fetchall() for side in ("a", "b")]
    if name == "dataset_info":
        rows = [[(k, _without_folders(k, v)) for k, v in side if k not in PER_IMPORT] for side in rows]
    return _rows_differ(name, [row[1] for row in described[0]], rows[0], rows[1], limit)


def _without_folders(key: str, value: str) -> str:
    """A dataset_info value, its file parts without the folder each was imported from (as `source`,
    it differs between two imports of the same files from two folders)."""
    if key != "file_parts":
        return value
    parts = json.loads(value)
    return json.dumps(
        {role: [{k: v for k, v in part.items() if k != "folder"} for part in listed] for role, listed in parts.items()}
    )


def differences(left, right, limit: int = 5, python_rows: int = PYTHON_ROWS) -> list[str]:
    """What differs between two warehouse files: tables, column types, row counts, first differing
    rows (up to `limit` per table). Empty when both hold the same tables and rows, doubles equal to a
    relative 1e-9 (same_value). Tables of more than `python_rows` rows are compared in DuckDB (the
    module docstring)."""
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH ? AS a (READ_ONLY)", [str(left)])
        con.execute("ATTACH ? AS b (READ_ONLY)", [str(right)])
        names = [
            {
                row[0]
                for row in con.execute(
                    f"SELECT table_name FROM duckdb_tables() WHERE database_name = '{side}'"
                ).fetchall()
            }
            for side in ("a", "b")
        ]
        found = [f"tables differ: {sorted(names[0] ^ names[1])}"] if names[0] != names[1] else []
        for name in sorted(names[0] & names[1]):
            found += _table_differs(con, name, limit, python_rows)
        return found
    finally:
        con.close()
