"""A selection without a post in a data set whose lift is measured: its incremental revenue is the
sum over no post, ₹0 (metrics/lift/view.py NO_POST), never the assumed baseline's share of its
revenue; comparisons never set a measured figure against an assumed one; the share's label per
case (docs/metrics.md "Incrementality"). By hand on a six-creator data set."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics import Filters, catalogue, kpis
from metrics.comparison import _compared, unlike_methods
from metrics.insights import incremental_finding
from metrics.kpis import (
    SHARE_OUTSIDE_EARLIER_WINDOWS,
    SHARE_OVER_RANGE_AND_WINDOWS,
    SHARE_OVER_SELECTION,
    SHARE_OVER_WINDOWS,
    share_basis_words,
)
from metrics.lift import NO_POST, indistinguishable_note, no_post_words
from warehouse import Warehouse, import_dataset

CREATORS = [f"C{n}" for n in range(1, 7)]
DAYS = pd.date_range("2025-01-01", "2025-03-31").date  # 90 days, every creator ₹100 a day
POST_DAY = dt.date(2025, 1, 20)  # C1's only post: its 14-day window is 20 Jan – 2 Feb


@pytest.fixture(scope="module")
def flat_wh(tmp_path_factory):
    """Six creators each selling one ₹100 order a day over Jan–Mar 2025; C1 posts once (₹1,000
    fee), C2 earns 10 % commission on its sales (₹900 over the 90 days)."""
    root = tmp_path_factory.mktemp("no-post")
    source = root / "src"
    source.mkdir()
    pd.DataFrame(
        {
            "influencer_id": CREATORS,
            "name": [f"Creator {c}" for c in CREATORS],
            "platform": "Instagram",
            "category": "Fitness",
            "gender": "Female",
            "follower_count": 20_000,
        }
    ).to_csv(source / "influencers.csv", index=False)
    pd.DataFrame(
        [("P1", "C1", "Instagram", POST_DAY.isoformat(), "MuscleBlaze", 10_000, 500, 50, 50)],
        columns=["post_id", "influencer_id", "platform", "date", "brand", "reach", "likes", "comments", "shares"],
    ).to_csv(source / "posts.csv", index=False)
    pd.DataFrame(
        [
            (f"T{n}", "PromoCode", "MB", creator, f"U{n}", "MuscleBlaze", "Whey", day.isoformat(), 1, 100)
            for n, (creator, day) in enumerate(((c, d) for c in CREATORS for d in DAYS), start=1)
        ],
        columns=[
            "tracking_id",
            "source",
            "campaign",
            "influencer_id",
            "user_id",
            "brand",
            "product",
            "date",
            "orders",
            "revenue",
        ],
    ).to_csv(source / "tracking_data.csv", index=False)
    pd.DataFrame(
        [("C1", "post", "₹1,000/post", 1, 1000, 0), ("C2", "commission", "10% commission", 90, 900, 0)],
        columns=["influencer_id", "basis", "rate", "orders", "total_payout", "gifted_products_cost"],
    ).to_csv(source / "payouts.csv", index=False)
    import_dataset(source, root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


def test_the_data_set_is_measured(flat_wh):
    assert kpis(flat_wh)["incrementality_method"] == "event-window"
    assert kpis(flat_wh)["incrementality_reason"] is None


def test_a_range_without_a_post_measures_nothing_not_the_assumed_share(flat_wh):
    """3–9 Mar: six creators × 7 days × ₹100 = ₹4,200 of revenue, no post; C2's commission on its
    7 days is ₹900 × 7/90 = ₹70. The assumed baseline would have said ₹4,200 × 0.98 = ₹4,116."""
    k = kpis(flat_wh, Filters(start="2025-03-03", end="2025-03-09"))
    assert k["revenue"] == pytest.approx(4_200)
    assert k["spend"] == pytest.approx(70)
    assert k["incrementality_method"] == "event-window"
    assert k["incrementality_reason"] == NO_POST
    assert (k["incremental_revenue"], k["incremental_revenue_low"], k["incremental_revenue_high"]) == (0, 0, 0)
    # ₹0 over no post is no return measured on the ₹70: "—" and why, not 0.00x (tester t1, session 19)
    assert (k["incremental_roas"], k["incremental_roas_low"], k["incremental_roas_high"]) == (None, None, None)
    assert catalogue.undefined_cause("incremental_roas", k) == NO_POST
    # a measured range with a post keeps its ratio; ₹0 spend keeps its own cause
    assert catalogue.undefined_cause("incremental_roas", {**k, "incrementality_reason": None, "spend": 0}) == (
        "₹0 spend"
    )
    # no earlier post's window reaches March: the base is the range's revenue
    assert k["incremental_share"] == 0 and k["incremental_share_revenue"] == pytest.approx(4_200)
    assert k["incremental_share_basis"] == SHARE_OUTSIDE_EARLIER_WINDOWS
    assert no_post_words(k).startswith(NO_POST)
    assert indistinguishable_note(k) is None  # the ₹0 says why instead of an interval of ₹0 to ₹0


def test_a_range_after_a_post_takes_its_window_days_out_of_the_base(flat_wh):
    """25–31 Jan lies in C1's window of 20 Jan (to 2 Feb): its ₹700 leave the ₹4,200 base."""
    k = kpis(flat_wh, Filters(start="2025-01-25", end="2025-01-31"))
    assert k["incremental_revenue"] == 0
    assert k["incremental_share_revenue"] == pytest.approx(4_200 - 700)
    assert share_basis_words(k) == f"of ₹3,500 {SHARE_OUTSIDE_EARLIER_WINDOWS}"


def test_share_labels_per_case(flat_wh):
    """A range holding the post: with a start, its other days; an end alone, session 15's words
    (nothing before the range to take out); no date range, the attributed revenue."""
    assert kpis(flat_wh, Filters(start="2025-01-15", end="2025-01-25"))["incremental_share_basis"] == (
        SHARE_OVER_WINDOWS
    )
    assert kpis(flat_wh, Filters(end="2025-01-25"))["incremental_share_basis"] == SHARE_OVER_RANGE_AND_WINDOWS
    # an end alone before the post: no post, nothing added or taken out
    assert kpis(flat_wh, Filters(end="2025-01-10"))["incremental_share_basis"] == SHARE_OVER_SELECTION
    assert kpis(flat_wh)["incremental_share_basis"] == SHARE_OVER_SELECTION


def test_the_insight_says_no_post_instead_of_claiming_or_assuming(flat_wh):
    text = incremental_finding(kpis(flat_wh, Filters(start="2025-03-03", end="2025-03-09")))["text"]
    assert f"₹0 of incremental revenue, as there is {NO_POST}" in text
    assert "Assuming" not in text and "not measured" not in text.lower()


def test_measured_and_assumed_periods_are_not_compared(flat_wh):
    """An assumed 98 % of revenue against a measured lift is no change: "—" with the reason, while
    the other figures keep theirs."""
    now = {"revenue": 200.0, "incremental_revenue": 196.0, "incrementality_method": "assumed-baseline"}
    then = {"revenue": 100.0, "incremental_revenue": 20.0, "incrementality_method": "event-window"}
    filters = Filters(start="2025-03-10", end="2025-03-16")
    compared = _compared(flat_wh, filters, filters.comparison(DAYS[0], DAYS[-1]), now, then)
    assert compared["change"]["revenue"] == pytest.approx(1.0)
    assert compared["change"]["incremental_revenue"] is None
    assert compared["reasons"]["incremental_revenue"] == unlike_methods(now, then)
    assert "revenue" not in compared["reasons"]
    same = {**then, "incremental_revenue": 30.0}
    assert unlike_methods(same, then) is None
    assert _compared(flat_wh, filters, None, same, then)["change"]["incremental_revenue"] == pytest.approx(0.5)


@pytest.fixture
def flat_env(monkeypatch, flat_wh):
    monkeypatch.setenv("HKDASH_DB", str(flat_wh.path))
    return flat_wh


def test_the_cards_and_the_lift_page_say_no_post_and_give_no_interval(flat_env):
    from dash_helpers import find, text

    from callbacks import lift as lift_cb
    from callbacks import overview as overview_cb

    search = "?start=2025-03-03&end=2025-03-09"
    cards = overview_cb.overview_kpis(search, "/")[0]
    revenue = text(find(cards, "kpi-incremental-revenue"))
    assert "₹0" in revenue and "No post in the selection" in revenue and "interval" not in revenue
    assert "not distinguishable" not in revenue
    lift_cards, note, _, _ = lift_cb.lift_page(search, "14", "/lift")
    assert "No post in the selection" in text(find(lift_cards, "kpi-lift-incremental-roas"))
    assert f"of ₹4,200 {SHARE_OUTSIDE_EARLIER_WINDOWS}" in text(find(lift_cards, "kpi-lift-share"))
    assert "assumed" not in text(find(lift_cards, "kpi-lift-share"))
    assert NO_POST in text(note).lower()


def test_the_pdf_and_the_cli_say_no_post(flat_wh):
    from cli import format_summary
    from metrics.summary import summary
    from reports.executive import headline, incremental_line

    filters = Filters(start="2025-03-03", end="2025-03-09")
    k = kpis(flat_wh, filters)
    assert incremental_line(k, None).startswith(f"Measured incremental revenue ₹0: {NO_POST} (14-day windows;")
    box = next(b for b in headline(k, {"change": {}})["kpis"] if b["label"] == "Incremental revenue")
    assert (box["value"], box["tag"], box["note"]) == ("₹0", "measured", NO_POST)
    out = format_summary(summary(flat_wh, filters))
    assert f"Incrementality: measured, 14-day windows, 90% interval; {NO_POST} (" in out
    # no "(₹0 to ₹0)" interval: why beside the ₹0, as on the card; incremental ROAS "—" and why below
    assert f"Incremental revenue (measured)  ₹0 · {NO_POST}\n" in out
    assert "\nIncremental ROAS                —\n" in out
    assert f"\n— = undefined: Incremental ROAS ({NO_POST});" in out
    assert incremental_line(k, None).endswith("; incremental ROAS —.")


def test_the_lift_share_card_of_an_assumed_data_set_is_badged(monkeypatch, seed1_wh):
    from dash_helpers import find, text

    from callbacks import lift as lift_cb

    monkeypatch.setenv("HKDASH_DB", str(seed1_wh.path))
    cards = lift_cb.lift_page("", "14", "/lift")[0]
    assert "assumed" in text(find(cards, "kpi-lift-share"))
