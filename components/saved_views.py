"""The navbar's saved views: a dropdown of named addresses and a dialog to save or delete one.

The menu's items come from callbacks/views.py (per request, so a view saved by a colleague shows on
the next page change, and "Save this view…" only for roles allowed to save).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.ids import views as ids

SAVE_LABEL = "Save this view…"


def view_items(views, can_save: bool) -> list:
    """Dropdown items: one link per saved view (its address in the tooltip), then the save item."""
    items: list = [
        dbc.DropdownMenuItem(html.Span(view.name, title=view.url), href=view.url, className="hk-view-item")
        for view in views
    ]
    if not views:
        items.append(dbc.DropdownMenuItem("No saved views yet", disabled=True))
    if can_save:
        items += [dbc.DropdownMenuItem(divider=True), dbc.DropdownMenuItem(SAVE_LABEL, id=ids.OPEN, n_clicks=0)]
    return items


def views_menu() -> html.Div:
    """Dropdown + dialog; place it once in the navbar, beside the PDF button."""
    dialog = dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Save this view")),
            dbc.ModalBody(
                [
                    html.P(
                        "A name for this page with its filters, shared with everyone using this dashboard. "
                        "Saving an existing name replaces it.",
                        className="small text-muted",
                    ),
                    dbc.Label("Name", html_for=ids.NAME),
                    dbc.Input(id=ids.NAME, type="text", maxLength=80, placeholder="e.g. Instagram, last 30 days"),
                    html.Div(id=ids.STATUS, className="mt-2", role="status", **{"aria-live": "polite"}),
                ]
            ),
            dbc.ModalFooter(
                [
                    dbc.Button("Delete view of this name", id=ids.DELETE, n_clicks=0, color="link", size="sm"),
                    dbc.Button("Close", id=ids.CLOSE, n_clicks=0, color="secondary", size="sm"),
                    dbc.Button("Save", id=ids.SAVE, n_clicks=0, color="primary", size="sm"),
                ]
            ),
        ],
        id=ids.MODAL,
        is_open=False,
    )
    menu = dbc.DropdownMenu(
        # Filled per request by callbacks/views.py; the save item is in the layout from the start so
        # its callback has an input to listen to (the server refuses a viewer's save whatever shows).
        view_items([], can_save=True),
        id=ids.MENU,
        label="Views",
        color="light",
        size="sm",
        align_end=True,
        className="hk-views-menu",
    )
    return html.Div([menu, dialog, dcc.Store(id=ids.CHANGED, data=0)], className="hk-views")
