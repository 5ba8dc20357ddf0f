"""Finding the input files of a data set and loading them, as text, into staging tables.

Every file is loaded with all columns as text so that validation can name the exact row and
value that is wrong; typing happens afterwards, in SQL. Headers are matched ignoring case and
surrounding spaces, through the aliases real data sets use (`ID`, `id`, `URL`, `payout_amount`...).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import duckdb

from warehouse import csvfile
from warehouse.errors import Problem
from warehouse.values import DEFAULT_RULES, ValueRules, typed_read_is_exact

# What each kind of file may hold: column -> value kind. Required columns are listed separately.
COLUMNS: dict[str, dict[str, str]] = {
    "influencers": {
        "influencer_id": "key",
        "name": "text",
        "platform": "text",
        "category": "text",
        "gender": "text",
        "follower_count": "count",
        "persona": "text",
        "url": "text",
        "tier": "text",
    },
    "posts": {
        "post_id": "key",
        "influencer_id": "text",
        "platform": "text",
        "date": "date",
        "brand": "text",
        "url": "text",
        "caption": "text",
        "reach": "count",
        "impressions": "count",
        "likes": "count",
        "comments": "count",
        "shares": "count",
        "saves": "count",
        "views": "count",
    },
    "tracking": {
        "tracking_id": "key",
        "influencer_id": "text",
        "date": "date",
        "campaign": "text",
        "product": "text",
        "brand": "text",
        "source": "text",
        "user_id": "text",
        "orders": "count",
        "revenue": "money",
        "region": "text",  # optional: the buyer's state (warehouse/region_tables.py)
    },
    "payouts": {
        "influencer_id": "text",
        "basis": "basis",
        "rate": "text",
        "posts": "count",
        "orders": "count",
        "total_revenue": "money",
        "total_payout": "money",
        "gifted_products_cost": "money",
        "other_cost": "money",
        "total_cost": "money",
    },
    "campaigns": {
        "campaign": "key",
        "brand": "text",
        "start_date": "date",
        "end_date": "date",
        "budget": "money",
    },
    # A brand's total daily sales, attributed or not (optional): the organic-sales check's input.
    "organic_sales": {
        "date": "date",
        "brand": "text",
        "product": "text",
        "orders": "count",
        "revenue": "money",
    },
    # seed1's per-platform exports: they add post metrics the posts file lacks.
    "instagram_insights": {
        "post_id": "text",
        "impressions": "count",
        "reach": "count",
        "likes": "count",
        "comments": "count",
        "shares": "count",
        "saves": "count",
    },
    "youtube_analytics": {
        "post_id": "text",
        "impressions": "count",
        "views": "count",
        "likes": "count",
        "comments": "count",
    },
    # Optional audience files (warehouse/audience_tables.py reads and checks the shares: text here).
    "audience_demographics": {
        "influencer_id": "text",
        "platform": "text",
        "age_band": "text",
        "gender": "text",
        "gender_age": "text",
        "share": "text",
    },
    "audience_geography": {
        "influencer_id": "text",
        "platform": "text",
        "city": "text",
        "state": "text",
        "country": "text",
        "share": "text",
    },
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "influencers": ("influencer_id", "name", "platform", "category", "follower_count"),
    "posts": ("influencer_id", "date"),
    "tracking": ("influencer_id", "date", "orders", "revenue"),
    "payouts": ("influencer_id", "basis"),
    "campaigns": ("campaign",),
    "organic_sales": ("date", "brand", "revenue"),
    "instagram_insights": ("post_id",),
    "youtube_analytics": ("post_id",),
    "audience_demographics": ("influencer_id", "share"),
    "audience_geography": ("influencer_id", "share"),
}

ROLE_BY_STEM = {
    "influencers": "influencers",
    "influencer": "influencers",
    "creators": "influencers",
    "posts": "posts",
    "post": "posts",
    "content": "posts",
    "tracking_data": "tracking",
    "tracking": "tracking",
    "sales": "tracking",
    "orders": "tracking",
    "payouts": "payouts",
    "payout": "payouts",
    "payments": "payouts",
    "campaigns": "campaigns",
    "campaign": "campaigns",
    "organic_sales": "organic_sales",
    "organic": "organic_sales",
    "total_sales": "organic_sales",
    "brand_sales": "organic_sales",
    "instagram_insights_data": "instagram_insights",
    "instagram_insights": "instagram_insights",
    "youtube_analytics_data": "youtube_analytics",
    "youtube_analytics": "youtube_analytics",
    "audience_demographics": "audience_demographics",
    "demographics": "audience_demographics",
    "audience": "audience_demographics",
    "audience_age_gender": "audience_demographics",
    "geographic_distribution": "audience_geography",
    "audience_geography": "audience_geography",
    "geography": "audience_geography",
    "audience_cities": "audience_geography",
    "audience_locations": "audience_geography",
}

AUDIENCE_SHARE_ALIASES = {
    name: "share"
    for name in (
        "views_percentage",
        "viewer_percentage",
        "viewerpercentage",
        "views_(%)",
        "views_%",
        "%_of_views",
        "percentage",
        "percent",
        "share_pct",
        "share_%",
        "audience_share",
        "audience_percentage",
        "followers_percentage",
        "followers_(%)",
    )
}
AUDIENCE_ID_ALIASES = {"id": "influencer_id", "creator_id": "influencer_id"}

ALIASES: dict[str, dict[str, str]] = {
    "influencers": {"id": "influencer_id", "followers": "follower_count", "influencer_name": "name"},
    "posts": {"id": "post_id", "brand_mentioned": "brand", "video_views": "views", "post_date": "date"},
    "tracking": {
        "order_date": "date",
        "amount": "revenue",
        "sales": "revenue",
        "utm_source": "source",
        "state": "region",
        "province": "region",
        "shipping_state": "region",
        "shipping_province": "region",
        "shipping_province_name": "region",
        "customer_state": "region",
        "billing_state": "region",
    },
    "payouts": {
        "payout_amount": "total_payout",
        "payout": "total_payout",
        "payout_total": "total_payout",
        "gifted_cost": "gifted_products_cost",
        "gifted_product_cost": "gifted_products_cost",
        "revenue": "total_revenue",
        "cost": "total_cost",
        "payout_basis": "basis",
    },
    "campaigns": {"name": "campaign", "campaign_name": "campaign", "start": "start_date", "end": "end_date"},
    "organic_sales": {"order_date": "date", "sales": "revenue", "amount": "revenue", "total_revenue": "revenue"},
    "instagram_insights": {},
    "youtube_analytics": {},
    # seed1 (age_group, views_percentage), the YouTube Analytics API (ageGroup, gender,
    # viewerPercentage) and Instagram's audience_gender_age keys ("F.18-24") as columns.
    "audience_demographics": {
        **AUDIENCE_SHARE_ALIASES,
        **AUDIENCE_ID_ALIASES,
        "age_group": "age_band",
        "age": "age_band",
        "age_range": "age_band",
        "agegroup": "age_band",
        "viewer_age": "age_band",
        "sex": "gender",
        "viewer_gender": "gender",
        "audience_gender_age": "gender_age",
    },
    # seed1 (city, views_percentage), the YouTube Analytics API (city, province, country) and
    # Instagram's audience_city ("Mumbai, Maharashtra") / audience_country.
    "audience_geography": {
        **AUDIENCE_SHARE_ALIASES,
        **AUDIENCE_ID_ALIASES,
        "audience_city": "city",
        "city_name": "city",
        "town": "city",
        "province": "state",
        "region": "state",
        "state_name": "state",
        "audience_country": "country",
        "geography": "country",
    },
}


def normalise_header(name: str) -> str:
    """A header cell as a canonical column name: BOM and outer spaces dropped, lower case, spaces and
    hyphens as single underscores ("Follower Count" -> "follower_count")."""
    return "_".join(name.strip().lstrip("\ufeff").strip().lower().replace("-", " ").split())


@dataclasses.dataclass
class SourceFile:
    """One input file staged in DuckDB by load(): its role, staging table and how to read its rows."""

    role: str
    path: Path
    table: str  # staging table with text columns, in file order
    first_line: int  # the line (or parquet row) number of the table's rowid 0
    columns: list[str]  # canonical column names present
    ignored_columns: list[str]
    rows: int
    typed: bool  # numbers and dates already parsed (clean file); else every column is text
    line_column: bool = False  # rows carry `source_line` (read through csvfile); else line = rowid + first_line
    warnings: list[Problem] = dataclasses.field(default_factory=list)  # what reading the file fixed
    # Text path: the SQL reading each number or date column (warehouse/values.py), decided per column.
    readings: dict[str, str] = dataclasses.field(default_factory=dict)
    buyers_reported: bool = False  # a store export names its own guest checkouts (store_orders), per file
    # An append over a store export's sales: its first rows are those sales, whose guest checkouts
    # the export's mapping states (store_orders.mapping_warnings); the buyer warning counts the rest.
    buyers_reported_rows: int = 0
    after_export: str | None = None  # and the name(s) of the files its rows after those came from
    # ... and the creators its code map's rows name as missing from the influencers (said there)
    named_creators: tuple[str, ...] = ()
    creators_checked: bool = False  # a store export's creators were checked on its code map (store_orders)
    # An append's merged sales: (file name, rows) of each import's rows, in file order (old, then new),
    # so warnings about rows name the file they came from, with that file's count (build.type_buyers).
    parts: tuple[tuple[str, int], ...] = ()
    # ... and the import each part came in (1: the import, 2: the first append, ...), so a payouts
    # file is compared with the sales that existed when it came (build.appended_orders).
    part_imports: tuple[int, ...] = ()
    # An append's merged sales or payouts: its first rows are the live data set's (this many), the
    # rest the appended folder's (None: not an append), so the appended sales' orders are told apart.
    live_rows: int | None = None
    # The SQL of each row's place in file order (`sale_no`): its rowid, or a store export's line position.
    order_column: str = "rowid"


@dataclasses.dataclass
class Sources:
    """The staged files of one import, by role, and the folder's files it does not read."""

    files: dict[str, SourceFile]
    unused: list[str]  # files in the folder that the import does not read


MAIN_ROLES = (
    "influencers",
    "posts",
    "tracking",
    "payouts",
    "campaigns",
    "organic_sales",
    "audience_demographics",
    "audience_geography",
)  # recognised by columns too
ROLE_LABELS = {
    "influencers": "influencers",
    "posts": "posts",
    "tracking": "sales (tracking data)",
    "payouts": "payouts",
    "campaigns": "campaigns",
    "organic_sales": "organic (total brand) sales",
    "instagram_insights": "Instagram insights",
    "youtube_analytics": "YouTube analytics",
    "audience_demographics": "audience demographics",
    "audience_geography": "audience geography",
}
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
# Words a spreadsheet or a download adds to a name: "tracking_data (1)", "Tracking Data - Copy",
# "tracking-data_2025", "posts_final_v2".
NAME_NOISE = re.compile(r"\d+|v\d+|copy|final|latest|new|updated|data")
# A summary another tool computed (ratios, totals): the import computes its own from the rows.
SUMMARY_NAME_WORDS = {"summary", "summaries", "performance", "metrics", "kpi", "kpis", "totals", "overview"}
SUMMARY_COLUMN_WORDS = {"roas", "roi", "overall", "avg", "average"}
DERIVED = "a derived summary (ratios or totals computed by another tool; the import computes its own)"


def role_by_name(name: str) -> str | None:
    """The role a file name says, ignoring case, separators, copy numbers, dates and versions;
    for Google Sheets' "<spreadsheet> - <sheet>.csv", either part may say it."""
    stem = Path(name).stem
    for part in (stem, *stem.split(" - ")[::-1]):
        role = ROLE_BY_STEM.get("_".join(w for w in _words(part) if not NAME_NOISE.fullmatch(w)))
        if role is not None:
            return role
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower())


def canonical_columns(role: str, header: list[str]) -> set[str]:
    """The known columns of `role` that a header holds (through the aliases)."""
    aliases = ALIASES[role]
    names = {aliases.get(n, n) for n in map(normalise_header, header)}
    return names & COLUMNS[role].keys()


def known_names(header: list[str]) -> int:
    """How many cells of a header are column names of some role: what the delimiter is chosen by."""
    return max(len(canonical_columns(role, header)) for role in COLUMNS)


def role_by_columns(header: list[str]) -> tuple[str | None, str]:
    """(role, "") when the header fits one main role best (all its required columns, most known
    columns), else (None, why not)."""
    if _looks_derived(header):
        return None, DERIVED
    fits = {
        role: len(canonical_columns(role, header))
        for role in MAIN_ROLES
        if set(REQUIRED[role]) <= canonical_columns(role, header)
    }
    best = [role for role, count in fits.items() if count == max(fits.values(), default=0)]
    if len(best) == 1:
        return best[0], ""
    if best:
        return None, f"its columns fit both the {ROLE_LABELS[best[0]]} and the {ROLE_LABELS[best[1]]} layouts"
    shown = ", ".join(h.strip() for h in header[:6] if h.strip()) + (", …" if len(header) > 6 else "")
    return None, f"not a recognised file (its columns {shown} fit no input layout)"


def _looks_derived(header: list[str]) -> bool:
    return any(set(normalise_header(h).split("_")) & SUMMARY_COLUMN_WORDS for h in header)


@dataclasses.dataclass
class Discovery:
    """discover()'s answer: the file of each role, with the warnings and errors of the choice."""

    files: dict[str, Path]  # role -> file
    unused: list[Problem]  # one warning per file the import does not read, saying why
    by_columns: list[Problem]  # one warning per file recognised by its columns, not its name
    errors: list[Problem]  # no folder, two candidates for one role, a required role missing


def discover(folder: Path) -> Discovery:
    """Map each role to its file: by name (role_by_name), else by columns (role_by_columns)."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return Discovery({}, [], [], [Problem(str(folder), None, None, None, "is not a folder")])
    by_name: dict[str, list[Path]] = {}
    by_columns: dict[str, list[Path]] = {}
    unused: list[Problem] = []
    recognised: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        role, by_its_columns, why_not = _recognise(path)
        if role is None:
            unused.append(_unused(path, why_not))
        else:
            (by_columns if by_its_columns else by_name).setdefault(role, []).append(path)
    by_role: dict[str, Path] = {}
    for role in COLUMNS:
        named, fitting = by_name.get(role, []), by_columns.get(role, [])
        candidates = named or fitting
        if len(candidates) > 1:
            problems.append(
                Problem(
                    candidates[1].name,
                    None,
                    None,
                    None,
                    f"two candidates for the {ROLE_LABELS[role]} file: {candidates[0].name} and "
                    f"{candidates[1].name}; keep one of them in the folder",
                )
            )
        elif candidates:
            by_role[role] = candidates[0]
            if not named:
                recognised.append(
                    Problem(
                        candidates[0].name,
                        None,
                        None,
                        None,
                        f"read as the {ROLE_LABELS[role]} file: recognised by its columns",
                    )
                )
        for path in fitting if named else []:
            unused.append(
                _unused(path, f"its columns fit the {ROLE_LABELS[role]} layout, but {named[0].name} is that file")
            )
    for role in ("influencers", "payouts"):
        if role not in by_role:
            hint = [p.file for p in unused if role_by_name(p.file) == role]
            problems.append(
                Problem(
                    str(folder),
                    None,
                    None,
                    None,
                    f"no {role} file (expected {role}.csv, or a file with the columns "
                    f"{', '.join(REQUIRED[role])})" + (f"; {hint[0]} is not usable" if hint else ""),
                )
            )
    return Discovery(by_role, unused, recognised, problems)


def _recognise(path: Path) -> tuple[str | None, bool, str]:
    """(role, recognised by its columns rather than its name, why not when role is None)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods", ".numbers"):
        return None, False, 'a spreadsheet workbook: save each sheet as "CSV UTF-8 (Comma delimited)"'
    if suffix not in (*TEXT_SUFFIXES, ".parquet"):
        return None, False, "not a CSV or Parquet file"
    role = role_by_name(path.name)
    if role is not None:
        return role, False, ""
    if set(_words(path.stem)) & SUMMARY_NAME_WORDS:
        return None, False, DERIVED
    if path.stat().st_size == 0:
        return None, False, "an empty file"
    header = _header_for_recognition(path)
    if header is None:
        return None, False, "not a recognised file (no header could be read)"
    role, why_not = role_by_columns(header)
    return role, True, why_not


def _header_for_recognition(path: Path) -> list[str] | None:
    if path.suffix.lower() == ".parquet":
        try:
            with duckdb.connect() as connection:
                return _parquet_header(connection, path)
        except duckdb.Error:
            return None
    layout, _ = csvfile.sniff(path, known_names)
    return None if layout is None else layout.header


def _unused(path: Path, reason: str) -> Problem:
    return Problem(path.name, None, None, None, f"not used: {reason}")


def _parquet_header(connection: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return [row[0] for row in connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]


def load(
    connection: duckdb.DuckDBPyConnection, role: str, path: Path, rules: ValueRules = DEFAULT_RULES
) -> tuple[SourceFile | None, list[Problem]]:
    """Stage one file as table `raw_<role>`, typed if every value reads exactly so (values.py), else
    as text.

    Returns (SourceFile, []) or (None, problems): an empty or unreadable file, a header without
    data rows, a column given twice, a required column missing (each Problem names the file, the
    header line and the column). Problems are returned, never raised.
    """
    name = path.name
    if path.stat().st_size == 0:
        return None, [Problem(name, None, None, None, "file is empty")]
    is_parquet = path.suffix.lower() == ".parquet"
    layout = None
    if is_parquet:
        try:
            header = _parquet_header(connection, path)
        except duckdb.Error as exc:
            return None, [_unreadable(name, exc, path)]
    else:
        layout, sniffed = csvfile.sniff(path, lambda cells: len(canonical_columns(role, cells)))
        if layout is None:
            return None, sniffed
        header = layout.header
    if not any(h.strip() for h in header):
        return None, [Problem(name, None, None, None, "file is empty (no header)")]

    selected, ignored, problems = select_columns(role, name, header, layout.header_line if layout else 1)
    if problems:
        return None, problems

    table = f"raw_{role}"
    staged, problems = _stage_file(connection, role, table, path, layout, header, selected, rules)
    if staged is None:
        return None, problems
    typed, line_column, warnings = staged
    rows = connection.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    if rows == 0:
        blank = " (the rows below it are blank)" if warnings else ""
        return None, [Problem(name, None, None, None, f"file has a header but no data rows{blank}")]
    first_line = 1 if is_parquet else 2  # parquet rows count from 1; a CSV's line 1 is its header
    return SourceFile(role, path, table, first_line, list(selected), ignored, rows, typed, line_column, warnings), []


def select_columns(
    role: str, name: str, header: list[str], header_line: int
) -> tuple[dict[str, str], list[str], list[Problem]]:
    """The columns of a file's header that the role reads: ({canonical: column as written}, columns
    not used, problems: a column given twice, a required column missing), whichever engine reads it."""
    known = COLUMNS[role]
    aliases = ALIASES[role]
    selected: dict[str, str] = {}  # canonical -> source column
    ignored: list[str] = []
    problems: list[Problem] = []
    for original in header:
        canonical = normalise_header(original)
        canonical = aliases.get(canonical, canonical)
        if canonical not in known:
            if original.strip():
                ignored.append(original)
        elif canonical in selected:
            problems.append(Problem(name, header_line, original, None, f"column {canonical} appears twice"))
        else:
            selected[canonical] = original
    for column in REQUIRED[role]:
        if column not in selected:
            problems.append(
                Problem(name, header_line, column, None, "missing required column" + _header_as_read(header))
            )
    return selected, ignored, problems


def _header_as_read(header: list[str]) -> str:
    shown = ", ".join(repr(h.strip()) for h in header[:8]) + (", …" if len(header) > 8 else "")
    return f" (the header's {len(header)} column{'s' if len(header) != 1 else ''}: {shown})"


def _unreadable(name: str, exc: Exception, *paths: Path) -> Problem:
    """The whole-file problem of a file DuckDB could not read: DuckDB's first line, with the paths it
    read (the user's file, or csvfile's clean copy in the temporary folder) shown as the file's name,
    since a server's folders (an upload's is a random temporary one) are nothing the reader can use."""
    # DuckDB's exception class ("Invalid Input Error: ") means nothing to the person who sent the file
    line = re.sub(r"^[A-Za-z ]*Error: ", "", str(exc).splitlines()[0])
    for path in paths:
        for form in dict.fromkeys((str(path), path.as_posix())):
            line = line.replace(form, name)
    if name.lower().endswith(".parquet"):
        line += ": not a whole Parquet file (cut short or damaged): export it again"
    return Problem(name, None, None, None, f"unreadable file: {line}")


@dataclasses.dataclass(frozen=True)
class Reading:
    """What DuckDB reads: a parquet file, the user's CSV itself, or csvfile's clean copy of it."""

    path: Path
    delimiter: str | None  # None for parquet
    header: list[str]  # the file's columns, in order
    line_column: bool  # the first column holds each row's line in the user's file (a copy)


def _stage_file(
    connection,
    role: str,
    table: str,
    path: Path,
    layout: csvfile.Layout | None,
    header: list[str],
    selected: dict[str, str],
    rules: ValueRules = DEFAULT_RULES,
):
    """Stage `path` into `table`: DuckDB reads it itself when it can (parquet; a UTF-8 CSV it reads
    strictly, without blank rows), else it reads csvfile's clean copy.

    Returns ((typed, line_column, warnings), []) or (None, errors)."""
    name = path.name
    if layout is None or layout.direct:
        try:
            direct = Reading(path, layout.delimiter if layout else None, header, False)
            typed = _stage_typed_or_text(connection, role, table, direct, selected, rules)
            if layout is None or (
                not _has_blank_rows(connection, table) and _one_line_per_row(connection, table, path)
            ):
                return (typed, False, []), []
        except duckdb.Error as exc:
            if layout is None:
                return None, [_unreadable(name, exc, path)]
            # Not UTF-8, or rows of other lengths than the header: csvfile reads and names them.
    role_columns = {source: canonical for canonical, source in selected.items()}
    known = COLUMNS[role]
    kinds = [known[role_columns[h]] if h in role_columns else "text" for h in header]
    with csvfile.rewritten(path, layout, kinds) as copy:
        if copy.path is None:
            return None, copy.errors
        try:
            typed = _stage_typed_or_text(
                connection, role, table, Reading(copy.path, ",", copy.header, True), selected, rules
            )
        except duckdb.Error as exc:
            return None, [_unreadable(name, exc, path, copy.path)]
    return (typed, True, copy.warnings), []


def _stage_typed_or_text(
    connection, role: str, table: str, reading: Reading, selected: dict[str, str], rules: ValueRules = DEFAULT_RULES
) -> bool:
    """Stage typed if every value parses and the value rule takes each as DuckDB read it (the fast
    path for clean files), else as text, where the rule reads each value and validation names each
    bad one as written. Returns whether typed; raises duckdb.Error if unreadable."""
    try:
        _stage(connection, table, reading, selected, {c: SQL_TYPES[COLUMNS[role][c]] for c in selected})
        if typed_read_is_exact(connection, table, role, {c: COLUMNS[role][c] for c in selected}, rules):
            return True
    except duckdb.Error:
        pass
    _stage(connection, table, reading, selected, {c: "VARCHAR" for c in selected})
    return False


def _one_line_per_row(connection, table: str, path: Path) -> bool:
    """Whether each staged row is one line of the file, so that a row's line is its rowid + 2. Not so
    when a quoted cell holds a line break (a caption, a note) or an empty line sits between rows
    (DuckDB skips it without a word): csvfile's copy then gives each row its own line. Trailing
    line breaks at the end of the file are not rows. One pass counting the file's line breaks."""
    breaks, tail = 0, b""
    with path.open("rb", buffering=0) as handle:  # about 1 s of CPU a GB
        while chunk := handle.read(csvfile.CHUNK_BYTES):
            breaks += chunk.count(b"\n")
            tail = chunk[-4096:] if len(chunk) >= 4096 else (tail + chunk)[-4096:]
    trailing = len(tail) - len(tail.rstrip(b"\r\n"))
    lines = breaks - tail[len(tail) - trailing :].count(b"\n") + 1  # the last line with text, counted
    (rows,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
    return lines == rows + 1


def _has_blank_rows(connection, table: str) -> bool:
    """Whether some staged row is empty in every column (rows of bare delimiters)."""
    columns = connection.execute(f"DESCRIBE {table}").fetchall()
    blank = " AND ".join(
        f"({c} IS NULL OR trim({c}) = '')" if t == "VARCHAR" else f"{c} IS NULL" for c, t, *_ in columns
    )
    return connection.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {blank})").fetchone()[0]


# Counts are read as DOUBLE: DuckDB's BIGINT read rounds `2.5` to 3, which the value rule refuses.
SQL_TYPES = {
    "key": "VARCHAR",
    "text": "VARCHAR",
    "basis": "VARCHAR",
    "count": "DOUBLE",
    "money": "DOUBLE",
    "date": "DATE",
}


def _stage(connection, table: str, reading: Reading, selected: dict[str, str], types: dict[str, str]):
    """Create `table` with the selected columns of the file, in file order, with the given types
    (and `source_line`, each row's line in the user's file, when reading a clean copy)."""
    if reading.delimiter is None:
        quoted = {canonical: '"' + src.replace('"', '""') + '"' for canonical, src in selected.items()}
        columns = ", ".join(f"CAST({quoted[c]} AS {types[c]}) AS {c}" for c in selected)
        reader = "read_parquet(?)"
    else:
        # Explicit positional columns: c0..cN typed as asked (unused ones as text), no sniffing.
        offset = 1 if reading.line_column else 0
        position = {canonical: reading.header.index(src) + offset for canonical, src in selected.items()}
        type_of_position = {i: "VARCHAR" for i in range(len(reading.header) + offset)}
        type_of_position.update({position[c]: types[c] for c in selected})
        if reading.line_column:
            type_of_position[0] = "BIGINT"
        spec = ", ".join(f"'c{i}': '{t}'" for i, t in type_of_position.items())
        columns = ", ".join(
            [f"c0 AS {csvfile.LINE_COLUMN}"] * reading.line_column + [f"c{position[c]} AS {c}" for c in selected]
        )
        delimiter = reading.delimiter.replace("'", "''")
        reader = (
            f"read_csv(?, header=true, delim='{delimiter}', quote='\"', escape='\"', columns={{{spec}}}, "
            f"auto_detect=false, encoding='utf-8', strict_mode=true, buffer_size={buffer_size(reading.path)})"
        )
    connection.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {columns} FROM {reader}", [str(reading.path)])


ROW_GROUP_ROWS = 122_880  # DuckDB's rows per row group


def buffer_size(path: Path) -> int:
    """Bytes the CSV reader hands each thread at a time: room for two row groups of this file's lines
    (16–64 MiB: capped so that files of long lines on many cores stay within memory).

    The staging table keeps file order (row numbers name lines in messages, and "first order"
    means first in the file), and DuckDB's ordered insert is slow when each batch holds less than
    a row group, which its default buffer does for a typical tracking file: staging 10M orders
    took 3.2 s with it, 2.1–2.3 s with buffers of 16–32 MiB. A store order export's read
    (store_orders._reader) takes the same size: 2.7 → 2.0 s of CPU for 2M line items.
    """
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    line_bytes = len(sample) / max(sample.count(b"\n"), 1)
    return int(min(max(2 * ROW_GROUP_ROWS * line_bytes, 16 << 20), 64 << 20))


def line_of(source: SourceFile) -> str:
    """SQL expression giving each staged row's line number in its file (rows keep file order)."""
    return csvfile.LINE_COLUMN if source.line_column else f"(rowid + {source.first_line})"
