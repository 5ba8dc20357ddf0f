"""Analyst settings with the defaults of METRICS.md."""
from __future__ import annotations

import dataclasses

from metrics.catalogue import tier_of

ENGAGEMENT_BASES = ("reach", "impressions", "followers")


@dataclasses.dataclass(frozen=True)
class Settings:
    # Incrementality: share of attributed revenue assumed to have happened anyway.
    baseline_share: float = 0.02
    # Share of orders counted as new customers where sales carry no user_id.
    new_customer_share: float = 0.8
    # Poor performer: ROI below this %, or ROAS below this, or spend with no revenue.
    poor_roi_pct: float = 50.0
    poor_roas: float = 2.0
    # Denominator of the engagement rate.
    engagement_basis: str = "reach"
    # Lower follower bounds of micro, mid, macro and mega (nano is everything below micro).
    tier_bounds: tuple[int, int, int, int] = (10_000, 50_000, 500_000, 1_000_000)

    def __post_init__(self):
        if not 0 <= self.baseline_share < 1:
            raise ValueError("baseline_share must be in [0, 1)")
        if not 0 <= self.new_customer_share <= 1:
            raise ValueError("new_customer_share must be in [0, 1]")
        if self.engagement_basis not in ENGAGEMENT_BASES:
            raise ValueError(f"engagement_basis must be one of {ENGAGEMENT_BASES}")
        bounds = tuple(int(b) for b in self.tier_bounds)
        if len(bounds) != 4 or list(bounds) != sorted(set(bounds)) or bounds[0] <= 0:
            raise ValueError("tier_bounds must be four increasing positive follower counts")
        object.__setattr__(self, "tier_bounds", bounds)

    def tier_of(self, followers: float | None) -> str:
        """The tier of a follower count under these bounds (metrics.catalogue.tier_of)."""
        return tier_of(followers, self.tier_bounds)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


DEFAULT_SETTINGS = Settings()
