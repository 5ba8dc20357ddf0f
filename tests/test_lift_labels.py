"""The selection's measured lift read as METRICS.md says: an interval that includes 0 is "not
distinguishable from baseline", said beside the figure and its interval wherever it is shown
(cards, the text summary, the PDF's executive summary, key figures, incremental section and
findings), never a claimed gain or loss. Hand-made kpis() results, one interval straddling 0 and
one above it; the warehouse path is in tests/test_lift.py."""

from __future__ import annotations

import numpy as np
import pytest
from dash_helpers import find, text

import cli
from callbacks.overview import incremental_cards
from metrics import DEFAULT_SETTINGS, insights
from metrics.kpis import SHARE_OVER_WINDOWS
from metrics.lift import NOT_DISTINGUISHABLE, interval_verdict
from metrics.lift.view import interval_verdicts
from metrics.summary import cost_notes
from reports.build import _kpis, _measured_incremental
from reports.executive import headline, incremental_line


def plain(value: str) -> str:
    """Text without the word joiner fmt puts after a minus sign (fmt.NEGATIVE)."""
    return value.replace("\u2060", "")


@pytest.mark.parametrize(
    ("low", "high", "verdict"),
    [
        (-1_500.0, 800.0, NOT_DISTINGUISHABLE),
        (0.0, 800.0, NOT_DISTINGUISHABLE),  # an end at exactly 0 includes it
        (-800.0, 0.0, NOT_DISTINGUISHABLE),
        (400.0, 2_000.0, "positive"),
        (-2_000.0, -400.0, "negative"),
        (None, None, None),  # assumed baseline: no interval, no reading
    ],
)
def test_interval_verdict_reads_whether_the_interval_includes_zero(low, high, verdict):
    assert interval_verdict(low, high) == verdict


def test_tables_and_the_selection_share_one_rule():
    low, high = np.array([-1.0, 0.0, 1.0, -3.0]), np.array([1.0, 2.0, 2.0, -1.0])
    expected = [NOT_DISTINGUISHABLE, NOT_DISTINGUISHABLE, "positive", "negative"]
    assert list(interval_verdicts(low, high)) == expected
    assert [interval_verdict(a, b) for a, b in zip(low, high)] == expected


def measured(incremental: float, low: float, high: float) -> dict:
    """A kpis() result of ₹10,000 revenue and ₹2,000 spend with measured lift `incremental` (₹)
    and its 90 % interval [low, high]; ratios worked out by hand in each test."""
    revenue, spend = 10_000.0, 2_000.0
    return {
        "revenue": revenue,
        "spend": spend,
        "orders": 100,
        "aov": 100.0,
        "roas": 5.0,
        "roi_pct": 400.0,
        "cost_per_order": 20.0,
        "new_customers": 50,
        "new_customers_estimated": False,
        "cac": 40.0,
        "engagement_rate_pct": 4.0,
        "influencers": 3,
        "poor_performers": 0,
        "refunds": 0.0,
        "baseline_share": 0.02,
        "incremental_revenue": incremental,
        "incremental_revenue_low": low,
        "incremental_revenue_high": high,
        "incremental_roas": incremental / spend,
        "incremental_roas_low": low / spend,
        "incremental_roas_high": high / spend,
        "incremental_share": incremental / revenue,
        "incrementality_method": "event-window",
        "incrementality_reason": None,
        "incrementality_window_days": 14,
        "incrementality_confidence": 0.9,
        "incrementality_verdict": interval_verdict(low, high),
    }


# -₹500 (-₹1,500 to ₹800) on ₹2,000 spend: ROAS -0.25x (-0.75x to 0.40x), -5.0 % of ₹10,000
STRADDLING = measured(-500.0, -1_500.0, 800.0)
# ₹1,200 (₹400 to ₹2,000): ROAS 0.60x (0.20x to 1.00x), 12.0 % of ₹10,000
POSITIVE = measured(1_200.0, 400.0, 2_000.0)


def test_cards_say_not_distinguishable_beside_the_interval():
    cards = incremental_cards(STRADDLING, DEFAULT_SETTINGS)
    assert plain(text(find(cards, "kpi-incremental-revenue-value"))) == "-₹500"
    assert plain(text(find(cards, "kpi-incremental-revenue"))).endswith(
        "90% interval -₹1,500 to ₹800: not distinguishable from baseline · -5.0% of ₹10,000 attributed"
    )
    assert plain(text(find(cards, "kpi-incremental-roas"))).endswith(
        "90% interval -0.75x to 0.40x: not distinguishable from baseline"
    )
    positive = text(incremental_cards(POSITIVE, DEFAULT_SETTINGS))
    assert "90% interval ₹400 to ₹2,000 · 12.0% of ₹10,000 attributed" in positive
    # a date range: the share is of the days its lift counts, and the card says which
    ranged = {**POSITIVE, "incremental_share": 0.1, "incremental_share_revenue": 12_000.0}
    ranged["incremental_share_basis"] = SHARE_OVER_WINDOWS
    ranged_text = plain(text(incremental_cards(ranged, DEFAULT_SETTINGS)))
    assert f"· 10.0% of ₹12,000 {SHARE_OVER_WINDOWS}" in ranged_text
    assert "distinguishable" not in positive


def summary_document(k: dict) -> dict:
    return {**k, "notes": cost_notes(k), "filters": {}, "notices": [], "by_platform": [], "influencers_ranked": []}


def test_text_summary_labels_both_incremental_lines():
    lines = plain(cli.format_summary(summary_document(STRADDLING))).splitlines()
    revenue = next(line for line in lines if line.startswith("Incremental revenue"))
    roas = next(line for line in lines if line.startswith("Incremental ROAS"))
    assert revenue.endswith("-₹500 (-₹1,500 to ₹800): not distinguishable from baseline")
    assert roas.endswith("-0.25x (-0.75x to 0.40x): not distinguishable from baseline")
    positive = cli.format_summary(summary_document(POSITIVE))
    assert "₹1,200 (₹400 to ₹2,000)\n" in positive and "distinguishable" not in positive


def test_executive_summary_labels_the_headline_box_and_sentence():
    boxes = {box["label"]: box for box in headline(STRADDLING, {"change": {}})["kpis"]}
    assert boxes["Incremental revenue"]["note"] == NOT_DISTINGUISHABLE
    assert boxes["Incremental ROAS"]["note"] == NOT_DISTINGUISHABLE  # as its card, whose interval includes 0
    assert boxes["Incremental revenue"]["value"] == "-\u2060₹500"  # the figure stays
    assert plain(incremental_line(STRADDLING, DEFAULT_SETTINGS)) == (
        "Measured incremental revenue -₹500 (14-day windows; 90% interval -₹1,500 to ₹800): not "
        "distinguishable from baseline; incremental ROAS -0.25x (-0.75x to 0.40x)."
    )
    positive = {box["label"]: box for box in headline(POSITIVE, {"change": {}})["kpis"]}
    assert positive["Incremental revenue"]["note"] is None and positive["Incremental ROAS"]["note"] is None
    assert incremental_line(POSITIVE, DEFAULT_SETTINGS) == (
        "Measured incremental revenue ₹1,200 (14-day windows; 90% interval ₹400 to ₹2,000); incremental ROAS "
        "0.60x (0.20x to 1.00x)."
    )


def test_pdf_key_figures_and_incremental_section_label_the_interval():
    notes = {box["label"]: plain(box["note"]) for box in _kpis(STRADDLING, DEFAULT_SETTINGS)}
    assert notes["Incremental revenue"] == "measured: -₹1,500 to ₹800, not distinguishable from baseline"
    assert notes["Incremental ROAS"] == "measured: -0.75x to 0.40x, not distinguishable from baseline"
    rows = {row["label"]: plain(row["value"]) for row in _measured_incremental(STRADDLING, [])["rows"]}
    assert rows["90% interval"] == "-₹1,500 to ₹800: not distinguishable from baseline"
    assert rows["Incremental ROAS"] == "-0.25x (-0.75x to 0.40x): not distinguishable from baseline"
    notes = {box["label"]: box["note"] for box in _kpis(POSITIVE, DEFAULT_SETTINGS)}
    assert notes["Incremental revenue"] == "measured: ₹400 to ₹2,000"
    rows = {row["label"]: row["value"] for row in _measured_incremental(POSITIVE, [])["rows"]}
    assert rows["90% interval"] == "₹400 to ₹2,000" and rows["Incremental ROAS"] == "0.60x (0.20x to 1.00x)"


def test_finding_claims_no_effect_for_an_interval_including_zero():
    finding = insights.incremental_finding(STRADDLING)
    assert plain(finding["text"]) == (
        "Measured against each creator's quiet days (14-day windows), the posts' incremental revenue, -₹500 "
        "(90% interval -₹1,500 to ₹800), is not distinguishable from baseline: -5.0% of ₹10,000 attributed, "
        "incremental ROAS -0.25x."
    )
    assert "caused" not in finding["text"] and finding["numbers"]["verdict"] == NOT_DISTINGUISHABLE
    assert insights.incremental_finding(POSITIVE)["text"] == (
        "Measured against each creator's quiet days (14-day windows), the posts caused ₹1,200 of revenue "
        "(90% interval ₹400 to ₹2,000): 12.0% of ₹10,000 attributed, incremental ROAS 0.60x."
    )


def creator_profile(low: float, high: float) -> dict:
    """A creator_view profile with measured lift: -₹500 or ₹1,200 inside [low, high] (₹)."""
    return {
        "lift_method": "event-window",
        "lift_window_days": 14,
        "lift_confidence": 0.9,
        "incremental_revenue": (low + high) / 2,
        "incremental_revenue_low": low,
        "incremental_revenue_high": high,
        "verdict": "drop",
        "verdict_reason": "ROAS 0.50x < 1x",
    }


def test_a_creators_interval_is_labelled_on_its_page_and_pdf():
    from callbacks.creator import verdict_block
    from reports.creator import _verdict

    # a "drop" verdict names ROAS, not the lift: the interval row says what the interval means
    page = plain(text(verdict_block(creator_profile(-1_500.0, 800.0))))
    assert "Interval -₹1,500 to ₹800: not distinguishable from baseline" in page
    rows = {row["label"]: plain(row["value"]) for row in _verdict(creator_profile(-1_500.0, 800.0))}
    assert rows["Interval"] == "-₹1,500 to ₹800: not distinguishable from baseline"
    rows = {row["label"]: row["value"] for row in _verdict(creator_profile(400.0, 2_000.0))}
    assert rows["Interval"] == "₹400 to ₹2,000"
    assert "distinguishable" not in text(verdict_block(creator_profile(400.0, 2_000.0)))


def test_a_review_for_its_interval_says_not_distinguishable_once():
    """The reason explains the review, so it keeps the label; the Interval row gives the bounds."""
    from callbacks.creator import verdict_block
    from metrics.planning.verdicts import verdict_of
    from reports.creator import _verdict

    # ₹20,000 spend, 5 posts and ROAS 2x clear every bar before rule 5; the interval straddles 0
    row = {"posts": 5, "spend": 20_000.0, "revenue": 40_000.0, "roas": 2.0, "poor_performer": False}
    row |= {"incremental_revenue_low": -1_500.0, "incremental_revenue_high": 800.0, "marginal_roas": None}
    verdict, reason = verdict_of(row, DEFAULT_SETTINGS, measured=True)
    assert (verdict, plain(reason)) == ("review", "lift -₹1,500 to ₹800: not distinguishable from baseline")
    profile = creator_profile(-1_500.0, 800.0) | {"verdict": verdict, "verdict_reason": reason}
    page = plain(text(verdict_block(profile)))
    assert page.count("not distinguishable") == 1 and "Interval -₹1,500 to ₹800 Lift window" in page
    rows = {row["label"]: plain(row["value"]) for row in _verdict(profile)}
    assert rows["Interval"] == "-₹1,500 to ₹800" and rows["Why"] == plain(reason)


NO_COMPARISON = {"mode": "previous", "start": None, "end": None, "kpis": None, "change": {}, "notice": None}


@pytest.mark.parametrize(
    ("low", "high", "labelled"), [(-1_500.0, 800.0, True), (0.0, 800.0, True), (400.0, 2_000.0, False)]
)
def test_a_creators_incremental_roas_card_and_box_carry_the_label(low, high, labelled):
    """The creator's own incremental ROAS (page card, PDF box) reads its interval as the selection's
    cards do: "not distinguishable from baseline" exactly when it includes 0 (an end at 0 included)."""
    from callbacks.creator import kpi_cards
    from reports.creator import _kpis

    profile = creator_profile(low, high) | {"incrementality_verdict": interval_verdict(low, high), "spend": 2_000.0}
    card = text(find(kpi_cards(profile, NO_COMPARISON, DEFAULT_SETTINGS), "kpi-creator-incremental_roas"))
    assert (NOT_DISTINGUISHABLE in card) == labelled
    box = {b["label"]: b for b in _kpis(profile, NO_COMPARISON)}["Incremental ROAS"]
    label = f": {NOT_DISTINGUISHABLE}" if labelled else ""
    assert box["note"] == f"measured lift (14-day windows) ÷ spend{label}"


def test_an_assumed_creator_roas_has_no_reading():
    from callbacks.creator import kpi_cards
    from reports.creator import _kpis

    profile = creator_profile(-1_500.0, 800.0) | {"lift_method": "assumed-baseline", "incrementality_verdict": None}
    assert NOT_DISTINGUISHABLE not in text(kpi_cards(profile, NO_COMPARISON, DEFAULT_SETTINGS))
    assert {b["label"]: b for b in _kpis(profile, NO_COMPARISON)}["Incremental ROAS"]["note"] == "assumed baseline"
