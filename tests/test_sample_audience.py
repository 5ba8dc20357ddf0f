"""The sample's audience files and buyers' states (warehouse/sample_audience.py): in the importer's
layouts, imported without an error or warning, plausible (shares add up, buyers lean to where a
creator's audience lives), and leaving every other file as it was."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warehouse import Warehouse, import_dataset, regions
from warehouse.sample import generate_sample
from warehouse.sample_audience import AUDIENCE_PULL, CITIES, STATE_WEIGHTS, UNPLACED_SHARE, _percent_cells


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sample-audience")
    generate_sample(root / "with", orders=6_000, seed=3, audience=True)
    generate_sample(root / "without", orders=6_000, seed=3)
    return root / "with", root / "without"


@pytest.fixture(scope="module")
def imported(folders, tmp_path_factory) -> tuple[Warehouse, object]:
    db = tmp_path_factory.mktemp("sample-audience-db") / "wh.duckdb"
    report = import_dataset(folders[0], db)
    return Warehouse(db), report


def test_other_files_are_unchanged_and_tracking_only_gains_a_state(folders):
    with_, without = folders
    for name in ("influencers", "posts", "payouts", "campaigns"):
        assert (with_ / f"{name}.csv").read_bytes() == (without / f"{name}.csv").read_bytes(), name
    assert (with_ / "truth" / "lift.csv").read_bytes() == (without / "truth" / "lift.csv").read_bytes()
    tracking = pd.read_csv(with_ / "tracking_data.csv", dtype=str, keep_default_na=False)
    assert list(tracking.columns)[-1] == "state"
    plain = pd.read_csv(without / "tracking_data.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(tracking.drop(columns="state"), plain)
    assert not (without / "audience_demographics.csv").exists()


def test_imports_without_errors_or_warnings_into_every_audience_table(imported):
    wh, report = imported
    text = " ".join(str(w) for w in getattr(report, "warnings", []) or [])
    assert "audience" not in text.lower() and "region" not in text.lower(), text
    creators = wh.scalar("SELECT count(*) FROM influencers")
    with_audience = wh.scalar("SELECT count(DISTINCT influencer_id) FROM audience_demographics")
    assert 0.6 * creators <= with_audience < creators  # most creators, not all (an export is not always there)
    assert wh.scalar("SELECT count(DISTINCT influencer_id) FROM audience_geography") == with_audience
    assert wh.scalar("SELECT count(*) FROM audience_geography WHERE state IS NULL") == 0  # every city in its state
    unmatched = wh.scalar("SELECT count(*) FROM sales_regions WHERE region IS NOT NULL AND NOT matched")
    assert unmatched == 0
    placed = wh.scalar("SELECT sum(orders) FILTER (WHERE region IS NOT NULL) / sum(orders) FROM sales_regions")
    assert 1 - 3 * UNPLACED_SHARE < placed < 1


def test_shares_add_up(folders):
    demographics = pd.read_csv(folders[0] / "audience_demographics.csv")
    assert (demographics.groupby("influencer_id").size() == 12).all()
    sums = demographics.groupby("influencer_id")["views_percentage"].sum().round(2)
    assert (sums == 100.0).all(), sums[sums != 100.0]
    geography = pd.read_csv(folders[0] / "geographic_distribution.csv")
    listed = geography.groupby("influencer_id")["views_percentage"].sum()
    assert listed.between(55, 80.01).all() and (geography["views_percentage"] > 0).all()
    assert set(geography["city"]) <= set(CITIES)


def test_percent_cells_by_hand():
    # 1/3 each: 33.33 × 3 = 99.99, the cent goes to the largest (the first of equals)
    assert list(_percent_cells(np.array([1 / 3, 1 / 3, 1 / 3]))) == [33.34, 33.33, 33.33]
    assert list(_percent_cells(np.array([0.5, 0.5]), 60.0)) == [30.0, 30.0]


def test_buyers_lean_to_where_the_audience_lives(imported):
    """A creator's share of buyers in its audience's top state exceeds India's share of that state:
    half of its buyers follow its audience (AUDIENCE_PULL), half the national mix."""
    wh, _ = imported
    state_of = dict(regions.names())
    national = pd.Series(STATE_WEIGHTS) / sum(STATE_WEIGHTS.values())
    geography = wh.query(
        "SELECT influencer_id, region AS city, share FROM audience_geography ORDER BY influencer_id, share DESC"
    )
    sales = wh.query(
        """SELECT i.influencer_id, s.region, sum(s.orders) AS orders FROM sales_regions s
           JOIN influencers i ON i.influencer_key = s.influencer_key WHERE s.region IS NOT NULL GROUP BY ALL"""
    )
    top = geography.groupby("influencer_id").first()
    leaning = []
    for influencer_id, row in top.iterrows():
        mine = sales[sales["influencer_id"] == influencer_id]
        if mine["orders"].sum() < 200:
            continue
        state = state_of[row["city"]]
        share = mine.loc[mine["region"] == state, "orders"].sum() / mine["orders"].sum()
        leaning.append(share > national[state] + AUDIENCE_PULL * row["share"] / 4)
    assert len(leaning) >= 5 and np.mean(leaning) >= 0.8, leaning


def test_cli_writes_them_unless_told_not_to(tmp_path):
    import cli

    assert cli.main(["sample", "--out", str(tmp_path / "a"), "--orders", "300", "--seed", "2"]) == 0
    assert (tmp_path / "a" / "audience_demographics.csv").exists()
    assert (tmp_path / "a" / "geographic_distribution.csv").exists()
    assert "state" in (tmp_path / "a" / "tracking_data.csv").open().readline()
    assert cli.main(["sample", "--out", str(tmp_path / "b"), "--orders", "300", "--no-audience"]) == 0
    assert not (tmp_path / "b" / "audience_demographics.csv").exists()
    assert "state" not in (tmp_path / "b" / "tracking_data.csv").open().readline()


def test_parquet_too(tmp_path):
    generate_sample(tmp_path, orders=500, seed=1, fmt="parquet", audience=True)
    tracking = pd.read_parquet(tmp_path / "tracking_data.parquet")
    assert tracking["state"].notna().mean() > 0.9
    assert pd.read_parquet(tmp_path / "audience_demographics.parquet").shape[1] == 5
