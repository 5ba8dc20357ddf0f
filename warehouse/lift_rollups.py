"""Import-time rollups of the lift tables for the /lift page: `lift_intervals`, each creator's
interval at the default confidence, per measured window.

Columns: window_days, confidence (the settings' default lift_confidence), influencer_key, low,
high (₹: percentiles of the creator's draw deviations, metrics.lift.method.interval). A page
showing creators at that confidence scales these (metrics.lift.view._creator_intervals) instead
of reading the window's 2.5 million draws at 5,000 creators and taking 5,000 percentiles: the
first change to a window in a server process cost ~100–300 ms of CPU for that. Other confidence
levels are computed from the draws as before.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from metrics.lift.method import interval
from metrics.lift.view import read_deviations
from metrics.settings import DEFAULT_SETTINGS


def build_lift_rollups(con) -> None:
    """Create lift_intervals in the import's connection, after build_lift_tables."""
    con.execute(
        "CREATE TABLE lift_intervals (window_days INTEGER, confidence DOUBLE, influencer_key INTEGER, "
        "low DOUBLE, high DOUBLE)"
    )
    confidence = DEFAULT_SETTINGS.lift_confidence
    windows = con.execute("SELECT window_days FROM lift_info WHERE status = 'measured' ORDER BY 1").fetchall()
    for (window,) in windows:
        keys, deviations = read_deviations(con, window)
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
