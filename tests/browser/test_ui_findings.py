"""Session 10's UI findings in a real browser, on a generated sample with audiences (26 states):
/audience's regions chart is sized to its rows and readable on a phone (F7), and the creator page
has one PDF button, no rank of an undefined ROAS and one unit per money axis (F11). Screenshots land
beside the server log."""

from __future__ import annotations

from browser_helpers import drawn_boxes, goto, screenshot

from components.audience_figures import TOP_REGIONS

SAMPLE = {"orders": 6_000, "seed": 5, "audience": True}  # conftest: sample_wh, server


def test_the_regions_chart_is_readable_on_a_phone(phone_page, server, page_problems, sample_wh):
    states = sample_wh.scalar("SELECT count(DISTINCT region) FROM sales_regions WHERE region IS NOT NULL")
    assert states > TOP_REGIONS + 1  # the case of the finding: more states than fit
    goto(phone_page, server.url + "/audience", timeout=90_000)
    phone_page.wait_for_selector("#aud-regions .ytick text", timeout=60_000)
    labels = phone_page.eval_on_selector_all("#aud-regions .ytick text", "els => els.map(e => e.textContent)")
    assert len(labels) == TOP_REGIONS + 2 and f"{states - TOP_REGIONS} other regions" in labels
    boxes = sorted(drawn_boxes(phone_page, "#aud-regions .ytick text"), key=lambda b: b["y"])
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(boxes, boxes[1:])), boxes  # no label overlaps
    assert min(b["height"] for b in boxes) >= 10  # text a phone can read
    bars = drawn_boxes(phone_page, "#aud-regions .trace.bars .point path")
    assert min(b["height"] for b in bars) >= 10  # bars, not hairlines
    chart = phone_page.locator("#aud-regions").bounding_box()
    assert chart["x"] + chart["width"] <= 390 and chart["height"] >= 30 * (TOP_REGIONS + 2)  # grown, not squeezed
    screenshot(phone_page, server, "audience-regions-phone")
    assert not page_problems, page_problems


def _creators(sample_wh):
    import metrics

    ranked = metrics.ranking(sample_wh)
    undefined = ranked[ranked["roas"].isna()]
    defined = ranked[ranked["roas"].notna()]
    assert len(undefined) and len(defined)  # the sample has creators without spend
    return defined.iloc[0], undefined.iloc[0]


def test_the_creator_page_has_one_pdf_button_a_rank_only_by_a_defined_roas_and_one_unit_per_axis(
    page, server, page_problems, sample_wh
):
    ranked, unranked = _creators(sample_wh)
    for row, has_rank in ((ranked, True), (unranked, False)):
        goto(page, server.url + f"/influencers/{row['influencer_id']}", timeout=90_000)
        page.wait_for_selector("#creator-header h1", timeout=60_000)
        page.wait_for_selector("#creator-pdf", state="visible")
        buttons = page.get_by_role("button", name="Download PDF")
        assert buttons.count() == 1 and buttons.first.get_attribute("id") == "creator-pdf"
        assert not page.locator("#report-button").is_visible()
        badges = page.inner_text("#creator-header")
        assert ("by ROAS" in badges) is has_rank, badges
        if has_rank:
            assert f"Rank #{int(row['rank'])} by ROAS" in badges
            page.wait_for_selector("#creator-time-sale .ytick text", timeout=60_000)
            ticks = page.eval_on_selector_all("#creator-time-sale .ytick text", "els => els.map(e => e.textContent)")
            units = {("Cr" if "Cr" in t else "L" if "L" in t else "₹") for t in ticks if t not in ("₹0", "")}
            assert len(units) == 1, ticks  # one unit on the revenue axis
        else:
            assert page.inner_text("#kpi-creator-roas-value").strip() == "—"
    screenshot(page, server, "creator-without-roas")
    goto(page, server.url + "/influencers")  # the navbar's button is back off the creator pages
    page.wait_for_selector("#report-button", state="visible")
    assert not page_problems, page_problems


def test_a_creator_paid_nothing_has_no_empty_roas_axis(page, server, page_problems, sample_wh):
    """A creator with sales but no spend has no ROAS in any week: the weekly chart draws its revenue
    bars without a ROAS line or an empty 0x–4x axis, and the note under it says why; a paid creator
    keeps both."""
    import metrics

    ranked = metrics.ranking(sample_wh)
    unpaid = ranked[ranked["roas"].isna() & (ranked["revenue"] > 0)].iloc[0]
    paid = ranked[ranked["roas"].notna()].iloc[0]
    for row, has_roas in ((unpaid, False), (paid, True)):
        goto(page, server.url + f"/influencers/{row['influencer_id']}", timeout=90_000)
        page.wait_for_selector("#creator-time-sale .main-svg .ytick", timeout=60_000)
        assert page.locator("#creator-time-sale .trace.bars .point path").count() > 0
        legend = page.eval_on_selector_all("#creator-time-sale .legendtext", "els => els.map(e => e.textContent)")
        assert ("ROAS" in legend) is has_roas, legend
        assert (page.locator("#creator-time-sale .y2tick").count() > 0) is has_roas
        assert ("No ROAS line: no spend in any period" in page.inner_text("#creator-time-note")) is not has_roas
        if not has_roas:
            page.locator("#creator-time-sale").scroll_into_view_if_needed()
            screenshot(page, server, "creator-paid-nothing")
    assert not page_problems, page_problems


def test_creator_date_ticks_stand_apart_on_a_phone(phone_page, server, page_problems, sample_wh):
    """Tester F12: at 390 px the creator's weekly chart (two axis titles: a narrow plot area) read
    "30 Dec10 Mar26 May…". Ticks are spread over the whole range and thinned in the browser until
    they fit; each label stands apart, with the year under the first."""
    import metrics
    from metrics.cohorts import time_series

    ranked = metrics.ranking(sample_wh)
    paid = ranked[ranked["roas"].notna()]
    weeks = {i: len(time_series(sample_wh, influencer_id=i)) for i in paid["influencer_id"][:12]}
    for influencer_id in (min(weeks, key=weeks.get), paid["influencer_id"].iloc[0]):  # sparsest, busiest
        goto(phone_page, server.url + f"/influencers/{influencer_id}", timeout=90_000)
        phone_page.wait_for_selector("#creator-time-sale .y2tick", timeout=60_000)  # both axes drawn
        phone_page.wait_for_timeout(500)  # the browser's thinning redraws once
        texts = phone_page.eval_on_selector_all("#creator-time-sale .xtick text", "els => els.map(e => e.textContent)")
        ticks = sorted(drawn_boxes(phone_page, "#creator-time-sale .xtick text"), key=lambda b: b["x"])
        assert len(ticks) >= 2 and all(a["x"] + a["width"] + 4 <= b["x"] for a, b in zip(ticks, ticks[1:])), texts
        assert texts[0][-4:].isdigit(), texts  # '30 Dec' over its year
    phone_page.locator("#creator-time-sale").scroll_into_view_if_needed()
    screenshot(phone_page, server, "creator-date-ticks-phone")
    assert not page_problems, page_problems


def test_phone_charts_have_no_tool_bar_over_them_and_the_heatmap_reads(phone_page, server, page_problems):
    """Screenshot pass at 390 px: Plotly's tool bar covered legends and top axis labels; the heatmap's
    cell labels shrank to 7 px in a graph squeezed to its card."""
    goto(phone_page, server.url + "/categories", timeout=90_000)
    phone_page.wait_for_selector("#cat-heatmap .heatmap-label text", timeout=60_000)
    assert not phone_page.locator("#cat-heatmap .modebar-container").is_visible()
    sizes = phone_page.eval_on_selector_all(
        "#cat-heatmap .heatmap-label text, #cat-heatmap .heatmap-label tspan",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 9, sizes
    labels = drawn_boxes(phone_page, "#cat-heatmap .heatmap-label text")
    overlapping = [
        (a, b)
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["x"] < b["x"] + b["width"] - 1
        and b["x"] < a["x"] + a["width"] - 1
        and a["y"] < b["y"] + b["height"] - 1
        and b["y"] < a["y"] + a["height"] - 1
    ]
    assert not overlapping, overlapping[:3]  # each cell's text stays in its cell
    boxes = sorted(drawn_boxes(phone_page, "#cat-heatmap .ytick text"), key=lambda b: b["y"])
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(boxes, boxes[1:])), boxes
    screenshot(phone_page, server, "categories-phone")
    assert not page_problems, page_problems
