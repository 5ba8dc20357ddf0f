"""Influencer ranking in the browser: sort, filter, quick search, detail panel, CSV, hostile names."""

from __future__ import annotations

from browser_helpers import downloaded_csv, goto, grid_rows, normalise, screenshot

import metrics
from metrics import catalogue

GRID = ".hk-page-influencers .hk-grid"
ROWS = GRID + " .ag-center-cols-container .ag-row"


def open_ranking(page, url):
    goto(page, url + "/influencers")
    page.wait_for_selector(ROWS)


def wait_rows(page, n: int):
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[ROWS, n])


def test_ranking_order_sort_and_quick_search(page, live_server, page_problems, traps_wh):
    ranked = metrics.ranking(traps_wh, metrics.Filters())
    open_ranking(page, live_server.url)
    wait_rows(page, len(ranked))
    assert grid_rows(page, GRID) == ranked["name"].tolist()  # ROAS order, undefined last
    # Sort by revenue (descending on the second click).
    header = page.locator(GRID + ' .ag-header-cell[col-id="revenue"] .ag-header-cell-label')
    header.click()
    header.click()
    page.wait_for_timeout(300)
    by_revenue = ranked.sort_values(["revenue", "influencer_id"], ascending=[False, True])
    shown = grid_rows(page, GRID, "revenue")
    assert [float(v.replace("₹", "").replace(",", "")) for v in shown] == by_revenue["revenue"].tolist()
    # Quick search.
    page.fill("#inf-search", "asha")
    wait_rows(page, 1)
    assert grid_rows(page, GRID) == ["Asha Rao"]
    assert not page_problems, page_problems


def test_only_a_defined_roas_gets_a_rank(page, live_server, page_problems, traps_wh):
    """The "#" column numbers the creators with a ROAS; D4 (no spend) and Z9 (not in the influencers
    file, no spend) are listed last with "—", as the creator page gives them no "Rank #N" badge."""
    ranked = metrics.ranking(traps_wh)
    open_ranking(page, live_server.url)
    wait_rows(page, len(ranked))
    assert grid_rows(page, GRID, "rank") == ["1", "2", "3", "4", "—", "—"]
    assert grid_rows(page, GRID, "roas")[4:] == ["—", "—"]
    assert grid_rows(page, GRID)[4:] == ranked.set_index("influencer_id").loc[["D4", "Z9"], "name"].tolist()
    rows = downloaded_csv(page, '.hk-page-influencers button:has-text("CSV")')
    assert [row[0] for row in rows] == ["#", "1", "2", "3", "4", "", ""]  # no place in the file either
    assert not page_problems, page_problems


def scroll_to_column(page, column: str):
    """Scroll the ranking sideways until the grid draws `column` (it draws only the columns in view)."""
    page.wait_for_function(
        """([grid, column]) => {
            if (document.querySelector(`${grid} .ag-cell[col-id="${column}"]`)) return true;
            document.querySelector(`${grid} .ag-body-horizontal-scroll-viewport`).scrollLeft += 200;
            return false;
        }""",
        arg=[GRID, column],
        polling=100,
    )


def test_a_dash_says_why_on_hover(page, live_server, page_problems):
    """D4's ROAS reads "—" (no payout: ₹0 spend) and says so as the cell's tooltip; its CAC ₹0.00
    says no cost is recorded, as the card does; its Δ and efficiency score "—" say why too (no date
    range; no ROAS to rank); Asha Rao's ROAS (2.19x) has no tooltip."""
    open_ranking(page, live_server.url)
    tooltip = page.locator(".ag-tooltip")
    for row, column, expected in (
        ("D4", "rank", "ROAS undefined: Rank undefined"),  # the pinned "#" column (tester t2)
        ("D4", "roas", "₹0 spend: ROAS undefined"),
        ("D4", "revenue_change", "no comparison period (no date range): Revenue change undefined"),
        ("D4", "cac", catalogue.NO_COST),
        ("D4", "efficiency_score", "ROAS undefined: Efficiency score undefined"),
    ):
        scroll_to_column(page, column)
        page.locator(f'{GRID} .ag-row[row-id="{row}"] .ag-cell[col-id="{column}"]').hover()
        tooltip.wait_for()
        assert normalise(tooltip.inner_text()) == expected
        page.mouse.move(0, 0)
        tooltip.wait_for(state="detached")
    page.locator(f"{GRID} .ag-body-horizontal-scroll-viewport").evaluate("viewport => (viewport.scrollLeft = 0)")
    page.locator(f'{GRID} .ag-row[row-id="D4"] .ag-cell[col-id="roas"]').hover()
    tooltip.wait_for()
    screenshot(page, live_server, "influencers-dash-tooltip")
    page.mouse.move(0, 0)
    tooltip.wait_for(state="detached")
    page.locator(f'{GRID} .ag-row[row-id="A1"] .ag-cell[col-id="roas"]').hover()
    page.wait_for_timeout(1_000)  # the grid's tooltip delay is 300 ms
    assert tooltip.count() == 0
    assert not page_problems, page_problems


def test_poor_performer_view(page, live_server, page_problems, traps_wh):
    ranked = metrics.ranking(traps_wh, metrics.Filters())
    poor = ranked.loc[ranked["poor_performer"], "name"].tolist()
    open_ranking(page, live_server.url)
    page.click("label:has-text('Poor performers')")
    wait_rows(page, len(poor))
    assert sorted(grid_rows(page, GRID)) == sorted(poor)
    assert page.locator(GRID + " .ag-row.hk-row-poor").count() >= len(poor)
    assert not page_problems, page_problems


def test_names_are_shown_as_text(page, live_server, page_problems):
    open_ranking(page, live_server.url)
    names = grid_rows(page, GRID)
    assert "<script>alert(1)</script> & Bros" in names
    assert "Esha <b>Bold</b>" in names
    assert '=HYPERLINK("http://evil.example")' in names
    assert page.locator(GRID + " b").count() == 0 and page.locator(GRID + " script").count() == 0
    # And in charts (SVG text), on the overview.
    goto(page, live_server.url + "/")
    page.wait_for_selector("#ov-top .main-svg")
    labels = page.eval_on_selector_all("#ov-top .ytick text", "els => els.map(e => e.textContent)")
    assert "<script>alert(1)</script> & Bros" in labels
    assert not page_problems, page_problems  # no alert() dialog fired anywhere


def test_detail_panel(page, live_server, page_problems):
    open_ranking(page, live_server.url)
    page.locator(GRID + ' .ag-row [col-id="name"]', has_text="Asha Rao").first.click()
    panel = page.locator("#inf-detail")
    panel.wait_for(state="visible")
    assert normalise(panel.locator(".offcanvas-title").inner_text()) == "Asha Rao"
    body = normalise(panel.inner_text())
    assert "Instagram · Fitness" in body and "ROAS" in body and "Payout terms" in body
    posts_grid = '#inf-detail .hk-grid:has(.ag-header-cell[col-id="caption"])'
    page.wait_for_function(
        "sel => document.querySelectorAll(sel + ' .ag-center-cols-container .ag-row').length === 2", arg=posts_grid
    )
    assert not page_problems, page_problems


def test_csv_download_is_what_is_shown(page, live_server, page_problems, traps_wh):
    open_ranking(page, live_server.url)
    header = page.locator(GRID + ' .ag-header-cell[col-id="name"] .ag-header-cell-label')
    header.click()  # sort by name, ascending
    page.wait_for_timeout(300)
    shown = grid_rows(page, GRID)
    assert shown == sorted(shown)
    table = downloaded_csv(page, '.hk-page-influencers button:has-text("CSV")')
    header_row = table[0]
    assert header_row[:3] == ["#", "Influencer", "Platform"]
    names = [row[header_row.index("Influencer")] for row in table[1:]]
    assert names == [("'" + n if n.startswith("=") else n) for n in shown]  # same rows, same order
    # Numbers (money to paise), not formatted text.
    ranked = metrics.ranking(traps_wh, metrics.Filters()).set_index("name")
    revenue = {row[1]: row[header_row.index("Revenue (₹)")] for row in table[1:]}
    assert float(revenue["Asha Rao"]) == ranked.loc["Asha Rao", "revenue"]
    # The quick search narrows the download too.
    page.fill("#inf-search", "HYPERLINK")
    wait_rows(page, 1)
    table = downloaded_csv(page, '.hk-page-influencers button:has-text("CSV")')
    assert len(table) == 2 and table[1][1] == '\'=HYPERLINK("http://evil.example")'
    assert not page_problems, page_problems
