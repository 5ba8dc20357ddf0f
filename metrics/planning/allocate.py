"""Allocating a budget over concave response curves by equalising marginal incremental ROAS.

Problem: maximise Σ_u coef_u · s_u^β subject to Σ_u s_u = budget and (1 − m)·c_u ≤ s_u ≤ (1 + m)·c_u
(c_u the unit's current spend, m the max change). The objective is separable and concave, so the
Karush-Kuhn-Tucker conditions are necessary and sufficient: there is one multiplier λ (the marginal
incremental ROAS of the plan) with s_u = clip((β·coef_u/λ)^(1/(1−β)), lower_u, upper_u), and
Σ s_u(λ) falls monotonically in λ. scipy.optimize.brentq finds the λ whose spends sum to the
budget (Boyd & Vandenberghe, Convex Optimization, §5.5.3 "water-filling"). This is exact, costs
O(units) per evaluation and stays fast for thousands of creators, where a general solver
(SLSQP's dense quadratic subproblems, or cvxpy, not installed) would be slower for the same
optimum; tests check it against scipy.optimize.minimize(method="SLSQP") on small problems.

Break-even (`min_marginal`, settings.plan_min_marginal_roas, default 1×): money goes nowhere its
next rupee returns less than that. λ is floored there: when the spends at λ = min_marginal sum to
less than the budget, those are the plan and the rest of the budget is held back (unallocated),
not pushed into units beyond break-even. This is the same KKT solution for the problem "maximise
Σ (coef_u·s_u^β − min_marginal·s_u) with Σ s_u ≤ budget" (incremental revenue net of what the
money must at least return), whose multiplier λ − min_marginal is ≥ 0.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from metrics import format as fmt

RELATIVE_TOLERANCE = 1e-9


class PlanError(ValueError):
    """A budget or selection the planner cannot plan, with a message for the user."""


def bounds(current: np.ndarray, max_change: float, held: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) spend (₹) of each unit: its current spend ± max_change (a share, 0–1); a unit
    `held` ((units,) bool, default none) stays at its current spend."""
    if not 0 <= max_change <= 1:
        raise PlanError(f"Max change must be between 0 and 1 (a share of current spend), not {max_change:g}.")
    current = np.asarray(current, dtype=float)
    change = max_change if held is None else np.where(held, 0.0, max_change)
    return current * (1 - change), current * (1 + change)


def check_budget(
    budget: float,
    lower: np.ndarray,
    upper: np.ndarray,
    max_change: float,
    held: np.ndarray | None = None,
    unit: str = "segment",
    kept: float = 0.0,
) -> None:
    """Raise PlanError when the budget (₹) is not a number or lies outside [Σ lower, Σ upper] +
    `kept` (₹ spent outside the units, held as it is), naming how many units are `held` at today's
    spend (too early to judge) where some are; where every unit is held the max change cannot help,
    and the message says so instead of suggesting it."""
    if not np.isfinite(budget):
        raise PlanError(f"Budget must be a number of rupees, not {budget}.")
    low, high = float(lower.sum()) + kept, float(upper.sum()) + kept
    slack = RELATIVE_TOLERANCE * max(high, 1.0)
    if low - slack <= budget <= high + slack:
        return
    count = int(np.count_nonzero(held)) if held is not None else 0
    if held is not None and count == len(held):
        raise PlanError(
            f"Budget {fmt.inr(budget)} cannot be planned: every {unit} is kept at today's spend as too early to "
            f"judge, so the only budget is today's spend, {fmt.inr(high)}; a larger max change cannot help."
        )
    why = f" ({fmt.count(count)} kept at today's spend: too early to judge)" if count else ""
    raise PlanError(
        f"Budget {fmt.inr(budget)} is outside what a change of at most ±{fmt.share(max_change, 0)} per "
        f"{unit} allows{why}: {fmt.inr(low)} to {fmt.inr(high)}. Change the budget or the max change."
    )


def allocate(
    coef: np.ndarray,
    beta: float,
    current: np.ndarray,
    budget: float,
    max_change: float,
    min_marginal: float = 0.0,
    held: np.ndarray | None = None,
) -> np.ndarray:
    """(units,) planned spend (₹) maximising Σ coef·s^β with Σ s = budget and each s within
    ±max_change of its current spend. Units with coef 0 (no response) take only what the others
    cannot absorb. With `min_marginal` (× > 0, break-even) no unit is given spend beyond where its
    marginal ROAS falls below it, nor are units without response: Σ s may then fall short of the
    budget (the rest held back; module docstring). Units `held` ((units,) bool) keep their current
    spend. Raises PlanError for an infeasible budget or max change."""
    coef, current = np.asarray(coef, dtype=float), np.asarray(current, dtype=float)
    lower, upper = bounds(current, max_change, held)
    check_budget(budget, lower, upper, max_change, held)
    responsive = (coef > 0) & (upper > lower)
    if min_marginal > 0:
        at_break_even = _spends_at(np.log(min_marginal), coef, beta, lower, upper, responsive)
        if at_break_even.sum() < budget - RELATIVE_TOLERANCE * max(budget, 1.0):
            return at_break_even

    top = np.where(responsive, upper, lower)
    if top.sum() <= budget:
        planned = _spread_rest(top, lower, upper, ~responsive, budget)
    elif budget <= lower.sum():
        planned = lower.copy()
    else:
        log_coef = np.log(np.where(responsive, coef, 1.0))

        def excess(log_lambda: float) -> float:
            with np.errstate(over="ignore"):  # far out in the bracket: an infinite ideal clips to the bound
                ideal = np.exp((np.log(beta) + log_coef - log_lambda) / (1.0 - beta))
            return float(np.where(responsive, np.clip(ideal, lower, upper), lower).sum() - budget)

        lo, hi = _bracket(excess, log_coef, beta, lower, upper, responsive)
        log_lambda = brentq(excess, lo, hi, xtol=1e-12, rtol=4 * np.finfo(float).eps)
        with np.errstate(over="ignore"):
            ideal = np.exp((np.log(beta) + log_coef - log_lambda) / (1.0 - beta))
        planned = np.where(responsive, np.clip(ideal, lower, upper), lower)
    return _exact_sum(planned, lower, upper, budget)


def _spends_at(log_lambda: float, coef, beta, lower, upper, responsive) -> np.ndarray:
    """Each unit's spend (₹) where its marginal ROAS equals λ, within its bounds (lower for units
    without response)."""
    log_coef = np.log(np.where(responsive, coef, 1.0))
    with np.errstate(over="ignore"):
        ideal = np.exp((np.log(beta) + log_coef - log_lambda) / (1.0 - beta))
    return np.where(responsive, np.clip(ideal, lower, upper), lower)


def _bracket(excess, log_coef, beta, lower, upper, responsive) -> tuple[float, float]:
    """log λ with too much spend (every responsive unit at its upper bound) and with too little
    (at its lower bound; a lower bound of 0 is approached by raising λ until the sum falls short)."""
    c, lo_s, hi_s = log_coef[responsive], lower[responsive], upper[responsive]
    floor = np.maximum(lo_s, hi_s * 1e-6)
    lo = float(np.min(np.log(beta) + c + (beta - 1) * np.log(hi_s))) - 1.0
    hi = float(np.max(np.log(beta) + c + (beta - 1) * np.log(floor))) + 1.0
    for _ in range(200):
        if excess(hi) < 0:
            break
        hi += 10.0
    return lo, hi


def _spread_rest(spend, lower, upper, takers, budget) -> np.ndarray:
    """Give what the responsive units cannot absorb to the others, in proportion to their room."""
    rest = budget - spend.sum()
    room = np.where(takers, upper - lower, 0.0)
    if rest <= 0 or room.sum() <= 0:
        return spend
    return spend + room * min(rest / room.sum(), 1.0)


def _exact_sum(planned, lower, upper, budget) -> np.ndarray:
    """Remove the solver's rounding residue (far below a rupee) from units inside their bounds."""
    residual = budget - planned.sum()
    room = upper - planned if residual > 0 else planned - lower
    if residual == 0 or room.sum() <= 0:
        return planned
    return np.clip(planned + residual * room / room.sum(), lower, upper)


def marginal_roas(coef: npt.ArrayLike, beta: float, spend: npt.ArrayLike) -> np.ndarray:
    """(units,) dR/ds = β·coef·s^(β−1) (×) at each spend; NaN at 0 spend."""
    spend = np.asarray(spend, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = beta * np.asarray(coef, dtype=float) * np.power(spend, beta - 1)
    return np.where(spend > 0, value, np.nan)
