"""The report of a selection, end to end: metrics → PDF, the CLI, the Dash callback.

The browser download is in tests/browser/test_report_download.py.

Needs chromium (HKDASH_CHROMIUM, default /usr/bin/chromium) and poppler-utils.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import metrics
from metrics import format as fmt
from reports import images
from reports.build import build_context, build_report
from warehouse import Warehouse, import_dataset

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '<link rel=attachment href="file:///etc/passwd">'

pytestmark = [
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed"),
    pytest.mark.skipif(not Path(images.chromium_path()).is_file(), reason="chromium not installed"),
]


def squash(text: str) -> str:
    return re.sub(r"[\s\u2060]+", "", text)  # no white space nor the joiner of a negative amount


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    path = tmp_path / f"r{abs(hash(pdf)) % 10**9}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")


def section(pages: list[str], start: str, end: str) -> str:
    """Text from the heading `start` up to (not including) the heading `end` after it: a section may
    begin on the page where the one before ends (report.css)."""
    whole = "\f".join(pages)
    begin = re.search(rf"^\s*{re.escape(start)}\s*$", whole, re.M).start()
    return whole[begin : re.compile(rf"^\s*{re.escape(end)}\s*$", re.M).search(whole, begin + 1).start()]


def text_of(node) -> str:
    """The text a Dash component tree shows."""
    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return " ".join(filter(None, (text_of(n) for n in node)))
    if hasattr(node, "children"):
        return text_of(node.children)
    return str(node)


def headline_values(k: dict) -> list[str]:
    return [
        fmt.inr_compact(k["revenue"]),
        fmt.inr_compact(k["spend"]),
        fmt.ratio(k["roas"]),
        fmt.pct(k["roi_pct"]),
        fmt.count(k["orders"]),
        fmt.inr(k["cac"], 2),
        fmt.inr_compact(k["incremental_revenue"]),
        fmt.ratio(k["incremental_roas"]),
        fmt.inr(k["revenue"]),
    ]


@pytest.fixture(scope="module")
def hostile_wh(tmp_path_factory, traps_dir) -> Warehouse:
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(traps_dir, folder)
    path = folder / "influencers.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Asha Rao", HOSTILE.replace('"', '""').join('""')), encoding="utf-8"
    )
    db = folder.parent / "warehouse.duckdb"
    import_dataset(folder, db, name=HOSTILE)
    return Warehouse(db)


# --- the PDF of a fixture and of a filtered fixture ------------------------------------------


def test_seed1_report_holds_the_overview_kpis(seed1_wh, tmp_path):
    settings = metrics.DEFAULT_SETTINGS
    timings = {}
    pdf = build_report(seed1_wh, metrics.Filters(), settings, timings=timings)
    pages = pdf_pages(pdf, tmp_path)
    flat = squash("\n".join(pages))
    # The published figures of seed1 (tests/data/datasets/README.md), pooled.
    for expected in ("₹17.88 Cr", "₹17,87,98,153", "11.21x", "1,07,154", "20 influencers", "estimated"):
        assert squash(expected) in flat, expected
    k = metrics.kpis(seed1_wh, metrics.Filters(), settings)
    summary = squash(section(pages, "Executive summary", "Charts"))
    for value in headline_values(k):
        assert squash(value) in summary, value
    assert (
        "Assumption: 2.0% of attributed revenue" in "\n".join(pages).replace("\n", " ")
        or squash("Assumption: 2.0% of attributed revenue") in flat
    )
    # Cover: data set name and freshness, no filters, generation time; page numbers everywhere.
    cover = pages[0]
    assert "seed1" in cover and "imported" in cover and "None (all data)" in cover and "Generated" in cover
    total = len([p for p in pages if p.strip()])
    assert f"Page {total} of {total}" in flat.replace("Page", " Page ") or squash(f"Page {total} of {total}") in flat
    for heading in (
        "Key findings",
        "Charts",
        "Tables",
        "Recommendations",
        "Appendix: methodology",
        "Top 10 influencers by ROAS",
        "Poor performers",
        "Platforms",
        "Categories",
        "Campaigns",
        "Payouts by basis",
        "Settings used",
    ):
        assert squash(heading) in flat, heading
    # Findings: 3 to 5, each with a number.
    findings = section(pages, "Executive summary", "Charts").split("Key findings")[1]
    items = re.findall(r"^\s*(\d)\.\s", findings, re.M)
    assert 3 <= len(items) <= 5, findings
    assert timings["charts"] > 0 and timings["pdf"] > 0
    assert_charts_drawn(pdf, pages, tmp_path)


def assert_charts_drawn(pdf: bytes, pages: list[str], tmp_path: Path) -> None:
    """Every page of the Charts section, as an image, has real chart ink in its figures."""
    from PIL import Image

    path = tmp_path / "charts.pdf"
    path.write_bytes(pdf)
    first = next(i for i, p in enumerate(pages) if re.search(r"^\s*Charts\s*$", p, re.M)) + 1
    last = next(i for i, p in enumerate(pages) if re.search(r"^\s*Tables\s*$", p, re.M))
    assert last >= first
    for number in range(first, last + 1):
        prefix = tmp_path / f"page{number}"
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", "-f", str(number), "-l", str(number), str(path), str(prefix)], check=True
        )
        image = Image.open(next(tmp_path.glob(f"page{number}*.png"))).convert("RGB")
        raw = image.tobytes()
        coloured = sum(
            1 for i in range(0, len(raw), 3) if max(raw[i : i + 3]) - min(raw[i : i + 3]) > 60
        )  # saturated: bars, lines, cells
        assert coloured > 0.02 * image.width * image.height, (number, coloured)


def test_filtered_report_holds_the_filtered_kpis(seed1_wh, tmp_path):
    settings = metrics.DEFAULT_SETTINGS
    filters = metrics.Filters(platform=["Instagram"])
    pdf = build_report(seed1_wh, filters, settings)
    pages = pdf_pages(pdf, tmp_path)
    k = metrics.kpis(seed1_wh, filters, settings)
    whole = metrics.kpis(seed1_wh, metrics.Filters(), settings)
    assert k["revenue"] < whole["revenue"]
    summary = squash(section(pages, "Executive summary", "Charts"))
    for value in headline_values(k):
        assert squash(value) in summary, value
    assert squash(fmt.inr_compact(whole["revenue"])) not in summary
    assert re.search(r"Platform:\s+Instagram", pages[0])
    charts = section(pages, "Charts", "Tables")
    assert "Instagram" in charts and "YouTube" not in charts and "Facebook" not in charts


def test_date_filtered_report_says_so_on_the_cover(tmp_path, traps_wh):
    filters = metrics.Filters(start="2025-01-01", end="2025-01-31")
    context = build_context(traps_wh, filters, metrics.DEFAULT_SETTINGS)
    assert context["period"] == "1 Jan 2025 – 31 Jan 2025"
    assert {"label": "Dates", "value": "1 Jan 2025 to 31 Jan 2025"} in context["filters"]
    pages = pdf_pages(build_report(traps_wh, filters), tmp_path)
    assert "1 Jan 2025 – 31 Jan 2025" in pages[0]


def test_empty_selection_still_gives_a_report(tmp_path, traps_wh):
    filters = metrics.Filters(platform=["NoSuchPlatform"])
    pages = pdf_pages(build_report(traps_wh, filters), tmp_path)
    text = "\n".join(pages)
    assert "nothing to report for these filters" in text
    assert "No data for these filters" in text  # the charts say so too


def test_context_is_plain_text_and_complete(traps_wh):
    context = build_context(traps_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    assert len(context["charts"]) == 6 and all(c["figure"] is not None for c in context["charts"])
    assert [t["title"] for t in context["tables"]] == [
        "Top 10 influencers by ROAS",
        "Poor performers",
        "Platforms",
        "Categories",
        "Campaigns",
        "Payouts by basis",
        "Budget pacing",  # the traps' campaigns file has budgets
    ]
    assert 3 <= len(context["findings"]) <= 5
    # every traps creator is below the evidence bar (tester F3): no recommendation, and the summary says why
    assert context["recommendations"] == []
    said = context["executive"]["recommendation"]
    assert said["text"].startswith("No recommendation: 5 creators are too early to judge")
    assert said["note"] == "Creators' verdicts: 0 to scale, 0 to renew, 0 to review, 0 to drop, 5 too early to judge."
    lenient = build_context(traps_wh, metrics.Filters(), metrics.Settings(verdict_min_posts=1, verdict_min_spend=0))
    assert lenient["recommendations"] and all(r["evidence"] for r in lenient["recommendations"])
    for table in context["tables"]:
        for row in table["rows"]:
            assert all(isinstance(cell, str) for cell in row)
            assert not any(cell in ("nan", "None", "inf") for cell in row), row
    names = {f["formula"] for f in context["methodology"]["formulas"]}
    assert "revenue ÷ spend" in names and "spend ÷ new customers" in names


# --- hostile text ------------------------------------------------------------------------------


def test_the_heatmap_caption_tells_no_spend_from_nothing_there(traps_wh):
    """The PDF's category × platform caption says what "—" and a blank cell are, as the page does."""
    from components.figures import HEATMAP_EMPTY_CELLS

    charts = build_context(traps_wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)["charts"]
    (heatmap,) = [chart for chart in charts if chart["title"] == "Category × platform (ROAS)"]
    assert HEATMAP_EMPTY_CELLS in heatmap["caption"] and "= no spend;" not in heatmap["caption"]


def test_the_time_chart_marks_partial_periods_as_the_overview_does(traps_wh):
    """Tester (session 18): /overview hatches a period the data or the dates cover only in part; the
    PDF's chart did not, and said nothing. 25 Dec 2024 – 12 Feb 2025 is 49 days: weeks. The traps' first
    sale is Mon 6 Jan, so the week of 30 Dec (a payout on Sun 5 Jan) starts before the data; the week of
    10 Feb ends after the range's end: those two are hatched, and the caption says what hatching means
    in the page's words. All the data by day (6 Jan – 15 Feb, the first sale on: whole days): none."""
    import datetime as dt

    from callbacks.overview import undated_note
    from components.figures import partial_note
    from metrics.cohorts import time_series

    filters = metrics.Filters(start=dt.date(2024, 12, 25), end=dt.date(2025, 2, 12))
    charts = build_context(traps_wh, filters, metrics.DEFAULT_SETTINGS)["charts"]
    (chart,) = [c for c in charts if c["title"] == "Revenue vs spend over time"]
    revenue, spend = chart["figure"]["data"][:2]
    assert revenue["x"][0] == "2024-12-30" and len(revenue["x"]) == 7
    hatched = ["/", "", "", "", "", "", "/"]
    assert list(revenue["marker"]["pattern"]["shape"]) == hatched == list(spend["marker"]["pattern"]["shape"])
    said = "Hatched: partial period (the data or the selected dates cover only part of it)."
    assert chart["caption"].endswith(" " + said)
    page_ts = time_series(traps_wh, filters, metrics.DEFAULT_SETTINGS, grain="week", basis="sale")
    assert partial_note(page_ts) == said and said in undated_note(page_ts)

    whole_days = metrics.Filters(start=dt.date(2025, 1, 6), end=dt.date(2025, 2, 15))
    charts = build_context(traps_wh, whole_days, metrics.DEFAULT_SETTINGS)["charts"]
    (chart,) = [c for c in charts if c["title"] == "Revenue vs spend over time"]
    assert set(chart["figure"]["data"][0]["marker"]["pattern"]["shape"]) == {""} and "Hatched" not in chart["caption"]


def test_hostile_influencer_and_dataset_names_print_literally(hostile_wh, tmp_path):
    pdf = build_report(hostile_wh, metrics.Filters())
    pages = pdf_pages(pdf, tmp_path)
    flat = squash("\n".join(pages))
    assert squash(HOSTILE) in squash(pages[0])  # the data set name on the cover
    assert flat.count(squash(HOSTILE)) >= 3  # cover, tables, charts
    assert squash("<script>alert(1)</script> & Bros") in flat
    path = tmp_path / "hostile.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert listing.strip().startswith("0 embedded files"), listing
    assert b"/EmbeddedFile" not in pdf and b"/Filespec" not in pdf and b"root:x:0:0" not in pdf


# --- two reports at once -------------------------------------------------------------------------


def test_two_reports_at_the_same_time_keep_their_own_numbers_and_charts(seed1_wh, tmp_path):
    selections = {
        "Instagram": metrics.Filters(platform=["Instagram"]),
        "YouTube": metrics.Filters(platform=["YouTube"]),
    }
    results, errors = {}, []
    barrier = threading.Barrier(len(selections))

    def run(name, filters):
        try:
            barrier.wait()
            results[name] = build_report(Warehouse(seed1_wh.path), filters)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=run, args=item) for item in selections.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not errors, errors
    for name, other in (("Instagram", "YouTube"), ("YouTube", "Instagram")):
        pages = pdf_pages(results[name], tmp_path)
        k = metrics.kpis(seed1_wh, selections[name], metrics.DEFAULT_SETTINGS)
        summary = squash(section(pages, "Executive summary", "Charts"))
        assert squash(fmt.inr_compact(k["revenue"])) in summary and squash(fmt.ratio(k["roas"])) in summary
        charts = section(pages, "Charts", "Tables")
        assert name in charts and other not in charts


# --- CLI -------------------------------------------------------------------------------------


def test_cli_report_for_cron(seed1_wh, tmp_path):
    out = tmp_path / "out" / "instagram.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "--db",
            str(seed1_wh.path),
            "report",
            "--out",
            str(out),
            "--platform",
            "Instagram",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    pages = pdf_pages(out.read_bytes(), tmp_path)
    k = metrics.kpis(seed1_wh, metrics.Filters(platform=["Instagram"]), metrics.DEFAULT_SETTINGS)
    assert squash(fmt.inr_compact(k["revenue"])) in squash(section(pages, "Executive summary", "Charts"))


# --- the Dash callback -------------------------------------------------------------------------


@pytest.fixture
def app_db(seed1_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(seed1_wh.path))
    return seed1_wh.path


def test_callback_returns_the_pdf_of_the_url_filters(app_db, tmp_path):
    from callbacks import report as cb

    data, status = cb.make_report("?platform=YouTube")
    assert status is None
    assert data["filename"].startswith("hk-influencer-roi-") and data["filename"].endswith("-youtube.pdf")
    assert data["type"] == "application/pdf" and data["base64"] is True
    pdf = base64.b64decode(data["content"])
    pages = pdf_pages(pdf, tmp_path)
    k = metrics.kpis(Warehouse(app_db), metrics.Filters(platform=["YouTube"]), metrics.DEFAULT_SETTINGS)
    assert squash(fmt.inr_compact(k["revenue"])) in squash(section(pages, "Executive summary", "Charts"))


@pytest.mark.parametrize(
    ("search", "days"), [("?window=28", 28), ("?brand=X&window=7", 7), ("", 14), ("?window=99", 14)]
)
def test_callback_reports_the_lift_pages_window(app_db, monkeypatch, search, days):
    """The PDF of /lift?window=28 measures 28-day windows, as the page does (it printed the default
    14-day figures beside a page showing 28); another window than the offered ones is the default."""
    import reports.slots
    from callbacks import report as cb

    seen = []
    monkeypatch.setattr(
        reports.slots, "build_report_bounded", lambda path, f, settings, i, **_: seen.append(settings) or b"%PDF"
    )
    data, status = cb.make_report(search)
    assert status is None and [s.lift_window_days for s in seen] == [days]


def test_callback_passes_the_plan_pages_inputs(app_db, monkeypatch):
    """The PDF of /plan plans the page's mode, budget and max change (a share, as the planner takes
    it); one the page refuses is the page's error, and no report is made."""
    import reports.slots
    from callbacks import report as cb
    from reports.plan_section import PlanRequest

    seen = []
    monkeypatch.setattr(
        reports.slots,
        "build_report_bounded",
        lambda path, f, settings, i, plan_request: seen.append(plan_request) or b"%PDF",
    )
    assert cb.make_report("?by=influencer&budget=120000&max_change=40")[1] is None
    assert cb.make_report("")[1] is None
    assert seen == [PlanRequest("influencer", 120000.0, 0.4), PlanRequest("segment", None, 0.3)]
    data, status = cb.make_report("?by=influencer&max_change=150")
    assert "Max change must be between 0 and 100 % of each creator's spend today, not 150 %" in text_of(status)
    assert len(seen) == 2


def test_callback_shows_a_clear_error(app_db, monkeypatch):
    from dash import no_update

    import reports
    from callbacks import report as cb

    def fail(*args, **kwargs):
        raise reports.ReportError("Charts could not be drawn: Chromium not found at '/nope'")

    import reports.slots

    # The callback renders in the report worker process (reports.slots); the failure is raised there.
    monkeypatch.setattr(reports.slots, "build_report_bounded", fail)
    data, status = cb.make_report("")
    assert data is no_update
    assert "PDF report failed." in text_of(status) and "Chromium not found at '/nope'" in text_of(status)
    assert status.color == "danger"

    monkeypatch.undo()
    monkeypatch.setenv("HKDASH_DB", "/nonexistent/warehouse.duckdb")
    data, status = cb.make_report("")
    assert data is no_update and "No data set is imported yet" in text_of(status)


def test_report_filename_is_safe():
    from callbacks.report import report_filename

    name = report_filename(metrics.Filters(platform=["../../etc", HOSTILE], start="2025-01-01"))
    assert re.fullmatch(r"hk-influencer-roi-\d{4}-\d\d-\d\d-\d{4}-[a-z0-9-]+\.pdf", name), name


# --- formatting (issue 13): what pdftotext reads ---------------------------------------------------


def test_report_formats_from_the_catalogue(seed1_wh, tmp_path):
    pdf = build_report(seed1_wh, metrics.Filters())
    pages = pdf_pages(pdf, tmp_path)
    whole = "\n".join(pages)
    flat = re.sub(r"\s+", " ", whole.replace("\u00a0", " "))
    # Timestamps in India time, labelled; one date format.
    assert re.search(r"Generated \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} IST", flat), flat[:600]
    assert re.search(r"imported \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} IST", flat)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", flat)  # no ISO dates in the document
    # Follower counts in lakh / crore (Categories table), never 8.6M / 485K; one unit for the column.
    categories = section(pages, "Tables", "Recommendations")
    followers = metrics.breakdown(seed1_wh, "category")["followers"]
    for value, text in zip(followers, fmt.followers_column(followers), strict=True):
        assert text.replace("\u00a0", " ") in re.sub(r"[ \u00a0]+", " ", categories), value
    assert not re.search(r"\b\d+(\.\d+)?[MK]\b", categories)
    # No negative zero anywhere, no fraction of a unit below one on the chart axes (SVG text).
    assert "-₹0.00" not in flat and "-0.0%" not in flat and "−₹0" not in flat
    assert not re.search(r"₹0\.\d+ (L|Cr)\b", flat), re.findall(r"₹0\.\d+ (?:L|Cr)", flat)
    # Methodology from the catalogue and its rules: tiers in Indian grouping, the poor-performer rule.
    method = flat[flat.index("Appendix: methodology") :]
    assert "nano < 10,000 ≤ micro < 50,000 ≤ mid < 5,00,000 ≤ macro < 10,00,000 ≤ mega" in method
    assert "ROI < 50% or ROAS < 2x, or spend with no revenue" in method
    assert "revenue ÷ followers" in method and "“—” when followers = 0" in method
    assert "10,000, 50,000, 5,00,000, 10,00,000" in method


def test_the_cover_names_an_appended_data_sets_parts():
    """After an append the cover names each import's folder, as /data's "Imported from" ("shop + jan26",
    folder names only: no server path); a single import adds no such row."""
    import datetime as dt

    from reports.build import _dataset

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    appended = _dataset({"name": "shop", "source": "/srv/data/shop + /srv/in/jan26"}, now)
    assert {"label": "Imported from", "value": "shop + jan26"} in appended["facts"]
    assert "/srv" not in str(appended)
    single = _dataset({"name": "shop", "source": "/srv/data/shop"}, now)
    assert all(fact["label"] != "Imported from" for fact in single["facts"])
