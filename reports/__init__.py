"""PDF reports: the current view as a board-ready PDF.

    from reports import build_report, render_pdf
    pdf_bytes = build_report(wh, filters, settings)   # metrics → context → PDF
    pdf_bytes = render_pdf(context)                  # a ready context (see reports.pdf)

Nothing here starts a browser at import: Chromium (for the charts) starts on the first render in
the process that renders (reports.images).
"""

from __future__ import annotations

from reports.pdf import ReportError, render_html, render_pdf

__all__ = ["ReportError", "render_html", "render_pdf", "build_report"]


def __getattr__(name):
    # build_report pulls in metrics and the figure builders; import it on first use only.
    if name == "build_report":
        from reports.build import build_report

        return build_report
    raise AttributeError(name)
