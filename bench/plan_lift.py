"""The planner's valuation of today's allocation against the measured lift of the same selection:
`python -m bench.plan_lift [--seeds 42 43 44] [--orders 20000] [--db PATH ...]`.

Generates samples with and without planted lift (warehouse/sample.py) and imports them, or reads
the given warehouses, and prints per selection (all dates; 1–7 May 2025) and planning unit the
measured incremental revenue (metrics.lift.lift_totals), the plan's expected incremental revenue of
today's allocation and its change against today (metrics.planning.plan), each with its interval
(₹), and how many units the plan values and how many creators (and ₹ of spend) it holds unvalued
(no post measured in the selection). On no-lift data both intervals should include ₹0. Results: docs/metrics.md, "Response curves
and the budget planner".
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from bench.samples import imported_samples, sample_parser
from metrics import Filters
from metrics.lift import lift_totals
from metrics.planning import plan
from warehouse import Warehouse

SELECTIONS = (("all", Filters()), ("1-7 May", Filters(start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 7))))


def _money(value: float, low: float, high: float) -> str:
    """₹ value (low to high), whole rupees."""
    return f"{value:,.0f} ({low:,.0f} to {high:,.0f})"


def report(name: str, wh: Warehouse) -> None:
    """Print one line per selection and planning unit: measured, plan today, plan's change (₹)."""
    for label, filters in SELECTIONS:
        measured = lift_totals(wh, filters)
        seen = _money(
            measured["incremental_revenue"], measured["incremental_revenue_low"], measured["incremental_revenue_high"]
        )
        for by in ("segment", "influencer"):
            chosen = plan(wh, by=by, filters=filters)
            today, change = chosen.totals["current"], chosen.totals["gain"]
            print(
                f"{name:10} {label:8} {by:10} measured {seen} | today "
                f"{_money(today['expected_incremental_revenue'], today['low'], today['high'])} | change "
                f"{_money(change['value'], change['low'], change['high'])} | valued {len(chosen.curves.units)} "
                f"units, unvalued {len(chosen.curves.unvalued)} creators ({chosen.unvalued_spend:,.0f})"
            )


def main(argv: list[str] | None = None) -> None:
    parser = sample_parser("python -m bench.plan_lift", __doc__)
    parser.add_argument("--db", type=Path, nargs="*", default=[], help="warehouses to read instead of samples")
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    for path in args.db:
        report(path.stem, Warehouse(path))
    if args.db:
        return
    for lift, seed, _, wh in imported_samples(args.seeds, args.orders, (False, True)):
        report(f"{'lift' if lift else 'no-lift'} {seed}", wh)


if __name__ == "__main__":
    main()
