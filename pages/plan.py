"""Plan: where the next rupee should go, from concave response curves of measured incremental revenue."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import chart_card, page_header, segmented
from components.ids import plan as ids
from components.page_state import plan_inputs
from components.plan_figures import CHART_HEIGHT
from components.tables import bool_col, metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/plan",
    name="Plan",
    order=7,
    title="Plan · HealthKart Influencer ROI",
    description="Budget planner: response curves and the allocation that equalises marginal ROAS",
)

ALLOCATION_COLUMNS = [
    text_col("name", "Segment / creator", width=190, pinned=True),
    text_col("tier", "Tier", width=90),
    text_col("platform", "Platform", width=110),
    metric_col("posts"),
    metric_col("current_spend"),
    metric_col("planned_spend"),
    metric_col("planned_change"),
    metric_col("planned_change_pct"),
    metric_col("expected_incremental_revenue"),
    metric_col("measured_incremental_revenue"),  # beside the plan's figure, which is not the creator's own
    metric_col("expected_incremental_revenue_low"),
    metric_col("expected_incremental_revenue_high"),
    metric_col("current_marginal_roas"),
    metric_col("planned_marginal_roas"),
    text_col(
        "bound",
        "At bound",
        width=100,
        headerTooltip=(
            "The plan stops at the max change (upper / lower); cut: planned ₹0, less than one post's cost today "
            "would be left; too early: a creator below the evidence bar, held at today's spend"
        ),
    ),
]
SIMILAR_COLUMNS = [
    text_col("name", "Influencer", width=170, pinned=True),
    metric_col("similarity"),
    text_col("shared", "Shared", width=280),
    text_col("platform", "Platform", width=110),
    text_col("tier", "Tier", width=90),
    metric_col("spend"),
    metric_col("incremental_roas"),
    metric_col("marginal_roas"),
    text_col("verdict", "Verdict", width=100),
    bool_col("under_funded", "Candidate to scale"),
    text_col("influencer_id", "ID", width=100),
]


def controls(budget=None, max_change=ids.DEFAULT_MAX_CHANGE_PCT) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Total budget (₹)", html_for=ids.BUDGET),
                            # no min / max / step: the browser would send an out-of-range number as empty (the default
                            # plan, in silence); the server refuses it with a message instead
                            dbc.Input(id=ids.BUDGET, type="number", step="any", value=budget, debounce=True),
                            html.Div(id=ids.BUDGET_HELP, className="form-text"),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Max change per segment or creator (%)", html_for=ids.MAX_CHANGE),
                            dbc.Input(
                                id=ids.MAX_CHANGE,
                                type="number",
                                step="any",
                                value=max_change,
                                debounce=True,
                            ),
                            html.Div("Each one stays within ± this share of its spend today", className="form-text"),
                        ],
                        md=3,
                    ),
                ],
                className="g-3",
            )
        ),
        className="hk-card mb-3",
    )


def what_if_card() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("What if", className="hk-card-title"),
                html.Div("One segment at another spend, everything else as planned", className="hk-card-subtitle"),
                dbc.Row(
                    [
                        dbc.Col(dcc.Dropdown(id=ids.WHAT_IF_UNIT, clearable=False), md=6),
                        dbc.Col(
                            dbc.Input(
                                id=ids.WHAT_IF_SPEND, type="number", step="any", debounce=True
                            ),  # no min: as the budget
                            md=6,
                        ),
                    ],
                    className="g-2 my-2",
                ),
                html.Div(id=ids.WHAT_IF_RESULT, role="status"),
                dcc.Store(id=ids.WHAT_IF_SHOWN),
            ]
        ),
        className="hk-card mb-3 h-100",
    )


def layout(**query):
    inputs = plan_inputs(query)  # kept in the URL (components/page_state.py)
    return html.Div(
        [
            page_header(
                "Plan",
                "Where the next rupee should go: the budget split that equalises marginal incremental ROAS",
                tools=segmented(ids.BY, ids.BY_OPTIONS, inputs["by"]),
            ),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    controls(inputs["budget"], inputs["max_change"]),
                    html.Div(id=ids.ERROR),
                    html.Div(id=ids.BOUND),
                    html.Div(id=ids.HELD_BACK),
                    html.Div(id=ids.UNVALUED),
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Response curves",
                                    ids.CURVES,
                                    height=CHART_HEIGHT,
                                    subtitle="Expected incremental revenue against spend (each rupee moves it less than "
                                    "the one before; below ₹0 where the measured lift is negative); the largest "
                                    "planned segments or creators",
                                ),
                                lg=7,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "Next period",
                                    ids.PROJECTION,
                                    height=CHART_HEIGHT,
                                    subtitle="Spend and attributed revenue of a period as long as the selection, "
                                    "if its baseline sales repeat; bar: interval",
                                ),
                                lg=5,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    html.Div(id=ids.ALLOCATION_REFUSED),
                    html.Div(
                        table_card(
                            "Allocation",
                            ids.ALLOCATION_TABLE,
                            ALLOCATION_COLUMNS,
                            subtitle="Today's spend against the plan at the same budget; expected incremental revenue "
                            "and marginal ROAS on the fitted curves",
                            height=440,
                        ),
                        id=ids.ALLOCATION_BLOCK,
                    ),
                    dbc.Row(
                        [
                            dbc.Col(what_if_card(), lg=4, className="mb-3"),
                            dbc.Col(
                                table_card(
                                    "Similar profiles",
                                    ids.SIMILAR_TABLE,
                                    SIMILAR_COLUMNS,
                                    subtitle="Creators most like the chosen one (Gower similarity); candidates to "
                                    "scale return more at the margin than the average rupee",
                                    tools=dcc.Dropdown(id=ids.SIMILAR_TO, clearable=False, style={"minWidth": "260px"}),
                                    height=360,
                                ),
                                lg=8,
                            ),
                        ],
                        className="g-3",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-plan",
    )
