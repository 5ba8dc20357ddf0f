"""The report's first page, the executive summary: its numbers are the dashboard's (metrics API and
the metric catalogue), checked in the context on the traps fixture and in the PDF (pdftotext) of a
generated data set with measured lift, budgets and a plan.

Needs chromium (HKDASH_CHROMIUM, default /usr/bin/chromium) and poppler-utils for the PDF test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import metrics
from metrics import catalogue
from metrics import format as fmt
from metrics.comparison import CARD_CHANGE_KEYS, kpi_comparison
from metrics.pacing import WHOLE_COST
from reports import images
from reports.build import build_context, build_report
from reports.executive import pacing_alerts, performers, recommendation
from reports.plan_section import selection_plan
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


def squash(text: str) -> str:
    """Text with every run of white space (NBSP of ₹16.17 L included) as one space and without the
    word joiner of a negative amount (fmt.NEGATIVE; pdftotext leaves it out)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u2060", ""))


def test_headline_kpis_and_changes_are_the_cards(traps_wh):
    # traps: February 2025 holds ₹8,500 of revenue, 4–31 January ₹11,500 (tests/test_comparison.py).
    filters = metrics.Filters(start="2025-02-01", end="2025-02-28")
    executive = build_context(traps_wh, filters, metrics.DEFAULT_SETTINGS)["executive"]
    k = metrics.kpis(traps_wh, filters)
    compared = kpi_comparison(traps_wh, filters, k)
    boxes = {box["label"]: box for box in executive["headline"]["kpis"]}
    # the overview cards' figures with a change, in their order (refunds only where some: traps has them)
    shown = [key for key in CARD_CHANGE_KEYS if key != "refunds" or k["refunds"]]
    assert list(boxes) == [catalogue.get(key).label for key in shown]
    assert {"incremental_roas", "poor_performers"} <= set(shown)
    revenue = boxes[catalogue.get("revenue").label]
    assert revenue["value"] == "₹8,500" and revenue["change"] == "-26.1%" and revenue["tone"] == "bad"
    for key in shown:
        box = boxes[catalogue.get(key).label]
        assert box["value"] == catalogue.headline_text(key, k[key])
        assert box["change"] == fmt.change(compared["change"][key])
    # the traps start on 6 Jan and end on 15 Feb: 4–31 Jan and February both lack data at an end
    assert "previous period (both periods partial), 4 Jan 2025 – 31 Jan 2025" in executive["headline"]["comparison"]
    # Lift cannot be measured on traps: the assumed baseline is said, not an interval.
    assert "assumed baseline of 2.0%" in executive["incremental"]


def test_all_time_and_a_window_before_the_data_have_no_changes(traps_wh):
    executive = build_context(traps_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)["executive"]
    assert all(box["change"] == "—" and box["tone"] is None for box in executive["headline"]["kpis"])
    assert executive["headline"]["comparison"].startswith("No comparison: the selection covers all dates")
    year = metrics.Filters(start="2025-02-01", end="2025-02-28", compare="year")
    executive = build_context(traps_wh, year, metrics.DEFAULT_SETTINGS)["executive"]
    assert all(box["change"] == "—" for box in executive["headline"]["kpis"])
    assert "No data before 6 Jan 2025" in executive["headline"]["comparison"]


def test_performers_pacing_and_recommendation_rules():
    row = {"name": "Asha", "platform": "Instagram", "roas": 3.0, "revenue": 3000.0, "spend": 1000.0}
    poor = [dict(row, name=f"P{i}", roas=0.5, reason="ROAS 0.50x < 2x") for i in range(5)]
    result = performers([row], poor, 12, metrics.DEFAULT_SETTINGS)
    assert result["top"] == ["Asha (Instagram): ROAS 3.00x, revenue ₹3,000 on spend ₹1,000"]
    assert result["poor_count"].startswith("5 of 12 creators are poor performers (")
    assert result["poor_count"].endswith("the 3 with the largest spend:") and len(result["poor"]) == 3
    assert result["poor"][0].endswith(": ROAS 0.50x < 2x")
    rows = [
        {
            "campaign": "A",
            "status": "over budget",
            "budget": 100.0,
            "budget_used_pct": 176.0,
            "elapsed_pct": 80.0,
            "projected_spend": 220.0,
        },
        {
            "campaign": "B",
            "status": "on pace",
            "budget": 100.0,
            "budget_used_pct": 50.0,
            "elapsed_pct": 50.0,
            "projected_spend": 100.0,
        },
    ] + [{"campaign": f"U{i}", "status": "underspending", "budget": 100.0} for i in range(4)]
    alerts = pacing_alerts(rows)
    assert (
        alerts["alerts"][0]
        == "A: over budget, budget used 176.0% after 80.0% of its time; projected spend ₹220 of ₹100"
    )
    assert len(alerts["alerts"]) == 4 and alerts["more"] == "… and 1 more in the Budget pacing table."
    assert pacing_alerts(rows[1:2]) == {
        "alerts": [],
        "more": None,
        "budgeted": 1,
        "calm": "The one budgeted campaign is on pace.",
        "scope": None,  # no filter pacing leaves out: nothing to say
    }
    # a view filtered by what pacing does not apply says, on page 1 too, that budgets meet whole costs
    assert pacing_alerts(rows[1:2], whole_cost=True)["scope"] == WHOLE_COST
    assert pacing_alerts([], whole_cost=True)["scope"] is None  # no budgeted campaign: no figure to qualify
    plan = {"headline": "Move budget towards X", "verdicts": "Creators' verdicts: 1 to scale."}
    assert recommendation(plan, []) == {"text": "Move budget towards X", "note": "Creators' verdicts: 1 to scale."}
    assert recommendation(None, [{"text": "Drop B: …"}, {"text": "x"}])["text"] == "Drop B: …"
    assert recommendation(None, [])["text"].startswith("No recommendation")
    counts = {"scale": 0, "renew": 0, "review": 0, "drop": 0, "too early": 1}
    assert recommendation(None, [], counts)["text"] == (
        "No recommendation: 1 creator is too early to judge (below the evidence bar of posts and spend)."
    )


@pytest.fixture(scope="module")
def measured_wh(tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("executive-sample")
    generate_sample(root / "src", orders=5_000, seed=11)
    import_dataset(root / "src", root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
@pytest.mark.skipif(not Path(images.chromium_path()).is_file(), reason="chromium not installed")
def test_pdf_first_page_is_the_executive_summary(measured_wh, tmp_path):
    filters = metrics.Filters(period="last-90").resolved(metrics.sale_date_bounds(measured_wh)[1])
    context = build_context(measured_wh, filters, metrics.DEFAULT_SETTINGS)
    path = tmp_path / "report.pdf"
    path.write_bytes(build_report(measured_wh, filters))
    first = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = squash(first)
    assert "Executive summary" in first and "Page 1 of" in first
    k = metrics.kpis(measured_wh, filters)
    compared = kpi_comparison(measured_wh, filters, k)
    for key in CARD_CHANGE_KEYS if k["refunds"] else [key for key in CARD_CHANGE_KEYS if key != "refunds"]:
        assert squash(catalogue.get(key).short(k[key])) in flat, key
        assert fmt.change(compared["change"][key]) in flat, key
    # Measured lift with its interval, the same numbers as the lift section.
    assert k["incrementality_method"] == "event-window"
    interval = squash(
        f"{fmt.inr_compact(k['incremental_revenue_low'])} to {fmt.inr_compact(k['incremental_revenue_high'])}"
    )
    assert (
        squash(f"Measured incremental revenue {fmt.inr_compact(k['incremental_revenue'])}") in flat and interval in flat
    )
    # ... named with its lift window, as page 1 is often read alone (tester F11)
    window = k["incrementality_window_days"]
    assert squash(f"{fmt.inr_compact(k['incremental_revenue'])} ({window}-day windows; 90% interval") in flat
    # Top performer: the first row of the report's "Top 10 influencers by ROAS" table.
    top_table = next(t for t in context["tables"] if t["title"] == "Top 10 influencers by ROAS")
    assert top_table["rows"][0][1] in flat
    # Pacing alerts: the over-budget campaigns of the pacing table; the plan's headline.
    pacing = metrics.campaign_pacing(measured_wh, filters)
    over = pacing[pacing["status"] == "over budget"]["campaign"].tolist()
    assert over and over[0] in flat and "over budget" in flat
    # The plan's headline: a move, or what it holds back where no segment's next rupee returns break-even
    headline = squash(context["plan"]["headline"])
    assert headline in flat
    assert headline.startswith("Hold back" if context["plan"]["held_back"] >= 0.5 else "Move budget towards")
    # Its cuts are named as the Recommendations page names them: three, then how many more (tester F9).
    chosen = selection_plan(measured_wh, filters, metrics.DEFAULT_SETTINGS)
    cuts = (chosen.rows["planned_change"] <= -1).sum()
    assert (f"and {cuts - 3} more" in headline) == (cuts > 3), (cuts, headline)
    # No line of the report breaks inside a negative amount: "-⏎₹4.10 L" reads as a dash (tester F10).
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "-₹" in text and not re.findall(r".{0,30}-\n₹", text)
    # Tables: one short enough for a page sits on one page with its title (no remnant of two rows
    # alone on the next page); the report's pages as text, from the Tables section on.
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    start = next(i for i, p in enumerate(pages) if re.search(r"^\s*Tables\s*$", p, re.M))
    for table in context["tables"]:
        if not table["rows"]:
            continue
        assert len(table["rows"]) <= 26
        here = next(
            i for i in range(start, len(pages)) if re.search(rf"^\s*{re.escape(table['title'])}\s*$", pages[i], re.M)
        )
        words = squash(table["rows"][-1][0]).split()  # a long name wraps inside its cell
        assert all(word in squash(pages[here]) for word in words), (table["title"], here)
    # The whole summary fits on page 1: the cover comes next.
    second = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Filters applied" in second and "Recommendation" not in second.split("Contents")[0]


def test_headline_tags_estimated_and_assumed_figures():
    """As the overview's badges: CAC and new customers on estimated new customers, and incremental
    revenue and ROAS measured or assumed, are tagged on the executive summary too."""
    from reports.executive import headline

    k = {key: 1.0 for key in ("revenue", "spend", "roas", "roi_pct", "orders", "new_customers", "cac")}
    compared = {"change": {}}
    tags = {box["label"]: box["tag"] for box in headline(dict(k, new_customers_estimated=True), compared)["kpis"]}
    assert tags["CAC"] == "estimated" and tags["Revenue"] is None
    assert list(tags.values()).count("estimated") == 2
    assert tags["Incremental revenue"] == tags["Incremental ROAS"] == "assumed"
    measured = headline(dict(k, incrementality_method="event-window"), compared)["kpis"]
    # the cards' order (CARD_CHANGE_KEYS, no refunds here): the two incremental figures after ROI
    assert [box["tag"] for box in measured] == [None] * 5 + ["measured"] * 2 + [None] * 3


def test_the_report_reuses_its_results_without_changing_them(measured_wh):
    """build_context makes one plan (for the plan section and the move-budget item), converts only
    the ranking rows it prints, and reads findings and recommendations from one Evidence: what it
    prints equals each part computed on its own, as the /insights and /plan pages compute it."""
    from reports.plan_section import plan_section

    filters, settings = metrics.Filters(), metrics.DEFAULT_SETTINGS
    context = build_context(measured_wh, filters, settings)
    alone = [{"text": r["text"], "evidence": r["evidence"]} for r in metrics.recommendations(measured_wh, filters)]
    assert context["recommendations"] == alone
    assert any(r["text"].startswith(("Move budget", "Hold back")) for r in alone)
    assert context["findings"] == [f["text"] for f in metrics.key_findings(measured_wh, filters)]
    section = plan_section(measured_wh, filters, settings)
    assert context["plan"]["table"] == section["table"] and context["plan"]["summary"] == section["summary"]
    ranked = metrics.ranking(measured_wh, filters).to_dict("records")
    tables = {t["title"]: t for t in context["tables"]}
    top = [r for r in ranked if fmt.clean(r["roas"]) is not None][:10]
    assert [row[1] for row in tables["Top 10 influencers by ROAS"]["rows"]] == [r["name"] for r in top]
    # The lift table from its first rows and the count equals the table made from every row.
    from metrics.lift import lift_table
    from reports.build import _measured_incremental, _records

    every = _records(lift_table(measured_wh, "influencer", filters, settings))
    assert context["incremental"]["table"] == _measured_incremental(metrics.kpis(measured_wh, filters), every)["table"]
    poor = [r for r in ranked if r["poor_performer"] and r["known"]]
    poor.sort(key=lambda r: (-(fmt.clean(r["spend"]) or 0), str(r["influencer_id"])))
    assert len(poor) > 1
    assert [row[0] for row in tables["Poor performers"]["rows"]] == [r["name"] for r in poor][:25]


def test_a_poor_performer_is_never_listed_as_a_top_performer(tmp_path):
    """Case 15's shape: two creators, one of them flagged poor (ROAS 0.60x < 2x). The top list keeps
    only the other, on the summary page and in the top table; with only poor creators it says so."""
    import pandas as pd

    from reports.build import _top

    ranked = pd.DataFrame(
        {
            "influencer_id": ["A", "B", "C"],
            "name": ["Good", "Poor", "No ROAS"],
            "roas": [3.2, 0.6, None],
            "poor_performer": [False, True, None],
        }
    )
    assert [row["influencer_id"] for row in _top(ranked)] == ["A"]
    assert _top(ranked.iloc[1:]) == []
    import_dataset(Path(__file__).parent / "data" / "cases" / "15-devanagari-emoji-names-pdf", tmp_path / "c15.duckdb")
    wh = Warehouse(tmp_path / "c15.duckdb")
    executive = build_context(wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)["executive"]["performers"]
    flagged = [line.split(" (")[0] for line in executive["poor"]]
    assert flagged and executive["top"]
    assert not any(line.split(" (")[0] in flagged for line in executive["top"]), executive


# --- counts in words: 0, 1 and 2 (singular and plural), too early to judge counted apart ---------


def test_poor_count_sentences_agree_with_their_numbers():
    settings = metrics.DEFAULT_SETTINGS
    rule = catalogue.POOR_PERFORMER.text(settings)
    poor = {"name": "P", "platform": "X", "roas": 0.5, "revenue": 50.0, "spend": 100.0, "verdict": "drop"}
    early = dict(poor, verdict="too early")
    assert performers([], [], 1, settings)["poor_count"] == f"No creator in the selection is a poor performer ({rule})."
    assert performers([], [poor], 1, settings)["poor_count"] == f"1 of 1 creator is a poor performer ({rule}):"
    assert performers([], [poor], 2, settings)["poor_count"] == f"1 of 2 creators is a poor performer ({rule}):"
    assert performers([], [poor, poor], 2, settings)["poor_count"] == f"2 of 2 creators are poor performers ({rule}):"
    bar = "(the evidence bar: 3 posts and ₹10,000)"
    assert performers([], [early], 1, settings)["poor_count"] == (
        f"1 of 1 creator is below the poor-performer bar ({rule}): too early to judge {bar}:"
    )
    assert performers([], [early, early], 2, settings)["poor_count"] == (
        f"2 of 2 creators are below the poor-performer bar ({rule}): all too early to judge {bar}:"
    )
    assert performers([], [poor, early], 3, settings)["poor_count"] == (
        f"2 of 3 creators are below the poor-performer bar ({rule}): 1 poor performer and 1 too early to judge {bar}:"
    )
    five = [poor, poor, early, poor, early]
    assert performers([], five, 5, settings)["poor_count"] == (
        f"5 of 5 creators are below the poor-performer bar ({rule}): 3 poor performers and 2 too early to judge "
        f"{bar}; the 3 with the largest spend:"
    )


def test_other_counts_of_the_summary_in_words():
    assert [pacing_alerts([{"status": "on pace"}] * n)["calm"] for n in (0, 1, 2, 3)] == [
        "No campaign of the selection has a budget.",
        "The one budgeted campaign is on pace.",
        "Both budgeted campaigns are on pace.",
        "All 3 budgeted campaigns are on pace.",
    ]
    one, two = [{"text": "Drop B: …"}], [{"text": "Drop B: …"}, {"text": "Review C: …"}]
    assert recommendation(None, one)["note"] == "The only recommendation; it is in the Recommendations section too."
    assert recommendation(None, two)["note"].startswith("The first of 2 recommendations")
    counts = {"scale": 0, "renew": 0, "review": 0, "drop": 0, "too early": 2}
    assert recommendation(None, [], counts)["text"].startswith("No recommendation: 2 creators are too early to judge")


@pytest.fixture(scope="module")
def too_early_wh(tmp_path_factory) -> Warehouse:
    """tests/fixtures/too_early: six creators, K1–K5 on Instagram all poor performers (ROAS < 2x, or
    no revenue), K4 (1 post, ₹2,500) and K5 (2 posts, ₹14,000) below the evidence bar (3 posts and
    ₹10,000); K6 on YouTube at ROAS 10x with 1 post. Lift is not measured (12 days of sales)."""
    db = tmp_path_factory.mktemp("too-early") / "wh.duckdb"
    import_dataset(Path(__file__).parent / "fixtures" / "too_early", db)
    return Warehouse(db)


INSTAGRAM = metrics.Filters(platform=("Instagram",))


def test_every_creator_poor_and_some_too_early_reads_consistently(too_early_wh):
    settings = metrics.DEFAULT_SETTINGS
    context = build_context(too_early_wh, INSTAGRAM, settings)
    performing, recommended = context["executive"]["performers"], context["executive"]["recommendation"]
    rule = catalogue.POOR_PERFORMER.text(settings)
    # 5 of 5 below the bar, as the KPI box counts them: K1 (ROAS 0.80x), K2 (1.67x), K3 (no revenue)
    # judged; K4 and K5 too early — the same 2 the verdict counts name
    assert performing["poor_count"] == (
        f"5 of 5 creators are below the poor-performer bar ({rule}): 3 poor performers and 2 too early to judge "
        "(the evidence bar: 3 posts and ₹10,000); the 3 with the largest spend:"
    )
    assert recommended["note"].endswith("0 to scale, 0 to renew, 1 to review, 2 to drop, 2 too early to judge.")
    poor_box = next(box for box in context["kpis"] if box["label"] == "Poor performers")
    assert poor_box["value"] == "5 of 5"
    # no top performer, said without calling the too-early ones poor performers
    assert performing["top"] == []
    assert performing["no_top"] == "No creator with spend in this selection clears the poor-performer bar."
    # by spend: K2 ₹18,000, K1 ₹15,000, K5 ₹14,000 (too early: named so, not dropped)
    assert [line.split(" (")[0] for line in performing["poor"]] == ["Kabir Shah", "Kavya Iyer", "Kritika Sen"]
    assert [line.endswith(" — too early to judge") for line in performing["poor"]] == [False, False, True]
    tables = {t["title"]: t for t in context["tables"]}
    poor_table = tables["Poor performers"]
    assert poor_table["columns"][-1] == "Verdict"
    assert [(row[0], row[-1]) for row in poor_table["rows"]] == [
        ("Kabir Shah", "review"),
        ("Kavya Iyer", "drop"),
        ("Kritika Sen", "too early to judge"),
        ("Kiran Das", "drop"),
        ("Kunal Bose", "too early to judge"),
    ]
    finding = next(text for text in context["findings"] if "poor-performer bar" in text)
    assert finding.startswith(f"5 creators are below the poor-performer bar ({rule}): 3 poor performers and 2 too")
    assert "took 100.0% of spend (₹61,500)" in finding  # 18,000 + 15,000 + 14,000 + 12,000 + 2,500


def test_a_top_performer_too_early_to_judge_stays_listed_and_is_named_so(too_early_wh):
    context = build_context(too_early_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    performing = context["executive"]["performers"]
    # K6: ₹30,000 on ₹3,000 (ROAS 10.00x) from 1 post: ranked first, too early to judge
    assert performing["top"] == [
        "Karan Gill (YouTube): ROAS 10.00x, revenue ₹30,000 on spend ₹3,000 — too early to judge"
    ]
    assert performing["poor_count"].startswith("5 of 6 creators are below the poor-performer bar")
    top_table = next(t for t in context["tables"] if t["title"] == "Top 10 influencers by ROAS")
    assert [(row[1], row[-1]) for row in top_table["rows"]] == [("Karan Gill", "too early to judge")]
    assert "too early to judge: below the evidence bar of 3 posts and ₹10,000" in top_table["note"]
