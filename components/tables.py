"""Tables: dash-ag-grid with Indian-formatted number columns and a CSV download button.

Every table on every page is built with `data_grid(name, columns)` and gets
- id {"type": "table", "name": name}           (the AgGrid: rowData, virtualRowData, …)
- id {"type": "table-csv", "name": name}       (the "CSV" download button)
- id {"type": "table-download", "name": name}  (the dcc.Download)
One pattern-matching callback (callbacks/tables.py) turns the button click into a CSV of the whole
table: every column the grid has, the rows after the user's sort, filters and quick search.

Column helpers return AG Grid column definitions whose cells show formatted text (₹ Indian
grouping, "11.21x", "—" for undefined) while the row data keeps raw numbers, so sorting and
numeric filters work and the CSV keeps more precision than the page (components/csv_export.py). Formatting runs in the browser through the
functions in assets/dashAgGridFunctions.js. Text cells are plain text (AG Grid escapes them).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import dcc, html

from metrics import catalogue
from metrics.settings import DEFAULT_SETTINGS


def table_id(name: str) -> dict:
    return {"type": "table", "name": name}


def csv_button_id(name: str) -> dict:
    return {"type": "table-csv", "name": name}


def download_id(name: str) -> dict:
    return {"type": "table-download", "name": name}


# --- column definitions ---------------------------------------------------------------------


def _header_width(header: str, minimum: int) -> int:
    """Room for the header text, its sort arrow and filter button, so headers are not cut off."""
    return max(minimum, 7 * len(str(header)) + 62)


def _num(field, header, formatter, width=None, unit: catalogue.Unit | None = None, **extra) -> dict:
    """A number column; `unit` (a catalogue unit) tells components.csv_export the column's header
    unit, scale and rounding in CSV files."""
    col = {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "valueFormatter": {"function": formatter},
        "cellDataType": "number",
    }
    if unit is not None:
        col["context"] = {"fileUnit": unit.key}
    col["minWidth"] = _header_width(header, width or 90)
    col.update(extra)
    return col


# The formatters that read a value in its column's format (assets/dashAgGridFunctions.js columnOf):
# one unit and precision per column of counts.
COLUMN_FORMATS = ("hkCount", "hkFollowers")


def metric_col(key: str, header: str | None = None, note: str | None = None, **extra) -> dict:
    """The grid column of a catalogue metric: its header, browser formatter, formula tooltip and
    file rounding all come from metrics/catalogue.py. `header` replaces the catalogue's where a
    table needs its own word (the payout table's "Revenue" of a row); `note` adds what the figure
    covers in this table to the formula ("In this table: …"); extra keys are AG Grid's."""
    metric = catalogue.get(key)
    unit = metric.unit
    formatter = (
        f"{unit.grid}(params.value, {metric.digits})"
        if unit.grid in ("hkInr", "hkDecimal")
        else f"{unit.grid}(params.value, params)"
        if unit.grid in COLUMN_FORMATS
        else f"{unit.grid}(params.value)"
    )
    # Column definitions are static: tooltips name the default settings (the app runs with them).
    formula = metric.formula_for(DEFAULT_SETTINGS)
    extra.setdefault("headerTooltip", f"{formula}. In this table: {note}" if note else formula)
    col = _num(
        key,
        header or metric.column_header,
        formatter,
        width=120 if unit is catalogue.INR else 90,
        unit=unit,
        **extra,
    )
    col["context"] = {**col.get("context", {}), "metric": key}
    if catalogue.explains_undefined(key):
        # why a "—" (or a cost of ₹0.00 at ₹0 spend) reads so: records() puts it in the row
        col.setdefault("tooltipValueGetter", {"function": "hkCellWhy(params)"})
    if unit is catalogue.CHANGE and metric.higher_is_better is not None:
        better = "true" if metric.higher_is_better else "false"
        col["cellClassRules"] = {
            f"hk-tone-{tone}": {"function": f"hkChangeTone(params.value, {better}, '{tone}')"}
            for tone in ("good", "bad")
        }
    return col


def rate_col() -> dict:
    """The payout terms of a payout row, parsed and formatted (metrics.format.payout_rate)."""
    return text_col("rate", "Rate", width=200, headerTooltip="The payout terms as parsed from the file")


def text_col(field: str, header: str, width: int | None = 120, pinned: bool = False, **extra) -> dict:
    col = {"field": field, "headerName": header, "filter": "agTextColumnFilter", "cellDataType": "text"}
    col["minWidth"] = _header_width(header, width or 90)
    if pinned:
        col["pinned"] = "left"
    col.update(extra)
    return col


def date_col(field: str, header: str = "Date", **extra) -> dict:
    """ISO dates in the row data (they sort), shown as '5 Jan 2025' like everywhere else."""
    return text_col(field, header, width=110, valueFormatter={"function": "hkDate(params.value)"}, **extra)


def bool_col(field: str, header: str, **extra) -> dict:
    col = {
        "field": field,
        "headerName": header,
        "cellDataType": "text",
        "valueFormatter": {"function": "hkYesNo(params.value)"},
        "filter": "agTextColumnFilter",
        "filterValueGetter": {"function": "hkYesNo(params.data ? params.data." + field + " : null)"},
        "minWidth": 90,
    }
    col.update(extra)
    return col


# --- data -----------------------------------------------------------------------------------


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if value == value else None  # NaT != NaT
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalar
        return _json_value(value.item())
    return str(value)


def _floats(column: pd.Series) -> np.ndarray:
    """A number column's values as floats (NaN where missing): what pd.to_numeric(errors="coerce")
    gives, without its per-value parse where the column is Python floats, ints and None (a
    ranking's ~20 ratio columns: NumPy casts None to NaN itself); anything else goes to pandas."""
    if column.dtype == object:
        try:
            return np.asarray(column.to_numpy(), dtype=float)
        except (TypeError, ValueError):
            pass
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


# The row field holding {column: why its cell reads "—" (or ₹0.00 at ₹0 spend)}, read by the
# tooltip of metric_col's ratio columns (assets/dashAgGridFunctions.js, hkCellWhy).
WHY_FIELD = "hk_why"


def records(frame: pd.DataFrame | None, columns: list[str] | None = None) -> list[dict]:
    """DataFrame -> JSON-safe row dicts (NaN/inf/NaT -> None, numpy -> Python, dates -> ISO); a row
    with a catalogue ratio the grid shows as "—" (or a cost at ₹0 spend) also gets WHY_FIELD:
    {column: catalogue.cell_reason}, from the frame's operands even where `columns` leaves them out."""
    if frame is None or frame.empty:
        return []
    reasons = catalogue.cell_reasons(frame, columns)
    if columns:
        frame = frame[[c for c in columns if c in frame.columns]]
    # Column by column (vectorised) rather than cell by cell: a ranking has thousands of rows.
    columns_json = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column):
            columns_json[name] = column.tolist()
        elif pd.api.types.is_numeric_dtype(column) or pd.api.types.infer_dtype(column, skipna=True) in (
            "floating",
            "integer",
            "mixed-integer-float",
            "empty",
        ):
            values = _floats(column)
            finite = np.isfinite(values)
            if pd.api.types.is_integer_dtype(column):
                as_python = np.where(finite, values, 0).astype(np.int64).astype(object)
            else:
                as_python = values.astype(object)
            as_python[~finite] = None
            columns_json[name] = as_python.tolist()
        elif pd.api.types.is_string_dtype(column) and not pd.api.types.is_object_dtype(column):
            columns_json[name] = column.astype(object).where(column.notna(), None).tolist()
        else:
            columns_json[name] = [_json_value(v) for v in column.tolist()]
    keys = list(columns_json)
    rows = [dict(zip(keys, row)) for row in zip(*columns_json.values())]
    for row, why in zip(rows, reasons):
        if why:
            row[WHY_FIELD] = why
    return rows


# --- components -----------------------------------------------------------------------------

DEFAULT_COL_DEF = {
    "sortable": True,
    "filter": True,
    "resizable": True,
    "floatingFilter": False,
    "suppressHeaderMenuButton": False,
    "minWidth": 90,
}


# The file holds the whole table, not the part of it in view (a ranking has ~34 columns and shows
# a dozen without scrolling): a CFO downloads a table to have all of it; the button says so.
CSV_LABEL = "CSV (full table)"
CSV_TITLE = (
    "Download the whole table as CSV: every column (also those scrolled out of view), the rows after "
    "your sort, filters and search; each header names its unit (₹, %, ×)"
)


def csv_button(name: str, label: str = CSV_LABEL) -> html.Div:
    return html.Div(
        [
            dbc.Button(
                [html.I(className="bi bi-download me-1", **{"aria-hidden": "true"}), label],
                id=csv_button_id(name),
                size="sm",
                color="secondary",
                outline=True,
                className="hk-csv-btn",
                title=CSV_TITLE,
            ),
            dcc.Download(id=download_id(name)),
        ],
        className="d-inline-block",
    )


NO_ROWS = "No rows for these filters"


def data_grid(
    name: str,
    columns: list[dict],
    row_data: list[dict] | None = None,
    height: int | str = 420,
    row_id: str | None = None,
    grid_options: dict | None = None,
    **kwargs,
) -> dag.AgGrid:
    """A dash-ag-grid with the project's defaults (quartz theme, sortable/filterable, paginated).

    height: pixels, a CSS length, or "auto" (the grid grows with its rows; for short tables).
    """
    options = {
        "animateRows": False,
        "pagination": True,
        "paginationPageSize": 25,
        "paginationPageSizeSelector": [25, 50, 100, 500],
        "enableCellTextSelection": True,
        "ensureDomOrder": True,
        "suppressDragLeaveHidesColumns": True,
        "tooltipShowDelay": 300,
        "theme": {"function": "themeQuartz.withParams(hkGridThemeParams())"},
        # Not localeText's noRowsToShow: AG Grid announces that text in the grid's screen-reader
        # status, where it stayed beside the rows a callback brought next (assets/dashAgGridFunctions.js).
        "noRowsOverlayComponent": "NoRowsOverlay",
        "noRowsOverlayComponentParams": {"text": NO_ROWS},
        "localeText": {"noMatchingRows": NO_ROWS},
    }
    options.update(grid_options or {})
    if height == "auto":  # grow with the rows (small tables, no inner scrollbar)
        options.setdefault("domLayout", "autoHeight")
        style = {"width": "100%", "height": "auto"}
    elif isinstance(height, (int, float)):
        style = {"height": f"{int(height)}px", "width": "100%"}
    else:
        style = {"height": height, "width": "100%"}
    extra = {}
    if row_id:
        extra["getRowId"] = f"params.data.{row_id}"
    return dag.AgGrid(
        id=table_id(name),
        columnDefs=columns,
        rowData=row_data or [],
        defaultColDef=DEFAULT_COL_DEF,
        dashGridOptions=options,
        columnSize="responsiveSizeToFit",
        style=style,
        className="hk-grid",
        **extra,
        **kwargs,
    )


def table_card(
    title: str,
    name: str,
    columns: list[dict],
    subtitle=None,
    height: int | str = 420,
    tools=None,
    row_id: str | None = None,
    grid_options: dict | None = None,
    **kwargs,
) -> dbc.Card:
    """Card with a title, optional tool controls, the CSV button and the grid. `subtitle`: text, or a
    component a callback fills (an empty component is falsy in Dash, so it is tested against None)."""
    header = html.Div(
        [
            html.Div(
                [
                    html.H2(title, className="hk-card-title"),
                    html.Div(subtitle, className="hk-card-subtitle") if subtitle is not None else None,
                ],
                className="me-auto",
            ),
            html.Div(tools, className="hk-card-tools") if tools is not None else None,
            csv_button(name),
        ],
        className="hk-card-header d-flex flex-wrap align-items-start gap-2",
    )
    return dbc.Card(
        dbc.CardBody(
            [
                header,
                data_grid(name, columns, height=height, row_id=row_id, grid_options=grid_options, **kwargs),
            ]
        ),
        className="hk-card mb-3",
    )


def ranking_grid(
    name: str, columns: list[dict], height: int | str = 560, grid_options: dict | None = None, **kwargs
) -> dag.AgGrid:
    """The influencer ranking: single-row selection (a click opens the detail), poor performers tinted;
    `grid_options` adds AG Grid options (the URL's quick search text)."""
    return data_grid(
        name,
        columns,
        height=height,
        row_id="influencer_id",
        grid_options={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "paginationPageSize": 50,
            **(grid_options or {}),
        },
        rowClassRules={"hk-row-poor": "params.data && params.data.poor_performer === true"},
        **kwargs,
    )
