"""Everything the creator page and the one-creator report show about one creator, within a selection:
its figures against the comparison period, its verdict, its posts with their window revenue and
measured lift, and its contract. Built from the functions every other page uses (ranking,
comparison, lift, verdicts), so the numbers match the ranking, /lift and /plan.
"""

from __future__ import annotations

import pandas as pd

from metrics.comparison import changes, comparison_filters, coverage_notice
from metrics.filters import Filters
from metrics.influencer import influencer_detail
from metrics.lift import (
    METHOD_MEASURED,
    NO_POST,
    NOT_DISTINGUISHABLE,
    interval_verdict,
    interval_words,
    lift_status,
    no_post_words,
)
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


CONTRACT_SCOPE = (
    "Whole contract: the payout rows as the payouts file gives them (totals over the whole period), "
    "never cut by the filters."
)


def contract_scope(filters: Filters) -> str:
    """What the contract block covers: always the whole period (payout rows carry no date, brand or
    campaign); with a date or sale filter, says that the filters apply to the figures above only."""
    if not filters.has_sale_filter:
        return CONTRACT_SCOPE
    return (
        CONTRACT_SCOPE + " The selection's dates, brand, campaign or product apply to the cards and charts "
        "above (the spend there is the contract's cost that falls in the selection), not to these amounts."
    )


def creator_exists(wh, influencer_id: str) -> bool:
    """Whether the data set has an influencer with this id (as the creator page reads it)."""
    return bool(wh.scalar("SELECT count(*) > 0 FROM influencers WHERE influencer_id = ?", [influencer_id]))


def lift_basis(profile: dict) -> str:
    """What a creator's incremental figures and verdict rest on, named for the page and its PDF:
    the lift window (days) and interval confidence where lift is measured, else the assumed
    baseline. `profile`: creator_view's (keys lift_method, lift_window_days, lift_confidence)."""
    from metrics import format as fmt

    days = profile.get("lift_window_days")
    if profile.get("lift_method") != METHOD_MEASURED:
        return f"{days} days chosen, lift not measured"
    confidence = fmt.share(profile.get("lift_confidence"), 0)
    return f"{days} days after each post ({confidence} interval)"


def lift_interval(profile: dict) -> str:
    """A creator's lift interval as its page and PDF print it beside "Interval": "₹400 to ₹2,000",
    with ": not distinguishable from baseline" where it includes 0 (interval_words), "no post in the
    selection (…)" where a measured creator has none (no_post_words: no interval of ₹0 to ₹0), or
    "not measured (assumed baseline)". The label is said once: where the verdict's reason already says
    it (a review because the interval includes 0) it stays in the reason, which explains the
    verdict, and the row gives the bounds alone; a reason naming another bar (ROAS < 1x) leaves
    the label here. `profile`: creator_view's (lift_method, incrementality_method and _reason,
    incremental_revenue_low/_high ₹, verdict_reason)."""
    from metrics import format as fmt

    if profile.get("lift_method") != METHOD_MEASURED:
        return "not measured (assumed baseline)"
    if words := no_post_words(profile):
        return words
    low, high = profile.get("incremental_revenue_low"), profile.get("incremental_revenue_high")
    if NOT_DISTINGUISHABLE in str(profile.get("verdict_reason") or ""):
        return f"{fmt.inr(low)} to {fmt.inr(high)}"
    return interval_words(low, high, fmt.inr)


def creator_view(wh, influencer_id: str, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The creator page's figures.

    Keys: everything of metrics.influencer_detail (profile, sales_over_time, sales_by_post, posts,
    payouts), plus comparison ({mode, start, end, kpis (the creator's ranking row over the comparison
    window, None without one), change ({key: relative change or None} for CARD_KEYS), notice and
    undefined (metrics.comparison.coverage_notice's text or None, and whether it leaves every
    change undefined)}), profile keys
    incremental_revenue(_low/_high) (₹), incremental_roas (×), marginal_roas (×), verdict and
    verdict_reason, lift_method ("event-window" / "assumed-baseline"), incrementality_method (the
    same), incrementality_reason (metrics.lift.NO_POST where measured and the creator has no post in
    the selection, else None) and incrementality_verdict (metrics.lift.interval_verdict of the
    creator's interval; None when assumed or without a post), and posts with POST_LIFT_COLUMNS
    (₹; None where the lift is not measured or the post has no window in the data); posts.attrs
    ["unlisted"] (posts, window_revenue, incremental_revenue ₹): the lift of posts a sale filter leaves
    out of the list but whose windows sold in the selection. Raises UnknownInfluencer for an id the data set does not have.
    """
    from metrics.planning.verdicts import with_verdicts

    detail = influencer_detail(wh, influencer_id, filters, settings)
    method = lift_status(wh, settings)[0]
    # The creator's posts' lift parts, once: summed per post for the list, per creator for the
    # verdict (the rows metrics.summary.with_lift sums for the ranking, so the figures agree).
    parts = _creator_parts(wh, influencer_id, filters, settings) if method == METHOD_MEASURED else None
    row = _with_creator_lift(wh, pd.DataFrame([detail["profile"]]), parts, filters, settings, method)
    profile = with_verdicts(wh, row, filters, settings, pooled_roas=detail.pop("pooled_roas")).iloc[0].to_dict()
    profile["lift_method"] = method
    profile |= _incrementality_reading(profile, parts, method)
    profile["lift_window_days"] = settings.lift_window_days
    profile["lift_confidence"] = settings.lift_confidence
    other = comparison_filters(wh, filters)
    then = None
    if other is not None:
        previous = ranking(wh, other, settings, influencer_id=influencer_id)
        then = previous.iloc[0].to_dict() if not previous.empty else {}
    undefined, notice = coverage_notice(wh, filters, other)
    detail["profile"] = profile
    detail["comparison"] = {
        "mode": filters.compare,
        "start": other.start if other else None,
        "end": other.end if other else None,
        "kpis": then,
        "change": changes(profile, None if undefined else then, CARD_KEYS),
        "notice": notice,
        "undefined": undefined,
    }
    detail["posts"] = posts_with_lift(wh, detail["posts"], parts, settings)
    return detail


def _incrementality_reading(profile: dict, parts: pd.DataFrame | None, method: str) -> dict:
    """The keys the selection's figures carry (metrics.kpis: incrementality_method, _reason, _verdict),
    so the creator's cards, verdict block and PDF read the selection's rules (metrics.lift
    no_post_words, indistinguishable_note): a measured creator without a post in the selection
    (no post's lift parts: its ₹0 is the sum over no post) reads NO_POST and has no interval
    verdict, as the overview does; else the verdict of its interval (None when assumed)."""
    no_post = method == METHOD_MEASURED and (parts is None or parts.empty)
    measured = method == METHOD_MEASURED and not no_post
    return {
        "incrementality_method": method,
        "incrementality_reason": NO_POST if no_post else None,
        "incrementality_verdict": (
            interval_verdict(profile["incremental_revenue_low"], profile["incremental_revenue_high"])
            if measured
            else None
        ),
    }


def _creator_parts(wh, influencer_id: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    parts = lift_parts(wh, "post", filters, settings)
    return parts[parts["influencer_id"] == influencer_id]


def _with_creator_lift(wh, row: pd.DataFrame, parts, filters: Filters, settings: Settings, method: str):
    """The creator's row with its measured lift and interval (0 without a post window, as the
    ranking), or the assumed-baseline figures (metrics.summary.with_lift)."""
    from metrics.aggregate import ratio_column
    from metrics.summary import with_lift

    if method != METHOD_MEASURED:
        return with_lift(wh, row, filters, settings, method)
    row = row.copy()
    totals = {"incremental_revenue": 0.0, "incremental_revenue_low": 0.0, "incremental_revenue_high": 0.0}
    no_post = parts is None or parts.empty
    if not no_post:
        table = summarise(wh, parts.assign(part=parts["influencer_id"]), settings)
        totals = {column: float(table[column].iloc[0]) for column in totals}
    for column, value in totals.items():
        row[column] = value
    # no post: ₹0 over no post is no return measured on the spend ("—", as metrics.kpis.incrementality)
    row["incremental_roas"] = None if no_post else ratio_column(row["incremental_revenue"], row["spend"])
    return row


def posts_with_lift(wh, posts: pd.DataFrame, parts: pd.DataFrame | None, settings: Settings) -> pd.DataFrame:
    """`posts` (metrics.engagement_by_post rows of one creator) with each post's window revenue,
    baseline, incremental revenue and its interval (₹) and lift_verdict from `parts` (the creator's
    metrics.lift.view.lift_parts rows at the post level; None where the lift is not measured): None
    for a post without a window in the data."""
    posts = posts.copy()
    for column in POST_LIFT_COLUMNS:
        posts[column] = None
    if parts is None or parts.empty or posts.empty:
        return posts
    table = summarise(wh, parts, settings)
    post_ids = parts.drop_duplicates("part").set_index("part")["post_id"]
    table["post_id"] = table["part"].map(post_ids)
    table = table.rename(columns={"verdict": "lift_verdict"}).set_index("post_id")
    for column in POST_LIFT_COLUMNS:
        values = posts["post_id"].map(table[column])
        posts[column] = [None if pd.isna(v) else v for v in values]
    # Under a brand / campaign / product filter the list keeps the posts naming it, while the lift
    # counts every post's share of window sales there: what the listed posts leave out, said.
    unlisted = table[~table.index.isin(posts["post_id"])]
    posts.attrs["unlisted"] = {
        "posts": int(len(unlisted)),
        "window_revenue": float(unlisted["window_revenue"].sum()),
        "incremental_revenue": float(unlisted["incremental_revenue"].sum()),
    }
    return posts
