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


def imported_sample(root: Path, **options) -> Warehouse:
    """The sample data set (warehouse.sample.generate_sample with `options`) written to root/src and
    imported into root/wh.duckdb."""
    from warehouse.sample import generate_sample

    generate_sample(root / "src", **options)
    import_dataset(root / "src", root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


@pytest.fixture(scope="session")
def measured_sample_wh(tmp_path_factory) -> Warehouse:
    """The 20,000-order sample (seed 5) with measured lift, made once for the modules that only read it."""
    return imported_sample(tmp_path_factory.mktemp("measured-sample"), orders=20_000, seed=5)
