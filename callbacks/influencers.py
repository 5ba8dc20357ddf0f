"""Influencers page: ranking rows (all / top / poor), quick search, the influencer detail panel."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, Patch, State, callback, ctx, dcc, html, no_update

import metrics
from callbacks import common
from callbacks.overview import undated_note
from components import figures
from components.cards import GRAPH_CONFIG, metric_card, notice, poor_badge, roas_rank_badge, stat_list
from components.ids import influencers as ids
from components.ids.shell import URL
from components.payload import plain_json
from components.ranking_grid import POOR_REASON, RANKING_FIELDS, ROAS_TEXT, view_in
from components.tables import (
    bool_col,
    csv_button,
    data_grid,
    date_col,
    metric_col,
    rate_col,
    records,
    table_id,
    text_col,
)
from metrics import catalogue
from metrics import format as fmt
from metrics.catalogue import POOR_PERFORMER
from metrics.comparison import DELTA_COLUMNS, changes_by
from metrics.lift import METHOD_MEASURED, creator_lift, lift_status
from metrics.ltv import with_ltv
from metrics.planning.verdicts import TOO_EARLY, evidence_bar, frame_dicts, with_verdicts
from metrics.summary import with_lift

RANKING = table_id(ids.RANKING_TABLE)
TOP_N = ids.TOP_N


def view_rows(frame: pd.DataFrame, view: str) -> pd.DataFrame:
    """The rows of a view: all (ranking order), top (best efficiency scores), poor performers."""
    if frame is None or frame.empty:
        return frame
    if view == "top":
        scored = frame[frame["efficiency_score"].notna()].copy()
        scored["_score"] = pd.to_numeric(scored["efficiency_score"], errors="coerce")
        scored = scored.sort_values(["_score", "influencer_id"], ascending=[False, True]).head(TOP_N)
        return scored.drop(columns="_score")
    if view == "poor":
        return frame[frame["poor_performer"].astype(bool)]
    return frame


def with_poor_reasons(rows: pd.DataFrame, settings) -> pd.DataFrame:
    """`rows` with POOR_REASON: why each flagged creator is poor (catalogue.POOR_PERFORMER.reasons,
    the PDF's words: "ROAS 1.999x < 2x"), "" for the others; the Poor column's tooltip. And with
    ROAS_TEXT: a flagged creator's ROAS in the reason's digits where the grid's two decimals would
    read otherwise ("1.999x", not "2.00x" beside that reason), "" elsewhere."""
    poor = rows["poor_performer"].fillna(False).astype(bool).tolist()
    keys = ("spend", "revenue", "roi_pct", "roas")
    reasons, roas_texts = [], []
    for flagged, row in zip(poor, frame_dicts(rows, keys)):
        reasons.append(POOR_PERFORMER.reasons(row, settings) if flagged else "")
        shown = POOR_PERFORMER.roas_text(row.get("roas"), settings) if flagged else ""
        roas_texts.append(shown if shown != fmt.ratio(row.get("roas")) else "")
    return rows.assign(**{POOR_REASON: reasons, ROAS_TEXT: roas_texts})


def ranking_summary(frame: pd.DataFrame, settings) -> list:
    """Small KPI cards above the ranking."""
    total = len(frame)
    poor = int(frame["poor_performer"].astype(bool).sum()) if total else 0
    scored = pd.to_numeric(frame["efficiency_score"], errors="coerce").dropna() if total else pd.Series(dtype=float)
    best = frame.iloc[0] if total else None
    best_roas = fmt.clean(best["roas"]) if best is not None else None
    roas, score = catalogue.get("roas"), catalogue.get("efficiency_score")
    return [
        metric_card(
            "influencers",
            total,
            settings,
            card_id="inf-count",
            formula="Influencers with sales, cost or posts in the selection",
        ),
        metric_card(
            "roas",
            best_roas,
            settings,
            card_id="inf-best",
            label=f"Best {roas.label}",
            # the flag's digits: a best of "2.00x" must not sit beside a creator flagged ROAS < 2x
            value_text=POOR_PERFORMER.roas_text(best_roas, settings),
            formula=f"The highest among the influencers in the selection. {roas.formula_for(settings)}",
            tone=None,
            sub=str(best["name"]) if best is not None and best_roas is not None else "—",
        ),
        metric_card(
            "efficiency_score",
            scored.median() if len(scored) else None,
            settings,
            card_id="inf-median-score",
            label=f"Median {score.label.lower()}",
            formula=f"Median over the influencers. {score.label}: {score.formula_for(settings)}",
        ),
        metric_card(
            "poor_performers",
            poor,
            settings,
            card_id="inf-poor",
            sub=f"of {fmt.counted(total, 'influencer')}",
            tone="bad" if poor else None,
        ),
    ]


def view_options(frame: pd.DataFrame) -> list[dict]:
    """The view switch's options with the counts of the selection (the layout's are placeholders)."""
    total = 0 if frame is None else len(frame)
    poor = 0 if frame is None or frame.empty else int(frame["poor_performer"].astype(bool).sum())
    return [
        {"label": f"All ({total})", "value": "all"},
        {"label": f"Top {min(TOP_N, total)}", "value": "top"},
        {"label": f"Poor performers ({poor})", "value": "poor"},
    ]


def too_early_note(rows: pd.DataFrame, view: str, settings) -> str:
    """The top and poor views name how many of their creators are too early to judge (they stay
    in both lists, as METRICS.md ranks them, with that verdict beside them); "" for none."""
    early = int((rows["verdict"] == TOO_EARLY).sum()) if view in ("top", "poor") and len(rows) else 0
    if not early:
        return ""
    return (
        f" {fmt.count(early)} of these {'is' if early == 1 else 'are'} too early to judge (below the evidence bar "
        f"of {evidence_bar(settings)}): see Verdict."
    )


VIEW_NOTES = {
    "all": "Ranked by ROAS (revenue ÷ spend); undefined ROAS last. Poor performers are tinted.",
    "top": f"The {TOP_N} best efficiency scores (40 % ROI + 40 % ROAS + 20 % revenue per follower).",
    "poor": "ROI below the threshold, ROAS below the threshold, or spend with no revenue.",
}


@callback(
    Output(RANKING, "rowData"),
    Output(RANKING, "selectedRows"),
    Output(ids.VIEW, "options"),
    Output(ids.TABLE_NOTE, "children"),
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),
    State(ids.VIEW, "value"),
    State(URL, "pathname"),
)
@common.when_no_data_set(lambda error: ([], [], no_update, None, [], common.no_data_state(error), common.HIDE))
def influencer_ranking(search, view, pathname):
    view = view_in(search, view)  # the view switch writes the URL (callbacks/ranking_state.py)
    filters = common.filters_from_search(search)
    settings = common.settings(search)
    wh = common.warehouse()
    method = lift_status(wh, settings)[0]
    lift = creator_lift(wh, filters, settings) if method == METHOD_MEASURED else None  # read once, used twice
    frame = with_lift(wh, metrics.ranking(wh, filters, settings), filters, settings, method, lift)
    frame = with_verdicts(wh, frame, filters, settings, lift, whole=True)
    if frame.empty:
        return [], [], view_options(frame), None, [], common.no_data_state(pathname=pathname), common.HIDE
    frame = changes_by(wh, frame, "influencer_id", filters, settings, DELTA_COLUMNS + ("cac",))
    frame = with_ltv(wh, frame, filters, settings)
    rows = view_rows(frame, view or "all")
    note = VIEW_NOTES.get(view or "all", "")
    if view == "poor":
        note = POOR_PERFORMER.text(settings) + "."
    note += too_early_note(rows, view or "all", settings)
    return (
        records(with_poor_reasons(rows, settings), RANKING_FIELDS + [POOR_REASON, ROAS_TEXT]),
        [],
        view_options(frame),
        note,
        plain_json(ranking_summary(frame, settings)),
        None,
        common.SHOW,
    )


@callback(Output(RANKING, "dashGridOptions"), Input(ids.SEARCH, "value"), prevent_initial_call=True)
def influencer_search(text):
    options = Patch()
    options["quickFilterText"] = text or ""
    return options


# --- detail ---------------------------------------------------------------------------------

POST_COLUMNS = [
    date_col("date"),
    text_col("brand", "Brand", width=110),
    text_col("caption", "Caption", width=240, tooltipField="caption"),
    metric_col("reach"),
    metric_col("impressions"),
    metric_col("likes"),
    metric_col("comments"),
    metric_col("shares"),
    metric_col("saves"),
    metric_col("views"),
    metric_col("engagements"),
    metric_col("engagement_rate_pct"),
    metric_col("cost"),
    metric_col("cpe"),
    text_col("url", "URL", width=200),
    text_col("post_id", "Post", width=110),
]

PAYOUT_COLUMNS = [
    metric_col("row_no", maxWidth=80),
    text_col("row_file", "File", width=130),
    text_col("basis", "Basis", width=100),
    rate_col(),
    metric_col("posts"),
    metric_col("orders"),
    metric_col("total_revenue"),
    metric_col("terms_cost"),
    metric_col("total_payout"),
    metric_col("gifted_cost"),
    metric_col("other_cost"),
    metric_col("total_cost"),
]


# The figures of the detail panel, in its order (labels and formats from the metric catalogue).
DETAIL_STATS = (
    "revenue",
    "spend",
    "roas",
    "roi_pct",
    "orders",
    "aov",
    "cost_per_order",
    "cac",
    "engagement_rate_pct",
    "cpe",
    "revenue_per_follower",
    "efficiency_score",
    "ltv_90",
    "ltv_180",
    "ltv_365",
    "ltv_customers_365",
    "ltv_revenue_365",
    "ltv_cac_365",
)


def time_chart(ts) -> html.Div:
    """A detail panel's weekly chart with the note of what it leaves out or marks as partial."""
    return html.Div(
        [
            dcc.Graph(figure=figures.sales_over_time(ts, height=260), config=GRAPH_CONFIG, style={"height": "260px"}),
            html.Div(undated_note(ts) if ts is not None else None, className="hk-card-footer"),
        ]
    )


def _stat_value(key: str, profile: dict, settings):
    """A detail panel figure in full text; a cost per unit with cost_note's note on a small line
    under it (₹0.00 at ₹0 spend: "No cost recorded (₹0 spend)"), as its card has; ROAS in the
    poor flag's digits (POOR_PERFORMER.roas_text: "1.999x" beside "ROAS 1.999x < 2x")."""
    value = profile.get(key)
    text = POOR_PERFORMER.roas_text(value, settings) if key == "roas" else catalogue.get(key).text(value)
    note = catalogue.cost_note(key, profile) if key in catalogue.COST_KEYS else None
    return [text, html.Div(note, className="hk-kpi-sub fw-normal")] if note else text


def detail_title(profile: dict) -> str:
    """The detail panel's title: the influencer's name, else its id."""
    return str(profile.get("name") or profile.get("influencer_id") or "Influencer")


def detail_body(detail: dict, settings) -> list:
    """The detail panel for a metrics.influencer_detail() result. Names and captions stay text."""
    profile = detail.get("profile") or {}
    estimated = bool(profile.get("new_customers_estimated"))
    meta = " · ".join(
        str(v)
        for v in (
            profile.get("platform"),
            profile.get("category"),
            profile.get("tier"),
            f"{fmt.followers(profile.get('followers'))} followers"
            if fmt.clean(profile.get("followers")) is not None
            else None,
            profile.get("persona") if profile.get("persona") not in (None, "", "Unknown") else None,
        )
        if v not in (None, "")
    )
    flags = poor_badge(profile, settings)
    if (rank := roas_rank_badge(profile)) is not None:
        flags.append(rank)
    if profile.get("known") is False:
        flags.append(dbc.Badge("Not in the influencer list", color="warning", text_color="dark"))
    stats = stat_list(
        [
            (
                catalogue.get(key).label + (" (estimated)" if key == "cac" and estimated else ""),
                _stat_value(key, profile, settings),
            )
            for key in DETAIL_STATS
        ]
    )
    ts = detail.get("sales_over_time")
    posts = detail.get("posts")
    payouts = detail.get("payouts")
    if isinstance(posts, pd.DataFrame) and "date" in posts.columns:
        posts = posts.copy()
        posts["date"] = posts["date"].astype(str).where(posts["date"].notna(), None)
    return [
        html.Div(meta, className="hk-detail-meta"),
        html.Div(flags, className="mt-2") if flags else None,
        stats,
        html.H3("Sales and spend over time (weekly)", className="hk-section-title"),
        dbc.Tabs(
            [
                dbc.Tab(time_chart(ts), label="By sale date", tab_id="sale"),
                dbc.Tab(time_chart(detail.get("sales_by_post")), label="By post (cohort)", tab_id="cohort"),
            ],
            active_tab="sale",
            id=ids.DETAIL_TIME_TABS,
        ),
        html.Div(
            [html.H3("Payout terms", className="hk-section-title me-auto"), csv_button(ids.PAYOUTS_TABLE)],
            className="d-flex align-items-end",
        ),
        data_grid(
            ids.PAYOUTS_TABLE, PAYOUT_COLUMNS, records(payouts), height="auto", grid_options={"pagination": False}
        ),
        html.Div(
            [
                html.H3(f"Posts ({0 if posts is None else len(posts)})", className="hk-section-title me-auto"),
                csv_button(ids.POSTS_TABLE),
            ],
            className="d-flex align-items-end",
        ),
        data_grid(ids.POSTS_TABLE, POST_COLUMNS, records(posts), height=320, grid_options={"paginationPageSize": 25}),
    ]


def selected_influencer(trigger_prop: str | None, cell, selected) -> str | None:
    """The influencer id of a click on a ranking cell, else of the selected row; None for neither."""
    if trigger_prop == "cellClicked" and cell:
        return cell.get("rowId")
    if selected:
        row = selected[0] if isinstance(selected, list) else None
        return row.get("influencer_id") if isinstance(row, dict) else None
    return None


@callback(
    Output(ids.DETAIL, "is_open"),
    Output(ids.DETAIL, "title"),
    Output(ids.DETAIL_BODY, "children"),
    Input(RANKING, "cellClicked"),
    Input(RANKING, "selectedRows"),
    State(URL, "search"),
    prevent_initial_call=True,
)
@common.when_no_data_set(lambda error: (True, "Influencer", common.no_data_state(error)))
def influencer_detail(cell, selected, search):
    prop = ctx.triggered_prop_ids and list(ctx.triggered_prop_ids.keys())[0].rsplit(".", 1)[-1]
    influencer_id = selected_influencer(prop, cell, selected)
    if not influencer_id:
        return no_update, no_update, no_update
    filters = common.filters_from_search(search)
    settings = common.settings(search)
    try:
        detail = metrics.influencer_detail(common.warehouse(), influencer_id, filters, settings)
    except metrics.UnknownInfluencer:  # a link or a click from before an import
        return True, "Influencer", notice("This influencer is no longer in the data set.")
    body = detail_body(detail, settings) + similar_section(influencer_id, filters, settings)
    return True, detail_title(detail.get("profile") or {}), [creator_page_link(influencer_id, search)] + body


def creator_page_link(influencer_id: str, search: str | None) -> html.Div:
    """The detail panel's link to the creator's own page (an address to reload, bookmark or send)."""
    from components.ids.creator import creator_href

    href = creator_href(influencer_id, common.search_of(common.filters_from_search(search)))
    return html.Div(
        dcc.Link("Open the creator page →", href=href, className="btn btn-primary btn-sm"), className="mb-2"
    )


SIMILAR_COLUMNS = [
    text_col("name", "Influencer", width=160),
    metric_col("similarity"),
    text_col("shared", "Shared", width=260, tooltipField="shared"),
    metric_col("spend"),
    metric_col("incremental_roas"),
    metric_col("marginal_roas"),
    text_col("verdict", "Verdict", width=90),
    bool_col("under_funded", "Candidate to scale"),
]


def similar_section(influencer_id: str, filters, settings) -> list:
    """The detail panel's "Similar profiles": the SIMILAR_N most similar creators (Gower), each
    with what it shares and whether it is a candidate to scale; nothing for unknown creators."""
    from metrics.planning.similar import similar

    try:
        frame = similar(common.warehouse(), influencer_id, filters, settings, limit=ids.SIMILAR_N)
    except KeyError:  # not a known creator of this selection: nothing to compare
        return []
    frame = frame.assign(shared=[", ".join(s) for s in frame["shared"]])
    return [
        html.Div(
            [
                html.H3(f"Similar profiles (top {ids.SIMILAR_N})", className="hk-section-title me-auto"),
                csv_button(ids.SIMILAR_TABLE),
            ],
            className="d-flex align-items-end",
        ),
        data_grid(
            ids.SIMILAR_TABLE, SIMILAR_COLUMNS, records(frame), height="auto", grid_options={"pagination": False}
        ),
    ]
