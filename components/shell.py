"""The app shell: URL, navbar (built from the page registry), filter bar, page container, footer."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.filter_bar import filter_bar
from components.ids import shell as ids
from components.sales_notice import sales_notice_area

APP_TITLE = "HealthKart Influencer ROI"


def nav_pages(registry=None) -> list[dict]:
    """Pages shown in the navbar, in `order`: every registered page unless it says nav=False."""
    registry = dash.page_registry if registry is None else registry
    pages = [p for p in registry.values() if p.get("nav", True) and not p.get("path_template")]
    return sorted(pages, key=lambda p: (p.get("order") if p.get("order") is not None else 999, p["path"]))


def navbar(pages: list[dict], report=None) -> dbc.Navbar:
    links = [
        dbc.NavItem(
            dbc.NavLink(
                page.get("nav_label") or page["name"],
                href=page["relative_path"],
                id=ids.nav_link(page["path"]),
                active=False,
                className="hk-nav-link",
            )
        )
        for page in pages
    ]
    brand = dcc.Link(
        [
            html.Span("HK", className="hk-logo", **{"aria-hidden": "true"}),
            html.Span(
                [
                    html.Span("HealthKart", className="hk-brand-name"),
                    html.Span("Influencer ROI", className="hk-brand-sub"),
                ],
                className="hk-brand-text",
            ),
        ],
        href="/",
        className="navbar-brand hk-brand",
        id=ids.NAV_BRAND,
    )
    right = html.Div(report, className="hk-nav-tools ms-lg-auto") if report is not None else None
    return dbc.Navbar(
        dbc.Container(
            [
                brand,
                dbc.NavbarToggler(id=ids.NAV_TOGGLE, n_clicks=0),
                dbc.Collapse(
                    [dbc.Nav(links, navbar=True, className="me-auto hk-nav"), right],
                    id=ids.NAV_COLLAPSE,
                    navbar=True,
                    is_open=False,
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="lg",
        className="hk-navbar",
        sticky="top",
    )


def footer() -> html.Footer:
    return html.Footer(
        dbc.Container(
            [
                html.Span(id=ids.DATASET_INFO, className="hk-dataset-info"),
                html.Span(
                    [
                        "Ratios are pooled (ratio of sums); “—” means undefined (a zero denominator, or refunds exceeding sales). ",
                        "Money in ₹, Indian grouping; L = lakh, Cr = crore.",
                    ],
                    className="hk-footer-note",
                ),
            ],
            fluid=True,
            className="d-flex flex-wrap justify-content-between gap-2",
        ),
        className="hk-footer",
    )


def app_shell(pages: list[dict], report=None) -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.DATASET_CHANGED, storage_type="memory"),
            navbar(pages, report),
            html.Main(
                dbc.Container(
                    [filter_bar(), sales_notice_area(), html.Div(dash.page_container, className="hk-page")],
                    fluid=True,
                    className="hk-container",
                ),
                id=ids.MAIN,
            ),
            footer(),
        ],
        className="hk-app",
    )
