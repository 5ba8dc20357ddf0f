"""/data in a real browser with a store export in two overlapping files: each file is listed with
its own rows, the orders the two files hold alike are reported as counted once, and guest
checkouts are warned about per file, by the export's own column."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from browser_helpers import goto, normalise, wait_for_dash

from warehouse import import_dataset

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("store-upload")]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store_shopify"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("store-upload")
    split = root / "split"
    shutil.copytree(FIXTURE, split)
    export = split / "orders_export_1.csv"
    with export.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    # #1001–#1006 in the first file; #1004–#1009 in the second (#1004–#1006 in both, row for row)
    for name, part in (("orders_export_1.csv", rows[:8]), ("orders_export_2.csv", rows[4:])):
        with (split / name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *part])
    return {"root": root, "split": split}


@pytest.fixture(scope="module")
def server(folders, start_server):
    db = folders["root"] / "app" / "warehouse.duckdb"
    import_dataset(FIXTURE, db, name="Store fixture")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HKDASH_UPLOAD_DIR", str(folders["root"] / "uploads"))
        return start_server(db)


def test_overlapping_store_exports_are_reported_per_file(page, server, folders, page_problems, tmp_path):
    goto(page, server.url + "/data")
    page.locator("#data-upload input[type=file]").set_input_files(
        [str(p) for p in sorted(folders["split"].iterdir()) if p.suffix == ".csv"]
    )
    page.locator("#data-files").wait_for(state="visible", timeout=60_000)
    wait_for_dash(page)
    assert "Valid." in page.locator("#data-report-status").inner_text()
    files = [normalise(row.inner_text()) for row in page.locator("#data-files tbody tr").all()]
    assert "tracking orders_export_1.csv 8" in files and "tracking orders_export_2.csv 7" in files
    store = normalise(page.locator("#data-store-orders").inner_text())
    assert "Orders read 9 (11 line items)" in store
    assert "In orders_export_1.csv and orders_export_2.csv alike (counted once) 3 (4 line items)" in store
    # What the sales rows are, beside the line items and orders: 8 line items of attributed orders and
    # 2 refund rows (test_store_orders), the 4 line items both files hold counted once.
    assert "Sales rows: one per line item of each attributed order, plus one per line item of each refunded" in store
    assert store.endswith("orders that are not sales and unattributed orders have none 10")
    warnings = normalise(page.locator("#data-warnings").text_content())
    assert "orders_export_2.csv" in warnings and "also in orders_export_1.csv with the same rows" in warnings
    assert "attributed without Email (guest checkouts)" in warnings and "user_id" not in warnings
    page.screenshot(path=str(tmp_path / "data-store-overlap.png"), full_page=True)
    assert not page_problems, page_problems


def test_the_file_tables_keep_their_rows_on_screen_on_a_phone(page, server, folders, tmp_path):
    """Tester h8 N7: at 390 px the file tables (the check step's and the current data set's) cut
    their Rows column off; long file and table names now break instead."""
    folder = tmp_path / "with-audience"
    shutil.copytree(folders["split"], folder)
    (folder / "audience_demographics_instagram_export.csv").write_text(
        "influencer_id,age_group,gender,views_percentage\nA1,18-24,Female,60\nA1,25-34,Male,40\n", encoding="utf-8"
    )
    page.set_viewport_size({"width": 390, "height": 900})
    goto(page, server.url + "/data")
    page.locator("#data-upload input[type=file]").set_input_files([str(p) for p in sorted(folder.iterdir())])
    page.locator("#data-files").wait_for(state="visible", timeout=60_000)
    wait_for_dash(page)
    assert "audience_demographics_instagram_export.csv" in page.locator("#data-files").inner_text()
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('.hk-upload-files')].map(t => t.scrollWidth - t.parentElement.clientWidth)"
    )
    assert len(overflow) == 2 and max(overflow) <= 0, overflow  # the current data set's table and the check's
    page.screenshot(path=str(tmp_path / "data-files-390.png"), full_page=True)
