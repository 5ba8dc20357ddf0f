"""Data layer: the DuckDB warehouse file, the importer and the sample generator."""

from warehouse.db import Warehouse, default_db_path
from warehouse.errors import ImportFailed, Problem
from warehouse.importer import ImportReport, import_dataset, validate_dataset

__all__ = [
    "Warehouse",
    "default_db_path",
    "ImportFailed",
    "Problem",
    "ImportReport",
    "import_dataset",
    "validate_dataset",
]
