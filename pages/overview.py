"""Overview: headline KPIs, revenue vs spend over time, platform share, top influencers."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header, segmented
from components.ids import overview as ids

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    order=0,
    title="Overview · HealthKart Influencer ROI",
    description="Attributed revenue, spend and ROAS of influencer campaigns",
)


def layout(**_query):
    return html.Div(
        [
            page_header("Overview", "Attributed sales, cost and return of influencer campaigns in the selection"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    html.Div(id=ids.COMPARE_NOTE, className="hk-compare-note", role="note"),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Revenue vs spend",
                                    ids.TREND,
                                    height=340,
                                    footer_id=ids.TREND_NOTE,
                                    subtitle="Bars: revenue and spend per period (hatched: partial) · lines: ROAS "
                                    "(revenue ÷ spend) and its rolling 4 weeks",
                                    tools=[
                                        segmented(ids.TREND_BASIS, ids.BASIS_OPTIONS, "sale"),
                                        segmented(ids.GRAIN, ids.GRAIN_OPTIONS, "week"),
                                    ],
                                ),
                                lg=8,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "Revenue share by platform",
                                    ids.PLATFORM_SHARE,
                                    height=340,
                                    subtitle="Platform of the influencer who drove the sale",
                                ),
                                lg=4,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Top influencers",
                                    ids.TOP,
                                    height=380,
                                    subtitle="Ten best in the selection; colour = platform",
                                    tools=segmented(ids.TOP_METRIC, ids.TOP_OPTIONS, "revenue"),
                                ),
                                lg=12,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-overview",
    )
