"""An append re-estimates measured lift's baselines (docs/metrics.md "Incrementality", the panel):
every creator's baseline is its quiet days over every day of the data set, so appending a month
moves past periods' incremental figures (tester t1, s18: 2025's ₹18,16,166 became ₹18,34,138 after
January 2026 was appended). Documented behaviour, said where the figures move: the append's output
and /lift's method note."""

from __future__ import annotations

import csv

import pytest

import cli
import metrics
from metrics.lift.view import rebaselined_note
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample

YEAR = metrics.Filters(start="2025-01-01", end="2025-12-31")


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """A small generated sample (30 creators, 3,000 orders, sales 1 Jan – 31 Dec 2025) whose lift
    is measured, and a month to append: one sale of its first creator on 5 January 2026."""
    root = tmp_path_factory.mktemp("rebaselined")
    generate_sample(root / "src", orders=3_000, influencers=30, seed=7)
    db = root / "wh" / "warehouse.duckdb"
    import_dataset(root / "src", db)
    with open(root / "src" / "tracking_data.csv", newline="") as source:
        reader = csv.DictReader(source)
        row = next(reader) | {"tracking_id": "TRKJAN0001", "date": "2026-01-05", "orders": "1", "revenue": "999"}
    month = root / "jan"
    month.mkdir()
    with open(month / "tracking_data.csv", "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return db, month


def test_an_append_says_it_re_estimates_the_baselines_and_2025_moves(measured, capsys):
    db, month = measured
    before = metrics.kpis(Warehouse(db), YEAR)["incremental_revenue"]
    assert cli.main(["--db", str(db), "import", "--append", str(month)]) == 0
    out = capsys.readouterr().out
    # the data set now runs from the sample's first sale to the appended one
    assert (
        "Re-estimated baselines: lift is measured against each creator's quiet days over every day of "
        "the data set, now 1 Jan 2025 – 5 Jan 2026 (a creator without sales on a day counts it as a day "
        "without sales), so past periods' incremental figures may change."
    ) in out.splitlines()
    after = metrics.kpis(Warehouse(db), YEAR)["incremental_revenue"]
    assert after != pytest.approx(before, rel=1e-9)  # the note is not idle: 2025's figure moved


def test_an_assumed_baseline_re_estimates_nothing(traps_wh):
    assert rebaselined_note(traps_wh) is None  # traps cannot be measured: its share is a setting


def test_the_lift_method_note_says_an_append_can_move_past_periods():
    from dash_helpers import text

    from callbacks.lift import method_note

    note = text(
        method_note(
            {
                "incrementality_method": "event-window",
                "incrementality_window_days": 14,
                "incrementality_confidence": 0.9,
            }
        )
    )
    assert "appending sales re-estimates it: an earlier period's incremental figures can move" in note
