"""Saved views: the navbar menu lists them; analysts and admins save or delete one (auth/roles.py)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, no_update

import auth
from components.ids import views as ids
from components.ids.shell import URL
from components.saved_views import view_items
from warehouse import saved_views


@callback(Output(ids.MENU, "children"), Input(URL, "pathname"), Input(ids.CHANGED, "data"))
def list_saved_views(_pathname, _changed):
    """Read per request: a colleague's new view shows on the next page change."""
    return view_items(saved_views.list_views(), can_save=auth.at_least(auth.current_role(), "analyst"))


@callback(
    Output(ids.MODAL, "is_open"),
    Input(ids.OPEN, "n_clicks"),
    Input(ids.CLOSE, "n_clicks"),
    prevent_initial_call=True,
)
def toggle_dialog(opened, _closed):
    """Open on the menu item's click, close on Close. The menu is re-rendered after each save, and
    its new item (n_clicks 0) must not close the dialog that is still showing the result."""
    if ctx.triggered_id == ids.CLOSE:
        return False
    return True if opened else no_update


@callback(
    Output(ids.STATUS, "children"),
    Output(ids.CHANGED, "data"),
    Input(ids.SAVE, "n_clicks"),
    Input(ids.DELETE, "n_clicks"),
    State(ids.NAME, "value"),
    State(URL, "pathname"),
    State(URL, "search"),
    State(ids.CHANGED, "data"),
    prevent_initial_call=True,
)
def save_or_delete_view(saved, deleted, name, pathname, search, changed):
    """Save the current address under `name` (or delete the view of that name); say what happened."""
    if not (saved or deleted):
        return no_update, no_update
    try:
        if ctx.triggered_id == ids.DELETE:
            saved_views.delete_view(name or "")
            auth.record("view_deleted", saved_views.check_name(name or ""))
            message = f"Deleted the view “{saved_views.check_name(name or '')}”."
        else:
            user, _address = auth.current_actor()
            view = saved_views.save_view(name or "", f"{pathname or '/'}{search or ''}", user)
            auth.record("view_saved", f"{view.name}: {view.url}")
            message = f"Saved “{view.name}”: it is in the Views menu for everyone."
    except saved_views.ViewError as error:
        return dbc.Alert(str(error), color="warning", className="py-1 px-2 small mb-0"), no_update
    return dbc.Alert(message, color="success", className="py-1 px-2 small mb-0"), (changed or 0) + 1
