"""components.csv_export: exactly the shown rows/columns, full precision, no formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from components.csv_export import cell, columns_shown, grid_csv, neutralise, table_csv

DEFS = [
    {"field": "name", "headerName": "Influencer"},
    {"field": "revenue", "headerName": "Revenue"},
    {"field": "roas", "headerName": "ROAS"},
    {"field": "secret", "headerName": "Hidden", "hide": True},
]


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil")'])
def test_formula_like_text_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert cell(text) == "'" + text


def test_other_values_are_kept():
    assert neutralise("Asha Rao") == "Asha Rao"
    assert cell(None) == ""
    assert cell(float("nan")) == ""
    assert cell(float("inf")) == ""
    assert cell(-5.5) == "-5.5"  # numbers are numbers, not text: not prefixed
    assert cell(178798153.3) == "178798153.3"
    assert cell(0.1 + 0.2) == "0.3"  # 12 significant digits: no binary noise
    assert cell(7.0) == "7"
    assert cell(True) == "yes"
    assert cell("<script>alert(1)</script>") == "<script>alert(1)</script>"


def test_columns_follow_the_grid_state():
    assert columns_shown(DEFS) == [("name", "Influencer"), ("revenue", "Revenue"), ("roas", "ROAS")]
    state = [
        {"colId": "roas", "hide": False},
        {"colId": "name", "hide": False},
        {"colId": "revenue", "hide": True},
        {"colId": "secret", "hide": True},
    ]
    assert columns_shown(DEFS, state) == [("roas", "ROAS"), ("name", "Influencer")]


def test_table_csv_writes_rows_in_order_with_header():
    rows = [
        {"name": "=evil()", "revenue": 1234.5, "roas": None, "secret": "x"},
        {"name": 'Asha, "A" Rao', "revenue": 10, "roas": 2.5},
    ]
    text = grid_csv(rows, DEFS)
    assert parse(text) == [
        ["Influencer", "Revenue", "ROAS"],
        ["'=evil()", "1234.5", ""],
        ['Asha, "A" Rao', "10", "2.5"],
    ]
    assert "secret" not in text and "x\r\n" not in text


def test_empty_table_has_only_the_header():
    assert parse(table_csv([], [("a", "A")])) == [["A"]]


def test_numbers_carry_no_binary_noise():
    from components.csv_export import cell

    assert cell(8.799999999999999) == "8.8"
    assert cell(49.99999999999993) == "50"
    assert cell(0.0005811627906976744) == "0.000581162790698"
    assert cell(-2.0e-16) == "-2e-16"  # a real tiny value is kept, only the representation is bounded
    assert cell(2960740.67) == "2960740.67"
