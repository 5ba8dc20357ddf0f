"""Overview callbacks: KPI cards follow METRICS.md and the filters; empty and missing-data states."""

from __future__ import annotations

import pytest
from dash_helpers import find, text

import metrics
from callbacks import common
from callbacks import overview as cb
from metrics import catalogue
from metrics import format as fmt


@pytest.fixture
def traps_env(monkeypatch, traps_wh):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


def card_value(cards, kpi: str) -> str:
    return find(cards, f"kpi-{kpi}-value").children


@pytest.mark.parametrize(
    "search",
    [
        "",
        "?platform=Instagram",
        "?brand=MuscleBlaze&start=2025-01-01&end=2025-01-31",
        "?tier=Mega&tier=Micro",
        "?campaign=HK+Feb",
    ],
)
def test_kpi_cards_show_the_metrics_of_the_url(traps_env, search):
    cards, _, empty, style = cb.overview_kpis(search, "/")
    k = metrics.kpis(traps_env, metrics.Filters.from_query_string(search))
    assert empty is None and style == common.SHOW
    assert card_value(cards, "revenue") == fmt.inr_compact(k["revenue"])
    assert card_value(cards, "orders") == fmt.count(k["orders"])
    assert card_value(cards, "spend") == fmt.inr_compact(k["spend"])
    assert card_value(cards, "roas") == fmt.ratio(k["roas"])
    assert card_value(cards, "roi") == fmt.pct(k["roi_pct"])
    assert card_value(cards, "incremental-revenue") == fmt.inr_compact(k["incremental_revenue"])
    assert card_value(cards, "incremental-roas") == fmt.ratio(k["incremental_roas"])
    assert card_value(cards, "new-customers") == catalogue.headline_text("new_customers", k["new_customers"])
    assert card_value(cards, "cac") == fmt.inr(k["cac"], 2)
    assert card_value(cards, "poor-performers") == fmt.count(k["poor_performers"])


def test_instagram_values_by_hand(traps_env):
    # A1 (Instagram): 4000 + 2000 + 1000; C3 ("instagram" in the file): 6000 + 1000.
    cards, _, _, _ = cb.overview_kpis("?platform=Instagram", "/")
    assert card_value(cards, "revenue") == "₹14,000"
    assert card_value(cards, "orders") == "8"


def test_formulas_and_assumptions_are_shown(traps_env):
    cards, _, _, _ = cb.overview_kpis("", "/")
    shown = text(cards)
    # Too little history to measure: the incremental figures are labelled assumed, with the reason.
    assert "Assumed: 2% of revenue is baseline (too little history" in shown
    # F11: the reason sits in the note's parentheses without parentheses of its own
    assert (
        "Assumed: 2% of revenue is baseline (too little history: 4 creator-days with sales far from posts; "
        "at least 30 needed)" in shown
    )
    assert "assumed" in text(find(cards, "kpi-incremental-roas"))
    tooltip = text(find(cards, "kpi-roas"))
    assert "revenue ÷ spend" in tooltip


def test_undefined_ratio_is_a_dash(traps_env):
    # D4 (Twitter) has a sale but no spend: ROAS and ROI are undefined (CAC is ₹0 ÷ 1 customer).
    cards, _, _, _ = cb.overview_kpis("?platform=Twitter", "/")
    assert card_value(cards, "roas") == "—"
    assert card_value(cards, "roi") == "—"
    assert card_value(cards, "incremental-roas") == "—"
    # METRICS.md: CAC is undefined only where no customer is new; ₹0 spend gives ₹0.00, said to be no cost
    assert card_value(cards, "cac") == "₹0.00"
    assert "No cost recorded (₹0 spend)" in text(find(cards, "kpi-cac"))


def test_new_customers_labelled_estimated_without_user_ids(monkeypatch, seed1_wh):
    monkeypatch.setenv("HKDASH_DB", str(seed1_wh.path))
    cards, _, _, _ = cb.overview_kpis("", "/")
    assert "estimated" in text(find(cards, "kpi-new-customers"))
    # an estimate is not whole: the card counts whole customers, the exact count under it (session 19)
    exact = metrics.kpis(seed1_wh)["new_customers"]
    assert card_value(cards, "new-customers") == f"≈{fmt.count(round(exact))}"
    assert f"{fmt.count(exact)} before rounding" in text(find(cards, "kpi-new-customers"))
    assert card_value(cards, "roas") == "11.21x"  # pooled, not the 11.24x mean of ratios
    assert card_value(cards, "revenue") == "₹17.88\u00a0Cr"


def test_no_sales_for_these_filters(traps_env):
    cards, _, empty, style = cb.overview_kpis("?brand=Nothing", "/")
    assert cards == [] and style == common.HIDE
    assert "No sales for these filters" in text(empty)


def test_no_warehouse_yet(monkeypatch, tmp_path):
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "none.duckdb"))
    cards, _, empty, style = cb.overview_kpis("", "/")
    assert "No data set imported yet" in text(empty) and style == common.HIDE
    figure, note = cb.overview_trend("", "week")
    assert note is None and figure["layout"]["annotations"]


def test_charts(traps_env, seed1_wh, monkeypatch):
    figure, note = cb.overview_trend("?platform=Instagram", "month")
    # Revenue, spend, ROAS (no rolling line by month); January starts before the first sale (6 Jan),
    # February ends after the last (15 Feb): both partial.
    assert note == "Hatched: partial period (the data or the selected dates cover only part of it)."
    assert len(figure["data"]) == 3 and figure["data"][0]["marker"]["pattern"]["shape"] == ["/", "/"]
    figure, note = cb.overview_trend("?platform=Instagram&start=2025-01-13&end=2025-02-09", "week")
    assert figure["data"][0]["marker"]["pattern"]["shape"] == [""] * len(figure["data"][0]["x"])  # whole weeks
    figure, note = cb.overview_trend("?start=2025-01-15&end=2025-02-09", "week")
    assert figure["data"][0]["x"][0] == "2025-01-13"  # the week of 13 Jan, selected from the 15th
    assert figure["data"][0]["marker"]["pattern"]["shape"] == ["/", "", "", ""]
    figure, note = cb.overview_trend("?platform=Instagram", "week", "cohort")
    assert [t["name"] for t in figure["data"]] == ["Revenue", "Spend", "ROAS", "ROAS, rolling 4 weeks"]
    assert "in no post's window (left out)" not in note  # every Instagram sale is in a post's window
    _, note = cb.overview_trend("", "week", "cohort")
    assert "in no post's window (left out): revenue ₹3,000" in note  # D4 and Z9 have no posts
    assert cb.overview_platform_share("")["data"][0]["type"] == "pie"
    top = cb.overview_top("", "revenue")
    # Four creators with revenue and the unknown Z9; E5 has no revenue, so no bar (no name without a bar).
    assert sum(len(trace["y"]) for trace in top["data"]) == 5
    monkeypatch.setenv("HKDASH_DB", str(seed1_wh.path))
    figure, note = cb.overview_trend("", "week")
    # seed1's revenue per influencer follows the posts' dates: every week plotted, nothing left undated.
    assert "no date" not in (note or "") and len(figure["data"][0]["x"]) > 1


def test_the_by_post_chart_follows_the_urls_lift_window(traps_env, monkeypatch):
    """`/?window=28` (carried from /lift by the navbar): the by-post chart's windows are 28 days, as
    the incremental cards' (common.settings(search))."""
    from metrics.cohorts import time_series

    seen = []

    def spy(wh, filters, settings, **kwargs):
        seen.append(settings.lift_window_days)
        return time_series(wh, filters, settings, **kwargs)

    monkeypatch.setattr(cb, "time_series", spy)
    cb.overview_trend("?window=28", "week", "cohort")
    cb.overview_trend("", "week", "cohort")
    assert seen == [28, metrics.DEFAULT_SETTINGS.lift_window_days]


def test_time_notes_say_why_a_chart_has_no_roas_line(traps_env):
    """D4 has sales and no spend: its weekly chart has no ROAS line, and the note under it says why;
    a creator with spend gets no such note."""
    from metrics.cohorts import time_series

    unpaid = time_series(traps_env, influencer_id="D4")
    assert len(unpaid) and unpaid["roas"].isna().all() and unpaid["revenue"].sum() > 0
    assert cb.undated_note(unpaid).endswith("No ROAS line: no spend in any period (ROAS is revenue ÷ spend).")
    paid = time_series(traps_env, influencer_id="A1")
    assert "No ROAS line" not in (cb.undated_note(paid) or "")


@pytest.mark.parametrize(
    ("revenue", "spend", "tone"),
    [
        (1050.0, 1000.0, "bad"),  # ROAS 1.05x < 2x and ROI 5% < 50%: both red (ROI was green, ≥ 0)
        (1800.0, 1000.0, "bad"),  # ROI 80% clears 50% but ROAS 1.8x < 2x: a poor performer, both red
        (2500.0, 1000.0, "good"),  # ROAS 2.5x, ROI 150%: clears both bars, both green
        (500.0, 0.0, None),  # no spend: both undefined, no colour
    ],
)
def test_roas_and_roi_cards_share_one_colour(traps_env, revenue, spend, tone):
    k = dict(metrics.kpis(traps_env, metrics.Filters()))
    k.update(
        revenue=revenue,
        spend=spend,
        roas=revenue / spend if spend else None,
        roi_pct=(revenue - spend) / spend * 100 if spend else None,
    )
    cards = cb.kpi_cards(k, metrics.Settings())
    for kpi in ("roas", "roi"):
        classes = find(cards, f"kpi-{kpi}-value").className.split()
        assert [c for c in classes if c.startswith("hk-tone-")] == ([f"hk-tone-{tone}"] if tone else []), kpi
