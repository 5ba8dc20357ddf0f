"""Report context → PDF bytes: Jinja2 (autoescape on) → HTML → WeasyPrint with the locked-down fetcher.

The context is plain data, already formatted for people (strings), plus plotly figures:

    {
      "title": str, "subtitle": str, "brand": str, "author": str,
      "period": str,                                   # e.g. "1 Jan 2025 – 31 Mar 2025"
      "filters": [{"label": str, "value": str}, ...],  # empty list = all data
      "dataset": {"name": str, "freshness": str,
                  "facts": [{"label", "value"}], "warnings": [str]},
      "generated_at": str,
      "kpis": [{"label": str, "value": str, "note": str | None}, ...],
      "incremental": {"title": str, "rows": [{"label", "value"}], "assumption": str} | None,
      "findings": [str, ...],
      "charts": [{"title": str, "figure": plotly Figure | dict, "caption": str,
                  "width": int, "height": int}            # or "svg": bytes instead of "figure",
                 ...],                                     # or neither, with "missing": str
      "tables": [{"title": str, "note": str, "columns": [str], "rows": [[str]],
                  "numeric": [column indexes right-aligned], "empty": str,
                  "footnote": str | None}, ...],           # why its "—" cells are undefined
      "recommendations": [{"text": str, "evidence": [str]}, ...],
      "plan": {"planned": str (mode, budget, max change), "summary": str, "verdicts": str | None,
               "charts": [chart as above],
               "table": {"title", "columns", "numeric", "rows"}} | None,   # reports/plan_section.py
      "methodology": {"intro": str, "formulas": [{"name", "formula", "note"}],
                      "settings": [{"label", "value"}], "notes": [str]},
    }

`"template"` (optional) names another template in reports/templates (creator.html: the
one-creator report, reports/creator.py). Every string is escaped by the template; nothing in the context can become markup, a link, an
attachment or a fetch. Figures are rendered to SVG by `reports.images` (one batch per report) and
served to WeasyPrint from memory under `hkchart:` URLs by a fetcher made for this report only.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path

import jinja2

from metrics import format as fmt

from . import images
from .fetcher import ASSETS_DIR, ReportURLFetcher, chart_url

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

_ENV: jinja2.Environment | None = None
LONG_WORD = 24
# Tables of up to this many rows are kept on one page (report.css `.keep`): no two-row remnant alone.
KEEP_ROWS = 25
# WeasyPrint is pure Python around Pango/HarfBuzz; under the GIL two renders gain nothing from
# running together, and serialising keeps the (C) font machinery single-threaded.
_WEASY_LOCK = threading.Lock()


class ReportError(RuntimeError):
    """The report could not be produced; the message is meant for the person who asked for it."""


def _env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=True,  # every template, whatever its extension
            undefined=jinja2.Undefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # A run of text longer than this (characters, no space) is no word: report.html lets its
        # table cell break it anywhere, while real words ("Instagram", "Uncategorised") stay whole.
        _ENV.globals["long_word"] = LONG_WORD
        _ENV.globals["keep_rows"] = KEEP_ROWS
    return _ENV


def _norm_context(context: dict) -> dict:
    ctx = dict(context)
    ctx.setdefault("title", "Influencer campaign ROI report")
    ctx.setdefault("subtitle", "")
    ctx.setdefault("brand", "HealthKart")
    ctx.setdefault("author", "HealthKart marketing analytics")
    ctx.setdefault("period", "All dates")
    ctx.setdefault("filters", [])
    ctx.setdefault("dataset", {})
    ds = dict(ctx["dataset"] or {})
    ds.setdefault("name", "—")
    ds.setdefault("freshness", "—")
    ctx["dataset"] = ds
    ctx.setdefault("generated_at", fmt.timestamp(dt.datetime.now(dt.UTC)))
    for key in ("kpis", "findings", "charts", "tables", "recommendations"):
        ctx[key] = list(ctx.get(key) or [])
    ctx.setdefault("incremental", None)
    ctx["methodology"] = dict(ctx.get("methodology") or {})
    ctx.setdefault("executive", None)
    contents = [("executive", "Executive summary")] if ctx["executive"] else []
    contents.append(("summary", "Key figures"))
    if ctx["charts"]:
        contents.append(("charts", "Charts"))
    if ctx["tables"]:
        contents.append(("tables", "Tables"))
    if ctx["recommendations"]:
        contents.append(("recommendations", "Recommendations"))
    ctx.setdefault("plan", None)
    if ctx["plan"]:
        contents.append(("plan", "Budget plan"))
    contents.append(("methodology", "Appendix: methodology"))
    ctx.setdefault("contents", [{"id": i, "title": t} for i, t in contents])
    return ctx


def _render_charts(charts: list[dict]) -> tuple[list[dict], dict[str, bytes]]:
    """Give every chart a `url` (or leave it without one: "missing"); return the SVG store."""
    store: dict[str, bytes] = {}
    out = [dict(c) for c in charts]
    todo = [(i, c) for i, c in enumerate(out) if c.get("figure") is not None and c.get("svg") is None]
    if todo:
        svgs = images.figures_to_svg(
            [c["figure"] for _, c in todo],
            sizes=[(c.get("width"), c.get("height")) for _, c in todo],
        )
        for (_, c), svg in zip(todo, svgs):
            c["svg"] = svg
    for i, c in enumerate(out):
        svg = c.get("svg")
        if svg:
            name = f"chart-{i}.svg"
            store[name] = svg.encode("utf-8") if isinstance(svg, str) else bytes(svg)
            c["url"] = chart_url(name)
        c.pop("figure", None)
        c.pop("svg", None)
    return out, store


def render_html(context: dict) -> str:
    """The report's HTML (charts referenced by `hkchart:` URL). Mostly for tests and debugging."""
    ctx = _norm_context(context)
    return _env().get_template(ctx.get("template") or "report.html").render(**ctx)


def cover_spills(document) -> bool:
    """True where the report's cover (anchor "cover") runs onto a second page before the Key figures
    (anchor "summary") start on a page of their own: that page then holds the cover's last lines alone
    (a long filter list or data notes push its contents list over) and is mostly blank.
    `document`: a laid-out weasyprint Document."""
    first: dict[str, int] = {}
    for i, page in enumerate(document.pages):
        for name in page.anchors:  # a box split over pages is an anchor on each: its first page counts
            first.setdefault(name, i)
    return "cover" in first and "summary" in first and first["summary"] - first["cover"] > 1


def render_pdf(context: dict, *, timings: dict | None = None) -> bytes:
    """Render the report described by `context` (see module doc) to PDF bytes.

    Raises `ReportError` (with a readable message) when charts or the PDF can't be produced.
    `timings`, if given, is filled with seconds spent per stage (charts, html, pdf).
    """
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    t0 = time.perf_counter()
    ctx = _norm_context(context)
    try:
        ctx["charts"], store = _render_charts(ctx["charts"] + (ctx["plan"]["charts"] if ctx["plan"] else []))
    except images.ChartRenderError as exc:
        raise ReportError(f"Charts could not be drawn: {exc}") from exc
    t1 = time.perf_counter()
    template = _env().get_template(ctx.get("template") or "report.html")
    html = template.render(**ctx)
    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    t2 = time.perf_counter()
    fetcher = ReportURLFetcher(store)
    base_url = ASSETS_DIR.as_uri() + "/"
    try:
        with _WEASY_LOCK:
            font_config = FontConfiguration()
            stylesheet = weasyprint.CSS(string=css, base_url=base_url, url_fetcher=fetcher, font_config=font_config)

            def laid_out(markup: str):
                return weasyprint.HTML(string=markup, base_url=base_url, url_fetcher=fetcher).render(
                    stylesheets=[stylesheet], font_config=font_config
                )

            document = laid_out(html)
            if not ctx.get("template") and cover_spills(document):
                document = laid_out(template.render(**ctx, cover_spills=True))
            pdf = document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the user needs one message
        log.exception("WeasyPrint failed")
        raise ReportError(f"The PDF could not be produced: {type(exc).__name__}: {exc}") from exc
    t3 = time.perf_counter()
    refused = fetcher.refused
    if refused:
        log.warning("report renderer refused %d URL(s): %s", len(refused), [u[:100] for u in refused[:5]])
    if timings is not None:
        timings.update(charts=t1 - t0, html=t2 - t1, pdf=t3 - t2, total=t3 - t0, fetched=list(fetcher.requests))
    return pdf
