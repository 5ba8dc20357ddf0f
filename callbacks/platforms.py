"""Platforms page: ROAS / CAC / share charts and table, engagement, tracking sources."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback

import metrics
from callbacks import common
from components import figures
from components.ids import platforms as ids
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import catalogue
from metrics import format as fmt
from metrics.comparison import changes_by
from metrics.kpis import with_recorded_cost_by

ENGAGEMENT_COLUMNS = ["posts", "engagements", "engagement_rate_pct", "cpe", "cpm"]


def platform_table(breakdown: pd.DataFrame, engagement: pd.DataFrame | None) -> pd.DataFrame:
    """One row per platform: breakdown figures joined with the engagement figures."""
    if engagement is None or engagement.empty:
        return breakdown
    extra = engagement[["platform"] + [c for c in ENGAGEMENT_COLUMNS if c in engagement.columns]]
    return breakdown.merge(extra, on="platform", how="left")


def cac_note(frame: pd.DataFrame, settings) -> str | None:
    """The note under the CAC chart: which orders' new customers are estimated, of the platforms'
    together (metrics.estimated_new_customers_note), and a platform whose CAC is ₹0.00 at ₹0 spend
    named with why (catalogue.zero_cost_note, as the cards and its grid cell say): its bar at ₹0 is
    no cheapest acquisition. None when neither."""
    notes = []
    if estimated := metrics.estimated_new_customers_note(
        frame["orders"].sum(), frame["orders_without_user"].sum(), settings
    ):
        notes.append(f"{estimated} (see METRICS.md).")
    for row in frame.to_dict("records"):
        if why := catalogue.zero_cost_note("cac", row):
            notes.append(f"{row['platform']}: CAC {fmt.inr(0, 2)} · {why}.")
    return " ".join(notes) or None


def _no_platforms(state) -> tuple:
    return figures.empty_figure(), figures.empty_figure(), None, figures.empty_figure(), [], state, common.HIDE


@callback(
    Output(ids.ROAS, "figure"),
    Output(ids.CAC, "figure"),
    Output(ids.CAC_NOTE, "children"),
    Output(ids.SHARE, "figure"),
    Output(table_id(ids.PLATFORM_TABLE), "rowData"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),
    State(URL, "pathname"),
)
@common.when_no_data_set(lambda error: _no_platforms(common.no_data_state(error)))
def platform_overview(search, pathname):
    filters = common.filters_from_search(search)
    settings = common.settings()
    wh = common.warehouse()
    frame = metrics.breakdown(wh, "platform", filters, settings)
    if frame.empty or not (frame["revenue"].sum() or frame["spend"].sum()):
        return _no_platforms(common.no_data_state(pathname=pathname))
    engagement = metrics.engagement_by_platform(wh, filters, settings)
    table = with_recorded_cost_by(wh, platform_table(frame, engagement), "platform", filters, settings)
    return (
        figures.roas_by_platform(frame, height=300),
        figures.dimension_bar(frame, "platform", "cac", height=300),
        cac_note(table, settings),
        figures.platform_share(frame, height=300),
        records(changes_by(wh, table, "platform", filters, settings)),
        None,
        common.SHOW,
    )


@callback(
    Output(ids.ENGAGEMENT, "figure"),
    Output(ids.ENGAGEMENT_NOTE, "children"),
    Input(URL, "search"),
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
    Output(ids.SOURCE, "figure"),
    Output(table_id(ids.SOURCE_TABLE), "rowData"),
    Input(URL, "search"),
)
def platform_sources(search):
    filters = common.filters_from_search(search)
    frame = common.load(metrics.breakdown, "source", filters, common.settings())
    if frame is None or frame.empty:
        return figures.empty_figure(), []
    return figures.source_breakdown(frame, height=320), records(frame)
