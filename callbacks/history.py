"""/data's previous data sets: list them, restore one (admins only: auth.roles declares data-history
and data-restore, so the server refuses anyone else before this code runs)."""

from __future__ import annotations

import datetime as dt
import logging

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, callback, ctx, no_update

import auth
from components.history import HISTORY_ID, RESTORE_TYPE, RESTORED_ID, RESULT_ID, STATUS_ID, history_table
from components.ids import data as data_ids
from components.ids.shell import URL

log = logging.getLogger(__name__)


def _status(message: str, color: str) -> dbc.Alert:
    return dbc.Alert(message, color=color, className="py-2", id=RESULT_ID)


def restore(dataset_id: str) -> tuple:
    """(status, imported marker) after restoring `dataset_id` into the app's warehouse."""
    from warehouse import default_db_path
    from warehouse.history import HistoryError
    from warehouse.importer import restore_dataset

    try:
        restored = restore_dataset(dataset_id, default_db_path())
    except HistoryError as error:
        return _status(f"Not restored: {error}. The current data set is unchanged.", "danger"), no_update
    except Exception as error:  # disk full, permissions…: the swap never happened
        log.exception("restore failed")
        return _status(
            f"The restore failed ({type(error).__name__}): the current data set is unchanged.", "danger"
        ), no_update
    auth.record("restore", f"{dataset_id} ({restored.get('name')})")
    return (
        _status(f"Restored “{restored.get('name')}”: every page now shows it.", "success"),
        dt.datetime.now(dt.UTC).isoformat(),
    )


@callback(
    Output(HISTORY_ID, "children"),
    Output(STATUS_ID, "children"),
    Output(RESTORED_ID, "data"),
    Input(URL, "pathname"),
    Input(data_ids.IMPORTED, "data"),
    Input({"type": RESTORE_TYPE, "id": ALL}, "submit_n_clicks"),
)
def history_card(_pathname, _imported, _restore_clicks):
    from warehouse import default_db_path
    from warehouse.history import list_datasets

    status, imported = no_update, no_update
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and trigger.get("type") == RESTORE_TYPE and any(_restore_clicks or []):
        status, imported = restore(trigger.get("id"))
    return history_table(list_datasets(default_db_path())), status, imported
