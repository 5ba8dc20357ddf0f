"""The organic-sales check: the interrupted-time-series method on simulated series (a planted halo, a
planted cannibalisation, interval coverage), the verdict rule by hand, the optional file through the
real import (DuckDB on disk: recognition, validation errors, the tables), planted-truth checks on a
sample, the sample generator's organic output, and the summary / `hkdash lift` keys."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

import cli
from metrics import Filters, Settings, summary
from metrics.lift.organic import (
    CANNIBALISATION,
    CONSISTENT,
    HALO,
    NOT_CHECKED,
    NOT_COMPARED,
    Counterfactual,
    CounterfactualError,
    fit_counterfactual,
    lift_interval,
    organic_check,
    organic_days,
    verdict,
    window_sums,
)
from warehouse import ImportFailed, Warehouse, import_dataset, validate_dataset
from warehouse.sample import generate_sample

WEEKLY = np.array([0.95, 0.90, 0.90, 0.95, 1.05, 1.15, 1.10])
PRE, WINDOW = 91, 40


def simulated(rng: np.random.Generator, effect: float = 0.0) -> np.ndarray:
    """A local level (random walk) × a weekly pattern + noise, ₹ per day; `effect` ₹ a day added
    over the last WINDOW days."""
    level = 50_000 + np.cumsum(rng.normal(0, 400, PRE + WINDOW))
    series = level * WEEKLY[np.arange(PRE + WINDOW) % 7] + rng.normal(0, 2_500, PRE + WINDOW)
    series[PRE:] += effect
    return series


def total_lift(series: np.ndarray, confidence: float = 0.9) -> tuple[float, float, float]:
    counterfactual = fit_counterfactual(series[:PRE], WINDOW)
    actual, expected, sd = window_sums(series[PRE:], counterfactual, WINDOW)
    low, high = lift_interval(actual, expected, sd, confidence)
    return actual - expected, low, high


# --- the verdict and the sums, by hand ------------------------------------------------------------


def test_verdict_compares_the_two_intervals():
    assert verdict(120, 200, 10, 100) == HALO  # wholly above
    assert verdict(-50, 5, 10, 100) == CANNIBALISATION  # wholly below
    assert verdict(90, 200, 10, 100) == CONSISTENT  # overlapping
    assert verdict(100, 200, 10, 100) == CONSISTENT  # touching is overlapping
    assert verdict(120, 200, None, None) == NOT_COMPARED


def test_window_sums_skip_days_without_a_row_on_both_sides():
    cov = np.array([[4.0, 1, 1, 0], [1, 4, 1, 0], [1, 1, 9, 2], [0, 0, 2, 16]])
    counterfactual = Counterfactual(mean=np.array([10.0, 20, 30, 40]), cov=cov, fitted=np.array([]))
    actual, expected, sd = window_sums(np.array([12.0, np.nan, 35, 100]), counterfactual, 3)
    assert (actual, expected) == (47, 40)  # days 1 and 3; day 4 is past the window
    assert sd == pytest.approx(np.sqrt(4 + 9 + 2 * 1))  # variances of days 1 and 3 plus twice their covariance
    assert list(counterfactual.sd) == [2, 2, 3, 4]
    low, high = lift_interval(actual, expected, sd, 0.9)
    assert (low, high) == pytest.approx((7 - 1.6448536 * np.sqrt(15), 7 + 1.6448536 * np.sqrt(15)))


def test_the_window_covariance_is_the_one_statsmodels_simulates():
    """forecast_covariance's diagonal is statsmodels' forecast variance, and the variance of a
    window sum matches the spread of sums of paths simulated by statsmodels from the same fit."""
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    from metrics.lift.organic import forecast_covariance

    series = simulated(np.random.default_rng(8))[:PRE] / 10_000
    result = UnobservedComponents(series, level="llevel", seasonal=7).fit(disp=False)
    cov = forecast_covariance(result, 30)
    assert np.diag(cov) == pytest.approx(np.asarray(result.get_forecast(30).var_pred_mean), rel=1e-9)
    paths = np.asarray(result.simulate(30, anchor="end", repetitions=4000, rng=np.random.default_rng(0)))
    simulated_sd = paths.reshape(30, -1).sum(axis=0).std()
    assert np.sqrt(cov.sum()) == pytest.approx(simulated_sd, rel=0.05)


def test_too_short_or_flat_pre_periods_are_refused():
    with pytest.raises(CounterfactualError, match="fewer than 28 days"):
        fit_counterfactual(np.r_[np.full(60, np.nan), np.arange(27.0)], 10)
    with pytest.raises(CounterfactualError, match="do not vary"):
        fit_counterfactual(np.full(60, 5.0), 10)


# --- the method on simulated series with a planted truth ----------------------------------------------


def test_a_planted_halo_is_found_and_its_interval_holds_the_truth():
    rng = np.random.default_rng(11)
    planted = 8_000 * WINDOW  # total sales rise ₹8,000 a day; the codes show a quarter of it
    point, low, high = total_lift(simulated(rng, effect=8_000))
    assert low <= planted <= high
    assert verdict(low, high, 0.20 * planted, 0.30 * planted) == HALO


def test_a_planted_cannibalisation_is_found_and_its_interval_holds_the_truth():
    rng = np.random.default_rng(12)
    planted = -2_000 * WINDOW  # the codes show ₹6,000 a day of lift, total sales fell ₹2,000 a day
    point, low, high = total_lift(simulated(rng, effect=-2_000))
    assert low <= planted <= high
    assert verdict(low, high, 5_500 * WINDOW, 6_500 * WINDOW) == CANNIBALISATION


def test_interval_coverage_on_simulated_series_without_an_effect():
    rng = np.random.default_rng(2025)
    covered = [low <= 0 <= high for _, low, high in (total_lift(simulated(rng)) for _ in range(20))]
    # 90 % intervals: 20 series give 18 ± 1.3 covered; fewer than 15 would be a broken interval.
    assert 15 <= sum(covered) <= 20


def test_the_counterfactual_is_deterministic():
    series = simulated(np.random.default_rng(3))
    assert total_lift(series) == total_lift(series)


# --- the file through the real import --------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("organic-sample") / "src"
    generate_sample(folder, orders=8_000, seed=13)
    return folder


STEP_BRAND, STEP_CAMPAIGN = "bGreen", "bGreen World Vegan Month 2025"
STEP_START, STEP_END = pd.Timestamp("2025-11-01"), pd.Timestamp("2025-12-13")  # the campaign + 13 days


def write_organic(folder, step: float, name: str = "organic_sales.csv", seed: int = 5) -> None:
    """Each brand's tracked sales per day plus an untracked base (weekly pattern, 5 % noise), and
    `step` ₹ a day on bGreen over its World Vegan Month campaign and 14-day window."""
    tracked = pd.read_csv(folder / "tracking_data.csv", parse_dates=["date"])
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    rng = np.random.default_rng(seed)
    rows = []
    for brand in ("MuscleBlaze", "HKVitals", "Gritzo", "bGreen"):
        attributed = tracked[tracked["brand"] == brand].groupby("date")[["orders", "revenue"]].sum().reindex(days)
        base = 40_000 * WEEKLY[days.day_of_week] * (1 + 0.05 * rng.standard_normal(len(days)))
        if brand == STEP_BRAND:
            base = base + step * ((days >= STEP_START) & (days <= STEP_END))
        revenue = attributed["revenue"].fillna(0).to_numpy() + base
        orders = attributed["orders"].fillna(0).to_numpy() + np.rint(base / 2_000)
        rows.append(pd.DataFrame({"date": days.date, "brand": brand, "orders": orders.astype(int), "revenue": revenue}))
    pd.concat(rows).round({"revenue": 2}).to_csv(folder / name, index=False)


def true_attributed_lift(folder) -> float:
    """The planted lift (₹) of the brand's posts dated in the campaign (truth/lift.csv)."""
    truth = pd.read_csv(folder / "truth" / "lift.csv")
    posts = pd.read_csv(folder / "posts.csv", parse_dates=["date"])
    inside = posts[(posts["brand"] == STEP_BRAND) & posts["date"].between(STEP_START, pd.Timestamp("2025-11-30"))]
    return float(truth.loc[truth["post_id"].isin(inside["post_id"]), "true_incremental_revenue"].sum())


def imported(sample_dir, tmp_path, step: float) -> Warehouse:
    folder = tmp_path / "src"
    shutil.copytree(sample_dir, folder)
    write_organic(folder, step)
    import_dataset(folder, tmp_path / "wh.duckdb")
    return Warehouse(tmp_path / "wh.duckdb")


def step_row(wh) -> dict:
    rows = organic_check(wh, Filters(brand=(STEP_BRAND,)))["rows"]
    return next(row for row in rows if row["campaign"] == STEP_CAMPAIGN)


@pytest.mark.parametrize(("step", "expected"), [(8_000.0, HALO), (-8_000.0, CANNIBALISATION)])
def test_planted_halo_and_cannibalisation_through_the_import(sample_dir, tmp_path, step, expected):
    wh = imported(sample_dir, tmp_path, step)
    row = step_row(wh)
    truth = step * 43 + true_attributed_lift(sample_dir)  # the step's 43 days plus what the posts caused
    assert row["total_lift_low"] <= truth <= row["total_lift_high"]
    assert row["attributed_lift"] is not None and row["window_end"] == "2025-12-13"
    assert row["verdict"] == expected
    # A campaign running all year has no before to compare with; one starting on the first day neither.
    rows = {r["campaign"]: r for r in organic_check(wh)["rows"]}
    assert rows["bGreen Always-On 2025"]["verdict"] == NOT_CHECKED
    assert "always on" in rows["bGreen Always-On 2025"]["reason"]
    assert "fewer than 28 days" in rows["bGreen Veganuary 2025"]["reason"]
    # The chart data: the forecast band only over the window, at the 14-day window by default.
    days = organic_days(wh, STEP_CAMPAIGN)
    window = days[days["in_window"]]
    assert window["date"].min() == STEP_START and window["date"].max() == STEP_END
    assert (window["band_low"] < window["counterfactual"]).all() and days.loc[
        ~days["in_window"], "band_low"
    ].isna().all()
    shorter = organic_check(wh, Filters(brand=(STEP_BRAND,)), Settings(lift_window_days=7))["rows"]
    assert next(r for r in shorter if r["campaign"] == STEP_CAMPAIGN)["window_end"] == "2025-12-06"


def test_filters_select_campaigns_by_brand_and_start_date(sample_dir, tmp_path):
    wh = imported(sample_dir, tmp_path, 0.0)
    november = organic_check(wh, Filters(start="2025-11-01", end="2025-11-30"))["rows"]
    assert {r["campaign"] for r in november} == {
        "Gritzo Children's Day 2025",
        "bGreen World Vegan Month 2025",
    }
    assert organic_check(wh, Filters(campaign=("Gritzo Children's Day 2025",)))["rows"][0]["brand"] == "Gritzo"
    stored = wh.query("SELECT brand, count(*) AS n, sum(revenue) AS revenue FROM organic_sales GROUP BY brand")
    assert set(stored["brand"]) == {"MuscleBlaze", "HKVitals", "Gritzo", "bGreen"} and (stored["n"] == 365).all()


def test_lift_hides_the_campaign_grid_when_no_campaign_is_in_the_selection(sample_dir, tmp_path, monkeypatch):
    """Tester (s15): /lift showed the per-campaign grid as a large empty box under the chart's "No
    campaign with a counterfactual in the selection"; the grid is hidden then, shown otherwise."""
    import app  # noqa: F401  (registers the pages and their callbacks)
    from callbacks import common
    from callbacks import lift as lift_callbacks

    wh = imported(sample_dir, tmp_path, 0.0)
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    november = "?start=2025-11-01&end=2025-11-30"
    *_, body, grid = lift_callbacks.lift_organic(november, None)
    assert body == grid == common.SHOW
    rows, _options, chosen, body, grid = lift_callbacks.lift_organic(november + "&brand=MuscleBlaze", None)[1:]
    assert rows == [] and chosen is None and body == common.SHOW and grid == common.HIDE
    assert "No campaign with a counterfactual" in str(lift_callbacks.lift_organic_chart(chosen, None)["layout"])


def test_without_the_file_the_check_says_how_to_add_it(sample_dir, tmp_path):
    import_dataset(sample_dir, tmp_path / "wh.duckdb")
    wh = Warehouse(tmp_path / "wh.duckdb")
    check = organic_check(wh)
    assert not check["available"] and check["rows"] == []
    assert "no organic sales file" in check["reason"] and "organic_sales.csv" in check["reason"]
    assert summary(wh)["organic_check"] is None


def test_a_file_recognised_by_its_columns(sample_dir, tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(sample_dir, folder)
    write_organic(folder, 0.0, name="brand daily export.csv")
    report = validate_dataset(folder)
    assert report.files["organic_sales"] == "brand daily export.csv"
    assert any("recognised by its columns" in w.reason for w in report.warnings)


def test_bad_organic_rows_are_named_by_file_row_column_and_value(traps_dir, tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(traps_dir, folder)
    (folder / "organic_sales.csv").write_text(
        "date,brand,orders,revenue\n"
        "2025-01-06,MuscleBlaze,10,20000\n"
        "2025-01-07,MuscleBlaze,12,-500\n"
        "2025-01-06,Muscle Blaze,3,4000\n"
        "2025-01-08,,4,100\n"
        "2025-01-09,HKVitals,2.5,100\n"
        "2025-01-10,HKVitals,1,lots\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failure:
        import_dataset(folder, tmp_path / "wh.duckdb")
    problems = {(p.file, p.row, p.column, p.value, p.reason) for p in failure.value.errors}
    assert ("organic_sales.csv", 3, "revenue", "-500", "negative value") in problems
    assert ("organic_sales.csv", 5, "brand", None, "missing value") in problems or (
        "organic_sales.csv",
        5,
        "brand",
        "",
        "missing value",
    ) in problems
    assert ("organic_sales.csv", 6, "orders", "2.5", "not a whole number") in problems
    assert any(p.row == 7 and p.column == "revenue" and p.value == "lots" for p in failure.value.errors)
    assert (
        "organic_sales.csv",
        4,
        "date",
        "2025-01-06",
        "second row for the same date and brand (first on row 2)",
    ) in problems
    assert not (tmp_path / "wh.duckdb").exists()  # nothing imported


def test_a_missing_required_column_is_named(traps_dir, tmp_path):
    folder = tmp_path / "src"
    shutil.copytree(traps_dir, folder)
    (folder / "organic_sales.csv").write_text("date,orders,revenue\n2025-01-06,1,100\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        validate_dataset(folder)
    assert any(
        p.file == "organic_sales.csv" and p.column == "brand" and "missing required column" in p.reason
        for p in failure.value.errors
    )


# --- the sample generator ------------------------------------------------------------------------


def test_sample_organic_sales_change_nothing_else_and_plant_the_halo(tmp_path):
    plain = generate_sample(tmp_path / "plain", orders=3_000, seed=4)
    with_halo = generate_sample(tmp_path / "halo", orders=3_000, seed=4, organic=True, halo=0.5)
    no_halo = generate_sample(tmp_path / "none", orders=3_000, seed=4, organic=True, halo=0.0)
    for path in plain["files"] + [plain["truth"]]:
        relative = str(path).replace(str(tmp_path / "plain"), "")
        assert (tmp_path / "halo").joinpath(relative.lstrip("/")).read_bytes() == open(path, "rb").read()
    assert with_halo["rows"]["organic_sales.csv"] == 4 * 365
    tracked = pd.read_csv(tmp_path / "plain" / "tracking_data.csv").groupby(["brand", "date"])["revenue"].sum()
    organic = pd.read_csv(tmp_path / "halo" / "organic_sales.csv").set_index(["brand", "date"])["revenue"]
    assert (organic.reindex(tracked.index) >= tracked - 0.01).all()  # total sales hold the tracked ones
    # The halo is 0.5 × the lifted sales: the same seed with halo 0 differs by exactly that (to the paisa a day).
    baseline = pd.read_csv(tmp_path / "none" / "organic_sales.csv")["revenue"].sum()
    lifted = pd.read_csv(tmp_path / "plain" / "truth" / "lift.csv")["true_incremental_revenue"].sum()
    assert organic.sum() - baseline == pytest.approx(0.5 * lifted, abs=0.01 * 4 * 365)
    truth = pd.read_csv(with_halo["organic_truth"])
    assert truth["true_total_lift_revenue"].to_numpy() == pytest.approx(
        1.5 * truth["true_attributed_lift_revenue"], abs=0.01
    )
    assert "organic_truth" not in no_halo or pd.read_csv(no_halo["organic_truth"])["halo_share"].eq(0).all()
    with pytest.raises(ValueError, match="halo"):
        generate_sample(tmp_path / "bad", orders=10, seed=1, organic=True, halo=-1.5)


def test_planted_truth_of_the_sample_lies_in_most_intervals(tmp_path):
    """The sample's own organic sales (untracked base with weekly and yearly patterns, halo 0.5): the
    true total lift of each checked campaign (truth/organic_lift.csv) inside its interval."""
    result = generate_sample(tmp_path / "src", orders=20_000, seed=5, organic=True)
    import_dataset(tmp_path / "src", tmp_path / "wh.duckdb")
    truth = pd.read_csv(result["organic_truth"]).set_index("campaign")["true_total_lift_revenue"]
    checked = [r for r in organic_check(Warehouse(tmp_path / "wh.duckdb"))["rows"] if r["total_lift"] is not None]
    inside = [r["total_lift_low"] <= truth[r["campaign"]] <= r["total_lift_high"] for r in checked]
    assert len(checked) >= 3 and sum(inside) >= len(checked) - 2


# --- interfaces ------------------------------------------------------------------------------------


def test_summary_and_hkdash_lift_carry_the_check(sample_dir, tmp_path, monkeypatch, capsys):
    wh = imported(sample_dir, tmp_path, 8_000.0)
    rows = summary(wh, Filters(brand=(STEP_BRAND,)))["organic_check"]
    row = next(r for r in rows if r["campaign"] == STEP_CAMPAIGN)
    assert {
        "brand",
        "start",
        "end",
        "total_lift",
        "total_lift_low",
        "total_lift_high",
        "attributed_lift",
        "verdict",
    } <= set(row)
    assert row["verdict"] == HALO and json.dumps(rows)
    monkeypatch.setenv("HKDASH_DB", str(wh.path))
    assert cli.main(["lift", "--by", "brand", "--brand", STEP_BRAND, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in document["organic_check"] if r["campaign"] == STEP_CAMPAIGN] == [HALO]
    assert cli.main(["lift", "--by", "brand", "--brand", STEP_BRAND]) == 0
    text = capsys.readouterr().out
    assert "Organic-sales check" in text and STEP_CAMPAIGN in text and "halo" in text


def pdf_text(pdf: bytes, tmp_path) -> str:
    import subprocess

    (tmp_path / "r.pdf").write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_lift_section_holds_the_check_or_how_to_add_it(sample_dir, tmp_path):
    from metrics import format as fmt
    from reports import build_report

    wh = imported(sample_dir, tmp_path, 8_000.0)
    text = pdf_text(build_report(wh, Filters(brand=(STEP_BRAND,))), tmp_path)
    row = step_row(wh)
    assert "Organic-sales check: total brand sales around campaigns" in text
    # pdftotext leaves out the word joiner of a negative amount (fmt.NEGATIVE)
    amount = " ".join(fmt.inr_compact(row["total_lift"]).replace("\u00a0", " ").replace("\u2060", "").split())
    assert f"{STEP_CAMPAIGN} 2025-11-01 2025-12-13 {amount}" in text.replace("\u00a0", " "), text[-3000:]
    assert "halo" in text and "Not checked: 3 campaigns" in text  # always on, Veganuary, Plant Power Summer
    without = tmp_path / "plain"
    import_dataset(sample_dir, without / "wh.duckdb")
    text = pdf_text(build_report(Warehouse(without / "wh.duckdb"), Filters()), tmp_path)
    assert "Not run: no organic sales file. To run it, add a file named organic_sales.csv" in text
