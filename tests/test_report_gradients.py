"""Colour bars of report charts: drawn as solid slices, so every PDF viewer shows them (reports/gradients.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from components import figures
from reports import images
from reports.gradients import SLICES, colour_at, flatten_colour_bars
from reports.pdf import render_pdf

# Plotly's markup for a horizontal colour bar (kaleido output, trimmed): the scale runs from the
# right (offset 0, dark) to the left (offset 100%, white), as plotly writes a reversed scale.
PLOTLY_BAR = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><defs><g class="gradients">'
    '<linearGradient x1="1" y1="0" x2="0" y2="0" gradientUnits="objectBoundingBox" id="g1-cb">'
    '<stop offset="0%" stop-color="rgb(0, 0, 100)" stop-opacity="1"/>'
    '<stop offset="50%" stop-color="rgb(100, 100, 200)" stop-opacity="1"/>'
    '<stop offset="100%" stop-color="rgb(200, 200, 200)" stop-opacity="1"/>'
    "</linearGradient></g></defs>"
    '<g class="cbfills" transform="translate(10,0)"><rect class="cbfill gradient_filled" '
    'style="fill: url(\'#g1-cb\');" y="20" x="0" height="10" width="120"/></g>'
    '<rect class="bg" x="0" y="0" width="5" height="5" style="fill: rgb(1, 2, 3);"/></svg>'
)


def rects(svg: bytes) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', m)) for m in re.findall(r"<rect\b([^>]*)/>", svg.decode())]


def test_colour_is_linear_between_stops_and_flat_beyond():
    stops = [(0.0, (0.0, 0.0, 100.0, 1.0)), (0.5, (100.0, 100.0, 200.0, 1.0)), (1.0, (200.0, 200.0, 200.0, 1.0))]
    assert colour_at(stops, 0.25) == (50.0, 50.0, 150.0, 1.0)
    assert colour_at(stops, 0.75) == (150.0, 150.0, 200.0, 1.0)
    assert colour_at(stops, -1) == (0.0, 0.0, 100.0, 1.0)
    assert colour_at(stops, 2) == (200.0, 200.0, 200.0, 1.0)


def test_gradient_bar_becomes_solid_slices_in_the_gradients_direction():
    out = flatten_colour_bars(PLOTLY_BAR.encode())
    assert b"url(" not in out.split(b"</defs>")[1]
    slices = [r for r in rects(out) if r.get("class") != "bg"]
    assert len(slices) == SLICES
    step = 120 / SLICES  # 1 px per slice on a 120 px bar
    first, last = slices[0], slices[-1]
    assert (float(first["x"]), float(first["y"]), float(first["height"])) == (0.0, 20.0, 10.0)
    assert float(first["width"]) == pytest.approx(step + 0.5)  # reaches into the next: no seam
    assert float(last["x"]) + float(last["width"]) == pytest.approx(120.0)
    # x1=1 → x2=0: position t = 1 − u. First slice centre u = 0.5/120, t = 0.99583, between the
    # 50 % and 100 % stops: 100 + 100·(0.49583/0.5) = 199.17 → 199 (blue 200). Last slice
    # t = 0.00417: 0 + 100·0.00833 = 0.83 → 1, blue 100.83 → 101.
    assert "rgb(199, 199, 200)" in first["style"]
    assert "rgb(1, 1, 101)" in last["style"]
    # the group keeps the rectangle's class; other rectangles are untouched
    assert b'<g class="cbfill gradient_filled">' in out
    assert b'<rect class="bg" x="0" y="0" width="5" height="5" style="fill: rgb(1, 2, 3);"/>' in out


def test_svg_without_supported_gradient_is_unchanged():
    radial = PLOTLY_BAR.replace('x1="1" y1="0" x2="0" y2="0"', 'x1="0" y1="0" x2="1" y2="1"').encode()
    assert flatten_colour_bars(radial) == radial
    named = PLOTLY_BAR.replace('stop-color="rgb(0, 0, 100)"', 'stop-color="navy"').encode()
    assert flatten_colour_bars(named) == named


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
@pytest.mark.skipif(not Path(images.chromium_path()).is_file(), reason="chromium not installed")
def test_heatmap_colour_bar_is_drawn_in_the_pdf(tmp_path):
    """The category × platform heatmap's bar shows its colours in the PDF (was an empty outline)."""
    from PIL import Image

    frame = pd.DataFrame(
        {
            "platform": ["Instagram", "YouTube"],
            "category": ["Fitness", "Nutrition"],
            "roas": [3.0, 0.6],
            "influencers": [1, 1],
            "revenue": [300.0, 60.0],
            "spend": [100.0, 100.0],
        }
    )
    chart = {"title": "Category × platform (ROAS)", "figure": figures.category_platform_heatmap(frame, poor_roas=2.0)}
    context = {
        "title": "Gradient check",
        "period": "1 Jan 2025 – 31 Jan 2025",
        "filters": [],
        "dataset": {"name": "fixture", "source": "fixture", "freshness": "now", "warnings": []},
        "generated_at": "now",
        "kpis": [],
        "findings": [],
        "charts": [chart],
        "tables": [],
        "recommendations": [],
        "methodology": {"formulas": [], "settings": [], "notes": []},
    }
    path = tmp_path / "g.pdf"
    path.write_bytes(render_pdf(context))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    page = next(i + 1 for i, p in enumerate(text.split("\f")) if "Category × platform" in p)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(page), "-l", str(page), str(path), str(tmp_path / "p")])
    raw = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB").tobytes()
    # The scale's middle colour (ROAS_SCALE 50 %: rgb(107, 174, 214)) is in no cell (3.00x is the
    # dark end, 0.60x near the white end): only a drawn colour bar puts it on the page.
    middle = sum(
        1 for i in range(0, len(raw), 3) if abs(raw[i] - 107) + abs(raw[i + 1] - 174) + abs(raw[i + 2] - 214) < 30
    )
    assert middle > 50, middle
