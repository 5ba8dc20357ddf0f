"""Measured incrementality of a selection, read from the import-time lift tables.

`lift_table(wh, by, filters, settings)` and `lift_totals(wh, filters, settings)` answer from
`lift_posts`, `lift_creators`, `lift_draws` and `lift_mix` (warehouse/lift_tables.py): no estimate
is recomputed per request. Rules for a selection (docs/metrics.md, "Measured incrementality"):
- influencer attributes (platform, category, tier) select whole creators;
- a date range keeps the posts dated inside it (a post's whole window counts with its post);
- brand, campaign and product keep each post's share of its window's attributed revenue in the
  chosen values (its lift is split like its window sales);
- a part's interval comes from its creators' bootstrap draws, each scaled by the part's share of
  the creator's window baseline, summed over creators (draws share days, so sums keep their
  correlation); point estimates of the parts add up to the whole.
The draws of a window are read once per warehouse file version and process (_all_draws).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from metrics.filters import Filters
from metrics.lift.method import interval
from metrics.selection import influencer_conditions, tier_sql, where
from metrics.settings import DEFAULT_SETTINGS, Settings

LEVELS = ("post", "influencer", "tier", "platform", "campaign", "brand")
METHOD_MEASURED, METHOD_ASSUMED = "event-window", "assumed-baseline"
NOT_DISTINGUISHABLE = "not distinguishable from baseline"


def lift_status(wh, settings: Settings = DEFAULT_SETTINGS) -> tuple[str, str | None]:
    """(method, reason): "event-window" and None where the data set supports a measurement at the
    setting's window, else "assumed-baseline" and why not."""
    row = wh.query("SELECT status, reason FROM lift_info WHERE window_days = ?", [settings.lift_window_days])
    if row.empty:
        return METHOD_ASSUMED, "the data set was imported without lift tables"
    if row["status"].iloc[0] != "measured":
        return METHOD_ASSUMED, str(row["reason"].iloc[0])
    return METHOD_MEASURED, None


def _selected_posts(wh, filters: Filters, settings: Settings) -> pd.DataFrame:
    conditions = influencer_conditions(filters, settings)
    dates: tuple[list[str], list] = ([], [])
    if filters.start:
        dates[0].append("p.date >= ?")
        dates[1].append(filters.start)
    if filters.end:
        dates[0].append("p.date <= ?")
        dates[1].append(filters.end)
    where_sql, params = where((["p.window_days = ?"], [settings.lift_window_days]), conditions, dates)
    return wh.query(
        f"""
        SELECT p.post_no, ps.post_id, p.influencer_key, i.influencer_id, i.name, i.platform,
               {tier_sql(settings)} AS tier, p.date, p.days_in_window, p.window_revenue, p.window_orders,
               p.baseline_revenue, p.baseline_orders, p.incremental_revenue, p.incremental_orders,
               c.level AS baseline_per_day, c.baseline_revenue AS creator_baseline
        FROM lift_posts p JOIN influencers i USING (influencer_key)
        JOIN lift_creators c ON c.window_days = p.window_days AND c.influencer_key = p.influencer_key
        LEFT JOIN (SELECT rowid AS post_no, post_id FROM posts) ps USING (post_no)
        {where_sql} ORDER BY p.influencer_key, p.date, p.post_no""",
        params,
    )


def _sale_shares(wh, posts: pd.DataFrame, filters: Filters, settings: Settings, by: str | None) -> pd.DataFrame:
    """post_no, value (the `by` value, or "all"), share of the post's window revenue in the
    selection's brands/campaigns/products and that value. Posts whose window sold nothing keep
    their whole lift under "Unattributed" (or wholly in the selection without a sale filter)."""
    sale_filter = [
        (name, getattr(filters, name)) for name in ("brand", "campaign", "product") if getattr(filters, name)
    ]
    if not sale_filter and by not in ("campaign", "brand"):
        return pd.DataFrame({"post_no": posts["post_no"], "value": "all", "share": 1.0})
    conditions = " AND ".join(f"m.{name} IN ({', '.join('?' * len(values))})" for name, values in sale_filter) or "true"
    params = [v for _, values in sale_filter for v in values]
    value = f"m.{by}" if by in ("campaign", "brand") else "'all'"
    shares = wh.query(
        f"""
        WITH mix AS (SELECT * FROM lift_mix m WHERE m.window_days = ? AND m.post_no IN (SELECT unnest(?)))
        SELECT m.post_no, {value} AS value,
               sum(m.revenue) FILTER (WHERE {conditions}) / any_value(t.total) AS share
        FROM mix m JOIN (SELECT post_no, sum(revenue) AS total FROM mix GROUP BY post_no) t USING (post_no)
        WHERE t.total <> 0 GROUP BY ALL""",
        [settings.lift_window_days, posts["post_no"].astype("int64").tolist()] + params,
    )
    shares = shares[shares["share"].fillna(0) != 0]
    silent = posts.loc[~posts["post_no"].isin(shares["post_no"]), ["post_no"]]
    if not sale_filter:
        shares = pd.concat([shares, silent.assign(value="Unattributed", share=1.0)], ignore_index=True)
    return shares


def _draws(wh, keys: np.ndarray, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """(keys in order, (len(keys), R) deviations of each creator's draws from its estimate, ₹)."""
    if len(keys) == 0:
        return keys, np.zeros((0, 0))
    stat = wh.path.stat()
    all_keys, deviations = _all_draws(str(wh.path), stat.st_ino, stat.st_mtime_ns, settings.lift_window_days)
    ordered = np.intersect1d(all_keys, keys)
    return ordered, deviations[np.searchsorted(all_keys, ordered)]


@functools.lru_cache(maxsize=3)
def _all_draws(path: str, inode: int, mtime_ns: int, window_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Every creator's draw deviations of one window, read once per warehouse file version and
    window (an import replaces the file, so a new version has a new key): immutable arrays, 2 MB
    per thousand creators. Pages then only select and sum rows."""
    from warehouse import Warehouse

    rows = (
        Warehouse(path)
        .connection()
        .execute(
            """
        SELECT d.influencer_key, d.value - c.incremental_revenue AS deviation
        FROM lift_draws d JOIN lift_creators c USING (window_days, influencer_key)
        WHERE d.window_days = ? ORDER BY d.influencer_key, d.draw""",
            [window_days],
        )
        .fetchnumpy()
    )
    keys = np.unique(rows["influencer_key"])
    deviations = (
        np.asarray(rows["deviation"], dtype=np.float32).reshape(len(keys), -1)
        if len(keys)
        else np.zeros((0, 0), dtype=np.float32)
    )
    deviations.setflags(write=False)
    keys.setflags(write=False)
    return keys, deviations


def lift_parts(wh, by: str, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The selection's measured lift split by `by` (one of LEVELS): one row per (part, post) with
    the part's share of the post: columns part, post_no, post_id, influencer_key, influencer_id,
    name, platform, tier, date, share and the post's window figures (₹, orders, days)."""
    if by not in LEVELS:
        raise ValueError(f"by must be one of {', '.join(LEVELS)}")
    posts = _selected_posts(wh, filters, settings)
    shares = _sale_shares(wh, posts, filters, settings, by)
    rows = posts.merge(shares, on="post_no")
    part = {
        "post": rows["post_no"].astype(str),
        "influencer": rows["influencer_id"],
        "tier": rows["tier"],
        "platform": rows["platform"],
        "campaign": rows["value"],
        "brand": rows["value"],
    }[by]
    return rows.assign(part=part)


def summarise(wh, parts: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per part: posts, days_in_window, window_revenue, baseline_revenue, incremental_revenue,
    incremental_revenue_low/high (₹, at settings.lift_confidence), incremental_orders, verdict
    ("positive", "negative" or NOT_DISTINGUISHABLE); attrs["total_draws"]: the summed draw deviations."""
    share = parts["share"].to_numpy(dtype=float)
    part_codes, part_names = pd.factorize(parts["part"], sort=False)
    count = len(part_names)

    def summed(column):
        return np.bincount(part_codes, weights=parts[column].to_numpy(dtype=float) * share, minlength=count)

    table = pd.DataFrame(
        {"part": part_names, "posts": np.bincount(part_codes, minlength=count)}
    )  # a post once per part
    for column in (
        "days_in_window",
        "window_revenue",
        "window_orders",
        "baseline_revenue",
        "incremental_revenue",
        "incremental_orders",
    ):
        table[column] = summed(column)
    creator_baseline = parts["creator_baseline"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        draw_weight = np.where(
            creator_baseline != 0, parts["baseline_revenue"].to_numpy(dtype=float) * share / creator_baseline, 0.0
        )
    keys, deviations = _draws(wh, np.unique(parts["influencer_key"]), settings)
    if len(keys):
        weights = np.zeros((count, len(keys)))
        np.add.at(weights, (part_codes, np.searchsorted(keys, parts["influencer_key"].to_numpy())), draw_weight)
        part_draws = weights @ deviations
    else:
        part_draws = np.zeros((count, 1))
    low, high = interval(part_draws, settings.lift_confidence)
    table["incremental_revenue_low"] = table["incremental_revenue"] + low
    table["incremental_revenue_high"] = table["incremental_revenue"] + high
    table["verdict"] = np.select(
        [table["incremental_revenue_low"] > 0, table["incremental_revenue_high"] < 0],
        ["positive", "negative"],
        NOT_DISTINGUISHABLE,
    )
    table.attrs["total_draws"] = part_draws.sum(axis=0)
    table.attrs["part_draws"] = part_draws  # (parts, R) ₹, rows as the table's: the planner's curves use them
    return table


BY_GROUP = {
    "influencer": "influencer_id",
    "tier": "tier",
    "platform": "platform",
    "campaign": "campaign",
    "brand": "brand",
}


def lift_table(
    wh, by: str = "influencer", filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """The measured lift of the selection at one level (LEVELS), largest incremental revenue first
    (ties by the part's name). Columns: the level's key (post: post_no, post_id, influencer_id, name, date;
    influencer: influencer_id, name, platform, tier; else the level's value), posts,
    days_in_window, baseline_per_day (₹: the creator's, or the sum of the part's creators'),
    window_revenue, baseline_revenue, incremental_revenue, incremental_revenue_low/high (₹),
    incremental_orders, spend (₹; None for posts), incremental_roas (×, None where spend is 0),
    verdict. Empty where the data set cannot support a measurement (see lift_status)."""
    from metrics.aggregate import ratio_column, sums_by

    parts = lift_parts(wh, by, filters, settings)
    table = summarise(wh, parts, settings)
    first = parts.drop_duplicates("part").set_index("part")
    levels = parts.drop_duplicates(["part", "influencer_key"]).groupby("part")["baseline_per_day"].sum()
    table["baseline_per_day"] = table["part"].map(levels)
    if by == "post":
        for column in ("post_id", "influencer_id", "name", "date"):
            table[column] = table["part"].map(first[column])
        table["post_no"] = table["part"].astype("int64")
        table["spend"] = None
    else:
        key = BY_GROUP[by]
        table[key] = table["part"]
        if by == "influencer":
            for column in ("name", "platform", "tier"):
                table[column] = table["part"].map(first[column])
        spend = sums_by(wh, filters, settings, (key,)).set_index(key)["spend"]
        table["spend"] = table["part"].map(spend)
    table["incremental_roas"] = ratio_column(table["incremental_revenue"], table["spend"])
    table = table.sort_values(["incremental_revenue", "part"], ascending=[False, True]).reset_index(drop=True)
    return table.drop(columns=["part"])


def lift_totals(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The selection's measured incremental revenue: keys method ("event-window" or
    "assumed-baseline"), reason (why assumed, else None), window_days, confidence,
    incremental_revenue, incremental_revenue_low, incremental_revenue_high (₹; low/high None when
    assumed), incremental_orders, window_revenue, baseline_revenue, posts."""
    method, reason = lift_status(wh, settings)
    base = {
        "method": method,
        "reason": reason,
        "window_days": settings.lift_window_days,
        "confidence": settings.lift_confidence,
    }
    if method != METHOD_MEASURED:
        return base
    parts = lift_parts(wh, "influencer", filters, settings)
    if parts.empty:
        return {**base, "method": METHOD_ASSUMED, "reason": "no post of the selection has a window in the data"}
    table = summarise(wh, parts, settings)
    point = float(table["incremental_revenue"].sum())
    low, high = interval(table.attrs["total_draws"], settings.lift_confidence)
    return {
        **base,
        "incremental_revenue": point,
        "incremental_revenue_low": point + float(low),
        "incremental_revenue_high": point + float(high),
        "incremental_orders": float(table["incremental_orders"].sum()),
        "window_revenue": float(table["window_revenue"].sum()),
        "baseline_revenue": float(table["baseline_revenue"].sum()),
        "posts": int(table["posts"].sum()),
    }


EVENT_MARGIN_DAYS = 14  # days shown either side of a post's window in its event chart


def lift_event(wh, post_no: int, settings: Settings = DEFAULT_SETTINGS) -> dict | None:
    """One post's event chart data: keys post_id, influencer_id, name, date, window_start,
    window_end (dates), incremental_revenue (₹, the post's share of its creator's merged window)
    and `days`, a DataFrame of date, revenue (₹ actual attributed revenue of the creator that day),
    baseline, band_low, band_high (₹: the creator's baseline and the 5 %–95 % range of its quiet
    days, by weekday and the day's common factor). None for a post without lift figures."""
    post = wh.query(
        """
        SELECT p.date, p.days_in_window, p.incremental_revenue, p.influencer_key, i.influencer_id, i.name,
               ps.post_id, c.level, c.daily_low, c.daily_high, li.weekday_index, li.daily_factor, li.first_day,
               li.last_day
        FROM lift_posts p JOIN influencers i USING (influencer_key)
        JOIN lift_creators c ON c.window_days = p.window_days AND c.influencer_key = p.influencer_key
        JOIN lift_info li ON li.window_days = p.window_days
        LEFT JOIN (SELECT rowid AS post_no, post_id FROM posts) ps USING (post_no)
        WHERE p.window_days = ? AND p.post_no = ?""",
        [settings.lift_window_days, int(post_no)],
    )
    if post.empty:
        return None
    row = post.iloc[0]
    day = pd.Timestamp(row["date"])
    window_end = day + pd.Timedelta(days=settings.lift_window_days - 1)
    start = max(day - pd.Timedelta(days=EVENT_MARGIN_DAYS), pd.Timestamp(row["first_day"]))
    end = min(window_end + pd.Timedelta(days=EVENT_MARGIN_DAYS), pd.Timestamp(row["last_day"]))
    sales = wh.query(
        """SELECT date, sum(revenue) AS revenue FROM facts_day
                        WHERE influencer_key = ? AND date BETWEEN ? AND ? GROUP BY date""",
        [int(row["influencer_key"]), start.date(), end.date()],
    )
    dates = pd.date_range(start, end, freq="D")
    revenue = pd.Series(sales["revenue"].to_numpy(), index=pd.to_datetime(sales["date"])).reindex(dates, fill_value=0.0)
    offset = (dates - pd.Timestamp(row["first_day"])).days
    index = np.asarray(row["weekday_index"], dtype=float)[dates.weekday] * np.asarray(row["daily_factor"])[offset]
    days = pd.DataFrame(
        {
            "date": dates,
            "revenue": revenue.to_numpy(),
            "baseline": row["level"] * index,
            "band_low": row["daily_low"] * index,
            "band_high": row["daily_high"] * index,
        }
    )
    return {
        "post_id": row["post_id"],
        "influencer_id": row["influencer_id"],
        "name": row["name"],
        "date": day,
        "window_start": day,
        "window_end": window_end,
        "incremental_revenue": float(row["incremental_revenue"]),
        "days": days,
    }
