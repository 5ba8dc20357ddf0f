"""PDF tables across page breaks (pdftotext): a table short enough for one page never leaves a
remnant of its rows alone on the next page; a long one repeats its header row on every page.

Needs poppler-utils (pdftotext). Tables only: no chart, so no browser."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from reports.pdf import KEEP_ROWS, render_pdf

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def table(title: str, rows: int) -> dict:
    return {
        "title": title,
        "note": "",
        "columns": ["Name", "Revenue", "Spend", "ROAS"],
        "numeric": [1, 2, 3],
        "rows": [[f"{title.split()[0]}-row{r}", "₹1", "₹2", "0.50x"] for r in range(rows)],
        "empty": None,
    }


def pages_of(context: dict, tmp_path) -> list[str]:
    path = tmp_path / "tables.pdf"
    path.write_bytes(render_pdf(context))
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split("\f")


@pytest.mark.parametrize("filler", [31, 33, 35])
def test_a_short_table_stays_on_one_page(filler, tmp_path):
    # 33 filler rows put the short table's title near a page's foot: without keeping it together
    # its last rows would open the next page alone.
    pages = pages_of({"tables": [table("Filler table", filler), table("Short table", 6)]}, tmp_path)
    on = [i for i, page in enumerate(pages) if "Short-row" in page]
    assert len(set(on)) == 1, on
    assert "Short table" in pages[on[0]]


def test_a_long_table_repeats_its_header(tmp_path):
    pages = pages_of({"tables": [table("Long table", 3 * KEEP_ROWS + 40)]}, tmp_path)
    with_rows = [page for page in pages if "Long-row" in page]
    assert len(with_rows) >= 2 and all("Revenue" in page and "ROAS" in page for page in with_rows)
