"""Content: posts and engagement (ER, CPE, CPM), engagement by platform, native post metrics, top posts."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header, segmented
from components.ids import content as ids
from components.tables import date_col, metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/content",
    name="Content",
    order=6,
    title="Content · HealthKart Influencer ROI",
    description="Sponsored posts: engagement rate, cost per engagement and CPM",
)


PLATFORM_COLUMNS = [
    text_col("platform", "Platform", width=120, pinned=True),
    metric_col("posts"),
    metric_col("reach"),
    metric_col("impressions"),
    metric_col("views"),
    metric_col("engagements"),
    metric_col("spend"),
    metric_col("engagement_rate_pct"),
    metric_col("cpe"),
    metric_col("cpm"),
    text_col("cpm_basis", "CPM basis", width=110),
]

NATIVE_COLUMNS = [
    text_col("platform", "Platform", width=120, pinned=True),
    metric_col("posts"),
    metric_col("impressions"),
    metric_col("reach"),
    metric_col("views"),
    metric_col("likes"),
    metric_col("comments"),
    metric_col("shares"),
    metric_col("saves"),
    metric_col("view_rate_pct"),
    metric_col("save_rate_pct"),
]

POST_COLUMNS = [
    date_col("date", cellDataType="dateString", filter="agDateColumnFilter"),
    text_col("name", "Influencer", width=150, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("brand", "Brand", width=110),
    text_col("caption", "Caption", width=260, tooltipField="caption", wrapText=False),
    metric_col("reach"),
    metric_col("impressions"),
    metric_col("views"),
    metric_col("likes"),
    metric_col("comments"),
    metric_col("shares"),
    metric_col("saves"),
    metric_col("engagements", sort="desc"),
    metric_col("engagement_rate_pct"),
    metric_col("cost"),
    metric_col("cpe"),
    metric_col("cpm"),
    text_col("cpm_basis", "CPM basis", width=110),
    text_col("post_id", "Post ID", width=140),
    text_col("url", "URL", width=200, hide=True),
]


def layout(**_query):
    return html.Div(
        [
            page_header("Content", "Sponsored posts: how much attention they earned and what it cost"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    html.Div(id=ids.NOTES),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Engagement by platform",
                                    ids.PLATFORM_CHART,
                                    height=320,
                                    subtitle="Pooled over the platform's posts (ratio of sums)",
                                    tools=segmented(ids.METRIC, ids.METRIC_OPTIONS, "engagement_rate_pct"),
                                ),
                                lg=12,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    table_card(
                        "Engagement and cost by platform",
                        ids.PLATFORM_TABLE,
                        PLATFORM_COLUMNS,
                        height=300,
                        subtitle="CPM uses impressions; where a platform's posts report no impressions it uses "
                        "reach (CPM basis = reach)",
                    ),
                    table_card(
                        "Native post metrics",
                        ids.NATIVE_TABLE,
                        NATIVE_COLUMNS,
                        height=300,
                        subtitle="Instagram insights and YouTube analytics where the data set has them; “—” = not "
                        "reported",
                    ),
                    table_card(
                        "Top posts",
                        ids.POSTS_TABLE,
                        POST_COLUMNS,
                        height=520,
                        row_id="row_key",
                        subtitle="Posts in the selection, most engagements first (captions shown as plain text)",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-content",
    )
