"""The report's budget-plan section: the /plan page's figures and allocation for the selection.

Reuses the page's figure builders (components/plan_figures.py) and metrics.planning; the section is
left out (None) where the planner cannot plan (no measured lift, or no spend).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from components import plan_figures
from metrics import catalogue
from metrics import format as fmt
from metrics.insights import listed
from metrics.planning import Plan, PlanError, curve_points, plan, plan_on, selection_projection
from metrics.planning.curves import exponent_at_bound
from metrics.planning.plan import (
    TODAY_ON_CURVES,
    at_todays_budget,
    better_or_worse,
    held_back_text,
    saving_words,
    spend_change_words,
    total_label,
    unvalued_text,
)
from metrics.planning.verdicts import VERDICTS, verdict_phrase

PLAN_TABLE_ROWS = 60  # the allocation table's rows at most (largest_moves)
PLAN_COLUMNS = (
    "name",  # the segment, or the creator's name (headed by unit_header)
    "current_spend",
    "planned_spend",
    "planned_change",
    "planned_change_pct",
    "expected_incremental_revenue",
    "measured_incremental_revenue",  # the segment's own measurement beside the shrunk curve's figure
    "expected_incremental_revenue_low",
    "expected_incremental_revenue_high",
    "planned_marginal_roas",
)


def _cells(key: str, values: list) -> list[str]:
    """A column of the allocation table: a figure's values in one unit (Metric.column), text as it is."""
    if key in catalogue.CATALOGUE:
        return catalogue.get(key).column(values)
    return ["" if value is None else str(value) for value in values]


class PlanRequest(NamedTuple):
    """What /plan planned (its URL's by, budget and max change), for the report to plan the same:
    `by` "segment" / "influencer", `budget` ₹ (None: the selection's spend), `max_change` a share
    of each unit's spend today (None: settings.plan_max_change). Hashable: part of the report's
    cache key."""

    by: str = "segment"
    budget: float | None = None
    max_change: float | None = None

    def is_default(self, settings) -> bool:
        """True where it is the plan the report makes unasked (by segment, today's budget, the
        settings' max change): the one the move-budget recommendation reads."""
        share = settings.plan_max_change if self.max_change is None else self.max_change
        return self.by == "segment" and self.budget is None and share == settings.plan_max_change


DEFAULT_PLAN = PlanRequest()


def selection_plan(wh, filters, settings) -> Plan | None:
    """The selection's plan by segment at today's budget (metrics.planning.plan, as the move-budget
    recommendation makes it); None where no plan can be made."""
    try:
        return plan(wh, None, "segment", None, filters, settings)
    except PlanError:
        return None


def requested_plan(wh, filters, settings, request: PlanRequest, default: Plan) -> Plan:
    """The plan `request` asks for, as /plan makes it from the same inputs; `default` (the
    selection_plan) where the request is the default, and its segment curves reused where the
    request plans segments. Raises PlanError where /plan shows one (a budget or max change the
    bounds refuse)."""
    if request.is_default(settings):
        return default
    share = settings.plan_max_change if request.max_change is None else request.max_change
    if request.by == "segment":
        return plan_on(default.curves, "segment", request.budget, share, settings)
    return plan(wh, request.budget, request.by, share, filters, settings)


def plan_section(
    wh, filters, settings, verdict_counts: dict[str, int] | None = None, chosen: Plan | None = None
) -> dict | None:
    """Context of the section: summary (sentence), charts ([{title, figure, caption, section}]),
    table (allocation_table), verdicts (text) and held_back (₹, Plan.held_back); None
    where no plan can be made.
    `chosen`: the selection_plan, when the caller has it already."""
    chosen = chosen or selection_plan(wh, filters, settings)
    if chosen is None:
        return None
    today, planned, gain = chosen.totals["current"], chosen.totals["planned"], chosen.totals["gain"]
    held = held_back_text(chosen, settings)
    unvalued = unvalued_text(chosen)
    units = "segments (tier × platform, each" if chosen.by == "segment" else "creators (each"
    summary = (
        # the budget is in the line above it (planned_text)
        f"Moving spend between {units} within ±{fmt.share(chosen.max_change, 0)} of "
        "its spend) until the next rupee returns the same "
        f"everywhere, and never past break-even ({fmt.ratio(settings.plan_min_marginal_roas)}), takes the expected "
        f"incremental revenue from {_with_interval(chosen, 'current', today['expected_incremental_revenue'])} "
        f"to {_with_interval(chosen, 'planned', planned['expected_incremental_revenue'])}: a change of "
        f"{_with_interval(chosen, 'gain', gain['value'])}. "
        + (f"{unvalued} " if unvalued else "")
        + (f"{held} " if held else "")
        + f"Response curves: incremental revenue = coef × spend^{chosen.curves.beta:.2f}, fitted to each creator's "
        f"measured lift and shrunk towards its segment. {TODAY_ON_CURVES}"
    )
    side = exponent_at_bound(chosen.curves.beta, settings)
    if side:
        summary += (
            f" At bound: extrapolation unreliable — the exponent sits at its {side} bound, so how fast returns "
            "diminish is assumed, not fitted."
        )
    charts = [
        {
            "title": "Response curves",
            "figure": plan_figures.response_curves(curve_points(chosen)),
            "caption": f"Expected incremental revenue against spend for the largest planned {chosen.unit_word}s; "
            "open circle: today, diamond: planned.",
            "section": "plan",
        },
        {
            "title": "Next period under today's and the planned allocation",
            "figure": plan_figures.projection(selection_projection(wh, chosen, filters, settings)),
            "caption": "A period as long as the selection, if its baseline sales repeat; bar: interval.",
            "section": "plan",
        },
    ]
    verdicts = (
        "Creators' verdicts: " + ", ".join(verdict_phrase(v, verdict_counts[v]) for v in VERDICTS) + "."
        if verdict_counts
        else None
    )
    return {
        "planned": planned_text(chosen),
        "summary": summary,
        "headline": _headline(chosen),
        "held_back": chosen.held_back,
        "charts": charts,
        "table": allocation_table(chosen),
        "verdicts": verdicts,
    }


def today_spend(chosen: Plan) -> float:
    """The selection's spend today (₹): the units' and the unvalued creators' kept spend, what the
    default budget is (metrics.planning.plan.plan)."""
    return float(chosen.rows["current_spend"].sum()) + chosen.unvalued_spend


def _budget_phrase(chosen: Plan) -> str:
    """ "today's budget of ₹25.2 L", or "a budget of ₹30 L (today's spend ₹25.2 L)" for another."""
    today = today_spend(chosen)
    if abs(chosen.budget - today) < 0.5:
        return f"today's budget of {fmt.inr_compact(chosen.budget)}"
    return f"a budget of {fmt.inr_compact(chosen.budget)} (today's spend {fmt.inr_compact(today)})"


def planned_text(chosen: Plan) -> str:
    """What was planned, as /plan's controls set it: "Planned by creator, at a budget of ₹30 L (today's
    spend ₹25.2 L), each creator within ±50% of its spend today." """
    return f"Planned {_planned_words(chosen)}."


def _planned_words(chosen: Plan) -> str:
    """ "by creator, at a budget of ₹30 L (…), each creator within ±50% of its spend today": planned_text's
    clause, also named in default_plan_note."""
    return (
        f"by {chosen.unit_word}, at {_budget_phrase(chosen)}, each {chosen.unit_word} within "
        f"±{fmt.share(chosen.max_change, 0)} of its spend today"
    )


def default_plan_note(default: Plan, asked: Plan) -> tuple[str, str] | None:
    """The words a move-budget or hold-back recommendation (metrics.insights.move_budget_item, made
    from `default`, the selection_plan, as /insights makes it) carries where the Budget plan section
    prints another plan (`asked`, the requested_plan): (lead, note), the lead before the item naming its
    plan as not the requested one (a report asked for a plan must not open its recommendations with
    another's figures unlabelled), the note after it naming the requested plan. None where both are the
    same plan."""
    if asked is default:
        return None
    held = f", holding back {fmt.inr_compact(asked.held_back)}" if asked.held_back >= 0.5 else ""
    return (
        f"Default plan, as /insights makes it (planned {_planned_words(default)}), not the requested one:",
        f"The Budget plan section shows the requested plan (planned {_planned_words(asked)}{held}).",
    )


def allocation_table(chosen: Plan) -> dict:
    """The section's table of the plan's rows by segment or creator (Plan.by): {title, columns, numeric,
    rows (cells as text), footnote, note}: the rows largest_moves keeps, `note` naming the cut (None
    without one); `footnote` says why its cells that read "—" are undefined
    (catalogue.undefined_footnote, as under the report's other tables), None when none does."""
    shown = largest_moves(chosen.rows)
    rows = shown.rename(
        columns={
            "low": "expected_incremental_revenue_low",
            "high": "expected_incremental_revenue_high",
            "marginal_roas": "planned_marginal_roas",  # at the planned spend (the page's column)
        }
    ).to_dict("records")
    unit = chosen.unit_word.capitalize()
    columns = [(c, unit) if c == "name" else (c, catalogue.get(c).column_header) for c in PLAN_COLUMNS]
    causes = [(header, catalogue.undefined_cause(key, row)) for key, header in columns for row in rows]
    return {
        "title": f"Allocation by {chosen.unit_word}",
        "columns": [header for _, header in columns],
        "numeric": list(range(1, len(columns))),
        "rows": [list(cells) for cells in zip(*(_cells(key, [row.get(key) for row in rows]) for key, _ in columns))],
        "footnote": catalogue.undefined_footnote(causes),
        "note": (
            f"The {len(shown)} {chosen.unit_word}s of {len(chosen.rows):,} with the largest planned change, in the "
            f"plan's order; every one: /plan's allocation table (CSV) or hkdash plan --by {chosen.by}."
            if len(shown) < len(chosen.rows)
            else None
        ),
    }


def largest_moves(rows, limit: int | None = None):
    """The plan's rows (Plan.rows) the PDF prints: all up to PLAN_TABLE_ROWS, else the `limit` with the
    largest |planned change| (₹), kept in the plan's order (a plan by creator has one row per creator:
    thousands at 10M orders)."""
    limit = PLAN_TABLE_ROWS if limit is None else limit
    if len(rows) <= limit:
        return rows
    moves = rows["planned_change"].abs().to_numpy()
    return rows.iloc[np.sort(np.argsort(-moves, kind="stable")[:limit])]


def _with_interval(chosen: Plan, name: str, value: float) -> str:
    """A plan total (₹) with its interval and, where the interval includes 0, its label
    (metrics.planning.plan.total_label): "₹1.2 L (90% interval −₹3,000 to ₹2.4 L: not
    distinguishable from baseline)"."""
    part = chosen.totals[name]
    label = total_label(name, part)
    return (
        f"{fmt.inr_compact(value)} ({fmt.share(chosen.confidence, 0)} interval {fmt.inr_compact(part['low'])} to "
        f"{fmt.inr_compact(part['high'])}{f': {label}' if label else ''})"
    )


def _headline(chosen) -> str:
    """The plan in one sentence for the executive summary: where money moves, what it gains and,
    where money is held back, the plan's net effect (metrics.planning.plan.net_gain) first. Cuts and
    raises are worded as the Recommendations page words them (metrics.insights.listed). Each
    interval follows its own figure (the gain's after the gain, the net's after the net), and the
    budget names the kept spend of the unvalued creators it includes."""
    gain, net, rows = chosen.totals["gain"], chosen.totals["net"], chosen.rows
    more = rows[rows["planned_change"] >= 1].sort_values("planned_change", ascending=False)
    less = rows[rows["planned_change"] <= -1].sort_values("planned_change")
    away = listed([f"{name} ({fmt.inr_compact(change)})" for name, change in _named_changes(chosen, less)])
    unit = chosen.unit_word
    gain_interval, net_interval = _interval_words(chosen, "gain"), _interval_words(chosen, "net")
    if more.empty and chosen.held_back >= 0.5:
        return (
            f"Hold back {fmt.inr_compact(chosen.held_back)} of {_budget_words(chosen)}, cutting "
            f"{away}: no {unit}'s next rupee would return break-even{saving_words(chosen)} "
            f"the plan is {better_or_worse(net['value'])} {net_interval}; expected incremental revenue changes by "
            f"{fmt.inr_compact(gain['value'])} {gain_interval}."
        )
    if more.empty:
        return f"Keep today's allocation: no move between {unit}s raises the expected incremental revenue."
    towards = listed([f"{name} (+{fmt.inr_compact(change)})" for name, change in _named_changes(chosen, more)])
    budget = (
        f", with {fmt.inr_compact(chosen.held_back)} of {_budget_words(chosen)} held back (no {unit}'s next "
        f"rupee would return break-even beyond that)"
        + ("; net of it" if at_todays_budget(chosen) else f"; {spend_change_words(chosen)}: net")
        + f" the plan is {better_or_worse(net['value'])} "
        f"{net_interval}"
        if chosen.held_back >= 0.5
        else (
            f", at the same budget of {fmt.inr_compact(chosen.budget)}"
            if abs(chosen.budget - today_spend(chosen)) < 0.5
            else f", at {_budget_phrase(chosen)}"
        )
        + (f" ({_kept_words(chosen)})" if chosen.unvalued_spend else "")
    )
    return (
        f"Move budget towards {towards}, away from {away or 'the rest'}: expected incremental revenue "
        f"{fmt.inr_compact(gain['value'])} higher {gain_interval}{budget}."
    )


def _named_changes(chosen: Plan, rows) -> list[tuple[str, float]]:
    """[(unit's name, planned change ₹)] of `rows` (some of chosen.rows): a segment by its key, a creator by
    name (the allocation table's, not an id)."""
    names = rows["segment"] if chosen.by == "segment" else rows["name"]
    return list(zip(names, rows["planned_change"], strict=True))


def _interval_words(chosen: Plan, name: str) -> str:
    """ "(90% interval −₹822 to ₹6,305: not distinguishable from today)" of a plan total."""
    part = chosen.totals[name]
    label = total_label(name, part)
    return (
        f"({fmt.share(chosen.confidence, 0)} interval {fmt.inr_compact(part['low'])} to "
        f"{fmt.inr_compact(part['high'])}{f': {label}' if label else ''})"
    )


def _budget_words(chosen: Plan) -> str:
    """ "the ₹1.22 L budget (₹9,204 of the budget kept on 16 creators not valued)": the budget is the whole
    selection's (metrics.planning.plan.plan), so it is read beside the report's Spend."""
    kept = f" ({_kept_words(chosen)})" if chosen.unvalued_spend else ""
    return f"the {fmt.inr_compact(chosen.budget)} budget{kept}"


def _kept_words(chosen: Plan) -> str:
    """ "₹9,204 of the budget kept on 16 creators not valued" (Plan.unvalued_spend): "of it" read as part of
    the money held back just before it (tester t2)."""
    count = len(chosen.curves.unvalued)
    return f"{fmt.inr_compact(chosen.unvalued_spend)} of the budget kept on {fmt.counted(count, 'creator')} not valued"
