"""The headline figures of a selection."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from metrics.aggregate import (
    add_engagement_ratios,
    add_ratios,
    engagement_sums,
    engagement_sums_sql,
    plain,
    ratio,
    sums_by,
    sums_by_sql,
)
from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings

#: What a selection without any sale, order or spend shows instead of its figures (the pages'
#: empty state, `hkdash summary`).
NO_SALES = "No sales for these filters"
NO_SALES_HINT = "Widen the date range or clear some filters to see data."
#: Which attributed revenue an incremental share is of (kpis' incremental_share_basis), in the words
#: the cards, the PDF and the CLI put after "of ₹X": a measured lift under a date range counts its
#: posts' whole windows and not those of posts dated before it, so its share is of the same days.
#: Short, one per case; the whole rule is the incremental_share catalogue formula (the cards' tooltip,
#: the PDF's methodology). With a start, "other days" are the range's days outside earlier posts'
#: windows; with an end alone no post is dated before the range, so nothing is taken out.
SHARE_OVER_SELECTION = "attributed"
SHARE_OVER_WINDOWS = "attributed in the range's post windows and its other days"
SHARE_OVER_RANGE_AND_WINDOWS = "attributed over the range and its posts' windows"
SHARE_OUTSIDE_EARLIER_WINDOWS = "attributed on the range's days outside earlier posts' windows"


def share_basis_words(k: dict) -> str:
    """ "of ₹X attributed[ over the range's posts' windows and …]": the revenue an incremental share
    (k: kpis or lift_kpis) is of, as the cards, the insight, the PDF row and the CLI say it."""
    from metrics.format import inr_compact

    revenue = k.get("incremental_share_revenue", k.get("revenue"))
    return f"of {inr_compact(revenue)} {k.get('incremental_share_basis') or SHARE_OVER_SELECTION}"


def has_activity(k: dict) -> bool:
    """True when the selection (a kpis() result) holds any sale, order or spend; posts alone count
    as nothing to show."""
    return bool((k.get("revenue") or 0) or (k.get("orders") or 0) or (k.get("spend") or 0))


def kpis(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """Totals of the selection and their pooled ratios: one aggregate query (period_kpis), no per-row work here.

    Keys: revenue (net of refunds), refunds (₹ refunded in the selection, a positive amount;
    docs/metrics.md), spend, incremental_revenue (measured, with incremental_revenue_low/_high and
    incrementality_verdict, or assumed: incrementality_method and incrementality_reason;
    docs/metrics.md), aov, cost_per_order, cac, cpe, cpm (₹; cpm per 1,000 impressions, else reach:
    cpm_basis); orders, new_customers (estimated from orders where sales carry no user id:
    new_customers_estimated; orders_without_user those orders), engagements, reach, impressions, posts, influencers,
    poor_performers (counts); roas, incremental_roas (×); roi_pct, engagement_rate_pct (%, basis
    engagement_basis); baseline_share (0–1); recorded_cost (₹, or None: recorded_cost_of). Ratios are None where undefined. Raises
    warehouse.db.WarehouseMissing without a usable data set.
    """
    return period_kpis(wh, (filters,), settings)[0]


def period_kpis(wh, selections: Sequence[Filters], settings: Settings = DEFAULT_SETTINGS) -> list[dict]:
    """kpis() of each of `selections` (a selection and its comparison period), their sales and
    engagement sums read in one query (a row per selection, UNION ALL) and their ratios computed on
    those rows together (each ratio reads its own row only): one query and one pass of the pandas
    ratio code instead of two of each per selection. Same keys, units and errors as kpis()."""
    parts, params = [], []
    for at, filters in enumerate(selections):
        sums_sql, sums_params = sums_by_sql(filters, settings)
        posts_sql, posts_params = engagement_sums_sql(filters, settings, (), None)
        parts.append(f"SELECT {int(at)} AS selection, s.*, e.* FROM ({sums_sql}) s CROSS JOIN ({posts_sql}) e")
        params += sums_params + posts_params
    frame = wh.query(" UNION ALL ".join(parts) + " ORDER BY selection", params).drop(columns="selection")
    sums = add_ratios(frame, settings)
    rows = add_engagement_ratios(sums, settings, spend=sums["spend"])
    return [_kpis_of(wh, filters, settings, rows.iloc[at]) for at, filters in enumerate(selections)]


def _kpis_of(wh, filters: Filters, settings: Settings, row: pd.Series) -> dict:
    """kpis()'s dict of one selection from its row of sums and ratios, with its incrementality."""
    revenue, spend = float(row["revenue"]), float(row["spend"])
    totals = {key: plain(value) for key, value in row.items()}
    incremental = incrementality(wh, filters, settings, revenue, spend)
    return {
        "revenue": revenue,
        "refunds": float(totals["refunds"]),
        "orders": int(totals["orders"]),
        "spend": spend,
        "roas": totals["roas"],
        "roi_pct": totals["roi_pct"],
        "aov": totals["aov"],
        "cost_per_order": totals["cost_per_order"],
        "new_customers": float(totals["new_customers"]),
        "new_customers_estimated": bool(totals["new_customers_estimated"]),
        "orders_without_user": int(totals["orders_without_user"]),
        "cac": totals["cac"],
        **incremental,
        "baseline_share": settings.baseline_share,
        "engagement_rate_pct": totals["engagement_rate_pct"],
        "engagement_basis": settings.engagement_basis,
        "engagements": _count(totals["engagements"]),
        "reach": _count(totals["reach"]),
        "impressions": _count(totals["impressions"]),
        "cpe": totals["cpe"],
        "cpm": totals["cpm"],
        "cpm_basis": totals["cpm_basis"],
        "posts": _count(totals["posts"]) or 0,
        "influencers": int(totals["influencers"]),
        "poor_performers": int(totals["poor_performers"]),
        "recorded_cost": recorded_cost_of(wh, filters, settings, spend, _count(totals["posts"]) or 0),
    }


def recorded_cost_of(wh, filters: Filters, settings: Settings, spend: float, posts: int) -> float | None:
    """The spend (₹) of the selection's other filters over all dates where its date range has neither
    a post nor spend (fixed fees follow posts: docs/metrics.md "How spend follows the filters"), so
    catalogue.zero_spend_note says "no post in the selection" rather than "no cost recorded", as for a
    creator (metrics.planning.verdicts.with_recorded_cost); None elsewhere (no query)."""
    if spend > 0 or posts > 0 or not (filters.start or filters.end):
        return None
    all_dates = dataclasses.replace(filters, start=None, end=None, period=None)
    sums_sql, params = sums_by_sql(all_dates, settings)
    return float(wh.query(f"SELECT spend FROM ({sums_sql})", params)["spend"].iloc[0])


def with_recorded_cost_by(wh, frame: pd.DataFrame, group: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    """`frame` (one row per value of `group`: a breakdown by platform, category or tier) with recorded_cost
    as recorded_cost_of gives the selection, per row: where the date range holds neither a post of the
    row's nor spend, its spend (₹) under the other filters over all dates, None on the other rows; and
    with posts (the row's posts in the selection) where it lacks them. So a platform's CAC of ₹0.00
    says "no post in the selection" as the selection's does, not "no cost recorded" (catalogue.
    zero_spend_note). Unchanged (no query) without a date range or a row of ₹0 spend."""
    spend = pd.to_numeric(frame["spend"], errors="coerce").fillna(0) if "spend" in frame else None
    if spend is None or not (spend <= 0).any() or not (filters.start or filters.end) or "recorded_cost" in frame:
        return frame
    if "posts" not in frame:
        posts = engagement_sums(wh, filters, settings, (group,)).set_index(group)["posts"]
        frame = frame.assign(posts=frame[group].map(posts).fillna(0).astype(int))
    asked = (spend <= 0) & (pd.to_numeric(frame["posts"], errors="coerce").fillna(0) <= 0)
    if not asked.any():
        return frame
    all_dates = dataclasses.replace(filters, start=None, end=None, period=None)
    costs = sums_by(wh, all_dates, settings, (group,)).set_index(group)["spend"]
    recorded = frame[group].map(costs).where(asked)
    values = [None if pd.isna(v) else float(v) for v in recorded]
    return frame.assign(recorded_cost=pd.Series(values, index=frame.index, dtype=object))


def _count(value):
    return None if value is None or pd.isna(value) else int(value)


def incrementality(wh, filters: Filters, settings: Settings, revenue: float, spend: float) -> dict:
    """Incremental revenue (₹) and ROAS (×) of the selection with their intervals, measured by
    event windows (metrics.lift) where the data supports it, else the assumed-baseline share of
    METRICS.md (intervals None). Keys: incremental_revenue, incremental_revenue_low/_high,
    incremental_roas, incremental_roas_low/_high (None where the selection holds no post: NO_POST),
    incremental_share (of incremental_share_revenue, ₹:
    the attributed revenue; with a measured lift and a date range, less the range's days in windows
    of posts dated before it and plus its posts' window days after its end (metrics.lift.view.
    RangeEdges); incremental_share_basis names it in words),
    incrementality_method, incrementality_reason, incrementality_window_days,
    incrementality_confidence, incrementality_verdict ("positive", "negative" or "not
    distinguishable from baseline" for the measured interval; None when assumed, and where the
    selection holds no post: incrementality_reason NO_POST)."""
    from metrics.lift import METHOD_MEASURED, NO_POST, interval_verdict, lift_totals

    lift = lift_totals(wh, filters, settings)
    measured = lift["method"] == METHOD_MEASURED
    over_windows = bool(measured and (filters.start or filters.end))
    share_revenue = revenue + (_share_edges(wh, filters, settings) if over_windows else 0.0)
    value = lift["incremental_revenue"] if measured else revenue * (1 - settings.baseline_share)
    low = lift["incremental_revenue_low"] if measured else None
    high = lift["incremental_revenue_high"] if measured else None
    # no post: the ₹0 is a sum over no post, no return measured on the spend ("—", NO_POST says why)
    per_spend = spend if lift["reason"] != NO_POST else None
    return {
        "incremental_revenue": value,
        "incremental_revenue_low": low,
        "incremental_revenue_high": high,
        "incremental_roas": ratio(value, per_spend),
        "incremental_roas_low": ratio(low, per_spend),
        "incremental_roas_high": ratio(high, per_spend),
        "incremental_share": ratio(value, share_revenue),
        "incremental_share_revenue": share_revenue,
        "incremental_share_basis": _share_basis(filters, lift.get("posts")) if over_windows else SHARE_OVER_SELECTION,
        "incrementality_method": lift["method"],
        "incrementality_reason": lift["reason"],
        "incrementality_window_days": lift["window_days"],
        "incrementality_confidence": lift["confidence"],
        # no post: ₹0 by the rule, nothing measured to read an interval of (the cards say NO_POST instead)
        "incrementality_verdict": None if lift["reason"] == NO_POST else interval_verdict(low, high),
    }


def _share_basis(filters: Filters, posts: int | None) -> str:
    """The words of a measured share's base under a date range: a start takes out the days in
    earlier posts' windows (SHARE_OVER_WINDOWS), an end alone only adds its posts' days after it;
    a range without a post adds nothing."""
    if not posts:
        return SHARE_OUTSIDE_EARLIER_WINDOWS if filters.start else SHARE_OVER_SELECTION
    return SHARE_OVER_WINDOWS if filters.start else SHARE_OVER_RANGE_AND_WINDOWS


def _share_edges(wh, filters: Filters, settings: Settings) -> float:
    """What a date range's revenue (₹) gains to hold the days its measured lift counts: its posts'
    whole windows, past its end, and not the windows of posts dated before its start."""
    from metrics.lift.view import range_edge_revenue

    edges = range_edge_revenue(wh, filters, settings)
    return edges.after - edges.before
