"""Saved views: a name for a dashboard address (page, filters, grid state), shared by everyone on a server.

Kept in their own SQLite file, `HKDASH_VIEWS_DB`, else `hkdash-views.sqlite3` beside the warehouse
file: an import or a restore replaces the warehouse, never this file, so views survive them. SQLite
(not DuckDB) for the same reason as the user store (auth/store.py): several server processes write
small rows at once; every connection uses WAL mode and a busy timeout, and lives for one operation.

A view stores the address as the browser showed it (`/influencers?platform=Instagram&period=last-30`);
relative periods stay relative, so a view "last 30 days" reports the last 30 days of the data on the
day it is opened or scheduled. Only same-site paths are accepted (no scheme, host or `//`), so a
saved view can never send a colleague to another site.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

MAX_NAME_CHARS = 80
MAX_URL_CHARS = 2000
SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_views (name TEXT PRIMARY KEY COLLATE NOCASE, url TEXT NOT NULL,
                                        saved_by TEXT NOT NULL, saved_at TEXT NOT NULL);
"""


class ViewError(ValueError):
    """A view name or address that cannot be saved, or a view that does not exist; the message says why."""


@dataclasses.dataclass(frozen=True)
class SavedView:
    """One saved view: its name, the address it opens (path + query), who saved it and when (UTC, ISO 8601)."""

    name: str
    url: str
    saved_by: str
    saved_at: str

    @property
    def path(self) -> str:
        """The page's path (`/influencers`)."""
        return urlsplit(self.url).path

    @property
    def query(self) -> str:
        """The query string with its `?` (`?platform=Instagram`), or ""."""
        query = urlsplit(self.url).query
        return f"?{query}" if query else ""


def views_db_path() -> Path:
    """HKDASH_VIEWS_DB, else hkdash-views.sqlite3 in the warehouse's folder."""
    from warehouse.db import default_db_path

    configured = os.environ.get("HKDASH_VIEWS_DB")
    return Path(configured) if configured else default_db_path().parent / "hkdash-views.sqlite3"


@contextlib.contextmanager
def _connect(path: Path | None = None):
    path = Path(path) if path else views_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
        yield connection
    finally:
        connection.close()


def check_name(name: str) -> str:
    """The name trimmed, with inner runs of spaces as one. Raises ViewError when empty, too long or holding control characters."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ViewError("a view needs a name")
    if len(cleaned) > MAX_NAME_CHARS:
        raise ViewError(f"a view name has at most {MAX_NAME_CHARS} characters (this one has {len(cleaned)})")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned):
        raise ViewError("a view name cannot hold control characters")
    return cleaned


def check_url(url: str) -> str:
    """The address as a same-site path with its query (`/page?…`); the fragment is dropped.

    Raises ViewError for another site's address (a scheme, a host, `//…`, a backslash), a path that does
    not start with `/`, or an address longer than MAX_URL_CHARS."""
    url = (url or "").strip()
    if len(url) > MAX_URL_CHARS:
        raise ViewError(f"a view's address has at most {MAX_URL_CHARS} characters")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or url.startswith("//") or "\\" in url:
        raise ViewError(f"not an address of this dashboard: {url!r} (expected a path such as /influencers?…)")
    if any(ord(ch) < 32 for ch in url):
        raise ViewError("a view's address cannot hold control characters")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def save_view(name: str, url: str, saved_by: str, path: Path | None = None) -> SavedView:
    """Save (or replace: names are unique, case-insensitively) a view. Returns it; raises ViewError."""
    view = SavedView(check_name(name), check_url(url), saved_by, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    with _connect(path) as connection:
        connection.execute(
            "INSERT INTO saved_views VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET name = excluded.name, "
            "url = excluded.url, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
            dataclasses.astuple(view),
        )
    return view


def list_views(path: Path | None = None) -> list[SavedView]:
    """Every saved view, by name (case-insensitive)."""
    with _connect(path) as connection:
        rows = connection.execute("SELECT name, url, saved_by, saved_at FROM saved_views ORDER BY name").fetchall()
    return [SavedView(*row) for row in rows]


def get_view(name: str, path: Path | None = None) -> SavedView:
    """The view of that name (case-insensitive). Raises ViewError naming the saved views when there is none."""
    with _connect(path) as connection:
        row = connection.execute(
            "SELECT name, url, saved_by, saved_at FROM saved_views WHERE name = ?", [" ".join((name or "").split())]
        ).fetchone()
    if row is None:
        names = ", ".join(view.name for view in list_views(path)) or "none yet"
        raise ViewError(f"no saved view named {name!r} (saved views: {names})")
    return SavedView(*row)


def delete_view(name: str, path: Path | None = None) -> None:
    """Delete the view of that name. Raises ViewError when there is none."""
    view = get_view(name, path)
    with _connect(path) as connection:
        connection.execute("DELETE FROM saved_views WHERE name = ?", [view.name])
