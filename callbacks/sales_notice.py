"""Fills the shared sales notice (components/sales_notice.py) for the selection in the URL."""

from __future__ import annotations

from dash import Input, Output, callback

import metrics
from callbacks import common
from components.ids.shell import URL
from components.sales_notice import SALES_NOTICE_ID, sales_notice


@callback(Output(SALES_NOTICE_ID, "children"), Input(URL, "search"), Input(URL, "pathname"))
def sales_notice_for(search, _pathname):
    coverage = common.load(metrics.sales_coverage, common.filters_from_search(search))
    return sales_notice(metrics.sales_notices(coverage)) if coverage is not None else []
