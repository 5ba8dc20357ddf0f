"""The PDF's tables read a column of counts in one format, as the grids do (docs/metrics.md
"Display"): tester t2 (s18) saw "59.86 L … 35,472 (Doctor)" in one followers column."""

from __future__ import annotations

from metrics.format import NBSP
from reports.build import _column, _table


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
