"""/lift's organic-sales check in Chromium: on a sample with organic sales and a planted halo on one
campaign, the table per campaign (verdicts as metrics computes them, skipped campaigns greyed), the
chart of total sales against the counterfactual band; on a data set without the file, how to add it."""

from __future__ import annotations

import re
import shutil

import pytest
from browser_helpers import goto, grid_rows, normalise, table_selector
from test_organic import STEP_BRAND, STEP_CAMPAIGN, write_organic

from metrics import Filters
from metrics import format as fmt
from metrics.lift.organic import HALO, organic_check
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


@pytest.fixture(scope="module")
def organic_wh(tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("lift-organic")
    generate_sample(root / "src", orders=8_000, seed=13)
    folder = root / "with-organic"
    shutil.copytree(root / "src", folder)
    write_organic(folder, 8_000.0)
    import_dataset(folder, root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


@pytest.fixture(scope="module")
def server(start_server, organic_wh):
    return start_server(organic_wh.path)


def test_lift_page_sets_total_sales_beside_attributed_lift(page, server, page_problems, organic_wh):
    goto(page, server.url + f"/lift?brand={STEP_BRAND}", timeout=90_000)
    page.wait_for_selector(table_selector("lift-organic") + " .ag-center-cols-container .ag-row", timeout=90_000)
    page.wait_for_selector("#lift-organic-chart .main-svg .scatterlayer .trace", timeout=90_000)
    rows = organic_check(organic_wh, Filters(brand=(STEP_BRAND,)))["rows"]
    # Rows far below the viewport are not rendered (AG Grid: content-visibility): bring the grid into view.
    page.locator(table_selector("lift-organic")).scroll_into_view_if_needed()
    page.wait_for_selector(table_selector("lift-organic") + " [col-id=campaign]:has-text('2025')", timeout=30_000)
    page.screenshot(path=str(server.log_path.parent / "lift-organic-table.png"))
    assert grid_rows(page, table_selector("lift-organic"), "campaign") == [r["campaign"] for r in rows]
    step = next(r for r in rows if r["campaign"] == STEP_CAMPAIGN)
    assert step["verdict"] == HALO
    cells = page.locator(table_selector("lift-organic") + f" .ag-row[row-index='{rows.index(step)}']")
    text = normalise(cells.inner_text())
    assert "halo" in text and normalise(fmt.inr(step["total_lift"])) in text
    # Dates as everywhere else ("5 Jan 2025"), not ISO.
    assert fmt.date(step["start"]) in text and fmt.date(step["window_end"]) in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    flat = page.locator(table_selector("lift-organic") + " .ag-center-cols-container .ag-row.hk-lift-flat")
    assert flat.count() == sum(r["verdict"] in ("not checked", "not compared") for r in rows) > 0
    assert "13 weeks before a campaign" in page.inner_text("#lift-organic-note")
    # bGreen's one checked campaign is the chart's: its window shaded, actual bars against the counterfactual.
    assert normalise(page.inner_text("#lift-organic-burst")).startswith(STEP_CAMPAIGN)
    page.wait_for_function(
        "() => document.querySelector('#lift-organic-chart').innerText.includes('Counterfactual')", timeout=30_000
    )
    assert page.locator("#lift-organic-chart .shapelayer path, #lift-organic-chart .layer-below path").count() >= 1
    page.locator("#lift-organic-note").scroll_into_view_if_needed()
    page.screenshot(path=str(server.log_path.parent / "lift-organic.png"))
    assert not page_problems, page_problems


def test_lift_page_says_how_to_add_organic_sales(page, start_server, traps_wh):
    goto(page, start_server(traps_wh.path).url + "/lift", timeout=90_000)
    page.wait_for_selector("#lift-organic-note .alert")
    note = page.inner_text("#lift-organic-note")
    assert "No organic sales file" in note and "organic_sales.csv" in note
    assert not page.is_visible("#lift-organic-body")
