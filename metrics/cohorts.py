"""Time series by sale date or by post (cohort), a rolling ROAS and the partial last periods.

By sale date (metrics.timeseries) a post's fee lands on the post's day and its sales over the
following weeks, so ROAS per week swings. By post (cohort), every cell of the facts that lies in a
post's window is dated by that post: the post's fee (cost that follows posts sits on the post's
day) and the sales of its window with the cost that follows them (commissions, per-order fees)
all land on the day the post was published, so ROAS per week is the return of that week's posts.
Windows are the incrementality windows (docs/metrics.md "Incrementality"): a post's day and the
`lift_window_days − 1` days after; where one creator's windows overlap, a day belongs to the
latest post started on or before it (DuckDB ASOF JOIN), so nothing is counted twice. Cells in no
window (sales far from any post, cost of creators without dated posts) are left out and counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from metrics.aggregate import ratio_column
from metrics.breakdowns import timeseries
from metrics.catalogue import TIME_GROUPS
from metrics.dataset import sale_date_bounds
from metrics.filters import Filters
from metrics.selection import fact_conditions, fact_table, group_sql, influencer_conditions, where
from metrics.settings import DEFAULT_SETTINGS, Settings

BASES = ("sale", "cohort")
ROLLING_DAYS = 28  # the rolling ROAS: four weeks (day and week grains)
SERIES_COLUMNS = ["period", "revenue", "orders", "spend", "roas", "rolling_roas", "partial"]


def time_series(
    wh,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    grain: str = "week",
    basis: str = "sale",
    influencer_id: str | None = None,
) -> pd.DataFrame:
    """Revenue, orders, spend and ROAS per period, by sale date (`basis="sale"`) or by post
    (`basis="cohort"`), with rolling_roas (×: Σ revenue ÷ Σ spend over the periods starting in
    the last 28 days, day and week grains; None for months or without spend) and partial (bool:
    the period is only partly covered: it starts before the data's first sale or the selection's
    start, or ends after the last sale date or the selection's end; by post, also while a window of
    one of its posts is open).

    Columns: SERIES_COLUMNS; period is a date (day, week start) or 'YYYY-MM' (month).
    attrs["undated"] (by sale date: revenue, orders, spend without a date) or attrs["outside"] (by
    post: revenue, orders, spend of the selection in no post's window), attrs["basis"],
    attrs["window_days"]. Raises ValueError for an unknown grain or basis.
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    if grain not in TIME_GROUPS:
        raise ValueError(f"grain must be one of {TIME_GROUPS}")
    if basis == "sale":
        frame = timeseries(wh, filters, settings, grain, influencer_id=influencer_id)
        attrs = {"undated": frame.attrs.get("undated", {})}
    else:
        frame, attrs = cohort_sums(wh, filters, settings, grain, influencer_id)
        frame["roas"] = ratio_column(frame["revenue"], frame["spend"])
    first_sale, last_sale = sale_date_bounds(wh)
    frame = frame.reset_index(drop=True)
    frame["rolling_roas"] = rolling_roas(frame, grain)
    open_days = settings.lift_window_days - 1 if basis == "cohort" else 0
    first_day = max(d for d in (first_sale, filters.start) if d) if first_sale or filters.start else None
    frame["partial"] = [
        is_partial(period, grain, last_sale, open_days, first_day, filters.end) for period in frame["period"]
    ]
    frame = frame[SERIES_COLUMNS]
    frame.attrs.update(attrs, basis=basis, window_days=settings.lift_window_days)
    return frame


def cohort_sums(
    wh, filters: Filters, settings: Settings, grain: str, influencer_id: str | None = None, by: str | None = None
) -> tuple[pd.DataFrame, dict]:
    """Sums per period of the posts' days (by post): (frame with period (and `by`: brand or
    campaign, where given), revenue, orders, spend; {"outside": revenue, orders, spend in no
    window}). Influencer and sale filters select cells as everywhere; a date range selects posts by
    their day (with their whole window), and the cells in no window by their own day."""
    if by not in (None, "brand", "campaign"):
        raise ValueError("by must be brand or campaign")
    undated = dataclasses.replace(filters, start=None, end=None, period=None)
    table = fact_table(undated, ("day",) + ((by,) if by else ()))
    split = f", f.{by}" if by else ""
    only = (["i.influencer_id = ?"], [influencer_id]) if influencer_id is not None else ([], [])
    cells_where, cells_params = where(influencer_conditions(filters, settings), fact_conditions(undated), only)
    posts_where, posts_params = where(fact_conditions(Filters(start=filters.start, end=filters.end)))
    window = settings.lift_window_days
    owned = f"""
        WITH post_days AS (
            SELECT DISTINCT i.influencer_key, p.date
            FROM posts p JOIN influencers i USING (influencer_id) WHERE p.date IS NOT NULL),
        cells AS (
            SELECT f.influencer_key, f.date, f.revenue, f.orders, f.spend{split}
            FROM {table} f JOIN influencers i USING (influencer_key)
            {cells_where} {"AND" if cells_where else "WHERE"} f.date IS NOT NULL),
        owned AS (
            SELECT c.*, d.date AS post_date, c.date < d.date + {int(window)} AS in_window
            FROM cells c ASOF LEFT JOIN post_days d ON c.influencer_key = d.influencer_key AND c.date >= d.date)"""
    by_post = wh.query(
        f"""{owned}
        SELECT {group_sql(grain, settings)} AS period{split}, sum(f.revenue) AS revenue, sum(f.orders) AS orders,
               sum(f.spend) AS spend
        FROM (SELECT post_date AS date, revenue, orders, spend{", " + by if by else ""} FROM owned WHERE in_window) f
        {posts_where}
        GROUP BY ALL ORDER BY period""",
        cells_params + posts_params,
    )
    outside = wh.query(
        f"""{owned}
        SELECT COALESCE(sum(revenue), 0) AS revenue, COALESCE(sum(orders), 0) AS orders,
               COALESCE(sum(spend), 0) AS spend
        FROM (SELECT date, revenue, orders, spend FROM owned WHERE in_window IS NOT TRUE) f
        {posts_where}""",
        cells_params + posts_params,
    ).iloc[0]
    return by_post, {"outside": {key: float(outside[key]) for key in ("revenue", "orders", "spend")}}


def rolling_roas(frame: pd.DataFrame, grain: str) -> pd.Series:
    """Pooled ROAS (Σ revenue ÷ Σ spend) over the periods starting within the last ROLLING_DAYS
    days of each period (day: 28 days, week: 4 weeks); None for months and where spend is 0."""
    if grain == "month" or frame.empty:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    indexed = frame.set_index(pd.to_datetime(frame["period"]))[["revenue", "spend"]].astype(float)
    sums = indexed.rolling(f"{ROLLING_DAYS}D").sum()
    return pd.Series(ratio_column(sums["revenue"], sums["spend"]).to_numpy(), index=frame.index, dtype=object)


def period_end(period, grain: str) -> dt.date:
    """The last day of a period: the day; the week's Sunday; the month's last day."""
    if grain == "month":
        year, month = (int(part) for part in str(period).split("-"))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    start = pd.Timestamp(period).date()
    return start + dt.timedelta(days=6 if grain == "week" else 0)


def period_start(period, grain: str) -> dt.date:
    """The first day of a period: the day; the week's Monday; the month's first day."""
    if grain == "month":
        year, month = (int(part) for part in str(period).split("-"))
        return dt.date(year, month, 1)
    return pd.Timestamp(period).date()


def is_partial(
    period,
    grain: str,
    last_sale: dt.date | None,
    open_days: int = 0,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
) -> bool:
    """True when the figures of the period are incomplete: it, plus `open_days` (a post's window
    after its day), ends after the last sale date; or it starts before `first_day` (the data's first
    sale, or the selection's start when later) or ends after `last_day` (the selection's end), so
    only part of its days can hold figures (a first month of data beginning on the 6th)."""
    if period is None or (isinstance(period, float) and pd.isna(period)):
        return False
    end = period_end(period, grain)
    if last_sale is not None and end + dt.timedelta(days=open_days) > last_sale:
        return True
    if last_day is not None and end > last_day:
        return True
    return first_day is not None and period_start(period, grain) < first_day


def campaign_series(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, grain: str = "week", basis: str = "sale"
) -> pd.DataFrame:
    """Revenue, orders, spend (₹) and roas (×) per campaign and period (column named by the grain:
    week or month), by sale date (metrics.breakdown) or by post (cohort_sums). Undated periods are
    left out. Raises ValueError for an unknown grain or basis."""
    from metrics.breakdowns import breakdown

    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    if basis == "sale":
        frame = breakdown(wh, ["campaign", grain], filters, settings)
        return frame[frame[grain].notna() & (frame[grain].astype(str) != "Undated")].reset_index(drop=True)
    frame, _ = cohort_sums(wh, filters, settings, grain, by="campaign")
    frame["roas"] = ratio_column(frame["revenue"], frame["spend"])
    return frame.rename(columns={"period": grain})
