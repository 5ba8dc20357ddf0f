"""/insights callbacks called directly: findings, recommendation cards and their numbers table."""

from __future__ import annotations

import dataclasses

import pytest
from dash import html
from dash_helpers import find, text, walk

import metrics
from callbacks import common
from callbacks import insights as cb
from metrics import insights

# The traps' creators are below the default evidence bar (1–2 posts, ₹300–₹5,350): these tests
# check the attributed rules' cards, so the app runs with the bar lowered.
LENIENT = metrics.Settings(verdict_min_posts=1, verdict_min_spend=0.0)


@pytest.fixture
def traps_app(traps_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    monkeypatch.setattr(metrics, "DEFAULT_SETTINGS", LENIENT)
    return traps_wh


def test_too_early_creators_get_no_card_and_the_counts_say_why(traps_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    _, _, _, _, cards, counts, rules, rows = cb.insights_page("", "/insights")
    assert rows == [] and text(cards) == (
        "No recommendation: 5 creators are too early to judge (below the evidence bar; each one's "
        "reason is in the ranking's Verdict column)."
    )
    # D4 (a sale, no spend) is too early with the others, not reviewed (F21)
    assert counts == "0 to scale · 0 to renew · 0 to review · 0 to drop · 5 too early to judge"
    assert "Too early to judge: a creator with fewer than 3 posts or less than ₹10,000 spend" in rules
    assert "no cost recorded (₹0 spend: check the payouts file" in rules


def test_page(traps_app):
    kpis, empty, style, findings, cards, counts, rules, rows = cb.insights_page("", "/insights")
    assert empty is None and style == common.SHOW
    expected = insights.key_findings(traps_app, settings=LENIENT)
    assert [li.children for li in findings] == [f["text"] for f in expected]
    items = insights.recommendations(traps_app, settings=LENIENT)
    assert len(rows) == len(items)
    # every known creator's verdict (the attributed rule: lift is not measured); D4 has a sale but no
    # spend: too early, no cost recorded (F21)
    assert counts == "2 to scale · 0 to renew · 1 to review · 1 to drop · 1 too early to judge"
    assert "ROI ≥ 50% and ROAS ≥ 2x" in rules  # the rule's own bars (catalogue.POOR_PERFORMER)
    assert "not measured" in rules and "Caps: the best 3 to scale and to renew, the 5 largest" in rules
    shown = text(cards)
    for item in items:
        assert item["reason"] in shown
        for evidence in item["evidence"]:
            assert evidence in shown
    assert find(kpis, "kpi-ins-roas-value").children == "1.69x"
    assert find(kpis, "kpi-ins-poor-value").children == "2"


def test_numbers_table(traps_app):
    rows = cb.insights_page("", "/insights")[-1]
    scale = [r for r in rows if r["action"] == "scale"]
    assert scale[0]["subject"] == "<script>alert(1)</script> & Bros"
    assert scale[0]["roas"] == pytest.approx(10.0) and scale[0]["spend"] == pytest.approx(300)
    assert scale[0]["selection_roas"] == pytest.approx(metrics.kpis(traps_app, settings=LENIENT)["roas"])
    assert scale[0]["from_roas"] is None  # numbers a row does not have stay empty, never NaN
    assert not [r for r in rows if r["action"] == "move budget"]


def test_measured_counts_cover_every_creator():
    counts = {"scale": 0, "renew": 80, "review": 1234, "drop": 2, "too early": 7}
    assert cb.counts_text(counts) == "0 to scale · 80 to renew · 1,234 to review · 2 to drop · 7 too early to judge"
    rules = cb.rules_text(metrics.DEFAULT_SETTINGS, measured=True)
    assert "the counts cover every creator" in rules and "the 3 largest by spend of each verdict" in rules
    assert "±30%" in rules and "marginal ROAS" in rules
    # Tester F8: the default drop bar (0) reads as a loss, not "returns less than 0.00x of spend".
    assert "the top of its lift interval is below zero (the posts lost sales)" in rules and "0.00x" not in rules
    stricter = cb.rules_text(dataclasses.replace(metrics.DEFAULT_SETTINGS, verdict_drop_roas=0.25), measured=True)
    assert "the top of its lift interval returns less than 0.25x of spend" in stricter


def test_user_names_are_text_not_markup(traps_app):
    cards = cb.insights_page("", "/insights")[4]
    subjects = [
        node.children
        for node in walk(cards)
        if isinstance(node, html.Strong) and "hk-rec-subject" in (node.className or "")
    ]
    assert "<script>alert(1)</script> & Bros" in subjects
    assert "Esha <b>Bold</b>" in subjects


def test_follows_filters(traps_app):
    _, _, _, findings, _, counts, _, rows = cb.insights_page("?platform=Instagram", "/insights")
    k = metrics.kpis(traps_app, common.filters_from_search("?platform=Instagram"))
    assert findings[0].children.startswith(f"₹14,000 attributed revenue from ₹8,550 spend across {k['influencers']}")
    assert "move budget" not in counts
    assert all(r["subject_type"] != "platform" for r in rows)


def test_empty_and_missing(traps_app, tmp_path, monkeypatch):
    out = cb.insights_page("?start=2030-01-01", "/insights")
    assert out[2] == common.HIDE and "No sales for these filters" in text(out[1])
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "missing.duckdb"))
    out = cb.insights_page("", "/insights")
    assert out[2] == common.HIDE and "No data set imported yet" in text(out[1])


def test_no_recommendation_message():
    assert "No recommendation" in text(cb.recommendation_groups([]))
