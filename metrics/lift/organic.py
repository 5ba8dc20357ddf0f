"""The organic-sales check: what a campaign burst did to a brand's TOTAL sales, attributed or not.

An interrupted time series in the manner of CausalImpact (Brodersen et al. 2015, "Inferring causal
impact using Bayesian structural time-series models", Ann. Appl. Stat. 9(1)), without control
series: a structural time-series model of the brand's total daily revenue (a local level plus a
weekly seasonal, statsmodels' `UnobservedComponents`, fitted by maximum likelihood on the
pre-period) is forecast over the burst's window; the forecast is the counterfactual (what the
brand would have sold without the burst), and total lift = Σ (actual − counterfactual) over the
window. Its interval comes from the forecast distribution: the window's sum of forecasts is normal
with the variance of the joint forecast covariance over its observed days (forecast_covariance:
state uncertainty at the end of the pre-period, level and seasonal shocks, noise); parameter
uncertainty is left out (the Bayesian CausalImpact includes it), which the coverage check in
tests/test_organic.py measures. statsmodels docs: "Unobserved components"
(statsmodels.tsa.statespace.structural); Durbin & Koopman (2012), *Time series analysis by state
space methods*, 2nd ed., section 4.11 (forecasting).

The total lift is set beside the attributed event-window lift (metrics.lift.view.lift_totals) of the
brand's posts dated in the burst, over the same window: "halo" when the total's interval lies wholly
above the attributed one (the posts sold beyond their codes and links), "cannibalisation" when wholly
below (attributed sales that would have happened anyway, or that displaced other sales), else
"consistent". docs/metrics.md, "Organic-sales check", states the rules and their assumptions.

Three layers: `fit_counterfactual` (pure: an array in, arrays out; the import runs it once per burst,
warehouse/organic_tables.py), `verdict` (pure), and `organic_check` (reads the import's tables for a
selection and compares them with the attributed lift). Nothing here knows of Dash.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd

from metrics.filters import Filters
from metrics.lift.view import METHOD_MEASURED, NO_POST, lift_totals
from metrics.settings import DEFAULT_SETTINGS, Settings

PRE_DAYS = 91  # days before a burst the model learns from (13 weeks)
MIN_PRE_DAYS = 28  # observed pre-period days below which no counterfactual is fitted
WEEK = 7
TAIL_GUARD_DAYS = 7  # days after a burst's longest window that another burst's pre-period leaves out

HALO, CANNIBALISATION, CONSISTENT = "halo", "cannibalisation", "consistent"
NOT_COMPARED, NOT_CHECKED = "not compared", "not checked"
NO_FILE = "no organic sales file"
HOW_TO_ADD = (
    "add a file named organic_sales.csv to the data folder with one row per brand and day: date, brand, "
    "revenue (₹, the brand's total sales that day, attributed or not), optionally orders and product, "
    "then import the folder again"
)


@dataclasses.dataclass(frozen=True)
class Counterfactual:
    """The forecast of a series past its pre-period, in the series' units (₹): mean (H,) per day, cov
    (H, H) the joint covariance of the H days' values (so sums over any days have their variance),
    fitted (P,) the one-step-ahead predictions over the pre-period (NaN where the model had nothing
    to predict from yet)."""

    mean: np.ndarray
    cov: np.ndarray
    fitted: np.ndarray

    @property
    def sd(self) -> np.ndarray:
        """(H,) each day's forecast standard deviation (₹)."""
        return np.sqrt(np.diag(self.cov))


class CounterfactualError(ValueError):
    """The pre-period cannot support a counterfactual (too few observed days, or the model does not fit)."""


def fit_counterfactual(pre: np.ndarray, horizon: int) -> Counterfactual:
    """Fit a local level + weekly seasonal model to `pre` (daily values, NaN for days not observed,
    the last element the day before the window) and forecast `horizon` days with their joint
    covariance (forecast_covariance).

    The series is standardised before fitting (as CausalImpact does) and the results are scaled back;
    no randomness. Raises CounterfactualError when fewer than MIN_PRE_DAYS days are observed, the
    series is constant, or the likelihood cannot be maximised.
    Source: statsmodels `UnobservedComponents(level="llevel", seasonal=7)`, `fit`, `get_forecast`."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    pre = np.asarray(pre, dtype=float)
    observed = np.isfinite(pre)
    if observed.sum() < MIN_PRE_DAYS:
        raise CounterfactualError(f"fewer than {MIN_PRE_DAYS} days of organic sales before it")
    centre, scale = float(np.nanmean(pre)), float(np.nanstd(pre))
    if not scale > 0:
        raise CounterfactualError("its organic sales before it do not vary (a constant series)")
    model = UnobservedComponents((pre - centre) / scale, level="llevel", seasonal=WEEK)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; a failed fit raises or gives NaN below
        try:
            result = model.fit(disp=False, maxiter=200)
            mean = np.asarray(result.get_forecast(horizon).predicted_mean, dtype=float)
        except (np.linalg.LinAlgError, ValueError) as error:
            raise CounterfactualError(f"the model could not be fitted ({error})") from None
    cov = forecast_covariance(result, horizon)
    if not (np.isfinite(mean).all() and np.isfinite(cov).all()):
        raise CounterfactualError("the model could not be fitted (the forecast is not finite)")
    fitted = np.asarray(result.fittedvalues, dtype=float)
    fitted[: WEEK + 1] = np.nan  # diffuse start: the first predictions carry no information
    return Counterfactual(mean=centre + scale * mean, cov=scale**2 * cov, fitted=centre + scale * fitted)


def forecast_covariance(result, horizon: int) -> np.ndarray:
    """(horizon, horizon) covariance of the next `horizon` observations of a fitted time-invariant
    state-space model, given its sample: with Z, T, R, Q, H the model's design, transition, selection,
    state and observation covariances and P_1 the predicted state covariance after the last
    observation, P_(i+1) = T P_i T' + R Q R' and Cov(y_i, y_j) = Z T^(j−i) P_i Z' (+ H when i = j).
    Its diagonal is statsmodels' forecast variance; a window's sum has variance 1' Cov 1 over its
    days (Durbin & Koopman 2012, section 4.11, forecasting)."""
    filtered = result.filter_results
    design, transition = filtered.design[:, :, 0], filtered.transition[:, :, 0]
    selection, state_cov = filtered.selection[:, :, 0], filtered.state_cov[:, :, 0]
    noise = float(filtered.obs_cov[0, 0, 0])
    shock = selection @ state_cov @ selection.T
    powers = np.empty((horizon, transition.shape[0]))  # row m: Z T^m
    powers[0] = design[0]
    for m in range(1, horizon):
        powers[m] = powers[m - 1] @ transition
    cov = np.empty((horizon, horizon))
    state = np.asarray(result.predicted_state_cov[:, :, -1], dtype=float)
    for i in range(horizon):
        cov[i, i:] = powers[: horizon - i] @ (state @ design[0])
        cov[i:, i] = cov[i, i:]
        cov[i, i] += noise
        state = transition @ state @ transition.T + shock
    return cov


def window_sums(actual: np.ndarray, counterfactual: Counterfactual, days: int) -> tuple[float, float, float]:
    """(actual ₹, counterfactual ₹, the counterfactual's standard deviation ₹) summed over the first
    `days` days of the window where actual sales were observed (a day without a row counts on neither side)."""
    actual = np.asarray(actual[:days], dtype=float)
    seen = np.flatnonzero(np.isfinite(actual))
    variance = counterfactual.cov[np.ix_(seen, seen)].sum()
    return float(actual[seen].sum()), float(counterfactual.mean[seen].sum()), float(np.sqrt(max(variance, 0.0)))


def lift_interval(actual: float, expected: float, sd: float, confidence: float) -> tuple[float, float]:
    """The equal-tailed interval (₹) of total lift = actual − counterfactual, the counterfactual sum
    being normal with mean `expected` and standard deviation `sd` (the model's forecast distribution)."""
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    return actual - expected - z * sd, actual - expected + z * sd


def verdict(low: float, high: float, attributed_low: float | None, attributed_high: float | None) -> str:
    """halo when the total lift's interval lies wholly above the attributed lift's, cannibalisation
    when wholly below, consistent when they overlap; "not compared" without an attributed interval."""
    if attributed_low is None or attributed_high is None:
        return NOT_COMPARED
    if low > attributed_high:
        return HALO
    if high < attributed_low:
        return CANNIBALISATION
    return CONSISTENT


def organic_status(wh) -> tuple[bool, str | None]:
    """(True, None) when the data set has organic sales, else (False, why not and how to add them)."""
    try:
        rows = wh.scalar("SELECT count(*) FROM organic_sales")
    except Exception as error:  # a warehouse built without the table answers like one without the file
        if "organic_sales" not in str(error):
            raise
        rows = 0
    if not rows:
        return False, f"{NO_FILE}: {HOW_TO_ADD}"
    return True, None


CHECK_KEYS = (
    "brand",
    "campaign",
    "start",
    "end",
    "window_end",
    "pre_days",
    "actual_revenue",
    "counterfactual_revenue",
    "total_lift",
    "total_lift_low",
    "total_lift_high",
    "attributed_lift",
    "attributed_lift_low",
    "attributed_lift_high",
    "verdict",
    "reason",
)


def _bursts(wh, filters: Filters) -> pd.DataFrame:
    """The bursts the selection's brand, campaign and date filters keep (a burst is kept when it
    starts inside the date range)."""
    conditions, params = [], []
    for name, column in (("brand", "brand"), ("campaign", "campaign")):
        values = getattr(filters, name)
        if values:
            conditions.append(f"{column} IN ({', '.join('?' * len(values))})")
            params += list(values)
    if filters.start:
        conditions.append("start_date >= ?")
        params.append(filters.start)
    if filters.end:
        conditions.append("start_date <= ?")
        params.append(filters.end)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return wh.query(f"SELECT * FROM organic_bursts {where} ORDER BY brand, start_date, campaign", params)


def organic_check(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The organic-sales check of a selection at the setting's lift window and confidence.

    Returns {"available": bool, "reason": str | None (no file, and how to add one), "window_days",
    "confidence", "rows": [...]}: one row per campaign burst of the selected brands/campaigns that
    starts in the date range, with CHECK_KEYS: brand, campaign, start, end, window_end (ISO dates;
    the window is start … end + window_days − 1, cut at the last day of organic sales), pre_days
    (observed days the model learnt from), actual_revenue and counterfactual_revenue (₹ over the
    window's observed days), total_lift, total_lift_low, total_lift_high (₹), attributed_lift,
    attributed_lift_low, attributed_lift_high (₹: the event-window lift of the brand's posts dated start … end, None when it
    is not measured), verdict (halo, cannibalisation, consistent, not compared, not checked) and
    reason (why not checked or not compared, else None). Influencer, platform, category and product
    filters do not apply: total sales cannot be split by creator or product."""
    available, reason = organic_status(wh)
    base: dict = {
        "available": available,
        "reason": reason,
        "window_days": settings.lift_window_days,
        "confidence": settings.lift_confidence,
        "rows": [],
    }
    if not available:
        return base
    bursts = _bursts(wh, filters)
    if bursts.empty:
        return base
    windows = wh.query(
        """SELECT burst_no, window_end, observed_days, actual, counterfactual, counterfactual_sd
           FROM organic_windows WHERE window_days = ?""",
        [settings.lift_window_days],
    ).set_index("burst_no")
    base["rows"] = [_check_row(wh, burst, windows, settings) for burst in bursts.to_dict("records")]
    return base


def _check_row(wh, burst: dict, windows: pd.DataFrame, settings: Settings) -> dict:
    start, end = pd.Timestamp(burst["start_date"]), pd.Timestamp(burst["end_date"])
    row = dict.fromkeys(CHECK_KEYS)
    row.update(
        brand=burst["brand"],
        campaign=burst["campaign"],
        start=start.date().isoformat(),
        end=end.date().isoformat(),
        pre_days=int(burst["pre_days"]),
    )
    if burst["status"] != "fitted" or burst["burst_no"] not in windows.index:
        return {**row, "verdict": NOT_CHECKED, "reason": burst["reason"] or "no organic sales in its window"}
    window = windows.loc[burst["burst_no"]]
    actual, counterfactual = float(window["actual"]), float(window["counterfactual"])
    low, high = lift_interval(actual, counterfactual, float(window["counterfactual_sd"]), settings.lift_confidence)
    row.update(
        window_end=pd.Timestamp(window["window_end"]).date().isoformat(),
        actual_revenue=actual,
        counterfactual_revenue=counterfactual,
        total_lift=actual - counterfactual,
        total_lift_low=low,
        total_lift_high=high,
    )
    attributed = lift_totals(wh, Filters(start=start.date(), end=end.date(), brand=(burst["brand"],)), settings)
    if attributed["method"] != METHOD_MEASURED:
        return {**row, "verdict": NOT_COMPARED, "reason": f"attributed lift not measured: {attributed['reason']}"}
    if attributed["reason"] == NO_POST:  # ₹0 of no post is nothing to call the total's halo or cannibalisation
        return {**row, "verdict": NOT_COMPARED, "reason": f"no attributed lift to compare: {NO_POST}"}
    row.update(
        attributed_lift=attributed["incremental_revenue"],
        attributed_lift_low=attributed["incremental_revenue_low"],
        attributed_lift_high=attributed["incremental_revenue_high"],
    )
    row["verdict"] = verdict(low, high, row["attributed_lift_low"], row["attributed_lift_high"])
    return row


def organic_days(wh, campaign: str, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame | None:
    """One campaign burst's chart data (campaign names are unique): date, actual (₹ total sales that day, NaN where the file has no row),
    counterfactual (₹: the one-step prediction in the pre-period, the forecast in the window),
    band_low, band_high (₹: the pointwise interval at the setting's confidence, window days only),
    in_window (bool: start … end + lift_window_days − 1). None for a burst without a fitted model."""
    from scipy.stats import norm

    days = wh.query(
        """SELECT d.date, d.actual, d.expected, d.sd, d.in_window, b.end_date FROM organic_days d
           JOIN organic_bursts b USING (burst_no) WHERE b.campaign = ? ORDER BY d.date""",
        [campaign],
    )
    if days.empty:
        return None
    z = float(norm.ppf(0.5 + settings.lift_confidence / 2))
    last = pd.Timestamp(days["end_date"].iloc[0]) + pd.Timedelta(days=settings.lift_window_days - 1)
    window = days["in_window"].astype(bool) & (pd.to_datetime(days["date"]) <= last)
    days = days[~days["in_window"].astype(bool) | window]
    band = np.where(window[days.index], z * days["sd"], np.nan)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(days["date"]).to_numpy(),
            "actual": days["actual"].to_numpy(dtype=float),
            "counterfactual": days["expected"].to_numpy(dtype=float),
            "band_low": days["expected"].to_numpy(dtype=float) - band,
            "band_high": days["expected"].to_numpy(dtype=float) + band,
            "in_window": window[days.index].to_numpy(),
        }
    )
