"""Display formatting for every number on the dashboard and in the PDF report.

Money is Indian Rupees with Indian digit grouping (₹1,78,79,815) and lakh / crore short forms
(₹12.35 L, ₹17.88 Cr) on cards and axes. Undefined values (None, NaN, ±inf: a ratio with a zero
denominator) are shown as an em dash "—", never as "inf", "nan" or 0.

Part of the metric contract (METRICS.md, "Money formatting"); pure functions, no Dash import:
used by pages, callbacks, figures, insights texts, the CLI and reports/.
"""
from __future__ import annotations

import math
import numbers

from babel.numbers import format_currency, format_decimal

LOCALE = "en_IN"
DASH = "—"
NBSP = "\u00a0"

LAKH = 100_000
CRORE = 10_000_000


def clean(value) -> float | None:
    """The value as a float, or None when it is missing or not finite (None, NaN, ±inf, pd.NA)."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, numbers.Number):
        number = float(value)
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
    return number if math.isfinite(number) else None


def _decimal(value: float, decimals: int) -> str:
    pattern = "#,##,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def inr(value, decimals: int = 0) -> str:
    """Full rupee amount with Indian grouping: inr(17879815.3) == '₹1,78,79,815'."""
    number = clean(value)
    if number is None:
        return DASH
    pattern = "¤#,##,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_currency(number, "INR", format=pattern, locale=LOCALE, currency_digits=False)
    return text


def inr_compact(value, decimals: int = 2) -> str:
    """Short rupee amount: ₹17.88 Cr, ₹12.35 L, and full grouping below one lakh (₹99,999).

    Crores keep Indian grouping of the crore count (₹1,250 Cr). Trailing zeros are kept so that
    a column of figures lines up (₹2.50 Cr).
    """
    return _lakh_crore(value, decimals, "₹")


def count(value) -> str:
    """A whole count with Indian grouping: 107154 -> '1,07,154'."""
    number = clean(value)
    if number is None:
        return DASH
    return _decimal(round(number), 0)


def count_compact(value, decimals: int = 1) -> str:
    """A count in lakh / crore: 107154 -> '1.1 L'; below one lakh the full count."""
    return _lakh_crore(value, decimals, "")


def _lakh_crore(value, decimals: int, symbol: str) -> str:
    """`symbol` + the value in crore (Cr) or lakh (L), or in full with Indian grouping below a lakh."""
    number = clean(value)
    if number is None:
        return DASH
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    # A value that would round up to 100 L is shown as crore (₹1.00 Cr, not ₹100.00 L).
    if magnitude >= CRORE or round(magnitude / LAKH, decimals) >= 100:
        return f"{sign}{symbol}{_decimal(magnitude / CRORE, decimals)}{NBSP}Cr"
    if round(magnitude) >= LAKH:
        return f"{sign}{symbol}{_decimal(magnitude / LAKH, decimals)}{NBSP}L"
    return f"{sign}{symbol}{_decimal(round(magnitude), 0)}"


def followers(value) -> str:
    """Follower counts the way platforms show them: 9.3M, 485K, 950."""
    number = clean(value)
    if number is None:
        return DASH
    magnitude = abs(number)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= limit:
            text = f"{number / limit:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{number:.0f}"


def ratio(value, decimals: int = 2) -> str:
    """ROAS and other multiples: 11.2067 -> '11.21x'; undefined -> '—'."""
    number = clean(value)
    if number is None:
        return DASH
    return f"{_decimal(number, decimals)}x"


def pct(value, decimals: int = 1) -> str:
    """A value already in percent (roi_pct, engagement_rate_pct): 35.2 -> '35.2%'."""
    number = clean(value)
    if number is None:
        return DASH
    return f"{_decimal(number, decimals)}%"


def share(value, decimals: int = 1) -> str:
    """A fraction shown as percent (revenue_share 0.352 -> '35.2%')."""
    number = clean(value)
    if number is None:
        return DASH
    return pct(number * 100, decimals)


def decimal(value, decimals: int = 2) -> str:
    number = clean(value)
    if number is None:
        return DASH
    return _decimal(number, decimals)


def score(value) -> str:
    """Efficiency score 0–100, one decimal."""
    return decimal(value, 1)


# --- axis helpers (used by figures) ---------------------------------------------------------

def money_unit(max_abs: float | None) -> tuple[float, str]:
    """(divisor, label) for an axis whose largest absolute value is max_abs: crore, lakh or rupees."""
    number = clean(max_abs) or 0.0
    if number >= CRORE:
        return float(CRORE), "₹ Cr"
    if number >= LAKH:
        return float(LAKH), "₹ L"
    return 1.0, "₹"


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values covering [low, high] (0 included when the range allows)."""
    low = min(0.0, clean(low) or 0.0)
    high = max(0.0, clean(high) or 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / max(target, 1)
    power = 10 ** math.floor(math.log10(raw))
    for step_factor in (1, 2, 2.5, 5, 10):
        step = step_factor * power
        if (high - low) / step <= target:
            break
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def money_tick(value: float, step: float, top: float | None = None) -> str:
    """Axis label for a rupee tick in lakh/crore, with as many decimals as the step needs.

    `top` (the axis's largest tick) fixes one unit for the whole axis, so a lakh axis reads
    ₹0, ₹0.5 L, ₹1 L … rather than mixing ₹50,000 with ₹1 L.
    """
    number = clean(value)
    if number is None:
        return ""
    if number == 0:
        return "₹0"
    magnitude = abs(number)
    sign = "-" if number < 0 else ""
    reference = abs(clean(top) or 0) or magnitude
    for unit, suffix in ((CRORE, "Cr"), (LAKH, "L")):
        if reference >= unit:
            decimals = 0
            while decimals < 3 and abs(round(step / unit, decimals) - step / unit) > 1e-9:
                decimals += 1
            text = _decimal(magnitude / unit, decimals)
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{sign}₹{text}{NBSP}{suffix}"
    return f"{sign}₹{_decimal(magnitude, 0)}"
