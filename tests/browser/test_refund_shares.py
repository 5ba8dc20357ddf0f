"""Tester h3 F16/F17 in a real browser: case 23 from 21 Jan to 28 Feb 2025 holds a ₹2,499 Instagram
refund and one ₹899 YouTube order (revenue −₹1,600). The revenue-share donuts on / and /platforms
say why they draw nothing instead of a "100 %" slice, the platform table's shares read "—", the
revenue card's AOV reads "—", and the trend has no ROAS axis (no week has spend). Screenshots (desktop and phone) land beside the server log."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import goto, grid_rows, normalise, table_selector

from components.ids import overview as overview_ids
from components.ids import platforms as platform_ids
from metrics import format as fmt
from warehouse import Warehouse, import_dataset

CASE_23 = Path(__file__).resolve().parents[1] / "data" / "cases" / "23-refund-negative-rows"
WINDOW = "?start=2025-01-21&end=2025-02-28"
NOTE = f"No shares to draw: revenue is below zero for Instagram {fmt.inr(-2499)} (refunds exceed sales)."


@pytest.fixture(scope="module")
def server(start_server, tmp_path_factory):
    report = import_dataset(CASE_23, tmp_path_factory.mktemp("case23-browser") / "wh.duckdb")
    return start_server(Warehouse(report.db_path).path)


def _donut(page, graph_id: str) -> tuple[int, str]:
    """(slices drawn, the graph's annotation text) of a donut graph."""
    graph = f"#{graph_id}"
    page.wait_for_selector(f"{graph} .annotation-text")
    lines = page.evaluate(
        """(graph) => [...document.querySelectorAll(graph + ' .annotation-text')].map((text) => {
            const lines = [...text.querySelectorAll('.line')];
            return (lines.length ? lines : [text]).map((line) => line.textContent).join(' ');
        })""",
        graph,
    )
    return page.locator(f"{graph} .slice").count(), normalise(" ".join(lines))


@pytest.mark.parametrize("width", [1440, 390])
def test_overview_donut_and_aov_of_a_negative_total(browser, server, page_problems, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-IN")
    page = context.new_page()
    page_problems.watch(page, server.url)
    goto(page, server.url + "/" + WINDOW, timeout=60_000)
    slices, note = _donut(page, overview_ids.PLATFORM_SHARE)
    assert slices == 0 and note == NOTE
    assert "AOV —" in normalise(page.inner_text("#kpi-revenue"))
    # spend ₹0 in every week: no ROAS line, so no empty 0x–4x ROAS axis (the note says why)
    trend = f"#{overview_ids.TREND}"
    page.wait_for_selector(f"{trend} .bars")
    assert page.locator(f"{trend} .y2tick").count() == 0
    assert "No ROAS line: no spend in any period" in normalise(page.inner_text(f"#{overview_ids.TREND_NOTE}"))
    page.screenshot(path=str(server.log_path.parent / f"refund-overview-{width}.png"), full_page=True)
    context.close()
    assert not page_problems, page_problems


def test_platforms_page_shares_of_a_negative_total(page, server, page_problems):
    goto(page, server.url + "/platforms" + WINDOW, timeout=60_000)
    slices, note = _donut(page, platform_ids.SHARE)
    assert slices == 0 and note == NOTE
    grid = table_selector(platform_ids.PLATFORM_TABLE)
    page.wait_for_selector(f"{grid} .ag-row [col-id='revenue_share']")
    assert grid_rows(page, grid, "revenue_share") == ["—", "—"]
    assert grid_rows(page, grid, "aov") == ["₹899", "—"]
    page.screenshot(path=str(server.log_path.parent / "refund-platforms-1440.png"), full_page=True)
    goto(page, server.url + "/platforms", timeout=60_000)  # the whole range: a donut again
    page.wait_for_selector(f"#{platform_ids.SHARE} .slice")
    assert page.locator(f"#{platform_ids.SHARE} .slice").count() == 2
    assert not page_problems, page_problems


def test_the_ranking_roas_cell_reads_the_poor_flags_digits(page, server, page_problems):
    """Case 23 over all dates: Asha Verma's ROAS 4,998 ÷ 2,500 = 1.9992, flagged "ROAS 1.999x < 2x",
    reads "1.999x" in her ranking cell (was "2.00x"); Rohit Nair's 3,596 ÷ 6,000 = 0.5993 reads "0.60x"."""
    grid = ".hk-page-influencers .hk-grid"
    goto(page, server.url + "/influencers", timeout=60_000)
    page.wait_for_function(
        "(sel) => document.querySelectorAll(sel).length === 2", arg=grid + " .ag-center-cols-container .ag-row"
    )
    shown = dict(zip(grid_rows(page, grid), grid_rows(page, grid, "roas")))
    assert shown == {"Asha Verma": "1.999x", "Rohit Nair": "0.60x"}
    assert not page_problems, page_problems
