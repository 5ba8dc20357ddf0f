"""metrics.catalogue: each figure declared once, its rules defined once, and everything reading it.

Hand values on small frames; the rules' SQL and pandas forms agree on the same rows (DuckDB);
KPI cards, grid columns, CSV headers, chart labels and docs/cli.md come from the declarations.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dash_helpers import find, text, walk

import metrics
from components import figures
from components.csv_export import grid_csv
from components.tables import metric_col
from metrics import catalogue
from metrics import format as fmt
from metrics.catalogue import CATALOGUE, POOR_PERFORMER
from metrics.settings import DEFAULT_SETTINGS, Settings
from metrics.summary import KPI_KEYS

NB = fmt.NBSP
ROOT = Path(__file__).resolve().parents[1]


# --- the declarations ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_metric_is_fully_declared(key):
    metric = CATALOGUE[key]
    assert metric.key == key and metric.label and metric.unit in catalogue.UNITS.values()
    assert metric.formula_for(DEFAULT_SETTINGS)  # every placeholder is a known setting word
    assert "{" not in metric.formula_for(DEFAULT_SETTINGS)
    assert metric.text(None) == "—" and metric.short(float("nan")) == "—"
    if metric.threshold:
        assert metric.higher_is_better is not None
        assert metric.threshold_value(DEFAULT_SETTINGS) is not None
    if isinstance(metric.computed, catalogue.Ratio):
        assert metric.computed.undefined_when.endswith("= 0")


def test_a_metric_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        catalogue._declare("revenue", "Revenue", catalogue.INR, catalogue.Sum("revenue"), "again")
    with pytest.raises(KeyError, match="no metric 'nope'"):
        catalogue.get("nope")


def test_formatters_by_hand():
    get = catalogue.get
    assert get("followers").text(8_600_000) == f"86{NB}L"
    assert get("cac").text(-0.004) == "₹0.00"
    assert get("cac").text(719.556) == "₹719.56"
    assert get("roi_pct").text(-0.04) == "0.0%"
    assert get("roas").text(None) == "—"
    assert get("roas").text(11.206660422495009) == "11.21x"
    assert get("revenue").short(178_798_153.3) == f"₹17.88{NB}Cr"
    assert get("revenue").text(178_798_153.3) == "₹17,87,98,153"
    assert get("revenue").short(99_999) == "₹99,999"
    assert get("orders").text(107_154) == "1,07,154"
    assert get("revenue_per_follower").text(0.4567) == "₹0.46"
    assert get("revenue_share").text(0.363771) == "36.4%"
    assert get("efficiency_score").text(92.567) == "92.6"


def test_formulas_fill_in_the_settings():
    settings = Settings(poor_roi_pct=40, poor_roas=1.5, baseline_share=0.05, engagement_basis="impressions")
    assert catalogue.get("poor_performers").formula_for(settings) == (
        "Influencers with ROI < 40% or ROAS < 1.5x, or spend with no revenue"
    )
    assert "5%" in catalogue.get("incremental_revenue").formula_for(settings)
    assert "impressions" in catalogue.get("engagement_rate_pct").formula_for(settings)


def test_tone_follows_direction_and_threshold():
    roas, cac = catalogue.get("roas"), catalogue.get("cac")
    assert roas.tone(2.0, DEFAULT_SETTINGS) == "good" and roas.tone(1.99, DEFAULT_SETTINGS) == "bad"
    assert roas.tone(None, DEFAULT_SETTINGS) is None
    assert cac.tone(100, DEFAULT_SETTINGS) is None  # no threshold: no colour


def test_ratios_by_hand_and_undefined_denominators():
    frame = pd.DataFrame(
        {
            "revenue": [100.0, 0.0, 30.0],
            "spend": [50.0, 0.0, 60.0],
            "orders": [4, 0, 3],
            "new_customers": [2.0, 0.0, 0.0],
            "followers": [1000, 0, 300],
        }
    )
    out = catalogue.apply_ratios(frame.copy())
    assert out["roas"].tolist() == [2.0, None, 0.5]
    assert out["roi_pct"].tolist() == [100.0, None, -50.0]
    assert out["aov"].tolist() == [25.0, None, 10.0]
    assert out["cost_per_order"].tolist() == [12.5, None, 20.0]
    assert out["cac"].tolist() == [25.0, None, None]
    assert out["revenue_per_follower"].tolist() == [0.1, None, 0.1]
    assert out["revenue_share"].tolist() == [100 / 130, 0.0, 30 / 130]
    assert out["spend_share"].tolist() == [50 / 110, 0.0, 60 / 110]


def test_cac_without_cost_recorded_is_zero_and_says_so():
    """₹0 spend with 3 new customers: METRICS.md's CAC is ₹0.00 (undefined only at 0 new customers);
    the line under its card says no cost is recorded, most likely a payout missing (docs/metrics.md)."""
    frame = pd.DataFrame(
        {
            "revenue": [500.0, 500.0, 500.0],
            "spend": [0.0, 900.0, 900.0],
            "orders": [3, 3, 3],
            "new_customers": [3.0, 3.0, 0.0],
        }
    )
    out = catalogue.apply_ratios(frame.copy())
    assert out["cac"].tolist() == [0.0, 300.0, None]
    notes = [catalogue.cost_note("cac", row) for row in out.to_dict("records")]
    assert notes == ["No cost recorded (₹0 spend)", None, "No new customers"]


def test_every_cost_per_unit_at_no_spend_says_no_cost_is_recorded():
    """Cost per order, CPE and CPM at ₹0 spend are ₹0.00 as CAC is: the one rule (cost_note) says
    why under each card; "No …" names the count where the figure is "—"."""
    frame = pd.DataFrame(
        {
            "spend": [0.0, 1200.0, 1200.0],
            "orders": [4, 4, 0],
            "engagements": [600.0, 600.0, 0.0],
            "impressions": [30000.0, 30000.0, 0.0],
        }
    )
    out = catalogue.apply_ratios(frame.copy(), ("cost_per_order", "cpe", "cpm"))
    # by hand: 1200 / 4 = 300 per order, 1200 / 600 = 2 per engagement, 1200 / 30000 × 1000 = 40 per mille
    assert out["cost_per_order"].tolist() == [0.0, 300.0, None]
    assert out["cpe"].tolist() == [0.0, 2.0, None]
    assert out["cpm"].tolist() == [0.0, 40.0, None]
    rows = out.to_dict("records")
    for key, none in (("cost_per_order", "No orders"), ("cpe", "No engagements"), ("cpm", "No impressions")):
        assert [catalogue.cost_note(key, row) for row in rows] == ["No cost recorded (₹0 spend)", None, none]
    # CPM on reach where the posts report no impressions names reach
    assert catalogue.cost_note("cpm", {"spend": 1200.0, "cpm": None, "cpm_basis": "reach"}) == "No reach"
    with pytest.raises(ValueError, match="not a cost per unit"):
        catalogue.cost_note("roas", rows[0])


def test_sales_ratios_are_every_ratio_over_the_sums():
    assert catalogue.SALES_RATIOS == ("roas", "roi_pct", "aov", "cost_per_order", "cac", "revenue_per_follower")
    assert set(catalogue.SALES_RATIOS) | set(catalogue.SHARES) <= set(metrics.breakdowns.BREAKDOWN_COLUMNS)


# --- the rules, once ---------------------------------------------------------------------------

PER = pd.DataFrame(
    {
        "spend": [0.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0],
        "revenue": [0.0, 0.0, 149.9, 150.0, 199.9, 200.0, 1000.0],
    }
)


@pytest.mark.parametrize("settings", [DEFAULT_SETTINGS, Settings(poor_roi_pct=100, poor_roas=1.0)])
def test_poor_performer_sql_and_pandas_agree(settings):
    frame = catalogue.apply_ratios(PER.copy())
    in_pandas = POOR_PERFORMER.flags(frame, settings).tolist()
    per = PER  # noqa: F841 (read by DuckDB)
    in_sql = [bool(v) for (v,) in duckdb.sql(f"SELECT {POOR_PERFORMER.sql(settings)} FROM per").fetchall()]
    assert in_pandas == in_sql
    if settings == DEFAULT_SETTINGS:  # ROI < 50 % is ROAS < 1.5; ROAS < 2.0 is the binding bar
        assert in_pandas == [False, True, True, True, True, False, False]
    reasons = [POOR_PERFORMER.reasons(row, settings) for row in frame.to_dict("records")]
    assert [bool(r) for r in reasons] == in_pandas
    assert reasons[1] == "spend with no revenue"


def test_tier_sql_and_python_agree_on_the_bounds():
    counts = [None, 0, 9_999, 10_000, 49_999, 50_000, 499_999, 500_000, 999_999, 1_000_000, 86_00_000]
    i = pd.DataFrame({"follower_count": counts, "known": [True] * len(counts)})  # noqa: F841 (DuckDB)
    in_sql = [v for (v,) in duckdb.sql(f"SELECT {catalogue.tier_sql(DEFAULT_SETTINGS)} FROM i").fetchall()]
    in_python = [DEFAULT_SETTINGS.tier_of(c) for c in counts]
    assert (
        in_sql
        == in_python
        == ["Unknown", "Nano", "Nano", "Micro", "Micro", "Mid", "Mid", "Macro", "Macro", "Mega", "Mega"]
    )
    assert catalogue.tier_text(DEFAULT_SETTINGS) == (
        "nano < 10,000 ≤ micro < 50,000 ≤ mid < 5,00,000 ≤ macro < 10,00,000 ≤ mega"
    )


def test_terms_tolerance_is_one_rule():
    assert catalogue.TERMS_TOLERANCE_TEXT == "1 %"
    assert catalogue.within_terms(0.49, 0)  # rounding
    assert catalogue.within_terms(1.0, 100) and catalogue.within_terms(-1.0, 100)
    assert not catalogue.within_terms(1.01, 100)
    assert not catalogue.within_terms(0.6, None)


def test_time_grains():
    assert catalogue.TIME_GROUPS == ("month", "week", "day")
    assert metrics.breakdowns.TIME_GROUPS is catalogue.TIME_GROUPS
    assert [catalogue.grain_for(d) for d in (None, 10, 45, 46, 120, 121)] == [
        "month",
        "day",
        "day",
        "week",
        "week",
        "month",
    ]


# --- everything reads it --------------------------------------------------------------------------


def test_docs_cli_table_is_the_catalogue():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = catalogue.json_doc_rows(KPI_KEYS)
    assert len(rows) == len([k for k in KPI_KEYS if k in CATALOGUE])
    for row in rows:
        assert row in doc, row
    for key in KPI_KEYS:
        assert f"| `{key}` |" in doc, key


@pytest.fixture(scope="module")
def dash_app():
    """The app (pages register only once a Dash app exists)."""
    import app

    return app.app


def _page_columns(dash_app) -> list[dict]:
    import importlib

    from callbacks import influencers
    from components.ranking_grid import RANKING_COLUMNS

    columns = list(RANKING_COLUMNS) + influencers.POST_COLUMNS + influencers.PAYOUT_COLUMNS
    columns += influencers.SIMILAR_COLUMNS
    for page in ("campaigns", "categories", "content", "insights", "lift", "payouts", "platforms", "plan"):
        module = importlib.import_module(f"pages.{page}")
        for name in dir(module):
            if name.endswith("_COLUMNS"):
                columns += getattr(module, name)
    return columns


def test_every_number_column_comes_from_the_catalogue(dash_app):
    columns = _page_columns(dash_app)
    numeric = [c for c in columns if c.get("cellDataType") == "number"]
    assert len(numeric) > 60
    for col in numeric:
        key = (col.get("context") or {}).get("metric")
        assert key in CATALOGUE, col["field"]
        metric = CATALOGUE[key]
        assert col["field"] == key
        assert col["valueFormatter"]["function"].startswith(metric.unit.grid + "("), col
        assert col["headerName"] == metric.column_header, col["headerName"]


def test_csv_headers_and_money_come_from_the_catalogue():
    columns = [metric_col("revenue"), metric_col("roas"), metric_col("cac"), metric_col("revenue_per_follower")]
    rows = [{"revenue": 2960740.6700000046, "roas": 11.206660422495009, "cac": -0.004, "revenue_per_follower": 0.00351}]
    table = list(csv.reader(io.StringIO(grid_csv(rows, columns))))
    assert table[0] == ["Revenue (₹)", "ROAS (×)", "CAC (₹)", "Rev./follower (₹)"]
    # paise; a ratio to 10 decimals (full precision); no -0.0; revenue per follower to 12 significant digits
    assert table[1] == ["2960740.67", "11.2066604225", "0", "0.00351"]


def test_overview_kpi_cards_are_catalogue_metrics(monkeypatch, traps_wh):
    from callbacks import overview

    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    k = metrics.kpis(traps_wh)
    cards = overview.kpi_cards(k, DEFAULT_SETTINGS)
    keys = (
        "revenue",
        "orders",
        "spend",
        "roas",
        "roi_pct",
        "incremental_revenue",
        "incremental_roas",
        "new_customers",
        "cac",
        "poor_performers",
    )
    assert len(cards) == len(keys)
    for card, key in zip(cards, keys):
        metric = catalogue.get(key)
        labels = [n.children for n in walk(card) if getattr(n, "className", "") == "hk-kpi-label"]
        values = [n.children for n in walk(card) if "hk-kpi-value" in str(getattr(n, "className", ""))]
        assert labels == [metric.label] and values == [metric.short(k[key])], key
    assert "ROI < 50% or ROAS < 2x" in text(find(cards, "kpi-poor-performers"))


def card_parts(cards, card_id: str) -> tuple[str, str, str]:
    """(label, value, tooltip) of the KPI card kpi-{card_id}."""
    card = find(cards, f"kpi-{card_id}")
    label = [n.children for n in walk(card) if getattr(n, "className", "") == "hk-kpi-label"][0]
    value = find(card, f"kpi-{card_id}-value").children
    return label, value, find(card, f"kpi-{card_id}-info").title


@pytest.mark.parametrize("page", ["content", "influencers", "campaigns"])
def test_page_kpi_cards_read_the_catalogue(page, monkeypatch, traps_wh):
    """The cards of the other pages: each label is its metric's (or names it), each tooltip holds
    its formula with the settings in force (stricter thresholds show in the text)."""
    from callbacks import campaigns, content, influencers

    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    strict = Settings(poor_roas=3, poor_roi_pct=150)
    k = metrics.kpis(traps_wh, settings=strict)
    cards, expected = {
        "content": (
            lambda: content.content_kpis(k, 1234, strict),
            {"cnt-posts": "posts", "cnt-engagements": "engagements", "cnt-er": "engagement_rate_pct"}
            | {"cnt-cpe": "cpe", "cnt-cpm": "cpm", "cnt-views": "views"},
        ),
        "influencers": (
            lambda: influencers.ranking_summary(metrics.ranking(traps_wh, settings=strict), strict),
            {"inf-count": "influencers", "inf-best": "roas", "inf-median-score": "efficiency_score"}
            | {"inf-poor": "poor_performers"},
        ),
        "campaigns": (
            lambda: campaigns.campaign_kpis(metrics.campaign_comparison(traps_wh, settings=strict), strict),
            {"camp-count": "campaigns", "camp-best": "roas", "camp-top": "revenue"}
            | {"camp-unattributed": "unattributed_share"},
        ),
    }[page]
    cards = cards()
    for card_id, key in expected.items():
        metric = catalogue.get(key)
        label, value, tooltip = card_parts(cards, card_id)
        assert metric.label.lower() in label.lower(), (card_id, label)
        if card_id != "inf-count":  # the ranking counts every influencer with activity (its own note)
            assert metric.formula_for(strict) in tooltip, (card_id, tooltip)
        assert value, card_id
    if page == "influencers":
        assert card_parts(cards, "inf-poor")[2] == "Influencers with ROI < 150% or ROAS < 3x, or spend with no revenue"
        assert card_parts(cards, "inf-best")[1] == "10.00x"  # ₹3,000 ÷ ₹300
    if page == "campaigns":
        assert card_parts(cards, "camp-best")[0] == "Best campaign ROAS"
    if page == "content":
        assert card_parts(cards, "cnt-views")[1] == "1,234"


def test_revenue_per_follower_by_tier_is_labelled_in_rupees(traps_wh):
    """The recipe's proof (docs/dashboard.md): one catalogue entry puts revenue per follower in every
    breakdown, and the bar chart reads ₹, not "0"."""
    frame = metrics.breakdown(traps_wh, "tier")
    by_tier = dict(zip(frame["tier"], frame["revenue_per_follower"]))
    # A1 Mid 7,000 / 1,20,000; B2 Nano 3,000 / 8,000; C3 Mega 7,000 / 20,00,000; D4 Macro 2,500 / 6,00,000;
    # E5 Micro no sales; Z9 Unknown (not in the influencer list): no followers, undefined.
    assert by_tier["Mid"] == pytest.approx(7000 / 120000)
    assert by_tier["Nano"] == pytest.approx(0.375)
    assert by_tier["Mega"] == pytest.approx(0.0035)
    assert by_tier["Macro"] == pytest.approx(2500 / 600000)
    assert by_tier["Micro"] == 0
    assert by_tier["Unknown"] is None
    figure = figures.dimension_bar(frame, "tier", "revenue_per_follower")
    labels = dict(zip(figure["data"][0]["y"], figure["data"][0]["text"]))
    assert labels == {
        "Mid": "₹0.058",
        "Nano": "₹0.38",
        "Mega": "₹0.0035",
        "Macro": "₹0.0042",
        "Micro": "₹0.00",
        "Unknown": "—",
    }
    ticks = figure["layout"]["xaxis"]["ticktext"]
    assert ticks[0] == "₹0" and all(t.startswith("₹") for t in ticks) and len(set(ticks)) == len(ticks)


def test_unknown_metric_in_a_chart_is_an_error_not_a_wrong_unit(traps_wh):
    frame = metrics.breakdown(traps_wh, "platform").assign(mystery=1.0)
    with pytest.raises(KeyError, match="mystery"):
        figures.dimension_bar(frame, "platform", "mystery")


def test_categories_page_offers_revenue_per_follower_by_tier(monkeypatch, traps_wh, dash_app):
    from callbacks import categories
    from components.ids.categories import DIMENSION_OPTIONS, METRIC_OPTIONS

    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    assert {"label": "Revenue per follower", "value": "revenue_per_follower"} in METRIC_OPTIONS
    assert {"label": "Tier", "value": "tier"} in DIMENSION_OPTIONS
    figure = categories.category_dimension("", "tier", "revenue_per_follower")
    bars = figure["data"][0]
    assert bars["y"] == ["Unknown", "Mega", "Macro", "Mid", "Micro", "Nano"]  # size order, Nano on top
    assert bars["text"][bars["y"].index("Nano")] == "₹0.38"
    # A metric the breakdown lacks falls back to ROAS rather than guessing a unit.
    assert categories.category_dimension("", "tier", "mystery")["data"][0]["text"][-1].endswith("x")


def test_an_estimated_count_of_new_customers_is_whole_on_headlines_and_exact_beside_it():
    """Tester t1 (session 19): "New customers (estimated) 7,599.8" on a card. Headlines show whole
    customers marked "≈" (half away from zero, as all display rounding), the exact count beside them so CAC
    can be checked; a whole count and other figures are unchanged; tables keep fmt.count's decimals."""
    assert catalogue.headline_text("new_customers", 7_599.8) == "≈7,600"
    assert catalogue.exact_note("new_customers", 7_599.8) == "7,599.8 before rounding"
    assert catalogue.headline_text("new_customers", 2.5) == "≈3"  # half away from zero (fmt.half_away)
    assert catalogue.headline_text("new_customers", 1_126.0) == "1,126"
    assert catalogue.exact_note("new_customers", 1_126.0) is None
    assert catalogue.headline_text("new_customers", None) == "—"
    assert catalogue.exact_note("new_customers", None) is None
    assert catalogue.headline_text("orders", 3_468.14) == catalogue.get("orders").short(3_468.14)
    assert catalogue.get("new_customers").text(7_599.8) == "7,599.8"  # tables and CSVs: exact
