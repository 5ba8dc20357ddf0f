"""The report's first page: a one-page executive summary of the selection.

Headline KPIs with their change against the comparison period: the overview cards' figures, in
their order (metrics.comparison.CARD_CHANGE_KEYS, kpi_comparison), the incremental revenue with its interval (measured) or its assumed baseline,
the top and poor performers (the ranking the report's tables print), the campaigns whose budget
pacing needs attention (metrics.pacing) and the plan's headline recommendation. Every number is
one the rest of the report (and the dashboard) shows, from the same metric functions; labels and
formats come from the metric catalogue. Pure: the caller passes what it already computed.
"""

from __future__ import annotations

from metrics import catalogue, periods
from metrics import format as fmt
from metrics.catalogue import POOR_PERFORMER
from metrics.comparison import card_changes, partial_label, with_every_reason
from metrics.insights import below_poor_bar, too_early_count
from metrics.lift import NO_POST, NO_POST_WHY, indistinguishable_note, no_post_words
from metrics.pacing import ATTENTION, WHOLE_COST
from metrics.planning.verdicts import TOO_EARLY, VERDICTS, verdict_label, verdict_phrase

INCREMENTAL_KEYS = ("incremental_revenue", "incremental_roas")  # one reading and badge, as their cards
MAX_NAMED = 3  # creators named as top / poor performers
MAX_ALERTS = 4  # pacing alerts listed (the Budget pacing table has them all)


def headline(k: dict, compared: dict, by_product: bool = False) -> dict:
    """{comparison (sentence), kpis [{label, value, change, tone, tag, note}]}: the figures the
    overview's cards show a change for, in their order (metrics.comparison.card_changes: refunds only
    where the selection has some), of `k` (metrics.kpis) with their changes from `compared`
    (metrics.comparison.kpi_comparison); tag "estimated" / "measured" / "assumed" (None otherwise)
    as the overview's badges; note: _note's line under the card's value, else None; a change left
    out by a rule, or undefined, is "—" with its reason (metrics.comparison.with_every_reason).
    `by_product`: the selection filters products, so the Orders note says on which product an order counts."""
    boxes = []
    reasons = with_every_reason(compared, k).get("reasons") or {}
    for key, change, reason in card_changes(k, compared["change"], reasons):
        metric = catalogue.get(key)
        boxes.append(
            {
                "label": metric.label,
                "value": catalogue.headline_text(key, k.get(key)),
                # a change left out by a rule says why, as the card's line does, but not the note under
                # the value again ("no post in the selection": _note)
                "change": catalogue.CHANGE.short(change, periods.CHANGE_DECIMALS)
                + (f" {reason}" if reason and reason != NO_POST else ""),
                "tone": periods.change_tone(change, metric.higher_is_better),
                "tag": _tag(key, k),
                "note": _note(key, k, by_product),
            }
        )
    return {"comparison": _comparison_sentence(compared), "kpis": boxes}


def _note(key: str, k: dict, by_product: bool = False) -> str | None:
    """What the overview's card says under a headline figure: why a cost per unit is ₹0.00 or "—"
    (catalogue.cost_note), why ROAS or ROI is "—" (catalogue.card_note), an estimated count rounded to
    whole customers its exact value (catalogue.exact_note); a measured incremental revenue (and its ROAS) whose interval includes 0 is
    "not distinguishable from baseline" (metrics.lift.indistinguishable_note), and ₹0 says there is no post
    in the selection (metrics.lift.NO_POST); under a product filter (`by_product`) an order counts on
    its main product (catalogue.ORDERS_BY_PRODUCT_NOTE)."""
    if key == "orders":
        return catalogue.ORDERS_BY_PRODUCT_NOTE if by_product else None
    if key in catalogue.COST_KEYS:
        return catalogue.cost_note(key, k)
    if key in catalogue.WHOLE_ON_HEADLINES:
        return catalogue.exact_note(key, k.get(key))
    if key in catalogue.RETURNS_KEYS:
        return catalogue.card_note(key, k)
    if key not in INCREMENTAL_KEYS:
        return None
    return NO_POST if no_post_words(k) else indistinguishable_note(k)


def _tag(key: str, k: dict) -> str | None:
    """The overview's badge of a headline figure: new customers (and CAC on them) estimated from
    orders without buyer ids; incremental revenue and ROAS measured or assumed."""
    if key in ("new_customers", "cac") and k.get("new_customers_estimated"):
        return "estimated"
    if key in INCREMENTAL_KEYS:
        return "measured" if k.get("incrementality_method") == "event-window" else "assumed"
    return None


def _comparison_sentence(compared: dict) -> str:
    if not compared.get("start"):
        return "No comparison: the selection covers all dates (choose dates or a period to compare)."
    text = (
        f"Changes against the {periods.COMPARE_LABELS[compared['mode']].lower()}{partial_label(compared)}, "
        f"{fmt.date(compared['start'])} – {fmt.date(compared['end'])}."
    )
    return text + (f" {compared['notice']}." if compared.get("notice") else "")


def _in_sentence(label: str) -> str:
    """A catalogue label inside a sentence: "Incremental ROAS" -> "incremental ROAS"."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def incremental_line(k: dict, settings) -> str:
    """The incremental revenue sentence: measured with its lift window (days) and interval (and "not
    distinguishable from baseline" where the interval includes 0), or at the assumed baseline."""
    revenue, roas = catalogue.get("incremental_revenue"), catalogue.get("incremental_roas")
    if no_post_words(k):
        return (
            f"Measured {_in_sentence(revenue.label)} {fmt.inr_compact(0)}: {NO_POST} "
            f"({k.get('incrementality_window_days')}-day windows; {NO_POST_WHY}); "
            f"{_in_sentence(roas.label)} {fmt.ratio(k.get('incremental_roas'))}."
        )
    if k.get("incrementality_method") == "event-window":
        confidence = fmt.share(k.get("incrementality_confidence"), 0)
        # page 1 is often read alone: the figure names its window as the lift page does
        window = k.get("incrementality_window_days")
        windows = f"{window}-day windows; " if window else ""
        # an interval that includes 0 reads as no measured effect (METRICS.md), whatever the estimate's sign
        note = f": {indistinguishable_note(k)}" if indistinguishable_note(k) else ""
        return (
            f"Measured {_in_sentence(revenue.label)} {fmt.inr_compact(k.get('incremental_revenue'))} "
            f"({windows}{confidence} interval {fmt.inr_compact(k.get('incremental_revenue_low'))} to "
            f"{fmt.inr_compact(k.get('incremental_revenue_high'))}){note}; "
            f"{_in_sentence(roas.label)} {fmt.ratio(k.get('incremental_roas'))} "
            f"({fmt.ratio(k.get('incremental_roas_low'))} to {fmt.ratio(k.get('incremental_roas_high'))})."
        )
    share = k.get("baseline_share", settings.baseline_share)
    return (
        f"{revenue.label} {fmt.inr_compact(k.get('incremental_revenue'))} at an assumed baseline of "
        f"{fmt.share(share, 1)} (not measured: {k.get('incrementality_reason') or 'too little history'}); "
        f"{_in_sentence(roas.label)} {fmt.ratio(k.get('incremental_roas'))}."
    )


def _creator(row: dict, settings) -> str:
    """A creator's line: name (platform): ROAS, revenue on spend; the ROAS in the poor flag's digits
    (POOR_PERFORMER.roas_text: "ROAS 1.999x" before "ROAS 1.999x < 2x", never "2.00x")."""
    roas, revenue, spend = catalogue.get("roas"), catalogue.get("revenue"), catalogue.get("spend")
    return (
        f"{row.get('name') or row.get('influencer_id')} ({row.get('platform') or '—'}): {roas.label} "
        f"{POOR_PERFORMER.roas_text(row.get('roas'), settings)}, {_in_sentence(revenue.label)} "
        f"{revenue.short(row.get('revenue'))} on "
        f"{_in_sentence(spend.label)} {spend.short(row.get('spend'))}"
    )


def _too_early(row: dict) -> str:
    """ " — too early to judge" after a creator below the evidence bar (its verdict), else ""."""
    return f" — {verdict_label(TOO_EARLY)}" if row.get("verdict") == TOO_EARLY else ""


def poor_count(poor: list[dict], influencers, settings) -> str:
    """How many of the selection's `influencers` (count) are poor performers (`poor`: rows with
    their verdict), those too early to judge counted apart, as /insights' finding counts them:
    "No creator in the selection is a poor performer (…)", "1 of 1 creator is a poor performer
    (…)", "5 of 5 creators are below the poor-performer bar (…): 3 poor performers and 2 too early
    to judge (the evidence bar: …)"."""
    rule, early = POOR_PERFORMER.text(settings), too_early_count(poor)
    if not poor:
        return f"No creator in the selection is a poor performer ({rule})"
    of = f"{fmt.count(len(poor))} of {fmt.counted(influencers, 'creator')}"
    if not early:
        return f"{of} {'is a poor performer' if len(poor) == 1 else 'are poor performers'} ({rule})"
    split = below_poor_bar(len(poor) - early, early, settings)
    return f"{of} {'is' if len(poor) == 1 else 'are'} below the poor-performer bar ({rule}): {split}"


def _no_top(poor: list[dict]) -> str:
    """Why the top list is empty: every creator with spend is below the poor-performer bar (said so,
    not "is a poor performer": some may be too early to judge), or none has spend."""
    if poor:
        return "No creator with spend in this selection clears the poor-performer bar."
    return "No creator with spend in this selection."


def performers(top: list[dict], poor: list[dict], influencers, settings) -> dict:
    """{top [line], no_top (sentence when top is empty), poor_count (sentence), poor [line]}: the
    first MAX_NAMED of the report's top table (`top`, ranked by ROAS) and of its poor-performer table
    (`poor`, by spend, with reasons); rows carry their verdict, and a creator too early to judge is
    named with it ("— too early to judge") rather than left out (METRICS.md ranks it)."""
    poor_lines = [
        f"{_creator(row, settings)}: {row.get('reason') or POOR_PERFORMER.reasons(row, settings)}{_too_early(row)}"
        for row in poor
    ]
    more = len(poor) - MAX_NAMED
    return {
        "top": [_creator(row, settings) + _too_early(row) for row in top[:MAX_NAMED]],
        "no_top": None if top else _no_top(poor),
        "poor_count": poor_count(poor, influencers, settings)
        + (f"; the {MAX_NAMED} with the largest spend:" if more > 0 else ":" if poor else "."),
        "poor": poor_lines[:MAX_NAMED],
    }


def pacing_alerts(rows: list[dict], whole_cost: bool = False) -> dict:
    """{alerts [line], more (sentence or None), budgeted (count), calm (sentence where no campaign
    needs attention), scope (metrics.pacing.WHOLE_COST where `whole_cost`: the report's filters
    include some pacing does not apply, else None)}: campaigns whose pacing status needs attention
    (metrics.pacing.ATTENTION), in the pacing table's order."""
    used, elapsed = catalogue.get("budget_used_pct"), catalogue.get("elapsed_pct")
    projected = catalogue.get("projected_spend")
    attention = [row for row in rows if row.get("status") in ATTENTION]
    alerts = [
        f"{row['campaign']}: {row['status']}, {_in_sentence(used.label)} {used.text(row.get('budget_used_pct'))} "
        f"after {elapsed.text(row.get('elapsed_pct'))} of its time; {_in_sentence(projected.label)} "
        f"{projected.short(row.get('projected_spend'))} of {fmt.inr_compact(row.get('budget'))}"
        for row in attention[:MAX_ALERTS]
    ]
    more = len(attention) - len(alerts)
    return {
        "alerts": alerts,
        "more": f"… and {more} more in the Budget pacing table." if more > 0 else None,
        "budgeted": len(rows),
        "calm": _on_pace(len(rows)),
        "scope": WHOLE_COST if whole_cost and rows else None,
    }


def _on_pace(budgeted: int) -> str:
    """The pacing line where no campaign needs attention, for `budgeted` campaigns with a budget."""
    if not budgeted:
        return "No campaign of the selection has a budget."
    if budgeted <= 2:
        return "The one budgeted campaign is on pace." if budgeted == 1 else "Both budgeted campaigns are on pace."
    return f"All {fmt.count(budgeted)} budgeted campaigns are on pace."


def recommendation(
    plan: dict | None, recommendations: list[dict], verdict_counts: dict[str, int] | None = None
) -> dict:
    """{text, note}: the plan's headline (where a plan can be made) and the creators' verdict counts,
    else the first recommendation of the Recommendations section, else why there is none (no spend,
    or every creator too early to judge: `verdict_counts`, metrics.insights.verdict_counts)."""
    counts = (
        "Creators' verdicts: " + ", ".join(verdict_phrase(v, verdict_counts[v]) for v in VERDICTS) + "."
        if verdict_counts
        else None
    )
    if plan and plan.get("headline"):
        return {"text": plan["headline"], "note": plan.get("verdicts")}
    if recommendations:
        first = (
            f"The first of {len(recommendations)} recommendations; all are in the Recommendations section."
            if len(recommendations) > 1
            else "The only recommendation; it is in the Recommendations section too."
        )
        return {"text": recommendations[0]["text"], "note": f"{first} {counts}" if counts else first}
    too_early = (verdict_counts or {}).get(TOO_EARLY, 0)
    if too_early:
        return {
            "text": f"No recommendation: {too_early} creator{'' if too_early == 1 else 's'} "
            f"{'is' if too_early == 1 else 'are'} too early to judge (below the evidence bar of posts and spend).",
            "note": counts,
        }
    return {"text": "No recommendation: the selection has no spend to act on.", "note": None}


def executive_summary(
    k,
    compared,
    top,
    poor,
    pacing,
    plan,
    recommendations,
    settings,
    verdict_counts=None,
    whole_cost=False,
    by_product=False,
) -> dict:
    """The first page's context: headline, incremental, performers, pacing and recommendation (see
    the functions of this module; `verdict_counts` as recommendation's, `whole_cost` as pacing_alerts',
    `by_product` as headline's)."""
    return {
        "headline": headline(k, compared, by_product),
        "incremental": incremental_line(k, settings),
        "performers": performers(top, poor, k.get("influencers"), settings),
        "pacing": pacing_alerts(pacing, whole_cost),
        "recommendation": recommendation(plan, recommendations, verdict_counts),
    }
