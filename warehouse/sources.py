"""Finding the input files of a data set and loading them, as text, into staging tables.

Every file is loaded with all columns as text so that validation can name the exact row and
value that is wrong; typing happens afterwards, in SQL. Headers are matched ignoring case and
surrounding spaces, through the aliases real data sets use (`ID`, `id`, `URL`, `payout_amount`...).
"""
from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import duckdb

from warehouse.errors import Problem
from warehouse.values import DEFAULT_RULES, ValueRules, typed_read_is_exact

# What each kind of file may hold: column -> value kind. Required columns are listed separately.
COLUMNS: dict[str, dict[str, str]] = {
    "influencers": {
        "influencer_id": "key", "name": "text", "platform": "text", "category": "text",
        "gender": "text", "follower_count": "count", "persona": "text", "url": "text", "tier": "text",
    },
    "posts": {
        "post_id": "key", "influencer_id": "text", "platform": "text", "date": "date", "brand": "text",
        "url": "text", "caption": "text", "reach": "count", "impressions": "count", "likes": "count",
        "comments": "count", "shares": "count", "saves": "count", "views": "count",
    },
    "tracking": {
        "tracking_id": "key", "influencer_id": "text", "date": "date", "campaign": "text",
        "product": "text", "brand": "text", "source": "text", "user_id": "text",
        "orders": "count", "revenue": "money",
    },
    "payouts": {
        "influencer_id": "text", "basis": "basis", "rate": "text", "posts": "count", "orders": "count",
        "total_revenue": "money", "total_payout": "money", "gifted_products_cost": "money",
        "other_cost": "money", "total_cost": "money",
    },
    "campaigns": {
        "campaign": "key", "brand": "text", "start_date": "date", "end_date": "date", "budget": "money",
    },
    # seed1's per-platform exports: they add post metrics the posts file lacks.
    "instagram_insights": {
        "post_id": "text", "impressions": "count", "reach": "count", "likes": "count",
        "comments": "count", "shares": "count", "saves": "count",
    },
    "youtube_analytics": {
        "post_id": "text", "impressions": "count", "views": "count", "likes": "count", "comments": "count",
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "influencers": ("influencer_id", "name", "platform", "category", "follower_count"),
    "posts": ("influencer_id", "date"),
    "tracking": ("influencer_id", "date", "orders", "revenue"),
    "payouts": ("influencer_id", "basis"),
    "campaigns": ("campaign",),
    "instagram_insights": ("post_id",),
    "youtube_analytics": ("post_id",),
}

ROLE_BY_STEM = {
    "influencers": "influencers", "influencer": "influencers", "creators": "influencers",
    "posts": "posts", "post": "posts", "content": "posts",
    "tracking_data": "tracking", "tracking": "tracking", "sales": "tracking", "orders": "tracking",
    "payouts": "payouts", "payout": "payouts", "payments": "payouts",
    "campaigns": "campaigns", "campaign": "campaigns",
    "instagram_insights_data": "instagram_insights", "instagram_insights": "instagram_insights",
    "youtube_analytics_data": "youtube_analytics", "youtube_analytics": "youtube_analytics",
}

ALIASES: dict[str, dict[str, str]] = {
    "influencers": {"id": "influencer_id", "followers": "follower_count", "influencer_name": "name"},
    "posts": {"id": "post_id", "brand_mentioned": "brand", "video_views": "views", "post_date": "date"},
    "tracking": {"order_date": "date", "amount": "revenue", "sales": "revenue", "utm_source": "source"},
    "payouts": {
        "payout_amount": "total_payout", "payout": "total_payout", "payout_total": "total_payout",
        "gifted_cost": "gifted_products_cost", "gifted_product_cost": "gifted_products_cost",
        "revenue": "total_revenue", "cost": "total_cost", "payout_basis": "basis",
    },
    "campaigns": {"name": "campaign", "campaign_name": "campaign", "start": "start_date", "end": "end_date"},
    "instagram_insights": {},
    "youtube_analytics": {},
}


def normalise_header(name: str) -> str:
    return "_".join(name.strip().lstrip("\ufeff").strip().lower().replace("-", " ").split())


@dataclasses.dataclass
class SourceFile:
    role: str
    path: Path
    table: str  # staging table with text columns, in file order
    first_line: int  # the line (or parquet row) number of the table's rowid 0
    columns: list[str]  # canonical column names present
    ignored_columns: list[str]
    rows: int
    typed: bool  # numbers and dates already parsed (clean file); else every column is text
    # Text path: the SQL reading each number or date column (warehouse/values.py), decided per column.
    readings: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Sources:
    files: dict[str, SourceFile]
    unused: list[str]  # files in the folder that the import does not read


def discover(folder: Path) -> tuple[dict[str, Path], list[str], list[Problem]]:
    """Map each role to its file; list the files not used; report folders that make no sense."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return {}, [], [Problem(str(folder), None, None, None, "is not a folder")]
    by_role: dict[str, Path] = {}
    unused: list[str] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        role = ROLE_BY_STEM.get(normalise_header(path.stem))
        if path.suffix.lower() not in (".csv", ".parquet") or role is None:
            unused.append(path.name)
        elif role in by_role:
            problems.append(Problem(path.name, None, None, None, f"second file for {role} (also {by_role[role].name})"))
        else:
            by_role[role] = path
    for role in ("influencers", "payouts"):
        if role not in by_role:
            problems.append(Problem(str(folder), None, None, None, f"no {role} file (expected {role}.csv)"))
    return by_role, unused, problems


def _csv_header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _parquet_header(connection: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return [row[0] for row in connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]


def load(connection: duckdb.DuckDBPyConnection, role: str, path: Path,
         rules: ValueRules = DEFAULT_RULES) -> tuple[SourceFile | None, list[Problem]]:
    """Stage one file, typed if every value reads exactly so (values.py), else as text. Returns
    problems instead of raising."""
    name = path.name
    if path.stat().st_size == 0:
        return None, [Problem(name, None, None, None, "file is empty")]
    is_parquet = path.suffix.lower() == ".parquet"
    try:
        header = _parquet_header(connection, path) if is_parquet else _csv_header(path)
    except (UnicodeDecodeError, csv.Error, duckdb.Error) as exc:
        return None, [Problem(name, None, None, None, f"unreadable file: {exc}")]
    if not any(h.strip() for h in header):
        return None, [Problem(name, None, None, None, "file is empty (no header)")]

    known = COLUMNS[role]
    aliases = ALIASES[role]
    selected: dict[str, str] = {}  # canonical -> source column
    ignored: list[str] = []
    problems: list[Problem] = []
    for original in header:
        canonical = normalise_header(original)
        canonical = aliases.get(canonical, canonical)
        if canonical not in known:
            ignored.append(original)
        elif canonical in selected:
            problems.append(Problem(name, 1, original, None, f"column {canonical} appears twice"))
        else:
            selected[canonical] = original
    for column in REQUIRED[role]:
        if column not in selected:
            problems.append(Problem(name, 1, column, None, "missing required column"))
    if problems:
        return None, problems

    table = f"raw_{role}"
    # Typed first: the fast path for clean files. A value that does not parse, or that the value
    # rule would not take as DuckDB read it, sends the file down the text path, where the rule
    # reads each value and validation names each bad one as written.
    for typed in (True, False):
        try:
            _stage(connection, table, path, header, selected, {c: SQL_TYPES[known[c]] if typed else "VARCHAR"
                                                                  for c in selected})
            if not typed or typed_read_is_exact(connection, table, role, {c: known[c] for c in selected}, rules):
                break
        except duckdb.Error as exc:
            if not typed:
                message = str(exc).splitlines()[0]
                return None, [Problem(name, None, None, None, f"unreadable file: {message}")]
    rows = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    if rows == 0:
        return None, [Problem(name, None, None, None, "file has a header but no data rows")]
    first_line = 1 if is_parquet else 2  # parquet rows count from 1; a CSV's line 1 is its header
    return SourceFile(role, path, table, first_line, list(selected), ignored, rows, typed), []


# Counts are read as DOUBLE: DuckDB's BIGINT read rounds `2.5` to 3, which the value rule refuses.
SQL_TYPES = {"key": "VARCHAR", "text": "VARCHAR", "basis": "VARCHAR", "count": "DOUBLE", "money": "DOUBLE",
             "date": "DATE"}


def _stage(connection, table: str, path: Path, header: list[str], selected: dict[str, str], types: dict[str, str]):
    """Create `table` with the selected columns of the file, in file order, with the given types."""
    if path.suffix.lower() == ".parquet":
        quoted = {canonical: '"' + src.replace('"', '""') + '"' for canonical, src in selected.items()}
        columns = ", ".join(f"CAST({quoted[c]} AS {types[c]}) AS {c}" for c in selected)
        reader = "read_parquet(?)"
    else:
        # Explicit positional columns: c0..cN typed as asked (unused ones as text), no sniffing.
        position = {canonical: header.index(src) for canonical, src in selected.items()}
        type_of_position = {i: "VARCHAR" for i in range(len(header))}
        type_of_position.update({position[c]: types[c] for c in selected})
        spec = ", ".join(f"'c{i}': '{t}'" for i, t in type_of_position.items())
        columns = ", ".join(f"c{position[c]} AS {c}" for c in selected)
        reader = (f"read_csv(?, header=true, delim=',', quote='\"', escape='\"', columns={{{spec}}}, "
                  f"auto_detect=false, encoding='utf-8', strict_mode=true, buffer_size={_buffer_size(path)})")
    connection.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {columns} FROM {reader}", [str(path)])


ROW_GROUP_ROWS = 122_880  # DuckDB's rows per row group


def _buffer_size(path: Path) -> int:
    """Bytes the CSV reader hands each thread at a time: room for two row groups of this file's lines
    (16–64 MiB: capped so that files of long lines on many cores stay within memory).

    The staging table keeps file order (row numbers name lines in messages, and "first order"
    means first in the file), and DuckDB's ordered insert is slow when each batch holds less than
    a row group, which its default buffer does for a typical tracking file: staging 10M orders
    took 3.2 s with it, 2.1–2.3 s with buffers of 16–32 MiB.
    """
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    line_bytes = len(sample) / max(sample.count(b"\n"), 1)
    return int(min(max(2 * ROW_GROUP_ROWS * line_bytes, 16 << 20), 64 << 20))


def line_of(source: SourceFile) -> str:
    """SQL expression giving each staged row's line number in its file (rows keep file order)."""
    return f"(rowid + {source.first_line})"
