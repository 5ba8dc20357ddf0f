"""Uploaded data sets: files from the browser into a private folder, validated, then imported.

Uploaded files never live in module state or in the browser after they arrive: `accept_upload`
decodes one upload event into a fresh folder `<upload root>/<token>/` (token: 32 random hex
digits) and the page keeps only the token. `import_upload` imports the folder a token names (the
token is checked against its pattern first, so it cannot point anywhere else), claiming it first
so that a second click cannot import it twice, and deletes it afterwards. Folders older than
UPLOAD_TTL_SECONDS are removed whenever a new upload arrives.

The upload root is HKDASH_UPLOAD_DIR, else `<system temp>/hkdash-uploads`, and must be private to
the server's user (warehouse.upload_limits.private_folder). File names are reduced to their last
path component, and only .csv / .parquet files are kept (a .zip is unpacked); the size limits of
warehouse.upload_limits apply per file, per .zip and to all uploads together.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote_to_bytes

from metrics import format as fmt
from warehouse import upload_limits as limits
from warehouse.errors import ImportFailed, Problem
from warehouse.importer import (
    UPLOADED,
    ImportReport,
    import_dataset,
    problems_named,
    shown_names,
    validate_append,
    validate_dataset,
)

UPLOAD_TTL_SECONDS = 2 * 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
FOLDER_RE = re.compile(r"^[0-9a-f]{32}(\.importing)?$")  # upload folders, and those an import has claimed
DATA_EXTENSIONS = (".csv", ".parquet")
MAX_UNZIPPED_BYTES = 2 * 1024**3  # what one .zip may expand to
MAX_NAME_CHARS = 120
MAX_DATASET_NAME_CHARS = 80
DEFAULT_NAME = "Uploaded data set"
NAMES_FILE = ".names.json"  # in an upload folder: Upload.sent
# an upload's folder where files of one name are told apart, where the page gave no label (folder_label)
UPLOAD_LABEL = "upload"


class UploadGone(LookupError):
    """The token names no upload: malformed, expired, already imported, or never ours."""


class UploadBusy(RuntimeError):
    """Another request is importing this upload right now."""


class UploadCheckFailed(RuntimeError):
    """Checking an upload raised something other than ImportFailed (a defect, logged by the caller
    from `__cause__`); the upload was deleted, since its files may hold buyers' personal data."""


@dataclasses.dataclass
class Upload:
    """One upload event: its token and folder, the files kept, and those skipped with the reason."""

    token: str
    folder: Path
    saved: list[str]
    skipped: list[tuple[str, str]]  # (name as sent, why it was not used)
    # Data files that were sent but could not be kept (too large, unreadable, a second of one name):
    # importing without them would silently lose their rows, so such an upload is not importable.
    lost: list[str] = dataclasses.field(default_factory=list)
    # saved name -> the name the user gave it, where safe_name changed it (tester F15): reports show
    # the user's name (Dash escapes it as text); the saved one stays internal. Kept in NAMES_FILE.
    sent: dict[str, str] = dataclasses.field(default_factory=dict)
    # The data set's name unless the user types one (upload_name of the files as sent).
    name: str = DEFAULT_NAME
    # What its folder is called where an append's files of one name are told apart (folder_label).
    label: str = UPLOAD_LABEL

    def lose(self, shown_name: str, reason: str) -> None:
        """Record a data file that was sent but not kept (skipped, and it blocks the import)."""
        self.skipped.append((shown_name, reason))
        self.lost.append(shown_name)


# --- folders ------------------------------------------------------------------------------------


def upload_root() -> Path:
    """The folder holding every upload (HKDASH_UPLOAD_DIR, else <temp>/hkdash-uploads), private to this
    server's user. Raises upload_limits.UploadFolderUnsafe when it is not."""
    return limits.private_folder(
        Path(os.environ.get("HKDASH_UPLOAD_DIR") or Path(tempfile.gettempdir()) / "hkdash-uploads")
    )


def upload_dir(token, root: Path | None = None) -> Path | None:
    """The folder of an upload token, or None when the token is malformed or its folder is gone."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    folder = (root or upload_root()) / token
    return folder if folder.is_dir() else None


def discard(token, root: Path | None = None) -> None:
    """Remove the upload a token names, if any (a malformed token removes nothing)."""
    folder = upload_dir(token, root)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def cleanup_uploads(root: Path, max_age: float = UPLOAD_TTL_SECONDS, now: float | None = None) -> int:
    """Remove upload folders older than max_age seconds; returns how many were removed.

    Only folders named like uploads (a token, or a token + `.importing`) are touched.
    """
    now = time.time() if now is None else now
    removed = 0
    for folder in root.iterdir():
        if not (folder.is_dir() and FOLDER_RE.match(folder.name)):
            continue
        try:
            if now - folder.stat().st_mtime > max_age:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:  # removed by another worker meanwhile
            pass
    return removed


# --- names ----------------------------------------------------------------------------------------


def safe_name(name) -> str | None:
    """The last path component of an uploaded file's name, made safe; None when nothing usable is left.

    Folder parts (`a/b/c.csv`, `..\\x.csv`) are dropped, control characters removed, characters
    outside letters, digits, space and `._()-` replaced by `_`; hidden files (leading dot) and names
    longer than MAX_NAME_CHARS are refused.
    """
    if not isinstance(name, str):
        return None
    base = name.replace("\\", "/").split("/")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    base = re.sub(r"[^A-Za-z0-9 ._()\-]", "_", base)
    if not base or base in (".", "..") or base.startswith(".") or len(base) > MAX_NAME_CHARS:
        return None
    return base


def upload_name(filenames, when: dt.datetime | None = None) -> str:
    """The default name of an uploaded data set, as `hkdash import DIR` names one after its folder
    (a browser sends no folder name): one file's name without its extension ("campaigns_q1.zip" →
    "campaigns_q1"); for several, the first one's name, how many more and when they came
    ("influencers.csv + 4 more files, 2 Dec 2026 11:00 IST": every month's export is the same
    files, and "Previous data sets", page footers and PDFs must tell two uploads apart; `when`
    defaults to now); DEFAULT_NAME with that time when no name is usable."""
    names = [sent_name(str(n)) for n in _as_list(filenames) if n is not None and sent_name(str(n))]
    stamp = ", " + fmt.timestamp(when or dt.datetime.now(dt.UTC)).replace(",", "")
    if len(names) == 1:
        single = dataset_name(re.sub(r"\.(csv|parquet|zip)$", "", names[0], flags=re.IGNORECASE) or names[0])
        return single if single != DEFAULT_NAME else DEFAULT_NAME + stamp
    if not names:
        return DEFAULT_NAME + stamp
    more = f" + {len(names) - 1} more file{'s' if len(names) > 2 else ''}{stamp}"
    return dataset_name(names[0][: MAX_DATASET_NAME_CHARS - len(more)] + more)


def folder_label(filenames, when: dt.datetime | None = None) -> str:
    """What an upload's folder is called where two imports' files of one name are told apart
    (importer.part_names): one .zip's name without its extension ("march.zip" → "march": a folder
    sent zipped), else when the files came ("uploaded 2 Dec 2026 09:12 IST", importer.UPLOADED; `when`
    defaults to now): a browser sends loose files without their folder's name, and the person knows
    an upload by when they made it, not by a folder "upload" nor by the data set's import number."""
    names = [sent_name(str(n)) for n in _as_list(filenames) if n is not None]
    if len(names) == 1 and names[0].lower().endswith(".zip") and len(names[0]) > len(".zip"):
        return names[0][: -len(".zip")]
    return UPLOADED + fmt.timestamp(when or dt.datetime.now(dt.UTC)).replace(",", "")


def dataset_name(text) -> str:
    """The name a person typed for a data set: one line, printable, at most 80 characters, else DEFAULT_NAME."""
    spaced = " ".join(str(text or "").split())  # tabs and new lines become single spaces
    cleaned = "".join(ch for ch in spaced if ch.isprintable())[:MAX_DATASET_NAME_CHARS].strip()
    return cleaned or DEFAULT_NAME


# --- receiving files --------------------------------------------------------------------------------


def _decode(content: str) -> bytes:
    header, _, payload = (content or "").partition(",")
    if not header.startswith("data:"):
        raise ValueError("not a data URL")
    if ";base64" in header:
        return base64.b64decode(payload, validate=True)
    return unquote_to_bytes(payload)


def _store(
    folder: Path, name: str, data_chunks: Iterable[bytes], upload: Upload, shown_name: str, sent_name: str
) -> None:
    """Write one file as `name` (safe_name of `sent_name`, the last part of the name the user gave)."""
    if name in upload.saved:
        upload.lose(shown_name, f"a second file named {name}")
        return
    with open(folder / name, "xb") as handle:
        for chunk in data_chunks:
            handle.write(chunk)
    upload.saved.append(name)
    if sent_name != name:
        upload.sent[name] = sent_name


def sent_name(name: str) -> str:
    """The last path component of a name as sent, printable (what safe_name keeps before replacing
    characters): the name shown to the user."""
    base = name.replace("\\", "/").split("/")[-1]
    return "".join(ch for ch in base if ch.isprintable()).strip()[:MAX_NAME_CHARS] or base


DATA_FILE_LOST = ("expands beyond the upload limit", "could not be read (encrypted)")


def _member_problem(member: zipfile.ZipInfo, name: str | None, budget: int) -> str | None:
    """Why a .zip member is not kept ('' to skip it silently), None to keep it."""
    parts = member.filename.split("/")
    if name is None or "__MACOSX" in parts:
        return "" if parts[-1].startswith(".") else "file name not usable"
    if not name.lower().endswith(DATA_EXTENSIONS):
        return "not a .csv or .parquet file"
    if member.file_size > budget or member.file_size > limits.max_file_bytes():
        return "expands beyond the upload limit"
    if member.flag_bits & 0x1:
        return "could not be read (encrypted)"
    return None


def _unzip(data: bytes, zip_name: str, upload: Upload) -> None:
    """Keep the data files of a .zip, within the unzipped-bytes limit of what its members really expand
    to (the sizes a .zip declares can lie) and the per-file limit for each member."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        upload.lose(zip_name, "not a readable .zip file")
        return
    budget = min(MAX_UNZIPPED_BYTES, limits.max_unzipped_bytes())
    with archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            shown = f"{zip_name}: {member.filename}"
            name = safe_name(member.filename)
            problem = _member_problem(member, name, budget)
            if problem is not None:
                if problem in DATA_FILE_LOST:
                    upload.lose(shown, problem)
                elif problem:
                    upload.skipped.append((shown, problem))
                continue
            assert name is not None  # _member_problem refuses unusable names

            def chunks(member=member):
                nonlocal budget
                size = 0
                with archive.open(member) as source:
                    while block := source.read(1 << 20):
                        budget -= len(block)
                        size += len(block)
                        if budget < 0 or size > limits.max_file_bytes():
                            raise ValueError("expands beyond the upload limit")
                        yield block

            try:
                _store(upload.folder, name, chunks(), upload, shown, sent_name(member.filename))
            except ValueError as error:
                (upload.folder / name).unlink(missing_ok=True)
                upload.lose(shown, str(error))
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
                # RuntimeError: encrypted; NotImplementedError: a compression zipfile cannot read
                (upload.folder / name).unlink(missing_ok=True)
                upload.lose(shown, "could not be read")


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([value] if value else [])


def receive_upload(contents, filenames, root: Path | None = None) -> Upload:
    """Decode the files of one dcc.Upload event (data URLs and names) into a fresh folder under the root.

    Returns the Upload: the names kept (safe_name of each, .csv/.parquet, a .zip unpacked) and the
    files skipped with the reason. Nothing is written outside the new folder.
    """
    root = root or upload_root()
    token = secrets.token_hex(16)
    folder = root / token
    folder.mkdir(mode=0o700)
    upload = Upload(token, folder, [], [], name=upload_name(filenames), label=folder_label(filenames))
    room = limits.room_left(root)
    filenames = _as_list(filenames)
    for index, content in enumerate(_as_list(contents)):
        sent = filenames[index] if index < len(filenames) else None
        shown = str(sent) if sent is not None else f"file {index + 1}"
        name = safe_name(sent)
        if name is None:
            upload.skipped.append((shown, "file name not usable"))
            continue
        lower = name.lower()
        if not lower.endswith(DATA_EXTENSIONS + (".zip",)):
            upload.skipped.append((shown, "not a .csv, .parquet or .zip file"))
            continue
        try:
            data = _decode(content)
        except (ValueError, binascii.Error, AttributeError):  # AttributeError: not text (a forged request)
            upload.lose(shown, "could not be decoded")
            continue
        refusal = limits.size_refusal(len(data), room, zipped=lower.endswith(".zip"))
        if refusal:
            upload.lose(shown, refusal)
            continue
        room -= len(data)
        if lower.endswith(".zip"):
            _unzip(data, name, upload)
        else:
            _store(folder, name, [data], upload, shown, sent_name(shown))
    if upload.sent:  # hidden: discovery reads no dot file, and safe_name never makes one
        (folder / NAMES_FILE).write_text(json.dumps(upload.sent), encoding="utf-8")
    return upload


def names_of(folder: Path) -> dict[str, str]:
    """The saved name -> name as sent of an upload folder's files (NAMES_FILE; {} without one)."""
    try:
        names = json.loads((folder / NAMES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


# --- validate and import ----------------------------------------------------------------------------


def _without_folder(problems: list[Problem], folder: Path) -> list[Problem]:
    """The problems with the upload's folder taken out of their reasons and files, so a file is named
    as it was sent: the folder is a random one on the server, nothing the person uploading can use or
    should see. A problem of the whole folder ("no influencers file") names "the upload"."""
    inside = str(folder) + os.sep

    def shown(text: str) -> str:
        return text.replace(inside, "").replace(str(folder), "the upload")

    return [
        dataclasses.replace(problem, file=shown(problem.file), reason=shown(problem.reason))
        if str(folder) in problem.reason or str(folder) in problem.file
        else problem
        for problem in problems
    ]


def _failure_without_folder(failure: ImportFailed, folder: Path) -> ImportFailed:
    return ImportFailed(
        _without_folder(failure.errors, folder),
        _without_folder(failure.warnings, folder),
        failure.total,
        store_orders=failure.store_orders,  # the mapping beside the errors (tester h4 F20)
    )


def validate_upload(
    folder: Path, append_to: Path | None = None, label: str = UPLOAD_LABEL
) -> tuple[ImportReport | None, ImportFailed | None]:
    """(ImportReport, None) when the folder would import (or, with `append_to`, append to that
    warehouse), else (None, ImportFailed). Writes nothing. No problem's reason names the folder;
    files are named as the user sent them (names_of), and an append's rows by `label` as its
    import will (Upload.label, import_upload's folder_label)."""
    sent = names_of(folder)
    try:
        report = (
            validate_append(folder, append_to, file_names=sent, folder_label=label)
            if append_to
            else validate_dataset(folder)
        )
    except ImportFailed as failure:
        failure = _failure_without_folder(failure, folder)
        return None, ImportFailed(
            problems_named(failure.errors, sent),
            problems_named(failure.warnings, sent),
            failure.total,
            store_orders=failure.store_orders,  # the mapping beside the errors (tester h4 F20)
        )
    report.warnings = _without_folder(report.warnings, folder)
    return shown_names(report, sent), None


def accept_upload(
    contents, filenames, previous_token=None, append_to: Path | None = None
) -> tuple[Upload, ImportReport | None, ImportFailed | None]:
    """Receive one upload event and validate it (as an append to `append_to` when given):
    (upload, report, failure).

    Old uploads are cleaned up and the previous upload of the page (`previous_token`) is removed
    first. An upload that would not import is removed at once (report None), and so is one with a data
    file that could not be kept (upload.lost: importing the rest would lose its rows); one that would keeps
    its folder for `import_upload`. Raises upload_limits.UploadFolderUnsafe when the upload folder
    is not private, UploadCheckFailed (the upload deleted) when the check itself failed.
    """
    root = upload_root()
    cleanup_uploads(root)
    discard(previous_token, root)
    upload = receive_upload(contents, filenames, root)
    importable = upload.saved and not upload.lost
    try:
        report, failure = (
            validate_upload(upload.folder, append_to, dataset_name(upload.label)) if importable else (None, None)
        )
    except Exception as error:
        shutil.rmtree(upload.folder, ignore_errors=True)
        raise UploadCheckFailed(upload.token) from error
    if report is None:
        shutil.rmtree(upload.folder, ignore_errors=True)
    return upload, report, failure


def import_upload(
    token, db_path: Path, name: str | None, append: bool = False, label: str | None = None
) -> ImportReport:
    """Import the upload a token names into the warehouse at db_path (atomic swap), or append it to
    the data set there, then delete it. `name` None keeps the current name (append); `label`: what
    its folder is called (Upload.label, from the page's store: made one printable line; default UPLOAD_LABEL).

    Raises UploadGone (no such upload), UploadBusy (another request is importing it), or what
    import_dataset raises (ImportFailed: nothing was imported; no reason names the folder). The folder
    is deleted either way.
    """
    folder = upload_dir(token)
    if folder is None:
        raise UploadGone(token)
    claimed = folder.with_name(folder.name + ".importing")
    try:
        folder.rename(claimed)
    except OSError:
        raise UploadBusy(token) from None
    sent = names_of(claimed)
    try:
        report = import_dataset(
            claimed,
            db_path,
            name=name,
            append=append,
            file_names=sent,
            folder_label=dataset_name(label) if label else UPLOAD_LABEL,
        )
    except ImportFailed as failure:
        failure = _failure_without_folder(failure, claimed)
        raise ImportFailed(
            problems_named(failure.errors, sent),
            problems_named(failure.warnings, sent),
            failure.total,
            store_orders=failure.store_orders,  # the mapping beside the errors (tester h4 F20)
        ) from None
    else:
        report.warnings = _without_folder(report.warnings, claimed)
        return report
    finally:
        shutil.rmtree(claimed, ignore_errors=True)
