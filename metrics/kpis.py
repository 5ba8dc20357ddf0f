"""The headline figures of a selection."""

from __future__ import annotations

import pandas as pd

from metrics.aggregate import add_engagement_ratios, add_ratios, engagement_sums, plain, ratio, sums_by
from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings


def kpis(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """Totals of the selection and their pooled ratios: two aggregate queries, no per-row work here.

    Keys: revenue (net of refunds), refunds (₹ refunded in the selection, a positive amount;
    docs/metrics.md), spend, incremental_revenue (measured, with incremental_revenue_low/_high, or assumed: incrementality_method
    and incrementality_reason; docs/metrics.md), aov, cost_per_order, cac, cpe, cpm (₹; cpm per 1,000
    impressions, else reach: cpm_basis); orders, new_customers (estimated from orders where sales
    carry no user id: new_customers_estimated), engagements, reach, impressions, posts, influencers,
    poor_performers (counts); roas, incremental_roas (×); roi_pct, engagement_rate_pct (%, basis
    engagement_basis); baseline_share (0–1). Ratios are None where undefined. Raises
    warehouse.db.WarehouseMissing without a usable data set.
    """
    sums = add_ratios(sums_by(wh, filters, settings), settings).iloc[0]
    engagement_sums_row = add_engagement_ratios(
        engagement_sums(wh, filters, settings), settings, spend=pd.Series([sums["spend"]])
    ).iloc[0]
    revenue, spend = float(sums["revenue"]), float(sums["spend"])
    totals = {key: plain(value) for key, value in sums.items()}
    engagement = {key: plain(value) for key, value in engagement_sums_row.items()}
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
        "cac": totals["cac"],
        **incremental,
        "baseline_share": settings.baseline_share,
        "engagement_rate_pct": engagement["engagement_rate_pct"],
        "engagement_basis": settings.engagement_basis,
        "engagements": _count(engagement["engagements"]),
        "reach": _count(engagement["reach"]),
        "impressions": _count(engagement["impressions"]),
        "cpe": engagement["cpe"],
        "cpm": engagement["cpm"],
        "cpm_basis": engagement["cpm_basis"],
        "posts": _count(engagement["posts"]) or 0,
        "influencers": int(totals["influencers"]),
        "poor_performers": int(totals["poor_performers"]),
    }


def _count(value):
    return None if value is None or pd.isna(value) else int(value)


def incrementality(wh, filters: Filters, settings: Settings, revenue: float, spend: float) -> dict:
    """Incremental revenue (₹) and ROAS (×) of the selection with their intervals, measured by
    event windows (metrics.lift) where the data supports it, else the assumed-baseline share of
    METRICS.md (intervals None). Keys: incremental_revenue, incremental_revenue_low/_high,
    incremental_roas, incremental_roas_low/_high, incremental_share (of attributed revenue),
    incrementality_method, incrementality_reason, incrementality_window_days,
    incrementality_confidence."""
    from metrics.lift import METHOD_MEASURED, lift_totals

    lift = lift_totals(wh, filters, settings)
    measured = lift["method"] == METHOD_MEASURED
    value = lift["incremental_revenue"] if measured else revenue * (1 - settings.baseline_share)
    low = lift["incremental_revenue_low"] if measured else None
    high = lift["incremental_revenue_high"] if measured else None
    return {
        "incremental_revenue": value,
        "incremental_revenue_low": low,
        "incremental_revenue_high": high,
        "incremental_roas": ratio(value, spend),
        "incremental_roas_low": ratio(low, spend),
        "incremental_roas_high": ratio(high, spend),
        "incremental_share": ratio(value, revenue),
        "incrementality_method": lift["method"],
        "incrementality_reason": lift["reason"],
        "incrementality_window_days": lift["window_days"],
        "incrementality_confidence": lift["confidence"],
    }
