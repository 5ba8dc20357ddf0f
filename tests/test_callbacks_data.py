"""/data callbacks called directly: upload → validate (nothing changes) → import (atomic), info, sample."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from dash import no_update
from dash_helpers import find, text, triggered

import metrics
from callbacks import common
from callbacks import data as cb
from warehouse import import_dataset, uploads
from warehouse.sample import download_text


def data_url(payload: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def upload_of(folder: Path, names=None):
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    return [data_url(p.read_bytes()) for p in paths], [names(p) if names else p.name for p in paths]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def app_db(tmp_path, traps_dir, monkeypatch):
    """The app's warehouse (HKDASH_DB) holding the traps data set; uploads under a temp root."""
    db = tmp_path / "app" / "warehouse.duckdb"
    import_dataset(traps_dir, db, name="traps")
    monkeypatch.setenv("HKDASH_DB", str(db))
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(tmp_path / "uploads"))
    return db


@pytest.fixture
def broken_dir(tmp_path, traps_dir):
    folder = tmp_path / "broken"
    folder.mkdir()
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    raw = (folder / "tracking_data.csv").read_text(encoding="utf-8")
    (folder / "tracking_data.csv").write_text(
        raw.replace("2025-01-07,1,2000", "2025-01-07,1,two thousand"), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    from warehouse.sample import generate_sample

    folder = tmp_path_factory.mktemp("upload-sample")
    generate_sample(folder, orders=2_000, seed=5)
    return folder


# --- validate, then import ---------------------------------------------------------------------------


def test_bad_upload_shows_row_problems_and_changes_nothing(app_db, broken_dir):
    before_hash = digest(app_db)
    wh = common.warehouse()
    before_info, before_kpis = metrics.dataset_info(wh), metrics.kpis(wh)
    contents, names = upload_of(broken_dir)
    report, store, disabled, result, imported, cleared = cb.handle_upload(contents, names, None)
    assert store is None and disabled is True and imported is no_update and cleared is None
    shown = text(report)
    assert "1 error" in shown and "Nothing was changed" in shown
    assert "goes ahead" not in shown
    errors = find(report, "data-errors")
    row_text = text(errors)
    for piece in ("tracking_data.csv", "3", "revenue", "two thousand", "not a number"):
        assert piece in row_text
    # Nothing changed: same file, same data set, same figures; the rejected upload is gone.
    assert digest(app_db) == before_hash
    assert metrics.dataset_info(wh) == before_info
    assert metrics.kpis(wh) == before_kpis
    assert [p for p in uploads.upload_root().iterdir()] == []


def test_a_check_that_fails_unexpectedly_says_so_and_keeps_nothing(app_db, traps_dir, tmp_path, monkeypatch, caplog):
    def defect(folder):
        raise RuntimeError("a defect in validation")

    monkeypatch.setattr(uploads, "validate_dataset", defect)
    before = digest(app_db)
    report, store, disabled, result, imported, cleared = cb.handle_upload(*upload_of(traps_dir), None)
    assert "could not be checked" in text(report) and "files were deleted" in text(report)
    assert store is None and disabled is True
    assert list((tmp_path / "uploads").iterdir()) == []
    assert digest(app_db) == before
    assert "a defect in validation" in caplog.text  # the traceback is in the server log


def test_warnings_beside_errors_do_not_say_the_import_goes_ahead(app_db, tmp_path, traps_dir):
    folder = tmp_path / "bad-rate"
    folder.mkdir()
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    payouts = (folder / "payouts.csv").read_text(encoding="utf-8")
    (folder / "payouts.csv").write_text(payouts.replace("B2,order,₹200/order,1,200,", "B2,order,whatever,1,,"), "utf-8")
    report, store, disabled, *_ = cb.handle_upload(*upload_of(folder), None)
    assert store is None and disabled is True and "1 error" in text(report)
    # A1's payout row says 3 orders where 4 are tracked: the one warning of this refused upload
    heading = text(find(report, "data-warnings-heading"))
    assert heading == "1 warning (warnings alone do not stop an import; the errors above do)"
    assert "goes ahead" not in text(report)


def test_warnings_of_a_valid_upload_let_the_import_go_ahead(app_db, traps_dir):
    report, store, disabled, *_ = cb.handle_upload(*upload_of(traps_dir), None)
    assert store["valid"] is True and disabled is False
    # A1's payouts say 3 orders, its sales hold 2 + 1 + 1 = 4; Z9's sales have no influencer row
    assert text(find(report, "data-warnings-heading")) == "2 warnings (the import goes ahead)"


def test_one_warning_is_singular():
    heading = find(cb._warnings_block([], 1), "data-warnings-heading")
    assert text(heading) == "1 warning (the import goes ahead)"
    assert cb._warnings_block([], 0) is None


def test_more_than_twenty_problems_are_counted(app_db, tmp_path, traps_dir):
    folder = tmp_path / "many"
    folder.mkdir()
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    rows = "".join(f"X{i},PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-01-06,1,lots\n" for i in range(30))
    with open(folder / "tracking_data.csv", "a", encoding="utf-8") as handle:
        handle.write(rows)
    report, *_ = cb.handle_upload(*upload_of(folder), None)
    table = find(report, "data-errors")
    body = table.children[1].children
    assert len(body) == 20
    assert "… and 10 more errors (30 in all)." in text(report)


def test_good_upload_validates_then_imports(app_db, sample_dir):
    wh = common.warehouse()
    before = metrics.kpis(wh)
    before_hash = digest(app_db)
    contents, names = upload_of(sample_dir, names=lambda p: f"my folder/{p.name}")
    report, store, disabled, result, imported, cleared = cb.handle_upload(contents, names, None)
    assert disabled is False and store["valid"] is True and cleared is None
    assert "Valid." in text(report)
    assert "tracking_data.csv" in text(find(report, "data-files"))
    # Validation alone changes nothing.
    assert digest(app_db) == before_hash
    folder = uploads.upload_dir(store["token"])
    assert folder is not None and sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in sample_dir.iterdir() if p.is_file()
    )  # the sample's truth/ folder is never uploaded
    out = cb.handle_import(store, "  Sample\tupload  ")
    _, new_store, disabled, result, imported, _ = out
    assert new_store is None and disabled is True and imported is not no_update
    assert "Imported “Sample upload”" in text(result)
    info = metrics.dataset_info(wh)
    assert info["name"] == "Sample upload"
    assert info["sales_rows"] == 2_000
    after = metrics.kpis(wh)
    assert after["revenue"] != before["revenue"] and after["orders"] != before["orders"]
    assert uploads.upload_dir(store["token"]) is None  # the upload folder is cleaned up
    # Importing the same token again is refused and changes nothing.
    again_hash = digest(app_db)
    _, again_store, again_disabled, again, marker, _ = cb.handle_import(store, "x")
    assert marker is no_update and again_store is None and again_disabled is True
    assert "Nothing to import" in text(again)
    assert digest(app_db) == again_hash


def test_import_refuses_foreign_tokens(app_db, tmp_path):
    before = digest(app_db)
    for store in (
        None,
        {},
        {"token": "../../etc", "valid": True},
        {"token": "a" * 32, "valid": True},
        {"token": None, "valid": True},
    ):
        _, _, disabled, result, marker, _ = cb.handle_import(store, "x")
        assert marker is no_update and disabled is True
        assert "Nothing to import" in text(result)
    assert digest(app_db) == before


def test_callback_dispatch(app_db, sample_dir):
    contents, names = upload_of(sample_dir)
    with triggered("data-upload.contents"):
        out = cb.upload_or_import(contents, 0, names, None, "")
    store = out[1]
    assert store and store["valid"]
    with triggered("data-import.n_clicks"):
        out = cb.upload_or_import(None, 1, names, store, "")
    assert out[4] is not no_update
    named = metrics.dataset_info(common.warehouse())["name"]  # no name typed: the files and the upload's time
    assert named.startswith("campaigns.csv + 4 more files, ") and named.endswith(" IST"), named
    with triggered("data-upload.contents"):
        assert cb.upload_or_import(None, 1, None, None, "") == (no_update,) * 6


def test_new_upload_replaces_the_previous_one(app_db, sample_dir):
    first = cb.handle_upload(*upload_of(sample_dir), None)[1]
    second = cb.handle_upload(*upload_of(sample_dir), first)[1]
    assert uploads.upload_dir(first["token"]) is None
    assert uploads.upload_dir(second["token"]) is not None


def test_empty_upload_says_so(app_db):
    report, store, disabled, *_ = cb.handle_upload([data_url(b"hi")], ["notes.txt"], None)
    assert store is None and disabled is True
    shown = text(report)
    assert "No data file arrived" in shown and "notes.txt" in shown


# --- current data set and sample ------------------------------------------------------------------------


def test_dataset_info_card(app_db):
    children = cb.dataset_info_card("/data", None)
    shown = text(children)
    assert "traps" in shown
    for label in ("Imported", "Influencers", "Sales rows", "Payout rows", "6 Jan 2025 – 15 Feb 2025"):
        assert label in shown
    assert "warning" in shown  # Z9 is not in influencers.csv: the import warned


def test_dataset_info_without_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "none.duckdb"))
    assert "No data set imported yet" in text(cb.dataset_info_card("/data", None))


def test_age():
    now = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert cb._age("2025-03-01T11:59:30+00:00", now) == "just now"
    assert cb._age("2025-03-01T10:00:00+00:00", now) == "2 hours ago"
    assert cb._age("2025-02-28T12:00:00+00:00", now) == "1 day ago"
    assert cb._age("garbage", now) is None and cb._age(None, now) is None


def test_sample_download_is_an_importable_zip(app_db, tmp_path):
    sent = cb.download_sample(1)
    assert sent["filename"].endswith(".zip") and sent["base64"] is True
    payload = base64.b64decode(sent["content"])
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        names = sorted(archive.namelist())
    assert names == [
        "audience_demographics.csv",
        "campaigns.csv",
        "geographic_distribution.csv",
        "influencers.csv",
        "payouts.csv",
        "posts.csv",
        "tracking_data.csv",
    ]
    report, store, disabled, *_ = cb.handle_upload([data_url(payload, "application/zip")], [sent["filename"]], None)
    assert store and store["valid"] and disabled is False
    assert cb.download_sample(0) is no_update
    # /data's box says what the zip holds (tester t1, s19: it said "20,000 attributed orders"; the rows
    # hold more orders than that, and the Shopify sample attributes only some of its 20,000 orders)
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        creators = len(archive.read("influencers.csv").decode().strip().splitlines()) - 1
        rows = len(archive.read("tracking_data.csv").decode().strip().splitlines()) - 1
    assert (creators, rows) == (40, 20_000)
    assert download_text() == "40 creators and 20,000 tracking_data rows"


def test_first_import_creates_the_warehouse(tmp_path, monkeypatch, sample_dir):
    db = tmp_path / "fresh" / "data" / "warehouse.duckdb"
    monkeypatch.setenv("HKDASH_DB", str(db))
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(tmp_path / "uploads"))
    assert "No data set imported yet" in text(cb.dataset_info_card("/data", None))
    contents, names = upload_of(sample_dir)
    store = cb.handle_upload(contents, names, None)[1]
    result = cb.handle_import(store, "")[3]
    # several loose files (a browser sends no folder name): the first one's name and how many more
    assert names == ["campaigns.csv", "influencers.csv", "payouts.csv", "posts.csv", "tracking_data.csv"]
    expected = store["name"]
    assert expected.startswith("campaigns.csv + 4 more files, ")  # and the upload's time (tests/test_uploads.py)
    assert f"Imported “{expected}”" in text(result)
    assert db.is_file()
    assert expected in text(cb.dataset_info_card("/data", "now"))


def test_an_append_says_appended(tmp_path, monkeypatch):
    """Tester t1 (s19): an append's result line read "Imported …". The counts are the whole data
    set's after it: the fixture's sample (5 influencers, 6 posts, 8 sales, 7 payouts) + ap2 (2, 3, 2)."""
    fixture = Path(__file__).parent / "fixtures" / "append_same_name"
    db = tmp_path / "app" / "warehouse.duckdb"
    import_dataset(fixture / "sample", db, name="Sample")
    monkeypatch.setenv("HKDASH_DB", str(db))
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(tmp_path / "uploads"))
    contents, names = upload_of(fixture / "ap2")
    store = cb.handle_upload(contents, names, None, append=True)[1]
    shown = text(cb.handle_import(store, "", append=True)[3]).strip()
    assert shown.startswith(
        "Appended to “Sample”.  It now holds 5 influencers, 8 posts, 11 sales rows, 9 payout rows."
    ), shown
    assert "Imported" not in shown


def test_an_uploaded_zip_names_the_data_set(tmp_path, monkeypatch, sample_dir):
    """Tester (s14): every upload was named "Uploaded data set"; the CLI names an import after its
    folder, so an uploaded .zip is named after the zip, and a typed name still wins."""
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "app" / "warehouse.duckdb"))
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(tmp_path / "uploads"))
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w") as archive:
        for path in sorted(sample_dir.iterdir()):
            archive.write(path, f"hk_q1/{path.name}")
    zipped = data_url(payload.getvalue(), "application/zip")
    store = cb.handle_upload([zipped], ["C:\\exports\\HK Campaigns Q1.ZIP"], None)[1]
    assert store["name"] == "HK Campaigns Q1"
    assert "Imported “HK Campaigns Q1”" in text(cb.handle_import(store, "")[3])
    assert "HK Campaigns Q1" in text(cb.dataset_info_card("/data", "now"))
    store = cb.handle_upload([zipped], ["HK Campaigns Q1.ZIP"], None)[1]
    assert "Imported “March review”" in text(cb.handle_import(store, "  March review ")[3])


def test_sales_rows_say_what_they_are_beside_line_items_and_orders():
    """/data's "Sales rows" count is explained next to a store export's line items and orders (a user
    saw 9,999 line items, 8,000 orders and N sales rows with nothing to tell them apart)."""
    from callbacks.data import sales_rows_note

    store = {
        "sales_rows": 21197,
        "files": {"tracking": "orders.csv"},
        "store_orders": {"line_items": 25011, "orders_read": 20000},
    }
    assert sales_rows_note(store) == (
        "Sales rows (21,197): one per line item of each attributed order, plus one per line item of each "
        "refunded attributed order for its refund (negative revenue); orders that are not sales and unattributed orders "
        "have none; the export's 25,011 rows are line items of 20,000 orders."
    )
    tracking = {"sales_rows": 12, "files": {"tracking": "tracking_data.csv"}}
    assert sales_rows_note(tracking) == (
        "Sales rows (12): the attributed sales rows the figures are built from, one per row of the sales file."
    )
    assert sales_rows_note({"sales_rows": 3, "files": {"payouts": "p.csv"}}).endswith(
        "the payouts file's rows with revenue (the data set has no sales file)."
    )
