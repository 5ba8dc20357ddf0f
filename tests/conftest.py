"""Shared fixtures: warehouses built by really importing fixture folders into DuckDB files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The app under test: no sign-in (as `hkdash serve` on 127.0.0.1), and its users, secret key and
# audit log in a folder of this session, never beside the repository's data/ warehouse.
# tests/test_auth.py switches sign-in on for its own requests.
_AUTH_HOME = Path(tempfile.mkdtemp(prefix="hkdash-test-auth-"))
os.environ.setdefault("HKDASH_AUTH", "off")
os.environ.setdefault("HKDASH_AUTH_DB", str(_AUTH_HOME / "auth.sqlite3"))
os.environ.setdefault("HKDASH_SECRET_FILE", str(_AUTH_HOME / "secret.key"))

from warehouse import Warehouse, import_dataset  # noqa: E402 - after the environment above

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
DATASETS = TESTS / "data" / "datasets"


@pytest.fixture(scope="session")
def traps_dir() -> Path:
    return FIXTURES / "traps"


@pytest.fixture(scope="session")
def traps_wh(tmp_path_factory, traps_dir) -> Warehouse:
    db = tmp_path_factory.mktemp("traps") / "warehouse.duckdb"
    import_dataset(traps_dir, db)
    return Warehouse(db)


@pytest.fixture(scope="session")
def seed1_wh(tmp_path_factory) -> Warehouse:
    db = tmp_path_factory.mktemp("seed1") / "warehouse.duckdb"
    import_dataset(DATASETS / "seed1", db)
    return Warehouse(db)
