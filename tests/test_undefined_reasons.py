"""A ratio shown "—" says why where it is shown: a tooltip on the grid cell, a footnote under the PDF
table and under hkdash summary's tables, all from one rule (metrics.catalogue.undefined_cause).

The traps data set (tests/fixtures/traps) by hand:
- D4 (Twitter, Lifestyle): payout ₹0, 1 order of ₹2,500 from new buyer U5: ROAS and ROI "—" (₹0
  spend), CAC and cost per order ₹0.00 (METRICS.md's formula), which their cards note as no cost;
- Z9 (not in the influencer list: platform Unknown): 1 order of ₹500, no payout: ROAS "—" (₹0 spend);
- E5 (Facebook): paid ₹3,000, no order: ROAS 0.00x, AOV, cost per order and CAC "—" (no orders, no
  new customers).
"""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

import cli
import metrics
from callbacks import influencers
from components import tables
from metrics import catalogue, comparison
from reports.build import _table, build_context, build_report

NO_COST = catalogue.NO_COST


# --- the rule, on hand-made rows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "row", "cause"),
    [
        ("roas", {"roas": None, "revenue": 2500.0, "spend": 0.0}, "₹0 spend"),
        ("roi_pct", {"roi_pct": None, "revenue": 2500.0, "spend": 0.0}, "₹0 spend"),
        ("aov", {"aov": None, "revenue": 0.0, "orders": 0}, "no orders"),
        ("aov", {"aov": None, "revenue": -400.0, "orders": 1}, "revenue ≤ ₹0"),  # a refund larger than the sale
        ("cost_per_order", {"cost_per_order": None, "spend": 3000.0, "orders": 0}, "no orders"),
        ("cac", {"cac": None, "spend": 3000.0, "new_customers": 0}, "no new customers"),
        ("ltv_cac_365", {"ltv_cac_365": None, "ltv_365": 900.0, "cac": None}, "CAC undefined"),
        ("revenue_share", {"revenue_share": None, "revenue": -10.0}, "total revenue ≤ ₹0"),
        # CPM falls back to reach where no post reports impressions (cpm_basis), as cost_note says
        ("cpm", {"cpm": None, "spend": 500.0, "impressions": 0, "reach": 0, "cpm_basis": "reach"}, "no reach"),
        # figures that are not ratios, each with its own rule (catalogue.UNDEFINED_RULES)
        ("efficiency_score", {"efficiency_score": None, "roas": None}, "ROAS undefined"),
        ("efficiency_score", {"efficiency_score": None}, None),  # the row does not say why
        ("marginal_roas", {"marginal_roas": None, "spend": 0.0}, "₹0 spend"),
        ("marginal_roas", {"marginal_roas": None, "spend": 500.0}, None),  # e.g. lift not measured: no claim
        ("planned_marginal_roas", {"planned_marginal_roas": None, "planned_spend": 0.0}, "cut to ₹0"),
        ("ltv_customers_365", {"ltv_customers_365": None}, "no customer acquired 365+ days before the last sale"),
        ("ltv_revenue_90", {"ltv_revenue_90": None}, "no customer acquired 90+ days before the last sale"),
        ("roas", {"roas": 1.5, "revenue": 3.0, "spend": 2.0}, None),  # defined
        ("roas", {"roas": None, "revenue": 3.0}, None),  # the row does not say why: no claim
        ("revenue", {"revenue": None}, None),  # not a ratio
    ],
)
def test_the_cause_of_an_undefined_ratio(key, row, cause):
    assert catalogue.undefined_cause(key, row) == cause


GAP, THEN = catalogue.COMPARISON_GAP, catalogue.THEN_SUFFIX


@pytest.mark.parametrize(
    ("key", "row", "cause"),
    [
        ("revenue_change", {"revenue_change": None, GAP: "no date range"}, "no comparison period (no date range)"),
        # a sum with no row then (or 0 then) had none of it then
        (
            "revenue_change",
            {"revenue_change": None, "revenue": 900.0, "revenue" + THEN: None, GAP: None},
            "₹0 revenue in the comparison period",
        ),
        (
            "spend_change",
            {"spend_change": None, "spend": 9.0, "spend" + THEN: 0.0, GAP: None},
            "₹0 spend in the comparison period",
        ),
        ("roas_change", {"roas_change": None, "roas": None, "roas" + THEN: 2.0, GAP: None}, "ROAS undefined"),
        (
            "roas_change",
            {"roas_change": None, "roas": 2.0, "roas" + THEN: None, GAP: None},
            "ROAS undefined in the comparison period",
        ),
        (
            "roas_change",
            {"roas_change": None, "roas": 2.0, "roas" + THEN: 0.0, GAP: None},
            "ROAS 0.00x in the comparison period",
        ),
        (
            "cac_change",
            {"cac_change": None, "cac": 50.0, "cac" + THEN: 0.0, GAP: None},
            "CAC ₹0.00 in the comparison period",
        ),
        ("roas_change", {"roas_change": None, "roas": 2.0}, None),  # a row without its comparison: no claim
    ],
)
def test_the_cause_of_an_undefined_change(key, row, cause):
    assert catalogue.undefined_cause(key, row) == cause


def test_changes_carry_what_their_reasons_read():
    """with_changes puts the figure then and the comparison's gap beside each change: A had ₹0 spend
    then (spend change "—"), B no row then (new: revenue change "—"); without a comparison every
    change is "—" for the gap's reason."""
    now = pd.DataFrame({"id": ["A", "B"], "revenue": [300.0, 50.0], "spend": [100.0, 10.0]})
    then = pd.DataFrame({"id": ["A"], "revenue": [200.0], "spend": [0.0]})
    rows = catalogue.cell_reasons(comparison.with_changes(now, then, "id", ("revenue", "spend")))
    assert rows == [
        {"spend_change": "₹0 spend in the comparison period: Spend change undefined"},
        {
            "revenue_change": "₹0 revenue in the comparison period: Revenue change undefined",
            "spend_change": "₹0 spend in the comparison period: Spend change undefined",
        },
    ]
    alone = catalogue.cell_reasons(comparison.with_changes(now, None, "id", ("revenue",), comparison.NO_DATE_RANGE))
    assert alone == [{"revenue_change": "no comparison period (no date range): Revenue change undefined"}] * 2


def test_the_reason_names_the_figure():
    assert catalogue.undefined_reason("roas", {"roas": None, "spend": 0.0}) == "₹0 spend: ROAS undefined"
    assert catalogue.undefined_reason("roas", {"roas": 2.0, "spend": 1.0}) is None


def test_a_cost_at_zero_spend_reads_as_its_card_says():
    """₹0.00 is a figure, not "—", but it needs the card's note as much (catalogue.cost_note)."""
    assert catalogue.cell_reason("cac", {"cac": 0.0, "spend": 0.0, "new_customers": 1}) == NO_COST
    assert catalogue.cell_reason("cac", {"cac": 300.0, "spend": 300.0, "new_customers": 1}) is None


def test_the_footnote_groups_columns_by_cause_in_table_order():
    causes = [("ROAS", "₹0 spend"), ("ROI", "₹0 spend"), ("ROAS", "₹0 spend"), ("AOV", "no orders")]
    causes += [("AOV", "revenue ≤ ₹0"), ("CAC", None)]
    assert catalogue.undefined_footnote(causes) == (
        "— = undefined: ROAS and ROI (₹0 spend); AOV (no orders or revenue ≤ ₹0)."
    )
    assert catalogue.undefined_footnote([("ROAS", None)]) is None


def test_cell_reasons_look_only_at_the_cells_that_need_one():
    frame = pd.DataFrame(
        {
            "revenue": [2500.0, 0.0, 7000.0],
            "spend": [0.0, 3000.0, 3200.0],
            "orders": [1, 0, 3],
            "new_customers": [1.0, 0.0, 2.0],
        }
    )
    frame = catalogue.apply_ratios(frame, ("roas", "aov", "cost_per_order", "cac"))
    assert catalogue.cell_reasons(frame) == [
        {"roas": "₹0 spend: ROAS undefined", "cost_per_order": NO_COST, "cac": NO_COST},
        {"aov": "no orders: AOV undefined", "cost_per_order": "no orders: Cost per order undefined"}
        | {"cac": "no new customers: CAC undefined"},
        {},
    ]


# --- the grids -------------------------------------------------------------------------------


def test_ratio_columns_carry_the_tooltip_and_counts_do_not():
    assert tables.metric_col("roas")["tooltipValueGetter"] == {"function": "hkCellWhy(params)"}
    assert tables.metric_col("revenue_share")["tooltipValueGetter"] == {"function": "hkCellWhy(params)"}
    for key in ("efficiency_score", "marginal_roas", "revenue_change", "ltv_customers_365", "ltv_revenue_365"):
        assert tables.metric_col(key)["tooltipValueGetter"] == {"function": "hkCellWhy(params)"}
    assert "tooltipValueGetter" not in tables.metric_col("orders")


def test_records_put_the_reason_in_the_row_even_for_operands_not_shown():
    frame = pd.DataFrame({"name": ["D4", "A1"], "revenue": [2500.0, 7000.0], "spend": [0.0, 3200.0]})
    frame = catalogue.apply_ratios(frame, ("roas",))
    rows = tables.records(frame, ["name", "roas"])
    assert rows == [
        {"name": "D4", "roas": None, tables.WHY_FIELD: {"roas": "₹0 spend: ROAS undefined"}},
        {"name": "A1", "roas": 7000.0 / 3200.0},
    ]


def test_the_ranking_rows_say_why(traps_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    rows = {row["influencer_id"]: row for row in influencers.influencer_ranking("", "all", "/influencers")[0]}
    why = rows["D4"][tables.WHY_FIELD]
    assert {key: why.get(key) for key in ("roas", "roi_pct", "cac")} == {
        "roas": "₹0 spend: ROAS undefined",
        "roi_pct": "₹0 spend: ROI undefined",
        "cac": NO_COST,
    }
    assert rows["E5"][tables.WHY_FIELD]["cac"] == "no new customers: CAC undefined"
    assert rows["E5"]["roas"] == 0.0 and "roas" not in rows["E5"][tables.WHY_FIELD]
    assert rows["D4"][tables.WHY_FIELD]["ltv_cac_365"] == "₹0 CAC: LTV:CAC (365 days) undefined"
    assert "roas" not in rows["A1"][tables.WHY_FIELD]  # 2.19x
    # D4 has no ROAS, so no efficiency score nor response curve; no date range: no comparison
    assert {key: why.get(key) for key in ("rank", "efficiency_score", "marginal_roas", "revenue_change")} == {
        "rank": "ROAS undefined: Rank undefined",  # tester t2: the "#" cell said nothing
        "efficiency_score": "ROAS undefined: Efficiency score undefined",
        "marginal_roas": "₹0 spend: Marginal ROAS undefined",
        "revenue_change": "no comparison period (no date range): Revenue change undefined",
    }


# --- the PDF and the CLI -----------------------------------------------------------------------


def test_a_pdf_table_has_a_footnote_only_with_a_dash():
    columns = [("name", "Name", str), ("roas", "ROAS", catalogue.get("roas").short)]
    shown = _table("t", columns, [{"name": "D4", "roas": None, "spend": 0.0}, {"name": "A1", "roas": 2.0}])
    assert shown["rows"][0][1] == "—" and shown["footnote"] == "— = undefined: ROAS (₹0 spend)."
    assert _table("t", columns, [{"name": "A1", "roas": 2.0, "spend": 1.0}])["footnote"] is None


def test_a_footnote_speaks_of_the_rows_printed_only():
    columns = [("roas", "ROAS", catalogue.get("roas").short)]
    rows = [{"roas": 2.0, "spend": 1.0}, {"roas": None, "spend": 0.0}]
    assert _table("t", columns, rows, limit=1)["footnote"] is None


def test_the_reports_platform_table_says_why(traps_wh):
    """Twitter (D4) and Unknown (Z9): ₹0 spend, ROAS and ROI "—", and with new customers CAC ₹0.00,
    said as their cards say it; Facebook (E5): no new customer, CAC "—"."""
    context = build_context(traps_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    platforms = next(t for t in context["tables"] if t["title"] == "Platforms")
    assert platforms["footnote"] == (
        "— = undefined: ROAS and ROI (₹0 spend); CAC (no new customers). CAC ₹0.00: No cost recorded (₹0 spend)."
    )
    payouts = next(t for t in context["tables"] if t["title"] == "Payouts by basis")
    # its one "—" is the Total row's influencer count (a count left blank, not a ratio): no claim
    assert payouts["rows"][-1][-1] == "—" and payouts["footnote"] is None


def test_hkdash_summary_tables_say_why(traps_wh, capsys):
    assert cli.main(["--db", str(traps_wh.path), "summary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    facebook = lines.index(next(line for line in lines if line.startswith("Facebook")))
    assert lines[facebook + 1] == "— = undefined: ROAS (₹0 spend); CAC (no new customers)."
    top = lines.index("Top influencers by ROAS")
    # D4 and Z9 have no ROAS, so no efficiency score either (scores rank creators with a ROAS)
    assert "— = undefined: ROAS (₹0 spend); Efficiency (ROAS undefined)." in lines[top:]


def test_the_pdf_prints_the_footnote_under_its_table(traps_wh, tmp_path):
    """The template prints the footnote right after the table's last row (pdftotext's reading order)."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_report(traps_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS))
    words = " ".join(
        subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split()
    )
    tables = words[words.index("Platforms Platform") :]
    assert (
        tables.index("Facebook")
        < tables.index("— = undefined: ROAS and ROI (₹0 spend); CAC (no new customers).")
        < tables.index("Categories")
    )
    assert "— = undefined: CAC (no new customers)." in tables  # Campaigns


def test_hkdash_lift_table_says_why_its_incremental_roas_is_undefined():
    """`hkdash lift` prints its rows through the same explained_table: a creator measured at ₹0 spend."""
    rows = [
        {"name": "Pranav", "spend": 0.0, "incremental_roas": None},
        {"name": "Karan", "spend": 43026.0, "incremental_roas": -0.11},
    ]
    columns = [(c, c.replace("_", " "), str) for c in ("name", "spend", "incremental_roas")]
    footnote = cli.explained_table(rows, columns, by_label=True).splitlines()[-1]
    assert footnote == "— = undefined: Incremental ROAS (₹0 spend)."  # the catalogue's label, not the field's words
    assert "undefined" not in cli.explained_table(rows[1:], columns, by_label=True)


def test_hkdash_plan_table_says_why_a_cut_row_has_no_marginal_roas():
    """The plan's rows hold the marginal ROAS at the planned spend as marginal_roas (PLAN_COLUMNS): a
    segment cut to ₹0 has none there."""
    rows = [
        {"segment": "Mega · Twitter", "current_spend": 5000.0, "planned_spend": 0.0, "marginal_roas": None},
        {"segment": "Nano · YouTube", "current_spend": 900.0, "planned_spend": 1170.0, "marginal_roas": 1.2},
    ]
    columns = [("segment", "Segment", str), ("marginal_roas", "Marginal planned", str)]
    text = cli.explained_table(rows, columns, dict(cli.PLAN_COLUMNS))
    assert text.splitlines()[-1] == "— = undefined: Marginal planned (cut to ₹0)."
    assert "undefined" not in cli.explained_table(rows[1:], columns, dict(cli.PLAN_COLUMNS))


def test_a_rate_over_a_post_count_in_a_row_without_posts():
    """A ranking row (or a creator's profile) carries posts but not reach: its engagement rate "—"
    says "no posts" where it has none; with posts (reach unknown to the row) it cannot say; a row
    with reach says what the ratio's denominator says."""
    assert catalogue.undefined_cause("engagement_rate_pct", {"engagement_rate_pct": None, "posts": 0}) == "no posts"
    assert catalogue.undefined_cause("engagement_rate_pct", {"engagement_rate_pct": None, "posts": 2}) is None
    row = {"engagement_rate_pct": None, "posts": 0, "reach": 0}
    assert catalogue.undefined_cause("engagement_rate_pct", row) == "no reach"
    assert catalogue.card_note("engagement_rate_pct", {"engagement_rate_pct": None, "posts": 0}) == "No posts"
    assert catalogue.card_note("roas", {"roas": None, "spend": 0.0, "revenue": 10.0}) == NO_COST
