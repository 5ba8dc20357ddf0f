"""The columns of the influencer ranking grid: shared by its page (the grid) and its callback
(which sends only these fields of each row)."""
from components.tables import (bool_col, count_col, decimal_col, followers_col, money_col, pct_col, ratio_col,
                               text_col)

RANKING_COLUMNS = [
    count_col("rank", "#", maxWidth=80, minWidth=64, pinned="left",
              headerTooltip="Rank by ROAS (undefined last, ties by influencer id)"),
    text_col("name", "Influencer", width=170, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("category", "Category", width=120),
    text_col("tier", "Tier", width=90, headerTooltip="By followers: nano < 10K ≤ micro < 50K ≤ mid < 500K ≤ macro < 1M ≤ mega"),
    followers_col("followers", "Followers"),
    count_col("posts", "Posts"),
    money_col("revenue", "Revenue", headerTooltip="Σ revenue of attributed sales"),
    count_col("orders", "Orders"),
    money_col("spend", "Spend", headerTooltip="Payouts + gifted products + other cost, following the filters"),
    ratio_col("roas", "ROAS", headerTooltip="Revenue ÷ spend; — when there is no spend"),
    ratio_col("incremental_roas", "Incr. ROAS",
              headerTooltip="Incremental revenue ÷ spend: measured against the creator's quiet days (page Lift), "
                            "or the assumed baseline where the data cannot support a measurement"),
    pct_col("roi_pct", "ROI", headerTooltip="(Revenue − spend) ÷ spend × 100"),
    money_col("aov", "AOV", headerTooltip="Revenue ÷ orders"),
    money_col("cac", "CAC", decimals=2, headerTooltip="Spend ÷ new customers (estimated where sales carry no user ids)"),
    pct_col("engagement_rate_pct", "Eng. rate", headerTooltip="Engagements ÷ reach × 100"),
    money_col("cpe", "CPE", decimals=2, headerTooltip="Spend ÷ engagements"),
    decimal_col("revenue_per_follower", "Rev./follower", decimals=2, headerTooltip="Revenue ÷ followers (₹)"),
    decimal_col("efficiency_score", "Efficiency", decimals=1,
                headerTooltip="0–100: 40 % ROI + 40 % ROAS + 20 % revenue per follower, as percentile ranks "
                              "within the selection"),
    bool_col("poor_performer", "Poor", headerTooltip="ROI < 50 % or ROAS < 2.0x, or spend with no revenue"),
    text_col("influencer_id", "ID", width=100),
]
RANKING_FIELDS = [column["field"] for column in RANKING_COLUMNS]
