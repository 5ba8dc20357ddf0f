"""Formatting points of issue 13 as the browser shows them: follower counts in lakh, money axis
ticks, dates, IST timestamps, payout rates parsed, revenue per follower by tier labelled in ₹."""

from __future__ import annotations

import re

import pytest
from browser_helpers import goto, grid_rows, normalise, table_selector

from components.ids import categories as category_ids
from components.ids import payouts as payout_ids

RANKING = ".hk-page-influencers .hk-grid"
DATE = re.compile(r"^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$")
MONTH = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$")
FRACTION_OF_UNIT = re.compile(r"₹0\.\d+ (L|Cr)$")


@pytest.fixture(autouse=True)
def patient(page):
    """These pages draw several charts; on a loaded machine a callback can take a while."""
    page.set_default_timeout(90_000)


def svg_texts(page, selector: str) -> list[str]:
    """The text of SVG elements (plotly's ticks and bar labels): SVG has no innerText, so Playwright's
    inner texts read None there; textContent holds what is drawn."""
    return [normalise(t) for t in page.locator(selector).all_text_contents()]


def tick_labels(page, graph: str, axis: str, drawn: str = "") -> list[str]:
    """The tick labels of a graph's axis once the callback's figure is drawn (a label holds `drawn`;
    before that the graph shows Dash's placeholder axes)."""
    page.wait_for_function(
        "([sel, drawn]) => [...document.querySelectorAll(sel)].some(t => t.textContent && t.textContent.includes(drawn))",
        arg=[f"{graph} .{axis}tick text", drawn],
    )
    return svg_texts(page, f"{graph} .{axis}tick text")


def test_follower_counts_are_in_lakh(page, live_server, page_problems):
    goto(page, live_server.url + "/influencers", timeout=90_000)
    page.wait_for_selector(RANKING + " .ag-center-cols-container .ag-row")
    followers = dict(zip(grid_rows(page, RANKING, "name"), grid_rows(page, RANKING, "followers")))
    assert normalise(followers["Asha Rao"]) == "1.2 L"  # 1,20,000
    assert normalise(followers["Dev Malhotra"]) == "6 L"  # 6,00,000
    assert normalise(followers['=HYPERLINK("http://evil.example")']) == "20 L"  # 20,00,000, not 2M
    assert normalise(followers["<script>alert(1)</script> & Bros"]) == "8,000"
    assert not any("M" in v or "K" in v for v in followers.values())
    assert not page_problems, page_problems


def test_overview_axes_ticks_and_dates(page, live_server, page_problems):
    goto(page, live_server.url + "/?start=2025-01-01&end=2025-02-28", timeout=90_000)
    money = tick_labels(page, "#ov-trend", "y", "₹")
    assert money[0] == "₹0" and all(t.startswith("₹") for t in money)
    assert len(set(money)) == len(money), money
    assert not [t for t in money if FRACTION_OF_UNIT.search(t)], money
    dates = [t for t in tick_labels(page, "#ov-trend", "x", " 20") if t]
    assert dates and all(DATE.match(t) or MONTH.match(t) for t in dates), dates
    top = tick_labels(page, "#ov-top", "x", "₹")
    assert len(set(top)) == len(top) and not [t for t in top if FRACTION_OF_UNIT.search(t)], top
    # The navbar says when the data set was imported, in India time.
    assert re.search(r"imported \d{1,2} \w{3} \d{4}, \d{2}:\d{2} IST", normalise(page.inner_text("#dataset-info")))
    assert not page_problems, page_problems


def test_revenue_per_follower_by_tier(page, live_server, page_problems):
    goto(page, live_server.url + "/categories", timeout=90_000)
    page.wait_for_selector("#cat-dimension .main-svg")
    page.locator("#cat-dimension-by label", has_text="Tier").click()
    page.locator("#cat-dimension-metric label", has_text="Revenue per follower").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#cat-dimension .bartext')].some(t => t.textContent.includes('₹0.38'))"
    )
    labels = svg_texts(page, "#cat-dimension .bartext")
    assert "₹0.38" in labels and "₹0.0035" in labels  # Nano 3,000 / 8,000; Mega 7,000 / 20,00,000
    ticks = tick_labels(page, "#cat-dimension", "x", "₹")
    assert ticks[0] == "₹0" and len(set(ticks)) == len(ticks), ticks
    # The same figure in the combinations table.
    grid = table_selector(category_ids.COMBINATION_TABLE)
    page.wait_for_selector(grid + " .ag-center-cols-container .ag-row")
    per_follower = [normalise(v) for v in grid_rows(page, grid, "revenue_per_follower")]
    assert "₹0.38" in per_follower
    assert not page_problems, page_problems


def test_payout_rates_and_post_dates_in_the_detail_panel(page, live_server, page_problems):
    goto(page, live_server.url + "/influencers", timeout=90_000)
    page.wait_for_selector(RANKING + " .ag-center-cols-container .ag-row")
    page.locator(RANKING + ' .ag-row [col-id="name"]', has_text="Asha Rao").first.click()
    payouts = '#inf-detail .hk-grid:has(.ag-header-cell[col-id="terms_cost"])'
    page.wait_for_selector(payouts + " .ag-center-cols-container .ag-row")
    rates = [normalise(v) for v in grid_rows(page, payouts, "rate")]
    assert rates == ["₹1,000 per post", "10 % commission"]
    posts = '#inf-detail .hk-grid:has(.ag-header-cell[col-id="caption"])'
    page.wait_for_selector(posts + " .ag-center-cols-container .ag-row")
    assert sorted(normalise(v) for v in grid_rows(page, posts, "date")) == ["10 Feb 2025", "5 Jan 2025"]
    assert not page_problems, page_problems


def test_reconciliation_rates_are_parsed(page, live_server, page_problems):
    goto(page, live_server.url + "/payouts", timeout=90_000)
    # By id: the grid renders only the columns in view, and the status column is off to the right.
    grid = table_selector(payout_ids.RECONCILIATION_TABLE)
    page.wait_for_selector(grid + " .ag-center-cols-container .ag-row")
    rates = {normalise(v) for v in grid_rows(page, grid, "rate")}
    assert "₹5,000 per post + 5 % commission" in rates and "₹200 per order" in rates
    assert not any("/" in r for r in rates), rates
    assert not page_problems, page_problems
