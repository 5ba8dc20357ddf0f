"""Costs per unit at ₹0 spend (cost per order, CAC, CPE, CPM are ₹0.00 by METRICS.md's formulas)
say "No cost recorded (₹0 spend)" wherever they are shown as cards: /payouts, /content, the
creator page and both PDFs (one rule: metrics.catalogue.cost_note)."""

from __future__ import annotations

import pytest
from dash_helpers import find, text

import metrics
from callbacks import content, creator, payouts
from reports.build import build_context
from reports.creator import build_creator_context
from warehouse import Warehouse, import_dataset

NO_COST = "No cost recorded (₹0 spend)"


@pytest.fixture(scope="module")
def unpaid_post_db(tmp_path_factory, traps_dir):
    """The traps data set plus one post of D4 (X, i.e. Twitter): D4's payout row is ₹0, and it has
    1 order of ₹2,500 from a new buyer (U5), so on Twitter spend is ₹0 over 1 order, 1 new customer,
    110 engagements and 2,000 reach (the traps posts report no impressions)."""
    folder = tmp_path_factory.mktemp("unpaid-post")
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    with open(folder / "posts.csv", "a", encoding="utf-8") as posts:
        posts.write("P6,D4,X,2025-01-09,MuscleBlaze,2000,100,10,0\n")
    db = folder / "wh.duckdb"
    import_dataset(folder, db)
    return db


@pytest.fixture
def on_unpaid(unpaid_post_db, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(unpaid_post_db))
    return unpaid_post_db


TWITTER = "?platform=Twitter"


def test_the_selection_is_unpaid_with_orders_customers_and_engagements(on_unpaid):
    k = metrics.kpis(Warehouse(on_unpaid), metrics.Filters(platform=("Twitter",)))
    assert (k["spend"], k["orders"], k["new_customers"], k["engagements"], k["reach"]) == (0.0, 1, 1.0, 110, 2000)
    assert (k["cost_per_order"], k["cac"], k["cpe"], k["cpm"]) == (0.0, 0.0, 0.0, 0.0)


def test_payouts_cards(on_unpaid):
    cards, *_ = payouts.payouts_page(TWITTER, "/payouts")
    assert find(cards, "kpi-pay-cpo-value").children == "₹0.00"
    assert NO_COST in text(find(cards, "kpi-pay-cpo"))
    assert NO_COST in text(find(cards, "kpi-pay-cac"))


def test_content_cards(on_unpaid):
    cards, *_ = content.content_page(TWITTER, "/content")
    for key in ("cpe", "cpm"):
        assert find(cards, f"kpi-cnt-{key}-value").children == "₹0.00"
        assert NO_COST in text(find(cards, f"kpi-cnt-{key}"))


def test_content_cards_of_a_paid_selection_keep_their_lines(on_unpaid):
    cards, *_ = content.content_page("", "/content")
    assert NO_COST not in text(cards)
    assert "Per 1,000 reach (no impressions in the data)" in text(find(cards, "kpi-cnt-cpm"))


def test_creator_cards(on_unpaid):
    out = creator.creator_page("/influencers/D4", "")
    cards = out[3]
    for key in ("cac", "cpe"):
        assert NO_COST in text(find(cards, f"kpi-creator-{key}"))
    assert NO_COST not in text(find(cards, "kpi-creator-revenue"))


def test_pdf_kpis(on_unpaid):
    wh = Warehouse(on_unpaid)
    boxes = {
        b["label"]: b
        for b in build_context(wh, metrics.Filters(platform=("Twitter",)), metrics.DEFAULT_SETTINGS)["kpis"]
    }
    assert (boxes["Cost per order"]["value"], boxes["Cost per order"]["note"]) == ("₹0.00", NO_COST)
    assert boxes["CAC"]["note"] == NO_COST
    creator_boxes = {
        b["label"]: b["note"]
        for b in build_creator_context(wh, "D4", metrics.Filters(), metrics.DEFAULT_SETTINGS)["kpis"]
    }
    assert creator_boxes["CAC"] == creator_boxes["CPE"] == NO_COST
