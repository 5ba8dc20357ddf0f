"""Campaigns page: comparison charts and table, campaign trend."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback

import metrics
from callbacks import common
from components import figures
from components.cards import kpi_card
from components.ids import campaigns as ids
from components.ids import chosen
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import format as fmt
from metrics.cohorts import campaign_series
from metrics.comparison import changes_by


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
        kpi_card(
            "camp-count",
            "Campaigns",
            fmt.count(len(attributed)),
            "Campaigns with sales or cost in the selection (Unattributed not counted)",
        ),
        kpi_card(
            "camp-best",
            "Best campaign ROAS",
            fmt.ratio(best["roas"] if best is not None else None),
            "Highest revenue ÷ spend among the campaigns",
            sub=str(best["campaign"]) if best is not None else "—",
        ),
        kpi_card(
            "camp-top",
            "Top campaign revenue",
            fmt.inr_compact(attributed["revenue"].max() if not attributed.empty else None),
            "Revenue of the campaign with most revenue",
            sub=str(attributed.iloc[0]["campaign"]) if not attributed.empty else "—",
        ),
        kpi_card(
            "camp-unattributed",
            "Unattributed revenue",
            fmt.share(fmt.clean(unattributed / total) if total else None),
            "Share of revenue whose sales name no campaign",
            sub=fmt.inr_compact(unattributed),
        ),
    ]


def _no_campaigns(state) -> tuple:
    return figures.empty_figure(), figures.empty_figure(), [], [], state, common.HIDE


@callback(
    Output(ids.COMPARISON, "figure"),
    Output(ids.ROAS, "figure"),
    Output(table_id(ids.CAMPAIGN_TABLE), "rowData"),
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),
    State(URL, "pathname"),
)
@common.when_no_data_set(lambda error: _no_campaigns(common.no_data_state(error)))
def campaign_overview(search, pathname):
    filters = common.filters_from_search(search)
    wh, settings = common.warehouse(), common.settings()
    frame = metrics.campaign_comparison(wh, filters, settings)
    if frame.empty or not (frame["revenue"].sum() or frame["spend"].sum()):
        return _no_campaigns(common.no_data_state(pathname=pathname))
    top = frame.head(15)
    return (
        figures.campaign_comparison(frame, n=12, height=400),
        figures.dimension_bar(top, "campaign", "roas", height=400, reference=1.0),
        records(changes_by(wh, frame, "campaign", filters, settings)),
        campaign_kpis(frame),
        None,
        common.SHOW,
    )


@callback(
    Output(ids.TREND, "figure"),
    Input(URL, "search"),
    Input(ids.TREND_METRIC, "value"),
    Input(ids.TREND_GRAIN, "value"),
    Input(ids.TREND_BASIS, "value"),
)
def campaign_trend(search, metric, grain, basis="sale"):
    filters = common.filters_from_search(search)
    grain = chosen(grain, ids.GRAIN_OPTIONS)
    metric = chosen(metric, ids.METRIC_OPTIONS)
    basis = chosen(basis, ids.BASIS_OPTIONS)
    frame = common.load(campaign_series, filters, common.settings(), grain, basis)
    if frame is None or frame.empty:
        return figures.empty_figure()
    return figures.campaign_trend(frame, period=grain, metric=metric, n=6, height=340)


@callback(
    Output(table_id(ids.PACING_TABLE), "rowData"),
    Output(ids.PACING_NOTE, "children"),
    Input(URL, "search"),
)
@common.when_no_data_set(lambda error: ([], None))
def campaign_pacing_table(search):
    """Budgeted campaigns against the time they have run, as of the last sale date."""
    filters = common.filters_from_search(search)
    wh, settings = common.warehouse(), common.settings()
    frame = metrics.campaign_pacing(wh, filters, settings)
    as_of = metrics.sale_date_bounds(wh)[1]
    if frame.empty:
        return [], "No campaign in the selection has a budget: add budget, start_date and end_date to campaigns.csv."
    tolerance = fmt.pct(settings.pacing_tolerance_pct, 0)
    return records(frame), (
        f"Spend against budget and time elapsed as of the last sale, {fmt.date(as_of)}; pacing beyond 1 ± "
        f"{tolerance} is highlighted. A budget is compared with the campaign's whole cost: only the campaign and "
        "brand filters apply."
    )
