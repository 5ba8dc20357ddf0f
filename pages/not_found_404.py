"""Shown for any unknown path (Dash pages looks for a module named not_found_404)."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Not found", title="Not found · HealthKart Influencer ROI", nav=False)


def layout(**_query):
    return html.Div(
        [
            html.I(className="bi bi-signpost-split hk-empty-icon", **{"aria-hidden": "true"}),
            html.H1("Page not found", className="hk-empty-title"),
            html.P("There is no page at this address.", className="hk-empty-hint"),
            dcc.Link("Go to the overview", href="/", className="btn btn-primary btn-sm"),
        ],
        className="hk-empty",
    )
