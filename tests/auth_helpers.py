"""Helpers for tests that talk to the app's Flask server as a browser would: sign-in, CSRF, callbacks."""

from __future__ import annotations

import contextlib
import re

from auth import store


def callback_payload(dash_app, output_prop: str, values: dict | None = None, changed: str | None = None) -> dict:
    """Dash's JSON body for the callback that writes `output_prop` ("id.property"), inputs set from `values`."""
    values = values or {}
    for key, spec in dash_app.callback_map.items():
        outputs = key[2:-2].split("...") if key.startswith("..") else [key]
        if output_prop not in outputs:
            continue

        def entries(items):
            return [
                {
                    "id": item["id"],
                    "property": item["property"],
                    "value": values.get(f"{item['id']}.{item['property']}"),
                }
                for item in items
            ]

        inputs = entries(spec["inputs"])
        described = [{"id": o.rpartition(".")[0], "property": o.rpartition(".")[2]} for o in outputs]
        return {
            "output": key,
            "outputs": described if key.startswith("..") else described[0],
            "inputs": inputs,
            "state": entries(spec.get("state", [])),
            "changedPropIds": [changed or f"{inputs[0]['id']}.{inputs[0]['property']}"],
        }
    raise KeyError(output_prop)


def csrf_of(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)[1]


def sign_in(client, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password, "csrf_token": csrf_of(client), "next": "/"})


def session_csrf(client) -> str:
    """The CSRF token the renderer would send back (the _csrf_token cookie)."""
    cookie = client.get_cookie("_csrf_token")
    return cookie.value if cookie else ""


@contextlib.contextmanager
def auth_mode(server, mode: str, **config):
    saved = {key: server.config.get(key) for key in ["HKDASH_AUTH", *config]}
    server.config.update(HKDASH_AUTH=mode, **config)
    try:
        yield
    finally:
        server.config.update(saved)


def cheap_hashing(monkeypatch):
    """Argon2id with the smallest cost, for speed: the parameters are the library's, not our code."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(store, "HASHER", hasher)
    monkeypatch.setattr(store, "_DUMMY_HASH", hasher.hash("dummy"))


def add_users(path=None, password: str = "correct horse battery"):
    for role in store.ROLES:
        store.add_user(role, role, password, path)
    return password
