"""Coverage of parts' lift intervals through the real import and read path:
`python -m bench.lift_sample [--seeds 42 43 44] [--orders 20000]`.

Generates samples with and without planted lift (warehouse/sample.py), imports them, and reports
how often the interval holds the planted truth (truth/lift.csv: each post's whole planted lift)
for single posts (`lift_table(by="post")`) and for the posts dated in ranges of 1, 7 and 30 days
starting every third day (`lift_totals` with a date filter). Results: docs/incrementality.md.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from bench.lift import RANGE_DAYS, RANGE_STEP
from bench.samples import imported_samples, sample_parser
from metrics import Filters
from metrics.lift import lift_table, lift_totals
from warehouse import Warehouse


def covered(wh: Warehouse, truth: pd.DataFrame) -> dict[str, list[bool]]:
    """{"post" / "<n>-day": whether each part's interval holds its true incremental revenue (₹,
    `truth`: truth/lift.csv's post_id and true_incremental_revenue)}."""
    posts = lift_table(wh, "post").merge(truth[["post_id", "true_incremental_revenue"]], on="post_id")
    true = posts["true_incremental_revenue"]
    out = {"post": ((posts["incremental_revenue_low"] <= true) & (true <= posts["incremental_revenue_high"])).tolist()}
    dates = pd.to_datetime(posts["date"])
    for length in RANGE_DAYS:
        out[f"{length}-day"] = []
        for start in pd.date_range(dates.min(), dates.max() - pd.Timedelta(days=length - 1), freq=f"{RANGE_STEP}D"):
            end = start + pd.Timedelta(days=length - 1)
            inside = (dates >= start) & (dates <= end)
            total = lift_totals(wh, Filters(start=start.date(), end=end.date()))
            if inside.any() and total.get("incremental_revenue_low") is not None:
                target = true[inside].sum()
                out[f"{length}-day"].append(
                    total["incremental_revenue_low"] <= target <= total["incremental_revenue_high"]
                )
    return out


def main(argv: list[str] | None = None) -> None:
    args = sample_parser("python -m bench.lift_sample", __doc__).parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    results: dict[bool, dict[str, list[bool]]] = {True: {}, False: {}}
    for lift, _, root, wh in imported_samples(args.seeds, args.orders, (True, False)):
        truth = pd.read_csv(root / "src" / "truth" / "lift.csv")
        for part, values in covered(wh, truth).items():
            results[lift].setdefault(part, []).extend(values)
    for lift, parts in results.items():
        cells = ", ".join(f"{part} {np.mean(v):.3f} ({len(v)})" for part, v in parts.items())
        print(f"{'planted lift' if lift else 'no lift'}: {cells}")


if __name__ == "__main__":
    main()
