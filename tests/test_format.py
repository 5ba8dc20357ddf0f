"""metrics.format: ₹ Indian grouping, lakh/crore short forms, "—" for undefined values."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from metrics import format as fmt

NB = fmt.NBSP


@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), -float("inf"), pd.NA, np.nan, "x"])
def test_undefined_values_are_an_em_dash(value):
    for function in (fmt.inr, fmt.inr_compact, fmt.count, fmt.count_compact, fmt.ratio, fmt.pct, fmt.share,
                     fmt.decimal, fmt.followers, fmt.score):
        assert function(value) == "—", function.__name__


def test_full_rupees_use_indian_grouping():
    assert fmt.inr(178798153.3) == "₹17,87,98,153"
    assert fmt.inr(17879815.3, 2) == "₹1,78,79,815.30"
    assert fmt.inr(15954632.92, 2) == "₹1,59,54,632.92"
    assert fmt.inr(999) == "₹999"
    assert fmt.inr(100000) == "₹1,00,000"
    assert fmt.inr(0) == "₹0"
    assert fmt.inr(-2500000) == "-₹25,00,000"
    assert fmt.inr(np.float64(161.333), 2) == "₹161.33"


def test_compact_rupees_in_lakh_and_crore():
    assert fmt.inr_compact(178798153.3) == f"₹17.88{NB}Cr"
    assert fmt.inr_compact(15954632.92) == f"₹1.60{NB}Cr"
    assert fmt.inr_compact(1234567) == f"₹12.35{NB}L"
    assert fmt.inr_compact(100000) == f"₹1.00{NB}L"
    assert fmt.inr_compact(99999) == "₹99,999"
    assert fmt.inr_compact(12345) == "₹12,345"
    assert fmt.inr_compact(1.25e10) == f"₹1,250.00{NB}Cr"
    assert fmt.inr_compact(-2500000) == f"-₹25.00{NB}L"


def test_compact_rounding_moves_to_the_next_unit():
    assert fmt.inr_compact(9_999_999) == f"₹1.00{NB}Cr"  # not "₹100.00 L"
    assert fmt.inr_compact(99_999.6) == f"₹1.00{NB}L"
    assert fmt.count_compact(9_999_999) == f"1.0{NB}Cr"


def test_counts():
    assert fmt.count(107154) == "1,07,154"
    assert fmt.count(79348.4) == "79,348"
    assert fmt.count_compact(107154) == f"1.1{NB}L"
    assert fmt.count_compact(950) == "950"
    assert fmt.followers(9_300_000) == "9.3M"
    assert fmt.followers(485_000) == "485K"
    assert fmt.followers(2_000_000) == "2M"
    assert fmt.followers(950) == "950"


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


def test_axis_units_and_ticks():
    assert fmt.money_unit(178798153) == (1e7, "₹ Cr")
    assert fmt.money_unit(500000) == (1e5, "₹ L")
    assert fmt.money_unit(999) == (1.0, "₹")
    ticks = fmt.nice_ticks(0, 178798153)
    assert ticks[0] == 0 and ticks[-1] >= 178798153
    assert len(ticks) <= 7
    step = ticks[1] - ticks[0]
    labels = [fmt.money_tick(t, step) for t in ticks]
    assert labels[0] == "₹0"
    assert labels[1] == f"₹5{NB}Cr"
    assert all("nan" not in label and "inf" not in label for label in labels)
    assert fmt.money_tick(1_250_000, 250_000) == f"₹12.5{NB}L"
    assert fmt.money_tick(10_000_000, 2_500_000) == f"₹1{NB}Cr"
    assert fmt.money_tick(1000, 500) == "₹1,000"
    assert fmt.money_tick(50_000, 50_000, top=250_000) == f"₹0.5{NB}L"  # one unit per axis
    assert fmt.money_tick(5_000_000, 5_000_000, top=20_000_000) == f"₹0.5{NB}Cr"


@pytest.mark.parametrize("low,high", [(0, 0), (0, 1), (0, 7), (-50, 1234), (0, 1e12), (5, 5)])
def test_nice_ticks_cover_the_range(low, high):
    ticks = fmt.nice_ticks(low, high)
    assert ticks == sorted(ticks)
    assert ticks[0] <= min(low, 0) and ticks[-1] >= high
    assert all(math.isfinite(t) for t in ticks)
