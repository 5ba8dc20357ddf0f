"""Coverage of parts' lift intervals through the real import and read path:
`python -m bench.lift_sample [--seeds 42 43 44] [--orders 20000]`.

Generates samples with and without planted lift (warehouse/sample.py), imports them, and reports
how often the interval holds the planted truth (truth/lift.csv: each post's whole planted lift)
for single posts (`lift_table(by="post")`) and for the posts dated in ranges of 1, 7 and 30 days
starting every third day (`lift_totals` with a date filter). Results: docs/incrementality.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.lift import RANGE_DAYS, RANGE_STEP
from metrics import Filters
from metrics.lift import lift_table, lift_totals
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


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
    parser = argparse.ArgumentParser(prog="python -m bench.lift_sample", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--orders", type=int, default=20_000)
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    for lift in (True, False):
        results: dict[str, list[bool]] = {}
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                generate_sample(root / "src", orders=args.orders, seed=seed, lift=lift)
                import_dataset(root / "src", root / "wh.duckdb")
                truth = pd.read_csv(root / "src" / "truth" / "lift.csv")
                for part, values in covered(Warehouse(root / "wh.duckdb"), truth).items():
                    results.setdefault(part, []).extend(values)
        cells = ", ".join(f"{part} {np.mean(v):.3f} ({len(v)})" for part, v in results.items())
        print(f"{'planted lift' if lift else 'no lift'}: {cells}")


if __name__ == "__main__":
    main()
