"""/data in a real browser: an appended upload whose files are named as the live ones — the data
set's import warnings and its files table name each file by its folder, with its own count."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from browser_helpers import goto, screenshot, wait_for_dash

from warehouse import import_dataset

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("page-data-append")]
SAME_NAME = Path(__file__).parent.parent / "fixtures" / "append_same_name"


@pytest.fixture(scope="module")
def server(tmp_path_factory, start_server):
    """A server of its own (its data set is appended to): the live data set is the fixture's "sample"."""
    root = tmp_path_factory.mktemp("page-data-append")
    db = root / "app" / "warehouse.duckdb"
    import_dataset(SAME_NAME / "sample", db, name="Sample")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HKDASH_UPLOAD_DIR", str(root / "uploads"))
        live = start_server(db)
    live.zipped = root / "ap2.zip"
    with zipfile.ZipFile(live.zipped, "w") as archive:
        for path in sorted((SAME_NAME / "ap2").iterdir()):
            archive.write(path, f"ap2/{path.name}")
    return live


def test_an_appended_zips_warnings_name_each_file_by_its_folder(page, server, page_problems):
    goto(page, server.url + "/data")
    page.get_by_label("Append to it", exact=False).check()
    page.locator("#data-upload input[type=file]").set_input_files(str(server.zipped))
    page.locator("#data-files").wait_for(state="visible", timeout=30_000)
    wait_for_dash(page)
    page.locator("#data-import").click()
    page.locator("#data-import-status").wait_for(state="visible", timeout=60_000)
    wait_for_dash(page)
    assert page.locator("#data-import-status").inner_text().startswith("Appended to “Sample”.")  # not "Imported"
    # The files table names each import's file as the warnings do, one a row with its own rows (it
    # read "tracking_data.csv + tracking_data.csv"): sample's 8 sales, 6 posts and 7 payouts, ap2's 3, 2, 2.
    page.locator("#data-info-files", has_text="ap2/tracking_data.csv").wait_for(timeout=15_000)
    files = [
        tuple(row.split("\t"))
        for row in page.locator("#data-info-files tbody tr").all_inner_texts()
        if row.startswith(("tracking", "posts", "payouts"))
    ]
    assert files == [
        ("payouts", "sample/payouts.csv", "7"),
        ("payouts", "ap2/payouts.csv", "2"),
        ("posts", "sample/posts.csv", "6"),
        ("posts", "ap2/posts.csv", "2"),
        ("tracking", "sample/tracking_data.csv", "8"),
        ("tracking", "ap2/tracking_data.csv", "3"),
    ], files
    page.get_by_text("Import warnings", exact=False).click()
    shown = page.locator("#data-info details li").all_inner_texts()
    unknown = "column influencer_id: unknown influencer ({}): kept and shown as Unknown (value 'Z9')"
    for line in (
        "sample/tracking_data.csv, " + unknown.format("1 row"),
        "ap2/tracking_data.csv, " + unknown.format("2 rows"),
        "sample/posts.csv, " + unknown.format("1 row"),
        "ap2/posts.csv, " + unknown.format("2 rows"),
        "sample/payouts.csv, " + unknown.format("1 row"),
        "ap2/payouts.csv, " + unknown.format("1 row"),
    ):
        assert line in shown, shown
    # A payout's terms against its totals: its row's line in the file it came from (ap2's Z9 row).
    assert any(line.startswith("ap2/payouts.csv, row 3, column total_payout:") for line in shown), shown
    assert not any(line.startswith(("tracking_data.csv,", "posts.csv,", "payouts.csv,")) for line in shown), shown
    screenshot(page, server, "data-append-same-name")
    assert not page_problems, page_problems
