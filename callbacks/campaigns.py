"""Campaigns page: comparison charts and table, campaign trend."""
from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback

import metrics

from callbacks import common
from components import figures
from metrics import format as fmt
from components.cards import kpi_card
from components.tables import records, table_id


def campaign_kpis(frame: pd.DataFrame) -> list:
    attributed = frame[frame["campaign"] != "Unattributed"]
    defined = attributed[attributed["roas"].notna()] if not attributed.empty else attributed
    best = None
    if not defined.empty:
        ordered = defined.assign(_r=pd.to_numeric(defined["roas"], errors="coerce"))
        best = ordered.sort_values(["_r", "campaign"], ascending=[False, True]).iloc[0]
    unattributed = frame.loc[frame["campaign"] == "Unattributed", "revenue"].sum()
    total = frame["revenue"].sum()
    return [
        kpi_card("camp-count", "Campaigns", fmt.count(len(attributed)),
                 "Campaigns with sales or cost in the selection (Unattributed not counted)"),
        kpi_card("camp-best", "Best campaign ROAS", fmt.ratio(best["roas"] if best is not None else None),
                 "Highest revenue ÷ spend among the campaigns", sub=str(best["campaign"]) if best is not None else "—"),
        kpi_card("camp-top", "Top campaign revenue",
                 fmt.inr_compact(attributed["revenue"].max() if not attributed.empty else None),
                 "Revenue of the campaign with most revenue",
                 sub=str(attributed.iloc[0]["campaign"]) if not attributed.empty else "—"),
        kpi_card("camp-unattributed", "Unattributed revenue", fmt.share(fmt.clean(unattributed / total) if total else None),
                 "Share of revenue whose sales name no campaign", sub=fmt.inr_compact(unattributed)),
    ]


@callback(
    Output("camp-comparison", "figure"),
    Output("camp-roas", "figure"),
    Output(table_id("campaigns"), "rowData"),
    Output("camp-kpis", "children"),
    Output("camp-empty", "children"),
    Output("camp-body", "style"),
    Input("url", "search"),
    State("url", "pathname"),
)
def campaign_overview(search, pathname):
    filters = common.filters_from_search(search)
    try:
        frame = metrics.campaign_comparison(common.warehouse(), filters, common.settings())
    except Exception as error:
        if common.is_missing_warehouse(error):
            empty = figures.empty_figure()
            return empty, empty, [], [], common.no_data_state(error), common.HIDE
        raise
    if frame.empty or not (frame["revenue"].sum() or frame["spend"].sum()):
        empty = figures.empty_figure()
        return empty, empty, [], [], common.no_data_state(pathname=pathname), common.HIDE
    top = frame.head(15)
    return (figures.campaign_comparison(frame, n=12, height=400),
            figures.dimension_bar(top, "campaign", "roas", height=400, reference=1.0),
            records(frame), campaign_kpis(frame), None, common.SHOW)


@callback(
    Output("camp-trend", "figure"),
    Input("url", "search"),
    Input("camp-trend-metric", "value"),
    Input("camp-trend-grain", "value"),
)
def campaign_trend(search, metric, grain):
    filters = common.filters_from_search(search)
    grain = grain if grain in ("week", "month") else "week"
    frame = common.load(metrics.breakdown, ["campaign", grain], filters, common.settings())
    if frame is None or frame.empty:
        return figures.empty_figure()
    frame = frame[frame[grain].notna() & (frame[grain].astype(str) != "Undated")]
    return figures.campaign_trend(frame, period=grain, metric=metric or "revenue", n=6, height=340)
