"""Phone width (390 px): the campaign bar charts keep their bars readable. Campaign names wrap onto
lines (tests/data/cases/24: one 100-character name without spaces), the ₹ and ROAS axes keep their
ticks level, the bars keep most of the width, and the ROAS label beside a bar is not cut off or
turned sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import goto

from warehouse import Warehouse, import_dataset

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "24-long-unbroken-campaign-name-pdf"
CHARTS = ("#camp-comparison", "#camp-roas")


@pytest.fixture(scope="module")
def server(start_server, tmp_path_factory):
    db = tmp_path_factory.mktemp("long-campaign") / "warehouse.duckdb"
    import_dataset(CASE, db)
    return start_server(Warehouse(db).path)


def chart_geometry(page, chart: str) -> dict:
    """Widths of the graph and its plot area, the x ticks' rotation, the y labels' lines, and whether
    any bar label runs past the graph's right edge."""
    return page.evaluate(
        """chart => {
            const root = document.querySelector(chart);
            const graph = root.getBoundingClientRect();
            const plot = root.querySelector('.cartesianlayer .bg, .nsewdrag').getBoundingClientRect();
            const rotated = [...root.querySelectorAll('.xtick text')].some(
                t => /rotate\\((?!0)/.test(t.getAttribute('transform') || ''));
            const lines = [...root.querySelectorAll('.ytick text')].map(
                t => t.querySelectorAll('tspan.line').length || 1);
            const cut = [...root.querySelectorAll('.bartext')].some(t => t.getBoundingClientRect().right > graph.right + 1);
            const sideways = [...root.querySelectorAll('.bartext')].some(
                t => /rotate\\((?!0)/.test(t.getAttribute('transform') || ''));
            return {graph: graph.width, plot: plot.width, rotated, lines, cut, sideways};
        }""",
        chart,
    )


def test_campaign_charts_on_a_phone(phone_page, server, page_problems):
    page = phone_page
    goto(page, server.url + "/campaigns")
    for chart in CHARTS:
        # Both charts drawn, and no callback still replacing them (the graph's height follows its figure).
        page.wait_for_function(
            "c => document.querySelectorAll(c + ' .ytick text').length > 0 && "
            "!document.querySelector('[data-dash-is-loading=\"true\"]')",
            arg=chart,
            timeout=60_000,
        )
        geometry = chart_geometry(page, chart)
        assert not geometry["rotated"], (chart, geometry)
        assert max(geometry["lines"], default=0) > 1, (chart, geometry)  # the long name wraps
        assert geometry["plot"] >= 0.45 * geometry["graph"], (chart, geometry)
        assert not geometry["cut"], (chart, geometry)
        assert not geometry["sideways"], (chart, geometry)  # narrow bars' labels were turned 90°
    assert not page_problems, page_problems
