"""Data page: upload → validate (nothing changes) → import (atomic swap), data set info, sample download.

Uploaded files never live in module state or in the browser after they arrive: the upload
callback decodes them into a fresh folder `<upload root>/<token>/` (token: 32 random hex digits)
and keeps only the token in a dcc.Store. Import reads the folder the token names (the token is
checked against its pattern first, so it cannot point anywhere else) and deletes it afterwards.
Folders older than UPLOAD_TTL_SECONDS are removed whenever a new upload arrives.

The upload root is HKDASH_UPLOAD_DIR, else `<system temp>/hkdash-uploads`. File names are reduced
to their last path component, and only .csv / .parquet files are kept (a .zip is unpacked, with a
limit on the bytes it may expand to).
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import io
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

import metrics

from callbacks import common
from metrics import format as fmt
from components.cards import notice, stat_list
from components.upload import MAX_SHOWN, files_table, problems_table, store_orders_summary
from warehouse import upload_limits as limits

log = logging.getLogger(__name__)

UPLOAD_TTL_SECONDS = 2 * 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
FOLDER_RE = re.compile(r"^[0-9a-f]{32}(\.importing)?$")  # upload folders, and those an import has claimed
DATA_EXTENSIONS = (".csv", ".parquet")
MAX_UNZIPPED_BYTES = 2 * 1024 ** 3  # what one .zip may expand to
MAX_NAME_CHARS = 120
DEFAULT_NAME = "Uploaded data set"
SAMPLE_ORDERS = 20_000
SAMPLE_SEED = 42


# --- upload folders ------------------------------------------------------------------------------

def upload_root() -> Path:
    """The upload folder, private to this server's user (UploadFolderUnsafe when it is not)."""
    from warehouse.upload_limits import private_folder

    return private_folder(Path(os.environ.get("HKDASH_UPLOAD_DIR") or Path(tempfile.gettempdir()) / "hkdash-uploads"))


def upload_dir(token, root: Path | None = None) -> Path | None:
    """The folder of an upload token, or None when the token is malformed or its folder is gone."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    folder = (root or upload_root()) / token
    return folder if folder.is_dir() else None


def cleanup_uploads(root: Path, max_age: float = UPLOAD_TTL_SECONDS, now: float | None = None) -> int:
    """Remove upload folders older than max_age seconds; returns how many were removed."""
    now = time.time() if now is None else now
    removed = 0
    for folder in root.iterdir():
        if not (folder.is_dir() and FOLDER_RE.match(folder.name)):
            continue
        try:
            if now - folder.stat().st_mtime > max_age:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:  # removed by another worker meanwhile
            pass
    return removed


def safe_name(name) -> str | None:
    """The last path component of an uploaded file's name, made safe; None when nothing usable is left.

    Folder parts (`a/b/c.csv`, `..\\x.csv`) are dropped, control characters removed, characters
    outside letters, digits, space and `._()-` replaced by `_`; hidden files (leading dot) are refused.
    """
    if not isinstance(name, str):
        return None
    base = name.replace("\\", "/").split("/")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    base = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", base)
    if not base or base in (".", "..") or base.startswith(".") or len(base) > MAX_NAME_CHARS:
        return None
    return base


@dataclasses.dataclass
class Upload:
    token: str
    folder: Path
    saved: list[str]
    skipped: list[tuple[str, str]]  # (name as sent, why it was not used)


def _decode(content: str) -> bytes:
    header, _, payload = (content or "").partition(",")
    if not header.startswith("data:"):
        raise ValueError("not a data URL")
    if ";base64" in header:
        return base64.b64decode(payload, validate=True)
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(payload)


def _store(folder: Path, name: str, data_chunks, saved: list[str], skipped: list, shown_name: str) -> None:
    if name in saved:
        skipped.append((shown_name, f"a second file named {name}"))
        return
    with open(folder / name, "xb") as handle:
        for chunk in data_chunks:
            handle.write(chunk)
    saved.append(name)


def _unzip(folder: Path, data: bytes, zip_name: str, saved: list[str], skipped: list) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        skipped.append((zip_name, "not a readable .zip file"))
        return
    budget = min(MAX_UNZIPPED_BYTES, limits.max_unzipped_bytes())
    with archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            shown = f"{zip_name}: {member.filename}"
            name = safe_name(member.filename)
            if name is None or "__MACOSX" in member.filename.split("/"):
                if not member.filename.split("/")[-1].startswith("."):
                    skipped.append((shown, "file name not usable"))
                continue
            if not name.lower().endswith(DATA_EXTENSIONS):
                skipped.append((shown, "not a .csv or .parquet file"))
                continue
            if member.file_size > budget or member.file_size > limits.max_file_bytes():
                skipped.append((shown, "expands beyond the upload limit"))
                continue
            if member.flag_bits & 0x1:
                skipped.append((shown, "could not be read (encrypted)"))
                continue

            def chunks(member=member):
                nonlocal budget
                size = 0
                with archive.open(member) as source:
                    while block := source.read(1 << 20):
                        budget -= len(block)
                        size += len(block)
                        if budget < 0 or size > limits.max_file_bytes():
                            raise ValueError("expands beyond the upload limit")
                        yield block
            try:
                _store(folder, name, chunks(), saved, skipped, shown)
            except ValueError as error:
                (folder / name).unlink(missing_ok=True)
                skipped.append((shown, str(error)))
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
                # RuntimeError: encrypted; NotImplementedError: a compression zipfile cannot read
                (folder / name).unlink(missing_ok=True)
                skipped.append((shown, "could not be read"))


def receive_upload(contents, filenames, root: Path | None = None) -> Upload:
    """Decode the files of one dcc.Upload event into a fresh folder under the upload root."""
    root = root or upload_root()
    contents = contents if isinstance(contents, list) else ([contents] if contents else [])
    filenames = filenames if isinstance(filenames, list) else ([filenames] if filenames else [])
    token = secrets.token_hex(16)
    folder = root / token
    folder.mkdir(mode=0o700)
    saved: list[str] = []
    skipped: list[tuple[str, str]] = []
    room = limits.room_left(root)
    for index, content in enumerate(contents):
        sent = filenames[index] if index < len(filenames) else None
        shown = str(sent) if sent is not None else f"file {index + 1}"
        name = safe_name(sent)
        if name is None:
            skipped.append((shown, "file name not usable"))
            continue
        lower = name.lower()
        if not lower.endswith(DATA_EXTENSIONS + (".zip",)):
            skipped.append((shown, "not a .csv, .parquet or .zip file"))
            continue
        try:
            data = _decode(content)
        except (ValueError, binascii.Error, AttributeError):  # AttributeError: not text (a forged request)
            skipped.append((shown, "could not be decoded"))
            continue
        refusal = limits.size_refusal(len(data), room, zipped=lower.endswith(".zip"))
        if refusal:
            skipped.append((shown, refusal))
            continue
        room -= len(data)
        if lower.endswith(".zip"):
            _unzip(folder, data, name, saved, skipped)
        else:
            _store(folder, name, [data], saved, skipped, shown)
    return Upload(token, folder, saved, skipped)


# --- validation / import reports ------------------------------------------------------------------

def validate_folder(folder: Path, append: bool = False):
    """(ImportReport, None) when the folder would import (or append), else (None, ImportFailed)."""
    from warehouse import ImportFailed, default_db_path, validate_dataset
    from warehouse.append import check_append

    try:
        return (check_append(default_db_path(), folder) if append else validate_dataset(folder)), None
    except ImportFailed as failure:
        return None, failure


def _skipped_notice(skipped):
    if not skipped:
        return None
    return notice([f"Not used ({len(skipped)}): ",
                   html.Ul([html.Li(f"{name}: {reason}") for name, reason in skipped[:MAX_SHOWN]],
                           className="mb-0 mt-1 small")], color="secondary", icon="bi-file-earmark-x")


def _warnings_block(warnings, total: int):
    if not total:
        return None
    return html.Div([
        html.H3(f"{fmt.count(total)} warning{'s' if total != 1 else ''} (the import goes ahead)",
                className="h6 mt-3"),
        problems_table(warnings, total, kind="warning", table_id="data-warnings"),
    ])


def report_children(upload: Upload, report, failure) -> list:
    children = [_skipped_notice(upload.skipped)]
    if not upload.saved:
        children.append(notice("No data file arrived: upload the .csv or .parquet files (or a .zip of them).",
                               color="danger", icon="bi-x-octagon"))
        return children
    if failure is not None:
        children += [
            dbc.Alert([
                html.I(className="bi bi-x-octagon me-2", **{"aria-hidden": "true"}),
                html.Strong(f"{fmt.count(failure.total)} error{'s' if failure.total != 1 else ''}: "),
                "this data set cannot be imported. Nothing was changed; the current data set stays loaded. "
                "Fix the rows below and upload again.",
            ], color="danger", className="py-2", id="data-report-status"),
            problems_table(failure.errors, failure.total, kind="error", table_id="data-errors"),
            _warnings_block(failure.warnings, len(failure.warnings)),
        ]
        return children
    unused = [html.P(f"Not used: {', '.join(report.unused_files)}", className="small text-body-secondary mb-1")
              ] if report.unused_files else []
    ignored = [html.P(f"{name}: columns not used: {', '.join(cols)}", className="small text-body-secondary mb-1")
               for name, cols in report.ignored_columns.items() if cols]
    children += [
        dbc.Alert([
            html.I(className="bi bi-check-circle me-2", **{"aria-hidden": "true"}),
            html.Strong("Valid. "),
            "Nothing has changed yet: press Import to replace the current data set with this one.",
        ], color="success", className="py-2", id="data-report-status"),
        files_table(report.files, report.rows, table_id="data-files"),
        store_orders_summary(report.store_orders, table_id="data-store-orders"),
        *unused, *ignored,
        _warnings_block(report.warnings, report.warning_count),
    ]
    return children


def import_success(report, name: str, info: dict | None) -> dbc.Alert:
    info = info or {}
    counts = ", ".join(f"{fmt.count(info.get(key))} {label}" for key, label in (
        ("influencers", "influencers"), ("posts", "posts"), ("sales_rows", "sales rows"), ("payouts", "payout rows"))
        if info.get(key) is not None)
    return dbc.Alert([
        html.I(className="bi bi-check-circle-fill me-2", **{"aria-hidden": "true"}),
        html.Strong(f"Imported “{name}”. "),
        f"{counts}. " if counts else "",
        f"{fmt.count(report.warning_count)} warnings. " if report.warning_count else "",
        "Every page now shows this data set: ",
        html.A("open the overview", href="/", className="alert-link"),
        " (reloads the filters).",
    ], color="success", id="data-import-status")


def import_failure(message: str, failure=None) -> html.Div:
    return html.Div([
        dbc.Alert([html.I(className="bi bi-x-octagon me-2", **{"aria-hidden": "true"}), message],
                  color="danger", id="data-import-status"),
        problems_table(failure.errors, failure.total, table_id="data-import-errors") if failure is not None else None,
    ])


def dataset_name(text) -> str:
    spaced = " ".join(str(text or "").split())  # tabs and new lines become single spaces
    cleaned = "".join(ch for ch in spaced if ch.isprintable())[:80].strip()
    return cleaned or DEFAULT_NAME


def run_import(store, name_text, append: bool = False) -> tuple:
    """Import (or append) the uploaded folder into the app's warehouse. Returns (result children, imported marker)."""
    import auth
    from warehouse import ImportFailed, default_db_path, import_dataset

    folder = upload_dir((store or {}).get("token"))
    if folder is None or not (store or {}).get("valid"):
        return import_failure("Nothing to import: upload a valid data set first (uploads expire after "
                              f"{UPLOAD_TTL_SECONDS // 3600} hours)."), no_update
    # Claim the folder so that a second click cannot import it twice.
    claimed = folder.with_name(folder.name + ".importing")
    try:
        folder.rename(claimed)
    except OSError:
        return import_failure("This upload is already being imported."), no_update
    name = dataset_name(name_text) if (name_text or not append) else None
    action = "append" if append else "import"
    try:
        report = import_dataset(claimed, default_db_path(), name=name, append=append)
    except ImportFailed as failure:
        auth.record(f"{action}_refused", f"upload {', '.join((store or {}).get('files') or [])}: "
                                         f"{failure.total} error(s)")
        return import_failure(f"{fmt.count(failure.total)} errors: nothing was imported; the current data set is "
                              "unchanged.", failure), no_update
    except Exception as error:  # disk full, permissions…: the swap never happened
        log.exception("import of an uploaded data set failed")
        return import_failure(f"The import failed ({type(error).__name__}): the current data set is unchanged."), no_update
    finally:
        shutil.rmtree(claimed, ignore_errors=True)
    auth.record(action, f"upload {', '.join((store or {}).get('files') or [])}")
    try:
        info = metrics.dataset_info(common.warehouse())
    except Exception:  # the import worked; the summary is a nicety
        info = None
    return import_success(report, name or str((info or {}).get("name") or ""), info), dt.datetime.now(dt.timezone.utc).isoformat()


@callback(
    Output("data-report", "children"),
    Output("data-upload-store", "data"),
    Output("data-import", "disabled"),
    Output("data-import-result", "children"),
    Output("data-imported", "data"),
    Output("data-upload", "contents"),
    Input("data-upload", "contents"),
    Input("data-import", "n_clicks"),
    State("data-upload", "filename"),
    State("data-upload-store", "data"),
    State("data-name", "value"),
    State("data-mode", "value"),
    running=[(Output("data-import", "disabled"), True, False), (Output("data-upload", "disabled"), True, False)],
    prevent_initial_call=True,
)
def upload_or_import(contents, _n_clicks, filenames, store, name, mode=None):
    """One callback for both steps, so the upload's contents are sent once (then cleared) and the
    Import button's state has a single owner."""
    if ctx.triggered_id == "data-import":
        return handle_import(store, name, append=mode == "append")
    return handle_upload(contents, filenames, store, append=mode == "append")


def handle_import(store, name, append: bool = False) -> tuple:
    """Outputs of upload_or_import for an Import click."""
    result, imported = run_import(store, name, append)
    if imported is no_update:  # failed: the upload stays importable only if its folder is still there
        still = upload_dir((store or {}).get("token")) is not None and bool((store or {}).get("valid"))
        return no_update, store if still else None, not still, result, no_update, no_update
    return no_update, None, True, result, imported, no_update


def handle_upload(contents, filenames, store, append: bool = False) -> tuple:
    """Outputs of upload_or_import for newly dropped files: save, validate, report; nothing is imported."""
    if not contents:
        return (no_update,) * 6
    try:
        root = upload_root()
    except limits.UploadFolderUnsafe as error:
        log.error("uploads refused: %s", error)
        return (notice("Uploads are switched off on this server until its upload folder is fixed (see the server "
                       "log).", color="danger", icon="bi-x-octagon"), None, True, None, no_update, None)
    cleanup_uploads(root)
    previous = upload_dir((store or {}).get("token"), root)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    upload = receive_upload(contents, filenames, root)
    report, failure = validate_folder(upload.folder, append) if upload.saved else (None, None)
    valid = report is not None
    if not valid:
        shutil.rmtree(upload.folder, ignore_errors=True)
    new_store = {"token": upload.token, "valid": True, "files": upload.saved} if valid else None
    return report_children(upload, report, failure), new_store, not valid, None, no_update, None


# --- current data set -------------------------------------------------------------------------------

def _age(imported_at: str | None, now: dt.datetime | None = None) -> str | None:
    if not imported_at:
        return None
    try:
        then = dt.datetime.fromisoformat(imported_at)
    except ValueError:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    seconds = max(0.0, (now - then).total_seconds())
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def info_children(info: dict | None, now: dt.datetime | None = None) -> list:
    if not info:
        return [html.P("No data set imported yet: upload one below, or download the sample data set and "
                       "import it.", className="mb-0", id="data-info-empty")]
    imported = str(info.get("imported_at") or "")
    when = fmt.timestamp(imported)
    age = _age(imported, now)
    warnings = int(info.get("warnings") or 0)
    lines = list(info.get("warning_lines") or [])
    files = info.get("files") or {}
    source = str(info.get("source") or "")
    items = [
        ("Imported", f"{when}" + (f" ({age})" if age else "")),
        ("Sales dated", f"{fmt.date(info.get('first_sale'))} – {fmt.date(info.get('last_sale'))}"),
        ("Influencers", fmt.count(info.get("influencers"))),
        ("Posts", fmt.count(info.get("posts"))),
        ("Sales rows", fmt.count(info.get("sales_rows"))),
        ("Payout rows", fmt.count(info.get("payouts"))),
        ("New customers", "from buyer ids (user_id)" if info.get("has_user_ids")
         else "estimated from orders (no user_id in the sales)"),
    ]
    if info.get("store_orders"):
        store = info["store_orders"]
        items.append(("Sales from store orders", f"{fmt.count(store['attributed_orders'])} of "
                      f"{fmt.count(store['orders_read'])} {store['store']} orders attributed by code; "
                      "revenue without shipping and taxes, net of refunds"))
    details = [html.Li(["Files: ", ", ".join(f"{name} ({role})" for role, name in sorted(files.items())) or "—"])]
    if source and not source.startswith(str(upload_root())):  # the folder's name only: no server path for visitors
        details.append(html.Li(["Imported from: ", html.Code(Path(source).name)]))
    children = [
        html.Div([html.Strong(str(info.get("name") or "data set"), id="data-info-name", className="fs-5 me-2"),
                  dbc.Badge(f"{fmt.count(warnings)} warning{'s' if warnings != 1 else ''}" if warnings else "no warnings",
                            color="warning" if warnings else "success",
                            text_color="dark" if warnings else None, className="align-middle")],
                 className="mb-2"),
        stat_list(items),
        html.Ul(details, className="small text-body-secondary mb-0 mt-2 list-unstyled"),
    ]
    if lines:
        children.append(html.Details([
            html.Summary(f"Import warnings ({fmt.count(warnings)})"),
            html.Ul([html.Li(line) for line in lines[:MAX_SHOWN]], className="small mb-0"),
            html.P(f"… and {fmt.count(warnings - len(lines[:MAX_SHOWN]))} more.", className="small mb-0")
            if warnings > len(lines[:MAX_SHOWN]) else None,
        ], className="mt-2"))
    return children


@callback(Output("data-info", "children"), Input("url", "pathname"), Input("data-imported", "data"),
          Input("data-restored", "data"))
def dataset_info_card(_pathname, _imported, _restored=None):
    try:
        info = metrics.dataset_info(common.warehouse())
    except Exception as error:
        if common.is_missing_warehouse(error):
            return info_children(None)
        raise
    return info_children(info)


# --- sample data set ------------------------------------------------------------------------------

def sample_zip(orders: int = SAMPLE_ORDERS, seed: int = SAMPLE_SEED) -> bytes:
    """The sample data set (warehouse.sample) as a .zip of its CSV files, built in a temporary folder."""
    from warehouse.sample import generate_sample

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="hkdash-sample-") as folder:
        result = generate_sample(folder, orders=orders, seed=seed, fmt="csv")
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(p) for p in result["files"]):
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


@callback(
    Output("data-sample-download", "data"),
    Input("data-sample", "n_clicks"),
    running=[(Output("data-sample", "disabled"), True, False)],
    prevent_initial_call=True,
)
def download_sample(n_clicks):
    if not n_clicks:
        return no_update
    return {"content": base64.b64encode(sample_zip()).decode("ascii"), "base64": True,
            "filename": f"hkdash-sample-{SAMPLE_ORDERS}-orders.zip", "type": "application/zip"}
