"""Content: posts and engagement (ER, CPE, CPM), engagement by platform, native post metrics, top posts."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header, segmented
from components.ids import content as ids
from components.tables import count_col, money_col, pct_col, table_card, text_col

dash.register_page(__name__, path="/content", name="Content", order=6,
                   title="Content · HealthKart Influencer ROI",
                   description="Sponsored posts: engagement rate, cost per engagement and CPM")


PLATFORM_COLUMNS = [
    text_col("platform", "Platform", width=120, pinned=True),
    count_col("posts", "Posts"),
    count_col("reach", "Reach"),
    count_col("impressions", "Impressions"),
    count_col("views", "Views"),
    count_col("engagements", "Engagements", headerTooltip="likes + comments + shares + saves (columns present)"),
    money_col("spend", "Spend"),
    pct_col("engagement_rate_pct", "ER %", headerTooltip="Engagement rate = engagements ÷ reach × 100 (pooled)"),
    money_col("cpe", "CPE", decimals=2, headerTooltip="Cost per engagement = spend ÷ engagements"),
    money_col("cpm", "CPM", decimals=2,
              headerTooltip="Spend ÷ impressions × 1000; reach where impressions are missing (see CPM basis)"),
    text_col("cpm_basis", "CPM basis", width=110),
]

NATIVE_COLUMNS = [
    text_col("platform", "Platform", width=120, pinned=True),
    count_col("posts", "Posts"),
    count_col("impressions", "Impressions"),
    count_col("reach", "Reach"),
    count_col("views", "Views"),
    count_col("likes", "Likes"),
    count_col("comments", "Comments"),
    count_col("shares", "Shares"),
    count_col("saves", "Saves"),
    pct_col("view_rate_pct", "Views / impressions",
            headerTooltip="Views ÷ impressions × 100 over posts reporting both; “—” where not reported"),
    pct_col("save_rate_pct", "Saves / reach",
            headerTooltip="Saves ÷ reach × 100 over posts reporting both; “—” where not reported"),
]

POST_COLUMNS = [
    text_col("date", "Date", width=110, cellDataType="dateString", filter="agDateColumnFilter"),
    text_col("name", "Influencer", width=150, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("brand", "Brand", width=110),
    text_col("caption", "Caption", width=260, tooltipField="caption", wrapText=False),
    count_col("reach", "Reach"),
    count_col("impressions", "Impressions"),
    count_col("views", "Views"),
    count_col("likes", "Likes"),
    count_col("comments", "Comments"),
    count_col("shares", "Shares"),
    count_col("saves", "Saves"),
    count_col("engagements", "Engagements", sort="desc"),
    pct_col("engagement_rate_pct", "ER %"),
    money_col("cost", "Cost", headerTooltip="The influencer's spend in the selection shared equally over its posts"),
    money_col("cpe", "CPE", decimals=2),
    money_col("cpm", "CPM", decimals=2),
    text_col("cpm_basis", "CPM basis", width=110),
    text_col("post_id", "Post ID", width=140),
    text_col("url", "URL", width=200, hide=True),
]


def layout(**_query):
    return html.Div([
        page_header("Content", "Sponsored posts: how much attention they earned and what it cost"),
        html.Div(id=ids.EMPTY),
        html.Div([
            html.Div(id=ids.KPIS, className="hk-kpi-grid"),
            html.Div(id=ids.NOTES),
            dbc.Row([
                dbc.Col(chart_card(
                    "Engagement by platform", ids.PLATFORM_CHART, height=320,
                    subtitle="Pooled over the platform's posts (ratio of sums)",
                    tools=segmented(ids.METRIC, ids.METRIC_OPTIONS, "engagement_rate_pct"),
                ), lg=12, className="mb-3"),
            ], className="g-3"),
            table_card("Engagement by platform", ids.PLATFORM_TABLE, PLATFORM_COLUMNS, height=300,
                       subtitle="CPM uses impressions; where a platform's posts report no impressions it uses "
                                "reach (CPM basis = reach)"),
            table_card("Native post metrics", ids.NATIVE_TABLE, NATIVE_COLUMNS, height=300,
                       subtitle="Instagram insights and YouTube analytics where the data set has them; “—” = not "
                                "reported"),
            table_card("Top posts", ids.POSTS_TABLE, POST_COLUMNS, height=520, row_id="row_key",
                       subtitle="Posts in the selection, most engagements first (captions shown as plain text)"),
        ], id=ids.BODY),
    ], className="hk-page-content")
