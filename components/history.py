"""The data-set history card of /data: the live data set and the previous ones, each with Restore
(or why it cannot be restored: a data set of another hkdash version).

Ids (callbacks/history.py and auth.roles use them):
  data-history          the card body (list + status), filled by the history callback
  data-restore          pattern id {"type": "data-restore", "id": <data set id>}: a confirm-then-restore button
  data-restore-status   the outcome of the last restore
  data-restored         store (in the page, for every role): when the last restore happened; the data set card listens
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from metrics import format as fmt

HISTORY_ID = "data-history"
RESTORE_TYPE = "data-restore"
STATUS_ID = "data-restore-status"
RESTORED_ID = "data-restored"
RESULT_ID = "data-restore-result"  # the alert saying how a restore went (inside STATUS_ID)


def restore_id(dataset_id: str) -> dict:
    return {"type": RESTORE_TYPE, "id": dataset_id}


def history_card() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Previous data sets", className="hk-card-title"),
                html.P(
                    "Every import keeps the data set it replaces. Restore brings one back in one step; the data set "
                    "it replaces is kept too.",
                    className="hk-card-subtitle",
                ),
                html.Div(id=STATUS_ID, **{"aria-live": "polite"}),
                dcc.Loading(html.Div(id=HISTORY_ID), type="dot", delay_show=300),
            ]
        ),
        className="hk-card mb-3",
    )


def _when(imported_at) -> str:
    return fmt.timestamp(imported_at)


def history_table(entries: list[dict]) -> html.Div:
    """A table of history entries (warehouse.history.list_datasets), live first."""
    if not entries:
        return html.P("No data set imported yet.", className="mb-0")
    rows = []
    for entry in entries:
        reason = entry.get("cannot_restore")
        action = (
            dbc.Badge("live", color="success")
            if entry["live"]
            else html.Span(reason, className="text-muted small")
            if reason
            else dcc.ConfirmDialogProvider(
                dbc.Button("Restore", size="sm", color="secondary", outline=True),
                id=restore_id(entry["id"]),
                message=f"Restore “{entry.get('name') or entry['id']}” (imported {_when(entry.get('imported_at'))})? "
                "Every page will show it; the live data set is kept in this list.",
            )
        )
        rows.append(
            html.Tr(
                [
                    html.Td(str(entry.get("name") or "—")),
                    html.Td(_when(entry.get("imported_at"))),
                    html.Td(fmt.count(entry.get("sales_rows")), className="text-end"),
                    html.Td(fmt.count(entry.get("influencers")), className="text-end"),
                    html.Td(html.Code(entry["id"], className="small")),
                    html.Td(action),
                ]
            )
        )
    header = html.Thead(
        html.Tr(
            [
                html.Th("Name"),
                html.Th("Imported"),
                html.Th("Sales rows", className="text-end"),
                html.Th("Influencers", className="text-end"),
                html.Th("Id"),
                html.Th(""),
            ]
        )
    )
    return dbc.Table(
        [header, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="mb-0", id="data-history-table"
    )
