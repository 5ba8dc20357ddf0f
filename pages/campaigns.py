"""Campaigns: comparison of revenue, spend, ROAS and influencers per campaign, and their trend."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header, segmented
from components.ids import campaigns as ids
from components.tables import date_col, metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/campaigns",
    name="Campaigns",
    order=2,
    title="Campaigns · HealthKart Influencer ROI",
    description="Revenue, spend, ROAS and influencers per campaign, and each campaign's trend",
)


CAMPAIGN_COLUMNS = [
    text_col("campaign", "Campaign", width=200, pinned=True),
    text_col("campaign_brand", "Brand", width=120),
    date_col("start_date", "Starts"),
    date_col("end_date", "Ends"),
    metric_col("budget"),
    metric_col("budget_used_pct"),
    metric_col("influencers", note="those with sales or cost in the campaign"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("spend", note="the campaign's share of that cost (METRICS.md)"),
    metric_col("roas"),
    metric_col("revenue_change"),
    metric_col("spend_change"),
    metric_col("roas_change"),
    metric_col("roi_pct"),
    metric_col("aov"),
    metric_col("cost_per_order"),
    metric_col("new_customers"),
    metric_col("cac"),
    metric_col("revenue_share"),
    metric_col("spend_share"),
]


# What a campaign's spend is (docs/metrics.md "How spend follows the filters"), said where it is read.
SPEND_RULE = (
    "A campaign's spend: the commissions and per-order fees of its sales, and the fees of posts naming it; "
    "a post that names no campaign splits its fee by the creator's sales mix over the whole data set, so "
    "under a date range a campaign can carry fees of posts made while it was not running."
)

PACING_COLUMNS = [
    text_col("campaign", "Campaign", width=180, pinned=True),
    text_col("campaign_brand", "Brand", width=110),
    text_col(
        "status",
        "Status",
        width=175,  # "ended under budget" in bold, whole (it was cut to "ended under b…")
        tooltipField="status",
        cellClassRules={
            "hk-pace-bad": "params.value === 'over budget' || params.value === 'overpacing'",
            "hk-pace-warn": "params.value === 'underspending' || params.value === 'ended under budget'",
        },
    ),
    date_col("start_date", "Starts"),
    date_col("end_date", "Ends"),
    metric_col("budget"),
    metric_col(
        "spend", headerTooltip="The campaign's whole cost in the data set (only campaign and brand filters apply)"
    ),
    metric_col("budget_used_pct", headerTooltip="Spend ÷ budget × 100"),
    metric_col("elapsed_pct"),
    metric_col("pacing_index"),
    metric_col("projected_spend"),
    metric_col("projected_used_pct"),
]


def layout(**_query):
    return html.Div(
        [
            page_header("Campaigns", "How each campaign performs: revenue, spend, return and reach of influencers"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Revenue and spend by campaign",
                                    ids.COMPARISON,
                                    height=400,
                                    subtitle="The campaigns with most revenue; label = ROAS (revenue ÷ spend)",
                                    footer_id=ids.COMPARISON_CAP,
                                ),
                                lg=7,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "ROAS by campaign",
                                    ids.ROAS,
                                    height=400,
                                    subtitle="Revenue ÷ spend; dotted line = break-even (1x)",
                                    footer_id=ids.ROAS_CAP,
                                    metric="roas",
                                ),
                                lg=5,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    chart_card(
                        "Campaign trend",
                        ids.TREND,
                        height=340,
                        subtitle="The six campaigns with most revenue in the selection; pick campaigns in the filter bar "
                        "to compare others. By post: each post's fee and the sales of its window on the post's day",
                        footer_id=ids.TREND_CAP,
                        tools=html.Div(
                            [
                                segmented(ids.TREND_METRIC, ids.METRIC_OPTIONS, "revenue"),
                                segmented(ids.TREND_GRAIN, ids.GRAIN_OPTIONS, "week"),
                                segmented(ids.TREND_BASIS, ids.BASIS_OPTIONS, "sale"),
                            ],
                            className="d-flex flex-wrap gap-2",
                        ),
                    ),
                    table_card(
                        "All campaigns",
                        ids.CAMPAIGN_TABLE,
                        CAMPAIGN_COLUMNS,
                        height=440,
                        subtitle="Sales that no campaign claims are listed as “Unattributed”. " + SPEND_RULE,
                    ),
                    table_card(
                        "Budget pacing",
                        ids.PACING_TABLE,
                        PACING_COLUMNS,
                        height=320,
                        subtitle=html.Span(id=ids.PACING_NOTE),
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-campaigns",
    )
