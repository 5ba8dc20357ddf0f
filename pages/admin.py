"""Admin: the audit log (sign-ins, imports, appends, restores, user changes) and the users who may sign in."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import auth
from components.cards import notice, page_header
from components.ids import admin as ids

dash.register_page(
    __name__,
    path="/admin",
    name="Admin",
    order=10,
    nav=False,
    title="Admin · HealthKart Influencer ROI",
    description="Audit log and users",
    filters=False,
)


def layout(**_query):
    if auth.layout_role() != "admin":
        return html.Div(
            [
                page_header("Admin"),
                notice("The audit log and the user list are for admins.", color="secondary", icon="bi-lock"),
            ]
        )
    return html.Div(
        [
            page_header("Admin", "Who signed in, imported, appended or restored, when and from where"),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("Audit log (newest first)", className="hk-card-title"),
                        dcc.Loading(html.Div(id=ids.AUDIT), type="dot", delay_show=300),
                    ]
                ),
                className="hk-card mb-3",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("Users", className="hk-card-title"),
                        html.P(
                            [
                                "Add, remove and change users on the server: ",
                                html.Code("hkdash user add NAME --role analyst"),
                                ", ",
                                html.Code("hkdash user passwd NAME"),
                                ", ",
                                html.Code("hkdash user remove NAME"),
                                ".",
                            ],
                            className="hk-card-subtitle",
                        ),
                        html.Div(id=ids.USERS),
                    ]
                ),
                className="hk-card mb-3",
            ),
        ]
    )
