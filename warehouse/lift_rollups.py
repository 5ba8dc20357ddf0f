"""Import-time rollups of the lift tables for the /lift page, per measured window:
`lift_intervals`, each creator's interval at the default confidence, and `lift_total_intervals`,
the whole data set's (the page without filters, where a window control starts).

Columns: window_days, confidence (the settings' default lift_confidence), influencer_key, low,
high (₹: percentiles of the creator's draw deviations, metrics.lift.method.interval). A page
showing whole creators (no date or sale filter) at that confidence reads these
(metrics.lift.view._creator_intervals) instead of reading the window's 2.5 million draws at
5,000 creators and taking 5,000 percentiles: the first change to a window in a server process
cost ~100–300 ms of CPU for that. They are exact for whole creators only; a part of a creator's
windows takes its own draws (metrics.lift.view.part_draws). Other confidence levels are computed
from the draws as before. lift_total_intervals: window_days, confidence,
low, high (₹ deviations of the summed draws of every post, metrics.lift.view's rule), so the
unfiltered KPI total needs no draws either.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa

from metrics.filters import Filters
from metrics.lift.method import interval
from metrics.lift.view import creator_starts, creator_weights, post_rows, read_deviations, total_deviations
from metrics.settings import DEFAULT_SETTINGS


def build_lift_rollups(con) -> None:
    """Create lift_intervals and lift_total_intervals in the import's connection, after build_lift_tables."""
    con.execute(
        "CREATE TABLE lift_intervals (window_days INTEGER, confidence DOUBLE, influencer_key INTEGER, "
        "low DOUBLE, high DOUBLE)"
    )
    con.execute("CREATE TABLE lift_total_intervals (window_days INTEGER, confidence DOUBLE, low DOUBLE, high DOUBLE)")
    confidence = DEFAULT_SETTINGS.lift_confidence
    windows = con.execute("SELECT window_days FROM lift_info WHERE status = 'measured' ORDER BY 1").fetchall()
    for (window,) in windows:
        keys, deviations, noise = read_deviations(con, window)
        if not len(keys):
            continue
        low, high = interval(deviations, confidence)
        rows = pa.table(
            {
                "window_days": np.full(len(keys), window, dtype=np.int32),
                "confidence": np.full(len(keys), confidence),
                "influencer_key": keys.astype(np.int32),
                "low": low,
                "high": high,
            }
        )
        con.register("lift_interval_rows", rows)
        con.execute("INSERT INTO lift_intervals SELECT * FROM lift_interval_rows")
        con.unregister("lift_interval_rows")
        total_low, total_high = interval(_every_post_draws(con, window, keys, deviations, noise), confidence)
        con.execute("INSERT INTO lift_total_intervals VALUES (?, ?, ?, ?)", [window, confidence, total_low, total_high])


def _every_post_draws(con, window: int, keys: np.ndarray, deviations: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """(R,) the summed draws (₹) of the selection without filters: lift_totals' creator_summary
    attrs["total_draws"], by the same functions on the same rows (bit for bit)."""
    posts = post_rows(con, Filters(), dataclasses.replace(DEFAULT_SETTINGS, lift_window_days=window))
    starts = creator_starts(posts["influencer_key"])
    draw_weight = np.add.reduceat(posts["draw_weight"], starts) if len(starts) else np.zeros(0)
    weights = creator_weights(keys, posts["influencer_key"][starts], draw_weight)
    return total_deviations(weights, deviations, noise)
