"""warehouse.uploads: files from the browser into a private folder; validate; import (claimed once)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import os
import time
import zipfile
from pathlib import Path

import pytest

import metrics
from warehouse import Warehouse, import_dataset
from warehouse import uploads as up


def data_url(payload: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def upload_of(folder: Path):
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    return [data_url(p.read_bytes()) for p in paths], [p.name for p in paths]


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(folder))
    return folder


# --- file names and folders -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("influencers.csv", "influencers.csv"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\payouts.csv", "payouts.csv"),
        ("folder/sub/posts.csv", "posts.csv"),
        ("tracking data (1).csv", "tracking data (1).csv"),
        ("<img src=x onerror=alert(1)>.csv", "_img src_x onerror_alert(1)_.csv"),
        ("bad\x00name\n.csv", "badname.csv"),
        (".hidden.csv", None),
        ("..", None),
        ("a/b/", None),
        ("", None),
        (None, None),
        ("x" * 200 + ".csv", None),
    ],
)
def test_safe_name(sent, kept):
    assert up.safe_name(sent) == kept


def test_upload_dir_refuses_tokens_that_are_not_ours(tmp_path):
    (tmp_path / ("a" * 32)).mkdir()
    assert up.upload_dir("a" * 32, tmp_path) == tmp_path / ("a" * 32)
    for token in ("../" + "a" * 29, "A" * 32, "a" * 31, None, 5, {"x": 1}, "/etc"):
        assert up.upload_dir(token, tmp_path) is None
    assert up.upload_dir("b" * 32, tmp_path) is None  # well formed, but no such upload


def test_receive_upload_writes_only_inside_its_folder(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    contents = [data_url(b"a,b\n1,2\n"), data_url(b"x"), data_url(b"y"), "not a data url", data_url(b"z")]
    names = ["../../escape.csv", "notes.txt", ".env", "payouts.csv", "sub/escape.csv"]
    upload = up.receive_upload(contents, names, root)
    assert up.TOKEN_RE.match(upload.token)
    assert upload.folder == root / upload.token
    assert upload.saved == ["escape.csv"]
    assert sorted(p.name for p in upload.folder.iterdir()) == ["escape.csv"]
    assert (upload.folder / "escape.csv").read_bytes() == b"a,b\n1,2\n"
    reasons = dict(upload.skipped)
    assert reasons["notes.txt"].startswith("not a .csv")
    assert reasons[".env"] == "file name not usable"
    assert reasons["payouts.csv"] == "could not be decoded"
    assert reasons["sub/escape.csv"].startswith("a second file named")
    assert not (tmp_path / "escape.csv").exists()


def test_receive_upload_unpacks_a_zip(tmp_path, traps_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in traps_dir.iterdir():
            archive.write(path, f"traps/{path.name}")
        archive.writestr("../../../evil.csv", "a\n1\n")
        archive.writestr("__MACOSX/._payouts.csv", "junk")
        archive.writestr("readme.md", "hello")
    upload = up.receive_upload([data_url(buffer.getvalue(), "application/zip")], ["data.zip"], tmp_path)
    assert sorted(upload.saved) == sorted([p.name for p in traps_dir.iterdir()] + ["evil.csv"])
    assert all((upload.folder / name).is_file() for name in upload.saved)
    assert not (tmp_path.parent / "evil.csv").exists()
    assert ("data.zip: readme.md", "not a .csv or .parquet file") in upload.skipped
    bad = up.receive_upload([data_url(b"PK not really")], ["broken.zip"], tmp_path)
    assert bad.saved == [] and bad.skipped == [("broken.zip", "not a readable .zip file")]


def test_cleanup_removes_only_old_upload_folders(tmp_path):
    old, fresh, claimed = tmp_path / ("1" * 32), tmp_path / ("2" * 32), tmp_path / ("3" * 32 + ".importing")
    other = tmp_path / "keep-me"
    for folder in (old, fresh, claimed, other):
        folder.mkdir()
    past = time.time() - up.UPLOAD_TTL_SECONDS - 60
    for folder in (old, claimed, other):
        os.utime(folder, (past, past))
    assert up.cleanup_uploads(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, other.name])


# --- accept, then import ------------------------------------------------------------------------------


def test_upload_name_follows_the_files_sent():
    """Several loose files are named with the upload's time (tester t1, s19: every upload read
    "influencers.csv + 3 more files" in "Previous data sets", footers and PDFs); 05:30 UTC is 11:00 IST."""
    at = dt.datetime(2026, 12, 2, 5, 30, tzinfo=dt.UTC)
    assert up.upload_name(["HK Campaigns Q1.zip"], at) == "HK Campaigns Q1"  # a name the user chose
    assert up.upload_name(["C:\\Users\\me\\orders_export_1.CSV"], at) == "orders_export_1"  # last part only
    assert (
        up.upload_name(["influencers.csv", "payouts.csv"], at) == "influencers.csv + 1 more file, 2 Dec 2026 11:00 IST"
    )
    three = up.upload_name(["influencers.csv", "payouts.csv", "posts.csv"], at + dt.timedelta(days=31))
    assert three == "influencers.csv + 2 more files, 2 Jan 2027 11:00 IST"
    assert up.upload_name([".zip"], at) == ".zip"  # nothing left without the extension: the name as sent
    unnamed = up.DEFAULT_NAME + ", 2 Dec 2026 11:00 IST"
    assert up.upload_name([], at) == up.upload_name(None, at) == up.upload_name(["\x00"], at) == unnamed
    long = up.upload_name(["x" * 200 + ".csv", "y.csv"], at)
    assert len(long) == up.MAX_DATASET_NAME_CHARS and long.endswith(" + 1 more file, 2 Dec 2026 11:00 IST")


def test_dataset_name():
    assert up.dataset_name("  Sample\tupload\n ") == "Sample upload"
    assert up.dataset_name("\x00\x07") == up.DEFAULT_NAME
    assert up.dataset_name(None) == up.DEFAULT_NAME
    assert len(up.dataset_name("x" * 500)) == up.MAX_DATASET_NAME_CHARS


def test_accept_keeps_a_valid_upload_and_drops_the_previous_one(root, traps_dir):
    first, report, failure = up.accept_upload(*upload_of(traps_dir))
    assert report is not None and failure is None and first.folder.is_dir()
    second, report, _ = up.accept_upload(*upload_of(traps_dir), previous_token=first.token)
    assert not first.folder.exists() and second.folder.is_dir()
    assert sorted(second.saved) == sorted(p.name for p in traps_dir.iterdir())


def test_accept_removes_an_upload_that_would_not_import(root, traps_dir):
    contents, names = upload_of(traps_dir)
    keep = [i for i, n in enumerate(names) if n != "influencers.csv"]
    upload, report, failure = up.accept_upload([contents[i] for i in keep], [names[i] for i in keep])
    assert report is None and failure is not None and failure.total >= 1
    assert not upload.folder.exists()
    assert list(root.iterdir()) == []


def test_a_check_that_fails_unexpectedly_deletes_the_upload(root, traps_dir, monkeypatch):
    # the files may hold buyers' e-mails and addresses: a defect in the check must not leave them behind
    def defect(folder):
        raise RuntimeError("a defect in validation")

    monkeypatch.setattr(up, "validate_dataset", defect)
    with pytest.raises(up.UploadCheckFailed) as failure:
        up.accept_upload(*upload_of(traps_dir))
    assert isinstance(failure.value.__cause__, RuntimeError)
    assert list(root.iterdir()) == []


def test_import_upload_imports_once_and_cleans_up(root, traps_dir, tmp_path):
    upload, report, _ = up.accept_upload(*upload_of(traps_dir))
    db = tmp_path / "wh" / "warehouse.duckdb"
    done = up.import_upload(upload.token, db, "Traps")
    assert done.warning_count == report.warning_count
    assert metrics.dataset_info(Warehouse(db))["name"] == "Traps"
    assert not upload.folder.exists() and list(root.iterdir()) == []
    with pytest.raises(up.UploadGone):
        up.import_upload(upload.token, db, "again")
    for token in (None, "../../etc", "a" * 32, 5):
        with pytest.raises(up.UploadGone):
            up.import_upload(token, db, "x")


def test_import_upload_refuses_a_claimed_folder(root, traps_dir, tmp_path, monkeypatch):
    upload, _, _ = up.accept_upload(*upload_of(traps_dir))

    def taken(self, target):
        raise FileNotFoundError(self)  # another worker renamed it first

    monkeypatch.setattr(Path, "rename", taken)
    with pytest.raises(up.UploadBusy):
        up.import_upload(upload.token, tmp_path / "wh.duckdb", "x")
    assert not (tmp_path / "wh.duckdb").exists()


def test_failed_import_changes_nothing_and_cleans_up(root, traps_dir, tmp_path):
    db = tmp_path / "wh.duckdb"
    import_dataset(traps_dir, db, name="before")
    upload, _, _ = up.accept_upload(*upload_of(traps_dir))
    (upload.folder / "tracking_data.csv").write_text("garbage\n", encoding="utf-8")  # broken after validation
    with pytest.raises(up.ImportFailed):
        up.import_upload(upload.token, db, "after")
    assert metrics.dataset_info(Warehouse(db))["name"] == "before"
    assert list(root.iterdir()) == []


# --- what an upload's messages say (tester finding F8: no server path) --------------------------------


def test_an_unreadable_upload_names_the_file_as_sent_not_the_server_folder(root, traps_dir):
    contents, names = upload_of(traps_dir)
    index = names.index("posts.csv")
    contents[index], names[index] = data_url(b"not a parquet file at all"), "posts.parquet"
    upload, report, failure = up.accept_upload(contents, names)
    assert report is None and failure is not None
    (problem,) = failure.errors
    assert problem.file == "posts.parquet"
    assert problem.reason.startswith("unreadable file: ") and "'posts.parquet'" in problem.reason
    for server_path in (str(root), upload.token, os.sep + "tmp"):
        assert server_path not in str(failure)


def test_a_reason_naming_the_upload_folder_loses_the_folder(root, traps_dir, tmp_path, monkeypatch):
    """Whatever an engine's message says, the folder of an upload is never shown (validation and import)."""

    def refuse(folder, *args, **kwargs):
        problem = up.Problem("posts.csv", None, None, None, f"unreadable file: cannot open '{folder}/posts.csv'")
        raise up.ImportFailed([problem], [dataclasses.replace(problem, reason=f"in {folder}")])

    monkeypatch.setattr(up, "validate_dataset", refuse)
    upload, _, failure = up.accept_upload(*upload_of(traps_dir))
    assert [p.reason for p in failure.errors] == ["unreadable file: cannot open 'posts.csv'"]
    assert [p.reason for p in failure.warnings] == ["in the upload"]
    assert str(root) not in str(failure)

    monkeypatch.undo()
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(root))
    upload, _, _ = up.accept_upload(*upload_of(traps_dir))
    monkeypatch.setattr(up, "import_dataset", refuse)
    with pytest.raises(up.ImportFailed) as raised:
        up.import_upload(upload.token, tmp_path / "wh.duckdb", "x")
    assert [p.reason for p in raised.value.errors] == ["unreadable file: cannot open 'posts.csv'"]
    assert str(root) not in str(raised.value) and list(root.iterdir()) == []


def test_reports_name_files_as_the_user_did_not_as_made_safe(root, traps_dir, tmp_path):
    """Tester F15: `tracking data [jan]#1.csv` is kept as `tracking data _jan__1.csv` on the server;
    the validation report, its warnings and errors, the import report and the data set's info name
    it as the user did (Dash shows it as text)."""
    contents, names = upload_of(traps_dir)
    index = names.index("tracking_data.csv")
    names[index] = "C:\\exports\\tracking data [jan]#1.csv"  # a browser may send a Windows path
    upload, report, failure = up.accept_upload(contents, names)
    assert failure is None and "tracking data _jan__1.csv" in upload.saved
    assert upload.sent == {"tracking data _jan__1.csv": "tracking data [jan]#1.csv"}
    assert report.files["tracking"] == "tracking data [jan]#1.csv"
    assert any(w.file == "tracking data [jan]#1.csv" for w in report.warnings)  # the traps warn about Z9
    assert not any("_jan__1" in str(w) for w in report.warnings)
    db = tmp_path / "wh" / "warehouse.duckdb"
    done = up.import_upload(upload.token, db, "Traps")
    info = metrics.dataset_info(Warehouse(db))
    assert done.files["tracking"] == info["files"]["tracking"] == "tracking data [jan]#1.csv"
    assert ["tracking", "tracking data [jan]#1.csv", 8] in info["file_rows"]
    assert not any("_jan__1" in line for line in info["warning_lines"])
    # A bad row's error names the file as sent too.
    contents[index] = data_url(
        traps_dir.joinpath("tracking_data.csv").read_bytes() + b"T99,x,y,A1,U1,b,p,not a date,1,1\n"
    )
    _, report, failure = up.accept_upload(contents, names)
    assert report is None and failure.errors and {e.file for e in failure.errors} == {"tracking data [jan]#1.csv"}


def test_an_appended_upload_is_named_by_its_zip_or_as_an_upload(root, traps_dir, tmp_path):
    """Where an appended upload's file has the live one's name, warnings name its folder: a .zip's
    name (a folder sent zipped), else "upload" (a browser sends loose files without a folder); the
    live data set's rows are its folder's ("traps", imported from the command line)."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    import_dataset(traps_dir, db)
    header = "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "march/tracking_data.csv", header + "T50,PromoCode,MB Jan,Z9,U3,MuscleBlaze,Whey,2025-03-06,1,1\n"
        )
    upload, report, failure = up.accept_upload(
        [data_url(buffer.getvalue(), "application/zip")], ["march.zip"], None, db
    )
    assert failure is None and upload.label == "march"
    done = up.import_upload(upload.token, db, None, append=True, label=upload.label)
    assert [w.file for w in done.warnings if w.column == "influencer_id"] == [
        "traps/tracking_data.csv",
        "march/tracking_data.csv",
    ]
    # The check before the append warned the same (tester t1: it said "valid" with no warning).
    assert [str(w) for w in report.warnings] == [str(w) for w in done.warnings]
    loose = header + "T51,PromoCode,MB Jan,Z9,U3,MuscleBlaze,Whey,2025-04-06,1,1\n"
    upload, report, failure = up.accept_upload([data_url(loose.encode())], ["tracking_data.csv"], None, db)
    assert failure is None and upload.label.startswith("uploaded ")
    done = up.import_upload(upload.token, db, None, append=True, label=upload.label)
    assert [str(w) for w in report.warnings] == [str(w) for w in done.warnings]
    assert [(w.file, w.reason) for w in done.warnings if w.column == "influencer_id"] == [
        (name, "unknown influencer (1 row): kept and shown as Unknown")
        for name in ("traps/tracking_data.csv", "march/tracking_data.csv", f"tracking_data.csv ({upload.label})")
    ]


def test_folder_label_is_a_single_zips_name_else_when_the_files_came():
    assert up.folder_label(["C:\\data\\HK March.ZIP"]) == "HK March"
    when = dt.datetime(2026, 12, 2, 3, 42, tzinfo=dt.UTC)  # 09:12 in India
    assert up.folder_label(["march.zip", "posts.csv"], when) == up.folder_label(["posts.csv"], when)
    assert up.folder_label(["posts.csv"], when) == "uploaded 2 Dec 2026 09:12 IST"
    assert up.folder_label([".zip"], when) == up.folder_label([], when) == up.folder_label(None, when)
    assert up.folder_label(None, when) == "uploaded 2 Dec 2026 09:12 IST"


def test_loose_uploads_are_named_by_when_they_came_and_a_one_row_payout_warning_by_its_row(
    root, traps_dir, monkeypatch
):
    """Tester (s19): a data set uploaded as loose files, then a tracking_data.csv appended the same
    way, warned of "upload/tracking_data.csv (import 2)" (no folder "upload" exists; the import number
    is the data set's, not the person's) and of "1 payout row counts the orders before ..." without
    naming that row. Each upload is named by when it came, the one payout row by its line: traps'
    payouts.csv row 3 is A1's commission row, 4 orders, 5 tracked once T51 (A1, 1 order) is appended."""
    db = root.parent / "wh" / "warehouse.duckdb"
    names = sorted(p.name for p in traps_dir.iterdir() if p.is_file())
    contents = [data_url((traps_dir / name).read_bytes()) for name in names]
    upload, _report, failure = up.accept_upload(contents, names, None, None)
    first = up.folder_label(names, dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC))
    assert failure is None and first == "uploaded 1 Dec 2026 09:30 IST"
    up.import_upload(upload.token, db, "traps", label=first)
    header = "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"

    second = up.folder_label(["tracking_data.csv"], dt.datetime(2026, 12, 2, 3, 42, tzinfo=dt.UTC))
    monkeypatch.setattr(up, "folder_label", lambda filenames: second)  # the appended files came then

    def append(row):
        month = header + row
        upload, report, failure = up.accept_upload([data_url(month.encode())], ["tracking_data.csv"], None, db)
        assert failure is None and upload.label == second
        done = up.import_upload(upload.token, db, None, append=True, label=upload.label)
        assert [str(w) for w in report.warnings] == [str(w) for w in done.warnings]  # the check said the same
        return next(w for w in done.warnings if w.column == "orders" and w.file == "payouts.csv" and w.row == 3)

    said = append("T51,PromoCode,MB Jan,A1,U3,MuscleBlaze,Whey,2025-04-06,1,1\n")
    assert said.reason.startswith(
        "1 payout row counts the orders before tracking_data.csv (uploaded 2 Dec 2026 09:12 IST) was appended"
    )
    assert "A1: 4 in the payouts, 5 tracked, 1 of them appended" in said.reason
    # a second upload within the same minute: told apart by the data set's import number
    said = append("T52,PromoCode,MB Jan,A1,U3,MuscleBlaze,Whey,2025-05-06,1,1\n").reason
    assert "tracking_data.csv (uploaded 2 Dec 2026 09:12 IST, import 2) + " in said
    assert "+ tracking_data.csv (uploaded 2 Dec 2026 09:12 IST, import 3) was appended" in said


def test_a_refused_appended_upload_names_its_file_as_its_warnings_would(root, traps_dir, tmp_path):
    """A loose tracking_data.csv appended to traps' (same name) whose row 2 repeats traps' T1: the
    check and the import refuse it as "upload/tracking_data.csv, row 2", as an accepted one's warnings
    name it (test_an_appended_upload_is_named_by_its_zip_or_as_an_upload), not "tracking_data.csv"."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    import_dataset(traps_dir, db)
    header = "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
    again = header + "T1,PromoCode,MB Jan,A1,U3,MuscleBlaze,Whey,2025-03-06,1,1\n"
    upload, report, failure = up.accept_upload([data_url(again.encode())], ["tracking_data.csv"], None, db)
    assert report is None
    assert upload.label.startswith("uploaded ")
    assert [(e.file, e.row, e.column) for e in failure.errors] == [
        (f"tracking_data.csv ({upload.label})", 2, "tracking_id")
    ]
