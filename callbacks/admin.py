"""/admin: the audit log and the user list (auth.roles: admins only, refused on the server otherwise)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from components.ids import admin as ids
from components.ids.shell import URL
from metrics import format as fmt

AUDIT_SHOWN = 200


def _table(header: list[str], rows: list[list], table_id: str):
    if not rows:
        return html.P("Nothing yet.", className="mb-0", id=table_id)
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody([html.Tr([html.Td(str(cell)) for cell in row]) for row in rows]),
        ],
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 small",
        id=table_id,
    )


@callback(Output(ids.AUDIT, "children"), Output(ids.USERS, "children"), Input(URL, "pathname"))
def admin_tables(_pathname):
    from auth import store

    entries = store.audit_entries(AUDIT_SHOWN)
    audit = _table(
        ["When", "User", "Action", "Detail", "From"],
        [[fmt.timestamp(e.at), e.user, e.action, e.detail, e.address] for e in entries],
        ids.AUDIT_TABLE,
    )
    users = _table(
        ["User", "Role", "Created"],
        [[u.name, u.role, fmt.timestamp(u.created_at)] for u in store.list_users()],
        ids.USERS_TABLE,
    )
    return audit, users
