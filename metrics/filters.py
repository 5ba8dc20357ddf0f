"""The selection a user makes: which influencers and which sales a figure covers.

Influencer attributes (platform, category, tier) select whole influencers. Sale attributes
(brand, campaign, product, date range) select a share of each influencer's sales and cost.
The same object travels through the URL query string, the CLI and the PDF report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qs, urlencode

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
    inclusive date range. Raises FilterError for an invalid date or an end before the start."""

    platform: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    campaign: tuple[str, ...] = ()
    product: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None

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
        return out

    def to_query_string(self) -> str:
        """The URL query string of the selection (no leading `?`; '' for none), read back by from_query_string."""
        pairs = [(name, value) for name in LIST_FIELDS for value in getattr(self, name)]
        if self.start:
            pairs.append(("start", self.start.isoformat()))
        if self.end:
            pairs.append(("end", self.end.isoformat()))
        return urlencode(pairs)

    @classmethod
    def from_query_string(cls, query: str | None) -> Filters:
        """Parse `platform=Instagram&platform=YouTube&start=2025-01-01` (leading `?` allowed).

        Unknown keys are ignored so that links stay valid when the filter bar changes.
        """
        parsed = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
        values = {name: tuple(parsed.get(name, ())) for name in LIST_FIELDS}
        start, end = (_parse_date(next(iter(parsed.get(key, [])), None), key) for key in ("start", "end"))
        return cls(**values, start=start, end=end)

    def describe(self) -> str:
        """Human-readable one-liner for report covers and captions."""
        parts = [f"{name}: {', '.join(getattr(self, name))}" for name in LIST_FIELDS if getattr(self, name)]
        if self.start or self.end:
            parts.append(f"dates: {self.start or '…'} to {self.end or '…'}")
        return "; ".join(parts) if parts else "all data"
