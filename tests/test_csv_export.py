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
    assert cell(True) == "Yes" and cell(False) == "No"  # as the grid's hkYesNo
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
    assert cell(-2.0e-16) == "-0.0000000000000002"  # a real tiny value is kept, as a plain decimal
    assert cell(2960740.67) == "2960740.67"


def test_headers_name_units_and_percents_are_percents():
    """Tester t1 (s19): /campaigns' CSV mixed a percent (Budget used 141.705…), a fraction (Revenue
    share 0.3318…) and a ratio (Pacing 1.72…) under bare headers, and a creator's Δ ROAS read
    -2.07833739263e-16 (the same ROAS in both periods). Values are t1's rows."""
    from components.tables import metric_col

    keys = ["budget_used_pct", "revenue_share", "pacing_index", "elapsed_pct", "revenue_change", "roas_change"]
    keys += ["roi_pct", "efficiency_score", "orders", "new_customers", "spend"]
    row = {
        "budget_used_pct": 141.705402019,
        "revenue_share": 0.331844682192,
        "pacing_index": 1.72482057949,
        "elapsed_pct": 100,
        "revenue_change": -0.11029338334,
        "roas_change": -2.07833739263e-16,
        "roi_pct": 1654.38733853,
        "efficiency_score": 96.92,
        "orders": 3663,
        "new_customers": 736.2,
        "spend": -0.001,
    }
    header, values = parse(grid_csv([row], [metric_col(k) for k in keys]))
    assert header == [
        "Budget used (%)",
        "Revenue share (%)",
        "Pacing (×)",
        "Time elapsed (%)",
        "Δ Revenue (%)",
        "Δ ROAS (%)",
        "ROI (%)",
        "Efficiency (0–100)",
        "Orders",
        "New customers",
        "Spend (₹)",
    ]
    # full precision (METRICS.md) to 10 decimals, fractions ×100; float noise (the Δ ROAS) is 0
    assert values == ["141.705402019", "33.1844682192", "1.7248205795", "100", "-11.029338334", "0"] + [
        "1654.38733853",
        "96.92",
        "3663",
        "736.2",
        "0",
    ]


def test_texts_read_as_the_grid_shows_them():
    from components.ranking_grid import RANKING_COLUMNS

    rows = [
        {"name": "=HYPERLINK(1)", "verdict": "too early", "poor_performer": True},
        {"name": "Asha", "verdict": "renew", "poor_performer": False},
    ]
    shown = ("name", "verdict", "poor_performer")
    state = [{"colId": c["field"], "hide": c["field"] not in shown} for c in RANKING_COLUMNS]
    state.sort(key=lambda s: s["colId"] not in shown)
    assert parse(grid_csv(rows, RANKING_COLUMNS, state)) == [
        ["Influencer", "Verdict", "Poor"],
        ["'=HYPERLINK(1)", "too early to judge", "Yes"],
        ["Asha", "renew", "No"],
    ]


def test_numbers_are_plain_decimals_never_e_notation():
    """Tester (s19): the payouts CSV wrote a Difference % of 4.70049e-05 (repr); METRICS.md: "plain
    numbers". The shortest decimal, without an exponent, to 12 significant digits."""
    assert cell(4.70049e-05) == "0.0000470049"
    assert cell(-1.5e-07) == "-0.00000015"
    assert cell(1.23456789012345e-05) == "0.0000123456789012"  # 12 significant digits
    assert cell(2.5e15) == "2500000000000000"
    assert cell(1e21) == "1000000000000000000000"
    assert cell(-0.0) == "0"


def test_payouts_csv_difference_pct_is_a_plain_percent_under_one_unit():
    """Tester (s19): "Difference % (%)" doubled the unit and a tiny difference read 4.70049e-05. Paid
    ₹1,00,000.047005 against terms of ₹1,00,000: (0.047005 ÷ 1,00,000) × 100 = 0.000047005 %."""
    from components.tables import metric_col

    paid, terms = 100000.047005, 100000.0
    row = {"difference": paid - terms, "difference_pct": (paid - terms) / terms * 100, "planned_change_pct": -12.5}
    header, values = parse(grid_csv([row], [metric_col(k) for k in row]))
    assert header == ["Difference (₹)", "Difference (%)", "Change (%)"]
    assert values == ["0.05", "0.000047005", "-12.5"]


def test_why_texts_carry_no_word_joiner():
    """The ranking's "Why" shows a negative amount with a word joiner after the minus (fmt.NEGATIVE,
    so a line never breaks after it); the CSV carries plain text: "-₹4.10 L"."""
    from components.ranking_grid import RANKING_COLUMNS
    from metrics import DEFAULT_SETTINGS
    from metrics.planning.verdicts import verdict_of

    creator = {"posts": 5, "spend": 300000, "revenue": 900000, "roas": 3.0}
    creator |= {"incremental_revenue_low": -410000, "incremental_revenue_high": 200000}
    verdict, why = verdict_of(creator, DEFAULT_SETTINGS, measured=True)
    assert verdict == "review" and "\u2060" in why  # as the grid shows it
    shown = ("name", "verdict_reason")
    state = [{"colId": c["field"], "hide": c["field"] not in shown} for c in RANKING_COLUMNS]
    state.sort(key=lambda s: s["colId"] not in shown)
    text = grid_csv([{"name": "Asha", "verdict_reason": why}], RANKING_COLUMNS, state)
    assert "\u2060" not in text
    # the lakh's no-break space stays: a space, which a spreadsheet shows as one
    assert parse(text)[1] == ["Asha", "lift -₹4.10\xa0L to ₹2.00\xa0L: not distinguishable from baseline"]
