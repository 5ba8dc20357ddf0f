"""Upload limits (per file, per zip, in total), unreadable zip members, the private upload folder,
and duplicate-key validation that fetches only the examples it shows."""

from __future__ import annotations

import base64
import io
import os
import struct
import zipfile

import duckdb
import pytest

from callbacks import data as cb
from warehouse import upload_limits as limits
from warehouse import uploads
from warehouse.sources import load
from warehouse.validate import Findings, check_values


def data_url(payload: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(payload).decode("ascii")


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def patched(archive: bytes, flag: int | None = None, method: int | None = None) -> bytes:
    """A zip whose every member claims `flag` bits (0x1: encrypted) or compression `method` (99: AES)."""
    raw = bytearray(archive)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (at := raw.find(signature, start)) >= 0:
            if flag is not None:
                struct.pack_into("<H", raw, at + flag_at, flag)
            if method is not None:
                struct.pack_into("<H", raw, at + method_at, method)
            start = at + 4
    return bytes(raw)


@pytest.fixture
def root(tmp_path):
    return limits.private_folder(tmp_path / "uploads")


@pytest.mark.parametrize(
    "how, reason",
    [
        ({"flag": 0x1}, "could not be read"),
        ({"method": 99}, "could not be read"),
    ],
)
def test_encrypted_or_unsupported_zip_members_could_not_be_read(root, how, reason):
    archive = patched(zipped({"influencers.csv": b"influencer_id,name\nA1,x\n"}), **how)
    upload = uploads.receive_upload([data_url(archive)], ["data.zip"], root)
    assert upload.saved == []
    assert upload.skipped and upload.skipped[0][0] == "data.zip: influencers.csv"
    assert upload.skipped[0][1].startswith(reason)
    assert list(upload.folder.iterdir()) == []


def test_file_and_zip_member_size_limits(root, monkeypatch):
    monkeypatch.setenv("HKDASH_MAX_FILE_MB", str(1 / 1024))  # 1 KiB
    big = b"influencer_id\n" + b"A1\n" * 600
    upload = uploads.receive_upload(
        [data_url(big), data_url(b"post_id\nP1\n"), data_url(zipped({"posts.csv": big}))],
        ["influencers.csv", "posts.csv", "more.zip"],
        root,
    )
    assert upload.saved == ["posts.csv"]
    reasons = dict(upload.skipped)
    assert reasons["influencers.csv"].startswith("larger than")
    assert reasons["more.zip: posts.csv"] == "expands beyond the upload limit"
    assert sorted(p.name for p in upload.folder.iterdir()) == ["posts.csv"]


def test_zip_expansion_limit_stops_a_zip_bomb(root, monkeypatch):
    monkeypatch.setenv("HKDASH_MAX_UNZIPPED_MB", "1")
    bomb = zipped({f"part{i}.csv": b"0" * (600 * 1024) for i in range(3)})
    assert len(bomb) < 20_000
    upload = uploads.receive_upload([data_url(bomb)], ["bomb.zip"], root)
    assert len(upload.saved) == 1 and sum(p.stat().st_size for p in upload.folder.iterdir()) <= 1024 * 1024
    assert all(reason == "expands beyond the upload limit" for _, reason in upload.skipped)


def test_total_upload_space(root, monkeypatch):
    monkeypatch.setenv("HKDASH_MAX_UPLOADS_MB", str(2 / 1024))  # 2 KiB for every upload together
    first = uploads.receive_upload([data_url(b"x" * 1500)], ["influencers.csv"], root)
    assert first.saved == ["influencers.csv"]
    second = uploads.receive_upload([data_url(b"y" * 1000)], ["posts.csv"], root)
    assert second.saved == [] and "upload space is full" in second.skipped[0][1]


def test_undecodable_contents(root):
    upload = uploads.receive_upload(["data:text/csv;base64,@@@", 12345], ["a.csv", "b.csv"], root)
    assert [reason for _, reason in upload.skipped] == ["could not be decoded"] * 2


def test_upload_folder_is_private(tmp_path):
    created = limits.private_folder(tmp_path / "new")
    assert oct(created.stat().st_mode & 0o777) == "0o700"
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    with pytest.raises(limits.UploadFolderUnsafe, match="writable by other users"):
        limits.private_folder(shared)
    link = tmp_path / "link"
    link.symlink_to(created)
    with pytest.raises(limits.UploadFolderUnsafe, match="not a folder"):
        limits.private_folder(link)
    readable = tmp_path / "readable"
    readable.mkdir(mode=0o755)
    os.chmod(readable, 0o755)
    assert oct(limits.private_folder(readable).stat().st_mode & 0o777) == "0o700"


def test_upload_folder_of_another_user_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    with pytest.raises(limits.UploadFolderUnsafe, match="another user"):
        limits.private_folder(folder)


def test_an_unsafe_upload_folder_refuses_uploads_with_a_message(tmp_path, monkeypatch):
    from dash_helpers import text

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(shared))
    children, store, disabled, *_ = cb.handle_upload([data_url(b"a\n1\n")], ["influencers.csv"], None)
    assert "switched off" in text(children) and store is None and disabled is True
    assert str(shared) not in text(children)  # no server path for visitors


def test_duplicate_keys_count_all_and_list_only_the_first_examples(tmp_path):
    """200,000 rows that repeat 1,000 keys: every repeat counted, the first MAX_SHOWN listed in file order."""
    path = tmp_path / "tracking_data.csv"
    rows = "".join(f"T{i % 1000},A1,2025-01-01,1,100\n" for i in range(200_000))
    path.write_text("tracking_id,influencer_id,date,orders,revenue\n" + rows, encoding="utf-8")
    connection = duckdb.connect()
    source, problems = load(connection, "tracking", path)
    assert not problems
    errors = Findings()
    check_values(connection, source, errors)
    assert errors.total == 199_000
    from warehouse.errors import MAX_SHOWN

    assert [(p.row, p.value, p.reason) for p in errors.problems[:2]] == [
        (1002, "T0", "duplicate key (first on row 2)"),
        (1003, "T1", "duplicate key (first on row 3)"),
    ]
    assert len(errors.problems) == MAX_SHOWN


def test_a_data_file_dropped_for_size_makes_the_upload_not_importable(root, monkeypatch, traps_dir):
    """A valid set whose sales file inside the .zip is over the per-file limit: the rest alone would
    import (with revenue spread from payouts), silently without the sales rows. Refused instead,
    naming the file, and the page says why with the limit."""
    monkeypatch.setenv("HKDASH_MAX_FILE_MB", str(2 / 1024))  # 2 KiB: the small files fit, the sales file not
    members = {path.name: path.read_bytes() for path in traps_dir.iterdir() if path.name != "tracking_data.csv"}
    members["tracking_data.csv"] = (traps_dir / "tracking_data.csv").read_bytes() + b"\n" * 4096
    monkeypatch.setattr(uploads, "upload_root", lambda: root)
    upload, report, failure = uploads.accept_upload([data_url(zipped(members))], ["set.zip"])
    assert upload.lost == ["set.zip: tracking_data.csv"] and report is None and failure is None
    assert not upload.folder.exists()
    text = str(cb.report_children(upload, report, failure))
    assert "Nothing can be imported" in text and "set.zip: tracking_data.csv" in text and "MB per file" in text


def test_files_that_are_not_data_do_not_block_the_upload(root, monkeypatch, traps_dir):
    monkeypatch.setattr(uploads, "upload_root", lambda: root)
    members = {path.name: path.read_bytes() for path in traps_dir.iterdir()} | {"readme.md": b"notes"}
    upload, report, failure = uploads.accept_upload([data_url(zipped(members))], ["set.zip"])
    assert upload.lost == [] and report is not None and failure is None
