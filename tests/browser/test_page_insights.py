"""/insights in Chromium on the traps: findings, following the filters, and creators below the evidence
bar (1–2 posts, ₹300–₹5,350 each) and D4 (a sale, no cost recorded: tester F21) counted as too early
to judge, with no card (tester F3). The cards
and their CSV on creators that clear the bar: test_page_insights_verdicts.py."""

from __future__ import annotations

from browser_helpers import goto, normalise

import metrics
from metrics import insights


def open_insights(page, url: str):
    goto(page, url)
    page.wait_for_selector("#ins-findings li")
    page.wait_for_selector("#ins-counts:not(:empty)")


def test_findings_and_too_early_creators(page, live_server, page_problems, traps_wh):
    open_insights(page, live_server.url + "/insights")
    findings = [normalise(t) for t in page.locator("#ins-findings li").all_inner_texts()]
    assert findings == [normalise(f["text"]) for f in insights.key_findings(traps_wh)]
    assert insights.recommendations(traps_wh) == []
    assert page.locator(".hk-rec").count() == 0
    assert normalise(page.inner_text("#ins-recommendations")).startswith(
        "No recommendation: 5 creators are too early to judge"
    )
    counts = normalise(page.inner_text("#ins-counts"))
    assert counts == "0 to scale · 0 to renew · 0 to review · 0 to drop · 5 too early to judge"
    rules = normalise(page.inner_text("#ins-rules"))
    assert "Too early to judge: a creator with fewer than 3 posts or less than ₹10,000 spend" in rules
    assert "no cost recorded (₹0 spend: check the payouts file" in rules
    assert normalise(page.inner_text("#kpi-ins-roas-value")) == "1.69x"
    assert not page_problems, page_problems


def test_follows_the_filters(page, live_server, page_problems, traps_wh):
    open_insights(page, live_server.url + "/insights?platform=Instagram")
    expected = insights.key_findings(traps_wh, metrics.Filters(platform=("Instagram",)))
    page.wait_for_function(
        "(text) => document.querySelector('#ins-findings li')?.innerText.trim() === text", arg=expected[0]["text"]
    )
    assert "move budget" not in page.inner_text("#ins-counts")
    assert not page_problems, page_problems


def test_empty_selection(page, live_server, page_problems):
    goto(page, live_server.url + "/insights?brand=Nothing")
    page.wait_for_selector(".hk-empty")
    assert "No sales for these filters" in page.inner_text(".hk-empty")
    assert not page.locator("#ins-body").is_visible()
    assert not page_problems, page_problems


def test_creator_without_cost_points_at_the_payouts_file(page, live_server, page_problems):
    """Tester F21: D4 has a ₹2,500 sale and no cost recorded: its page reads "Too early" with the
    payouts file as the reason, as /insights counts it, never "Review — no spend"."""
    goto(page, live_server.url + "/influencers/D4")
    page.wait_for_selector("#creator-verdict .badge")
    verdict = normalise(page.inner_text("#creator-verdict"))
    assert verdict.startswith("Too early")
    assert "no cost recorded for ₹2,500 revenue: check the payouts file" in verdict
    assert not page_problems, page_problems
