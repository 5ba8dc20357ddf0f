"""Influencers: the ranking (sortable, filterable, quick search, top / poor performers, efficiency
score); clicking a row opens the influencer's detail (posts, sales over time, payout terms, ratios)."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import page_header, segmented
from components.tables import (bool_col, count_col, csv_button, decimal_col, followers_col, money_col, pct_col,
                               ranking_grid, ratio_col, text_col)

dash.register_page(__name__, path="/influencers", name="Influencers", order=1,
                   title="Influencers · HealthKart Influencer ROI",
                   description="Influencer ranking by return on spend, with each influencer's detail")

RANKING_TABLE = "influencers"

VIEW_OPTIONS = [
    {"label": "All", "value": "all"},
    {"label": "Top 10", "value": "top"},
    {"label": "Poor performers", "value": "poor"},
]

RANKING_COLUMNS = [
    count_col("rank", "#", maxWidth=80, minWidth=64, pinned="left",
              headerTooltip="Rank by ROAS (undefined last, ties by influencer id)"),
    text_col("name", "Influencer", width=170, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("category", "Category", width=120),
    text_col("tier", "Tier", width=90, headerTooltip="By followers: nano < 10K ≤ micro < 50K ≤ mid < 500K ≤ macro < 1M ≤ mega"),
    followers_col("followers", "Followers"),
    count_col("posts", "Posts"),
    money_col("revenue", "Revenue", headerTooltip="Σ revenue of attributed sales"),
    count_col("orders", "Orders"),
    money_col("spend", "Spend", headerTooltip="Payouts + gifted products + other cost, following the filters"),
    ratio_col("roas", "ROAS", headerTooltip="Revenue ÷ spend; — when there is no spend"),
    pct_col("roi_pct", "ROI", headerTooltip="(Revenue − spend) ÷ spend × 100"),
    money_col("aov", "AOV", headerTooltip="Revenue ÷ orders"),
    money_col("cac", "CAC", decimals=2, headerTooltip="Spend ÷ new customers (estimated where sales carry no user ids)"),
    pct_col("engagement_rate_pct", "Eng. rate", headerTooltip="Engagements ÷ reach × 100"),
    money_col("cpe", "CPE", decimals=2, headerTooltip="Spend ÷ engagements"),
    decimal_col("revenue_per_follower", "Rev./follower", decimals=2, headerTooltip="Revenue ÷ followers (₹)"),
    decimal_col("efficiency_score", "Efficiency", decimals=1,
                headerTooltip="0–100: 40 % ROI + 40 % ROAS + 20 % revenue per follower, as percentile ranks "
                              "within the selection"),
    bool_col("poor_performer", "Poor", headerTooltip="ROI < 50 % or ROAS < 2.0x, or spend with no revenue"),
    text_col("influencer_id", "ID", width=100),
]


def layout(**_query):
    tools = html.Div([
        dbc.Label("Search the ranking", html_for="inf-search", className="visually-hidden"),
        dbc.Input(id="inf-search", type="search", placeholder="Search name, platform, category…", debounce=300,
                  size="sm", className="hk-search"),
        segmented("inf-view", VIEW_OPTIONS, "all"),
        csv_button(RANKING_TABLE),
    ], className="d-flex flex-wrap gap-2 align-items-center")
    return html.Div([
        page_header("Influencers", "Who returns the most on what they cost. Click a row for the influencer's detail."),
        html.Div(id="inf-empty"),
        html.Div([
            html.Div(id="inf-kpis", className="hk-kpi-grid"),
            dbc.Card(dbc.CardBody([
                html.Div([
                    html.Div([
                        html.H2("Influencer ranking", className="hk-card-title"),
                        html.Div(id="inf-table-note", className="hk-card-subtitle"),
                    ], className="me-auto"),
                    tools,
                ], className="hk-card-header d-flex flex-wrap align-items-start gap-2"),
                ranking_grid(RANKING_TABLE, RANKING_COLUMNS, height=600),
            ]), className="hk-card mb-3"),
        ], id="inf-body"),
        dbc.Offcanvas(
            html.Div(id="inf-detail-body"),
            id="inf-detail", title="Influencer", placement="end", is_open=False, scrollable=True,
            className="hk-detail",
        ),
    ], className="hk-page-influencers")
