"""Import-time tables of the measured incrementality (metrics/lift/method.py), one set per window
length offered (7, 14, 28 days), so that no page recomputes the heavy part:

- `lift_info`: per window: status (`measured` or `unsupported`), reason, first/last day of the
  panel, weekday index, bootstrap block length, draws, seed, the common daily factor of each panel day;
- `lift_creators`: per window and influencer_key: quiet days, credibility, baseline per day (₹ and
  orders), the 5 %/95 % band of a quiet day, window days, window revenue/orders, baseline and
  incremental revenue/orders;
- `lift_posts`: per window and post (`post_no` = the post's rowid in `posts`): the same window figures;
- `lift_draws`: per window, influencer_key and draw number: a bootstrap draw of the creator's
  incremental revenue (₹, `value`) and the window-noise part of its deviation from the estimate
  (₹, `noise`: a part of the creator's windows scales it by √share, the rest by the share;
  metrics/lift/view.py, part_draws);
- `lift_mix`: per window, post and (brand, campaign, product): the attributed revenue of the post's
  window days in that cell (how sale filters and per-campaign/brand views share a post's lift).

Tiers for pooling use the default follower bounds (metrics.settings.Settings).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
from threadpoolctl import threadpool_limits

from metrics.lift.method import DRAWS, SEED, Panel, estimate, quiet_days
from metrics.settings import DEFAULT_SETTINGS
from metrics.settings import LIFT_WINDOW_CHOICES as WINDOW_CHOICES

MIN_PANEL_DAYS = 28  # fewer days of dated sales cannot separate a baseline from a window
MIN_QUIET_SALE_DAYS = 30  # creator-days with sales far from any post: fewer cannot estimate a baseline
CREATOR_COLUMNS = (
    "quiet_days",
    "credibility",
    "level",
    "level_orders",
    "daily_low",
    "daily_high",
    "days_in_window",
    "window_revenue",
    "window_orders",
    "baseline_revenue",
    "baseline_orders",
    "incremental_revenue",
    "incremental_orders",
)
POST_COLUMNS = (
    "days_in_window",
    "window_revenue",
    "window_orders",
    "baseline_revenue",
    "baseline_orders",
    "incremental_revenue",
    "incremental_orders",
)


def build_lift_tables(con, meanwhile: Callable[[], None] | None = None) -> None:
    """Create the lift_* tables in the import's connection (after the fact tables exist).

    The windows are estimated at the same time in threads (numpy and the compiled kernels of the
    draws release the GIL, and each estimate is deterministic on its own), then written in window
    order: creators come in influencer_key order and draws in draw order, so `lift_draws` is
    stored sorted by (window_days, influencer_key, draw) as it is inserted. `meanwhile` (other
    import work on `con`, e.g. the customer cohorts' SQL) runs on this thread while the estimates
    are made: the estimates use no connection, and DuckDB releases the GIL, so the two overlap.
    BLAS runs on one thread meanwhile: its own workers would only spin beside these (threadpoolctl);
    draws then differ from a threaded BLAS's in their last bits, as they already did between machines."""
    _create_empty(con)
    panel, creators, posts, first_day, reason = load_panel(con)
    windows = sorted(WINDOW_CHOICES)
    refusals = {window: _refusal(panel, window, reason) for window in windows}
    measured = [window for window in windows if refusals[window] is None]
    workers = max(1, min(len(measured), os.cpu_count() or 1))
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(estimate, panel, window) for window in measured]
        if meanwhile is not None:
            meanwhile()
        results = {window: future.result() for window, future in zip(measured, futures)}
    for window in windows:
        if window in results:
            _write(con, window, results[window], creators, posts, first_day, panel)
        else:
            con.execute(
                "INSERT INTO lift_info VALUES (?, 'unsupported', ?, ?, ?, NULL, NULL, NULL, NULL, NULL)",
                [window, refusals[window], first_day, _last_day(first_day, panel)],
            )
    _write_mix(con, results, posts, creators, first_day)


def _refusal(panel: Panel | None, window: int, reason: str | None) -> str | None:
    """Why the data cannot support a measurement with this window length (None: it can). Pages and
    the PDF show the reason inside parentheses, so it holds none of its own (tester h4 F11)."""
    if reason is not None:
        return reason
    assert panel is not None  # load_panel gives a panel whenever it gives no reason
    if not _has_window(panel, window):
        return "no post lies in or just before the dated sales"
    quiet_sales = int((quiet_days(panel, window) & (panel.revenue != 0)).sum())
    if quiet_sales < MIN_QUIET_SALE_DAYS:
        return (
            f"too little history: {quiet_sales} creator-days with sales far from posts"
            f"; at least {MIN_QUIET_SALE_DAYS} needed"
        )
    return None


def _create_empty(con):
    con.execute("""CREATE TABLE lift_info (window_days INTEGER, status VARCHAR, reason VARCHAR, first_day DATE,
                   last_day DATE, weekday_index DOUBLE[], block_length DOUBLE, draws INTEGER, seed BIGINT,
                   daily_factor DOUBLE[])""")
    con.execute(
        "CREATE TABLE lift_creators (window_days INTEGER, influencer_key INTEGER, "
        + ", ".join(f"{c} DOUBLE" for c in CREATOR_COLUMNS)
        + ")"
    )
    con.execute(
        "CREATE TABLE lift_posts (window_days INTEGER, post_no BIGINT, influencer_key INTEGER, date DATE, "
        + ", ".join(f"{c} DOUBLE" for c in POST_COLUMNS)
        + ")"
    )
    con.execute(
        "CREATE TABLE lift_draws (window_days INTEGER, influencer_key INTEGER, draw SMALLINT, value FLOAT, noise FLOAT)"
    )
    con.execute("""CREATE TABLE lift_mix AS SELECT 0::INTEGER AS window_days, 0::BIGINT AS post_no, brand, campaign,
                   product, 0::DOUBLE AS revenue FROM facts WHERE false""")


def load_panel(con):
    """(Panel, creators frame, posts frame, first day, reason or None): the day × creator panel of
    dated attributed sales; reason says why the data cannot support a measurement."""
    creators = con.execute("SELECT influencer_key, follower_count, known FROM influencers ORDER BY influencer_key").df()
    span = con.execute("""SELECT min(date), max(date) FROM facts_day
                          WHERE date IS NOT NULL AND (orders <> 0 OR revenue <> 0)""").fetchone()
    posts = con.execute("""SELECT p.rowid AS post_no, i.influencer_key, p.date FROM posts p
                           JOIN influencers i USING (influencer_id) WHERE p.date IS NOT NULL ORDER BY p.rowid""").df()
    if span[0] is None:
        return None, creators, posts, None, "no dated sales"
    first_day, last_day = pd.Timestamp(span[0]), pd.Timestamp(span[1])
    days = (last_day - first_day).days + 1
    if days < MIN_PANEL_DAYS:
        return (
            None,
            creators,
            posts,
            first_day.date(),
            f"only {days} days of dated sales; at least {MIN_PANEL_DAYS} needed",
        )
    if posts.empty:
        return None, creators, posts, first_day.date(), "no dated posts"
    sales = con.execute("""SELECT influencer_key, date, sum(orders) AS orders, sum(revenue) AS revenue
                           FROM facts_day WHERE date IS NOT NULL AND (orders <> 0 OR revenue <> 0)
                           GROUP BY ALL""").df()
    index = {key: n for n, key in enumerate(creators["influencer_key"])}
    column = sales["influencer_key"].map(index).to_numpy()
    row = (pd.to_datetime(sales["date"]) - first_day).dt.days.to_numpy()
    revenue = np.zeros((days, len(creators)))
    orders = np.zeros((days, len(creators)))
    np.add.at(revenue, (row, column), sales["revenue"].to_numpy(dtype=float))
    np.add.at(orders, (row, column), sales["orders"].to_numpy(dtype=float))
    # A post outside the days of dated sales has no sales around it to measure: it is left out
    # (dated cost rows alone, e.g. a fee on a day without sales, must not widen the panel).
    offset = (pd.to_datetime(posts["date"]) - first_day).dt.days
    posts = posts[(offset >= 0) & (offset < days)].reset_index(drop=True)
    if posts.empty:
        return None, creators, posts, first_day.date(), "no dated posts within the days of dated sales"
    post_creator = posts["influencer_key"].map(index).to_numpy()
    post_day = (pd.to_datetime(posts["date"]) - first_day).dt.days.to_numpy()
    # Every creator is taken to be active over the whole period of dated sales: a span from its
    # own first to last sale would make its endpoints sales by construction, and the days after
    # its last sale (often a post's window) would sit outside its baseline.
    active = np.ones((days, len(creators)), dtype=bool)
    followers = creators["follower_count"].where(creators["known"])
    group = np.array([_tier_number(f) for f in followers])
    weekday = ((np.arange(days) + first_day.day_of_week) % 7).astype(np.int64)
    panel = Panel(
        revenue=revenue,
        orders=orders,
        active=active,
        weekday=weekday,
        post_creator=post_creator.astype(np.int64),
        post_day=post_day.astype(np.int64),
        group=group,
    )
    return panel, creators, posts, first_day.date(), None


def _tier_number(followers) -> int:
    names = ("Nano", "Micro", "Mid", "Macro", "Mega")
    return 5 if pd.isna(followers) else names.index(DEFAULT_SETTINGS.tier_of(followers))


def _has_window(panel: Panel, window: int) -> bool:
    days = panel.revenue.shape[0]
    return bool(((panel.post_day > -window) & (panel.post_day < days)).any())


def _last_day(first_day, panel):
    if first_day is None or panel is None:
        return None
    return first_day + pd.Timedelta(days=panel.revenue.shape[0] - 1)


def _write(con, window, result, creators, posts, first_day, panel):
    con.execute(
        "INSERT INTO lift_info VALUES (?, 'measured', NULL, ?, ?, ?, ?, ?, ?, ?)",
        [
            window,
            first_day,
            _last_day(first_day, panel),
            [float(x) for x in result.weekday_index],
            result.block_length,
            DRAWS,
            SEED,
            [float(x) for x in result.daily_factor],
        ],
    )
    creator_table = pa.table(
        {
            "window_days": pa.array(np.full(len(creators), window), pa.int32()),
            "influencer_key": pa.array(creators["influencer_key"].to_numpy(), pa.int32()),
            **{c: np.asarray(result.creator[c], dtype=float) for c in CREATOR_COLUMNS},
        }
    )
    con.register("lift_creator_rows", creator_table)
    con.execute("INSERT INTO lift_creators SELECT * FROM lift_creator_rows")
    post_table = pa.table(
        {
            "window_days": pa.array(np.full(len(posts), window), pa.int32()),
            "post_no": posts["post_no"].to_numpy(),
            "influencer_key": pa.array(posts["influencer_key"].to_numpy(), pa.int32()),
            "date": pa.array(pd.to_datetime(posts["date"]).dt.date),
            **{c: np.asarray(result.post[c], dtype=float) for c in POST_COLUMNS},
        }
    )
    con.register("lift_post_rows", post_table)
    con.execute("INSERT INTO lift_posts SELECT * FROM lift_post_rows")
    draws = result.draws.shape[1]
    draw_table = pa.table(
        {
            "window_days": pa.array(np.full(result.draws.size, window), pa.int32()),
            "influencer_key": pa.array(np.repeat(creators["influencer_key"].to_numpy(), draws), pa.int32()),
            "draw": pa.array(np.tile(np.arange(draws), len(creators)), pa.int16()),
            "value": pa.array(result.draws.ravel().astype(np.float32)),
            "noise": pa.array(result.noise.ravel().astype(np.float32)),
        }
    )
    con.register("lift_draw_rows", draw_table)
    con.execute("INSERT INTO lift_draws SELECT * FROM lift_draw_rows")
    for name in ("lift_creator_rows", "lift_post_rows", "lift_draw_rows"):
        con.unregister(name)


def _write_mix(con, results, posts, creators, first_day):
    """Each post's window days (of every measured window length: `results`, the estimates by
    window), joined to the fact cells of its creator on those days in one pass over `facts`."""
    if not results:
        return
    epoch_day = (pd.Timestamp(first_day) - pd.Timestamp("1970-01-01")).days
    parts = []
    for window, result in sorted(results.items()):
        assigned = result.assigned
        rows, columns = np.nonzero(assigned >= 0)
        parts.append(
            pa.table(
                {
                    "window_days": pa.array(np.full(len(rows), window), pa.int32()),
                    "post_no": posts["post_no"].to_numpy()[assigned[rows, columns]],
                    "influencer_key": pa.array(creators["influencer_key"].to_numpy()[columns], pa.int32()),
                    "date": pa.array((rows + epoch_day).astype(np.int32)).cast(pa.date32()),
                }
            )
        )
    con.register("lift_window_day_rows", pa.concat_tables(parts))
    with _without_partial_aggregates(con):
        con.execute(
            """INSERT INTO lift_mix
                       SELECT w.window_days, w.post_no, f.brand, f.campaign, f.product, sum(f.revenue)
                       FROM lift_window_day_rows w JOIN facts f USING (influencer_key, date)
                       WHERE f.revenue <> 0 GROUP BY ALL ORDER BY w.window_days, w.post_no"""
        )
    con.unregister("lift_window_day_rows")


@contextlib.contextmanager
def _without_partial_aggregates(con):
    """DuckDB 2 pushes a partial sum below the join into both sides, grouping `facts` by its five
    keys and the window days by theirs: neither has a duplicate to merge, and the two groupings
    took half of the statement's CPU (10M line items: 1.0 → 0.55 s of CPU without them)."""
    (before,) = con.execute("SELECT current_setting('disabled_optimizers')").fetchone()
    con.execute("SET disabled_optimizers = ?", [",".join(filter(None, [before, "partial_aggregate_pushdown"]))])
    try:
        yield
    finally:
        con.execute("SET disabled_optimizers = ?", [before])
