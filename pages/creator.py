"""A creator's page, /influencers/<influencer_id>: its figures against the comparison period, sales
and spend over time, every post with its link, caption, reach, engagement, window revenue and lift,
its contract and verdict, its audience, and a one-creator PDF. The ranking's detail panel links here.
"""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.cards import GRAPH_CONFIG
from components.ids import creator as ids
from components.report_button import IDLE_LABEL

dash.register_page(
    __name__,
    path_template="/influencers/<influencer_id>",
    name="Creator",
    nav=False,
    title="Creator · HealthKart Influencer ROI",
    description="One creator: figures, posts, lift, contract, verdict and audience",
)


def _card(title: str, body, tools=None) -> dbc.Card:
    header = html.Div(
        [html.H2(title, className="hk-card-title me-auto"), tools],
        className="hk-card-header d-flex flex-wrap align-items-start gap-2",
    )
    return dbc.Card(dbc.CardBody([header, body]), className="hk-card mb-3")


def _time_graph(graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config=GRAPH_CONFIG, style={"height": "300px"})


def layout(influencer_id=None, **_query):
    pdf = html.Div(
        [
            dbc.Button(
                IDLE_LABEL,
                id=ids.PDF_BUTTON,
                n_clicks=0,
                color="primary",
                size="sm",
                outline=True,
                title="A PDF report of this creator only (the filters applied)",
            ),
            dcc.Download(id=ids.PDF_DOWNLOAD),
            html.Div(id=ids.PDF_STATUS, className="hk-report-status", role="status", **{"aria-live": "polite"}),
        ],
        className="d-flex align-items-center gap-2",
    )
    time_tabs = dbc.Tabs(
        [
            dbc.Tab(_time_graph(ids.TIME_SALE), label="By sale date", tab_id="sale"),
            dbc.Tab(_time_graph(ids.TIME_COHORT), label="By post (cohort)", tab_id="cohort"),
        ],
        active_tab="sale",
        id=ids.TIME_TABS,
    )
    return html.Div(
        [
            html.Div(
                [html.Div(id=ids.HEADER, className="me-auto"), pdf],
                className="d-flex flex-wrap align-items-start gap-2 mb-3",
            ),
            html.Div(id=ids.NOT_FOUND),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    dbc.Row(
                        [
                            dbc.Col(_card("Verdict", html.Div(id=ids.VERDICT)), lg=5),
                            dbc.Col(_card("Contract and payout terms", html.Div(id=ids.CONTRACT)), lg=7),
                        ],
                        className="g-3",
                    ),
                    _card(
                        "Sales and spend over time (weekly)",
                        html.Div([time_tabs, html.Div(id=ids.TIME_NOTE, className="hk-card-footer")]),
                    ),
                    _card(
                        "Posts",
                        html.Div([html.Div(id=ids.POSTS_NOTE, className="hk-card-subtitle"), html.Div(id=ids.POSTS)]),
                    ),
                    _card("Audience", html.Div(id=ids.AUDIENCE)),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-creator",
    )
