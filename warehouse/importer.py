"""Import a folder of files into the warehouse: validate everything, build beside, swap atomically.

The live warehouse file is never opened for writing. The new data set is built in a temporary
file next to it and renamed over it only once complete and flushed to disk, so a failed, refused
or killed import leaves the previous data exactly as it was.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import fcntl
import json
import logging
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from metrics.dataset import sales_after_export_text
from warehouse import append as appending
from warehouse import build, history, store_orders
from warehouse.audience_tables import build_audience_tables, check_audience
from warehouse.campaign_check import warn_unknown_campaigns
from warehouse.customer_tables import build_customer_tables
from warehouse.db import SCHEMA_VERSION, default_db_path, quiet
from warehouse.errors import ImportFailed, Problem
from warehouse.lift_rollups import build_lift_rollups
from warehouse.lift_tables import build_lift_tables
from warehouse.organic_tables import build_organic_tables
from warehouse.region_tables import build_sales_regions, warn_unmatched
from warehouse.sources import SourceFile, discover, load
from warehouse.validate import Findings, check_values
from warehouse.values import DEFAULT_RULES, ValueRules

log = logging.getLogger(__name__)


@dataclasses.dataclass
class ImportReport:
    """What an import (or a validation) found: the source folder, the file of each role, files and
    columns not used, rows per role, warnings (examples) and their total count, and the warehouse
    written (None after a validation)."""

    source: str
    files: dict[str, str]  # role -> file name
    unused_files: list[str]
    ignored_columns: dict[str, list[str]]
    rows: dict[str, int]
    warnings: list[Problem]
    warning_count: int
    db_path: str | None = None  # None when only validated
    store_orders: dict | None = None  # how a store order export mapped to creators (store_orders.stage)
    # an append over a store export: the sales appended after the export's (build.sales_after_export)
    sales_after_export: dict | None = None
    stages: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)  # Stages.seconds
    # role -> the line of its file's first row when each row is one line after it (a warning's row
    # is then the row's line), None when csvfile read a repaired copy (lines given per row)
    first_lines: dict[str, int | None] = dataclasses.field(default_factory=dict)
    # an append's role -> (file as warnings name it, rows) of each import's file of its merged rows
    # (Appended.named_parts): the files table lists them as its warnings name them
    parts: dict[str, tuple[tuple[str, int], ...]] = dataclasses.field(default_factory=dict)

    def file_rows(self) -> list[tuple[str, str, int]]:
        """(role, file name, rows) of each file read, by role (the order the files were found in
        differs between engines): a store export's sales as a row per export file, in the export's
        order, with that file's rows, and its code map (and the sales files appended after them); an
        append's merged file of a role as a row per import's file (`parts`), named as its warnings
        name it ("sample/tracking_data.csv", "ap2/tracking_data.csv"), with its rows."""
        listed = [
            (role, name, rows)
            for role, file in self.files.items()
            for name, rows in self.parts.get(role) or ((file, self.rows.get(role, 0)),)
        ]
        if self.store_orders:
            per_file = [("tracking", name, count) for name, count in self.store_orders["export_rows"].items()]
            code_map = [("code map", self.store_orders["code_map"], self.store_orders["code_map_rows"])]
            listed = [item for item in listed if item[0] != "tracking"] + per_file + code_map
            listed += self._sales_appended_to_store()
        return sorted(listed, key=lambda item: item[0])

    def _sales_appended_to_store(self) -> list[tuple[str, str, int]]:
        """("tracking", file name, rows) of each sales file appended to a store export's sales, named
        as warnings name it (`parts`); without parts, the sales rows after the export's as one row,
        named as appended_names names them after the export."""
        store = self.store_orders or {}
        if self.parts.get("tracking") and "sales_rows" in store:
            return [
                ("tracking", name, rows)
                for name, rows in _parts_after_export(self.parts["tracking"], store["sales_rows"])
            ]
        names = store_orders.sales_after_export(store, self.files.get("tracking", ""))
        rows = self.rows.get("tracking", 0) - store.get("sales_rows", 0)
        if names is None or "sales_rows" not in store or rows <= 0:
            return []
        return [("tracking", names, rows)]

    def summary_lines(self) -> list[str]:
        """One line per file used (role, name, rows), then the files and columns not used."""
        lines = [f"{role}: {name} ({rows:,} row{'' if rows == 1 else 's'})" for role, name, rows in self.file_rows()]
        for name, columns in self.ignored_columns.items():
            if columns:
                lines.append(f"{name}: columns not used: {', '.join(columns)}")
        if self.store_orders:
            lines += store_orders.mapping_lines(self.store_orders)
        if after := sales_after_export_text(self.sales_after_export):
            lines.append(f"  {after}")
        return lines


def validate_dataset(
    source_dir: str | os.PathLike, rules: ValueRules = DEFAULT_RULES, engine: Engine | None = None
) -> ImportReport:
    """Check a folder as an import would, writing nothing. Raises ImportFailed on errors.
    engine: where the sales rows are checked (default: DuckDB; Engine("spark", master) for Spark)."""
    connection = quiet(duckdb.connect())
    try:
        return _stage_and_build(connection, _folder(source_dir), rules=rules, engine=engine)
    finally:
        connection.close()


def import_dataset(
    source_dir: str | os.PathLike,
    db_path: str | os.PathLike | None = None,
    name: str | None = None,
    append: bool = False,
    rules: ValueRules = DEFAULT_RULES,
    engine: Engine | None = None,
    file_names: dict[str, str] | None = None,
    folder_label: str | None = None,
) -> ImportReport:
    """Validate and import `source_dir` into the warehouse at `db_path`, atomically.

    The data set it replaces is kept in the history (warehouse.history). With `append`, the
    folder's rows are added to the live data set's (warehouse.append: overlaps are refused with
    ImportFailed) and the whole is rebuilt and swapped in the same way. rules: the settings of the
    value rule (plausible years; docs/metrics.md, "Reading values"). engine: where the work on sales
    rows runs (default DuckDB; Engine("spark", master): warehouse/engines/spark.py, docs/scale.md).
    file_names: the name to show of a file of the folder, where it differs (an upload's file as the
    user named it before it was made safe: warehouse.uploads). folder_label: what the folder is called
    where two imports' files of one name must be told apart (part_names; default: the folder's name)."""
    folder = _folder(source_dir)
    label = folder_label or _folder_name(folder)
    db_path = Path(db_path) if db_path else default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _import_lock(db_path):
        _remove_leftovers(db_path)
        if not append:
            return _build_and_swap(folder, db_path, name, folder, rules, engine, file_names, label=label)
        if not isinstance(folder, Path):
            raise ImportFailed([Problem(folder, None, None, None, APPEND_URI)], [], 1)
        with tempfile.TemporaryDirectory(prefix=f".{db_path.name}.append-", dir=db_path.parent) as merged:
            live_name, new, replaced, kept, shown = _merge_append(db_path, folder, Path(merged), file_names, label)
            source = appended_source(history.read_info(db_path).get("source"), folder)
            try:
                report = _build_and_swap(Path(merged), db_path, name or live_name, source, rules, engine, shown, kept)
            except ImportFailed as failure:
                raise _refusal_named(failure, kept, shown, Path(merged)) from None
            return _with_replacements(report, replaced, new, kept.parts)


def validate_append(
    source_dir: str | os.PathLike,
    db_path: str | os.PathLike | None = None,
    rules: ValueRules = DEFAULT_RULES,
    file_names: dict[str, str] | None = None,
    folder_label: str | None = None,
) -> ImportReport:
    """Check `source_dir` as import_dataset(append=True) would append it to the data set at `db_path`,
    writing nothing that stays: the same merge and checks, so the same refusals and the same warnings
    (a checked append said "valid" then the import warned of an unknown influencer: tester t1). The
    report's files and rows are the folder's; its warnings the import's (audience replacements first,
    rows named by the file they came from). Raises ImportFailed."""
    folder = Path(source_dir)
    db_path = Path(db_path) if db_path else default_db_path()
    with tempfile.TemporaryDirectory(prefix=".hkdash-append-check-") as merged:
        label = folder_label or _folder_name(folder)
        _name, new, replaced, kept, shown = _merge_append(db_path, folder, Path(merged), file_names, label)
        connection = quiet(duckdb.connect())
        try:
            merged_report = _stage_and_build(connection, Path(merged), rules=rules, kept_store=kept)
        except ImportFailed as failure:
            raise _refusal_named(failure, kept, shown, Path(merged)) from None
        finally:
            connection.close()
    located = [kept.located(problem, merged_report.rows) for problem in merged_report.warnings]
    report = ImportReport(
        source=str(folder),
        files={role: s.path.name for role, s in new.items()},
        unused_files=[],
        ignored_columns={s.path.name: s.ignored_columns for s in new.values()},
        rows={role: s.rows for role, s in new.items()},
        warnings=problems_named(located, shown),
        warning_count=merged_report.warning_count,
    )
    return _with_replacements(report, replaced, new, kept.parts)


def _merge_append(
    db_path: Path, folder: Path, merged: Path, file_names: dict[str, str] | None, label: str
) -> tuple[str, dict[str, SourceFile], list[Problem], Appended, dict[str, str]]:
    """The live data set's rows and `folder`'s written into `merged` (append.merge_into): (the live data
    set's name, the folder's staged files by role, the audience rows they replace, the Appended the
    rebuild names rows' files by, the merged files' names to show: `<role>.parquet` -> the user's)."""
    try:
        live_name, new, replaced, kept_rows = appending.merge_into(db_path, folder, merged)
    except ImportFailed as failure:
        raise _refusal_of_new_files(failure, db_path, folder, file_names, label) from None
    live = history.read_info(db_path)  # merge_into found the live data set
    new_files = {role: (file_names or {}).get(source.path.name, source.path.name) for role, source in new.items()}
    names = appended_names(live.get("files") or {}, new_files)
    # The merged folder holds one internal <role>.parquet per role (appending.merge_into).
    shown = {f"{role}.parquet": file for role, file in names.items()}
    parts = _appended_parts(live, new_files, new, label, kept_rows)
    live_rows = {role: kept_rows[role].old_rows if role in kept_rows else 0 for role in new}
    return live_name, new, replaced, Appended(live.get("store_orders"), names, parts, live_rows), shown


def _with_replacements(
    report: ImportReport, replaced: list[Problem], new: dict[str, SourceFile], parts: dict[str, list[dict]]
) -> ImportReport:
    """`report` with what the append replaced (audience files) first among its warnings, its file named
    as its rows' warnings name it."""
    report.warnings[:0] = [_replacement_named(problem, new, parts) for problem in replaced]
    report.warning_count += len(replaced)
    return report


@dataclasses.dataclass(frozen=True)
class Appended:
    """An append: the live data set's store-export mapping (dataset_info "store_orders", None when it
    was not imported from one), whose sales are the first rows of the merged folder's sales; each
    role's file name(s) as the appended data set shows them (appended_names); and the appended data
    set's file parts (dataset_info "file_parts": per role of PARTED, one part per import that holds
    its rows, in the merged file's order), so warnings about rows name the file they came from."""

    mapping: dict | None
    names: dict[str, str]
    parts: dict[str, list[dict]]
    # the live data set's rows that begin the merged file of each role the folder appends to (the
    # rest are the folder's); a role it does not append to is the live data set's rows alone
    live_rows: dict[str, int] = dataclasses.field(default_factory=dict)

    def named_parts(self, role: str, rows: int) -> tuple[tuple[str, int], ...]:
        """(file as warnings name it: part_names, rows) of each import's rows of the merged file of
        `role` (`rows` in all, in file order)."""
        parts = self.file_parts({role: rows})[role]
        return tuple(zip(part_names(parts), (part["rows"] for part in parts)))

    def located(self, problem: Problem, rows: dict[str, int]) -> Problem:
        """`problem` as the file its row came from says it: a warning about a row of the merged file
        of a role of PARTED (`<role>.parquet`, whose rows count from 1; `rows` per role) names the
        import's file (part_names) and the row's line in it, or, where that file's lines are not
        known, its data row; other problems (a store export's sales rows among them) as they are."""
        role = problem.file.removesuffix(".parquet")
        if problem.row is None or not problem.file.endswith(".parquet") or role not in self.parts:
            return problem
        parts = self.file_parts(rows)[role]
        index = problem.row - 1
        for name, part in zip(part_names(parts), parts):
            if index >= part["rows"]:
                index -= part["rows"]
            elif part.get("store_export"):  # a store export's sales: not its files' rows
                return problem
            elif part.get("dropped"):  # rows merged or replaced: its rows no longer follow its file's
                return dataclasses.replace(problem, file=name, row=None)
            elif part.get("first_line") is None:
                return dataclasses.replace(
                    problem, file=name, row=None, reason=f"{problem.reason} (data row {index + 1})"
                )
            else:
                return dataclasses.replace(problem, file=name, row=index + part["first_line"])
        return problem

    def file_parts(self, rows: dict[str, int]) -> dict[str, list[dict]]:
        """The parts with their rows: a part recorded before parts were kept (rows None, the live data
        set's rows as one) has the merged file's rows (`rows`, per role) less the other parts'."""
        complete = {}
        for role, parts in self.parts.items():
            known = sum(part["rows"] or 0 for part in parts)
            complete[role] = [
                part if part["rows"] is not None else part | {"rows": rows.get(role, 0) - known} for part in parts
            ]
        return complete


# The roles whose merged file is the live data set's rows then the appended ones, all kept (append._write_role).
PARTED = ("tracking", "posts", "payouts")
# The roles merged by key or replaced by creator (append.MERGED_BY_KEY, REPLACED_BY_CREATOR): their
# merged file is the live rows then the new ones too, less those merged or replaced (append.Merged).
KEYED = ("influencers", "campaigns", "audience_demographics", "audience_geography")


def file_part(
    folder: str, file: str, rows: int | None, number: int, first_line: int | None = None, dropped: int = 0
) -> dict:
    """One import's file of a role (dataset_info "file_parts"): the folder it was imported from (its
    label), the file's name, its rows in the data set (None: unknown, see Appended.file_parts), which
    import of the data set it was (1: the import, 2: the first append, ...) and the line of its first
    row when each row is one line after it (ImportReport.first_lines; None: not known); "dropped"
    (only where some were): its rows an append merged or replaced (append.Merged), so the others no
    longer follow its lines."""
    part = {"folder": folder, "file": file, "rows": rows, "import": number, "first_line": first_line}
    return part | {"dropped": dropped} if dropped else part


# How a browser upload of loose files is called (uploads.folder_label): by when it came, "uploaded 2
# Dec 2026 09:12 IST", as it has no folder; its files are named with that time beside them.
UPLOADED = "uploaded "


def part_names(parts: list[dict]) -> list[str]:
    """What each import's file of one role is called in warnings about its rows (docs/metrics.md,
    "Files of one name"): its name; "<folder>/<name>" where another import's file of the role has
    the same name (an appended month is usually called as the live one), "<name> (uploaded <time>)"
    for an upload of loose files (UPLOADED); "(import N)" added where the folder's name is shared too."""
    files = collections.Counter(part["file"] for part in parts)
    paths = collections.Counter((part["folder"], part["file"]) for part in parts)

    def name(part: dict) -> str:
        if files[part["file"]] == 1:
            return part["file"]
        number = f"import {part['import']}" if paths[(part["folder"], part["file"])] > 1 else ""
        if part["folder"].startswith(UPLOADED):
            return f"{part['file']} ({', '.join(filter(None, (part['folder'], number)))})"
        path = f"{part['folder']}/{part['file']}"
        return f"{path} ({number})" if number else path

    return [name(part) for part in parts]


def _appended_parts(
    live: dict, new_files: dict[str, str], new: dict[str, SourceFile], label: str, merged: dict[str, appending.Merged]
) -> dict:
    """The file parts of the data set an append makes (Appended.parts): the live data set's, then
    the appended folder's file of each role it appends to (`label`: the folder's, import_dataset),
    each with the rows the merged file kept of it (`merged`: append.merge_into's). A role the live
    data set recorded no parts for (imported before they were kept) has its rows as one part
    (_unrecorded_parts; a store export's sales: _store_sales_parts)."""
    earlier, number = _live_parts(live)
    parts = {}
    for role in PARTED + KEYED:
        if role == "tracking" and live.get("store_orders") and not earlier[role]:
            continue  # a store export's sales of unknown rows: no part can be told from the others
        if role not in new:
            if earlier[role]:
                parts[role] = list(earlier[role])
            continue
        kept = merged.get(role)
        live_parts = _kept_parts(earlier[role], kept) if kept else []
        dropped = kept.new_dropped if kept else 0
        first_line = None if dropped else _first_line(new[role])
        part = file_part(label, new_files[role], new[role].rows - dropped, number, first_line, dropped)
        parts[role] = [*live_parts, part]
    return parts


def _live_parts(live: dict) -> tuple[dict[str, list[dict]], int]:
    """The live data set's file parts per role of PARTED and KEYED (recorded, else _unrecorded_parts;
    [] for a role it has none of), and the import number an appended folder's files take."""
    recorded = live.get("file_parts") or {}
    unrecorded = _unrecorded_parts(live)
    if live.get("store_orders") and "tracking" not in recorded:
        unrecorded["tracking"] = _store_sales_parts(live)
    number = 1 + max((part["import"] for parts in (recorded or unrecorded).values() for part in parts), default=0)
    return {role: recorded.get(role) or unrecorded.get(role) or [] for role in PARTED + KEYED}, number


def _refusal_of_new_files(
    failure: ImportFailed, db_path: Path, folder: Path, file_names: dict[str, str] | None, label: str
) -> ImportFailed:
    """An append refused before the rebuild (append.merge_into: the folder's own rows, overlaps with
    the live data set) with the folder's files named as the accepted append's warnings name them
    (part_names: "jan/tracking_data.csv" where the live data set has a tracking_data.csv too), not
    by their bare names."""
    if not db_path.exists():
        return failure
    earlier, number = _live_parts(history.read_info(db_path))
    shown = {}
    for role, path in discover(folder).files.items():
        if role in earlier:
            name = (file_names or {}).get(path.name, path.name)
            shown[path.name] = part_names([*earlier[role], file_part(label, name, None, number)])[-1]
    return ImportFailed(
        problems_named(failure.errors, shown),
        problems_named(failure.warnings, shown),
        failure.total,
        store_orders=failure.store_orders,
    )


def _replacement_named(problem: Problem, new: dict[str, SourceFile], parts: dict[str, list[dict]]) -> Problem:
    """An appended audience file's warning of the rows it replaces (append._replaced_rows) with the
    file named as the warnings about its rows name it (part_names: "ap2/geographic_distribution.csv"
    where the live one has that name too)."""
    role = next((role for role, source in new.items() if source.path.name == problem.file), None)
    if role not in parts:
        return problem
    return dataclasses.replace(problem, file=part_names(parts[role])[-1])


def _kept_parts(parts: list[dict], kept: appending.Merged) -> list[dict]:
    """The live data set's parts of a role with the rows its merged file keeps of each: less those a
    new audience file replaced (kept.old_dropped, places among the live rows), counted as dropped; a
    part of rows not known has the live rows the others leave."""
    known = sum(part["rows"] or 0 for part in parts)
    start, out = 0, []
    for part in parts:
        rows = part["rows"] if part["rows"] is not None else kept.old_rows - known
        dropped = sum(start <= place < start + rows for place in kept.old_dropped)
        start += rows
        out.append(part | {"rows": rows - dropped} | ({"dropped": part.get("dropped", 0) + dropped} if dropped else {}))
    return out


def _unrecorded_parts(live: dict) -> dict[str, list[dict]]:
    """The parts of a data set imported before they were recorded: each role's file(s) as one part,
    named by the folder(s) of its source, of rows not known (Appended.file_parts)."""
    source = live.get("source") or ""
    folder = " + ".join(_source_label(part) for part in source.split(" + ")) or "data set"
    files = live.get("files") or {}
    imports = source.count(" + ") + 1
    return {role: [file_part(folder, files[role], None, imports)] for role in PARTED + KEYED if files.get(role)}


def _source_label(source: str) -> str:
    """The folder's name a source stands for: "upload" for an upload's (a random folder's) name."""
    from warehouse.uploads import UPLOAD_LABEL

    return UPLOAD_LABEL if _is_upload(source) else _folder_name(Path(source))


def _is_upload(source: str) -> bool:
    """Whether a source folder is an upload's (a temporary folder named by its token)."""
    from warehouse.uploads import FOLDER_RE

    return bool(FOLDER_RE.match(_folder_name(Path(source))))


def source_folders(info: dict) -> list[str]:
    """The folders a data set was imported from, one per import in order (dataset_info "source",
    appended_source's "<live> + <folder>"), each by its name, never a server path; an upload's (a
    temporary folder) by the label its files were recorded under in "file_parts" (a .zip's name,
    else UPLOAD_LABEL), as warnings name its files: "jan + march" for jan/ and an appended march.zip."""
    from warehouse.uploads import UPLOAD_LABEL

    folders = [part for part in str(info.get("source") or "").split(" + ") if part]
    labels = _import_labels(info.get("file_parts") or {}, len(folders))
    return [
        labels.get(number, UPLOAD_LABEL) if _is_upload(folder) else _folder_name(folder)
        for number, folder in enumerate(folders, start=1)
    ]


def _import_labels(parts: dict[str, list[dict]], imports: int) -> dict[int, str]:
    """{import number: its folder's label} of recorded file parts, where their numbers are the
    imports' places in the source (each import recorded a part: the last numbered `imports`); a part
    recorded before parts were kept (rows None) names several folders at once and is left out."""
    recorded = [part for role in parts.values() for part in role]
    if max((part["import"] for part in recorded), default=0) != imports:
        return {}
    return {part["import"]: part["folder"] for part in recorded if part["rows"] is not None}


def _first_parts(report: ImportReport, label: str) -> dict[str, list[dict]]:
    """The file parts of an import (not an append): each role's file, one part, import 1; a store
    export's sales as its export part (_export_part)."""
    parts = {
        role: [file_part(label, report.files[role], report.rows[role], 1, report.first_lines.get(role))]
        for role in PARTED + KEYED
        if role in report.files and (role != "tracking" or not report.store_orders)
    }
    if report.store_orders and "tracking" in report.files and "sales_rows" in report.store_orders:
        parts["tracking"] = [_export_part(label, report.files["tracking"], report.store_orders["sales_rows"], 1)]
    return parts


def _export_part(folder: str, file: str, sales_rows: int, number: int) -> dict:
    """A store export's sales as a file part: its sales rows (not its line items) under its first
    file's name, marked "store_export": the export's warnings name its own files and rows
    (store_orders), so no row of this part is named by it (Appended.located)."""
    return file_part(folder, file, sales_rows, number) | {"store_export": True}


def _store_sales_parts(live: dict) -> list[dict]:
    """The sales parts of a data set imported from a store export that recorded none (before session
    18): the export's sales rows (its mapping's sales_rows), then the sales appended after them as one
    part of rows not known (Appended.file_parts), named by the appended folders; none where the
    mapping lacks sales_rows (before session 12: the merged sales stay one file)."""
    mapping = live["store_orders"]
    if "sales_rows" not in mapping:
        return []
    folders = [_source_label(source) for source in str(live.get("source") or "").split(" + ")]
    parts = [_export_part(folders[0], mapping["exports"][0], mapping["sales_rows"], 1)]
    after = store_orders.sales_after_export(mapping, (live.get("files") or {}).get("tracking", ""))
    if after is not None:
        parts.append(file_part(" + ".join(folders[1:]) or "data set", after, None, len(folders)))
    return parts


def _first_line(source: SourceFile) -> int | None:
    """The line of the file's first row when each row is one line after it (ImportReport.first_lines)."""
    return None if source.line_column else source.first_line


def _refusal_named(failure: ImportFailed, appended: Appended, shown: dict[str, str], merged: Path) -> ImportFailed:
    """A refused append's problems as the user's files say them: a row's by the import's file it came
    from (Appended.located), the others by the merged files' names (`shown`), never the merged
    folder's internal `<role>.parquet` (a payout row whose cost cannot be told is found in the rebuild)."""
    connection = quiet(duckdb.connect())
    try:
        rows = {
            role: connection.execute(
                "SELECT count(*) FROM read_parquet(?)", [str(merged / f"{role}.parquet")]
            ).fetchall()[0][0]
            for role in appended.parts
        }
    finally:
        connection.close()

    def named(problems: list[Problem]) -> list[Problem]:
        return problems_named([appended.located(problem, rows) for problem in problems], shown)

    return ImportFailed(
        named(failure.errors), named(failure.warnings), failure.total, store_orders=failure.store_orders
    )


def appended_names(live: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """The file names an appended data set shows per role (tester F19): the merged folder's files are
    internal (`tracking.parquet`), so a role names the live data set's file(s) and the new one,
    "sales_jan.csv + sales_feb.csv" (each import's file, even where two share a name: each month's
    export is often called the same). `live`: the live data set's role -> name (dataset_info
    "files"), `new`: the appended folder's role -> file name."""
    return live | {role: f"{live[role]} + {name}" if live.get(role) else name for role, name in new.items()}


def appended_source(live: str | None, folder: Path) -> str:
    """What an appended data set was imported from, as the user gave it: the live data set's source
    and the appended folder, "<live source> + <folder>" (never the merged temporary folder the
    rebuild reads); the folder alone when the live data set records none."""
    return f"{live} + {folder}" if live else str(folder)


def restore_dataset(dataset_id: str, db_path: str | os.PathLike | None = None) -> dict:
    """Bring a previous data set back as the live one, atomically; the one it replaces is kept.

    Returns the restored data set's history entry (warehouse.history.list_datasets keys).
    Raises history.HistoryError for an unknown name or a file that is not a readable warehouse."""
    db_path = Path(db_path) if db_path else default_db_path()
    with _import_lock(db_path):
        _remove_leftovers(db_path)
        previous = history.previous_file(db_path, dataset_id)
        temp_path = _temp_beside(db_path)
        try:
            shutil.copyfile(previous, temp_path)
            try:
                info = history.read_info(temp_path)
            except duckdb.Error as error:
                raise history.HistoryError(f"{dataset_id} is not a readable warehouse: {error}") from None
            if not history.restorable_schema(info.get("schema_version")):
                raise history.HistoryError(
                    f"{dataset_id} was built by another version of hkdash (schema "
                    f"{info.get('schema_version')}, this one reads {SCHEMA_VERSION}): "
                    "import its files again instead"
                )
            _fsync(temp_path)
            _swap_in(temp_path, db_path)
        finally:
            temp_path.unlink(missing_ok=True)
    return next(entry for entry in history.list_datasets(db_path) if entry["live"])


def _temp_beside(db_path: Path) -> Path:
    handle, temp_name = tempfile.mkstemp(prefix=f".{db_path.name}.importing-", dir=db_path.parent)
    os.close(handle)
    os.unlink(temp_name)  # DuckDB must create the file itself
    return Path(temp_name)


# The file being built is nobody's data until the swap, which fsyncs it whole first (_fsync): DuckDB's
# own syncs at each commit and checkpoint would only make the build wait for the disk in between.
BUILD_CONFIG: dict[str, str | bool | int | float | list[str]] = {"fsync_mode": "NONE"}


def _build_and_swap(
    folder: Path | str,
    db_path: Path,
    name: str | None,
    shown_source: Path | str,
    rules: ValueRules = DEFAULT_RULES,
    engine: Engine | None = None,
    shown_files: dict[str, str] | None = None,
    kept_store: Appended | None = None,
    label: str | None = None,
) -> ImportReport:
    """Build `folder` into a file beside `db_path` and swap it in; `shown_files` (file name as read ->
    name to show: shown_names) names the files in the report and the data set's info; `kept_store`:
    an append (Appended: the files its merged rows came from, a store mapping whose sales `folder`
    holds first; _stage_and_build_with); `label`: an import's folder as its file parts name it
    (part_names; default: the folder's name)."""
    temp_path = _temp_beside(db_path)
    dataset_id = history.new_dataset_id()
    stage = Stages()
    flushing: threading.Thread | None = None
    try:
        connection = quiet(duckdb.connect(str(temp_path), config=BUILD_CONFIG))
        try:
            report = _stage_and_build(
                connection,
                folder,
                persist=True,
                name=name or _folder_name(shown_source),
                dataset_id=dataset_id,
                # The Spark engine does not copy the sales rows back: no sources kept, so an
                # append refuses (import the whole folder again) rather than lose the sales.
                keep_sources=None if _on_spark(engine) else history.sources_dir(db_path, dataset_id),
                rules=rules,
                stages=stage,
                engine=engine,
                scratch_dir=db_path.parent,
                kept_store=kept_store,
            )
            if report.source != str(shown_source):  # an append: its info must not name the merged folder
                report.source = str(shown_source)
                connection.execute(
                    "UPDATE dataset_info SET value = ? WHERE key = 'source'", [json.dumps(report.source)]
                )
            if kept_store:
                report.warnings = [kept_store.located(problem, report.rows) for problem in report.warnings]
                report.parts = {
                    role: kept_store.named_parts(role, report.rows.get(role, 0)) for role in kept_store.parts
                }
            if shown_files:
                _show_files(connection, report, shown_files)
            parts = (
                kept_store.file_parts(report.rows)
                if kept_store
                else _first_parts(report, label or _folder_name(folder))
            )
            connection.execute("INSERT INTO dataset_info VALUES ('file_parts', ?)", [json.dumps(parts)])
            with stage("checkpoint"):
                connection.execute("CHECKPOINT")
            # the disk takes the file while DuckDB hands its memory back (close: ≈ 0.2 s of CPU per 2M sales)
            flushing = threading.Thread(target=_fsync, args=(temp_path,))
            flushing.start()
        finally:
            connection.close()
            if flushing is not None:
                flushing.join()
        with stage("swap"):
            _fsync(temp_path)  # whatever the close wrote
            _swap_in(temp_path, db_path, dataset_id)
    finally:
        for leftover in (temp_path, Path(str(temp_path) + ".wal")):
            if leftover.exists():
                leftover.unlink()
    report.db_path = str(db_path)
    return report


def shown_names(report: ImportReport, shown: dict[str, str]) -> ImportReport:
    """`report` with each file named as `shown` says (file name as read -> name to show; others kept):
    an upload's files as the user named them, not as sanitised (tester F15), an append's merged
    files as the user's (F19). Files, columns and files not used, warnings and a store export's
    names; rows, counts and reasons unchanged. Returns the same report, changed."""

    def name(file):
        return shown.get(file, file)

    report.files = {role: name(file) for role, file in report.files.items()}
    report.unused_files = [name(file) for file in report.unused_files]
    report.ignored_columns = {name(file): columns for file, columns in report.ignored_columns.items()}
    report.warnings = problems_named(report.warnings, shown)
    if report.store_orders:
        store = report.store_orders
        store["exports"] = [name(file) for file in store["exports"]]
        store["code_map"] = name(store["code_map"])
        store["export_rows"] = {name(file): rows for file, rows in store["export_rows"].items()}
        # kept in the data set's info, from which an append says the export's warnings again
        for key in ("guest_orders_by_file", "unattributed_by_file"):
            store[key] = {name(file): value for file, value in store.get(key, {}).items()}
        for pair in store.get("repeated", []):
            pair["files"] = [name(file) for file in pair["files"]]
        for order in (store.get("refunds_above_totals") or {}).get("shown", []):
            order["file"] = name(order["file"])
    return report


def problems_named(problems: list[Problem], shown: dict[str, str]) -> list[Problem]:
    """The problems with their file named as `shown` says (shown_names)."""
    return [dataclasses.replace(p, file=shown[p.file]) if p.file in shown else p for p in problems]


def _show_files(connection, report: ImportReport, shown: dict[str, str]) -> None:
    """Name the files of `report` and of the data set's info as `shown` does (shown_names)."""
    shown_names(report, shown)
    named: dict[str, object] = {"files": report.files, "file_rows": report.file_rows()}
    named |= {"unused_files": report.unused_files, "store_orders": report.store_orders}
    named["warning_lines"] = [str(w) for w in report.warnings]
    connection.execute(f"DELETE FROM dataset_info WHERE key IN ({', '.join('?' * len(named))})", list(named))
    connection.executemany("INSERT INTO dataset_info VALUES (?, ?)", [(k, json.dumps(v)) for k, v in named.items()])


def _swap_in(temp_path: Path, db_path: Path, dataset_id: str | None = None) -> None:
    """Keep the live file in the history, rename the new one over it, drop history beyond the setting.
    `dataset_id`: the new file's, when the caller wrote it (else read from the file)."""
    history.keep_previous(db_path)
    wal = Path(str(db_path) + ".wal")
    if wal.exists():  # a stale log of an older file must never be replayed onto the new one
        wal.unlink()
    os.replace(temp_path, db_path)
    _fsync(db_path.parent)
    history.prune(db_path, live=dataset_id)


def _stage_and_build(
    connection,
    source_dir: Path | str,
    persist: bool = False,
    name: str | None = None,
    dataset_id: str | None = None,
    keep_sources: Path | None = None,
    rules: ValueRules = DEFAULT_RULES,
    stages: Stages | None = None,
    engine: Engine | None = None,
    scratch_dir: Path | None = None,
    kept_store: Appended | None = None,
) -> ImportReport:
    rest = (persist, name, dataset_id, keep_sources, rules, stages or Stages())
    if engine is not None and _on_spark(engine):
        from warehouse.engines import spark, spark_paths

        with spark.spark_connection(engine.master) as rows_connection, spark.scratch(scratch_dir) as scratch:
            if isinstance(source_dir, Path):
                folder, sales_at = source_dir, spark_paths.local_sales_folder(source_dir)
            else:  # a URI: its small files are copied here, its sales read where they are
                folder = Path(scratch) / "folder" / _folder_name(source_dir)
                sales_at, problems = spark_paths.fetch_folder(rows_connection.spark, source_dir, folder)
                if problems:
                    raise ImportFailed(problems, [], len(problems))
            return _stage_and_build_with(
                connection, folder, *rest, rows_connection, Path(scratch), sales_at, kept_store=kept_store
            )
    if not isinstance(source_dir, Path):
        raise ImportFailed([Problem(source_dir, None, None, None, URI_ON_DUCKDB)], [], 1)
    return _stage_and_build_with(connection, source_dir, *rest, kept_store=kept_store)


URI_ON_DUCKDB = (
    "a folder given as a URI is read by the Spark engine (--engine spark): the DuckDB engine reads local folders"
)
APPEND_URI = "--append reads a local folder: import the URI's folder whole (--engine spark), or copy it here first"


def _folder(source: str | os.PathLike) -> Path | str:
    """The folder to import: a local Path, or a URI string (scheme://…, read by the Spark engine:
    engines/spark_paths.py) kept as written."""
    from warehouse.engines.spark_paths import is_uri

    return source if isinstance(source, str) and is_uri(source) else Path(source)


def _folder_name(source: Path | str) -> str:
    return source.name if isinstance(source, Path) else source.rstrip("/").rsplit("/", 1)[-1]


@dataclasses.dataclass(frozen=True)
class Engine:
    """Where an import's work on sales rows runs: "duckdb" (the default) or "spark" on `master`
    (a Spark master URL; None: local[*])."""

    name: str = "duckdb"
    master: str | None = None


def _on_spark(engine: Engine | None) -> bool:
    return engine is not None and engine.name == "spark"


def _stage_and_build_with(
    connection,
    source_dir: Path,
    persist: bool,
    name: str | None,
    dataset_id: str | None,
    keep_sources: Path | None,
    rules: ValueRules,
    stage: Stages,
    rows_connection=None,
    scratch: Path | None = None,
    sales_at=None,
    kept_store: Appended | None = None,
) -> ImportReport:
    """The import on `connection` (DuckDB); with `rows_connection` (spark.SparkConnection), the
    sales file is staged, checked and typed there and handed over as cells (spark.py). sales_at:
    sales Spark reads where they are (spark_paths.SalesAt: a Parquet folder, or a URI's sales).
    kept_store: an append (Appended): warnings about the merged sales' rows name the file each came
    from; over a data set imported from a store export, the export whose sales are the first rows of
    `source_dir`'s sales: its warnings said again, as the import said them."""
    with stage("read"):
        found = discover(source_dir)
        store = store_orders.claim(source_dir, found)
        if sales_at is not None:  # after claim, which reads local files only (spark_paths keeps exports local)
            _add_sales_at(found, sales_at)
        errors, warnings = Findings(), Findings()
        for problem in found.errors:
            errors.add(problem)
        # File-level warnings first: they are the ones a reader must see among the examples kept.
        for problem in found.unused + found.by_columns:
            warnings.add(problem)
        sources: dict[str, SourceFile] = {}
        for role, path in found.files.items():
            if role == "tracking" and rows_connection is not None:
                from warehouse.engines import spark

                source, file_problems = spark.stage_tracking(rows_connection, path)
            else:
                source, file_problems = load(connection, role, path, rules)
            for problem in file_problems:
                errors.add(problem)
            if source is not None:
                sources[role] = source
                for problem in source.warnings:
                    warnings.add(problem)
        for problem in _missing_sales(source_dir, found.files, sources) if store is None else []:
            errors.add(problem)
    with stage("check"):
        for source in sources.values():
            on_spark = rows_connection is not None and source.role == "tracking"
            check_values(rows_connection if on_spark else connection, source, errors, rules)
        check_audience(connection, sources, errors, warnings)
    if kept_store is not None:
        _name_appended_rows(sources, kept_store)
    mapping = _kept_mapping(connection, sources, kept_store, warnings)
    if store is not None:  # checked by store_orders itself: refunds are rows of negative revenue
        with stage("store_orders"):
            store_sales, mapping = store_orders.stage(connection, store, errors, warnings)
            if store_sales is not None and rows_connection is not None and scratch is not None:
                from warehouse.engines import spark  # the export is read by DuckDB, its sales go on Spark

                store_sales = spark.stage_store_sales(rows_connection, connection, store_sales, scratch)
        if store_sales is not None:
            sources["tracking"] = store_sales
            if "influencers" in sources and mapping is not None:  # stage gives both or neither
                store_orders.warn_unknown_creators(connection, store, mapping, sources["influencers"], warnings)
    if errors:
        raise ImportFailed(errors.problems, warnings.problems, errors.total, store_orders=mapping)

    with stage("type"):
        build.type_influencers(connection, sources["influencers"])
        extras = [sources[r] for r in ("instagram_insights", "youtube_analytics") if r in sources]
        build.type_posts(connection, sources.get("posts"), extras, _post_parts(kept_store, sources.get("posts")))
        if rows_connection is not None and scratch is not None and "tracking" in sources:
            from warehouse.engines import spark

            spark.type_sales(rows_connection, connection, sources["tracking"], sources["payouts"], scratch)
            appended = build.appended_orders(rows_connection, sources["tracking"], sources.get("payouts"))
            build.type_payouts(connection, sources["payouts"], True, errors, warnings, appended)
            build.type_buyers(rows_connection, sources["tracking"], warnings)
            sales_connection = rows_connection
        else:
            build.type_sales(connection, sources.get("tracking"), sources["payouts"])
            appended = build.appended_orders(connection, sources.get("tracking"), sources.get("payouts"))
            build.type_payouts(connection, sources["payouts"], "tracking" in sources, errors, warnings, appended)
            build.type_buyers(connection, sources.get("tracking"), warnings)
            sales_connection = connection
        # an append over a store export: its sales counted apart from the export's (the mapping stays the store's)
        after_export = build.sales_after_export(sales_connection, sources.get("tracking"))
    if errors:
        raise ImportFailed(errors.problems, warnings.problems, errors.total)
    build.add_unknown_influencers(connection, sources, warnings, rows_connection)
    warn_unknown_campaigns(connection, sources, warnings, on_spark=rows_connection is not None)
    warn_unmatched(connection, sources.get("tracking"), warnings, _on_spark_with(rows_connection, scratch))
    if "tracking" not in sources:
        build.warn_payouts_as_sales(connection, sources["payouts"], warnings)

    report = ImportReport(
        source=str(source_dir),
        files={role: s.path.name for role, s in sources.items()},
        unused_files=[problem.file for problem in found.unused],
        ignored_columns={s.path.name: s.ignored_columns for s in sources.values()},
        rows={role: s.rows for role, s in sources.items()},
        warnings=warnings.problems,
        warning_count=warnings.total,
        store_orders=mapping,
        sales_after_export=after_export,
        stages=stage.seconds,
        first_lines={role: _first_line(s) for role, s in sources.items()},
    )
    if not persist:
        return report
    if rows_connection is not None and scratch is not None and "tracking" in sources:
        from warehouse.engines import spark

        with stage("facts"):
            spark.build_facts(rows_connection, connection, scratch)
            build.build_sale_values(connection)
        cohorts = lambda: spark.build_customer_tables(rows_connection, connection, scratch)  # noqa: E731
    else:
        with stage("facts"):
            build.build_facts(connection)
            build.build_sale_values(connection)
        cohorts = lambda: build_customer_tables(connection)  # noqa: E731

    def meanwhile() -> None:
        cohorts()
        if keep_sources is not None:
            history.save_sources(
                connection,
                sources.values(),
                keep_sources,
                derived=("tracking",) if store is not None else (),
                typed_sales="tracking" in sources,
            )

    # The lift estimates (numpy, in threads) run while the cohorts' SQL does, then the history's copy of
    # the sources (its Parquet of a store export's sales: ≈ 1.8 s at 10M line items), which would
    # otherwise wait for the estimates with a core idle: one stage, two cores busy. A later stage that
    # fails leaves the copy to history.prune (an entry with no data set file).
    with stage("customer_cohorts_lift_and_history"):
        build_lift_tables(connection, meanwhile=meanwhile)
        build_lift_rollups(connection)
    with stage("organic"):
        _create_campaigns(connection, sources.get("campaigns"))
        build_organic_tables(connection, sources.get("organic_sales"))
    with stage("audience"):
        build_audience_tables(connection, sources)
        build_sales_regions(connection, sources.get("tracking"), _on_spark_with(rows_connection, scratch))
    _write_dataset_info(connection, report, name or source_dir.name, dataset_id)
    return report


def _name_appended_rows(sources: dict[str, SourceFile], appended: Appended) -> None:
    """An append's merged sales, posts and payouts: warnings about their rows name the file each row
    came from, with that file's count (build.type_buyers, build.add_unknown_influencers), not the
    merged "a.csv + b.csv"; a store export's sales are its first part (_export_part), the files
    appended after it each a part of its own. The merged sales and payouts know how many of their first rows are the live data set's
    (SourceFile.live_rows), so the appended sales' orders are told apart (build.appended_orders)."""
    for role in ("tracking", "payouts"):
        if role in sources:
            sources[role].live_rows = appended.live_rows.get(role, sources[role].rows)
    for role, source in sources.items():
        if role not in PARTED or role not in appended.parts:
            continue
        source.parts = appended.named_parts(role, source.rows)
        source.part_imports = tuple(part["import"] for part in appended.file_parts({role: source.rows})[role])


def _post_parts(appended: Appended | None, posts: SourceFile | None) -> list[tuple[int, int, str, int]]:
    """(first place, rows, prefix, line of the first) of each import's file of an append's merged posts
    whose lines are known (build.type_posts): a post without a post_id is called by its own file's row,
    "row 3" in the data set's first file (as its import called it), "feb/posts.csv row 2" in an appended
    one (part_names), "feb/posts.csv data row 2" in one read through a repaired copy; not by the merged
    file's rows, which an appended file's share with the first's."""
    if appended is None or posts is None or "posts" not in appended.parts:
        return []
    parts = appended.file_parts({"posts": posts.rows})["posts"]
    found, start = [], 0
    for index, (name, part) in enumerate(zip(part_names(parts), parts)):
        first_line = part.get("first_line")
        if first_line is not None and index == 0:
            found.append((start, part["rows"], "row ", first_line))
        elif index > 0:
            prefix = f"{name} row " if first_line is not None else f"{name} data row "
            found.append((start, part["rows"], prefix, 1 if first_line is None else first_line))
        start += part["rows"]
    return found


def _kept_mapping(connection, sources: dict[str, SourceFile], kept: Appended | None, warnings: Findings) -> dict | None:
    """An append over a store export's sales keeps the export's mapping and says its warnings again
    (guest checkouts in orders per export file, unknown codes, refunds above an order's total, ...,
    and its code map's creators still missing from the influencers), and leaves the buyer warning
    of the sales file to the rows appended after the export's (build.type_buyers), named by the
    files they came from."""
    tracking = sources.get("tracking")
    if kept is None or tracking is None:
        return None
    if kept.mapping is None:
        return None
    # Mappings kept before session 12 lack sales_rows: their rows are then warned about as rows.
    tracking.buyers_reported_rows = int(kept.mapping.get("sales_rows") or 0)
    tracking.after_export = _after_export(tracking, kept)
    tracking.named_creators = tuple(row["influencer_id"] for row in kept.mapping.get("unknown_creators") or [])
    store_orders.mapping_warnings(kept.mapping, warnings)
    if "influencers" in sources:
        shown = kept.names.get("influencers") or sources["influencers"].path.name
        store_orders.kept_creator_warnings(connection, kept.mapping, sources["influencers"], shown, warnings)
    return kept.mapping


def _after_export(tracking: SourceFile, kept: Appended) -> str | None:
    """The files appended after a store export's sales, each as warnings name it (its part's name:
    "jan/tracking_data.csv + jan2/tracking_data.csv"), else as the data set's files list them."""
    if tracking.parts:
        return (
            " + ".join(name for name, _ in _parts_after_export(tracking.parts, tracking.buyers_reported_rows)) or None
        )
    return store_orders.sales_after_export(kept.mapping or {}, kept.names.get("tracking", ""))


def _parts_after_export(parts: tuple[tuple[str, int], ...], export_rows: int) -> list[tuple[str, int]]:
    """The (name, rows) parts of a merged sales file after its first `export_rows` rows (a store
    export's sales, its first part)."""
    starts = [sum(rows for _, rows in parts[:i]) for i in range(len(parts))]
    return [part for part, start in zip(parts, starts) if start >= export_rows]


def _add_sales_at(found, sales_at) -> None:
    """The sales Spark reads where they are, unless the folder holds a sales file too (refused)."""
    if "tracking" in found.files:
        other = found.files["tracking"].name
        reason = f"two candidates for the sales (tracking data) file: {other} and {sales_at.name}; keep one of them"
        found.errors.append(Problem(sales_at.name, None, None, None, reason))
    else:
        found.files["tracking"] = sales_at


def _on_spark_with(rows_connection, scratch) -> bool:
    """Whether the sales rows live on Spark (region_tables then reads their region cells)."""
    return rows_connection is not None and scratch is not None


class Stages:
    """Wall and CPU seconds of each named stage of an import, for the benchmark (bench/run.py) and
    the debug log: `seconds[name] = {"wall": s, "cpu": s}` (CPU of the whole process, so DuckDB's
    threads count)."""

    def __init__(self):
        self.seconds: dict[str, dict[str, float]] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        """Time the block as stage `name`."""
        wall, cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield
        finally:
            spent = {"wall": round(time.perf_counter() - wall, 3), "cpu": round(_cpu_seconds() - cpu, 3)}
            self.seconds[name] = spent
            log.debug("import stage %s: %.2f s wall, %.2f s CPU", name, spent["wall"], spent["cpu"])


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _missing_sales(source_dir: Path, files: dict[str, Path], sources: dict[str, SourceFile]) -> list[Problem]:
    """Revenue must come from somewhere: a sales file, or payouts with revenue or orders per
    influencer (seed1's layout). Otherwise the import would "succeed" showing ₹0 revenue."""
    payouts = sources.get("payouts")
    if "tracking" in files or payouts is None or {"total_revenue", "orders"} & set(payouts.columns):
        return []
    return [
        Problem(
            source_dir.name,
            None,
            None,
            None,
            f"no sales file (expected tracking_data.csv, or a file with the columns influencer_id, date, "
            f"orders, revenue) and {payouts.path.name} has no total_revenue or orders column: "
            "every revenue figure would be ₹0",
        )
    ]


def _create_campaigns(connection, campaigns: SourceFile | None):
    if campaigns is None:
        connection.execute("""CREATE TABLE campaigns (campaign VARCHAR, brand VARCHAR, start_date DATE,
                              end_date DATE, budget DOUBLE)""")
        return
    connection.execute(f"""
        CREATE TABLE campaigns AS SELECT trim(campaign) AS campaign,
            {build.BRAND_SQL.format(col="brand") if "brand" in campaigns.columns else "NULL"} AS brand,
            {build._date(campaigns, "start_date")} AS start_date, {build._date(campaigns, "end_date")} AS end_date,
            {build._number(campaigns, "budget")} AS budget
        FROM {campaigns.table} ORDER BY rowid""")


def _write_dataset_info(connection, report: ImportReport, name: str, dataset_id: str | None = None):
    counts = connection.execute("""SELECT
        (SELECT count(*) FROM influencers WHERE known), (SELECT count(*) FROM posts),
        (SELECT COALESCE(sum(rows), 0) FROM sales_by_influencer), (SELECT count(*) FROM payouts),
        (SELECT sum(orders) > 0 AND sum(orders_without_user) = 0 FROM facts_day),
        (SELECT min(date) FROM facts_day WHERE orders <> 0 OR revenue <> 0),
        (SELECT max(date) FROM facts_day WHERE orders <> 0 OR revenue <> 0),
        (SELECT COALESCE(sum(orders), 0) FROM facts_day),
        (SELECT COALESCE(sum(orders_without_user), 0) FROM facts_day)""").fetchone()
    sales_undated = "tracking" not in report.files
    info = {
        "schema_version": SCHEMA_VERSION,
        "dataset_id": dataset_id,
        "name": name,
        "source": report.source,
        "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "influencers": counts[0],
        "posts": counts[1],
        "sales_rows": counts[2],
        "payouts": counts[3],
        "has_user_ids": bool(counts[4]),
        # how many orders carry no buyer: "partly present" buyer ids (metrics.dataset.buyer_ids_text)
        "sale_orders": int(counts[7]),
        "orders_without_user": int(counts[8]),
        "first_sale": counts[5].isoformat() if counts[5] else None,
        "last_sale": counts[6].isoformat() if counts[6] else None,
        "files": report.files,
        "file_rows": report.file_rows(),
        "unused_files": report.unused_files,
        "store_orders": report.store_orders,
        "sales_after_export": report.sales_after_export,
        "warnings": report.warning_count,
        **_sales_coverage(connection, sales_undated),
        "warning_lines": [str(w) for w in report.warnings],
    }
    connection.execute("CREATE TABLE dataset_info (key VARCHAR, value VARCHAR)")
    connection.executemany("INSERT INTO dataset_info VALUES (?, ?)", [(k, json.dumps(v)) for k, v in info.items()])


def _sales_coverage(connection, sales_undated: bool) -> dict:
    """How far sales can be split by date and sale dimension (docs/metrics.md, "Sales without dates").

    sales_undated: the sales file gives no dates (payouts' totals per influencer are the sales);
    sales_dated_from_posts_share / sales_undated_share: shares of revenue (0–1, None without
    revenue) dated by the influencer's posts / left without any date; sales_unsplit_by: the sale
    dimensions (date, brand, campaign, product) that no sale carries.
    """
    # The two smallest rollups that hold every dimension between them, rather than `facts`.
    total, undated, *unattributed = connection.execute(f"""
        SELECT sum(abs(revenue)), COALESCE(sum(abs(revenue)) FILTER (WHERE date IS NULL), 0),
               bool_and(date IS NULL), bool_and(brand = '{build.UNATTRIBUTED}'),
               bool_and(campaign = '{build.UNATTRIBUTED}'),
               (SELECT bool_and(product = '{build.UNATTRIBUTED}') FROM facts_day_product
                WHERE orders <> 0 OR revenue <> 0)
        FROM facts_day_campaign WHERE orders <> 0 OR revenue <> 0""").fetchone()
    undated_share = undated / total if total else None
    from_posts = (1 - undated_share if sales_undated else 0.0) if undated_share is not None else None
    return {
        "sales_undated": sales_undated,
        "sales_dated_from_posts_share": from_posts,
        "sales_undated_share": undated_share,
        "sales_unsplit_by": [
            name for name, none in zip(("date", "brand", "campaign", "product"), unattributed) if none
        ],
    }


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
    for leftover in db_path.parent.glob(f".{db_path.name}.append-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _fsync(path: Path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
