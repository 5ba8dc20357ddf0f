"""metrics.format: ₹ Indian grouping, lakh/crore short forms, "—" for undefined values."""

from __future__ import annotations

import decimal
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics import format as fmt

NB = fmt.NBSP


@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), -float("inf"), pd.NA, np.nan, "x"])
def test_undefined_values_are_an_em_dash(value):
    for function in (
        fmt.inr,
        fmt.inr_compact,
        fmt.count,
        fmt.count_compact,
        fmt.ratio,
        fmt.pct,
        fmt.share,
        fmt.decimal,
        fmt.followers,
        fmt.score,
        fmt.inr_small,
    ):
        assert function(value) == "—", function.__name__


def test_full_rupees_use_indian_grouping():
    assert fmt.inr(178798153.3) == "₹17,87,98,153"
    assert fmt.inr(17879815.3, 2) == "₹1,78,79,815.30"
    assert fmt.inr(15954632.92, 2) == "₹1,59,54,632.92"
    assert fmt.inr(999) == "₹999"
    assert fmt.inr(100000) == "₹1,00,000"
    assert fmt.inr(0) == "₹0"
    assert fmt.inr(-2500000) == "-\u2060₹25,00,000"
    assert fmt.inr(np.float64(161.333), 2) == "₹161.33"


def test_compact_rupees_in_lakh_and_crore():
    assert fmt.inr_compact(178798153.3) == f"₹17.88{NB}Cr"
    assert fmt.inr_compact(15954632.92) == f"₹1.60{NB}Cr"
    assert fmt.inr_compact(1234567) == f"₹12.35{NB}L"
    assert fmt.inr_compact(100000) == f"₹1.00{NB}L"
    assert fmt.inr_compact(99999) == "₹99,999"
    assert fmt.inr_compact(12345) == "₹12,345"
    assert fmt.inr_compact(1.25e10) == f"₹1,250.00{NB}Cr"
    assert fmt.inr_compact(-2500000) == f"-\u2060₹25.00{NB}L"


def test_compact_rounding_moves_to_the_next_unit():
    assert fmt.inr_compact(9_999_999) == f"₹1.00{NB}Cr"  # not "₹100.00 L"
    assert fmt.inr_compact(99_999.6) == f"₹1.00{NB}L"
    assert fmt.count_compact(9_999_999) == f"1.0{NB}Cr"


def test_counts():
    assert fmt.count(107154) == "1,07,154"
    # an estimated count (share × orders) keeps up to two decimals: CAC = spend / the figure shown
    assert fmt.count(79348.4) == "79,348.4"
    assert fmt.count(0.8 * 9) == "7.2"
    assert fmt.count(2.45) == "2.45"
    assert fmt.count(1 / 3) == "0.33"
    assert fmt.count(2.999) == "3"  # within a hundredth of a whole number: whole
    assert fmt.count(-0.001) == "0"
    assert fmt.count_compact(107154) == f"1.1{NB}L"
    assert fmt.count_compact(950) == "950"
    assert fmt.followers(8_600_000) == f"86{NB}L"  # Indian units, not 8.6M
    assert fmt.followers(9_300_000) == f"93{NB}L"
    assert fmt.followers(485_000) == f"4.85{NB}L"
    assert fmt.followers(2_000_000) == f"20{NB}L"
    assert fmt.followers(125_000_000) == f"12.5{NB}Cr"
    assert fmt.followers(12_345) == "12,345"
    assert fmt.followers(950) == "950"


def test_a_column_of_followers_reads_in_its_largest_values_unit():
    # 19,11,000 is the largest: lakh, two decimals for every value (77,012 -> 0.77 L, not "77,012")
    assert fmt.followers_column([77_012, 1_911_000, 290_000, None]) == [
        f"0.77{NB}L",
        f"19.11{NB}L",
        f"2.90{NB}L",
        "—",
    ]
    assert fmt.followers_column([125_000_000, 485_000]) == [f"12.50{NB}Cr", f"0.05{NB}Cr"]
    assert fmt.followers_column([8_000, 12_345]) == ["8,000", "12,345"]  # all below a lakh: in full
    # 0 and 350 would read "0.00 L" (tester t2, s18): in full; 600 is 0.006 L, which reads 0.01 L
    assert fmt.followers_column([0, 350, 4_522_000, 600]) == ["0", "350", f"45.22{NB}L", f"0.01{NB}L"]
    # 30,000 of a crore column is 0.003 Cr: 0.00 in two decimals, so in full
    assert fmt.followers_column([30_000, 20_000_000]) == ["30,000", f"2.00{NB}Cr"]


def test_a_column_of_counts_with_an_estimate_has_two_decimals_throughout():
    assert fmt.counts_column([2544.7, 2727.16, 3000]) == ["2,544.70", "2,727.16", "3,000.00"]
    assert fmt.counts_column([2544, 2727, 107154, None]) == ["2,544", "2,727", "1,07,154", "—"]
    assert fmt.counts_column([2.999, 4]) == ["3", "4"]  # within a hundredth of whole: whole


def test_ratios_and_percentages():
    assert fmt.ratio(11.206660422495009) == "11.21x"
    assert fmt.ratio(0) == "0.00x"
    assert fmt.ratio(1234.5) == "1,234.50x"
    assert fmt.pct(1020.666042249501) == "1,020.7%"
    assert fmt.pct(-8.36) == "-8.4%"
    assert fmt.share(0.363771) == "36.4%"
    assert fmt.share(1) == "100.0%"
    assert fmt.score(92.567) == "92.6"


def test_clean():
    assert fmt.clean(np.float64(2.5)) == 2.5
    assert fmt.clean(np.int64(3)) == 3.0
    assert fmt.clean("4.5") == 4.5
    assert fmt.clean(float("nan")) is None
    assert fmt.clean(pd.NA) is None
    assert fmt.clean(True) == 1.0


def test_axis_ticks():
    ticks = fmt.nice_ticks(0, 178798153)
    assert ticks[0] == 0 and ticks[-1] >= 178798153
    assert len(ticks) <= 7
    labels = fmt.money_ticks(ticks)
    assert labels[:2] == ["₹0", f"₹5{NB}Cr"]
    assert all("nan" not in label and "inf" not in label for label in labels)
    step = 250_000
    assert fmt.money_tick(1_250_000, step) == f"₹12.5{NB}L"
    assert fmt.money_tick(10_000_000, 2_500_000) == f"₹100{NB}L"
    assert fmt.money_tick(10_000_000, 10_000_000) == f"₹1{NB}Cr"
    assert fmt.money_tick(1000, 500) == "₹1,000"
    # One unit per axis (F11: ₹50,000 beside ₹1 L read as two scales), the largest not above the
    # step: never a fraction of a unit below one; Indian grouping in rupees.
    assert fmt.money_ticks([0, 50_000, 100_000, 150_000]) == ["₹0", "₹50,000", "₹1,00,000", "₹1,50,000"]
    assert fmt.money_ticks([0, 5_000_000, 10_000_000, 15_000_000]) == ["₹0", f"₹50{NB}L", f"₹100{NB}L", f"₹150{NB}L"]
    assert fmt.money_ticks([0, 2.5e7, 5e7]) == ["₹0", f"₹2.5{NB}Cr", f"₹5{NB}Cr"]
    assert fmt.money_ticks([-250_000, 0, 250_000]) == [f"-₹2.5{NB}L", "₹0", f"₹2.5{NB}L"]
    assert fmt.money_ticks([0, 0.25, 0.5, 0.75, 1]) == ["₹0", "₹0.25", "₹0.5", "₹0.75", "₹1"]
    assert fmt.money_ticks([3_00_00_000]) == [f"₹3{NB}Cr"]


@pytest.mark.parametrize(
    "low,high",
    [
        (0, 0),
        (0, 0.9),
        (0, 1.6),
        (0, 3),
        (0, 7),
        (-50, 1234),
        (0, 49_000),
        (0, 2_60_000),
        (0, 99_99_999),
        (0, 4_00_00_000),
        (-3e5, 2e7),
        (0, 1e12),
    ],
)
def test_axis_tick_labels_are_distinct_and_never_fractions_below_one_unit(low, high):
    labels = fmt.money_ticks(fmt.nice_ticks(low, high))
    assert len(set(labels)) == len(labels), labels
    units = {("Cr" if "Cr" in label else "L" if "L" in label else "₹") for label in labels if label != "₹0"}
    assert len(units) <= 1, labels  # one unit per axis
    for label in labels:
        assert not label.startswith(("₹0.", "-₹0.")) or "L" not in label and "Cr" not in label, label


@pytest.mark.parametrize("high", [0, 1, 3, 7, 12, 1234])
def test_whole_ticks_for_counts(high):
    ticks = fmt.nice_ticks(0, high, whole=True)
    assert all(t == int(t) for t in ticks) and ticks[-1] >= high
    labels = [fmt.followers(t) for t in ticks]
    assert len(set(labels)) == len(labels)


def test_no_negative_zero():
    assert fmt.inr(-0.004, 2) == "₹0.00"
    assert fmt.inr(-0.4) == "₹0"
    assert fmt.inr_compact(-0.4) == "₹0"
    assert fmt.pct(-0.04) == "0.0%"
    assert fmt.share(-0.0001) == "0.0%"
    assert fmt.ratio(-0.001) == "0.00x"
    assert fmt.decimal(-0.001) == "0.00"
    assert fmt.count(-0.004) == "0"
    assert fmt.inr(-0.006, 2) == "-\u2060₹0.01"


def test_small_amounts_and_paise():
    assert fmt.inr_small(0.4567) == "₹0.46"
    assert fmt.inr_small(0.0035) == "₹0.0035"
    assert fmt.inr_small(0.058333) == "₹0.058"
    assert fmt.inr_small(12.345) == "₹12.35"
    assert fmt.inr_small(0) == "₹0.00"
    assert fmt.inr_small(719.56) == "₹720"
    assert fmt.inr_small(1_234_567) == f"₹12.35{NB}L"
    assert fmt.paise(2960740.6700000046) == 2960740.67
    assert fmt.paise(-0.001) == 0.0
    assert fmt.paise(float("nan")) is None


def test_payout_rates_are_parsed_terms_formatted():
    assert fmt.payout_rate(fee_per_post=611631) == "₹6,11,631 per post"
    assert fmt.payout_rate(commission_pct=12.3) == "12.3 % commission"
    assert fmt.payout_rate(commission_pct=12) == "12 % commission"
    assert fmt.payout_rate(fee_per_post=53375, commission_pct=6.2) == "₹53,375 per post + 6.2 % commission"
    assert fmt.payout_rate(per_order=120.5) == "₹120.50 per order"
    assert fmt.payout_rate() == "—"


def test_dates_and_timestamps():
    import datetime as dt

    assert fmt.date(dt.date(2025, 1, 5)) == "5 Jan 2025"
    assert fmt.date("2025-01-05") == "5 Jan 2025"
    assert fmt.date(pd.Timestamp("2025-11-30 10:00")) == "30 Nov 2025"
    assert fmt.date(None) == "—" and fmt.date(pd.NaT) == "—" and fmt.date("soon") == "—"
    # Naive timestamps are UTC (as stored); shown in India time, labelled.
    assert fmt.timestamp("2026-11-30T02:58:00") == "30 Nov 2026, 08:28 IST"
    assert fmt.timestamp(dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC)) == "1 Dec 2026, 01:30 IST"
    assert fmt.timestamp("2026-11-30T02:58:00", zone="UTC") == "30 Nov 2026, 02:58 UTC"
    assert fmt.timestamp(None) == "—"


@pytest.mark.parametrize("low,high", [(0, 0), (0, 1), (0, 7), (-50, 1234), (0, 1e12), (5, 5)])
def test_nice_ticks_cover_the_range(low, high):
    ticks = fmt.nice_ticks(low, high)
    assert ticks == sorted(ticks)
    assert ticks[0] <= min(low, 0) and ticks[-1] >= high
    assert all(math.isfinite(t) for t in ticks)


def test_a_value_below_a_bar_never_reads_as_the_bar():
    from metrics.catalogue import POOR_PERFORMER
    from metrics.settings import DEFAULT_SETTINGS

    assert fmt.below(1.9992, 2.0, fmt.ratio, 2) == "1.999x"  # 2.00x would read as the bar
    assert fmt.below(1.5, 2.0, fmt.ratio, 2) == "1.50x"
    assert fmt.below(49.96, 50.0, fmt.pct, 1) == "49.96%"
    row = {"spend": 2500.0, "revenue": 4998.0, "roi_pct": 99.92, "roas": 1.9992}
    assert POOR_PERFORMER.misses(row, DEFAULT_SETTINGS) == ["ROAS 1.999x < 2x"]


def test_one_minus_sign_for_every_negative_number():
    # A view that shows "-₹25,00,000" and "−4.0%" side by side uses two different signs: one only.
    negatives = [fmt.inr(-2500000), fmt.inr_compact(-2500000), fmt.pct(-8.36), fmt.change(-0.04), fmt.ratio(-1.5)]
    assert [text[0] for text in negatives] == ["-"] * len(negatives), negatives
    assert fmt.change(-0.04) == "-4.0%" and "\u2212" not in "".join(negatives)


@given(
    value=st.floats(min_value=-1e13, max_value=1e13, allow_nan=False, allow_infinity=False),
    decimals=st.integers(0, 4),
)
def test_inr_is_babels_currency_format(value, decimals):
    """inr() formats the digits itself (a third of babel's cost): the text must stay babel's."""
    from babel.numbers import format_currency

    pattern = "¤#,##,##0" + ("." + "0" * decimals if decimals else "")
    rounded = fmt._rounded(value, decimals)
    expected = format_currency(rounded, "INR", format=pattern, locale="en_IN", currency_digits=False)
    # babel's text, the minus joined to the ₹ (fmt.NEGATIVE: no line break inside a signed amount)
    assert fmt.inr(value, decimals) == expected.replace("-₹", fmt.NEGATIVE + "₹")


@given(
    value=st.one_of(
        st.floats(min_value=-1e18, max_value=1e18),  # babel itself fails far above
        st.sampled_from([math.inf, -math.inf]),
        st.integers(-(10**18), 10**18),
        st.floats(min_value=-1e7, max_value=1e7).map(lambda v: round(v, 3) + 0.005),  # near-ties
        # whole numbers (counts, whole rupees: _decimal's integer path), around its 10^15 limit too
        st.floats(min_value=-1e16, max_value=1e16).map(lambda v: float(round(v))),
        st.sampled_from([0.0, -0.0, 1e15, -1e15, 1e15 - 1, 999.0, 1000.0, -1000.0, 10**15, 10**15 - 1]),
    ),
    decimals=st.integers(0, 6),
)
def test_decimal_is_babels_format_decimal(value, decimals):
    """_decimal() applies babel's steps itself (every figure of a ranking passes here): the text
    must stay babel's for any float or int, with ties of str(value) rounded half away from zero
    (the display's rule; babel rounds by the decimal context's mode)."""
    from babel.numbers import format_decimal

    pattern = "#,##,##0" + ("." + "0" * decimals if decimals else "")
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        expected = format_decimal(value, format=pattern, locale="en_IN")
    assert fmt._decimal(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(2.675, 2, "2.68"), (0.125, 2, "0.13"), (-0.001, 2, "-0.00"), (1234567.891, 2, "12,34,567.89"), (999, 0, "999")],
)
def test_decimal_by_hand(value, decimals, text):
    assert fmt._decimal(value, decimals) == text


# Exact halves of what a figure writes (str(value)), each rounded half away from zero, where the
# binary value lies below the half (1.005, 0.015, 4.35, 1.535) or the half falls between units.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (fmt.inr(1.005, 2), "₹1.01"),
        (fmt.inr(0.015, 2), "₹0.02"),
        (fmt.inr(-0.015, 2), f"{fmt.NEGATIVE}₹0.02"),
        (fmt.inr(2.5), "₹3"),
        (fmt.pct(4.35), "4.4%"),
        (fmt.pct(35.25), "35.3%"),
        (fmt.pct(0.44999999999999996), "0.4%"),  # not a half: its digits say below
        (fmt.ratio(1.005), "1.01x"),
        (fmt.change(0.01235), "+1.2%"),  # 0.01235 × 100 is 1.2349999999999999: below the half
        (fmt.count(2.675), "2.68"),
        (fmt.followers(152_500), f"1.53{NB}L"),
        (fmt.followers(153_500), f"1.54{NB}L"),
        (fmt.inr_compact(152_500), f"₹1.53{NB}L"),
        (fmt.inr_compact(99_99_500), f"₹1.00{NB}Cr"),  # 99.995 L rounds to 100 L: crore
        (fmt.inr_compact(99_999.5), f"₹1.00{NB}L"),
        (fmt.followers_column([153_500, 80_000])[0], f"1.54{NB}L"),
        (fmt.paise(1.005), 1.01),
    ],
)
def test_ties_round_half_away_from_zero(text, expected):
    assert text == expected
