"""`python -m bench.import_equality A.duckdb B.duckdb`: are two imports of one folder the same warehouse?

For checking that a change to the import's speed changed no result: import a data set with the old
code and with the new, then compare. Every table of either file must exist in both with the same
columns and types and the same rows (as a multiset); where rows differ only in DOUBLE or FLOAT
columns, each such value must agree to a relative 1e-9 (or 1e-6 absolute; FLOAT, single precision:
a relative 1e-6, one unit in its last place is 6e-8): DuckDB's parallel sums
add the same doubles in another order from one run to the next, so two imports of one folder by the
same code already differ in the last bits. Lists of doubles (lift_info) are compared element by
element. The comparison runs inside DuckDB (10M-order warehouses hold tables of millions of rows);
tests/spark_equality.py is the same rule for small warehouses, in Python.
"""

from __future__ import annotations

import argparse
import math
import sys

import duckdb

from tests.spark_equality import PER_IMPORT

FLOAT_TYPES = ("DOUBLE", "FLOAT")
SMALL_TABLE = 20_000  # rows compared in Python (where list columns are)
REL, ABS = 1e-9, 1e-6
FLOAT_REL = 1e-6  # a double differing in its last bits can round to the neighbouring single (lift_draws)


def compare(left: str, right: str) -> list[tuple[str, str]]:
    """(table, verdict) for every table of either file: 'exact', 'equal up to summation order
    (N rows differ in the last bits)' or what differs ('missing in …', 'columns …', 'N rows …')."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS a (READ_ONLY)", [str(left)])
        con.execute("ATTACH ? AS b (READ_ONLY)", [str(right)])
        names = {side: _tables(con, side) for side in ("a", "b")}
        verdicts = []
        for name in sorted(names["a"] | names["b"]):
            if name not in names["a"] or name not in names["b"]:
                verdicts.append((name, f"missing in {'the first' if name not in names['a'] else 'the second'} file"))
                continue
            verdicts.append((name, _compare_table(con, name)))
        return verdicts
    finally:
        con.close()


def same(verdict: str) -> bool:
    """Whether a verdict of compare() counts as the same table."""
    return verdict == "exact" or verdict.startswith("equal up to summation order")


def _tables(con, side: str) -> set[str]:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [side]).fetchall()
    return {row[0] for row in rows}


def _columns(con, side: str, name: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND table_name = ? "
        "ORDER BY column_index",
        [side, name],
    ).fetchall()


def _compare_table(con, name: str) -> str:
    columns = _columns(con, "a", name)
    if columns != _columns(con, "b", name):
        return f"columns differ: {columns} != {_columns(con, 'b', name)}"
    kept = f"WHERE key NOT IN ({', '.join(repr(k) for k in sorted(PER_IMPORT))})" if name == "dataset_info" else ""
    sides = {side: f"(SELECT * FROM {side}.{name} {kept})" for side in ("a", "b")}
    counts = [con.execute(f"SELECT count(*) FROM {sides[side]}").fetchone()[0] for side in ("a", "b")]
    if counts[0] != counts[1]:
        return f"{counts[0]} rows != {counts[1]} rows"
    differing = con.execute(f"SELECT count(*) FROM ({sides['a']} EXCEPT ALL {sides['b']})").fetchone()[0]
    if differing == 0:
        return "exact"
    floats = [column for column, sql_type in columns if sql_type in FLOAT_TYPES]
    if counts[0] <= SMALL_TABLE:
        rows = [_sorted_rows(con, sides[side]) for side in ("a", "b")]
        beyond = sum(not _close(x, y) for x, y in zip(*rows))
    elif floats:
        beyond = _beyond_tolerance(con, sides, columns, floats)
    else:
        return f"{differing} rows differ"
    if beyond:
        return f"{beyond} rows differ beyond a relative {REL}"
    return f"equal up to summation order ({differing} rows differ in the last bits)"


def _sorted_rows(con, table: str) -> list[tuple]:
    rows = con.execute(f"SELECT * FROM {table}").fetchall()
    return sorted(rows, key=lambda row: tuple(str(v) for v in row if not isinstance(v, (float, list))))


def _close(x, y) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=REL, abs_tol=ABS)
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_close(p, q) for p, q in zip(x, y))
    return x == y


def _beyond_tolerance(con, sides: dict[str, str], columns, floats: list[str]) -> int:
    """Rows that differ beyond the tolerance, pairing the two sides' rows in the order of every
    column (other columns first, then the doubles: a last-bit difference reorders no row unless
    two rows agree in all other columns and in their doubles to 1e-9)."""
    others = [column for column, _ in columns if column not in floats]
    order = ", ".join(others + floats)
    relative = {column: FLOAT_REL if sql_type == "FLOAT" else REL for column, sql_type in columns}
    unequal = [f"x.{c} IS DISTINCT FROM y.{c}" for c in others] + [
        f"(x.{c} IS NULL) <> (y.{c} IS NULL) OR abs(x.{c} - y.{c}) > {relative[c]} * greatest(abs(x.{c}), abs(y.{c})) + {ABS}"
        for c in floats
    ]
    numbered = {side: f"(SELECT row_number() OVER (ORDER BY {order}) AS n, * FROM {sides[side]})" for side in sides}
    return con.execute(
        f"SELECT count(*) FROM {numbered['a']} x JOIN {numbered['b']} y USING (n) WHERE {' OR '.join(unequal)}"
    ).fetchone()[0]


def main(argv=None) -> int:
    """Print each table's verdict; exit status 1 when any table differs."""
    parser = argparse.ArgumentParser(prog="python -m bench.import_equality", description=__doc__.splitlines()[0])
    parser.add_argument("left")
    parser.add_argument("right")
    args = parser.parse_args(argv)
    verdicts = compare(args.left, args.right)
    for name, verdict in verdicts:
        print(f"{name:28s} {verdict}")
    differ = [name for name, verdict in verdicts if not same(verdict)]
    print("same warehouse" if not differ else f"DIFFERENT: {', '.join(differ)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
