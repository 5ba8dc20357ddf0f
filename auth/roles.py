"""Roles and the declared table of what each callback property needs.

Viewers read every page; analysts also make reports (and save views); only admins upload,
import, append, restore and see the audit log. The check runs on the server for every POST to
Dash's callback endpoint (`auth.web`), keyed on the component properties a request names as
outputs or inputs, so it holds however the callbacks are written or split: a callback that
writes or reads any property below needs at least that role.

Add a row here whenever a callback changes data or reveals admin-only information.
"""

from __future__ import annotations

import json

ROLES = ("viewer", "analyst", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES)}

# "component_id.property" -> the least role allowed to send a callback naming it (output or input).
# Name action triggers and action results, not state that read-only callbacks also take as input
# (data-imported.data, for one, is the Input that refreshes the data set card for everyone).
CALLBACK_ROLES: dict[str, str] = {
    # PDF report (navbar button): analysts and admins.
    "report-download.data": "analyst",
    "report-button.n_clicks": "analyst",
    # The creator page's one-creator PDF: the same role.
    "creator-pdf.n_clicks": "analyst",
    "creator-pdf-download.data": "analyst",
    # /data: upload, validate, import, append, restore.
    "data-upload.contents": "admin",
    "data-upload-store.data": "admin",
    "data-import.n_clicks": "admin",
    "data-import-result.children": "admin",
    "data-report.children": "admin",
    "data-restore.submit_n_clicks": "admin",
    "data-mode.value": "admin",
    "data-history.children": "admin",
    # Saved views (navbar): analysts and admins save and delete; everyone lists them.
    "views-save.n_clicks": "analyst",
    "views-delete.n_clicks": "analyst",
    # /admin: audit log and users.
    "admin-audit.children": "admin",
    "admin-users.children": "admin",
}


def at_least(role: str | None, needed: str) -> bool:
    return role in RANK and RANK[role] >= RANK[needed]


def _id_key(component_id) -> str:
    """Dash's string form of an id; a pattern id (a dict, or its JSON text) is named by its "type"."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        try:
            component_id = json.loads(component_id)
        except ValueError:
            return component_id
    if isinstance(component_id, dict):
        return str(component_id.get("type", ""))
    return str(component_id)


def _named_properties(payload: dict):
    """Every "id.property" a callback request names: outputs, inputs and states (wildcards flattened)."""
    output = payload.get("output", "")
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    for part in parts:
        component, _, prop = part.rpartition(".")
        yield f"{_id_key(component)}.{prop.split('@', 1)[0]}"
    for group in ("outputs", "inputs", "state"):
        items = payload.get(group) or []
        stack = list(items) if isinstance(items, list) else [items]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict) and "id" in item and "property" in item:
                yield f"{_id_key(item['id'])}.{item['property']}"


def required_role(payload: dict, callback_map: dict | None = None) -> str:
    """The least role allowed to run the callback request `payload` (Dash's JSON body).

    With `callback_map` (the app's), the properties the *registered* callback of the payload's
    output declares count as well as those the request names: Dash dispatches on the output alone,
    so a request that renames its input ids must not slip past a rule keyed on an input."""
    needed = ROLES[0]
    names = set(_named_properties(payload))
    spec = (callback_map or {}).get(payload.get("output", "")) or {}
    names |= set(_named_properties({"inputs": spec.get("inputs", []), "state": spec.get("state", [])}))
    for name in names:
        role = CALLBACK_ROLES.get(name)
        if role is not None and RANK[role] > RANK[needed]:
            needed = role
    return needed
