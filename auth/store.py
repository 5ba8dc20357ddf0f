"""Users, failed logins and the audit log, in one SQLite file kept outside the warehouse.

The file is `HKDASH_AUTH_DB`, else `hkdash-auth.sqlite3` beside the warehouse file: an import
replaces the warehouse, never this file, and a restore of an older data set brings back no
old passwords. SQLite (not DuckDB) because several server processes write to it at once and
each write is one small row; every connection uses WAL mode and a busy timeout.

Passwords are hashed with Argon2id (`argon2-cffi`'s PasswordHasher, RFC 9106 parameters); the
clear text never reaches a log, an exception message or the file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from auth.roles import ROLES

HASHER = PasswordHasher()
# Hash compared when the user does not exist, so that "no such user" takes as long as "wrong password".
_DUMMY_HASH = HASHER.hash("not a password of anyone")
MIN_PASSWORD_CHARS = 10
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL,
                                  created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (at REAL NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL,
                                  action TEXT NOT NULL, detail TEXT NOT NULL, address TEXT NOT NULL);
"""


class UserError(ValueError):
    """A user name, role or password that cannot be accepted; the message says why (never the password)."""


@dataclasses.dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str = ""


def auth_db_path() -> Path:
    """HKDASH_AUTH_DB, else hkdash-auth.sqlite3 in the warehouse's folder."""
    from warehouse.db import default_db_path

    configured = os.environ.get("HKDASH_AUTH_DB")
    return Path(configured) if configured else default_db_path().parent / "hkdash-auth.sqlite3"


@contextlib.contextmanager
def connect(path: Path | None = None):
    """A short-lived connection (one per operation: nothing is shared between requests)."""
    path = Path(path) if path else auth_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        if fresh:
            os.chmod(path, 0o600)  # password hashes: readable by the server's user only
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
        yield connection
    finally:
        connection.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    """A user name: 1-64 characters of a-z 0-9 . _ - @ (lower case)."""
    name = (name or "").strip().lower()
    if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
        raise UserError("user names are 1-64 characters: letters, digits, '.', '_', '-', '@'")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (expected one of {', '.join(ROLES)})")
    return role


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"passwords need at least {MIN_PASSWORD_CHARS} characters")
    return password


def add_user(name: str, role: str, password: str, path: Path | None = None) -> User:
    """Create a user. Raises UserError for a bad name/role/password or an existing user."""
    name, role = check_name(name), check_role(role)
    digest = HASHER.hash(check_password(password))
    with connect(path) as db:
        try:
            db.execute("INSERT INTO users VALUES (?, ?, ?, ?)", (name, role, digest, _now()))
        except sqlite3.IntegrityError:
            raise UserError(f"user {name} already exists") from None
    return User(name, role)


def remove_user(name: str, path: Path | None = None) -> None:
    name = check_name(name)
    with connect(path) as db:
        if db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
            raise UserError(f"no user {name}")


def set_password(name: str, password: str, path: Path | None = None) -> None:
    name = check_name(name)
    digest = HASHER.hash(check_password(password))
    with connect(path) as db:
        if db.execute("UPDATE users SET hash = ? WHERE name = ?", (digest, name)).rowcount == 0:
            raise UserError(f"no user {name}")


def set_role(name: str, role: str, path: Path | None = None) -> None:
    name, role = check_name(name), check_role(role)
    with connect(path) as db:
        if db.execute("UPDATE users SET role = ? WHERE name = ?", (role, name)).rowcount == 0:
            raise UserError(f"no user {name}")


def list_users(path: Path | None = None) -> list[User]:
    with connect(path) as db:
        return [User(*row) for row in db.execute("SELECT name, role, created_at FROM users ORDER BY name")]


def get_user(name: str, path: Path | None = None) -> User | None:
    try:
        name = check_name(name)
    except UserError:
        return None
    with connect(path) as db:
        row = db.execute("SELECT name, role, created_at FROM users WHERE name = ?", (name,)).fetchone()
    return User(*row) if row else None


def verify(name: str, password: str, path: Path | None = None) -> User | None:
    """The user when `password` is theirs, else None (same work whether or not the user exists).

    A hash made with older Argon2 parameters is replaced by a fresh one on success.
    """
    try:
        name = check_name(name)
    except UserError:
        name = ""
    with connect(path) as db:
        row = db.execute("SELECT name, role, created_at, hash FROM users WHERE name = ?", (name,)).fetchone()
        try:
            HASHER.verify(row[3] if row else _DUMMY_HASH, password or "")
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if HASHER.check_needs_rehash(row[3]):
            db.execute("UPDATE users SET hash = ? WHERE name = ?", (HASHER.hash(password), row[0]))
    return User(row[0], row[1], row[2])


# --- login rate limiting ------------------------------------------------------------------------

FAILURE_WINDOW_S = 15 * 60
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20


def record_failure(name: str, address: str, now: float, path: Path | None = None) -> None:
    with connect(path) as db:
        db.execute("DELETE FROM login_failures WHERE at < ?", (now - FAILURE_WINDOW_S,))
        db.execute("INSERT INTO login_failures VALUES (?, ?, ?)", (now, (name or "")[:64].lower(), address))


def locked_out(name: str, address: str, now: float, path: Path | None = None) -> bool:
    """True when the name has MAX_FAILURES_PER_NAME failed logins, or the address
    MAX_FAILURES_PER_ADDRESS, within the last FAILURE_WINDOW_S seconds."""
    since = now - FAILURE_WINDOW_S
    with connect(path) as db:
        by_name, by_address = db.execute(
            "SELECT count(*) FILTER (WHERE name = ?), count(*) FILTER (WHERE address = ?) "
            "FROM login_failures WHERE at >= ?",
            ((name or "")[:64].lower(), address, since),
        ).fetchone()
    return by_name >= MAX_FAILURES_PER_NAME or by_address >= MAX_FAILURES_PER_ADDRESS


def clear_failures(name: str, path: Path | None = None) -> None:
    with connect(path) as db:
        db.execute("DELETE FROM login_failures WHERE name = ?", ((name or "")[:64].lower(),))


# --- audit log ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    at: str  # ISO 8601 UTC
    user: str
    action: str  # login, login_failed, logout, import, append, restore, user_add, ...
    detail: str
    address: str  # the client's address, or "cli"


def audit(action: str, detail: str, user: str, address: str, path: Path | None = None) -> None:
    with connect(path) as db:
        db.execute(
            "INSERT INTO audit (at, user, action, detail, address) VALUES (?, ?, ?, ?, ?)",
            (_now(), user[:64], action, detail[:500], address[:64]),
        )


def audit_entries(limit: int = 200, path: Path | None = None) -> list[AuditEntry]:
    """The newest `limit` entries, newest first."""
    with connect(path) as db:
        rows = db.execute(
            "SELECT at, user, action, detail, address FROM audit ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
    return [AuditEntry(*row) for row in rows]
