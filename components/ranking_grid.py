"""The columns of the influencer ranking grid: shared by its page (the grid) and its callback
(which sends only these fields of each row). Metric columns come from metrics/catalogue.py."""

from components.tables import bool_col, metric_col, text_col
from metrics.catalogue import POOR_PERFORMER, tier_text
from metrics.settings import DEFAULT_SETTINGS

VERDICT_RULE = (
    "Scale / renew / review / drop from the measured lift, its interval and the marginal ROAS "
    "(filter the column to list one verdict)"
)

RANKING_COLUMNS = [
    metric_col("rank", maxWidth=80, minWidth=64, pinned="left"),
    text_col("name", "Influencer", width=170, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("category", "Category", width=120),
    text_col("tier", "Tier", width=90, headerTooltip=f"By followers: {tier_text(DEFAULT_SETTINGS)}"),
    metric_col("followers"),
    metric_col("posts"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("spend"),
    metric_col("roas"),
    metric_col("revenue_change"),
    metric_col("spend_change"),
    metric_col("roas_change"),
    metric_col("cac_change"),
    metric_col("incremental_roas"),
    metric_col("roi_pct"),
    metric_col("aov"),
    metric_col("cac"),
    metric_col("ltv_90"),
    metric_col("ltv_180"),
    metric_col("ltv_365"),
    metric_col("ltv_customers_365"),
    metric_col("ltv_revenue_365"),
    metric_col("ltv_cac_365"),
    metric_col("engagement_rate_pct"),
    metric_col("cpe"),
    metric_col("revenue_per_follower"),
    metric_col("efficiency_score"),
    bool_col("poor_performer", "Poor", headerTooltip=POOR_PERFORMER.text(DEFAULT_SETTINGS)),
    text_col("influencer_id", "ID", width=100),
    metric_col("marginal_roas"),
    text_col("verdict", "Verdict", width=100, tooltipField="verdict_reason", headerTooltip=VERDICT_RULE),
]
RANKING_FIELDS = [column["field"] for column in RANKING_COLUMNS]
