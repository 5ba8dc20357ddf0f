"""In a real browser: names in Devanagari and with emoji (case 15) are drawn with the vendored
fonts, and a data set with tracked sales shows no sales notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import goto

from warehouse import import_dataset

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("page-scripts")]
CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.fixture(scope="module")
def server(tmp_path_factory, start_server):
    db = tmp_path_factory.mktemp("case15") / "warehouse.duckdb"
    import_dataset(CASES / "15-devanagari-emoji-names-pdf", db)
    return start_server(db)


def test_devanagari_and_emoji_names_are_drawn_with_their_fonts(page, server, page_problems):
    goto(page, server.url + "/influencers")
    page.wait_for_selector("text=प्रिया शर्मा", timeout=60_000)
    page.wait_for_selector("text=Fit with Karthik 💪🔥", timeout=60_000)
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("Noto Sans Devanagari" in family for family in loaded)  # fetched from /assets and used
    # The vendored face alone has every glyph of the name (no .notdef box): the browser's own check.
    assert page.evaluate("() => document.fonts.check('16px \"Noto Sans Devanagari\"', 'प्रिया शर्मा')")
    page.screenshot(path=str(Path(server.log_path).parent / "devanagari-names.png"), full_page=True)
    assert not page_problems


def test_tracked_sales_show_no_sales_notice(page, server, page_problems):
    goto(page, server.url + "/")
    page.wait_for_function("() => document.querySelector('#kpi-revenue-value')", timeout=60_000, polling=200)
    assert page.inner_text("#sales-notice").strip() == ""
    assert not page_problems
