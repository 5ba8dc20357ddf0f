"""Payouts: spend by payout basis, cost per order, and payout terms reconciled against totals paid."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header
from components.ids import payouts as ids
from components.tables import metric_col, rate_col, table_card, text_col
from metrics.catalogue import TERMS_TOLERANCE_TEXT

dash.register_page(
    __name__,
    path="/payouts",
    name="Payouts",
    order=5,
    title="Payouts · HealthKart Influencer ROI",
    description="Influencer spend by payout basis and the reconciliation of terms against totals",
)


BASIS_COLUMNS = [
    text_col("basis", "Basis", width=110),
    metric_col("spend"),
    metric_col("spend_share"),
    metric_col("per_order"),
    metric_col("influencers", note="those with spend on this basis"),
]

RECONCILIATION_COLUMNS = [
    metric_col("row_no", maxWidth=90),
    text_col("row_file", "File", width=130),
    text_col("influencer_id", "ID", width=100),
    text_col("name", "Influencer", width=160),
    text_col("platform", "Platform", width=110),
    text_col("basis", "Basis", width=100),
    rate_col(),
    metric_col("posts"),
    metric_col("orders"),
    metric_col("total_revenue"),
    metric_col("terms_cost"),
    metric_col("total_payout"),
    metric_col("difference"),
    metric_col("difference_pct"),
    metric_col("gifted_cost"),
    metric_col("other_cost"),
    metric_col("total_cost"),
    text_col("status", "Status", width=150, pinned=False),
]


def layout(**_query):
    return html.Div(
        [
            page_header("Payouts", "What influencers cost, how they are paid, and whether payments match their terms"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Spend by payout basis",
                                    ids.BASIS_CHART,
                                    height=320,
                                    subtitle="Post fees, per-order fees, commission, hybrid deals, gifted products, "
                                    "other cost",
                                    metric="spend",
                                    formula="Each payout row is split into its parts (post fees, per order, commission).",
                                ),
                                lg=5,
                                className="mb-3",
                            ),
                            dbc.Col(
                                table_card(
                                    "Spend by basis",
                                    ids.BASIS_TABLE,
                                    BASIS_COLUMNS,
                                    height=300,
                                    subtitle="Per order = this basis's spend ÷ all orders (sums to cost per order)",
                                ),
                                lg=7,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Cost per order by platform",
                                    ids.CPO_CHART,
                                    height=300,
                                    subtitle="Spend ÷ orders (pooled); “—” where a platform has no orders",
                                    metric="cost_per_order",
                                ),
                                lg=12,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    html.Div(id=ids.RECONCILIATION_SUMMARY),
                    table_card(
                        "Payout terms vs totals paid",
                        ids.RECONCILIATION_TABLE,
                        RECONCILIATION_COLUMNS,
                        height=480,
                        row_id="row_key",
                        subtitle=f"One row per payout row. Rows whose payment differs from their terms by more than {TERMS_TOLERANCE_TEXT} "
                        "are highlighted. Contracts are not dated: only platform, category and tier filters apply.",
                        tools=dbc.Switch(
                            id=ids.DIFFERS_ONLY, label="Only rows that differ", value=False, className="mb-0"
                        ),
                        getRowStyle={
                            "styleConditions": [
                                {
                                    "condition": "params.data && params.data.status === 'differs from terms'",
                                    "style": {"backgroundColor": "#fff3cd", "fontWeight": "600"},
                                }
                            ]
                        },
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-payouts",
    )
