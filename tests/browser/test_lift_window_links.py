"""The lift window a page's figures use, in Chromium on seed1: the creator page names it beside its
verdict (tester F2), and a `window=` in a link that is not a lift window gets the filter bar's
notice, as a bad date does, instead of being dropped silently (tester F9)."""

from __future__ import annotations

import pytest
from browser_helpers import goto, normalise

import metrics
from metrics.creator import creator_view, lift_basis

NOTICE = "window='{}' is not a lift window: it must be 7, 14, 28 (days); the 14-day window is used"


@pytest.fixture(scope="module")
def server(start_server, seed1_wh):
    return start_server(seed1_wh.path)


def verdict_text(page) -> str:
    page.wait_for_selector("#creator-verdict .badge", timeout=60_000)
    return normalise(page.inner_text("#creator-verdict"))


def test_the_creator_page_names_its_lift_window(page, server, page_problems, seed1_wh):
    for days in (28, 7):
        goto(page, f"{server.url}/influencers/HK001?window={days}", timeout=60_000)
        settings = metrics.Settings(lift_window_days=days)
        profile = creator_view(seed1_wh, "HK001", metrics.Filters(), settings)["profile"]
        shown = verdict_text(page)
        assert "LIFT WINDOW" in shown.upper() and normalise(lift_basis(profile)) in shown
        assert f"{days} days" in shown
        assert not page.inner_text("#filter-error").strip()
    page.screenshot(path=str(server.log_path.parent / "creator-window.png"), full_page=True)
    assert not page_problems, page_problems


@pytest.mark.parametrize(("path", "value"), [("/influencers/HK001", "10"), ("/", "abc"), ("/lift", "999")])
def test_a_bad_window_in_the_link_gets_a_notice(page, server, page_problems, path, value):
    goto(page, f"{server.url}{path}?window={value}", timeout=60_000)
    page.wait_for_selector("#filter-error .alert", timeout=60_000)
    assert NOTICE.format(value) in normalise(page.inner_text("#filter-error"))
    if path.startswith("/influencers/"):
        assert "14 days chosen" in verdict_text(page)  # the default is used, and named
    assert not page_problems, page_problems
