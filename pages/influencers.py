"""Influencers: the ranking (sortable, filterable, quick search, top / poor performers, efficiency
score); clicking a row opens the influencer's detail (posts, sales over time, payout terms, ratios)."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import page_header, segmented
from components.ids import influencers as ids
from components.ranking_grid import RANKING_COLUMNS, grid_state, sorted_columns
from components.tables import csv_button, ranking_grid

dash.register_page(
    __name__,
    path="/influencers",
    name="Influencers",
    order=1,
    title="Influencers · HealthKart Influencer ROI",
    description="Influencer ranking by return on spend, with each influencer's detail",
)


def layout(**query):
    state = grid_state(query)  # sort, quick search and view from the URL: a link reproduces the ranking
    tools = html.Div(
        [
            dbc.Label("Search the ranking", html_for=ids.SEARCH, className="visually-hidden"),
            dbc.Input(
                id=ids.SEARCH,
                value=state["q"],
                type="search",
                placeholder="Search name, platform, category…",
                debounce=300,
                size="sm",
                className="hk-search",
            ),
            segmented(ids.VIEW, ids.VIEW_OPTIONS, state["view"]),
            csv_button(ids.RANKING_TABLE),
        ],
        className="d-flex flex-wrap gap-2 align-items-center",
    )
    return html.Div(
        [
            page_header(
                "Influencers", "Who returns the most on what they cost. Click a row for the influencer's detail."
            ),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    html.Div(id=ids.KPIS, className="hk-kpi-grid"),
                    dbc.Card(
                        dbc.CardBody(
                            [
                                html.Div(
                                    [
                                        html.Div(
                                            [
                                                html.H2("Influencer ranking", className="hk-card-title"),
                                                html.Div(id=ids.TABLE_NOTE, className="hk-card-subtitle"),
                                            ],
                                            className="me-auto",
                                        ),
                                        tools,
                                    ],
                                    className="hk-card-header d-flex flex-wrap align-items-start gap-2",
                                ),
                                ranking_grid(
                                    ids.RANKING_TABLE,
                                    sorted_columns(RANKING_COLUMNS, state["sort"]),
                                    height=600,
                                    grid_options={"quickFilterText": state["q"]},
                                ),
                            ]
                        ),
                        className="hk-card mb-3",
                    ),
                ],
                id=ids.BODY,
            ),
            dbc.Offcanvas(
                html.Div(id=ids.DETAIL_BODY),
                id=ids.DETAIL,
                title="Influencer",
                placement="end",
                is_open=False,
                scrollable=True,
                className="hk-detail",
            ),
        ],
        className="hk-page-influencers",
    )
