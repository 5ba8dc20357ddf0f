"""Compiled loops of the incrementality method (metrics/lift/method.py) that numpy can only do by
materialising resample × day × creator arrays, or through several (day × creator, resample × creator)
temporaries. Compiled with numba (cached beside this file), and imported only where windows are
assigned and draws made, so that pages do not pay for loading the compiler."""

from __future__ import annotations

import numba
import numpy as np

# Columns walked side by side: one column's walk is a chain of dependent float32 additions (each
# waits for the last), LANES columns are independent chains the compiler turns into SIMD adds.
LANES = 64


@numba.njit(cache=True, nogil=True)
def first_quiet_sums(order: np.ndarray, picked: np.ndarray, values: np.ndarray, limit: np.ndarray):
    """((R, N) float32, (R, N) int64): for each of R day sequences (`order`, (R, L) day indices) and
    each of N columns (`picked`, (N, D) bool, and `values`, (N, D) float32, one row per column),
    the sum of the column's values over its first `limit[n]` picked days in that sequence, and how
    many picked days were summed (fewer than the limit when the sequence runs out first).

    The sum is accumulated in float32 in sequence order (the order of the (R, L, N) einsum it
    replaced, so draws are bit for bit the same). Columns are walked LANES at a time, those of
    similar expected walk length (limit ÷ picked days) together so that a block's lanes finish
    at about the same position; a lane that has its limit keeps its sum and count unchanged
    (a select, not a branch) until the whole block is done (seen every 4th position). An unpicked
    day adds 0 to the count and +0.0 to the sum, which leaves it bit for bit as it was (a sum that
    starts at +0.0 is never −0.0, and x + 0.0 = x for every other float)."""
    sequences = order.shape[0]
    columns = picked.shape[0]
    total = np.zeros((sequences, columns), np.float32)
    found = np.zeros((sequences, columns), np.int64)
    ranked = _by_walk_length(picked, limit)
    for first in range(0, len(ranked), LANES):
        block = ranked[first : first + LANES]
        block_values, block_picked, wanted = _lane_block(picked, values, limit, block, order.shape[1])
        _walk_block(order, block_values, block_picked, wanted, block, total, found)
    return total, found


@numba.njit(cache=True, nogil=True)
def _by_walk_length(picked: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """The columns with a positive limit, by expected walk length (limit ÷ picked days)."""
    walk = np.full(len(limit), np.inf)
    for column in range(len(limit)):
        if limit[column] > 0:
            walk[column] = limit[column] / max(picked[column].sum(), 1)
    ranked = np.argsort(walk)
    return ranked[: np.count_nonzero(limit > 0)]


@numba.njit(cache=True, nogil=True)
def _lane_block(picked: np.ndarray, values: np.ndarray, limit: np.ndarray, block: np.ndarray, length: int):
    """((D, LANES) float32, (D, LANES) int32, (LANES,) int32): the block's columns day by day (a
    day's lanes side by side), 0 on unpicked days and in unused lanes; each lane's limit (0 in an
    unused lane: never open; a limit above the sequence length, never reached, is that length + 1)."""
    days = picked.shape[1]
    block_values = np.zeros((days, LANES), np.float32)
    block_picked = np.zeros((days, LANES), np.int32)
    wanted = np.zeros(LANES, np.int32)
    for lane in range(len(block)):
        column = block[lane]
        wanted[lane] = min(limit[column], length + 1)
        for day in range(days):
            if picked[column, day]:
                block_values[day, lane] = values[column, day]
                block_picked[day, lane] = 1
    return block_values, block_picked, wanted


@numba.njit(cache=True, nogil=True)
def _walk_block(order, block_values, block_picked, wanted, block, total, found) -> None:
    """Walk every sequence for the block's lanes, writing their sums and counts to the block's
    columns of `total` and `found`."""
    sequences, length = order.shape
    sums = np.zeros(LANES, np.float32)
    counts = np.zeros(LANES, np.int32)
    for sequence in range(sequences):
        sums[:] = 0.0
        counts[:] = 0
        for position in range(length):
            day = order[sequence, position]
            for lane in range(LANES):
                open_ = counts[lane] < wanted[lane]
                sums[lane] = sums[lane] + block_values[day, lane] if open_ else sums[lane]
                counts[lane] += block_picked[day, lane] * np.int32(open_)
            # whether the block is done, every 4th day only: the test costs as much as a step
            if position % 4 == 3 and _all_done(counts, wanted):
                break
        for lane in range(len(block)):
            total[sequence, block[lane]] = sums[lane]
            found[sequence, block[lane]] = counts[lane]


@numba.njit(cache=True, nogil=True)
def _all_done(counts: np.ndarray, wanted: np.ndarray) -> bool:
    """Whether every lane has its count (an unused lane wants 0)."""
    for lane in range(LANES):
        if counts[lane] < wanted[lane]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def scaled_rotations(total, found, limit, shifts, columns, out) -> None:
    """Write each walked column n's sums (`total`, `found`: first_quiet_sums of R sequences),
    scaled up to its `limit[n]` days (total × limit ÷ found; 0 where nothing was found), to column
    `columns[n]` of `out` (R, C) float64, starting from sequence `shifts[n]`: out[r, columns[n]] is
    that of sequence (r + shifts[n]) mod R. The same float64 operations as numpy's
    `total * np.where(found > 0, limit / found, 0.0)`, without its (R, N) temporaries."""
    sequences = total.shape[0]
    for n in range(total.shape[1]):
        for row in range(sequences):
            source = row + shifts[n]
            if source >= sequences:
                source -= sequences
            count = found[source, n]
            scale = limit[n] / count if count > 0 else 0.0
            out[row, columns[n]] = np.float64(total[source, n]) * scale


@numba.njit(cache=True, nogil=True)
def window_owners(post_day, post_creator, order, days: int, creators: int, window_days: int) -> np.ndarray:
    """(D, C) int64: the post whose window holds each day, −1 outside every window (the rule of
    method.assign_windows). Posts are placed in `order` (later ones overwrite earlier ones on the
    same day and creator); then each day takes the latest start on or before it, in one pass over
    the days that carries each creator's latest start, instead of (D, C) index arrays."""
    pad = window_days  # posts up to window_days before the panel still reach into it
    starts = np.full((days + pad, creators), -1, np.int64)
    for post in order:
        row = post_day[post] + pad
        if 0 <= row < days + pad:
            starts[row, post_creator[post]] = post
    owners = np.full((days, creators), -1, np.int64)
    latest_row = np.full(creators, -1, np.int64)
    latest_post = np.full(creators, -1, np.int64)
    for row in range(days + pad):
        for creator in range(creators):
            if starts[row, creator] >= 0:
                latest_row[creator] = row
                latest_post[creator] = starts[row, creator]
            if row >= pad and latest_row[creator] >= 0 and row - latest_row[creator] < window_days:
                owners[row - pad, creator] = latest_post[creator]
    return owners
