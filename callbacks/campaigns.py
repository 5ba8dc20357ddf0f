"""Campaigns page: comparison charts and table, campaign trend."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, no_update

import metrics
from callbacks import common
from components import figures
from components.cards import cap_note, metric_card
from components.ids import campaigns as ids
from components.ids import chosen
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import catalogue
from metrics import format as fmt
from metrics.cohorts import campaign_series
from metrics.comparison import changes_by


def campaign_kpis(frame: pd.DataFrame, settings) -> list:
    """The cards above the campaigns: count, best ROAS, top revenue, unattributed share (catalogue)."""
    attributed = frame[frame["campaign"] != "Unattributed"]
    defined = attributed[attributed["roas"].notna()] if not attributed.empty else attributed
    best = None
    if not defined.empty:
        ordered = defined.assign(_r=pd.to_numeric(defined["roas"], errors="coerce"))
        best = ordered.sort_values(["_r", "campaign"], ascending=[False, True]).iloc[0]
    unattributed = frame.loc[frame["campaign"] == "Unattributed", "revenue"].sum()
    total = frame["revenue"].sum()
    roas, revenue = catalogue.get("roas"), catalogue.get("revenue")
    return [
        metric_card("campaigns", len(attributed), settings, card_id="camp-count"),
        metric_card(
            "roas",
            best["roas"] if best is not None else None,
            settings,
            card_id="camp-best",
            label=f"Best campaign {roas.label}",
            formula=f"The highest among the campaigns. {roas.formula_for(settings)}",
            tone=None,
            sub=str(best["campaign"]) if best is not None else "—",
        ),
        metric_card(
            "revenue",
            attributed["revenue"].max() if not attributed.empty else None,
            settings,
            card_id="camp-top",
            label=f"Top campaign {revenue.label.lower()}",
            formula=f"The campaign with most revenue. {revenue.formula_for(settings)}",
            sub=str(attributed.iloc[0]["campaign"]) if not attributed.empty else "—",
        ),
        metric_card(
            "unattributed_share",
            catalogue.share(unattributed, total),
            settings,
            card_id="camp-unattributed",
            sub=fmt.inr_compact(unattributed),
        ),
    ]


REST = "every campaign is in the table below (sortable), or pick a brand or campaign in the filter bar"


def _no_campaigns(state) -> tuple:
    return (figures.empty_figure(), figures.empty_figure(), [], [], state, common.HIDE, None, None) + (no_update,) * 2


def _graph_height(figure: dict) -> dict:
    """The graph's style: as tall as its figure (the campaign charts grow with their wrapped names)."""
    return {"height": f"{figure['layout']['height']}px"}


@callback(
    Output(ids.COMPARISON, "figure"),
    Output(ids.ROAS, "figure"),
    Output(table_id(ids.CAMPAIGN_TABLE), "rowData"),
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Output(ids.COMPARISON_CAP, "children"),
    Output(ids.ROAS_CAP, "children"),
    Output(ids.COMPARISON, "style"),
    Output(ids.ROAS, "style"),
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
    top = frame.head(ids.ROAS_N)  # metrics.campaign_comparison: the most revenue first
    comparison = figures.campaign_comparison(frame, n=ids.COMPARISON_N, height=400)
    roas = figures.campaign_roas(top, height=400)
    return (
        comparison,
        roas,
        records(changes_by(wh, frame, "campaign", filters, settings)),
        campaign_kpis(frame, settings),
        None,
        common.SHOW,
        cap_note(ids.COMPARISON_N, len(frame), "campaigns", "revenue", REST),
        cap_note(ids.ROAS_N, len(frame), "campaigns", "revenue", REST),
        _graph_height(comparison),
        _graph_height(roas),
    )


@callback(
    Output(ids.TREND, "figure"),
    Output(ids.TREND_CAP, "children"),
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
    frame = common.load(campaign_series, filters, common.settings(search), grain, basis)
    if frame is None or frame.empty:
        return figures.empty_figure(), None
    campaigns = frame["campaign"].nunique()
    note = cap_note(ids.TREND_N, campaigns, "campaigns", "revenue", "pick campaigns in the filter bar to see others")
    return figures.campaign_trend(frame, period=grain, metric=metric, n=ids.TREND_N, height=340), note


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
