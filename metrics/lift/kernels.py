"""Compiled loops of the incrementality method (metrics/lift/method.py) that numpy can only do by
materialising resample × day × creator arrays. Compiled with numba (cached beside this file), and
imported only where the draws are made, so that pages do not pay for loading the compiler."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def first_quiet_sums(order: np.ndarray, picked: np.ndarray, values: np.ndarray, limit: np.ndarray):
    """((R, N) float32, (R, N) int64): for each of R day sequences (`order`, (R, L) day indices) and
    each of N columns (`picked`, (N, D) bool, and `values`, (N, D) float32, one row per column),
    the sum of the column's values over its first `limit[n]` picked days in that sequence, and how
    many picked days were summed (fewer than the limit when the sequence runs out first).

    The sum is accumulated in float32 in sequence order (the order of the (R, L, N) einsum it
    replaced, so draws are bit for bit the same). The walk has no branch on whether a day is
    picked (a mispredicted branch per day cost 3× the time): an unpicked day adds 0 to the count
    and +0.0 to the sum, which leaves it bit for bit as it was (a sum that starts at +0.0 is never
    −0.0, and x + 0.0 = x for every other float)."""
    sequences, length = order.shape
    columns = picked.shape[0]
    total = np.zeros((sequences, columns), np.float32)
    found = np.zeros((sequences, columns), np.int64)
    for column in range(columns):
        wanted = limit[column]
        if wanted <= 0:
            continue
        is_picked = picked[column].astype(np.int64)
        value = np.where(picked[column], values[column], np.float32(0.0))
        for sequence in range(sequences):
            sum_, count = np.float32(0.0), 0
            for position in range(length):
                day = order[sequence, position]
                sum_ += value[day]
                count += is_picked[day]
                if count >= wanted:
                    break
            total[sequence, column] = sum_
            found[sequence, column] = count
    return total, found
