"""Period arithmetic: date presets, the comparison window of a selection, and relative change.

METRICS.md "Comparison and planning": the comparison period of a selection [start, end] of n days is
[start − n, start − 1] ("previous"), or the same dates one year earlier ("year"); change =
(now − then) / then, undefined when then is 0. Presets ("last-30", "this-fy", …) resolve against
the data's last sale date, never against today, so a link names the same days for the same data.

Calendar arithmetic is dateutil's `relativedelta` (month and year steps clamp to the month's last
day: 29 Feb 2024 one year back is 28 Feb 2023). No warehouse access here: callers pass the dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dateutil.relativedelta import relativedelta

COMPARE_MODES = ("previous", "year")
COMPARE_LABELS = {"previous": "Previous period", "year": "Same period last year"}

# (key as written in the URL and on the command line, label), in the filter bar's order.
PRESETS = (
    ("last-7", "Last 7 days"),
    ("last-30", "Last 30 days"),
    ("last-90", "Last 90 days"),
    ("this-month", "This month"),
    ("last-month", "Last month"),
    ("this-quarter", "This quarter"),
    ("last-quarter", "Last quarter"),
    ("this-fy", "This financial year (Apr–Mar)"),
    ("last-fy", "Last financial year (Apr–Mar)"),
    ("all", "All time"),
)
PRESET_KEYS = tuple(key for key, _ in PRESETS)
PRESET_LABELS = dict(PRESETS)
FY_FIRST_MONTH = 4  # the Indian financial year runs 1 April – 31 March


class PeriodError(ValueError):
    """An unknown preset or comparison mode."""


@dataclasses.dataclass(frozen=True)
class Window:
    """An inclusive range of days."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Number of days, both ends included."""
        return (self.end - self.start).days + 1


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _fy_start(day: dt.date) -> dt.date:
    year = day.year if day.month >= FY_FIRST_MONTH else day.year - 1
    return dt.date(year, FY_FIRST_MONTH, 1)


def preset_window(preset: str, last_sale: dt.date | None) -> Window | None:
    """The days a preset names, counted back from `last_sale` (the data's last sale date).

    last-N: the N days ending on last_sale. this-month / this-quarter / this-fy: from the start of
    the calendar month / calendar quarter (Jan, Apr, Jul, Oct; Indian FY quarters share these
    boundaries) / financial year (1 April) containing last_sale, to last_sale. last-month /
    last-quarter / last-fy: the whole period before that one. "all", or no dated sale: None (no
    date range). Raises PeriodError for an unknown preset.
    """
    if preset not in PRESET_KEYS:
        raise PeriodError(f"period: {preset!r} is not a preset; choose from {', '.join(PRESET_KEYS)}")
    if preset == "all" or last_sale is None:
        return None
    if preset.startswith("last-") and preset[5:].isdigit():
        return Window(last_sale - dt.timedelta(days=int(preset[5:]) - 1), last_sale)
    unit, step = {
        "month": (_month_start, relativedelta(months=1)),
        "quarter": (_quarter_start, relativedelta(months=3)),
        "fy": (_fy_start, relativedelta(years=1)),
    }[preset.split("-", 1)[1]]
    current = unit(last_sale)
    if preset.startswith("this-"):
        return Window(current, last_sale)
    return Window(current - step, current - dt.timedelta(days=1))


def comparison_window(window: Window, mode: str = "previous") -> Window:
    """The period a selection is compared with: "previous" = the n days just before it
    ([start − n, start − 1]); "year" = the same dates one year earlier (29 Feb → 28 Feb).
    Raises PeriodError for another mode."""
    if mode == "previous":
        return Window(window.start - dt.timedelta(days=window.days), window.start - dt.timedelta(days=1))
    if mode == "year":
        return Window(window.start - relativedelta(years=1), window.end - relativedelta(years=1))
    raise PeriodError(f"compare: {mode!r} is not a comparison; choose from {', '.join(COMPARE_MODES)}")


def relative_change(now, then) -> float | None:
    """(now − then) ÷ |then| (a fraction: 0.25 = +25 %); None when either is missing or then is 0.

    The contract's (now − then) ÷ then, divided by the magnitude so that the sign always says
    whether the figure rose or fell (a ROI going from −50 % to −25 % rose: +50 %, not −50 %)."""
    if now is None or then is None or isinstance(now, bool) or isinstance(then, bool):
        return None
    try:
        now, then = float(now), float(then)
    except (TypeError, ValueError):
        return None
    if then == 0 or now != now or then != then:
        return None
    return (now - then) / abs(then)


CHANGE_DECIMALS = 1  # a change is shown in percent with one decimal (metrics.format.change)


def change_tone(change: float | None, higher_is_better: bool | None) -> str | None:
    """'good' / 'bad' for a change of a figure with that direction; None when undefined, when it is
    shown as zero ("0.0%": float noise such as a ROAS equal up to 1e-16 is no change) or the figure
    has no better direction (CAC up is 'bad')."""
    if change is None or higher_is_better is None or round(change * 100, CHANGE_DECIMALS) == 0:
        return None
    return "good" if (change > 0) == higher_is_better else "bad"
