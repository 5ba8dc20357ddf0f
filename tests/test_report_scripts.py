"""PDF reports draw Indian scripts and emoji (case 15), wrap long unbroken text without breaking short
words (case 24), and carry the notice of sales dated from posts (seed1). Real PDFs: pdftotext,
pdffonts, pdftoppm."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import metrics
from reports import images
from reports.build import build_report
from warehouse import Warehouse, import_dataset

CASES = Path(__file__).resolve().parent / "data" / "cases"

pytestmark = [
    pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed"),
    pytest.mark.skipif(not Path(images.chromium_path()).is_file(), reason="chromium not installed"),
]


def _report(case: str, tmp_path: Path, filters=None) -> Path:
    db = tmp_path / f"{case}.duckdb"
    import_dataset(CASES / case, db)
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(build_report(Warehouse(db), filters or metrics.Filters()))
    return path


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_devanagari_and_emoji_names_are_drawn(tmp_path):
    path = _report("15-devanagari-emoji-names-pdf", tmp_path)
    text = _text(path)
    assert "प्रिया" in text and "Fit with Karthik 💪🔥" in text
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    embedded = {line.split()[0].split("+")[-1]: line.split()[-5] for line in fonts.splitlines()[2:]}
    assert embedded.get("Noto-Sans-Devanagari") == "yes" and embedded.get("Noto-Color-Emoji") == "yes"
    assert all(kind == "yes" for kind in embedded.values())


def test_every_letter_of_the_names_has_a_glyph_in_the_report_fonts():
    """No .notdef (empty box): each character of case 15's names is in the cmap of a font the
    report uses (the vendored Noto Sans faces, the system's Noto Color Emoji)."""
    from fontTools.ttLib import TTFont

    fonts = sorted((images.ASSETS_DIR / "fonts").glob("NotoSans*-Regular.ttf"))
    emoji = Path(
        subprocess.run(["fc-match", "-f", "%{file}", "Noto Color Emoji"], capture_output=True, text=True).stdout
    )
    cmaps = [TTFont(path).getBestCmap() for path in fonts + [emoji]]
    names = (CASES / "15-devanagari-emoji-names-pdf" / "influencers.csv").read_text(encoding="utf-8")
    for char in set(names) - set("\n"):
        assert any(ord(char) in cmap for cmap in cmaps), f"no glyph for U+{ord(char):04X}"


def test_chart_with_devanagari_labels_is_drawn_by_chromium():
    figure = {"data": [{"type": "bar", "y": ["प्रिया शर्मा", "Asha"], "x": [1, 2], "orientation": "h"}], "layout": {}}
    assert images.needs_shaping(figure) and not images.needs_shaping({"data": [{"y": ["Fit with Karthik 💪🔥"]}]})
    svg = images.figures_to_svg([figure], 400, 200)[0]
    assert svg.startswith(b"<svg") and b"data:image/png;base64," in svg and b"<text" not in svg


def test_long_unbroken_names_wrap_and_short_words_stay_whole(tmp_path):
    text = _text(_report("24-long-unbroken-campaign-name-pdf", tmp_path))
    tables = text[text.index("Top 10 influencers by ROAS\n") :]
    name = "MuscleBlaze_Biozyme_Performance_Whey_Launch_Q1_2025_Instagram_Reels_Collab_Tier2_Creators_Mumbai_Pune"
    campaigns = tables[tables.index("\nCampaigns\n") : tables.index("Payouts by basis")]
    assert name not in campaigns  # wrapped over lines…
    first_cells = [
        line.split()[0] for line in campaigns.splitlines() if line.strip() and not line.split()[0].startswith("₹")
    ]
    assert name in "".join(first_cells)  # …and nothing lost
    for word in ("Instagram", "Category", "Platform", "Influencers", "Nutrition", "YouTube"):
        assert word in tables
    assert not re.search(r"\b(Instagra|Catego|Platfor|Influencer)\s*$", tables, re.M)  # no word cut at a line end


def test_seed1_report_says_sales_follow_posts(seed1_wh, tmp_path):
    path = tmp_path / "seed1.pdf"
    path.write_bytes(build_report(seed1_wh, metrics.Filters(start="2024-12-01", end="2024-12-31")))
    text = re.sub(r"\s+", " ", _text(path))
    assert "How sales are dated and split" in text
    assert text.count("equal share per post, dated by the post") >= 3  # cover, next to the KPIs, methodology
    k = metrics.kpis(seed1_wh, metrics.Filters(start="2024-12-01", end="2024-12-31"))
    assert k["revenue"] > 0
