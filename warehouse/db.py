"""Where the warehouse lives and how readers open it.

Readers open the file read-only. An import never writes the live file: it builds a new one
beside it and renames it into place, so a reader holds either the old data set or the new one.
Each thread keeps one read-only connection and reopens it when the file has been replaced.
"""

from __future__ import annotations

import atexit
import os
import tempfile
import threading
from pathlib import Path

import duckdb
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "warehouse.duckdb"


def default_db_path() -> Path:
    """The warehouse file: HKDASH_DB, else data/warehouse.duckdb in the project."""
    return Path(os.environ.get("HKDASH_DB") or DEFAULT_DB)


READER_MEMORY_LIMIT = os.environ.get("HKDASH_READER_MEMORY", "256MB")

# Bumped whenever the tables an import builds change; older files must be imported again.
SCHEMA_VERSION = 17  # 12: lift_info.daily_factor; 13: audience_demographics, audience_geography;
# 14: sales_regions, audience_geography.state; 15: lift_intervals; 16: lift_draws.noise;
# 17: spend_rates.first_date, last_date (cost covering the sales before an append)


def quiet(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No progress bars on the terminal from long statements (imports, benchmarks)."""
    connection.execute("SET enable_progress_bar = false")
    return connection


class WarehouseMissing(RuntimeError):
    """No data set has been imported into this warehouse yet."""


class WarehouseOutdated(WarehouseMissing):
    """The file was built by an older version of hkdash: its data set must be imported again."""


# One DuckDB instance per version of a warehouse file in this process, shared by its threads
# (each thread has its own cursor on it). duckdb.connect(path) would hand back a process-wide
# cached instance of whatever file was at that path when first opened, so an import's rename would
# stay invisible; a private in-memory instance that ATTACHes the file sees the file as it is now.
# These hold open files, never anything about a user or a request.
_instances: dict[tuple, duckdb.DuckDBPyConnection] = {}
_open_cursors: list[duckdb.DuckDBPyConnection] = []
_instances_lock = threading.Lock()
_thread_cursors = threading.local()


@atexit.register
def _close_all():
    """Close every cursor, then every instance, before the interpreter tears down: left to
    destructors in arbitrary order (cursors of server threads outliving their instance), DuckDB
    crashes the exiting process."""
    with _instances_lock:
        for cursor in _open_cursors:
            cursor.close()
        _open_cursors.clear()
        for instance in _instances.values():
            instance.close()
        _instances.clear()


_inherited: list = []


def _forget_inherited():
    """In a forked child, the parent's DuckDB instances are unusable (their threads did not come
    along) and even destroying them crashes: set them aside untouched, so the child opens its own.
    (The server's master opens none before it forks; this guards any other forking caller.)"""
    global _instances_lock, _thread_cursors
    _inherited.extend([*_instances.values(), *_open_cursors])
    _instances.clear()
    _open_cursors.clear()
    _instances_lock = threading.Lock()
    _thread_cursors = threading.local()


os.register_at_fork(after_in_child=_forget_inherited)


def _new_cursor(path: Path, identity: tuple) -> duckdb.DuckDBPyConnection:
    cursor = _instance(path, identity).cursor()
    cursor.execute("USE warehouse")
    with _instances_lock:
        _open_cursors.append(cursor)
    return cursor


def _close_cursor(cursor: duckdb.DuckDBPyConnection):
    with _instances_lock:
        if cursor in _open_cursors:
            _open_cursors.remove(cursor)
    cursor.close()


def _instance(path: Path, identity: tuple) -> duckdb.DuckDBPyConnection:
    key = (str(path), identity)
    with _instances_lock:
        instance = _instances.get(key)
        if instance is None:
            for stale in [k for k in _instances if k[0] == str(path)]:
                del _instances[stale]  # threads still using it keep it alive until they move on
            instance = quiet(duckdb.connect())
            # Readers only scan and aggregate: a bounded cache keeps each server process small
            # (pages past the limit are re-read from the file, which the OS caches anyway).
            instance.execute(f"SET memory_limit = '{READER_MEMORY_LIMIT}'")
            # Spills, if any, go to the system's temporary folder, not to the working directory.
            spill = Path(tempfile.gettempdir(), "hkdash-duckdb").as_posix().replace("'", "''")
            instance.execute(f"SET temp_directory = '{spill}'")
            escaped = str(path).replace("'", "''")
            instance.execute(f"ATTACH '{escaped}' AS warehouse (READ_ONLY)")
            instance.execute("USE warehouse")
            _check_schema(instance, path)
            _instances[key] = instance
        return instance


def _holds_tables(instance: duckdb.DuckDBPyConnection) -> bool:
    """Whether the attached warehouse holds any table (a database file created empty holds none)."""
    row = instance.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'warehouse'").fetchone()
    return bool(row and row[0])


def _check_schema(instance: duckdb.DuckDBPyConnection, path: Path):
    if not _holds_tables(instance):
        raise WarehouseMissing(f"no data set in {path} yet: import one first (hkdash import DIR)")
    try:
        row = instance.execute("SELECT value FROM dataset_info WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        row = None
    version = int(row[0]) if row else None
    if version != SCHEMA_VERSION:
        raise WarehouseOutdated(
            f"{path} was built by another version of hkdash (schema {version}, this one reads "
            f"{SCHEMA_VERSION}): import the data set again (hkdash import DIR)"
        )


class Warehouse:
    """A DuckDB warehouse file, read-only (path: the argument, else HKDASH_DB, else the default).

    Queries raise WarehouseMissing when no file exists and WarehouseOutdated when another version
    of hkdash built it. Sharing one object between threads is safe (one cursor per thread).
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    def exists(self) -> bool:
        """True when the file exists (it may still hold no data set, or an outdated one)."""
        return self.path.is_file()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """This thread's read-only connection to the file as it is now (reopened after an import)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise WarehouseMissing(
                f"no warehouse at {self.path}: import a data set first (hkdash import DIR)"
            ) from None
        if stat.st_size == 0:  # not a database yet (DuckDB refuses to attach it): nothing imported
            raise WarehouseMissing(
                f"no data set in {self.path} yet (an empty file): import one first (hkdash import DIR)"
            )
        key = (str(self.path), (stat.st_ino, stat.st_mtime_ns))
        cursors = getattr(_thread_cursors, "by_file", None)
        if cursors is None:
            cursors = _thread_cursors.by_file = {}
        cursor = cursors.get(key)
        if cursor is None:
            for stale in [k for k in cursors if k[0] == key[0]]:
                _close_cursor(cursors.pop(stale))
            cursor = cursors[key] = _new_cursor(self.path, key[1])
        # an earlier caller on this thread may have stopped reading a result (fetchone), and DuckDB 2
        # refuses a relation's query (con.sql) on a cursor with an unfinished result
        cursor.abort()
        return cursor

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """The result as a DataFrame; ENUM columns (the fact tables' sale dimensions) come back as
        plain text, like every other text column."""
        frame = self.connection().execute(sql, params or []).df()
        for column, dtype in frame.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype("str")
        return frame

    def scalar(self, sql: str, params: list | tuple | None = None):
        """The first column of the first row of a query (None when there is no row)."""
        row = self.connection().execute(sql, params or []).fetchone()
        return row[0] if row else None

    def has_data(self) -> bool:
        """Whether a data set is loaded. Uses a connection of its own, closed at once, so that a
        process that forks afterwards (the server's master) holds no DuckDB instance."""
        if not self.exists():
            return False
        try:
            with self._attached() as connection:
                if not _holds_tables(connection):
                    return False
                _check_schema(connection, self.path)
                row = connection.execute("SELECT count(*) FROM influencers").fetchone()
                return bool(row and row[0])
        except duckdb.Error:
            return False

    def _attached(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory connection with the file attached read-only as `warehouse` (close it)."""
        connection = quiet(duckdb.connect())
        try:
            escaped = str(self.path).replace("'", "''")
            connection.execute(f"ATTACH '{escaped}' AS warehouse (READ_ONLY)")
            connection.execute("USE warehouse")
        except BaseException:
            connection.close()
            raise
        return connection
