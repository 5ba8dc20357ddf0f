"""Analyst settings with the defaults of METRICS.md."""

from __future__ import annotations

import dataclasses

from metrics.catalogue import tier_of

ENGAGEMENT_BASES = ("reach", "impressions", "followers")
LIFT_WINDOW_CHOICES = (7, 14, 28)


@dataclasses.dataclass(frozen=True)
class Settings:
    """The assumptions every figure uses (METRICS.md): baseline share, new-customer share, the
    poor-performer thresholds, the engagement-rate basis and the follower tier bounds. Raises
    ValueError for a value out of range."""

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
    # Measured incrementality: days of a post's window (one of LIFT_WINDOW_CHOICES, computed at
    # import) and the confidence level of its intervals.
    lift_window_days: int = 14
    lift_confidence: float = 0.90
    # Campaign pacing: budget used ÷ time elapsed beyond 1 ± this % is over- or under-pacing.
    pacing_tolerance_pct: float = 10.0
    # Budget planner (metrics/planning): the most a segment's or creator's spend may change
    # against its history (a share: 0.3 = ±30 %, Meridian's default), and the bounds of the
    # response curves' exponent (concave: below 1).
    plan_max_change: float = 0.3
    # Break-even of the planner: it gives no segment or creator money beyond where its next rupee
    # returns less than this (marginal incremental ROAS, ×); the rest of the budget is held back.
    plan_min_marginal_roas: float = 1.0
    response_exponent_min: float = 0.1
    response_exponent_max: float = 0.9
    # Verdicts (metrics/planning/verdicts.py): the evidence a creator needs before it is judged
    # (posts with a lift window, ₹ spend), the marginal incremental ROAS (×) from which a clearly
    # positive creator is scaled, the incremental ROAS (×) that even the bottom of its interval
    # must reach for it to be renewed (break-even), and the incremental ROAS (×) that even the top
    # of its interval must reach for it not to be dropped.
    verdict_min_posts: int = 3
    verdict_min_spend: float = 10_000.0
    verdict_scale_marginal_roas: float = 1.0
    verdict_renew_roas: float = 1.0
    verdict_drop_roas: float = 0.0

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
        if self.lift_window_days not in LIFT_WINDOW_CHOICES:
            raise ValueError(f"lift_window_days must be one of {LIFT_WINDOW_CHOICES}")
        if not 0.5 <= self.lift_confidence < 1:
            raise ValueError("lift_confidence must be in [0.5, 1)")
        if not 0 < self.pacing_tolerance_pct < 100:
            raise ValueError("pacing_tolerance_pct must be in (0, 100)")
        if not 0 <= self.plan_max_change <= 1:
            raise ValueError("plan_max_change must be in [0, 1]")
        if not self.plan_min_marginal_roas >= 0:
            raise ValueError("plan_min_marginal_roas must be 0 or more (a marginal ROAS, ×)")
        if not 0 < self.response_exponent_min <= self.response_exponent_max < 1:
            raise ValueError("response exponents must satisfy 0 < min <= max < 1 (a concave curve)")
        if self.verdict_min_posts < 0 or self.verdict_min_spend < 0:
            raise ValueError("verdict_min_posts and verdict_min_spend must be 0 or more")
        if self.verdict_drop_roas > self.verdict_renew_roas:
            raise ValueError("verdict_drop_roas may not exceed verdict_renew_roas")

    def tier_of(self, followers: float | None) -> str:
        """The tier of a follower count under these bounds (metrics.catalogue.tier_of)."""
        return tier_of(followers, self.tier_bounds)

    def as_dict(self) -> dict:
        """The settings as a plain dict (as `summary --json` prints them)."""
        return dataclasses.asdict(self)


DEFAULT_SETTINGS = Settings()


def lift_window_of(text: str | int) -> int:
    """The lift window (days) a link's `window=` or a saved view names: one of LIFT_WINDOW_CHOICES.
    Raises ValueError naming the value and the choices for anything else (never read as another
    window)."""
    value = str(text).strip()
    if value.isdigit() and int(value) in LIFT_WINDOW_CHOICES:
        return int(value)
    choices = ", ".join(str(days) for days in LIFT_WINDOW_CHOICES)
    raise ValueError(f"window={value!r} is not a lift window: it must be {choices} (days)")
