"""Campaign pacing on /campaigns in a real browser: budgeted campaigns with their status highlighted."""

from __future__ import annotations

from browser_helpers import goto, grid_rows, table_selector


def test_pacing_table_highlights_underspending(page, server, page_problems, tmp_path):
    goto(page, f"{server.url}/campaigns?platform=Instagram", timeout=60_000)
    pacing = table_selector("campaign-pacing")
    page.wait_for_selector(f"{pacing} .ag-row [col-id='status']")
    assert grid_rows(page, pacing, "campaign") == ["MB Jan", "HK Feb"]
    assert grid_rows(page, pacing, "status") == ["underspending", "underspending"]
    assert page.locator(f"{pacing} .ag-row [col-id='status'].hk-pace-warn").count() == 2
    # The longest status ("ended under budget", bold) fits its column: nothing is cut off.
    cut = page.evaluate(
        """(grid) => [...document.querySelectorAll(grid + " .ag-row [col-id='status']")].filter((cell) => {
            const value = cell.querySelector('.ag-cell-value') || cell;
            value.textContent = 'ended under budget';
            return value.scrollWidth > value.clientWidth + 1;
        }).length""",
        pacing,
    )
    assert cut == 0
    assert "15 Feb 2025" in page.inner_text("#camp-pacing-note")
    page.locator(pacing).scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "pacing.png"), full_page=False)
    assert not page_problems, page_problems
