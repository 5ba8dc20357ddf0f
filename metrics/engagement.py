"""Engagement: engagement rate, cost per engagement and CPM by platform, influencer and post."""

from __future__ import annotations

import pandas as pd

from metrics.aggregate import VIEWS_SQL, add_engagement_ratios, engagement_sums, ratio, sums_by
from metrics.filters import Filters
from metrics.ranking import ranking
from metrics.selection import influencer_conditions, post_conditions, where
from metrics.settings import DEFAULT_SETTINGS, Settings

ENGAGEMENT_COLUMNS = [
    "posts",
    "reach",
    "impressions",
    "views",
    "engagements",
    "spend",
    "engagement_rate_pct",
    "cpe",
    "cpm",
    "cpm_basis",
]


def engagement_by_platform(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Per platform (sorted by name): platform + ENGAGEMENT_COLUMNS (posts, reach, impressions,
    views, engagements, engagement_rate_pct in %, spend in ₹, cpe in ₹, cpm in ₹ per 1,000, cpm_basis).
    Platforms with spend but no posts have posts 0 and undefined rates (None)."""
    posts = engagement_sums(wh, filters, settings, ("platform",))
    spend = sums_by(wh, filters, settings, ("platform",))[["platform", "spend"]]
    frame = spend.merge(posts, on="platform", how="outer")
    frame["posts"] = frame["posts"].fillna(0).astype(int)
    frame["spend"] = frame["spend"].fillna(0.0)
    frame = add_engagement_ratios(frame, settings, frame["spend"])
    return frame[["platform"] + ENGAGEMENT_COLUMNS].sort_values("platform").reset_index(drop=True)


def engagement_by_influencer(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Per influencer, in ranking order: influencer_id, name, platform, followers, posts, spend (₹),
    engagement_rate_pct (%), cpe (₹), cpm (₹ per 1,000)."""
    columns = ["influencer_id", "name", "platform", "followers", "posts", "spend", "engagement_rate_pct", "cpe", "cpm"]
    return ranking(wh, filters, settings)[columns]


def engagement_by_post(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, influencer_id: str | None = None
) -> pd.DataFrame:
    """Every post of the selection with its own rates.

    A post's cost is its influencer's spend in the selection shared equally over the influencer's
    posts in the selection (fees are per post; commissions cannot be told apart by post).
    """
    only = (["p.influencer_id = ?"], [influencer_id]) if influencer_id is not None else ([], [])
    where_sql, params = where(influencer_conditions(filters, settings), post_conditions(filters), only)
    posts = wh.query(
        f"""
        SELECT p.post_id, p.influencer_id, i.name, p.platform, p.date, p.brand, p.url, p.caption, p.reach,
               p.impressions, p.likes, p.comments, p.shares, p.saves, {VIEWS_SQL} AS views, p.engagements,
               count(*) OVER (PARTITION BY p.influencer_id) AS influencer_posts
        FROM posts p JOIN influencers i USING (influencer_id) {where_sql}
        ORDER BY p.date NULLS LAST, p.post_id""",
        params,
    )
    spend = sums_by(wh, filters, settings, ("influencer_id",), influencer_id=influencer_id)[["influencer_id", "spend"]]
    posts = posts.merge(spend, on="influencer_id", how="left")
    posts["cost"] = [ratio(s, n) for s, n in zip(posts["spend"].fillna(0.0), posts["influencer_posts"])]
    denominator = {"reach": "reach", "impressions": "impressions", "followers": None}[settings.engagement_basis]
    posts["engagement_rate_pct"] = [
        ratio(e, d, 100)
        for e, d in zip(posts["engagements"], posts[denominator] if denominator else [None] * len(posts))
    ]
    posts["cpe"] = [ratio(c, e) for c, e in zip(posts["cost"], posts["engagements"])]
    posts["cpm"] = [
        ratio(c, imp if pd.notna(imp) and imp else reach, 1000)
        for c, imp, reach in zip(posts["cost"], posts["impressions"], posts["reach"])
    ]
    return posts.drop(columns=["influencer_posts", "spend"])
