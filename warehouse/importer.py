"""Import a folder of files into the warehouse: validate everything, build beside, swap atomically.

The live warehouse file is never opened for writing. The new data set is built in a temporary
file next to it and renamed over it only once complete and flushed to disk, so a failed, refused
or killed import leaves the previous data exactly as it was.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import json
import os
import tempfile
from pathlib import Path

import duckdb

from warehouse import build, store_orders
from warehouse.db import SCHEMA_VERSION, default_db_path, quiet
from warehouse.errors import ImportFailed, Problem
from warehouse.sources import SourceFile, discover, load
from warehouse.validate import Findings, check_values



@dataclasses.dataclass
class ImportReport:
    source: str
    files: dict[str, str]  # role -> file name
    unused_files: list[str]
    ignored_columns: dict[str, list[str]]
    rows: dict[str, int]
    warnings: list[Problem]
    warning_count: int
    db_path: str | None = None  # None when only validated
    store_orders: dict | None = None  # how a store order export mapped to creators (store_orders.stage)

    def summary_lines(self) -> list[str]:
        lines = [f"{role}: {name} ({self.rows.get(role, 0):,} rows)" for role, name in self.files.items()]
        if self.unused_files:
            lines.append("not used: " + ", ".join(self.unused_files))
        for name, columns in self.ignored_columns.items():
            if columns:
                lines.append(f"{name}: columns not used: {', '.join(columns)}")
        if self.store_orders:
            lines += store_orders.mapping_lines(self.store_orders)
        return lines


def validate_dataset(source_dir: str | os.PathLike) -> ImportReport:
    """Check a folder as an import would, writing nothing. Raises ImportFailed on errors."""
    connection = quiet(duckdb.connect())
    try:
        return _stage_and_build(connection, Path(source_dir))
    finally:
        connection.close()


def import_dataset(source_dir: str | os.PathLike, db_path: str | os.PathLike | None = None,
                   name: str | None = None) -> ImportReport:
    """Validate and import `source_dir` into the warehouse at `db_path`, atomically."""
    source_dir = Path(source_dir)
    db_path = Path(db_path) if db_path else default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _import_lock(db_path):
        _remove_leftovers(db_path)
        handle, temp_name = tempfile.mkstemp(prefix=f".{db_path.name}.importing-", dir=db_path.parent)
        os.close(handle)
        os.unlink(temp_name)  # DuckDB must create the file itself
        temp_path = Path(temp_name)
        try:
            connection = quiet(duckdb.connect(str(temp_path)))
            try:
                report = _stage_and_build(connection, source_dir, persist=True, name=name)
                connection.execute("CHECKPOINT")
            finally:
                connection.close()
            _fsync(temp_path)
            wal = Path(str(db_path) + ".wal")
            if wal.exists():  # a stale log of an older file must never be replayed onto the new one
                wal.unlink()
            os.replace(temp_path, db_path)
            _fsync(db_path.parent)
        finally:
            for leftover in (temp_path, Path(str(temp_path) + ".wal")):
                if leftover.exists():
                    leftover.unlink()
    report.db_path = str(db_path)
    return report


def _stage_and_build(connection, source_dir: Path, persist: bool = False, name: str | None = None) -> ImportReport:
    by_role, unused, problems = discover(source_dir)
    store = store_orders.claim(source_dir, by_role, unused, problems)
    errors, warnings = Findings(), Findings()
    for problem in problems:
        errors.add(problem)
    sources: dict[str, SourceFile] = {}
    for role, path in by_role.items():
        source, file_problems = load(connection, role, path)
        for problem in file_problems:
            errors.add(problem)
        if source is not None:
            sources[role] = source
    for source in sources.values():
        check_values(connection, source, errors)
    mapping = None
    if store is not None and not errors:  # checked by store_orders itself: refunds are negative rows
        sources["tracking"], mapping = store_orders.stage(connection, store, errors, warnings)
    if errors:
        raise ImportFailed(errors.problems, warnings.problems, errors.total)

    build.type_influencers(connection, sources["influencers"])
    extras = [sources[r] for r in ("instagram_insights", "youtube_analytics") if r in sources]
    build.type_posts(connection, sources.get("posts"), extras)
    build.type_sales(connection, sources.get("tracking"), sources["payouts"])
    build.type_payouts(connection, sources["payouts"], "tracking" in sources, errors, warnings)
    if errors:
        raise ImportFailed(errors.problems, warnings.problems, errors.total)
    build.add_unknown_influencers(connection, sources, warnings)

    report = ImportReport(
        source=str(source_dir),
        files={role: s.path.name for role, s in sources.items()},
        unused_files=unused,
        ignored_columns={s.path.name: s.ignored_columns for s in sources.values()},
        rows={role: s.rows for role, s in sources.items()},
        warnings=warnings.problems,
        warning_count=warnings.total,
        store_orders=mapping,
    )
    if not persist:
        return report
    build.build_facts(connection)
    build.build_sale_values(connection)
    _create_campaigns(connection, sources.get("campaigns"))
    _write_dataset_info(connection, report, name or source_dir.name)
    return report


def _create_campaigns(connection, campaigns: SourceFile | None):
    if campaigns is None:
        connection.execute("""CREATE TABLE campaigns (campaign VARCHAR, brand VARCHAR, start_date DATE,
                              end_date DATE, budget DOUBLE)""")
        return
    connection.execute(f"""
        CREATE TABLE campaigns AS SELECT trim(campaign) AS campaign,
            {build.BRAND_SQL.format(col='brand') if 'brand' in campaigns.columns else 'NULL'} AS brand,
            {build._date(campaigns, 'start_date')} AS start_date, {build._date(campaigns, 'end_date')} AS end_date,
            {build._number(campaigns, 'budget')} AS budget
        FROM {campaigns.table} ORDER BY rowid""")


def _write_dataset_info(connection, report: ImportReport, name: str):
    counts = connection.execute("""SELECT
        (SELECT count(*) FROM influencers WHERE known), (SELECT count(*) FROM posts),
        (SELECT COALESCE(sum(rows), 0) FROM sales_by_influencer), (SELECT count(*) FROM payouts),
        (SELECT sum(orders) > 0 AND sum(orders_without_user) = 0 FROM facts_day),
        (SELECT min(date) FROM facts_day WHERE orders <> 0 OR revenue <> 0),
        (SELECT max(date) FROM facts_day WHERE orders <> 0 OR revenue <> 0)""").fetchone()
    info = {
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "source": report.source,
        "imported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "influencers": counts[0], "posts": counts[1], "sales_rows": counts[2], "payouts": counts[3],
        "has_user_ids": bool(counts[4]),
        "first_sale": counts[5].isoformat() if counts[5] else None,
        "last_sale": counts[6].isoformat() if counts[6] else None,
        "files": report.files, "unused_files": report.unused_files, "store_orders": report.store_orders,
        "warnings": report.warning_count,
        "warning_lines": [str(w) for w in report.warnings],
    }
    connection.execute("CREATE TABLE dataset_info (key VARCHAR, value VARCHAR)")
    connection.executemany("INSERT INTO dataset_info VALUES (?, ?)", [(k, json.dumps(v)) for k, v in info.items()])


class _import_lock:
    """One import at a time per warehouse file (readers are never blocked)."""

    def __init__(self, db_path: Path):
        self.path = Path(str(db_path) + ".lock")

    def __enter__(self):
        self.handle = self.path.open("w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _remove_leftovers(db_path: Path):
    """Temporary files of imports that were killed before they could clean up."""
    for leftover in db_path.parent.glob(f".{db_path.name}.importing-*"):
        leftover.unlink(missing_ok=True)


def _fsync(path: Path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
