"""The server's gate: Host allow-list, body size limit, login (Flask-Login), CSRF, roles on callbacks.

Every request passes `gate` (a Flask before_request hook) before Dash sees it:

1. Host header against the allow-list (Flask's TRUSTED_HOSTS: a DNS-rebinding page gets 400).
2. A body larger than the limit is refused with 413 from its Content-Length, before a byte of it
   is read (Flask's MAX_CONTENT_LENGTH also cuts off bodies sent without a length).
3. Who is asking: nobody needed (auth "off": a one-person server on 127.0.0.1, treated as admin),
   a logged-in local user (auth "password", Flask-Login session), or the user a trusted reverse
   proxy names in a header (auth "header": oauth2-proxy / nginx auth_request single sign-on).
4. State-changing requests carry the session's CSRF token: Dash's renderer sends the
   `_csrf_token` cookie back as the X-CSRFToken header (double submit, tied to the signed session);
   the login form carries it as a field. With auth off, a cross-site Origin is refused.
5. A POST to the callback endpoint must be a well-formed callback request (else 400) and the
   user's role must reach what `auth.roles.CALLBACK_ROLES` asks for its properties (else 403).

Settings come from the environment when the app is created (`hkdash serve` sets them from its
options) and live in `server.config["HKDASH_AUTH"]` and friends, so a test can switch them.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import flask
import flask_login
from flask import jsonify, redirect, render_template_string, request, session

from auth import roles, store

log = logging.getLogger(__name__)

AUTH_MODES = ("off", "password", "header")
CALLBACK_PATH = "/_dash-update-component"
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads (Dash's csrf_token_name default)
CSRF_HEADER = "X-CSRFToken"
PUBLIC_PREFIXES = ("/login", "/logout", "/assets/", "/_favicon.ico")  # the two forms check their own token
DEFAULT_MAX_REQUEST_MB = 160  # one 100 MB file arrives base64-encoded (x 4/3) inside Dash's JSON
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Set in the WSGI environ by app._warm_up's in-process request only: no HTTP header can set it.
WARM_UP_KEY = "hkdash.warm_up"


class WebUser(flask_login.UserMixin):
    def __init__(self, user: store.User):
        self.name, self.role = user.name, user.role

    def get_id(self) -> str:
        return self.name


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def settings_from_env(env=os.environ) -> dict:
    """Flask config keys of the gate, from HKDASH_* variables (docs/deploy.md lists them)."""
    mode = env.get("HKDASH_AUTH", "password")
    if mode not in AUTH_MODES:
        raise ValueError(f"HKDASH_AUTH must be one of {', '.join(AUTH_MODES)}, not {mode!r}")
    hosts = [h.strip() for h in env.get("HKDASH_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return {
        "HKDASH_AUTH": mode,
        "HKDASH_AUTH_HEADER": env.get("HKDASH_AUTH_HEADER", "X-Forwarded-User"),
        "HKDASH_TRUSTED_PROXIES": [
            p.strip() for p in env.get("HKDASH_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()
        ],
        "HKDASH_PROXY_ROLE": roles.ROLES[0]
        if env.get("HKDASH_PROXY_ROLE") is None
        else store.check_role(env["HKDASH_PROXY_ROLE"]),
        "TRUSTED_HOSTS": hosts or list(LOOPBACK_NAMES),
        "MAX_CONTENT_LENGTH": int(float(env.get("HKDASH_MAX_REQUEST_MB", DEFAULT_MAX_REQUEST_MB)) * 1024 * 1024),
        "SESSION_COOKIE_SECURE": env.get("HKDASH_COOKIE_SECURE", "1") != "0",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "hkdash_session",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    }


def secret_key(path: Path) -> bytes:
    """The session signing key, created once (mode 0600) so that every worker and restart shares it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def init_app(dash_app) -> None:
    """Install the gate, the login/logout pages and Flask-Login on the Dash app's Flask server."""
    server = dash_app.server
    server.config.update(settings_from_env())
    if os.environ.get("HKDASH_BEHIND_PROXY") == "1":  # client address and scheme from the proxy's X-Forwarded-*
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)
    server.secret_key = secret_key(
        Path(os.environ.get("HKDASH_SECRET_FILE") or store.auth_db_path().with_name("hkdash-secret.key"))
    )
    manager = flask_login.LoginManager()
    # "basic": a session used from another address or browser is no longer "fresh"; "strong" would
    # also drop the anonymous session (and its CSRF token) that the proxy-header mode relies on.
    manager.session_protection = "basic"
    manager.init_app(server)
    manager.user_loader(_load_user)
    manager.request_loader(_user_from_proxy_header)
    server.before_request(gate(dash_app))
    server.after_request(_csrf_cookie)
    server.add_url_rule("/login", "hkdash_login", login_view, methods=["GET", "POST"])
    server.add_url_rule("/logout", "hkdash_logout", logout_view, methods=["GET", "POST"])
    server.register_error_handler(413, _too_large)


# --- who is asking ------------------------------------------------------------------------------


def _load_user(name: str):
    if flask.current_app.config["HKDASH_AUTH"] != "password":
        return None
    user = store.get_user(name)
    return WebUser(user) if user else None


def peer_address() -> str:
    """The address of the connection itself (not what a forwarded header claims)."""
    original = request.environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or request.remote_addr or ""


def _user_from_proxy_header(req):
    config = flask.current_app.config
    if config["HKDASH_AUTH"] != "header":
        return None
    name = req.headers.get(config["HKDASH_AUTH_HEADER"], "").strip()
    if not name or peer_address() not in config["HKDASH_TRUSTED_PROXIES"]:
        return None
    try:
        name = store.check_name(name)
    except store.UserError:
        return None
    known = store.get_user(name)
    return WebUser(known or store.User(name, config["HKDASH_PROXY_ROLE"]))


def current_role() -> str | None:
    """The asking user's role; "admin" with auth off; None when nobody is logged in (or outside a request)."""
    if not flask.has_request_context():
        return None
    if flask.current_app.config.get("HKDASH_AUTH", "off") == "off":
        return "admin"
    user = flask_login.current_user
    return user.role if user.is_authenticated else None


def layout_role() -> str | None:
    """The role a page layout is built for: the asking user's, or "admin" outside a request (a layout
    built for inspection has every component). Layouts only hide what a role cannot use; the gate
    refuses it whatever the layout shows."""
    return current_role() if flask.has_request_context() else "admin"


def current_actor() -> tuple[str, str]:
    """(user name, address) for the audit log: ("local", address) with auth off; ("cli", "cli") outside a request."""
    if not flask.has_request_context():
        import getpass

        return getpass.getuser(), "cli"
    user = flask_login.current_user
    name = user.name if getattr(user, "is_authenticated", False) else "local"
    return name, request.remote_addr or ""


# --- the gate -----------------------------------------------------------------------------------


def _error(status: int, message: str):
    return jsonify(error=message), status


def gate(dash_app):
    def check():
        if request.environ.get(WARM_UP_KEY):
            return None
        config = flask.current_app.config
        request.host  # noqa: B018 - validates the Host header against TRUSTED_HOSTS (400 when not allowed)
        limit = config.get("MAX_CONTENT_LENGTH")
        if limit and (request.content_length or 0) > limit:
            return _error(413, f"request too large (more than {limit // (1024 * 1024)} MB)")
        mode = config["HKDASH_AUTH"]
        if mode == "off":
            if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin():
                return _error(403, "cross-site request refused")
            role = "admin"
        else:
            session.setdefault("csrf", secrets.token_hex(32))
            if request.path.startswith(PUBLIC_PREFIXES):
                return None
            user = flask_login.current_user
            if not user.is_authenticated:
                if request.method == "GET" and "text/html" in request.headers.get("Accept", ""):
                    return redirect(f"/login?next={_safe_next(request.full_path)}")
                return _error(401, "login required")
            if request.method not in ("GET", "HEAD", "OPTIONS") and not _csrf_ok(request.headers.get(CSRF_HEADER)):
                return _error(403, "missing or wrong CSRF token: reload the page")
            role = user.role
        if request.path == CALLBACK_PATH and request.method == "POST":
            return _check_callback(dash_app, role)
        return None

    return check


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _csrf_ok(sent) -> bool:
    expected = session.get("csrf")
    return bool(expected and isinstance(sent, str) and hmac.compare_digest(sent, expected))


def _check_callback(dash_app, role: str):
    payload = request.get_json(silent=True)
    problem = malformed(dash_app, payload)
    if problem:
        return _error(400, f"malformed callback request: {problem}")
    needed = roles.required_role(payload, dash_app.callback_map)
    if not roles.at_least(role, needed):
        return _error(403, f"this needs the {needed} role (you are {role})")
    return None


def malformed(dash_app, payload) -> str | None:
    """Why a callback request body cannot be dispatched, or None when it is well formed."""
    if not isinstance(payload, dict):
        return "not a JSON object"
    output = payload.get("output")
    if not isinstance(output, str) or "callback" not in dash_app.callback_map.get(output, {}):
        return "unknown output"  # clientside callbacks are in the map too, without a server function
    spec = dash_app.callback_map[output]
    for group in ("inputs", "state"):
        items = payload.get(group, [])
        if not isinstance(items, list) or len(items) != len(spec.get(group, [])):
            return f"{group} do not match the callback"
        if not all(_is_dependency(item) for item in items):
            return f"{group} entries need an id and a property"
    if not isinstance(payload.get("outputs", []), (list, dict)):
        return "outputs must be a list or an object"
    changed = payload.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(item, str) for item in changed):
        return "changedPropIds must be a list of strings"
    return None


def _is_dependency(item) -> bool:
    if isinstance(item, list):  # pattern-matching inputs arrive as lists
        return all(_is_dependency(entry) for entry in item)
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def _csrf_cookie(response):
    token = session.get("csrf") if flask.current_app.config["HKDASH_AUTH"] != "off" else None
    if token and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            secure=flask.current_app.config["SESSION_COOKIE_SECURE"],
            httponly=False,
            samesite="Strict",
            path="/",
        )
    return response


def _too_large(_error_):
    return _error(413, "request too large")


# --- login / logout pages -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>{{ title }} · HealthKart Influencer ROI</title>
<link rel="stylesheet" href="/assets/vendor/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width: 26rem; margin-top: 12vh">
<h1 class="h4 mb-3">HealthKart Influencer ROI</h1>
{% if message %}<div class="alert alert-{{ tone }} py-2" role="alert" id="login-message">{{ message }}</div>{% endif %}
{% if form == "login" %}
<form method="post" action="/login" class="card card-body">
  <input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="next" value="{{ next }}">
  <label class="form-label" for="name">User name</label>
  <input class="form-control mb-2" id="name" name="name" autocomplete="username" required autofocus value="{{ name }}">
  <label class="form-label" for="password">Password</label>
  <input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password" required>
  <button class="btn btn-primary" type="submit">Sign in</button>
</form>
{% elif form == "logout" %}
<form method="post" action="/logout" class="card card-body">
  <input type="hidden" name="csrf_token" value="{{ csrf }}">
  <p class="mb-3">Signed in as <strong>{{ name }}</strong> ({{ role }}).</p>
  <button class="btn btn-outline-secondary" type="submit">Sign out</button>
</form>
{% endif %}
</main></body></html>"""


def _page(status: int = 200, **values):
    values = {
        "message": None,
        "tone": "danger",
        "form": None,
        "name": "",
        "next": "/",
        "csrf": session.get("csrf", ""),
        "role": "",
        **values,
    }
    return render_template_string(PAGE, **values), status


def _safe_next(target) -> str:
    """A local path to go back to after login; anything else (another site, //host) becomes "/"."""
    target = str(target or "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target.rstrip("?") or "/"


def login_view():
    if flask.current_app.config["HKDASH_AUTH"] != "password":
        return _page(404, message="Sign-in with a password is not used on this server.", tone="secondary")
    next_path = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _page(form="login", next=next_path, title="Sign in")
    if not _csrf_ok(request.form.get("csrf_token")):
        return _page(
            400, form="login", next=next_path, title="Sign in", message="The form expired: please sign in again."
        )
    name = request.form.get("name", "")[:64]
    address = request.remote_addr or ""
    now = time.time()
    if store.locked_out(name, address, now):
        store.audit("login_refused", "too many failed logins", name or "?", address)
        return _page(
            429,
            form="login",
            next=next_path,
            name=name,
            title="Sign in",
            message=f"Too many failed sign-ins: try again in {store.FAILURE_WINDOW_S // 60} minutes.",
        )
    user = store.verify(name, request.form.get("password", ""))
    if user is None:
        store.record_failure(name, address, now)
        store.audit("login_failed", "wrong user name or password", name or "?", address)
        return _page(
            401, form="login", next=next_path, name=name, title="Sign in", message="Wrong user name or password."
        )
    store.clear_failures(user.name)
    session.clear()  # no session fixation: a fresh session (and CSRF token) after sign-in
    session.permanent = True
    flask_login.login_user(WebUser(user))
    session["csrf"] = secrets.token_hex(32)
    store.audit("login", f"role {user.role}", user.name, address)
    return redirect(next_path)


def logout_view():
    user = flask_login.current_user
    if request.method == "GET":
        if not user.is_authenticated:
            return redirect("/login")
        return _page(form="logout", name=user.name, role=user.role, title="Sign out")
    if not _csrf_ok(request.form.get("csrf_token")):
        return _page(400, message="The form expired: reload and try again.")
    if user.is_authenticated:
        store.audit("logout", "", user.name, request.remote_addr or "")
    flask_login.logout_user()
    session.clear()
    return redirect("/login")
