"""The navbar's "Download PDF" in a real browser against gunicorn: one click, progress, a valid PDF
of the URL's filters; a clear error when the report can't be made.

Uses the shared fixtures of tests/browser/conftest.py (live gunicorn on the traps data set, which
has hostile influencer names). Needs poppler-utils for pdftotext.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser_helpers import goto

import metrics
from metrics import format as fmt
from warehouse import Warehouse

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def pdf_text(path: Path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# A report renders in a worker process niced by 10 (reports/slots.py: pages come first). On CI's two
# cores the Spark tests' JVMs, at normal priority, can leave that worker a tenth of a core for minutes,
# so its first report (spawn, imports, Chromium) takes far longer than on a server: wait for it.
REPORT_WAIT_MS = 240_000


def click_download(page, tmp_path: Path) -> Path:
    button = page.locator("#report-button")
    with page.expect_download(timeout=REPORT_WAIT_MS) as info:
        button.click()
        page.wait_for_selector("#report-button:has-text('Preparing PDF')", timeout=10_000)
        assert button.is_disabled()
    download = info.value
    assert download.failure() is None
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    page.wait_for_selector("#report-button:has-text('Download PDF'):not([disabled])", timeout=30_000)
    return target


def test_download_pdf_of_the_current_filters(page, live_server, page_problems, tmp_path):
    goto(page, live_server.url + "/?platform=Instagram")
    target = click_download(page, tmp_path)
    assert re.fullmatch(r"hk-influencer-roi-\d{4}-\d\d-\d\d-\d{4}-instagram\.pdf", target.name), target.name
    assert page.locator("#report-error").count() == 0
    text = pdf_text(target)
    wh = Warehouse(live_server.db_path)
    k = metrics.kpis(wh, metrics.Filters(platform=["Instagram"]), metrics.DEFAULT_SETTINGS)
    flat = squash(text)
    for value in (fmt.inr_compact(k["revenue"]), fmt.inr_compact(k["spend"]), fmt.ratio(k["roas"])):
        assert squash(value) in flat, value
    assert re.search(r"Platform:\s+Instagram", text.split("\f")[0])
    assert not page_problems, page_problems


@pytest.mark.parametrize("path", ["/platforms", "/influencers", "/payouts"])
def test_button_on_every_page(page, live_server, path):
    goto(page, live_server.url + path)
    assert page.locator("#report-button").is_visible()
    assert page.locator("#report-button").inner_text().strip() == "Download PDF"


def test_failure_shows_a_clear_error(start_server, traps_wh, browser, tmp_path, monkeypatch):
    # A second server whose report renderer can't find Chromium.
    db = tmp_path / "broken-chromium.duckdb"
    shutil.copy(traps_wh.path, db)
    monkeypatch.setenv("HKDASH_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("HKDASH_REPORT_PREWARM", "0")
    server = start_server(db)
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        goto(page, server.url + "/")
        page.locator("#report-button").click()
        alert = page.wait_for_selector("#report-error", timeout=REPORT_WAIT_MS)
        message = alert.inner_text()
        assert "PDF report failed." in message
        assert "Chromium not found at '/nonexistent/chromium'" in message and "HKDASH_CHROMIUM" in message
        page.wait_for_selector("#report-button:has-text('Download PDF'):not([disabled])", timeout=10_000)
    finally:
        context.close()
