"""In a real browser: every page carries the sales notice of a data set whose sales follow posts
(seed1), a date filter shows the posts' revenue instead of ₹0, a filter the data cannot split says
so. Names in Indian scripts: test_page_scripts.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import goto, normalise

import metrics
from metrics import format as fmt

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sales-notice")]
PAGES = ("/", "/influencers", "/campaigns", "/platforms", "/categories", "/payouts", "/content", "/insights", "/data")


@pytest.fixture(scope="module")
def server(seed1_wh, start_server):
    return start_server(seed1_wh.path)


def notice_text(page, expected: str) -> str:
    # Polled on a timer: animation-frame polling (the default) stalled in background tabs here.
    page.wait_for_function(
        "t => (document.querySelector('#sales-notice') || {}).innerText?.includes(t)",
        arg=expected,
        timeout=60_000,
        polling=200,
    )
    return normalise(page.inner_text("#sales-notice"))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_says_sales_follow_posts(page, server, page_problems, path):
    goto(page, server.url + path)
    assert "dated by the post" in notice_text(page, "equal share per post")
    assert not page_problems


def test_date_filter_shows_the_posts_revenue(page, server, page_problems, seed1_wh):
    goto(page, server.url + "/?start=2024-12-01&end=2024-12-31")
    expected = metrics.kpis(seed1_wh, metrics.Filters(start="2024-12-01", end="2024-12-31"))
    page.wait_for_function(
        "t => document.querySelector('#kpi-revenue-value')?.innerText.replace(/\\s+/g, ' ').trim() === t",
        arg=normalise(fmt.inr_compact(expected["revenue"])),
        timeout=60_000,
        polling=200,
    )
    assert expected["revenue"] > 0 and normalise(page.inner_text("#kpi-roas-value")) != "0.00x"
    goto(page, server.url + "/?product=Whey")
    assert "no sale carries a product" in notice_text(page, "cannot be split by product")
    page.screenshot(path=str(Path(server.log_path).parent / "sales-notice.png"))
    assert not page_problems
