"""Measured incrementality: the estimator on hand-computed panels, its invariants, the import path
on a sample with a planted truth, the CLI, and a tiny run of the validation harness."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from bench import lift as harness
from metrics import Filters, Settings, kpis
from metrics.lift import lift_table, lift_totals
from metrics.lift.method import Panel, estimate, interval
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample

WEEKDAY_PATTERN = np.array([70.0, 70, 70, 70, 70, 140, 140])  # mean 90 a day


def panel(revenue: np.ndarray, posts: list[tuple[int, int]], group=None) -> Panel:
    days, creators = revenue.shape
    return Panel(
        revenue=revenue,
        orders=revenue / 10,
        active=np.ones_like(revenue, dtype=bool),
        weekday=np.arange(days) % 7,
        post_creator=np.array([c for c, _ in posts]),
        post_day=np.array([d for _, d in posts]),
        group=np.zeros(creators, dtype=np.int64) if group is None else np.asarray(group),
    )


def test_one_post_against_a_weekly_baseline_by_hand():
    revenue = np.tile(WEEKDAY_PATTERN, 6)[:, None].copy()  # 42 days
    revenue[20:27, 0] += 50  # the window of a post on day 20: 7 days, +₹50 each
    result = estimate(panel(revenue, [(0, 20)]), window_days=7, draws=200)
    # Quiet days: not in [20 − 2, 20 + 7 + 7) → 18 + 8 = 26; weekday index 70/90 and 140/90.
    assert result.creator["quiet_days"][0] == 26
    assert result.weekday_index == pytest.approx(WEEKDAY_PATTERN / 90)
    assert result.creator["level"][0] == pytest.approx(90)
    assert result.creator["baseline_revenue"][0] == pytest.approx(630)  # 5 × 70 + 2 × 140
    assert result.creator["incremental_revenue"][0] == pytest.approx(350)
    assert result.post["incremental_revenue"][0] == pytest.approx(350)
    low, high = interval(result.draws[0])
    assert low == pytest.approx(350) and high == pytest.approx(350)  # a noiseless baseline: no uncertainty


def test_overlapping_windows_merge_and_the_latest_post_takes_the_shared_days():
    revenue = np.tile(WEEKDAY_PATTERN, 8)[:, None].copy()  # 56 days
    revenue[20:30, 0] += 50  # posts on days 20 and 23, 7-day windows: days 20–29 merged
    result = estimate(panel(revenue, [(0, 20), (0, 23)]), window_days=7, draws=50)
    assert result.creator["days_in_window"][0] == 10
    assert result.creator["incremental_revenue"][0] == pytest.approx(500)
    assert list(result.post["days_in_window"]) == [3, 7]
    assert result.post["incremental_revenue"] == pytest.approx([150, 350])


def test_few_quiet_days_pool_towards_the_tier():
    days = 42
    revenue = np.full((days, 2), 100.0)
    revenue[:, 1] = 40.0
    # Creator 1 posts on days 20 and 24: days 18–37 are not quiet, 22 are, so it leans on its tier.
    posts = [(0, 20), (1, 20), (1, 24)]
    result = estimate(panel(revenue, posts), window_days=7, draws=50)
    quiet = result.creator["quiet_days"][1]
    assert quiet == 22
    credibility = quiet / 28
    tier_level = (100 * result.creator["quiet_days"][0] + 40 * quiet) / (result.creator["quiet_days"][0] + quiet)
    assert result.creator["credibility"][1] == pytest.approx(credibility)
    assert result.creator["level"][1] == pytest.approx(credibility * 40 + (1 - credibility) * tier_level)


def test_a_sale_on_the_same_days_for_every_creator_is_not_counted_as_lift():
    revenue = np.full((120, 10), 100.0)
    revenue[50:57] *= 1.6  # a week-long sale lifts every creator by 60 %, 2 days after creator 0 posts
    shared = estimate(panel(revenue, [(0, 48)]), window_days=14, draws=50)
    # The nine creators quiet during the sale measure it (factor 1.6 less a little shrinkage) ...
    assert shared.daily_factor[50:57] == pytest.approx(1.6, abs=0.02)
    assert shared.daily_factor[:45] == pytest.approx(1.0, abs=0.005)
    assert abs(shared.creator["incremental_revenue"][0]) < 0.05 * 7 * 60
    # ... a creator alone cannot tell the sale from its post: all 7 × ₹60 extra count as lift.
    alone = estimate(panel(revenue[:, :1].copy(), [(0, 48)]), window_days=14, draws=50)
    assert alone.creator["incremental_revenue"][0] == pytest.approx(7 * 60)
    assert (alone.daily_factor == 1).all()


def test_a_sale_seen_by_few_quiet_creators_keeps_the_total_interval_honest():
    """22 of 30 creators post 2 days before a week-long +60 % sale and 8 stay quiet: the factor
    the 8 measure is noisy and shrunk, and its error is the same for all 22 windows. Drawn as
    independent per creator (before), it cancelled in the total, whose interval held the true
    total (0: no lift) in 11 of these 20 data sets; drawn shared, in 17."""
    covered = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        level = rng.lognormal(np.log(1000), 0.5, 30)
        revenue = rng.gamma(4.0, level / 4.0, (150, 30))
        revenue[80:87] *= 1.6
        result = estimate(panel(revenue, [(c, 78) for c in range(8, 30)]), window_days=14, draws=300)
        low, high = interval(result.draws.sum(axis=0))
        covered.append(low <= 0 <= high)
    assert np.mean(covered) >= 0.8


def test_no_common_movement_leaves_the_factor_at_one():
    rng = np.random.default_rng(4)
    revenue = rng.gamma(5.0, 20.0, (200, 12))  # independent noise, no shared days
    result = estimate(panel(revenue, [(c, 30 + 10 * c) for c in range(12)]), window_days=14, draws=50)
    assert np.abs(result.daily_factor - 1).mean() < 0.02


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), window=st.sampled_from([7, 14, 28]))
def test_parts_add_up_and_the_estimate_is_deterministic(seed, window):
    rng = np.random.default_rng(seed)
    data, _ = harness.simulate(harness.SCENARIOS[2], rng, creators=6, days=120)
    first = estimate(data, window, draws=40)
    again = estimate(data, window, draws=40)
    per_creator = np.bincount(data.post_creator, weights=first.post["incremental_revenue"], minlength=6)
    assert per_creator == pytest.approx(first.creator["incremental_revenue"])
    assert first.post["incremental_revenue"].sum() == pytest.approx(first.creator["incremental_revenue"].sum())
    np.testing.assert_array_equal(first.draws, again.draws)


def test_zero_lift_intervals_include_zero():
    totals_with_zero, creators_with_zero = [], []
    for seed in range(20):
        data, truth = harness.simulate(harness.SCENARIOS[0], np.random.default_rng([3, seed]), creators=12)
        assert not truth.any()
        result = estimate(data, draws=300)
        low, high = interval(result.draws.sum(axis=0))
        totals_with_zero.append(low <= 0 <= high)
        c_low, c_high = interval(result.draws)
        creators_with_zero.extend((c_low <= 0) & (0 <= c_high))
    assert np.mean(totals_with_zero) >= 0.8
    assert np.mean(creators_with_zero) >= 0.85


def test_tiny_validation_harness_meets_its_targets_roughly():
    scenarios = {s.name: s for s in harness.SCENARIOS}
    zero = harness.evaluate(scenarios["zero lift"], reps=8, creators=12, draws=200)
    lifted = harness.evaluate(scenarios["lift 50 %"], reps=8, creators=12, draws=200)
    sale = harness.evaluate(scenarios["sale event, same days for all (20 %)"], reps=8, creators=20, draws=200)
    assert zero["creator_called_lift"] <= 0.15
    # parts of creators' windows (posts of a week, single posts): W × level error + √W × window
    # noise covers; the draws scaled by W alone (the rule before) were far too narrow
    for part in ("7-day", "post"):
        assert zero[f"{part}_coverage"] >= 0.8
        assert zero[f"{part}_scaled_coverage"] < zero[f"{part}_coverage"] - 0.15
    assert 0.75 <= lifted["creator_coverage"] <= 1.0
    assert abs(lifted["total_bias"]) < 0.1 * lifted["total_truth"]
    # Without the common daily factor the sale week counts as lift (+7 % of the truth on these data sets).
    assert abs(sale["total_bias"]) < 0.05 * sale["total_truth"] and sale["creator_coverage"] >= 0.75
    assert "| lift 50 % |" in harness.markdown([lifted])


# ---- the real import path on a sample with a planted truth


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("lift")
    generate_sample(root / "src", orders=20_000, seed=5)
    import_dataset(root / "src", root / "wh.duckdb")
    generate_sample(root / "flat", orders=20_000, seed=5, lift=False)
    import_dataset(root / "flat", root / "flat.duckdb")
    truth = pd.read_csv(root / "src" / "truth" / "lift.csv")
    return Warehouse(root / "wh.duckdb"), Warehouse(root / "flat.duckdb"), truth, root


def test_sample_writes_its_truth_beside_the_data_and_no_lift_plants_none(planted):
    _, _, truth, root = planted
    assert list(truth.columns) == ["post_id", "influencer_id", "true_incremental_orders", "true_incremental_revenue"]
    assert truth["true_incremental_revenue"].sum() > 0
    flat = pd.read_csv(root / "flat" / "truth" / "lift.csv")
    assert (flat["true_incremental_orders"] == 0).all()


def test_import_estimate_recovers_the_planted_truth(planted):
    wh, _, truth, _ = planted
    total = lift_totals(wh)
    assert total["method"] == "event-window"
    true_total = truth["true_incremental_revenue"].sum()
    assert total["incremental_revenue_low"] <= true_total <= total["incremental_revenue_high"]
    by_creator = lift_table(wh, "influencer")
    true_by_creator = truth.groupby("influencer_id")["true_incremental_revenue"].sum()
    covered = (by_creator["incremental_revenue_low"] <= by_creator["influencer_id"].map(true_by_creator)) & (
        by_creator["influencer_id"].map(true_by_creator) <= by_creator["incremental_revenue_high"]
    )
    assert covered.mean() >= 0.75


def test_no_lift_sample_measures_nothing_distinguishable(planted):
    _, flat, _, _ = planted
    total = lift_totals(flat)
    assert total["incremental_revenue_low"] <= 0 <= total["incremental_revenue_high"]


def test_the_selections_verdict_reaches_kpis_and_the_summary(planted, monkeypatch, capsys):
    """No planted lift: the interval includes 0, so the summary (JSON and text) says "not
    distinguishable from baseline" beside both incremental lines; the planted lift's lies above 0."""
    wh, flat, _, _ = planted
    total = lift_totals(wh)
    assert total["incremental_revenue_low"] > 0 and kpis(wh)["incrementality_verdict"] == "positive"
    assert kpis(flat)["incrementality_verdict"] == "not distinguishable from baseline"
    monkeypatch.setenv("HKDASH_DB", str(flat.path))
    assert cli.main(["summary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["incrementality_verdict"] == "not distinguishable from baseline"
    assert cli.main(["summary"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Incremental ")]
    assert len(lines) == 2 and all(line.endswith("): not distinguishable from baseline") for line in lines)
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    assert cli.main(["summary"]) == 0
    assert "distinguishable" not in capsys.readouterr().out


@pytest.mark.parametrize("by", ["tier", "platform", "campaign", "brand", "post"])
def test_parts_of_the_selection_add_up_to_its_total(planted, by):
    wh, _, _, _ = planted
    total = lift_totals(wh, Filters(platform=("Instagram", "YouTube")))
    parts = lift_table(wh, by, Filters(platform=("Instagram", "YouTube")))
    assert parts["incremental_revenue"].sum() == pytest.approx(total["incremental_revenue"])
    assert (parts["incremental_revenue_low"] <= parts["incremental_revenue"]).all()
    assert (parts["incremental_revenue"] <= parts["incremental_revenue_high"]).all()


@pytest.mark.parametrize("by", ["post", "influencer", "tier", "platform", "campaign", "brand"])
@pytest.mark.parametrize(
    "filters",
    [Filters(product=("no such product",)), Filters(start="2030-01-01"), Filters(platform=("No such platform",))],
)
def test_a_selection_without_posts_gives_an_empty_table_at_every_level(planted, by, filters, monkeypatch, capsys):
    """Nothing left by the filters: an empty table with the columns of a full one, its numbers and dates typed alike (by
    post it raised a TypeError), empty JSON rows and a plain line in the CLI's text."""
    wh, _, _, _ = planted
    empty, full = lift_table(wh, by, filters), lift_table(wh, by)
    assert empty.empty and not full.empty
    assert list(empty.columns) == list(full.columns)
    numbers = [c for c in full.columns if pd.api.types.is_numeric_dtype(full[c]) or c == "date"]
    assert {c: empty[c].dtype for c in numbers} == {c: full[c].dtype for c in numbers}
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    options = ["--product", "no such product"] if filters.product else ["--start", "2030-01-01"]
    if filters.platform:
        options = ["--platform", "No such platform"]
    assert cli.main(["lift", "--by", by, "--json", *options]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == []
    assert cli.main(["lift", "--by", by, *options]) == 0
    # posts carry no product: a product filter keeps them, and none has a window with its sales
    words = (
        "No post of the selection has a 14-day window in the data." if filters.product else "No post in the selection."
    )
    assert words in capsys.readouterr().out


def test_brand_filter_shares_out_the_lift_of_each_window(planted):
    wh, _, _, _ = planted
    by_brand = lift_table(wh, "brand").set_index("brand")["incremental_revenue"]
    for brand in ("MuscleBlaze", "Gritzo"):
        assert lift_totals(wh, Filters(brand=(brand,)))["incremental_revenue"] == pytest.approx(by_brand[brand])


def test_kpis_and_summary_carry_the_measured_figures(planted, monkeypatch, capsys):
    wh, _, _, _ = planted
    k = kpis(wh, Filters(), Settings(lift_window_days=28))
    assert k["incrementality_method"] == "event-window" and k["incrementality_window_days"] == 28
    assert k["incremental_roas"] == pytest.approx(k["incremental_revenue"] / k["spend"])
    assert k["incremental_share"] == pytest.approx(k["incremental_revenue"] / k["revenue"])
    assert k["incremental_roas_low"] <= k["incremental_roas"] <= k["incremental_roas_high"]
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    assert cli.main(["summary", "--json", "--lift-window", "7"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["incrementality_window_days"] == 7 and document["incrementality_confidence"] == 0.9
    row = document["influencers_ranked"][0]
    assert {"incremental_revenue", "incremental_revenue_low", "incremental_revenue_high", "incremental_roas"} <= set(
        row
    )
    assert cli.main(["lift", "--by", "tier", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert sum(r["incremental_revenue"] for r in rows) == pytest.approx(lift_totals(wh)["incremental_revenue"])


@pytest.mark.parametrize("filters", [Filters(), Filters(start="2025-03-01", end="2025-03-31")])
def test_a_creators_own_reading_is_its_lift_table_verdict(planted, filters):
    """creator_view's incrementality_verdict (what the creator's incremental ROAS card and PDF box
    read) is /lift by creator's verdict of the same selection: one positive creator, one whose
    interval includes 0."""
    from metrics.creator import creator_view

    wh, _, _, _ = planted
    table = lift_table(wh, "influencer", filters).set_index("influencer_id")
    for verdict in ("positive", "not distinguishable from baseline"):
        creator = table.index[table["verdict"] == verdict][0]
        profile = creator_view(wh, creator, filters)["profile"]
        assert profile["incremental_revenue_low"] == pytest.approx(table.at[creator, "incremental_revenue_low"])
        assert profile["incrementality_verdict"] == verdict


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_creator_pdf_prints_its_incremental_roas_reading(planted, tmp_path):
    """The creator PDF's Incremental ROAS box, as pdftotext reads page 2: the label after its note
    for a creator whose interval includes 0, none for a positive one."""
    from reports.creator import build_creator_report

    wh, _, _, _ = planted
    table = lift_table(wh, "influencer")
    for verdict, labelled in (("not distinguishable from baseline", True), ("positive", False)):
        creator = table.loc[table["verdict"] == verdict, "influencer_id"].iloc[0]
        pdf = tmp_path / f"{creator}.pdf"
        pdf.write_bytes(build_creator_report(wh, creator, Filters()))
        page = subprocess.run(
            ["pdftotext", "-raw", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        words = " ".join(page.split())  # the box's note wraps where the box is narrow
        box = words[words.index("INCREMENTAL ROAS") : words.index("Verdict and measured lift")]
        assert "measured lift (14-day windows) ÷ spend" in box
        assert ("÷ spend: not distinguishable from baseline" in box) == labelled, creator


def test_an_assumed_creator_has_no_lift_reading(traps_wh):
    from metrics.creator import creator_view

    assert creator_view(traps_wh, "A1")["profile"]["incrementality_verdict"] is None


def test_data_without_posts_falls_back_to_the_assumed_baseline(seed1_wh):
    k = kpis(seed1_wh)
    assert k["incrementality_method"] == "assumed-baseline"
    assert k["incrementality_reason"]
    assert k["incremental_revenue"] == pytest.approx(k["revenue"] * (1 - k["baseline_share"]))
    assert k["incremental_revenue_low"] is None


def test_pdf_report_has_the_lift_section(planted, tmp_path):
    import shutil
    import subprocess

    from reports import build_report

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    wh, _, _, _ = planted
    pdf = build_report(wh, Filters(), Settings())
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    k = kpis(wh)
    from metrics import format as fmt

    assert "Measured lift (14-day windows against each creator's quiet days)" in text
    assert (
        " ".join(
            f"{fmt.inr(k['incremental_revenue_low'])} to {fmt.inr(k['incremental_revenue_high'])}".split()
        ).replace(
            "\u2060",
            "",  # pdftotext leaves out the word joiner of a negative amount (fmt.NEGATIVE)
        )
        in text
    )
    assert "Lift per creator (largest first)" in text
    top = lift_table(wh, "influencer").iloc[0]
    assert " ".join(str(top["name"]).split()) in text


def dense_draws_reference(wh, parts: pd.DataFrame, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, high, total draws) of summarise's parts computed directly: every creator's draws read
    from lift_draws, a dense (parts, creators) share matrix W summed per (part, creator), the
    draws W·(deviation − noise) + √W·noise summed per part, then percentiles."""
    rows = wh.query(
        """SELECT d.influencer_key, d.draw, d.value - c.incremental_revenue AS deviation, d.noise
           FROM lift_draws d JOIN lift_creators c USING (window_days, influencer_key)
           WHERE d.window_days = ? ORDER BY d.influencer_key, d.draw""",
        [settings.lift_window_days],
    )
    keys = np.unique(rows["influencer_key"])
    deviations = rows["deviation"].to_numpy(dtype=np.float32).reshape(len(keys), -1).astype(np.float64)
    noise = rows["noise"].to_numpy(dtype=np.float32).reshape(len(keys), -1).astype(np.float64)
    codes, names = pd.factorize(parts["part"], sort=False)
    weight = parts["baseline_revenue"] * parts["share"] / parts["creator_baseline"]
    dense = np.zeros((len(names), len(keys)))
    np.add.at(dense, (codes, np.searchsorted(keys, parts["influencer_key"])), weight.fillna(0).to_numpy())
    root = np.sign(dense) * np.sqrt(np.abs(dense))
    part_draws = dense @ (deviations - noise) + root @ noise
    low, high = interval(part_draws, settings.lift_confidence)
    creator_total = dense.sum(axis=0)  # the selection's total: each creator's shares summed over the parts
    total = creator_total @ (deviations - noise) + np.sign(creator_total) * np.sqrt(np.abs(creator_total)) @ noise
    return low, high, total


SELECTIONS = [
    Filters(),
    Filters(platform=("Instagram",)),
    Filters(brand=("MuscleBlaze",)),
    Filters(start=pd.Timestamp("2025-03-01").date(), end=pd.Timestamp("2025-06-30").date(), brand=("Gritzo", "bGreen")),
]


@pytest.mark.parametrize("by", ["post", "influencer", "tier", "brand"])
@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_intervals_equal_the_direct_sum_of_the_creators_draws(planted, by, selection):
    """The scaled per-creator intervals and the sparse sums change no interval (precision 1e-9)."""
    from metrics.lift.view import lift_parts, summarise

    wh, _, _, _ = planted
    settings = Settings(lift_window_days=14)
    parts = lift_parts(wh, by, SELECTIONS[selection], settings)
    table = summarise(wh, parts, settings)
    low, high, total = dense_draws_reference(wh, parts, settings)
    np.testing.assert_allclose(table["incremental_revenue_low"], table["incremental_revenue"] + low, rtol=1e-9)
    np.testing.assert_allclose(table["incremental_revenue_high"], table["incremental_revenue"] + high, rtol=1e-9)
    np.testing.assert_allclose(table.attrs["total_draws"], total, rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_creator_sums_in_sql_equal_the_post_rows_summed(planted, selection):
    """lift_totals and lift_table(by="influencer") read creator_sums (one SQL aggregate); they
    equal the post-level rows of lift_parts summed by summarise, interval and draws included."""
    from metrics.lift.view import creator_summary, creator_sums, lift_parts, summarise

    wh, _, _, _ = planted
    filters, settings = SELECTIONS[selection], Settings(lift_window_days=28)
    parts = lift_parts(wh, "influencer", filters, settings)
    reference = summarise(wh, parts, settings, keep_draws=True).set_index("part").sort_index()
    fast = creator_summary(wh, creator_sums(wh, filters, settings), settings, keep_draws=True)
    order = np.argsort(fast["influencer_id"].to_numpy())
    fast = fast.set_index("influencer_id").iloc[order]
    assert list(fast.index) == list(reference.index)
    for column in reference.columns.drop("verdict"):
        np.testing.assert_allclose(fast[column], reference[column], rtol=1e-9, atol=1e-6, err_msg=column)
    assert (fast["verdict"] == reference["verdict"]).all()
    # both in influencer_key order (the attrs keep the rows' order before sorting)
    np.testing.assert_allclose(fast.attrs["part_draws"], reference.attrs["part_draws"], rtol=1e-9, atol=1e-6)
    total = lift_totals(wh, filters, settings)
    low, high = interval(reference.attrs["total_draws"], settings.lift_confidence)
    point = reference["incremental_revenue"].sum()
    assert total["incremental_revenue"] == pytest.approx(point, rel=1e-12)
    assert total["incremental_revenue_low"] == pytest.approx(point + low, rel=1e-9)
    assert total["incremental_revenue_high"] == pytest.approx(point + high, rel=1e-9)
    assert total["posts"] == int(reference["posts"].sum())
    ordered = lift_table(wh, "influencer", filters, settings)
    by_pandas = ordered.sort_values(["incremental_revenue", "influencer_id"], ascending=[False, True])
    assert ordered["influencer_id"].tolist() == by_pandas["influencer_id"].tolist()
    table = ordered.set_index("influencer_id").sort_index()
    np.testing.assert_allclose(table["incremental_revenue_low"], reference["incremental_revenue_low"], rtol=1e-9)
    levels = parts.groupby("part")["baseline_per_day"].first()
    np.testing.assert_allclose(table["baseline_per_day"], levels.sort_index(), rtol=1e-12)


def test_creator_sums_are_read_once_per_file_version_and_selection(planted, tmp_path):
    """creator_sums answers a repeated selection from its cache: equal to the aggregate computed
    afresh, each caller's frame its own (a change to it reaches neither the cache nor the next
    caller), and a new file at the same path (an import) is read again."""
    import shutil

    from metrics.lift import view

    wh, _, _, _ = planted
    filters, settings = SELECTIONS[3], Settings(lift_window_days=14)
    first = view.creator_sums(wh, filters, settings)
    hits = view._cached_creator_sums.cache_info().hits
    second = view.creator_sums(wh, filters, settings)
    assert view._cached_creator_sums.cache_info().hits == hits + 1
    pd.testing.assert_frame_equal(second, view._creator_sums(wh, filters, settings))
    first["incremental_revenue"] = 0.0
    first.loc[first.index[0], "posts"] = -1
    pd.testing.assert_frame_equal(view.creator_sums(wh, filters, settings), second)
    # another data set replaces the file (as an import renames its new file into place)
    copy = Warehouse(tmp_path / "wh.duckdb")
    shutil.copy(wh.path, copy.path)
    before = view.creator_sums(copy, Filters(), settings)
    _, flat, _, _ = planted
    shutil.copy(flat.path, tmp_path / "next.duckdb")
    (tmp_path / "next.duckdb").replace(copy.path)
    after = view.creator_sums(copy, Filters(), settings)
    pd.testing.assert_frame_equal(after, view._creator_sums(flat, Filters(), settings))
    assert not after["incremental_revenue"].equals(before["incremental_revenue"])


@pytest.mark.parametrize("selection", range(len(SELECTIONS)))
def test_top_posts_in_sql_are_the_head_of_the_post_table(planted, selection):
    """The /lift page's post picker ranks in SQL: the same posts, order and figures as the head
    of lift_table(by="post")."""
    from metrics.lift import top_posts

    wh, _, _, _ = planted
    filters = SELECTIONS[selection]
    columns = ["post_no", "post_id", "influencer_id", "name", "date", "incremental_revenue"]
    expected = lift_table(wh, "post", filters).head(7)[columns].reset_index(drop=True)
    fast = top_posts(wh, 7, filters)
    assert fast["post_no"].tolist() == expected["post_no"].tolist()
    assert fast["post_id"].tolist() == expected["post_id"].tolist()
    np.testing.assert_allclose(fast["incremental_revenue"], expected["incremental_revenue"], rtol=1e-9)


@pytest.mark.parametrize("selection", [0, 3])
def test_a_shared_creator_lift_changes_no_ranking_figure_or_verdict(planted, selection):
    """/influencers and the similar profiles read creator_lift once for with_lift and
    with_verdicts: the same frame as each reading its own."""
    from metrics.lift import creator_lift, lift_status
    from metrics.planning.verdicts import with_verdicts
    from metrics.ranking import ranking
    from metrics.summary import with_lift

    wh, _, _, _ = planted
    filters, settings = SELECTIONS[selection], Settings()
    method = lift_status(wh, settings)[0]
    alone = with_verdicts(
        wh, with_lift(wh, ranking(wh, filters, settings), filters, settings, method), filters, settings
    )
    lift = creator_lift(wh, filters, settings)
    shared = with_lift(wh, ranking(wh, filters, settings), filters, settings, method, lift)
    shared = with_verdicts(wh, shared, filters, settings, lift)
    pd.testing.assert_frame_equal(shared, alone)


@pytest.mark.parametrize("selection", [0, 3])
def test_verdicts_read_through_frame_rows_equal_to_dict_rows(planted, selection):
    """with_verdicts reads the rows lazily (metrics.planning.verdicts.frame_rows): every verdict
    and reason equals verdict_of over the frame's to_dict("records") rows."""
    from metrics.lift import lift_status
    from metrics.planning.verdicts import verdict_of, with_verdicts
    from metrics.ranking import ranking
    from metrics.summary import with_lift

    wh, _, _, _ = planted
    filters, settings = SELECTIONS[selection], Settings()
    method = lift_status(wh, settings)[0]
    judged = with_verdicts(
        wh, with_lift(wh, ranking(wh, filters, settings), filters, settings, method), filters, settings
    )
    rows = judged.drop(columns=["verdict", "verdict_reason"]).to_dict("records")
    expected = [verdict_of(row, settings, True) for row in rows]
    assert list(zip(judged["verdict"], judged["verdict_reason"], strict=True)) == expected
    assert len(set(judged["verdict_reason"])) >= 2  # texts with figures are compared, not one constant


def test_lift_and_plan_callbacks_without_a_data_set_show_the_empty_state(tmp_path, monkeypatch):
    """No warehouse file: /lift's and /plan's callbacks answer the "no data set" state (they
    raised AttributeError on a helper that no longer exists)."""
    from dash_helpers import text

    import app  # noqa: F401  (registers the pages and their callbacks)
    from callbacks import lift as lift_callbacks
    from callbacks import plan as plan_callbacks

    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "none.duckdb"))
    page = lift_callbacks.lift_page("", None, "/lift")
    assert "No data set imported yet" in text(page[2]) and page[3] == {"display": "none"}
    assert lift_callbacks.lift_creators("", None)[0] == []
    assert lift_callbacks.lift_post_event(3, None)["layout"]
    assert lift_callbacks.lift_organic("", None)[0] is None
    assert lift_callbacks.lift_organic_chart("Some campaign", None)["layout"]
    plan_page = plan_callbacks.plan_page("", "segment", None, None, None, "/plan")
    assert "No data set imported yet" in text(plan_page[0]) and plan_page[1] == {"display": "none"}
    assert plan_callbacks.plan_what_if("Macro · Instagram", None, "", "segment", None, None, None) == (None, None, None)


@pytest.mark.parametrize("window", [7, 14, 28])
def test_draw_deviations_equal_the_sorted_sql_join(planted, window):
    """_all_draws reads lift_draws in stored order and subtracts in numpy: bit for bit the deviations
    the ordered SQL join gave; rows in another order are sorted first (same result)."""
    from metrics.lift import view

    wh, _, _, _ = planted
    rows = (
        wh.connection()
        .execute(
            """SELECT d.influencer_key, d.value - c.incremental_revenue AS deviation
               FROM lift_draws d JOIN lift_creators c USING (window_days, influencer_key)
               WHERE d.window_days = ? ORDER BY d.influencer_key, d.draw""",
            [window],
        )
        .fetchnumpy()
    )
    keys = np.unique(rows["influencer_key"])
    expected = np.asarray(rows["deviation"], dtype=np.float32).astype(np.float64).reshape(len(keys), -1)
    got_keys, got, _ = view._all_draws.__wrapped__(*view._file_version(wh, Settings(lift_window_days=window)))
    np.testing.assert_array_equal(got_keys, keys)
    np.testing.assert_array_equal(got, expected)
    stored = (
        wh.connection()
        .execute("SELECT influencer_key, draw, value, noise FROM lift_draws WHERE window_days = ?", [window])
        .fetchnumpy()
    )
    creators = wh.query(
        "SELECT influencer_key, incremental_revenue FROM lift_creators WHERE window_days = ? ORDER BY 1", [window]
    )
    shuffled = np.random.default_rng(3).permutation(len(stored["value"]))
    # one creator without a lift row: its draws are left out, as the inner join did
    creators = creators.iloc[1:]
    again_keys, again, _ = view.draw_deviations(
        *(np.asarray(stored[c])[shuffled] for c in ("influencer_key", "draw", "value", "noise")),
        creators["influencer_key"].to_numpy(),
        creators["incremental_revenue"].to_numpy(dtype=float),
    )
    np.testing.assert_array_equal(again_keys, keys[1:])
    np.testing.assert_array_equal(again, expected[1:])


@pytest.mark.parametrize(
    ("search", "parts"), [("", False), ("?platform=Instagram", False), ("?start=2025-03-01", True)]
)
def test_lift_page_explains_wide_part_intervals_only_for_parts(planted, monkeypatch, search, parts):
    """/lift's method note adds why a part's interval is wide for its size (√W of the window noise)
    where the selection takes part of creators' windows (a date range), not for whole creators."""
    from dash_helpers import text

    import app  # noqa: F401  (registers the pages and their callbacks)
    from callbacks import lift as lift_callbacks

    wh, _, _, _ = planted
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    note = text(lift_callbacks.lift_page(search, None, "/lift")[1])
    assert "quiet days" in note and (lift_callbacks.PARTS_NOTE in note) == parts
