"""Why a creator is flagged poor, said where the flag is shown: the ranking's Poor cell (tooltip),
the detail panel and the creator page, in the PDF's words and digits (catalogue.POOR_PERFORMER.reasons).

Case 23 (tests/data/cases/23-refund-negative-rows): Asha Verma (INF01) sold ₹4,998 + ₹2,499 and was
refunded ₹2,499, so revenue ₹4,998 on ₹2,500 spend: ROAS 4,998 ÷ 2,500 = 1.9992, which reads "2.00x"
at the grid's two decimals yet is below the 2x bar; ROI (4,998 − 2,500) ÷ 2,500 × 100 = 99.92 %
clears the 50 % bar. Rohit Nair (INF02): ₹3,596 on ₹6,000, ROAS 0.60 and ROI −40.07 %: both missed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from dash_helpers import text

import metrics
from callbacks import creator, influencers
from components.ranking_grid import POOR_REASON, RANKING_COLUMNS, ROAS_TEXT
from reports.build import build_context
from warehouse import Warehouse, import_dataset

CASE = Path(__file__).parent / "data" / "cases" / "23-refund-negative-rows"
ASHA = "ROAS 1.999x < 2x"
ROHIT = "ROI -40.1% < 50%; ROAS 0.60x < 2x"


@pytest.fixture(scope="module")
def refunds_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("case23")
    shutil.copytree(CASE, folder / "case")
    return import_dataset(folder / "case", folder / "wh.duckdb").db_path


@pytest.fixture(autouse=True)
def on_refunds(refunds_db, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(refunds_db))


def test_the_ranking_rows_carry_why_each_flagged_creator_is_poor(refunds_db):
    ranked = metrics.ranking(Warehouse(refunds_db)).set_index("influencer_id")
    assert ranked.loc["INF01", "roas"] == pytest.approx(1.9992) and bool(ranked.loc["INF01", "poor_performer"])
    rows = {row["influencer_id"]: row for row in influencers.influencer_ranking("", "all", "/")[0]}
    assert (rows["INF01"][POOR_REASON], rows["INF02"][POOR_REASON]) == (ASHA, ROHIT)
    poor = next(column for column in RANKING_COLUMNS if column["field"] == "poor_performer")
    assert poor["tooltipField"] == POOR_REASON


def test_a_creator_not_flagged_has_no_reason():
    """Rows: cleared both bars (ROAS 5x, ROI 400 %), spend with no revenue, no spend (never poor)."""
    frame = pd.DataFrame(
        {
            "poor_performer": [False, True, None],
            "spend": [100.0, 100.0, 0.0],
            "revenue": [500.0, 0.0, 0.0],
            "roi_pct": [400.0, -100.0, None],
            "roas": [5.0, 0.0, None],
        }
    )
    reasons = influencers.with_poor_reasons(frame, metrics.DEFAULT_SETTINGS)[POOR_REASON]
    assert reasons.tolist() == ["", "spend with no revenue", ""]


def test_the_detail_panel_and_the_creator_page_say_why_beside_the_badge(refunds_db):
    wh = Warehouse(refunds_db)
    panel = text(influencers.detail_body(metrics.influencer_detail(wh, "INF01"), metrics.DEFAULT_SETTINGS))
    assert "Poor performer" in panel and ASHA in panel
    page = creator.creator_page("/influencers/INF01", "")
    assert "Poor performer" in text(page[0]) and ASHA in text(page[0])


def test_the_pdf_says_the_same_reason(refunds_db):
    """One rule: the PDF's poor-performer table reads the reason the dashboard shows."""
    context = build_context(Warehouse(refunds_db), metrics.Filters(), metrics.DEFAULT_SETTINGS)
    assert ASHA in str(context)


def test_the_roas_shown_beside_the_flag_has_the_flags_digits(refunds_db):
    """Asha's ROAS 1.9992 reads "1.999x" in her ranking cell (the row's ROAS_TEXT, which the
    column's formatter prefers), the detail panel, her page's card, the PDF's poor-performer table
    and its executive summary's line on her, as in "ROAS 1.999x < 2x"; Rohit's 0.60 reads alike at two decimals, so his row sends none."""
    rows = {row["influencer_id"]: row for row in influencers.influencer_ranking("", "all", "/")[0]}
    assert (rows["INF01"][ROAS_TEXT], rows["INF02"][ROAS_TEXT]) == ("1.999x", "")
    roas = next(column for column in RANKING_COLUMNS if column["field"] == "roas")
    assert ROAS_TEXT in roas["valueFormatter"]["function"]
    wh = Warehouse(refunds_db)
    panel = text(influencers.detail_body(metrics.influencer_detail(wh, "INF01"), metrics.DEFAULT_SETTINGS))
    assert "ROAS 1.999x ROI" in panel and "2.00x" not in panel
    cards = text(creator.creator_page("/influencers/INF01", ""))
    assert "1.999x" in cards and "2.00x" not in cards
    context = build_context(Warehouse(refunds_db), metrics.Filters(), metrics.DEFAULT_SETTINGS)
    table = next(t for t in context["tables"] if t["title"] == "Poor performers")
    by_name = {row[0]: row for row in table["rows"]}
    roas_at = table["columns"].index("ROAS")
    assert (by_name["Asha Verma"][roas_at], by_name["Rohit Nair"][roas_at]) == ("1.999x", "0.60x")
    assert "Asha Verma (Instagram): ROAS 1.999x, revenue" in str(context)  # the executive summary's line
