"""Insights: executive summary (key findings) and recommendations, each with the numbers behind it."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import page_header
from components.ids import insights as ids
from components.tables import metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/insights",
    name="Insights",
    order=7,
    title="Insights · HealthKart Influencer ROI",
    description="Executive summary and recommendations: scale, renew, move budget, hold back, review, drop",
)


RECOMMENDATION_COLUMNS = [
    text_col("action", "Action", width=110, pinned=True),
    text_col("subject", "Subject", width=220),
    text_col("subject_type", "Of", width=100),
    metric_col("roas"),
    metric_col("roi_pct"),
    metric_col("revenue"),
    metric_col("spend"),
    metric_col("cac"),
    metric_col("selection_roas"),
    metric_col("from_roas"),
    metric_col("to_roas"),
    metric_col("estimated_revenue_gain"),
    text_col("reason", "Why", width=380, tooltipField="reason"),
]


def layout(**_query):
    return html.Div(
        [
            page_header("Insights", "What the selection says, and what to do about it"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    dbc.Card(
                        dbc.CardBody(
                            [
                                html.H2("Executive summary", className="hk-card-title"),
                                html.Ul(id=ids.FINDINGS, className="hk-findings mb-0"),
                            ]
                        ),
                        className="hk-card mb-3",
                    ),
                    dbc.Card(
                        dbc.CardBody(
                            [
                                html.Div(
                                    [
                                        html.H2("Recommendations", className="hk-card-title me-auto"),
                                        html.Span(id=ids.COUNTS, className="text-body-secondary small"),
                                    ],
                                    className="hk-card-header d-flex flex-wrap align-items-start gap-2",
                                ),
                                html.P(id=ids.RULES, className="hk-card-subtitle"),
                                html.Div(id=ids.RECOMMENDATIONS),
                            ]
                        ),
                        className="hk-card mb-3",
                    ),
                    table_card(
                        "Recommendations: the numbers",
                        ids.RECOMMENDATIONS_TABLE,
                        RECOMMENDATION_COLUMNS,
                        height=420,
                        subtitle="Every recommendation with the figures that justify it (CSV keeps full precision)",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-insights",
    )
