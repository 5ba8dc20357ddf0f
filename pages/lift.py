"""Lift: what the posts caused, measured against each creator's quiet days, with intervals."""
import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components import lift_ids as ids
from components.cards import chart_card, page_header, segmented
from components.tables import money_col, ratio_col, table_card, text_col, count_col

dash.register_page(__name__, path="/lift", name="Lift", order=8,
                   title="Lift · HealthKart Influencer ROI",
                   description="Measured incremental revenue per post and creator, with intervals")

WINDOW_OPTIONS = [{"label": f"{days} days", "value": days} for days in (7, 14, 28)]
FLAT_ROW = {"hk-lift-flat": "params.data.verdict === 'not distinguishable from baseline'"}

CREATOR_COLUMNS = [
    text_col("influencer_id", "ID", width=100),
    text_col("name", "Influencer", width=170),
    text_col("platform", "Platform", width=110),
    text_col("tier", "Tier", width=90),
    count_col("posts", "Posts"),
    money_col("baseline_per_day", "Baseline / day", headerTooltip="Typical attributed revenue per day on quiet days"),
    money_col("window_revenue", "Window revenue", headerTooltip="Attributed revenue on the days of its post windows"),
    money_col("incremental_revenue", "Incremental", headerTooltip="Σ (actual − baseline) over the window days"),
    money_col("incremental_revenue_low", "Low", headerTooltip="Low end of the interval"),
    money_col("incremental_revenue_high", "High", headerTooltip="High end of the interval"),
    money_col("spend", "Spend"),
    ratio_col("incremental_roas", "Incr. ROAS", headerTooltip="Incremental revenue ÷ spend"),
    text_col("verdict", "Verdict", width=230),
]


def layout(**_query):
    return html.Div([
        page_header("Lift", "What the posts caused: sales in each post's window against the creator's own "
                    "quiet days", tools=segmented(ids.WINDOW, WINDOW_OPTIONS, 14)),
        html.Div(id=ids.EMPTY),
        html.Div([
            html.Div(id=ids.KPIS, className="hk-kpi-grid"),
            html.Div(id=ids.METHOD_NOTE, className="hk-method-note mb-3"),
            dbc.Row([
                dbc.Col(chart_card("Post event", ids.EVENT_CHART, height=340,
                                   subtitle="The creator's daily attributed revenue around the post; dashed: its "
                                            "baseline; grey band: the range of its quiet days; shaded: the window",
                                   tools=dcc.Dropdown(id=ids.POST, clearable=False, style={"minWidth": "320px"})),
                        lg=7, className="mb-3"),
                dbc.Col(chart_card("Incremental revenue by creator", ids.INTERVAL_CHART, height=340,
                                   subtitle="Dot: estimate · bar: interval · grey: not distinguishable from baseline"),
                        lg=5, className="mb-3"),
            ], className="g-3"),
            table_card("Lift per creator", ids.CREATOR_TABLE, CREATOR_COLUMNS,
                       subtitle="Greyed rows: the interval includes 0 (not distinguishable from baseline)",
                       grid_options={"rowClassRules": FLAT_ROW}, height=480),
        ], id=ids.BODY),
    ], className="hk-page-lift")
