"""Who may do what: local users (Argon2 hashes, Flask-Login sessions) or a trusted proxy's header,
roles enforced on the callback endpoint, login rate limiting, CSRF, and the audit log.

    auth.web.init_app(dash_app)     install the gate on the Flask server (app.py)
    auth.current_role()             "viewer" | "analyst" | "admin" | None (layouts hide what a role cannot use)
    auth.record(action, detail)     an audit entry for whoever is asking (or the shell user from the CLI)
"""

from __future__ import annotations

from auth.roles import ROLES, at_least
from auth.web import current_actor, current_role, layout_role


def record(action: str, detail: str) -> None:
    """Append an audit entry (who: the logged-in user, "local", or the shell user; where: address or "cli").

    Never raises: an audit log that cannot be written is logged, the action it describes has happened."""
    import logging

    from auth import store

    user, address = current_actor()
    try:
        store.audit(action, detail, user, address)
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).exception("audit log not written: %s %s", action, detail)


__all__ = ["ROLES", "at_least", "current_actor", "current_role", "layout_role", "record"]
