"""Content page: engagement KPIs, engagement by platform, native post metrics, top posts."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, callback

import metrics
from callbacks import common
from components import figures
from components.cards import empty_state, kpi_row, metric_card, notice
from components.ids import chosen
from components.ids import content as ids
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import catalogue
from metrics import format as fmt

MAX_POSTS = 1000  # rows sent to the browser; the grid says when more exist
NATIVE = ("impressions", "reach", "views", "likes", "comments", "shares", "saves")


def _sum(series: pd.Series):
    """Sum of the reported values; None when no post reports the column (shown as “—”)."""
    values = pd.to_numeric(series, errors="coerce")
    return None if values.notna().sum() == 0 else float(values.sum())


def native_rows(posts: pd.DataFrame) -> list[dict]:
    """Per platform: post counts and the sums of each native metric the posts report."""
    rows = []
    if posts is None or posts.empty:
        return rows
    for platform, group in posts.groupby("platform", sort=True, dropna=False):
        row = {"platform": "Unknown" if pd.isna(platform) else str(platform), "posts": int(len(group))}
        for column in NATIVE:
            row[column] = _sum(group[column]) if column in group.columns else None
        both = group[
            pd.to_numeric(group["views"], errors="coerce").notna()
            & pd.to_numeric(group["impressions"], errors="coerce").notna()
        ]
        row["view_rate_pct"] = metrics.ratio(_sum(both["views"]), _sum(both["impressions"]), 100)
        saved = group[
            pd.to_numeric(group["saves"], errors="coerce").notna()
            & pd.to_numeric(group["reach"], errors="coerce").notna()
        ]
        row["save_rate_pct"] = metrics.ratio(_sum(saved["saves"]), _sum(saved["reach"]), 100)
        rows.append(row)
    return rows


def platform_rows(frame: pd.DataFrame) -> list[dict]:
    """Platforms with posts or spend in the selection (others would be a row of “—”)."""
    if frame is None or frame.empty:
        return []
    keep = (frame["posts"].fillna(0) > 0) | (pd.to_numeric(frame["spend"], errors="coerce").fillna(0) > 0)
    return records(frame[keep])


def cpm_basis_of(impressions, reach) -> str | None:
    """What a post's CPM is per thousand of: impressions, else reach (as metrics.engagement_by_post)."""
    if fmt.clean(impressions):
        return "impressions"
    if fmt.clean(reach):
        return "reach"
    return None


def post_rows(posts: pd.DataFrame, limit: int | None = None) -> tuple[list[dict], int]:
    """The posts with most engagements first (ties by date, post id), at most `limit` (MAX_POSTS);
    and the total count."""
    if posts is None or posts.empty:
        return [], 0
    limit = MAX_POSTS if limit is None else limit
    frame = posts.copy()
    frame["_eng"] = pd.to_numeric(frame["engagements"], errors="coerce")
    frame = frame.sort_values(["_eng", "date", "post_id"], ascending=[False, True, True], na_position="last")
    total = len(frame)
    frame = frame.head(limit)
    frame["cpm_basis"] = [cpm_basis_of(i, r) for i, r in zip(frame["impressions"], frame["reach"])]
    rows = records(frame.drop(columns=["_eng"]))
    for index, row in enumerate(rows):
        row["row_key"] = str(index)
        if row.get("caption") is not None:
            row["caption"] = str(row["caption"])
    return rows, total


def content_kpis(k: dict, views, settings) -> list:
    cpm_on_reach = k.get("cpm_basis") == "reach"
    return [
        metric_card(
            "posts", k.get("posts"), settings, card_id="cnt-posts", sub=fmt.counted(k.get("influencers"), "influencer")
        ),
        metric_card(
            "engagements",
            k.get("engagements"),
            settings,
            card_id="cnt-engagements",
            value_text=fmt.count_compact(k.get("engagements")),
            sub=fmt.count(k.get("engagements")),
        ),
        metric_card(
            "engagement_rate_pct",
            k.get("engagement_rate_pct"),
            settings,
            card_id="cnt-er",
            tone=None,
            sub=f"Reach {fmt.count_compact(k.get('reach'))}",
        ),
        metric_card(
            "cpe",
            k.get("cpe"),
            settings,
            card_id="cnt-cpe",
            tone=None,
            sub=catalogue.cost_note("cpe", k) or f"Spend {fmt.inr_compact(k.get('spend'))}",
        ),
        metric_card(
            "cpm",
            k.get("cpm"),
            settings,
            card_id="cnt-cpm",
            tone=None,
            sub=catalogue.cost_note("cpm", k)
            or (
                "Per 1,000 reach (no impressions in the data)"
                if cpm_on_reach
                else f"Impressions {fmt.count_compact(k.get('impressions'))}"
            ),
            badge="uses reach" if cpm_on_reach else None,
        ),
        metric_card(
            "views",
            views,
            settings,
            card_id="cnt-views",
            value_text=fmt.count_compact(views),
            sub="Video posts" if views is not None else "Not reported in this data set",
        ),
    ]


@callback(
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Output(ids.NOTES, "children"),
    Output(table_id(ids.PLATFORM_TABLE), "rowData"),
    Output(table_id(ids.NATIVE_TABLE), "rowData"),
    Output(table_id(ids.POSTS_TABLE), "rowData"),
    Input(URL, "search"),
    Input(URL, "pathname"),
)
@common.when_no_data_set(lambda error: ([], common.no_data_state(error), common.HIDE, None, [], [], []))
def content_page(search, pathname):
    filters = common.filters_from_search(search)
    settings = common.settings()
    wh = common.warehouse()
    k = metrics.kpis(wh, filters, settings)
    if not common.has_activity(k) or not k.get("posts"):
        hint = (
            common.no_data_state(pathname=pathname)
            if not common.has_activity(k)
            else empty_state(
                "No posts for these filters",
                "The selection has sales or spend but no sponsored posts.",
                icon="bi-camera-video-off",
                reset_href=pathname or "/",
            )
        )
        return [], hint, common.HIDE, None, [], [], []
    by_platform = metrics.engagement_by_platform(wh, filters, settings)
    posts = metrics.engagement_by_post(wh, filters, settings)
    views = _sum(posts["views"]) if "views" in posts.columns else None
    rows, total = post_rows(posts)
    notes = []
    if total > len(rows):
        notes.append(
            notice(
                f"Top posts shows the {fmt.count(len(rows))} posts with most engagements of "
                f"{fmt.count(total)} in the selection.",
                color="info",
                icon="bi-info-circle",
            )
        )
    if k.get("cpm_basis") == "reach":
        notes.append(
            notice(
                "The posts in this selection report no impressions: CPM is per 1,000 reach.",
                color="info",
                icon="bi-info-circle",
            )
        )
    return (
        kpi_row(content_kpis(k, views, settings)),
        None,
        common.SHOW,
        notes or None,
        platform_rows(by_platform),
        native_rows(posts),
        rows,
    )


@callback(Output(ids.PLATFORM_CHART, "figure"), Input(URL, "search"), Input(ids.METRIC, "value"))
@common.when_no_data_set(lambda error: figures.empty_figure())
def content_platform_chart(search, metric):
    filters = common.filters_from_search(search)
    frame = metrics.engagement_by_platform(common.warehouse(), filters, common.settings())
    frame = frame[frame["posts"] > 0]
    return figures.engagement_by_platform(frame, metric=chosen(metric, ids.METRIC_OPTIONS), height=320)
