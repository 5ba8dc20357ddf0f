"""Pooled sums per group, and the ratios built on them (always ratio of sums, None when undefined)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from metrics import format as fmt
from metrics.catalogue import POOR_PERFORMER, apply_ratios, ratio_column
from metrics.filters import Filters
from metrics.selection import (
    INFLUENCER_GROUPS,
    fact_conditions,
    fact_table,
    group_sql,
    influencer_conditions,
    post_conditions,
    tier_sql,
    where,
)
from metrics.settings import Settings

# refunds: ₹ refunded (a positive amount), already netted into revenue.
SUMS = ("orders", "revenue", "refunds", "new_customers", "orders_without_user", "spend")


def ratio(numerator, denominator, scale: float = 1.0):
    """numerator / denominator × scale, or None where that is undefined (0 or missing denominator)."""
    if numerator is None or denominator is None:
        return None
    try:
        if pd.isna(numerator) or pd.isna(denominator) or denominator == 0:
            return None
    except TypeError:
        return None
    value = float(numerator) / float(denominator) * scale
    return value if math.isfinite(value) else None


def plain(value):
    """A Python scalar fit for JSON: numpy scalars become Python, NaN and ±inf become None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _only(influencer_id: str | None) -> tuple[list[str], list]:
    """The condition keeping one influencer (over `influencers i`), or none."""
    return (["i.influencer_id = ?"], [influencer_id]) if influencer_id is not None else ([], [])


def _per_influencer(
    filters: Filters, settings: Settings, sale_groups: tuple[str, ...], influencer_id: str | None
) -> tuple[str, list, tuple[str, ...]]:
    """SQL of the sums per sale group and influencer key (the `per` step), its parameters and measures.

    Influencer attributes are not grouped here: the caller joins `per` to `influencers` for them.
    """
    table = fact_table(filters, sale_groups)
    measures: tuple[str, ...] = SUMS
    sales_only: tuple[list[str], list] = ([], [])
    if "source" in sale_groups:
        # A tracking source is a property of sales; fixed costs have none, so a breakdown by source
        # has no spend, and lists the rows of sales only (cost rows carry no source of their own).
        measures = tuple(m for m in SUMS if m != "spend")
        sales_only = (["(" + " OR ".join(f"f.{m} <> 0" for m in measures) + ")"], [])
    group_columns = [f"{group_sql(g, settings)} AS {g}" for g in sale_groups]
    conditions = influencer_conditions(filters, settings)
    only = _only(influencer_id)
    join = "JOIN influencers i USING (influencer_key)" if conditions[0] or only[0] else ""
    where_sql, params = where(conditions, fact_conditions(filters), only, sales_only)
    inner = ", ".join(group_columns + ["f.influencer_key"] + [f"sum(f.{m}) AS {m}" for m in measures])
    return f"SELECT {inner} FROM {table} f {join} {where_sql} GROUP BY ALL", params, measures


def _influencers_with(
    filters: Filters, settings: Settings, groups: tuple[str, ...], influencer_id: str | None, also: str = ""
) -> tuple[str, list]:
    """`FROM influencers i [also] … JOIN per … WHERE …` over the selected influencers.

    Without a sale filter, influencers with no activity stay in (a left join: their sums are
    NULL and count as zero), so that they count as influencers of the selection.
    """
    keep_idle = not filters.has_sale_filter and all(g in INFLUENCER_GROUPS for g in groups)
    only = _only(influencer_id)
    where_sql, params = where(influencer_conditions(filters, settings), only)
    join = "LEFT JOIN" if keep_idle else "JOIN"
    return f"FROM influencers i {also} {join} per USING (influencer_key) {where_sql}", params


def sums_by(
    wh, filters: Filters, settings: Settings, groups: tuple[str, ...] = (), influencer_id: str | None = None
) -> pd.DataFrame:
    """Sums of every measure per group, with the known influencers, their followers and how many
    of them are poor performers (on their sums within the group).

    Sums are taken per group and influencer first, so an influencer is counted once per group
    however many cells it has.
    """
    sql, params = sums_by_sql(filters, settings, groups, influencer_id)
    frame = wh.query(sql, params)
    if "source" in groups:
        frame["spend"] = None
    return frame


def sums_by_sql(
    filters: Filters, settings: Settings, groups: tuple[str, ...] = (), influencer_id: str | None = None
) -> tuple[str, list]:
    """sums_by's query and its parameters (for callers that read it inside a larger query)."""
    sale_groups = tuple(g for g in groups if g not in INFLUENCER_GROUPS)
    per_sql, params, measures = _per_influencer(filters, settings, sale_groups, influencer_id)
    from_sql, from_params = _influencers_with(filters, settings, groups, influencer_id)
    keys = [f"per.{g} AS {g}" if g in sale_groups else f"{group_sql(g, settings)} AS {g}" for g in groups]
    # Poor performers (METRICS.md) among the known influencers of each group, on their sums there.
    poor = "NULL" if "source" in groups else f"count(*) FILTER (WHERE i.known AND {POOR_PERFORMER.sql(settings)})"
    sql = f"""
        WITH per AS ({per_sql})
        SELECT {"".join(f"{key}, " for key in keys)}
               count(*) FILTER (WHERE i.known) AS influencers,
               COALESCE(sum(i.follower_count) FILTER (WHERE i.known), 0) AS followers,
               {poor} AS poor_performers,
               {", ".join(f"COALESCE(sum(per.{m}), 0) AS {m}" for m in measures)}
        {from_sql}
        {"GROUP BY " + ", ".join(str(n) for n in range(1, len(groups) + 1)) if groups else ""}"""
    return sql, params + from_params


def influencer_rows(wh, filters: Filters, settings: Settings, influencer_id: str | None = None) -> pd.DataFrame:
    """Per influencer of the selection: attributes, sums of sales and spend, and post sums (one query)."""
    per_sql, params, measures = _per_influencer(filters, settings, (), influencer_id)
    posts_sql, posts_params = engagement_sums_sql(filters, settings, ("influencer_id",), influencer_id)
    from_sql, from_params = _influencers_with(
        filters, settings, ("influencer_id",), influencer_id, also="LEFT JOIN post_sums USING (influencer_id)"
    )
    sql = f"""
        WITH per AS ({per_sql}), post_sums AS ({posts_sql})
        SELECT i.influencer_id, {", ".join(f"COALESCE(per.{m}, 0) AS {m}" for m in measures)},
               i.name, i.platform, i.category, {tier_sql(settings)} AS tier, i.gender, i.persona, i.known,
               i.follower_count AS followers, post_sums.* EXCLUDE (influencer_id)
        {from_sql}"""
    return wh.query(sql, params + posts_params + from_params)


# Orders of the top-n lists the database can sort by itself: SQL over an influencer's revenue and spend.
TOP_ORDERS = {"revenue": "revenue", "roas": "CASE WHEN spend <> 0 THEN revenue / spend END"}


def top_by(wh, filters: Filters, settings: Settings, key: str, n: int) -> pd.DataFrame:
    """The n influencers of the selection with the highest `key` (a key of TOP_ORDERS: revenue, roas).

    Only influencers where the key is defined and finite, ties by influencer id. Columns:
    influencer_id, name, platform, revenue (₹), spend (₹). The database sorts; only n rows come back.
    Raises ValueError for a key outside TOP_ORDERS.
    """
    if key not in TOP_ORDERS:
        raise ValueError(f"top_by: unknown key {key!r}; choose from {', '.join(sorted(TOP_ORDERS))}")
    expression = TOP_ORDERS[key]
    per_sql, params, _ = _per_influencer(filters, settings, (), None)
    from_sql, from_params = _influencers_with(filters, settings, ("influencer_id",), None)
    sql = f"""
        WITH per AS ({per_sql}),
             sums AS (SELECT i.influencer_id, i.name, i.platform, COALESCE(per.revenue, 0) AS revenue,
                             COALESCE(per.spend, 0) AS spend {from_sql})
        SELECT * FROM sums WHERE isfinite({expression})
        ORDER BY {expression} DESC, influencer_id LIMIT ?"""
    return wh.query(sql, params + from_params + [int(n)])


def add_ratios(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """New customers (estimated where buyers are unknown) and the pooled ratios of each row."""
    frame = frame.copy()
    frame["new_customers"] = frame["new_customers"] + settings.new_customer_share * frame["orders_without_user"]
    frame["new_customers_estimated"] = frame["orders_without_user"] > 0
    return apply_ratios(frame)


def estimated_new_customers_note(orders, orders_without_user, settings: Settings) -> str | None:
    """What of a selection's new customers is estimated, for the card, chart note or PDF line that
    says so: the orders without a buyer id (no user_id or e-mail, a guest or a placeholder) each
    count as `new_customer_share` of a new customer; the others' buyers are counted. Said as "the
    sales carry no user ids" only where no order has a buyer. `orders`, `orders_without_user`:
    counts of the selection (kpis(), or a breakdown's rows summed); None where nothing is estimated."""
    orders, without = int(orders or 0), int(orders_without_user or 0)
    if without <= 0:
        return None
    share = fmt.share(settings.new_customer_share, 0)
    if without >= orders:
        return f"Estimated: {share} of orders (the sales carry no user ids)"
    return (
        f"Estimated for the {fmt.count(without)} of {fmt.counted(orders, 'order')} without a buyer id "
        f"({share} of them counted as new); the buyers of the other {fmt.count(orders - without)} are counted"
    )


def engagement_sums_sql(
    filters: Filters, settings: Settings, groups: tuple[str, ...], influencer_id: str | None
) -> tuple[str, list]:
    """engagement_sums' query and its parameters."""
    expressions = {
        "platform": "i.platform",
        "category": "i.category",
        "influencer_id": "p.influencer_id",
        "post_id": "p.post_id",
        "tier": group_sql("tier", settings),
    }
    group_columns = [f"{expressions[g]} AS {g}" for g in groups]
    only = _only(influencer_id)
    where_sql, params = where(influencer_conditions(filters, settings), post_conditions(filters), only)
    # Rates pool only over posts that report their denominator.
    sql = f"""
        SELECT {", ".join(group_columns) + ", " if groups else ""}
               count(*) AS posts,
               sum(p.reach) AS reach, sum(p.impressions) AS impressions, sum({VIEWS_SQL}) AS views,
               sum(p.engagements) AS engagements,
               sum(p.engagements) FILTER (WHERE p.reach IS NOT NULL) AS engagements_with_reach,
               sum(p.engagements) FILTER (WHERE p.impressions IS NOT NULL) AS engagements_with_impressions,
               sum(i.follower_count) FILTER (WHERE p.engagements IS NOT NULL) AS followers_reached,
               sum(p.engagements) FILTER (WHERE i.follower_count IS NOT NULL) AS engagements_with_followers
        FROM posts p JOIN influencers i USING (influencer_id) {where_sql}
        {"GROUP BY ALL" if groups else ""}"""
    return sql, params


# A post's views: 0 views on a post that reached people is not a count but a "not a video" (seed1's
# image posts give video_views 0 beside a reach of millions): undefined, shown "—", never summed as 0.
VIEWS_SQL = "CASE WHEN p.views = 0 AND p.reach > 0 THEN NULL ELSE p.views END"


def engagement_sums(
    wh, filters: Filters, settings: Settings, groups: tuple[str, ...] = (), influencer_id: str | None = None
) -> pd.DataFrame:
    """Posts, reach, impressions, engagements per group (posts of the selected influencers)."""
    return wh.query(*engagement_sums_sql(filters, settings, groups, influencer_id))


def add_engagement_ratios(frame: pd.DataFrame, settings: Settings, spend: pd.Series | None) -> pd.DataFrame:
    """A copy of an engagement_sums() frame with engagement_rate_pct (% of settings.engagement_basis)
    and, given the rows' spend (₹), cpe (₹ per engagement), cpm (₹ per 1,000 impressions, else reach)
    and cpm_basis ("impressions" / "reach"). Undefined ratios are None."""
    basis = settings.engagement_basis
    numerator = {
        "reach": "engagements_with_reach",
        "impressions": "engagements_with_impressions",
        "followers": "engagements_with_followers",
    }[basis]
    denominator = {"reach": "reach", "impressions": "impressions", "followers": "followers_reached"}[basis]
    columns = {"engagement_rate_pct": ratio_column(frame[numerator], frame[denominator], 100)}
    if spend is not None:
        columns["cpe"] = ratio_column(spend, frame["engagements"])
        has_impressions = pd.to_numeric(frame["impressions"], errors="coerce").fillna(0) > 0
        columns["cpm_basis"] = pd.Series(np.where(has_impressions, "impressions", "reach"), index=frame.index)
        columns["cpm"] = ratio_column(spend, frame["impressions"].where(has_impressions, frame["reach"]), 1000)
    # one concatenation (columns set one by one rebuild the column index each time: the KPIs call
    # this on one-row frames, where that overhead is the cost); existing columns are replaced
    kept = frame.drop(columns=[c for c in columns if c in frame.columns])
    return pd.concat([kept, pd.DataFrame({k: v.reindex(frame.index) for k, v in columns.items()})], axis=1)


def sums_over_time(wh, filters: Filters, settings: Settings, grain: str, influencer_id: str | None = None):
    """Sales and spend per period (day, week or month); a single pass, no per-influencer step."""
    only = _only(influencer_id)
    where_sql, params = where(influencer_conditions(filters, settings), fact_conditions(filters), only)
    sql = f"""SELECT {group_sql(grain, settings)} AS period, sum(f.orders) AS orders, sum(f.revenue) AS revenue,
                     sum(f.refunds) AS refunds, sum(f.spend) AS spend, sum(f.new_customers) AS new_customers,
                     sum(f.orders_without_user) AS orders_without_user
              FROM {fact_table(filters, (grain,))} f JOIN influencers i USING (influencer_key) {where_sql}
              GROUP BY ALL ORDER BY period NULLS LAST"""
    return wh.query(sql, params)


def sale_totals(wh, filters: Filters, settings: Settings) -> dict:
    """orders, revenue (₹, net of refunds) and spend (₹) of the selection: sums_by(wh, filters,
    settings)'s, the same SQL without its other measures, counts and followers (a page that shows
    only these reads them at half the cost)."""
    per_sql, params, _ = _per_influencer(filters, settings, (), None)
    from_sql, from_params = _influencers_with(filters, settings, (), None)
    orders, revenue, spend = (
        wh.connection()
        .execute(
            f"""WITH per AS ({per_sql})
                SELECT COALESCE(sum(per.orders), 0), COALESCE(sum(per.revenue), 0), COALESCE(sum(per.spend), 0)
                {from_sql}""",
            params + from_params,
        )
        .fetchone()
    )
    return {"orders": orders, "revenue": float(revenue), "spend": float(spend)}


def spend_by_influencer(wh, filters: Filters, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """(influencer_key ascending, spend ₹) of each influencer with a fact cell in the selection:
    sums_by(wh, filters, settings, ("influencer_id",))'s spend keyed by influencer_key, without the
    other measures. Influencers without a cell are left out (sums_by gives them 0 when no sale
    filter is set)."""
    per_sql, params, _ = _per_influencer(filters, settings, (), None)
    # `per` applies the influencer filters already; the join keeps known keys, as sums_by's does
    rows = (
        wh.connection()
        .execute(
            f"""WITH per AS ({per_sql})
                SELECT per.influencer_key, COALESCE(per.spend, 0) AS spend
                FROM per JOIN influencers i USING (influencer_key) ORDER BY per.influencer_key""",
            params,
        )
        .fetchnumpy()
    )
    return np.asarray(rows["influencer_key"]), np.asarray(rows["spend"], dtype=np.float64)
