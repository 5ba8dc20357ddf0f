"""Display formatting for every number on the dashboard and in the PDF report.

Money is Indian Rupees with Indian digit grouping (₹1,78,79,815) and lakh / crore short forms
(₹12.35 L, ₹17.88 Cr) on cards and axes. Undefined values (None, NaN, ±inf: a ratio with a zero
denominator) are shown as an em dash "—", never as "inf", "nan" or 0.

Part of the metric contract (METRICS.md, "Money formatting"); pure functions, no Dash import:
used by pages, callbacks, figures, insights texts, the CLI and reports/.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import os
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal, parse_pattern

LOCALE = "en_IN"
# Parsed once (immutable): babel parses a locale name and a pattern string again on every call,
# two thirds of its time on a ranking's thousands of figures.
_LOCALE = Locale.parse(LOCALE)
RUPEE = _LOCALE.currency_symbols["INR"]
DASH = "—"
NBSP = "\u00a0"
# The sign of a negative rupee amount: the hyphen-minus every negative number uses, joined to the ₹
# by a word joiner (U+2060), as a line may break after a hyphen: "-⏎₹4.10 L" in the PDF read as a dash.
NEGATIVE = "-\u2060"

LAKH = 100_000
CRORE = 10_000_000


def clean(value) -> float | None:
    """The value as a float, or None when it is missing or not finite (None, NaN, ±inf, pd.NA)."""
    if type(value) is float:  # most calls: skips the ABC check (a third of a ranking's formatting)
        return value if math.isfinite(value) else None
    if type(value) is int:  # counts (a ranking's posts): always finite
        return float(value)
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, numbers.Real):
        number = float(value)
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
    return number if math.isfinite(number) else None


@functools.lru_cache(maxsize=32)
def _pattern(text: str):
    return parse_pattern(text)


def _decimal(value: float, decimals: int) -> str:
    """babel's format_decimal(value, "#,##,##0.00…", locale=en_IN), done in its steps (the decimal
    of str(value), rounded half away from zero to `decimals` as `half_away`, grouped 3 then 2 with
    ",", "-" before a signed value) without its per-call pattern and symbol look-ups: a ranking
    formats ~15,000 figures per filter change. Non-finite and huge values go to babel itself (its
    symbols, its errors; its ties half-even)."""
    if decimals == 0 and _whole(value):  # counts and whole rupees: the digits are the integer's
        return ("-" if math.copysign(1.0, value) < 0 else "") + _grouped(str(abs(int(value))))
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite() or decimals > 6 or number.adjusted() > 20:
        pattern = "#,##,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=_pattern(pattern), locale=_LOCALE)
    whole, _, fraction = f"{abs(number).quantize(_QUANTA[decimals], ROUND_HALF_UP):f}".partition(".")
    whole = _grouped(whole)
    return ("-" if number.is_signed() else "") + (f"{whole}.{fraction}" if decimals > 0 else whole)


def _whole(value) -> bool:
    """An int or a float holding a whole number below 10^15: str(value)'s decimal is that integer,
    so rounding it to 0 decimals changes nothing (most figures of a ranking: counts, whole rupees)."""
    kind = type(value)
    if kind is float:
        return value.is_integer() and -1e15 < value < 1e15
    return kind is int and -(10**15) < value < 10**15


def _grouped(whole: str) -> str:
    """Digits grouped the Indian way: the last 3, then 2 by 2 ("1234567" -> "12,34,567")."""
    if len(whole) <= 3:
        return whole
    head, tail = whole[:-3], whole[-3:]
    return ",".join([head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]) + "," + tail


_QUANTA = tuple(Decimal(1).scaleb(-d) for d in range(7))
_TENS = tuple(10.0**d for d in range(8))


def half_away(number: float, decimals: int = 0) -> float:
    """The display's one rounding rule (docs/metrics.md "Display"; the grids' `shown` alike): the
    number's shortest decimal (str(number), what JavaScript's String(number) writes too) rounded half
    away from zero, as a spreadsheet rounds: 1.525 -> 1.53, 0.015 -> 0.02, -2.5 -> -3.0. Python's
    round() works on the binary value, half to even (round(1.005, 2) == 1.0), and the browser's
    arithmetic on another binary product: the grid and the PDF disagreed on about a third of ties."""
    if decimals == 0 and _whole(number):
        return float(number)
    if decimals > 6:  # beyond any figure's decimals (and _QUANTA's)
        return round(number, decimals)
    # Only a tie of the digits (a 5 one place past `decimals`, last) rounds otherwise than round():
    # another decimal and the binary value lie on one side of the half (str is the shortest decimal
    # that reads back as the number), so round() gives it, at a fifth of str's and Decimal's cost
    # where the number is not near a half (the float test: most figures).
    scaled = abs(number) * _TENS[decimals + 1]
    if abs(scaled % 10 - 5) > 1e-9 * (scaled + 1):
        return round(number, decimals)
    text = str(number)
    if text[-1] != "5" or "e" in text or len(text) - text.find(".") != decimals + 2:
        return round(number, decimals)
    return float(Decimal(text).quantize(_QUANTA[decimals], ROUND_HALF_UP))


def _rounded(number: float, decimals: int) -> float:
    """The number as it will be shown; a value that shows as zero is +0 (never "-₹0.00", "-0.0%")."""
    shown = half_away(number, decimals)
    return 0.0 if shown == 0 else shown


def inr(value, decimals: int = 0) -> str:
    """Full rupee amount with Indian grouping: inr(17879815.3) == '₹1,78,79,815'; inr(-0.004, 2) == '₹0.00'."""
    number = clean(value)
    if number is None:
        return DASH
    shown = _rounded(number, decimals)
    # babel's currency pattern "¤#,##,##0" gives exactly this (its negative form is "-¤…"), at
    # three times the cost (currency name and plural look-ups on every call).
    return f"{NEGATIVE if shown < 0 else ''}{RUPEE}{_decimal(abs(shown), decimals)}"


def inr_compact(value, decimals: int = 2) -> str:
    """Short rupee amount: ₹17.88 Cr, ₹12.35 L, and full grouping below one lakh (₹99,999).

    Crores keep Indian grouping of the crore count (₹1,250 Cr). Trailing zeros are kept so that
    a column of figures lines up (₹2.50 Cr).
    """
    return _lakh_crore(value, decimals, "₹")


def inr_small(value) -> str:
    """A rupee amount that is often below a rupee (revenue per follower): two significant digits
    below ₹1 (up to 4 decimals), paise below ₹100, whole rupees up to a lakh, lakh / crore above:
    0.0035 -> '₹0.0035', 0.4567 -> '₹0.46', 12.345 -> '₹12.35', 719.56 -> '₹720', 1234567 -> '₹12.35 L'."""
    number = clean(value)
    if number is None:
        return DASH
    magnitude = abs(number)
    if magnitude >= LAKH:
        return inr_compact(number)
    if 0 < magnitude < 1:
        return inr(number, min(4, max(2, 1 - math.floor(math.log10(magnitude)))))
    return inr(number, 2 if magnitude < 100 else 0)


def count(value) -> str:
    """A count with Indian grouping: 107154 -> '1,07,154'. An estimated count (new customers as
    share × orders) is not whole: it keeps up to two decimals (1.8, 1,126.6), so that the ratio
    built on it (CAC = spend / 1.8) can be checked from the figure shown."""
    number = clean(value)
    if number is None:
        return DASH
    shown = _rounded(number, 2)
    if shown.is_integer():
        return _decimal(_rounded(number, 0), 0)
    return _decimal(shown, 2).rstrip("0")


def counted(value, noun: str, plural: str | None = None) -> str:
    """A count and its noun, singular for exactly 1: counted(1, "order") -> '1 order', counted(1200,
    "order") -> '1,200 orders', counted(None, "order") -> '— orders'. `plural` for irregular nouns
    (default noun + "s")."""
    shown = count(value)
    return f"{shown} {noun if shown == '1' else plural or noun + 's'}"


def count_compact(value, decimals: int = 1) -> str:
    """A count in lakh / crore: 107154 -> '1.1 L'; below one lakh the full count."""
    return _lakh_crore(value, decimals, "")


def _lakh_crore(value, decimals: int, symbol: str, trim: bool = False) -> str:
    """`symbol` + the value in crore (Cr) or lakh (L), or in full with Indian grouping below a lakh.

    trim: drop trailing zeros of the decimals (86 L rather than 86.0 L)."""
    number = clean(value)
    if number is None:
        return DASH
    magnitude = abs(number)
    whole = half_away(magnitude)
    sign = ("-" if not symbol else NEGATIVE) if number < 0 and whole > 0 else ""
    # A value that would round up to 100 L is shown as crore (₹1.00 Cr, not ₹100.00 L).
    if magnitude >= CRORE or half_away(magnitude / LAKH, decimals) >= 100:
        amount, suffix = magnitude / CRORE, f"{NBSP}Cr"
    elif whole >= LAKH:
        amount, suffix = magnitude / LAKH, f"{NBSP}L"
    else:
        return f"{sign}{symbol}{_decimal(whole, 0)}"
    text = _decimal(amount, decimals)
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{sign}{symbol}{text}{suffix}"


def followers(value) -> str:
    """Follower counts in Indian units: 8,600,000 -> '86 L', 485,000 -> '4.85 L', 12,345 -> '12,345',
    125,000,000 -> '12.5 Cr' (lakh / crore, up to two decimals, trailing zeros dropped)."""
    return _lakh_crore(value, 2, "", trim=True)


def followers_column(values) -> list[str]:
    """A column of follower counts, one text per value: every value in the unit of the column's
    largest (crore, lakh, or in full below a lakh) with two decimals ("0.77 L" beside "19.11 L"),
    as the grids' hkFollowers (docs/metrics.md "Display"). A value that would read 0.00 in that unit
    reads in full (0, 350): two decimals of a lakh cannot say it. Missing values read "—"."""
    numbers = [clean(v) for v in values]
    top = max((abs(n) for n in numbers if n is not None), default=0.0)
    if top >= CRORE or half_away(top / LAKH, 2) >= 100:
        unit, suffix = CRORE, f"{NBSP}Cr"
    elif half_away(top) >= LAKH:
        unit, suffix = LAKH, f"{NBSP}L"
    else:
        return [followers(n) for n in numbers]
    return [_in_unit(n, unit, suffix) for n in numbers]


def _in_unit(number: float | None, unit: int, suffix: str) -> str:
    """`number` in `unit` with two decimals and `suffix`; in full where that would read 0.00."""
    if number is None:
        return DASH
    shown = _rounded(abs(number) / unit, 2)
    if shown == 0:
        return followers(number)
    return ("-" if number < 0 else "") + _decimal(shown, 2) + suffix


def money_column(values, decimals: int = 0) -> list[str]:
    """A column of rupee amounts, one text per value, in one unit (docs/metrics.md "Display"): the
    largest of crore, lakh and rupee that no non-zero value of the column falls below, as a money
    axis picks its unit, so no amount reads as a fraction of its unit ("₹0.24 L"): "₹48,01,000"
    beside "₹24,120" (as the grids show money), "₹1.50 L" beside "₹12.35 L", "₹1,234.57 L" beside
    "₹40.00 L". In lakh or crore with two decimals, in full with `decimals` (as `inr`); missing "—"."""
    numbers = [clean(v) for v in values]
    least = min((abs(n) for n in numbers if n), default=0.0)
    if half_away(least / CRORE, 2) >= 1:
        unit, suffix = CRORE, f"{NBSP}Cr"
    elif half_away(least / LAKH, 2) >= 1:
        unit, suffix = LAKH, f"{NBSP}L"
    else:
        return [inr(n, decimals) for n in numbers]
    return [inr(n, decimals) if not n else _rupees_in(n, unit, suffix) for n in numbers]


def _rupees_in(number: float, unit: int, suffix: str) -> str:
    """A non-zero amount in `unit` (lakh, crore) with two decimals: -1,23,456 -> "-⁠₹1.23 L"."""
    return f"{NEGATIVE if number < 0 else ''}{RUPEE}{_decimal(_rounded(abs(number) / unit, 2), 2)}{suffix}"


def counts_column(values) -> list[str]:
    """A column of counts, one text per value: as `count`, but every value with two decimals when
    one of them is an estimated (not whole) count ("2,544.70" beside "2,727.16"), as the grids'
    hkCount. Missing values read "—"."""
    numbers = [clean(v) for v in values]
    if all(n is None or _rounded(n, 2).is_integer() for n in numbers):
        return [count(n) for n in numbers]
    return [DASH if n is None else _decimal(_rounded(n, 2), 2) for n in numbers]


def ratio(value, decimals: int = 2) -> str:
    """ROAS and other multiples: 11.2067 -> '11.21x'; undefined -> '—'."""
    number = clean(value)
    if number is None:
        return DASH
    return f"{_decimal(_rounded(number, decimals), decimals)}x"


def pct(value, decimals: int = 1) -> str:
    """A value already in percent (roi_pct, engagement_rate_pct): 35.2 -> '35.2%'; -0.04 -> '0.0%'."""
    number = clean(value)
    if number is None:
        return DASH
    return f"{_decimal(_rounded(number, decimals), decimals)}%"


def below(value, bar: float, formatter, decimals: int) -> str:
    """`value` formatted with as many more decimals (up to 4 more) as it takes not to read like
    `bar` when it lies below it: ratio 1.9992 against a 2x bar -> "1.999x", not "2.00x"."""
    for places in range(decimals, decimals + 5):
        text = formatter(value, places)
        if text != formatter(bar, places):
            return text
    return text


def share(value, decimals: int = 1) -> str:
    """A fraction shown as percent (revenue_share 0.352 -> '35.2%')."""
    number = clean(value)
    if number is None:
        return DASH
    return pct(number * 100, decimals)


def decimal(value, decimals: int = 2) -> str:
    """A plain number with Indian grouping and `decimals` decimals; -0.001 -> '0.00'."""
    number = clean(value)
    if number is None:
        return DASH
    return _decimal(_rounded(number, decimals), decimals)


def score(value) -> str:
    """Efficiency score 0–100, one decimal."""
    return decimal(value, 1)


def paise(value) -> float | None:
    """A rupee amount for a file (CSV): rounded to paise, None when undefined (2960740.6700000046 -> 2960740.67)."""
    number = clean(value)
    return None if number is None else _rounded(number, 2)


def payout_rate(fee_per_post=None, per_order=None, commission_pct=None) -> str:
    """Parsed payout terms as text: '₹6,11,631 per post', '12.3 % commission',
    '₹53,375 per post + 6.2 % commission'; '—' when the row gives no terms."""
    parts = []
    if clean(fee_per_post) is not None:
        parts.append(f"{inr(fee_per_post, _paise_if_any(fee_per_post))} per post")
    if clean(per_order) is not None:
        parts.append(f"{inr(per_order, _paise_if_any(per_order))} per order")
    if clean(commission_pct) is not None:
        parts.append(f"{decimal(commission_pct, 1).removesuffix('.0')} % commission")
    return " + ".join(parts) or DASH


def _paise_if_any(value) -> int:
    return 0 if float(value).is_integer() else 2


# --- dates and times ---------------------------------------------------------------------------

# Timestamps are shown in this time zone (a setting: HKDASH_TIMEZONE, an IANA name), labelled
# with its abbreviation. The team works in India, so India Standard Time by default.
TIMEZONE = os.environ.get("HKDASH_TIMEZONE", "Asia/Kolkata")


def date(value) -> str:
    """A calendar date the one way every page, hover, table and the PDF shows it: '5 Jan 2025'.
    Accepts a date, a datetime, a pandas Timestamp or ISO text; '—' when missing or unreadable."""
    day = _as_date(value)
    return DASH if day is None else f"{day.day} {day:%b %Y}"


def timestamp(value, zone: str | None = None) -> str:
    """A moment in India time (or `zone`), labelled: '30 Nov 2026, 08:28 IST'. Naive values are UTC
    (the warehouse stores UTC). '—' when missing or unreadable."""
    if value is None or value == "":
        return DASH
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return DASH
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(zoneinfo.ZoneInfo(zone or TIMEZONE))
    return f"{date(local.date())}, {local:%H:%M} {local.tzname()}"


def _as_date(value) -> dt.date | None:
    if value is None or value != value:  # NaT and NaN are not equal to themselves
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --- axis helpers (used by figures) ---------------------------------------------------------


def nice_ticks(low: float, high: float, target: int = 5, whole: bool = False) -> list[float]:
    """Round tick values covering [low, high] (0 included when the range allows); `whole`: steps of
    at least 1 (counts: no 0.2 influencer)."""
    low = min(0.0, clean(low) or 0.0)
    high = max(0.0, clean(high) or 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / max(target, 1)
    power = 10 ** math.floor(math.log10(raw))
    for step_factor in (1, 2, 2.5, 5, 10):
        step = step_factor * power
        if (high - low) / step <= target and not (whole and step != int(step)):
            break
    if whole:
        step = max(1.0, step)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def money_axis_unit(step: float) -> tuple[float, str]:
    """The one unit of a rupee axis whose ticks are `step` apart: crore, lakh or rupee, the largest
    not above the step, so that no tick is a fraction of its unit below one (no ₹0.5 Cr) and
    every tick of the axis reads in the same unit (no ₹50,000 beside ₹1 L)."""
    step = abs(step)
    if step >= CRORE:
        return CRORE, f"{NBSP}Cr"
    if step >= LAKH:
        return LAKH, f"{NBSP}L"
    return 1, ""


def money_tick(value: float, step: float) -> str:
    """Axis label for a rupee tick in the unit of its axis (money_axis_unit of the step: ₹50,000 ·
    ₹1,00,000 · ₹1,50,000 with Indian grouping; ₹25 L · ₹50 L · ₹75 L; ₹5 Cr · ₹10 Cr), with as many
    decimals as the step needs in that unit (₹0.25 on an axis of paise, ₹2.5 L)."""
    number = clean(value)
    if number is None:
        return ""
    if number == 0:
        return "₹0"
    sign = "-" if number < 0 else ""
    unit, suffix = money_axis_unit(step)
    decimals = 0
    while decimals < 4 and abs(round(step / unit, decimals) - step / unit) > 1e-9 * max(1.0, step / unit):
        decimals += 1
    text = _decimal(abs(number) / unit, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{sign}₹{text}{suffix}"


def money_ticks(ticks: list[float]) -> list[str]:
    """Labels for evenly spaced rupee ticks (nice_ticks), all in one unit (money_axis_unit); every
    label distinct (no '₹0 ₹0 ₹1 ₹1'). A lone tick reads in its own unit."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else (abs(clean(ticks[0]) or 0.0) if ticks else 0.0) or 1.0
    return [money_tick(t, step) for t in ticks]


def change(value, decimals: int = 1) -> str:
    """A relative change (fraction) with its sign: 0.123 -> '+12.3%', -0.04 -> '-4.0%', a change that
    rounds to zero '0.0%', None -> '—'. The minus is the hyphen-minus every negative number on the
    dashboard, in the PDF and in files uses (Babel's ₹ amounts, percentages): one sign in a view."""
    number = clean(value)
    if number is None:
        return DASH
    rounded = _rounded(number * 100, decimals)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{_decimal(abs(rounded), decimals)}%"
