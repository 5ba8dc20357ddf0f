"""/content in Chromium: renders cleanly, CPM labelled when it uses reach, captions shown as text."""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import csv_selector, downloaded_csv, goto, grid_rows, normalise, table_selector, wait_for_text

import metrics
from metrics import format as fmt
from warehouse import Warehouse, import_dataset

HOSTILE_CAPTION = '<img src=x onerror="alert(1)"> <b>Bold</b> & "quoted", =1+1'


@pytest.fixture(scope="module")
def captions_db(tmp_path_factory, traps_dir):
    """The traps data set with captions on its posts, one of them hostile markup."""
    folder = tmp_path_factory.mktemp("content-captions") / "src"
    shutil.copytree(traps_dir, folder)
    posts = folder / "posts.csv"
    lines = posts.read_text(encoding="utf-8").splitlines()
    captions = ['"' + HOSTILE_CAPTION.replace('"', '""') + '"', "Morning stack", "Unboxing", "Q&A", "Review"]
    out = [lines[0] + ",caption"] + [f"{line},{caption}" for line, caption in zip(lines[1:], captions)]
    posts.write_text("\n".join(out) + "\n", encoding="utf-8")
    db = folder.parent / "wh.duckdb"
    import_dataset(folder, db)
    return db


@pytest.fixture(scope="module")
def server(captions_db, start_server):
    return start_server(captions_db)


def open_content(page, url: str):
    goto(page, url)
    page.wait_for_selector("#cnt-platform-chart .main-svg")
    page.wait_for_selector(table_selector("content-posts") + " .ag-center-cols-container .ag-row")


def test_renders_with_the_metrics_numbers(page, server, page_problems, captions_db):
    open_content(page, server.url + "/content")
    k = metrics.kpis(Warehouse(captions_db))
    assert normalise(page.inner_text("#kpi-cnt-posts-value")) == str(k["posts"])
    assert normalise(page.inner_text("#kpi-cnt-er-value")) == normalise(fmt.pct(k["engagement_rate_pct"], 1))
    assert normalise(page.inner_text("#kpi-cnt-cpe-value")) == normalise(fmt.inr(k["cpe"], 2))
    # No impressions in this data set: CPM is per 1,000 reach, and says so.
    assert k["cpm_basis"] == "reach"
    assert "uses reach" in page.inner_text("#kpi-cnt-cpm")
    assert "CPM is per 1,000 reach" in page.inner_text("#cnt-notes")
    assert sorted(grid_rows(page, table_selector("content-by-platform"), "platform")) == [
        "Facebook",
        "Instagram",
        "YouTube",
    ]
    assert set(grid_rows(page, table_selector("content-by-platform"), "cpm_basis")) == {"reach"}
    assert not page_problems, page_problems


def test_captions_are_plain_text(page, server, page_problems):
    open_content(page, server.url + "/content")
    captions = grid_rows(page, table_selector("content-posts"), "caption")
    assert HOSTILE_CAPTION in captions
    # Nothing from the caption became markup: no <img>/<b> inside the grid, no dialog opened.
    assert (
        page.locator(
            table_selector("content-posts") + " img, " + table_selector("content-posts") + " .ag-cell b"
        ).count()
        == 0
    )
    assert not page_problems, page_problems


def test_metric_switch_and_filters(page, server, page_problems):
    open_content(page, server.url + "/content?platform=Instagram")
    wait_for_text(page, "#kpi-cnt-posts-value", "3")
    assert set(grid_rows(page, table_selector("content-posts"), "platform")) == {"Instagram"}
    page.click("#cnt-metric label:has-text('CPE')")
    page.wait_for_function("() => document.querySelector('#cnt-platform-chart').innerText.includes('₹')")
    assert not page_problems, page_problems


def test_posts_csv(page, server, page_problems):
    open_content(page, server.url + "/content")
    table = downloaded_csv(page, csv_selector("content-posts"))
    header = table[0]
    assert header[:5] == ["Date", "Influencer", "Platform", "Brand", "Caption"]
    assert "URL" not in header  # hidden column, not exported
    assert len(table) == 6
    engagements = [float(row[header.index("Engagements")]) for row in table[1:]]
    assert engagements == sorted(engagements, reverse=True)
    assert not page_problems, page_problems
