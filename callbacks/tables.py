"""CSV download of any table built with components.tables (one pattern-matching callback).

The file holds the whole table: the rows after the user's sorting, column filters and quick search
(`virtualRowData`), every column not hidden in display order (`columnState`), numbers in the unit
their header names and formula-like text neutralised (components.csv_export).
"""

from __future__ import annotations

import datetime as dt
import re

from dash import MATCH, Input, Output, State, callback, no_update

from components.csv_export import grid_csv


def csv_download(name: str, rows, row_data, column_defs, column_state) -> dict:
    shown = rows if rows is not None else row_data
    text = grid_csv(shown or [], column_defs or [], column_state)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", str(name)).strip("-") or "table"
    return {
        "content": text,
        "filename": f"hkdash-{stem}-{dt.date.today().isoformat()}.csv",
        "type": "text/csv",
        "base64": False,
    }


@callback(
    Output({"type": "table-download", "name": MATCH}, "data"),
    Input({"type": "table-csv", "name": MATCH}, "n_clicks"),
    State({"type": "table", "name": MATCH}, "virtualRowData"),
    State({"type": "table", "name": MATCH}, "rowData"),
    State({"type": "table", "name": MATCH}, "columnDefs"),
    State({"type": "table", "name": MATCH}, "columnState"),
    State({"type": "table", "name": MATCH}, "id"),
    prevent_initial_call=True,
)
def download_table_csv(n_clicks, rows, row_data, column_defs, column_state, table):
    if not n_clicks:
        return no_update
    return csv_download(table["name"], rows, row_data, column_defs, column_state)
