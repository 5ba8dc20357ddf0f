"""The import's DuckDB SQL, run on Spark: translated with SQLGlot, plus the few rules where the engines differ.

The build's SQL (value rule, checks, cleaning, first orders, sales cells, cost allocation, facts and
rollups, customer cohorts) is written once, in DuckDB's dialect, in warehouse/values.py, validate.py,
build.py and customer_tables.py.
SQLGlot (https://sqlglot.com, `transpile(..., read="duckdb", write="spark")`) translates its syntax;
what differs in *meaning* between the two engines is rewritten here, and only here:

- casts of text to numbers and dates: DuckDB's `TRY_CAST` accepts `1_000`, `2025/01/16`, `16-01-25`
  (year 16) and refuses `1.5d`, `0x10`, `2025`; Spark's cast accepts the opposite. Text is cast on
  Spark only after a pattern of what DuckDB accepts (DOUBLE_TEXT, DATE_TEXT), dates through
  `make_date` from their parts;
- `trim`: DuckDB strips Unicode space separators (category Zs: U+0020, U+00A0, U+2000…), Spark only
  U+0020;
- regular expressions: DuckDB's `regexp_full_match` and the `'i'` option, back-references `\\1`
  in replacements (Java: `$1`), and `regexp_replace` replacing only the first match (every use
  here is anchored, so first and all are the same; an unanchored one is refused);
- `isfinite`, `list_position`, `floor` of doubles beyond 2^52 (Spark's floor returns a BIGINT);
- `/`: DuckDB divides in DOUBLE whatever the operands, Spark keeps a DECIMAL operand's type
  (`1.0 / 3` is 0.333333 there): the dividend is cast to DOUBLE;
- the build's ENUM types (build._create_dimension_types) are DuckDB's: a cast to one keeps the text
  on Spark, and DuckDB casts it when it loads the tables Spark wrote (spark.build_facts).

Anything SQLGlot cannot express for Spark raises instead of being dropped (`unsupported_level`).
Spark must run with `spark.sql.ansi.enabled=false`: casts that fail give NULL, as DuckDB's `TRY_CAST`
does, and the rule's SQL guards its plain casts itself.
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

# Unicode space separators (category Zs), which DuckDB's trim strips.
SPACE_SEPARATORS = " \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
# What DuckDB's TRY_CAST(text AS DOUBLE) reads: decimal numbers with optional exponent and digit
# separators `_` (between digits), surrounding ASCII white space; nan/inf/infinity in any case.
DOUBLE_TEXT = r"^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?\s*$"
SPECIAL_DOUBLES = ("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
# What DuckDB's TRY_CAST(text AS DATE) reads: year, month, day with '-' or '/', optionally a time
# and a zone; group 1 year, 3 month, 4 day.
DATE_TEXT = (
    r"^\s*(\d{1,4})([-/])(\d{1,2})\2(\d{1,2})"
    r"(?:[ T](?:[01]?\d|2[0-3])(?::[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?(?: [AaPp][Mm])?"
    r"(?:\s*(?:Z|[+-]\d{1,2}(?::?\d{2})?))?)?\s*$"
)


def _literal(text: str) -> exp.Literal:
    return exp.Literal.string(text)


def _sql(template: str, **parts: exp.Expression) -> exp.Expression:
    """An expression from Spark SQL text, with `{name}` holes filled by expressions."""
    parsed = sqlglot.parse_one(template, read="spark")
    return parsed.transform(
        lambda node: parts[node.name].copy() if isinstance(node, exp.Column) and node.name in parts else node
    )


def _trimmed(value: exp.Expression) -> exp.Expression:
    return exp.Trim(this=value, expression=_literal(SPACE_SEPARATORS))


def _double_of_text(value: exp.Expression) -> exp.Expression:
    specials = ", ".join(f"'{s}'" for s in SPECIAL_DOUBLES)
    return _sql(
        f"CASE WHEN CAST(__v AS STRING) RLIKE '{_escape(DOUBLE_TEXT)}' "
        f"OR LOWER(TRIM(CAST(__v AS STRING))) IN ({specials}) "
        "THEN CAST(REPLACE(CAST(__v AS STRING), '_', '') AS DOUBLE) END",
        __v=value,
    )


def _date_of_text(value: exp.Expression) -> exp.Expression:
    # DuckDB also reads the words `epoch` and `infinity` (`inf`); the value rule refuses both as years
    # outside the plausible range, so they are read as the dates DuckDB gives them.
    part = "CAST(REGEXP_EXTRACT(CAST(__v AS STRING), '{pattern}', {group}) AS INT)"
    pattern = _escape(DATE_TEXT)
    year, month, day = (part.format(pattern=pattern, group=g) for g in (1, 3, 4))
    return _sql(
        f"CASE WHEN CAST(__v AS STRING) RLIKE '{pattern}' THEN MAKE_DATE({year}, {month}, {day}) "
        "WHEN LOWER(TRIM(CAST(__v AS STRING))) = 'epoch' THEN DATE '1970-01-01' "
        "WHEN LOWER(TRIM(CAST(__v AS STRING))) IN ('inf', 'infinity') THEN DATE '9999-12-31' "
        "WHEN LOWER(TRIM(CAST(__v AS STRING))) IN ('-inf', '-infinity') THEN DATE '0001-01-01' END",
        __v=value,
    )


def _escape(pattern: str) -> str:
    """A regular expression as a Spark SQL string literal's body (backslashes and quotes escaped)."""
    return pattern.replace("\\", "\\\\").replace("'", "\\'")


TIMESTAMPS = (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ)


def _is_timestamp_cast(node: exp.Expression) -> bool:
    return isinstance(node, exp.Cast) and node.to.is_type(*TIMESTAMPS)


def _flags(pattern: exp.Expression, options: exp.Expression | None) -> exp.Expression:
    """The pattern with DuckDB's 'i' option as Java's inline flag."""
    if options is None:
        return pattern
    flags = options.name
    if set(flags) - {"i"}:
        raise NotImplementedError(f"regular expression option {flags!r} has no Spark equivalent here")
    if not isinstance(pattern, exp.Literal):
        raise NotImplementedError("a case-insensitive regular expression must be a literal")
    return _literal("(?i)" + pattern.name)


def _full_match(node: exp.RegexpFullMatch) -> exp.Expression:
    pattern = node.expression
    if not isinstance(pattern, exp.Literal):
        raise NotImplementedError("regexp_full_match needs a literal pattern")
    # \z: Java's $ would also match before a final line break, RE2's does not.
    anchored = _literal("^(?:" + pattern.name + r")\z")
    return exp.RegexpLike(this=node.this, expression=_flags(anchored, node.args.get("options")))


def _replace(node: exp.RegexpReplace) -> exp.Expression:
    pattern = node.expression
    if not isinstance(pattern, exp.Literal):
        raise NotImplementedError("regexp_replace needs a literal pattern")
    text = pattern.name
    anchored = text.startswith("^") or (text.endswith("$") and not text.endswith("\\$"))
    modifiers = node.args.get("modifiers")
    if not anchored and "g" not in (modifiers.name if modifiers is not None else ""):
        raise NotImplementedError(f"regexp_replace of the first match only ({text!r}) differs on Spark")
    replacement = node.args["replacement"]
    if isinstance(replacement, exp.Literal):
        body = replacement.name.replace("$", "\\$")
        for group in range(9, -1, -1):
            body = body.replace(f"\\{group}", f"${group}")
        replacement = _literal(body)
    return exp.RegexpReplace(
        this=node.this,
        expression=_flags(pattern, node.args.get("modifiers")),
        replacement=replacement,
    )


def _extract(node: exp.RegexpExtract) -> exp.Expression:
    return exp.RegexpExtract(
        this=node.this,
        expression=_flags(node.expression, node.args.get("parameters")),
        group=node.args.get("group") or exp.Literal.number(0),
    )


def _anonymous(node: exp.Anonymous) -> exp.Expression:
    name = node.name.lower()
    args = node.expressions
    if name == "isfinite":
        return _sql("NOT ISNAN(__v) AND ABS(__v) <> DOUBLE('Infinity')", __v=args[0])
    if name == "list_position":
        return _sql("NULLIF(ARRAY_POSITION(__a, __v), 0)", __a=args[0], __v=args[1])
    return node


def _rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.TryCast) or isinstance(node, exp.Cast):
        inner = node.this
        if node.to.this == exp.DataType.Type.USERDEFINED:  # the build's ENUMs: text on Spark
            return inner
        if node.to.is_type(exp.DataType.Type.DATE) and _is_timestamp_cast(inner):
            return _date_of_text(inner.this)
        if isinstance(node, exp.TryCast) and node.to.is_type(exp.DataType.Type.DOUBLE):
            return _double_of_text(inner)
        if isinstance(node, exp.TryCast) and node.to.is_type(exp.DataType.Type.DATE):
            return _date_of_text(inner)
        return node
    if isinstance(node, exp.Trim) and node.args.get("expression") is None:
        return _trimmed(node.this)
    if isinstance(node, exp.RegexpFullMatch):
        return _full_match(node)
    if isinstance(node, exp.RegexpReplace):
        return _replace(node)
    if isinstance(node, exp.RegexpExtract):
        return _extract(node)
    if isinstance(node, exp.Floor) and node.args.get("decimals") is None:
        return _sql("CASE WHEN ABS(__v) >= 4503599627370496 THEN __v ELSE FLOOR(__v) END", __v=node.this)
    if isinstance(node, exp.Anonymous):
        return _anonymous(node)
    if isinstance(node, exp.Div):
        return _sql("CAST(__a AS DOUBLE) / __b", __a=node.this, __b=node.expression)
    return node


@functools.lru_cache(maxsize=512)
def to_spark(sql: str) -> str:
    """Spark SQL for one DuckDB statement or expression of the import (see the module's notes).

    Raises NotImplementedError for a construct whose meaning this module does not carry over, and
    sqlglot's errors for one SQLGlot cannot write for Spark."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    # Children before parents: a rewritten expression embeds its already rewritten operands.
    for node in reversed(list(tree.dfs())):
        assert isinstance(node, exp.Expression)
        new = _rewrite(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    if any(isinstance(node, exp.TryCast) and node.to.is_type(*TIMESTAMPS) for node in tree.dfs()):
        raise NotImplementedError("TRY_CAST(... AS TIMESTAMP) is translated only inside a cast to DATE")
    return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)
