"""/data in a real browser: a bad upload shows its row-level errors and changes nothing; a good
upload, once imported, changes every number; the sample data set downloads as a .zip."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from browser_helpers import goto, normalise, wait_for_dash, wait_for_text

import metrics
from metrics import format as fmt
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("page-data")]

KPI_IDS = ("kpi-revenue-value", "kpi-orders-value", "kpi-spend-value", "kpi-roas-value")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("page-data")
    first, second = root / "first", root / "second"
    generate_sample(first, orders=2_000, seed=21)
    generate_sample(second, orders=3_000, seed=22)
    # A category only the second data set has: the filter bar must offer it after the import.
    people = second / "influencers.csv"
    rows = people.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = rows[1].split(",")
    fields[3] = "Second-only category"
    rows[1] = ",".join(fields)
    people.write_text("".join(rows), encoding="utf-8")
    broken = root / "broken"
    shutil.copytree(first, broken)
    payouts = broken / "payouts.csv"
    lines = payouts.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0].startswith("influencer_id,basis,")
    lines[3] = lines[3].replace(lines[3].split(",")[1], "barter-ish", 1)  # payouts.csv, row 4: unknown basis
    payouts.write_text("".join(lines), encoding="utf-8")
    return {"first": first, "second": second, "broken": broken, "root": root}


@pytest.fixture(scope="module")
def server(folders, start_server):
    """A server of its own: these tests replace its data set (the shared live_server is never touched).
    Its uploads go to a folder of its own (HKDASH_UPLOAD_DIR) so the tests can see what is kept."""
    db = folders["root"] / "app" / "warehouse.duckdb"
    import_dataset(folders["first"], db, name="First sample")
    uploads = folders["root"] / "uploads"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HKDASH_UPLOAD_DIR", str(uploads))
        live = start_server(db)
    live.uploads = uploads
    return live


def files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.iterdir()) if p.suffix == ".csv"]


def overview_numbers(page, server) -> dict:
    goto(page, server.url + "/")
    page.wait_for_selector("#kpi-revenue-value")
    wait_for_dash(page)
    numbers = {kpi: normalise(page.locator(f"#{kpi}").inner_text()) for kpi in KPI_IDS}
    numbers["footer"] = normalise(page.locator("#dataset-info").inner_text())
    return numbers


def expected_numbers(db: Path) -> dict:
    k = metrics.kpis(Warehouse(db))
    expected = {
        "kpi-revenue-value": fmt.inr_compact(k["revenue"]),
        "kpi-orders-value": fmt.count(k["orders"]),
        "kpi-spend-value": fmt.inr_compact(k["spend"]),
        "kpi-roas-value": fmt.ratio(k["roas"]),
    }
    return {key: normalise(value) for key, value in expected.items()}


def test_data_page_renders(page, server, page_problems):
    goto(page, server.url + "/data")
    info = Warehouse(server.db_path)
    assert page.locator("#data-info-name").inner_text() == metrics.dataset_info(info)["name"]
    assert page.locator("#data-import").is_disabled()
    assert page.locator("#data-upload input[type=file]").count() == 1
    assert not page_problems, page_problems


def test_bad_upload_shows_errors_and_changes_nothing(page, server, folders, page_problems):
    before = overview_numbers(page, server)
    before_hash = digest(server.db_path)
    before_info = metrics.dataset_info(Warehouse(server.db_path))
    goto(page, server.url + "/data")
    page.locator("#data-upload input[type=file]").set_input_files(files(folders["broken"]))
    errors = page.locator("#data-errors")
    errors.wait_for(state="visible", timeout=30_000)
    wait_for_dash(page)
    status = page.locator("#data-report-status").inner_text()
    assert "1 error" in status and "Nothing was changed" in status
    row = errors.locator("tbody tr").first.inner_text()
    for piece in ("payouts.csv", "4", "basis", "barter-ish", "unknown payout basis"):
        assert piece in row
    assert page.locator("#data-import").is_disabled()
    # Nothing changed: the file, the data set info, the overview's numbers.
    assert digest(server.db_path) == before_hash
    assert metrics.dataset_info(Warehouse(server.db_path)) == before_info
    assert overview_numbers(page, server) == before
    assert list(server.uploads.iterdir()) == []  # the rejected upload is not kept
    assert not page_problems, page_problems


def test_an_unreadable_upload_names_the_file_as_uploaded_and_nothing_of_the_server(
    page, server, folders, tmp_path, page_problems
):
    sent = [Path(f) for f in files(folders["first"]) if not f.endswith("posts.csv")]
    garbage = tmp_path / "posts.parquet"
    garbage.write_bytes(b"PAR1 not really a parquet file")
    goto(page, server.url + "/data")
    page.locator("#data-upload input[type=file]").set_input_files([str(p) for p in [*sent, garbage]])
    errors = page.locator("#data-errors")
    errors.wait_for(state="visible", timeout=30_000)
    wait_for_dash(page)
    row = errors.locator("tbody tr").first.inner_text()
    assert "posts.parquet" in row and "unreadable file" in row
    shown = page.locator("body").inner_text()
    for server_path in (str(server.uploads), "/tmp", str(tmp_path)):
        assert server_path not in shown
    assert not page_problems, page_problems


def test_good_upload_changes_the_numbers(page, server, folders, page_problems):
    before = overview_numbers(page, server)
    before_hash = digest(server.db_path)
    goto(page, server.url + "/data")
    page.locator("#data-upload input[type=file]").set_input_files(files(folders["second"]))
    page.locator("#data-files").wait_for(state="visible", timeout=30_000)
    wait_for_dash(page)
    assert "Valid." in page.locator("#data-report-status").inner_text()
    assert page.locator("#data-files tbody tr").count() == 5
    # Validated but not imported: still the old data.
    assert digest(server.db_path) == before_hash
    assert not page.locator("#data-import").is_disabled()
    page.locator("#data-name").fill("Second sample")
    page.locator("#data-import").click()
    page.locator("#data-import-status").wait_for(state="visible", timeout=60_000)
    wait_for_dash(page)
    assert "Imported “Second sample”" in page.locator("#data-import-status").inner_text()
    # The data set card follows the import (its callback runs once the import's output arrives).
    wait_for_text(page, "#data-info-name", "Second sample")
    # Without a reload: the footer names the new data set, the "nothing has changed yet" report is
    # gone, Import waits for a new upload, and the filter bar (hidden on /data) offers the new values.
    page.wait_for_function(
        "() => document.querySelector('#dataset-info')?.innerText.includes('Data: Second sample')", timeout=15_000
    )
    assert page.locator("#data-report-status").count() == 0
    wait_for_dash(page)
    assert page.locator("#data-import").is_disabled()
    assert page.locator("#filter-bar").is_hidden()
    page.locator("a.hk-nav-link", has_text="Overview").click()
    page.wait_for_selector("#kpi-revenue-value")
    assert page.locator("#filter-bar").is_visible()
    page.click("#filter-toggle") if page.locator("#filter-toggle").is_visible() else None
    page.click("#filter-category")
    page.get_by_role("option", name="Second-only category", exact=True).wait_for(timeout=15_000)
    page.keyboard.press("Escape")
    goto(page, server.url + "/data")
    wait_for_dash(page)
    info = metrics.dataset_info(Warehouse(server.db_path))
    assert info["name"] == "Second sample" and info["sales_rows"] == 3_000
    goto(page, server.url + "/")  # a full reload
    wait_for_dash(page)
    page.wait_for_selector("#kpi-revenue-value")
    wait_for_dash(page)
    after = {kpi: normalise(page.locator(f"#{kpi}").inner_text()) for kpi in KPI_IDS}
    assert after == expected_numbers(server.db_path)
    assert after != {k: before[k] for k in KPI_IDS}
    assert "Second sample" in page.locator("#dataset-info").inner_text()
    assert not page_problems, page_problems


def test_sample_download(page, server, page_problems):
    goto(page, server.url + "/data")
    with page.expect_download(timeout=60_000) as download_info:
        page.locator("#data-sample").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    payload = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        assert sorted(archive.namelist()) == [
            "audience_demographics.csv",
            "campaigns.csv",
            "geographic_distribution.csv",
            "influencers.csv",
            "payouts.csv",
            "posts.csv",
            "tracking_data.csv",
        ]
        with archive.open("tracking_data.csv") as handle:
            assert sum(1 for _ in handle) == 20_001
    assert not page_problems, page_problems
