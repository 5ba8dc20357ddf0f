"""Platforms: ROAS, CAC, revenue share and engagement by platform; tracking source breakdown."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header
from components.tables import metric_col, table_card, text_col

dash.register_page(__name__, path="/platforms", name="Platforms", order=3,
                   title="Platforms · HealthKart Influencer ROI",
                   description="Return, acquisition cost, revenue share and engagement by platform")

PLATFORM_TABLE = "platforms"
SOURCE_TABLE = "sources"

PLATFORM_COLUMNS = [
    text_col("platform", "Platform", width=120, pinned=True),
    metric_col("influencers"),
    metric_col("followers"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("spend"),
    metric_col("roas"),
    metric_col("roi_pct"),
    metric_col("cac"),
    metric_col("aov"),
    metric_col("revenue_share"),
    metric_col("spend_share"),
    metric_col("posts"),
    metric_col("engagements"),
    metric_col("engagement_rate_pct"),
    metric_col("cpe"),
    metric_col("cpm"),
]

SOURCE_COLUMNS = [
    text_col("source", "Tracking source", width=160, pinned=True),
    metric_col("influencers"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("aov"),
    metric_col("new_customers"),
    metric_col("revenue_share"),
]


def layout(**_query):
    return html.Div([
        page_header("Platforms", "Where influencer spend returns the most"),
        html.Div(id="plat-empty"),
        html.Div([
            dbc.Row([
                dbc.Col(chart_card("ROAS by platform", "plat-roas", height=300,
                                   subtitle="Revenue ÷ spend per platform; dotted line = break-even",
                                   formula="ROAS = Σ revenue ÷ Σ spend of the platform's influencers"),
                        lg=6, className="mb-3"),
                dbc.Col(chart_card("CAC by platform", "plat-cac", height=300, footer_id="plat-cac-note",
                                   subtitle="Spend ÷ new customers per platform",
                                   formula="CAC = spend ÷ new customers"),
                        lg=6, className="mb-3"),
            ], className="g-3"),
            dbc.Row([
                dbc.Col(chart_card("Revenue share", "plat-share", height=300,
                                   subtitle="Each platform's share of attributed revenue"),
                        lg=6, className="mb-3"),
                dbc.Col(chart_card("Engagement rate by platform", "plat-engagement", height=300,
                                   footer_id="plat-engagement-note",
                                   subtitle="Engagements ÷ reach × 100 over the platform's posts",
                                   formula="Engagement rate = (likes + comments + shares + saves) ÷ reach × 100"),
                        lg=6, className="mb-3"),
            ], className="g-3"),
            table_card("Platform comparison", PLATFORM_TABLE, PLATFORM_COLUMNS, height="auto",
                       subtitle="Pooled figures per platform (the platform of the influencer)",
                       grid_options={"pagination": False}),
            dbc.Row([
                dbc.Col(chart_card("Revenue by tracking source", "plat-source", height=320,
                                   subtitle="How sales were tracked (promo code, link, swipe-up, or the source named "
                                            "in the data). Spend is not split by source."),
                        lg=6, className="mb-3"),
                dbc.Col(table_card("Tracking sources", SOURCE_TABLE, SOURCE_COLUMNS, height=340,
                                   subtitle="Source as recorded with each sale; never used as the platform"),
                        lg=6, className="mb-3"),
            ], className="g-3"),
        ], id="plat-body"),
    ], className="hk-page-platforms")
