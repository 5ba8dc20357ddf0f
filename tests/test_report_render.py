"""PDF rendering machinery (reports/): fetcher lock-down, escaping, text, charts, concurrency.

Runs on hand-made contexts, independent of the warehouse and metrics. Needs chromium
(HKDASH_CHROMIUM, default /usr/bin/chromium) and poppler-utils (pdftotext, pdftoppm, pdfdetach).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import plotly.graph_objects as go
import pytest

from reports import images
from reports.fetcher import ASSETS_DIR, RefusedURL, ReportURLFetcher, chart_url
from reports.pdf import ReportError, render_html, render_pdf

HOSTILE = '<link rel=attachment href="file:///etc/passwd">'
HOSTILE_2 = '<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>&amp;'
TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8Dw"
    "HwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
needs_chromium = pytest.mark.skipif(not Path(images.chromium_path()).is_file(), reason="chromium not installed")


def pdf_text(pdf: bytes, tmp_path: Path, layout: bool = False) -> str:
    path = tmp_path / f"r{abs(hash(pdf)) % 10**8}.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def bar_figure(tag: str, values: list[float]) -> go.Figure:
    return go.Figure(
        go.Bar(x=[f"{tag}-A", f"{tag}-B", f"{tag}-C"], y=values, marker_color="#0072B2"),
        layout=dict(title=dict(text=f"Chart {tag}"), height=300),
    )


def make_context(tag: str = "ALPHA", revenue: str = "₹1.79 Cr", hostile: str = HOSTILE, figures: bool = True) -> dict:
    names = ["Asha Verma", hostile, "Rohit K"]
    charts = [
        {
            "title": f"Revenue vs spend {tag}",
            "figure": bar_figure(tag, [3, 1, 2]) if figures else None,
            "svg": None if figures else b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
            "caption": f"caption {hostile}",
        },
        {
            "title": f"Top influencers {tag}",
            "figure": go.Figure(go.Bar(orientation="h", y=[n.replace("<", "&lt;") for n in names], x=[1, 2, 3]))
            if figures
            else None,
        },
    ]
    return {
        "title": f"Influencer ROI report {tag}",
        "period": "1 Jan 2025 – 31 Mar 2025",
        "filters": [{"label": "Platform", "value": "Instagram"}, {"label": "Campaign", "value": hostile}],
        "dataset": {
            "name": f"fixture {hostile}",
            "source": hostile,
            "freshness": "imported 2025-04-01 10:00 UTC",
            "warnings": [f"warning {hostile}"],
        },
        "generated_at": "2 Apr 2025 09:00 IST",
        "kpis": [
            {"label": "Revenue", "value": revenue, "note": "₹1,78,79,815"},
            {"label": "ROAS", "value": "3.96x"},
            {"label": hostile, "value": hostile, "note": hostile},
        ],
        "incremental": {
            "rows": [{"label": "Incremental revenue", "value": "₹1.75 Cr"}],
            "assumption": "Assumes 2% baseline.",
        },
        "findings": [f"Top influencer {hostile} made ₹12.00 L"],
        "charts": charts,
        "tables": [
            {
                "title": "Top 10 influencers",
                "columns": ["#", "Name", "Revenue"],
                "numeric": [0, 2],
                "rows": [[str(i + 1), n, f"₹{(i + 1) * 1000:,}"] for i, n in enumerate(names)],
            },
            {"title": "Poor performers", "columns": ["Name"], "rows": []},
        ],
        "recommendations": [{"text": f"Renew {hostile}", "evidence": [f"ROAS 3.2x for {hostile}"]}],
        "methodology": {
            "formulas": [{"name": "ROAS", "formula": "revenue / spend", "note": hostile}],
            "settings": [{"label": "baseline_share", "value": "0.02"}],
            "notes": [hostile],
        },
    }


# --- fetcher ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.css",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://otherhost/share/x.css",
        (ASSETS_DIR / ".." / "pyproject.toml").as_uri(),
        ASSETS_DIR.as_uri() + "/../pyproject.toml",
        ASSETS_DIR.as_uri() + "/%2e%2e/pyproject.toml",
        ASSETS_DIR.as_uri() + "/",
        "data:text/html,<b>x</b>",
        "data:application/pdf;base64,JVBERi0=",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "hkchart:not-registered.svg",
        "javascript:alert(1)",
        "about:blank",
    ],
)
def test_fetcher_refuses(url):
    fetcher = ReportURLFetcher({"a.svg": b"<svg/>"})
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_symlink_out_of_assets(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "ok.css").write_text("p{}")
    secret = tmp_path / "secret.css"
    secret.write_text("secret")
    (assets / "link.css").symlink_to(secret)
    fetcher = ReportURLFetcher(assets_dir=assets)
    assert fetcher.fetch((assets / "ok.css").as_uri()).read() == b"p{}"
    with pytest.raises(RefusedURL):
        fetcher.fetch((assets / "link.css").as_uri())


def test_fetcher_serves_assets_charts_and_inline_png():
    fetcher = ReportURLFetcher({"c.svg": b"<svg/>"})
    css = fetcher.fetch((ASSETS_DIR / "fonts.css").as_uri())
    assert css.content_type == "text/css" and b"@font-face" in css.read()
    font = next((ASSETS_DIR / "fonts").glob("*.ttf"))
    assert fetcher.fetch(font.as_uri()).read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    chart = fetcher.fetch(chart_url("c.svg"))
    assert chart.content_type == "image/svg+xml" and chart.read() == b"<svg/>"
    png = fetcher.fetch(TINY_PNG)
    assert png.content_type == "image/png" and png.read()[:4] == b"\x89PNG"
    assert fetcher.refused == []


def test_two_fetchers_do_not_share_charts():
    a, b = ReportURLFetcher({"chart-0.svg": b"<svg>A</svg>"}), ReportURLFetcher({"chart-0.svg": b"<svg>B</svg>"})
    assert a.fetch(chart_url("chart-0.svg")).read() == b"<svg>A</svg>"
    assert b.fetch(chart_url("chart-0.svg")).read() == b"<svg>B</svg>"


# --- template ----------------------------------------------------------------------------------


def test_template_escapes_every_user_string():
    html = render_html(make_context(hostile=HOSTILE_2, figures=False))
    assert "<script>" not in html and '<img src="http' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;" in html
    assert "<link rel=attachment" not in render_html(make_context(figures=False))


# --- PDF -------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("rows", [57, 62])
def test_a_findings_list_never_leaves_one_finding_alone_on_a_page(tmp_path, rows):
    """Tester t2 (s18): page 5 held the last key finding alone (two lines), then white to the Charts.
    A lift table of `rows` rows pushes the five findings to a page end: at 57 rows the last fell alone
    on the next page, at 62 the heading and the first finding stayed alone on the table's page. Broken,
    the list keeps the heading with two findings and the last two together, the Charts on the next page."""
    context = make_context(figures=False)
    context["incremental"] = lift_box(rows)
    context["findings"] = [
        f"Finding {k}: " + "the creators' revenue moved as the spend moved " * 3 for k in range(1, 6)
    ]
    pages = pdf_page_texts(render_pdf(context), tmp_path)
    on = [page_of(pages, f"Finding {k}:") for k in range(1, 6)]
    assert page_of(pages, "Key findings") == on[0] == on[1] and on[3] == on[4]
    # the Charts after them, on their page where the heading and a chart fit, else the next: no blank page
    charts = page_of(pages, "Revenue vs spend ALPHA")
    assert charts in (on[4], on[4] + 1) and "Charts" in pages[charts]  # the heading with its chart


@needs_poppler
def test_the_sections_after_the_key_figures_follow_on_the_page_before_them_where_they_fit(tmp_path):
    """The /plan PDF (s19): every section began a page, so the Key figures' last page stayed half white
    before the Charts, as did the last chart's before the Tables. Here the Key figures hold three cards
    and a finding, the one chart is 3:1 (a third of the page): the Charts heading and chart, then the
    Tables heading and first table, follow on the Key figures' page; the second table does not fit
    there, and the Recommendations follow it on the next page (it stood alone there, the Recommendations
    on a page of their own), and the appendix them."""
    context = make_context(figures=False)
    context["charts"] = [
        dict(context["charts"][0], svg=b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"/>')
    ]
    pages = pdf_page_texts(render_pdf(context), tmp_path)
    key_figures = page_of(pages, "₹1,78,79,815")  # the revenue card's note
    assert page_of(pages, "Revenue vs spend ALPHA") == key_figures and "Charts" in pages[key_figures]
    assert page_of(pages, "Top 10 influencers") == key_figures and "Tables" in pages[key_figures]
    assert page_of(pages, "Poor performers") == page_of(pages, "Renew ") == key_figures + 1
    assert page_of(pages, "Settings used") == key_figures + 1


@needs_poppler
@needs_chromium
def test_pdf_text_kpis_and_page_numbers(tmp_path):
    timings = {}
    pdf = render_pdf(make_context(revenue="₹1.79 Cr"), timings=timings)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    flat = squash(text)
    for expected in (
        "Influencer ROI report ALPHA",
        "₹1.79 Cr",
        "₹1,78,79,815",
        "3.96x",
        "Incremental revenue",
        "₹1.75 Cr",
        "Assumes 2% baseline.",
        "Key findings",
        "Top 10 influencers",
        "Recommendations",
        "Appendix: methodology",
        "revenue / spend",
        "1 Jan 2025 – 31 Mar 2025",
        "imported 2025-04-01 10:00 UTC",
        "Nothing to show for this selection.",
    ):
        assert squash(expected) in flat, expected
    pages = int(re.search(r"Page 1 of (\d+)", text)[1])
    assert pages >= 3  # cover, Key figures (the Charts, Tables, Recommendations, appendix follow where they fit)
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    # Chart text is real (vector) text drawn from the SVG, not pixels.
    assert "ALPHA-A" in text and "Chart ALPHA" in text
    # Only bundled assets and this report's charts were fetched.
    fetched = [url for url, ok in timings["fetched"]]
    assert all(ok for _, ok in timings["fetched"]), timings["fetched"]
    assert all(u.startswith((ASSETS_DIR.as_uri() + "/", "hkchart:", "data:image/")) for u in fetched), fetched


@needs_poppler
def test_pdf_fonts_are_the_bundled_font_only(tmp_path):
    pdf = render_pdf(make_context(figures=False))
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    assert names and all("Noto-Sans" in n for n in names), names
    assert all(line.split()[-5] == "yes" for line in out.splitlines()[2:] if line.strip())  # embedded


@needs_poppler
@needs_chromium
@pytest.mark.parametrize("hostile", [HOSTILE, HOSTILE_2])
def test_hostile_text_printed_literally_nothing_attached_or_fetched(tmp_path, hostile):
    timings = {}
    pdf = render_pdf(make_context(hostile=hostile), timings=timings)
    text = pdf_text(pdf, tmp_path)
    literal = hostile
    assert squash(literal) in squash(text)
    assert squash(text).count(squash(literal)) >= 8  # cover, KPI, finding, table, chart, recs, appendix…
    path = tmp_path / "h.pdf"
    path.write_bytes(pdf)
    detach = subprocess.run(["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert detach.strip().startswith("0 embedded files"), detach
    for marker in (b"/EmbeddedFile", b"/Filespec", b"/Launch", b"/JavaScript", b"/URI", b"passwd\x00"):
        assert marker not in pdf, marker
    assert all(ok for _, ok in timings["fetched"]), timings["fetched"]
    assert not any("passwd" in u or u.startswith("http") for u, _ in timings["fetched"])


def lift_box(rows: int, **table) -> dict:
    """The Key figures' measured-lift box (context["incremental"]) with a lift table of `rows` creators
    ("Creator 00" ₹1000,000, "Creator 01" ₹999,000, …); `table`: more keys of the table (its note)."""
    return {
        "title": "Measured lift",
        "rows": [{"label": "Incremental revenue", "value": "₹1.75 Cr"}],
        "assumption": "Assumes nothing else moved sales.",
        "table": {
            "title": "Lift per creator",
            "columns": ["Name", "Incremental"],
            "numeric": [1],
            "rows": [[f"Creator {i:02d}", f"₹{1000 - i},000"] for i in range(rows)],
            **table,
        },
    }


def pdf_page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    """pdftotext of each page (form feeds split them)."""
    return pdf_text(pdf, tmp_path).split("\f")[:-1]


def page_of(pages: list[str], text: str) -> int:
    """Index of the first page holding `text`."""
    return next(i for i, page in enumerate(pages) if text in page)


@needs_poppler
@pytest.mark.parametrize("notes", [1, 14])
def test_a_long_cover_never_leaves_its_contents_alone_on_a_page(tmp_path, notes):
    """Tester (session 18): page 3 held the cover's last contents line alone, then white to the Key
    figures' page. A cover that fits keeps a page to itself (Key figures on the next); one that runs
    over (here 14 data notes) keeps its contents list whole and the Key figures follow it on that page."""
    context = make_context(figures=False)
    context["dataset"]["warnings"] = [f"data note {i}: " + "a file's rows were read as told " * 9 for i in range(notes)]
    pages = pdf_page_texts(render_pdf(context), tmp_path)
    cover, contents = page_of(pages, "Filters applied"), page_of(pages, "Contents")
    key_figures = page_of(pages, "₹1,78,79,815")  # the revenue card's note: on the Key figures page only
    assert "Appendix: methodology" in pages[contents]  # the list's last entry: never split from its head
    if notes == 1:
        assert contents == cover and key_figures == cover + 1
    else:
        assert contents == cover + 1 and key_figures == contents


@needs_poppler
def test_a_long_lift_table_follows_the_key_figures_cards(tmp_path):
    """Tester (session 18): the measured-lift box (its lift table, 25 rows) was kept whole, so it moved
    to the next page and left the Key figures page blank below the cards. Its head stays on the cards'
    page and its table breaks between rows, its header repeated."""
    context = make_context(figures=False)
    context["incremental"] = lift_box(45, note="Showing 45 of 45.")
    pages = pdf_page_texts(render_pdf(context), tmp_path)
    cards = page_of(pages, "₹1,78,79,815")
    assert page_of(pages, "Measured lift") == cards and page_of(pages, "Creator 00") == cards
    last = page_of(pages, "Creator 44")
    assert last == cards + 1 and "Incremental" in pages[last].split("Creator")[0]  # header repeated


@needs_poppler
@needs_chromium
def test_page_images_show_non_blank_charts(tmp_path):
    from PIL import Image

    pdf = render_pdf(make_context())
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    text_pages = pdf_text(pdf, tmp_path).split("\f")
    chart_pages = [i + 1 for i, page in enumerate(text_pages) if "Chart ALPHA" in page]
    assert chart_pages
    page = chart_pages[0]
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), str(path), str(tmp_path / "p")], check=True
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    # The bar colour (#0072B2) covers a real area of the page: the chart is drawn, not blank.
    raw = image.tobytes()
    blue = sum(1 for i in range(0, len(raw), 3) if raw[i] < 40 and 90 < raw[i + 1] < 140 and 150 < raw[i + 2] < 210)
    assert blue > 300, blue


@needs_poppler
@needs_chromium
def test_two_reports_at_once_keep_their_own_numbers_and_charts(tmp_path):
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run(tag, revenue):
        try:
            barrier.wait()
            results[tag] = render_pdf(make_context(tag=tag, revenue=revenue))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=("ALPHA", "₹1.11 Cr")),
        threading.Thread(target=run, args=("BRAVO", "₹2.22 Cr")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    alpha, bravo = pdf_text(results["ALPHA"], tmp_path), pdf_text(results["BRAVO"], tmp_path)
    assert "₹1.11 Cr" in alpha and "₹2.22 Cr" not in alpha
    assert "₹2.22 Cr" in bravo and "₹1.11 Cr" not in bravo
    assert "ALPHA-A" in alpha and "BRAVO-A" not in alpha
    assert "BRAVO-A" in bravo and "ALPHA-A" not in bravo


# --- kaleido ---------------------------------------------------------------------------------


@needs_chromium
def test_figures_to_svg_from_many_threads_each_get_their_own():
    out: dict[int, list[bytes]] = {}
    errors = []

    def run(i):
        try:
            out[i] = images.figures_to_svg([bar_figure(f"T{i}x", [i + 1, 2, 3]), bar_figure(f"T{i}y", [1, i + 1, 3])])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for i, (x, y) in out.items():
        assert x.startswith(b"<svg") and f"T{i}x-A".encode() in x and f"T{i}y-A".encode() not in x
        assert f"T{i}y-A".encode() in y
    assert images.is_running()


@needs_chromium
def test_page_is_reused_between_figures_and_reloaded_periodically(monkeypatch):
    # The speed-up depends on overriding one kaleido hook; fail loudly if an upgrade drops it.
    from kaleido import Kaleido

    assert hasattr(Kaleido, "_return_kaleido_tab")
    images.figure_to_svg(bar_figure("W", [1, 2, 3]))
    assert type(images._server.kaleido).__name__ == "ReusingKaleido"
    monkeypatch.setattr(images, "RELOAD_EVERY", 2)
    tag = "fig_{}_tag".format  # underscores: never part of the base64 PNG a heatmap embeds
    kinds = [
        bar_figure(tag(0), [1, 2, 3]),
        go.Figure(go.Pie(labels=[tag(1), "b"], values=[1, 2])),
        go.Figure(go.Heatmap(z=[[1, 2]], x=[tag(2), "b"], y=["y"])),
        bar_figure(tag(3), [3, 2, 1]),
        go.Figure(go.Scatter(x=[tag(4), "b"], y=[1, 2])),
    ]
    for i, fig in enumerate(kinds):  # one by one, across several reloads
        svg = images.figure_to_svg(fig)
        assert tag(i).encode() in svg and not any(tag(j).encode() in svg for j in range(5) if j != i)


@needs_chromium
def test_svg_is_vector_in_the_report_font():
    svg = images.figure_to_svg(bar_figure("V", [1, 2, 3]), width=400, height=200)
    assert b"<text" in svg and b"<path" in svg and b"<image" not in svg
    assert b"Noto Sans" in svg
    assert b'width="400"' in svg and b'height="200"' in svg


def test_prepare_figure_leaves_the_page_figure_alone():
    fig = bar_figure("P", [1, 2, 3])
    fig.update_layout(font=dict(family="Arial", size=13))
    data = images.prepare_figure(fig)
    assert "Noto Sans" in data["layout"]["font"]["family"] and data["layout"]["font"]["size"] == 13
    assert fig.layout.font.family == "Arial"


def _run_python(code: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_import_starts_no_browser():
    proc = _run_python(
        "import reports, reports.pdf, reports.images as i, reports.fetcher; import threading;"
        "assert not i.is_running(); assert all(t.name != 'hkdash-kaleido' for t in threading.enumerate()); print('ok')"
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stderr


def test_missing_chromium_gives_a_clear_error():
    proc = _run_python(
        "from reports.pdf import render_pdf, ReportError\n"
        "import plotly.graph_objects as go\n"
        "try:\n"
        "    render_pdf({'charts': [{'title': 't', 'figure': go.Figure(go.Bar(y=[1]))}]})\n"
        "except ReportError as e:\n"
        "    print('ERR', e)\n",
        env={"HKDASH_CHROMIUM": "/nonexistent/chromium"},
    )
    assert "ERR Charts could not be drawn: Chromium not found at '/nonexistent/chromium'" in proc.stdout, (
        proc.stdout + proc.stderr
    )


@needs_chromium
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_starts_its_own_browser():
    proc = _run_python(
        "import os, sys, plotly.graph_objects as go\n"
        "from reports import images\n"
        "images.figure_to_svg(go.Figure(go.Bar(y=[1])))\n"
        "parent_pid = images._server.pid\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    ok = not images.is_running()\n"
        "    svg = images.figure_to_svg(go.Figure(go.Bar(x=['child'], y=[2])))\n"
        "    ok = ok and b'child' in svg and images._server.pid == os.getpid() != parent_pid\n"
        "    images.shutdown()\n"
        "    os._exit(0 if ok else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "assert os.waitstatus_to_exitcode(status) == 0, status\n"
        "assert b'parent' in images.figure_to_svg(go.Figure(go.Bar(x=['parent'], y=[2])))\n"
        "print('ok')\n"
    )
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stdout + proc.stderr


def test_report_error_is_raised_for_weasyprint_failures(monkeypatch):
    import weasyprint

    def boom(*a, **k):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(weasyprint.HTML, "render", boom)  # the layout (render_pdf lays out, then writes)
    with pytest.raises(ReportError, match="The PDF could not be produced: RuntimeError: layout exploded"):
        render_pdf(make_context(figures=False))
