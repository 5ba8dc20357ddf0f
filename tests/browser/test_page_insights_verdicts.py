"""/insights in Chromium on a sample whose creators clear the evidence bar and whose lift is measured:
the cards follow the verdicts (none for a creator too early to judge), the move-budget card follows
the planner at break-even, and the numbers table's CSV."""

from __future__ import annotations

import pytest
from browser_helpers import csv_selector, downloaded_csv, goto, grid_rows, normalise, screenshot, table_selector

from metrics import format as fmt
from metrics import insights

SAMPLE = {"orders": 5_000, "seed": 11}  # conftest: sample_wh, server


def open_insights(page, url: str):
    goto(page, url, timeout=90_000)
    page.wait_for_selector("#ins-findings li", timeout=90_000)
    page.wait_for_selector(
        table_selector("insights-recommendations") + " .ag-center-cols-container .ag-row", timeout=60_000
    )


def test_cards_follow_the_verdicts(page, server, page_problems, sample_wh):
    open_insights(page, server.url + "/insights")
    evidence = insights.gather(sample_wh)
    items = insights.recommendations(sample_wh, evidence=evidence)
    counts = insights.verdict_counts(evidence)
    assert items and counts["too early"] > 0
    cards = page.locator(".hk-rec")
    assert cards.count() == len(items)
    for index, item in enumerate(items):
        card = normalise(page.inner_text(f"#ins-rec-{index}"))
        assert normalise(item["subject"]) in card and normalise(item["reason"]) in card
    assert not page.locator(".hk-rec", has_text="too early to judge").count()
    assert f"{counts['too early']} too early to judge" in normalise(page.inner_text("#ins-counts"))
    move = [i for i in items if i["action"] == "move budget"]
    if move and move[0]["numbers"]["held_back"]:
        assert "held back" in normalise(page.inner_text(".hk-rec-move-budget"))
    # The sample's plan only cuts (nothing returns break-even): its card is "Hold back", with a badge
    # and a group of its own, not "Move budget".
    held = [i for i in items if i["action"] == "hold back"]
    assert len(held) == 1 and not move and held[0]["numbers"]["to"] == []
    card = page.locator(".hk-rec-hold-back")
    assert card.count() == 1 and normalise(card.locator(".hk-rec-action").inner_text()) == "Hold back"
    assert "Move budget" not in card.inner_text()
    # Tester N3: its marginal ROAS says which it is (today's, over the segments cut), as the
    # catalogue names it, so /plan's at the planned spend is no contradiction.
    chips = [normalise(c) for c in card.locator(".hk-rec-evidence").all_inner_texts()]
    today = f"Marginal ROAS today of the segments cut {fmt.ratio(held[0]['numbers']['from_roas'])}, below break-even"
    assert any(c.startswith(today) for c in chips), chips
    groups = page.eval_on_selector_all(".hk-rec-group", "els => els.map(e => e.textContent)")
    assert "Hold back (1)" in groups and not [g for g in groups if g.startswith("Move budget")]
    card.scroll_into_view_if_needed()
    screenshot(page, server, "insights-hold-back")
    assert len(grid_rows(page, table_selector("insights-recommendations"), "action")) == len(items)
    assert not page_problems, page_problems


def test_recommendations_csv(page, server, page_problems, sample_wh):
    open_insights(page, server.url + "/insights")
    table = downloaded_csv(page, csv_selector("insights-recommendations"))
    header = table[0]
    assert header[:3] == ["Action", "Subject", "Of"]
    items = insights.recommendations(sample_wh)
    assert [row[0] for row in table[1:]] == [i["action"] for i in items] and "hold back" in [r[0] for r in table]
    first = table[1]
    if items[0]["numbers"].get("roas") is not None:
        assert float(first[header.index("ROAS (×)")]) == pytest.approx(items[0]["numbers"]["roas"], abs=5e-5)
    assert not page_problems, page_problems


def test_evidence_chips_wrap_on_a_phone(phone_page, server, page_problems):
    """Tester (s14): at 390 px the longest evidence chip did not wrap and the page scrolled
    sideways (445 px wide); each chip now wraps inside its card."""
    open_insights(phone_page, server.url + "/insights")
    chips = phone_page.locator(".hk-rec-evidence")
    assert chips.count()
    widest = phone_page.eval_on_selector_all(
        ".hk-rec-evidence", "els => Math.max(...els.map(e => e.getBoundingClientRect().right))"
    )
    page_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert widest <= 390 and page_width <= 390, (widest, page_width)
    phone_page.locator(".hk-rec-hold-back").scroll_into_view_if_needed()
    screenshot(phone_page, server, "insights-phone-evidence")
    assert not page_problems, page_problems
