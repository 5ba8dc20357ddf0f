"""/payouts callbacks called directly against real warehouses."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from dash_helpers import find, text
from query_counter import counting_queries, repeated

import metrics
from callbacks import common
from callbacks import payouts as cb
from warehouse import import_dataset


@pytest.fixture
def traps_app(traps_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


@pytest.fixture(scope="module")
def off_terms_db(tmp_path_factory, traps_dir):
    """Traps with E5 paid ₹3,500 against terms of ₹3,000 (16.7 % off)."""
    folder = tmp_path_factory.mktemp("off-terms")
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    payouts = folder / "payouts.csv"
    raw = payouts.read_text(encoding="utf-8")
    assert 'E5,post,"₹3,000/post",0,3000,0' in raw
    payouts.write_text(
        raw.replace('E5,post,"₹3,000/post",0,3000,0', 'E5,post,"₹3,000/post",0,3500,0'), encoding="utf-8"
    )
    db = folder / "wh.duckdb"
    import_dataset(folder, db)
    return db


def test_page_numbers_add_up(traps_app):
    kpis, empty, style, basis_fig, basis, cpo_fig, summary, reconciliation = cb.payouts_page("", "/payouts")
    k = metrics.kpis(traps_app)
    assert empty is None and style == common.SHOW
    assert go.Figure(basis_fig).data and go.Figure(cpo_fig).data
    assert [r["basis"] for r in basis] == ["post", "order", "commission", "hybrid", "gifted", "other"]
    assert sum(r["spend"] for r in basis) == pytest.approx(k["spend"])
    assert sum(r["per_order"] for r in basis) == pytest.approx(k["cost_per_order"])
    assert sum(r["spend_share"] for r in basis) == pytest.approx(1.0)
    shown = text(kpis)
    assert "₹11,850" in shown and "₹1,077.27" in shown  # spend, cost per order (11,850 / 11)
    assert find(kpis, "kpi-pay-differs-value").children == "0"
    assert "match them within 1 %" in text(summary)
    assert len(reconciliation) == 6 and all(r["row_key"] == f"payouts.csv {r['row_no']}" for r in reconciliation)


def test_reconciliation_highlights_rows_that_differ(off_terms_db, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(off_terms_db))
    kpis, *_, summary, rows = cb.payouts_page("", "/payouts")
    assert len(rows) == 6
    # The switch filters the grid in the browser: the model keeps the rows whose status is DIFFERS.
    model = cb.differs_only(True)["status"]
    assert model["type"] == "equals" and cb.differs_only(False) == {}
    differing = [r for r in rows if r["status"] == model["filter"]]
    assert [r["influencer_id"] for r in differing] == ["E5"]
    assert differing[0]["status"] == cb.DIFFERS
    assert differing[0]["difference"] == pytest.approx(500)
    assert differing[0]["difference_pct"] == pytest.approx(500 / 3000 * 100)
    # Undefined % (terms of ₹0) reaches the grid as null, never NaN.
    d4 = next(r for r in rows if r["influencer_id"] == "D4")
    assert d4["difference_pct"] is None
    assert find(kpis, "kpi-pay-differs-value").children == "1"
    assert "1 of 6 payout rows differ from their terms by more than 1 %" in text(summary)
    assert "₹500.00" in text(summary)


def test_reconciliation_follows_influencer_filters(traps_app):
    rows = cb.payouts_page("?platform=Instagram", "/payouts")[-1]
    assert {r["platform"] for r in rows} == {"Instagram"}
    assert {r["influencer_id"] for r in rows} == {"A1", "C3"}


def test_basis_follows_sale_filters(traps_app):
    search = "?brand=MuscleBlaze"
    _, _, _, _, basis, _, _, _ = cb.payouts_page(search, "/payouts")
    k = metrics.kpis(traps_app, common.filters_from_search(search))
    assert sum(r["spend"] for r in basis) == pytest.approx(k["spend"])
    assert k["spend"] < metrics.kpis(traps_app)["spend"]


def test_empty_selection_and_missing_warehouse(traps_app, tmp_path, monkeypatch):
    kpis, empty, style, *_ = cb.payouts_page("?start=2030-01-01", "/payouts")
    assert kpis == [] and style == common.HIDE and "No sales for these filters" in text(empty)
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "missing.duckdb"))
    kpis, empty, style, *_, rows = cb.payouts_page("", "/payouts")
    assert style == common.HIDE and "No data set imported yet" in text(empty)
    assert rows == []


def test_user_text_stays_text(traps_app):
    rows = cb.payouts_page("", "/payouts")[-1]
    names = {r["name"] for r in rows}
    assert "<script>alert(1)</script> & Bros" in names  # raw: AG Grid renders cells as text
    assert '=HYPERLINK("http://evil.example")' in names  # the CSV export neutralises it


def test_url_change_runs_each_query_once(traps_app, monkeypatch):
    """One URL change on /payouts: the reconciliation (and every other query) runs once."""
    with counting_queries(monkeypatch) as seen:
        cb.payouts_page("?platform=Instagram", "/payouts")
    assert seen and not repeated(seen)
    assert sum("FROM payouts p JOIN influencers" in sql for sql, _ in seen) == 1
