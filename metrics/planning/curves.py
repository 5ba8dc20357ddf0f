"""Response curves: measured incremental revenue against spend, concave, per segment and creator.

Model (docs/metrics.md, "Response curves and the budget planner"): a creator i of segment g
(tier × platform) returns R_i(s) = θ_i · s^β incremental rupees on s rupees of spend, 0 < β < 1
(diminishing returns; the power curve of Robyn's and Meridian's saturation family).
- β is shared by every creator: weighted least squares of measured incremental revenue on spend
  over all creators with spend (each segment's θ profiled out, weights the inverse bootstrap
  variance), bounded by settings.response_exponent_min/max so the curve stays concave;
  scipy.optimize.minimize_scalar (bounded Brent) finds it.
- θ_i is shrunk towards its segment (parametric empirical Bayes, Morris 1983, JASA 78:47-55):
  the segment's pooled coefficient m_g = Σ r_i / Σ s_i^β, the between-creator variance τ²_g by
  the method of moments (variance of the raw coefficients less their mean sampling variance,
  floored at 0), and θ_i = m_g + τ²_g/(τ²_g + v_i) · (r_i/s_i^β − m_g), v_i the bootstrap variance
  of the raw coefficient. A creator with spend but no measured post in the selection gets m_g from
  curves_from_points (the verdicts' marginal ROAS), but is no unit of the planner's curves
  (fit_curves: Curves.unvalued), held at its spend and not valued, since m_g would value it on other
  creators' measurement. A negative θ (the
  measurement says spend lowered sales) stays negative in every money figure (`coef`,
  `coef_draws`: a sum of floored curves is biased upwards and its draws never reach 0); only the
  allocation and the marginal ROAS read it as 0 (`plan_coef`): spend cannot be planned on it.
- Uncertainty: the same shrinkage applied to each of the incrementality bootstrap draws
  (metrics.lift: a draw of every creator's incremental revenue, sharing resampled days), so each
  draw gives a set of curves; intervals of any allocation are percentiles over the draws.
- A segment's curve at total spend S keeps its creators' current shares w_i:
  R_g(S) = Σ θ_i (w_i S)^β = A_g S^β.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import minimize_scalar

from metrics import format as fmt
from metrics.aggregate import sums_by
from metrics.filters import Filters
from metrics.lift.method import interval
from metrics.settings import DEFAULT_SETTINGS, Settings

SEGMENT_SEPARATOR = " · "
MIN_CREATORS_FOR_SPREAD = 3  # a segment with fewer measured creators borrows the overall τ²
UNVALUED_COLUMNS = ["influencer_id", "name", "spend"]


@dataclasses.dataclass(frozen=True)
class Curves:
    """Fitted power curves R(s) = coef · s^beta of planning units (segments or creators).

    units: one row per unit with spend: unit (segment "Tier · Platform" or influencer_id), name,
    tier, platform, creators, posts, current_spend (₹), incremental_revenue (₹ measured),
    coef (₹ per ₹^beta, signed: what money figures are valued on), plan_coef (₹ per ₹^beta, coef
    floored at 0: what the allocation and marginal ROAS read). coef_draws: (units, R)
    the signed coefficient under each bootstrap draw. beta: the shared exponent (unitless, 0–1).
    unvalued: the selection's creators with spend but no post measured in it (influencer_id, name,
    spend ₹), left out of the units by fit_curves: held at their spend, valued by no curve.
    """

    units: pd.DataFrame
    coef_draws: np.ndarray
    beta: float
    unvalued: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame(columns=UNVALUED_COLUMNS))

    def response(self, spend: np.ndarray) -> np.ndarray:
        """(units,) expected incremental revenue (₹) at each unit's spend (₹)."""
        return self.units["coef"].to_numpy() * np.power(np.maximum(spend, 0.0), self.beta)

    def response_draws(self, spend: np.ndarray) -> np.ndarray:
        """(units, R) incremental revenue (₹) at each unit's spend under every draw."""
        return self.coef_draws * np.power(np.maximum(spend, 0.0), self.beta)[:, None]

    def marginal(self, spend: np.ndarray) -> np.ndarray:
        """(units,) marginal incremental ROAS dR/ds (×) at each spend on the planning curve
        (plan_coef: 0 where unresponsive); NaN at 0 spend (unbounded)."""
        spend = np.asarray(spend, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = self.beta * self.units["plan_coef"].to_numpy() * np.power(spend, self.beta - 1)
        return np.where(spend > 0, value, np.nan)


def _creators_with_spend(rows: pd.DataFrame) -> pd.DataFrame:
    """influencer_id, name (else the id), tier, platform, spend of the rows with spend, by id."""
    spend = rows[rows["spend"].fillna(0) > 0][["influencer_id", "name", "tier", "platform", "spend"]]
    spend = spend.assign(name=spend["name"].fillna(spend["influencer_id"]))
    return spend.sort_values("influencer_id").reset_index(drop=True)


def _taken(column: pd.Series, position: np.ndarray, missing: float) -> np.ndarray:
    """column's values at `position` (float), `missing` where the position is -1 or the value NaN:
    a map by id followed by fillna(missing)."""
    values = column.to_numpy(dtype=float)
    picked = values[position] if len(values) else np.full(len(position), np.nan)
    picked[position < 0] = np.nan
    return np.where(np.isnan(picked), missing, picked)


def creator_points(
    wh,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    lift: pd.DataFrame | None = None,
    ranked: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per creator of the selection with spend: influencer_id, name, tier, platform,
    segment, posts (with a lift window), spend, incremental_revenue (₹, 0 where no post is
    measured), measured (bool); attrs["draws"]: (rows, R) bootstrap deviations of the incremental
    revenue (₹, 0 rows where unmeasured). Empty where lift is not measured (metrics.lift.lift_status).
    `lift`: metrics.lift.creator_lift of the same selection where the caller has read it; `ranked`:
    metrics.ranking of the same selection (every creator), whose spend, tier and platform are the
    same sums, where the caller has it (no second spend query)."""
    from metrics.lift.view import METHOD_MEASURED, creator_lift, lift_status, shared

    if ranked is None:
        rows = sums_by(wh, filters, settings, ("influencer_id", "tier", "platform"))
        names = wh.query("SELECT influencer_id, name FROM influencers").set_index("influencer_id")["name"]
        ranked = rows.assign(name=rows["influencer_id"].map(names))
    spend = _creators_with_spend(ranked)
    if lift_status(wh, settings)[0] != METHOD_MEASURED:
        frame = spend.iloc[0:0].assign(posts=0, incremental_revenue=0.0, measured=False, segment="")
        frame.attrs["draws"] = shared(np.zeros((0, 1)))
        return frame
    table = creator_lift(wh, filters, settings) if lift is None else lift
    draws = table.attrs["part_draws"]
    # each creator's row in the lift table (-1: none), looked up once for every column it feeds
    found = pd.Index(table["influencer_id"]).get_indexer(spend["influencer_id"])
    matched = found >= 0
    frame = spend.assign(
        posts=_taken(table["posts"], found, 0).astype(int),
        incremental_revenue=_taken(table["incremental_revenue"], found, 0.0),
        measured=matched,
        segment=spend["tier"].astype(str) + SEGMENT_SEPARATOR + spend["platform"].astype(str),
    )
    width = draws.shape[1] if draws.ndim == 2 and draws.shape[0] else 1
    out = np.zeros((len(frame), width))
    if matched.any():
        out[matched] = draws[found[matched]]
    frame.attrs["draws"] = shared(out)
    return frame


BOUND_TOLERANCE = 0.01  # share of the exponent's range within which a fit counts as at its bound


def exponent_bound_text(beta: float, settings: Settings = DEFAULT_SETTINGS) -> str | None:
    """The warning /plan shows and `hkdash plan` prints when β sits at a bound (exponent_at_bound),
    else None."""
    side = exponent_at_bound(beta, settings)
    if side is None:
        return None
    limit = settings.response_exponent_min if side == "lower" else settings.response_exponent_max
    return (
        f"At bound: extrapolation unreliable. The response curves' exponent ({beta:.2f}) sits at its "
        f"{side} bound ({limit:g}, settings response_exponent_min/max): the data did not choose how fast returns "
        "diminish, so the curves and the plan's moves along them are an assumption, not a fit."
    )


def exponent_at_bound(beta: float, settings: Settings = DEFAULT_SETTINGS) -> str | None:
    """ "lower" / "upper" when the fitted exponent β lies at (within BOUND_TOLERANCE of the range)
    settings.response_exponent_min / max, else None. At a bound the data did not choose the curve's
    shape, the bound did: the curve (and a plan that moves spend along it) is an extrapolation."""
    low, high = settings.response_exponent_min, settings.response_exponent_max
    margin = BOUND_TOLERANCE * max(high - low, 1e-9)
    if beta <= low + margin:
        return "lower"
    if beta >= high - margin:
        return "upper"
    return None


def fit_exponent(points: pd.DataFrame, settings: Settings = DEFAULT_SETTINGS) -> float:
    """The shared exponent β (0–1): weighted least squares of measured incremental revenue on
    spend^β with one coefficient per segment, bounded to [response_exponent_min, max];
    scipy.optimize.minimize_scalar (method "bounded"). The lower bound without measured creators."""
    measured = points[points["measured"]]
    low, high = settings.response_exponent_min, settings.response_exponent_max
    if measured.empty or low == high:
        return low
    spend = measured["spend"].to_numpy(dtype=float)
    revenue = measured["incremental_revenue"].to_numpy(dtype=float)
    weight = 1.0 / _variance_floor(np.asarray(points.attrs["draws"])[points["measured"].to_numpy()])
    codes = pd.factorize(measured["segment"])[0]

    def loss(beta: float) -> float:
        x = np.power(spend, beta)
        coef = np.bincount(codes, weight * x * revenue) / np.bincount(codes, weight * x * x)
        return float(np.sum(weight * (revenue - coef[codes] * x) ** 2))

    return float(minimize_scalar(loss, bounds=(low, high), method="bounded").x)


def _variance_floor(draws: np.ndarray) -> np.ndarray:
    """Per row the draws' variance, floored at a tenth of the median (no creator's weight explodes)."""
    variance = draws.var(axis=1) if draws.size else np.zeros(len(draws))
    floor = max(float(np.median(variance)) * 0.1, 1.0) if len(variance) else 1.0
    return np.maximum(variance, floor)


def shrunk_coefficients(points: pd.DataFrame, beta: float, draws: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(creators,) θ_i and (creators, R) θ_i per draw: each creator's raw coefficient r/s^β shrunk
    towards its segment's pooled coefficient by the empirical-Bayes weight τ²/(τ² + v_i), signed
    (no floor: money figures sum them; the planner floors its own copy, curves_from_points).
    Without `draws` the second is (creators, 0) (a verdict needs the point curve only)."""
    samples = np.asarray(points.attrs["draws"])
    x = np.power(points["spend"].to_numpy(dtype=float), beta)
    revenue = points["incremental_revenue"].to_numpy(dtype=float)
    measured = points["measured"].to_numpy()
    raw = revenue / x
    raw_draws = (revenue[:, None] + samples) / x[:, None]
    prior, weight = _prior_and_weight(points, raw, raw_draws, x, revenue, measured)
    theta = prior + weight * (raw - prior)
    if not draws:
        return theta, np.zeros((len(points), 0))
    codes, _ = pd.factorize(points["segment"])
    prior_draws = _segment_prior_draws(codes, x, revenue[:, None] + samples, measured)
    theta_draws = prior_draws + weight[:, None] * (raw_draws - prior_draws)
    return theta, theta_draws


def shrinkage_weights(points: pd.DataFrame, beta: float) -> np.ndarray:
    """(creators,) each creator's empirical-Bayes weight on its own measurement τ²/(τ² + v_i)
    (0–1; 0 where τ² = 0: the creator takes its segment's pooled curve, fully pooled)."""
    x = np.power(points["spend"].to_numpy(dtype=float), beta)
    revenue = points["incremental_revenue"].to_numpy(dtype=float)
    raw_draws = (revenue[:, None] + np.asarray(points.attrs["draws"])) / x[:, None]
    return _prior_and_weight(points, revenue / x, raw_draws, x, revenue, points["measured"].to_numpy())[1]


def _prior_and_weight(points, raw, raw_draws, x, revenue, measured) -> tuple[np.ndarray, np.ndarray]:
    """(creators,) the segment's pooled coefficient m_g and the weight τ²/(τ² + v_i) on the creator's own."""
    sampling = raw_draws.var(axis=1) if raw_draws.shape[1] else np.zeros(len(points))
    codes, _ = pd.factorize(points["segment"])
    prior, spread = _segment_priors(codes, x, revenue, raw, sampling, measured)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(measured, np.where(sampling > 0, spread / (spread + sampling), 1.0), 0.0)
    return prior, weight


def _segment_priors(codes, x, revenue, raw, sampling, measured) -> tuple[np.ndarray, np.ndarray]:
    """Per creator its segment's pooled coefficient m_g (overall where the segment has no measured
    creator) and between-creator variance τ²_g (overall with fewer than MIN_CREATORS_FOR_SPREAD)."""
    groups = codes.max() + 1 if len(codes) else 0
    m = measured.astype(float)
    overall = revenue[measured].sum() / x[measured].sum() if measured.any() else 0.0
    num, den = np.bincount(codes, m * revenue, groups), np.bincount(codes, m * x, groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        prior = np.where(den > 0, num / den, overall)
    overall_spread = _spread(raw[measured], sampling[measured])
    spread = np.full(groups, overall_spread)
    for g in range(groups):
        members = measured & (codes == g)
        if members.sum() >= MIN_CREATORS_FOR_SPREAD:
            spread[g] = _spread(raw[members], sampling[members])
    return prior[codes], spread[codes]


def _spread(raw: np.ndarray, sampling: np.ndarray) -> float:
    """Method-of-moments between-creator variance: var(raw) − mean(sampling variance), ≥ 0."""
    if len(raw) < 2:
        return 0.0
    return float(max(raw.var(ddof=1) - sampling.mean(), 0.0))


def _segment_prior_draws(codes, x, revenue_draws, measured) -> np.ndarray:
    """(creators, R) the segment's pooled coefficient under each draw (overall where unmeasured)."""
    groups = codes.max() + 1 if len(codes) else 0
    m = measured.astype(float)[:, None]
    num = _group_sums(codes, groups, m * revenue_draws)
    den = np.bincount(codes, m[:, 0] * x, groups)
    total = x[measured].sum()
    overall = (m * revenue_draws).sum(axis=0) / total if total > 0 else np.zeros(revenue_draws.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        prior = np.where(den[:, None] > 0, num / den[:, None], overall[None, :])
    return prior[codes]


def _group_sums(codes: np.ndarray, groups: int, rows: np.ndarray) -> np.ndarray:
    """(groups, R) the sum of `rows` per code, added in row order like np.add.at (same result)
    through a sparse indicator product, without np.add.at's per-element overhead."""
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(groups, len(codes)))
    return np.asarray(indicator @ rows)


def fit_curves(wh, by: str = "segment", filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> Curves:
    """Response curves of the selection's planning units: `by` "segment" (tier × platform) or
    "influencer" (each creator with spend and a post measured in the selection). The creators with
    spend but no measured post are Curves.unvalued, not units: their segment's pooled θ would
    extrapolate other creators' measurement to them (on a short date range one or two creators'
    to all). Raises ValueError for another `by`, and PlanError where lift is not measured or no
    creator of the selection has both spend and a measured post."""
    from metrics.planning.allocate import PlanError

    if by not in ("segment", "influencer"):
        raise ValueError("by must be 'segment' or 'influencer'")
    points = creator_points(wh, filters, settings)
    if points.empty:
        raise PlanError(
            "No response curve can be fitted: the selection has no creator with spend, or the data set "
            "has no measured incrementality (hkdash lift says why)."
        )
    return planning_curves(points, by, settings)


def planning_curves(points: pd.DataFrame, by: str, settings: Settings = DEFAULT_SETTINGS) -> Curves:
    """fit_curves of creator_points() rows: the curves of the measured creators, the others
    Curves.unvalued. Raises PlanError where no creator is measured."""
    from metrics.planning.allocate import PlanError

    measured = points["measured"].to_numpy(dtype=bool)
    if not measured.any():
        raise PlanError(
            f"No response curve can be fitted: none of the selection's {len(points):,} creators with spend "
            f"({fmt.inr(points['spend'].sum())}) has a post measured in it."
        )
    valued = points.loc[measured].reset_index(drop=True)
    valued.attrs["draws"] = np.asarray(points.attrs["draws"])[measured]
    unvalued = points.loc[~measured, UNVALUED_COLUMNS].reset_index(drop=True)
    return dataclasses.replace(curves_from_points(valued, by, settings), unvalued=unvalued)


def curves_from_points(
    points: pd.DataFrame, by: str, settings: Settings = DEFAULT_SETTINGS, draws: bool = True
) -> Curves:
    """Curves (see fit_curves) from creator_points() rows: the fit without the warehouse. Without
    `draws`, coef_draws is (units, 0): the point curves alone (marginal ROAS, verdicts)."""
    beta = fit_exponent(points, settings)
    theta, theta_draws = shrunk_coefficients(points, beta, draws)
    if by == "influencer":
        low, high = _measured_interval(points, settings.lift_confidence)
        units = pd.DataFrame(
            {
                "unit": points["influencer_id"].to_numpy(),
                "name": points["name"].to_numpy(),
                "tier": points["tier"].to_numpy(),
                "platform": points["platform"].to_numpy(),
                "creators": 1,
                "posts": points["posts"].to_numpy(),
                "current_spend": points["spend"].to_numpy(dtype=float),
                "incremental_revenue": points["incremental_revenue"].to_numpy(dtype=float),
                "measured_low": low,
                "measured_high": high,
                "own_weight": shrinkage_weights(points, beta),
                "coef": theta,
                "plan_coef": np.maximum(theta, 0.0),
            }
        )
        return Curves(units, theta_draws, beta)
    return _segment_curves(points, theta, theta_draws, beta)


def _measured_interval(points: pd.DataFrame, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """(creators,) each creator's own measured incremental revenue interval (₹, the lift table's:
    its point plus the percentile interval of its bootstrap deviations), NaN without draws."""
    draws = np.asarray(points.attrs["draws"])
    revenue = points["incremental_revenue"].to_numpy(dtype=float)
    if not draws.size:
        return np.full(len(points), np.nan), np.full(len(points), np.nan)
    low, high = interval(revenue[:, None] + draws, confidence)
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def _segment_curves(points: pd.DataFrame, theta, theta_draws, beta: float) -> Curves:
    """Aggregate creators' curves into their segment's: A_g = Σ θ_i w_i^β, w_i the spend share
    (signed θ; plan_coef floors the sum, not its terms: raising a segment raises every creator in
    it, those with a negative θ too)."""
    codes, names = pd.factorize(points["segment"], sort=True)
    spend = points["spend"].to_numpy(dtype=float)
    total = np.bincount(codes, spend, len(names))
    share_power = np.power(spend / total[codes], beta)
    coef = np.bincount(codes, theta * share_power, len(names))
    coef_draws = _group_sums(codes, len(names), theta_draws * share_power[:, None])
    first = points.groupby(codes).first()
    units = pd.DataFrame(
        {
            "unit": list(names),
            "name": list(names),
            "tier": first["tier"].to_numpy(),
            "platform": first["platform"].to_numpy(),
            "creators": np.bincount(codes, minlength=len(names)),
            "posts": np.bincount(codes, points["posts"].to_numpy(dtype=float), len(names)).astype(int),
            "current_spend": total,
            "incremental_revenue": np.bincount(codes, points["incremental_revenue"].to_numpy(dtype=float), len(names)),
            "coef": coef,
            "plan_coef": np.maximum(coef, 0.0),
        }
    )
    return Curves(units, coef_draws, beta)
