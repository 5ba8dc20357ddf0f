"""Everything about one influencer within the selection: profile, ratios, sales over time, posts, terms."""

from __future__ import annotations

from metrics.cohorts import time_series
from metrics.engagement import engagement_by_post
from metrics.filters import Filters
from metrics.ltv import with_ltv
from metrics.payouts import with_file_rows, with_rate
from metrics.planning.verdicts import with_recorded_cost
from metrics.ranking import ranking
from metrics.settings import DEFAULT_SETTINGS, Settings


class UnknownInfluencer(KeyError):
    """No influencer with this id in the selection's ranking (influencer_detail)."""

    pass


def influencer_detail(
    wh, influencer_id: str, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS
) -> dict:
    """The influencer's row of the ranking (its ratios), its sales over time, posts and payout rows.

    The ranking position is the one within the whole selection, so it matches the ranking table.

    Keys: profile (the ranking row as a dict, with metrics.ltv's LTV_COLUMNS and, on a row of sales
    without a post or spend, recorded_cost (metrics.planning.verdicts.with_recorded_cost); rank None when the
    influencer has nothing in the selection: then its sums are 0 and its ratios None, never its
    figures of other dates or filters), sales_over_time and sales_by_post (metrics.cohorts.time_series by week, by sale date
    and by post), posts (engagement_by_post() rows), payouts
    (its payout rows: row_no and row_file (metrics.payouts.with_file_rows), basis, rate_text, posts, orders, total_revenue, terms_cost,
    total_payout, gifted_cost, other_cost, total_cost in ₹), pooled_roas (× of the whole selection's
    creators, None without spend: the bar the attributed verdict compares with). Raises UnknownInfluencer for an id
    the data set does not have.
    """
    ranked = ranking(wh, filters, settings)
    row = ranked[ranked["influencer_id"] == influencer_id]
    if row.empty:
        profile = ranking(wh, Filters(), settings, influencer_id=influencer_id)
        if profile.empty:
            raise UnknownInfluencer(influencer_id)
        row = _without_figures(profile.assign(rank=None))
    # the cost outside a selection without its posts, so a ₹0 spend's note need not blame the payouts
    row = with_recorded_cost(wh, with_ltv(wh, row, filters, settings))
    payouts = wh.query(
        """SELECT row_no, basis, rate_text, fee_per_post, per_order AS per_order_fee, commission_pct, posts, orders, total_revenue, terms_cost, total_payout,
                                 gifted_cost, other_cost, total_cost
                          FROM payouts WHERE influencer_id = ? ORDER BY row_no""",
        [influencer_id],
    )
    return {
        "profile": row.iloc[0].to_dict(),
        "sales_over_time": time_series(wh, filters, settings, "week", "sale", influencer_id=influencer_id),
        "sales_by_post": time_series(wh, filters, settings, "week", "cohort", influencer_id=influencer_id),
        "posts": engagement_by_post(wh, filters, settings, influencer_id=influencer_id),
        "payouts": with_rate(with_file_rows(wh, payouts)),
        "pooled_roas": _pooled_roas(ranked),
    }


def _without_figures(row):
    """The all-time row of a creator with nothing in the selection, its figures replaced: a sum of
    the catalogue 0, every other figure (ratios, shares, scores, the poor-performer flag) None."""
    from metrics.catalogue import CATALOGUE, Sum

    row = row.copy()
    for column in row.columns:
        metric = CATALOGUE.get(column)
        if metric is not None and column != "followers":  # followers describe the creator, not the dates
            row[column] = 0.0 if isinstance(metric.computed, Sum) else None
    row["poor_performer"] = None
    return row


def _pooled_roas(ranked) -> float | None:
    spend = float(ranked["spend"].fillna(0).sum())
    return float(ranked["revenue"].fillna(0).sum()) / spend if spend > 0 else None
