"""The budget plan of a selection: today's allocation against the planner's at the same budget."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from metrics import format as fmt
from metrics.aggregate import plain
from metrics.filters import Filters
from metrics.lift.method import interval
from metrics.lift.view import NOT_DISTINGUISHABLE, interval_verdict
from metrics.planning.allocate import PlanError, allocate, bounds, check_budget, marginal_roas
from metrics.planning.curves import Curves, fit_curves
from metrics.planning.verdicts import clears_evidence_bar, evidence_bar
from metrics.settings import DEFAULT_SETTINGS, Settings

KEY_OF = {"segment": "segment", "influencer": "influencer_id"}
ROW_KEYS = (
    "current_spend",
    "planned_spend",
    "expected_incremental_revenue",
    "low",
    "high",
    "marginal_roas",
    "measured_incremental_revenue",
)
CREATOR_KEYS = ("measured_low", "measured_high")  # the creator's own measured interval (₹), by creator only


def unit_word(by: str) -> str:
    """What one unit of a plan `by` "segment" or "influencer" is called in sentences: "segment" or "creator"."""
    return "creator" if by == "influencer" else "segment"


@dataclasses.dataclass(frozen=True)
class Plan:
    """A plan. rows: one per unit (segment or creator), columns: the unit key (segment or
    influencer_id), name, tier, platform, creators, posts, current_spend, planned_spend,
    planned_change (₹), planned_change_pct (%, None at 0 current), current_expected (₹ on the curve at
    today's spend), expected_incremental_revenue, low, high (₹ at the planned spend, interval at
    the settings' confidence), marginal_roas (× at the planned spend), current_marginal_roas,
    bound ("lower", "upper", "fixed", "break-even": raised only as far as its next rupee returns
    settings.plan_min_marginal_roas, "too early": a creator below the evidence bar, held at today's
    spend (held_too_early), or None). totals: {"current": …, "planned": …} each {spend,
    expected_incremental_revenue, low, high (₹), incremental_roas (×)}, "gain" {value, low,
    high} (planned − current expected incremental revenue, ₹, interval over the same draws), "net"
    {value, low, high} (net_gain: the gain less the change in spend, ₹).
    budget: ₹, the whole selection's (the unvalued creators' kept spend included, plan()).
    held_back: ₹ of the budget the plan leaves unspent, because no unit's next rupee would return
    settings.plan_min_marginal_roas (metrics.planning.allocate's module docstring)."""

    by: str
    budget: float
    max_change: float
    confidence: float
    curves: Curves
    rows: pd.DataFrame
    totals: dict
    held_back: float = 0.0

    @property
    def unit_word(self) -> str:
        """What one unit of the plan is called in sentences: "segment" or "creator"."""
        return unit_word(self.by)

    @property
    def unvalued_spend(self) -> float:
        """₹ of the selection's spend on creators without a post measured in it (Curves.unvalued):
        kept as it is, taken out of the budget before the plan's units share the rest."""
        return float(self.curves.unvalued["spend"].sum())

    def as_json(self) -> dict:
        """The `hkdash plan --json` document: by, budget, held_back (₹), max_change, beta, confidence, rows
        [{segment or influencer_id, name, current_spend, planned_spend,
        expected_incremental_revenue, low, high, marginal_roas, measured_incremental_revenue (the
        unit's own at today's spend; by creator also measured_low, measured_high)}], totals (each with its verdict:
        total_verdict), held_too_early {creators, spend (₹), influencer_ids} (held_too_early: kept at
        today's spend) and unvalued {creators, spend (₹), influencer_ids} (Curves.unvalued)."""
        key = KEY_OF[self.by]
        rows = [
            {
                key: row[key],
                "name": row["name"],
                **{k: plain(_clean(row[k])) for k in ROW_KEYS + (CREATOR_KEYS if self.by == "influencer" else ())},
            }
            for row in self.rows.to_dict("records")
        ]
        return {
            "by": self.by,
            "budget": self.budget,
            "held_back": self.held_back,
            "max_change": self.max_change,
            "beta": self.curves.beta,
            "confidence": self.confidence,
            "rows": rows,
            "totals": {
                name: {**{k: plain(v) for k, v in part.items()}, "verdict": total_verdict(name, part)}
                for name, part in self.totals.items()
            },
            "held_too_early": {
                "creators": len(held := self.rows[self.rows["bound"] == "too early"]),
                "spend": float(held["current_spend"].sum()),
                "influencer_ids": [str(i) for i in held[key]] if self.by == "influencer" else [],
            },
            "unvalued": {
                "creators": len(self.curves.unvalued),
                "spend": self.unvalued_spend,
                "influencer_ids": [str(i) for i in self.curves.unvalued["influencer_id"]],
            },
        }


# Why the plan's "today" is not the overview's measured incremental revenue and interval to the
# rupee (tester t1: ₹15.36 L to ₹21.33 L on /plan, ₹15.34 L to ₹21.36 L on /overview): the plan's
# "planned − today" must compare one model with itself, so today is read on the same shrunk curves
# and draws as the plan, not on the lift measurement. /plan, the PDF's plan section and `hkdash plan`
# say it with these words.
TODAY_ON_CURVES = (
    "Today's expected incremental revenue and its interval are read on the response curves (each "
    "creator's measured lift and bootstrap draws shrunk towards its segment; creators without a "
    "measured post left out), as the plan is, so they can differ slightly from the measured "
    "incremental revenue and interval of the overview."
)
NOT_DISTINGUISHABLE_FROM_TODAY = "not distinguishable from today"
CHANGES = ("gain", "net")  # totals measured against today's allocation, not against baseline


def total_verdict(name: str, part: dict) -> str:
    """metrics.lift.interval_verdict of one of Plan.totals' intervals (part: {low, high} ₹):
    "positive", "negative", or, where it includes 0, NOT_DISTINGUISHABLE for today's and the plan's
    expected incremental revenue ("current", "planned": 0 is the baseline) and
    NOT_DISTINGUISHABLE_FROM_TODAY for the change against today ("gain", "net")."""
    verdict = str(interval_verdict(part["low"], part["high"]))
    return NOT_DISTINGUISHABLE_FROM_TODAY if verdict == NOT_DISTINGUISHABLE and name in CHANGES else verdict


def total_label(name: str, part: dict) -> str | None:
    """The label shown beside a plan total whose interval includes 0 (total_verdict), else None."""
    verdict = total_verdict(name, part)
    return verdict if verdict in (NOT_DISTINGUISHABLE, NOT_DISTINGUISHABLE_FROM_TODAY) else None


def net_gain(totals: dict) -> dict:
    """The plan's net effect against today: {value, low, high} (₹) = the gain in expected incremental
    revenue − (planned spend − today's spend). A plan that holds money back spends less, so a small
    loss of incremental revenue can still leave it better off than today (docs/metrics.md "Plan").
    Spend is fixed by the plan, so the interval is the gain's shifted by the same amount."""
    spent_more = totals["planned"]["spend"] - totals["current"]["spend"]
    gain = totals["gain"]
    return {name: gain[name] - spent_more for name in ("value", "low", "high")}


def better_or_worse(value: float) -> str:
    """A net effect in words: "₹21.72 L better than today" / "₹1,200 worse than today"."""
    return f"{fmt.inr_compact(abs(value))} {'better' if value >= 0 else 'worse'} than today"


def spend_today_and_planned(plan_: Plan) -> tuple[float, float]:
    """The selection's spend today and the plan's (₹), each with the unvalued creators' kept spend:
    budget − held back = planned, and today − planned is the saving net_gain counts."""
    kept = plan_.unvalued_spend
    return plan_.totals["current"]["spend"] + kept, plan_.totals["planned"]["spend"] + kept


def saving_words(plan_: Plan) -> str:
    """What leads the net effect in a sentence after the held-back money: at today's budget the
    held-back money is the spend saved (". Net of the spend saved"); at another budget they differ, so
    the planned spend against today's is said first ("; it spends ₹62.90 L, ₹25.13 L less than
    today's ₹88.03 L. Net of that")."""
    if at_todays_budget(plan_):
        return ". Net of the spend saved"
    return f"; {spend_change_words(plan_)}. Net of that"


def at_todays_budget(plan_: Plan) -> bool:
    """Whether the budget is the selection's spend today (to the rupee): then the money held back is
    the spend saved against today, and one figure says both."""
    return abs(plan_.budget - spend_today_and_planned(plan_)[0]) < 0.5


def spend_change_words(plan_: Plan) -> str:
    """The planned spend against today's, which the held-back budget (measured against the budget, not
    today's spend) does not say: "it spends ₹62.90 L, ₹25.13 L less than today's ₹88.03 L"."""
    today, planned = spend_today_and_planned(plan_)
    if abs(planned - today) < 0.5:
        return f"it spends {fmt.inr_compact(planned)}, as much as today"
    more = "more" if planned > today else "less"
    return f"it spends {fmt.inr_compact(planned)}, {fmt.inr_compact(abs(planned - today))} {more} than today's {fmt.inr_compact(today)}"


def net_parts_words(plan_: Plan) -> str:
    """The two parts of the net effect (net_gain), so a reader can add them up: "₹25.13 L of spend
    saved, expected incremental revenue -₹5.05 L"."""
    today, planned = spend_today_and_planned(plan_)
    spend = f"{fmt.inr_compact(abs(today - planned))} of spend {'saved' if today >= planned else 'added'}"
    return f"{spend}, expected incremental revenue {fmt.inr_compact(plan_.totals['gain']['value'])}"


def margin_at_plan(plan_: Plan) -> tuple[float | None, str]:
    """The plan's marginal incremental ROAS (×) and its basis: "common", the median over the units
    no max-change bound stops (the allocation equalises their next rupee's return); "best", where
    every unit sits at a bound, the highest next-rupee return among them (below break-even when the
    plan holds money back: why nothing is raised); (None, "cut") where the plan cuts every unit to
    ₹0 (no planned spend has a next rupee: a power curve's slope at ₹0 is no return anyone can buy);
    (None, "none") without a unit with a return."""
    rows = plan_.rows
    if len(rows) and (rows["bound"] == "too early").all():
        return None, "held"
    free = rows[rows["bound"].isna() | (rows["bound"] == "break-even")]["marginal_roas"].dropna()
    if len(free):
        return float(free.median()), "common"
    bounded = pd.to_numeric(rows["marginal_roas"], errors="coerce").dropna()
    if len(bounded):
        return float(bounded.max()), "best"
    return None, "cut" if (rows["bound"] == "cut").any() else "none"


MAX_CUT_NAMED = 5  # units or unvalued creators a sentence names; the rest are counted


def cut_text(plan_: Plan) -> str | None:
    """The sentence naming the units the plan cuts to ₹0 (bound "cut"), largest spend today
    first, or None where it cuts none."""
    cut = plan_.rows[plan_.rows["bound"] == "cut"].sort_values("current_spend", ascending=False)
    if cut.empty:
        return None
    names = [str(n) for n in cut["name"]]
    word = plan_.unit_word + ("s" if len(names) > 1 else "")
    return (
        f"Cut to ₹0 ({fmt.count(len(names))} {word}, {fmt.inr(cut['current_spend'].sum())} today): "
        f"{_first_named(names)}."
    )


def _first_named(names: list[str]) -> str:
    """The first MAX_CUT_NAMED names, the rest counted ("A, B, C, D, E and 3 more"); separated by
    semicolons where a name holds a comma ("Kapoor, Neha (Official)" read as two names: tester t2)."""
    more = len(names) - MAX_CUT_NAMED
    separator = "; " if any("," in name for name in names[:MAX_CUT_NAMED]) else ", "
    return separator.join(names[:MAX_CUT_NAMED]) + (f" and {more} more" if more > 0 else "")


def held_text(plan_: Plan, settings: Settings) -> str | None:
    """The sentence saying which creators the plan keeps at today's spend as too early to judge
    (held_too_early) and why, or None where it holds none."""
    held = plan_.rows[plan_.rows["bound"] == "too early"].sort_values("current_spend", ascending=False)
    if held.empty:
        return None
    bar = f"below the evidence bar ({evidence_bar(settings)})"
    spend = fmt.inr(held["current_spend"].sum())
    if len(held) == len(plan_.rows):
        return (
            f"{'The one valued creator is' if len(held) == 1 else f'All {fmt.count(len(held))} valued creators are'} "
            f"held at today's spend ({spend}): too early to judge, "
            f"{bar}. The plan moves no money; a larger max change cannot change that."
        )
    names = _first_named([str(n) for n in held["name"]])
    return f"{fmt.counted(len(held), 'creator')} held at today's spend ({spend}): too early to judge, {bar} ({names})."


def pooled_text(plan_: Plan) -> str | None:
    """The note naming the segments whose creators the shrinkage made one curve (by creator: τ² = 0,
    each creator's weight on its own measurement 0, Curves.units own_weight) where a segment has two
    or more such creators, or None: their expected figures are the segment's, not their own."""
    if plan_.by != "influencer":
        return None
    pooled = plan_.rows[plan_.rows["pooled"]]
    segments = pooled.groupby(pooled["tier"].astype(str) + " · " + pooled["platform"].astype(str))["name"]
    shared = [f"{segment} ({fmt.counted(len(names), 'creator')})" for segment, names in segments if len(names) > 1]
    if not shared:
        return None
    return (
        "Between-creator variance τ² = 0 (the creators' measurements differ no more than their noise), so the "
        f"creators of each of these segments share one curve, the segment's pooled one: {_first_named(shared)}. "
        "Their expected figures are the segment's, not their own measurement (Measured (own))."
    )


def unvalued_text(plan_: Plan) -> str | None:
    """The sentence naming the selection's creators with spend but no post measured in it
    (Curves.unvalued), largest spend first, or None where every creator with spend is measured."""
    return unvalued_sentence(plan_.curves.unvalued)


def unvalued_sentence(unvalued: pd.DataFrame) -> str | None:
    """unvalued_text of Curves.unvalued rows (influencer_id, name, spend ₹)."""
    unvalued = unvalued.sort_values(["spend", "influencer_id"], ascending=[False, True])
    if unvalued.empty:
        return None
    names = [str(n) for n in unvalued["name"]]
    shown = _first_named(names)
    many = len(names) > 1
    count = f"{fmt.count(len(names))} creator{'s' if many else ''}"
    return (
        f"{count} with {fmt.inr(unvalued['spend'].sum())} of spend in the selection {'have' if many else 'has'} no "
        f"post measured in it: kept at {'their' if many else 'its'} spend, not valued; "
        f"{'their' if many else 'its'} spend comes out of the budget first ({shown})."
    )


def held_back_text(plan_: Plan, settings: Settings) -> str | None:
    """The sentence naming the budget the plan holds back (₹, Plan.held_back), why, and the plan's
    net effect (net_gain; labelled where its interval includes 0: total_label), then the units it cuts to ₹0 (cut_text); None when it spends the whole
    budget and cuts none."""
    cut = cut_text(plan_)
    if plan_.held_back < 0.5:
        return cut
    unit = plan_.unit_word
    held = (
        f"{fmt.inr(plan_.held_back)} of the {fmt.inr(plan_.budget)} budget is held back: no {unit}'s next rupee "
        f"would return at least {fmt.ratio(settings.plan_min_marginal_roas)} (break-even), so the plan moves "
        f"no money there{saving_words(plan_)} the plan is "
        f"{better_or_worse(plan_.totals['net']['value'])} ({net_parts_words(plan_)}"
        + (f"; {label}" if (label := total_label("net", plan_.totals["net"])) else "")
        + ")."
    )
    return f"{held} {cut}" if cut else held


def _clean(value):
    return None if value is None or (isinstance(value, float) and not np.isfinite(value)) else value


def plan(
    wh,
    budget: float | None = None,
    by: str = "segment",
    max_change: float | None = None,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
) -> Plan:
    """Allocate `budget` (₹; the WHOLE selection's, what the overview reads as Spend; default the
    selection's spend) over the selection's segments (tier × platform) or creators (`by`
    "influencer"), each within ±max_change (a share; default settings.plan_max_change) of its
    current spend. The unvalued creators' spend (Plan.unvalued_spend) comes out of the budget first,
    kept as it is; the rest is the units'. Held back = budget − (planned + kept). Raises PlanError (a ValueError) where lift is
    not measured, nothing has spend, or the budget lies outside the sum of the bounds."""
    curves = fit_curves(wh, by, filters, settings)
    return plan_on(curves, by, budget, settings.plan_max_change if max_change is None else max_change, settings)


def plan_on(curves: Curves, by: str, budget: float | None, max_change: float, settings: Settings) -> Plan:
    """The Plan of fitted curves (see plan())."""
    units = curves.units
    current = units["current_spend"].to_numpy(dtype=float)
    kept = float(curves.unvalued["spend"].sum())
    budget = float(current.sum()) + kept if budget is None else float(budget)
    coef = units["plan_coef"].to_numpy(dtype=float)
    held = held_too_early(curves, by, settings)
    lower, upper = bounds(current, max_change, held)
    check_budget(budget, lower, upper, max_change, held, unit_word(by), kept)
    planned = _allocate_whole_posts(
        coef, curves.beta, current, units["posts"], budget - kept, max_change, settings, held
    )
    rows = _rows(curves, by, current, planned, max_change, settings, held)
    totals = {
        "current": _total(curves, current, settings.lift_confidence),
        "planned": _total(curves, planned, settings.lift_confidence),
    }
    gain_draws = (curves.response_draws(planned) - curves.response_draws(current)).sum(axis=0)
    gain = float(curves.response(planned).sum() - curves.response(current).sum())
    low, high = _centred_interval(gain_draws, gain, settings.lift_confidence)
    totals["gain"] = {"value": gain, "low": low, "high": high}
    totals["net"] = net_gain(totals)
    held_back = max(budget - kept - float(planned.sum()), 0.0)
    return Plan(by, budget, max_change, settings.lift_confidence, curves, rows, totals, held_back)


def one_post(current: np.ndarray, posts) -> np.ndarray:
    """(units,) what one post costs each unit today (₹): its spend ÷ its posts (the whole spend
    where it has none)."""
    return np.asarray(current, dtype=float) / np.maximum(np.asarray(posts, dtype=float), 1.0)


def _allocate_whole_posts(coef, beta, current, posts, budget, max_change, settings, held) -> np.ndarray:
    """allocate(), then a unit the max change lets the plan cut (its lower bound ₹0) whose planned
    spend is less than one post costs it today (one_post) is cut to ₹0, and the rest re-planned
    without it. Why: a power curve's next rupee returns without limit near ₹0, so at break-even the
    plan kept fractions of a rupee in units it meant to cut (₹0.40 of ₹39 L; "₹2" planned, tester N2);
    such a spend buys no post, and worth next to nothing on the curve (it adds at most (1 − β)/β of
    itself net of its cost). A cut unit's remnant is held back, or, where the plan spends the whole
    budget, goes to the others (if they can take it within their max change)."""
    planned = allocate(coef, beta, current, budget, max_change, settings.plan_min_marginal_roas, held)
    lowest = current * (1 - max_change)
    cut = np.zeros(len(current), dtype=bool)
    for _ in range(len(current)):
        newly = ~cut & (lowest <= 0) & (current > 0) & (planned < one_post(current, posts)) & ~held
        if not newly.any():
            break
        cut |= newly
        kept = np.where(cut, 0.0, current)  # a cut unit's bounds are [₹0, ₹0]
        try:
            planned = allocate(coef, beta, kept, budget, max_change, settings.plan_min_marginal_roas, held)
        except PlanError:  # the others cannot take the remnant within their max change: held back
            planned = np.where(cut, 0.0, planned)
            break
    return planned


def held_too_early(curves: Curves, by: str, settings: Settings) -> np.ndarray:
    """(units,) bool: creators (`by` "influencer") too early to judge (below the evidence bar:
    metrics.planning.verdicts.verdict_of), whom the plan keeps at today's spend: /insights gives
    them no verdict and no action, so the plan must not cut or raise them either. No segment is
    held: a segment pools many creators' evidence."""
    units = curves.units
    if by != "influencer":
        return np.zeros(len(units), dtype=bool)
    return ~clears_evidence_bar(units["posts"], units["current_spend"], settings)


def _centred_interval(draws: np.ndarray, point: float, confidence: float) -> tuple[float, float]:
    """The percentile interval of draws shifted so it sits around `point` as the draws sit around
    their own centre estimate (draws are point + deviation, the lift tables' convention)."""
    if draws.size == 0:
        return point, point
    low, high = interval(draws, confidence)
    return float(low), float(high)


def _rows(
    curves: Curves, by: str, current, planned, max_change: float, settings: Settings, held: np.ndarray
) -> pd.DataFrame:
    units = curves.units
    confidence = settings.lift_confidence
    low, high = interval(curves.response_draws(planned), confidence) if curves.coef_draws.size else (None, None)
    marginal = marginal_roas(units["plan_coef"], curves.beta, planned)
    at_break_even = (planned > current + 1e-6 * np.maximum(current, 1.0)) & np.isclose(
        marginal, settings.plan_min_marginal_roas, rtol=1e-6
    )
    lower, upper = bounds(current, max_change, held)
    tolerance = 1e-6 * np.maximum(current, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(current > 0, (planned - current) / current * 100, np.nan)
    rows = pd.DataFrame(
        {
            KEY_OF[by]: units["unit"],
            "name": units["name"],
            "tier": units["tier"],
            "platform": units["platform"],
            "creators": units["creators"],
            "posts": units["posts"],
            "current_spend": current,
            "planned_spend": planned,
            "planned_change": planned - current,
            "planned_change_pct": change_pct,
            "current_expected": curves.response(current),
            "expected_incremental_revenue": curves.response(planned),
            "low": low,
            "high": high,
            "marginal_roas": marginal,
            "current_marginal_roas": marginal_roas(units["plan_coef"], curves.beta, current),
            "bound": np.select(
                [
                    held,
                    upper - lower <= tolerance,
                    planned >= upper - tolerance,
                    (planned <= 0) & (current > 0),
                    planned <= lower + tolerance,
                    at_break_even,
                ],
                ["too early", "fixed", "upper", "cut", "lower", "break-even"],
                "",
            ),
        }
    )
    # the unit's own measurement beside the shrunk curve's figure (tester: a row read as the creator's own)
    rows["measured_incremental_revenue"] = units["incremental_revenue"].to_numpy(dtype=float)
    if by == "influencer":
        rows["measured_low"] = units["measured_low"].to_numpy(dtype=float)
        rows["measured_high"] = units["measured_high"].to_numpy(dtype=float)
        rows["pooled"] = units["own_weight"].to_numpy(dtype=float) == 0
    rows["bound"] = rows["bound"].replace("", None)
    return rows.sort_values(["planned_change", KEY_OF[by]], ascending=[False, True]).reset_index(drop=True)


def _total(curves: Curves, spend: np.ndarray, confidence: float) -> dict:
    expected = float(curves.response(spend).sum())
    draws = curves.response_draws(spend).sum(axis=0)
    low, high = _centred_interval(draws, expected, confidence)
    total_spend = float(spend.sum())
    return {
        "spend": total_spend,
        "expected_incremental_revenue": expected,
        "low": low,
        "high": high,
        "incremental_roas": expected / total_spend if total_spend > 0 else None,
    }


def what_if(plan_: Plan, unit: str, spend: float) -> dict:
    """One unit at another spend (₹), everything else as planned: keys unit, spend,
    expected_incremental_revenue, low, high (₹), marginal_roas (×, None at 0), change_from_plan
    (₹ of expected incremental revenue against the plan's for that unit), outside_history (bool:
    beyond ±max_change of current spend, an extrapolation). Raises PlanError for an unknown unit
    or a negative spend."""
    key = KEY_OF[plan_.by]
    units = plan_.curves.units
    matches = np.flatnonzero(units["unit"].to_numpy() == unit)
    if not len(matches):
        raise PlanError(f"No {plan_.by} {unit!r} in the plan.")
    if not np.isfinite(spend) or spend < 0:
        raise PlanError(f"Spend must be ₹0 or more, not {fmt.inr(spend) if np.isfinite(spend) else spend}.")
    i = int(matches[0])
    coef, beta = float(units["coef"].iloc[i]), plan_.curves.beta
    expected = coef * spend**beta
    slope = marginal_roas([float(units["plan_coef"].iloc[i])], beta, [spend])[0]
    low, high = interval(plan_.curves.coef_draws[i] * spend**beta, plan_.confidence)
    planned_expected = dict(zip(plan_.rows[key], plan_.rows["expected_incremental_revenue"].astype(float)))[unit]
    current = float(units["current_spend"].iloc[i])
    return {
        "unit": unit,
        "spend": float(spend),
        "expected_incremental_revenue": expected,
        "low": float(low),
        "high": float(high),
        "marginal_roas": plain(_clean(float(slope))),
        "change_from_plan": expected - planned_expected,
        "outside_history": bool(abs(spend - current) > plan_.max_change * current + 1e-9),
    }


def projection(plan_: Plan, revenue: float, days: int | None) -> pd.DataFrame:
    """Next period (as long as the selection, `days`) under today's and the planned allocation:
    rows allocation ("today", "planned") with spend, revenue, revenue_low, revenue_high (₹) and
    roas (×). Assumes the next period repeats this one's attributed revenue apart from the
    incremental part, which follows the curves: revenue = this period's revenue (`revenue`, ₹)
    − expected incremental revenue today + expected incremental revenue of the allocation; spend =
    the allocation's plus the unvalued creators' (Plan.unvalued_spend, kept as it is)."""
    base = revenue - plan_.totals["current"]["expected_incremental_revenue"]
    kept = plan_.unvalued_spend
    out = []
    for name, part in (("today", plan_.totals["current"]), ("planned", plan_.totals["planned"])):
        total = base + part["expected_incremental_revenue"]
        spend = part["spend"] + kept
        out.append(
            {
                "allocation": name,
                "days": days,
                "spend": spend,
                "revenue": total,
                "revenue_low": base + part["low"],
                "revenue_high": base + part["high"],
                "roas": total / spend if spend > 0 else None,
            }
        )
    return pd.DataFrame(out)


CURVE_POINTS = 25
CURVE_UNITS = 8  # the curves drawn: the units with the most planned spend


def curve_points(plan_: Plan, units: list[str] | None = None, points: int = CURVE_POINTS) -> pd.DataFrame:
    """The response curves of `units` (default: the CURVE_UNITS with the most planned spend) from 0
    to twice the larger of current and planned spend: columns unit, name (the unit as the allocation
    table names it; a creator's id added where two share a name), spend, expected, low, high (₹);
    attrs["marks"]: per unit current_spend, current_expected, planned_spend, expected (₹)."""
    key = KEY_OF[plan_.by]
    rows = plan_.rows.set_index(key)
    chosen = units or list(rows.sort_values("planned_spend", ascending=False).index[:CURVE_UNITS])
    table = plan_.curves.units.set_index("unit")
    curves = []
    current = dict(zip(rows.index, rows["current_spend"].astype(float)))
    planned = dict(zip(rows.index, rows["planned_spend"].astype(float)))
    coefs = dict(zip(table.index, table["coef"].astype(float)))
    for unit in chosen:
        spend = np.linspace(0.0, 2 * max(current[unit], planned[unit], 1.0), points)
        draws = plan_.curves.coef_draws[table.index.get_loc(unit)]
        low, high = interval(np.outer(np.power(spend, plan_.curves.beta), draws), plan_.confidence)
        curves.append((spend, coefs[unit] * np.power(spend, plan_.curves.beta), low, high))
    # one frame of the units' columns (a frame per unit and a concat cost ~60 ms of pandas per plan)
    out = (
        pd.DataFrame(
            {
                "unit": [unit for unit in chosen for _ in range(points)],
                **{
                    name: np.concatenate(parts)
                    for name, parts in zip(("spend", "expected", "low", "high"), zip(*curves))
                },
            }
        )
        if curves
        else pd.DataFrame(columns=["unit", "spend", "expected"])
    )
    if curves:
        out.insert(1, "name", out["unit"].map(_shown_names(rows["name"], chosen)))
    marks = rows.loc[chosen, ["current_spend", "current_expected", "planned_spend", "expected_incremental_revenue"]]
    out.attrs["marks"] = marks.rename(columns={"expected_incremental_revenue": "expected"}).reset_index(names="unit")
    return out


def _shown_names(names: pd.Series, units: list[str]) -> dict[str, str]:
    """Each unit's name (a segment's is its label; a creator's its name), with the unit's key added
    where two of the units share a name, so that a legend never merges two of them."""
    shown = {unit: str(names.get(unit) or unit) for unit in units}
    repeated = {name for name in shown.values() if list(shown.values()).count(name) > 1}
    return {unit: f"{name} ({unit})" if name in repeated else name for unit, name in shown.items()}


def selection_projection(wh, plan_: Plan, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS):
    """projection() of the selection: its attributed revenue (₹) and its length in days (the
    filters' dates, else the data's first to last dated day)."""
    from metrics.aggregate import sums_by
    from metrics.dataset import date_bounds

    first, last = date_bounds(wh)
    start, end = filters.start or first, filters.end or last
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1 if start is not None and end is not None else None
    revenue = float(sums_by(wh, filters, settings)["revenue"].fillna(0).sum())
    return projection(plan_, revenue, days)
