"""Verdicts: scale / renew / review / drop for each creator, from its measured lift, its interval,
its marginal incremental ROAS and enough evidence (docs/metrics.md, "Verdicts").

Every verdict first clears the evidence bar (evidence_missing), whether lift is measured or not:
a creator with fewer than verdict_min_posts posts or less than verdict_min_spend ₹ of spend in the
selection is "too early" (to judge), with what is missing, instead of scale / renew / review /
drop: one post and ₹2,500 say nothing about a creator either way. ₹0 spend is below every bar,
whatever verdict_min_spend says (no ROAS, no incremental ROAS): with posts, its reason is "no cost
recorded … check the payouts file" (no_cost_reason), since posts, and above all sales, on a ₹0
contract most likely mean a payout missing from the data, not a free creator to scale.

Rules where lift is measured, first match wins (thresholds are Settings fields):
1. review: lift not measured for this creator;
2. drop: attributed ROAS below 1× (even if every attributed sale were incremental, revenue would
   not cover spend: incremental revenue is part of attributed revenue), or even the top of its
   lift interval returns less than verdict_drop_roas × spend (default 0: the whole interval lies
   below zero);
3. scale: it clears the renew bar (4) and its marginal incremental ROAS (the slope of its
   response curve at today's spend, metrics.planning.curves) is at least
   verdict_scale_marginal_roas (default 1×: the next rupee brings back at least a rupee, the
   "marginal ROI > 1" rule of Meridian's and Robyn's budget guidance);
4. renew: not a poor performer (METRICS.md) and even the bottom of its lift interval returns at
   least verdict_renew_roas × spend (default 1×, break-even: the incremental revenue surely
   covers the spend);
5. review: the rest, with the reason: a poor performer, an incremental ROAS interval reaching
   below break-even, or a lift not distinguishable from the baseline.

Where lift cannot be measured for the data set, the verdict follows the attributed figures instead
(attributed_verdict), the same rule /insights and the PDF recommend by, so a creator never reads
"drop" in one place and "review" in another:
1. drop: no attributed revenue, or ROAS < 1 (each rupee returns less than a rupee);
2. review: a poor performer (METRICS.md) that still covers its cost;
3. scale: ROAS at least the selection's pooled ROAS;
4. renew: the rest (they clear the poor-performer bar).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pandas as pd

from metrics import format as fmt
from metrics.filters import Filters
from metrics.lift.view import NOT_DISTINGUISHABLE
from metrics.settings import DEFAULT_SETTINGS, Settings

TOO_EARLY = "too early"
VERDICTS = ("scale", "renew", "review", "drop", TOO_EARLY)


def verdict_label(verdict: str | None) -> str:
    """A verdict as lists and tables print it: "too early to judge" for TOO_EARLY (a bare "too
    early" beside a creator's name reads as a judgement of its timing), the others as they are,
    "" for none."""
    return "too early to judge" if verdict == TOO_EARLY else verdict or ""


def verdict_phrase(verdict: str, count: int) -> str:
    """How many creators have a verdict, in words: "3 to scale", "12 too early to judge"."""
    return f"{fmt.count(count)} too early to judge" if verdict == TOO_EARLY else f"{fmt.count(count)} to {verdict}"


def evidence_missing(posts: int, spend: float, settings: Settings) -> str | None:
    """What a creator with spend lacks to be judged (the evidence bar: at least verdict_min_posts
    posts and verdict_min_spend ₹ of spend in the selection), e.g. "1 post and ₹2,500 spend: needs
    2 more posts and ₹7,500 more spend"; None when it clears the bar. Orders are deliberately no
    part of the bar: enough posts and spend with no orders is itself the evidence to drop."""
    short = []
    if posts < settings.verdict_min_posts:
        more = settings.verdict_min_posts - posts
        short.append(f"{fmt.count(more)} more post{'' if more == 1 else 's'}")
    if spend < settings.verdict_min_spend:
        short.append(f"{fmt.inr(settings.verdict_min_spend - spend)} more spend")
    if not short:
        return None
    have = f"{fmt.count(posts)} post{'' if posts == 1 else 's'} and {fmt.inr(spend)} spend"
    return f"{have}: needs {' and '.join(short)} {_evidence_needed(settings)}"


def no_cost_reason(posts: int, revenue: float, settings: Settings, recorded_cost: float = 0.0) -> str:
    """Why a creator with ₹0 spend in the selection is too early to judge: "no cost recorded for 6
    posts and ₹4,43,163 revenue: check the payouts file (the bar: …)", or "no posts and no cost in
    the selection (the bar: …)" for a creator with neither (nothing to check). Sales without a post
    of a creator whose data set records a cost (`recorded_cost` ₹ > 0: its fixed fees follow its
    posts, and this selection has none) read "no post in the selection: its fees follow its posts, so
    none of its ₹39,22,359 cost falls here (…)": the payouts file is right, the selection holds no fee."""
    activity = [f"{fmt.count(posts)} post{'' if posts == 1 else 's'}"] if posts > 0 else []
    activity += [f"{fmt.inr(revenue)} revenue"] if revenue > 0 else []
    if not activity:
        return f"no posts and no cost in the selection {_evidence_needed(settings)}"
    if posts <= 0 and recorded_cost > 0:
        return (
            f"no post in the selection: its fees follow its posts, so none of its {fmt.inr(recorded_cost)} "
            f"cost falls here {_evidence_needed(settings)}"
        )
    return f"no cost recorded for {' and '.join(activity)}: check the payouts file {_evidence_needed(settings)}"


def attributed_verdict(row: Mapping, pooled_roas: float | None) -> tuple[str, str]:
    """(verdict, reason) of one creator with spend where lift is not measured (module docstring):
    row keys revenue, spend (₹), roas (× or None), poor_performer (bool); `pooled_roas` is the
    selection's ROAS (×, None without spend)."""
    revenue, roas = fmt.clean(row.get("revenue")) or 0.0, fmt.clean(row.get("roas"))
    if revenue <= 0:
        return "drop", "spend with no attributed revenue in the selection (lift not measured)"
    if roas is not None and roas < 1.0:
        return "drop", f"ROAS {fmt.ratio(roas)} < 1x: revenue does not cover spend (lift not measured)"
    if row.get("poor_performer"):
        return "review", f"poor performer that covers its cost, ROAS {fmt.ratio(roas)} (lift not measured)"
    if roas is not None and pooled_roas is not None and roas >= pooled_roas:
        return "scale", f"ROAS {fmt.ratio(roas)} ≥ {fmt.ratio(pooled_roas)} of the selection (lift not measured)"
    return "renew", f"clears the poor-performer bar, ROAS {fmt.ratio(roas)} (lift not measured)"


def verdict_of(row: Mapping, settings: Settings, measured: bool, pooled_roas: float | None = None) -> tuple[str, str]:
    """(verdict, reason) of one creator (module docstring): row keys posts, spend and revenue (₹),
    incremental_revenue_low, incremental_revenue_high (₹ or None), marginal_roas (× or None), roas
    (×, attributed, or None), poor_performer (bool) and, where with_recorded_cost put it,
    recorded_cost (₹); where lift is not measured (`measured` False) attributed_verdict's keys and
    `pooled_roas` decide instead."""
    spend = fmt.clean(row.get("spend")) or 0.0
    posts = int(fmt.clean(row.get("posts")) or 0)
    low, high = fmt.clean(row.get("incremental_revenue_low")), fmt.clean(row.get("incremental_revenue_high"))
    marginal = fmt.clean(row.get("marginal_roas"))
    if spend <= 0:
        revenue = fmt.clean(row.get("revenue")) or 0.0
        return TOO_EARLY, no_cost_reason(posts, revenue, settings, fmt.clean(row.get("recorded_cost")) or 0.0)
    missing = evidence_missing(posts, spend, settings)
    if missing is not None:
        return TOO_EARLY, missing
    if not measured:
        return attributed_verdict(row, pooled_roas)
    if low is None or high is None:
        return "review", "lift not measured for this creator"
    interval = f"lift {fmt.inr_compact(low)} to {fmt.inr_compact(high)}"
    roas = fmt.clean(row.get("roas"))
    if roas is not None and roas < 1.0:
        return "drop", f"ROAS {fmt.ratio(roas)} < 1x: even counting every attributed sale, revenue does not cover spend"
    if high < settings.verdict_drop_roas * spend:
        return "drop", f"{interval}: even the top {drop_bar(settings)}"
    if low <= 0:
        return "review", f"{interval}: {NOT_DISTINGUISHABLE}"
    if row.get("poor_performer"):
        return "review", f"{interval}, but a poor performer (ROAS {fmt.ratio(roas)})"
    incremental = f"incremental ROAS {fmt.ratio(low / spend)} to {fmt.ratio(high / spend)}"
    if low < settings.verdict_renew_roas * spend:
        return "review", f"{incremental}: may not cover spend (break-even {fmt.ratio(settings.verdict_renew_roas)})"
    if marginal is not None and marginal >= settings.verdict_scale_marginal_roas:
        return "scale", (
            f"{incremental} and marginal ROAS {fmt.ratio(marginal)} ≥ {fmt.ratio(settings.verdict_scale_marginal_roas)}"
        )
    return "renew", f"{incremental}, clears break-even; marginal ROAS {fmt.ratio(marginal)}"


def drop_bar(settings: Settings) -> str:
    """What the top of a lift interval misses for a drop verdict, in words: at the default
    verdict_drop_roas of 0, "is below zero (the posts lost sales)" ("returns less than 0.00x of
    spend" read as nonsense: nothing returns less than nothing), else "returns less than 0.50x of spend"."""
    if settings.verdict_drop_roas == 0:
        return "is below zero (the posts lost sales)"
    return f"returns less than {fmt.ratio(settings.verdict_drop_roas)} of spend"


def evidence_bar(settings: Settings) -> str:
    """The evidence bar in words: "3 posts and ₹10,000" (verdict_min_posts, verdict_min_spend)."""
    return f"{settings.verdict_min_posts} posts and {fmt.inr(settings.verdict_min_spend)}"


@functools.lru_cache(maxsize=16)
def _evidence_needed(settings: Settings) -> str:
    """The evidence bar's text, formatted once per settings: most creators of a large selection
    are below it, each with this same sentence."""
    return f"(the bar: {evidence_bar(settings)})"


def with_verdicts(
    wh,
    ranked: pd.DataFrame,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    lift=None,
    pooled_roas: float | None = None,
    whole: bool = False,
) -> pd.DataFrame:
    """`ranked` (metrics.summary.with_lift of metrics.ranking) with marginal_roas (× at today's
    spend on the creator's response curve; None without spend or curve), verdict (VERDICTS) and
    verdict_reason (text). `lift`: metrics.lift.creator_lift of the same selection, if read already.
    `pooled_roas` (×): the selection's ROAS the attributed rule compares with, when `ranked` holds
    only part of the selection (one creator's page); by default the ROAS of `ranked` itself.
    `whole`: `ranked` is metrics.ranking of these filters with every creator, so the response
    curves take their spend from it instead of querying it again."""
    ranked = with_marginal_roas(wh, ranked, filters, settings, lift, whole)
    return judged(wh, ranked, settings, pooled_roas_of(ranked) if pooled_roas is None else pooled_roas)


def with_marginal_roas(
    wh,
    ranked: pd.DataFrame,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    lift=None,
    whole: bool = False,
) -> pd.DataFrame:
    """A copy of `ranked` with marginal_roas (× at today's spend on the creator's response curve,
    fitted to the whole selection's creators; None without spend, curve or measured lift).
    `lift` and `whole` as with_verdicts'."""
    from metrics.lift import METHOD_MEASURED, lift_status
    from metrics.planning.curves import creator_points, curves_from_points

    ranked = ranked.copy()
    ranked["marginal_roas"] = None
    if lift_status(wh, settings)[0] != METHOD_MEASURED:
        return ranked
    points = creator_points(wh, filters, settings, lift, ranked if whole else None)
    if not points.empty:
        curves = curves_from_points(points, "influencer", settings, draws=False)
        slope = pd.Series(curves.marginal(curves.units["current_spend"].to_numpy()), index=curves.units["unit"])
        values = ranked["influencer_id"].map(slope)
        ranked["marginal_roas"] = [None if pd.isna(v) else float(v) for v in values]
    return ranked


def pooled_roas_of(ranked: pd.DataFrame) -> float | None:
    """The rows' pooled ROAS (×: Σ revenue ÷ Σ spend; None without spend), as insights.Creators.pooled_roas."""
    revenue = pd.to_numeric(ranked["revenue"], errors="coerce").fillna(0).sum()
    spend = pd.to_numeric(ranked["spend"], errors="coerce").fillna(0).sum()
    return float(revenue / spend) if spend > 0 else None


def judged(wh, ranked: pd.DataFrame, settings: Settings, pooled_roas: float | None) -> pd.DataFrame:
    """`ranked` (with marginal_roas: with_marginal_roas) with verdict and verdict_reason of each row
    (verdict_of; `pooled_roas` × for the attributed rule where lift is not measured)."""
    from metrics.lift import METHOD_MEASURED, lift_status

    measured = lift_status(wh, settings)[0] == METHOD_MEASURED
    ranked = with_recorded_cost(wh, ranked)
    verdicts = [verdict_of(row, settings, measured, pooled_roas) for row in frame_dicts(ranked, VERDICT_KEYS)]
    ranked["verdict"] = [v for v, _ in verdicts]
    ranked["verdict_reason"] = [r for _, r in verdicts]
    return ranked


def with_recorded_cost(wh, ranked: pd.DataFrame) -> pd.DataFrame:
    """`ranked` with recorded_cost (₹: the creator's spend over the whole data set, whatever the
    filters) on its rows of sales without a post or spend in the selection, None on the others:
    no_cost_reason tells a fee outside the selection from a payout missing by it. Unchanged (no
    query) where no row is such or the column is there already (metrics.influencer_detail's row)."""
    if ranked.empty or "recorded_cost" in ranked or not {"influencer_id", "posts", "spend", "revenue"} <= set(ranked):
        return ranked
    posts = pd.to_numeric(ranked["posts"], errors="coerce").fillna(0)
    spend = pd.to_numeric(ranked["spend"], errors="coerce").fillna(0)
    revenue = pd.to_numeric(ranked["revenue"], errors="coerce").fillna(0)
    asked = (posts <= 0) & (spend <= 0) & (revenue > 0)
    if not asked.any():
        return ranked
    ids = ranked.loc[asked, "influencer_id"].astype(str).tolist()
    costs = wh.query(
        """SELECT i.influencer_id, sum(f.spend) AS spend FROM facts_influencer f JOIN influencers i USING (influencer_key)
           WHERE i.influencer_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL""",
        [ids],
    )
    recorded = ranked["influencer_id"].map(costs.set_index("influencer_id")["spend"]).where(asked)
    values = [None if pd.isna(v) else float(v) for v in recorded]
    return ranked.assign(recorded_cost=pd.Series(values, index=ranked.index, dtype=object))


class _Columns(dict):
    """A frame's columns as Python lists (to_dict's values), each converted on its first read."""

    def __init__(self, frame: pd.DataFrame):
        super().__init__()
        self.frame = frame

    def __missing__(self, name):
        if name not in self.frame.columns:
            raise KeyError(name)
        column = self.frame[name]
        if column.dtype == object or isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
            # to_dict boxes these values itself (pd.NA -> None, NumPy scalars -> Python ones)
            values = [row[name] for row in self.frame[[name]].to_dict("records")]
        else:
            values = column.tolist()  # Python scalars, Timestamps: what to_dict's rows hold
        self[name] = values
        return values


class _Row(Mapping):
    """One row of a _Columns: the mapping to_dict("records") gives, reading only the keys used."""

    __slots__ = ("_columns", "_at")

    def __init__(self, columns: _Columns, at: int):
        self._columns, self._at = columns, at

    def __getitem__(self, name):
        return self._columns[name][self._at]

    def __iter__(self):
        return iter(self._columns.frame.columns)

    def __len__(self):
        return len(self._columns.frame.columns)


def frame_rows(frame: pd.DataFrame) -> list[Mapping]:
    """The frame's rows as read-only mappings equal to frame.to_dict("records"), at the cost of the
    columns read: a verdict reads six of the ranking's ~60 columns for 5,000 creators."""
    columns = _Columns(frame)
    return [_Row(columns, at) for at in range(len(frame))]


# Every key verdict_of and attributed_verdict read.
VERDICT_KEYS = (
    "spend",
    "posts",
    "incremental_revenue_low",
    "incremental_revenue_high",
    "marginal_roas",
    "revenue",
    "roas",
    "poor_performer",
    "recorded_cost",
)


def frame_dicts(frame: pd.DataFrame, keys) -> list[dict]:
    """The frame's rows as plain dicts of the `keys` it has, each value the one to_dict("records")
    gives (frame_rows' conversion): a dict's get is C code, the ranking judges 5,000 rows."""
    columns = _Columns(frame)
    present = [key for key in keys if key in frame.columns]
    return [dict(zip(present, values)) for values in zip(*(columns[key] for key in present))] or [
        {} for _ in range(len(frame))
    ]


def verdict_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many creators have each verdict (every VERDICTS key, 0 where none)."""
    counts = frame["verdict"].value_counts() if "verdict" in frame else pd.Series(dtype=int)
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def clears_evidence_bar(posts, spend, settings: Settings) -> np.ndarray:
    """(rows,) bool: at least verdict_min_posts posts and verdict_min_spend ₹ of spend, and some
    spend (verdict_of: the others are too early to judge). `posts`, `spend`: array-likes of the rows."""
    posts = pd.to_numeric(pd.Series(np.asarray(posts)), errors="coerce").fillna(0).to_numpy()
    spend = pd.to_numeric(pd.Series(np.asarray(spend)), errors="coerce").fillna(0).to_numpy()
    return (posts >= settings.verdict_min_posts) & (spend >= settings.verdict_min_spend) & (spend > 0)


def under_funded(frame: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> np.ndarray:
    """(rows,) bool: creators that clear the evidence bar (evidence_missing) and the renew bar
    (verdict_of: not a poor performer, the bottom of the lift interval at least verdict_renew_roas
    × spend) and whose marginal ROAS is at least the spend-weighted mean marginal ROAS of the
    frame's funded creators (money there returns more than the average rupee at the margin) and
    never below verdict_scale_marginal_roas (break-even: a candidate's next rupee must return at
    least a rupee, even when the average one returns less): candidates to scale. Frame columns
    marginal_roas, spend, posts, incremental_revenue_low and, where present, poor_performer."""
    marginal = pd.to_numeric(frame["marginal_roas"], errors="coerce")
    spend = pd.to_numeric(frame["spend"], errors="coerce").fillna(0)
    funded = marginal.notna() & (spend > 0)
    if not funded.any() or spend[funded].sum() <= 0:
        return np.zeros(len(frame), dtype=bool)
    reference = float((marginal[funded] * spend[funded]).sum() / spend[funded].sum())
    low = pd.to_numeric(frame["incremental_revenue_low"], errors="coerce")
    poor = frame["poor_performer"].fillna(False).astype(bool) if "poor_performer" in frame else False
    evidenced = clears_evidence_bar(frame["posts"], spend, settings)
    renewable = (low > 0) & (low >= settings.verdict_renew_roas * spend) & ~poor & evidenced
    bar = max(reference, settings.verdict_scale_marginal_roas)
    return (renewable & (marginal >= bar)).fillna(False).to_numpy(dtype=bool)
