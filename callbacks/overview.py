"""Overview page: KPI cards, revenue vs spend over time, platform share, top influencers."""
from __future__ import annotations

from dash import Input, Output, callback

import metrics

from callbacks import common
from components import figures
from components.cards import metric_card
from metrics import catalogue
from metrics import format as fmt


def kpi_cards(k: dict, settings) -> list:
    """The overview's KPI cards for a kpis() result: labels, values, formulas and colours from the
    metric catalogue (metrics/catalogue.py)."""
    baseline = fmt.share(k.get("baseline_share", settings.baseline_share), 0)
    estimated = bool(k.get("new_customers_estimated"))
    nc_formula = (
        f"Estimated: {fmt.share(settings.new_customer_share, 0)} of orders (the sales carry no user ids)"
        if estimated else "Buyers (user_id) whose first attributed order falls in the selection"
    )
    roi = fmt.clean(k.get("roi_pct"))
    influencers = k.get("influencers") or 0
    estimated_badge = "estimated" if estimated else None
    return [
        metric_card("revenue", k.get("revenue"), settings,
                    sub=f"{fmt.inr(k.get('revenue'))} · AOV {catalogue.get('aov').text(k.get('aov'))}"),
        metric_card("orders", k.get("orders"), settings,
                    sub=f"Cost per order {catalogue.get('cost_per_order').text(k.get('cost_per_order'))}"),
        metric_card("spend", k.get("spend"), settings,
                    sub=f"{fmt.count(influencers)} influencers · {fmt.count(k.get('posts'))} posts"),
        metric_card("roas", k.get("roas"), settings, sub="Return on ad spend"),
        # ROI is coloured by profit (≥ 0), not by the poor-performer bar.
        metric_card("roi_pct", roi, settings, card_id="roi",
                    sub=f"Net {fmt.inr_compact((k.get('revenue') or 0) - (k.get('spend') or 0))}",
                    tone=None if roi is None else ("good" if roi >= 0 else "bad")),
        metric_card("incremental_revenue", k.get("incremental_revenue"), settings,
                    sub=f"Assumed baseline: {baseline} of revenue", badge=f"{baseline} baseline"),
        metric_card("incremental_roas", k.get("incremental_roas"), settings,
                    sub=f"Assumed baseline: {baseline} of revenue", badge=f"{baseline} baseline", tone=None),
        metric_card("new_customers", k.get("new_customers"), settings, formula=nc_formula,
                    sub="Estimated from orders" if estimated else "First attributed order", badge=estimated_badge),
        metric_card("cac", k.get("cac"), settings,
                    formula=catalogue.get("cac").formula_for(settings) + (" (new customers estimated)" if estimated else ""),
                    sub="Customer acquisition cost", badge=estimated_badge),
        metric_card("poor_performers", k.get("poor_performers"), settings, sub=f"of {fmt.count(influencers)} influencers",
                    tone="bad" if (k.get("poor_performers") or 0) else None),
    ]


@callback(
    Output("ov-kpis", "children"),
    Output("ov-empty", "children"),
    Output("ov-body", "style"),
    Input("url", "search"),
    Input("url", "pathname"),
)
def overview_kpis(search, pathname):
    filters = common.filters_from_search(search)
    try:
        k = metrics.kpis(common.warehouse(), filters, common.settings())
    except Exception as error:
        if common.is_missing_warehouse(error):
            return [], common.no_data_state(error), common.HIDE
        raise
    if not common.has_activity(k):
        return [], common.no_data_state(pathname=pathname), common.HIDE
    return kpi_cards(k, common.settings()), None, common.SHOW


def undated_note(ts) -> str | None:
    """Sales and costs without a date cannot sit on a time axis: say how much is left out."""
    undated = (ts.attrs or {}).get("undated") or {}
    if not (undated.get("revenue") or undated.get("spend")):
        return None
    return (f"Not on the time axis (no date): revenue {fmt.inr_compact(undated.get('revenue'))}, "
            f"spend {fmt.inr_compact(undated.get('spend'))}.")


@callback(Output("ov-trend", "figure"), Output("ov-trend-note", "children"),
          Input("url", "search"), Input("ov-grain", "value"))
def overview_trend(search, grain):
    filters = common.filters_from_search(search)
    try:
        ts = metrics.timeseries(common.warehouse(), filters, common.settings(), grain=grain or "week")
    except Exception as error:
        if common.is_missing_warehouse(error):
            return figures.empty_figure(), None
        raise
    return figures.revenue_spend_over_time(ts, height=340), undated_note(ts)


@callback(Output("ov-platform-share", "figure"), Input("url", "search"))
def overview_platform_share(search):
    filters = common.filters_from_search(search)
    try:
        frame = metrics.breakdown(common.warehouse(), "platform", filters, common.settings())
    except Exception as error:
        if common.is_missing_warehouse(error):
            return figures.empty_figure()
        raise
    return figures.platform_share(frame, height=340)


@callback(Output("ov-top", "figure"), Input("url", "search"), Input("ov-top-metric", "value"))
def overview_top(search, metric):
    filters = common.filters_from_search(search)
    try:
        frame = metrics.top_influencers(common.warehouse(), filters, common.settings(), metric or "revenue", n=10)
    except Exception as error:
        if common.is_missing_warehouse(error):
            return figures.empty_figure()
        raise
    return figures.top_influencers(frame, n=10, metric=metric or "revenue", height=380)

