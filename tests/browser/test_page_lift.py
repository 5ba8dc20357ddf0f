"""/lift in Chromium on a sample with a planted lift: KPI cards, method note, event chart, creator
table with greyed rows, the window selector; and the assumed state on a data set too small to measure."""

from __future__ import annotations

from browser_helpers import drawn_boxes, goto, grid_rows, normalise, screenshot, table_selector, wait_for_text

import metrics
from components import figures
from metrics import catalogue
from metrics import format as fmt
from metrics.kpis import SHARE_OVER_WINDOWS
from metrics.lift import NOT_DISTINGUISHABLE, lift_table

SAMPLE = {"orders": 8_000, "seed": 13}  # conftest: sample_wh, server


def test_lift_page_shows_measured_figures_and_greys_what_is_flat(page, server, page_problems, sample_wh):
    goto(page, server.url + "/lift", timeout=90_000)
    page.wait_for_selector("#lift-event .main-svg", timeout=90_000)
    page.wait_for_selector(table_selector("lift-creators") + " .ag-center-cols-container .ag-row", timeout=90_000)
    k = metrics.kpis(sample_wh)
    assert k["incrementality_method"] == "event-window"
    wait_for_text(page, "#kpi-lift-incremental-revenue-value", fmt.inr_compact(k["incremental_revenue"]))
    card = normalise(page.inner_text("#kpi-lift-incremental-revenue"))
    assert "measured" in card and normalise(fmt.inr_compact(k["incremental_revenue_low"])) in card
    # the label stands beside the interval exactly when the interval includes 0 (METRICS.md)
    assert (NOT_DISTINGUISHABLE in card) == (k["incrementality_verdict"] == NOT_DISTINGUISHABLE)
    assert "quiet days" in page.inner_text("#lift-method-note")
    table = lift_table(sample_wh, "influencer")
    shown = grid_rows(page, table_selector("lift-creators"), "influencer_id")
    assert shown[:5] == list(table["influencer_id"][:5])
    flat = page.locator(
        table_selector("lift-creators") + " .ag-center-cols-container .ag-row.hk-lift-flat [col-id=influencer_id]"
    )
    expected = table.loc[
        table["influencer_id"].isin(shown) & (table["verdict"] == NOT_DISTINGUISHABLE), "influencer_id"
    ]
    assert sorted(flat.all_inner_texts()) == sorted(expected) and len(expected) > 0
    assert (
        page.locator(table_selector("lift-creators") + " .ag-center-cols-container .ag-row:not(.hk-lift-flat)").count()
        > 0
    )
    # The event chart draws the window and the baseline; the window selector changes the figures.
    assert page.locator("#lift-event .shapelayer path, #lift-event .layer-below path").count() >= 1
    page.locator("label", has_text="28 days").click()
    k28 = metrics.kpis(sample_wh, metrics.Filters(), metrics.Settings(lift_window_days=28))
    wait_for_text(page, "#kpi-lift-incremental-revenue-value", fmt.inr_compact(k28["incremental_revenue"]))
    assert "28-day" in page.get_attribute("#kpi-lift-incremental-roas-info", "title")
    page.screenshot(path=str(server.log_path.parent / "lift.png"), full_page=True)
    assert not page_problems, page_problems


def test_a_date_ranges_share_card_names_the_revenue_it_is_of(page, server, page_problems, sample_wh):
    """A one-day range: the share is of the day's revenue outside earlier posts' windows and its
    posts' window days after it, and the card says so (before, the day's revenue alone: shares
    above 100 %)."""
    dates = sorted(lift_table(sample_wh, "post")["date"])
    day = dates[len(dates) // 2].date().isoformat()  # a post's day, its window running on after it
    k = metrics.kpis(sample_wh, metrics.Filters(start=day, end=day))
    assert k["incremental_share_revenue"] > k["revenue"]
    goto(page, server.url + f"/lift?start={day}&end={day}", timeout=90_000)
    wait_for_text(page, "#kpi-lift-share-value", catalogue.get("incremental_share").short(k["incremental_share"]))
    card = normalise(page.inner_text("#kpi-lift-share"))
    assert normalise(f"of {fmt.inr_compact(k['incremental_share_revenue'])} {SHARE_OVER_WINDOWS}") in card
    screenshot(page, server, "lift-share-range")
    assert not page_problems, page_problems


def test_the_interval_chart_reads_on_a_phone(phone_page, server, page_problems, sample_wh):
    """390 px: one level row per creator (the graph grows with its rows instead of squeezing 20 names
    into 340 px), names that do not overlap, money ticks level, nothing wider than the screen."""
    table = lift_table(sample_wh, "influencer")
    rows = min(len(table), figures.LIFT_ROWS)
    assert rows == figures.LIFT_ROWS  # the case of the finding: a full chart
    goto(phone_page, server.url + "/lift", timeout=90_000)
    phone_page.wait_for_selector("#lift-intervals .ytick text", timeout=90_000)
    names = phone_page.eval_on_selector_all("#lift-intervals .ytick text", "els => els.map(e => e.textContent)")
    assert names[::-1] == [n if len(n) <= 18 else n[:17].rstrip() + "…" for n in table["name"][:rows]]
    labels = sorted(drawn_boxes(phone_page, "#lift-intervals .ytick text"), key=lambda b: b["y"])
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(labels, labels[1:])), labels  # no overlap
    assert min(b["y"] - a["y"] for a, b in zip(labels, labels[1:])) >= 24  # a row a finger can tell apart
    turned = phone_page.eval_on_selector_all(
        "#lift-intervals .xtick text", "els => els.filter(e => /rotate/.test(e.getAttribute('transform') || ''))"
    )
    assert not turned  # money ticks level
    ticks = sorted(drawn_boxes(phone_page, "#lift-intervals .xtick text"), key=lambda b: b["x"])
    assert all(a["x"] + a["width"] <= b["x"] for a, b in zip(ticks, ticks[1:])), ticks
    graph = phone_page.locator("#lift-intervals").bounding_box()
    assert graph["height"] == figures.lift_intervals_height(table) and graph["x"] + graph["width"] <= 390
    phone_page.locator("#lift-intervals").scroll_into_view_if_needed()
    screenshot(phone_page, server, "lift-intervals-phone")
    assert not page_problems, page_problems


def test_lift_page_says_why_it_is_assumed(page, start_server, traps_wh, page_problems):
    goto(page, start_server(traps_wh.path).url + "/lift", timeout=90_000)
    page.wait_for_selector("#lift-method-note .alert")
    assert "Not measured: too little history" in page.inner_text("#lift-method-note")
    assert "assumed" in page.inner_text("#kpi-lift-incremental-revenue")


def test_a_creators_incremental_roas_card_reads_its_interval(page, server, page_problems, sample_wh):
    """The creator page's own Incremental ROAS card says "not distinguishable from baseline" as the
    selection's cards do: for a creator whose interval includes 0 (by /lift's table), not for a
    positive one."""
    table = lift_table(sample_wh, "influencer")
    for verdict in (NOT_DISTINGUISHABLE, "positive"):
        creator = table.loc[table["verdict"] == verdict, "influencer_id"].iloc[0]
        goto(page, server.url + f"/influencers/{creator}", timeout=90_000)
        page.wait_for_selector("#kpi-creator-incremental_roas-value", timeout=90_000)
        card = normalise(page.inner_text("#kpi-creator-incremental_roas"))
        assert "measured" in card.lower() and (NOT_DISTINGUISHABLE in card) == (verdict == NOT_DISTINGUISHABLE), card
        if verdict == NOT_DISTINGUISHABLE:
            page.locator("#kpi-creator-incremental_roas").scroll_into_view_if_needed()
            screenshot(page, server, "creator-incremental-roas")
    assert not page_problems, page_problems
