"""The creator page /influencers/<influencer_id>: figures, verdict, contract, time charts, posts,
audience and the one-creator PDF. Names, captions and links are the files' text: Dash renders them
as text (never markup), and a post's link is made only from an http(s) address."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from callbacks import common
from callbacks.overview import undated_note
from components import audience_figures, figures
from components.audience_notes import region_note
from components.cards import GRAPH_CONFIG, empty_state, metric_card, notice, poor_badge, roas_rank_badge, stat_list
from components.ids import creator as ids
from components.ids.shell import URL
from components.report_button import BUSY_LABEL, IDLE_LABEL
from metrics import catalogue
from metrics import format as fmt
from metrics.audience import HOW_TO_ADD, creator_audience, creator_regions
from metrics.creator import CARD_KEYS, contract_scope, creator_exists, creator_view, lift_basis, lift_interval
from metrics.filters import Filters
from metrics.influencer import UnknownInfluencer
from metrics.lift import METHOD_MEASURED, NO_POST, indistinguishable_note, no_post_words

VERDICT_COLOURS = {
    "scale": "success",
    "renew": "primary",
    "review": "secondary",
    "drop": "danger",
    "too early": "info",
}


def safe_link(url) -> str | None:
    """The address when it is an absolute http(s) URL with a host, else None: only those become links
    (a `javascript:` or relative address in a file stays text)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def external_link(text, url: str, class_name: str | None = None) -> html.A:
    """A link that opens in a new tab without giving that page a handle on this one."""
    return html.A(text, href=url, target="_blank", rel="noopener noreferrer", className=class_name)


def not_found(influencer_id: str) -> html.Div:
    return empty_state(
        f"No creator with id “{influencer_id}”",
        "The data set has no influencer with this id (a link from before an import, or a typing error). "
        "Find the creator in the ranking.",
        icon="bi-person-x",
        reset_href="/influencers",
    )


# --- header, cards, verdict, contract -----------------------------------------------------------


def header(profile: dict, search: str | None, settings) -> list:
    meta = [
        profile.get("platform"),
        profile.get("category"),
        profile.get("tier"),
        f"{fmt.followers(profile.get('followers'))} followers" if fmt.clean(profile.get("followers")) else None,
        f"id {profile.get('influencer_id')}",
    ]
    badges = poor_badge(profile, settings)
    if (rank := roas_rank_badge(profile)) is not None:
        badges.append(rank)
    if profile.get("known") is False:
        badges.append(dbc.Badge("Not in the influencer list", color="warning", text_color="dark"))
    profile_url = safe_link(profile.get("url"))
    return [
        dcc.Link("← All influencers", href="/influencers" + common.search_of(common.filters_from_search(search))),
        html.H1(str(profile.get("name") or profile.get("influencer_id")), className="hk-page-title"),
        html.P(
            [" · ".join(str(m) for m in meta if m not in (None, ""))]
            + ([" · ", external_link("profile", profile_url)] if profile_url else []),
            className="hk-page-subtitle mb-1",
        ),
        html.Div(badges) if badges else None,
    ]


def kpi_cards(profile: dict, comparison: dict, settings) -> list:
    """The creator's KPI cards (catalogue labels and formats), each against the comparison period."""
    card = functools.partial(metric_card, comparison=comparison)
    # CAC on new customers estimated from orders (no buyer ids) says so, as on the overview
    estimated = {"new_customers", "cac"} if profile.get("new_customers_estimated") else set()
    # a cost per unit of ₹0.00 or any "—" says why under it (no cost recorded: a payout missing, not
    # free customers; ₹0 spend in a selection without the creator's post: its fees follow posts)
    why = {key: catalogue.card_note(key, profile) for key in CARD_KEYS}
    # ROAS and ROI take one colour from the poor-performer rule, as on the overview (ROI 56.6 %
    # green beside ROAS 1.57x red read as a contradiction)
    returns_tone = catalogue.POOR_PERFORMER.tone(profile, settings)
    cards = [
        card(
            key,
            profile.get(key),
            settings,
            card_id=f"creator-{key}",
            badge="estimated" if key in estimated else None,
            # the badge's digits: "2.00x" must not sit beside "ROAS 1.999x < 2x"
            value_text=catalogue.POOR_PERFORMER.roas_text(profile.get(key), settings) if key == "roas" else None,
            sub=why.get(key),
            tone=returns_tone if key in catalogue.RETURNS_KEYS else "threshold",
        )
        for key in CARD_KEYS
    ]
    cards.append(
        metric_card(
            "incremental_roas",
            profile.get("incremental_roas"),
            settings,
            card_id="creator-incremental_roas",
            badge="measured" if profile.get("lift_method") == METHOD_MEASURED else "assumed",
            # as the selection's card: an interval that includes 0 reads as no measured effect, and
            # no post in the selection is said instead of a verdict on ₹0
            sub=NO_POST.capitalize() if no_post_words(profile) else indistinguishable_note(profile),
        )
    )
    return cards


def verdict_block(profile: dict) -> list:
    verdict = str(profile.get("verdict") or "review")
    return [
        html.Div(
            [
                dbc.Badge(verdict.capitalize(), color=VERDICT_COLOURS.get(verdict, "secondary"), className="fs-6"),
                html.Span(str(profile.get("verdict_reason") or ""), className="ms-2"),
            ],
            className="mb-2",
        ),
        stat_list(
            [
                (
                    catalogue.get("incremental_revenue").label,
                    catalogue.get("incremental_revenue").text(profile.get("incremental_revenue")),
                ),
                ("Interval", lift_interval(profile)),
                ("Lift window", lift_basis(profile)),
                (
                    catalogue.get("incremental_roas").label,
                    catalogue.get("incremental_roas").text(profile.get("incremental_roas")),
                ),
                (
                    catalogue.get("marginal_roas").label,
                    catalogue.get("marginal_roas").text(profile.get("marginal_roas")),
                ),
                (
                    catalogue.get("efficiency_score").label,
                    catalogue.get("efficiency_score").text(profile.get("efficiency_score")),
                ),
            ]
        ),
    ]


CONTRACT_FIGURES = (
    "posts",
    "orders",
    "total_revenue",
    "terms_cost",
    "total_payout",
    "gifted_cost",
    "other_cost",
    "total_cost",
)


def _file_row(row: dict) -> str:
    """A payout row as the import's warnings name it: "payouts.csv, row 3" (metrics.payouts.with_file_rows;
    a file whose lines are not known names its data row)."""
    file, line = row.get("row_file"), row.get("row_no")
    if line is None or pd.isna(line):
        return str(file)
    return f"row {line}" if file is None else f"{file}, row {line}"


def contract_block(payouts: pd.DataFrame | None, filters=None) -> list:
    """Each payout row: its basis, the rate as written and as parsed, and its amounts; first, that
    these are the whole contract whatever the filters (metrics.creator.contract_scope)."""
    if payouts is None or payouts.empty:
        return [html.P("No payout row for this creator.", className="text-body-secondary")]
    scope = contract_scope(filters if filters is not None else Filters())
    blocks = [html.P(scope, className="hk-card-subtitle", id=ids.CONTRACT_SCOPE)]
    for row in payouts.to_dict("records"):
        items = [
            ("Basis", str(row.get("basis") or "—")),
            ("Rate as written", str(row.get("rate_text") or "—")),
            ("Terms (parsed)", str(row.get("rate") or "—")),
        ]
        items += [
            (catalogue.get(key).column_header, catalogue.get(key).text(row.get(key)))
            for key in CONTRACT_FIGURES
            if key in row
        ]
        blocks.append(html.Div([html.H3(f"Payout: {_file_row(row)}", className="hk-section-title"), stat_list(items)]))
    return blocks


# --- posts ---------------------------------------------------------------------------------------


def post_item(post: dict, measured: bool) -> html.Li:
    """One post: date, link (http(s) only, new tab), caption, reach, engagement, window revenue and lift."""
    url = safe_link(post.get("url"))
    title = (
        f"{fmt.date(post.get('date')) if post.get('date') is not None else 'Undated'} · {post.get('platform') or ''}"
    )
    if post.get("brand"):
        title += f" · {post['brand']}"
    link = (
        external_link(
            [html.I(className="bi bi-box-arrow-up-right me-1", **{"aria-hidden": "true"}), "Open post"],
            url,
            ids.POST_LINK_CLASS,
        )
        if url
        else html.Span(f"Link: {post.get('url')}" if post.get("url") else "No link", className="text-body-secondary")
    )
    figures_shown = [
        ("reach", post.get("reach")),
        ("engagements", post.get("engagements")),
        ("engagement_rate_pct", post.get("engagement_rate_pct")),
        ("cost", post.get("cost")),
    ]
    if measured:
        figures_shown += [
            ("window_revenue", post.get("window_revenue")),
            ("incremental_revenue", post.get("incremental_revenue")),
        ]
    stats = [(catalogue.get(key).label, catalogue.get(key).text(value)) for key, value in figures_shown]
    if measured:
        low, high = post.get("incremental_revenue_low"), post.get("incremental_revenue_high")
        stats.append(("Lift interval", f"{fmt.inr(low)} to {fmt.inr(high)}" if low is not None else "—"))
        stats.append(("Lift", str(post.get("lift_verdict") or "no window in the data")))
    return html.Li(
        [
            html.Div([html.Strong(title, className="me-auto"), link], className="d-flex flex-wrap gap-2"),
            html.P(str(post.get("caption") or "No caption"), className="hk-post-caption mb-1"),
            stat_list(stats),
        ],
        className="hk-post list-group-item",
        id=ids.post_item(post.get("post_id")),
    )


def unlisted_note(unlisted: dict) -> str:
    """What a sale filter leaves out of the list but the creator's lift counts (metrics.creator)."""
    if not unlisted.get("posts"):
        return ""
    return (
        f" Not listed: {unlisted['posts']} posts the filters leave out whose windows sold in the selection "
        f"({fmt.inr(unlisted['window_revenue'])} window revenue, {fmt.inr(unlisted['incremental_revenue'])} lift, "
        "counted in the creator's total)."
    )


def posts_block(posts: pd.DataFrame | None, profile: dict) -> tuple[str, list]:
    measured = profile.get("lift_method") == METHOD_MEASURED
    if posts is None or posts.empty:
        return "", [html.P("No posts in the selection.", className="text-body-secondary")]
    note = f"{len(posts)} post{'s' if len(posts) != 1 else ''}, oldest first."
    if measured:
        note += (
            " Window revenue: attributed revenue in the post's window; lift: beyond the creator's baseline (page Lift)."
        )
        note += unlisted_note(posts.attrs.get("unlisted") or {})
    else:
        note += " Lift per post is not measured for this data set."
    items = [post_item(p, measured) for p in posts.to_dict("records")]
    return note, [html.Ul(items, className="list-group hk-posts")]


# --- audience --------------------------------------------------------------------------------------


def regions_block(regions) -> list:
    """The creator's audience places against where its sales come from (metrics.audience.region_comparison)."""
    figure = audience_figures.regions_against_sales(regions, height=audience_figures.regions_height(regions))
    return [
        html.H3("Where the audience is, against where sales come from", className="hk-section-title mt-3"),
        dcc.Graph(id=ids.REGIONS_CHART, figure=figure, config=GRAPH_CONFIG),
        html.P(
            region_note(regions, regions.attrs.get("has_geography", True), one_creator=True), className="hk-card-footer"
        ),
    ]


def audience_block(audience: dict, regions=None) -> list:
    """The creator's audience charts; `regions` (when its sales carry a region) against its sales."""
    files = audience["files"]
    extra = regions_block(regions) if regions is not None else []
    if not (files["demographics"] or files["geography"]):
        return extra + [
            notice(
                f"No audience file in this data set. To see who watches each creator, {HOW_TO_ADD}.",
                color="info",
                icon="bi-info-circle",
            )
        ]
    charts = []
    for dimension, title in (("age_band", "Age band"), ("gender", "Gender"), ("region", "Places")):
        frame = audience[dimension]
        if frame.empty:
            kind = "demographics" if dimension != "region" else "geography"
            message = (
                f"No {title.lower()} rows for this creator in the audience {kind} file."
                if files[kind]
                else f"No audience {kind} file: {HOW_TO_ADD}."
            )
            charts.append(
                dbc.Col(
                    html.Div(
                        [html.H3(title, className="hk-section-title"), html.P(message, className="text-body-secondary")]
                    ),
                    lg=4,
                )
            )
            continue
        figure = audience_figures.audience_shares(frame, height=60 + 26 * len(frame))
        charts.append(
            dbc.Col(
                html.Div([html.H3(title, className="hk-section-title"), dcc.Graph(figure=figure, config=GRAPH_CONFIG)]),
                lg=4,
            )
        )
    return [
        dbc.Row(charts, className="g-3"),
        html.P(
            "Shares of the creator's audience from the audience files (docs/metrics.md, \"Audience "
            'segments"); places: the top places the export lists, the rest as “Other places”.',
            className="hk-card-footer",
        ),
        *extra,
    ]


# --- callbacks -------------------------------------------------------------------------------------


def not_found_status(response):
    """Flask after_request hook (app.py): the page of a creator id the data set does not have answers
    HTTP 404, with the same page (its not-found message is drawn by creator_page). One indexed
    lookup, only for a 200 HTML answer on /influencers/<id> (a redirect to sign-in says nothing)."""
    from flask import request

    if not request.path.startswith(ids.PATH_PREFIX) or response.status_code != 200 or response.mimetype != "text/html":
        return response
    # The path as sent (an id may hold an encoded "/"), decoded once as the page decodes it.
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    influencer_id = ids.creator_id_of(urlsplit(raw).path) if raw else request.path[len(ids.PATH_PREFIX) :]
    if not influencer_id:
        return response
    try:
        if not creator_exists(common.warehouse(), influencer_id):
            response.status_code = 404
    except common.WarehouseMissing:
        pass  # no data set: the page says so, as every page does
    return response


HIDDEN_BODY = (no_update,) * 9


@callback(
    Output(ids.HEADER, "children"),
    Output(ids.NOT_FOUND, "children"),
    Output(ids.BODY, "style"),
    Output(ids.KPIS, "children"),
    Output(ids.VERDICT, "children"),
    Output(ids.CONTRACT, "children"),
    Output(ids.TIME_SALE, "figure"),
    Output(ids.TIME_COHORT, "figure"),
    Output(ids.TIME_NOTE, "children"),
    Output(ids.POSTS_NOTE, "children"),
    Output(ids.POSTS, "children"),
    Output(ids.AUDIENCE, "children"),
    Input(URL, "pathname"),
    Input(URL, "search"),
)
@common.when_no_data_set(lambda error: (None, common.no_data_state(error), common.HIDE) + HIDDEN_BODY)
def creator_page(pathname, search):
    influencer_id = ids.creator_id_of(pathname)
    if influencer_id is None:
        return (no_update,) * 12
    filters, settings, wh = common.filters_from_search(search), common.settings(search), common.warehouse()
    try:
        view = creator_view(wh, influencer_id, filters, settings)
    except UnknownInfluencer:
        return (None, not_found(influencer_id), common.HIDE) + HIDDEN_BODY
    profile = view["profile"]
    posts_note, posts = posts_block(view["posts"], profile)
    ts = view["sales_over_time"]
    return (
        header(profile, search, settings),
        None,
        common.SHOW,
        kpi_cards(profile, view["comparison"], settings),
        verdict_block(profile),
        contract_block(view["payouts"], filters),
        figures.revenue_spend_over_time(ts, height=300),
        figures.revenue_spend_over_time(view["sales_by_post"], height=300),
        undated_note(ts),
        posts_note,
        posts,
        audience_block(creator_audience(wh, influencer_id), creator_regions(wh, influencer_id, filters, settings)),
    )


def known_creator(influencer_id: str | None) -> bool:
    """Whether the page's creator is in the data set (False without a data set)."""
    try:
        return influencer_id is not None and creator_exists(common.warehouse(), influencer_id)
    except common.WarehouseMissing:
        return False


@callback(Output(ids.PDF_BUTTON, "style"), Input(URL, "pathname"))
def creator_pdf_shown(pathname):
    """The one-creator PDF button: hidden on an unknown creator's page (there is nothing to report)
    and from a role the server refuses reports to."""
    return common.shown_to("analyst") if known_creator(ids.creator_id_of(pathname)) else common.HIDE


@callback(
    Output(ids.PDF_DOWNLOAD, "data"),
    Output(ids.PDF_STATUS, "children"),
    Input(ids.PDF_BUTTON, "n_clicks"),
    State(URL, "pathname"),
    State(URL, "search"),
    running=[
        (Output(ids.PDF_BUTTON, "disabled"), True, False),
        (Output(ids.PDF_BUTTON, "children"), BUSY_LABEL, IDLE_LABEL),
    ],
    prevent_initial_call=True,
)
def creator_pdf(n_clicks, pathname, search):
    """The one-creator report of the page's creator and filters (callbacks/report.py's path); an
    unknown creator gets the error alert, no PDF."""
    from callbacks.report import error_alert, make_report

    influencer_id = ids.creator_id_of(pathname)
    if not n_clicks or influencer_id is None:
        return no_update, no_update
    if not known_creator(influencer_id):  # refused before the report worker is asked (hidden button, forged call)
        return no_update, error_alert("This creator is not in the data set: there is nothing to report.")
    return make_report(search, influencer_id=influencer_id)
