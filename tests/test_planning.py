"""metrics.planning: the allocator's invariants, hand-computed plans, verdicts and similarity, and the
planner against the sample's planted truth (truth/lift.csv)."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

import cli
from metrics import DEFAULT_SETTINGS, Filters, catalogue
from metrics import format as fmt
from metrics.aggregate import sums_by
from metrics.planning import PlanError, allocate, marginal_roas, plan, projection, what_if
from metrics.planning.curves import Curves, curves_from_points, exponent_at_bound
from metrics.planning.plan import TODAY_ON_CURVES
from metrics.planning.similar import features, gower_similarity
from metrics.planning.verdicts import verdict_of
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


def norm(text: str) -> str:
    """Text as pdftotext gives it: white space as one space, no word joiner (fmt.NEGATIVE)."""
    return " ".join(text.replace("\xa0", " ").replace("\u2060", "").split())


def response(coef, beta, spend):
    return float(np.sum(np.asarray(coef) * np.power(np.asarray(spend), beta)))


# --- the allocator --------------------------------------------------------------------------------


def test_two_units_by_hand():
    # β = ½: spend ∝ coef^(1/(1−β)) = coef², so coefs 1 and 2 split 200 as 40 / 160, and both
    # marginal ROAS are ½·1·40^−½ = ½·2·160^−½ = 0.0791.
    planned = allocate(np.array([1.0, 2.0]), 0.5, np.array([100.0, 100.0]), 200.0, 1.0)
    assert planned == pytest.approx([40.0, 160.0], rel=1e-9)
    assert marginal_roas([1.0, 2.0], 0.5, planned) == pytest.approx([0.5 / 40**0.5] * 2, rel=1e-9)


def test_bounds_bind_by_hand():
    # ±30 %: the better unit stops at 130, the other takes the rest of the 200.
    planned = allocate(np.array([1.0, 2.0]), 0.5, np.array([100.0, 100.0]), 200.0, 0.3)
    assert planned == pytest.approx([70.0, 130.0])


def test_infeasible_budget_is_a_clear_error():
    with pytest.raises(PlanError, match=r"outside what a change of at most ±30% per segment allows: ₹140 to ₹260"):
        allocate(np.array([1.0, 2.0]), 0.5, np.array([100.0, 100.0]), 300.0, 0.3)
    with pytest.raises(PlanError, match="Max change"):
        allocate(np.array([1.0]), 0.5, np.array([100.0]), 100.0, 1.5)


def test_units_without_response_take_only_the_rest():
    planned = allocate(np.array([0.0, 1.0]), 0.5, np.array([100.0, 100.0]), 250.0, 0.3)
    assert planned == pytest.approx([120.0, 130.0])


problems = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0.0, 50.0), min_size=n, max_size=n),
        st.lists(st.floats(1.0, 1e6), min_size=n, max_size=n),
        st.floats(0.1, 0.9),
        st.floats(0.0, 1.0),
        st.floats(0.0, 1.0),
    )
)


@settings(max_examples=300, deadline=None)
@given(problems)
def test_plan_invariants(problem):
    coef, current, beta, max_change, where = (np.asarray(problem[0]), np.asarray(problem[1]), *problem[2:])
    lower, upper = current * (1 - max_change), current * (1 + max_change)
    budget = lower.sum() + where * (upper.sum() - lower.sum())
    planned = allocate(coef, beta, current, budget, max_change)
    assert planned.sum() == pytest.approx(budget, rel=1e-9, abs=1e-6)
    assert np.all(planned >= lower - 1e-6 * current) and np.all(planned <= upper + 1e-6 * current)
    inside = (planned > lower + 1e-6 * current) & (planned < upper - 1e-6 * current) & (coef > 0)
    slopes = marginal_roas(coef, beta, planned)[inside]
    if len(slopes) > 1:
        assert slopes.max() == pytest.approx(slopes.min(), rel=1e-6)
    # KKT: a unit at its upper bound returns at least the common margin, one at its lower at most.
    if len(slopes):
        margin = slopes.mean()
        at_upper = (planned >= upper - 1e-6 * current) & (upper > lower) & (coef > 0)
        at_lower = (planned <= lower + 1e-6 * current) & (upper > lower)
        assert np.all(marginal_roas(coef, beta, planned)[at_upper] >= margin * (1 - 1e-6))
        assert np.all(np.nan_to_num(marginal_roas(coef, beta, planned)[at_lower]) <= margin * (1 + 1e-6))


def test_break_even_holds_money_back_by_hand():
    # β = ½: marginal ROAS 20/√s for coef 40 (1× at ₹400), 5/√s for coef 10 (1× at ₹25). Budget
    # ₹500 within ±50 %: without the floor A takes its upper bound ₹450 (marginal 20/√450 = 0.94×,
    # below break-even); with it A stops at ₹400, B stays at its lower bound ₹50, ₹50 is held back.
    coef, current = np.array([40.0, 10.0]), np.array([300.0, 100.0])
    assert allocate(coef, 0.5, current, 500.0, 0.5) == pytest.approx([450.0, 50.0])
    assert allocate(coef, 0.5, current, 500.0, 0.5, min_marginal=1.0) == pytest.approx([400.0, 50.0])
    # A budget whose common margin is above break-even (₹400: A ₹350 at 1.07×) is spent in full.
    assert allocate(coef, 0.5, current, 400.0, 0.5, min_marginal=1.0) == pytest.approx([350.0, 50.0])
    # No response anywhere: every unit is cut to its lower bound, nothing raised.
    assert allocate(np.zeros(2), 0.5, current, 400.0, 0.5, min_marginal=1.0) == pytest.approx([150.0, 50.0])


def test_held_units_keep_their_spend_by_hand():
    # The case above with B held (too early to judge): B stays at ₹100, so A's break-even spend
    # ₹400 spends the ₹500 budget in full; without the floor A takes the ₹400 B does not.
    coef, current, held = np.array([40.0, 10.0]), np.array([300.0, 100.0]), np.array([False, True])
    assert allocate(coef, 0.5, current, 500.0, 0.5, min_marginal=1.0, held=held) == pytest.approx([400.0, 100.0])
    assert allocate(coef, 0.5, current, 500.0, 0.5, held=held) == pytest.approx([400.0, 100.0])
    # A budget A alone cannot reach within ±50 % (₹450 + ₹100 < ₹600) is refused, not pushed into B.
    with pytest.raises(PlanError, match=r"allows \(1 kept at today's spend: too early to judge\): ₹250 to ₹550"):
        allocate(coef, 0.5, current, 600.0, 0.5, held=held)


@settings(max_examples=300, deadline=None)
@given(problems, st.floats(0.05, 5.0))
def test_no_rupee_goes_where_it_returns_less_than_break_even(problem, floor):
    coef, current, beta, max_change, where = (np.asarray(problem[0]), np.asarray(problem[1]), *problem[2:])
    lower, upper = current * (1 - max_change), current * (1 + max_change)
    budget = lower.sum() + where * (upper.sum() - lower.sum())
    planned = allocate(coef, beta, current, budget, max_change, min_marginal=floor)
    assert planned.sum() <= budget * (1 + 1e-9) + 1e-6
    assert np.all(planned >= lower - 1e-6 * current) and np.all(planned <= upper + 1e-6 * current)
    raised = planned > current + 1e-6 * np.maximum(current, 1.0)
    assert np.all(marginal_roas(coef, beta, planned)[raised] >= floor * (1 - 1e-6))
    if planned.sum() < budget * (1 - 1e-6) - 1e-6:  # money held back: no unit could take it at break-even
        room = (planned < upper - 1e-6 * current) & (coef > 0)
        assert np.all(np.nan_to_num(marginal_roas(coef, beta, planned)[room]) <= floor * (1 + 1e-6))


@settings(max_examples=200, deadline=None)
@given(problems)
def test_plan_is_never_worse_than_today_at_the_same_budget(problem):
    coef, current, beta, max_change, _ = (np.asarray(problem[0]), np.asarray(problem[1]), *problem[2:])
    planned = allocate(coef, beta, current, current.sum(), max_change)
    assert response(coef, beta, planned) >= response(coef, beta, current) * (1 - 1e-9) - 1e-9


@settings(max_examples=60, deadline=None)
@given(problems)
def test_plan_matches_a_general_solver(problem):
    coef, current, beta, max_change, where = (np.asarray(problem[0]), np.asarray(problem[1]), *problem[2:])
    lower, upper = current * (1 - max_change), current * (1 + max_change)
    budget = lower.sum() + where * (upper.sum() - lower.sum())
    planned = allocate(coef, beta, current, budget, max_change)
    scale = current.sum()
    general = minimize(
        lambda x: -response(coef, beta, x * scale),
        current / scale * budget / scale if scale else current,
        method="SLSQP",
        bounds=list(zip(lower / scale, upper / scale)),
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget / scale}],
        options={"ftol": 1e-12, "maxiter": 500},
    )
    if general.success:
        assert response(coef, beta, planned) >= response(coef, beta, general.x * scale) * (1 - 1e-6) - 1e-6


# --- curves, shrinkage and the plan on hand-made points ----------------------------------------------


def points_fixture():
    frame = pd.DataFrame(
        {
            "influencer_id": ["A", "B", "C", "D"],
            "name": ["A", "B", "C", "D"],
            "tier": ["Mid", "Mid", "Mega", "Mega"],
            "platform": ["Instagram"] * 4,
            "spend": [100.0, 300.0, 1000.0, 1000.0],
            "posts": [3, 4, 5, 0],
            "incremental_revenue": [80.0, 150.0, 200.0, 0.0],
            "measured": [True, True, True, False],
            "segment": ["Mid · Instagram"] * 2 + ["Mega · Instagram"] * 2,
        }
    )
    rng = np.random.default_rng(1)
    frame.attrs["draws"] = np.vstack([rng.normal(0, 10, 200) for _ in range(3)] + [np.zeros(200)])
    return frame


def test_curves_reproduce_pooled_segments_and_unmeasured_creators_take_the_prior():
    s = DEFAULT_SETTINGS
    points = points_fixture()
    by_creator = curves_from_points(points, "influencer", s)
    beta = by_creator.beta
    assert s.response_exponent_min <= beta <= s.response_exponent_max
    coef = by_creator.units.set_index("unit")["coef"]
    # D has no measured post: its coefficient is its segment's pooled one, Σ r ÷ Σ s^β over measured.
    assert coef["D"] == pytest.approx(200.0 / 1000.0**beta)
    # A segment's curve is its creators' curves at their current shares.
    by_segment = curves_from_points(points, "segment", s)
    seg = by_segment.units.set_index("unit")
    mega = seg.loc["Mega · Instagram"]
    assert mega["current_spend"] == 2000.0
    assert by_segment.response(seg["current_spend"].to_numpy()).sum() == pytest.approx(
        by_creator.response(by_creator.units["current_spend"].to_numpy()).sum()
    )
    assert by_segment.coef_draws.shape == (2, 200)


def negative_pair():
    """Two measured creators of one segment, ₹10,000 and 5 posts each, no bootstrap spread (so the
    shrinkage weight is 1 and θ = r ÷ s^β): A measured +₹1,000, B −₹500."""
    frame = pd.DataFrame(
        {
            "influencer_id": ["A", "B"],
            "name": ["A", "B"],
            "tier": ["Mid", "Mid"],
            "platform": ["Instagram"] * 2,
            "spend": [10_000.0, 10_000.0],
            "posts": [5, 5],
            "incremental_revenue": [1_000.0, -500.0],
            "measured": [True, True],
            "segment": ["Mid · Instagram"] * 2,
        }
    )
    frame.attrs["draws"] = np.zeros((2, 50))
    return frame


def test_money_figures_keep_a_negative_curve_and_the_allocation_gives_it_nothing():
    """Tester (h7): θ floored at 0 made the planner's expected incremental revenue a sum of floored
    curves, ₹1.67 L on no-lift data measured at −₹47,800. β fixed at ½: θ_A = 1,000 ÷ √10,000 = 10,
    θ_B = −500 ÷ 100 = −5. Today: 10 × 100 − 5 × 100 = ₹500, the measured total (the floor said
    ₹1,000). Budget ₹20,000, ±50 %, no break-even floor: B is unresponsive, so it takes its lower
    bound ₹5,000 and A ₹15,000; valued on the signed curves 10√15,000 − 5√5,000 = ₹871.19."""
    from metrics.planning.plan import plan_on

    fixed = dataclasses.replace(
        DEFAULT_SETTINGS,
        response_exponent_min=0.5,
        response_exponent_max=0.5,
        plan_min_marginal_roas=0.0,
        verdict_min_posts=3,
        verdict_min_spend=1_000.0,
    )
    by_creator = curves_from_points(negative_pair(), "influencer", fixed)
    assert by_creator.units["coef"].tolist() == pytest.approx([10.0, -5.0])
    assert by_creator.units["plan_coef"].tolist() == pytest.approx([10.0, 0.0])
    chosen = plan_on(by_creator, "influencer", None, 0.5, fixed)
    rows = chosen.rows.set_index("influencer_id")
    assert rows["planned_spend"].to_dict() == pytest.approx({"A": 15_000.0, "B": 5_000.0})
    assert rows.loc["B", "expected_incremental_revenue"] == pytest.approx(-5 * 5_000**0.5)
    assert rows.loc["B", "marginal_roas"] == 0.0  # unresponsive, not a negative next rupee
    assert chosen.totals["current"]["expected_incremental_revenue"] == pytest.approx(500.0)
    planned = 10 * 15_000**0.5 - 5 * 5_000**0.5
    assert chosen.totals["planned"]["expected_incremental_revenue"] == pytest.approx(planned)
    assert chosen.totals["gain"]["value"] == pytest.approx(planned - 500.0)
    # One segment: A = Σ θ w^β = (10 − 5)·√½ values today at ₹500 too, and plans on the same
    # curve (raising the segment raises B too); with B at −₹1,500 (θ −15) A < 0: unresponsive.
    segment = curves_from_points(negative_pair(), "segment", fixed).units.iloc[0]
    assert segment["coef"] == segment["plan_coef"] == pytest.approx(5 * 0.5**0.5)
    assert segment["coef"] * 20_000**0.5 == pytest.approx(500.0)
    worse = negative_pair()
    worse.loc[1, "incremental_revenue"] = -1_500.0
    segment = curves_from_points(worse, "segment", fixed).units.iloc[0]
    assert segment["coef"] == pytest.approx(-5 * 0.5**0.5) and segment["plan_coef"] == 0.0


def test_creators_plan_holds_those_too_early_to_judge():
    """Tester F22: the creators' plan cut a creator with 1 post by the full max change, while
    /insights gives it no verdict and no action. Bar 3 posts and ₹200: A (₹100) and D (0 posts)
    are too early and keep today's spend; B and C are planned (both cut 30 %: under a rupee back)."""
    from metrics.planning.plan import plan_on

    bar = dataclasses.replace(DEFAULT_SETTINGS, verdict_min_posts=3, verdict_min_spend=200.0)
    curves = curves_from_points(points_fixture(), "influencer", bar)
    rows = plan_on(curves, "influencer", None, 0.3, bar).rows.set_index("influencer_id")
    assert rows["planned_spend"].to_dict() == pytest.approx({"A": 100.0, "B": 210.0, "C": 700.0, "D": 1000.0})
    assert rows["bound"].to_dict() == {"A": "too early", "B": "lower", "C": "lower", "D": "too early"}
    for unit, row in rows.iterrows():
        too_early = verdict_of({"posts": row["posts"], "spend": row["current_spend"]}, bar, True)[0] == "too early"
        assert too_early == (row["bound"] == "too early"), unit
    # segments pool their creators' evidence: none is held
    by_segment = plan_on(curves_from_points(points_fixture(), "segment", bar), "segment", None, 0.3, bar)
    assert "too early" not in set(by_segment.rows["bound"])


def _text(component) -> str:
    """A Dash component's text, its children's joined (what the page shows of it)."""
    if isinstance(component, str | int | float):
        return str(component)
    children = getattr(component, "children", None)
    if children is None:
        return ""
    parts = children if isinstance(children, list | tuple) else [children]
    return " ".join(_text(child) for child in parts if child is not None)


def test_plan_what_if_and_projection_on_hand_points():
    from metrics.planning.plan import plan_on

    curves = curves_from_points(points_fixture(), "segment", DEFAULT_SETTINGS)
    # Every segment here returns under a rupee per rupee (₹430 on ₹2,400): break-even cuts all by 30 %
    # and holds the rest back; without the floor the plan spends the whole budget.
    held = plan_on(curves, "segment", None, 0.3, DEFAULT_SETTINGS)
    assert held.rows["planned_spend"].tolist() == pytest.approx([280.0, 1400.0])
    assert held.held_back == pytest.approx(720.0)
    assert (held.rows["planned_change"] < 0).all()
    # /insights and the PDF say so instead of moving money: nothing qualifies at break-even
    from metrics import insights
    from metrics.planning.plan import held_back_text, margin_at_plan
    from reports.plan_section import _headline

    item = insights.move_budget_item(None, Filters(), DEFAULT_SETTINGS, held)
    assert item["subject"] == "Hold back ₹720 from Mega · Instagram, Mid · Instagram"
    # Nothing moves: an action of its own (its own badge on /insights), not "move budget".
    assert item["action"] == "hold back" and item["text"].startswith("Hold back ₹720 from Mega")
    assert item["numbers"]["to"] == [] and item["numbers"]["held_back"] == pytest.approx(720.0)
    assert "No segment's next rupee would return at least 1.00x (break-even)" in item["reason"]
    assert norm(_headline(held)).startswith("Hold back ₹720 of the ₹2,400 budget, cutting Mega · Instagram")
    # Net of spend (tester F5): the ₹720 not spent counts, so the plan's net is the gain + ₹720, its
    # interval the gain's shifted by as much; /insights, /plan and the PDF lead with it.
    gain, net = held.totals["gain"], held.totals["net"]
    for side in ("value", "low", "high"):
        assert net[side] == pytest.approx(gain[side] + 720.0)
    assert net["value"] > 0 > gain["value"]
    words = f"{norm(fmt.inr_compact(net['value']))} better than today"
    # at today's budget (₹2,400) the held-back ₹720 is the spend saved: one figure says both
    assert f"break-even. Net of the spend saved the plan is {words}" in norm(_headline(held))
    text = norm(held_back_text(held, DEFAULT_SETTINGS))
    assert f"there. Net of the spend saved the plan is {words}" in text
    # the net's two parts, so it adds up from what is shown (tester t1, session 19)
    assert f"(₹720 of spend saved, expected incremental revenue {norm(fmt.inr_compact(gain['value']))}" in text
    # a budget above today's (tester t1, session 19: "Held back ₹37.10 L" beside "Net +₹20.08 L" did
    # not reconcile): ₹3,000 − ₹1,680 = ₹1,320 held back against the budget, but ₹720 saved against
    # today; the net is the ₹720 + the gain, and every surface says the planned spend against today's
    above = plan_on(curves, "segment", 3_000.0, 0.3, DEFAULT_SETTINGS)
    assert above.held_back == pytest.approx(1_320.0)
    assert above.totals["net"]["value"] == pytest.approx(gain["value"] + 720.0)
    spends = "it spends ₹1,680, ₹720 less than today's ₹2,400"
    text = norm(held_back_text(above, DEFAULT_SETTINGS))
    assert text.startswith("₹1,320 of the ₹3,000 budget is held back")
    assert f"there; {spends}. Net of that the plan is {words} (₹720 of spend saved" in text
    assert f"break-even; {spends}. Net of that the plan is {words}" in norm(_headline(above))
    from callbacks.plan import plan_cards

    cards = {c.id: norm(_text(c)) for c in plan_cards(above, DEFAULT_SETTINGS)}
    assert f"of the ₹3,000 budget; {spends}" in cards["kpi-plan-held-back"]
    assert norm(_text(plan_cards(held, DEFAULT_SETTINGS)[1])).endswith("of the ₹2,400 budget")
    assert f"{words}: ₹720 of spend saved, expected incremental revenue" in cards["kpi-plan-net"]
    assert item["numbers"]["net_gain"] == pytest.approx(net["value"])
    assert item["evidence"][0] == f"net +{fmt.inr_compact(net['value'])} vs today"
    assert not any(e.startswith("gain ") for e in item["evidence"])
    sign = "+" if gain["value"] >= 0 else ""
    assert item["evidence"][-1] == f"incremental revenue {sign}{fmt.inr_compact(gain['value'])} vs today"
    assert item["reason"].endswith("; see the budget plan for the whole allocation.")
    # Every segment sits at its max-change bound: the plan's marginal ROAS is the best next rupee's
    # return among them, below break-even (why nothing is raised), not "—".
    margin, basis = margin_at_plan(held)
    assert basis == "best" and margin == pytest.approx(held.rows["marginal_roas"].max()) and margin < 1
    # The PDF's headline words its cuts as the Recommendations page does: three named, the rest
    # counted (tester F9: two of seventeen were named).
    many = dataclasses.replace(
        held,
        rows=pd.DataFrame({"segment": [f"S{i}" for i in range(5)], "planned_change": [-500.0, -400, -300, -200, -100]}),
    )
    cuts = f"cutting S0 ({fmt.inr(-500)}), S1 ({fmt.inr(-400)}), S2 ({fmt.inr(-300)}) and 2 more:"
    assert cuts in _headline(many)
    no_floor = dataclasses.replace(DEFAULT_SETTINGS, plan_min_marginal_roas=0.0)
    result = plan_on(curves, "segment", None, 0.3, no_floor)
    assert result.held_back == pytest.approx(0.0, abs=1e-6)
    assert result.budget == 2400.0
    assert result.rows["planned_spend"].sum() == pytest.approx(2400.0)
    totals = result.totals
    assert totals["planned"]["expected_incremental_revenue"] >= totals["current"]["expected_incremental_revenue"]
    assert totals["planned"]["low"] <= totals["planned"]["expected_incremental_revenue"] <= totals["planned"]["high"]
    mid = result.rows.set_index("segment").loc["Mid · Instagram"]
    same = what_if(result, "Mid · Instagram", float(mid["planned_spend"]))
    assert same["change_from_plan"] == pytest.approx(0.0, abs=1e-9)
    assert not same["outside_history"]
    assert what_if(result, "Mid · Instagram", 10_000.0)["outside_history"]
    with pytest.raises(PlanError):
        what_if(result, "nope", 1.0)
    future = projection(result, revenue=10_000.0, days=30).set_index("allocation")
    assert future.loc["today", "revenue"] == pytest.approx(10_000.0)
    assert future.loc["planned", "spend"] == pytest.approx(2400.0)
    gain = totals["planned"]["expected_incremental_revenue"] - totals["current"]["expected_incremental_revenue"]
    assert future.loc["planned", "revenue"] - future.loc["today", "revenue"] == pytest.approx(gain)


# --- verdicts --------------------------------------------------------------------------------------


# A creator with ₹50,000 spend, 5 posts and attributed ROAS 3x (not a poor performer); each case
# changes what it names. Break-even (verdict_renew_roas 1x) is a lift interval bottom of ₹50,000.
JUDGED = {"posts": 5, "spend": 50_000.0, "roas": 3.0, "poor_performer": False}


def judged_row(**changes) -> dict:
    return {**JUDGED, **changes}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # no cost recorded, whatever the lift says: below every bar (F21), never "review"
        ({"posts": 5, "spend": 0.0}, "too early"),
        ({"posts": 6, "spend": 0.0, "revenue": 443_163.13, "roas": None, "incremental_revenue_low": 9e4}, "too early"),
        # below the evidence bar (3 posts, ₹10,000), however good or bad the figures: too early
        (judged_row(posts=2, incremental_revenue_low=60_000.0, incremental_revenue_high=90_000.0), "too early"),
        (judged_row(spend=5_000.0, incremental_revenue_low=6_000.0, incremental_revenue_high=9_000.0), "too early"),
        (judged_row(posts=1, roas=0.1, incremental_revenue_low=-900.0, incremental_revenue_high=-1.0), "too early"),
        # exactly at the bar: judged
        (judged_row(posts=3, spend=10_000.0, incremental_revenue_low=-9.0, incremental_revenue_high=-1.0), "drop"),
        (judged_row(incremental_revenue_low=-900.0, incremental_revenue_high=-1.0), "drop"),
        # the interval lies above 0 but the attributed ROAS is 0.14x (the tester's case): drop
        (
            judged_row(roas=0.14, poor_performer=True, incremental_revenue_low=10.0, incremental_revenue_high=6_000.0),
            "drop",
        ),
        (judged_row(roas=0.999, incremental_revenue_low=10.0, incremental_revenue_high=40_000.0), "drop"),
        # ROAS exactly 1x is not below break-even on attributed revenue; its lift is not enough: review
        (
            judged_row(roas=1.0, poor_performer=True, incremental_revenue_low=10.0, incremental_revenue_high=40_000.0),
            "review",
        ),
        # bottom of the interval exactly at break-even (₹50,000 on ₹50,000): renew, or scale at marginal 1x
        (judged_row(incremental_revenue_low=50_000.0, incremental_revenue_high=90_000.0, marginal_roas=0.4), "renew"),
        (judged_row(incremental_revenue_low=50_000.0, incremental_revenue_high=90_000.0, marginal_roas=1.0), "scale"),
        (judged_row(incremental_revenue_low=50_000.0, incremental_revenue_high=90_000.0, marginal_roas=None), "renew"),
        # ₹1 short of break-even: review, whatever the marginal ROAS
        (judged_row(incremental_revenue_low=49_999.0, incremental_revenue_high=90_000.0, marginal_roas=1.2), "review"),
        # clears break-even but flagged a poor performer (ROI < 50 % here): review, never renew
        (
            judged_row(
                roas=1.4, poor_performer=True, incremental_revenue_low=60_000.0, incremental_revenue_high=70_000.0
            ),
            "review",
        ),
        (judged_row(incremental_revenue_low=-10.0, incremental_revenue_high=90_000.0, marginal_roas=3.0), "review"),
    ],
)
def test_verdicts_by_hand(row, expected):
    verdict, reason = verdict_of(row, DEFAULT_SETTINGS, measured=True)
    assert verdict == expected and reason


def test_verdict_reasons_name_the_bar_missed():
    def reason(**changes):
        return verdict_of(judged_row(**changes), DEFAULT_SETTINGS, measured=True)[1]

    assert "ROAS 0.14x < 1x" in reason(roas=0.14, incremental_revenue_low=10.0, incremental_revenue_high=6_000.0)
    short = reason(incremental_revenue_low=25_000.0, incremental_revenue_high=90_000.0)
    assert "incremental ROAS 0.50x to 1.80x" in short and "break-even 1.00x" in short
    assert "poor performer" in reason(
        roas=1.4, poor_performer=True, incremental_revenue_low=6e4, incremental_revenue_high=7e4
    )
    assert "not distinguishable" in reason(incremental_revenue_low=-1.0, incremental_revenue_high=9e4)
    # Tester F8: at the default bar of 0 the rule says the interval lies below zero, not "less than 0.00x".
    lost = reason(incremental_revenue_low=-9_000.0, incremental_revenue_high=-1_000.0)
    assert lost.endswith(": even the top is below zero (the posts lost sales)") and "0.00x" not in lost
    stricter = dataclasses.replace(DEFAULT_SETTINGS, verdict_drop_roas=0.5)
    top = verdict_of(judged_row(incremental_revenue_low=10.0, incremental_revenue_high=20_000.0), stricter, True)
    assert top == ("drop", top[1]) and top[1].endswith(": even the top returns less than 0.50x of spend")


def test_a_poor_performer_is_never_renewed_or_scaled():
    """Whatever its lift, marginal ROAS and settings, a creator flagged poor is not renewed."""
    import dataclasses

    lenient = dataclasses.replace(DEFAULT_SETTINGS, verdict_renew_roas=0.0, verdict_scale_marginal_roas=0.0)
    for roas in (0.14, 1.0, 1.9):
        row = judged_row(roas=roas, poor_performer=True, incremental_revenue_low=1e6, incremental_revenue_high=2e6)
        assert verdict_of(dict(row, marginal_roas=5.0), lenient, True)[0] in {"review", "drop"}


def test_verdict_thresholds_are_settings():
    import dataclasses

    row = judged_row(incremental_revenue_low=10.0, incremental_revenue_high=20_000.0, marginal_roas=0.4)
    assert verdict_of(row, DEFAULT_SETTINGS, True)[0] == "review"  # bottom 0.0002x < break-even 1x
    stricter = dataclasses.replace(DEFAULT_SETTINGS, verdict_drop_roas=0.5)  # top 0.4x < 0.5x
    assert verdict_of(row, stricter, True)[0] == "drop"
    cheaper = dataclasses.replace(DEFAULT_SETTINGS, verdict_renew_roas=0.0002)  # bottom ₹10 = 0.0002x
    assert verdict_of(row, cheaper, True)[0] == "renew"
    looser = dataclasses.replace(cheaper, verdict_scale_marginal_roas=0.3)
    assert verdict_of(row, looser, True)[0] == "scale"
    with pytest.raises(ValueError, match="verdict_drop_roas"):
        dataclasses.replace(DEFAULT_SETTINGS, verdict_drop_roas=1.5)
    # Lift not measured: the attributed rule, the one the recommendations use.
    assert verdict_of(dict(row, revenue=0.0), DEFAULT_SETTINGS, measured=False)[0] == "drop"  # no attributed revenue


def test_candidates_to_scale_clear_the_renew_bar_first():
    """Spend-weighted mean marginal ROAS of the funded rows: (2·100 + 0.5·100 + 3·100 + 2·100) ÷ 400
    = 1.875x; A clears break-even (low 150 ≥ 100) at 2x: a candidate; B is below the mean; C's low
    (50) does not cover its spend; D clears both but is a poor performer."""
    from metrics.planning.verdicts import under_funded

    frame = pd.DataFrame(
        {
            "influencer_id": ["A", "B", "C", "D"],
            "spend": [10_000.0, 10_000.0, 10_000.0, 10_000.0],
            "posts": [3, 3, 3, 3],
            "marginal_roas": [2.0, 0.5, 3.0, 2.0],
            "incremental_revenue_low": [15_000.0, 15_000.0, 5_000.0, 15_000.0],
            "poor_performer": [False, False, False, True],
        }
    )
    assert under_funded(frame).tolist() == [True, False, False, False]
    assert under_funded(frame.drop(columns="poor_performer")).tolist() == [True, False, False, True]
    # below the evidence bar: never a candidate
    assert under_funded(frame.assign(posts=[2, 3, 3, 3])).tolist() == [False, False, False, False]


def test_a_candidate_to_scale_returns_at_least_break_even_at_the_margin():
    """Mean marginal ROAS (0.6 + 0.2) ÷ 2 = 0.4x: A is above the mean but its next rupee returns
    ₹0.60, below break-even 1x: no candidate."""
    from metrics.planning.verdicts import under_funded

    frame = pd.DataFrame(
        {
            "spend": [10_000.0, 10_000.0],
            "posts": [5, 5],
            "marginal_roas": [0.6, 0.2],
            "incremental_revenue_low": [15_000.0, 15_000.0],
        }
    )
    assert under_funded(frame).tolist() == [False, False]
    assert under_funded(frame.assign(marginal_roas=[1.0, 0.2])).tolist() == [True, False]


@pytest.mark.parametrize(
    ("row", "pooled", "expected"),
    [
        ({"spend": 0.0, "revenue": 10.0}, 2.0, "too early"),
        ({"spend": 10_000.0, "revenue": 0.0, "roas": 0.0}, 2.0, "drop"),
        ({"spend": 10_000.0, "revenue": 8_000.0, "roas": 0.8, "poor_performer": True}, 2.0, "drop"),
        ({"spend": 10_000.0, "revenue": 15_000.0, "roas": 1.5, "poor_performer": True}, 2.0, "review"),
        ({"spend": 10_000.0, "revenue": 30_000.0, "roas": 3.0, "poor_performer": False}, 2.5, "scale"),
        ({"spend": 10_000.0, "revenue": 30_000.0, "roas": 3.0, "poor_performer": False}, 3.5, "renew"),
        # the tester's case: 1 post, ₹2,500 spend, ROAS 4x above the selection's: too early, not scale
        ({"spend": 2_500.0, "revenue": 10_000.0, "roas": 4.0, "poor_performer": False, "posts": 1}, 2.0, "too early"),
        ({"spend": 9_999.0, "revenue": 0.0, "roas": 0.0}, 2.0, "too early"),
    ],
)
def test_attributed_verdicts_by_hand(row, pooled, expected):
    verdict, reason = verdict_of({"posts": 3, **row}, DEFAULT_SETTINGS, measured=False, pooled_roas=pooled)
    assert verdict == expected and reason


def test_too_early_says_what_is_missing():
    row = {"posts": 1, "spend": 2_500.0, "revenue": 10_000.0, "roas": 4.0, "poor_performer": False}
    for measured in (True, False):
        verdict, reason = verdict_of(row, DEFAULT_SETTINGS, measured=measured, pooled_roas=2.0)
        assert verdict == "too early"
        assert norm(reason) == (
            "1 post and ₹2,500 spend: needs 2 more posts and ₹7,500 more spend (the bar: 3 posts and ₹10,000)"
        )
    _, reason = verdict_of(dict(row, posts=4), DEFAULT_SETTINGS, measured=False, pooled_roas=2.0)
    assert "needs ₹7,500 more spend" in norm(reason) and "more post" not in reason
    lenient = dataclasses.replace(DEFAULT_SETTINGS, verdict_min_posts=1, verdict_min_spend=2_500.0)
    assert verdict_of(row, lenient, measured=False, pooled_roas=2.0)[0] == "scale"


def test_no_cost_recorded_is_too_early_with_its_own_reason():
    """₹0 spend (the sample's HK0039: 6 posts, ₹4,43,163.13 revenue; HK0012: 3 posts, no sales):
    no verdict, and the reason points at the payouts file instead of asking for more spend."""
    sold = {"posts": 6, "spend": 0.0, "revenue": 443_163.13, "roas": None, "poor_performer": False}
    quiet = {"posts": 3, "spend": 0.0, "revenue": 0.0, "roas": None, "poor_performer": False}
    for measured in (True, False):
        assert [norm(r) for r in verdict_of(sold, DEFAULT_SETTINGS, measured, pooled_roas=2.0)] == [
            "too early",
            "no cost recorded for 6 posts and ₹4,43,163 revenue: check the payouts file (the bar: 3 posts and ₹10,000)",
        ]
        assert norm(verdict_of(quiet, DEFAULT_SETTINGS, measured, pooled_roas=2.0)[1]) == (
            "no cost recorded for 3 posts: check the payouts file (the bar: 3 posts and ₹10,000)"
        )
    nothing = {"posts": 0, "spend": 0.0, "revenue": 0.0}
    assert verdict_of(nothing, DEFAULT_SETTINGS, True)[1] == (
        "no posts and no cost in the selection (the bar: 3 posts and ₹10,000)"
    )
    # a bar of ₹0 spend still judges no creator without cost: its ROAS is undefined
    free = dataclasses.replace(DEFAULT_SETTINGS, verdict_min_posts=0, verdict_min_spend=0.0)
    assert verdict_of(sold, free, measured=False, pooled_roas=2.0)[0] == "too early"


# --- similarity ------------------------------------------------------------------------------------


def test_gower_similarity_by_hand():
    frame = pd.DataFrame(
        {
            "platform": ["Instagram", "Instagram", "YouTube"],
            "category": ["Fitness", "Fitness", "Fitness"],
            "tier": ["Mid", "Micro", "Mid"],
            "persona": ["Coach", None, "Coach"],
            "followers": [100_000, 10_000, 1_000_000],
            "engagement_rate_pct": [2.0, 4.0, None],
        }
    )
    similarity, shared = gower_similarity(features(frame), 0)
    # log10 followers span 4 → 6 (range 2); engagement 2 → 4 (range 2).
    # B: platform 0, category 0, tier 1, persona missing, followers |5−4|/2 = .5, engagement 1 → 2.5/5.
    # C: platform 1, category 0, tier 0, persona 0, followers .5, engagement missing → 1.5/5.
    assert similarity[1] == pytest.approx(1 - 2.5 / 5)
    assert similarity[2] == pytest.approx(1 - 1.5 / 5)
    assert shared[1] == ["platform Instagram", "category Fitness"]
    assert shared[2] == ["category Fitness", "tier Mid", "persona Coach"]


# --- the sample's planted truth ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planning-sample")
    generate_sample(root / "src", orders=60_000, influencers=250, seed=7)
    import_dataset(root / "src", root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb"), pd.read_csv(root / "src" / "truth" / "lift.csv")


@pytest.fixture(scope="module")
def no_lift(tmp_path_factory):
    root = tmp_path_factory.mktemp("planning-no-lift")
    generate_sample(root / "src", orders=20_000, seed=42, lift=False)
    import_dataset(root / "src", root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


def test_on_no_lift_data_the_plan_values_today_as_measured_and_claims_no_gain(no_lift):
    """No planted lift (seed 42, the tester's data): today's expected incremental revenue is the
    measured one of its creators up to the shrinkage, both intervals include ₹0, and neither the
    plan's total nor its change against today is "significant" (before: ₹1,66,532, interval
    ₹55,884 to ₹4,37,394, against −₹47,800 measured). Also with 1–7 May (change was −₹1,078,
    interval −₹5,647 to −₹35)."""
    from metrics.lift import lift_totals

    for filters in (Filters(), Filters(start=pd.Timestamp("2025-05-01").date(), end=pd.Timestamp("2025-05-07").date())):
        chosen = plan(no_lift, filters=filters)
        measured = lift_totals(no_lift, filters)
        today = chosen.totals["current"]
        assert today["low"] <= 0 <= today["high"]
        assert chosen.totals["planned"]["low"] <= 0 <= chosen.totals["planned"]["high"]
        assert chosen.totals["gain"]["low"] <= 0 <= chosen.totals["gain"]["high"]
        width = measured["incremental_revenue_high"] - measured["incremental_revenue_low"]
        assert abs(today["expected_incremental_revenue"] - measured["incremental_revenue"]) < 0.1 * width


def test_planner_moves_money_towards_higher_true_returns(planted):
    """The allocator's direction, without the break-even floor (the planted lift returns under a
    rupee per rupee in most segments; the floor's own test follows)."""
    wh, truth = planted
    result = plan(wh, settings=dataclasses.replace(DEFAULT_SETTINGS, plan_min_marginal_roas=0.0))
    per = sums_by(wh, Filters(), DEFAULT_SETTINGS, ("influencer_id", "tier", "platform"))
    per["true"] = per["influencer_id"].map(truth.groupby("influencer_id")["true_incremental_revenue"].sum())
    per["segment"] = per["tier"] + " · " + per["platform"]
    segments = per.groupby("segment")[["true", "spend"]].sum()
    true_roas = (segments["true"].fillna(0) / segments["spend"]).rename("true_roas")
    rows = result.rows.set_index("segment").join(true_roas)
    # The planted lift has one fee exponent everywhere, so a segment's true marginal return is
    # proportional to its true incremental ROAS: the moved money must earn more where it goes.
    change, true = rows["planned_change"], rows["true_roas"].fillna(0)
    added = float((change.clip(lower=0) * true).sum() / change.clip(lower=0).sum())
    removed = float((-change.clip(upper=0) * true).sum() / -change.clip(upper=0).sum())
    assert added > 1.3 * removed
    assert rows["planned_spend"].sum() == pytest.approx(result.budget)


def test_planner_raises_no_segment_beyond_break_even_on_the_sample(planted):
    wh, _ = planted
    result = plan(wh)
    rows = result.rows
    raised = rows[rows["planned_change"] > 1e-6 * rows["current_spend"]]
    assert (raised["marginal_roas"] >= DEFAULT_SETTINGS.plan_min_marginal_roas * (1 - 1e-6)).all()
    assert result.held_back == pytest.approx(result.budget - rows["planned_spend"].sum())
    # what is held back could not be placed at break-even: no unit with room has a marginal ROAS above 1x
    if result.held_back > 1:
        room = rows[rows["bound"].isna() | (rows["bound"] == "break-even") | (rows["bound"] == "lower")]
        assert (room["marginal_roas"].fillna(0) <= 1 + 1e-6).all()


def test_plan_and_similar_on_the_command_line(planted, capsys):
    wh, _ = planted
    assert cli.main(["--db", str(wh.path), "plan", "--by", "influencer", "--max-change", "0.2", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    rows = document["rows"]
    assert set(rows[0]) == {
        "influencer_id",
        "name",
        "current_spend",
        "planned_spend",
        "expected_incremental_revenue",
        "low",
        "high",
        "marginal_roas",
        "measured_incremental_revenue",
        "measured_low",
        "measured_high",
    }
    kept = document["unvalued"]["spend"]  # the unvalued creators' spend comes out of the budget first
    assert sum(r["planned_spend"] for r in rows) + document["held_back"] + kept == pytest.approx(document["budget"])
    assert all(abs(r["planned_spend"] - r["current_spend"]) <= 0.2 * r["current_spend"] + 1e-6 for r in rows)
    # the plan never returns less net of its spend than today (break-even may hold money back)
    totals = document["totals"]
    net = {k: totals[k]["expected_incremental_revenue"] - totals[k]["spend"] for k in ("current", "planned")}
    assert net["planned"] >= net["current"] - 1e-6 * abs(net["current"])
    assert cli.main(["--db", str(wh.path), "plan", "--by", "influencer", "--max-change", "0.2"]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert TODAY_ON_CURVES in lines  # today's interval is the curves', as /plan and the PDF say
    # /plan's warning of an exponent at its bound, in the text (after the title line) and in --json
    bound = document["exponent_at_bound"]
    assert bound == exponent_at_bound(document["beta"])
    assert lines[1].startswith("At bound: extrapolation unreliable.") == (bound is not None)
    # the columns are named by the catalogue, as /plan's allocation table names them; creators by id and name
    header = lines[2 if bound else 1].split("  ")
    assert [h.strip() for h in header if h.strip()] == [
        "Influencer ID",
        "Name",
        "Current",
        "Planned",
        "Expected (shrunk to segment)",
        "Low",
        "High",
        "Marginal planned",
        "Measured (own)",
    ]
    text = norm(printed)
    if document["held_back"] >= 0.5:
        assert f"{fmt.inr(document['held_back'])} of the" in text and "held back" in text
    names = {r["influencer_id"]: r["name"] for r in rows}
    listed = lines[3 if bound else 2]
    assert listed.split()[0] in names and names[listed.split()[0]] in listed
    assert cli.main(["--db", str(wh.path), "plan", "--budget", "1", "--json"]) == 2
    assert "outside what a change" in capsys.readouterr().err
    # a share, not the page's percent: the message names the option and its unit (tester t1)
    assert cli.main(["--db", str(wh.path), "plan", "--by", "influencer", "--max-change", "1.5"]) == 2
    assert capsys.readouterr().err.strip() == (
        "hkdash: --max-change is a share of each creator's spend today, between 0 and 1 (0.3 = ±30 %; "
        "/plan's box takes percent), not 1.5."
    )
    first = rows[0]["influencer_id"]
    assert cli.main(["--db", str(wh.path), "similar", first, "--json", "--limit", "4"]) == 0
    similar = json.loads(capsys.readouterr().out)
    assert len(similar) == 4 and all(r["influencer_id"] != first for r in similar)
    assert {"influencer_id", "name", "similarity", "shared", "spend", "incremental_roas"} <= set(similar[0])
    assert [r["similarity"] for r in similar] == sorted((r["similarity"] for r in similar), reverse=True)
    assert cli.main(["--db", str(wh.path), "similar", "NOBODY"]) == 2


def similar_with_every_verdict(wh, influencer_id, filters, limit=10):
    """similar() as it was: verdicts and reasons of every creator of the selection, then the rows
    most similar to `influencer_id` (the reference for the shown-rows-only path)."""
    from metrics.lift import creator_lift
    from metrics.planning.similar import features, gower_similarity
    from metrics.planning.verdicts import under_funded, with_verdicts
    from metrics.ranking import ranking
    from metrics.summary import with_lift

    lift = creator_lift(wh, filters, DEFAULT_SETTINGS)
    ranked = with_lift(wh, ranking(wh, filters, DEFAULT_SETTINGS), filters, DEFAULT_SETTINGS, "event-window", lift)
    ranked = ranked[ranked["known"].fillna(False).astype(bool)].reset_index(drop=True)
    row = int(np.flatnonzero(ranked["influencer_id"].to_numpy() == influencer_id)[0])
    ranked = with_verdicts(wh, ranked, filters, DEFAULT_SETTINGS, lift)
    ranked["similarity"], ranked["shared"] = gower_similarity(features(ranked), row)
    ranked["under_funded"] = under_funded(ranked)
    others = ranked.drop(index=row)
    others = others[others["similarity"].notna()]
    return others.sort_values(["similarity", "influencer_id"], ascending=[False, True]).head(limit)


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(platform=("Instagram", "YouTube")), Filters(brand=("MuscleBlaze",), start="2025-03-01")],
)
def test_similar_judges_only_the_rows_it_shows_with_the_same_verdicts(planted, filters):
    """similar() takes verdicts for its shown rows only; every column equals the reference that
    judged every creator (the pooled ROAS of the attributed rule is still the whole selection's)."""
    from metrics.planning.similar import similar

    wh, _ = planted
    target = sums_by(wh, filters, DEFAULT_SETTINGS, ("influencer_id",)).sort_values("revenue").iloc[-1]["influencer_id"]
    fast = similar(wh, target, filters, DEFAULT_SETTINGS, limit=10)
    reference = similar_with_every_verdict(wh, target, filters, limit=10)[list(fast.columns)].reset_index(drop=True)
    assert len(fast) == 10
    pd.testing.assert_frame_equal(fast, reference)


def test_report_has_the_budget_plan_section(planted, tmp_path):
    import subprocess

    from metrics.planning.verdicts import verdict_counts, with_verdicts
    from metrics.ranking import ranking
    from metrics.summary import with_lift
    from reports import build_report

    wh, _ = planted
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_report(wh))
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    chosen = plan(wh)
    from metrics import format as fmt

    assert "Budget plan" in text and "Allocation by segment" in text and "Response curves" in text
    gain = chosen.totals["gain"]
    assert norm(f"a change of {fmt.inr_compact(gain['value'])}") in text
    if chosen.held_back >= 0.5:
        assert f"{norm(fmt.inr(chosen.held_back))} of the" in text and "is held back" in text
    counts = verdict_counts(with_verdicts(wh, with_lift(wh, ranking(wh), Filters(), DEFAULT_SETTINGS, "event-window")))
    assert f"{counts['renew']} to renew" in text and f"{counts['review']} to review" in text
    assert f"{counts['too early']} too early to judge" in text
    top = chosen.rows.iloc[0]
    assert (
        norm(f"{top['segment']} {fmt.inr_compact(top['current_spend'])} {fmt.inr_compact(top['planned_spend'])}")
        in text
    )


def test_plan_without_measured_lift_says_why(traps_wh, capsys):
    assert cli.main(["--db", str(traps_wh.path), "plan", "--json"]) == 2
    assert "no measured incrementality" in capsys.readouterr().err
    with pytest.raises(PlanError):
        plan(traps_wh)


def test_frame_rows_equal_to_dict_records():
    """with_verdicts reads rows through frame_rows (only the columns used are converted): each row
    must be the mapping to_dict("records") gives, values and types, for every dtype a ranking has."""
    from metrics.planning.verdicts import frame_rows

    frame = pd.DataFrame(
        {
            "influencer_id": ["a", "b", "c"],
            "spend": [1500.0, float("nan"), 0.0],
            "posts": pd.array([3, None, 1], dtype="Int64"),
            "marginal_roas": [None, 1.25, None],
            "verdict": ["scale", None, np.float64(2.5)],
            "name": pd.array(["A", None, "C"], dtype="str"),
            "poor_performer": [True, False, True],
            "first_post": pd.to_datetime(["2025-01-01", None, "2025-02-03"]),
        }
    )
    rows, expected = frame_rows(frame), frame.to_dict("records")
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert list(row) == list(want)
        for key, value in want.items():
            got = row[key]
            assert type(got) is type(value) and (got == value or (pd.isna(got) and pd.isna(value)))
        assert row.get("absent", "default") == "default"


def test_an_exponent_at_its_bound_is_flagged():
    from metrics.planning.curves import exponent_at_bound

    low, high = DEFAULT_SETTINGS.response_exponent_min, DEFAULT_SETTINGS.response_exponent_max
    assert exponent_at_bound(high - 1e-6) == "upper" and exponent_at_bound(low + 1e-6) == "lower"
    assert exponent_at_bound((low + high) / 2) is None
    assert exponent_at_bound(high - 0.05) is None  # a fit well inside the range


def test_plan_page_shows_the_what_if_once(planted, monkeypatch):
    """On a page change plan_page computes the what-if of the unit it selects (the plan is at
    hand) and records its inputs; the what-if callback, fired by that unit, then plans nothing
    again. Its own result is the same; a typed spend or another unit is computed and recorded."""
    from dash._utils import to_json
    from dash.exceptions import PreventUpdate
    from dash_helpers import text

    import app  # noqa: F401  (registers the pages and their callbacks)
    from callbacks import plan as plan_callbacks

    wh, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    search, state = "?platform=Instagram", ("segment", None, 30)
    *_, options, unit, children, shown, hint = plan_callbacks.plan_page(search, *state, None, "/plan")
    assert unit == options[0]["value"] and shown["unit"] == unit
    chosen = plan(wh, None, "segment", 0.3, Filters(platform=("Instagram",)))
    # the empty spend box says what it computes (tester F6): the unit's planned spend, in ₹
    by_segment = chosen.rows.set_index("segment")["planned_spend"]
    assert hint == f"{fmt.inr(by_segment[unit])} (planned)"
    with pytest.raises(PreventUpdate):
        plan_callbacks.plan_what_if(unit, None, search, *state, shown)
    alone, recorded, again = plan_callbacks.plan_what_if(unit, None, search, *state, None)
    assert to_json(alone) == to_json(children) and recorded == shown and again == hint
    for other, spend in ((unit, 12_345.0), (options[-1]["value"], None)):
        result, recorded, hint = plan_callbacks.plan_what_if(other, spend, search, *state, shown)
        assert recorded == {**shown, "unit": other, "spend": spend}
        assert hint == f"{fmt.inr(by_segment[other])} (planned)"
        planned = float(chosen.rows.set_index("segment").loc[other, "planned_spend"])
        expected = what_if(chosen, other, planned if spend is None else spend)
        assert fmt.inr(expected["expected_incremental_revenue"]) in text(result)
    # the picked unit stays through a change of the plan's inputs while it is still in the plan
    picked = options[-1]["value"]
    *_, kept, _, kept_shown, _ = plan_callbacks.plan_page(search, "segment", None, 60, 12_345.0, "/plan", picked)
    assert kept == picked and kept_shown["unit"] == picked and kept_shown["max_change"] == 60
    *_, first, _, _, _ = plan_callbacks.plan_page(search, *state, None, "/plan", "no such segment")
    assert first == options[0]["value"]
    # a typed spend stays through a filter change: plan_page shows the what-if at that spend
    *_, unit, children, shown, _ = plan_callbacks.plan_page("", *state, 12_345.0, "/plan")
    expected = what_if(plan(wh), unit, 12_345.0)
    assert shown["spend"] == 12_345.0 and fmt.inr(expected["expected_incremental_revenue"]) in text(children)


@pytest.mark.parametrize("by", ["segment", "influencer"])
def test_curve_points_equal_a_frame_per_unit(planted, by):
    """curve_points builds one frame of every unit's columns: equal to a frame per unit, concatenated."""
    from metrics.lift.method import interval
    from metrics.planning import curve_points

    wh, _ = planted
    chosen = plan(wh, by=by)
    fast = curve_points(chosen)
    table = chosen.curves.units.set_index("unit")
    rows = chosen.rows.set_index("segment" if by == "segment" else "influencer_id")
    frames = []
    for unit in rows.sort_values("planned_spend", ascending=False).index[:8]:
        spend = np.linspace(0.0, 2 * max(rows.loc[unit, "current_spend"], rows.loc[unit, "planned_spend"], 1.0), 25)
        draws = chosen.curves.coef_draws[table.index.get_loc(unit)]
        low, high = interval(np.outer(np.power(spend, chosen.curves.beta), draws), chosen.confidence)
        expected = table.loc[unit, "coef"] * np.power(spend, chosen.curves.beta)
        frames.append(pd.DataFrame({"unit": unit, "spend": spend, "expected": expected, "low": low}).assign(high=high))
    pd.testing.assert_frame_equal(fast.drop(columns="name"), pd.concat(frames, ignore_index=True))
    assert (fast["name"] == fast["unit"].map(rows["name"])).all()  # names unique in this data set
    assert list(fast.attrs["marks"]["unit"]) == list(dict.fromkeys(fast["unit"]))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 10),
    st.one_of(st.just(0.0), st.floats(0.01, 1e6)),
    st.one_of(st.none(), st.floats(0.0, 50.0)),
    st.booleans(),
    st.booleans(),
    st.integers(0, 5),
    st.floats(0.0, 50_000.0),
)
def test_every_verdict_clears_the_evidence_bar_first(posts, spend, roas, poor, measured, min_posts, min_spend):
    """Whatever the figures and whether lift is measured: below the bar the verdict is too early
    (and its reason says what is missing), at or above it never; ₹0 spend is below any bar, with
    the payouts file as its reason (tester F21: it read "review" before)."""
    bar = dataclasses.replace(DEFAULT_SETTINGS, verdict_min_posts=min_posts, verdict_min_spend=min_spend)
    revenue = (roas or 0.0) * spend
    row = {
        "posts": posts,
        "spend": spend,
        "revenue": revenue,
        "roas": roas,
        "poor_performer": poor,
        "incremental_revenue_low": revenue * 0.1 - spend * 0.05,
        "incremental_revenue_high": revenue * 0.3,
        "marginal_roas": roas,
    }
    verdict, reason = verdict_of(row, bar, measured=measured, pooled_roas=2.0)
    below = posts < min_posts or spend < min_spend or spend == 0
    assert (verdict == "too early") == below
    if spend == 0:
        assert reason.startswith("no ")
        assert ("check the payouts file" in reason) == (posts > 0 or revenue > 0)
    elif below:
        assert "needs" in reason


def test_break_even_setting_is_checked():
    with pytest.raises(ValueError, match="plan_min_marginal_roas"):
        dataclasses.replace(DEFAULT_SETTINGS, plan_min_marginal_roas=-0.5)


@pytest.mark.parametrize(
    "by, budget, max_change, message",
    [
        ("segment", -5, None, f"Budget {fmt.inr(-5)} is outside what a change of at most ±30% per segment allows"),
        ("segment", None, 150, "Max change must be between 0 and 100 % of each segment's spend today, not 150 %"),
        ("segment", None, -10, "Max change must be between 0 and 100 % of each segment's spend today, not -10 %"),
        ("influencer", None, 150, "Max change must be between 0 and 100 % of each creator's spend today, not 150 %"),
    ],
)
def test_plan_page_refuses_a_typed_budget_or_max_change_it_cannot_plan(
    planted, monkeypatch, by, budget, max_change, message
):
    """Tester h3 F20: -5 or 150 % was replaced by the default plan in silence (the inputs' min/max
    made the browser send nothing). The inputs carry no bounds; the page says what is wrong, in the
    plan's unit (session 17: creator mode said "each segment's spend")."""
    from dash_helpers import text, walk

    import app  # noqa: F401
    from callbacks import plan as plan_callbacks
    from components.ids import plan as ids
    from pages import plan as plan_page

    wh, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    _empty, _style, error, *rest = plan_callbacks.plan_page("", by, budget, max_change, None, "/plan")
    assert message in text(error) and rest[3] == []  # no cards (after the bound, held-back and unvalued notices)
    # the allowed budgets stay shown beside a refused budget (the default plan's); a refused max change has
    # none, but today's spend stays (the help line vanished, tester t1)
    assert ("this max change allows" in rest[9]) == (budget is not None)
    assert rest[9].startswith("Today's spend in the selection ₹")
    # the table's place says why there is no allocation, not the grid's "No rows for these filters"
    assert rest[6] == [] and rest[7] == {"display": "none"}
    assert norm(text(rest[8])).startswith(norm(f"Allocation No plan to allocate: {message}"))
    inputs = [c for c in walk(plan_page.controls()) if getattr(c, "id", None) in (ids.BUDGET, ids.MAX_CHANGE)]
    assert len(inputs) == 2 and all(getattr(c, "min", None) is None and getattr(c, "max", None) is None for c in inputs)


def test_response_curves_of_creators_are_named_as_the_allocation_table_names_them(planted):
    """Tester h3 F22: /plan's Creators mode drew a legend of ids (HK0009, …) beside a table of names."""
    from components import plan_figures
    from metrics.planning import curve_points
    from metrics.planning.plan import _shown_names

    wh, _ = planted
    chosen = plan(wh, None, "influencer")
    points = curve_points(chosen)
    names = chosen.rows.set_index("influencer_id")["name"]
    assert (points["name"] == points["unit"].map(names)).all() and not points["name"].isin(points["unit"]).all()
    legend = {trace["name"] for trace in plan_figures.response_curves(points)["data"] if trace.get("mode") == "lines"}
    assert legend == set(points["name"])
    # two creators of one name stay two legend entries
    assert _shown_names(pd.Series({"A1": "Asha", "B2": "Asha", "C3": "Ben"}), ["A1", "B2", "C3"]) == {
        "A1": "Asha (A1)",
        "B2": "Asha (B2)",
        "C3": "Ben",
    }


def test_what_if_refuses_a_negative_spend_with_a_message(planted, monkeypatch):
    """Tester h8 N5: -100 in the what-if box was replaced by the planned spend in silence (the
    input's min=0 made the browser send nothing). The box carries no min; the server refuses."""
    from dash_helpers import text, walk

    import app  # noqa: F401
    from callbacks import plan as plan_callbacks
    from components.ids import plan as ids
    from pages import plan as plan_page

    wh, _ = planted
    chosen = plan(wh)
    unit = chosen.rows.sort_values("planned_spend").iloc[-1]["segment"]
    assert "Spend must be ₹0 or more, not " in text(plan_callbacks.what_if_children(chosen, unit, -100))
    (box,) = [c for c in walk(plan_page.layout()) if getattr(c, "id", None) == ids.WHAT_IF_SPEND]
    assert getattr(box, "min", None) is None


def test_a_creators_plan_speaks_of_creators(planted):
    """Tester h3 F22 / h8: /plan's Creators mode still said "segment" in its texts."""
    from metrics import DEFAULT_SETTINGS as defaults
    from reports.plan_section import plan_section

    wh, _ = planted
    assert plan(wh).unit_word == "segment" and plan(wh, by="influencer").unit_word == "creator"
    section = plan_section(wh, Filters(), defaults, chosen=plan(wh))  # the PDF plans segments
    assert "for the largest planned segments;" in section["charts"][0]["caption"]


def hand_curves(coef, posts, current=(10_000.0, 10_000.0), beta=0.5) -> Curves:
    """Two segments X and Y on curves coef × s^β picked by hand (no fit)."""
    units = pd.DataFrame(
        {
            "unit": ["X", "Y"],
            "name": ["X", "Y"],
            "tier": ["Mid", "Mega"],
            "platform": ["Instagram"] * 2,
            "creators": 1,
            "posts": list(posts),
            "current_spend": list(current),
            "incremental_revenue": 0.0,
            "coef": list(coef),
            "plan_coef": [max(c, 0.0) for c in coef],
        }
    )
    return Curves(units, np.zeros((2, 10)), beta)


def test_a_plan_cuts_to_zero_what_buys_no_post():
    """Tester N2: at max change 100 % the break-even spend on a power curve is a fraction of a rupee
    (its slope at ₹0 has no limit), so "cut" units showed ₹1–₹2 planned and a marginal ROAS of 1.00x.
    β = 0.5, break-even 1x. X: coef 20, ₹10,000 on 10 posts (one post ₹1,000); its next rupee
    returns 0.5 × 20 / √s, 1x at s = ₹100 < ₹1,000: cut to ₹0. Y: coef 200, ₹10,000 on 2 posts;
    1x at s = ₹10,000 (one post ₹5,000): kept. The ₹20,000 budget: ₹10,000 held back."""
    from metrics.planning.plan import cut_text, held_back_text, margin_at_plan, plan_on

    chosen = plan_on(hand_curves((20.0, 200.0), (10, 2)), "segment", None, 1.0, DEFAULT_SETTINGS)
    rows = chosen.rows.set_index("segment")
    assert rows["planned_spend"].to_dict() == pytest.approx({"X": 0.0, "Y": 10_000.0})
    assert rows.loc["X", "bound"] == "cut" and rows.loc["X", "expected_incremental_revenue"] == 0.0
    assert np.isnan(rows.loc["X", "marginal_roas"])  # no spend, no next rupee: "—"
    assert chosen.held_back == pytest.approx(10_000.0)
    assert margin_at_plan(chosen) == (pytest.approx(1.0), "common")  # Y's next rupee at ₹10,000
    assert cut_text(chosen) == f"Cut to ₹0 (1 segment, {fmt.inr(10_000)} today): X."
    assert norm(held_back_text(chosen, DEFAULT_SETTINGS)).endswith(norm(cut_text(chosen)))
    # Both like X (Y: coef 20, 10 posts, ₹12,000): everything cut, nothing planned, no marginal
    # ROAS at the plan ("—", basis "cut"), never a remnant's 1.00x.
    both = plan_on(hand_curves((20.0, 20.0), (10, 10), (10_000.0, 12_000.0)), "segment", None, 1.0, DEFAULT_SETTINGS)
    assert both.rows["planned_spend"].tolist() == [0.0, 0.0] and set(both.rows["bound"]) == {"cut"}
    assert both.held_back == pytest.approx(22_000.0) and both.totals["planned"]["spend"] == 0.0
    assert margin_at_plan(both) == (None, "cut")
    assert cut_text(both) == f"Cut to ₹0 (2 segments, {fmt.inr(22_000)} today): Y, X."
    # Within a max change below 100 % nothing can reach ₹0: X is only lowered (₹5,000 at 50 %).
    half = plan_on(hand_curves((20.0, 200.0), (10, 2)), "segment", None, 0.5, DEFAULT_SETTINGS)
    assert half.rows.set_index("segment").loc["X", "planned_spend"] == pytest.approx(5_000.0)
    assert cut_text(half) is None


def test_the_pdf_allocation_table_says_why_a_cut_units_marginal_roas_is_undefined():
    """Session 17 (h5): the PDF's allocation table showed "—" without the footnote every other PDF
    table carries. The hand plan above at max change 100 %: X cut to ₹0 (no next rupee: "—"), Y
    kept at ₹10,000 (1.00x); Change % is defined for both (₹10,000 today)."""
    from metrics.planning.plan import plan_on
    from reports.plan_section import allocation_table

    curves = hand_curves((20.0, 200.0), (10, 2))
    table = allocation_table(plan_on(curves, "segment", None, 1.0, DEFAULT_SETTINGS))
    rows = {row[0]: dict(zip(table["columns"], row)) for row in table["rows"]}
    assert (rows["X"]["Marginal planned"], rows["Y"]["Marginal planned"]) == ("—", "1.00x")
    assert rows["X"]["Change %"] == "-100.0%"
    assert table["footnote"] == "— = undefined: Marginal planned (cut to ₹0)."
    # within ±30 % nothing is cut: no "—", no footnote
    assert allocation_table(plan_on(curves, "segment", None, 0.3, DEFAULT_SETTINGS))["footnote"] is None


def test_a_cut_remnant_goes_to_the_others_where_the_plan_spends_the_whole_budget():
    """No break-even floor: spends equalise the next rupee, s ∝ coef² at β = 0.5, so X (coef 20)
    would get ₹20,000 × 400 / 40,00,400 = ₹2, less than its ₹1,000 post: cut, and Y (coef 2,000,
    max change 100 %) takes the whole ₹20,000."""
    from metrics.planning.plan import plan_on

    no_floor = dataclasses.replace(DEFAULT_SETTINGS, plan_min_marginal_roas=0.0)
    chosen = plan_on(hand_curves((20.0, 2_000.0), (10, 2)), "segment", None, 1.0, no_floor)
    rows = chosen.rows.set_index("segment")
    assert rows["planned_spend"].to_dict() == pytest.approx({"X": 0.0, "Y": 20_000.0})
    assert rows["bound"].to_dict() == {"X": "cut", "Y": "upper"}
    assert chosen.held_back == pytest.approx(0.0, abs=1e-6)


def test_each_marginal_roas_says_at_which_spend_and_over_what():
    """Tester N3: /insights' hold-back card showed "marginal ROAS 0.18x" (today's, spend-weighted
    over the segments cut) and /plan's card "0.25x" (the best segment's at its planned spend), both
    unlabelled. Each now carries the catalogue's label. Hand points: every segment is cut 30 %
    (held back), so /insights' figure is Σ marginal today × spend ÷ Σ spend over both segments and
    /plan's the larger next rupee at the planned spend."""
    from callbacks.plan import plan_cards
    from metrics import catalogue, insights
    from metrics.planning.plan import plan_on

    curves = curves_from_points(points_fixture(), "segment", DEFAULT_SETTINGS)
    held = plan_on(curves, "segment", None, 0.3, DEFAULT_SETTINGS)
    rows = held.rows
    today = float((rows["current_marginal_roas"] * rows["current_spend"]).sum() / rows["current_spend"].sum())
    item = insights.move_budget_item(None, Filters(), DEFAULT_SETTINGS, held)
    assert item["numbers"]["from_roas"] == pytest.approx(today)
    label = catalogue.get("from_roas").label
    assert label == "Marginal ROAS today of the segments cut"
    assert f"{label} {fmt.ratio(today)}, below break-even 1.00x" in item["evidence"]
    cards = plan_cards(held, DEFAULT_SETTINGS)
    card = next(c for c in cards if c.id == "kpi-plan-margin")
    shown = norm(str(card))
    assert "Marginal ROAS at the planned spend" in shown
    assert fmt.ratio(rows["marginal_roas"].max()) in shown
    assert "best segment's next rupee at its planned spend" in shown and "curves of the 14-day lift" in shown
    # the allocation table's column is the planned spend's, under its own header; the what-if's is
    # at the spend typed
    assert catalogue.get("planned_marginal_roas").column_header == "Marginal planned"
    from callbacks.plan import what_if_children

    assert "Marginal ROAS at this spend" in str(what_if_children(held, "Mid · Instagram", 500.0))


def test_plan_cards_say_their_figures_are_expected_incremental_revenue():
    """Tester (s14): "Today's allocation ₹17.23 L" / "Planned allocation ₹12.50 L" read as spend,
    but the figures are the expected incremental revenue of today's and the planned spend."""
    from callbacks.plan import plan_cards
    from metrics.planning.plan import plan_on

    curves = curves_from_points(points_fixture(), "segment", DEFAULT_SETTINGS)
    chosen = plan_on(curves, "segment", None, 0.3, DEFAULT_SETTINGS)
    cards = {c.id: norm(str(c)) for c in plan_cards(chosen, DEFAULT_SETTINGS)}
    for card_id, title, part in (
        ("kpi-plan-today", "Expected incremental revenue: today", "current"),
        ("kpi-plan-planned", "Expected incremental revenue: planned", "planned"),
    ):
        assert title in cards[card_id]
        assert fmt.inr_compact(chosen.totals[part]["expected_incremental_revenue"]) in cards[card_id]
    # tester t1 (s18): /plan's "today" interval beside /overview's measured one for the same
    # selection; the card says whose interval it is, and why in its tooltip
    assert "(response curves, not the overview's measured interval: ⓘ)" in cards["kpi-plan-today"]
    assert TODAY_ON_CURVES in cards["kpi-plan-today"]


# --- creators with spend but no post measured in the selection (session 16) ------------------------


def measured_and_unmeasured(deviations: np.ndarray) -> pd.DataFrame:
    """Two creators of one segment (docs/metrics.md, "Response curves"): A spent ₹10,000 on 5
    posts measured in the selection at +₹2,000 (bootstrap deviations `deviations`); B spent ₹5,000
    with no post measured in it. A alone in its segment: its shrunk θ is its own r ÷ s^β."""
    frame = pd.DataFrame(
        {
            "influencer_id": ["A", "B"],
            "name": ["Asha", "Bela"],
            "tier": ["Mid", "Mid"],
            "platform": ["Instagram"] * 2,
            "spend": [10_000.0, 5_000.0],
            "posts": [5, 0],
            "incremental_revenue": [2_000.0, 0.0],
            "measured": [True, False],
            "segment": ["Mid · Instagram"] * 2,
        }
    )
    frame.attrs["draws"] = np.vstack([deviations, np.zeros_like(deviations)])
    return frame


def test_a_creator_without_a_measured_post_is_kept_at_its_spend_and_not_valued():
    """B has spend but no post measured in the selection. Before (its segment's pooled θ = A's
    2,000 ÷ 10,000^β) the plan valued today at ₹2,000 × (1 + 0.5^β), B's half extrapolated from A.
    Now B is no unit: today's expected incremental revenue is A's measured ₹2,000, the budget A's
    ₹10,000, B's ₹5,000 is kept (next period's spend ₹15,000) and named once."""
    from callbacks.plan import plan_cards
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import plan_on, total_verdict, unvalued_text

    points = measured_and_unmeasured(np.zeros(200))
    old = curves_from_points(points, "influencer", DEFAULT_SETTINGS)
    old_today = old.response(old.units["current_spend"].to_numpy()).sum()
    assert old_today == pytest.approx(2_000.0 * (1 + 0.5**old.beta))
    for by, unit in (("influencer", "A"), ("segment", "Mid · Instagram")):
        chosen = plan_on(planning_curves(points, by, DEFAULT_SETTINGS), by, None, 0.3, DEFAULT_SETTINGS)
        assert chosen.rows.iloc[:, 0].tolist() == [unit]
        assert chosen.budget == pytest.approx(15_000.0) and chosen.unvalued_spend == pytest.approx(5_000.0)
        today = chosen.totals["current"]
        assert today["spend"] == pytest.approx(10_000.0)
        # no spread in A's draws: its interval is the point, clearly above 0, so no label
        assert (today["expected_incremental_revenue"], today["low"], today["high"]) == pytest.approx((2_000.0,) * 3)
        assert total_verdict("current", today) == "positive"
        assert unvalued_text(chosen) == (
            f"1 creator with {fmt.inr(5_000)} of spend in the selection has no post measured in it: kept at its "
            "spend, not valued; its spend comes out of the budget first (Bela)."
        )
        assert chosen.as_json()["unvalued"] == {"creators": 1, "spend": 5_000.0, "influencer_ids": ["B"]}
        future = projection(chosen, 50_000.0, 7).set_index("allocation")
        assert future.loc["today", "spend"] == pytest.approx(15_000.0)
        assert future.loc["today", "revenue"] == pytest.approx(50_000.0)
        assert "not distinguishable" not in norm(" ".join(str(c) for c in plan_cards(chosen, DEFAULT_SETTINGS)))
    with pytest.raises(PlanError, match="none of the selection's 1 creators with spend"):
        planning_curves(points.iloc[[1]].assign(measured=False), "segment", DEFAULT_SETTINGS)


def test_the_typed_budget_is_the_whole_selections_and_the_kept_spend_comes_out_first():
    """Tester finding (session 16, h5 item 3): a budget equal to the selection's Spend (A's ₹10,000 +
    B's unvalued ₹5,000 = ₹15,000) was taken as A's alone, and the held-back sentence counted B's
    ₹5,000 twice. Now B's ₹5,000 comes out first and A plans with the rest. A's next rupee at
    ₹10,000 returns β·2,000/10,000 < 1×, so the break-even floor leaves A at its lower bound ₹7,000
    (−30 %): held back = budget − (₹7,000 + ₹5,000): ₹3,000 at ₹15,000 (the default), ₹4,000 at
    ₹16,000. The bounds in the budget's terms: ₹7,000 + ₹5,000 = ₹12,000 to ₹13,000 + ₹5,000 = ₹18,000."""
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import plan_on

    curves = planning_curves(measured_and_unmeasured(np.zeros(200)), "segment", DEFAULT_SETTINGS)
    default = plan_on(curves, "segment", None, 0.3, DEFAULT_SETTINGS)
    typed = plan_on(curves, "segment", 15_000.0, 0.3, DEFAULT_SETTINGS)
    for chosen, budget, held_back in ((default, 15_000.0, 3_000.0), (typed, 15_000.0, 3_000.0)):
        assert chosen.budget == pytest.approx(budget)
        assert chosen.rows["planned_spend"].tolist() == pytest.approx([7_000.0])
        assert chosen.held_back == pytest.approx(held_back)
    assert plan_on(curves, "segment", 16_000.0, 0.3, DEFAULT_SETTINGS).held_back == pytest.approx(4_000.0)
    with pytest.raises(PlanError) as refused:
        plan_on(curves, "segment", 11_000.0, 0.3, DEFAULT_SETTINGS)
    assert str(refused.value) == (
        f"Budget {fmt.inr(11_000)} is outside what a change of at most ±30% per segment allows: "
        f"{fmt.inr(12_000)} to {fmt.inr(18_000)}. Change the budget or the max change."
    )


def test_creators_all_held_as_too_early_are_said_to_be_held_and_no_budget_or_max_change_helps():
    """Tester finding (h5 item 2, 4): by creator on 1–7 May every creator was held at today's spend
    as too early to judge while the marginal-ROAS card read "best creator's next rupee …, all at their
    max change" and a refused budget said "change the max change". A with 2 posts is below the bar
    (3 posts): held at ₹10,000; B's ₹5,000 is kept unvalued, so the only budget is ₹15,000."""
    from callbacks.plan import plan_cards
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import held_text, margin_at_plan, plan_on

    points = measured_and_unmeasured(np.zeros(200)).assign(posts=[2, 0])
    curves = planning_curves(points, "influencer", DEFAULT_SETTINGS)
    chosen = plan_on(curves, "influencer", None, 0.3, DEFAULT_SETTINGS)
    assert chosen.rows["bound"].tolist() == ["too early"]
    assert margin_at_plan(chosen) == (None, "held")
    assert "all held at today's spend: too early to judge" in norm(
        " ".join(str(c) for c in plan_cards(chosen, DEFAULT_SETTINGS))
    )
    assert held_text(chosen, DEFAULT_SETTINGS) == (
        f"The one valued creator is held at today's spend ({fmt.inr(10_000)}): too early to judge, below the "
        f"evidence bar (3 posts and {fmt.inr(10_000)}). The plan moves no money; a larger max change cannot "
        "change that."
    )
    assert chosen.as_json()["held_too_early"] == {"creators": 1, "spend": 10_000.0, "influencer_ids": ["A"]}
    with pytest.raises(PlanError) as refused:
        plan_on(curves, "influencer", 16_000.0, 0.3, DEFAULT_SETTINGS)
    assert str(refused.value) == (
        f"Budget {fmt.inr(16_000)} cannot be planned: every creator is kept at today's spend as too early to "
        f"judge, so the only budget is today's spend, {fmt.inr(15_000)}; a larger max change cannot help."
    )
    assert (
        held_text(
            plan_on(
                planning_curves(points.assign(posts=[5, 0]), "influencer", DEFAULT_SETTINGS),
                "influencer",
                None,
                0.3,
                DEFAULT_SETTINGS,
            ),
            DEFAULT_SETTINGS,
        )
        is None
    )


def test_a_creator_row_shows_its_own_measurement_beside_the_pooled_expected_figure():
    """Tester finding (h5 item 1): Pooja Pinto's plan row read ₹3,800 (₹526 to ₹6,589) where /lift
    measures ₹555 (−₹6,903 to ₹6,617): with τ² = 0 the shrinkage gives each creator its segment's
    pooled curve. A and C (one segment, ₹10,000 each) measured +₹2,000 and +₹1,000 with deviations
    spread evenly over ±₹4,000 (variance ≈ ₹5.3 M) against a between-creator variance of raw
    coefficients (1,000²/2 = ₹0.5 M, per x² alike): τ² = 0, so both take the pooled θ = 3,000 ÷ 2x,
    expected ₹1,500 each at today's spend, whatever β. Their own: ₹2,000 (90 %: ±₹3,600 →
    −₹1,600 to ₹5,600) and ₹1,000; the note names the segment once."""
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import plan_on, pooled_text

    deviations = np.linspace(-4_000.0, 4_000.0, 201)
    points = pd.DataFrame(
        {
            "influencer_id": ["A", "C"],
            "name": ["Asha", "Chitra"],
            "tier": ["Mid", "Mid"],
            "platform": ["Instagram"] * 2,
            "spend": [10_000.0, 10_000.0],
            "posts": [5, 5],
            "incremental_revenue": [2_000.0, 1_000.0],
            "measured": [True, True],
            "segment": ["Mid · Instagram"] * 2,
        }
    )
    points.attrs["draws"] = np.vstack([deviations, deviations])
    chosen = plan_on(planning_curves(points, "influencer", DEFAULT_SETTINGS), "influencer", None, 0.3, DEFAULT_SETTINGS)
    rows = chosen.rows.set_index("influencer_id")
    assert rows["current_expected"].tolist() == pytest.approx([1_500.0, 1_500.0])
    assert rows.loc[["A", "C"], "measured_incremental_revenue"].tolist() == pytest.approx([2_000.0, 1_000.0])
    assert (rows.loc["A", "measured_low"], rows.loc["A", "measured_high"]) == pytest.approx((-1_600.0, 5_600.0))
    assert rows["pooled"].all()
    by_id = {row["influencer_id"]: row for row in chosen.as_json()["rows"]}
    assert by_id["C"]["measured_incremental_revenue"] == pytest.approx(1_000.0)
    assert by_id["A"]["measured_low"] == pytest.approx(-1_600.0)
    assert pooled_text(chosen) == (
        "Between-creator variance τ² = 0 (the creators' measurements differ no more than their noise), so the "
        "creators of each of these segments share one curve, the segment's pooled one: Mid · Instagram (2 "
        "creators). Their expected figures are the segment's, not their own measurement (Measured (own))."
    )
    # a creator alone in its segment, or a segment plan, has no such note
    assert (
        pooled_text(
            plan_on(planning_curves(points, "segment", DEFAULT_SETTINGS), "segment", None, 0.3, DEFAULT_SETTINGS)
        )
        is None
    )
    assert catalogue.get("expected_incremental_revenue").column_header == "Expected (shrunk to segment)"


def test_the_pdf_headline_puts_each_interval_beside_its_figure_and_names_the_kept_spend():
    """Tester finding (h5 item 5): page 1 read "…net of it, ₹31,259 better than today) (90% interval
    -₹822 to ₹6,305: not distinguishable from today)", the gain's interval after the net, and "₹1.13 L
    budget" beside Spend ₹1.22 L. A (₹10,000, +₹2,000, no spread) is cut to its lower bound ₹7,000,
    B's ₹5,000 kept: gain = 2,000 × (0.7^β − 1), net = gain + ₹3,000, each interval its point."""
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import plan_on
    from reports.plan_section import _headline

    curves = planning_curves(measured_and_unmeasured(np.zeros(200)), "segment", DEFAULT_SETTINGS)
    chosen = plan_on(curves, "segment", None, 0.3, DEFAULT_SETTINGS)
    gain = 2_000.0 * (0.7**curves.beta - 1)
    net = gain + 3_000.0
    c = fmt.inr_compact
    assert norm(_headline(chosen)) == norm(
        f"Hold back {c(3_000)} of the {c(15_000)} budget ({c(5_000)} of the budget kept on 1 creator not valued), cutting "
        f"Mid · Instagram ({c(-3_000)}): no segment's next rupee would return break-even. Net of the spend saved "
        f"the plan is {c(net)} better than today (90% interval {c(net)} to {c(net)}); expected incremental "
        f"revenue changes by {c(gain)} (90% interval {c(gain)} to {c(gain)})."
    )


@pytest.mark.parametrize("budget", [float("nan"), float("inf"), float("-inf")])
def test_a_budget_that_is_not_a_number_is_refused_as_such(budget):
    """`--budget nan` read "budget — is outside what … allows": say it is not a number."""
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import plan_on

    curves = planning_curves(measured_and_unmeasured(np.zeros(200)), "segment", DEFAULT_SETTINGS)
    with pytest.raises(PlanError, match=r"^Budget must be a number of rupees, not -?(nan|inf)\.$"):
        plan_on(curves, "segment", budget, 0.3, DEFAULT_SETTINGS)


def test_plan_totals_whose_interval_includes_zero_are_labelled():
    """A's deviations spread evenly over ±₹4,000 (201 draws, 50 apart): today's draws are
    ₹2,000 + d, their 90 % interval ₹2,000 ± ₹3,600 = −₹1,600 to ₹5,600, which includes 0: "not
    distinguishable from baseline". By creator A clears the evidence bar and its next rupee returns
    under 1× at ₹10,000, so the plan cuts it 30 % to ₹7,000: gain = (2,000 + d)(0.7^β − 1), also
    across 0: "not distinguishable from today". The net effect, gain + the ₹3,000 held back (its
    interval the gain's shifted), lies above 0: no label."""
    from callbacks.plan import plan_cards
    from metrics.planning.curves import planning_curves
    from metrics.planning.plan import held_back_text, plan_on, total_label

    points = measured_and_unmeasured(np.linspace(-4_000.0, 4_000.0, 201))
    chosen = plan_on(planning_curves(points, "influencer", DEFAULT_SETTINGS), "influencer", None, 0.3, DEFAULT_SETTINGS)
    today, gain = chosen.totals["current"], chosen.totals["gain"]
    assert (today["low"], today["high"]) == pytest.approx((-1_600.0, 5_600.0))
    assert chosen.rows["planned_spend"].tolist() == pytest.approx([7_000.0])
    shrink = 0.7**chosen.curves.beta - 1
    assert (gain["low"], gain["high"]) == pytest.approx((5_600.0 * shrink, -1_600.0 * shrink))
    assert total_label("current", today) == "not distinguishable from baseline"
    assert total_label("gain", gain) == "not distinguishable from today"
    net = chosen.totals["net"]
    assert (net["low"], net["high"]) == pytest.approx((gain["low"] + 3_000.0, gain["high"] + 3_000.0))
    assert net["low"] > 0 and total_label("net", net) is None
    assert {name: part["verdict"] for name, part in chosen.as_json()["totals"].items()} == {
        "current": "not distinguishable from baseline",
        "planned": "not distinguishable from baseline",
        "gain": "not distinguishable from today",
        "net": "positive",
    }
    cards = {c.id: norm(str(c)) for c in plan_cards(chosen, DEFAULT_SETTINGS)}
    assert cards["kpi-plan-today"].count("not distinguishable from baseline") == 1
    assert "not distinguishable from today" in cards["kpi-plan-gain"]
    assert "not distinguishable" not in cards["kpi-plan-net"]
    assert "not distinguishable" not in held_back_text(chosen, DEFAULT_SETTINGS)


def test_plan_on_the_command_line_names_the_unvalued_and_labels_its_totals(no_lift, capsys):
    """1–7 May of the no-lift sample (seed 42): of the creators with spend in it, those without a
    measured post are kept at their spend, counted and summed in --json's "unvalued" and named once
    in the text; each total's --json verdict is the text's label."""
    from metrics.lift import creator_lift

    week = Filters(start=pd.Timestamp("2025-05-01").date(), end=pd.Timestamp("2025-05-07").date())
    args = ["--db", str(no_lift.path), "plan", "--start", "2025-05-01", "--end", "2025-05-07"]
    assert cli.main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    spend = sums_by(no_lift, week, DEFAULT_SETTINGS, ("influencer_id",)).set_index("influencer_id")["spend"].fillna(0)
    spend = spend[spend > 0]
    unmeasured = spend.drop(creator_lift(no_lift, week)["influencer_id"], errors="ignore")
    assert len(unmeasured) > 0
    assert document["unvalued"]["creators"] == len(unmeasured)
    assert sorted(document["unvalued"]["influencer_ids"]) == sorted(unmeasured.index)
    assert document["unvalued"]["spend"] == pytest.approx(unmeasured.sum())
    assert document["budget"] == pytest.approx(spend.sum())  # the whole selection's: kept spend included
    assert cli.main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    said = [line for line in lines if "no post measured in it: kept at their spend, not valued" in line]
    assert len(said) == 1 and said[0].startswith(f"{len(unmeasured)} creators with {fmt.inr(unmeasured.sum())}")
    for name, prefix in (("current", "current:"), ("planned", "planned:"), ("gain", "change against today:")):
        line = next(line for line in lines if line.startswith(prefix))
        verdict = document["totals"][name]["verdict"]
        assert line.endswith(f": {verdict}") == verdict.startswith("not distinguishable")


def test_the_pdf_plan_section_names_the_unvalued_and_labels_its_totals(no_lift):
    """The PDF's plan summary (1–7 May, seed 42 without lift): the unvalued sentence once, and each
    of today's, the plan's and the change's figures labelled as its verdict says."""
    from metrics.planning.plan import total_label, unvalued_text
    from reports.plan_section import plan_section, selection_plan

    week = Filters(start=pd.Timestamp("2025-05-01").date(), end=pd.Timestamp("2025-05-07").date())
    chosen = selection_plan(no_lift, week, DEFAULT_SETTINGS)
    summary = plan_section(no_lift, week, DEFAULT_SETTINGS, chosen=chosen)["summary"]
    assert summary.count(unvalued_text(chosen)) == 1
    labels = [total_label(name, chosen.totals[name]) for name in ("current", "planned", "gain")]
    for label in ("not distinguishable from baseline", "not distinguishable from today"):
        assert summary.count(f": {label})") == labels.count(label)


def test_the_move_budget_insight_labels_its_gain_and_names_the_unvalued(no_lift):
    """/insights' budget item reuses the plan: under 1–7 May of the no-lift sample its reason says
    the plan's unvalued sentence and labels the change as its verdict says (its interval includes 0
    there); without a date range every creator with spend is measured, so no unvalued sentence."""
    from metrics.insights import move_budget_item
    from metrics.planning.plan import plan, total_label, unvalued_text

    week = Filters(start=pd.Timestamp("2025-05-01").date(), end=pd.Timestamp("2025-05-07").date())
    for filters in (week, Filters()):
        chosen = plan(no_lift, None, "segment", None, filters, DEFAULT_SETTINGS)
        item = move_budget_item(no_lift, filters, DEFAULT_SETTINGS, chosen)
        reason = item["text"]
        unvalued, label = unvalued_text(chosen), total_label("gain", chosen.totals["gain"])
        assert (unvalued is not None) == (filters is week)
        assert reason.endswith(f"allocation. {unvalued}" if unvalued else "allocation.")
        assert label == "not distinguishable from today" and f", {label})" in reason


def test_named_lists_use_semicolons_where_a_name_holds_a_comma():
    """Tester t2: "(Sneha Singh, Kapoor, Neha (Official), … and 11 more)" read as six names of 16."""
    from metrics.planning.plan import _first_named

    assert _first_named(["A", "B"]) == "A, B"
    assert _first_named(["Sneha Singh", "Kapoor, Neha (Official)", "C", "D", "E", "F", "G"]) == (
        "Sneha Singh; Kapoor, Neha (Official); C; D; E and 2 more"
    )


def test_the_report_of_a_month_keeps_every_word_inside_its_pages(no_lift, tmp_path):
    """Tester t2: the plan's allocation table ran off the page's right edge ("Measured (own" cut, its
    values chopped). Every word of the whole report of May 2025 (pdftotext -bbox) lies within its page."""
    import re
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    out = tmp_path / "may.pdf"
    args = ["--db", str(no_lift.path), "report", "--out", str(out), "--start", "2025-05-01", "--end", "2025-05-31"]
    assert cli.main(args) == 0
    boxes = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
    outside = [(text, float(x_max)) for x_max, text in words if float(x_max) > page_width - 1]
    assert "Allocation" in {text for _, text in words}  # the plan section, where the table overflowed
    assert outside == []


def test_a_plan_link_keeps_a_refused_value_and_says_why(planted, monkeypatch):
    """Tester t1: /plan?by=influencer&max_change=150 reloaded as a ±30 % plan and the URL lost the
    value: a shared link showed another plan with no message. The control keeps 150 and the page
    refuses it as it refuses it typed; a value no control can hold is named, not replaced."""
    from dash_helpers import find, text

    import app  # noqa: F401
    from callbacks import plan as plan_callbacks
    from components.ids import plan as ids
    from pages import plan as plan_page

    wh, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    assert find(plan_page.layout(by="influencer", max_change="150"), ids.MAX_CHANGE).value == 150
    search = "?by=influencer&max_change=150"
    error = plan_callbacks.plan_page(search, "influencer", None, 150, None, "/plan")[2]
    assert "not 150 %" in text(error)
    error = plan_callbacks.plan_page("?max_change=abc", "segment", None, None, None, "/plan")[2]
    assert norm(text(error)) == "The link's max_change=abc is not a number: type the max change (%) above."


def test_a_refused_link_keeps_the_budget_help_of_the_controls(planted, monkeypatch):
    """/plan?max_change=abc showed its error over an empty budget help line, then (tester t2) a box
    showing 30 and a help of the ±30 % plan beside "No plan": a valid-looking value with no plan.
    The box is empty, the help today's spend alone (the budgets allowed need a max change), as for a
    max change typed out of range; under budget=abc the max change box holds 30 and the help is the
    one a valid link gives (today's spend and the budgets ±30 % allows)."""
    from dash_helpers import find

    import app  # noqa: F401
    from callbacks import plan as plan_callbacks
    from components.ids import plan as ids
    from pages import plan as plan_page

    wh, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    valid = plan_callbacks.plan_page("?max_change=30", "segment", None, 30, None, "/plan")
    assert valid[2] is None and valid[12].startswith("Today's spend in the selection ₹")
    assert "this max change allows ₹" in valid[12]
    refused = plan_callbacks.plan_page("?budget=abc", "segment", None, 30, None, "/plan")
    assert refused[2] is not None and refused[12] == valid[12]

    assert find(plan_page.layout(max_change="abc"), ids.MAX_CHANGE).value is None
    refused = plan_callbacks.plan_page("?max_change=abc", "segment", None, None, None, "/plan")
    out_of_range = plan_callbacks.plan_page("?max_change=150", "segment", None, 150, None, "/plan")
    spend = valid[12].split(";")[0]
    expected = f"{spend}; the budgets allowed follow from a max change between 0 and 100 %"
    assert refused[12] == out_of_range[12] == expected


def test_the_pdf_plans_what_the_plan_page_planned(planted, monkeypatch, tmp_path):
    """Tester t1: /plan?by=influencer → Download PDF printed the default plan (by segment, today's
    budget, ±30 %): held back and net differed from the page's. The PDF plans the page's mode, budget
    and max change, says so, and its allocation is the page's row for row."""
    import subprocess

    import app  # noqa: F401
    from callbacks import plan as plan_callbacks
    from callbacks.report import report_settings
    from reports import build_report
    from reports.build import build_context
    from reports.plan_section import PlanRequest, largest_moves

    wh, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    default = plan(wh)
    today = float(default.rows["current_spend"].sum()) + default.unvalued_spend
    budget = round(0.9 * today)
    search = f"?by=influencer&budget={budget}&max_change=50"
    _, _, shown = plan_callbacks.plan_of(search, "influencer", budget, 50)
    # the hand rule of the budget: planned + kept + held back = the budget typed
    planned = float(shown.rows["planned_spend"].sum())
    assert planned + shown.unvalued_spend + shown.held_back == pytest.approx(budget, abs=1)
    request = plan_callbacks.plan_request(search)
    assert request == PlanRequest("influencer", float(budget), 0.5)

    section = build_context(wh, Filters(), report_settings(search), plan_request=request)["plan"]
    assert TODAY_ON_CURVES in section["summary"]  # why its "today" is not the headline's measured figure
    assert section["planned"] == (
        f"Planned by creator, at a budget of {fmt.inr_compact(budget)} (today's spend {fmt.inr_compact(today)}), "
        "each creator within ±50% of its spend today."
    )
    table, rows = section["table"], plan_callbacks.allocation_rows(shown)
    assert table["title"] == "Allocation by creator" and table["columns"][0] == "Creator"
    at = table["columns"].index(catalogue.get("planned_spend").column_header)
    kept = [shown.rows.index.get_loc(i) for i in largest_moves(shown.rows).index]  # all, up to 60
    # the column in one unit (docs/metrics.md "Display": Metric.column), as the page's values
    planned_texts = catalogue.get("planned_spend").column([rows[i]["planned_spend"] for i in kept])
    assert [(r[0], r[at]) for r in table["rows"]] == list(zip([rows[i]["name"] for i in kept], planned_texts))
    assert (table["note"] is None) == (len(kept) == len(rows))
    assert section["held_back"] == shown.held_back and shown.held_back != default.held_back
    if shown.held_back >= 0.5:
        assert norm(fmt.inr_compact(shown.totals["net"]["value"])) in norm(section["headline"])

    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(build_report(wh, Filters(), report_settings(search), plan_request=request))
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert norm(section["planned"]) in text and "Allocation by creator" in text


def test_the_cli_report_plans_what_the_plan_page_plans(planted, monkeypatch, tmp_path, capsys):
    """`hkdash report --by influencer --budget B --max-change 0.5` is the PDF /plan?by=influencer&budget=B&
    max_change=50 downloads (it could only print the default plan): one request, so the Budget plan
    section's mode, budget, held-back and net figures are the page's; a saved view of /plan carries its
    own; the errors are `hkdash plan`'s."""
    import subprocess

    import reports
    from callbacks import plan as plan_callbacks
    from reports.build import build_context
    from reports.plan_section import PlanRequest
    from warehouse import saved_views

    wh, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    monkeypatch.setenv("HKDASH_VIEWS_DB", str(tmp_path / "views.sqlite3"))
    default = plan(wh)
    today = float(default.rows["current_spend"].sum()) + default.unvalued_spend
    budget = round(0.9 * today)
    search = f"?by=influencer&budget={budget}&max_change=50"
    page = build_context(wh, Filters(), DEFAULT_SETTINGS, plan_request=plan_callbacks.plan_request(search))["plan"]
    shown = plan(wh, float(budget), "influencer", 0.5)
    # the hand rule of the budget: planned + kept + held back = the budget asked
    planned = float(shown.rows["planned_spend"].sum())
    assert planned + shown.unvalued_spend + shown.held_back == pytest.approx(budget, abs=1)
    assert page["held_back"] == shown.held_back != default.held_back

    pdf = tmp_path / "cli.pdf"
    args = ["--db", str(wh.path), "report", "--out", str(pdf), "--by", "influencer", "--budget", str(budget)]
    assert cli.main([*args, "--max-change", "0.5"]) == 0
    text = norm(
        " ".join(
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
        )
    )
    assert norm(page["planned"]) in text and "Allocation by creator" in text
    assert norm(page["headline"]) in text and norm(page["summary"][:200]) in text

    seen: list = []
    monkeypatch.setattr(reports, "build_report", lambda *a, **k: seen.append(k["plan_request"]) or b"%PDF")
    saved_views.save_view("plan by creator", f"/plan{search}", "asha")
    assert cli.main(["report", "--out", str(tmp_path / "v.pdf"), "--view", "plan by creator"]) == 0
    assert cli.main(["report", "--out", str(tmp_path / "d.pdf")]) == 0
    assert seen == [PlanRequest("influencer", float(budget), 0.5), PlanRequest("segment", None, None)]
    capsys.readouterr()

    assert cli.main([*args, "--max-change", "50"]) == 2
    assert capsys.readouterr().err.strip() == (
        "hkdash: --max-change is a share of each creator's spend today, between 0 and 1 (0.3 = ±30 %; "
        "/plan's box takes percent), not 50."
    )
    assert cli.main(["report", "--out", str(pdf), "--view", "plan by creator", "--by", "segment"]) == 2
    assert "--view takes its plan" in capsys.readouterr().err
    assert cli.main(["report", "--out", str(pdf), "--influencer", "X", "--budget", "5"]) == 2
    assert "has no plan" in capsys.readouterr().err
    monkeypatch.undo()  # the real build: the planner's bound, as `hkdash plan` says it
    assert cli.main(["--db", str(wh.path), "report", "--out", str(pdf), "--budget", "1"]) == 2
    assert f"The plan could not be made: Budget {fmt.inr(1)} is outside what a change" in capsys.readouterr().err
    assert len(seen) == 2


def test_the_pdf_refuses_a_plan_the_page_refuses(planted):
    """A budget the bounds refuse is /plan's error, not a PDF with another plan (or none, silently)."""
    from reports import ReportError
    from reports.build import build_context
    from reports.plan_section import PlanRequest

    wh, _ = planted
    with pytest.raises(ReportError, match=f"The plan could not be made: Budget {fmt.inr(-5)} is outside"):
        build_context(wh, Filters(), DEFAULT_SETTINGS, plan_request=PlanRequest("segment", -5.0, 0.3))


def test_a_view_plan_refuses_is_named_in_terminal_words(planted, monkeypatch, tmp_path, capsys):
    """Tester t2: `views save pv "/plan?…&max_change=abc"` was accepted, then `report --view pv` exited 2
    with the page's "type the max change (%) above" (no "above" in a terminal). `views save` refuses
    it; a view saved from elsewhere (the dashboard's menu) is named with its value by `report`, as is
    a max change out of range; nothing is written."""
    from warehouse import saved_views

    wh, _ = planted
    monkeypatch.setenv("HKDASH_VIEWS_DB", str(tmp_path / "views.sqlite3"))
    url = "/plan?by=influencer&budget=5000000&max_change=abc"
    assert cli.main(["views", "save", "pv", url]) == 2
    assert capsys.readouterr().err.strip() == (
        f"hkdash: view “pv” not saved: max_change=abc is not a number, so /plan makes no plan of {url}"
    )
    assert saved_views.list_views() == []
    assert cli.main(["views", "save", "by tier", "/plan?by=tier"]) == 2
    assert "by=tier is not a plan mode (segment or influencer)" in capsys.readouterr().err

    saved_views.save_view("pv", url, "asha")
    saved_views.save_view("wide", "/plan?max_change=150", "asha")
    out = tmp_path / "pv.pdf"
    assert cli.main(["--db", str(wh.path), "report", "--out", str(out), "--view", "pv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"hkdash: the saved view “pv” ({url}): max_change=abc is not a number, so /plan makes no plan of it: "
        "save the view again with a value /plan takes"
    )
    assert cli.main(["--db", str(wh.path), "report", "--out", str(out), "--view", "wide"]) == 2
    assert capsys.readouterr().err.strip() == (
        "hkdash: the saved view “wide” (/plan?max_change=150): Max change must be between 0 and 100 % of each "
        "segment's spend today, not 150 %."
    )
    assert not out.exists()


def test_the_pdf_prints_a_long_plans_largest_moves_in_the_plans_order():
    """A plan by creator has a row per creator (thousands at 10M orders): the PDF prints the ones that
    move most, in the plan's order, and says so."""
    from reports.plan_section import largest_moves

    rows = pd.DataFrame({"name": ["a", "b", "c", "d"], "planned_change": [5.0, -50.0, 10.0, 0.0]})
    assert largest_moves(rows, 2)["name"].tolist() == ["b", "c"]
    assert largest_moves(rows, 4) is rows


def test_the_pdf_names_the_plan_of_its_move_budget_recommendation(planted):
    """Where the Budget plan section prints a requested plan, the planner's recommendation (the default
    plan, as /insights makes it) says which plan it is from and which the section shows; with the
    default request it is /insights' text unchanged."""
    from metrics import insights
    from reports.build import build_context
    from reports.plan_section import PlanRequest

    wh, _ = planted
    default = plan(wh)
    asked = plan(wh, None, "influencer", 0.5)
    listed = insights.recommendations(wh, Filters(), DEFAULT_SETTINGS, chosen=default)
    planner = [item["text"] for item in listed if item["action"] in insights.PLANNER_ACTIONS]
    assert planner, "the planted data must make a move-budget or hold-back recommendation"

    unasked = build_context(wh, Filters(), DEFAULT_SETTINGS)["recommendations"]
    assert [r["text"] for r in unasked] == [item["text"] for item in listed]

    context = build_context(wh, Filters(), DEFAULT_SETTINGS, plan_request=PlanRequest("influencer", None, 0.5))
    today = fmt.inr_compact(default.budget)
    held = f", holding back {fmt.inr_compact(asked.held_back)}" if asked.held_back >= 0.5 else ""
    # the item leads with the plan it is from, so the report's requested plan is not read in its figures
    lead = (
        f"Default plan, as /insights makes it (planned by segment, at today's budget of {today}, each "
        "segment within ±30% of its spend today), not the requested one:"
    )
    note = (
        "The Budget plan section shows the requested plan "
        f"(planned by creator, at today's budget of {fmt.inr_compact(asked.budget)}, each creator within ±50% "
        f"of its spend today{held})."
    )
    assert [r["text"] for r in context["recommendations"]] == [
        f"{lead} {item['text']} {note}" if item["action"] in insights.PLANNER_ACTIONS else item["text"]
        for item in listed
    ]
    assert context["plan"]["held_back"] == asked.held_back
