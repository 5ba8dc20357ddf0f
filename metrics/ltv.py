"""What a creator's acquired customers are worth later: realised revenue over 90 / 180 / 365 days.

Straight from the import's `customer_cohorts` table (warehouse/customer_tables.py); the rule is in
docs/metrics.md, "Customer value". No fitted lifetime model: realised revenue only, and only cohorts
old enough to have the whole horizon in the data count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import numpy as np
import pandas as pd

from metrics import catalogue
from metrics.dataset import sale_date_bounds
from metrics.filters import Filters
from metrics.selection import fact_conditions, influencer_conditions, where
from metrics.settings import DEFAULT_SETTINGS, Settings

HORIZONS = (90, 180, 365)  # days after the first order (the first order's day is day 1)
LTV_COLUMNS = tuple(f"{part}_{days}" for days in HORIZONS for part in ("ltv_customers", "ltv_revenue", "ltv")) + (
    "ltv_cac_365",
)


def _ratio(key: str, frame: pd.DataFrame) -> pd.Series:
    """A catalogue Ratio metric over the columns of `frame` (declared once, in metrics/catalogue.py)."""
    computed = catalogue.get(key).computed
    assert isinstance(computed, catalogue.Ratio), key
    return computed.column(frame)


def eligible_until(last_sale: dt.date, days: int) -> dt.date:
    """The last first-order day whose `days`-day horizon lies inside the data (day 1 = the first
    order's day): a cohort acquired on it has its day `days` on the last sale date."""
    return last_sale - dt.timedelta(days=days - 1)


def ltv_by_influencer(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Per influencer with acquired customers in the selection: for each horizon h in 90, 180, 365
    days, ltv_customers_h (customers acquired early enough for h: first order at most h − 1 days
    before the last sale date), ltv_revenue_h (₹ their realised revenue over h days, from the first
    order's day, all their attributed sales), ltv_h (₹ per such customer; None without one).

    Selection: influencer filters (platform, category, tier) select creators; a date range selects
    customers by the date of their first order; brand, campaign and product filters do not split a
    customer's later revenue (it spans them) and are not applied. Empty without user ids. Columns:
    influencer_id and the above. Raises warehouse.db.WarehouseMissing without a data set.
    """
    last_sale = sale_date_bounds(wh)[1]
    columns = ["influencer_id", *[c for c in LTV_COLUMNS if c != "ltv_cac_365"]]
    if last_sale is None:
        return pd.DataFrame(columns=columns)
    dated_only = dataclasses.replace(filters, brand=(), campaign=(), product=(), period=None)
    clause, params = where(influencer_conditions(filters, settings), fact_conditions(dated_only, alias="c"))
    selects, select_params = [], []
    for days in HORIZONS:
        selects.append(
            f"sum(c.customers) FILTER (WHERE c.date <= ?) AS ltv_customers_{days}, "
            f"sum(c.revenue_{days}) FILTER (WHERE c.date <= ?) AS ltv_revenue_{days}"
        )
        select_params += [eligible_until(last_sale, days)] * 2
    frame = wh.query(
        f"""SELECT i.influencer_id, {", ".join(selects)}
            FROM customer_cohorts c JOIN influencers i USING (influencer_key)
            {clause} GROUP BY i.influencer_id ORDER BY i.influencer_id""",
        select_params + params,
    )
    for days in HORIZONS:
        frame[f"ltv_{days}"] = _ratio(f"ltv_{days}", frame)
    return frame[columns]


@functools.lru_cache(maxsize=2)
def _every_creator(path: str, inode: int, mtime_ns: int) -> pd.DataFrame:
    """ltv_by_influencer of every creator without a date range, indexed by influencer_id: read once
    per warehouse file version (an import replaces the file, so a new version has a new key).
    Callers only read it."""
    from warehouse import Warehouse

    return ltv_by_influencer(Warehouse(path), Filters()).set_index("influencer_id")


def _ltv_values(wh, filters: Filters, settings: Settings) -> pd.DataFrame:
    """ltv_by_influencer indexed by influencer_id, for the creators of `filters` at least. Without
    a date range a creator's figures do not depend on the selection (influencer filters only choose
    creators; sale filters are not applied), so every creator's, read once, serve every such
    selection; with one, the selection's own query."""
    if filters.start is None and filters.end is None:
        try:
            stat = wh.path.stat()
        except FileNotFoundError:
            wh.connection()  # raises WarehouseMissing, naming the path
            raise
        return _every_creator(str(wh.path), stat.st_ino, stat.st_mtime_ns)
    return ltv_by_influencer(wh, filters, settings).set_index("influencer_id")


def with_ltv(wh, ranked: pd.DataFrame, filters: Filters, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """`ranked` (rows with influencer_id and cac, e.g. metrics.ranking of `filters`) with LTV_COLUMNS:
    the ltv_by_influencer figures (None for creators without an eligible acquired customer) and
    ltv_cac_365 = ltv_365 ÷ the row's CAC (×; None where either is undefined)."""
    values = _ltv_values(wh, filters, settings)
    out = ranked.copy()
    # one alignment for every column (a map per column cost ~70 ms at 5,000 creators)
    aligned = values.reindex(out["influencer_id"].to_numpy()).astype(float)
    for column in values.columns:
        mapped = aligned[column].to_numpy()
        column_values = mapped.astype(object)
        column_values[np.isnan(mapped)] = None
        out[column] = column_values
    out["ltv_cac_365"] = _ratio("ltv_cac_365", out)
    return out
