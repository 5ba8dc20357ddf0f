"""Saved views (warehouse/saved_views.py): the store, the roles on its callbacks, surviving an import,
and a saved view's PDF from the command line (what a cron job runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from auth_helpers import add_users, auth_mode, callback_payload, cheap_hashing, session_csrf, sign_in

from warehouse import import_dataset, saved_views
from warehouse.saved_views import ViewError

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


@pytest.fixture
def views_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "views.sqlite3"
    monkeypatch.setenv("HKDASH_VIEWS_DB", str(path))
    return path


def test_save_list_replace_and_delete(views_db):
    saved_views.save_view("  Instagram,   last 30 days ", "/influencers?platform=Instagram&period=last-30", "asha")
    saved_views.save_view("Overview", "/", "ravi")
    assert [(v.name, v.url, v.saved_by) for v in saved_views.list_views()] == [
        ("Instagram, last 30 days", "/influencers?platform=Instagram&period=last-30", "asha"),
        ("Overview", "/", "ravi"),
    ]
    view = saved_views.get_view("instagram, LAST 30 days")  # names are case-insensitive
    assert view.path == "/influencers" and view.query == "?platform=Instagram&period=last-30"
    saved_views.save_view("OVERVIEW", "/campaigns?brand=Gritzo", "meera")  # same name: replaced, as now written
    assert [(v.name, v.url) for v in saved_views.list_views()][1] == ("OVERVIEW", "/campaigns?brand=Gritzo")
    saved_views.delete_view("overview")
    assert [v.name for v in saved_views.list_views()] == ["Instagram, last 30 days"]
    with pytest.raises(ViewError, match=r"no saved view named 'nope' \(saved views: Instagram, last 30 days\)"):
        saved_views.get_view("nope")


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "influencers", "/\\evil.example", "/a\nb"],
)
def test_only_addresses_of_this_dashboard_are_saved(views_db, url):
    with pytest.raises(ViewError):
        saved_views.save_view("x", url, "asha")
    assert saved_views.list_views() == []


def test_names_must_be_readable(views_db):
    for name, message in (("   ", "needs a name"), ("x" * 81, "at most 80"), ("a\x07b", "control characters")):
        with pytest.raises(ViewError, match=message):
            saved_views.save_view(name, "/", "asha")
    view = saved_views.save_view("<b>Bold</b> & co", "/#top", "asha")  # stored as written; escaped where shown
    assert view.name == "<b>Bold</b> & co" and view.url == "/"


def test_views_survive_an_import_and_a_restore(tmp_path, traps_dir, monkeypatch):
    db = tmp_path / "wh.duckdb"
    monkeypatch.setenv("HKDASH_DB", str(db))
    monkeypatch.delenv("HKDASH_VIEWS_DB", raising=False)
    import_dataset(traps_dir, db)
    saved_views.save_view("Instagram", "/?platform=Instagram", "asha")
    import_dataset(traps_dir, db)  # the warehouse file is replaced
    assert saved_views.views_db_path() == tmp_path / "hkdash-views.sqlite3"
    assert [v.name for v in saved_views.list_views()] == ["Instagram"]


# --- the navbar's callbacks, through the app's real Flask server -------------------------------------


@pytest.fixture(scope="module")
def dash_app():
    import app

    return app.app


@pytest.fixture
def client_for(dash_app, tmp_path, monkeypatch, views_db):
    cheap_hashing(monkeypatch)
    users = tmp_path / "auth.sqlite3"
    monkeypatch.setenv("HKDASH_AUTH_DB", str(users))
    add_users(users, PASSWORD)
    with auth_mode(dash_app.server, "password", SESSION_COOKIE_SECURE=False):

        def signed_in(role):
            client = dash_app.server.test_client()
            assert sign_in(client, role, PASSWORD).status_code == 302
            return client

        yield signed_in


def save_request(dash_app, client, name: str, button: str = "views-save"):
    values = {
        f"{button}.n_clicks": 1,
        "views-name.value": name,
        "url.pathname": "/influencers",
        "url.search": "?platform=Instagram",
        "views-changed.data": 0,
    }
    return client.post(
        "/_dash-update-component",
        json=callback_payload(dash_app, "views-status.children", values, changed=f"{button}.n_clicks"),
        headers={"X-CSRFToken": session_csrf(client)},
    )


@pytest.mark.parametrize("role, allowed", [("viewer", False), ("analyst", True), ("admin", True)])
def test_saving_a_view_needs_the_analyst_role(dash_app, client_for, role, allowed):
    client = client_for(role)
    response = save_request(dash_app, client, "Instagram creators")
    if not allowed:
        assert response.status_code == 403 and "needs the analyst role" in response.get_json()["error"]
        assert saved_views.list_views() == []
        return
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Saved “Instagram creators”" in response.get_data(as_text=True)
    (view,) = saved_views.list_views()
    assert (view.url, view.saved_by) == ("/influencers?platform=Instagram", role)
    deleted = save_request(dash_app, client, "instagram creators", button="views-delete")
    assert deleted.status_code == 200 and saved_views.list_views() == []


@pytest.mark.parametrize("button", ["views-save", "views-delete"])
def test_a_viewer_cannot_save_or_delete_by_renaming_the_inputs(dash_app, client_for, button):
    """Dash dispatches on the output alone: renamed input ids must not dodge the analyst rule."""
    saved_views.save_view("Kept", "/", "asha")
    client = client_for("viewer")
    payload = callback_payload(
        dash_app,
        "views-status.children",
        {"views-name.value": "Kept" if button == "views-delete" else "viewer-bypass"},
        changed=f"{button}.n_clicks",
    )
    for position, item in enumerate(payload["inputs"]):
        item.update(id=f"renamed-{position}", value=1)
    response = client.post("/_dash-update-component", json=payload, headers={"X-CSRFToken": session_csrf(client)})
    assert response.status_code == 403 and "needs the analyst role" in response.get_json()["error"]
    assert [v.name for v in saved_views.list_views()] == ["Kept"]


def test_every_role_lists_views_but_only_savers_see_the_save_item(dash_app, client_for):
    saved_views.save_view("Gritzo", "/campaigns?brand=Gritzo", "asha")
    for role, can_save in (("viewer", False), ("analyst", True)):
        client = client_for(role)
        response = client.post(
            "/_dash-update-component",
            json=callback_payload(dash_app, "views-menu.children", {"url.pathname": "/", "views-changed.data": 0}),
            headers={"X-CSRFToken": session_csrf(client)},
        )
        body = json.dumps(response.get_json(), ensure_ascii=False)
        assert response.status_code == 200 and "Gritzo" in body and "/campaigns?brand=Gritzo" in body
        assert ("Save this view" in body) == can_save


# --- a saved view's report from the command line (cron) -----------------------------------------------


def hkdash(*args, views: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import cli, sys; sys.exit(cli.main(sys.argv[1:]))", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HKDASH_VIEWS_DB": str(views)},
    )


def test_report_of_a_saved_view_says_what_it_is_about(tmp_path, traps_wh):
    views = tmp_path / "views.sqlite3"
    saved = hkdash("views", "save", "Instagram weekly", "/influencers?platform=Instagram&period=all", views=views)
    assert saved.returncode == 0, saved.stderr
    listed = hkdash("views", "list", views=views)
    assert "Instagram weekly" in listed.stdout and "/influencers?platform=Instagram&period=all" in listed.stdout
    out = tmp_path / "weekly.pdf"
    made = hkdash("--db", str(traps_wh.path), "report", "--view", "instagram weekly", "--out", str(out), views=views)
    assert made.returncode == 0, made.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "Report of" in text and "“Instagram weekly”: the Influencers page" in text
    assert "₹14,000" in text  # Instagram revenue of the traps fixture: the view's filter applied
    pacing = text[text.index("Budget pacing") :]
    assert "MB Jan" in pacing and "underspending" in pacing and "14.4%" in pacing  # ₹7,200 of ₹50,000


def test_report_of_an_unknown_view_or_with_extra_filters_is_refused(tmp_path, traps_wh):
    views = tmp_path / "views.sqlite3"
    missing = hkdash(
        "--db", str(traps_wh.path), "report", "--view", "nope", "--out", str(tmp_path / "r.pdf"), views=views
    )
    assert missing.returncode == 2 and "no saved view named 'nope'" in missing.stderr
    hkdash("views", "save", "All", "/", views=views)
    mixed = hkdash(
        "--db", str(traps_wh.path), "report", "--view", "All", "--platform", "X", "--out", "r.pdf", views=views
    )
    assert mixed.returncode == 2 and "give no other filter" in mixed.stderr
    assert not (tmp_path / "r.pdf").exists()
