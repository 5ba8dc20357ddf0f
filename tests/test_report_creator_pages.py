"""The one-creator PDF on real pages (pdftotext, pdftoppm): no near-empty last page, and the contract
block says it is the whole contract whatever the filters (as the creator page does)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from callbacks.creator import contract_block
from components.ids import creator as creator_ids
from metrics import Filters
from metrics.creator import CONTRACT_SCOPE, contract_scope, creator_view
from reports.creator import build_creator_report

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")

RUNNING_LINES = 2  # the running title above and "Generated … Page n of m" below each page's text


def _pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _inked_share(png: Path) -> float:
    """Share of the page's pixel rows between the running header and footer holding any ink."""
    pixels = np.asarray(Image.open(png).convert("L"))
    body = pixels[int(0.08 * len(pixels)) : int(0.92 * len(pixels))]
    return float((body < 200).any(axis=1).mean())


@pytest.mark.parametrize("influencer_id", ["HK001", "HK002"])
def test_the_last_page_is_not_a_remnant(seed1_wh, tmp_path, influencer_id):
    pdf = tmp_path / f"{influencer_id}.pdf"
    pdf.write_bytes(build_creator_report(seed1_wh, influencer_id, Filters()))
    pages = _pages_text(pdf)
    last = [line for line in pages[-1].splitlines() if line.strip()]
    assert len(last) - RUNNING_LINES >= 10, pages[-1]  # it held one line ("Money is in Indian Rupees…")
    assert "Money is in Indian Rupees" in pages[-1]  # the appendix ends there, whole
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages)
    assert _inked_share(images[-1]) >= 0.25  # a quarter of the page at least, not a line at the top


def test_the_contract_is_the_whole_period(seed1_wh, traps_wh, tmp_path):
    assert contract_scope(Filters()) == CONTRACT_SCOPE
    dated = contract_scope(Filters(start="2024-11-01", end="2024-11-30"))
    assert dated.startswith(CONTRACT_SCOPE) and "apply to the cards and charts above" in dated
    # The page says so first in the block; the PDF's contract table carries the same note.
    payouts = creator_view(traps_wh, "A1", Filters(brand=["HKVitals"]))["payouts"]
    block = contract_block(payouts, Filters(brand=["HKVitals"]))
    assert block[0].id == creator_ids.CONTRACT_SCOPE and block[0].children == contract_scope(Filters(brand=["x"]))
    pdf = tmp_path / "dated.pdf"
    pdf.write_bytes(build_creator_report(seed1_wh, "HK002", Filters(start="2024-11-01", end="2024-11-30")))
    text = " ".join(" ".join(_pages_text(pdf)).split())
    assert "Whole contract: the payout rows as the payouts file gives them" in text
    assert "apply to the cards and charts above" in text
