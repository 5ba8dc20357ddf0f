"""Time series by post (cohort), the rolling ROAS and partial periods, on the traps fixture by hand.

traps posts (14-day windows): P1 A1 Sun 5 Jan 2025 (window 5–18 Jan: T1 4,000 + T2 2,000), P3 B2
Mon 20 Jan (T4 3,000), P5 E5 Wed 15 Jan (no sales; its ₹3,000 fee), P4 C3 Sat 1 Feb (T5 6,000 +
T6 1,000), P2 A1 Mon 10 Feb (T3 1,000). D4 (T7 2,500) and Z9 (T8 500) have no posts: their sales
are in no window. The last sale is 15 Feb 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import metrics
from metrics.cohorts import campaign_series, is_partial, period_end, time_series
from metrics.settings import Settings


def by_period(frame):
    return {str(p)[:10]: row for p, row in zip(frame["period"], frame.to_dict("records"))}


def test_weekly_cohorts_by_hand(traps_wh):
    frame = time_series(traps_wh, grain="week", basis="cohort")
    weeks = by_period(frame)
    assert set(weeks) == {"2024-12-30", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-10"}
    assert weeks["2024-12-30"]["revenue"] == 6000  # P1's window, on P1's Sunday
    assert weeks["2025-01-20"]["revenue"] == 3000 and weeks["2025-01-20"]["spend"] == pytest.approx(300)
    assert weeks["2025-01-20"]["roas"] == pytest.approx(10.0)  # B2: ₹200 per order + ₹100 gifted
    assert weeks["2025-01-13"]["revenue"] == 0 and weeks["2025-01-13"]["spend"] == pytest.approx(3000)
    assert weeks["2025-01-27"]["revenue"] == 7000 and weeks["2025-02-10"]["revenue"] == 1000
    assert frame.attrs["outside"] == {"revenue": 3000.0, "orders": 2.0, "spend": 0.0}  # D4 and Z9
    # 27 Jan week ends 2 Feb; its posts' windows end by 15 Feb: complete. 10 Feb week: still open.
    assert not weeks["2025-01-27"]["partial"] and weeks["2025-02-10"]["partial"]


def test_rolling_roas_pools_four_weeks(traps_wh):
    weeks = by_period(time_series(traps_wh, grain="week", basis="cohort"))
    # Weeks starting 20 Jan – 10 Feb (the 28 days up to 10 Feb): (3,000 + 7,000 + 1,000) ÷ spend.
    spend = sum(weeks[w]["spend"] for w in ("2025-01-20", "2025-01-27", "2025-02-10"))
    assert weeks["2025-02-10"]["rolling_roas"] == pytest.approx(11000 / spend)
    assert time_series(traps_wh, grain="month")["rolling_roas"].isna().all()


def test_by_sale_date_marks_the_first_and_the_unfinished_last_period(traps_wh):
    frame = time_series(traps_wh, grain="week", basis="sale")
    # The week of 30 Dec holds a fee of 5 Jan, before the first sale (6 Jan); 10–16 Feb is unfinished.
    assert frame["partial"].tolist() == [True] + [False] * (len(frame) - 2) + [True]
    assert frame["revenue"].sum() == pytest.approx(metrics.kpis(traps_wh)["revenue"])


def test_a_date_range_selects_posts_by_their_day(traps_wh):
    frame = time_series(traps_wh, metrics.Filters(start="2025-01-16", end="2025-02-05"), grain="week", basis="cohort")
    assert frame["revenue"].sum() == 3000 + 7000  # P3 and P4 with their whole windows
    assert frame.attrs["outside"]["revenue"] == 0  # D4 (10 Jan) and Z9 (15 Feb) are sold outside the range
    later = time_series(traps_wh, metrics.Filters(start="2025-02-01"), grain="week", basis="cohort")
    assert later.attrs["outside"] == {"revenue": 500.0, "orders": 1.0, "spend": 0.0}  # Z9 only, by its own day


def test_campaign_cohorts(traps_wh):
    frame = campaign_series(traps_wh, grain="week", basis="cohort")
    rows = {(str(r["week"])[:10], r["campaign"]): r for r in frame.to_dict("records")}
    assert rows[("2025-01-27", "HK Feb")]["revenue"] == 6000 and rows[("2025-01-27", "MB Jan")]["revenue"] == 1000


def test_period_ends():
    assert period_end("2024-02", "month") == dt.date(2024, 2, 29)
    assert period_end("2024-12", "month") == dt.date(2024, 12, 31)
    assert period_end(dt.date(2025, 2, 10), "week") == dt.date(2025, 2, 16)
    assert is_partial("2025-02", "month", dt.date(2025, 2, 27)) and not is_partial(
        "2025-02", "month", dt.date(2025, 2, 28)
    )
    assert is_partial(dt.date(2025, 2, 1), "day", dt.date(2025, 2, 10), open_days=13)
    # The first period: partial when it starts before the data's first sale or the selection's start.
    assert is_partial("2025-01", "month", dt.date(2025, 2, 27), first_day=dt.date(2025, 1, 6))
    assert not is_partial("2025-01", "month", dt.date(2025, 2, 27), first_day=dt.date(2025, 1, 1))
    assert is_partial(dt.date(2025, 1, 6), "week", dt.date(2025, 2, 27), first_day=dt.date(2025, 1, 7))
    assert not is_partial(dt.date(2025, 1, 6), "week", dt.date(2025, 2, 27), first_day=dt.date(2025, 1, 6))
    assert is_partial(dt.date(2025, 1, 6), "week", dt.date(2025, 2, 27), last_day=dt.date(2025, 1, 10))


def test_the_first_partial_month_is_marked(traps_wh):
    # traps' sales run 6 January – 15 February 2025: January and February are both partial.
    assert time_series(traps_wh, grain="month")["partial"].tolist() == [True, True]
    whole = time_series(traps_wh, metrics.Filters(start="2025-01-06", end="2025-02-09"), grain="week")
    assert not whole["partial"].any()


PLATFORMS = st.lists(st.sampled_from(["Instagram", "YouTube", "X", "Facebook"]), max_size=2, unique=True)
BRANDS = st.lists(st.sampled_from(["MuscleBlaze", "HKVitals", "Gritzo"]), max_size=2, unique=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    platforms=PLATFORMS,
    brands=BRANDS,
    grain=st.sampled_from(["day", "week", "month"]),
    window=st.sampled_from([7, 14, 28]),
)
def test_cohorts_plus_what_no_window_holds_equal_the_selection(traps_wh, platforms, brands, grain, window):
    """Every cell lands in exactly one post's window or outside all of them, whatever the grain."""
    filters = metrics.Filters(platform=tuple(platforms), brand=tuple(brands))
    chosen = Settings(lift_window_days=window)
    frame = time_series(traps_wh, filters, chosen, grain=grain, basis="cohort")
    totals = metrics.kpis(traps_wh, filters, chosen)
    for key in ("revenue", "orders", "spend"):
        assert frame[key].sum() + frame.attrs["outside"][key] == pytest.approx(totals[key], abs=1e-6)


@pytest.fixture(scope="module")
def sample_wh(tmp_path_factory):
    """A generated data set: creators post often, so their windows overlap and merge."""
    from warehouse import Warehouse, import_dataset
    from warehouse.sample import generate_sample

    root = tmp_path_factory.mktemp("cohort_sample")
    generate_sample(root / "src", orders=4_000, influencers=30, seed=11)
    import_dataset(root / "src", root / "warehouse.duckdb")
    return Warehouse(root / "warehouse.duckdb")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    grain=st.sampled_from(["day", "week", "month"]),
    window=st.sampled_from([7, 14, 28]),
    split=st.floats(min_value=0.05, max_value=0.95),
)
def test_overlapping_windows_count_each_sale_once(sample_wh, grain, window, split):
    chosen = Settings(lift_window_days=window)
    frame = time_series(sample_wh, settings=chosen, grain=grain, basis="cohort")
    totals = metrics.kpis(sample_wh, settings=chosen)
    for key in ("revenue", "orders", "spend"):
        assert frame[key].sum() + frame.attrs["outside"][key] == pytest.approx(totals[key], rel=1e-9)
    # Posts before and after any day split the cohorts: their sums add up to the whole.
    first, last = metrics.sale_date_bounds(sample_wh)
    cut = first + dt.timedelta(days=int((last - first).days * split))
    parts = [
        time_series(sample_wh, metrics.Filters(start=start, end=end), chosen, grain=grain, basis="cohort")
        for start, end in ((None, cut), (cut + dt.timedelta(days=1), None))
    ]
    for key in ("revenue", "spend"):
        assert sum(part[key].sum() for part in parts) == pytest.approx(frame[key].sum(), rel=1e-9)
        # What no window holds is split by each sale's own day: the parts add up too.
        outside = sum(part.attrs["outside"][key] for part in parts)
        assert outside == pytest.approx(frame.attrs["outside"][key], rel=1e-9, abs=1e-6)
