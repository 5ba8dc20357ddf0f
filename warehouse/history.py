"""Data-set history: the previous data sets beside the live one, and the sources of each.

    data/warehouse.duckdb                         the live data set (readers open it read-only)
    data/warehouse.duckdb.history/<id>/
        warehouse.duckdb                          a previous data set, exactly as it was live
        sources/<role>.<ext>                      a byte copy of each input file it was built from
                                                  (<role>.parquet: rows that no file holds as such,
                                                  a store export's mapped sales)

`<id>` is the UTC time of its import (`20250401T093012123456Z`), also stored in its
`dataset_info` as `dataset_id`. An import hard-links the live file into the history before it
renames the new file over it (no copy: the old file's blocks simply stay), then removes all but
the newest `HKDASH_KEEP_DATASETS` (default 5) previous data sets. A restore copies a previous
file beside the live one and swaps it in the same way, under the importer's lock, so the data
set it replaces is kept too. The sources let `import --append` rebuild the live data set with a
new month added (warehouse.append), since spend allocation needs every sale, not only the new ones.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb

from warehouse import build
from warehouse.db import SCHEMA_VERSION

DEFAULT_KEEP = 5
DB_NAME = "warehouse.duckdb"
SOURCES = "sources"
ID_RE = re.compile(r"^\d{8}T\d{12}Z$")
# Parquet 2's encodings (delta lengths for strings, byte-stream-split doubles) cost less CPU to write
# than version 1's and make a smaller file; a dictionary is built only up to DICTIONARY_SIZE_LIMIT
# distinct values per row group: creators, campaigns, products, brands and days stay dictionary-encoded
# (a few thousand at most), while the buyer column, nearly all distinct, gives up after 4096 values
# instead of hashing each row group's every buyer first (docs/benchmarks.md, seventeenth session, h4).
DICTIONARY_SIZE_LIMIT = 4096
DERIVED_PARQUET = (
    "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, PARQUET_VERSION V2, "
    f"DICTIONARY_SIZE_LIMIT {DICTIONARY_SIZE_LIMIT}"
)


class HistoryError(RuntimeError):
    """A restore that cannot be done (unknown name, damaged file); the live data set is unchanged."""


def keep_count() -> int:
    """How many previous data sets to keep (HKDASH_KEEP_DATASETS, else DEFAULT_KEEP)."""
    value = os.environ.get("HKDASH_KEEP_DATASETS")
    return max(0, int(value)) if value else DEFAULT_KEEP


def history_dir(db_path: Path) -> Path:
    """The folder holding a warehouse's previous data sets (<warehouse>.history)."""
    return Path(str(db_path) + ".history")


def new_dataset_id(now: dt.datetime | None = None) -> str:
    """A sortable id for a data set imported at `now` (UTC, microseconds)."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def sources_dir(db_path: Path, dataset_id: str) -> Path:
    """The folder of one previous data set's source files."""
    return history_dir(db_path) / dataset_id / SOURCES


def read_info(path: Path) -> dict:
    """The dataset_info of a warehouse file (read-only, through a private instance: duckdb.connect(path)
    would hand back a cached instance of whatever file was at that path before)."""
    connection = duckdb.connect()
    try:
        connection.execute("ATTACH ? AS d (READ_ONLY)", [str(path)])
        rows = connection.execute("SELECT key, value FROM d.dataset_info").fetchall()
    finally:
        connection.close()
    return {key: json.loads(value) for key, value in rows}


def dataset_id_of(path: Path) -> str:
    """The file's dataset_id; files imported before ids existed get one from their modification time."""
    try:
        found = read_info(path).get("dataset_id")
    except duckdb.Error:
        found = None
    return _id_or_modified(found, path)


def _id_or_modified(found, path: Path) -> str:
    if isinstance(found, str) and ID_RE.match(found):
        return found
    return new_dataset_id(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC))


def _imported_id(path: Path) -> str | None:
    """dataset_id_of a file something was imported into; None for no file or one nothing was imported
    into (0 bytes, or a database without a table: a file created before a first import). One opening
    of the file for both questions (each opening costs a DuckDB instance: ≈ 0.03 s of CPU)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    connection = duckdb.connect()
    try:
        connection.execute("ATTACH ? AS d (READ_ONLY)", [str(path)])
        tables = connection.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'd'").fetchone()
        if not (tables and tables[0]):
            return None
        row = connection.execute("SELECT value FROM d.dataset_info WHERE key = 'dataset_id'").fetchone()
        found = json.loads(row[0]) if row else None
    except duckdb.Error:  # an unreadable file is kept: it may hold someone's data
        found = None
    finally:
        connection.close()
    return _id_or_modified(found, path)


def save_sources(connection, sources, folder: Path, derived: Iterable[str] = (), typed_sales: bool = False) -> None:
    """Keep what the data set was built from in `folder`, all at once or not at all: each source
    file copied byte for byte as `<role><suffix>` (warehouse.append reads it again with the
    importer's own reader, which gives the same staged rows, in file order), and each role in
    `derived` (rows made by the import rather than read from one file: a store export's sales)
    written from its staged table to `<role>.parquet` (in file order, or with each row's place: _write_derived).
    `typed_sales`: the connection holds the import's typed sales (build.type_sales has run), whose
    text values make the derived sales cheaper to write (_derived_columns).

    Why copies rather than the staged rows as Parquet: a copy costs the kernel about 0.7 s of CPU
    per GB, Parquet encoding 13 s per 10M sales rows whatever the codec (docs/benchmarks.md) — a
    seventh of a 10M import. The price is disk: a CSV is about ten times its Parquet size, and the
    history keeps HKDASH_KEEP_DATASETS of them."""
    derived = set(derived)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=0o700)
    for source in sources:
        if source.role in derived:
            _write_derived(connection, source, partial / f"{source.role}.parquet", typed_sales)
        else:
            shutil.copyfile(source.path, partial / f"{source.role}{source.path.suffix.lower()}")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)


def _write_derived(connection, source, path: Path, typed_sales: bool = False) -> None:
    """`source.table` as Parquet. A plain scan keeps the staged order (DuckDB preserves insertion order
    unless told not to); rows that carry their order (`source.order_column`: a store export's sales,
    read back in that order by store_orders.in_sale_order) are written as each thread reads them, which
    costs less CPU than keeping their order (docs/benchmarks.md, eighteenth session, h2)."""
    target = str(path).replace("'", "''")
    unordered = source.order_column != "rowid"
    if unordered:
        connection.execute("SET preserve_insertion_order = false")
    try:
        connection.execute(
            f"COPY (SELECT {_derived_columns(connection, source, typed_sales)} FROM {source.table}) TO '{target}' ({DERIVED_PARQUET})"
        )
    finally:
        if unordered:
            connection.execute("RESET preserve_insertion_order")


def _derived_columns(connection, source, typed_sales: bool) -> str:
    """The select list of a derived table's COPY: the import's sales (role tracking, typed by
    build.type_sales) with each text column of at most DICTIONARY_SIZE_LIMIT distinct values cast to
    an ENUM of its values as written (build.text_value_types); the same text read back. Parquet's
    writer then takes each row's dictionary index from the ENUM instead of hashing its text into a
    dictionary: −20 % of the COPY's CPU at 2M line items (docs/benchmarks.md, twentieth session, hP3)."""
    if source.role != "tracking" or not typed_sales:
        return "*"
    types = build.text_value_types(connection, DICTIONARY_SIZE_LIMIT)
    # A store export's sales hold their campaign and source as ENUMs already (store_orders'
    # store_attributions): casting them again would convert every row's value through its text.
    stored = {column: kind for column, kind, *_ in connection.execute(f"DESCRIBE {source.table}").fetchall()}
    casts = [
        f"{column}::{name} AS {column}"
        for column, name in types.items()
        if column in source.columns and not stored.get(column, "").startswith("ENUM")
    ]
    return f"* REPLACE ({', '.join(casts)})" if casts else "*"


def keep_previous(db_path: Path) -> str | None:
    """Before a swap: link the live file into the history (copy where links are impossible). Returns its id
    (None when there is nothing to keep: no file, or one nothing was imported into, e.g. the file a
    server started on before its first import)."""
    dataset_id = _imported_id(db_path)
    if dataset_id is None:
        return None
    target = history_dir(db_path) / dataset_id / DB_NAME
    if target.exists():  # a restored data set: its history copy is already there
        return dataset_id
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = target.with_name(DB_NAME + ".partial")
    staging.unlink(missing_ok=True)
    try:
        os.link(db_path, staging)
    except OSError:
        shutil.copy2(db_path, staging)
    os.replace(staging, target)
    return dataset_id


def prune(db_path: Path, keep: int | None = None, live: str | None = None) -> list[str]:
    """Remove all but the newest `keep` previous data sets and any entry left by an interrupted
    import (no file, not live). `live`: the live file's id when the caller knows it (read from the
    file otherwise). Returns the removed ids."""
    keep = keep_count() if keep is None else keep
    folder = history_dir(db_path)
    if not folder.is_dir():
        return []
    if live is None and db_path.exists():
        live = dataset_id_of(db_path)
    entries = sorted((p for p in folder.iterdir() if p.is_dir() and ID_RE.match(p.name)), key=lambda p: p.name)
    previous = [p for p in entries if p.name != live and (p / DB_NAME).exists()]
    doomed = previous[: max(0, len(previous) - keep)]
    doomed += [p for p in entries if p.name != live and not (p / DB_NAME).exists()]
    for entry in doomed:
        shutil.rmtree(entry, ignore_errors=True)
    return [p.name for p in doomed]


def list_datasets(db_path: Path) -> list[dict]:
    """The live data set, then the previous ones, newest first.

    Keys: id, name, imported_at (ISO UTC), influencers, posts, sales_rows, payouts, first_sale,
    last_sale, warnings (the import warnings kept with it, a count; None when unreadable), bytes
    (file size), live (bool), has_sources (bool: can take an --append),
    schema_version (int, None when unreadable), cannot_restore (None, or why a previous one cannot be
    restored: "older version: cannot be restored"; the restore refuses it too)."""
    listed = []
    live_id = dataset_id_of(db_path) if db_path.exists() else None
    if live_id:
        listed.append(_describe(db_path, live_id, live=True))
    folder = history_dir(db_path)
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda p: p.name, reverse=True):
            if ID_RE.match(entry.name) and entry.name != live_id and (entry / DB_NAME).exists():
                listed.append(_describe(entry / DB_NAME, entry.name, live=False))
    return listed


def _describe(path: Path, dataset_id: str, live: bool) -> dict:
    try:
        info = read_info(path)
    except duckdb.Error:
        info = {"name": "(unreadable file)"}
    keys = (
        "name",
        "imported_at",
        "influencers",
        "posts",
        "sales_rows",
        "payouts",
        "first_sale",
        "last_sale",
        "warnings",
    )
    entry = path.parent if not live else history_dir(path) / dataset_id
    return {
        "id": dataset_id,
        **{key: info.get(key) for key in keys},
        "bytes": path.stat().st_size,
        "live": live,
        "has_sources": (entry / SOURCES).is_dir(),
        "schema_version": info.get("schema_version"),
        "cannot_restore": None if live else cannot_restore(info.get("schema_version")),
    }


def restorable_schema(version) -> bool:
    """Whether a data set of this schema version can be restored: only one this hkdash reads (an older
    one lacks tables or columns it reads; its files must be imported again)."""
    return version == SCHEMA_VERSION


def cannot_restore(version) -> str | None:
    """Why a previous data set of this schema version cannot be restored, said before anyone tries
    (`hkdash datasets`, /data); None when it can."""
    if restorable_schema(version):
        return None
    if not isinstance(version, int):
        return "unreadable: cannot be restored"
    return f"{'older' if version < SCHEMA_VERSION else 'newer'} version: cannot be restored"


def dataset_id_named(db_path: Path, name: str) -> str:
    """The id of the previous data set `name` means: `name` itself when it is an id, else the id of
    the one previous data set of that name (the name `hkdash datasets` shows beside the id).
    HistoryError when no previous data set has it (the live one alone: nothing to restore) or
    several do (naming their ids, newest first, to pick one)."""
    if not isinstance(name, str) or ID_RE.match(name):
        return name
    listed = list_datasets(db_path)
    named = [entry["id"] for entry in listed if not entry["live"] and entry.get("name") == name]
    if len(named) == 1:
        return named[0]
    if named:
        raise HistoryError(
            f"{len(named)} previous data sets are named {name!r}: restore one by its id: {', '.join(named)}"
        )
    if any(entry["live"] and entry.get("name") == name for entry in listed):
        raise HistoryError(f"{name!r} is the live data set already (see `hkdash datasets`)")
    raise HistoryError(f"{name!r} is neither a data set's id nor a previous data set's name (see `hkdash datasets`)")


def previous_file(db_path: Path, dataset_id: str) -> Path:
    """The file of a previous data set; HistoryError when the name is not one (never a path outside the history)."""
    if not isinstance(dataset_id, str) or not ID_RE.match(dataset_id):
        raise HistoryError(f"{dataset_id!r} is not a data set name (see `hkdash datasets`)")
    path = history_dir(db_path) / dataset_id / DB_NAME
    if not path.is_file():
        raise HistoryError(f"no previous data set {dataset_id} (see `hkdash datasets`)")
    return path
