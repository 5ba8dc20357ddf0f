"""The import's lift tables are the estimator's output exactly, however they are computed: the
compiled window-noise walk against the array formulation it replaced, and the windows estimated
at the same time against each window estimated alone."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.lift.kernels import first_quiet_sums
from metrics.lift.method import assign_windows, estimate
from metrics.settings import LIFT_WINDOW_CHOICES
from warehouse import import_dataset
from warehouse.lift_tables import CREATOR_COLUMNS, POST_COLUMNS, load_panel
from warehouse.sample import generate_sample


def einsum_walk(order, picked, values, limit):
    """The (R, L, N) array formulation the import used before the compiled walk (by columns: N, D)."""
    taken_all = picked.T[order]  # (R, L, N)
    taken = taken_all & (np.cumsum(taken_all, axis=1, dtype=np.int32) <= limit[None, None, :])
    total = np.einsum("rdc,rdc->rc", values.T[order], taken, dtype=np.float32)
    return total, taken.sum(axis=1)


def sequential_walk(order, picked, values, limit):
    """The definition, one float32 addition at a time in sequence order."""
    total = np.zeros((len(order), len(picked)), np.float32)
    found = np.zeros((len(order), len(picked)), np.int64)
    for r, sequence in enumerate(order):
        for c in range(len(picked)):
            for day in sequence:
                if found[r, c] < limit[c] and picked[c, day]:
                    total[r, c] = np.float32(total[r, c] + values[c, day])
                    found[r, c] += 1
    return total, found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 100_000),
    days=st.integers(1, 60),
    columns=st.integers(1, 9),
    sequences=st.integers(1, 12),
    share=st.floats(0.0, 1.0),
)
def test_the_compiled_walk_sums_what_the_array_formulation_did(seed, days, columns, sequences, share):
    rng = np.random.default_rng(seed)
    order = rng.integers(0, days, (sequences, rng.integers(1, days + 1)))
    picked = rng.random((columns, days)) < share
    values = np.where(picked, rng.standard_normal((columns, days)) * 1000, 0.0).astype(np.float32)
    limit = rng.integers(0, days + 3, columns)  # zero, reachable and unreachable limits
    total, found = first_quiet_sums(order, picked, values, limit)
    expected_total, expected_found = sequential_walk(order, picked, values, limit)
    np.testing.assert_array_equal(found, expected_found)
    np.testing.assert_array_equal(total, expected_total)
    # The einsum added in the same order wherever it summed sequentially (several creators: the
    # import's panels); with a single column it sums in SIMD lanes, within float32 rounding.
    einsum_total, einsum_found = einsum_walk(order, picked, values, limit)
    np.testing.assert_array_equal(found, einsum_found)
    if columns > 1:
        np.testing.assert_array_equal(total, einsum_total)
    else:
        np.testing.assert_allclose(total, einsum_total, rtol=1e-5, atol=1e-3)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("lift-build")
    generate_sample(root / "src", orders=20_000, seed=11)
    import_dataset(root / "src", root / "wh.duckdb")
    connection = duckdb.connect(str(root / "wh.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_windows_estimated_together_equal_each_window_estimated_alone(imported):
    panel, creators, posts, _first_day, reason = load_panel(imported)
    assert reason is None
    measured = [
        w for (w,) in imported.execute("SELECT window_days FROM lift_info WHERE status = 'measured'").fetchall()
    ]
    assert measured == sorted(LIFT_WINDOW_CHOICES)
    for window in measured:
        alone = estimate(panel, window)
        draws = imported.execute(
            "SELECT value FROM lift_draws WHERE window_days = ? ORDER BY influencer_key, draw", [window]
        ).fetchnumpy()["value"]
        np.testing.assert_array_equal(draws, alone.draws.ravel().astype(np.float32))
        stored = imported.execute(
            f"SELECT {', '.join(CREATOR_COLUMNS)} FROM lift_creators WHERE window_days = ? ORDER BY influencer_key",
            [window],
        ).fetchnumpy()
        for column in CREATOR_COLUMNS:
            np.testing.assert_array_equal(stored[column], alone.creator[column].astype(float))
        stored = imported.execute(
            f"SELECT {', '.join(POST_COLUMNS)} FROM lift_posts WHERE window_days = ? ORDER BY post_no", [window]
        ).fetchnumpy()
        for column in POST_COLUMNS:
            np.testing.assert_array_equal(stored[column], alone.post[column].astype(float))


def test_draws_are_stored_in_window_creator_draw_order(imported):
    stored = imported.execute("SELECT window_days, influencer_key, draw FROM lift_draws ORDER BY rowid").fetchall()
    assert stored == sorted(stored)


def test_the_mix_of_all_windows_equals_each_window_joined_alone(imported):
    panel, creators, posts, first_day, _ = load_panel(imported)
    for window in sorted(LIFT_WINDOW_CHOICES):
        assigned = assign_windows(panel, window)
        rows, columns = np.nonzero(assigned >= 0)
        window_days = imported.execute(
            "SELECT unnest(?) AS post_no, unnest(?) AS influencer_key, ?::DATE + unnest(?) AS date",
            [
                posts["post_no"].to_numpy()[assigned[rows, columns]].tolist(),
                creators["influencer_key"].to_numpy()[columns].tolist(),
                first_day,
                rows.tolist(),
            ],
        ).df()
        imported.register("window_day_rows", window_days)
        expected = imported.execute(
            """SELECT w.post_no, f.brand::VARCHAR, f.campaign::VARCHAR, f.product::VARCHAR, sum(f.revenue)
               FROM window_day_rows w JOIN facts f USING (influencer_key, date) WHERE f.revenue <> 0
               GROUP BY ALL ORDER BY ALL"""
        ).fetchall()
        imported.unregister("window_day_rows")
        stored = imported.execute(
            """SELECT post_no, brand::VARCHAR, campaign::VARCHAR, product::VARCHAR, revenue FROM lift_mix
               WHERE window_days = ? ORDER BY ALL""",
            [window],
        ).fetchall()
        assert [row[:4] for row in stored] == [row[:4] for row in expected]
        assert [row[4] for row in stored] == pytest.approx([row[4] for row in expected], rel=1e-12)
