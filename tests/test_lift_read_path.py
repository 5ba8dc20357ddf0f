"""/lift's fast read path against the direct computations it replaces: the selection's post rows
read once and summed per creator in numpy (creator_sums), the post picker ranked from them
(top_posts), the creator table's spend from a spend-only aggregate, the page's KPI figures
without kpis' engagement sums (lift_kpis), and the draws centred as one (creators, R) pass.
Every figure must be the one the previous SQL gave (sums in another order: 1e-12 relative)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from metrics import Filters, Settings, kpis
from metrics.aggregate import sale_totals, spend_by_influencer, sums_by
from metrics.lift import lift_table, top_posts, view
from metrics.lift.method import interval
from metrics.lift.summary import lift_kpis
from metrics.selection import tier_sql
from tests.conftest import imported_sample
from warehouse import Warehouse


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return imported_sample(tmp_path_factory.mktemp("lift_read"), orders=12_000, seed=11)


SELECTIONS = [
    Filters(),
    Filters(platform=("Instagram",)),
    Filters(category=("Fitness", "Health")),
    Filters(brand=("MuscleBlaze",)),
    Filters(brand=("Gritzo", "HKVitals"), platform=("YouTube", "Instagram")),
    Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 6, 30), brand=("Gritzo", "bGreen")),
    Filters(start=dt.date(2025, 7, 2)),
    Filters(product=("MuscleBlaze Creatine Monohydrate",)),
    Filters(platform=("Nowhere",)),  # nothing selected
]
WINDOWS = (7, 14, 28)


# ---- the previous SQL forms, kept here as the reference


def reference_creator_sums(wh, filters, settings):
    cte, shares, params = view._chosen_posts_sql(filters, settings)
    sums = ", ".join(f"sum(p.{column} * s.share) AS {column}" for column in view.SUMMED_COLUMNS)
    return wh.query(
        f"""
        WITH {cte},
        by_creator AS (
            SELECT p.influencer_key, count(*) AS posts, {sums},
                   sum(CASE WHEN p.creator_baseline <> 0 THEN p.baseline_revenue * s.share / p.creator_baseline
                       ELSE 0 END) AS draw_weight,
                   any_value(p.baseline_per_day) AS baseline_per_day
            FROM chosen_posts p {shares}
            GROUP BY p.influencer_key)
        SELECT b.influencer_key, i.influencer_id, i.name, i.platform, {tier_sql(settings)} AS tier, b.* EXCLUDE (influencer_key)
        FROM by_creator b JOIN influencers i USING (influencer_key) ORDER BY b.influencer_key""",
        params,
    )


def reference_top_posts(wh, n, filters, settings):
    cte, shares, params = view._chosen_posts_sql(filters, settings)
    return wh.query(
        f"""
        WITH {cte}
        SELECT p.post_no, ps.post_id, i.influencer_id, i.name, p.date, p.incremental_revenue
        FROM (SELECT p.post_no, p.influencer_key, p.date, p.incremental_revenue * s.share AS incremental_revenue
              FROM chosen_posts p {shares}) p
        JOIN influencers i USING (influencer_key)
        LEFT JOIN (SELECT rowid AS post_no, post_id FROM posts) ps USING (post_no)
        ORDER BY p.incremental_revenue DESC, CAST(p.post_no AS VARCHAR) LIMIT ?""",
        params + [int(n)],
    )


def reference_deviations(key, draw, value, noise, creator_keys, incremental):
    order = np.lexsort((draw, key))
    key, value, noise = key[order], value[order], noise[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    keys, counts = key[starts], np.diff(np.r_[starts, len(key)])
    position = np.searchsorted(creator_keys, keys)
    found = position < len(creator_keys)
    found[found] = creator_keys[position[found]] == keys[found]
    centre = np.repeat(np.where(found, incremental[np.minimum(position, len(creator_keys) - 1)], np.nan), counts)
    deviations = (value.astype(np.float64) - centre).astype(np.float32).astype(np.float64)
    return keys[found], deviations.reshape(len(keys), -1)[found], noise.reshape(len(keys), -1)[found]


def same_figures(got: pd.DataFrame, expected: pd.DataFrame):
    """Same columns, dtypes, rows and texts; numbers equal up to the order of a sum (1e-12)."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    if expected.empty:
        return
    assert list(got.dtypes) == list(expected.dtypes)
    for column in expected.columns:
        if expected[column].dtype.kind == "f":
            np.testing.assert_allclose(got[column], expected[column], rtol=1e-12, atol=1e-9, err_msg=column)
        else:
            assert got[column].tolist() == expected[column].tolist(), column


def as_floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_creator_sums_from_post_rows_equal_the_sql_aggregate(generated, selection, window):
    settings = Settings(lift_window_days=window)
    filters = SELECTIONS[selection]
    same_figures(view._creator_sums(generated, filters, settings), reference_creator_sums(generated, filters, settings))


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_top_posts_from_post_rows_equal_the_sql_ranking(generated, selection, window):
    settings = Settings(lift_window_days=window)
    filters = SELECTIONS[selection]
    for n in (1, 7, 50, 100_000):
        same_figures(top_posts(generated, n, filters, settings), reference_top_posts(generated, n, filters, settings))


@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_creator_table_spend_equals_sums_by(generated, selection):
    """The table's spend from the spend-only aggregate: sums_by's per influencer, 0 for a creator
    without a cell when no sale filter is set, none (—) with one."""
    filters, settings = SELECTIONS[selection], Settings()
    table = lift_table(generated, "influencer", filters, settings)
    expected = sums_by(generated, filters, settings, ("influencer_id",)).set_index("influencer_id")["spend"]
    np.testing.assert_allclose(
        table["spend"].to_numpy(dtype=float), table["influencer_id"].map(expected).to_numpy(dtype=float), rtol=1e-12
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = as_floats(table["incremental_revenue"]) / table["spend"].to_numpy(dtype=float)
    ratio[~np.isfinite(ratio)] = np.nan
    np.testing.assert_allclose(as_floats(table["incremental_roas"]), ratio, rtol=1e-12)
    keys, spend = spend_by_influencer(generated, filters, settings)
    assert np.all(np.diff(keys) > 0) and len(keys) == len(spend)


@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_sale_totals_equal_sums_by(generated, selection):
    filters, settings = SELECTIONS[selection], Settings()
    totals = sale_totals(generated, filters, settings)
    row = sums_by(generated, filters, settings).iloc[0]
    assert totals["orders"] == row["orders"]
    assert totals["revenue"] == pytest.approx(float(row["revenue"]), rel=1e-12)
    assert totals["spend"] == pytest.approx(float(row["spend"]), rel=1e-12)


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_lift_kpis_equal_the_kpis_the_cards_read(generated, selection, window):
    filters, settings = SELECTIONS[selection], Settings(lift_window_days=window)
    same_kpis(lift_kpis(generated, filters, settings), kpis(generated, filters, settings))


def same_kpis(fast: dict, full: dict):
    assert set(fast) <= set(full)
    for key, value in fast.items():
        if isinstance(value, float):
            assert value == pytest.approx(full[key], rel=1e-12, abs=1e-9), key
        else:
            assert value == full[key], key


def test_lift_kpis_without_lift_tables_fall_back_as_kpis_do(seed1_wh):
    fast = lift_kpis(seed1_wh)
    assert fast["incrementality_method"] == "assumed-baseline"
    same_kpis(fast, kpis(seed1_wh))


@pytest.mark.parametrize("window", WINDOWS)
def test_draws_centred_in_one_pass_equal_the_repeated_centres(generated, window):
    connection = generated.connection()
    rows = connection.execute(
        "SELECT influencer_key, draw, value, noise FROM lift_draws WHERE window_days = ?", [window]
    ).fetchnumpy()
    creators = connection.execute(
        "SELECT influencer_key, incremental_revenue FROM lift_creators WHERE window_days = ? ORDER BY 1", [window]
    ).fetchnumpy()
    arrays = [np.asarray(rows[c]) for c in ("influencer_key", "draw", "value", "noise")]
    creator_keys = np.asarray(creators["influencer_key"])
    incremental = np.asarray(creators["incremental_revenue"], dtype=np.float64)
    # a creator without a lift row is left out, and shuffled rows are sorted first
    without_first = creator_keys[1:], incremental[1:]
    shuffled = np.random.default_rng(3).permutation(len(arrays[0]))
    for args in (
        (*arrays, creator_keys, incremental),
        (*arrays, *without_first),
        (*(a[shuffled] for a in arrays), creator_keys, incremental),
    ):
        keys, deviations, noise = view.draw_deviations(*args)
        expected_keys, expected, expected_noise = reference_deviations(*args)
        np.testing.assert_array_equal(keys, expected_keys)
        np.testing.assert_array_equal(deviations, expected)
        np.testing.assert_array_equal(noise, expected_noise)


def test_draws_of_unequal_length_are_refused():
    key = np.array([1, 1, 2], dtype=np.int32)
    with pytest.raises(ValueError, match="different number of draws"):
        zeros = np.zeros(3, np.float32)
        view.draw_deviations(key, np.array([0, 1, 0]), zeros, zeros, np.array([1, 2]), np.zeros(2))


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 1.5, -2.0, 7.25, 1e6, np.nan]), st.integers(0, 2_000)),
        max_size=40,
        unique_by=lambda row: row[1],
    ),
    st.integers(0, 45),
)
def test_largest_first_is_sql_order_by_value_desc_then_post_number_as_text(rows, n):
    values = np.array([v for v, _ in rows], dtype=float)
    post_no = np.array([p for _, p in rows], dtype=np.int64)
    # SQL's DESC puts NULLs last; a NaN here stands for a post without a figure
    expected = sorted(range(len(rows)), key=lambda i: (np.isnan(values[i]), -np.nan_to_num(values[i]), str(post_no[i])))
    assert view.largest_first(values, post_no, n).tolist() == expected[:n]


def test_cached_post_rows_are_read_only_and_follow_a_replaced_file(generated, tmp_path):
    import shutil

    settings = Settings()
    copy = Warehouse(tmp_path / "wh.duckdb")
    shutil.copy(generated.path, copy.path)
    rows = view.selection_posts(copy, Filters(), settings)
    assert all(not array.flags.writeable for array in rows.values())
    with pytest.raises(ValueError):
        rows["incremental_revenue"][0] = 0.0
    hits = view._cached_selection_posts.cache_info().hits
    assert view.selection_posts(copy, Filters(), settings) is rows
    assert view._cached_selection_posts.cache_info().hits == hits + 1
    # an import replaces the file: another inode, read again
    shutil.copy(generated.path, tmp_path / "next.duckdb")
    (tmp_path / "next.duckdb").replace(copy.path)
    assert view.selection_posts(copy, Filters(), settings) is not rows


@pytest.mark.parametrize("window", WINDOWS)
def test_stored_creator_intervals_equal_the_draws_percentiles(generated, window):
    """lift_intervals (written at import, default confidence) holds bit for bit the percentiles of
    the draws; another confidence is taken from the draws."""
    version = view._file_version(generated, Settings(lift_window_days=window))
    keys, low, high = view._creator_intervals.__wrapped__(*version, Settings().lift_confidence)
    draw_keys, deviations, _ = view._all_draws.__wrapped__(*version)
    expected_low, expected_high = interval(deviations, Settings().lift_confidence)
    np.testing.assert_array_equal(keys, draw_keys)
    np.testing.assert_array_equal(low, expected_low)
    np.testing.assert_array_equal(high, expected_high)
    stored = generated.scalar("SELECT count(*) FROM lift_intervals WHERE window_days = ?", [window])
    assert stored == len(keys) > 0
    other_keys, other_low, other_high = view._creator_intervals.__wrapped__(*version, 0.8)
    np.testing.assert_array_equal(other_keys, draw_keys)
    np.testing.assert_array_equal(other_low, interval(deviations, 0.8)[0])
    assert (other_high <= high).all() and (other_low >= low).all() and (other_high < high).any()


@pytest.mark.parametrize("confidence", [0.8, 0.9])
@pytest.mark.parametrize("selection", [0, 3, 5])
def test_creator_table_intervals_equal_the_summed_post_rows(generated, selection, confidence):
    """The creator table's intervals (each creator's stored or computed interval, scaled) equal
    summarise's over the post rows (lift_parts), at the default and another confidence."""
    filters, settings = SELECTIONS[selection], Settings(lift_confidence=confidence)
    reference = view.summarise(generated, view.lift_parts(generated, "influencer", filters, settings), settings)
    reference = reference.set_index("part").sort_index()
    table = lift_table(generated, "influencer", filters, settings).set_index("influencer_id").sort_index()
    assert list(table.index) == list(reference.index)
    for column in ("incremental_revenue", "incremental_revenue_low", "incremental_revenue_high"):
        np.testing.assert_allclose(table[column], reference[column], rtol=1e-12, atol=1e-9, err_msg=column)
    assert table["verdict"].tolist() == reference["verdict"].tolist()


@pytest.mark.parametrize("window", WINDOWS)
def test_stored_total_interval_equals_the_summed_draws(generated, window):
    """lift_total_intervals (import) equals, bit for bit, the interval of the unfiltered selection's
    summed draws as lift_totals takes it for any other selection; another confidence reads the draws."""
    settings = Settings(lift_window_days=window)
    table = view.creator_summary(generated, view.creator_sums(generated, Filters(), settings), settings)
    low, high = interval(table.attrs["total_draws"], settings.lift_confidence)
    point = float(table["incremental_revenue"].sum())
    total = view.lift_totals(generated, Filters(), settings)
    assert view._stored_total(*view._file_version(generated, settings), settings.lift_confidence) == (low, high)
    assert (total["incremental_revenue_low"], total["incremental_revenue_high"]) == (point + low, point + high)
    other = Settings(lift_window_days=window, lift_confidence=0.8)
    assert view._stored_total(*view._file_version(generated, other), 0.8) is None
    low80, high80 = interval(table.attrs["total_draws"], 0.8)
    assert view.lift_totals(generated, Filters(), other)["incremental_revenue_low"] == point + low80


@pytest.mark.parametrize("window", WINDOWS)
def test_draws_read_on_a_cursor_left_with_an_unfinished_result(generated, window):
    # a page's earlier query on this thread's cursor may stop at its first row; DuckDB 2 then
    # refuses a relation's query on that cursor (the CI failure of session 10)
    generated.connection().execute("SELECT * FROM range(3)").fetchone()
    keys, deviations, noise = view.read_deviations(generated.connection(), window)
    assert len(keys) == deviations.shape[0] == noise.shape[0] > 0


def test_the_thread_cursor_is_handed_out_without_an_unfinished_result(generated):
    assert generated.scalar("SELECT * FROM range(3)") == 0
    assert generated.connection().sql("SELECT count(*) > 0 FROM lift_draws").fetchall() == [(True,)]
