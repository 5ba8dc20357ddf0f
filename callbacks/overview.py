"""Overview page: KPI cards, revenue vs spend over time, platform share, top influencers."""

from __future__ import annotations

import functools

from dash import Input, Output, callback, html

import metrics
from callbacks import common
from components import figures
from components.cards import metric_card
from components.ids import chosen
from components.ids import overview as ids
from components.ids.shell import URL
from metrics import catalogue, periods
from metrics import format as fmt
from metrics.cohorts import time_series
from metrics.comparison import kpis_with_comparison, partial_label, with_every_reason
from metrics.kpis import share_basis_words
from metrics.lift import NO_POST, NO_POST_WHY, indistinguishable_note, no_post_words


def kpi_cards(k: dict, settings, comparison: dict | None = None, by_product: bool = False) -> list:
    """The overview's KPI cards for a kpis() result: labels, values, formulas and colours from the
    metric catalogue (metrics/catalogue.py); with `comparison` (metrics.comparison.kpi_comparison),
    each card shows its change against the comparison period. `by_product`: the selection filters
    products, so the Orders card says on which product an order counts, and the Spend card that its
    posts are not filtered by product."""
    if comparison is not None:
        comparison = with_every_reason(comparison, k)
    card = functools.partial(metric_card, comparison=comparison)
    estimated = bool(k.get("new_customers_estimated"))
    nc_formula = (
        metrics.estimated_new_customers_note(k.get("orders"), k.get("orders_without_user"), settings)
        or "Buyers (user_id) whose first attributed order falls in the selection"
    )
    roi = fmt.clean(k.get("roi_pct"))
    returns_tone = catalogue.POOR_PERFORMER.tone(k, settings)  # ROAS and ROI never disagree in colour
    influencers = k.get("influencers") or 0
    estimated_badge = "estimated" if estimated else None
    return [
        card(
            "revenue",
            k.get("revenue"),
            settings,
            sub=f"{fmt.inr(k.get('revenue'))} · AOV {catalogue.get('aov').text(k.get('aov'))}",
        ),
        # Shown only where the selection has refunds: most data sets have none.
        *(
            [card("refunds", k["refunds"], settings, sub=f"{fmt.inr(k['refunds'])} netted from revenue", tone=None)]
            if k.get("refunds")
            else []
        ),
        card(
            "orders",
            k.get("orders"),
            settings,
            sub=catalogue.with_cost_note(
                "cost_per_order", k, f"Cost per order {catalogue.get('cost_per_order').text(k.get('cost_per_order'))}"
            )
            + (f" · {catalogue.ORDERS_BY_PRODUCT_NOTE}" if by_product else ""),
        ),
        card(
            "spend",
            k.get("spend"),
            settings,
            # posts carry no product (metrics.selection.post_conditions): a product filter keeps them all
            sub=f"{fmt.counted(influencers, 'influencer')} · {fmt.counted(k.get('posts'), 'post')}"
            + (" (posts carry no product)" if by_product else ""),
        ),
        card(
            "roas",
            k.get("roas"),
            settings,
            sub=catalogue.card_note("roas", k) or "Return on ad spend",
            tone=returns_tone,
        ),
        card(
            "roi_pct",
            roi,
            settings,
            card_id="roi",
            sub=f"Net {fmt.inr_compact((k.get('revenue') or 0) - (k.get('spend') or 0))}"
            + (f" · {why}" if (why := catalogue.card_note("roi_pct", k)) else ""),
            tone=returns_tone,
        ),
        *incremental_cards(k, settings, comparison=comparison),
        card(
            "new_customers",
            k.get("new_customers"),
            settings,
            formula=nc_formula,
            sub=(
                (
                    "Partly estimated"
                    if k.get("orders_without_user", 0) < k.get("orders", 0)
                    else "Estimated from orders"
                )
                + (f" · {exact}" if (exact := catalogue.exact_note("new_customers", k.get("new_customers"))) else "")
            )
            if estimated
            else "First attributed order",
            badge=estimated_badge,
        ),
        card(
            "cac",
            k.get("cac"),
            settings,
            formula=catalogue.get("cac").formula_for(settings) + (" (new customers estimated)" if estimated else ""),
            sub=catalogue.cost_note("cac", k) or "Customer acquisition cost",
            badge=estimated_badge,
        ),
        card(
            "poor_performers",
            k.get("poor_performers"),
            settings,
            sub=f"of {fmt.counted(influencers, 'influencer')}",
            tone="bad" if (k.get("poor_performers") or 0) else None,
        ),
    ]


def incremental_cards(k: dict, settings, prefix: str = "", comparison: dict | None = None) -> list:
    """The incremental revenue and ROAS cards: measured (event windows, with the interval and
    method) or the assumed-baseline share, labelled "assumed" with the reason; with `comparison`,
    their change against the comparison period."""
    baseline = fmt.share(k.get("baseline_share", settings.baseline_share), 0)
    if k.get("incrementality_method") == "event-window":
        window, confidence = k.get("incrementality_window_days"), fmt.share(k.get("incrementality_confidence"), 0)
        method = f"measured · {window}-day windows"
        # an interval that includes 0 reads as no measured effect (METRICS.md), whatever the estimate's sign
        note = f": {indistinguishable_note(k)}" if indistinguishable_note(k) else ""
        revenue_sub = (
            f"{confidence} interval {fmt.inr_compact(k.get('incremental_revenue_low'))} to "
            f"{fmt.inr_compact(k.get('incremental_revenue_high'))}{note} · {fmt.share(k.get('incremental_share'))} "
            f"{share_basis_words(k)}"
        )
        roas_sub = (
            f"{confidence} interval {fmt.ratio(k.get('incremental_roas_low'))} to "
            f"{fmt.ratio(k.get('incremental_roas_high'))}{note}"
        )
        revenue_formula = (
            f"Measured: Σ over each post's {window}-day window of (actual − the creator's baseline from "
            "its quiet days, by weekday); overlapping windows merged. Interval: stationary bootstrap "
            f"of the quiet days (page Lift). {catalogue.get('incremental_share').formula}"
        )
        if no_post_words(k):  # ₹0 by the rule: nothing measured, so no interval to show
            roas_sub = NO_POST.capitalize()
            revenue_sub = f"{roas_sub} · {fmt.share(k.get('incremental_share'))} {share_basis_words(k)}"
            revenue_formula = f"₹0: {NO_POST} ({NO_POST_WHY}). {revenue_formula}"
        badge = f"measured · {window}-day window"  # visible: the window follows the URL (/lift's selector)
    else:
        method = f"assumed baseline {baseline}"
        reason = k.get("incrementality_reason") or "the data cannot support a measurement"
        revenue_sub = f"Assumed: {baseline} of revenue is baseline ({reason})"
        roas_sub = revenue_sub
        revenue_formula = f"Assumed (not measured: {reason}): incremental revenue = revenue × (1 − {baseline})"
        badge = "assumed"
    return [
        metric_card(
            "incremental_revenue",
            k.get("incremental_revenue"),
            settings,
            card_id=f"{prefix}incremental-revenue",
            formula=revenue_formula,
            sub=revenue_sub,
            badge=badge,
            tone=None,
            comparison=comparison,
        ),
        metric_card(
            "incremental_roas",
            k.get("incremental_roas"),
            settings,
            card_id=f"{prefix}incremental-roas",
            formula=f"Incremental ROAS = incremental revenue ÷ spend ({method})",
            sub=roas_sub,
            badge=badge,
            tone=None,
            comparison=comparison,
        ),
    ]


def comparison_note(comparison: dict) -> list | None:
    """The comparison period's caveat in view (the PDF prints it): its dates and why its changes are
    partial or undefined (metrics.comparison.coverage_notice); None without a caveat."""
    if not comparison.get("notice") or not comparison.get("start"):
        return None
    period = periods.COMPARE_LABELS[comparison["mode"]].lower()
    return [
        html.I(className="bi bi-exclamation-triangle me-1", **{"aria-hidden": "true"}),
        f"Changes against the {period}{partial_label(comparison)}, {fmt.date(comparison['start'])} – {fmt.date(comparison['end'])}. "
        f"{comparison['notice']}.",
    ]


@callback(
    Output(ids.KPIS, "children"),
    Output(ids.COMPARE_NOTE, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),
    Input(URL, "pathname"),
)
@common.when_no_data_set(lambda error: ([], None, common.no_data_state(error), common.HIDE))
def overview_kpis(search, pathname):
    filters = common.filters_from_search(search)
    wh, settings = common.warehouse(), common.settings(search)
    k, comparison = kpis_with_comparison(wh, filters, settings)  # both periods' sums in one query
    if not common.has_activity(k):
        return [], None, common.no_data_state(pathname=pathname), common.HIDE
    return (
        kpi_cards(k, settings, comparison, by_product=bool(filters.product)),
        comparison_note(comparison),
        None,
        common.SHOW,
    )


def undated_note(ts) -> str | None:
    """What a time chart leaves out or marks: sales and costs without a date (by sale date), or in
    no post's window (by post), the partial periods, and a ROAS line left out for want of spend."""
    notes = []
    undated = (ts.attrs or {}).get("undated") or {}
    if undated.get("revenue") or undated.get("spend"):
        notes.append(
            f"Not on the time axis (no date): revenue {fmt.inr_compact(undated.get('revenue'))}, "
            f"spend {fmt.inr_compact(undated.get('spend'))}."
        )
    outside = (ts.attrs or {}).get("outside") or {}
    if outside.get("revenue") or outside.get("spend"):
        notes.append(
            f"By post: each post's fee and the sales of its {ts.attrs.get('window_days')}-day window on the "
            f"post's day; in no post's window (left out): revenue {fmt.inr_compact(outside.get('revenue'))}, "
            f"spend {fmt.inr_compact(outside.get('spend'))}."
        )
    partial = figures.partial_note(ts)
    if partial:
        notes.append(partial)
    if "roas" in ts.columns and len(ts) and ts["roas"].isna().all():
        notes.append("No ROAS line: no spend in any period (ROAS is revenue ÷ spend).")
    return " ".join(notes) or None


@callback(
    Output(ids.TREND, "figure"),
    Output(ids.TREND_NOTE, "children"),
    Input(URL, "search"),
    Input(ids.GRAIN, "value"),
    Input(ids.TREND_BASIS, "value"),
)
@common.when_no_data_set(lambda error: (figures.empty_figure(), None))
def overview_trend(search, grain, basis="sale"):
    filters = common.filters_from_search(search)
    grain = chosen(grain or ids.DEFAULT_GRAIN, ids.GRAIN_OPTIONS)
    basis = chosen(basis, ids.BASIS_OPTIONS)
    ts = time_series(common.warehouse(), filters, common.settings(search), grain=grain, basis=basis)
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
