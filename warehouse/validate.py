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
            self.add(Problem(source.path.name, int(row), column, value, reason), 0)
        self.total += total

    def __bool__(self):
        return self.total > 0


def check_values(connection: duckdb.DuckDBPyConnection, source: SourceFile, errors: Findings):
    """Missing required values, non-numbers, negatives, impossible dates, duplicate keys, bad basis."""
    kinds = COLUMNS[source.role]
    for column in source.columns:
        kind = kinds[column]
        if column in REQUIRED[source.role]:
            errors.add_query(connection, source, column, f"NOT {present(column)}", "missing value")
        if kind in ("count", "money"):
            number = NUMBER_SQL.format(col=column)
            errors.add_query(connection, source, column, f"{present(column)} AND {number} IS NULL", "not a number")
            errors.add_query(connection, source, column, f"{number} < 0", "negative value")
            if kind == "count":
                errors.add_query(connection, source, column, f"{number} <> floor({number})", "not a whole number")
        elif kind == "date":
            errors.add_query(
                connection, source, column,
                f"{present(column)} AND {DATE_SQL.format(col=column)} IS NULL",
                "impossible or unreadable date (expected YYYY-MM-DD)",
            )
        elif kind == "key":
            line = line_of(source)
            duplicates = connection.execute(
                f"""SELECT {line} AS line, {column}, min({line}) OVER (PARTITION BY trim({column})) AS first_line,
                           count(*) OVER (PARTITION BY trim({column})) AS copies
                    FROM {source.table} WHERE {present(column)}
                    QUALIFY copies > 1 AND line > first_line ORDER BY line"""
            ).fetchall()
            for line_no, value, first_line, _ in duplicates:
                errors.add(Problem(source.path.name, int(line_no), column, value, f"duplicate key (first on row {first_line})"))
        elif kind == "basis":
            values = connection.execute(
                f"SELECT DISTINCT {column} FROM {source.table} WHERE {present(column)}"
            ).fetchall()
            for (value,) in values:
                if normalise_basis(value) is None:
                    errors.add_query(
                        connection, source, column, f"{column} = ?",
                        f"unknown payout basis (expected one of {', '.join(BASES)})", params=[value],
                    )
