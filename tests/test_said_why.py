"""What tester t1 found said wrong (session 18): what the new-customer estimate covers, refund rows
warned as unknown buyers, "—" without its reason, budget pacing on a filtered report page 1, and
sales naming a campaign the campaigns file lacks.

The fixture is traps (tests/fixtures/traps) with three rows changed or added: T2 (A1, 1 order)
without a user_id; T9 a refund of A1 (0 orders, −₹1,000) without a user_id; T10 a sale of D4 (X, read as Twitter;
no cost recorded) on 20 Feb 2025 in campaign "MB Mar", which campaigns.csv lacks. Orders: traps'
11 plus T10's 1 = 12, of which 1 (T2's) has no buyer id.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import metrics
from callbacks import overview, platforms
from metrics import catalogue
from metrics.comparison import CARD_CHANGE_KEYS, kpis_with_comparison, with_every_reason
from metrics.pacing import WHOLE_COST, filters_not_applied
from reports.build import _kpis, build_context
from reports.executive import headline
from tests.dash_helpers import text
from warehouse import Warehouse, import_dataset

TRAPS = Path(__file__).resolve().parent / "fixtures" / "traps"
UNKNOWN_CAMPAIGN = "MB Mar"


@pytest.fixture(scope="module")
def said_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("said-why") / "said"
    shutil.copytree(TRAPS, folder)
    sales = folder / "tracking_data.csv"
    lines = sales.read_text().splitlines()
    assert lines[2] == "T2,Instagram,MB Jan,A1,U2,MuscleBlaze,Whey,2025-01-07,1,2000"
    lines[2] = "T2,Instagram,MB Jan,A1,,MuscleBlaze,Whey,2025-01-07,1,2000"
    lines += [
        "T9,PromoCode,MB Jan,A1,,MuscleBlaze,Whey,2025-02-20,0,-1000",
        f"T10,PromoCode,{UNKNOWN_CAMPAIGN},D4,U7,MuscleBlaze,Whey,2025-02-20,1,500",
    ]
    sales.write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def said(said_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("said-wh") / "w.duckdb"
    report = import_dataset(said_dir, db)
    return report, Warehouse(db)


def test_the_estimate_says_which_orders_it_covers():
    settings = metrics.DEFAULT_SETTINGS
    assert metrics.estimated_new_customers_note(10, 0, settings) is None
    assert metrics.estimated_new_customers_note(5, 5, settings) == (
        "Estimated: 80% of orders (the sales carry no user ids)"
    )
    assert metrics.estimated_new_customers_note(10, 3, settings) == (
        "Estimated for the 3 of 10 orders without a buyer id (80% of them counted as new); "
        "the buyers of the other 7 are counted"
    )


def test_overview_and_platforms_say_the_same_estimate_with_its_count(said):
    _report, wh = said
    k = metrics.kpis(wh)
    assert (k["orders"], k["orders_without_user"]) == (12, 1)
    said_once = (
        "Estimated for the 1 of 12 orders without a buyer id (80% of them counted as new); "
        "the buyers of the other 11 are counted"
    )
    cards = text(overview.kpi_cards(k, metrics.DEFAULT_SETTINGS))
    assert said_once in cards and "carry no user ids" not in cards
    frame = metrics.breakdown(wh, "platform")
    # the ₹0-spend platforms' CAC notes (h6's rule) follow the estimate
    assert platforms.cac_note(frame, metrics.DEFAULT_SETTINGS) == (
        f"{said_once} (see METRICS.md). Twitter: CAC ₹0.00 · No cost recorded (₹0 spend). "
        "Unknown: CAC ₹0.00 · No cost recorded (₹0 spend)."
    )


def test_a_refund_row_without_a_user_id_is_no_unknown_buyer(said):
    report, _wh = said
    buyers = [p for p in report.warnings if p.column == "user_id"]
    # T2 (1 order) only: T9 places no order (0 orders, a refund)
    assert len(buyers) == 1 and buyers[0].reason.startswith("1 row with a guest, placeholder or blank user_id")
    assert buyers[0].value == "blank"


def test_a_sale_in_a_campaign_the_campaigns_file_lacks_is_warned_with_its_row(said):
    report, _wh = said
    unknown = [p for p in report.warnings if p.column == "campaign"]
    assert len(unknown) == 1
    problem = unknown[0]
    # T10 is the 10th data row: line 11 of the file (header = line 1)
    assert (problem.file, problem.row, problem.value) == ("tracking_data.csv", 11, UNKNOWN_CAMPAIGN)
    assert problem.reason.startswith("unknown campaign (1 row): not in the campaigns file")


def test_an_appended_sale_in_an_unknown_campaign_is_warned_in_its_file(said_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copytree(said_dir, tmp_path / "said")
    import_dataset(tmp_path / "said", db)
    month = tmp_path / "mar"
    month.mkdir()
    (month / "tracking_data.csv").write_text(
        "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
        "T20,PromoCode,MB Jan,E5,U9,Gritzo,Kids,2025-03-05,1,700\n"
        "T21,PromoCode,Gritzo Kids,E5,U9,Gritzo,Kids,2025-03-06,1,700\n"
        "T22,PromoCode,Gritzo Kids,E5,U10,Gritzo,Kids,2025-03-07,2,1400\n"
    )
    report = import_dataset(month, db, append=True)
    unknown = {p.value: p for p in report.warnings if p.column == "campaign"}
    # the live rows' MB Mar is said again under the live file, the new campaign under the appended one
    assert set(unknown) == {UNKNOWN_CAMPAIGN, "Gritzo Kids"}
    appended = unknown["Gritzo Kids"]
    assert appended.file == "mar/tracking_data.csv" and appended.row == 3  # T21: 2nd data row, line 3
    assert appended.reason.startswith("unknown campaign (2 rows)")
    assert unknown[UNKNOWN_CAMPAIGN].row == 11


def test_roas_and_roi_dashes_say_why_on_cards_and_pdf(said):
    _report, wh = said
    k = metrics.kpis(wh, metrics.Filters(platform=("Twitter",)))
    # Twitter (written X) is D4 alone: ₹3,000 of revenue (T7 ₹2,500, T10 ₹500) and no cost recorded
    assert (k["revenue"], k["spend"], k["roas"], k["roi_pct"]) == (3000.0, 0.0, None, None)
    cards = overview.kpi_cards(k, metrics.DEFAULT_SETTINGS)
    assert text(cards).count(catalogue.NO_COST) >= 4  # ROAS, ROI, cost per order, CAC
    notes = {box["label"]: box["note"] for box in _kpis(k, metrics.DEFAULT_SETTINGS)}
    assert notes["ROAS"] == catalogue.NO_COST and notes["ROI"] == catalogue.NO_COST


def test_every_undefined_change_says_why(said):
    _report, wh = said
    # Feb 2025 against 4–31 Jan 2025 (previous period): Twitter has ₹0 spend in both, no poor performer
    filters = metrics.Filters(platform=("Twitter",), start="2025-02-01", end="2025-02-28", compare="previous")
    k, compared = kpis_with_comparison(wh, filters)
    reasons = with_every_reason(compared, k)["reasons"]
    undefined = {key for key in CARD_CHANGE_KEYS if compared["change"].get(key) is None and key in k}
    assert {"roas", "roi_pct", "poor_performers"} <= undefined <= set(reasons)
    assert reasons["roas"] == "undefined in the selection (₹0 spend)"
    assert reasons["poor_performers"] == "0 in the comparison period"
    boxes = {box["label"]: box for box in headline(k, compared)["kpis"]}
    assert boxes["ROAS"]["change"] == "— undefined in the selection (₹0 spend)"
    assert boxes["ROAS"]["note"] == catalogue.NO_COST
    # all time has no comparison period: said once (the tip), not on every change
    everything, all_time = kpis_with_comparison(wh, metrics.Filters())
    assert with_every_reason(all_time, everything) is all_time


def test_pacing_on_page_one_says_whole_costs_under_other_filters(traps_wh):
    assert filters_not_applied(metrics.Filters(platform=("YouTube",)))
    assert filters_not_applied(metrics.Filters(start="2025-02-01", end="2025-02-28"))
    assert not filters_not_applied(metrics.Filters(brand=("MuscleBlaze",), campaign=("MB Jan",)))
    pacing = build_context(traps_wh, metrics.Filters(platform=("Instagram",)), metrics.DEFAULT_SETTINGS)
    assert pacing["executive"]["pacing"]["scope"] == WHOLE_COST
    whole = build_context(traps_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    assert whole["executive"]["pacing"]["scope"] is None
