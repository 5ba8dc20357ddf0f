"""Planning: response curves, the budget planner, creator verdicts and similar profiles. No Dash."""

from metrics.planning.allocate import PlanError, allocate, marginal_roas
from metrics.planning.curves import Curves, fit_curves
from metrics.planning.plan import Plan, curve_points, plan, plan_on, projection, selection_projection, what_if

__all__ = [
    "Curves",
    "Plan",
    "PlanError",
    "allocate",
    "curve_points",
    "fit_curves",
    "marginal_roas",
    "plan",
    "plan_on",
    "projection",
    "selection_projection",
    "what_if",
]
