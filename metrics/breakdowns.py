"""Figures per dimension (platform, category, tier, brand, campaign, product, source, month, day)."""

from __future__ import annotations

import pandas as pd

from metrics.aggregate import add_ratios, ratio_column, sums_by, sums_over_time
from metrics.catalogue import SALES_RATIOS, SHARES, TIME_GROUPS, apply_ratios
from metrics.filters import Filters
from metrics.selection import GROUPS
from metrics.settings import DEFAULT_SETTINGS, Settings

BREAKDOWN_COLUMNS = [
    "influencers",
    "followers",
    "revenue",
    "refunds",
    "orders",
    "spend",
    *SALES_RATIOS,
    "new_customers",
    "new_customers_estimated",
    "orders_without_user",
    *SHARES,
]


def breakdown(
    wh, by: str | list[str] | tuple[str, ...], filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Pooled figures per value of `by` (one dimension or several); parts add up to the whole.

    Columns: the `by` columns, then BREAKDOWN_COLUMNS: influencers, followers (counts of known
    creators), revenue, spend, aov, cost_per_order, cac (₹), orders, new_customers (counts;
    new_customers_estimated when sales carry no user id, orders_without_user those orders), roas (×), roi_pct (%), revenue_share and
    spend_share (0–1). Ratios are None where undefined; `source` has no spend (None). Sorted by
    time for time groups, else by revenue (descending). Raises ValueError for an unknown group.
    """
    groups = (by,) if isinstance(by, str) else tuple(by)
    for group in groups:
        if group not in GROUPS:
            raise ValueError(f"unknown breakdown {group!r}; choose from {', '.join(GROUPS)}")
    frame = add_ratios(sums_by(wh, filters, settings, groups), settings)
    for group in groups:
        if group == "month":
            frame[group] = frame[group].fillna("Undated")
    time_groups = [g for g in groups if g in TIME_GROUPS]
    if time_groups:
        frame = frame.sort_values(time_groups, na_position="last")
    else:
        frame = frame.sort_values(["revenue", *groups], ascending=[False] + [True] * len(groups))
    return frame[list(groups) + BREAKDOWN_COLUMNS].reset_index(drop=True)


def timeseries(
    wh,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    grain: str = "day",
    influencer_id: str | None = None,
) -> pd.DataFrame:
    """Revenue, orders and spend per period; undated sales are left out and counted in attrs.

    Columns: period (the day, week start or month start), orders, new_customers,
    orders_without_user (counts), revenue, spend (₹), roas (×, None without spend). `attrs["undated"]`: revenue, orders, spend left
    out. Raises ValueError for a grain other than day, week or month.
    """
    if grain not in TIME_GROUPS:
        raise ValueError(f"grain must be one of {TIME_GROUPS}")
    frame = sums_over_time(wh, filters, settings, grain, influencer_id)
    undated = frame[frame["period"].isna()]
    frame = frame[frame["period"].notna()].reset_index(drop=True)
    frame["roas"] = ratio_column(frame["revenue"], frame["spend"])
    frame.attrs["undated"] = {
        "revenue": float(undated["revenue"].sum()),
        "orders": int(undated["orders"].sum()),
        "spend": float(undated["spend"].sum()),
    }
    return frame[["period", "revenue", "orders", "spend", "roas"]]


def campaign_comparison(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The campaign breakdown with what the optional campaigns file says of each campaign.

    Adds brand, start_date, end_date and budget (empty where the file is absent or silent) and
    budget_used_pct = spend in the selection ÷ budget × 100.
    """
    frame = breakdown(wh, "campaign", filters, settings)
    described = wh.query("SELECT campaign, brand AS campaign_brand, start_date, end_date, budget FROM campaigns")
    frame = frame.merge(described.drop_duplicates("campaign"), on="campaign", how="left")
    return apply_ratios(frame, ("budget_used_pct",))
