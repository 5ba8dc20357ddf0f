"""Campaign pacing: each budgeted campaign's spend against its budget and the time it has run.

The rule (docs/metrics.md, "Campaign pacing"):
- **as of** the data's last sale date (metrics.sale_date_bounds), never today: a data set exported on
  15 February reads the same whenever it is opened, like the period presets;
- **elapsed** = days from the campaign's start to the as-of date (both counted) ÷ its days (start to
  end, both counted), between 0 % and 100 %;
- **budget used** = the campaign's spend ÷ its budget × 100, where spend is the campaign's whole
  cost in the data set: pacing compares a whole budget with a whole cost, so only the campaign and
  brand filters choose campaigns, and the other filters and the date range do not apply;
- **pacing** = budget used ÷ elapsed (×; 1.00× spends the budget exactly by the end);
- **projected spend** = spend ÷ elapsed while the campaign runs (a straight line at today's rate),
  the spend itself once it has ended;
- **status**: "over budget" once spend exceeds the budget; otherwise "not started" before the start,
  "ended" and "ended under budget" (more than the tolerance left), and while running "overpacing" /
  "underspending" when pacing is beyond 1 ± tolerance (Settings.pacing_tolerance_pct, default 10 %),
  else "on pace". Campaigns without a budget are not listed; without dates, status "no dates".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics.breakdowns import campaign_comparison
from metrics.dataset import sale_date_bounds
from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings

COLUMNS = [
    "campaign",
    "campaign_brand",
    "start_date",
    "end_date",
    "budget",
    "spend",
    "budget_used_pct",
    "elapsed_pct",
    "pacing_index",
    "projected_spend",
    "projected_used_pct",
    "status",
]
# Statuses that need a person's attention, first in the table.
ATTENTION = ("over budget", "overpacing", "underspending", "ended under budget")
# The filters pacing leaves out (only campaign and brand choose campaigns: a whole budget against a
# whole cost), and what a view filtered by one of them says beside its pacing figures.
NOT_APPLIED = ("platform", "category", "tier", "product", "start", "end", "period")
WHOLE_COST = "Each budget against the campaign's whole cost, whatever the other filters: only campaign and brand apply."


def filters_not_applied(filters: Filters) -> bool:
    """True where `filters` narrow the selection by something pacing does not apply (NOT_APPLIED)."""
    return any(getattr(filters, name) for name in NOT_APPLIED)


def campaign_pacing(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, as_of: dt.date | None = None
) -> pd.DataFrame:
    """One row per campaign with a budget: COLUMNS (budget, spend, projected_spend in ₹;
    budget_used_pct, elapsed_pct, projected_used_pct in %; pacing_index ×; dates as datetime.date),
    the campaigns needing attention first, then by budget used. `as_of` defaults to the last sale date.
    Undefined figures (no dates, not started) are NaN, shown "—". Raises WarehouseMissing without a data set."""
    frame = campaign_comparison(wh, Filters(), settings)
    frame = frame[frame["budget"].notna() & (pd.to_numeric(frame["budget"], errors="coerce") > 0)]
    if filters.campaign:
        frame = frame[frame["campaign"].isin(filters.campaign)]
    if filters.brand:
        frame = frame[frame["campaign_brand"].isin(filters.brand)]
    as_of = as_of or sale_date_bounds(wh)[1]
    rows = [_pace(row, as_of, settings.pacing_tolerance_pct) for row in frame.to_dict("records")]
    result = pd.DataFrame(rows, columns=COLUMNS)
    if result.empty:
        return result
    result["_attention"] = [ATTENTION.index(s) if s in ATTENTION else len(ATTENTION) for s in result["status"]]
    result = result.sort_values(["_attention", "budget_used_pct", "campaign"], ascending=[True, False, True])
    return result.drop(columns="_attention").reset_index(drop=True)


def _pace(row: dict, as_of: dt.date | None, tolerance_pct: float) -> dict:
    budget, spend = float(row["budget"]), float(row["spend"] or 0.0)
    start, end = _date(row.get("start_date")), _date(row.get("end_date"))
    elapsed = elapsed_share(start, end, as_of)
    used = spend / budget * 100
    pacing = used / (elapsed * 100) if elapsed else np.nan
    projected = spend if elapsed == 1 else (spend / elapsed if elapsed else np.nan)
    return {
        "campaign": row["campaign"],
        "campaign_brand": row.get("campaign_brand"),
        "start_date": start,
        "end_date": end,
        "budget": budget,
        "spend": spend,
        "budget_used_pct": used,
        "elapsed_pct": elapsed * 100 if elapsed is not None else np.nan,
        "pacing_index": pacing,
        "projected_spend": projected,
        "projected_used_pct": projected / budget * 100 if not np.isnan(projected) else np.nan,
        "status": pacing_status(used, elapsed, tolerance_pct),
    }


def elapsed_share(start: dt.date | None, end: dt.date | None, as_of: dt.date | None) -> float | None:
    """Share (0–1) of the campaign's days, start to end both counted, that lie on or before `as_of`;
    None when a date is missing or the end precedes the start."""
    if start is None or end is None or as_of is None or end < start:
        return None
    days = (end - start).days + 1
    return min(max((as_of - start).days + 1, 0), days) / days


def pacing_status(used_pct: float, elapsed: float | None, tolerance_pct: float) -> str:
    """The module's status rule for budget used (%) after the elapsed share (0–1) of a campaign."""
    if used_pct > 100:
        return "over budget"
    if elapsed is None:
        return "no dates"
    if elapsed == 0:
        return "not started"
    if elapsed == 1:
        return "ended under budget" if used_pct < 100 - tolerance_pct else "ended"
    pacing = used_pct / (elapsed * 100)
    if pacing > 1 + tolerance_pct / 100:
        return "overpacing"
    if pacing < 1 - tolerance_pct / 100:
        return "underspending"
    return "on pace"


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    return pd.Timestamp(value).date()
