"""/payouts in Chromium: renders cleanly, numbers match metrics, reconciliation toggle, CSV download."""

from __future__ import annotations

import pytest
from browser_helpers import csv_selector, downloaded_csv, goto, grid_rows, normalise, table_selector, wait_for_text

import metrics
from metrics import format as fmt


def wait_rows(page, selector: str, count: int, column: str):
    page.wait_for_function(
        """([sel, n]) => { const g = document.querySelector(sel);
                           return g && g.querySelectorAll('.ag-center-cols-container .ag-row').length === n; }""",
        arg=[selector, count],
        timeout=15_000,
    )
    return grid_rows(page, selector, column)


def open_payouts(page, url: str):
    goto(page, url)
    page.wait_for_selector("#pay-basis-chart .main-svg")
    page.wait_for_selector(table_selector("payouts-by-basis") + " .ag-center-cols-container .ag-row")


def test_renders_with_the_metrics_numbers(page, live_server, page_problems, traps_wh):
    open_payouts(page, live_server.url + "/payouts")
    k = metrics.kpis(traps_wh)
    assert normalise(page.inner_text("#kpi-pay-spend-value")) == normalise(fmt.inr_compact(k["spend"]))
    assert normalise(page.inner_text("#kpi-pay-cpo-value")) == normalise(fmt.inr(k["cost_per_order"], 2))
    assert normalise(page.inner_text("#kpi-pay-differs-value")) == "0"
    assert wait_rows(page, table_selector("payouts-by-basis"), 6, "basis") == [
        "post",
        "order",
        "commission",
        "hybrid",
        "gifted",
        "other",
    ]
    assert page.locator("#pay-cpo-chart .main-svg").count() >= 1
    assert "match them within 1 %" in page.inner_text("#pay-reconciliation-summary")
    assert not page_problems, page_problems


def test_reconciliation_rows_and_toggle(page, live_server, page_problems):
    open_payouts(page, live_server.url + "/payouts")
    names = wait_rows(page, table_selector("payouts-reconciliation"), 6, "name")
    # Hostile names are shown as typed, as text (no markup, no script ran: page_problems has no dialog).
    assert "<script>alert(1)</script> & Bros" in names
    page.click("#pay-differs-only")
    wait_rows(page, table_selector("payouts-reconciliation"), 0, "name")
    assert "No rows for these filters" in page.inner_text(table_selector("payouts-reconciliation"))
    page.click("#pay-differs-only")
    wait_rows(page, table_selector("payouts-reconciliation"), 6, "name")
    assert not page_problems, page_problems


def test_filters_follow_the_url(page, live_server, page_problems, traps_wh):
    open_payouts(page, live_server.url + "/payouts?platform=Instagram")
    k = metrics.kpis(traps_wh, metrics.Filters(platform=("Instagram",)))
    wait_for_text(page, "#kpi-pay-spend-value", fmt.inr_compact(k["spend"]))
    assert set(wait_rows(page, table_selector("payouts-reconciliation"), 3, "platform")) == {"Instagram"}
    assert not page_problems, page_problems


def test_basis_csv_download(page, live_server, page_problems, traps_wh):
    open_payouts(page, live_server.url + "/payouts")
    table = downloaded_csv(page, csv_selector("payouts-by-basis"))
    assert table[0] == ["Basis", "Spend (₹)", "Spend share (%)", "Per order (₹)", "Influencers"]
    assert [row[0] for row in table[1:]] == ["post", "order", "commission", "hybrid", "gifted", "other"]
    by_basis = metrics.payouts_by_basis(traps_wh).set_index("basis")
    assert float(table[1][1]) == pytest.approx(by_basis.loc["post", "spend"])  # plain numbers, to paise
    assert float(table[1][2]) == pytest.approx(100 * by_basis.loc["post", "spend_share"], abs=5e-4)  # a percent
    rows = downloaded_csv(page, csv_selector("payouts-reconciliation"))
    assert len(rows) == 7 and rows[0][:4] == ["Row", "File", "ID", "Influencer"]
    assert rows[1][:3] == ["2", "payouts.csv", "A1"]  # the file's line 2: its first row after the header
    assert '\'=HYPERLINK("http://evil.example")' in [r[3] for r in rows]  # formula neutralised
    assert not page_problems, page_problems
