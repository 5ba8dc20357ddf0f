"""/insights in Chromium on a sample whose creators clear the evidence bar and whose lift is measured:
the cards follow the verdicts (none for a creator too early to judge), the move-budget card follows
the planner at break-even, and the numbers table's CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from browser_helpers import goto, grid_rows, normalise

from metrics import insights
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


def grid(name: str) -> str:
    return "[id='" + json.dumps({"name": name, "type": "table"}, separators=(",", ":"), sort_keys=True) + "']"


def csv_button(name: str) -> str:
    return "[id='" + json.dumps({"name": name, "type": "table-csv"}, separators=(",", ":"), sort_keys=True) + "']"


@pytest.fixture(scope="module")
def sample_wh(tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("insights-verdicts")
    generate_sample(root / "src", orders=5_000, seed=11)
    import_dataset(root / "src", root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


@pytest.fixture(scope="module")
def server(start_server, sample_wh):
    return start_server(sample_wh.path)


def open_insights(page, url: str):
    goto(page, url, timeout=90_000)
    page.wait_for_selector("#ins-findings li", timeout=90_000)
    page.wait_for_selector(grid("insights-recommendations") + " .ag-center-cols-container .ag-row", timeout=60_000)


def test_cards_follow_the_verdicts(page, server, page_problems, sample_wh):
    open_insights(page, server.url + "/insights")
    evidence = insights.gather(sample_wh)
    items = insights.recommendations(sample_wh, evidence=evidence)
    counts = insights.verdict_counts(evidence)
    assert items and counts["too early"] > 0
    cards = page.locator(".hk-rec")
    assert cards.count() == len(items)
    for index, item in enumerate(items):
        card = normalise(page.inner_text(f"#ins-rec-{index}"))
        assert normalise(item["subject"]) in card and normalise(item["reason"]) in card
    assert not page.locator(".hk-rec", has_text="too early to judge").count()
    assert f"{counts['too early']} too early to judge" in normalise(page.inner_text("#ins-counts"))
    move = [i for i in items if i["action"] == "move budget"]
    if move and move[0]["numbers"]["held_back"]:
        assert "held back" in normalise(page.inner_text(".hk-rec-move-budget"))
    assert len(grid_rows(page, grid("insights-recommendations"), "action")) == len(items)
    assert not page_problems, page_problems


def test_recommendations_csv(page, server, page_problems, sample_wh):
    open_insights(page, server.url + "/insights")
    with page.expect_download() as download_info:
        page.click(csv_button("insights-recommendations"))
    table = list(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read())))
    header = table[0]
    assert header[:3] == ["Action", "Subject", "Of"]
    items = insights.recommendations(sample_wh)
    assert [row[0] for row in table[1:]] == [i["action"] for i in items]
    first = table[1]
    if items[0]["numbers"].get("roas") is not None:
        assert float(first[header.index("ROAS")]) == pytest.approx(items[0]["numbers"]["roas"], rel=1e-11)
    assert not page_problems, page_problems
