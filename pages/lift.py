"""Lift: what the posts caused, measured against each creator's quiet days, with intervals."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import chart_card, page_header, segmented
from components.ids import lift as ids
from components.page_state import lift_inputs
from components.tables import date_col, metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/lift",
    name="Lift",
    order=8,
    title="Lift · HealthKart Influencer ROI",
    description="Measured incremental revenue per post and creator, with intervals",
)

FLAT_ROW = {"hk-lift-flat": "params.data.verdict === 'not distinguishable from baseline'"}

CREATOR_COLUMNS = [
    text_col("influencer_id", "ID", width=100),
    text_col("name", "Influencer", width=170),
    text_col("platform", "Platform", width=110),
    text_col("tier", "Tier", width=90),
    metric_col("posts"),
    metric_col("baseline_per_day"),
    metric_col("window_revenue"),
    metric_col("incremental_revenue"),
    metric_col("incremental_revenue_low"),
    metric_col("incremental_revenue_high"),
    metric_col("spend"),
    metric_col("incremental_roas"),
    text_col("verdict", "Verdict", width=230),
]

ORGANIC_COLUMNS = [
    text_col("brand", "Brand", width=120),
    text_col("campaign", "Campaign", width=240),
    text_col("verdict", "Verdict", width=130),
    date_col("start", "Start"),  # ISO in the rows (they sort), "5 Jan 2025" on screen
    date_col("window_end", "Window end"),
    metric_col("total_lift"),
    metric_col("total_lift_low"),
    metric_col("total_lift_high"),
    metric_col("attributed_lift"),
    metric_col("attributed_lift_low"),
    metric_col("attributed_lift_high"),
    text_col("reason", "Note", width=320),
]
ORGANIC_ROWS = {
    "hk-lift-flat": "params.data.verdict === 'not checked' || params.data.verdict === 'not compared'",
}


def organic_section():
    """The organic-sales check: total brand sales around campaigns against the attributed lift."""
    return html.Div(
        [
            html.H2("Organic-sales check: total brand sales", className="hk-section-title mt-2"),
            html.Div(id=ids.ORGANIC_NOTE, className="hk-method-note mb-3"),
            html.Div(
                [
                    chart_card(
                        "Total sales against their counterfactual",
                        ids.ORGANIC_CHART,
                        height=340,
                        subtitle="The brand's total daily revenue (blue); dashed: what the 13 weeks before the campaign "
                        "forecast without it; band: the forecast's interval; shaded: the campaign and its window",
                        tools=dcc.Dropdown(id=ids.ORGANIC_BURST, clearable=False, style={"minWidth": "320px"}),
                    ),
                    html.Div(
                        table_card(
                            "Total lift against attributed lift, per campaign",
                            ids.ORGANIC_TABLE,
                            ORGANIC_COLUMNS,
                            subtitle="Halo: total sales rose more than the posts' codes and links show; "
                            "cannibalisation: less. Greyed: not checked or not compared (see the note)",
                            grid_options={"rowClassRules": ORGANIC_ROWS},
                            height=360,
                        ),
                        id=ids.ORGANIC_TABLE_BOX,
                    ),
                ],
                id=ids.ORGANIC_BODY,
            ),
        ]
    )


def layout(**query):
    return html.Div(
        [
            page_header(
                "Lift",
                "What the posts caused: sales in each post's window against the creator's own quiet days",
                tools=segmented(ids.WINDOW, ids.WINDOW_OPTIONS, lift_inputs(query)["window"]),
            ),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    html.Div(id=ids.METHOD_NOTE, className="hk-method-note mb-3"),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Post event",
                                    ids.EVENT_CHART,
                                    height=340,
                                    subtitle="The creator's daily attributed revenue around the post; dashed: its "
                                    "baseline; grey band: the range of its quiet days; shaded: the window",
                                    tools=dcc.Dropdown(id=ids.POST, clearable=False, style={"minWidth": "320px"}),
                                ),
                                lg=7,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "Incremental revenue by creator",
                                    ids.INTERVAL_CHART,
                                    height=ids.INTERVAL_HEIGHT,
                                    subtitle="Dot: estimate · bar: interval · grey: not distinguishable from baseline",
                                ),
                                lg=5,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    table_card(
                        "Lift per creator",
                        ids.CREATOR_TABLE,
                        CREATOR_COLUMNS,
                        subtitle="Greyed rows: the interval includes 0 (not distinguishable from baseline)",
                        grid_options={"rowClassRules": FLAT_ROW},
                        height=480,
                    ),
                    organic_section(),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-lift",
    )
