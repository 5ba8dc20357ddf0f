"""The /lift page's KPI figures: measured incrementality and the sales totals it is read against."""

from __future__ import annotations

from metrics.aggregate import sale_totals
from metrics.filters import Filters
from metrics.kpis import incrementality
from metrics.settings import DEFAULT_SETTINGS, Settings


def lift_kpis(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> dict:
    """metrics.kpis' keys that the lift cards show, equal to kpis' values: orders, revenue (₹, net
    of refunds), spend (₹), baseline_share (0–1) and incrementality()'s (incremental_revenue and
    its interval ₹, incremental_roas ×, incremental_share, incrementality_method / _reason /
    _window_days / _confidence / _verdict). Leaves out kpis' engagement sums, counts and other ratios, which
    cost a second aggregate. Raises warehouse.db.WarehouseMissing without a usable data set."""
    totals = sale_totals(wh, filters, settings)
    return {
        "revenue": totals["revenue"],
        "orders": int(totals["orders"]),
        "spend": totals["spend"],
        **incrementality(wh, filters, settings, totals["revenue"], totals["spend"]),
        "baseline_share": settings.baseline_share,
    }
