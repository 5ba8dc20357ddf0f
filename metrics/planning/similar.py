"""Similar profiles: the creators most like one creator, by Gower's similarity for mixed features.

Gower (1971), "A general coefficient of similarity and some of its properties", Biometrics 27:857-871:
the distance of two creators is the mean over the features both have of a per-feature distance in
[0, 1]: 0/1 for categorical features (platform, category, tier, persona: equal or not), and
|x − y| ÷ the feature's range over the roster for numeric ones (log10 follower count, since
audiences span four orders of magnitude; engagement rate %). A feature missing for either creator
is left out of that pair's mean (Gower's δ weights). similarity = 1 − distance (0–1).
A numeric feature is "shared" when the two values lie within SHARED_NUMERIC of its range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings

CATEGORICAL = ("platform", "category", "tier", "persona")
NUMERIC = ("log_followers", "engagement_rate_pct")
LABELS = {
    "platform": "platform",
    "category": "category",
    "tier": "tier",
    "persona": "persona",
    "log_followers": "audience size",
    "engagement_rate_pct": "engagement rate",
}
SHARED_NUMERIC = 0.1  # within a tenth of the roster's range counts as shared
DEFAULT_LIMIT = 10


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """The Gower features of ranking rows: CATEGORICAL as text (None where unknown) and NUMERIC
    (log10 followers, engagement rate %; NaN where missing)."""
    out = pd.DataFrame(index=frame.index)
    for name in CATEGORICAL:
        values = frame[name].astype(object)
        out[name] = values.where(values.notna() & (values.astype(str) != "Unknown"), None)
    followers = pd.to_numeric(frame["followers"], errors="coerce")
    out["log_followers"] = np.log10(followers.where(followers > 0))
    out["engagement_rate_pct"] = pd.to_numeric(frame["engagement_rate_pct"], errors="coerce")
    return out


def gower_similarity(feats: pd.DataFrame, row: int) -> tuple[np.ndarray, list[list[str]]]:
    """(rows,) Gower similarity of every row to row `row` (NaN where no feature is comparable) and,
    per row, the labels of the features it shares with that row."""
    n = len(feats)
    distance_sum, compared = np.zeros(n), np.zeros(n)
    shared: list[list[str]] = [[] for _ in range(n)]
    for name in CATEGORICAL:
        values = feats[name].to_numpy(dtype=object)
        target = values[row]
        if target is None:
            continue
        known = np.array([v is not None for v in values])
        equal = known & (values == target)
        distance_sum += np.where(known & ~equal, 1.0, 0.0)
        compared += known
        for i in np.flatnonzero(equal):
            shared[i].append(f"{LABELS[name]} {target}")
    for name in NUMERIC:
        values = feats[name].to_numpy(dtype=float)
        target, span = values[row], np.nanmax(values) - np.nanmin(values) if np.isfinite(values).any() else 0.0
        if not np.isfinite(target) or not span > 0:
            continue
        known = np.isfinite(values)
        gap = np.where(known, np.abs(values - target) / span, 0.0)
        distance_sum += gap
        compared += known
        for i in np.flatnonzero(known & (gap <= SHARED_NUMERIC)):
            shared[i].append(f"similar {LABELS[name]}")
    with np.errstate(invalid="ignore", divide="ignore"):
        similarity = np.where(compared > 0, 1.0 - distance_sum / compared, np.nan)
    return similarity, shared


def similar(
    wh,
    influencer_id: str,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    limit: int = DEFAULT_LIMIT,
) -> pd.DataFrame:
    """The `limit` known creators of the selection most similar to `influencer_id` (most similar
    first, ties by id). Columns: influencer_id, name, platform, category, tier, persona, followers,
    engagement_rate_pct (%), similarity (0–1), shared (list of shared features), spend (₹),
    incremental_revenue (₹), incremental_roas (×, None without spend), marginal_roas (×),
    verdict, under_funded (bool: candidate to scale, metrics.planning.verdicts.under_funded).
    Raises KeyError for an influencer not among the selection's known creators."""
    from metrics.lift import METHOD_MEASURED, creator_lift, lift_status
    from metrics.planning.verdicts import judged, pooled_roas_of, under_funded, with_marginal_roas
    from metrics.ranking import ranking
    from metrics.summary import with_lift

    method = lift_status(wh, settings)[0]
    lift = creator_lift(wh, filters, settings) if method == METHOD_MEASURED else None  # read once, used twice
    ranked = with_lift(wh, ranking(wh, filters, settings), filters, settings, method, lift)
    ranked = ranked[ranked["known"].fillna(False).astype(bool)].reset_index(drop=True)
    matches = np.flatnonzero(ranked["influencer_id"].to_numpy() == influencer_id)
    if not len(matches):
        raise KeyError(f"no known influencer {influencer_id!r} in the selection")
    ranked = with_marginal_roas(wh, ranked, filters, settings, lift)
    similarity, shared = gower_similarity(features(ranked), int(matches[0]))
    ranked["similarity"], ranked["shared"] = similarity, shared
    ranked["under_funded"] = under_funded(ranked, settings)
    others = ranked.drop(index=int(matches[0]))
    others = others[others["similarity"].notna()]
    others = others.sort_values(["similarity", "influencer_id"], ascending=[False, True]).head(limit)
    # verdicts (and their reasons' text) of the rows shown only: with_verdicts of every creator
    # formatted ~5,000 reasons to keep 10; the selection's pooled ROAS is still the whole ranking's
    others = judged(wh, others, settings, pooled_roas_of(ranked))
    return others[
        [
            "influencer_id",
            "name",
            "platform",
            "category",
            "tier",
            "persona",
            "followers",
            "engagement_rate_pct",
            "similarity",
            "shared",
            "spend",
            "incremental_revenue",
            "incremental_roas",
            "marginal_roas",
            "verdict",
            "under_funded",
        ]
    ].reset_index(drop=True)
