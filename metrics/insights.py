"""Executive findings and recommendations for a selection: pure computation, no Dash.

Used by the /insights page and the PDF report. Every item carries the raw numbers that justify it
(float rupees, plain ratios; None where undefined) so callers can format them their own way, and
a ready-made sentence (`text`) plus short `evidence` strings for people, formatted by
metrics.format (₹ with Indian grouping, lakh / crore; "—" where undefined).

Rules (all thresholds are module constants or `Settings`; documented in docs/insights.md):

recommendations(wh, filters, settings) -> list[dict]. Where lift is measured, each creator's
verdict (metrics.planning.verdicts: scale / renew / review / drop from its measured lift, its
interval and its marginal ROAS) decides its action; verdict_counts gives how many creators have
each (all of them), and the items show the largest MAX_PER_ACTION by spend of each. Move budget
comes from the budget planner (move_budget_item); where the planner raises no segment it only cuts,
and the item is "hold back" instead. In the order of ACTIONS.

Where lift cannot be measured (too little history), the attributed rules below apply and no
budget move is suggested (the planner needs measured response curves). Either way a creator below
the evidence bar (verdict "too early": metrics.planning.verdicts.evidence_missing) is in no item,
only in the counts:
- scale: known creators with spend, not poor performers, whose ROAS is at least the selection's
  pooled ROAS; the best MAX_PER_ACTION by efficiency score (then revenue, then id).
- renew: the remaining creators that clear the poor-performer bar (ROAS ≥ settings.poor_roas and
  ROI ≥ settings.poor_roi_pct); the largest MAX_PER_ACTION by revenue.
- review: poor performers (METRICS.md: ROI < poor_roi_pct or ROAS < poor_roas) that still return
  at least their cost (ROAS ≥ 1): renegotiate terms or brief; the largest MAX_REVIEW by spend.
- drop: creators with spend whose attributed revenue is below their cost (ROAS < 1) or nil;
  the largest MAX_REVIEW by spend.

key_findings(wh, filters, settings) -> list[dict] (up to 5): headline, concentration (top 10 %
of creators by revenue), best / worst platform ROAS, poor performers' share of spend and the
incremental view (measured, with its interval, or the assumed-baseline share). A finding is left out when the selection cannot
support it (e.g. a single platform has no "worst").
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import TYPE_CHECKING

import pandas as pd

from metrics import catalogue
from metrics import format as fmt
from metrics.aggregate import ratio
from metrics.breakdowns import breakdown
from metrics.catalogue import POOR_PERFORMER, share
from metrics.filters import Filters
from metrics.kpis import kpis, share_basis_words
from metrics.lift import NO_POST, NO_POST_WHY, indistinguishable_note, no_post_words
from metrics.ranking import ranking
from metrics.settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from metrics.planning.plan import Plan

ACTIONS = ("scale", "renew", "move budget", "hold back", "review", "drop")
PLANNER_ACTIONS = ("move budget", "hold back")  # subjects that already say what to do
MAX_PER_ACTION = 3
MAX_REVIEW = 5
MIN_SPEND_SHARE = 0.05  # a platform / category must hold 5 % of spend to be compared
TOP_SHARE = 0.10  # "top 10 % of creators"
MIN_CREATORS_FOR_CONCENTRATION = 5  # below this "the top 10 %" is one creator and says little


@dataclasses.dataclass(frozen=True)
class Evidence:
    """The figures findings and recommendations are drawn from, queried once per selection.

    Callers that already hold them (the PDF report) build it directly instead of querying again.
    """

    kpis: dict
    ranking: pd.DataFrame
    by_platform: pd.DataFrame
    by_category: pd.DataFrame

    @functools.cached_property
    def creators(self) -> Creators:
        """creators_of(ranking), made once per Evidence (findings and recommendations both read it:
        5,000 creators take a second to convert)."""
        return creators_of(self.ranking)


def gather(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> Evidence:
    """Query the Evidence of a selection: kpis(), ranking() with each creator's measured lift, and the
    breakdowns by platform and category."""
    from metrics.planning.verdicts import with_verdicts
    from metrics.summary import with_lift

    headline = kpis(wh, filters, settings)
    ranked = with_lift(wh, ranking(wh, filters, settings), filters, settings, headline["incrementality_method"])
    ranked = with_verdicts(wh, ranked, filters, settings)
    return Evidence(
        kpis=headline,
        ranking=ranked,
        by_platform=breakdown(wh, "platform", filters, settings),
        by_category=breakdown(wh, "category", filters, settings),
    )


def judged(wh, evidence: Evidence, filters: Filters, settings: Settings) -> Evidence:
    """`evidence` whose ranking carries each creator's measured lift and verdict (callers such as
    the PDF build Evidence from a plain ranking); unchanged when it has them already."""
    from metrics.planning.verdicts import with_verdicts
    from metrics.summary import with_lift

    if "verdict" in evidence.ranking.columns:
        return evidence
    ranked = with_lift(wh, evidence.ranking, filters, settings, evidence.kpis["incrementality_method"])
    return dataclasses.replace(evidence, ranking=with_verdicts(wh, ranked, filters, settings))


# --- the selection's creators --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Creators:
    """Known creators of a ranking as plain dicts (None for undefined ratios), and the revenue and
    spend (₹) of the whole selection (creators missing from the influencers file included, as in kpis)."""

    rows: list[dict]
    revenue: float
    spend: float

    @property
    def pooled_roas(self) -> float | None:
        """The selection's ROAS (revenue ÷ spend), None without spend."""
        return ratio(self.revenue, self.spend)

    @property
    def funded(self) -> list[dict]:
        """Creators with spend that clear the evidence bar (their verdict is not "too early":
        metrics.planning.verdicts.evidence_missing): the only ones a recommendation can judge."""
        from metrics.planning.verdicts import TOO_EARLY

        return [c for c in self.rows if c["spend"] > 0 and c.get("verdict") != TOO_EARLY]


def creators_of(frame: pd.DataFrame) -> Creators:
    """The Creators of a ranking() frame (its known rows; the totals cover every row)."""
    total_revenue = float(pd.to_numeric(frame["revenue"], errors="coerce").fillna(0).sum())
    total_spend = float(pd.to_numeric(frame["spend"], errors="coerce").fillna(0).sum())
    known = frame[frame["known"].fillna(False).astype(bool)]
    return Creators([_creator(row) for row in known.to_dict("records")], total_revenue, total_spend)


def _creator(row: dict) -> dict:
    return {
        "influencer_id": str(row["influencer_id"]),
        "name": str(row["name"]) if row["name"] is not None else str(row["influencer_id"]),
        "platform": row["platform"],
        "category": row["category"],
        "tier": row["tier"],
        "revenue": fmt.clean(row["revenue"]) or 0.0,
        "spend": fmt.clean(row["spend"]) or 0.0,
        "orders": fmt.clean(row["orders"]) or 0.0,
        "new_customers": fmt.clean(row["new_customers"]),
        "new_customers_estimated": bool(row["new_customers_estimated"]),
        "roas": fmt.clean(row["roas"]),
        "roi_pct": fmt.clean(row["roi_pct"]),
        "cac": fmt.clean(row["cac"]),
        "cost_per_order": fmt.clean(row["cost_per_order"]),
        "efficiency_score": fmt.clean(row["efficiency_score"]),
        "poor_performer": bool(row["poor_performer"]),
        "incremental_revenue": fmt.clean(row.get("incremental_revenue")),
        "incremental_revenue_low": fmt.clean(row.get("incremental_revenue_low")),
        "incremental_revenue_high": fmt.clean(row.get("incremental_revenue_high")),
        "marginal_roas": fmt.clean(row.get("marginal_roas")),
        "verdict": row.get("verdict"),
        "verdict_reason": row.get("verdict_reason"),
    }


def _creator_numbers(c: dict, pooled_roas: float | None) -> dict:
    return {
        "influencer_id": c["influencer_id"],
        "platform": c["platform"],
        "category": c["category"],
        "revenue": c["revenue"],
        "spend": c["spend"],
        "orders": c["orders"],
        "roas": c["roas"],
        "roi_pct": c["roi_pct"],
        "cac": c["cac"],
        "cac_estimated": c["new_customers_estimated"],
        "cost_per_order": c["cost_per_order"],
        "efficiency_score": c["efficiency_score"],
        "selection_roas": pooled_roas,
    }


def _creator_evidence(c: dict) -> list[str]:
    estimated = c["new_customers_estimated"] and c["cac"] is not None
    cac = f"CAC {fmt.inr_compact(c['cac'])}" + (" (estimated)" if estimated else "")
    return [
        f"ROAS {fmt.ratio(c['roas'])}",
        f"ROI {fmt.pct(c['roi_pct'])}",
        f"revenue {fmt.inr_compact(c['revenue'])} on spend {fmt.inr_compact(c['spend'])}",
        cac,
    ]


def _item(action: str, subject: str, reason: str, numbers: dict, evidence: list[str], subject_type: str) -> dict:
    text = f"{subject}. {reason}" if action in PLANNER_ACTIONS else f"{action.capitalize()}: {subject}. {reason}"
    return {
        "action": action,
        "subject": subject,
        "subject_type": subject_type,
        "reason": reason,
        "numbers": numbers,
        "evidence": evidence,
        "text": text,
    }


# --- recommendations: one rule each ------------------------------------------------------------------


def scale_items(creators: Creators) -> list[dict]:
    """Scale: funded, not flagged, ROAS at or above the selection's and at least 1× (break-even); the best MAX_PER_ACTION by
    efficiency score (then revenue, then id). Items as recommendations()."""
    pooled = creators.pooled_roas
    if pooled is None:
        return []
    # never scale below break-even (ROAS 1x), even where the selection's pooled ROAS is lower
    bar = max(pooled, 1.0)
    chosen = [c for c in creators.funded if not c["poor_performer"] and c["roas"] is not None and c["roas"] >= bar]
    chosen.sort(key=lambda c: (-(c["efficiency_score"] or 0.0), -c["revenue"], c["influencer_id"]))
    items = []
    for c in chosen[:MAX_PER_ACTION]:
        score = f", efficiency score {c['efficiency_score']:.0f}/100." if c["efficiency_score"] is not None else "."
        reason = (
            f"ROAS {fmt.ratio(c['roas'])} against {fmt.ratio(pooled)} for the selection, "
            f"{fmt.inr_compact(c['revenue'])} revenue on {fmt.inr_compact(c['spend'])} spend" + score
        )
        items.append(
            _item(
                "scale",
                c["name"],
                reason,
                _creator_numbers(c, pooled),
                _creator_evidence(c) + [f"selection ROAS {fmt.ratio(pooled)}"],
                "influencer",
            )
        )
    return items


def renew_items(creators: Creators, settings: Settings, scaled: set[str]) -> list[dict]:
    """Renew: funded creators not flagged and with revenue, other than those to scale (`scaled`
    ids); the largest MAX_PER_ACTION by revenue. Items as recommendations()."""
    pooled = creators.pooled_roas
    chosen = [
        c for c in creators.funded if c["influencer_id"] not in scaled and not c["poor_performer"] and c["revenue"] > 0
    ]
    chosen.sort(key=lambda c: (-c["revenue"], c["influencer_id"]))
    items = []
    bar = POOR_PERFORMER.bars(settings)
    for c in chosen[:MAX_PER_ACTION]:
        reason = (
            f"Clears the bar (ROI {fmt.pct(c['roi_pct'])} ≥ {bar['roi']}, ROAS {fmt.ratio(c['roas'])} ≥ {bar['roas']}) "
            f"with {fmt.inr_compact(c['revenue'])} revenue on {fmt.inr_compact(c['spend'])} spend; keep the current terms."
        )
        items.append(_item("renew", c["name"], reason, _creator_numbers(c, pooled), _creator_evidence(c), "influencer"))
    return items


def review_items(creators: Creators, settings: Settings) -> list[dict]:
    """Review: poor performers that still return their cost (revenue > 0, ROAS ≥ 1); the largest
    MAX_REVIEW by spend. Items as recommendations(), numbers with spend_share and the thresholds."""
    pooled = creators.pooled_roas
    chosen = [
        c
        for c in creators.funded
        if c["poor_performer"] and c["revenue"] > 0 and c["roas"] is not None and c["roas"] >= 1.0
    ]
    chosen.sort(key=lambda c: (-c["spend"], c["influencer_id"]))
    items = []
    for c in chosen[:MAX_REVIEW]:
        spend_share = share(c["spend"], creators.spend)
        reason = (
            f"Below the bar ({'; '.join(POOR_PERFORMER.misses(c, settings))}) on {fmt.inr_compact(c['spend'])} spend "
            f"({fmt.share(spend_share)} of the selection's): renegotiate terms or the brief."
        )
        numbers = _creator_numbers(c, pooled) | {
            "spend_share": spend_share,
            "poor_roas": settings.poor_roas,
            "poor_roi_pct": settings.poor_roi_pct,
        }
        items.append(_item("review", c["name"], reason, numbers, _creator_evidence(c), "influencer"))
    return items


def drop_items(creators: Creators) -> list[dict]:
    """Drop: funded creators whose revenue is nil or below their cost (ROAS < 1); the largest
    MAX_REVIEW by spend. Items as recommendations(), numbers with spend_share."""
    pooled = creators.pooled_roas
    chosen = [c for c in creators.funded if c["revenue"] <= 0 or (c["roas"] is not None and c["roas"] < 1.0)]
    chosen.sort(key=lambda c: (-c["spend"], c["influencer_id"]))
    items = []
    for c in chosen[:MAX_REVIEW]:
        if c["revenue"] <= 0:
            reason = f"{fmt.inr_compact(c['spend'])} spend with no attributed revenue in the selection."
        else:
            reason = (
                f"Revenue {fmt.inr_compact(c['revenue'])} does not cover spend {fmt.inr_compact(c['spend'])} "
                f"(ROAS {fmt.ratio(c['roas'])}): each rupee returns less than a rupee."
            )
        numbers = _creator_numbers(c, pooled) | {"spend_share": share(c["spend"], creators.spend)}
        items.append(_item("drop", c["name"], reason, numbers, _creator_evidence(c), "influencer"))
    return items


@dataclasses.dataclass(frozen=True)
class Rated:
    """A platform or category value with a defined ROAS (×) and its spend (₹)."""

    value: str
    roas: float
    spend: float


def rated_values(frame: pd.DataFrame, dimension: str) -> list[Rated]:
    """Values of a breakdown with a defined ROAS and at least MIN_SPEND_SHARE of the spend, best ROAS
    first (ties by value). `Unknown` (creators missing from the influencers file) is left out:
    budget cannot move to it."""
    rated = []
    for row in frame.to_dict("records"):
        roas, spend = fmt.clean(row["roas"]), fmt.clean(row["spend"]) or 0.0
        if str(row[dimension]) != "Unknown" and spend > 0 and roas is not None:
            rated.append(Rated(str(row[dimension]), float(roas), float(spend)))
    total_spend = sum(r.spend for r in rated)
    rated = [r for r in rated if (ratio(r.spend, total_spend) or 0) >= MIN_SPEND_SHARE]
    rated.sort(key=lambda r: (-r.roas, r.value))
    return rated


def move_budget_item(wh, filters: Filters, settings: Settings, chosen: Plan | None = None) -> dict | None:
    """Move budget, from the planner (metrics.planning.plan by segment at the selection's spend,
    each segment within ±settings.plan_max_change, none raised past break-even
    settings.plan_min_marginal_roas): the segments the plan cuts and raises, the money moved, the
    money held back (no segment's next rupee would return break-even) and the expected change in
    incremental revenue with its interval. Where nothing can take money at break-even the item
    says so and names the cuts: action "hold back", subject "Hold back …" (no money moves, so it is
    no budget move). None when the plan changes nothing or cannot be
    made (no measured lift or no spend). `chosen`: that plan, when the caller has made it already
    (the PDF report's plan section)."""
    from metrics.planning import PlanError, plan
    from metrics.planning.plan import total_label, unvalued_text

    if chosen is None:
        try:
            chosen = plan(wh, None, "segment", None, filters, settings)
        except PlanError:
            return None
    rows = chosen.rows
    up = rows[rows["planned_change"] > 0.005 * rows["current_spend"]].sort_values("planned_change", ascending=False)
    down = rows[rows["planned_change"] < -0.005 * rows["current_spend"]].sort_values("planned_change")
    held = chosen.held_back if chosen.held_back >= 0.5 else 0.0
    if down.empty or (up.empty and not held):
        return None
    gain, net = chosen.totals["gain"], chosen.totals["net"]["value"]
    shift = float(up["planned_change"].sum())
    to, frm = list(up["segment"]), list(down["segment"])
    label = total_label("gain", gain)
    expected = (
        f"expected incremental revenue {_signed(gain['value'])} ({fmt.inr_compact(gain['low'])} to "
        f"{fmt.inr_compact(gain['high'])}{', ' + label if label else ''})"
    )
    # the plan neither values nor moves creators without a post measured in the selection: say so here too
    unvalued = unvalued_text(chosen)
    outside = f" {unvalued}" if unvalued else ""
    if up.empty:
        subject = f"Hold back {fmt.inr_compact(held)} from {listed(frm)}"
        reason = (
            f"No segment's next rupee would return at least {fmt.ratio(settings.plan_min_marginal_roas)} "
            f"(break-even), so the planner moves money nowhere and cuts these (at most "
            f"±{fmt.share(chosen.max_change, 0)} per segment): {expected}, net of the spend saved "
            f"{_signed(net)}; see the budget plan for the whole allocation.{outside}"
        )
    else:
        subject = f"Move budget from {listed(frm)} to {listed(to)}"
        kept = (
            f"; {fmt.inr_compact(held)} held back, as no segment's next rupee would return break-even "
            f"({fmt.ratio(settings.plan_min_marginal_roas)}) beyond that"
            if held
            else " at the same budget"
        )
        reason = (
            f"The planner moves {fmt.inr_compact(shift)} (at most ±{fmt.share(chosen.max_change, 0)} per segment) "
            f"towards the segments whose next rupee returns most: {expected}{kept}; see the budget plan for the "
            f"whole allocation.{outside}"
        )
    numbers = {
        "dimension": "segment",
        "from": frm,
        "to": to,
        "shift": shift,
        "held_back": held,
        "max_change": chosen.max_change,
        "estimated_revenue_gain": gain["value"],
        "estimated_revenue_gain_low": gain["low"],
        "estimated_revenue_gain_high": gain["high"],
        "net_gain": net,
        "from_roas": _weighted_margin(down),
        "to_roas": _weighted_margin(up),
    }
    from_label, to_label = (catalogue.get(key).label for key in ("from_roas", "to_roas"))
    # held back, a loss of incremental revenue is not the plan's result: the net of the spend saved leads
    evidence = [
        *([f"net {'+' if net >= 0 else ''}{fmt.inr_compact(net)} vs today"] if held else []),
        *([f"{fmt.inr_compact(shift)} moved"] if shift else []),
        *([f"{fmt.inr_compact(held)} held back"] if held else []),
        # each marginal ROAS named as the catalogue names it: today's, over the segments cut (or
        # raised), not the plan's at its planned spend that /plan shows (tester N3)
        f"{from_label} {fmt.ratio(numbers['from_roas'])}"
        + ("" if to else f", below break-even {fmt.ratio(settings.plan_min_marginal_roas)}"),
        *([f"{to_label} {fmt.ratio(numbers['to_roas'])}"] if to else []),
        # a change against today, signed like the net's chip (it read as a level: "incremental revenue ₹11,842")
        f"incremental revenue {'+' if gain['value'] >= 0 else ''}{fmt.inr_compact(gain['value'])} vs today"
        if held
        else f"gain {fmt.inr_compact(gain['value'])}",
    ]
    return _item("hold back" if up.empty else "move budget", subject, reason, numbers, evidence, "segment")


def _signed(value: float) -> str:
    """₹ compact with its direction: "₹1.2 L higher", "₹40,000 lower"."""
    return f"{fmt.inr_compact(abs(value))} {'higher' if value >= 0 else 'lower'}"


MAX_LISTED = 3  # segments named in a move-budget subject; the rest are counted


def listed(names: list[str]) -> str:
    """The first MAX_LISTED names, then how many more (every segment is in the item's numbers; the
    PDF's plan headline words its cuts with it)."""
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


def _weighted_margin(rows: pd.DataFrame) -> float | None:
    """Spend-weighted marginal ROAS today of plan rows (×), None without spend."""
    spend = rows["current_spend"].sum()
    margin = pd.to_numeric(rows["current_marginal_roas"], errors="coerce").fillna(0)
    return float((margin * rows["current_spend"]).sum() / spend) if spend > 0 else None


def verdict_items(creators: Creators, action: str) -> list[dict]:
    """The creators whose verdict (metrics.planning.verdicts) is `action`: the largest
    MAX_PER_ACTION by spend as items (the count of all of them is verdict_counts)."""
    pooled = creators.pooled_roas
    chosen = sorted(
        (c for c in creators.rows if c.get("verdict") == action), key=lambda c: (-c["spend"], c["influencer_id"])
    )
    items = []
    for c in chosen[:MAX_PER_ACTION]:
        reason = (
            f"{c['verdict_reason']}; {fmt.inr_compact(c['revenue'])} revenue on {fmt.inr_compact(c['spend'])} spend."
        )
        numbers = _creator_numbers(c, pooled) | {
            "incremental_revenue": c["incremental_revenue"],
            "incremental_revenue_low": c["incremental_revenue_low"],
            "incremental_revenue_high": c["incremental_revenue_high"],
            "marginal_roas": c["marginal_roas"],
        }
        items.append(_item(action, c["name"], reason, numbers, _creator_evidence(c), "influencer"))
    return items


def verdict_counts(evidence: Evidence) -> dict[str, int]:
    """How many known creators of the selection have each verdict (scale, renew, review, drop)."""
    from metrics.planning.verdicts import verdict_counts as counts

    known = evidence.ranking[evidence.ranking["known"].fillna(False).astype(bool)]
    return counts(known)


def verdict_recommendations(
    wh, filters: Filters, settings: Settings, creators: Creators, chosen: Plan | None = None
) -> list[dict]:
    """Recommendations where lift is measured: per verdict the largest MAX_PER_ACTION creators, and
    the planner's move-budget or hold-back item (from `chosen` when given), in the order of ACTIONS."""
    move = move_budget_item(wh, filters, settings, chosen)
    return [
        *verdict_items(creators, "scale"),
        *verdict_items(creators, "renew"),
        *([move] if move else []),
        *verdict_items(creators, "review"),
        *verdict_items(creators, "drop"),
    ]


def recommendations(
    wh,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    evidence: Evidence | None = None,
    chosen: Plan | None = None,
) -> list[dict]:
    """What to do next, each with the numbers that justify it (see the module docstring for rules).

    Each item: action (scale / renew / move budget / hold back / review / drop), subject, subject_type
    (influencer / platform / category), reason (sentence), numbers (raw values: ₹ floats, ROAS ×,
    ROI %; None where undefined), evidence (short formatted strings) and text (one sentence:
    action, subject and reason), in the order of ACTIONS. `evidence` (from `gather`) and `chosen`
    (the selection's plan by segment, as move_budget_item makes it) save querying what the caller
    already has.
    """
    evidence = judged(wh, evidence or gather(wh, filters, settings), filters, settings)
    creators = evidence.creators
    if evidence.kpis.get("incrementality_method") == "event-window":
        return verdict_recommendations(wh, filters, settings, creators, chosen)
    scale = scale_items(creators)
    # Every creator whose verdict is scale, listed or not (the cap), is not offered for renewal:
    # the grid's verdict and the recommendation agree (metrics.planning.verdicts.attributed_verdict).
    scalable = {c["influencer_id"] for c in creators.rows if c.get("verdict") == "scale"}
    return [
        *scale,
        *renew_items(creators, settings, scalable | {item["numbers"]["influencer_id"] for item in scale}),
        *review_items(creators, settings),
        *drop_items(creators),
    ]


# --- key findings: one rule each -------------------------------------------------------------------


def headline_finding(k: dict) -> dict:
    """Revenue, spend, creators, ROAS, ROI and CAC of the selection (kpis() result `k`); CAC with
    its note at ₹0 spend or without new customers (catalogue.cost_note), as the CAC card."""
    plural = "" if k["influencers"] == 1 else "s"
    estimated = " (estimated)" if k["new_customers_estimated"] and k["cac"] is not None else ""
    cac = catalogue.with_cost_note("cac", k, fmt.inr_compact(k["cac"]) + estimated)
    return {
        "kind": "headline",
        "text": (
            f"{fmt.inr_compact(k['revenue'])} attributed revenue from {fmt.inr_compact(k['spend'])} spend "
            f"across {fmt.count(k['influencers'])} creator{plural}: ROAS {fmt.ratio(k['roas'])}, "
            f"ROI {fmt.pct(k['roi_pct'])}, CAC {cac}."
        ),
        "numbers": {
            key: k[key]
            for key in (
                "revenue",
                "spend",
                "roas",
                "roi_pct",
                "orders",
                "cac",
                "new_customers_estimated",
                "influencers",
            )
        },
    }


def concentration_finding(creators: Creators) -> dict | None:
    """The top TOP_SHARE of creators by revenue: their share of revenue and of spend, and their ROAS.
    None below MIN_CREATORS_FOR_CONCENTRATION creators or without revenue."""
    rows = creators.rows
    if len(rows) < MIN_CREATORS_FOR_CONCENTRATION or creators.revenue <= 0:
        return None
    n = max(1, math.ceil(len(rows) * TOP_SHARE))
    top = sorted(rows, key=lambda c: (-c["revenue"], c["influencer_id"]))[:n]
    top_revenue, top_spend = sum(c["revenue"] for c in top), sum(c["spend"] for c in top)
    roas = ratio(top_revenue, top_spend)
    # their fees can all fall on post dates outside a date range: a bare "ROAS —" says nothing
    why = catalogue.undefined_cause("roas", {"roas": roas, "revenue": top_revenue, "spend": top_spend})
    return {
        "kind": "concentration",
        "text": (
            f"The top {fmt.share(TOP_SHARE, 0)} of creators ({n} of {len(rows)}) drove "
            f"{fmt.share(share(top_revenue, creators.revenue))} of revenue on "
            f"{fmt.share(share(top_spend, creators.spend))} of spend "
            f"(ROAS {fmt.ratio(roas)}{f': {why} in the selection' if why else ''})."
        ),
        "numbers": {
            "top_n": n,
            "creators": len(rows),
            "revenue_share": share(top_revenue, creators.revenue),
            "spend_share": share(top_spend, creators.spend),
            "roas": ratio(top_revenue, top_spend),
            "influencer_ids": [c["influencer_id"] for c in top],
        },
    }


def platforms_finding(by_platform: pd.DataFrame) -> dict | None:
    """The best and worst platform by ROAS among those with MIN_SPEND_SHARE of spend (or the only one);
    None when no platform qualifies."""
    rated = rated_values(by_platform, "platform")
    share = fmt.share(MIN_SPEND_SHARE, 0)
    if len(rated) >= 2:
        best, worst = rated[0], rated[-1]
        return {
            "kind": "platforms",
            "text": (
                f"Among platforms with at least {share} of spend, {best.value} returns the most per rupee "
                f"(ROAS {fmt.ratio(best.roas)} on {fmt.inr_compact(best.spend)} spend) and {worst.value} the "
                f"least ({fmt.ratio(worst.roas)} on {fmt.inr_compact(worst.spend)})."
            ),
            "numbers": {
                "best": best.value,
                "best_roas": best.roas,
                "best_spend": best.spend,
                "worst": worst.value,
                "worst_roas": worst.roas,
                "worst_spend": worst.spend,
                "roas_gap": best.roas - worst.roas,
            },
        }
    if len(rated) == 1:
        only = rated[0]
        return {
            "kind": "platforms",
            "text": (
                f"{only.value} is the only platform with at least {share} of spend "
                f"(ROAS {fmt.ratio(only.roas)} on {fmt.inr_compact(only.spend)})."
            ),
            "numbers": {
                "best": only.value,
                "best_roas": only.roas,
                "best_spend": only.spend,
                "worst": None,
                "worst_roas": None,
                "worst_spend": None,
                "roas_gap": None,
            },
        }
    return None


def too_early_count(rows: list[dict]) -> int:
    """How many of `rows` (creators with their verdict) are too early to judge."""
    from metrics.planning.verdicts import TOO_EARLY

    return sum(1 for row in rows if row.get("verdict") == TOO_EARLY)


def below_poor_bar(judged: int, too_early: int, settings: Settings) -> str:
    """The creators below the poor-performer bar split by the evidence bar, in words: `judged`
    poor performers and `too_early` below the bar but too early to judge (docs/metrics.md, "Too
    early to judge among poor performers"): "3 poor performers and 2 too early to judge (the
    evidence bar: 3 posts and ₹10,000)", "all too early to judge (…)", "1 poor performer"."""
    from metrics.planning.verdicts import evidence_bar

    if not too_early:
        return fmt.counted(judged, "poor performer")
    bar = f"(the evidence bar: {evidence_bar(settings)})"
    if not judged:
        return f"{'too early' if too_early == 1 else 'all too early'} to judge {bar}"
    return f"{fmt.counted(judged, 'poor performer')} and {fmt.count(too_early)} too early to judge {bar}"


def poor_performers_finding(creators: Creators, settings: Settings) -> dict | None:
    """How many creators are poor performers (those too early to judge counted apart), and their
    share of spend and of revenue; None without spend."""
    if creators.spend <= 0:
        return None
    poor = [c for c in creators.rows if c["poor_performer"]]
    poor_spend, poor_revenue = sum(c["spend"] for c in poor), sum(c["revenue"] for c in poor)
    rule = POOR_PERFORMER.text(settings)
    early = too_early_count(poor)
    took = (
        f"{fmt.share(share(poor_spend, creators.spend))} of spend ({fmt.inr_compact(poor_spend)}) and brought "
        f"{fmt.share(share(poor_revenue, creators.revenue))} of revenue."
    )
    if early:
        # a creator too early to judge is no poor performer in words, though below the bar
        text = (
            f"{fmt.counted(len(poor), 'creator')} {'is' if len(poor) == 1 else 'are'} below the poor-performer "
            f"bar ({rule}): {below_poor_bar(len(poor) - early, early, settings)}. "
            f"{'It' if len(poor) == 1 else 'Together they'} took {took}"
        )
    elif poor:
        text = f"{fmt.counted(len(poor), 'poor performer')} ({rule}) took {took}"
    else:
        text = f"No creator in the selection is a poor performer ({rule})."
    return {
        "kind": "poor_performers",
        "text": text,
        "numbers": {
            "count": len(poor),
            "too_early": early,
            "spend": poor_spend,
            "revenue": poor_revenue,
            "spend_share": share(poor_spend, creators.spend),
            "revenue_share": share(poor_revenue, creators.revenue),
            "poor_roi_pct": settings.poor_roi_pct,
            "poor_roas": settings.poor_roas,
        },
    }


def incremental_finding(k: dict) -> dict | None:
    """Incremental revenue and ROAS: measured against each creator's quiet days (event-window) with
    its interval (and, where it includes 0, "not distinguishable from baseline" instead of a claimed
    effect), or under the assumed baseline share with the reason; None without revenue."""
    if not k["revenue"] > 0:
        return None
    if k.get("incrementality_method") == "event-window":
        interval = (
            f"{fmt.share(k['incrementality_confidence'], 0)} interval "
            f"{fmt.inr_compact(k['incremental_revenue_low'])} to {fmt.inr_compact(k['incremental_revenue_high'])}"
        )
        # an interval that includes 0 is no measured effect (METRICS.md): the sentence claims none
        effect = (
            f"the posts' incremental revenue, {fmt.inr_compact(k['incremental_revenue'])} ({interval}), is "
            f"{indistinguishable_note(k)}"
            if indistinguishable_note(k)
            else f"the posts caused {fmt.inr_compact(k['incremental_revenue'])} of revenue ({interval})"
        )
        if no_post_words(k):
            effect = f"{fmt.inr_compact(0)} of incremental revenue, as there is {NO_POST} ({NO_POST_WHY})"
        text = (
            f"Measured against each creator's quiet days ({k['incrementality_window_days']}-day windows), "
            f"{effect}: {fmt.share(k['incremental_share'])} {share_basis_words(k)}, incremental ROAS "
            f"{fmt.ratio(k['incremental_roas'])}."
        )
    else:
        reason = f" ({k['incrementality_reason']})" if k.get("incrementality_reason") else ""
        text = (
            f"Assuming {fmt.share(k['baseline_share'])} of attributed revenue would have happened anyway"
            f"{reason}, incremental revenue is "
            f"{fmt.inr_compact(k['incremental_revenue'])} and incremental ROAS {fmt.ratio(k['incremental_roas'])}."
        )
    return {
        "kind": "incremental",
        "text": text,
        "numbers": {
            "baseline_share": k["baseline_share"],
            "incremental_revenue": k["incremental_revenue"],
            "incremental_roas": k["incremental_roas"],
            "method": k.get("incrementality_method"),
            "incremental_revenue_low": k.get("incremental_revenue_low"),
            "incremental_revenue_high": k.get("incremental_revenue_high"),
            "verdict": k.get("incrementality_verdict"),
        },
    }


def key_findings(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, evidence: Evidence | None = None
) -> list[dict]:
    """3–5 findings for the executive summary: each {kind, text, numbers}.

    kinds, in this order: headline, concentration, platforms, poor_performers, incremental; a
    finding the selection cannot support is left out. `evidence` (from `gather`) saves querying
    what the caller already has.
    """
    evidence = evidence or gather(wh, filters, settings)
    creators = evidence.creators
    findings = [
        headline_finding(evidence.kpis),
        concentration_finding(creators),
        platforms_finding(evidence.by_platform),
        poor_performers_finding(creators, settings),
        incremental_finding(evidence.kpis),
    ]
    return [f for f in findings if f is not None][:5]
