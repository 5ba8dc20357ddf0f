"""The organic-sales tables, built once per import: the brand's total daily sales and, per campaign
burst, the counterfactual of the organic-sales check (metrics/lift/organic.py; rules in
docs/metrics.md, "Organic-sales check").

Tables (all present after every import, empty without an organic_sales file):
- organic_sales: date, brand, product (NULL when the file has none), orders, revenue (₹), as imported;
- organic_bursts: burst_no, campaign, brand, start_date, end_date, pre_days (observed days the model
  learnt from), status ("fitted" or "not checked"), reason (why not checked, else NULL);
- organic_days: burst_no, date, actual (₹, NULL where the file has no row), expected (₹: the
  one-step prediction in the pre-period, the forecast in the window), sd (₹, the forecast's
  standard deviation; NULL in the pre-period), in_window (window days up to the longest window);
- organic_windows: window_days (7, 14, 28), burst_no, window_end, observed_days, actual,
  counterfactual, counterfactual_sd (₹ summed over the window's observed days; the sum's standard
  deviation from the forecasts' joint covariance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.lift.organic import (
    MIN_PRE_DAYS,
    PRE_DAYS,
    TAIL_GUARD_DAYS,
    CounterfactualError,
    fit_counterfactual,
    window_sums,
)
from metrics.settings import LIFT_WINDOW_CHOICES as WINDOW_CHOICES
from warehouse import build
from warehouse.sources import SourceFile

LONGEST_WINDOW = max(WINDOW_CHOICES)
ALWAYS_ON_SHARE = 0.5  # a campaign running for more than this share of its brand's organic period is not a burst


def build_organic_tables(connection, organic: SourceFile | None) -> None:
    """Create the organic tables from the staged file (None: empty tables). Needs `campaigns`."""
    _create_organic_sales(connection, organic)
    series = connection.execute(
        "SELECT brand, date, sum(revenue) AS revenue FROM organic_sales GROUP BY ALL ORDER BY brand, date"
    ).df()
    campaigns = connection.execute(
        """SELECT campaign, brand, start_date, end_date FROM campaigns
           WHERE brand IS NOT NULL AND start_date IS NOT NULL AND end_date IS NOT NULL AND end_date >= start_date
             AND brand IN (SELECT brand FROM organic_sales) ORDER BY brand, start_date, campaign"""
    ).df()
    bursts, days, windows = [], [], []
    by_brand = {brand: _daily(group) for brand, group in series.groupby("brand")}
    for burst_no, campaign in enumerate(campaigns.to_dict("records")):
        daily = by_brand[campaign["brand"]]
        others = campaigns[(campaigns["brand"] == campaign["brand"]) & (campaigns["campaign"] != campaign["campaign"])]
        status, reason, fitted = _check_burst(campaign, daily, others)
        bursts.append(
            (
                burst_no,
                campaign["campaign"],
                campaign["brand"],
                campaign["start_date"],
                campaign["end_date"],
                fitted[0] if fitted else 0,
                status,
                reason,
            )
        )
        if fitted:
            _, pre, window, counterfactual = fitted
            days += _day_rows(burst_no, pre, window, counterfactual)
            for window_days in WINDOW_CHOICES:
                length = min(len(window), (campaign["end_date"] - campaign["start_date"]).days + window_days)
                actual, expected, sd = window_sums(window.to_numpy(), counterfactual, length)
                windows.append(
                    (
                        window_days,
                        burst_no,
                        window.index[length - 1].date(),
                        int(np.isfinite(window.to_numpy()[:length]).sum()),
                        actual,
                        expected,
                        sd,
                    )
                )
    _write(connection, bursts, days, windows)


def _create_organic_sales(connection, organic: SourceFile | None) -> None:
    if organic is None:
        connection.execute("""CREATE TABLE organic_sales (date DATE, brand VARCHAR, product VARCHAR,
                              orders DOUBLE, revenue DOUBLE)""")
        return
    connection.execute(f"""
        CREATE TABLE organic_sales AS SELECT {build._date(organic, "date")} AS date,
            {build.BRAND_SQL.format(col="brand")} AS brand, {build._text(organic, "product")} AS product,
            {build._number(organic, "orders")} AS orders, {build._number(organic, "revenue")} AS revenue
        FROM {organic.table} ORDER BY rowid""")


def _daily(group: pd.DataFrame) -> pd.Series:
    """A brand's revenue per calendar day from its first to its last row; NaN on days without a row."""
    values = pd.Series(group["revenue"].to_numpy(dtype=float), index=pd.to_datetime(group["date"]))
    return values.reindex(pd.date_range(values.index.min(), values.index.max(), freq="D"))


def _check_burst(campaign: dict, daily: pd.Series, others: pd.DataFrame):
    """("fitted", None, (pre_days, pre series, window series, Counterfactual)) or ("not checked", why, None)."""
    start, end = pd.Timestamp(campaign["start_date"]), pd.Timestamp(campaign["end_date"])
    first, last = daily.index[0], daily.index[-1]
    if (end - start).days + 1 > ALWAYS_ON_SHARE * ((last - first).days + 1):
        return (
            "not checked",
            "it runs for most of the organic sales period (always on): nothing before it to compare with",
            None,
        )
    if end > last:
        return "not checked", f"the organic sales end on {last.date()}, before the campaign does", None
    if start - pd.Timedelta(days=MIN_PRE_DAYS) < first:
        return "not checked", f"fewer than {MIN_PRE_DAYS} days of organic sales before it", None
    pre = daily[max(first, start - pd.Timedelta(days=PRE_DAYS)) : start - pd.Timedelta(days=1)].copy()
    overlapping = [o for o in others.to_dict("records") if not _is_always_on(o, first, last)]
    for other in overlapping:
        busy_end = pd.Timestamp(other["end_date"]) + pd.Timedelta(days=LONGEST_WINDOW - 1 + TAIL_GUARD_DAYS)
        pre[(pre.index >= pd.Timestamp(other["start_date"])) & (pre.index <= busy_end)] = np.nan
    window = daily[start : min(last, end + pd.Timedelta(days=LONGEST_WINDOW - 1))]
    try:
        counterfactual = fit_counterfactual(pre.to_numpy(), len(window))
    except CounterfactualError as error:
        reason = str(error)
        if "fewer than" in reason and overlapping:
            reason += " that are free of the brand's other campaigns and their windows"
        return "not checked", reason, None
    return "fitted", None, (int(np.isfinite(pre.to_numpy()).sum()), pre, window, counterfactual)


def _is_always_on(campaign: dict, first: pd.Timestamp, last: pd.Timestamp) -> bool:
    days = (pd.Timestamp(campaign["end_date"]) - pd.Timestamp(campaign["start_date"])).days + 1
    return days > ALWAYS_ON_SHARE * ((last - first).days + 1)


def _day_rows(burst_no: int, pre: pd.Series, window: pd.Series, counterfactual) -> list[tuple]:
    def value(x):
        return None if not np.isfinite(x) else float(x)

    rows: list[tuple] = [
        (burst_no, day.date(), value(actual), value(expected), None, False)
        for day, actual, expected in zip(pre.index, pre.to_numpy(), counterfactual.fitted)
    ]
    rows += [
        (burst_no, day.date(), value(actual), float(expected), float(sd), True)
        for day, actual, expected, sd in zip(window.index, window.to_numpy(), counterfactual.mean, counterfactual.sd)
    ]
    return rows


TABLES = {
    "organic_bursts": "burst_no INTEGER, campaign VARCHAR, brand VARCHAR, start_date DATE, end_date DATE, "
    "pre_days INTEGER, status VARCHAR, reason VARCHAR",
    "organic_days": "burst_no INTEGER, date DATE, actual DOUBLE, expected DOUBLE, sd DOUBLE, in_window BOOLEAN",
    "organic_windows": "window_days INTEGER, burst_no INTEGER, window_end DATE, observed_days INTEGER, "
    "actual DOUBLE, counterfactual DOUBLE, counterfactual_sd DOUBLE",
}


def _write(connection, bursts, days, windows) -> None:
    """Create the three tables and insert their rows (through a registered frame: executemany is slow)."""
    for (table, columns), rows in zip(TABLES.items(), (bursts, days, windows)):
        connection.execute(f"CREATE TABLE {table} ({columns})")
        if rows:
            names = [column.split()[0] for column in columns.split(", ")]
            connection.register("organic_rows", pd.DataFrame(rows, columns=names))
            connection.execute(f"INSERT INTO {table} SELECT * FROM organic_rows")
            connection.unregister("organic_rows")
