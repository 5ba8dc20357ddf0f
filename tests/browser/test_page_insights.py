"""/insights in Chromium: findings and recommendations with their numbers, following the filters."""

from __future__ import annotations

import csv
import io
import json

import pytest
from browser_helpers import goto, grid_rows, normalise

import metrics
from metrics import insights


def grid(name: str) -> str:
    return "[id='" + json.dumps({"name": name, "type": "table"}, separators=(",", ":"), sort_keys=True) + "']"


def csv_button(name: str) -> str:
    return "[id='" + json.dumps({"name": name, "type": "table-csv"}, separators=(",", ":"), sort_keys=True) + "']"


def open_insights(page, url: str):
    goto(page, url)
    page.wait_for_selector("#ins-findings li")
    page.wait_for_selector(grid("insights-recommendations") + " .ag-center-cols-container .ag-row")


def test_findings_and_recommendations(page, live_server, page_problems, traps_wh):
    open_insights(page, live_server.url + "/insights")
    findings = [normalise(t) for t in page.locator("#ins-findings li").all_inner_texts()]
    assert findings == [normalise(f["text"]) for f in insights.key_findings(traps_wh)]
    items = insights.recommendations(traps_wh)
    cards = page.locator(".hk-rec")
    assert cards.count() == len(items)
    for index, item in enumerate(items):
        card = normalise(page.inner_text(f"#ins-rec-{index}"))
        assert normalise(item["subject"]) in card and normalise(item["reason"]) in card
    # Names are text: the <script> name is shown as typed and nothing ran (no dialog in page_problems).
    subjects = page.locator(".hk-rec-subject").all_inner_texts()
    assert "<script>alert(1)</script> & Bros" in subjects
    assert len(grid_rows(page, grid("insights-recommendations"), "action")) == len(items)
    assert normalise(page.inner_text("#kpi-ins-roas-value")) == "1.69x"
    assert not page_problems, page_problems


def test_follows_the_filters(page, live_server, page_problems, traps_wh):
    open_insights(page, live_server.url + "/insights?platform=Instagram")
    expected = insights.key_findings(traps_wh, metrics.Filters(platform=("Instagram",)))
    page.wait_for_function(
        "(text) => document.querySelector('#ins-findings li')?.innerText.trim() === text", arg=expected[0]["text"]
    )
    assert "move budget" not in page.inner_text("#ins-counts")
    assert not page_problems, page_problems


def test_empty_selection(page, live_server, page_problems):
    goto(page, live_server.url + "/insights?brand=Nothing")
    page.wait_for_selector(".hk-empty")
    assert "No sales for these filters" in page.inner_text(".hk-empty")
    assert not page.locator("#ins-body").is_visible()
    assert not page_problems, page_problems


def test_recommendations_csv(page, live_server, page_problems, traps_wh):
    open_insights(page, live_server.url + "/insights")
    with page.expect_download() as download_info:
        page.click(csv_button("insights-recommendations"))
    table = list(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    header = table[0]
    assert header[:3] == ["Action", "Subject", "Of"]
    items = insights.recommendations(traps_wh)
    assert [row[0] for row in table[1:]] == [i["action"] for i in items]
    scale = table[1]
    assert float(scale[header.index("ROAS")]) == pytest.approx(items[0]["numbers"]["roas"], rel=1e-11)  # 12 digits
    assert not page_problems, page_problems
