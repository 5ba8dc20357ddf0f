"""/lift page: measured incremental revenue per creator and post, its interval, the method."""

from __future__ import annotations

import dataclasses

from dash import Input, Output, State, callback, html

import metrics
from callbacks import common
from callbacks.overview import incremental_cards
from components import figures
from components.cards import metric_card, notice
from components.ids import lift as ids
from components.ids import option_values
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import format as fmt
from metrics.kpis import share_basis_words
from metrics.lift import METHOD_MEASURED, lift_event, lift_status, lift_table, no_post_words, top_posts
from metrics.lift.organic import HOW_TO_ADD, organic_check, organic_days
from metrics.lift.summary import lift_kpis
from warehouse.db import WarehouseMissing

TABLE_FIELDS = [
    "influencer_id",
    "name",
    "platform",
    "tier",
    "posts",
    "baseline_per_day",
    "window_revenue",
    "incremental_revenue",
    "incremental_revenue_low",
    "incremental_revenue_high",
    "spend",
    "incremental_roas",
    "verdict",
]
POST_CHOICES = 50  # the posts offered for the event chart: the largest incremental revenue first


def lift_settings(window) -> metrics.Settings:
    """The app's settings with the page's window (one of its options, in days; anything else: the default)."""
    base = common.settings()
    offered = {str(days): days for days in option_values(ids.WINDOW_OPTIONS)}
    days = offered.get(str(window), base.lift_window_days)
    return dataclasses.replace(base, lift_window_days=days)


# Why a part's interval is wide for its size (docs/metrics.md "Measured incrementality": W × the
# level's error + √W × the window noise); said only where the selection takes parts.
PARTS_NOTE = (
    "With a date range, brand, campaign or product chosen, each creator's figure covers part of its post "
    "windows. Its interval carries that share of the error in the creator's baseline, but the day-to-day "
    "noise of its own window days shrinks only with the square root of the share: a short date range or a "
    "single post has an interval that is wide for its size."
)


def method_note(k: dict, filters: metrics.Filters = metrics.Filters()) -> html.Div:
    """The method in plain words (with PARTS_NOTE where `filters` take a share of creators' windows:
    a date range, brand, campaign or product), or why the figures are assumed."""
    if k.get("incrementality_method") != METHOD_MEASURED:
        return notice(
            f"Not measured: {k.get('incrementality_reason')}. Incremental figures elsewhere assume "
            f"{fmt.share(k.get('baseline_share'), 0)} of attributed revenue would have happened anyway."
        )
    window, confidence = k["incrementality_window_days"], fmt.share(k["incrementality_confidence"], 0)
    no_post = no_post_words(k)
    return html.Div(
        [
            notice(f"{no_post.capitalize()}.", color="info", icon="bi-info-circle") if no_post else None,
            html.P(
                f"How this is measured: sales tracked to a creator keep arriving on days it has not posted (codes "
                f"on coupon sites, links in its bio, repeat buyers). Those quiet days give its baseline, by weekday. "
                f"A post's incremental revenue is what the creator sold in the {window} days from the post beyond "
                f"that baseline; windows of posts close together are merged and counted once. The baseline is "
                f"estimated over every day of the data set, so appending sales re-estimates it: an earlier "
                f"period's incremental figures can move after an append."
            ),
            html.P(
                f"Each figure has a {confidence} interval from resampling the quiet days (a stationary bootstrap): "
                f"where it includes 0 the result is not distinguishable from baseline. Sales that rise for every "
                f"creator on the same dates (a brand-wide sale, a season) are read from the creators who were quiet "
                f"then and are not counted as lift. A change that hits one creator alone inside its window (its "
                f"code posted on a coupon site, a competitor's outage in its niche) is counted as lift, and so is a "
                f"sale on dates when almost every creator was posting; the quiet days are taken to represent days "
                f"without a post."
            ),
            html.P(PARTS_NOTE) if filters.has_sale_filter else None,
        ]
    )


@callback(
    Output(ids.KPIS, "children"),
    Output(ids.METHOD_NOTE, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),  # the window's changes reach it through the URL (callbacks/page_state.py)
    State(ids.WINDOW, "value"),
    Input(URL, "pathname"),
)
def lift_page(search, window, pathname):
    """The KPI cards and the method note (or the empty state); lift_creators fills the rest in a
    request of its own, so the two run side by side (one core each on a two-core server)."""
    filters, settings = common.filters_from_search(search), lift_settings(window)
    try:
        k = lift_kpis(common.warehouse(), filters, settings)
    except WarehouseMissing as error:
        return [], None, common.no_data_state(error), common.HIDE
    if not common.has_activity(k):
        return [], None, common.no_data_state(pathname=pathname), common.HIDE
    cards = incremental_cards(k, settings, prefix="lift-") + [
        metric_card(
            "incremental_share",
            k.get("incremental_share"),
            settings,
            card_id="lift-share",
            sub=share_basis_words(k),
            # the assumed share is 1 − baseline_share by construction: badged as the cards beside it
            badge=None if k.get("incrementality_method") == METHOD_MEASURED else "assumed",
        )
    ]
    return cards, method_note(k, filters), None, common.SHOW


@callback(
    Output(table_id(ids.CREATOR_TABLE), "rowData"),
    Output(ids.INTERVAL_CHART, "figure"),
    Output(ids.INTERVAL_CHART, "style"),
    Output(ids.POST, "options"),
    Output(ids.POST, "value"),
    Input(URL, "search"),
    State(ids.WINDOW, "value"),
)
def lift_creators(search, window):
    """The per-creator table and interval chart (its graph as tall as its rows: a phone reads each
    name) and the event chart's post picker (the largest incremental revenue first); empty where
    lift is not measured or there is no data set (the page then shows lift_page's note or empty state)."""
    filters, settings = common.filters_from_search(search), lift_settings(window)
    unsized = {"height": f"{ids.INTERVAL_HEIGHT}px"}
    try:
        wh = common.warehouse()
        if lift_status(wh, settings)[0] != METHOD_MEASURED:
            return [], figures.empty_figure("Not measured", height=ids.INTERVAL_HEIGHT), unsized, [], None
        creators = lift_table(wh, "influencer", filters, settings)
        posts = top_posts(wh, POST_CHOICES, filters, settings)
    except WarehouseMissing:
        return [], figures.empty_figure(height=ids.INTERVAL_HEIGHT), unsized, [], None
    options = [
        {
            "label": f"{row['post_id'] or 'post'} · {row['name']} · {row['date']:%d %b %Y} · "
            f"{fmt.inr_compact(row['incremental_revenue'])}",
            "value": int(row["post_no"]),
        }
        for row in posts.to_dict("records")
    ]
    height = figures.lift_intervals_height(creators, least=ids.INTERVAL_HEIGHT)
    return (
        records(creators, TABLE_FIELDS),
        figures.lift_intervals(creators, height=height),
        {"height": f"{height}px"},
        options,
        options[0]["value"] if options else None,
    )


@callback(Output(ids.EVENT_CHART, "figure"), Input(ids.POST, "value"), Input(ids.WINDOW, "value"))
def lift_post_event(post_no, window):
    if post_no is None:
        return figures.empty_figure("No post in the selection")
    try:
        event = lift_event(common.warehouse(), int(post_no), lift_settings(window))
    except WarehouseMissing:
        return figures.empty_figure()
    return figures.lift_event(event, height=340)


def organic_note(check: dict) -> html.Div:
    """What the organic-sales check does, in plain words, or how to add the file it needs."""
    if not check["available"]:
        return notice(
            f"No organic sales file: {HOW_TO_ADD}. With it, this section sets the lift of each brand's total "
            f"sales around its campaigns beside the attributed lift above.",
            color="info",
            icon="bi-info-circle",
        )
    confidence = fmt.share(check["confidence"], 0)
    return html.Div(
        [
            html.P(
                "Codes and links miss buyers who saw a post and bought another way, and count buyers who would "
                "have bought anyway. This check looks at each brand's total sales instead: a model of its daily "
                "sales in the 13 weeks before a campaign (level and weekday pattern) forecasts what it would have "
                f"sold without it; total lift is what it sold beyond that forecast over the campaign and the "
                f"{check['window_days']} days after, with a {confidence} interval."
            ),
            html.P(
                "Halo: the total lift's interval lies above the attributed lift's (the posts sold beyond their "
                "codes). Cannibalisation: below (attributed sales that would have happened anyway). Consistent: "
                "they overlap. The forecast assumes nothing else changed sales during the campaign (prices, "
                "stock, seasons beyond the weekly pattern); creator and product filters do not apply."
            ),
        ]
    )


@callback(
    Output(ids.ORGANIC_NOTE, "children"),
    Output(table_id(ids.ORGANIC_TABLE), "rowData"),
    Output(ids.ORGANIC_BURST, "options"),
    Output(ids.ORGANIC_BURST, "value"),
    Output(ids.ORGANIC_BODY, "style"),
    Output(ids.ORGANIC_TABLE_BOX, "style"),
    Input(URL, "search"),
    State(ids.WINDOW, "value"),
)
def lift_organic(search, window):
    """The organic check's note, rows, campaign choices and the shown parts: the section hidden without
    the organic file, the grid hidden when no campaign is in the selection (the chart says so)."""
    filters, settings = common.filters_from_search(search), lift_settings(window)
    try:
        check = organic_check(common.warehouse(), filters, settings)
    except WarehouseMissing:
        return None, [], [], None, common.HIDE, common.HIDE
    if not check["available"]:
        return organic_note(check), [], [], None, common.HIDE, common.HIDE
    fitted = [row for row in check["rows"] if row["total_lift"] is not None]
    options = [{"label": f"{row['campaign']} · {row['verdict']}", "value": row["campaign"]} for row in fitted]
    return (
        organic_note(check),
        check["rows"],
        options,
        options[0]["value"] if options else None,
        common.SHOW,
        common.SHOW if check["rows"] else common.HIDE,
    )


@callback(Output(ids.ORGANIC_CHART, "figure"), Input(ids.ORGANIC_BURST, "value"), Input(ids.WINDOW, "value"))
def lift_organic_chart(campaign, window):
    if campaign is None:
        return figures.empty_figure("No campaign with a counterfactual in the selection")
    try:
        days = organic_days(common.warehouse(), campaign, lift_settings(window))
    except WarehouseMissing:
        return figures.empty_figure()
    return figures.organic_counterfactual(days, height=340)
