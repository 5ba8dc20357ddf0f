"""The sales notice every page shows under the filter bar: where sales got their dates and brands,
and which filters the data cannot split (metrics.sales_notices). One component, in the shared layout."""
from __future__ import annotations

from dash import html

from components.cards import notice

SALES_NOTICE_ID = "sales-notice"


def sales_notice_area() -> html.Div:
    """The empty container in the app shell; callbacks/sales_notice.py fills it for each URL."""
    return html.Div(id=SALES_NOTICE_ID, className="hk-sales-notice", **{"aria-live": "polite"})


def sales_notice(notices: list[str]) -> list:
    """One alert per sentence (text only, never markup); an empty list when there is nothing to say."""
    return [notice(text, color="info", icon="bi-info-circle") for text in notices]
