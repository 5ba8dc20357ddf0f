"""Shared fixtures: warehouses built by really importing fixture folders into DuckDB files."""
from __future__ import annotations

from pathlib import Path

import pytest

from warehouse import Warehouse, import_dataset

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
