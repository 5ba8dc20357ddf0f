"""Payouts: spend by payout basis, cost per order, and payout terms reconciled against totals paid."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header
from components.ids import payouts as ids
from components.tables import count_col, money_col, pct_col, share_col, table_card, text_col

dash.register_page(__name__, path="/payouts", name="Payouts", order=5,
                   title="Payouts · HealthKart Influencer ROI",
                   description="Influencer spend by payout basis and the reconciliation of terms against totals")


BASIS_COLUMNS = [
    text_col("basis", "Basis", width=110),
    money_col("spend", "Spend"),
    share_col("spend_share", "Share of spend"),
    money_col("per_order", "Per order", decimals=2,
              headerTooltip="This basis's spend ÷ all orders in the selection; the rows add up to cost per order"),
    count_col("influencers", "Influencers", headerTooltip="Influencers with spend on this basis"),
]

RECONCILIATION_COLUMNS = [
    count_col("row_no", "Row", headerTooltip="Line of the payouts file (header = line 1)", maxWidth=90),
    text_col("influencer_id", "ID", width=100),
    text_col("name", "Influencer", width=160),
    text_col("platform", "Platform", width=110),
    text_col("basis", "Basis", width=100),
    text_col("rate_text", "Rate", width=150),
    count_col("posts", "Posts"),
    count_col("orders", "Orders"),
    money_col("total_revenue", "Revenue"),
    money_col("terms_cost", "Terms", decimals=2,
              headerTooltip="What the terms give: rate × posts, rate × orders, commission % × revenue, "
                            "or fee × posts + commission % × revenue"),
    money_col("total_payout", "Paid", decimals=2, headerTooltip="total_payout of the row"),
    money_col("difference", "Difference", decimals=2, headerTooltip="Paid − terms"),
    pct_col("difference_pct", "Difference %", headerTooltip="(Paid − terms) ÷ terms × 100"),
    money_col("gifted_cost", "Gifted", headerTooltip="Gifted products cost"),
    money_col("other_cost", "Other"),
    money_col("total_cost", "Total cost", decimals=2),
    text_col("status", "Status", width=150, pinned=False),
]


def layout(**_query):
    return html.Div([
        page_header("Payouts", "What influencers cost, how they are paid, and whether payments match their terms"),
        html.Div(id=ids.EMPTY),
        html.Div([
            html.Div(id=ids.KPIS, className="hk-kpi-grid"),
            dbc.Row([
                dbc.Col(chart_card("Spend by payout basis", ids.BASIS_CHART, height=320,
                                   subtitle="Post fees, per-order fees, commission, hybrid deals, gifted products, "
                                            "other cost",
                                   formula="Each payout row is split into its parts; a sale filter takes the "
                                           "matching share of each influencer's cost"),
                        lg=5, className="mb-3"),
                dbc.Col(table_card("Spend by basis", ids.BASIS_TABLE, BASIS_COLUMNS, height=300,
                                   subtitle="Per order = this basis's spend ÷ all orders (sums to cost per order)"),
                        lg=7, className="mb-3"),
            ], className="g-3"),
            dbc.Row([
                dbc.Col(chart_card("Cost per order by platform", ids.CPO_CHART, height=300,
                                   subtitle="Spend ÷ orders (pooled); “—” where a platform has no orders",
                                   formula="Cost per order = spend ÷ orders"),
                        lg=12, className="mb-3"),
            ], className="g-3"),
            html.Div(id=ids.RECONCILIATION_SUMMARY),
            table_card(
                "Payout terms vs totals paid", ids.RECONCILIATION_TABLE, RECONCILIATION_COLUMNS, height=480,
                row_id="row_key",
                subtitle="One row per payout row. Rows whose payment differs from their terms by more than 1 % "
                         "are highlighted. Contracts are not dated: only platform, category and tier filters apply.",
                tools=dbc.Switch(id=ids.DIFFERS_ONLY, label="Only rows that differ", value=False,
                                 className="mb-0"),
                getRowStyle={"styleConditions": [{
                    "condition": "params.data && params.data.status === 'differs from terms'",
                    "style": {"backgroundColor": "#fff3cd", "fontWeight": "600"},
                }]},
            ),
        ], id=ids.BODY),
    ], className="hk-page-payouts")
