"""Payout terms: the basis vocabulary and rates written as text.

Real files write rates as plain numbers or as text: `₹437,947/post`, `₹120/order`,
`12.3% commission`, `₹53,375/post + 6.2%`, `₹2,500 per post`, `Rs 6k/reel`. A rate parses into up to three parts: a fee per post,
a fee per order and a commission percentage. A plain number means what the basis says.
"""

from __future__ import annotations

import dataclasses
import re

from warehouse.values import AMOUNT, amount

BASES = ("post", "order", "commission", "hybrid", "gifted")

_BASIS_ALIASES = {
    "post": "post",
    "per post": "post",
    "per_post": "post",
    "fixed": "post",
    "flat": "post",
    "order": "order",
    "per order": "order",
    "per_order": "order",
    "cpo": "order",
    "cpa": "order",
    "commission": "commission",
    "percentage": "commission",
    "revenue share": "commission",
    "hybrid": "hybrid",
    "post + commission": "hybrid",
    "gifted": "gifted",
    "barter": "gifted",
    "gift": "gifted",
}


def normalise_basis(text: str | None) -> str | None:
    """The canonical basis for a file's spelling, or None when it is not one we know."""
    if text is None:
        return None
    return _BASIS_ALIASES.get(" ".join(str(text).strip().lower().replace("-", " ").split()))


@dataclasses.dataclass(frozen=True)
class Rate:
    """Payout terms parsed from a rate cell: ₹ per post, ₹ per order, commission in % of revenue
    (each None when the terms do not have that part)."""

    fee_per_post: float | None = None
    per_order: float | None = None
    commission_pct: float | None = None

    @property
    def is_empty(self) -> bool:
        """True when the terms have no part (gifted products only, or a blank rate)."""
        return self.fee_per_post is None and self.per_order is None and self.commission_pct is None


# Amounts are read by the value rule of every money column (values.py): currency before or after,
# Western or Indian grouping, shorthand (`6k`, `1.5L`).
_AMOUNT = AMOUNT
_PER = r"\s*(?:/|\bper\b|\ba\b|\beach\b)\s*"
_PER_POST = re.compile(_AMOUNT + _PER + r"(?:post|video|reel|story|stories|short)s?\b", re.IGNORECASE)
_PER_ORDER = re.compile(_AMOUNT + _PER + r"(?:order|sale|conversion)s?\b", re.IGNORECASE)
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%", re.IGNORECASE)
_PLAIN = re.compile(r"^\s*" + _AMOUNT + r"\s*$", re.IGNORECASE)


def parse_rate(text: str | None, basis: str | None) -> Rate | None:
    """Parse a rate cell into a Rate (₹ per post, ₹ per order, commission %).

    A plain amount takes its meaning from `basis` (post, order, commission: below 1 a fraction,
    else a percentage); written terms ("₹5,000 per post + 5% commission") need no basis. Blank
    text is Rate() (no terms). None when the text says nothing usable, or a hybrid gives a plain
    amount: the caller reports it with file, row and value; nothing is raised.
    """
    if text is None or str(text).strip() == "":
        return Rate()
    text = str(text)
    plain = _PLAIN.match(text)
    if plain:
        value = amount(plain.group(1))
        if basis == "post":
            return Rate(fee_per_post=value)
        if basis == "order":
            return Rate(per_order=value)
        if basis == "commission":
            # Plain commission rates below 1 are fractions (0.12), otherwise percentages (12).
            return Rate(commission_pct=value * 100 if value < 1 else value)
        if basis == "gifted":
            return Rate()
        return None  # a hybrid needs both parts spelled out
    per_post = _PER_POST.search(text)
    per_order = _PER_ORDER.search(text)
    percent = _PERCENT.search(text)
    rate = Rate(
        fee_per_post=amount(per_post.group(1)) if per_post else None,
        per_order=amount(per_order.group(1)) if per_order else None,
        commission_pct=float(percent.group(1)) if percent else None,
    )
    return None if rate.is_empty else rate
