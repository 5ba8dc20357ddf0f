"""Overview: headline KPIs, revenue vs spend over time, platform share, top influencers."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header, segmented

dash.register_page(__name__, path="/", name="Overview", order=0,
                   title="Overview · HealthKart Influencer ROI",
                   description="Attributed revenue, spend and ROAS of influencer campaigns")

GRAIN_OPTIONS = [{"label": "Day", "value": "day"}, {"label": "Week", "value": "week"},
                 {"label": "Month", "value": "month"}]
TOP_OPTIONS = [{"label": "Revenue", "value": "revenue"}, {"label": "ROAS", "value": "roas"},
               {"label": "Efficiency", "value": "efficiency_score"}]


def layout(**_query):
    return html.Div([
        page_header("Overview", "Attributed sales, cost and return of influencer campaigns in the selection"),
        html.Div(id="ov-empty"),
        html.Div([
            html.Div(id="ov-kpis", className="hk-kpi-grid"),
            dbc.Row([
                dbc.Col(chart_card(
                    "Revenue vs spend", "ov-trend", height=340, footer_id="ov-trend-note",
                    subtitle="Bars: revenue and spend per period · line: ROAS (revenue ÷ spend)",
                    tools=segmented("ov-grain", GRAIN_OPTIONS, "week"),
                ), lg=8, className="mb-3"),
                dbc.Col(chart_card("Revenue share by platform", "ov-platform-share", height=340,
                                   subtitle="Platform of the influencer who drove the sale"),
                        lg=4, className="mb-3"),
            ], className="g-3"),
            dbc.Row([
                dbc.Col(chart_card(
                    "Top influencers", "ov-top", height=380,
                    subtitle="Ten best in the selection; colour = platform",
                    tools=segmented("ov-top-metric", TOP_OPTIONS, "revenue"),
                ), lg=12, className="mb-3"),
            ], className="g-3"),
        ], id="ov-body"),
    ], className="hk-page-overview")
