"""Executive findings and recommendations for a selection: pure computation, no Dash.

Used by the /insights page and the PDF report. Every item carries the raw numbers that justify it
(float rupees, plain ratios; None where undefined) so callers can format them their own way, and
a ready-made sentence (`text`) plus short `evidence` strings for people, formatted by
metrics.format (₹ with Indian grouping, lakh / crore; "—" where undefined).

Rules (all thresholds are module constants or `Settings`; documented in docs/insights.md):

recommendations(wh, filters, settings) -> list[dict], in this order:
- scale: known creators with spend, not poor performers, whose ROAS is at least the selection's
  pooled ROAS; the best MAX_PER_ACTION by efficiency score (then revenue, then id).
- renew: the remaining creators that clear the poor-performer bar (ROAS ≥ settings.poor_roas and
  ROI ≥ settings.poor_roi_pct) and, where incrementality is measured, whose measured lift is
  clearly positive (the low end of its interval above 0); the largest MAX_PER_ACTION by revenue.
- move budget: per dimension (platform, then category), the best and worst value by pooled ROAS
  among values holding at least MIN_SPEND_SHARE of spend; recommended when the best ROAS is at
  least MIN_ROAS_GAP times the worst. The revenue change of shifting BUDGET_SHIFT_SHARE of the
  worst value's spend is estimated assuming both ROAS stay as they are (labelled an estimate).
- review: poor performers (METRICS.md: ROI < poor_roi_pct or ROAS < poor_roas) that still return
  at least their cost (ROAS ≥ 1): renegotiate terms or brief; the largest MAX_PER_ACTION by spend.
- drop: creators with spend whose attributed revenue is below their cost (ROAS < 1) or nil;
  the largest MAX_PER_ACTION by spend.

key_findings(wh, filters, settings) -> list[dict] (up to 5): headline, concentration (top 10 %
of creators by revenue), best / worst platform ROAS, poor performers' share of spend and the
incremental view (measured, with its interval, or the assumed-baseline share). A finding is left out when the selection cannot
support it (e.g. a single platform has no "worst").
"""
from __future__ import annotations

import dataclasses
import math

import pandas as pd

from metrics import format as fmt
from metrics.aggregate import ratio
from metrics.breakdowns import breakdown
from metrics.filters import Filters
from metrics.kpis import kpis
from metrics.ranking import ranking
from metrics.settings import DEFAULT_SETTINGS, Settings

ACTIONS = ("scale", "renew", "move budget", "review", "drop")
MAX_PER_ACTION = 3
MAX_REVIEW = 5
MIN_SPEND_SHARE = 0.05  # a platform / category must hold 5 % of spend to be compared
MIN_ROAS_GAP = 1.2  # best ROAS at least 1.2 × worst before moving budget is suggested
BUDGET_SHIFT_SHARE = 0.2  # the share of the worst value's spend a "move budget" estimate shifts
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


def gather(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> Evidence:
    from metrics.summary import with_lift

    headline = kpis(wh, filters, settings)
    ranked = with_lift(wh, ranking(wh, filters, settings), filters, settings, headline["incrementality_method"])
    return Evidence(kpis=headline, ranking=ranked,
                    by_platform=breakdown(wh, "platform", filters, settings),
                    by_category=breakdown(wh, "category", filters, settings))


# --- helpers -----------------------------------------------------------------------------------

def _creators(frame: pd.DataFrame) -> tuple[list[dict], float, float]:
    """Known creators of the ranking as plain dicts (None for undefined ratios), and the revenue and
    spend of the whole selection (creators missing from the influencers file included, as in kpis)."""
    total_revenue = float(pd.to_numeric(frame["revenue"], errors="coerce").fillna(0).sum())
    total_spend = float(pd.to_numeric(frame["spend"], errors="coerce").fillna(0).sum())
    frame = frame[frame["known"].fillna(False).astype(bool)]
    rows = []
    for row in frame.to_dict("records"):
        rows.append({
            "influencer_id": str(row["influencer_id"]),
            "name": str(row["name"]) if row["name"] is not None else str(row["influencer_id"]),
            "platform": row["platform"], "category": row["category"], "tier": row["tier"],
            "revenue": fmt.clean(row["revenue"]) or 0.0, "spend": fmt.clean(row["spend"]) or 0.0,
            "orders": fmt.clean(row["orders"]) or 0.0, "new_customers": fmt.clean(row["new_customers"]),
            "new_customers_estimated": bool(row["new_customers_estimated"]),
            "roas": fmt.clean(row["roas"]), "roi_pct": fmt.clean(row["roi_pct"]), "cac": fmt.clean(row["cac"]),
            "cost_per_order": fmt.clean(row["cost_per_order"]), "efficiency_score": fmt.clean(row["efficiency_score"]),
            "poor_performer": bool(row["poor_performer"]),
            "incremental_revenue": fmt.clean(row.get("incremental_revenue")),
            "incremental_revenue_low": fmt.clean(row.get("incremental_revenue_low")),
            "incremental_revenue_high": fmt.clean(row.get("incremental_revenue_high")),
        })
    return rows, total_revenue, total_spend


def _creator_numbers(c: dict, pooled_roas: float | None) -> dict:
    return {
        "influencer_id": c["influencer_id"], "platform": c["platform"], "category": c["category"],
        "revenue": c["revenue"], "spend": c["spend"], "orders": c["orders"], "roas": c["roas"],
        "roi_pct": c["roi_pct"], "cac": c["cac"], "cac_estimated": c["new_customers_estimated"],
        "cost_per_order": c["cost_per_order"], "efficiency_score": c["efficiency_score"],
        "selection_roas": pooled_roas,
    }


def _creator_evidence(c: dict) -> list[str]:
    cac = f"CAC {fmt.inr_compact(c['cac'])}" + (" (estimated)" if c["new_customers_estimated"] and c["cac"] is not None else "")
    return [f"ROAS {fmt.ratio(c['roas'])}", f"ROI {fmt.pct(c['roi_pct'])}",
            f"revenue {fmt.inr_compact(c['revenue'])} on spend {fmt.inr_compact(c['spend'])}", cac]


def _item(action: str, subject: str, reason: str, numbers: dict, evidence: list[str], subject_type: str) -> dict:
    verb = {"scale": "Scale", "renew": "Renew", "move budget": "Move budget", "review": "Review",
            "drop": "Drop"}[action]
    text = f"{verb}: {subject}. {reason}" if action != "move budget" else f"{subject}. {reason}"
    return {"action": action, "subject": subject, "subject_type": subject_type, "reason": reason,
            "numbers": numbers, "evidence": evidence, "text": text}


# --- recommendations ---------------------------------------------------------------------------

def recommendations(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS,
                    evidence: Evidence | None = None) -> list[dict]:
    """What to do next, each with the numbers that justify it (see the module docstring for rules).

    Each item: action (scale / renew / move budget / review / drop), subject, subject_type
    (influencer / platform / category), reason (sentence), numbers (raw values), evidence
    (short formatted strings) and text (one sentence: action, subject and reason).
    `evidence` (from `gather`) saves querying what the caller already has.
    """
    evidence = evidence or gather(wh, filters, settings)
    creators, total_revenue, total_spend = _creators(evidence.ranking)
    pooled = ratio(total_revenue, total_spend)
    out: list[dict] = []

    funded = [c for c in creators if c["spend"] > 0]
    # scale: at or above the selection's pooled ROAS, not flagged.
    scale = [c for c in funded if not c["poor_performer"] and c["roas"] is not None
             and pooled is not None and c["roas"] >= pooled]
    scale.sort(key=lambda c: (-(c["efficiency_score"] or 0.0), -c["revenue"], c["influencer_id"]))
    scale = scale[:MAX_PER_ACTION]
    for c in scale:
        reason = (f"ROAS {fmt.ratio(c['roas'])} against {fmt.ratio(pooled)} for the selection, "
                  f"{fmt.inr_compact(c['revenue'])} revenue on {fmt.inr_compact(c['spend'])} spend"
                  + (f", efficiency score {c['efficiency_score']:.0f}/100." if c["efficiency_score"] is not None else "."))
        out.append(_item("scale", c["name"], reason, _creator_numbers(c, pooled),
                         _creator_evidence(c) + [f"selection ROAS {fmt.ratio(pooled)}"], "influencer"))

    chosen = {c["influencer_id"] for c in scale}
    measured = evidence.kpis.get("incrementality_method") == "event-window"
    renew = [c for c in funded if c["influencer_id"] not in chosen and not c["poor_performer"] and c["revenue"] > 0
             and (not measured or (c["incremental_revenue_low"] or 0.0) > 0)]
    renew.sort(key=lambda c: (-c["revenue"], c["influencer_id"]))
    for c in renew[:MAX_PER_ACTION]:
        lift = (f"; measured lift {fmt.inr_compact(c['incremental_revenue'])} "
                f"({fmt.inr_compact(c['incremental_revenue_low'])} to {fmt.inr_compact(c['incremental_revenue_high'])})"
                if measured else "")
        reason = (f"Clears the bar (ROAS {fmt.ratio(c['roas'])} ≥ {fmt.ratio(settings.poor_roas)}, "
                  f"ROI {fmt.pct(c['roi_pct'])} ≥ {fmt.pct(settings.poor_roi_pct)}) with "
                  f"{fmt.inr_compact(c['revenue'])} revenue on {fmt.inr_compact(c['spend'])} spend{lift}; "
                  "keep the current terms.")
        out.append(_item("renew", c["name"], reason, _creator_numbers(c, pooled), _creator_evidence(c), "influencer"))

    for dimension, frame in (("platform", evidence.by_platform), ("category", evidence.by_category)):
        item = _move_budget(frame, dimension)
        if item is not None:
            out.append(item)

    review = [c for c in funded if c["poor_performer"] and c["revenue"] > 0 and c["roas"] is not None
              and c["roas"] >= 1.0]
    review.sort(key=lambda c: (-c["spend"], c["influencer_id"]))
    for c in review[:MAX_REVIEW]:
        misses = []
        if c["roas"] is not None and c["roas"] < settings.poor_roas:
            misses.append(f"ROAS {fmt.ratio(c['roas'])} < {fmt.ratio(settings.poor_roas)}")
        if c["roi_pct"] is not None and c["roi_pct"] < settings.poor_roi_pct:
            misses.append(f"ROI {fmt.pct(c['roi_pct'])} < {fmt.pct(settings.poor_roi_pct)}")
        reason = (f"Below the bar ({'; '.join(misses)}) on {fmt.inr_compact(c['spend'])} spend "
                  f"({fmt.share(ratio(c['spend'], total_spend))} of the selection's): renegotiate terms or the brief.")
        numbers = _creator_numbers(c, pooled) | {"spend_share": ratio(c["spend"], total_spend),
                                                 "poor_roas": settings.poor_roas, "poor_roi_pct": settings.poor_roi_pct}
        out.append(_item("review", c["name"], reason, numbers, _creator_evidence(c), "influencer"))

    drop = [c for c in funded if c["revenue"] <= 0 or (c["roas"] is not None and c["roas"] < 1.0)]
    drop.sort(key=lambda c: (-c["spend"], c["influencer_id"]))
    for c in drop[:MAX_REVIEW]:
        if c["revenue"] <= 0:
            reason = f"{fmt.inr_compact(c['spend'])} spend with no attributed revenue in the selection."
        else:
            reason = (f"Revenue {fmt.inr_compact(c['revenue'])} does not cover spend {fmt.inr_compact(c['spend'])} "
                      f"(ROAS {fmt.ratio(c['roas'])}): each rupee returns less than a rupee.")
        numbers = _creator_numbers(c, pooled) | {"spend_share": ratio(c["spend"], total_spend)}
        out.append(_item("drop", c["name"], reason, numbers, _creator_evidence(c), "influencer"))
    return out


def _rated_values(frame: pd.DataFrame, dimension: str) -> list[dict]:
    """Values of a breakdown with a defined ROAS and at least MIN_SPEND_SHARE of the spend, best ROAS first.

    `Unknown` (creators missing from the influencers file) is left out: budget cannot move to it.
    """
    rows = [r for r in frame.to_dict("records")
            if str(r[dimension]) != "Unknown" and (fmt.clean(r["spend"]) or 0) > 0 and fmt.clean(r["roas"]) is not None]
    total_spend = sum(fmt.clean(r["spend"]) for r in rows)
    rows = [r for r in rows if (ratio(fmt.clean(r["spend"]), total_spend) or 0) >= MIN_SPEND_SHARE]
    rows.sort(key=lambda r: (-fmt.clean(r["roas"]), str(r[dimension])))
    return rows


def _move_budget(frame: pd.DataFrame, dimension: str) -> dict | None:
    rows = _rated_values(frame, dimension)
    if len(rows) < 2:
        return None
    best, worst = rows[0], rows[-1]
    best_roas, worst_roas = fmt.clean(best["roas"]), fmt.clean(worst["roas"])
    if worst_roas > 0 and best_roas < worst_roas * MIN_ROAS_GAP:
        return None
    shift = fmt.clean(worst["spend"]) * BUDGET_SHIFT_SHARE
    gain = shift * (best_roas - worst_roas)
    subject = f"Move budget from {worst[dimension]} to {best[dimension]}"
    reason = (f"ROAS {fmt.ratio(best_roas)} on {best[dimension]} against {fmt.ratio(worst_roas)} on "
              f"{worst[dimension]} ({fmt.inr_compact(worst['spend'])} spend). Shifting {fmt.share(BUDGET_SHIFT_SHARE, 0)} of it "
              f"({fmt.inr_compact(shift)}) would add about {fmt.inr_compact(gain)} revenue if both ROAS held (estimate).")
    numbers = {
        "dimension": dimension, "from": str(worst[dimension]), "to": str(best[dimension]),
        "from_roas": worst_roas, "to_roas": best_roas, "roas_gap": best_roas - worst_roas,
        "from_spend": fmt.clean(worst["spend"]), "to_spend": fmt.clean(best["spend"]),
        "shift_share": BUDGET_SHIFT_SHARE, "shift": shift, "estimated_revenue_gain": gain,
    }
    evidence = [f"{best[dimension]} ROAS {fmt.ratio(best_roas)}", f"{worst[dimension]} ROAS {fmt.ratio(worst_roas)}",
                f"{worst[dimension]} spend {fmt.inr_compact(worst['spend'])}",
                f"estimated gain {fmt.inr_compact(gain)} on {fmt.inr_compact(shift)} moved"]
    item = _item("move budget", subject, reason, numbers, evidence, dimension)
    return item


# --- key findings ------------------------------------------------------------------------------

def key_findings(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS,
                 evidence: Evidence | None = None) -> list[dict]:
    """3–5 findings for the executive summary: each {kind, text, numbers}.

    kinds: headline, concentration, platforms, poor_performers, incremental.
    `evidence` (from `gather`) saves querying what the caller already has.
    """
    evidence = evidence or gather(wh, filters, settings)
    k = evidence.kpis
    findings: list[dict] = []
    revenue, spend = k["revenue"], k["spend"]
    findings.append({
        "kind": "headline",
        "text": (f"{fmt.inr_compact(revenue)} attributed revenue from {fmt.inr_compact(spend)} spend across {fmt.count(k['influencers'])} "
                 f"creator{'' if k['influencers'] == 1 else 's'}: ROAS {fmt.ratio(k['roas'])}, ROI {fmt.pct(k['roi_pct'])}, "
                 f"CAC {fmt.inr_compact(k['cac'])}{' (estimated)' if k['new_customers_estimated'] and k['cac'] is not None else ''}."),
        "numbers": {key: k[key] for key in ("revenue", "spend", "roas", "roi_pct", "orders", "cac",
                                            "new_customers_estimated", "influencers")},
    })

    creators, total_revenue, total_spend = _creators(evidence.ranking)
    if len(creators) >= MIN_CREATORS_FOR_CONCENTRATION and total_revenue > 0:
        n = max(1, math.ceil(len(creators) * TOP_SHARE))
        top = sorted(creators, key=lambda c: (-c["revenue"], c["influencer_id"]))[:n]
        top_revenue, top_spend = sum(c["revenue"] for c in top), sum(c["spend"] for c in top)
        findings.append({
            "kind": "concentration",
            "text": (f"The top {fmt.share(TOP_SHARE, 0)} of creators ({n} of {len(creators)}) drove "
                     f"{fmt.share(ratio(top_revenue, total_revenue))} of revenue on {fmt.share(ratio(top_spend, total_spend))} "
                     f"of spend (ROAS {fmt.ratio(ratio(top_revenue, top_spend))})."),
            "numbers": {"top_n": n, "creators": len(creators), "revenue_share": ratio(top_revenue, total_revenue),
                        "spend_share": ratio(top_spend, total_spend), "roas": ratio(top_revenue, top_spend),
                        "influencer_ids": [c["influencer_id"] for c in top]},
        })

    rated = _rated_values(evidence.by_platform, "platform")
    if len(rated) >= 2:
        best, worst = rated[0], rated[-1]
        findings.append({
            "kind": "platforms",
            "text": (f"Among platforms with at least {fmt.share(MIN_SPEND_SHARE, 0)} of spend, {best['platform']} returns "
                     f"the most per rupee (ROAS {fmt.ratio(best['roas'])} on {fmt.inr_compact(best['spend'])} spend) and "
                     f"{worst['platform']} the least ({fmt.ratio(worst['roas'])} on {fmt.inr_compact(worst['spend'])})."),
            "numbers": {"best": str(best["platform"]), "best_roas": fmt.clean(best["roas"]), "best_spend": fmt.clean(best["spend"]),
                        "worst": str(worst["platform"]), "worst_roas": fmt.clean(worst["roas"]),
                        "worst_spend": fmt.clean(worst["spend"]),
                        "roas_gap": fmt.clean(best["roas"]) - fmt.clean(worst["roas"])},
        })
    elif len(rated) == 1:
        only = rated[0]
        findings.append({
            "kind": "platforms",
            "text": (f"{only['platform']} is the only platform with at least {fmt.share(MIN_SPEND_SHARE, 0)} of spend "
                     f"(ROAS {fmt.ratio(only['roas'])} on {fmt.inr_compact(only['spend'])})."),
            "numbers": {"best": str(only["platform"]), "best_roas": fmt.clean(only["roas"]),
                        "best_spend": fmt.clean(only["spend"]), "worst": None, "worst_roas": None, "worst_spend": None,
                        "roas_gap": None},
        })

    if total_spend > 0:
        poor = [c for c in creators if c["poor_performer"]]
        poor_spend, poor_revenue = sum(c["spend"] for c in poor), sum(c["revenue"] for c in poor)
        rule = f"ROI < {fmt.pct(settings.poor_roi_pct, 0)} or ROAS < {fmt.ratio(settings.poor_roas)}"
        if poor:
            text = (f"{len(poor)} poor performer{'s' if len(poor) != 1 else ''} ({rule}) took "
                    f"{fmt.share(ratio(poor_spend, total_spend))} of spend ({fmt.inr_compact(poor_spend)}) and brought "
                    f"{fmt.share(ratio(poor_revenue, total_revenue))} of revenue.")
        else:
            text = f"No creator in the selection is a poor performer ({rule})."
        findings.append({
            "kind": "poor_performers", "text": text,
            "numbers": {"count": len(poor), "spend": poor_spend, "revenue": poor_revenue,
                        "spend_share": ratio(poor_spend, total_spend), "revenue_share": ratio(poor_revenue, total_revenue),
                        "poor_roi_pct": settings.poor_roi_pct, "poor_roas": settings.poor_roas},
        })

    if revenue > 0:
        if k.get("incrementality_method") == "event-window":
            text = (f"Measured against each creator's quiet days ({k['incrementality_window_days']}-day windows), the "
                    f"posts caused {fmt.inr_compact(k['incremental_revenue'])} of revenue "
                    f"({fmt.share(k['incrementality_confidence'], 0)} interval "
                    f"{fmt.inr_compact(k['incremental_revenue_low'])} to {fmt.inr_compact(k['incremental_revenue_high'])}): "
                    f"{fmt.share(k['incremental_share'])} of attributed revenue, incremental ROAS "
                    f"{fmt.ratio(k['incremental_roas'])}.")
        else:
            text = (f"Assuming {fmt.share(k['baseline_share'])} of attributed revenue would have happened anyway "
                    f"({k.get('incrementality_reason')}), incremental revenue is "
                    f"{fmt.inr_compact(k['incremental_revenue'])} and incremental ROAS {fmt.ratio(k['incremental_roas'])}.")
        findings.append({
            "kind": "incremental",
            "text": text,
            "numbers": {"baseline_share": k["baseline_share"], "incremental_revenue": k["incremental_revenue"],
                        "incremental_roas": k["incremental_roas"], "method": k.get("incrementality_method"),
                        "incremental_revenue_low": k.get("incremental_revenue_low"),
                        "incremental_revenue_high": k.get("incremental_revenue_high")},
        })
    return findings[:5]
