"""Limits on what an upload may cost the server, and the privacy of the folder uploads land in.

Four limits, each enforced on the server (the browser's own max_size is a courtesy):

- per request: `HKDASH_MAX_REQUEST_MB` (auth.web: refused from the Content-Length with 413
  before the body is read; waitress refuses it while buffering too);
- per file: `HKDASH_MAX_FILE_MB` (default 100) of decoded bytes for a .csv/.parquet, and for
  each member of a .zip;
- per zip: `HKDASH_MAX_UNZIPPED_MB` (default 2048), what all members of one .zip may expand to;
- in total: `HKDASH_MAX_UPLOADS_MB` (default 4096), the bytes all upload folders may hold at
  once; a new upload beyond it is refused until older ones are imported or expire.

Kept apart from the upload callbacks so that the rules move with upload handling.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MB = 1024 * 1024


class UploadFolderUnsafe(RuntimeError):
    """The upload folder is not private to this server's user; the message says what to fix."""


def _mb_setting(name: str, default_mb: float) -> int:
    return int(float(os.environ.get(name, default_mb)) * MB)


def max_file_bytes() -> int:
    """Bytes one uploaded file (or .zip member) may decode to (HKDASH_MAX_FILE_MB, default 100)."""
    return _mb_setting("HKDASH_MAX_FILE_MB", 100)


def max_unzipped_bytes() -> int:
    """Bytes one .zip may expand to (HKDASH_MAX_UNZIPPED_MB, default 2048)."""
    return _mb_setting("HKDASH_MAX_UNZIPPED_MB", 2048)


def max_total_bytes() -> int:
    """Bytes all upload folders may hold together (HKDASH_MAX_UPLOADS_MB, default 4096)."""
    return _mb_setting("HKDASH_MAX_UPLOADS_MB", 4096)


def folder_bytes(root: Path) -> int:
    """Bytes of every file under `root` (files removed meanwhile by another worker count as 0)."""
    total = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except FileNotFoundError:
                pass
    return total


def room_left(root: Path) -> int:
    """Bytes a new upload may still take before the total limit."""
    return max(0, max_total_bytes() - folder_bytes(root))


def size_refusal(size: int, room: int, zipped: bool = False) -> str | None:
    """Why a decoded upload of `size` bytes is refused (None when it is not): larger than one file may
    be (a .zip is bounded by what it expands to instead), or than the room left in the upload folder."""
    if not zipped and size > max_file_bytes():
        return f"larger than {max_file_bytes() // MB} MB (import larger files with `hkdash import DIR`)"
    if size > room:
        return "the server's upload space is full: import or wait for earlier uploads to expire"
    return None


def private_folder(path: Path) -> Path:
    """Create `path` with mode 0700, or check that an existing one is safe: a real folder (not a
    link), owned by this process's user, writable by nobody else. Raises UploadFolderUnsafe."""
    try:
        path.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise UploadFolderUnsafe("the upload folder is not a folder (a link or a file): set HKDASH_UPLOAD_DIR")
    if info.st_uid != os.getuid():
        raise UploadFolderUnsafe(
            "the upload folder belongs to another user: set HKDASH_UPLOAD_DIR to a folder of this server's user"
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UploadFolderUnsafe("the upload folder is writable by other users: chmod 700 it, or set HKDASH_UPLOAD_DIR")
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)  # readable by others: tighten it (our own folder)
    return path
