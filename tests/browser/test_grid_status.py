"""Grids' screen-reader status in Chromium (tester t1): "No rows for these filters" only while a grid
has no rows, never beside the rows a callback brought ("No rows for these filters. 1 to 25 of 38.
Page 1 of 2" on /platforms and /plan)."""

from __future__ import annotations

from browser_helpers import goto, table_selector

from components.tables import NO_ROWS

# AG Grid gathers announcements for 200 ms before writing them (its AriaAnnouncementService)
ANNOUNCED = 400


def status(page, grid: str) -> str:
    """The text of the grid's screen-reader status (AG Grid's polite live region)."""
    return page.inner_text(f"{grid} .ag-aria-description-container")


def wait_rows(page, grid: str, count: int) -> None:
    page.wait_for_function(
        """([sel, n]) => { const g = document.querySelector(sel);
                           return g && g.querySelectorAll('.ag-center-cols-container .ag-row').length === n; }""",
        arg=[grid, count],
        timeout=15_000,
    )
    page.wait_for_timeout(ANNOUNCED)


def test_a_grid_with_rows_never_says_it_has_none(page, live_server, page_problems):
    goto(page, live_server.url + "/platforms")
    comparison, sources = table_selector("platforms"), table_selector("sources")
    page.wait_for_selector(f"{comparison} .ag-center-cols-container .ag-row")
    page.wait_for_selector(f"{sources} .ag-center-cols-container .ag-row")
    page.wait_for_timeout(ANNOUNCED)
    assert NO_ROWS not in status(page, comparison)  # no pagination: its status is quiet
    assert NO_ROWS not in status(page, sources) and " of " in status(page, sources)
    assert not page_problems, page_problems


def test_an_empty_grid_still_shows_no_rows(page, live_server, page_problems):
    """The overlay is still there while a grid is empty, and gone from its status once rows are back."""
    goto(page, live_server.url + "/payouts")
    grid = table_selector("payouts-reconciliation")
    wait_rows(page, grid, 6)
    page.click("#pay-differs-only")
    wait_rows(page, grid, 0)
    assert NO_ROWS in page.inner_text(f"{grid} .ag-overlay")
    page.click("#pay-differs-only")
    wait_rows(page, grid, 6)
    assert NO_ROWS not in status(page, grid) and NO_ROWS not in page.inner_text(grid)
    assert not page_problems, page_problems
