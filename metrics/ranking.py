"""The influencer ranking: every ratio per influencer, the efficiency score and the poor-performer flag."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from metrics.aggregate import TOP_ORDERS, add_engagement_ratios, add_ratios, influencer_rows, ratio_column, top_by
from metrics.catalogue import POOR_PERFORMER
from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings

RANKING_COLUMNS = [
    "rank",
    "influencer_id",
    "name",
    "platform",
    "category",
    "tier",
    "gender",
    "persona",
    "known",
    "followers",
    "posts",
    "revenue",
    "orders",
    "spend",
    "roas",
    "roi_pct",
    "aov",
    "cost_per_order",
    "new_customers",
    "new_customers_estimated",
    "cac",
    "engagement_rate_pct",
    "cpe",
    "cpm",
    "revenue_per_follower",
    "efficiency_score",
    "poor_performer",
]


def ranking(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, influencer_id: str | None = None
) -> pd.DataFrame:
    """One row per influencer in the selection, sorted by ROAS (undefined last, ties by id).

    Columns: RANKING_COLUMNS: rank (1… by ROAS; <NA> where ROAS is undefined), identity
    (influencer_id, name, platform, category, tier, gender, persona, known), followers, posts, orders, new_customers (counts), revenue, spend, aov,
    cost_per_order, cac, cpe, revenue_per_follower (₹), cpm (₹ per 1,000), roas (×), roi_pct,
    engagement_rate_pct (%), efficiency_score (0–100), poor_performer (bool). Ratios are None
    where undefined.
    """
    frame = influencer_rows(wh, filters, settings, influencer_id)
    frame["posts"] = frame["posts"].fillna(0).astype(int)
    frame = add_ratios(frame, settings)
    frame = add_engagement_ratios(frame, settings, frame["spend"])
    frame["efficiency_score"] = efficiency_scores(frame)
    frame["poor_performer"] = poor_performers(frame, settings)
    order = roas_order(frame)
    frame["rank"] = roas_ranks(frame, order)
    return frame[RANKING_COLUMNS].take(order).reset_index(drop=True)


def roas_ranks(frame: pd.DataFrame, order: np.ndarray) -> pd.Series:
    """Each row's place by ROAS (1 = highest; `order` from roas_order), <NA> where its ROAS is
    undefined: such a creator is listed last but has no place by ROAS ("#39" beside a ROAS of "—"
    reads as a measured 39th). Nullable Int64."""
    ranks = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    ranked = order[: int(pd.to_numeric(frame["roas"], errors="coerce").notna().sum())]
    ranks.iloc[ranked] = np.arange(1, len(ranked) + 1)
    return ranks


def roas_order(frame: pd.DataFrame) -> np.ndarray:
    """Row positions by ROAS, highest first, undefined ROAS last, ties by influencer_id: the order
    of sort_values(["roas undefined", "roas", "influencer_id"]) computed by np.lexsort on plain
    arrays (pandas sorts the Arrow-string ids through a factorize: a third of the ranking's pandas
    time at 5,000 creators)."""
    roas = pd.to_numeric(frame["roas"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    undefined = np.isnan(roas)
    ids = frame["influencer_id"].to_numpy(dtype=object)
    return np.lexsort((ids, -np.where(undefined, 0.0, roas), undefined))


def top_influencers(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, metric: str = "revenue", n: int = 10
) -> pd.DataFrame:
    """The n influencers with the highest `metric` (revenue, roas or any ranking column), ties by
    id, with their name, platform, revenue, spend, ROAS and the metric: the same rows and values
    as the top of ranking() sorted by that metric. Revenue and ROAS are sorted in the database,
    without building the whole ranking."""
    if metric in TOP_ORDERS:
        frame = top_by(wh, filters, settings, metric, n)
        frame["roas"] = ratio_column(frame["revenue"], frame["spend"])
        return frame
    frame = ranking(wh, filters, settings)
    if metric not in frame.columns:
        raise ValueError(f"unknown metric {metric!r}; choose from {', '.join(sorted(TOP_ORDERS))} or a ranking column")
    frame["_value"] = pd.to_numeric(frame[metric], errors="coerce")
    frame = frame[frame["_value"].notna()].sort_values(["_value", "influencer_id"], ascending=[False, True]).head(n)
    return frame[["influencer_id", "name", "platform", "revenue", "spend", "roas", metric]].reset_index(drop=True)


def efficiency_scores(frame: pd.DataFrame) -> pd.Series:
    """40 % ROI + 40 % ROAS + 20 % revenue per follower, each as a percentile rank (0–100).

    Ranks are taken among influencers whose ROAS is defined; the others get no score (shown "—"
    and ranked last). A missing revenue per follower (no follower count) ranks lowest. Scores keep
    full precision (exports give 10 decimals: 66.6666666667); only displays round them.
    """
    scored = frame["roas"].notna()
    scores = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if not scored.any():
        return scores
    subset = frame.loc[scored]
    scores.loc[scored] = _weighted_percentiles(
        [(40, subset["roi_pct"]), (40, subset["roas"]), (20, subset["revenue_per_follower"])]
    ).astype(object)
    return scores


def _weighted_percentiles(parts: list[tuple[int, pd.Series]]) -> pd.Series:
    """Σ weight × percentile rank (pandas rank(pct=True): rank ÷ count of values, ties averaged; a
    missing value 0) over `parts`, as one fraction divided once: ranks are multiples of ½, so the
    numerator over the counts' least common multiple is a whole number, exact in a float up to 2⁵³
    (about 20,000 creators), and creators whose score is the same number get the same float, a tie
    broken by id whichever parts make it (0.4 × ¼ + 0.4 × ¾ is 0.4 × ½ + 0.4 × ½)."""
    ranks = [(weight, pd.to_numeric(values, errors="coerce").rank(method="average")) for weight, values in parts]
    common = math.lcm(*(int(r.count()) or 1 for _, r in ranks))
    numerator = pd.Series(0.0, index=parts[0][1].index)
    for weight, r in ranks:
        numerator += 2 * weight * r.fillna(0.0) * (common // (int(r.count()) or 1))
    return numerator / (2 * common)


def poor_performers(frame: pd.DataFrame, settings: Settings) -> pd.Series:
    """The poor-performer flag of each row (metrics.catalogue.POOR_PERFORMER)."""
    return POOR_PERFORMER.flags(frame, settings)
