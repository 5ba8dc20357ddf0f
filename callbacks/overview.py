"""Overview page: KPI cards, revenue vs spend over time, platform share, top influencers."""
from __future__ import annotations

from dash import Input, Output, callback

import metrics
from callbacks import common
from components import figures
from components.cards import kpi_card
from components.ids import chosen
from components.ids import overview as ids
from components.ids.shell import URL
from metrics import format as fmt


def kpi_cards(k: dict, settings) -> list:
    """The overview's KPI cards for a kpis() result (formulas in the tooltips, METRICS.md)."""
    baseline = fmt.share(k.get("baseline_share", settings.baseline_share), 0)
    estimated = bool(k.get("new_customers_estimated"))
    nc_formula = (
        f"Estimated: {fmt.share(settings.new_customer_share, 0)} of orders (the sales carry no user ids)"
        if estimated else "Buyers (user_id) whose first attributed order falls in the selection"
    )
    roi = fmt.clean(k.get("roi_pct"))
    roas = fmt.clean(k.get("roas"))
    influencers = k.get("influencers") or 0
    return [
        kpi_card("revenue", "Revenue", fmt.inr_compact(k.get("revenue")),
                 "Σ revenue of attributed sales in the selection",
                 sub=f"{fmt.inr(k.get('revenue'))} · AOV {fmt.inr(k.get('aov'))}"),
        kpi_card("orders", "Orders", fmt.count(k.get("orders")), "Σ orders of attributed sales in the selection",
                 sub=f"Cost per order {fmt.inr(k.get('cost_per_order'), 2)}"),
        kpi_card("spend", "Spend", fmt.inr_compact(k.get("spend")),
                 "Σ influencer cost (payouts + gifted products + other cost); a sale filter takes the matching "
                 "share of each influencer's cost",
                 sub=f"{fmt.count(influencers)} influencers · {fmt.count(k.get('posts'))} posts"),
        kpi_card("roas", "ROAS", fmt.ratio(roas), "ROAS = revenue ÷ spend (pooled over the selection)",
                 sub="Return on ad spend", tone=None if roas is None else ("good" if roas >= settings.poor_roas else "bad")),
        kpi_card("roi", "ROI", fmt.pct(roi), "ROI = (revenue − spend) ÷ spend × 100",
                 sub=f"Net {fmt.inr_compact((k.get('revenue') or 0) - (k.get('spend') or 0))}",
                 tone=None if roi is None else ("good" if roi >= 0 else "bad")),
        kpi_card("incremental-revenue", "Incremental revenue", fmt.inr_compact(k.get("incremental_revenue")),
                 f"Incremental revenue = revenue × (1 − baseline). Assumed baseline: {baseline} of attributed "
                 "revenue would have happened without the campaign",
                 sub=f"Assumed baseline: {baseline} of revenue", badge=f"{baseline} baseline"),
        kpi_card("incremental-roas", "Incremental ROAS", fmt.ratio(k.get("incremental_roas")),
                 f"Incremental ROAS = incremental revenue ÷ spend (assumed baseline {baseline})",
                 sub=f"Assumed baseline: {baseline} of revenue", badge=f"{baseline} baseline"),
        kpi_card("new-customers", "New customers", fmt.count(k.get("new_customers")), nc_formula,
                 sub="Estimated from orders" if estimated else "First attributed order",
                 badge="estimated" if estimated else None),
        kpi_card("cac", "CAC", fmt.inr(k.get("cac"), 2), "CAC = spend ÷ new customers"
                 + (" (new customers estimated)" if estimated else ""),
                 sub="Customer acquisition cost", badge="estimated" if estimated else None),
        kpi_card("poor-performers", "Poor performers", fmt.count(k.get("poor_performers")),
                 f"Influencers with ROI < {settings.poor_roi_pct:g}% or ROAS < {settings.poor_roas:g}x, "
                 "or spend with no revenue",
                 sub=f"of {fmt.count(influencers)} influencers",
                 tone="bad" if (k.get("poor_performers") or 0) else None),
    ]


@callback(
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),
    Input(URL, "pathname"),
)
@common.when_no_data_set(lambda error: ([], common.no_data_state(error), common.HIDE))
def overview_kpis(search, pathname):
    filters = common.filters_from_search(search)
    k = metrics.kpis(common.warehouse(), filters, common.settings())
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


@callback(Output(ids.TREND, "figure"), Output(ids.TREND_NOTE, "children"),
          Input(URL, "search"), Input(ids.GRAIN, "value"))
@common.when_no_data_set(lambda error: (figures.empty_figure(), None))
def overview_trend(search, grain):
    filters = common.filters_from_search(search)
    grain = chosen(grain or ids.DEFAULT_GRAIN, ids.GRAIN_OPTIONS)
    ts = metrics.timeseries(common.warehouse(), filters, common.settings(), grain=grain)
    return figures.revenue_spend_over_time(ts, height=340), undated_note(ts)


@callback(Output(ids.PLATFORM_SHARE, "figure"), Input(URL, "search"))
@common.when_no_data_set(lambda error: figures.empty_figure())
def overview_platform_share(search):
    filters = common.filters_from_search(search)
    frame = metrics.breakdown(common.warehouse(), "platform", filters, common.settings())
    return figures.platform_share(frame, height=340)


@callback(Output(ids.TOP, "figure"), Input(URL, "search"), Input(ids.TOP_METRIC, "value"))
@common.when_no_data_set(lambda error: figures.empty_figure())
def overview_top(search, metric):
    filters = common.filters_from_search(search)
    metric = chosen(metric, ids.TOP_OPTIONS)
    frame = metrics.top_influencers(common.warehouse(), filters, common.settings(), metric, n=ids.TOP_N)
    return figures.top_influencers(frame, n=ids.TOP_N, metric=metric, height=380)

