"""Row-level checks of staged files: each finding names file, row, column, value and reason.

Checks run as SQL over the staged text so that they stay fast on tens of millions of rows;
each check keeps its first examples and counts the rest.
"""

from __future__ import annotations

from collections import Counter

import duckdb

from warehouse.errors import MAX_SHOWN, Problem
from warehouse.rates import BASES, normalise_basis
from warehouse.sources import COLUMNS, REQUIRED, SourceFile, line_of
from warehouse.values import (
    DEFAULT_RULES,
    ValueRules,
    date_sql,
    decimal_evidence_sql,
    missing_sql,
    number_sql,
    numeric_date_parts_sql,
    value_checks,
)


def present(col: str) -> str:
    """True where a text cell holds a value (not blank, not a placeholder)."""
    return f"NOT {missing_sql(col)}"


def _kind(problem: Problem) -> tuple:
    """What a reader tells problems apart by: the file and the column."""
    return (problem.file, problem.column)


class Findings:
    """Problems found so far, with the total count of each kind beyond the examples kept."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem, count: int = 1):
        """Count `count` problems of this kind; keep `problem` as an example while fewer than MAX_SHOWN
        are kept, or, once they are, in place of the last example of the (file, column) shown most often
        when its own (file, column) has none: a flood of one kind (every payout row of an old file after
        an append) must not hide the one warning about another file."""
        if len(self.problems) < MAX_SHOWN:
            self.problems.append(problem)
        elif all(_kind(kept) != _kind(problem) for kept in self.problems):
            counts = Counter(_kind(kept) for kept in self.problems)
            crowded, shown = counts.most_common(1)[0]
            if shown > 1:
                last = max(i for i, kept in enumerate(self.problems) if _kind(kept) == crowded)
                del self.problems[last]
                self.problems.append(problem)
        self.total += count

    def add_query(self, connection, source: SourceFile, column: str, condition: str, reason: str, params=()):
        """Record every staged row of `source` matching `condition` as a problem in `column`."""
        line = line_of(source)
        (total,) = connection.execute(f"SELECT count(*) FROM {source.table} WHERE {condition}", list(params)).fetchone()
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


def check_values(
    connection: duckdb.DuckDBPyConnection, source: SourceFile, errors: Findings, rules: ValueRules = DEFAULT_RULES
):
    """Missing required values, values the value rule refuses (warehouse/values.py), duplicate keys,
    bad basis. On the text path, first decides how each column is read (source.readings).

    Adds each problem to `errors` (file, line, column, value, reason); returns nothing and raises
    nothing for bad data.
    """
    kinds = COLUMNS[source.role]
    checks: list[tuple[str, str, str]] = []  # (column, condition, reason)
    for column in source.columns:
        if column in REQUIRED[source.role]:
            parsed = source.typed and kinds[column] in ("count", "money", "date")
            checks.append((column, f"{column} IS NULL" if parsed else missing_sql(column), "missing value"))
    if not source.typed:
        # The typed read was kept only because no value breaks these rules (sources.load).
        checks += _text_checks(connection, source, errors, rules)
    _run_checks(connection, source, checks, errors)
    for column in source.columns:
        if kinds[column] == "key":
            _check_duplicates(connection, source, column, errors)
        elif kinds[column] == "basis":
            _check_basis(connection, source, column, errors)
    if source.role == "organic_sales":
        _check_organic_days(connection, source, errors)


def _text_checks(connection, source: SourceFile, errors: Findings, rules: ValueRules) -> list[tuple[str, str, str]]:
    """Decides each number and date column's reading, and lists the checks of the values it reads."""
    kinds = {
        c: COLUMNS[source.role][c] for c in source.columns if COLUMNS[source.role][c] in ("count", "money", "date")
    }
    if not kinds:
        return []
    comma_columns, refused = _decide_readings(connection, source, kinds, errors)
    if hasattr(connection, "read_once"):  # Spark: each reading computed once per row (engines/spark.py)
        connection.read_once(source)
    kinds = {column: kind for column, kind in kinds.items() if column not in refused}
    checks = []
    for column, kind in kinds.items():
        if kind == "date":
            checks.append(
                (
                    column,
                    f"CASE WHEN {source.readings[column]} IS NULL THEN {present(column)} ELSE false END",
                    "impossible or unreadable date (expected e.g. 2025-01-16, 16-01-2025, 16 Jan 2025)",
                )
            )
            continue
        comma_only, dot_only = decimal_evidence_sql(column)
        mixed = dot_only if column in comma_columns else comma_only
        checks.append(
            (column, mixed, "decimal mark differs from the rest of the column (',' and '.' both used as decimal mark)")
        )
        checks.append(
            (
                column,
                (
                    f"CASE WHEN {source.readings[column]} IS NULL THEN {present(column)} AND NOT ({mixed}) "
                    "ELSE false END"
                ),
                (
                    "not a number (e.g. 2500, 2,500.00, ₹1,23,456, 1.2K; a decimal comma only when the whole "
                    "column uses it)"
                ),
            )
        )
    return checks + value_checks(source.role, kinds, source.readings, rules)


def _decide_readings(
    connection, source: SourceFile, kinds: dict[str, str], errors: Findings
) -> tuple[set[str], set[str]]:
    """How each column of the text path is read: its decimal mark (',' only when some value can only
    be read with it and none only with '.'), its day-month order (day-first when some first number
    exceeds 12, month-first when some second one does; refused when neither and the order matters).
    Fills source.readings; returns the decimal-comma columns and the date columns refused."""
    aggregates, names = [], []
    for column, kind in kinds.items():
        if kind == "date":
            first, second = numeric_date_parts_sql(column)
            line = line_of(source)
            aggregates += [
                f"min({line}) FILTER (WHERE {first} > 12)",
                f"min({line}) FILTER (WHERE {second} > 12)",
                f"min({line}) FILTER (WHERE {first} <> {second} AND {first} <= 12 AND {second} <= 12)",
            ]
        else:
            aggregates += [f"count(*) FILTER (WHERE {decimal_evidence_sql(column)[0]})", "NULL", "NULL"]
        names.append(column)
    found = connection.execute(f"SELECT {', '.join(aggregates)} FROM {source.table}").fetchone()
    comma_columns, refused = set(), set()
    for i, column in enumerate(names):
        a, b, c = found[3 * i : 3 * i + 3]
        if kinds[column] != "date":
            # Only a column with values that need a decimal comma is looked at for values that need a point.
            if a and not _count_where(connection, source, decimal_evidence_sql(column)[1]):
                comma_columns.add(column)
            source.readings[column] = number_sql(column, decimal_comma=column in comma_columns)
            continue
        source.readings[column] = date_sql(column, day_first=not (b is not None and a is None))
        if (a is not None and b is not None) or (a is None and b is None and c is not None):
            refused.add(column)
        if a is not None and b is not None:
            _refuse_date_order(
                connection,
                source,
                column,
                b,
                errors,
                f"day-first and month-first dates in one column (row {a} has a day above 12 first, this row second)",
            )
        elif a is None and b is None and c is not None:
            _refuse_date_order(
                connection,
                source,
                column,
                c,
                errors,
                "the order of day and month cannot be told: no date in this column has a number "
                "above 12 in either place (write dates as YYYY-MM-DD)",
            )
    return comma_columns, refused


def _count_where(connection, source: SourceFile, condition: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {source.table} WHERE {condition}").fetchone()[0]


def _refuse_date_order(connection, source: SourceFile, column: str, line: int, errors: Findings, reason: str):
    (value,) = connection.execute(f"SELECT {column} FROM {source.table} WHERE {line_of(source)} = ?", [line]).fetchone()
    errors.add(Problem(source.path.name, int(line), column, value, reason))


def _run_checks(connection, source: SourceFile, checks, errors: Findings):
    """All row checks of a file in one scan; examples are fetched only for checks that fail."""
    if not checks:
        return
    counts = connection.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE {condition})" for _, condition, _ in checks)
        + f" FROM {source.table}"
    ).fetchone()
    for (column, condition, reason), count in zip(checks, counts):
        if count:
            errors.add_query(connection, source, column, condition, reason)


def _check_duplicates(connection, source: SourceFile, column: str, errors: Findings):
    # Keys are compared as the import will use them (trimmed): influencer ids must be unique after
    # trimming or a join would count an influencer twice. tracking_id is never joined on, and
    # trimming tens of millions of them would cost more than the check itself, so it is compared as written.
    key = column if source.role == "tracking" else f"trim({column})"
    # Counting distinct keys is a third cheaper than listing the repeated ones; clean files stop here.
    distinct, present_keys = connection.execute(
        f"SELECT count(DISTINCT {key}), count({key}) FROM {source.table}"
    ).fetchone()
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
            WHERE line > first_line ORDER BY line LIMIT {MAX_SHOWN}"""
    ).fetchall()
    for line_no, value, first_line in examples:
        errors.add(
            Problem(source.path.name, int(line_no), column, value, f"duplicate key (first on row {first_line})"), 0
        )
    errors.total += present_keys - distinct


def _check_basis(connection, source: SourceFile, column: str, errors: Findings):
    values = connection.execute(f"SELECT DISTINCT {column} FROM {source.table} WHERE {present(column)}").fetchall()
    for (value,) in values:
        if normalise_basis(value) is None:
            errors.add_query(
                connection,
                source,
                column,
                f"{column} = ?",
                f"unknown payout basis (expected one of {', '.join(BASES)})",
                params=[value],
            )


def _check_organic_days(connection, source: SourceFile, errors: Findings):
    """A brand's total sales hold one row per day (per product when the file has products): a second
    row for the same day is an error, never summed, since an export pasted twice looks the same."""
    day = "date" if source.typed else source.readings.get("date", date_sql("date"))
    product = "lower(trim(product))" if "product" in source.columns else "''"
    key = f"{day}, lower(replace(trim(brand), ' ', '')), {product}"
    line = line_of(source)
    repeated = f"""SELECT line, value, first_line FROM (
            SELECT {line} AS line, CAST(date AS VARCHAR) AS value, min({line}) OVER (PARTITION BY {key}) AS first_line
            FROM {source.table} WHERE {day} IS NOT NULL AND {present("brand")})
        WHERE line > first_line"""
    (total,) = connection.execute(f"SELECT count(*) FROM ({repeated})").fetchone()
    if not total:
        return
    what = "date, brand and product" if "product" in source.columns else "date and brand"
    for line_no, value, first_line in connection.execute(f"{repeated} ORDER BY line LIMIT {MAX_SHOWN}").fetchall():
        errors.add(
            Problem(
                source.path.name,
                int(line_no),
                "date",
                value,
                f"second row for the same {what} (first on row {first_line})",
            ),
            0,
        )
    errors.total += total
