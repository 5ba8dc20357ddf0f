"""Session 9's tester findings in a real browser, on a generated sample with audiences (the data set
`make run` loads): a comparison period partly before the data is said on `/`, /lift's window goes
with the navbar and `/`'s incremental cards show it, date ticks stay horizontal on a phone, and
/audience has the sample's audiences and sales regions. Screenshots land beside the server log."""

from __future__ import annotations

import re

from browser_helpers import goto, normalise, screenshot, wait_for_text

import metrics
from metrics import format as fmt

SAMPLE = {"orders": 6_000, "seed": 5, "audience": True}  # conftest: sample_wh, server


def test_partial_comparison_is_visible_on_the_overview(page, server, page_problems, sample_wh):
    first = metrics.sale_date_bounds(sample_wh)[0]  # 1 Jan 2025: 10–31 Jan compares with 19 Dec – 9 Jan
    goto(page, server.url + "/?start=2025-01-10&end=2025-01-31", timeout=90_000)
    note = page.locator("#ov-compare-note")
    note.wait_for(state="visible")
    assert normalise(note.inner_text()) == (
        "Changes against the previous period (comparison partial), 19 Dec 2024 – 9 Jan 2025. "
        f"No data before {fmt.date(first)}: the comparison period is partly before it."
    )
    assert "vs previous period (comparison partial)" in normalise(page.inner_text("#kpi-revenue"))
    screenshot(page, server, "overview-partial-comparison")
    goto(page, server.url + "/?start=2025-03-01&end=2025-03-31", timeout=90_000)
    page.wait_for_selector("#kpi-revenue-change")
    assert normalise(page.inner_text("#ov-compare-note")) == ""
    assert not page_problems, page_problems


def test_lift_window_goes_with_the_navbar_and_labels_the_cards(page, server, page_problems, sample_wh):
    goto(page, server.url + "/lift?window=28", timeout=90_000)
    page.wait_for_selector("#kpi-lift-incremental-revenue-value", timeout=90_000)
    page.click("nav a:has-text('Overview')")
    page.wait_for_url(re.compile(r"/\?window=28$"))
    k28 = metrics.kpis(sample_wh, metrics.Filters(), metrics.Settings(lift_window_days=28))
    wait_for_text(page, "#kpi-incremental-revenue-value", fmt.inr_compact(k28["incremental_revenue"]), 60_000)
    assert "measured · 28-day window" in normalise(page.inner_text("#kpi-incremental-revenue"))
    assert "measured · 28-day window" in normalise(page.inner_text("#kpi-incremental-roas"))
    screenshot(page, server, "overview-window-28")
    page.click("nav a:has-text('Influencers')")  # and on to the next page
    page.wait_for_url(re.compile(r"/influencers\?window=28$"))
    goto(page, server.url + "/", timeout=90_000)  # the default window, said as visibly
    k14 = metrics.kpis(sample_wh)
    wait_for_text(page, "#kpi-incremental-revenue-value", fmt.inr_compact(k14["incremental_revenue"]), 60_000)
    assert "measured · 14-day window" in normalise(page.inner_text("#kpi-incremental-revenue"))
    assert not page_problems, page_problems


def horizontal_ticks(page, chart: str) -> list[str]:
    """The chart's date tick labels, asserting none is rotated and none overlaps the next."""
    page.wait_for_selector(f"{chart} .xtick text", timeout=60_000)
    ticks = page.locator(f"{chart} .xtick text")
    transforms = [ticks.nth(i).get_attribute("transform") or "" for i in range(ticks.count())]
    assert not any("rotate" in t for t in transforms), transforms
    boxes = sorted((b for b in (ticks.nth(i).bounding_box() for i in range(ticks.count())) if b), key=lambda b: b["x"])
    assert all(a["x"] + a["width"] <= b["x"] + 1 for a, b in zip(boxes, boxes[1:])), boxes  # no overlap
    return [normalise(t) for t in ticks.all_inner_texts()]


def test_date_ticks_stay_horizontal_on_a_phone(phone_page, server, page_problems):
    goto(phone_page, server.url + "/", timeout=90_000)
    weeks = horizontal_ticks(phone_page, "#ov-trend")
    assert len(weeks) >= 3
    phone_page.locator("#ov-trend").screenshot(path=str(server.log_path.parent / "phone-trend-weeks.png"))
    goto(phone_page, server.url + "/?start=2025-03-01&end=2025-03-31", timeout=90_000)
    phone_page.locator("#ov-grain label", has_text="Day").click()
    phone_page.wait_for_function(
        "() => document.querySelectorAll('#ov-trend .xtick text').length > 0 && "
        "!document.querySelector('#ov-trend .xtick text').textContent.includes('Mar 2025')"
        " || document.querySelectorAll('#ov-trend .point').length > 20",
        timeout=60_000,
    )
    days = horizontal_ticks(phone_page, "#ov-trend")
    assert len(days) >= 3
    phone_page.locator("#ov-trend").screenshot(path=str(server.log_path.parent / "phone-trend-days.png"))
    assert not page_problems, page_problems


def test_audience_page_has_the_samples_audiences_and_regions(page, server, page_problems):
    goto(page, server.url + "/audience", timeout=90_000)
    page.wait_for_selector("#aud-segment-roas .main-svg", timeout=60_000)
    page.wait_for_selector("#aud-regions .ytick text", timeout=60_000)
    regions = page.eval_on_selector_all("#aud-regions .ytick text", "els => els.map(e => e.textContent)")
    assert "Maharashtra" in regions and "Delhi" in regions
    assert page.locator("#aud-notice .hk-empty-title").count() == 0
    screenshot(page, server, "audience-sample")
    assert not page_problems, page_problems
