"""The PDF's tables read a column of counts in one format, as the grids do (docs/metrics.md
"Display"): tester t2 (s18) saw "59.86 L … 35,472 (Doctor)" in one followers column."""

from __future__ import annotations

from metrics import catalogue
from metrics import format as fmt
from metrics.format import NBSP, NEGATIVE
from reports.build import _column, _table
from reports.plan_section import _cells


def test_a_followers_column_reads_in_its_largest_values_unit():
    rows = [
        {"category": "Fitness", "followers": 5_986_000, "influencers": 12},
        {"category": "Doctor", "followers": 35_472, "influencers": 3},
        {"category": "Unknown", "followers": 0, "influencers": 1},
    ]
    table = _table("Categories", [_column("category"), _column("followers"), _column("influencers")], rows)
    assert table["rows"] == [
        ["Fitness", f"59.86{NBSP}L", "12"],
        ["Doctor", f"0.35{NBSP}L", "3"],  # 35,472 is 0.35 L beside 59.86 L, not "35,472"
        ["Unknown", "0", "1"],  # 0 reads 0, not "0.00 L"
    ]


def test_an_estimated_count_gives_its_column_two_decimals():
    rows = [{"platform": "Instagram", "orders": 2544.7}, {"platform": "YouTube", "orders": 2727.16}]
    rows.append({"platform": "X", "orders": 3000})
    table = _table("Platforms", [_column("platform"), _column("orders")], rows)
    assert [r[1] for r in table["rows"]] == ["2,544.70", "2,727.16", "3,000.00"]


def test_a_column_with_its_own_formatter_keeps_it_and_an_empty_table_has_no_rows():
    rows = [{"name": "A", "followers": 5_986_000}, {"name": "B", "followers": 35_472}]
    own = _table("T", [_column("name"), ("followers", "Followers", lambda v: f"{v} people")], rows)
    assert [r[1] for r in own["rows"]] == ["5986000 people", "35472 people"]
    assert _table("T", [_column("name"), _column("followers")], [])["rows"] == []


def test_a_money_column_reads_in_one_unit_none_below_one():
    """One unit per money column: "₹24,120" beside "₹48.01 L" was two. The unit is the largest no
    non-zero amount falls below (as a money axis's), so none reads as a fraction ("₹0.24 L")."""
    rows = [{"name": n, "revenue": v} for n, v in zip("ABCDE", [4_801_000, 24_120, 350, -123_456, None], strict=True)]
    table = _table("T", [_column("name"), _column("revenue")], rows)
    # ₹350 is below a lakh: the column in full rupees, as the grids show money
    assert [r[1] for r in table["rows"]] == ["₹48,01,000", "₹24,120", "₹350", f"{NEGATIVE}₹1,23,456", "—"]
    lakh = _table("T", [_column("revenue")], [{"revenue": v} for v in (123_456_789, 150_000, 0, -4_000_000)])
    # least non-zero ₹1,50,000 = 1.50 L; 12,34,56,789 / 1,00,000 = 1,234.57 L; a zero reads ₹0
    assert [r[0] for r in lakh["rows"]] == [f"₹1,234.57{NBSP}L", f"₹1.50{NBSP}L", "₹0", f"{NEGATIVE}₹40.00{NBSP}L"]
    crore = _table("T", [_column("revenue")], [{"revenue": v} for v in (123_456_789, 40_000_000)])
    assert [r[0] for r in crore["rows"]] == [f"₹12.35{NBSP}Cr", f"₹4.00{NBSP}Cr"]


def test_short_rupees_of_the_lift_tables_read_in_one_unit():
    """The lift and organic tables format with fmt.inr_compact (whole rupees below a lakh): their
    columns read in one unit too (the sample's lift table: Low "₹56,107" beside "₹7.42 L")."""
    table = _table("T", [("low", "Low", fmt.inr_compact)], [{"low": v} for v in (742_000, 56_107, -1_25_000)])
    assert [r[0] for r in table["rows"]] == ["₹7,42,000", "₹56,107", f"{NEGATIVE}₹1,25,000"]
    table = _table("T", [("low", "Low", fmt.inr_compact)], [{"low": v} for v in (742_000, 1_01_000)])
    assert [r[0] for r in table["rows"]] == [f"₹7.42{NBSP}L", f"₹1.01{NBSP}L"]


def test_a_money_column_in_full_keeps_the_figures_paise():
    """A figure shown with paise (CPE ₹719.56) keeps them in a column in full; in lakh, two decimals."""
    assert catalogue.get("cpe").column([719.555, 1_20_000]) == ["₹719.56", "₹1,20,000.00"]
    assert catalogue.get("cpe").column([2_19_555, 1_20_000]) == [f"₹2.20{NBSP}L", f"₹1.20{NBSP}L"]


def test_the_plans_allocation_columns_read_in_one_unit():
    """reports.plan_section's table (its own cells): ₹2,40,000 beside ₹10,000 read in full, as both do."""
    assert _cells("current_spend", [240_000, 10_000, None]) == ["₹2,40,000", "₹10,000", "—"]
    assert _cells("current_spend", [240_000, 1_10_000]) == [f"₹2.40{NBSP}L", f"₹1.10{NBSP}L"]
    assert _cells("name", ["Asha", None]) == ["Asha", ""]
