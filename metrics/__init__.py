"""Every figure of METRICS.md as plain functions of (warehouse, filters, settings). No Dash here."""

from metrics.aggregate import estimated_new_customers_note, ratio
from metrics.breakdowns import breakdown, campaign_comparison, timeseries
from metrics.dataset import (
    buyer_ids_text,
    buyers_partly_present,
    dataset_info,
    date_bounds,
    filter_options,
    sale_date_bounds,
    sales_after_export_text,
    sales_coverage,
    sales_notices,
)
from metrics.engagement import engagement_by_influencer, engagement_by_platform, engagement_by_post
from metrics.filters import FilterError, Filters
from metrics.influencer import UnknownInfluencer, influencer_detail
from metrics.insights import key_findings, recommendations
from metrics.kpis import kpis
from metrics.pacing import campaign_pacing
from metrics.payouts import payout_reconciliation, payouts_by_basis
from metrics.ranking import ranking, top_influencers
from metrics.settings import DEFAULT_SETTINGS, Settings
from metrics.summary import summary

__all__ = [
    "DEFAULT_SETTINGS",
    "FilterError",
    "Filters",
    "Settings",
    "UnknownInfluencer",
    "breakdown",
    "campaign_comparison",
    "campaign_pacing",
    "buyer_ids_text",
    "buyers_partly_present",
    "dataset_info",
    "date_bounds",
    "engagement_by_influencer",
    "engagement_by_platform",
    "engagement_by_post",
    "estimated_new_customers_note",
    "filter_options",
    "influencer_detail",
    "key_findings",
    "kpis",
    "payout_reconciliation",
    "payouts_by_basis",
    "ranking",
    "ratio",
    "recommendations",
    "sale_date_bounds",
    "sales_after_export_text",
    "sales_coverage",
    "sales_notices",
    "summary",
    "timeseries",
    "top_influencers",
]
