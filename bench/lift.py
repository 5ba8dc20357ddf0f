"""Validation harness of the event-window lift method: `python -m bench.lift [--reps N] [--out FILE]`.

Simulates small data sets with a known truth straight as the day × creator panels the import
builds (metrics.lift.method.Panel), runs the same estimator, and reports per scenario: bias and RMSE
of the incremental revenue (₹, per creator and for the total), the coverage of the 90 % interval
at creator level and for the total, and how often an interval lies wholly above 0 (on zero-lift
data: the false-positive rate); and the coverage of parts of creators' windows as the pages take
them (metrics/lift/view.py, part_draws): the posts dated in ranges of 1, 7 and 30 days (every
third start day) and single posts, against the true lift on those posts' window days, beside
the coverage the draws scaled by the share alone gave (the rule before the fifteenth session).
Results: docs/incrementality.md.

Each simulated data set: CREATORS creators over DAYS days; per creator a baseline of orders per
day (log-normal level across creators, common weekly pattern, negative-binomial day-to-day
noise), prices of ₹ AOV ± 20 %; 1–12 posts on random days; after each post a lift of
`lift × 14 × baseline` orders in expectation, spread over the following days by an exponential
decay (mean DECAY_DAYS days). The truth is the realised lift orders × their prices.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import sys
import time

import numpy as np

from bench.run import code_version
from metrics.lift.method import DEFAULT_WINDOW_DAYS, Panel, assign_windows, estimate, interval
from metrics.lift.view import part_draws, share_matrix

CREATORS, DAYS = 30, 365
DECAY_DAYS = 3.0
WEEKLY = np.array([0.95, 0.9, 0.9, 0.95, 1.05, 1.15, 1.1])
AOV = 1500.0
DISPERSION = 5.0  # negative-binomial size: variance = μ + μ²/5


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    lift: float  # expected window lift as a share of the window's baseline
    overlapping: bool = False  # posts come in pairs a few days apart
    shock: bool = False  # a week of +60 % demand inside one post window of each creator, on its own dates
    sale_event: bool = False  # a week of +60 % demand on the same dates for every creator (a brand-wide sale)


SCENARIOS = (
    Scenario("zero lift", 0.0),
    Scenario("lift 5 %", 0.05),
    Scenario("lift 20 %", 0.20),
    Scenario("lift 50 %", 0.50),
    Scenario("overlapping posts (20 %)", 0.20, overlapping=True),
    Scenario("sale event, same days for all (20 %)", 0.20, sale_event=True),
    Scenario("creator's own shock in a window (20 %)", 0.20, shock=True),
)
SHOCK = 1.6  # demand multiplier during a shock
SHOCK_DAYS = 7
RANGE_DAYS = (1, 7, 30)  # date ranges whose posts' coverage is measured
RANGE_STEP = 3  # a range starts every third day


def simulate(scenario: Scenario, rng: np.random.Generator, creators: int = CREATORS, days: int = DAYS):
    """One data set: (Panel, true incremental revenue per day and creator (D, C) in ₹)."""
    weekday = np.arange(days) % 7
    mean_orders = np.exp(rng.normal(np.log(3.0), 1.0, creators))  # orders per day
    expected = mean_orders[None, :] * WEEKLY[weekday][:, None]
    post_creator, post_day = _posts(scenario, rng, creators, days)
    shock = np.ones((days, creators))
    if scenario.shock:
        for c in range(creators):
            mine = post_day[post_creator == c]
            start = int(rng.choice(mine)) + 2
            shock[start : start + SHOCK_DAYS, c] = SHOCK
    if scenario.sale_event:  # half the creators post 1–3 days before the sale starts
        start = int(rng.integers(days // 4, days - days // 4))
        shock[start : start + SHOCK_DAYS, :] = SHOCK
        launching = np.flatnonzero(rng.random(creators) < 0.5)
        post_creator = np.concatenate([post_creator, launching])
        post_day = np.concatenate([post_day, start - rng.integers(1, 4, len(launching))])
    base_orders = rng.negative_binomial(DISPERSION, DISPERSION / (DISPERSION + expected * shock))
    lift_orders = np.zeros((days, creators))
    if scenario.lift > 0:
        decay = np.exp(-np.arange(days) / DECAY_DAYS)
        decay /= decay.sum()
        for c, d in zip(post_creator, post_day):
            total = scenario.lift * DEFAULT_WINDOW_DAYS * mean_orders[c]
            lift_orders[d:, c] += total * decay[: days - d]
        lift_orders = rng.poisson(lift_orders)
    price = AOV * rng.uniform(0.8, 1.2, (days, creators))
    revenue = (base_orders + lift_orders) * price
    panel = Panel(
        revenue=revenue,
        orders=(base_orders + lift_orders).astype(float),
        active=np.ones((days, creators), dtype=bool),
        weekday=weekday,
        post_creator=post_creator,
        post_day=post_day,
        group=rng.integers(0, 3, creators),
    )
    return panel, lift_orders * price


def _posts(scenario: Scenario, rng: np.random.Generator, creators: int, days: int):
    counts = rng.integers(1, 13, creators)
    if scenario.overlapping:
        counts = np.maximum(counts // 2, 1)
    owner = np.repeat(np.arange(creators), counts)
    day = rng.integers(0, days - 28, len(owner))
    if scenario.overlapping:
        owner = np.concatenate([owner, owner])
        day = np.concatenate([day, day + rng.integers(2, 6, len(day))])
    return owner, day


def one_data_set(scenario: Scenario, rep: int, seed: int, draws: int, creators: int, days: int) -> dict:
    """Errors (₹), interval coverage and "called lift" of one simulated data set, per creator and total."""
    panel, daily_truth = simulate(scenario, np.random.default_rng([seed, rep]), creators, days)
    truth = daily_truth.sum(axis=0)
    result = estimate(panel, DEFAULT_WINDOW_DAYS, draws=draws)
    low, high = interval(result.draws)
    point = result.creator["incremental_revenue"]
    t_low, t_high = interval(result.draws.sum(axis=0))
    return {
        **part_coverage(panel, result, daily_truth),
        "creator_error": point - truth,
        "creator_cover": (low <= truth) & (truth <= high),
        "creator_positive": low > 0,
        "total_error": point.sum() - truth.sum(),
        "total_cover": bool(t_low <= truth.sum() <= t_high),
        "total_positive": bool(t_low > 0),
        "total_truth": truth.sum(),
    }


def part_coverage(panel: Panel, result, daily_truth: np.ndarray) -> dict:
    """{"<part>_cover"/"<part>_scaled_cover": bool arrays}: whether the 90 % interval of each part
    (the posts dated in a range of 1, 7 or 30 days; a single post) holds the true lift on its
    posts' window days, with part_draws (W × level error + √W × window noise) and with the draws
    scaled by W alone."""
    assigned = assign_windows(panel, DEFAULT_WINDOW_DAYS)
    rows, columns = np.nonzero(assigned >= 0)
    posts = len(panel.post_day)
    post_truth = np.bincount(assigned[rows, columns], weights=daily_truth[rows, columns], minlength=posts)
    creator_baseline = result.creator["baseline_revenue"][panel.post_creator]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(creator_baseline != 0, result.post["baseline_revenue"] / creator_baseline, 0.0)
    deviations = result.draws - result.creator["incremental_revenue"][:, None]
    members = {"post": [np.array([p]) for p in range(posts)]}
    for length in RANGE_DAYS:
        starts = range(0, panel.revenue.shape[0] - length + 1, RANGE_STEP)
        chosen = (np.flatnonzero((panel.post_day >= s) & (panel.post_day < s + length)) for s in starts)
        members[f"{length}-day"] = [m for m in chosen if len(m)]
    out = {}
    for name, parts in members.items():
        part = np.repeat(np.arange(len(parts)), [len(m) for m in parts])
        post = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        weights = share_matrix(part, panel.post_creator[post], share[post], (len(parts), deviations.shape[0]))
        point = np.bincount(part, weights=result.post["incremental_revenue"][post], minlength=len(parts))
        truth = np.bincount(part, weights=post_truth[post], minlength=len(parts))
        for rule, draws in (("", part_draws(weights, deviations, result.noise)), ("scaled_", weights @ deviations)):
            low, high = interval(draws) if len(parts) else (np.zeros(0), np.zeros(0))
            out[f"{name}_{rule}cover"] = (point + low <= truth) & (truth <= point + high)
    return out


PARTS = ("1-day", "7-day", "30-day", "post")


def _one(job: tuple) -> dict:
    return one_data_set(*job)


def evaluate(
    scenario: Scenario,
    reps: int,
    seed: int = 7,
    draws: int = 500,
    creators: int = CREATORS,
    days: int = DAYS,
    pool=None,
) -> dict:
    """Bias, RMSE (₹), coverage of the 90 % interval and share of intervals above 0, per creator and
    total, over `reps` data sets (data set r uses the seed [seed, r]: the same with or without a pool)."""
    started = time.perf_counter()
    jobs = [(scenario, rep, seed, draws, creators, days) for rep in range(reps)]
    runs = list(pool.imap(_one, jobs, chunksize=4) if pool else map(_one, jobs))
    creator_error = np.concatenate([r["creator_error"] for r in runs])
    total_error = np.array([r["total_error"] for r in runs])
    return {
        "scenario": scenario.name,
        "reps": reps,
        "creators": creators,
        "creator_bias": float(creator_error.mean()),
        "creator_rmse": float(np.sqrt((creator_error**2).mean())),
        "creator_coverage": float(np.concatenate([r["creator_cover"] for r in runs]).mean()),
        "creator_called_lift": float(np.concatenate([r["creator_positive"] for r in runs]).mean()),
        "total_truth": float(np.mean([r["total_truth"] for r in runs])),
        "total_bias": float(total_error.mean()),
        "total_rmse": float(np.sqrt((total_error**2).mean())),
        "total_coverage": float(np.mean([r["total_cover"] for r in runs])),
        "total_called_lift": float(np.mean([r["total_positive"] for r in runs])),
        **{
            f"{part}_{rule}coverage": float(np.concatenate([r[f"{part}_{rule}cover"] for r in runs]).mean())
            for part in PARTS
            for rule in ("", "scaled_")
        },
        "seconds": round(time.perf_counter() - started, 1),
    }


def markdown(rows: list[dict]) -> str:
    head = (
        "| scenario | data sets | creator bias ₹ | creator RMSE ₹ | creator coverage | creator called lift "
        "| mean true total ₹ | total bias ₹ | total RMSE ₹ | total coverage | total called lift |"
    )
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['reps']} | {r['creator_bias']:,.0f} | {r['creator_rmse']:,.0f} | "
            f"{r['creator_coverage']:.3f} | {r['creator_called_lift']:.3f} | {r['total_truth']:,.0f} | "
            f"{r['total_bias']:,.0f} | {r['total_rmse']:,.0f} | {r['total_coverage']:.3f} | "
            f"{r['total_called_lift']:.3f} |"
        )
    lines += ["", parts_markdown(rows)]
    return "\n".join(lines)


def parts_markdown(rows: list[dict]) -> str:
    """Coverage of parts of creators' windows: W·L + √W·N (now), and the draws × W (before)."""
    head = "| scenario | " + " | ".join(f"{p} coverage (× W before)" for p in PARTS) + " |"
    lines = [head, "|" + "---|" * (len(PARTS) + 1)]
    for r in rows:
        cells = " | ".join(f"{r[f'{p}_coverage']:.3f} ({r[f'{p}_scaled_coverage']:.3f})" for p in PARTS)
        lines.append(f"| {r['scenario']} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lift", description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200, help="simulated data sets per scenario (default 200)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--draws", type=int, default=500, help="bootstrap draws per data set (default 500)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: the machine is shared)")
    parser.add_argument("--scenario", action="append", default=None, help="run only scenarios whose name has this")
    parser.add_argument("--json", type=str, default=None, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    chosen = [s for s in SCENARIOS if not args.scenario or any(part in s.name for part in args.scenario)]
    started, load_start, code = time.perf_counter(), os.getloadavg(), code_version()
    pool = multiprocessing.get_context("fork").Pool(args.jobs) if args.jobs > 1 else None
    rows = []
    try:
        for scenario in chosen:
            rows.append(evaluate(scenario, args.reps, args.seed, args.draws, pool=pool))
            print(f"{scenario.name}: {rows[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    finally:
        if pool:
            pool.close()
            pool.join()
    run = {
        "seed": args.seed,
        "draws": args.draws,
        "window_days": DEFAULT_WINDOW_DAYS,
        "jobs": args.jobs,
        "seconds": round(time.perf_counter() - started, 1),
        "load_avg_start": [round(x, 2) for x in load_start],
        "load_avg_end": [round(x, 2) for x in os.getloadavg()],
        "code": code,
    }
    print(markdown(rows))
    print(
        f"\n{args.reps} data sets per scenario, seed {run['seed']}, {run['draws']} draws, {run['window_days']}-day "
        f"windows, {run['jobs']} process(es), {run['seconds']:.0f} s, load average {run['load_avg_start'][0]} → "
        f"{run['load_avg_end'][0]}, commit {run['code']}"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"run": run, "rows": rows}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
