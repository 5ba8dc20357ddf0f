"""Planning: response curves, the budget planner, creator verdicts and similar profiles. No Dash."""

from metrics.planning.allocate import PlanError, allocate, marginal_roas
from metrics.planning.curves import Curves, fit_curves
from metrics.planning.plan import Plan, plan, plan_on, projection, what_if

__all__ = [
    "Curves",
    "Plan",
    "PlanError",
    "allocate",
    "fit_curves",
    "marginal_roas",
    "plan",
    "plan_on",
    "projection",
    "what_if",
]
