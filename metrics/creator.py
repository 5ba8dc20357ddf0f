"""Everything the creator page and the one-creator report show about one creator, within a selection:
its figures against the comparison period, its verdict, its posts with their window revenue and
measured lift, and its contract. Built from the functions every other page uses (ranking,
comparison, lift, verdicts), so the numbers match the ranking, /lift and /plan.
"""

from __future__ import annotations

import pandas as pd

from metrics.comparison import changes, comparison_filters
from metrics.filters import Filters
from metrics.influencer import influencer_detail
from metrics.lift import METHOD_MEASURED, lift_status
from metrics.lift.view import lift_parts, summarise
from metrics.ranking import ranking
from metrics.settings import DEFAULT_SETTINGS, Settings

# The figures of the creator's KPI cards, each compared with the comparison period.
CARD_KEYS = ("revenue", "spend", "roas", "roi_pct", "orders", "cac", "engagement_rate_pct", "cpe")
POST_LIFT_COLUMNS = (
    "window_revenue",
    "baseline_revenue",
    "incremental_revenue",
    "incremental_revenue_low",
    "incremental_revenue_high",
    "lift_verdict",
)


def creator_view(wh, influencer_id: str, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The creator page's figures.

    Keys: everything of metrics.influencer_detail (profile, sales_over_time, sales_by_post, posts,
    payouts), plus comparison ({mode, start, end, kpis (the creator's ranking row over the comparison
    window, None without one), change ({key: relative change or None} for CARD_KEYS)}), profile keys
    incremental_revenue(_low/_high) (₹), incremental_roas (×), marginal_roas (×), verdict and
    verdict_reason, lift_method ("event-window" / "assumed-baseline"), and posts with POST_LIFT_COLUMNS
    (₹; None where the lift is not measured or the post has no window in the data).
    Raises UnknownInfluencer for an id the data set does not have.
    """
    from metrics.planning.verdicts import with_verdicts
    from metrics.summary import with_lift

    detail = influencer_detail(wh, influencer_id, filters, settings)
    method = lift_status(wh, settings)[0]
    row = pd.DataFrame([detail["profile"]])
    row = with_verdicts(wh, with_lift(wh, row, filters, settings, method), filters, settings)
    profile = row.iloc[0].to_dict()
    profile["lift_method"] = method
    other = comparison_filters(wh, filters)
    then = None
    if other is not None:
        previous = ranking(wh, other, settings, influencer_id=influencer_id)
        then = previous.iloc[0].to_dict() if not previous.empty else {}
    detail["profile"] = profile
    detail["comparison"] = {
        "mode": filters.compare,
        "start": other.start if other else None,
        "end": other.end if other else None,
        "kpis": then,
        "change": changes(profile, then, CARD_KEYS),
    }
    detail["posts"] = posts_with_lift(wh, influencer_id, detail["posts"], filters, settings, method)
    return detail


def posts_with_lift(
    wh, influencer_id: str, posts: pd.DataFrame, filters: Filters, settings: Settings, method: str
) -> pd.DataFrame:
    """`posts` (metrics.engagement_by_post rows of one creator) with each post's window revenue,
    baseline, incremental revenue and its interval (₹) and lift_verdict (metrics.lift.view.summarise,
    the /lift page's post level): None for every post where the lift is not measured."""
    posts = posts.copy()
    for column in POST_LIFT_COLUMNS:
        posts[column] = None
    if method != METHOD_MEASURED or posts.empty:
        return posts
    parts = lift_parts(wh, "post", filters, settings)
    parts = parts[parts["influencer_id"] == influencer_id]
    if parts.empty:
        return posts
    table = summarise(wh, parts, settings)
    post_ids = parts.drop_duplicates("part").set_index("part")["post_id"]
    table["post_id"] = table["part"].map(post_ids)
    table = table.rename(columns={"verdict": "lift_verdict"}).set_index("post_id")
    for column in POST_LIFT_COLUMNS:
        values = posts["post_id"].map(table[column])
        posts[column] = [None if pd.isna(v) else v for v in values]
    return posts
