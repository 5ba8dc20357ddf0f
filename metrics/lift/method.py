"""Event windows against each creator's quiet days: the measured incremental revenue of posts.

Pure numpy on a day × creator panel, so the import (warehouse/lift_tables.py), the validation
harness (bench/lift.py) and the tests run exactly the same code. docs/metrics.md states the method,
its assumptions and its sources; docs/incrementality.md how well it does on data with a known truth.

Rules (each one named by a constant below):
- a post's window is its day and the `window_days − 1` days after; a day in the windows of several
  posts of one creator belongs to the latest of them (windows merge, nothing is counted twice);
- a creator's quiet days are the days of its active span (the import: the whole period of dated
  sales) that are neither in a window, nor in the GUARD_AFTER days after one (the tail of a slow decay), nor in
  the GUARD_BEFORE days before a post (teasers);
- weekday effects: one multiplicative index per weekday, from all creators' quiet days pooled
  (each day's revenue against its creator's own quiet-day mean);
- common daily factor (common_daily_factor): on each day, the other quiet creators' revenue over
  what they were expected to sell (leave-one-out), shrunk towards 1 by local empirical Bayes
  (shrink_towards_one), so a sale event on the same dates for everyone is not counted as lift;
- baseline per day of a creator = level × weekday index × factor, level = its quiet-day revenue ÷
  the sum of those days' weights (a ratio of sums), credibility-weighted towards its tier's pooled
  level when it has fewer than FULL_CREDIBILITY_DAYS quiet days (Bühlmann-style limited-fluctuation
  credibility);
- incremental revenue = Σ over window days of (actual − baseline);
- interval: Politis & Romano's stationary bootstrap (arch.bootstrap.StationaryBootstrap, block
  length from arch's optimal_block_length, Politis & White 2004) resamples days of the quiet-day
  panel. Each draw re-estimates every level from a resample taken jointly for all creators
  (estimation error) and, from another set of resamples read by each creator in its own cyclic
  order (independent across creators), the sum of the creator's first quiet-day deviations in
  resampled order, as many as it has window days (the window's own day-to-day variation, skew
  included), so a draw of a creator's incremental revenue is
  window revenue − Σ window baseline* − window noise* − factor error*, the last from the common
  daily factor's posterior variance, shared by every creator in a window that day (_factor_draws).
  Pooled levels sum the draws. Estimate.noise keeps the window-noise part of each deviation (the
  window noise and the factor's day-independent sampling noise); the rest is the level's error
  (the level and the factor's persistent shrinkage part). A part of a creator's windows holding
  share w of its baseline scales the noise by √w and the rest by w (metrics/lift/view.py).
docs/incrementality.md holds the validation (bench/lift.py) and where the method breaks.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from arch.bootstrap import StationaryBootstrap, optimal_block_length

DEFAULT_WINDOW_DAYS = 14
DEFAULT_CONFIDENCE = 0.90
GUARD_BEFORE = 2  # days before a post that are not quiet
GUARD_AFTER = 7  # days after a window that are not quiet
FULL_CREDIBILITY_DAYS = 28  # quiet days from which a creator's own level stands alone
FACTOR_MIN_CREATORS = 5  # other quiet creators needed on a day to measure the common daily factor there
FACTOR_MIN_ORDERS = 20.0  # and their expected orders that day (fewer: the factor is too noisy, 1 is used)
FACTOR_FLOOR = 0.1  # a day whose quiet creators sold almost nothing still keeps a tenth of the baseline
FACTOR_PASSES = 2  # level ↔ factor refinements
FACTOR_NEIGHBOURHOOD = 7  # days either side whose factors tell how much a day's factor moves beyond noise
DRAWS = 500
SEED = 20_251_130


@dataclasses.dataclass(frozen=True)
class Panel:
    """Daily attributed sales of C creators over D consecutive days, and their posts.

    revenue, orders: (D, C) ₹ and orders per day; active: (D, C) bool, days the creator could sell;
    weekday: (D,) 0 = Monday; post_creator, post_day: (P,) creator index and day index of each post
    (a day index may lie outside [0, D): only its window days inside the panel count);
    group: (C,) the pooling group (tier) of each creator, 0 … G − 1.
    """

    revenue: np.ndarray
    orders: np.ndarray
    active: np.ndarray
    weekday: np.ndarray
    post_creator: np.ndarray
    post_day: np.ndarray
    group: np.ndarray


@dataclasses.dataclass(frozen=True)
class DailyFactor:
    """The common daily factor (common_daily_factor) of each day (D) and creator (C).

    value (D, C): the shrunk leave-one-out factor a creator's baseline uses; noise and shrinkage
    (D, C): the two parts of the empirical-Bayes posterior variance of the true factor around it
    (factor units²): trust² × the raw factor's sampling variance (its sampling noise, independent
    from day to day) and (1 − trust) × trust × that variance (the movement shrinkage keeps out,
    as persistent as the movement); both 0 where the factor keeps nothing (trust 0 or not
    measured). everyone (D,): the factor of all quiet creators (the event chart's baseline)."""

    value: np.ndarray
    noise: np.ndarray
    shrinkage: np.ndarray
    everyone: np.ndarray


@dataclasses.dataclass(frozen=True)
class Estimate:
    """Per creator (C,) and per post (P,) arrays of one window length; draws are (C, DRAWS) ₹.

    Money in ₹, orders in orders, days in days. `creator_*` arrays: quiet_days, credibility (0–1),
    level (₹ per weekday-adjusted day), level_orders, daily_low/daily_high (5 %/95 % of quiet days'
    weekday-adjusted revenue, for the baseline band), window_days, window_revenue, window_orders,
    baseline_revenue, baseline_orders, incremental_revenue, incremental_orders.
    `post_*` arrays: the same window figures per post (posts share out their creator's merged window).
    """

    window_days: int
    weekday_index: np.ndarray  # (7,) mean 1
    block_length: float
    creator: dict[str, np.ndarray]
    post: dict[str, np.ndarray]
    draws: np.ndarray
    daily_factor: np.ndarray  # (D,) the common daily factor of all quiet creators (1 where not measured)
    noise: np.ndarray  # (C, DRAWS) ₹: the window-noise part of each draw's deviation (view.part_draws scales it by √w)
    assigned: np.ndarray  # (D, C) the post whose window holds each day (assign_windows), −1 outside every window


def assign_windows(panel: Panel, window_days: int) -> np.ndarray:
    """(D, C) int: the post whose window holds each day (the latest post started on or before it
    within window_days days; of posts on one day, the last row), −1 outside every window."""
    from metrics.lift.kernels import window_owners  # numba: loaded only where windows are assigned

    days, creators = panel.revenue.shape
    order = np.lexsort((np.arange(len(panel.post_day)), panel.post_day))
    return window_owners(panel.post_day, panel.post_creator, order, days, creators, window_days)


def quiet_days(panel: Panel, window_days: int) -> np.ndarray:
    """(D, C) bool: days of each creator's activity span far enough from all of its posts."""
    days, creators = panel.revenue.shape
    near = np.zeros((days + 1, creators), dtype=np.int64)
    first = np.clip(panel.post_day - GUARD_BEFORE, 0, days)
    last = np.clip(panel.post_day + window_days + GUARD_AFTER, 0, days)  # exclusive
    np.add.at(near, (first, panel.post_creator), 1)
    np.add.at(near, (last, panel.post_creator), -1)
    return panel.active & (np.cumsum(near, axis=0)[:days] == 0)


def weekday_index(revenue: np.ndarray, quiet: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """(7,) quiet-day revenue on each weekday over what each creator's own quiet-day mean would
    give (so creators of different sizes and different quiet weekdays do not bias it), scaled to
    a mean of 1; all 1 where a weekday has no quiet day or no quiet revenue (too little data)."""
    counts = quiet.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.where(counts > 0, (revenue * quiet).sum(axis=0) / counts, 0.0)
    actual = np.bincount(weekday, weights=(revenue * quiet).sum(axis=1), minlength=7)
    expected = np.bincount(weekday, weights=(quiet * own[None, :]).sum(axis=1), minlength=7)
    if (expected <= 0).any() or (actual <= 0).any():
        return np.ones(7)
    ratio = actual / expected
    return ratio / ratio.mean()


def common_daily_factor(
    revenue: np.ndarray,
    quiet: np.ndarray,
    weekday_weight: np.ndarray,
    level: np.ndarray,
    level_orders: np.ndarray,
    spread: np.ndarray,
) -> DailyFactor:
    """The demand of each day common to all creators, seen by the others (DailyFactor): the revenue
    of the creators quiet on day t other than c over what their levels and the weekday index expect
    (leave-one-out, so a creator's own noise never explains itself and its window days are measured
    only by others), shrunk towards 1 (shrink_towards_one). 1 where fewer than FACTOR_MIN_CREATORS
    others are quiet or they expect fewer than FACTOR_MIN_ORDERS orders; at least FACTOR_FLOOR.
    The posterior variance of a shrunk factor (Efron & Morris 1975) is trust × its sampling
    variance τ²s ÷ (τ² + s) = trust² s + (1 − trust) trust s: DailyFactor keeps the two parts
    apart because the draws correlate them differently across days (_factor_draws).

    A sale event, a price cut or a season moves every creator's sales on the same dates; quiet
    creators show it, so a window's baseline follows it and it is not counted as lift (the
    "control series" of Brodersen et al. 2015, CausalImpact, with other creators as controls).

    `spread` (C,) ₹²: quiet_spread, the same in every pass over one window's quiet days.
    """
    pooled = _all_quiet_factor(revenue, quiet, weekday_weight, level, level_orders, spread)
    value, measured, means = _leave_one_out(pooled, quiet)
    with np.errstate(invalid="ignore", divide="ignore"):
        others_spread = np.maximum(pooled["all_spread"][:, None] - quiet * spread[None, :], 0.0)
        others_sampling = np.where(measured, others_spread * (weekday_weight[:, None] / means) ** 2, 0.0)
    kept = np.where(measured, pooled["trust"][:, None], 0.0)
    noise = kept * kept * others_sampling
    shrinkage = (1 - kept) * kept * others_sampling
    return DailyFactor(value, noise, shrinkage, pooled["everyone"])


def leave_one_out_factor(
    revenue: np.ndarray,
    quiet: np.ndarray,
    weekday_weight: np.ndarray,
    level: np.ndarray,
    level_orders: np.ndarray,
    spread: np.ndarray,
) -> np.ndarray:
    """(D, C) DailyFactor.value of common_daily_factor alone, without its posterior variance: all
    that the refinement passes before the last one read."""
    return _leave_one_out(_all_quiet_factor(revenue, quiet, weekday_weight, level, level_orders, spread), quiet)[0]


def _leave_one_out(pooled: dict[str, np.ndarray], quiet: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(D, C) each, from _all_quiet_factor's `pooled` parts: the shrunk leave-one-out factor
    (DailyFactor.value), whether it is measured, and the other quiet creators' expected revenue (₹)."""
    sums = pooled["all_sums"][:, None] - pooled["sold"]
    means = pooled["all_means"][:, None] - pooled["expected"]
    counts = quiet.sum(axis=1)[:, None] - quiet
    orders = pooled["expected_orders"].sum(axis=1)[:, None] - pooled["expected_orders"]
    measured = (counts >= FACTOR_MIN_CREATORS) & (orders >= FACTOR_MIN_ORDERS) & (means > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(measured, np.maximum(1 + pooled["trust"][:, None] * (sums / means - 1), FACTOR_FLOOR), 1.0)
    return value, measured, means


def _all_quiet_factor(
    revenue: np.ndarray,
    quiet: np.ndarray,
    weekday_weight: np.ndarray,
    level: np.ndarray,
    level_orders: np.ndarray,
    spread: np.ndarray,
) -> dict[str, np.ndarray]:
    """The common daily factor of all quiet creators (`everyone`, (D,): DailyFactor.everyone) and
    what common_daily_factor takes each creator's leave-one-out factor from: `sold`, `expected`,
    `expected_orders` (D, C) (₹, ₹, orders on quiet days), their day sums `all_sums`, `all_means`
    (D,) ₹, the day sum `all_spread` (D,) ₹² of the creators' quiet-day variances `spread`
    (quiet_spread), and `trust` (D,) (shrink_towards_one). Alone, it is the factor the event chart
    shows."""
    expected = quiet * level[None, :] * weekday_weight[:, None]
    sold = np.where(quiet, revenue, 0.0)
    expected_orders = quiet * level_orders[None, :] * weekday_weight[:, None]
    all_sums, all_means = sold.sum(axis=1), expected.sum(axis=1)
    all_measured = (quiet.sum(axis=1) >= FACTOR_MIN_CREATORS) & (expected_orders.sum(axis=1) >= FACTOR_MIN_ORDERS)
    all_measured &= all_means > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        all_spread = quiet @ spread
        raw = np.where(all_measured, all_sums / all_means, 1.0)
        sampling = np.where(all_measured, all_spread * weekday_weight**2 / all_means**2, 0.0)
    trust = shrink_towards_one(raw, sampling, all_measured)
    everyone = np.where(all_measured, np.maximum(1 + trust * (raw - 1), FACTOR_FLOOR), 1.0)
    return {
        "sold": sold,
        "expected": expected,
        "expected_orders": expected_orders,
        "all_sums": all_sums,
        "all_means": all_means,
        "all_spread": all_spread,
        "trust": trust,
        "everyone": everyone,
    }


def quiet_spread(revenue: np.ndarray, quiet: np.ndarray, weekday_weight: np.ndarray) -> np.ndarray:
    """(C,) ₹²: each creator's sample variance of weekday-adjusted revenue (revenue ÷ the weekday
    index, (D,) `weekday_weight`) on its quiet days: the sampling noise of a day's common factor."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return _quiet_variance(revenue / weekday_weight[:, None], quiet)


def _quiet_variance(values: np.ndarray, quiet: np.ndarray) -> np.ndarray:
    """(C,) sample variance (ddof 1) of each creator's values on its quiet days; 0 with fewer than 2."""
    count = quiet.sum(axis=0)
    mean = np.where(quiet, values, 0.0).sum(axis=0) / np.maximum(count, 1)
    squares = np.where(quiet, (values - mean[None, :]) ** 2, 0.0).sum(axis=0)
    return np.where(count > 1, squares / np.maximum(count - 1, 1), 0.0)


def shrink_towards_one(raw: np.ndarray, sampling: np.ndarray, measured: np.ndarray) -> np.ndarray:
    """(D,) how much of each day's measured factor to trust, 0–1: local empirical Bayes (Efron &
    Morris 1975). Around each day (± FACTOR_NEIGHBOURHOOD days) the factors' mean squared distance
    from 1 beyond their sampling variance is the variance τ² of the true common movement; a day's
    factor keeps τ² ÷ (τ² + its sampling variance) of its distance from 1. Data without common
    shocks keep almost nothing (no noise added to baselines); a week-long sale keeps most of it."""
    kernel = np.ones(2 * FACTOR_NEIGHBOURHOOD + 1)
    m = measured.astype(float)

    def local_mean(values):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.convolve(values * m, kernel, "same") / np.convolve(m, kernel, "same")

    movement = np.maximum(np.nan_to_num(local_mean((raw - 1) ** 2) - local_mean(sampling)), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(measured & (movement > 0), movement / (movement + sampling), 0.0)


def estimate(panel: Panel, window_days: int = DEFAULT_WINDOW_DAYS, draws: int = DRAWS, seed: int = SEED) -> Estimate:
    """The event-window estimate of every creator and post, with `draws` bootstrap draws.

    Deterministic for the same panel, window and seed. Raises ValueError for a window below 1 day.
    """
    if window_days < 1:
        raise ValueError("window_days must be 1 or more")
    assigned = assign_windows(panel, window_days)
    quiet = quiet_days(panel, window_days)
    index = weekday_index(panel.revenue, quiet, panel.weekday)
    in_window = assigned >= 0
    q = quiet.astype(float)
    day_weight = np.broadcast_to(index[panel.weekday][:, None], panel.revenue.shape)
    spread = quiet_spread(panel.revenue, quiet, index[panel.weekday])
    totals = _quiet_totals(panel, quiet, q)
    for _ in range(FACTOR_PASSES - 1):  # levels and the common factor depend on each other: a fixed refinement
        levels = _pooled_levels(totals, day_weight, panel.group)
        value = leave_one_out_factor(
            panel.revenue, quiet, index[panel.weekday], levels["level"], levels["level_orders"], spread
        )
        day_weight = index[panel.weekday][:, None] * value
    levels = _pooled_levels(totals, day_weight, panel.group)
    # the last pass: the factor's posterior variance too, for its draws (_factor_draws)
    factor = common_daily_factor(
        panel.revenue, quiet, index[panel.weekday], levels["level"], levels["level_orders"], spread
    )
    day_weight = index[panel.weekday][:, None] * factor.value
    levels = _pooled_levels(totals, day_weight, panel.group)
    adjusted = np.where(quiet, panel.revenue / day_weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # mean weight-adjusted quiet day: the centre of the deviations resampled
        levels["center"] = np.nan_to_num(adjusted.sum(axis=0) / levels["quiet_days"])

    daily_low, daily_high = _quiet_quantiles(adjusted, quiet, (0.05, 0.95))
    window_weight = (in_window * day_weight).sum(axis=0)  # Σ weekday index × common factor over window days
    window_revenue = (panel.revenue * in_window).sum(axis=0)
    window_orders = (panel.orders * in_window).sum(axis=0)
    baseline_revenue = levels["level"] * window_weight
    baseline_orders = levels["level_orders"] * window_weight
    creator = {
        "quiet_days": levels["quiet_days"],
        "credibility": levels["credibility"],
        "level": levels["level"],
        "level_orders": levels["level_orders"],
        "daily_low": daily_low,
        "daily_high": daily_high,
        "days_in_window": in_window.sum(axis=0),
        "window_revenue": window_revenue,
        "window_orders": window_orders,
        "baseline_revenue": baseline_revenue,
        "baseline_orders": baseline_orders,
        "incremental_revenue": window_revenue - baseline_revenue,
        "incremental_orders": window_orders - baseline_orders,
    }
    post = _per_post(panel, assigned, in_window, day_weight, levels)
    block = block_length(adjusted, q, levels["center"])
    draw_matrix, noise = _draws(
        panel, adjusted, quiet, day_weight, levels, window_weight, in_window, block, draws, seed
    )
    independent, persistent = _factor_draws(factor, in_window, index[panel.weekday], levels["level"], draws, seed)
    draw_matrix -= independent + persistent
    return Estimate(
        window_days,
        index,
        block,
        creator,
        post,
        draw_matrix + creator["incremental_revenue"][:, None],
        _all_quiet_factor(panel.revenue, quiet, index[panel.weekday], levels["level"], levels["level_orders"], spread)[
            "everyone"
        ],
        noise - independent,
        assigned,
    )


def _quiet_totals(panel: Panel, quiet: np.ndarray, q: np.ndarray) -> dict[str, np.ndarray]:
    """Per creator (C,): its quiet days (`count`) and their revenue (`sold`, ₹) and orders
    (`sold_orders`); `q` (D, C) its quiet days as 1.0/0.0. What every pass of _pooled_levels reads
    over one window's quiet days (`quiet`, (D, C) bool), summed once."""
    return {
        "q": q,
        "count": q.sum(axis=0),
        "sold": np.where(quiet, panel.revenue, 0.0).sum(axis=0),
        "sold_orders": np.where(quiet, panel.orders, 0.0).sum(axis=0),
    }


def _pooled_levels(totals: dict[str, np.ndarray], day_weight: np.ndarray, group: np.ndarray) -> dict[str, np.ndarray]:
    """Per creator: its own level (quiet-day revenue ÷ the quiet days' weights, a ratio of sums, so
    noise in a day's weight does not inflate it), its tier's, and the credibility-weighted mix;
    `totals`: _quiet_totals, `group` (C,): Panel.group."""
    quiet_count, sold, sold_orders = totals["count"], totals["sold"], totals["sold_orders"]
    weights = (totals["q"] * day_weight).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.nan_to_num(sold / weights)
        own_orders = np.nan_to_num(sold_orders / weights)
    prior = _group_level(sold, weights, group)
    prior_orders = _group_level(sold_orders, weights, group)
    credibility = np.minimum(1.0, quiet_count / FULL_CREDIBILITY_DAYS)
    return {
        "quiet_days": quiet_count,
        "credibility": credibility,
        "own": own,
        "prior": prior,
        "spread": _group_spread(own, quiet_count, group),
        "level": credibility * own + (1 - credibility) * prior,
        "level_orders": credibility * own_orders + (1 - credibility) * prior_orders,
    }


def _group_level(sums: np.ndarray, counts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """(C,) the pooled quiet-day level of each creator's group; of all creators where its group has
    no quiet day; 0 where no creator has one."""
    group_sums = np.bincount(group, weights=sums)
    group_counts = np.bincount(group, weights=counts)
    overall = sums.sum() / counts.sum() if counts.sum() else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        level = np.where(group_counts > 0, group_sums / group_counts, overall)
    return level[group]


def _group_spread(own: np.ndarray, counts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """(C,) standard deviation of the levels of fully credible creators in each creator's group
    (between-creator variation, added to the draws of pooled levels); 0 with fewer than two."""
    full = counts >= FULL_CREDIBILITY_DAYS
    spread = np.zeros(group.max() + 1 if len(group) else 0)
    for g in np.unique(group):
        members = own[full & (group == g)]
        spread[g] = members.std(ddof=1) if len(members) > 1 else 0.0
    return spread[group]


def _quiet_quantiles(adjusted: np.ndarray, quiet: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """(C,) the q-quantile (linear interpolation) of each creator's quiet-day values for each q of
    `qs`, from one sort; NaN without any."""
    ordered = np.sort(np.where(quiet, adjusted, np.inf), axis=0)  # quiet values first, ascending
    count = quiet.sum(axis=0)
    return [_sorted_quantile(ordered, count, q) for q in qs]


def _sorted_quantile(ordered: np.ndarray, count: np.ndarray, q: float) -> np.ndarray:
    """(C,) the q-quantile of the first `count` values of each column of `ordered` (D, C), sorted."""
    position = np.maximum(count - 1, 0) * q
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(count - 1, 0))
    columns = np.arange(ordered.shape[1])
    low, high = ordered[below, columns], ordered[above, columns]
    with np.errstate(invalid="ignore"):
        value = low + (high - low) * (position - below)
    return np.where(count > 0, np.where(below == above, low, value), np.nan)


def _per_post(
    panel: Panel, assigned: np.ndarray, in_window: np.ndarray, day_weight: np.ndarray, levels: dict
) -> dict[str, np.ndarray]:
    posts = len(panel.post_day)
    rows, cols = np.nonzero(in_window)
    owner = assigned[rows, cols]
    weight = day_weight[rows, cols]

    def per_post(values):
        return np.bincount(owner, weights=values, minlength=posts)

    window_revenue = per_post(panel.revenue[rows, cols])
    window_orders = per_post(panel.orders[rows, cols])
    baseline_revenue = per_post(levels["level"][cols] * weight)
    baseline_orders = per_post(levels["level_orders"][cols] * weight)
    return {
        "days_in_window": np.bincount(owner, minlength=posts),
        "window_revenue": window_revenue,
        "window_orders": window_orders,
        "baseline_revenue": baseline_revenue,
        "baseline_orders": baseline_orders,
        "incremental_revenue": window_revenue - baseline_revenue,
        "incremental_orders": window_orders - baseline_orders,
    }


def block_length(adjusted: np.ndarray, q: np.ndarray, own: np.ndarray) -> float:
    """Mean block length of the stationary bootstrap: arch's optimal_block_length (Politis & White
    2004, Patton et al. 2009) of the summed quiet-day deviations, between 1 and a quarter of the days."""
    deviations = (adjusted - own[None, :] * q).sum(axis=1)
    days = len(deviations)
    if days < 8 or not np.any(deviations):
        return 1.0
    optimal = float(optimal_block_length(deviations)["stationary"].iloc[0])
    return float(np.clip(optimal if np.isfinite(optimal) else 1.0, 1.0, max(1.0, days / 4)))


def _resampled_days(days: int, block: float, count: int, seed: int) -> np.ndarray:
    """(count, D) day indices of `count` stationary-bootstrap resamples of the D days."""
    # arch annotates block_size as int, but the stationary bootstrap's mean block length is real-valued
    # (Politis & Romano 1994) and arch uses it as such.
    bootstrap = StationaryBootstrap(block, np.arange(days), seed=np.random.default_rng(seed))  # type: ignore[arg-type]
    return np.stack([bootstrap.update_indices() for _ in range(count)]) if count else np.zeros((0, days), int)


def _multiplicities(resamples: np.ndarray, days: int) -> np.ndarray:
    """(R, D): how often each day appears in each resample."""
    out = np.zeros((len(resamples), days))
    np.add.at(out, (np.repeat(np.arange(len(resamples)), resamples.shape[1]), resamples.ravel()), 1.0)
    return out


def _window_noise(
    resamples: np.ndarray, deviations: np.ndarray, quiet: np.ndarray, window_count: np.ndarray, rng
) -> np.ndarray:
    """(R, C): per draw, the sum of each creator's weight-adjusted quiet-day deviations over its
    first window_count quiet days in the order of one resample (scaled up where the resample holds
    fewer): what its baseline could have done over a window of that length, skew included.

    Each creator takes the resamples in its own random cyclic order, so one draw combines different
    resamples for different creators: creators' windows fall on different dates and the common
    daily factor has taken out what days share, so their window noise is drawn independently
    (leave-one-out factors make same-day deviations of different creators negatively correlated;
    one shared resample would let them cancel in a sum).
    Only creators with window days are computed, on the rows a window can need."""
    from metrics.lift.kernels import first_quiet_sums, scaled_rotations  # numba: loaded only where draws are made

    count = len(resamples)
    out = np.zeros((count, deviations.shape[1]))
    needed = np.flatnonzero((window_count > 0) & quiet.any(axis=0))
    shifts = rng.integers(0, max(count, 1), len(needed))
    if not len(needed):
        return out
    share = quiet[:, needed].mean(axis=0)
    rows = int(min(quiet.shape[0], np.ceil(np.max(window_count[needed] / share) * 1.5) + 14))
    # One contiguous row per creator: the kernel walks each creator's days for every resample.
    picked, values = np.ascontiguousarray(quiet[:, needed].T), np.ascontiguousarray(deviations[:, needed].T, np.float32)
    limit = window_count[needed]
    total, found = first_quiet_sums(np.ascontiguousarray(resamples[:, :rows]), picked, values, limit)
    scaled_rotations(total, found, limit, shifts, needed, out)
    return out


def _draws(panel: Panel, adjusted, quiet, day_weight, levels, window_weight, in_window, block, draws, seed):
    """((C, draws), (C, draws)) ₹: bootstrap deviations of each creator's incremental revenue from
    its estimate, and their window-noise part (the rest is the level's error)."""
    days, creators = adjusted.shape
    if creators == 0 or draws == 0:
        return np.zeros((creators, draws)), np.zeros((creators, draws))
    resamples = _resampled_days(days, block, 2 * draws, seed)
    estimation = _multiplicities(resamples[:draws], days)
    rng = np.random.default_rng([seed, 1])

    q = quiet.astype(float)
    sold, weights = np.where(quiet, panel.revenue, 0.0), q * day_weight
    # each resample's quiet-day revenue and weights per creator (R, C): one product each, read by both ratios
    sums, counts = estimation @ sold, estimation @ weights
    group = panel.group
    # level* = credibility × own* + (1 − credibility) × (prior* + between), and the deviation below,
    # worked out in place: each fresh (R, C) array costs its page faults (the same operations)
    level_star = _resampled_ratio(sums, counts, levels["own"])
    level_star *= levels["credibility"]
    prior_star = _resampled_group_ratio(sums, counts, group, levels["prior"])
    between = rng.standard_normal((draws, creators))
    between *= levels["spread"]
    prior_star += between
    prior_star *= 1 - levels["credibility"]
    level_star += prior_star

    window_count = in_window.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_weight = np.where(window_count > 0, window_weight / window_count, 0.0)
    own_noise = _window_noise(
        resamples[draws:], np.where(quiet, adjusted - levels["center"][None, :], 0.0), quiet, window_count, rng
    )
    # Creators with too few quiet days to resample their own noise take their group's typical
    # day-to-day variation relative to the level (a normal draw with that spread). These normals
    # are the stream's last: without such a creator none is drawn (draws × creators of them).
    few = levels["quiet_days"] < 2
    window_noise = own_noise
    if few.any():
        relative_sd = _group_relative_sd(adjusted, q, group, levels)
        pooled_noise = levels["level"] * relative_sd * np.sqrt(window_count)
        window_noise = np.where(few[None, :], pooled_noise[None, :] * rng.standard_normal((draws, creators)), own_noise)
    noise = window_noise  # a fresh array either way
    noise *= mean_weight
    deviation = level_star
    deviation -= levels["level"]
    np.negative(deviation, out=deviation)
    deviation *= window_weight
    deviation -= noise
    return deviation.T, np.negative(noise, out=noise).T


def _factor_draws(
    factor: DailyFactor, in_window, weekday_weight, level, draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """((C, draws), (C, draws)) ₹: the error of each creator's window baseline that the common
    daily factor's posterior variance allows, level × weekday index × factor error summed over its
    window days; its sampling-noise part (independent from day to day) and its shrinkage part.

    Both parts are shared by every creator in a window that day (the same quiet creators measure
    the factor for all of them; before, each creator's window noise was drawn alone, so the
    factor's error could cancel between creators in a sum). The sampling noise is independent
    from day to day; the shrinkage part, (1 − trust) × the true movement, has the sign of the
    movement on every day of a sale or season, so it is drawn as a moving average of
    2 × FACTOR_NEIGHBOURHOOD + 1 days of independent normals (unit variance, correlation falling
    linearly to 0 at that distance: the span over which trust is estimated). Days whose factor
    keeps nothing add nothing."""
    rng = np.random.default_rng([seed, 2])  # its own stream: the other draws stay as they were
    days = in_window.shape[0]
    width = 2 * FACTOR_NEIGHBOURHOOD + 1
    independent = rng.standard_normal((draws, days))
    running = np.cumsum(np.pad(rng.standard_normal((draws, days + width - 1)), ((0, 0), (1, 0))), axis=1)
    persistent = (running[:, width:] - running[:, :-width]) / np.sqrt(width)
    parts = []
    for variance, normal in ((factor.noise, independent), (factor.shrinkage, persistent)):
        scale = np.where(in_window, np.sqrt(variance), 0.0) * weekday_weight[:, None]
        used = np.flatnonzero(scale.any(axis=1))
        parts.append((normal[:, used] @ scale[used]).T * level[:, None])
    return parts[0], parts[1]


def _resampled_ratio(sums: np.ndarray, counts: np.ndarray, fallback: np.ndarray):
    """(R, C) each creator's level (quiet-day revenue ÷ weights) in each resample, from the
    resamples' (R, C) quiet-day revenue `sums` and weights `counts` (its estimate where a resample
    holds none of its quiet days)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    return np.where(counts > 0, means, fallback[None, :])


def _resampled_group_ratio(sums, counts, group, fallback):
    """(R, C) the level of each creator's group in each resample, from the (R, C) `sums` and
    `counts` of _resampled_ratio (the estimate `fallback` where the group has no quiet day)."""
    groups = group.max() + 1
    member = np.zeros((sums.shape[1], groups))
    member[np.arange(sums.shape[1]), group] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = ((sums @ member) / (counts @ member))[:, group]
    return np.where(np.isfinite(means), means, fallback[None, :])


def _group_relative_sd(adjusted, q, group, levels) -> np.ndarray:
    """(C,) median coefficient of variation of quiet-day revenue among the fully credible creators
    of each creator's group (0 without any)."""
    full = levels["quiet_days"] >= FULL_CREDIBILITY_DAYS
    values = np.where(q > 0, adjusted, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.nanstd(values[:, full], axis=0, ddof=1) / levels["own"][full] if full.any() else np.array([])
    out = np.zeros(group.max() + 1 if len(group) else 0)
    for g in np.unique(group):
        members = cv[(group[full] == g) & np.isfinite(cv)] if full.any() else np.array([])
        out[g] = float(np.median(members)) if len(members) else 0.0
    return out[group]


def interval(draws: np.ndarray, confidence: float = DEFAULT_CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed percentile interval of draws along the last axis: (low, high) in the draws' unit."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    tail = (1 - confidence) / 2
    draws = np.asarray(draws)
    if draws.shape[-1] == 0:
        low, high = np.quantile(draws, [tail, 1 - tail], axis=-1)
        return low, high
    # one sort of each row, then both percentiles: ~3× faster than np.quantile's partitions for
    # rows of 500 draws (a page of parts of creators takes thousands of rows)
    ordered = np.sort(draws, axis=-1)
    return sorted_quantile(ordered, tail), sorted_quantile(ordered, 1 - tail)


def sorted_quantile(ordered: np.ndarray, q: float) -> np.ndarray:
    """np.quantile(values, q, axis=-1) bit for bit (its default linear method: position (n − 1)·q,
    numpy's two-sided interpolation, NaN where a row holds one) of values sorted along the last
    axis (NaN sort last), n ≥ 1."""
    count = ordered.shape[-1]
    position = (count - 1) * q
    below = int(np.floor(position))
    above = min(below + 1, count - 1)
    gamma = position - below
    low, high = ordered[..., below], ordered[..., above]
    step = high - low
    value = high - step * (1 - gamma) if gamma >= 0.5 else low + step * gamma
    return np.where(np.isnan(ordered[..., -1]), np.nan, value)[()]  # a number for one row, as numpy gives
