"""Reading values: one rule for every cell of a number or date column, whichever path a file takes.

A file is first read with typed columns (DuckDB's CSV reader parses numbers and dates: the fast
path for clean files). That read is kept only when every value it produced is one this rule
accepts as it is (`typed_read_is_exact`); otherwise the file is staged as text and read by the SQL
below, which validation and typing share, so that both paths accept and refuse the same values
and every refusal names the value as written. docs/metrics.md ("Reading values") states the rule.

- Missing: blank and the placeholders of PLACEHOLDERS.
- Numbers: an optional sign, currency (`₹`, `Rs`, `Rs.`, `INR`, before or after; `/-` after),
  accounting parentheses for negatives, Western (`1,234,567.50`) or Indian (`12,34,567.50`) digit
  grouping, or a decimal comma when the whole column writes its decimals that way (`1.234,56`);
  shorthand `120K`, `1.2M`, `1.5L` (lakh), `2Cr` (crore). Non-finite values (`nan`, `inf`) are
  refused; counts must be whole.
- Dates: year-first ISO dates and timestamps; `DD-MM-YYYY`/`MM-DD-YYYY` (also `/` or `.`, and
  two-digit years, which are 20YY) in the order the column makes certain (some first number above
  12: day-first; some second number above 12: month-first; neither, where the order matters:
  refused); `16 Jan 2025`, `16-Jan-25`, `Jan 16, 2025`. Years outside ValueRules' range are refused.
"""

from __future__ import annotations

import dataclasses
import decimal
import re

PLACEHOLDERS = ("", "n/a", "na", "-", "--", "—", "–", "null", "none", "nil", "#n/a")
# user_id values that stand for no known buyer (checkout as guest, exports' fillers).
GUEST_USER_IDS = PLACEHOLDERS + (
    "0",
    "guest",
    "guest user",
    "guest_user",
    "anonymous",
    "anon",
    "unknown",
    "not logged in",
    "undefined",
    "nan",
)

# Regular expressions shared by the SQL (DuckDB's RE2) and Python (re): the same syntax in both.
CURRENCY = r"(?:₹|rs\.?|inr)"
SHORTHAND_UNITS = {
    "k": 10**3,
    "m": 10**6,
    "l": 10**5,
    "lakh": 10**5,
    "lakhs": 10**5,
    "lac": 10**5,
    "lacs": 10**5,
    "cr": 10**7,
    "crore": 10**7,
    "crores": 10**7,
}
_UNIT = "(" + "|".join(sorted(SHORTHAND_UNITS, key=len, reverse=True)) + ")"
# A number written with ',' grouping and '.' decimals: Western 1,234,567.5 or Indian 12,34,567.5.
GROUPED_DOT = r"(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})+,\d{3})(?:\.\d+)?"
# A number written with '.' grouping and ',' decimals (or no grouping): 1.234.567,5 or 1234,5.
GROUPED_COMMA = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
# Values that can only be read with one decimal mark (`12,345` and `1.234` could be either).
COMMA_DECIMAL_ONLY = r"\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}"
DOT_DECIMAL_ONLY = (
    r"\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}"
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"
)
SHORTHAND_DOT = r"(\d+(?:\.\d+)?)" + _UNIT
SHORTHAND_COMMA = r"(\d+(?:,\d+)?)" + _UNIT

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = MONTHS + (
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "sept",
    "october",
    "november",
    "december",
)
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?"
# Day and month as numbers, year last: 16-01-25, 16/01/2025, 01.16.2025 (day/month order per column).
NUMERIC_DATE = r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})" + _TIME
DAY_MONTH_NAME = r"(\d{1,2})[-/ .]([A-Za-z]{3,9})\.?[-/ .,]+(\d{2}|\d{4})" + _TIME
MONTH_NAME_DAY = r"([A-Za-z]{3,9})\.?[-/ ](\d{1,2}),?[-/ ]+(\d{2}|\d{4})" + _TIME


@dataclasses.dataclass(frozen=True)
class ValueRules:
    """Settings of the value rule. first_year, last_year: the plausible years of a date (inclusive)."""

    first_year: int = 2000
    last_year: int = 2100

    def __post_init__(self):
        if not 1 <= self.first_year <= self.last_year <= 9999:
            raise ValueError("the plausible years must be first ≤ last, between 1 and 9999")


DEFAULT_RULES = ValueRules()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(expression: str, values) -> str:
    return f"{expression} IN ({', '.join(_quote(v) for v in values)})"


def missing_sql(col: str) -> str:
    """True where a text cell holds no value: NULL, blank or a placeholder."""
    return f"({col} IS NULL OR {_in_list(f'lower(trim({col}))', PLACEHOLDERS)})"


def guest_user_sql(col: str) -> str:
    """True where a user_id is no known buyer: NULL, blank, a placeholder or a guest id."""
    return f"({col} IS NULL OR {_in_list(f'lower(trim({col}))', GUEST_USER_IDS)})"


def _number_body_sql(col: str) -> str:
    """The number as written without spaces, accounting parentheses and currency: `-2,499.00`."""
    body = f"replace(replace(trim({col}), ' ', ''), chr(160), '')"
    body = f"regexp_replace({body}, '^\\((.*)\\)$', '-\\1')"
    body = f"regexp_replace({body}, '^([+-]?){CURRENCY}([+-]?)', '\\1\\2', 'i')"
    return f"regexp_replace({body}, '(?:{CURRENCY}|/-)$', '', 'i')"


def _shorthand_sql(body: str, pattern: str, decimal_comma: bool) -> str:
    number = f"regexp_extract({body}, '^[+-]?{pattern}$', 1, 'i')"
    if decimal_comma:
        number = f"replace({number}, ',', '.')"
    unit = f"lower(regexp_extract({body}, '^[+-]?{pattern}$', 2, 'i'))"
    factor = "CASE " + " ".join(f"WHEN {unit} = '{u}' THEN {f}" for u, f in SHORTHAND_UNITS.items()) + " END"
    sign = f"CASE WHEN starts_with({body}, '-') THEN -1 ELSE 1 END"
    # DECIMAL arithmetic: 1.1 × 1000 is exactly 1100 (as a DOUBLE product it is 1100.0000000000002).
    return f"CAST({sign} * TRY_CAST({number} AS DECIMAL(18, 6)) * {factor} AS DOUBLE)"


def number_sql(col: str, decimal_comma: bool = False) -> str:
    """DOUBLE read from a text column by the rule; NULL when missing or unreadable (checks tell which)."""
    body = _number_body_sql(col)
    if decimal_comma:
        number = f"""CASE WHEN regexp_full_match({body}, '[+-]?{GROUPED_COMMA}')
                          THEN TRY_CAST(replace(replace({body}, '.', ''), ',', '.') AS DOUBLE)
                          WHEN regexp_full_match({body}, '[+-]?{SHORTHAND_COMMA}', 'i')
                          THEN {_shorthand_sql(body, SHORTHAND_COMMA, True)} END"""
    else:
        number = f"""COALESCE(TRY_CAST({body} AS DOUBLE),
                        CASE WHEN regexp_full_match({body}, '[+-]?{GROUPED_DOT}')
                             THEN TRY_CAST(replace({body}, ',', '') AS DOUBLE)
                             WHEN regexp_full_match({body}, '[+-]?{SHORTHAND_DOT}', 'i')
                             THEN {_shorthand_sql(body, SHORTHAND_DOT, False)} END)"""
    # Plain numbers, most cells of most files, take DuckDB's own cast (what the typed read does) first.
    plain = "" if decimal_comma else f"WHEN TRY_CAST({col} AS DOUBLE) IS NOT NULL THEN TRY_CAST({col} AS DOUBLE)"
    return f"CASE {plain} WHEN {missing_sql(col)} THEN NULL ELSE {number} END"


def decimal_evidence_sql(col: str) -> tuple[str, str]:
    """Conditions: the value can only be read with ',' as decimal mark; only with '.'.
    (A cheap test rules out most cells before the regular expression: CASE evaluates it lazily.)"""
    body = _number_body_sql(col)
    comma_only = (
        f"CASE WHEN contains({col}, ',') OR {col} LIKE '%.%.%' "
        f"THEN regexp_full_match({body}, '[+-]?(?:{COMMA_DECIMAL_ONLY})') ELSE false END"
    )
    dot_only = (
        f"CASE WHEN contains({col}, '.') OR contains({col}, ',') "
        f"THEN regexp_full_match({body}, '[+-]?(?:{DOT_DECIMAL_ONLY})') ELSE false END"
    )
    return comma_only, dot_only


def _year_sql(text: str) -> str:
    return f"(CASE WHEN length({text}) = 2 THEN 2000 ELSE 0 END + CAST({text} AS INTEGER))"


def _make_date_sql(year: str, month: str, day: str) -> str:
    return f"TRY_CAST(printf('%04d-%02d-%02d', {year}, {month}, {day}) AS DATE)"


def _month_number_sql(name: str) -> str:
    months = "[" + ", ".join(_quote(m) for m in MONTHS) + "]"
    return (
        f"CASE WHEN {_in_list(f'lower({name})', MONTH_NAMES)} THEN list_position({months}, left(lower({name}), 3)) END"
    )


def numeric_date_parts_sql(col: str) -> tuple[str, str]:
    """The first and second numbers of a day-month date (NULL for other values)."""
    text = f"trim({col})"
    # Year-first dates (DuckDB reads them with a year of 100 or more) are ruled out before the regular expression.
    first, second = (
        f"CASE WHEN year(TRY_CAST({text} AS DATE)) >= 100 THEN NULL "
        f"ELSE TRY_CAST(regexp_extract({text}, '^{NUMERIC_DATE}$', {i}) AS INTEGER) END"
        for i in (1, 2)
    )
    return first, second


def date_sql(col: str, day_first: bool = True) -> str:
    """DATE read from a text column by the rule; day_first: the order of the column's day-month dates."""
    text = f"trim({col})"

    def part(pattern, group):
        return f"regexp_extract({text}, '^{pattern}$', {group})"

    day, month = (1, 2) if day_first else (2, 1)
    numeric = _make_date_sql(
        _year_sql(part(NUMERIC_DATE, 3)),
        f"CAST({part(NUMERIC_DATE, month)} AS INTEGER)",
        f"CAST({part(NUMERIC_DATE, day)} AS INTEGER)",
    )
    day_name = _make_date_sql(
        _year_sql(part(DAY_MONTH_NAME, 3)),
        _month_number_sql(part(DAY_MONTH_NAME, 2)),
        f"CAST({part(DAY_MONTH_NAME, 1)} AS INTEGER)",
    )
    name_day = _make_date_sql(
        _year_sql(part(MONTH_NAME_DAY, 3)),
        _month_number_sql(part(MONTH_NAME_DAY, 1)),
        f"CAST({part(MONTH_NAME_DAY, 2)} AS INTEGER)",
    )
    # Year-first dates, most cells of most files, take DuckDB's own cast first; day-month dates
    # (16-01-25) never pass it: it reads them with a year below 100.
    return f"""CASE WHEN year(TRY_CAST({text} AS DATE)) >= 100 THEN TRY_CAST({text} AS DATE)
        WHEN {missing_sql(col)} THEN NULL
        WHEN regexp_full_match({text}, '{NUMERIC_DATE}') THEN {numeric}
        WHEN regexp_full_match({text}, '{DAY_MONTH_NAME}') THEN {day_name}
        WHEN regexp_full_match({text}, '{MONTH_NAME_DAY}') THEN {name_day}
        ELSE COALESCE(TRY_CAST({text} AS DATE), TRY_CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE)) END"""


def implausible_year_sql(date: str, rules: ValueRules) -> str:
    """True for a date outside the plausible years (also DuckDB's `infinity` dates, which have no year)."""
    return f"({date} < DATE '{int(rules.first_year):04d}-01-01' OR {date} > DATE '{int(rules.last_year):04d}-12-31')"


def refund_columns(role: str) -> tuple[str, ...]:
    """Columns whose negative values are refunds (tracking rows), not errors."""
    return ("orders", "revenue") if role == "tracking" else ()


def value_checks(
    role: str, kinds: dict[str, str], parsed: dict[str, str], rules: ValueRules
) -> list[tuple[str, str, str]]:
    """(column, condition, reason) of every rule a parsed value must meet, on either path.

    kinds: column -> kind (count, money, date) of the columns to check; parsed: column -> SQL of its
    value (the typed column or the text rule's reading).
    """
    checks = []
    for column, kind in kinds.items():
        value = parsed[column]
        if kind in ("count", "money"):
            checks.append((column, f"NOT isfinite({value})", "not a finite number"))
            if kind == "count":
                checks.append((column, f"isfinite({value}) AND {value} <> floor({value})", "not a whole number"))
            if column not in refund_columns(role):
                checks.append((column, f"{value} < 0", "negative value"))
        elif kind == "date":
            checks.append(
                (
                    column,
                    implausible_year_sql(value, rules),
                    f"year outside the plausible range {rules.first_year}–{rules.last_year}",
                )
            )
    if role == "tracking" and {"orders", "revenue"} <= set(kinds):
        orders, revenue = parsed["orders"], parsed["revenue"]
        checks.append(
            (
                "revenue",
                f"isfinite({revenue}) AND {revenue} < 0 AND {orders} > 0",
                "negative revenue on a row with orders (a refund row has 0 or negative orders)",
            )
        )
        checks.append(
            (
                "orders",
                f"isfinite({orders}) AND {orders} < 0 AND {revenue} > 0",
                "negative orders on a row with positive revenue (a refund row has negative revenue)",
            )
        )
    return checks


def typed_read_is_exact(
    connection, table: str, role: str, kinds: dict[str, str], rules: ValueRules = DEFAULT_RULES
) -> bool:
    """Whether a file read with typed columns holds only values the rule accepts as they are.

    DuckDB's typed read takes `nan`, `inf`, `2.5` orders and `16-01-25` (the year 16) without a
    word; such a file goes down the text path instead, where the rule reads or refuses each value.
    The checks of value_checks are made on each column's minimum and maximum (NaN sorts above
    every number), which costs a fraction of a row-by-row test; only a file with negative sales
    (refunds) is tested row by row for the refund rule.
    """
    checked = {column: kind for column, kind in kinds.items() if kind in ("count", "money", "date")}
    if not checked:
        return True
    verdicts = []
    for column, kind in checked.items():
        if kind == "date":
            verdicts.append(
                f"COALESCE(NOT {implausible_year_sql(f'min({column})', rules)} "
                f"AND NOT {implausible_year_sql(f'max({column})', rules)}, true)"
            )
            continue
        rule = f"isfinite(min({column})) AND isfinite(max({column}))"
        if kind == "count":
            rule += f" AND max({column} - floor({column})) = 0"
        if column not in refund_columns(role):
            rule += f" AND min({column}) >= 0"
        verdicts.append(f"COALESCE({rule}, true)")
    refunds = [f"min({column}) < 0" for column in refund_columns(role) if column in checked]
    row = connection.execute(
        f"SELECT {' AND '.join(verdicts)}, {' OR '.join(refunds) or 'false'} FROM {table}"
    ).fetchone()
    if not row[0] or not row[1]:
        return bool(row[0])
    conditions = " OR ".join(
        f"({condition})"
        for _, condition, _ in value_checks(role, checked, {column: column for column in checked}, rules)
    )
    return not connection.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {conditions})").fetchone()[0]


# The same rule in Python, for amounts inside rate texts (`₹2,500 per post`, `Rs 6k/reel`).
AMOUNT = CURRENCY + r"?\s*(" + r"\d+(?:\.\d+)?\s*" + _UNIT + r"\b|" + GROUPED_DOT + r"|\d+(?:\.\d+)?)" + r"(?:\s*/-)?"
_SHORTHAND_RE = re.compile(r"^" + r"(\d+(?:\.\d+)?)\s*" + _UNIT + r"$", re.IGNORECASE)


def amount(text: str) -> float:
    """The number of an AMOUNT match's group: `2,500` → 2500.0, `6k` → 6000.0, `1,23,456.5` → 123456.5."""
    text = text.strip()
    shorthand = _SHORTHAND_RE.match(text)
    if shorthand:
        return float(decimal.Decimal(shorthand.group(1)) * SHORTHAND_UNITS[shorthand.group(2).lower()])
    return float(text.replace(",", ""))
