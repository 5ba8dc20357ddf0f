"""Measured incrementality of a selection, read from the import-time lift tables.

`lift_table(wh, by, filters, settings)` and `lift_totals(wh, filters, settings)` answer from
`lift_posts`, `lift_creators`, `lift_draws` and `lift_mix` (warehouse/lift_tables.py): no estimate
is recomputed per request. Rules for a selection (docs/metrics.md, "Measured incrementality"):
- influencer attributes (platform, category, tier) select whole creators;
- a date range keeps the posts dated inside it (a post's whole window counts with its post);
- brand, campaign and product keep each post's share of its window's attributed revenue in the
  chosen values (its lift is split like its window sales);
- a part's interval comes from its creators' bootstrap draws, summed over creators (draws share
  days, so sums keep their correlation); point estimates of the parts add up to the whole. A part
  holding share W of a creator's window baseline takes W × the draws' level error plus √W × their
  window noise (part_draws): the level is one error for all of the creator's windows, while the
  noise of disjoint windows is nearly independent (blocks of 1–1.4 days), so the spread of a sum
  of n days grows with √n (Künsch 1989; Politis and Romano 1994).
The draws of a window are read once per warehouse file version and process (_all_draws), with
each creator's interval (_creator_intervals): a whole creator's interval (W = 1) is its stored
one; a part of one creator takes the percentiles of its own draws (chunked); parts of several
creators sum draws (sparse products).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from metrics.filters import Filters
from metrics.lift.method import interval
from metrics.selection import influencer_conditions, tier_sql, where
from metrics.settings import DEFAULT_SETTINGS, Settings

LEVELS = ("post", "influencer", "tier", "platform", "campaign", "brand")
METHOD_MEASURED, METHOD_ASSUMED = "event-window", "assumed-baseline"
NOT_DISTINGUISHABLE = "not distinguishable from baseline"
#: lift_totals' reason where the data set is measured but the selection holds no post: its lift is
#: the sum over no post, ₹0 (docs/metrics.md), never the assumed baseline's share of its revenue.
NO_POST = "no post in the selection"
NO_POST_WHY = "a post's lift counts in the range of its date"


def lift_status(wh, settings: Settings = DEFAULT_SETTINGS) -> tuple[str, str | None]:
    """(method, reason): "event-window" and None where the data set supports a measurement at the
    setting's window, else "assumed-baseline" and why not. Read once per warehouse file version
    and window (a page asks several times per request)."""
    try:
        version = _file_version(wh, settings)
    except FileNotFoundError:
        wh.connection()  # raises WarehouseMissing, naming the path
        raise
    return _lift_status(*version)


# Why an append moves past periods' incremental figures (docs/metrics.md "Incrementality", the
# panel): each creator's baseline is its quiet days over every day of the data set, so new days
# (zero-sale days for a creator without appended rows) and new sales re-estimate every baseline.
REBASELINED = (
    "Re-estimated baselines: lift is measured against each creator's quiet days over every day of "
    "the data set, now {first} – {last} (a creator without sales on a day counts it as a day without "
    "sales), so past periods' incremental figures may change."
)


def rebaselined_note(wh, settings: Settings = DEFAULT_SETTINGS) -> str | None:
    """REBASELINED with the data set's first and last sale dates, what `hkdash import --append`
    prints after an append; None where lift is not measured (an assumed baseline re-estimates
    nothing) or no sale is dated."""
    from metrics import format as fmt
    from metrics.dataset import sale_date_bounds

    first, last = sale_date_bounds(wh)
    if first is None or lift_status(wh, settings)[0] != METHOD_MEASURED:
        return None
    return REBASELINED.format(first=fmt.date(first), last=fmt.date(last))


@functools.lru_cache(maxsize=8)
def _lift_status(path: str, inode: int, mtime_ns: int, window_days: int) -> tuple[str, str | None]:
    from warehouse import Warehouse

    row = Warehouse(path).query("SELECT status, reason FROM lift_info WHERE window_days = ?", [window_days])
    if row.empty:
        return METHOD_ASSUMED, "the data set was imported without lift tables"
    if row["status"].iloc[0] != "measured":
        return METHOD_ASSUMED, str(row["reason"].iloc[0])
    return METHOD_MEASURED, None


def _posts_where(filters: Filters, settings: Settings) -> tuple[str, list]:
    """(WHERE clause, params) choosing the window's posts `p` of the creators the influencer
    filters match, dated in the selection's range (joined with influencers `i`)."""
    conditions = influencer_conditions(filters, settings)
    dates: tuple[list[str], list] = ([], [])
    if filters.start:
        dates[0].append("p.date >= ?")
        dates[1].append(filters.start)
    if filters.end:
        dates[0].append("p.date <= ?")
        dates[1].append(filters.end)
    return where((["p.window_days = ?"], [settings.lift_window_days]), conditions, dates)


def _selected_posts(wh, filters: Filters, settings: Settings) -> pd.DataFrame:
    where_sql, params = _posts_where(filters, settings)
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


class _SharedArray(np.ndarray):
    """A read-only array that DataFrame.attrs shares: pandas deep-copies attrs on every operation
    (column access, filter, assign), and draws are 20 MB per 5,000 creators."""

    def __deepcopy__(self, memo):
        return self


def shared(array: np.ndarray) -> np.ndarray:
    """`array` as a read-only view that pandas' attrs propagation passes on without copying;
    np.asarray() of it is a plain array again."""
    view = np.asarray(array).view(_SharedArray)
    view.setflags(write=False)
    return view


def _file_version(wh, settings: Settings) -> tuple[str, int, int, int]:
    """The cache key of a warehouse file version and window: an import replaces the file, so a
    new version has a new inode / mtime and the old entries are never read again."""
    stat = wh.path.stat()
    return str(wh.path), stat.st_ino, stat.st_mtime_ns, settings.lift_window_days


@functools.lru_cache(maxsize=3)
def _all_draws(path: str, inode: int, mtime_ns: int, window_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every creator's draw deviations and their noise parts of one window, read once per
    warehouse file version and window (an import replaces the file, so a new version has a new
    key): immutable arrays, 8 MB per thousand creators. Pages then only select and sum rows."""
    from warehouse import Warehouse

    arrays = read_deviations(Warehouse(path).connection(), window_days)
    for array in arrays:
        array.setflags(write=False)
    return arrays


def read_deviations(connection, window_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """draw_deviations of one window's lift_draws and lift_creators rows (a DuckDB connection)."""
    # through Arrow: half the CPU of fetchnumpy for these 2.5 million rows per window at 5,000 creators
    draws = connection.sql(
        "SELECT influencer_key, draw, value, noise FROM lift_draws WHERE window_days = $window",
        params={"window": window_days},
    ).to_arrow_table()
    creators = connection.execute(
        "SELECT influencer_key, incremental_revenue FROM lift_creators WHERE window_days = ? ORDER BY influencer_key",
        [window_days],
    ).fetchnumpy()
    return draw_deviations(
        draws.column("influencer_key").to_numpy(),
        draws.column("draw").to_numpy(),
        draws.column("value").to_numpy(),
        draws.column("noise").to_numpy(),
        np.asarray(creators["influencer_key"]),
        np.asarray(creators["incremental_revenue"], dtype=np.float64),
    )


def draw_deviations(
    key: np.ndarray,
    draw: np.ndarray,
    value: np.ndarray,
    noise: np.ndarray,
    creator_keys: np.ndarray,
    incremental: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys, (creators, R) deviations ₹, (creators, R) their noise parts ₹) from lift_draws rows
    (influencer_key, draw, value, noise) and lift_creators' (sorted influencer_key,
    incremental_revenue): each draw minus its creator's incremental revenue, rows in key order and
    draws in draw order, creators without a lift row left out. The subtraction is float64 and the
    result rounded to float32 (as stored), then float64."""
    if len(key) > 1 and not np.all((key[1:] > key[:-1]) | ((key[1:] == key[:-1]) & (draw[1:] > draw[:-1]))):
        # the import stores them in (influencer_key, draw) order (warehouse/lift_tables.py), which a
        # plain scan keeps; sorting costs ~3x the read, so only a file written otherwise pays it
        order = np.lexsort((draw, key))
        key, value, noise = key[order], value[order], noise[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=int)
    keys, counts = key[starts], np.diff(np.r_[starts, len(key)])
    position = np.searchsorted(creator_keys, keys)
    found = position < len(creator_keys)
    found[found] = creator_keys[position[found]] == keys[found]
    if not found.any():
        return keys[:0], np.zeros((0, 0)), np.zeros((0, 0))
    if (counts != counts[0]).any():
        raise ValueError("lift_draws holds a different number of draws for some creators: import the data set again")
    # a (creators, R) view of the draws, each row minus its creator's figure in float64 (one pass),
    # creators without a lift row left out
    centre = incremental[np.minimum(position, len(creator_keys) - 1)][found]
    deviations = np.subtract(value.reshape(len(keys), -1)[found], centre[:, None], dtype=np.float64)
    noise_part = noise.reshape(len(keys), -1)[found].astype(np.float64)
    return keys[found], deviations.astype(np.float32).astype(np.float64), noise_part


@functools.lru_cache(maxsize=6)
def _creator_intervals(
    path: str, inode: int, mtime_ns: int, window_days: int, confidence: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys, low, high): each creator's percentile interval of its draw deviations (₹, keys as
    _all_draws'), once per file version, window and confidence: 16 bytes per creator. At the
    default confidence the import stored them (lift_intervals, warehouse/lift_rollups.py); at
    another they are taken from the draws. Exact for whole creators only (W = 1): a part of a
    creator's windows has its own draws (part_draws)."""
    from warehouse import Warehouse

    stored = (
        Warehouse(path)
        .connection()
        .execute(
            "SELECT influencer_key, low, high FROM lift_intervals WHERE window_days = ? AND confidence = ? "
            "ORDER BY influencer_key",
            [window_days, confidence],
        )
        .fetchnumpy()
    )
    if len(stored["influencer_key"]):
        keys, low, high = (np.asarray(stored[c]) for c in ("influencer_key", "low", "high"))
    else:
        keys, deviations, _ = _all_draws(path, inode, mtime_ns, window_days)
        low, high = interval(deviations, confidence) if deviations.size else (np.zeros(0),) * 2
    for array in (keys, low, high):
        array.setflags(write=False)
    return keys, low, high


def _draw_weights(wh, parts: pd.DataFrame, part_codes: np.ndarray, count: int, settings: Settings):
    """(sparse (parts, creators) weights, (creators, R) deviations ₹, (creators, R) noise ₹): a
    part's draws are part_draws of them, W the part's share of each creator's window baseline.
    Creators are _all_draws' rows; a part's posts name few of them, so the matrix is sparse."""
    keys, deviations, noise = _all_draws(*_file_version(wh, settings))
    creator_baseline = parts["creator_baseline"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        draw_weight = np.where(
            creator_baseline != 0,
            parts["baseline_revenue"].to_numpy(dtype=float) * parts["share"].to_numpy(dtype=float) / creator_baseline,
            0.0,
        )
    creator = parts["influencer_key"].to_numpy()
    position = np.searchsorted(keys, creator)
    found = position < len(keys)
    found[found] = keys[position[found]] == creator[found]
    weights = share_matrix(part_codes[found], position[found], draw_weight[found], (count, len(keys)))
    return weights, deviations, noise


def share_matrix(part: np.ndarray, creator: np.ndarray, share: np.ndarray, shape: tuple[int, int]):
    """Sparse (parts, creators) shares W of creators' window baselines, one entry per (part,
    creator): a creator's several posts in one part are summed first. A creator has one noise draw
    per bootstrap draw; the disjoint windows of two posts add variances, so together they take
    √(W₁ + W₂) of it (√W₁ + √W₂ would add them as if perfectly correlated)."""
    weights = sparse.csr_matrix((share, (part, creator)), shape=shape)
    weights.sum_duplicates()
    return weights


def noise_share(w: np.ndarray) -> np.ndarray:
    """The extra weight of a creator's noise draws in a part holding share w of its window
    baseline: sign(w)·√|w| − w (the deviations already carry w). 0 where w = 1, so whole creators
    keep their draws bit for bit. A share below 0 (a sale filter's values whose window revenue is
    negative: refunds) keeps its sign; its noise spreads with √|w| like any other."""
    return np.sign(w) * np.sqrt(np.abs(w)) - w


def noise_weights(weights):
    """noise_share of every stored (part, creator) share of sparse weights (summed per pair first:
    weights in canonical form)."""
    extra = weights.copy()
    extra.data = noise_share(extra.data)
    return extra


def part_draws(weights, deviations: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """(parts, R) ₹ draw deviations of parts holding shares W (sparse (parts, creators), summed per
    pair) of creators' window baselines: Σ over creators of W·L + sign(W)·√|W|·N, L = deviations −
    noise the level's error and N the window noise (two sparse products)."""
    return weights @ deviations + noise_weights(weights) @ noise


WHOLE_CREATOR = 1e-9  # |W − 1| up to which a creator's share is the whole (sums of its posts' shares)
CHUNK_PARTS = 4096  # one-creator parts whose draws are made at once: 16 MB at 500 draws


def _part_intervals(wh, weights, deviations: np.ndarray, noise: np.ndarray, settings: Settings):
    """(parts,) low and high deviations (₹) of each part's draws at settings.lift_confidence.
    Parts of at most one creator (a post, an influencer) take _one_creator_intervals; parts of
    several creators (a tier, a brand) sum their draws and take the percentiles of the sums."""
    count = weights.shape[0]
    if weights.nnz == 0:
        return np.zeros(count), np.zeros(count)
    if weights.getnnz(axis=1).max() > 1:
        return interval(part_draws(weights, deviations, noise), settings.lift_confidence)
    one = weights.tocoo()
    # the columns are _all_draws' creators, the same keys as _creator_intervals' (both from draw_deviations)
    low, high = np.zeros(count), np.zeros(count)
    low[one.row], high[one.row] = _one_creator_intervals(wh, one.col, one.data, settings)
    return low, high


def _one_creator_intervals(wh, column: np.ndarray, w: np.ndarray, settings: Settings, made=None):
    """(low, high) deviations (₹) of parts of one creator each (`column`: its row in _all_draws,
    `w`: the part's share of its window baseline). A whole creator (w = 1) has its stored interval
    (_creator_intervals: no draws read); a part of its windows the percentiles of its own draws
    w·L + √w·N (part_draws' rule, made CHUNK_PARTS parts at a time, or taken from `made`:
    (part_draws' (rows, R) result, each part's row in it) where the caller has them)."""
    version = _file_version(wh, settings)
    _, creator_low, creator_high = _creator_intervals(*version, settings.lift_confidence)
    low, high = w * creator_low[column], w * creator_high[column]
    part = np.flatnonzero(np.abs(w - 1) > WHOLE_CREATOR)
    if not len(part):
        return low, high
    _, deviations, noise = _all_draws(*version)
    for start in range(0, len(part), CHUNK_PARTS):
        chosen = part[start : start + CHUNK_PARTS]
        if made is None:
            share, creator = w[chosen, None], column[chosen]
            draws = share * deviations[creator] + noise_share(share) * noise[creator]
        else:
            draws = made[0][made[1][chosen]]
        low[chosen], high[chosen] = interval(draws, settings.lift_confidence)
    return low, high


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


SUMMED_COLUMNS = (
    "days_in_window",
    "window_revenue",
    "window_orders",
    "baseline_revenue",
    "incremental_revenue",
    "incremental_orders",
)
SUMMARY_COLUMNS = ("posts", *SUMMED_COLUMNS, "incremental_revenue_low", "incremental_revenue_high", "verdict")


def _chosen_posts_sql(filters: Filters, settings: Settings) -> tuple[str, str, list]:
    """(the CTE `chosen_posts`, the join giving each of its rows `s.share`, params of both) for
    the rules of lift_parts: posts dated in the range of creators matching the influencer
    filters, each with its share of its window's revenue in the sale filter's values."""
    where_sql, params = _posts_where(filters, settings)
    cte = f"""chosen_posts AS (
            SELECT p.*, c.baseline_revenue AS creator_baseline, c.level AS baseline_per_day
            FROM lift_posts p JOIN influencers i USING (influencer_key)
            JOIN lift_creators c ON c.window_days = p.window_days AND c.influencer_key = p.influencer_key
            {where_sql})"""
    sale_filter = [
        (name, getattr(filters, name)) for name in ("brand", "campaign", "product") if getattr(filters, name)
    ]
    if not sale_filter:
        return cte, "CROSS JOIN (SELECT 1.0 AS share) s", params
    chosen = " AND ".join(f"m.{name} IN ({', '.join('?' * len(values))})" for name, values in sale_filter)
    # Only the chosen posts' mix rows when influencer or date filters narrow the posts; every post's
    # otherwise (the join below keeps the chosen ones): the semi-join then costs more than it saves.
    narrowed = filters.start or filters.end or influencer_conditions(filters, settings)[0]
    only_chosen = "AND m.post_no IN (SELECT post_no FROM chosen_posts)" if narrowed else ""
    # posts whose window sold nothing, or nothing in the chosen values, are not in the selection
    shares = f"""JOIN (SELECT m.post_no, sum(m.revenue) FILTER (WHERE {chosen}) / sum(m.revenue) AS share
                       FROM lift_mix m WHERE m.window_days = ? {only_chosen}
                       GROUP BY m.post_no HAVING sum(m.revenue) <> 0) s USING (post_no)
                 WHERE s.share IS NOT NULL AND s.share <> 0"""
    return cte, shares, params + [v for _, values in sale_filter for v in values] + [settings.lift_window_days]


def creator_sums(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The selection's measured lift per creator: its post rows (selection_posts: the rules of
    lift_parts, posts dated in the range, each post's share of its window's revenue in the sale
    filter's values) summed per creator.

    One row per creator with a selected post: influencer_key, influencer_id, name, platform, tier,
    posts, days_in_window, window_revenue, window_orders, baseline_revenue, incremental_revenue,
    incremental_orders (₹, orders, days, each post's figures times its share), baseline_per_day
    (₹, the creator's), draw_weight (the selected share of the creator's window baseline: its
    draws times this are the selection's draws). Ordered by influencer_key.

    Read once per warehouse file version, selection and settings in a process (_cached_creator_sums):
    one page change asks for it several times (the KPI cards' total, /lift's table, the planner's
    curves and its what-if, the similar-profiles verdicts). The caller gets its own shallow copy."""
    try:
        version = _file_version(wh, settings)
    except FileNotFoundError:  # no data set: the query raises what the pages expect (WarehouseMissing)
        return _creator_sums(wh, filters, settings)
    return _cached_creator_sums(*version, filters, settings).copy(deep=False)


SELECTIONS_CACHED = 8  # selections per process: ~0.6 MB of creator sums and ~1.6 MB of posts each at 10M


@functools.lru_cache(maxsize=SELECTIONS_CACHED)
def _cached_creator_sums(
    path: str, inode: int, mtime_ns: int, window_days: int, filters: Filters, settings: Settings
) -> pd.DataFrame:
    """_creator_sums of one file version (an import replaces the file: a new key), never mutated."""
    from warehouse import Warehouse

    return _creator_sums(Warehouse(path), filters, settings)


def _creator_sums(wh, filters: Filters, settings: Settings) -> pd.DataFrame:
    """creator_sums' aggregate: the selection's post rows (selection_posts) summed per creator in
    key order (they come ordered by creator), with the creators' attributes."""
    posts = selection_posts(wh, filters, settings)
    keys = posts["influencer_key"]
    starts = creator_starts(keys)
    attributes = _influencer_attributes(wh, settings, keys[starts])
    columns = {name: attributes[name].array for name in attributes.columns}
    columns["posts"] = np.diff(np.r_[starts, len(keys)]).astype(np.int64)
    for column in (*SUMMED_COLUMNS, "draw_weight"):
        columns[column] = np.add.reduceat(posts[column], starts) if len(starts) else np.zeros(0)
    columns["baseline_per_day"] = posts["baseline_per_day"][starts]
    return pd.DataFrame(columns)  # one frame built at once: a column added at a time costs ~4x


def creator_starts(keys: np.ndarray) -> np.ndarray:
    """The first row of each creator in post rows ordered by creator (np.add.reduceat's indices)."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)


POST_FIGURES = (*SUMMED_COLUMNS, "draw_weight", "baseline_per_day")


def selection_posts(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict[str, np.ndarray]:
    """The selection's posts (the rules of lift_parts), one SQL read: read-only arrays
    influencer_key, post_no, date (datetime64) and, per post, its window figures times its share
    (SUMMED_COLUMNS: days, ₹, orders), draw_weight (its share of its creator's window baseline)
    and baseline_per_day (₹, its creator's), ordered by influencer_key then post_no. creator_sums
    and top_posts both read them: cached like creator_sums (_cached_selection_posts)."""
    try:
        version = _file_version(wh, settings)
    except FileNotFoundError:  # no data set: the query raises what the pages expect (WarehouseMissing)
        return _selection_posts(wh, filters, settings)
    return _cached_selection_posts(*version, filters, settings)


@functools.lru_cache(maxsize=SELECTIONS_CACHED)
def _cached_selection_posts(
    path: str, inode: int, mtime_ns: int, window_days: int, filters: Filters, settings: Settings
) -> dict[str, np.ndarray]:
    from warehouse import Warehouse

    return _selection_posts(Warehouse(path), filters, settings)


def _selection_posts(wh, filters: Filters, settings: Settings) -> dict[str, np.ndarray]:
    return post_rows(wh.connection(), filters, settings)


def post_rows(connection, filters: Filters, settings: Settings) -> dict[str, np.ndarray]:
    """selection_posts' arrays read through a DuckDB connection (uncached)."""
    cte, shares, params = _chosen_posts_sql(filters, settings)
    shared_figures = ", ".join(f"p.{column} * s.share AS {column}" for column in SUMMED_COLUMNS)
    result = connection.execute(
        f"""
        WITH {cte}
        SELECT p.influencer_key, p.post_no, p.date, {shared_figures},
               CASE WHEN p.creator_baseline <> 0 THEN p.baseline_revenue * s.share / p.creator_baseline
                    ELSE 0 END AS draw_weight,
               p.baseline_per_day
        FROM chosen_posts p {shares}
        ORDER BY p.influencer_key, p.post_no""",
        params,
    ).fetchnumpy()
    arrays = {}
    for name, values in result.items():
        if name in POST_FIGURES:  # NULL (a masked entry) is NaN, as in a DataFrame
            values = np.ma.filled(np.ma.asarray(values).astype(np.float64), np.nan)
        values = np.asarray(values)
        values.setflags(write=False)
        arrays[name] = values
    return arrays


def _influencer_attributes(wh, settings: Settings, keys: np.ndarray) -> pd.DataFrame:
    """influencer_key, influencer_id, name, platform, tier of the creators `keys` (each an
    influencers row), from every influencer's read once per file version and tier bounds."""
    stat = wh.path.stat()
    every = _every_influencer(str(wh.path), stat.st_ino, stat.st_mtime_ns, tier_sql(settings))
    return every.take(np.searchsorted(every["influencer_key"].to_numpy(), keys)).reset_index(drop=True)


@functools.lru_cache(maxsize=4)
def _every_influencer(path: str, inode: int, mtime_ns: int, tier: str) -> pd.DataFrame:
    """Every influencer's key, id, name, platform and tier (`tier`: tier_sql of the settings), in
    key order: ~0.5 MB at 5,000 influencers. Never mutated (callers take rows of it)."""
    from warehouse import Warehouse

    return Warehouse(path).query(
        f"SELECT influencer_key, influencer_id, name, platform, {tier} AS tier FROM influencers i ORDER BY influencer_key"
    )


@functools.lru_cache(maxsize=2)
def _post_ids(path: str, inode: int, mtime_ns: int) -> tuple[np.ndarray, np.ndarray]:
    """(post_no, post_id) of every post (post_no: its rowid, as lift_posts names it), in post_no order."""
    from warehouse import Warehouse

    ids = Warehouse(path).connection().execute("SELECT rowid AS post_no, post_id FROM posts ORDER BY 1").fetchnumpy()
    return np.asarray(ids["post_no"]), np.asarray(ids["post_id"], dtype=object)


def top_posts(wh, n: int, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The `n` posts of the selection with the largest measured incremental revenue (₹, the post's
    share under a sale filter), in lift_table(by="post")'s order (ties by the post number as
    text), ranked from selection_posts: columns post_no, post_id, influencer_id, name, date,
    incremental_revenue."""
    posts = selection_posts(wh, filters, settings)
    chosen = largest_first(posts["incremental_revenue"], posts["post_no"], int(n))
    creators = _influencer_attributes(wh, settings, posts["influencer_key"][chosen])
    stat = wh.path.stat()
    numbers, ids = _post_ids(str(wh.path), stat.st_ino, stat.st_mtime_ns)
    post_no = posts["post_no"][chosen].astype(np.int64)
    where = np.minimum(np.searchsorted(numbers, post_no), max(len(numbers) - 1, 0))
    known = (numbers[where] == post_no) if len(numbers) else np.zeros(len(post_no), dtype=bool)
    return pd.DataFrame(
        {
            "post_no": post_no,
            "post_id": np.where(known, ids[where] if len(ids) else None, None),
            "influencer_id": creators["influencer_id"],
            "name": creators["name"],
            "date": posts["date"][chosen],
            "incremental_revenue": posts["incremental_revenue"][chosen],
        }
    )


def largest_first(values: np.ndarray, post_no: np.ndarray, n: int) -> np.ndarray:
    """Positions of the `n` largest `values` (NaN last), ties by the post number as text: SQL's
    ORDER BY value DESC, CAST(post_no AS VARCHAR) LIMIT n. Only the candidates at or above the
    n-th value are ordered by text."""
    negated = -np.asarray(values, dtype=np.float64)
    candidates = np.arange(len(negated))
    if n <= 0:
        return candidates[:0]
    if len(negated) > n:
        kth = np.partition(negated, n - 1)[n - 1]
        candidates = np.flatnonzero(~(negated > kth))  # NaN kept: fewer than n numbers
    order = np.lexsort((post_no[candidates].astype(str), negated[candidates]))
    return candidates[order][:n]


def creator_summary(wh, creators: pd.DataFrame, settings: Settings, keep_draws: bool = False) -> pd.DataFrame:
    """creator_sums() rows with incremental_revenue_low/high (₹: _one_creator_intervals of its
    draw_weight, as summarise computes for a part of one creator) and verdict;
    attrs["total_draws"]: (R,) the selection's summed draw deviations (₹); with keep_draws,
    attrs["part_draws"]: (rows, R) each creator's (₹)."""
    keys, deviations, noise = _all_draws(*_file_version(wh, settings))
    weights = creator_weights(
        keys, creators["influencer_key"].to_numpy(), creators["draw_weight"].to_numpy(dtype=float)
    )
    rows = part_draws(weights, deviations, noise) if keep_draws and deviations.size else None
    table = _with_intervals(wh, creators, settings, rows)
    table.attrs["total_draws"] = total_deviations(weights, deviations, noise)
    if keep_draws:  # the planner's curves use each row's draws
        table.attrs["part_draws"] = shared(rows if rows is not None else np.zeros((len(creators), 1)))
    return table


def creator_weights(keys: np.ndarray, creator: np.ndarray, draw_weight: np.ndarray):
    """Sparse (rows, len(keys)) weights: row i holds draw_weight[i] at its creator's column
    (`keys`: the draws' creators, sorted); a creator without draws has none."""
    position = np.searchsorted(keys, creator)
    found = position < len(keys)
    found[found] = keys[position[found]] == creator[found]
    return sparse.csr_matrix(
        (draw_weight[found], (np.flatnonzero(found), position[found])), shape=(len(creator), len(keys))
    )


def total_deviations(weights, deviations: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """(R,) the selection's draws (₹): part_draws of each creator's weight summed over the rows
    (draws share resampled days, so the sum keeps their correlation)."""
    if not deviations.size:
        return np.zeros(1)
    w = np.asarray(weights.sum(axis=0)).ravel()
    return w @ deviations + noise_share(w) @ noise


def _with_intervals(wh, creators: pd.DataFrame, settings: Settings, rows: np.ndarray | None = None) -> pd.DataFrame:
    """creator_summary's table without its attrs: each creator's interval by
    _one_creator_intervals (whole creators read no draws; `rows`: each creator's draws where
    creator_summary has made them already)."""
    keys, _, _ = _creator_intervals(*_file_version(wh, settings), settings.lift_confidence)
    creator = creators["influencer_key"].to_numpy()
    position = np.minimum(np.searchsorted(keys, creator), max(len(keys) - 1, 0))
    found = (keys[position] == creator) if len(keys) else np.zeros(len(creator), dtype=bool)
    w, at = creators["draw_weight"].to_numpy(dtype=float)[found], position[found]
    low, high = np.zeros(len(creators)), np.zeros(len(creators))
    made = None if rows is None else (rows, np.flatnonzero(found))
    low[found], high[found] = _one_creator_intervals(wh, at, w, settings, made)
    table = creators.assign(
        incremental_revenue_low=creators["incremental_revenue"] + low,
        incremental_revenue_high=creators["incremental_revenue"] + high,
    )
    return _with_verdict(table)


def creator_lift(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """creator_summary of creator_sums with each creator's draws (attrs["part_draws"]): what the
    ranking's lift columns, its verdicts and the planner's curves read, once per request."""
    return creator_summary(wh, creator_sums(wh, filters, settings), settings, keep_draws=True)


def _with_verdict(table: pd.DataFrame) -> pd.DataFrame:
    table["verdict"] = interval_verdicts(table["incremental_revenue_low"], table["incremental_revenue_high"])
    return table


def interval_verdicts(low, high) -> np.ndarray:
    """METRICS.md's reading of lift intervals (arrays of ₹ or ×, low ≤ high): "positive" where the
    whole interval lies above 0, "negative" where below, NOT_DISTINGUISHABLE where it includes 0
    (an end at exactly 0 included)."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    return np.select([low > 0, high < 0], ["positive", "negative"], NOT_DISTINGUISHABLE)


def interval_verdict(low, high) -> str | None:
    """interval_verdicts of one interval (₹ or ×); None without one (assumed-baseline figures)."""
    if low is None or high is None:
        return None
    return str(interval_verdicts([low], [high])[0])


def interval_words(low, high, formatter) -> str:
    """ "low to high" in `formatter`'s words (₹ or ×), with ": not distinguishable from baseline"
    after it where the interval includes 0 (interval_verdict): a creator's or a post's interval."""
    words = f"{formatter(low)} to {formatter(high)}"
    return f"{words}: {NOT_DISTINGUISHABLE}" if interval_verdict(low, high) == NOT_DISTINGUISHABLE else words


def indistinguishable_note(k: dict) -> str | None:
    """NOT_DISTINGUISHABLE where a selection's measured incremental revenue (k: metrics.kpis or
    lift_kpis, key incrementality_verdict) has an interval that includes 0, else None: the label
    every card, sentence, PDF box and CLI line showing that figure or its ROAS puts beside it. None
    where the selection holds no post: its ₹0 shows no_post_words instead of an interval of ₹0 to ₹0."""
    if no_post_words(k):
        return None
    return NOT_DISTINGUISHABLE if k.get("incrementality_verdict") == NOT_DISTINGUISHABLE else None


def _with_draws(table: pd.DataFrame, weights, deviations: np.ndarray, noise: np.ndarray, keep_draws: bool):
    """attrs total_draws (and part_draws with keep_draws) of the table's rows' weights."""
    count = weights.shape[0]
    table.attrs["total_draws"] = total_deviations(weights, deviations, noise)
    if keep_draws:  # the planner's curves use each row's draws
        draws = part_draws(weights, deviations, noise) if deviations.size else np.zeros((count, 1))
        table.attrs["part_draws"] = shared(draws)
    return table


def summarise(wh, parts: pd.DataFrame, settings: Settings, keep_draws: bool = False) -> pd.DataFrame:
    """Per part: posts, days_in_window, window_revenue, baseline_revenue, incremental_revenue,
    incremental_revenue_low/high (₹, at settings.lift_confidence), incremental_orders, verdict
    ("positive", "negative" or NOT_DISTINGUISHABLE); attrs["total_draws"]: (R,) the selection's
    summed draw deviations (₹); with keep_draws, attrs["part_draws"]: (parts, R) each part's."""
    share = parts["share"].to_numpy(dtype=float)
    part_codes, part_names = pd.factorize(parts["part"], sort=False)
    count = len(part_names)

    def summed(column):
        # float also when no part is left (bincount of nothing is int64)
        weights = parts[column].to_numpy(dtype=float) * share
        return np.bincount(part_codes, weights=weights, minlength=count).astype(np.float64, copy=False)

    table = pd.DataFrame(
        {"part": part_names, "posts": np.bincount(part_codes, minlength=count)}
    )  # a post once per part
    for column in SUMMED_COLUMNS:
        table[column] = summed(column)
    weights, deviations, noise = _draw_weights(wh, parts, part_codes, count, settings)
    low, high = _part_intervals(wh, weights, deviations, noise, settings)
    table["incremental_revenue_low"] = table["incremental_revenue"] + low
    table["incremental_revenue_high"] = table["incremental_revenue"] + high
    return _with_draws(_with_verdict(table), weights, deviations, noise, keep_draws)


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

    if by == "influencer":
        return _influencer_table(wh, filters, settings)
    parts = lift_parts(wh, by, filters, settings)
    table = summarise(wh, parts, settings)
    first = parts.drop_duplicates("part").set_index("part")
    levels = parts.drop_duplicates(["part", "influencer_key"]).groupby("part")["baseline_per_day"].sum()
    table["baseline_per_day"] = by_part(levels, table["part"])
    if by == "post":
        for column in ("post_id", "influencer_id", "name", "date"):
            table[column] = by_part(first[column], table["part"])
        table["post_no"] = table["part"].astype("int64")
        table["spend"] = None
    else:
        key = BY_GROUP[by]
        table[key] = table["part"]
        if by == "influencer":
            for column in ("name", "platform", "tier"):
                table[column] = by_part(first[column], table["part"])
        spend = sums_by(wh, filters, settings, (key,)).set_index(key)["spend"]
        table["spend"] = by_part(spend, table["part"])
    table["incremental_roas"] = ratio_column(table["incremental_revenue"], table["spend"])
    table = table.sort_values(["incremental_revenue", "part"], ascending=[False, True]).reset_index(drop=True)
    return table.drop(columns=["part"])


def by_part(values: pd.Series, part: pd.Series) -> pd.Series:
    """`values` (indexed by part) of each row's `part`, in `values`' dtype: an empty selection keeps
    the columns' types (pandas 3's Series.map of an empty Series by a datetime one raises, and by
    a float one gives text)."""
    return values.reindex(part.to_numpy()).set_axis(part.index)


INFLUENCER_COLUMNS = (
    *SUMMARY_COLUMNS,
    "baseline_per_day",
    "influencer_id",
    "name",
    "platform",
    "tier",
    "spend",
    "incremental_roas",
)


def _influencer_table(wh, filters: Filters, settings: Settings) -> pd.DataFrame:
    """lift_table(by="influencer") from creator_sums: one SQL read of post rows summed per
    creator, each creator's interval its own scaled (no draws summed), spend per creator."""
    from metrics.aggregate import ratio_column, spend_by_influencer

    table = _with_intervals(wh, creator_sums(wh, filters, settings), settings)
    keys, spend = spend_by_influencer(wh, filters, settings)
    creator = table["influencer_key"].to_numpy()
    where = np.minimum(np.searchsorted(keys, creator), max(len(keys) - 1, 0))
    found = (keys[where] == creator) if len(keys) else np.zeros(len(creator), dtype=bool)
    # sums_by's rule: without a sale filter every influencer of the selection has a spend (0 without
    # a cell); with one, an influencer without a cell in the chosen values has none
    missing = np.nan if filters.has_sale_filter else 0.0
    table["spend"] = np.where(found, spend[where] if len(spend) else missing, missing)
    table["incremental_roas"] = ratio_column(table["incremental_revenue"], table["spend"])
    # largest first, ties by id: sort_values' order (NaN last), without pandas' string-key lexsort
    order = np.lexsort(
        (table["influencer_id"].to_numpy(dtype=object), -table["incremental_revenue"].to_numpy(dtype=float))
    )
    return table[list(INFLUENCER_COLUMNS)].take(order).reset_index(drop=True)


def lift_totals(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The selection's measured incremental revenue: keys method ("event-window" or
    "assumed-baseline"), reason (why assumed, else None), window_days, confidence,
    incremental_revenue, incremental_revenue_low, incremental_revenue_high (₹; low/high None when
    assumed), incremental_orders, window_revenue, baseline_revenue, posts. A measured data set
    whose selection holds no post: every figure 0, interval ₹0 to ₹0, reason NO_POST."""
    method, reason = lift_status(wh, settings)
    base = {
        "method": method,
        "reason": reason,
        "window_days": settings.lift_window_days,
        "confidence": settings.lift_confidence,
    }
    if method != METHOD_MEASURED:
        return base
    creators = creator_sums(wh, filters, settings)
    if creators.empty:
        return {**base, **NO_POST_TOTALS}
    stored = _stored_total(*_file_version(wh, settings), settings.lift_confidence) if filters == Filters() else None
    if stored is None:  # the total's draws alone: the creators' own intervals are not shown here
        keys, deviations, noise = _all_draws(*_file_version(wh, settings))
        weights = creator_weights(
            keys, creators["influencer_key"].to_numpy(), creators["draw_weight"].to_numpy(dtype=float)
        )
        low, high = interval(total_deviations(weights, deviations, noise), settings.lift_confidence)
    else:  # the whole data set at the default confidence: its interval was taken at import
        low, high = stored
    table = creators
    point = float(table["incremental_revenue"].sum())
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


# The sum over no post: the range's days may lie in earlier posts' windows, whose lift counts in
# their own range, so adjacent ranges' lifts still add up to their union's.
NO_POST_TOTALS = {
    "reason": NO_POST,
    "incremental_revenue": 0.0,
    "incremental_revenue_low": 0.0,
    "incremental_revenue_high": 0.0,
    "incremental_orders": 0.0,
    "window_revenue": 0.0,
    "baseline_revenue": 0.0,
    "posts": 0,
}


def no_post_words(k: dict) -> str | None:
    """Why a measured incremental revenue (k: metrics.kpis or lift_kpis) is ₹0 where the selection
    holds no post, in the words the sentences, PDF lines and CLI line put in place of its interval
    (a card says NO_POST and keeps NO_POST_WHY for its tooltip); None otherwise."""
    if k.get("incrementality_method") != METHOD_MEASURED or k.get("incrementality_reason") != NO_POST:
        return None
    return f"{NO_POST} ({NO_POST_WHY})"


class RangeEdges(NamedTuple):
    """Attributed revenue (₹, net of refunds, the sale filters applied) at a date range's edges
    that its measured lift and its own revenue disagree on: `before`, the range's days in windows
    of posts dated before its start (in its revenue, their lift not counted); `after`, the days
    after its end in windows of posts dated in it (their lift counted, not in its revenue)."""

    before: float
    after: float


def range_edge_revenue(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> RangeEdges:
    """The range's RangeEdges for the selection's creators, in one aggregate. A creator's day
    belongs to its latest post dated on or before it while that post's window lasts (the rule that
    gives a post its days_in_window; an ASOF join). Both 0 without a date range; `before` is 0
    without a start, `after` without an end."""
    from dataclasses import replace

    from metrics.selection import fact_conditions, fact_table

    if not (filters.start or filters.end):
        return RangeEdges(0.0, 0.0)
    creators_sql, creator_params = where(influencer_conditions(filters, settings))
    sale_conditions, sale_params = fact_conditions(replace(filters, start=None, end=None, period=None))
    sales_where = "".join(f" AND {condition}" for condition in sale_conditions)
    start, end = filters.start or dt.date.min, filters.end or dt.date.max
    spans_sql, spans = _edge_spans(filters, settings.lift_window_days)
    before, after = (
        wh.connection()
        .execute(
            f"""
            WITH creators AS (SELECT i.influencer_key FROM influencers i {creators_sql}),
                 starts AS (SELECT DISTINCT influencer_key, date FROM lift_posts
                            WHERE window_days = ? AND influencer_key IN (SELECT influencer_key FROM creators)),
                 days AS (SELECT f.influencer_key, f.date, f.revenue FROM {fact_table(filters)} f
                          WHERE f.influencer_key IN (SELECT influencer_key FROM creators)
                            AND ({spans_sql}) {sales_where})
            SELECT COALESCE(sum(d.revenue) FILTER (WHERE d.date <= ? AND p.date < ?), 0),
                   COALESCE(sum(d.revenue) FILTER (WHERE d.date > ? AND p.date BETWEEN ? AND ?), 0)
            FROM days d ASOF JOIN starts p ON d.influencer_key = p.influencer_key AND d.date >= p.date
            WHERE d.date < p.date + CAST(? AS INTEGER)""",
            creator_params
            + [settings.lift_window_days, *spans]
            + sale_params
            + [end, start, end, start, end, settings.lift_window_days],
        )
        .fetchone()
    )
    return RangeEdges(float(before), float(after))


def _edge_spans(filters: Filters, window_days: int) -> tuple[str, list]:
    """(SQL on f.date, params): the only days an edge can hold, whatever the range's length: its
    first window_days days (a window of a post dated before it ends by then) and the window_days − 1
    days after its end."""
    spans = []
    if filters.start:
        spans.append((filters.start, filters.start + dt.timedelta(days=window_days)))
    if filters.end:
        spans.append((filters.end + dt.timedelta(days=1), filters.end + dt.timedelta(days=window_days)))
    sql = " OR ".join("(f.date >= ? AND f.date < ?)" for _ in spans)
    return sql, [day for span in spans for day in span]


@functools.lru_cache(maxsize=6)
def _stored_total(path: str, inode: int, mtime_ns: int, window_days: int, confidence: float):
    """(low, high) deviations (₹) of the whole data set's total at this window and confidence, as
    the import took them (lift_total_intervals, warehouse/lift_rollups.py), or None."""
    from warehouse import Warehouse

    return (
        Warehouse(path)
        .connection()
        .execute(
            "SELECT low, high FROM lift_total_intervals WHERE window_days = ? AND confidence = ?",
            [window_days, confidence],
        )
        .fetchone()
    )


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
