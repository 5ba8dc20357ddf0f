"""The sales notice every page shows under the filter bar: where sales got their dates and brands,
and which filters the data cannot split (metrics.sales_notices). One component, in the shared layout."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

SALES_NOTICE_ID = "sales-notice"


def sales_notice_area() -> html.Div:
    """The empty container in the app shell; callbacks/sales_notice.py fills it for each URL."""
    return html.Div(id=SALES_NOTICE_ID, className="hk-sales-notice", **{"aria-live": "polite"})


def sales_notice(notices: list[str]) -> list:
    """One alert per sentence (text only, never markup); an empty list when there is nothing to say."""
    # No fade: the notice is re-rendered on every filter change and must not flicker in and out.
    return [
        dbc.Alert(
            [html.I(className="bi bi-info-circle me-2", **{"aria-hidden": "true"}), html.Span(text)],
            color="info",
            fade=False,
            className="hk-notice py-2 mb-2",
        )
        for text in notices
    ]
