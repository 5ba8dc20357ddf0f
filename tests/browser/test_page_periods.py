"""Date presets stay in the URL as written (also on reload), KPI cards show their change, and the
ranking and breakdown tables carry Δ columns coloured by direction.

traps: the last sale is 15 Feb 2025. "This month" = 1–15 Feb (T3 1,000 + T5 6,000 + T6 1,000 +
T8 500 = ₹8,500); the previous 15 days, 17–31 Jan, hold T4 ₹3,000: +183.3 %.
"""

from __future__ import annotations

import pytest
from browser_helpers import goto, grid_rows, normalise, wait_for_text

pytestmark = pytest.mark.browser

PLATFORM_GRID = '.hk-grid:has(.ag-header-cell[col-id="revenue_change"]):has(.ag-cell[col-id="platform"])'
RANKING_GRID = ".hk-page-influencers .hk-grid"


def date_inputs(page) -> list[str]:
    """The date picker's start and end as shown (Dash 4: two inputs, the first carrying the id)."""
    script = "els => els.map(e => e.value)"
    return [
        normalise(value)
        for value in page.eval_on_selector_all(".hk-filter-item-dates input.dash-datepicker-input", script)
    ]


def test_a_preset_is_written_as_is_and_survives_a_reload(page, live_server, page_problems, tmp_path):
    goto(page, live_server.url + "/", timeout=90_000)
    page.wait_for_selector("#kpi-revenue-change", timeout=90_000)  # rendered (the click must not race the first render)
    page.click("#filter-period")
    page.get_by_role("option", name="This month", exact=True).click()
    page.wait_for_url("**/?period=this-month")
    wait_for_text(page, "#kpi-revenue-value", "₹8,500")
    wait_for_text(page, "#kpi-revenue-change", "+183.3%")
    assert "hk-tone-good" in page.get_attribute("#kpi-revenue-change", "class")
    assert date_inputs(page) == ["1 Feb 2025", "15 Feb 2025"]
    page.reload()
    page.wait_for_url("**/?period=this-month")
    wait_for_text(page, "#kpi-revenue-value", "₹8,500")
    assert date_inputs(page) == ["1 Feb 2025", "15 Feb 2025"]
    assert "Period: This month" in normalise(page.inner_text("#filter-summary"))
    tip = page.get_attribute("#kpi-revenue-change-info", "title")
    assert "Previous period: 17 Jan 2025 – 31 Jan 2025" in normalise(tip)
    page.screenshot(path=str(tmp_path / "preset.png"), full_page=False)
    page.check("#filter-compare input[value='year']", force=True)
    page.wait_for_url("**/?period=this-month&compare=year")
    wait_for_text(page, "#kpi-revenue-change", "—")  # nothing sold in February 2024
    assert not page_problems, page_problems


def test_picking_dates_replaces_the_preset(page, live_server, page_problems):
    goto(page, live_server.url + "/?period=last-7", timeout=90_000)
    assert date_inputs(page) == ["9 Feb 2025", "15 Feb 2025"]
    page.click("#filter-reset")
    page.wait_for_url(live_server.url + "/")
    assert date_inputs(page) == ["", ""]
    wait_for_text(page, "#kpi-revenue-change", "—")  # all time: nothing earlier to compare with
    assert not page_problems, page_problems


def test_delta_columns(page, live_server, page_problems, tmp_path):
    page.set_viewport_size({"width": 2600, "height": 1000})  # the grids render only visible columns
    goto(page, live_server.url + "/platforms?start=2025-02-01&end=2025-02-28", timeout=90_000)
    page.wait_for_selector(PLATFORM_GRID + ' .ag-cell[col-id="revenue_change"]', state="attached")
    platforms = grid_rows(page, PLATFORM_GRID, "platform")
    changes = dict(zip(platforms, grid_rows(page, PLATFORM_GRID, "revenue_change")))
    assert normalise(changes["Instagram"]) == "+33.3%"  # ₹8,000 in February against ₹6,000 on 4–31 Jan
    page.screenshot(path=str(tmp_path / "platforms.png"), full_page=True)
    goto(page, live_server.url + "/influencers?start=2025-02-01&end=2025-02-28", timeout=90_000)
    page.wait_for_selector(RANKING_GRID + ' .ag-cell[col-id="revenue_change"]', state="attached")
    names = grid_rows(page, RANKING_GRID, "name")
    changes = dict(zip(names, grid_rows(page, RANKING_GRID, "revenue_change")))
    assert normalise(changes["Asha Rao"]) == "-83.3%"  # T3 ₹1,000 against T1 + T2 ₹6,000
    bad = page.locator(RANKING_GRID + ' .ag-cell[col-id="revenue_change"].hk-tone-bad')
    assert bad.count() >= 1
    page.screenshot(path=str(tmp_path / "ranking.png"), full_page=False)
    assert not page_problems, page_problems
