"""Row-level checks of staged files: each finding names file, row, column, value and reason.

Checks run as SQL over the staged text so that they stay fast on tens of millions of rows;
each check keeps its first examples and counts the rest.
"""
from __future__ import annotations

import duckdb

from warehouse.errors import MAX_SHOWN, Problem
from warehouse.rates import BASES, normalise_basis
from warehouse.sources import COLUMNS, REQUIRED, SourceFile, line_of

# Text → number: tolerate thousands separators, a rupee sign and surrounding spaces.
NUMBER_SQL = "TRY_CAST(replace(replace(replace(trim({col}), ',', ''), '₹', ''), ' ', '') AS DOUBLE)"
DATE_SQL = "COALESCE(TRY_CAST(trim({col}) AS DATE), TRY_CAST(TRY_CAST(trim({col}) AS TIMESTAMP) AS DATE))"


def present(col: str) -> str:
    return f"({col} IS NOT NULL AND trim({col}) <> '')"


class Findings:
    """Problems found so far, with the total count of each kind beyond the examples kept."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem, count: int = 1):
        if len(self.problems) < MAX_SHOWN:
            self.problems.append(problem)
        self.total += count

    def add_query(self, connection, source: SourceFile, column: str, condition: str, reason: str, params=()):
        """Record every staged row of `source` matching `condition` as a problem in `column`."""
        line = line_of(source)
        total, = connection.execute(f"SELECT count(*) FROM {source.table} WHERE {condition}", list(params)).fetchone()
        if not total:
            return
        examples = connection.execute(
            f"SELECT {line}, {column} FROM {source.table} WHERE {condition} ORDER BY rowid LIMIT {MAX_SHOWN}",
            list(params),
        ).fetchall()
        for row, value in examples:
            shown = None if value is None else str(value)
            self.add(Problem(source.path.name, int(row), column, shown, reason), 0)
        self.total += total

    def __bool__(self):
        return self.total > 0


def check_values(connection: duckdb.DuckDBPyConnection, source: SourceFile, errors: Findings):
    """Missing required values, non-numbers, negatives, impossible dates, duplicate keys, bad basis."""
    kinds = COLUMNS[source.role]
    checks: list[tuple[str, str, str]] = []  # (column, condition, reason)
    for column in source.columns:
        kind = kinds[column]
        if column in REQUIRED[source.role]:
            checks.append((column, f"NOT {present(column)}" if not _parsed(source, kind) else f"{column} IS NULL",
                           "missing value"))
        if kind in ("count", "money"):
            number = column if source.typed else NUMBER_SQL.format(col=column)
            if not source.typed:
                checks.append((column, f"{present(column)} AND {number} IS NULL", "not a number"))
                if kind == "count":
                    checks.append((column, f"{number} <> floor({number})", "not a whole number"))
            checks.append((column, f"{number} < 0", "negative value"))
        elif kind == "date" and not source.typed:
            checks.append((column, f"{present(column)} AND {DATE_SQL.format(col=column)} IS NULL",
                           "impossible or unreadable date (expected YYYY-MM-DD)"))
    _run_checks(connection, source, checks, errors)
    for column in source.columns:
        if kinds[column] == "key":
            _check_duplicates(connection, source, column, errors)
        elif kinds[column] == "basis":
            _check_basis(connection, source, column, errors)


def _parsed(source: SourceFile, kind: str) -> bool:
    return source.typed and kind in ("count", "money", "date")


def _run_checks(connection, source: SourceFile, checks, errors: Findings):
    """All row checks of a file in one scan; examples are fetched only for checks that fail."""
    if not checks:
        return
    counts = connection.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE {condition})" for _, condition, _ in checks)
        + f" FROM {source.table}").fetchone()
    for (column, condition, reason), count in zip(checks, counts):
        if count:
            errors.add_query(connection, source, column, condition, reason)


def _check_duplicates(connection, source: SourceFile, column: str, errors: Findings):
    # Keys are compared as the import will use them (trimmed): influencer ids must be unique after
    # trimming or a join would count an influencer twice. tracking_id is never joined on, and
    # trimming tens of millions of them would cost more than the check itself, so it is compared as written.
    key = column if source.role == "tracking" else f"trim({column})"
    # Counting distinct keys is a third cheaper than listing the repeated ones; clean files stop here.
    distinct, present_keys = connection.execute(f"SELECT count(DISTINCT {key}), count({key}) FROM {source.table}").fetchone()
    if distinct == present_keys:
        return
    # Only the examples shown are fetched (a window over the file, top rows by line); every other
    # repeat is counted from the two counts above, so a file of duplicates costs one scan, not a
    # Python list of its keys (a 10 MB file of repeats took 40 s and 1 GB that way).
    line = line_of(source)
    examples = connection.execute(
        f"""SELECT line, value, first_line FROM (
                SELECT {line} AS line, {column} AS value, min({line}) OVER (PARTITION BY {key}) AS first_line
                FROM {source.table} WHERE {column} IS NOT NULL)
            WHERE line > first_line ORDER BY line LIMIT {MAX_SHOWN}""").fetchall()
    for line_no, value, first_line in examples:
        errors.add(Problem(source.path.name, int(line_no), column, value, f"duplicate key (first on row {first_line})"), 0)
    errors.total += present_keys - distinct


def _check_basis(connection, source: SourceFile, column: str, errors: Findings):
    values = connection.execute(f"SELECT DISTINCT {column} FROM {source.table} WHERE {present(column)}").fetchall()
    for (value,) in values:
        if normalise_basis(value) is None:
            errors.add_query(connection, source, column, f"{column} = ?",
                             f"unknown payout basis (expected one of {', '.join(BASES)})", params=[value])
