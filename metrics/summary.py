"""The `hkdash summary --json` document: a stable machine interface (see docs/cli.md)."""
from __future__ import annotations

from metrics.aggregate import plain
from metrics.breakdowns import breakdown
from metrics.dataset import sales_coverage, sales_notices
from metrics.filters import Filters
from metrics.kpis import kpis
from metrics.ranking import ranking
from metrics.settings import DEFAULT_SETTINGS, Settings

KPI_KEYS = ("revenue", "orders", "spend", "roas", "roi_pct", "aov", "cost_per_order", "new_customers",
            "new_customers_estimated", "cac", "incremental_revenue", "incremental_roas", "engagement_rate_pct",
            "influencers", "poor_performers", "baseline_share")
PLATFORM_KEYS = ("platform", "influencers", "revenue", "orders", "spend", "roas", "roi_pct", "new_customers", "cac")
CATEGORY_KEYS = ("category", "influencers", "followers", "revenue", "orders", "spend", "roas")
RANKED_KEYS = ("influencer_id", "name", "platform", "category", "tier", "followers", "revenue", "orders", "spend",
               "roas", "roi_pct", "cac", "engagement_rate_pct", "efficiency_score", "poor_performer")


def summary(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    headline = kpis(wh, filters, settings)
    document = {key: plain(headline[key]) for key in KPI_KEYS}
    document["filters"] = filters.as_dict()
    coverage = sales_coverage(wh, filters)
    document.update({key: plain(value) for key, value in coverage.items() if key != "cannot_split_by"})
    document["sales_cannot_split_by"] = coverage["cannot_split_by"]
    document["notices"] = sales_notices(coverage)
    document["by_platform"] = records(breakdown(wh, "platform", filters, settings), PLATFORM_KEYS)
    document["by_category"] = records(breakdown(wh, "category", filters, settings), CATEGORY_KEYS)
    document["influencers_ranked"] = records(ranking(wh, filters, settings), RANKED_KEYS)
    return document


def records(frame, keys) -> list[dict]:
    return [{key: plain(row[key]) for key in keys} for row in frame.to_dict("records")]
