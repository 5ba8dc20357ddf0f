"""Shares and averages of a total that refunds take to or below zero (tester h3 F16, F17).

Case 23 (tests/data/cases/23-refund-negative-rows): INF01 Asha Verma (Instagram, Fitness, NewYear)
sells 4,998 on 11 Jan and 2,499 on 20 Jan and refunds 2,499 on 25 Jan; INF02 Rohit Nair (YouTube,
Nutrition) sells 2,697 on 16 Jan (NewYear) and 899 on 2 Feb (Feb). From 21 Jan to 28 Feb the
selection holds the refund (−2,499, 0 orders) and the 899 sale (1 order): revenue −1,600.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import metrics
from components import figures
from metrics import Filters, catalogue
from metrics import format as fmt
from reports.build import build_context
from warehouse import Warehouse, import_dataset

CASE_23 = Path(__file__).resolve().parent / "data" / "cases" / "23-refund-negative-rows"
REFUND_WINDOW = Filters(start="2025-01-21", end="2025-02-28")


@pytest.fixture(scope="module")
def case_23(tmp_path_factory) -> Warehouse:
    report = import_dataset(CASE_23, tmp_path_factory.mktemp("case23") / "wh.duckdb")
    return Warehouse(report.db_path)


# --- the rules, by hand ------------------------------------------------------------------------


def test_shares_of_a_positive_total_keep_a_negative_part_signed():
    shares = catalogue.share_column(pd.Series([1000.0, -200.0, 0.0]))
    assert shares.tolist() == [1.25, -0.25, 0.0]  # of 800: they still add up to 100 %


@pytest.mark.parametrize("parts", [[899.0, -2499.0], [0.0, 0.0], [500.0, -500.0], [None, None]])
def test_shares_of_a_total_at_or_below_zero_are_undefined(parts):
    assert catalogue.share_column(pd.Series(parts, dtype=float)).tolist() == [None] * len(parts)


def test_a_single_share_follows_the_same_rule():
    assert catalogue.share(899, 1000) == pytest.approx(0.899)
    assert catalogue.share(-200, 800) == pytest.approx(-0.25)
    assert catalogue.share(899, -1600) is None
    assert catalogue.share(899, 0) is None
    assert catalogue.share(None, 10) is None


RUPEES = st.integers(min_value=-(10**11), max_value=10**11).map(lambda paise: paise / 100)


@given(st.lists(RUPEES, min_size=1, max_size=12))
def test_shares_add_up_to_one_or_are_all_undefined(parts):
    shares = catalogue.share_column(pd.Series(parts, dtype=float)).tolist()
    total = sum(parts)
    if total > 0:
        assert sum(shares) == pytest.approx(1.0, rel=1e-6, abs=1e-6 * max(map(abs, parts)) / total)
        assert all((s > 0) == (p > 0) for s, p in zip(shares, parts))
    else:
        assert shares == [None] * len(parts)


def test_a_donut_gap_names_the_parts_below_zero():
    assert catalogue.share_chart_gap(["YouTube", "Instagram"], [899.0, 2499.0], "revenue") is None
    assert catalogue.share_chart_gap(["YouTube", "Instagram"], [899.0, -2499.0], "revenue") == (
        f"No shares to draw: revenue is below zero for Instagram {fmt.inr(-2499)} (refunds exceed sales)."
    )
    # a positive whole with a part below it: still no slice can show that part
    assert f"below zero for B {fmt.inr(-200)}" in catalogue.share_chart_gap(["A", "B"], [1000.0, -200.0], "revenue")
    assert catalogue.share_chart_gap(["A"], [0.0], "revenue") == "No shares to draw: revenue in the selection is ₹0."


def test_aov_is_undefined_where_revenue_is_not_above_zero():
    frame = pd.DataFrame({"revenue": [-1600.0, 0.0, 899.0, 500.0], "orders": [1, 1, 1, 0]})
    assert catalogue.apply_ratios(frame, ("aov",))["aov"].tolist() == [None, None, 899.0, None]
    assert catalogue.get("aov").computed.column(frame).tolist() == [None, None, 899.0, None]
    assert catalogue.get("aov").computed.undefined_when == "revenue ≤ 0 or orders = 0"


# --- case 23 through metrics, the donut and the PDF's tables --------------------------------------


def test_case_23_whole_range_keeps_its_shares_and_aov(case_23):
    by_platform = metrics.breakdown(case_23, "platform").set_index("platform")
    assert by_platform.loc["Instagram", "revenue_share"] == pytest.approx((4998 + 2499 - 2499) / 8594)
    assert by_platform.loc["YouTube", "revenue_share"] == pytest.approx((2697 + 899) / 8594)
    assert metrics.kpis(case_23)["aov"] == pytest.approx(8594 / 7)


@pytest.mark.parametrize("by", ["platform", "category", "campaign"])
def test_case_23_refund_window_has_no_shares(case_23, by):
    frame = metrics.breakdown(case_23, by, REFUND_WINDOW)
    assert sorted(frame["revenue"]) == [-2499.0, 899.0]
    assert frame["revenue_share"].tolist() == [None, None]


def test_case_23_refund_window_has_no_aov(case_23):
    k = metrics.kpis(case_23, REFUND_WINDOW)
    assert (k["revenue"], k["orders"], k["aov"]) == (-1600.0, 1, None)
    by_platform = metrics.breakdown(case_23, "platform", REFUND_WINDOW).set_index("platform")
    assert by_platform.loc["YouTube", "aov"] == 899.0 and by_platform.loc["Instagram", "aov"] is None


def test_case_23_refund_window_donut_is_a_note(case_23):
    fig = figures.platform_share(metrics.breakdown(case_23, "platform", REFUND_WINDOW))
    assert fig["data"] == []
    (note,) = fig["layout"]["annotations"]
    assert (
        note["text"]
        == f"No shares to draw: revenue is below zero for<br>Instagram {fmt.inr(-2499)} (refunds exceed sales)."
    )


def test_case_23_refund_window_pdf_tables_print_no_share(case_23):
    tables = {t["title"]: t for t in build_context(case_23, REFUND_WINDOW, metrics.Settings())["tables"]}
    for title in ("Platforms", "Categories", "Campaigns"):
        share_at = tables[title]["columns"].index("Revenue share")
        assert [row[share_at] for row in tables[title]["rows"]] == ["—", "—"], title


def _component(node, component_id: str):
    """The Dash component of `component_id` in a tree of components (None when absent)."""
    if getattr(node, "id", None) == component_id:
        return node
    children = node if isinstance(node, list) else getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if not isinstance(child, str) and (found := _component(child, component_id)) is not None:
            return found
    return None


def test_case_23_refund_window_has_no_unattributed_share(case_23, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(case_23.path))
    from callbacks import campaigns

    settings = metrics.Settings()
    cards = campaigns.campaign_kpis(metrics.campaign_comparison(case_23, REFUND_WINDOW, settings), settings)
    assert _component(cards, "kpi-camp-unattributed-value").children == "—"  # 0 of −₹1,600 is no share
    cards = campaigns.campaign_kpis(metrics.campaign_comparison(case_23, Filters(), settings), settings)
    assert _component(cards, "kpi-camp-unattributed-value").children == "0.0%"
