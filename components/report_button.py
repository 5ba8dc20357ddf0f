"""The "Download PDF" control for the navbar: button + dcc.Download + status area.

Ids (used by callbacks/report.py and the browser tests):
  report-button    the button (disabled while a report renders)
  report-download  dcc.Download that receives the PDF
  report-status    progress text while rendering, an error alert if it fails

The report covers the current filters, read from the URL (`Input("url", "search")`) when the
button is clicked, so what you see is what you get.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

BUTTON_ID = "report-button"
DOWNLOAD_ID = "report-download"
STATUS_ID = "report-status"
ERROR_ID = "report-error"  # the alert the callback puts in STATUS_ID when a report fails

IDLE_LABEL = [html.I(className="bi bi-file-earmark-pdf me-1", **{"aria-hidden": "true"}), "Download PDF"]
BUSY_LABEL = [html.Span(dbc.Spinner(size="sm", spinner_class_name="me-1"), **{"aria-hidden": "true"}), "Preparing PDF…"]


def report_button() -> html.Div:
    """Button, download target and status line; place it once in the app shell (navbar)."""
    return html.Div(
        [
            dbc.Button(
                IDLE_LABEL,
                id=BUTTON_ID,
                n_clicks=0,
                color="light",
                size="sm",
                className="hk-report-button",
                title="A board-ready PDF of the current view (all filters applied)",
            ),
            dcc.Download(id=DOWNLOAD_ID),
            html.Div(id=STATUS_ID, className="hk-report-status", role="status", **{"aria-live": "polite"}),
        ],
        className="hk-report d-flex align-items-center gap-2",
    )
