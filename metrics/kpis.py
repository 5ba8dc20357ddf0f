"""The headline figures of a selection."""
from __future__ import annotations

import pandas as pd

from metrics.aggregate import SUMS, add_engagement_ratios, add_ratios, ratio
from metrics.filters import Filters
from metrics.ranking import influencer_sums, ranking
from metrics.settings import DEFAULT_SETTINGS, Settings

ENGAGEMENT_SUMS = ("posts", "reach", "impressions", "views", "engagements", "engagements_with_reach",
                   "engagements_with_impressions", "followers_reached", "engagements_with_followers")


def kpis(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """Totals of the selection: sums over its influencers (additive), then pooled ratios."""
    per_influencer = influencer_sums(wh, filters, settings)
    ranked = ranking(wh, filters, settings, sums=per_influencer)
    summed = {column: per_influencer[column].sum() for column in SUMS}
    summed["influencers"] = int(per_influencer["known"].fillna(False).astype(bool).sum())
    totals = add_ratios(pd.DataFrame([summed]), settings).iloc[0]
    engagement_totals = {column: per_influencer[column].sum(min_count=1) for column in ENGAGEMENT_SUMS}
    engagement = add_engagement_ratios(pd.DataFrame([engagement_totals]), settings,
                                       spend=pd.Series([summed["spend"]])).iloc[0]
    revenue, spend = float(totals["revenue"]), float(totals["spend"])
    totals = {key: _plain(value) for key, value in totals.items()}
    engagement = {key: _plain(value) for key, value in engagement.items()}
    incremental_revenue = revenue * (1 - settings.baseline_share)
    return {
        "revenue": revenue,
        "orders": int(totals["orders"]),
        "spend": spend,
        "roas": totals["roas"],
        "roi_pct": totals["roi_pct"],
        "aov": totals["aov"],
        "cost_per_order": totals["cost_per_order"],
        "new_customers": float(totals["new_customers"]),
        "new_customers_estimated": bool(totals["new_customers_estimated"]),
        "cac": totals["cac"],
        "incremental_revenue": incremental_revenue,
        "incremental_roas": ratio(incremental_revenue, spend),
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
        "poor_performers": int((ranked["poor_performer"] & ranked["known"]).sum()),
    }


def _count(value):
    return None if value is None or pd.isna(value) else int(value)


def _plain(value):
    """numpy scalars to Python; NaN to None (undefined)."""
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value
