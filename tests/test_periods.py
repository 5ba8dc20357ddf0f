"""metrics.periods: presets, comparison windows and relative change, each value worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import periods
from metrics.filters import FilterError, Filters
from metrics.periods import Window, comparison_window, preset_window, relative_change

D = dt.date


@pytest.mark.parametrize(
    ("preset", "last_sale", "start", "end"),
    [
        ("last-7", D(2025, 3, 5), D(2025, 2, 27), D(2025, 3, 5)),  # across a 28-day February
        ("last-7", D(2024, 3, 5), D(2024, 2, 28), D(2024, 3, 5)),  # leap year: 29 Feb is one of the 7
        ("last-30", D(2025, 1, 15), D(2024, 12, 17), D(2025, 1, 15)),
        ("last-90", D(2025, 3, 31), D(2025, 1, 1), D(2025, 3, 31)),  # 31 + 28 + 31 = 90
        ("this-month", D(2025, 2, 28), D(2025, 2, 1), D(2025, 2, 28)),
        ("last-month", D(2025, 3, 31), D(2025, 2, 1), D(2025, 2, 28)),
        ("last-month", D(2024, 3, 1), D(2024, 2, 1), D(2024, 2, 29)),  # leap February
        ("last-month", D(2025, 1, 10), D(2024, 12, 1), D(2024, 12, 31)),  # across the year end
        ("this-quarter", D(2025, 5, 20), D(2025, 4, 1), D(2025, 5, 20)),
        ("last-quarter", D(2025, 5, 20), D(2025, 1, 1), D(2025, 3, 31)),
        ("last-quarter", D(2025, 2, 1), D(2024, 10, 1), D(2024, 12, 31)),
        ("this-fy", D(2025, 3, 31), D(2024, 4, 1), D(2025, 3, 31)),  # 31 March closes FY 2024-25
        ("this-fy", D(2025, 4, 1), D(2025, 4, 1), D(2025, 4, 1)),  # 1 April opens FY 2025-26
        ("last-fy", D(2025, 4, 1), D(2024, 4, 1), D(2025, 3, 31)),
        ("last-fy", D(2025, 1, 15), D(2023, 4, 1), D(2024, 3, 31)),
    ],
)
def test_presets_count_back_from_the_last_sale(preset, last_sale, start, end):
    assert preset_window(preset, last_sale) == Window(start, end)


def test_all_time_and_no_dated_sale_have_no_range():
    assert preset_window("all", D(2025, 1, 1)) is None
    assert preset_window("last-30", None) is None
    with pytest.raises(periods.PeriodError, match="not a preset"):
        preset_window("last-31", D(2025, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "mode", "then_start", "then_end"),
    [
        (D(2025, 3, 1), D(2025, 3, 31), "previous", D(2025, 1, 29), D(2025, 2, 28)),  # 31 days back
        (D(2024, 3, 1), D(2024, 3, 31), "previous", D(2024, 1, 30), D(2024, 2, 29)),  # leap year
        (D(2025, 1, 1), D(2025, 1, 1), "previous", D(2024, 12, 31), D(2024, 12, 31)),
        (D(2025, 4, 1), D(2026, 3, 31), "previous", D(2024, 4, 1), D(2025, 3, 31)),  # a 365-day FY
        (D(2024, 2, 29), D(2024, 3, 10), "year", D(2023, 2, 28), D(2023, 3, 10)),  # 29 Feb → 28 Feb
        (D(2025, 3, 1), D(2025, 3, 31), "year", D(2024, 3, 1), D(2024, 3, 31)),
        (D(2025, 2, 28), D(2025, 2, 28), "year", D(2024, 2, 28), D(2024, 2, 28)),
    ],
)
def test_comparison_windows(start, end, mode, then_start, then_end):
    assert comparison_window(Window(start, end), mode) == Window(then_start, then_end)


@given(
    start=st.dates(min_value=D(2001, 1, 1), max_value=D(2099, 1, 1)),
    days=st.integers(min_value=1, max_value=800),
)
def test_previous_window_has_the_same_length_and_ends_the_day_before(start, days):
    window = Window(start, start + dt.timedelta(days=days - 1))
    before = comparison_window(window, "previous")
    assert before.days == window.days == days
    assert before.end == window.start - dt.timedelta(days=1)


def test_relative_change():
    assert relative_change(150, 100) == 0.5
    assert relative_change(50.0, 200.0) == -0.75
    assert relative_change(-25, -50) == 0.5  # ROI −50 % → −25 % rose
    assert relative_change(10, 0) is None and relative_change(None, 5) is None and relative_change(5, None) is None
    assert relative_change(True, 1) is None and relative_change("measured", "x") is None


def test_change_tone_follows_the_better_direction():
    assert periods.change_tone(0.1, True) == "good"
    assert periods.change_tone(0.1, False) == "bad"  # CAC up is bad
    assert periods.change_tone(-0.1, False) == "good"
    assert periods.change_tone(None, True) is None and periods.change_tone(0.0, True) is None
    assert periods.change_tone(0.1, None) is None


def test_a_change_shown_as_zero_is_neutral():
    # A ROAS equal to its comparison up to float noise reads "0.0%": neither good nor bad.
    assert periods.change_tone(2.220446049250313e-16, True) is None
    assert periods.change_tone(-0.0004, False) is None  # −0.04 % shows as "0.0%"
    assert periods.change_tone(0.0006, True) == "good"  # +0.06 % shows as "+0.1%"


def test_a_preset_stays_in_the_link_as_written():
    filters = Filters.from_query_string("?platform=YouTube&period=last-30&compare=year")
    assert filters.period == "last-30" and filters.start is None and filters.compare == "year"
    resolved = filters.resolved(D(2025, 1, 15))
    assert (resolved.start, resolved.end) == (D(2024, 12, 17), D(2025, 1, 15))
    assert resolved.to_query_string() == "platform=YouTube&period=last-30&compare=year"
    assert Filters.from_query_string("compare=previous").to_query_string() == ""
    with pytest.raises(FilterError, match="not a preset"):
        Filters.from_query_string("period=yesterday")
    with pytest.raises(FilterError, match="compare"):
        Filters(compare="quarter")


def test_comparison_selection_keeps_the_filters():
    filters = Filters(platform=("YouTube",), start=D(2025, 3, 1), end=D(2025, 3, 31))
    then = filters.comparison(D(2024, 1, 1), D(2025, 6, 1))
    assert then == Filters(platform=("YouTube",), start=D(2025, 1, 29), end=D(2025, 2, 28))
    assert Filters().comparison(D(2024, 1, 1), D(2025, 6, 1)) is None  # all time: nothing before it
    open_end = Filters(start=D(2025, 5, 1)).comparison(D(2024, 1, 1), D(2025, 5, 10))
    assert (open_end.start, open_end.end) == (D(2025, 4, 21), D(2025, 4, 30))
