"""Where the warehouse lives and how readers open it.

Readers open the file read-only. An import never writes the live file: it builds a new one
beside it and renames it into place, so a reader holds either the old data set or the new one.
Each thread keeps one read-only connection and reopens it when the file has been replaced.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "warehouse.duckdb"


def default_db_path() -> Path:
    return Path(os.environ.get("HKDASH_DB") or DEFAULT_DB)


def quiet(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """No progress bars on the terminal from long statements (imports, benchmarks)."""
    connection.execute("SET enable_progress_bar = false")
    return connection


class WarehouseMissing(RuntimeError):
    """No data set has been imported into this warehouse yet."""


class Warehouse:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"Warehouse({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    def _file_identity(self) -> tuple[int, int]:
        stat = self.path.stat()
        return stat.st_ino, stat.st_mtime_ns

    def connection(self) -> duckdb.DuckDBPyConnection:
        if not self.exists():
            raise WarehouseMissing(f"no warehouse at {self.path}: import a data set first (hkdash import DIR)")
        identity = self._file_identity()
        cached = getattr(self._local, "cached", None)
        if cached is not None and cached[0] == identity:
            return cached[1]
        if cached is not None:
            cached[1].close()
        connection = quiet(duckdb.connect(str(self.path), read_only=True))
        self._local.cached = (identity, connection)
        return connection

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        return self.connection().execute(sql, params or []).df()

    def scalar(self, sql: str, params: list | tuple | None = None):
        row = self.connection().execute(sql, params or []).fetchone()
        return row[0] if row else None

    def has_data(self) -> bool:
        if not self.exists():
            return False
        try:
            return bool(self.scalar("SELECT count(*) FROM influencers") or self.scalar("SELECT count(*) FROM facts"))
        except duckdb.Error:
            return False
