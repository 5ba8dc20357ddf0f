"""Store exports with values DuckDB reads as numbers but no sale has: `nan`, `inf`, negative
quantities (tester h4, session 12: F21 null revenue, F22 a crash). Each is refused naming file, row,
column and value, and validation never raises anything but ImportFailed."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from warehouse import ImportFailed, validate_dataset

STORE = Path(__file__).resolve().parent / "fixtures" / "store_shopify"


def with_cells(tmp_path: Path, *cells: tuple[int, str, str]) -> Path:
    """A copy of the fixture whose export has each (row_no, column, value): row_no is the file's line."""
    folder = tmp_path / "data"
    shutil.copytree(STORE, folder)
    path = folder / "orders_export_1.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    for row_no, column, value in cells:
        rows[row_no - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        validate_dataset(folder)
    return [str(problem) for problem in failure.value.errors]


@pytest.mark.parametrize(
    ("row_no", "column", "value", "reason"),
    [
        (2, "Total", "nan", "not a finite number"),  # an order-level amount on the order's first row
        (2, "Total", "inf", "not a finite number"),
        (4, "Refunded Amount", "inf", "not a finite number"),  # would have refunded the whole order
        (2, "Shipping", "NaN", "not a finite number"),  # named itself, not the Total it is compared with
        (4, "Taxes", "-Infinity", "not a finite number"),
        (3, "Lineitem price", "nan", "not a finite number"),  # a later line item of #1001
        (3, "Lineitem quantity", "nan", "not a finite number"),
        (3, "Lineitem quantity", "-1", "quantity must be a whole number, 0 or more"),
        (3, "Lineitem price", "-inf", "not a finite number"),  # one error for the cell, not two
    ],
)
def test_a_value_no_sale_has_is_refused_naming_its_cell(tmp_path, row_no, column, value, reason):
    folder = with_cells(tmp_path, (row_no, column, value))
    assert errors_of(folder) == [f"orders_export_1.csv, row {row_no}, column {column}: {reason} (value '{value}')"]


def test_a_fractional_quantity_is_still_reported_with_the_orders_own_errors(tmp_path):
    # not a value that stops the grouping: the order-level checks still run and report too
    folder = with_cells(tmp_path, (3, "Lineitem quantity", "1.5"), (10, "Created at", ""))
    assert errors_of(folder) == [
        "orders_export_1.csv, row 3, column Lineitem quantity: quantity must be a whole number, 0 or more (value '1.5')",
        "orders_export_1.csv, row 10, column Created at: missing order date (read from the order's first row)",
    ]
