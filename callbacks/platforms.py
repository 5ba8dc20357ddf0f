"""Platforms page: ROAS / CAC / share charts and table, engagement, tracking sources."""
from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback

import metrics

from callbacks import common
from components import figures
from components.tables import records, table_id

ENGAGEMENT_COLUMNS = ["posts", "engagements", "engagement_rate_pct", "cpe", "cpm"]


def platform_table(breakdown: pd.DataFrame, engagement: pd.DataFrame | None) -> pd.DataFrame:
    """One row per platform: breakdown figures joined with the engagement figures."""
    if engagement is None or engagement.empty:
        return breakdown
    extra = engagement[["platform"] + [c for c in ENGAGEMENT_COLUMNS if c in engagement.columns]]
    return breakdown.merge(extra, on="platform", how="left")


def cac_note(frame: pd.DataFrame) -> str | None:
    if "new_customers_estimated" in frame.columns and frame["new_customers_estimated"].astype(bool).any():
        return "Estimated: the sales carry no user ids, so new customers are a share of orders (see METRICS.md)."
    return None


@callback(
    Output("plat-roas", "figure"),
    Output("plat-cac", "figure"),
    Output("plat-cac-note", "children"),
    Output("plat-share", "figure"),
    Output(table_id("platforms"), "rowData"),
    Output("plat-empty", "children"),
    Output("plat-body", "style"),
    Input("url", "search"),
    State("url", "pathname"),
)
def platform_overview(search, pathname):
    filters = common.filters_from_search(search)
    settings = common.settings()
    try:
        wh = common.warehouse()
        frame = metrics.breakdown(wh, "platform", filters, settings)
        engagement = metrics.engagement_by_platform(wh, filters, settings)
    except Exception as error:
        if common.is_missing_warehouse(error):
            empty = figures.empty_figure()
            return empty, empty, None, empty, [], common.no_data_state(error), common.HIDE
        raise
    if frame.empty or not (frame["revenue"].sum() or frame["spend"].sum()):
        empty = figures.empty_figure()
        return empty, empty, None, empty, [], common.no_data_state(pathname=pathname), common.HIDE
    return (figures.roas_by_platform(frame, height=300),
            figures.dimension_bar(frame, "platform", "cac", height=300),
            cac_note(frame),
            figures.platform_share(frame, height=300),
            records(platform_table(frame, engagement)), None, common.SHOW)


@callback(
    Output("plat-engagement", "figure"),
    Output("plat-engagement-note", "children"),
    Input("url", "search"),
)
def platform_engagement(search):
    filters = common.filters_from_search(search)
    frame = common.load(metrics.engagement_by_platform, filters, common.settings())
    if frame is None or frame.empty:
        return figures.empty_figure(), None
    note = None
    if "posts" in frame.columns and frame["posts"].sum() == 0:
        note = "No posts in the selection."
    return figures.engagement_by_platform(frame, height=300), note


@callback(
    Output("plat-source", "figure"),
    Output(table_id("sources"), "rowData"),
    Input("url", "search"),
)
def platform_sources(search):
    filters = common.filters_from_search(search)
    frame = common.load(metrics.breakdown, "source", filters, common.settings())
    if frame is None or frame.empty:
        return figures.empty_figure(), []
    return figures.source_breakdown(frame, height=320), records(frame)
