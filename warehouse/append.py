"""Append mode: a new month of sales, posts and payouts added to the live data set.

The live data set's validated sources (kept by every import, warehouse.history) and the new
folder's files are staged side by side; the new files are checked row by row as an import
would check them; overlaps with what is already there are refused; then each role's rows are
written, old then new, to a folder that the importer builds and swaps in like any import (spend
allocation needs every sale, so the whole data set is rebuilt, never patched).

Overlaps refused (each names the new file, row, column and value):
- a tracking_id or post_id (or insights post_id) already present;
- sales or posts of an influencer dated within the range the live data set already has for that
  influencer (first to last date): a month imported twice, or two exports of the same period;
- a payout row identical to one already present (payouts carry no date);
- an influencer or campaign already present with different details (identical rows are merged).

Audience files are snapshots (a platform's audience export at one time), so they are not refused:
a creator's rows in a new audience file replace that creator's rows of the same file kind (and of
the same platform, when both files name platforms); other creators' rows stay. Each replacement is
stated in the import report (a warning naming the file, the creators and the rows replaced).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb

from metrics import format as fmt
from warehouse import history, store_orders
from warehouse.db import quiet
from warehouse.errors import MAX_SHOWN, ImportFailed, Problem
from warehouse.sources import SourceFile, discover, line_of, load
from warehouse.validate import Findings, check_values
from warehouse.values import date_sql

APPENDABLE = ("tracking", "posts", "payouts", "audience_demographics", "audience_geography")
REPLACED_BY_CREATOR = ("audience_demographics", "audience_geography")  # newer rows of a creator replace older
SHOWN_CREATORS = 10  # creators named in a replacement's warning
KEYS = {
    "tracking": "tracking_id",
    "posts": "post_id",
    "instagram_insights": "post_id",
    "youtube_analytics": "post_id",
    "influencers": "influencer_id",
    "campaigns": "campaign",
}
DATED = ("tracking", "posts")
MERGED_BY_KEY = ("influencers", "campaigns")  # identical rows merge; a changed one is refused


@dataclasses.dataclass(frozen=True)
class Merged:
    """What the merged file of a role kept of its two files (_write_role): the live data set's rows
    (`old_rows`) less those a new audience file replaced (`old_dropped`: their places among them,
    from 0), then the new file's rows less those already there (`new_dropped`: an influencer or
    campaign merged with its identical row)."""

    old_rows: int
    old_dropped: tuple[int, ...] = ()
    new_dropped: int = 0


def merge_into(
    db_path: Path, new_dir: Path, out_dir: Path
) -> tuple[str, dict[str, SourceFile], list[Problem], dict[str, Merged]]:
    """Write the live data set's rows plus `new_dir`'s into `out_dir` (one `<role>.parquet` per role).

    Returns (the live data set's name, the new folder's staged files by role, one warning per audience
    file whose creators' older rows it replaces, what each role's merged file kept of the live data
    set's and the new file's rows: Merged, for the roles the new folder has and the live one too).
    Raises ImportFailed naming every refused row (nothing changes)."""
    if not db_path.exists():
        raise ImportFailed(
            [Problem("warehouse", None, None, None, "no data set to append to: import one first")], [], 1
        )
    live_id = history.dataset_id_of(db_path)
    old_dir = history.sources_dir(db_path, live_id)
    if not old_dir.is_dir():
        raise ImportFailed([Problem("warehouse", None, None, None, _no_sources(db_path))], [], 1)
    connection = quiet(duckdb.connect())
    try:
        errors = Findings()
        new = _stage(connection, new_dir, "new", errors, check=True)
        if not errors and not set(new) & set(APPENDABLE):
            errors.add(
                Problem(new_dir.name, None, None, None, "nothing to append: no sales, posts, payouts or audience file")
            )
        if errors:
            raise ImportFailed(errors.problems, [], errors.total)
        old = _stage(connection, old_dir, "old", errors, check=False)
        for role, source in new.items():
            if role in old:
                _check_overlaps(connection, role, old[role], source, errors)
        if errors:
            raise ImportFailed(errors.problems, [], errors.total)
        replaced = [
            note
            for role in REPLACED_BY_CREATOR
            if role in old and role in new
            for note in [_replaced_rows(connection, old[role], new[role])]
            if note is not None
        ]
        merged = {}
        for role in set(old) | set(new):
            _write_role(connection, role, old.get(role), new.get(role), out_dir / f"{role}.parquet")
            if role in old and role in new:
                merged[role] = _kept(connection, role, old[role], new[role])
    finally:
        connection.close()
    return str(history.read_info(db_path).get("name") or "data set"), new, replaced, merged


def _stage(connection, folder: Path, prefix: str, errors: Findings, check: bool) -> dict[str, SourceFile]:
    found = discover(folder)
    refused = _refuse_store_exports(folder, found, errors) if check else set()
    for problem in found.errors:
        # "no influencers file": an appended month needs none; a refused store export's own problems
        # (no code map) are moot: it cannot be appended at all
        if problem.file not in (str(folder), folder.name, *refused):
            errors.add(problem)
    staged: dict[str, SourceFile] = {}
    for role, path in found.files.items():
        source, file_problems = load(connection, role, path)
        for problem in file_problems:
            errors.add(problem)
        if source is None:
            continue
        table = f"{prefix}_{role}"
        connection.execute(f"ALTER TABLE {source.table} RENAME TO {table}")
        source.table = table
        if role == "tracking" and not check:
            store_orders.in_sale_order(connection, source)
        if check:
            check_values(connection, source, errors)
        staged[role] = source
    return staged


def _refuse_store_exports(folder: Path, found, errors: Findings) -> set[str]:
    """A store order export (and its code map) cannot be appended (docs/metrics.md, "Store order
    exports"): refused by name, never left out in silence while the rest is appended. Returns the
    refused exports' names."""
    store = store_orders.claim(folder, found)
    if store is None:
        return set()
    code_map = f" and its code map {store.code_map.name}" if store.code_map else ""
    for export in store.exports:
        errors.add(
            Problem(
                export.name,
                None,
                None,
                None,
                f"a {store.store} order export{code_map} cannot be appended: buyers are hashed with a new "
                "salt on every import, so an appended month could not tell returning buyers. Import the "
                "store's complete export (all months) with its code map as a new data set instead",
            )
        )
    return {export.name for export in store.exports}


def _text(source: SourceFile, column: str) -> str:
    return f"trim(CAST({source.table}.{column} AS VARCHAR))"


def _date(source: SourceFile) -> str:
    return date_sql(f"CAST({source.table}.date AS VARCHAR)")


def _check_overlaps(connection, role: str, old: SourceFile, new: SourceFile, errors: Findings) -> None:
    key = KEYS.get(role)
    if role in MERGED_BY_KEY:
        _refuse_changed_rows(connection, role, key, old, new, errors)
    elif key and key in old.columns and key in new.columns:
        _refuse(
            connection,
            new,
            key,
            f"{_text(new, key)} IN (SELECT {_text(old, key)} FROM {old.table})",
            f"{key} already in the live data set",
            errors,
        )
    if role in DATED and "influencer_id" in old.columns and "date" in new.columns:
        _refuse_dated_overlap(connection, old, new, errors)
    if role == "payouts":
        shared = [c for c in new.columns if c in old.columns]
        row = ", ".join(_text(new, c) for c in shared)
        old_row = ", ".join(_text(old, c) for c in shared)
        _refuse(
            connection,
            new,
            "influencer_id",
            f"({row}) IN (SELECT ({old_row}) FROM {old.table})",
            "the same payout row is already in the live data set",
            errors,
        )


def _no_sources(db_path: Path) -> str:
    """Why the live data set's sources, which an append merges with, are not there: a copy of the
    warehouse file without its history folder, or a data set imported before hkdash kept sources."""
    folder = history.history_dir(db_path)
    if not folder.is_dir():
        return (
            f"no {folder.name} folder beside {db_path.name}, where the live data set's files are kept (a copied "
            "warehouse file needs its .history folder too): import the complete data set once, then append"
        )
    return "the live data set was imported before hkdash kept sources: import the complete data set once, then append"


def _audience_key(source: SourceFile, other: SourceFile) -> str:
    """A row's creator, and its platform when both files name platforms (module doc)."""
    both = "platform" in source.columns and "platform" in other.columns
    platform = f"COALESCE({_text(source, 'platform')}, '')" if both else "''"
    return f"({_text(source, 'influencer_id')}, {platform})"


def _replaced_condition(old: SourceFile, new: SourceFile) -> str:
    """Rows of `old` that `new` replaces: the same creator (and platform) appears in the new file."""
    return f"{_audience_key(old, new)} IN (SELECT {_audience_key(new, old)} FROM {new.table})"


def _replaced_rows(connection, old: SourceFile, new: SourceFile) -> Problem | None:
    """The warning stating which creators' older audience rows the new file replaces, or None."""
    creators = connection.execute(
        f"""SELECT {_text(old, "influencer_id")} AS creator, count(*) FROM {old.table}
            WHERE {_replaced_condition(old, new)} GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    if not creators:
        return None
    rows = sum(count for _creator, count in creators)
    named = ", ".join(creator for creator, _count in creators[:SHOWN_CREATORS])
    more = f" and {len(creators) - SHOWN_CREATORS} more" if len(creators) > SHOWN_CREATORS else ""
    return Problem(
        new.path.name,
        None,
        "influencer_id",
        None,
        f"replaces the earlier audience rows of {len(creators)} creator{'s' if len(creators) != 1 else ''} "
        f"({rows} row{'s' if rows != 1 else ''} of the live data set): {named}{more}; a newer audience file "
        "of a creator stands for the older one, other creators' rows are kept",
    )


def _refuse_dated_overlap(connection, old: SourceFile, new: SourceFile, errors: Findings) -> None:
    """Refuse rows dated within the period the live data set covers for their influencer, naming that
    period ("INF02's sales in the live data set run from 16 Jan 2025 to 2 Feb 2025")."""
    what = "sales" if new.role == "tracking" else "posts"
    ranges = (
        f"(SELECT {_text(old, 'influencer_id')} AS influencer, min({_date(old)}) AS first, "
        f"max({_date(old)}) AS last FROM {old.table} GROUP BY 1)"
    )
    overlap = f"r.influencer = {_text(new, 'influencer_id')} AND {_date(new)} BETWEEN r.first AND r.last"
    (total,) = connection.execute(f"SELECT count(*) FROM {new.table} JOIN {ranges} r ON {overlap}").fetchone()
    if not total:
        return
    rows = connection.execute(
        f"SELECT {line_of(new)}, CAST({new.table}.date AS VARCHAR), r.influencer, r.first, r.last FROM {new.table} "
        f"JOIN {ranges} r ON {overlap} ORDER BY {new.table}.rowid LIMIT {MAX_SHOWN}"
    ).fetchall()
    for line, value, influencer, first, last in rows:
        reason = (
            f"dated within the period the live data set already covers for this influencer: {influencer}'s "
            f"{what} there run from {fmt.date(first)} to {fmt.date(last)}"
        )
        errors.add(Problem(new.path.name, int(line), "date", value, reason), 0)
    errors.total += total


def _refuse_changed_rows(connection, role, key, old: SourceFile, new: SourceFile, errors: Findings) -> None:
    shared = [c for c in new.columns if c in old.columns]
    differs = " OR ".join(f"{_text(new, c)} IS DISTINCT FROM {_text(old, c)}" for c in shared if c != key)
    if not differs:
        return
    condition = f"EXISTS (SELECT 1 FROM {old.table} WHERE {_text(old, key)} = {_text(new, key)} AND ({differs}))"
    _refuse(connection, new, key, condition, f"this {key} is already in the live data set with other details", errors)


def _refuse(connection, source: SourceFile, column: str, condition: str, reason: str, errors: Findings) -> None:
    (total,) = connection.execute(f"SELECT count(*) FROM {source.table} WHERE {condition}").fetchone()
    if not total:
        return
    rows = connection.execute(
        f"SELECT {line_of(source)}, CAST({column} AS VARCHAR) FROM {source.table} "
        f"WHERE {condition} ORDER BY rowid LIMIT {MAX_SHOWN}"
    ).fetchall()
    for line, value in rows:
        errors.add(Problem(source.path.name, int(line), column, value, reason), 0)
    errors.total += total


def _write_role(connection, role: str, old: SourceFile | None, new: SourceFile | None, target: Path) -> None:
    """Old rows then new ones, in file order, every column as text (typed and text staging of one
    column must line up; the import types them again and checks them as a whole)."""
    columns = _all_columns(old, new)
    parts = []
    for order, source in enumerate((old, new)):
        if source is None:
            continue
        values = ", ".join(
            f"CAST({c} AS VARCHAR) AS {c}" if c in source.columns else f"CAST(NULL AS VARCHAR) AS {c}" for c in columns
        )
        keep = ""
        if source is new and old is not None and role in MERGED_BY_KEY:
            keep = f" WHERE {_new_key_condition(role, old, new)}"
        if source is old and new is not None and role in REPLACED_BY_CREATOR:
            keep = f" WHERE NOT {_replaced_condition(old, new)}"
        parts.append(f"SELECT {values}, {order} AS part_, {source.order_column} AS row_ FROM {source.table}{keep}")
    path = str(target).replace("'", "''")
    connection.execute(
        f"COPY (SELECT {', '.join(columns)} FROM ({' UNION ALL '.join(parts)}) ORDER BY part_, row_) "
        f"TO '{path}' (FORMAT parquet)"
    )


def _kept(connection, role: str, old: SourceFile, new: SourceFile) -> Merged:
    """What _write_role kept of `old` and `new` (Merged): the rows its conditions do not keep."""
    if role in MERGED_BY_KEY:
        (dropped,) = connection.execute(
            f"SELECT count(*) FROM {new.table} WHERE ({_new_key_condition(role, old, new)}) IS NOT TRUE"
        ).fetchone()
        return Merged(old.rows, new_dropped=int(dropped))
    if role in REPLACED_BY_CREATOR:
        places = connection.execute(
            f"SELECT rowid FROM {old.table} WHERE (NOT {_replaced_condition(old, new)}) IS NOT TRUE ORDER BY rowid"
        ).fetchall()
        return Merged(old.rows, old_dropped=tuple(int(place) for (place,) in places))
    return Merged(old.rows)


def _new_key_condition(role: str, old: SourceFile, new: SourceFile) -> str:
    """The rows of `new` a role merged by key keeps: those whose key the live data set has not."""
    key = KEYS[role]
    return f"{_text(new, key)} NOT IN (SELECT {_text(old, key)} FROM {old.table})"


def _all_columns(old: SourceFile | None, new: SourceFile | None) -> list[str]:
    columns: list[str] = []
    for source in (old, new):
        for column in source.columns if source else []:
            if column not in columns:
                columns.append(column)
    return columns
