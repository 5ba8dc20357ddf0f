"""Costs per unit at ₹0 spend (cost per order, CAC, CPE, CPM are ₹0.00 by METRICS.md's formulas)
say "No cost recorded (₹0 spend)" wherever they are shown as cards: /payouts, /content, the
creator page and both PDFs (one rule: metrics.catalogue.cost_note)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from dash_helpers import find, text

import cli
import metrics
from callbacks import content, creator, influencers, overview, payouts
from metrics import catalogue
from metrics.creator import creator_view
from metrics.insights import headline_finding
from metrics.planning.verdicts import no_cost_reason, with_verdicts
from reports.build import build_context, build_report
from reports.creator import build_creator_context, build_creator_report
from warehouse import Warehouse, import_dataset

NO_COST = "No cost recorded (₹0 spend)"
NO_POST_COST = "₹0 spend: no post in the selection (fees follow posts)"


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


@pytest.fixture(scope="module")
def lapsed_db(tmp_path_factory, traps_dir):
    """The traps data set plus F6 (TikTok), paid ₹1,000 for one post (P7, 12 Jan 2025, 1,000 reach
    and 100 engagements), with one order of ₹2,000 from new buyer U7 on 14 Jan and one of ₹3,000
    from new buyer U8 on 12 Feb. Its whole fee sits on the post's day, so in February F6 has spend
    ₹0, 1 new customer and no engagements (CAC ₹0.00, CPE "—"), and in the previous period of equal
    length (4–31 Jan) spend ₹1,000, 1 new customer and 100 engagements (CAC ₹1,000, CPE ₹10.00):
    CAC changes by (0 − 1,000) ÷ 1,000 = −100.0 %, CPE's change is undefined."""
    folder = tmp_path_factory.mktemp("lapsed")
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    rows = {
        "influencers.csv": "F6,Farah Khan,TikTok,Fitness,Female,40000\n",
        "payouts.csv": 'F6,post,"₹1,000/post",2,1000,0\n',
        "posts.csv": "P7,F6,TikTok,2025-01-12,MuscleBlaze,1000,80,20,0\n",
        "tracking_data.csv": "T9,PromoCode,MB Jan,F6,U7,MuscleBlaze,Whey,2025-01-14,1,2000\n"
        "T10,PromoCode,MB Jan,F6,U8,MuscleBlaze,Whey,2025-02-12,1,3000\n",
    }
    for name, added in rows.items():
        with open(folder / name, "a", encoding="utf-8") as file:
            file.write(added)
    db = folder / "wh.duckdb"
    import_dataset(folder, db)
    return db


FEBRUARY = metrics.Filters(platform=("TikTok",), start="2025-02-01", end="2025-02-28")


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


def test_the_lapsed_creator_is_unpaid_in_february_and_paid_in_january(lapsed_db):
    wh = Warehouse(lapsed_db)
    february = metrics.kpis(wh, FEBRUARY)
    january = metrics.kpis(wh, metrics.Filters(platform=("TikTok",), start="2025-01-04", end="2025-01-31"))
    assert (february["spend"], february["new_customers"], february["cac"], february["cpe"]) == (0.0, 1.0, 0.0, None)
    assert (january["spend"], january["new_customers"], january["cac"], january["cpe"]) == (1000.0, 1.0, 1000.0, 10.0)


def test_a_selection_without_posts_or_spend_carries_the_cost_of_its_other_dates(lapsed_db):
    """February on TikTok has no post and ₹0 spend; over all dates TikTok's spend is F6's one fee,
    ₹1,000 (its only creator): that is its recorded_cost. January (spend ₹1,000) and the unfiltered
    data set carry none (no query)."""
    wh = Warehouse(lapsed_db)
    february = metrics.kpis(wh, FEBRUARY)
    assert (february["posts"], february["spend"], february["recorded_cost"]) == (0, 0.0, 1000.0)
    january = metrics.kpis(wh, metrics.Filters(platform=("TikTok",), start="2025-01-04", end="2025-01-31"))
    assert january["recorded_cost"] is None
    assert metrics.kpis(wh, metrics.Filters(platform=("TikTok",)))["recorded_cost"] is None


def test_executive_cac_box_says_no_post_below_its_change(lapsed_db):
    """The executive summary's CAC box gets the note its overview card has, beside its change: the
    creator page's NO_POST_COST (TikTok's ₹1,000 fee follows its January post), not NO_COST."""
    executive = build_context(Warehouse(lapsed_db), FEBRUARY, metrics.DEFAULT_SETTINGS)["executive"]
    boxes = {box["label"]: box for box in executive["headline"]["kpis"]}
    assert (boxes["CAC"]["value"], boxes["CAC"]["change"], boxes["CAC"]["note"]) == ("₹0.00", "-100.0%", NO_POST_COST)
    assert boxes["CAC"]["tone"] == "good"  # CAC down is good, as the card colours it
    # ROAS and ROI are "—" at ₹0 spend and say why with the same words (h9: every "—" says why)
    assert {label: box["note"] for label, box in boxes.items() if box["note"]} == dict.fromkeys(
        ["ROAS", "ROI", "CAC"], NO_POST_COST
    )


def test_executive_cac_box_of_a_paid_selection_has_no_note(lapsed_db):
    january = metrics.Filters(platform=("TikTok",), start="2025-01-04", end="2025-01-31")
    executive = build_context(Warehouse(lapsed_db), january, metrics.DEFAULT_SETTINGS)["executive"]
    assert all(box["note"] is None for box in executive["headline"]["kpis"])


def test_creator_pdf_boxes_keep_their_change_line_beside_the_note(lapsed_db):
    """As the creator page's cards: CAC ₹0.00 shows −100.0 % against January and the ₹0-spend note
    (F6 has no post in February and its ₹1,000 fee follows its January post: NO_POST_COST, not the
    payouts file's NO_COST); CPE "—" its own "—" change and "No engagements"; revenue (₹3,000
    against ₹2,000: +50.0 %) no note. The traps' data begin on 6 Jan and end on 15 Feb, so the
    comparison period (4–31 Jan) and February are both partial, as the cards say."""
    boxes = {
        b["label"]: b
        for b in build_creator_context(Warehouse(lapsed_db), "F6", FEBRUARY, metrics.DEFAULT_SETTINGS)["kpis"]
    }
    assert (boxes["CAC"]["value"], boxes["CAC"]["change"], boxes["CAC"]["note"]) == (
        "₹0.00",
        "-100.0% vs previous period (both periods partial)",
        NO_POST_COST,
    )
    assert (boxes["CPE"]["value"], boxes["CPE"]["change"], boxes["CPE"]["note"]) == (
        "—",
        "— vs previous period (both periods partial)",  # undefined by CPE "—" now, not by the data's start (6 Jan)
        "No engagements",
    )
    assert (boxes["Revenue"]["change"], boxes["Revenue"]["tone"], boxes["Revenue"]["note"]) == (
        "+50.0% vs previous period (both periods partial)",
        "good",
        None,
    )


def test_creator_page_cards_show_the_same_lines(lapsed_db, monkeypatch):
    """The PDF boxes' lines are the creator page cards' lines: change (with "(partial)") and note."""
    monkeypatch.setenv("HKDASH_DB", str(lapsed_db))
    cards = creator.creator_page("/influencers/F6", "?platform=TikTok&start=2025-02-01&end=2025-02-28")[3]
    boxes = build_creator_context(Warehouse(lapsed_db), "F6", FEBRUARY, metrics.DEFAULT_SETTINGS)["kpis"]
    for key, box in zip(("revenue", "spend", "roas", "roi_pct", "orders", "cac", "engagement_rate_pct", "cpe"), boxes):
        change = find(cards, f"kpi-creator-{key}").children.children[2]
        assert text(change.children[:2]).replace("  ", " ") == box["change"], key
        assert (box["note"] or "") in text(find(cards, f"kpi-creator-{key}"))


def test_cli_summary_says_no_cost_beside_the_figures(on_unpaid, capsys):
    """hkdash summary's text rows of cost per order and CAC carry the cards' note (Twitter: ₹0 spend
    over 1 order and 1 new customer); a paid selection's rows are the figures alone."""
    assert cli.main(["--db", str(on_unpaid), "summary", "--platform", "Twitter"]) == 0
    rows = {line.split("  ")[0]: line.split("  ")[-1].strip() for line in capsys.readouterr().out.splitlines()}
    assert rows["Cost per order"] == rows["CAC"] == f"₹0.00 · {NO_COST}"
    assert cli.main(["--db", str(on_unpaid), "summary", "--platform", "Instagram"]) == 0
    rows = {line.split("  ")[0]: line.split("  ")[-1].strip() for line in capsys.readouterr().out.splitlines()}
    assert rows["CAC"] == "₹2,850.00"  # ₹8,550 ÷ 3 new customers (U1, U2, U4)


def test_overview_and_cli_say_no_post_for_a_range_without_posts(lapsed_db, monkeypatch, capsys):
    """February on TikTok (no post, ₹0 spend, ₹1,000 recorded over all dates): the overview's CAC
    and Orders cards and hkdash summary's cost rows say what the creator page says (NO_POST_COST),
    never NO_COST's payouts-file reading; CAC ₹0 ÷ 1 new customer, cost per order ₹0 ÷ 1 order."""
    monkeypatch.setenv("HKDASH_DB", str(lapsed_db))
    cards = overview.overview_kpis("?platform=TikTok&start=2025-02-01&end=2025-02-28", "/")[0]
    assert NO_POST_COST in text(find(cards, "kpi-cac"))
    assert f"Cost per order ₹0.00 · {NO_POST_COST}" in text(find(cards, "kpi-orders"))
    assert NO_COST not in text(cards)
    args = ["--db", str(lapsed_db), "summary", "--platform", "TikTok", "--start", "2025-02-01", "--end", "2025-02-28"]
    assert cli.main(args) == 0
    rows = {line.split("  ")[0]: line.split("  ")[-1].strip() for line in capsys.readouterr().out.splitlines()}
    assert rows["Cost per order"] == rows["CAC"] == f"₹0.00 · {NO_POST_COST}"
    assert cli.main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == {"cost_per_order": NO_POST_COST, "cac": NO_POST_COST}


def test_overview_orders_card_says_no_cost_beside_its_cost_per_order(on_unpaid):
    cards = overview.overview_kpis(TWITTER, "/")[0]
    assert f"Cost per order ₹0.00 · {NO_COST}" in text(find(cards, "kpi-orders"))
    assert NO_COST in text(find(cards, "kpi-cac"))
    paid = overview.overview_kpis("?platform=Instagram", "/")[0]
    assert NO_COST not in text(paid)


def test_ranking_detail_panel_says_no_cost_beside_the_figures(on_unpaid):
    """D4 (₹0 payout; 1 order, 1 new customer, 110 engagements): cost per order, CAC and CPE ₹0.00 with
    the note under each; A1 (paid) without it."""
    wh = Warehouse(on_unpaid)
    body = influencers.detail_body(metrics.influencer_detail(wh, "D4"), metrics.DEFAULT_SETTINGS)
    stats = {pair.children[0].children: pair.children[1].children for pair in body[2].children}
    for label in ("Cost per order", "CAC", "CPE"):
        assert stats[label][0] == "₹0.00" and stats[label][1].children == NO_COST, label
    assert text(body).count(NO_COST) == 3
    paid = text(influencers.detail_body(metrics.influencer_detail(wh, "A1"), metrics.DEFAULT_SETTINGS))
    assert NO_COST not in paid


def test_headline_finding_says_no_cost_beside_cac(on_unpaid):
    wh = Warehouse(on_unpaid)
    finding = headline_finding(metrics.kpis(wh, metrics.Filters(platform=("Twitter",))))
    assert finding["text"] == (
        f"₹2,500 attributed revenue from ₹0 spend across 1 creator: ROAS —, ROI —, CAC ₹0 · {NO_COST}."
    )
    assert NO_COST not in headline_finding(metrics.kpis(wh, metrics.Filters(platform=("Instagram",))))["text"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_pdfs_print_change_and_note(lapsed_db, tmp_path):
    """The templates print both lines: the executive summary's CAC box (page 1) and the creator PDF's
    CAC box, each "-100.0%" then the note, in pdftotext's reading order; the creator PDF's verdict
    says why F6 has no cost in February (no post), never to check the payouts file."""
    wh = Warehouse(lapsed_db)
    report, creator_pdf = tmp_path / "report.pdf", tmp_path / "creator.pdf"
    report.write_bytes(build_report(wh, FEBRUARY, metrics.DEFAULT_SETTINGS))
    creator_pdf.write_bytes(build_creator_report(wh, "F6", FEBRUARY))

    def page_text(pdf, page):  # white space as single spaces: a box's line wraps where it is narrow
        return " ".join(
            subprocess.run(
                ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        )

    first = page_text(report, 1)
    cac = first[first.index("CAC") :]  # spend's box before it changes by -100.0% too
    assert cac.index("₹0.00") < cac.index("-100.0%") < cac.index(NO_POST_COST) < cac.index("Changes against")
    summary = page_text(creator_pdf, 2)
    cac = summary[summary.index("CAC") :]
    assert cac.index("₹0.00") < cac.index("-100.0% vs previous period (both periods partial)") < cac.index(NO_POST_COST)
    assert "No engagements" in summary and "No posts" in summary  # CPE's and the engagement rate's "—"
    assert "no post in the selection: its fees follow its posts, so none of its ₹1,000 cost falls here" in summary
    assert "payouts file" not in summary


@pytest.fixture(scope="module")
def no_buyer_ids_db(tmp_path_factory, traps_dir):
    """The traps data set with tracking_data's user_id column left out: new customers are estimated
    from orders (new_customer_share of them), and CAC on them is labelled estimated."""
    folder = tmp_path_factory.mktemp("no-buyer-ids")
    for path in traps_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    lines = (traps_dir / "tracking_data.csv").read_text(encoding="utf-8").splitlines()
    (folder / "tracking_data.csv").write_text(
        "\n".join(",".join(v for i, v in enumerate(line.split(",")) if i != 4) for line in lines) + "\n",
        encoding="utf-8",
    )
    db = folder / "wh.duckdb"
    import_dataset(folder, db)
    return db


def test_creator_pdf_tags_an_estimated_cac_as_its_card_does(no_buyer_ids_db, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(no_buyer_ids_db))
    cards = creator.creator_page("/influencers/A1", "")[3]
    assert "estimated" in text(find(cards, "kpi-creator-cac"))
    boxes = build_creator_context(Warehouse(no_buyer_ids_db), "A1", metrics.Filters(), metrics.DEFAULT_SETTINGS)
    tags = {box["label"]: box.get("tag") for box in boxes["kpis"]}
    assert tags["CAC"] == "estimated" and [label for label, tag in tags.items() if tag] == ["CAC"]


def test_an_undefined_change_at_zero_spend_is_not_blamed_on_the_data_start(lapsed_db, monkeypatch):
    """February on TikTok: ROAS is "—" (₹0 spend), so its change against January is undefined; the
    comparison period (4–31 Jan) is partial (data from 6 Jan) but January has data, so the card says
    why the change is undefined ("— undefined in the selection (₹0 spend)", the CLI's words), not
    "no data before 6 Jan 2025" (kept for a period wholly before the data: tests/test_comparison.py)."""
    monkeypatch.setenv("HKDASH_DB", str(lapsed_db))
    cards = overview.overview_kpis("?platform=TikTok&start=2025-02-01&end=2025-02-28", "/")[0]
    for stem in ("roas", "roi"):
        change = find(cards, f"kpi-{stem}").children.children[2]  # the change line: value, words, tip
        assert text(change.children[:2]).replace("  ", " ") == "— undefined in the selection (₹0 spend)", stem
    assert "no data before" not in text(cards)


def test_cli_summary_json_names_the_notes_by_metric(on_unpaid, capsys):
    """summary --json: `notes` holds the text rows' notes keyed by metric (Twitter: ₹0 spend over 1
    order and 1 new customer, so cost per order and CAC are 0.0 with NO_COST); none when paid."""
    assert cli.main(["--db", str(on_unpaid), "summary", "--platform", "Twitter", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["cost_per_order"], document["cac"]) == (0.0, 0.0)
    assert document["notes"] == {"cost_per_order": NO_COST, "cac": NO_COST}
    assert cli.main(["--db", str(on_unpaid), "summary", "--platform", "Instagram", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"] == {}


def test_cli_summary_json_notes_its_comparison_window_apart(lapsed_db, capsys):
    """F6 in February: spend ₹0, 1 order, 1 new customer (notes); in 4–31 January ₹1,000 over 1
    order and 1 new customer (CAC ₹1,000, no note)."""
    args = ["--db", str(lapsed_db), "summary", "--platform", "TikTok", "--start", "2025-02-01"]
    assert cli.main(args + ["--end", "2025-02-28", "--compare", "previous", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    # F6's fee follows its January post
    assert document["notes"] == {"cost_per_order": NO_POST_COST, "cac": NO_POST_COST}
    assert document["comparison"]["cac"] == 1000.0 and document["comparison"]["notes"] == {}


def test_cli_summary_json_notes_each_rows_cost(on_unpaid, capsys):
    """Each row of by_platform and influencers_ranked has its own `notes`: D4 (Twitter) ₹0 spend
    over 1 new customer (CAC 0.0, NO_COST); E5 (Facebook) ₹3,000 and no new customer (CAC null,
    "No new customers"); A1 ₹3,200 over 2 new customers (CAC ₹1,600, no note)."""
    assert cli.main(["--db", str(on_unpaid), "summary", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    ranked = {row["influencer_id"]: row for row in document["influencers_ranked"]}
    assert (ranked["D4"]["cac"], ranked["D4"]["notes"]) == (0.0, {"cac": NO_COST})
    assert (ranked["E5"]["cac"], ranked["E5"]["notes"]) == (None, {"cac": "No new customers"})
    assert (ranked["A1"]["cac"], ranked["A1"]["notes"]) == (1600.0, {})
    platforms = {row["platform"]: row["notes"] for row in document["by_platform"]}
    assert platforms["Twitter"] == {"cac": NO_COST} and platforms["Facebook"] == {"cac": "No new customers"}
    assert platforms["Instagram"] == {}


def test_a_creator_without_a_post_in_the_range_is_not_sent_to_the_payouts_file(lapsed_db, monkeypatch):
    """F6 in February: ₹3,000 revenue, no post, ₹0 spend, while its data set records ₹1,000 of fees
    (one ₹1,000 post on 12 Jan). The verdict says the selection holds no post and none of the ₹1,000
    falls in it, not "check the payouts file"; ROAS and ROI "—" say why (₹0 spend of no post), the
    engagement rate "—" that there are no posts; the page, its PDF and the ranking read the same."""
    monkeypatch.setenv("HKDASH_DB", str(lapsed_db))
    wh = Warehouse(lapsed_db)
    view = creator_view(wh, "F6", FEBRUARY, metrics.DEFAULT_SETTINGS)
    profile = view["profile"]
    reason = "no post in the selection: its fees follow its posts, so none of its ₹1,000 cost falls here"
    assert (profile["posts"], profile["spend"], profile["revenue"], profile["recorded_cost"]) == (
        0,
        0.0,
        3000.0,
        1000.0,
    )
    assert (profile["verdict"], profile["verdict_reason"]) == ("too early", f"{reason} (the bar: 3 posts and ₹10,000)")
    ranked = with_verdicts(wh, metrics.ranking(wh, FEBRUARY), FEBRUARY)
    assert ranked.set_index("influencer_id").loc["F6", "verdict_reason"] == profile["verdict_reason"]
    notes = {key: catalogue.card_note(key, profile) for key in ("roas", "roi_pct", "engagement_rate_pct", "cac")}
    assert notes == {
        "roas": NO_POST_COST,
        "roi_pct": NO_POST_COST,
        "engagement_rate_pct": "No posts",
        "cac": NO_POST_COST,
    }
    cards = creator.creator_page("/influencers/F6", "?platform=TikTok&start=2025-02-01&end=2025-02-28")
    for key, note in notes.items():
        assert note in text(find(cards[3], f"kpi-creator-{key}")), key
    assert profile["verdict_reason"] in text(cards[4])
    assert "payouts file" not in text(cards[3]) + text(cards[4])
    pdf = build_creator_context(wh, "F6", FEBRUARY, metrics.DEFAULT_SETTINGS)
    assert {row["label"]: row["value"] for row in pdf["verdict"]}["Why"] == profile["verdict_reason"]
    assert {b["label"]: b["note"] for b in pdf["kpis"]}["Engagement rate"] == "No posts"


def test_a_creator_with_no_cost_at_all_is_still_sent_to_the_payouts_file(on_unpaid):
    """D4 (₹0 payout row, so no cost anywhere in the data set; 1 post, ₹2,500 revenue): its ₹0 spend
    is a payout missing, as before: NO_COST under CAC and "check the payouts file" in the verdict."""
    wh = Warehouse(on_unpaid)
    profile = creator_view(wh, "D4")["profile"]
    assert profile["verdict_reason"] == (
        "no cost recorded for 1 post and ₹2,500 revenue: check the payouts file (the bar: 3 posts and ₹10,000)"
    )
    assert catalogue.card_note("cac", profile) == NO_COST


def test_no_cost_reason_of_sales_without_posts_or_recorded_cost():
    """Revenue without a post on a creator whose data set records no cost: the payouts file is where
    to look (no fee follows any post); with a recorded cost, the selection holds no post."""
    settings = metrics.DEFAULT_SETTINGS
    assert no_cost_reason(0, 1234.0, settings) == (
        "no cost recorded for ₹1,234 revenue: check the payouts file (the bar: 3 posts and ₹10,000)"
    )
    assert no_cost_reason(0, 1234.0, settings, 5000.0) == (
        "no post in the selection: its fees follow its posts, so none of its ₹5,000 cost falls here "
        "(the bar: 3 posts and ₹10,000)"
    )
    assert no_cost_reason(2, 1234.0, settings, 5000.0).startswith("no cost recorded for 2 posts and ₹1,234 revenue")


FEBRUARY_SEARCH = "?start=2025-02-01&end=2025-02-28"


def test_each_platform_row_says_no_post_as_the_selection_does(lapsed_db, capsys):
    """February, every platform: TikTok's row is F6's (spend ₹0, no post, 1 new customer: CAC 0.0),
    and TikTok's spend over all dates is F6's ₹1,000 fee: its row and F6's say NO_POST_COST as the
    TikTok selection's own notes do, never NO_COST; the text summary's platform table says it under
    the table (the ₹0.00 cell has no room for it)."""
    args = ["--db", str(lapsed_db), "summary", "--start", "2025-02-01", "--end", "2025-02-28"]
    assert cli.main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    tiktok = next(row for row in document["by_platform"] if row["platform"] == "TikTok")
    assert (tiktok["spend"], tiktok["cac"], tiktok["notes"]) == (0.0, 0.0, {"cac": NO_POST_COST})
    assert "posts" not in tiktok and "recorded_cost" not in tiktok  # the JSON keeps its keys
    f6 = next(row for row in document["influencers_ranked"] if row["influencer_id"] == "F6")
    assert (f6["cac"], f6["notes"]) == (0.0, {"cac": NO_POST_COST})
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    # the Unknown platform's ₹500 of sales by no listed creator has no cost anywhere: NO_COST
    assert f"CAC ₹0.00: {NO_POST_COST} or no cost recorded (₹0 spend)." in out


def test_platforms_page_says_why_a_platform_cac_is_zero(lapsed_db, monkeypatch):
    """/platforms in February: TikTok's CAC cell carries NO_POST_COST as its tooltip and the CAC
    chart's note names TikTok with it (its ₹0 bar is no cheapest acquisition); the ranking's F6 cell
    says the same (its row carries posts 0 and recorded_cost ₹1,000)."""
    from callbacks import platforms

    monkeypatch.setenv("HKDASH_DB", str(lapsed_db))
    _, _, note, _, rows, *_ = platforms.platform_overview(FEBRUARY_SEARCH, "/platforms")
    tiktok = next(row for row in rows if row["platform"] == "TikTok")
    assert (tiktok["cac"], tiktok["hk_why"]["cac"]) == (0.0, NO_POST_COST)
    assert f"TikTok: CAC ₹0.00 · {NO_POST_COST}." in note
    ranked = {row["influencer_id"]: row for row in influencers.influencer_ranking(FEBRUARY_SEARCH, "all", "/")[0]}
    assert ranked["F6"]["hk_why"]["cac"] == NO_POST_COST


def test_a_platform_without_any_cost_says_no_cost_on_the_page_and_in_the_pdf(on_unpaid):
    """Twitter is D4's alone (₹0 payout row, 1 post, 1 new customer): CAC ₹0.00 with NO_COST in the
    CAC chart's note, its grid cell and under the PDF's Platforms table; Instagram (₹8,550 over 3
    new customers, ₹2,850.00) gets none."""
    from callbacks import platforms

    _, _, note, _, rows, *_ = platforms.platform_overview("", "/platforms")
    by_platform = {row["platform"]: row for row in rows}
    assert by_platform["Twitter"]["hk_why"]["cac"] == NO_COST and "cac" not in by_platform["Instagram"].get(
        "hk_why", {}
    )
    assert f"Twitter: CAC ₹0.00 · {NO_COST}." in note and "Instagram" not in note
    context = build_context(Warehouse(on_unpaid), metrics.Filters(), metrics.DEFAULT_SETTINGS)
    table = next(t for t in context["tables"] if t["title"] == "Platforms")
    twitter = next(row for row in table["rows"] if row[0] == "Twitter")
    assert twitter[table["columns"].index("CAC")] == "₹0.00"
    assert f"CAC ₹0.00: {NO_COST}." in table["footnote"]
