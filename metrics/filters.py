"""The selection a user makes: which influencers and which sales a figure covers.

Influencer attributes (platform, category, tier) select whole influencers. Sale attributes
(brand, campaign, product, date range) select a share of each influencer's sales and cost.
The same object travels through the URL query string, the CLI and the PDF report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qs, urlencode

from metrics import periods

INFLUENCER_DIMENSIONS = ("platform", "category", "tier")
SALE_DIMENSIONS = ("brand", "campaign", "product")
LIST_FIELDS = INFLUENCER_DIMENSIONS + SALE_DIMENSIONS


class FilterError(ValueError):
    """A filter value that cannot be used (bad date, end before start)."""


def _parse_date(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FilterError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


@dataclasses.dataclass(frozen=True)
class Filters:
    """A selection: values of each list field (any of them matches; sorted, de-duplicated) and an
    inclusive date range. `period` is a date preset as written in a link (metrics.periods.PRESETS):
    `resolved(last_sale)` turns it into start/end; `compare` is the comparison the KPI cards and
    Δ columns show ("previous" or "year"). Raises FilterError for an invalid date, an end before the
    start, an unknown preset or comparison."""

    platform: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    campaign: tuple[str, ...] = ()
    product: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    period: str | None = None
    compare: str = periods.COMPARE_MODES[0]

    def __post_init__(self):
        for name in LIST_FIELDS:
            values = getattr(self, name) or ()
            if isinstance(values, str):
                values = (values,)
            cleaned = tuple(sorted({str(v) for v in values if v is not None and str(v) != ""}))
            object.__setattr__(self, name, cleaned)
        object.__setattr__(self, "start", _parse_date(self.start, "start"))
        object.__setattr__(self, "end", _parse_date(self.end, "end"))
        if self.start and self.end and self.end < self.start:
            raise FilterError(f"end {self.end} is before start {self.start}")
        if self.period in ("", None):
            object.__setattr__(self, "period", None)
        elif self.period not in periods.PRESET_KEYS:
            raise FilterError(f"period: {self.period!r} is not a preset; choose from {', '.join(periods.PRESET_KEYS)}")
        if self.compare not in periods.COMPARE_MODES:
            raise FilterError(f"compare: {self.compare!r} is not one of {', '.join(periods.COMPARE_MODES)}")

    def resolved(self, last_sale: dt.date | None) -> Filters:
        """The selection with its preset turned into dates counted back from the data's last sale
        date (metrics.periods.preset_window); itself when it has no preset. "all" clears the dates."""
        if self.period is None:
            return self
        window = periods.preset_window(self.period, last_sale)
        return dataclasses.replace(self, start=window.start if window else None, end=window.end if window else None)

    def comparison(self, first_sale: dt.date | None, last_sale: dt.date | None) -> Filters | None:
        """The same selection over its comparison window (metrics.periods.comparison_window, mode
        `compare`); an open end of the range is the data's first / last sale date. None without a
        date range (all time has no earlier period to compare with) or without dated sales."""
        if not (self.start or self.end):
            return None
        start, end = self.start or first_sale, self.end or last_sale
        if start is None or end is None or end < start:
            return None
        window = periods.comparison_window(periods.Window(start, end), self.compare)
        return dataclasses.replace(self, start=window.start, end=window.end, period=None)

    @property
    def has_sale_filter(self) -> bool:
        """True when the selection takes a share of influencers' sales rather than all of them."""
        return bool(self.brand or self.campaign or self.product or self.start or self.end)

    @property
    def is_empty(self) -> bool:
        """True when nothing is selected (every sale and influencer counts)."""
        return self == Filters()

    def as_dict(self) -> dict:
        """Plain JSON-friendly form (lists and ISO dates), as `summary --json` prints it."""
        out: dict[str, list[str] | str | None] = {name: list(getattr(self, name)) for name in LIST_FIELDS}
        out["start"] = self.start.isoformat() if self.start else None
        out["end"] = self.end.isoformat() if self.end else None
        out["period"] = self.period
        return out

    def to_query_string(self) -> str:
        """The URL query string of the selection (no leading `?`; '' for none), read back by from_query_string."""
        pairs = [(name, value) for name in LIST_FIELDS for value in getattr(self, name)]
        if self.period:  # kept as written, so a link names the same days whenever it is opened
            pairs.append(("period", self.period))
        else:
            if self.start:
                pairs.append(("start", self.start.isoformat()))
            if self.end:
                pairs.append(("end", self.end.isoformat()))
        if self.compare != periods.COMPARE_MODES[0]:
            pairs.append(("compare", self.compare))
        return urlencode(pairs)

    @classmethod
    def from_query_string(cls, query: str | None) -> Filters:
        """Parse `platform=Instagram&platform=YouTube&start=2025-01-01` (leading `?` allowed).

        Unknown keys are ignored so that links stay valid when the filter bar changes. A `period`
        preset is kept unresolved (start/end None): `resolved(last_sale)` gives its dates.
        """
        parsed = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
        values = {name: tuple(parsed.get(name, ())) for name in LIST_FIELDS}
        first = {key: next(iter(parsed.get(key, [])), None) for key in ("start", "end", "period", "compare")}
        if first["period"]:
            start = end = None
        else:
            start, end = (_parse_date(first[key], key) for key in ("start", "end"))
        return cls(
            **values, start=start, end=end, period=first["period"], compare=first["compare"] or periods.COMPARE_MODES[0]
        )

    def describe(self) -> str:
        """Human-readable one-liner for report covers and captions."""
        parts = [f"{name}: {', '.join(getattr(self, name))}" for name in LIST_FIELDS if getattr(self, name)]
        if self.period:
            parts.append(f"period: {periods.PRESET_LABELS[self.period]}")
        if self.start or self.end:
            parts.append(f"dates: {self.start or '…'} to {self.end or '…'}")
        return "; ".join(parts) if parts else "all data"
