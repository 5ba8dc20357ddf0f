"""Verdicts: scale / renew / review / drop for each creator, from its measured lift, its interval,
its marginal incremental ROAS and enough evidence (docs/metrics.md, "Verdicts").

Rules, first match wins (thresholds are Settings fields):
1. review: no spend in the selection, lift not measured for the data set, or too little evidence
   (fewer than verdict_min_posts posts or less than verdict_min_spend ₹ of spend);
2. drop: even the top of its lift interval returns less than verdict_drop_roas × spend
   (default 0: the whole interval lies below zero);
3. scale: the interval lies above zero and its marginal incremental ROAS (the slope of its
   response curve at today's spend, metrics.planning.curves) is at least
   verdict_scale_marginal_roas (default 1×: the next rupee brings back at least a rupee, the
   "marginal ROI > 1" rule of Meridian's and Robyn's budget guidance);
4. renew: the interval lies above zero;
5. review: the lift is not distinguishable from the baseline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import format as fmt
from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings

VERDICTS = ("scale", "renew", "review", "drop")


def verdict_of(row: dict, settings: Settings, measured: bool) -> tuple[str, str]:
    """(verdict, reason) of one creator: row keys posts, spend (₹), incremental_revenue_low,
    incremental_revenue_high (₹ or None), marginal_roas (× or None)."""
    spend = fmt.clean(row.get("spend")) or 0.0
    posts = int(fmt.clean(row.get("posts")) or 0)
    low, high = fmt.clean(row.get("incremental_revenue_low")), fmt.clean(row.get("incremental_revenue_high"))
    marginal = fmt.clean(row.get("marginal_roas"))
    if spend <= 0:
        return "review", "no spend in the selection"
    if not measured or low is None or high is None:
        return "review", "incrementality is not measured for this data set"
    if posts < settings.verdict_min_posts or spend < settings.verdict_min_spend:
        return "review", (
            f"too little evidence: {fmt.count(posts)} posts, {fmt.inr(spend)} spend "
            f"(needs {settings.verdict_min_posts} posts and {fmt.inr(settings.verdict_min_spend)})"
        )
    interval = f"lift {fmt.inr_compact(low)} to {fmt.inr_compact(high)}"
    if high < settings.verdict_drop_roas * spend:
        return "drop", f"{interval}: even the top returns less than {fmt.ratio(settings.verdict_drop_roas)} of spend"
    if low > 0 and marginal is not None and marginal >= settings.verdict_scale_marginal_roas:
        return "scale", (
            f"{interval} and marginal ROAS {fmt.ratio(marginal)} ≥ {fmt.ratio(settings.verdict_scale_marginal_roas)}"
        )
    if low > 0:
        return "renew", f"{interval}, clearly above baseline; marginal ROAS {fmt.ratio(marginal)}"
    return "review", f"{interval}: not distinguishable from baseline"


def with_verdicts(
    wh, ranked: pd.DataFrame, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, lift=None
) -> pd.DataFrame:
    """`ranked` (metrics.summary.with_lift of metrics.ranking) with marginal_roas (× at today's
    spend on the creator's response curve; None without spend or curve), verdict (VERDICTS) and
    verdict_reason (text). `lift`: metrics.lift.creator_lift of the same selection, if read already."""
    from metrics.lift import METHOD_MEASURED, lift_status
    from metrics.planning.curves import creator_points, curves_from_points

    measured = lift_status(wh, settings)[0] == METHOD_MEASURED
    ranked = ranked.copy()
    ranked["marginal_roas"] = None
    points = creator_points(wh, filters, settings, lift) if measured else pd.DataFrame()
    if measured and not points.empty:
        curves = curves_from_points(points, "influencer", settings, draws=False)
        slope = pd.Series(curves.marginal(curves.units["current_spend"].to_numpy()), index=curves.units["unit"])
        values = ranked["influencer_id"].map(slope)
        ranked["marginal_roas"] = [None if pd.isna(v) else float(v) for v in values]
    judged = [verdict_of(row, settings, measured) for row in ranked.to_dict("records")]
    ranked["verdict"] = [v for v, _ in judged]
    ranked["verdict_reason"] = [r for _, r in judged]
    return ranked


def verdict_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many creators have each verdict (every VERDICTS key, 0 where none)."""
    counts = frame["verdict"].value_counts() if "verdict" in frame else pd.Series(dtype=int)
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def under_funded(frame: pd.DataFrame) -> np.ndarray:
    """(rows,) bool: creators whose lift is clearly positive and whose marginal ROAS is at least
    the spend-weighted mean marginal ROAS of the frame's funded creators (money there returns
    more than the average rupee at the margin): candidates to scale."""
    marginal = pd.to_numeric(frame["marginal_roas"], errors="coerce")
    spend = pd.to_numeric(frame["spend"], errors="coerce").fillna(0)
    funded = marginal.notna() & (spend > 0)
    if not funded.any() or spend[funded].sum() <= 0:
        return np.zeros(len(frame), dtype=bool)
    reference = float((marginal[funded] * spend[funded]).sum() / spend[funded].sum())
    low = pd.to_numeric(frame["incremental_revenue_low"], errors="coerce")
    return ((low > 0) & (marginal >= reference)).fillna(False).to_numpy(dtype=bool)
