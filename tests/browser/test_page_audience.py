"""/audience in a real browser on tests/fixtures/regions (sales with a state, audience places): the
audience's region shares beside the sales' shares, unmatched names marked and listed, brand filters on
the sales side, the creator page's regions, and the toggles kept in the URL across a reload."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser_helpers import goto, normalise

from components.audience_figures import NOT_MATCHED
from warehouse import Warehouse, import_dataset

REGIONS = Path(__file__).resolve().parents[1] / "fixtures" / "regions"
TICKS = "els => els.map(e => e.textContent)"


@pytest.fixture(scope="module")
def regions_wh(tmp_path_factory) -> Warehouse:
    folder = tmp_path_factory.mktemp("regions-browser") / "data"
    shutil.copytree(REGIONS, folder)
    db = folder.parent / "warehouse.duckdb"
    import_dataset(folder, db)
    return Warehouse(db)


@pytest.fixture(scope="module")
def server(start_server, regions_wh):
    return start_server(regions_wh.path)


def bar_labels(page, chart: str) -> list[str]:
    """The region chart's labels, top bar first."""
    page.wait_for_selector(f"{chart} .ytick text")
    return page.eval_on_selector_all(f"{chart} .ytick text", TICKS)[::-1]


def test_regions_against_sales(page, server, page_problems):
    goto(page, server.url + "/audience")
    labels = bar_labels(page, "#aud-regions")
    assert labels[:2] == ["Delhi", "Maharashtra"] and labels[-1] == "Other places (not listed)"
    assert "Narnia" + NOT_MATCHED in labels and "Atlantis" + NOT_MATCHED in labels
    legend = page.eval_on_selector_all("#aud-regions .legendtext", TICKS)
    assert legend == ["Audience (revenue-weighted)", "Sales (share of revenue)"]
    note = normalise(page.inner_text("#aud-regions-note"))
    assert "₹1,000 (1 order) carries none" in note
    assert "(sales, shown as written): “Narnia”" in note and "(audience, shown as written): “Atlantis”" in note
    # Brand filter: only HKVitals sales (Delhi ₹6,000, Karnataka ₹1,500) on the sales side.
    goto(page, server.url + "/audience?brand=HKVitals")
    page.wait_for_function("() => document.querySelector('#aud-regions-note').innerText.includes('₹7,500')")
    sales = page.eval_on_selector_all("#aud-regions .trace.bars:nth-of-type(2) .bartext", TICKS)
    assert sorted(sales) == ["20.0%", "80.0%"]
    assert not page_problems, page_problems


def test_creator_page_shows_its_regions(page, server, page_problems):
    goto(page, server.url + "/influencers/A1")
    assert bar_labels(page, "#creator-regions") == ["Maharashtra", "Karnataka", "Other places (not listed)"]
    goto(page, server.url + "/influencers/D4")  # D4 has sales by region and no audience places
    assert bar_labels(page, "#creator-regions") == ["Tamil Nadu"]
    assert "no places in the audience geography file" in page.inner_text("#creator-audience")
    assert not page_problems, page_problems


def test_toggles_are_kept_in_the_url(page, server, page_problems):
    goto(page, server.url + "/audience?brand=MuscleBlaze")
    page.click("#aud-dimension label:has-text('Place')")
    page.wait_for_url(re.compile(r"\?brand=MuscleBlaze&dimension=region$"))
    page.click("#aud-rule label:has-text('Dominant segment')")
    page.wait_for_url(re.compile(r"dimension=region&rule=dominant$"))
    page.reload()
    page.wait_for_selector("#aud-regions .ytick text")
    assert page.locator("#aud-dimension input[value='region']").is_checked()
    assert page.locator("#aud-rule input[value='dominant']").is_checked()
    assert "Brand: MuscleBlaze" in normalise(page.inner_text("#filter-summary"))
    # Back to the defaults: they leave the URL.
    page.click("#aud-dimension label:has-text('Age band')")
    page.wait_for_url(re.compile(r"\?brand=MuscleBlaze&rule=dominant$"))
    assert not page_problems, page_problems
