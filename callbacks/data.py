"""Data page: upload → validate (nothing changes) → import (atomic swap), data set info, sample download.

The files themselves are handled by the data layer (warehouse/uploads.py): these callbacks hand it
what dcc.Upload sent, keep only the upload's token in a dcc.Store, and show what it reports.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import tempfile
import zipfile
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

import metrics
from callbacks import common
from components.cards import notice, stat_list
from components.history import RESTORED_ID
from components.ids import data as ids
from components.ids.shell import DATASET_CHANGED, URL
from components.upload import MAX_SHOWN, files_table, problems_table, store_orders_summary
from metrics import format as fmt
from metrics.dataset import SALES_ROWS, STORE_SALES_ROWS, row_counts
from warehouse import sample, uploads
from warehouse import upload_limits as limits
from warehouse.db import WarehouseOutdated
from warehouse.importer import source_folders

log = logging.getLogger(__name__)

SAMPLE_ORDERS = sample.DOWNLOAD_ORDERS
SAMPLE_SEED = sample.DOWNLOAD_SEED


# --- validation / import reports ------------------------------------------------------------------


def _skipped_notice(skipped):
    if not skipped:
        return None
    return notice(
        [
            f"Not used ({len(skipped)}): ",
            html.Ul(
                [html.Li(f"{name}: {reason}") for name, reason in skipped[:MAX_SHOWN]], className="mb-0 mt-1 small"
            ),
        ],
        color="secondary",
        icon="bi-file-earmark-x",
    )


def _warnings_block(warnings, total: int, refused: bool = False):
    """The upload's warnings under a heading that says what they do to the import: nothing stops
    it for them, but where errors refuse the upload it does not go ahead either."""
    if not total:
        return None
    effect = "warnings alone do not stop an import; the errors above do" if refused else "the import goes ahead"
    return html.Div(
        [
            html.H3(f"{fmt.counted(total, 'warning')} ({effect})", className="h6 mt-3", id=ids.WARNINGS_HEADING),
            problems_table(warnings, total, kind="warning", table_id=ids.WARNINGS_TABLE),
        ]
    )


def report_children(upload: uploads.Upload, report, failure, append: bool = False) -> list:
    """What an upload gave: skipped files, then the errors (nothing can be imported) or the files and warnings."""
    children = [_skipped_notice(upload.skipped)]
    if upload.lost:
        children.append(
            notice(
                f"Nothing can be imported: {fmt.count(len(upload.lost))} data file"
                f"{'s' if len(upload.lost) != 1 else ''} could not be used (listed above), and importing the "
                f"rest would leave out their rows. Upload them again within the limits ({limits.max_file_bytes() // limits.MB} MB "
                "per file), or import large files with `hkdash import DIR`.",
                color="danger",
                icon="bi-x-octagon",
            )
        )
        return children
    if not upload.saved:
        children.append(
            notice(
                "No data file arrived: upload the .csv or .parquet files (or a .zip of them).",
                color="danger",
                icon="bi-x-octagon",
            )
        )
        return children
    if failure is not None:
        children += [
            dbc.Alert(
                [
                    html.I(className="bi bi-x-octagon me-2", **{"aria-hidden": "true"}),
                    html.Strong(f"{fmt.count(failure.total)} error{'s' if failure.total != 1 else ''}: "),
                    "this data set cannot be imported. Nothing was changed; the current data set stays loaded. "
                    "Fix the rows below and upload again.",
                ],
                color="danger",
                className="py-2",
                id=ids.REPORT_STATUS,
            ),
            problems_table(failure.errors, failure.total, kind="error", table_id=ids.ERRORS_TABLE),
            # the export and code map read well though other files failed: show how the codes matched
            store_orders_summary(getattr(failure, "store_orders", None), table_id=ids.STORE_ORDERS_TABLE),
            _warnings_block(failure.warnings, len(failure.warnings), refused=True),
        ]
        return children
    unused = (
        [html.P(f"Not used: {', '.join(report.unused_files)}", className="small text-body-secondary mb-1")]
        if report.unused_files
        else []
    )
    ignored = [
        html.P(f"{name}: columns not used: {', '.join(cols)}", className="small text-body-secondary mb-1")
        for name, cols in report.ignored_columns.items()
        if cols
    ]
    children += [
        dbc.Alert(
            [
                html.I(className="bi bi-check-circle me-2", **{"aria-hidden": "true"}),
                html.Strong("Valid. "),
                "Nothing has changed yet: press Import to "
                + (
                    "add these files to the current data set."
                    if append
                    else "replace the current data set with this one."
                ),
            ],
            color="success",
            className="py-2",
            id=ids.REPORT_STATUS,
        ),
        files_table(report.file_rows(), table_id=ids.FILES_TABLE),
        store_orders_summary(report.store_orders, table_id=ids.STORE_ORDERS_TABLE),
        *unused,
        *ignored,
        _warnings_block(report.warnings, report.warning_count),
    ]
    return children


def import_success(report, name: str, info: dict | None, append: bool = False) -> dbc.Alert:
    """The green alert after an import (or an append: "Appended to “name”", the counts then the
    whole data set's): the data set's counts and a link to the overview."""
    info = info or {}
    counts = ", ".join(row_counts(info))
    return dbc.Alert(
        [
            html.I(className="bi bi-check-circle-fill me-2", **{"aria-hidden": "true"}),
            html.Strong(f"Appended to “{name}”. " if append else f"Imported “{name}”. "),
            (f"It now holds {counts}. " if append else f"{counts}. ") if counts else "",
            f"{fmt.counted(report.warning_count, 'warning')}. " if report.warning_count else "",
            "Every page now shows this data set: ",
            html.A("open the overview", href="/", className="alert-link"),
            " (reloads the filters).",
        ],
        color="success",
        id=ids.IMPORT_STATUS,
    )


def import_failure(message: str, failure=None) -> html.Div:
    """The red alert of an import that did not happen, with its errors when there are any."""
    return html.Div(
        [
            dbc.Alert(
                [html.I(className="bi bi-x-octagon me-2", **{"aria-hidden": "true"}), message],
                color="danger",
                id=ids.IMPORT_STATUS,
            ),
            problems_table(failure.errors, failure.total, table_id=ids.IMPORT_ERRORS_TABLE)
            if failure is not None
            else None,
        ]
    )


def run_import(store, name_text, append: bool = False) -> tuple:
    """Import (or append) the uploaded folder into the app's warehouse. Returns (result children,
    imported marker); records the import or its refusal in the audit log."""
    import auth
    from warehouse import ImportFailed, default_db_path

    store = store or {}
    if not store.get("valid"):
        return _nothing_to_import(), no_update
    # append keeps the name; an import without a typed one is named after the uploaded file
    name = uploads.dataset_name(name_text or store.get("name")) if (name_text or not append) else None
    action = "append" if append else "import"
    files = ", ".join(store.get("files") or [])
    try:
        report = uploads.import_upload(
            store.get("token"), default_db_path(), name, append=append, label=store.get("label")
        )
    except uploads.UploadGone:
        return _nothing_to_import(), no_update
    except uploads.UploadBusy:
        return import_failure("This upload is already being imported."), no_update
    except ImportFailed as failure:
        auth.record(f"{action}_refused", f"upload {files}: {failure.total} error(s)")
        return import_failure(
            f"{fmt.count(failure.total)} errors: nothing was imported; the current data set is unchanged.", failure
        ), no_update
    except Exception as error:  # noqa: BLE001 - disk full, permissions…: the swap never happened; say so, log it
        log.exception("import of an uploaded data set failed")
        return import_failure(
            f"The import failed ({type(error).__name__}): the current data set is unchanged."
        ), no_update
    auth.record(action, f"upload {files}")
    info = _info_after_import()
    return import_success(report, name or str((info or {}).get("name") or ""), info, append), dt.datetime.now(
        dt.UTC
    ).isoformat()


def _nothing_to_import() -> html.Div:
    return import_failure(
        "Nothing to import: upload a valid data set first (uploads expire after "
        f"{uploads.UPLOAD_TTL_SECONDS // 3600} hours)."
    )


@common.when_no_data_set(lambda error: None)
def _info_after_import() -> dict | None:
    return metrics.dataset_info(common.warehouse())


@callback(
    Output(ids.REPORT, "children"),
    Output(ids.UPLOAD_STORE, "data"),
    Output(ids.IMPORT, "disabled"),
    Output(ids.IMPORT_RESULT, "children"),
    Output(ids.IMPORTED, "data"),
    Output(ids.UPLOAD, "contents"),
    Input(ids.UPLOAD, "contents"),
    Input(ids.IMPORT, "n_clicks"),
    State(ids.UPLOAD, "filename"),
    State(ids.UPLOAD_STORE, "data"),
    State(ids.NAME, "value"),
    State(ids.MODE, "value"),
    # Import is not in `running`: its end value would enable the button again after an import,
    # whose upload is gone; the outputs own it (a second click meanwhile gets UploadBusy).
    running=[(Output(ids.UPLOAD, "disabled"), True, False)],
    prevent_initial_call=True,
)
def upload_or_import(contents, _n_clicks, filenames, store, name, mode=None):
    """One callback for both steps, so the upload's contents are sent once (then cleared) and the
    Import button's state has a single owner."""
    if ctx.triggered_id == ids.IMPORT:
        return handle_import(store, name, append=mode == "append")
    return handle_upload(contents, filenames, store, append=mode == "append")


def handle_import(store, name, append: bool = False) -> tuple:
    """Outputs of upload_or_import for an Import click."""
    result, imported = run_import(store, name, append)
    if imported is no_update:  # failed: the upload stays importable only if its folder is still there
        still = uploads.upload_dir((store or {}).get("token")) is not None and bool((store or {}).get("valid"))
        return no_update, store if still else None, not still, result, no_update, no_update
    # Imported: the upload's "Valid. Nothing has changed yet" report goes; Import waits for a new upload.
    return None, None, True, result, imported, no_update


@callback(
    Output(DATASET_CHANGED, "data"),
    Input(ids.IMPORTED, "data"),
    Input(RESTORED_ID, "data"),
    prevent_initial_call=True,
)
def dataset_changed(imported, restored):
    """Tell the shell (footer, filter options) that the data set changed, without a reload."""
    return imported if ctx.triggered_id == ids.IMPORTED else restored


def _upload_refused(message: str) -> tuple:
    """Outputs of handle_upload when the server could not check the files at all."""
    return notice(message, color="danger", icon="bi-x-octagon"), None, True, None, no_update, None


def handle_upload(contents, filenames, store, append: bool = False) -> tuple:
    """Outputs of upload_or_import for newly dropped files: save, validate, report; nothing is imported."""
    if not contents:
        return (no_update,) * 6
    from warehouse import default_db_path

    try:
        upload, report, failure = uploads.accept_upload(
            contents, filenames, (store or {}).get("token"), append_to=default_db_path() if append else None
        )
    except limits.UploadFolderUnsafe as error:
        log.error("uploads refused: %s", error)
        return _upload_refused(
            "Uploads are switched off on this server until its upload folder is fixed (see the server log)."
        )
    except uploads.UploadCheckFailed as error:
        log.error("checking upload %s failed", error, exc_info=error.__cause__)
        return _upload_refused(
            "These files could not be checked: an unexpected error, recorded in the server log. "
            "Nothing was imported and the uploaded files were deleted."
        )
    valid = report is not None
    new_store = (
        {"token": upload.token, "valid": True, "files": upload.saved, "name": upload.name, "label": upload.label}
        if valid
        else None
    )
    return report_children(upload, report, failure, append), new_store, not valid, None, no_update, None


# --- current data set -------------------------------------------------------------------------------


def _age(imported_at: str | None, now: dt.datetime | None = None) -> str | None:
    if not imported_at:
        return None
    try:
        then = dt.datetime.fromisoformat(imported_at)
    except ValueError:
        return None
    now = now or dt.datetime.now(dt.UTC)
    seconds = max(0.0, (now - then).total_seconds())
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def outdated_children() -> list:
    """The "current data set" card when the warehouse was built by another version of hkdash."""
    return [
        html.P(
            "The current data set was imported by another version of hkdash: import it again (upload it "
            "below, or `hkdash import DIR`).",
            className="mb-0",
            id=ids.INFO_EMPTY,
        )
    ]


def info_children(info: dict | None, now: dt.datetime | None = None) -> list:
    """The "current data set" card: name, warnings, when imported, what it holds, where from."""
    if not info:
        return [
            html.P(
                "No data set imported yet: upload one below, or download the sample data set and import it.",
                className="mb-0",
                id=ids.INFO_EMPTY,
            )
        ]
    imported = str(info.get("imported_at") or "")
    when = fmt.timestamp(imported)
    age = _age(imported, now)
    warnings = int(info.get("warnings") or 0)
    lines = list(info.get("warning_lines") or [])
    files = info.get("files") or {}
    items = [
        ("Imported", f"{when}" + (f" ({age})" if age else "")),
        ("Sales dated", f"{fmt.date(info.get('first_sale'))} – {fmt.date(info.get('last_sale'))}"),
        ("Influencers", fmt.count(info.get("influencers"))),
        ("Posts", fmt.count(info.get("posts"))),
        ("Sales rows", fmt.count(info.get("sales_rows"))),
        ("Payout rows", fmt.count(info.get("payouts"))),
        (
            "New customers",
            "from buyer ids"
            if info.get("has_user_ids")
            else "partly estimated"
            if metrics.buyers_partly_present(info)
            else "estimated",
        ),
    ]
    # the tiles hold figures; what they mean is said once below them
    details = [
        html.Li(
            "New customers are counted from buyer ids (user_id, or a store export's hashed e-mail)."
            if info.get("has_user_ids")
            else f"Buyer ids: {metrics.buyer_ids_text(info)}."
            if metrics.buyers_partly_present(info)
            else "New customers are estimated for the orders without a buyer id (no user_id or e-mail, a guest "
            "or a placeholder)."
        )
    ]
    if info.get("store_orders"):
        store = info["store_orders"]
        items.append(
            ("Store orders attributed", f"{fmt.count(store['attributed_orders'])} of {fmt.count(store['orders_read'])}")
        )
        details.append(html.Li(_store_orders_note(store)))
    if after := metrics.sales_after_export_text(info.get("sales_after_export")):  # not the store's: said apart
        items.append(("Orders appended", fmt.count(info["sales_after_export"]["orders"])))
        details.append(html.Li(f"Appended sales: {after}."))
    details.append(html.Li(sales_rows_note(info), id=ids.INFO_SALES_ROWS))
    if info.get("store_orders"):  # the check step's full breakdown, for whoever opens /data later (tester h4 F16)
        details.append(
            html.Li(
                html.Details(
                    [
                        html.Summary("How the store orders mapped"),
                        store_orders_summary(info["store_orders"], table_id=ids.INFO_STORE_ORDERS),
                    ]
                )
            )
        )
    details += _files_details(info, files)
    if shown := " + ".join(source_folders(info)):
        details.append(html.Li(["Imported from: ", html.Code(shown)]))
    children = [
        html.Div(
            [
                html.Strong(str(info.get("name") or "data set"), id=ids.INFO_NAME, className="fs-5 me-2"),
                dbc.Badge(
                    f"{fmt.count(warnings)} warning{'s' if warnings != 1 else ''}" if warnings else "no warnings",
                    color="warning" if warnings else "success",
                    text_color="dark" if warnings else None,
                    className="align-middle",
                ),
            ],
            className="mb-2",
        ),
        stat_list(items),
        html.Ul(details, className="small text-body-secondary mb-0 mt-2 list-unstyled"),
    ]
    if lines:
        children.append(
            html.Details(
                [
                    html.Summary(f"Import warnings ({fmt.count(warnings)})"),
                    html.Ul([html.Li(line) for line in lines[:MAX_SHOWN]], className="small mb-0"),
                    html.P(f"… and {fmt.count(warnings - len(lines[:MAX_SHOWN]))} more.", className="small mb-0")
                    if warnings > len(lines[:MAX_SHOWN])
                    else None,
                ],
                className="mt-2",
            )
        )
    return children


def sales_rows_note(info: dict) -> str:
    """What the "Sales rows" count is, beside a store export's line items and orders (a user sees
    25,011 line items, 20,000 orders and 21,197 sales rows): "Sales rows (21,197): one per line item
    of each attributed order, …; the export's 25,011 rows are line items of 20,000 orders."."""
    count = fmt.count(info.get("sales_rows"))
    store = info.get("store_orders")
    if not store:
        where = (
            "one per row of the sales file"
            if "tracking" in (info.get("files") or {})
            else "the payouts file's rows with revenue (the data set has no sales file)"
        )
        return f"Sales rows ({count}): the {SALES_ROWS}, {where}."
    after = info.get("sales_after_export")
    appended = f", and one per row of {after['files']} ({fmt.count(after['rows'])}) appended after it" if after else ""
    return (
        f"Sales rows ({count}): {STORE_SALES_ROWS}; the export's {fmt.count(store.get('line_items'))} rows are "
        f"line items of {fmt.count(store.get('orders_read'))} orders{appended}."
    )


def _store_orders_note(store: dict) -> str:
    repeated = store.get("repeated_orders")
    return (
        f"{fmt.count(store['attributed_orders'])} of {fmt.count(store['orders_read'])} {store['store']} orders "
        f"attributed by discount code{' or UTM source' if store.get('utm_orders') else ''}; "
        "revenue without shipping and taxes, net of refunds"
        + (f"; {fmt.counted(repeated, 'order')} found alike in two exports, counted once." if repeated else ".")
    )


def _files_details(info: dict, files: dict) -> list:
    """The files the data set was read from: a table with each file's rows (ImportReport.file_rows,
    kept since this session's imports), else their names."""
    if info.get("file_rows"):
        return [html.Li(files_table([tuple(row) for row in info["file_rows"]], table_id=ids.INFO_FILES))]
    used = [(role, name) for role, name in sorted(files.items())]
    if info.get("store_orders"):  # the sales came from every file of a split or overlapping export
        exports = info["store_orders"].get("exports") or []
        used = [(role, name) for role, name in used if role != "tracking"] + [("tracking", name) for name in exports]
    return [html.Li(["Files: ", ", ".join(f"{name} ({role})" for role, name in used) or "—"])]


@callback(Output(ids.INFO, "children"), Input(URL, "pathname"), Input(ids.IMPORTED, "data"), Input(RESTORED_ID, "data"))
@common.when_no_data_set(
    lambda error: outdated_children() if isinstance(error, WarehouseOutdated) else info_children(None)
)
def dataset_info_card(_pathname, _imported, _restored=None):
    return info_children(metrics.dataset_info(common.warehouse()))


# --- sample data set ------------------------------------------------------------------------------


def sample_zip(orders: int = SAMPLE_ORDERS, seed: int = SAMPLE_SEED) -> bytes:
    """The sample data set (warehouse.sample) as a .zip of its CSV files, built in a temporary folder."""
    from warehouse.sample import generate_sample

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="hkdash-sample-") as folder:
        result = generate_sample(folder, orders=orders, seed=seed, fmt="csv", audience=True)
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(p) for p in result["files"]):
                archive.write(path, arcname=path.name)
    return buffer.getvalue()


@callback(
    Output(ids.SAMPLE_DOWNLOAD, "data"),
    Input(ids.SAMPLE, "n_clicks"),
    running=[(Output(ids.SAMPLE, "disabled"), True, False)],
    prevent_initial_call=True,
)
def download_sample(n_clicks):
    if not n_clicks:
        return no_update
    return {
        "content": base64.b64encode(sample_zip()).decode("ascii"),
        "base64": True,
        "filename": f"hkdash-sample-{SAMPLE_ORDERS}-orders.zip",
        "type": "application/zip",
    }
