"""Session 10's UI findings in a real browser, on a generated sample with audiences (26 states):
/audience's regions chart is sized to its rows and readable on a phone (F7), and the creator page
has one PDF button, no rank of an undefined ROAS and one unit per money axis (F11). Screenshots land
beside the server log."""

from __future__ import annotations

import pytest
from browser_helpers import goto

from components.audience_figures import TOP_REGIONS
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


@pytest.fixture(scope="module")
def sample_wh(tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("ui-findings")
    generate_sample(root / "src", orders=6_000, seed=5, audience=True)
    import_dataset(root / "src", root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


@pytest.fixture(scope="module")
def server(start_server, sample_wh):
    return start_server(sample_wh.path)


def shot(page, server, name: str) -> None:
    page.screenshot(path=str(server.log_path.parent / f"{name}.png"), full_page=True)


def tick_boxes(page, selector: str) -> list[dict]:
    ticks = page.locator(selector)
    return [b for b in (ticks.nth(i).bounding_box() for i in range(ticks.count())) if b]


def test_the_regions_chart_is_readable_on_a_phone(phone_page, server, page_problems, sample_wh):
    states = sample_wh.scalar("SELECT count(DISTINCT region) FROM sales_regions WHERE region IS NOT NULL")
    assert states > TOP_REGIONS + 1  # the case of the finding: more states than fit
    goto(phone_page, server.url + "/audience", timeout=90_000)
    phone_page.wait_for_selector("#aud-regions .ytick text", timeout=60_000)
    labels = phone_page.eval_on_selector_all("#aud-regions .ytick text", "els => els.map(e => e.textContent)")
    assert len(labels) == TOP_REGIONS + 2 and f"{states - TOP_REGIONS} other regions" in labels
    boxes = sorted(tick_boxes(phone_page, "#aud-regions .ytick text"), key=lambda b: b["y"])
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(boxes, boxes[1:])), boxes  # no label overlaps
    assert min(b["height"] for b in boxes) >= 10  # text a phone can read
    bars = tick_boxes(phone_page, "#aud-regions .trace.bars .point path")
    assert min(b["height"] for b in bars) >= 10  # bars, not hairlines
    chart = phone_page.locator("#aud-regions").bounding_box()
    assert chart["x"] + chart["width"] <= 390 and chart["height"] >= 30 * (TOP_REGIONS + 2)  # grown, not squeezed
    shot(phone_page, server, "audience-regions-phone")
    assert not page_problems, page_problems
