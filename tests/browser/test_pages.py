"""Each dashboard page renders in Chromium with no console error, failed callback or external request."""

from __future__ import annotations

import pytest
from browser_helpers import goto, normalise

PAGES = {
    "/": "#kpi-revenue-value",
    "/influencers": ".hk-grid .ag-center-cols-container .ag-row",
    "/campaigns": "#camp-comparison .main-svg",
    "/platforms": "#plat-roas .main-svg",
    "/categories": "#cat-heatmap .main-svg",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_cleanly(page, live_server, page_problems, path):
    goto(page, live_server.url + path)
    page.wait_for_selector(PAGES[path], state="attached")
    assert page.locator("#filter-bar").is_visible()
    assert not page.locator(".hk-empty").count()
    assert not page_problems, page_problems


def test_unknown_path_shows_not_found(page, live_server, page_problems):
    """The not-found page, answered with HTTP 404 (the document only: its scripts and callbacks
    load and run without an error)."""
    response = page.goto(live_server.url + "/nowhere", wait_until="domcontentloaded")
    assert response.status == 404
    page.wait_for_selector("#_pages_content :text('Page not found')")
    url = live_server.url + "/nowhere"
    assert [p for p in page_problems if url not in p and "status of 404" not in p] == [], page_problems
    assert sum(1 for p in page_problems if p.startswith("HTTP 404")) == 1, page_problems


def test_nav_marks_the_current_page(page, live_server, page_problems):
    goto(page, live_server.url + "/campaigns")
    active = page.locator(".hk-navbar .nav-link.active")
    assert normalise(active.inner_text()) == "Campaigns"
    assert not page_problems, page_problems


def test_empty_state(page, live_server, page_problems):
    goto(page, live_server.url + "/?brand=Nothing")
    page.wait_for_selector(".hk-empty")
    assert "No sales for these filters" in page.inner_text(".hk-empty")
    assert not page.locator("#ov-body").is_visible()
    page.click(".hk-empty a")
    page.wait_for_selector("#kpi-revenue-value")
    assert page.url == live_server.url + "/"
    assert not page_problems, page_problems


def test_phone_layout(phone_page, live_server, page_problems):
    page = phone_page
    goto(page, live_server.url + "/")
    page.wait_for_selector("#kpi-revenue-value")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px on a phone"
    # KPI cards two per row.
    boxes = [page.locator(f"#kpi-{k}").bounding_box() for k in ("revenue", "orders", "spend")]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[2]["y"] > boxes[0]["y"] + 10
    # Filters fold behind a toggle on phones.
    assert not page.locator("#filter-platform").is_visible()
    page.click("#filter-toggle")
    page.wait_for_selector("#filter-platform", state="visible")
    # The navbar folds behind its toggler on phones.
    assert page.locator("#nav-toggle").is_visible() and not page.locator(".hk-nav-link").first.is_visible()
    page.click("#nav-toggle")
    page.locator(".hk-nav-link").first.wait_for(state="visible")
    every = ("/influencers", "/campaigns", "/platforms", "/categories", "/content", "/payouts", "/insights")
    for path in every + ("/lift", "/plan", "/data"):
        goto(page, live_server.url + path)
        page.wait_for_timeout(300)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    assert not page_problems, page_problems
