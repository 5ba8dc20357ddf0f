"""The incremental share of short date ranges against the planted share:
`python -m bench.lift_share [--seeds 42 43 44] [--orders 20000]`.

Generates samples with and without planted lift (warehouse/sample.py), imports them, and for date
ranges of 1, 7 and 30 days starting every third day between the first and the last post prints the
share's mean and its pooled value (Σ lift ÷ Σ base) under two bases: "before", the range's attributed
revenue plus its posts' window days after the end (the rule of session 15), and "after", also less
the range's days in windows of posts dated before it (metrics.lift.view.range_edge_revenue). Each
is given with the measured lift and with the planted one (truth/lift.csv, the posts dated in the
range) as numerator, beside the whole data's planted share (Σ truth ÷ attributed revenue) and its
measured one. A range without a post counts a lift of ₹0 (the pages fall back to the assumed
share there, which says nothing about the base). Results: docs/metrics.md, "Incremental share under a date range".
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from bench.lift import RANGE_DAYS, RANGE_STEP
from bench.samples import imported_samples, sample_parser
from metrics import Filters, kpis
from metrics.aggregate import sale_totals
from metrics.lift import METHOD_MEASURED, lift_table, lift_totals
from metrics.lift.view import range_edge_revenue
from metrics.settings import DEFAULT_SETTINGS
from warehouse import Warehouse


def range_rows(wh: Warehouse, truth: pd.DataFrame) -> pd.DataFrame:
    """One row per range: length (days), measured and true lift, revenue, before, after (₹)."""
    posts = lift_table(wh, "post").merge(truth[["post_id", "true_incremental_revenue"]], on="post_id")
    dates = pd.to_datetime(posts["date"])
    rows = []
    for length in RANGE_DAYS:
        for start in pd.date_range(dates.min(), dates.max() - pd.Timedelta(days=length - 1), freq=f"{RANGE_STEP}D"):
            end = start + pd.Timedelta(days=length - 1)
            filters = Filters(start=start.date(), end=end.date())
            lift = lift_totals(wh, filters)
            edges = range_edge_revenue(wh, filters)
            inside = (dates >= start) & (dates <= end)
            rows.append(
                {
                    "length": length,
                    "measured": lift["incremental_revenue"] if lift["method"] == METHOD_MEASURED else 0.0,
                    "true": posts.loc[inside, "true_incremental_revenue"].sum(),
                    "revenue": sale_totals(wh, filters, DEFAULT_SETTINGS)["revenue"],
                    "before": edges.before,
                    "after": edges.after,
                }
            )
    return pd.DataFrame(rows)


def summary(rows: pd.DataFrame) -> str:
    """Per range length: the shares (%) of the measured and of the true lift, mean and pooled, over
    the base before and after."""
    lines = []
    for length, part in rows.groupby("length"):
        bases = {"before": part["revenue"] + part["after"], "after": part["revenue"] - part["before"] + part["after"]}
        cells = []
        for numerator in ("measured", "true"):
            for rule, base in bases.items():
                mean = np.mean(part[numerator] / base) * 100
                pooled = part[numerator].sum() / base.sum() * 100
                cells.append(f"{numerator} {rule} {mean:.2f} ({pooled:.2f})")
        lines.append(f"  {length}-day ({len(part)} ranges): " + ", ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sample_parser("python -m bench.lift_share", __doc__).parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f}")
    for lift, seed, root, wh in imported_samples(args.seeds, args.orders, (True, False)):
        truth = pd.read_csv(root / "src" / "truth" / "lift.csv")
        whole = kpis(wh)
        planted = truth["true_incremental_revenue"].sum() / whole["revenue"] * 100
        print(
            f"{'planted lift' if lift else 'no lift'} seed {seed}: planted share {planted:.2f} %, "
            f"measured {whole['incremental_share'] * 100:.2f} %"
        )
        print(summary(range_rows(wh, truth)))


if __name__ == "__main__":
    main()
