"""The Dash app: production settings, nothing from the internet, pages, callbacks wired to real ids."""

from __future__ import annotations

import json
import re

import dash
import pytest
from dash.development.base_component import Component
from dash_helpers import walk

OWN_PAGES = {
    "/": "pages.overview",
    "/influencers": "pages.influencers",
    "/campaigns": "pages.campaigns",
    "/platforms": "pages.platforms",
    "/categories": "pages.categories",
}


@pytest.fixture(scope="module")
def dash_app():
    import app

    return app.app


@pytest.fixture(scope="module")
def client(dash_app):
    return dash_app.server.test_client()


def test_app_exposes_server_and_create_app(dash_app):
    import app

    assert app.server is dash_app.server
    assert app.create_app() is dash_app  # one app per process


def test_debug_tools_and_version_check_are_off(dash_app, client):
    tools = dash_app._dev_tools
    assert not tools.ui and not tools.hot_reload and not tools.serve_dev_bundles
    assert tools.disable_version_check is True
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html, re.S)[1])
    assert config["ui"] is False and config["disable_version_check"] is True and config["serve_locally"] is True


def test_index_loads_nothing_from_the_internet(dash_app, client):
    assert dash_app.config.external_stylesheets == [] and dash_app.config.external_scripts == []
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "expected local scripts and stylesheets"
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "/assets/vendor/bootstrap.min.css" in html and "/assets/app.css" in html
    assert '<html lang="en">' in html and 'name="viewport"' in html


def test_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script_src = re.search(r"script-src ([^;]+)", policy)[1]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src and "http" not in script_src
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/no-such-page", "/404", "/assets-missing/x.js", "/lift/extra"])
def test_a_path_no_page_answers_is_http_404_with_the_not_found_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html" and "_dash-config" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/x.js",
        "/_dash-component-suites/no_such_library/x.js",
        "/_dash-component-suites/dash/..%2F..%2Fetc/passwd",
        "/_dash-component-suites/dash/deps/",
        "/_dash-component-suites/dash_ag_grid/x.v35m1.js",
    ],
)
def test_a_malformed_script_path_is_http_404_disclosing_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert body == "Not found"  # no registered-path list, no stack trace, no server path


def test_the_index_scripts_are_still_served(client):
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', client.get("/").get_data(as_text=True))
    assert any("dash_renderer" in script for script in scripts)
    assert all(client.get(script).status_code == 200 for script in scripts)


@pytest.mark.parametrize("path", ["/", "/influencers", "/lift", "/plan", "/audience", "/data", "/influencers/"])
def test_every_page_answers_200(client, path):
    assert client.get(path).status_code == 200


def test_pages_are_registered(dash_app):
    registered = {page["path"]: page["module"] for page in dash.page_registry.values()}
    for path, module in OWN_PAGES.items():
        assert registered.get(path) == module


def test_navbar_lists_the_pages_in_order(dash_app):
    from components.shell import nav_pages

    paths = [page["path"] for page in nav_pages()]
    assert paths[:5] == list(OWN_PAGES)
    assert "/404" not in paths


def _layout_ids(dash_app) -> set:
    trees = [dash_app.layout] + [
        page["layout"]() if callable(page["layout"]) else page["layout"] for page in dash.page_registry.values()
    ]
    ids = set()
    for tree in trees:
        for component in walk(tree):
            component_id = getattr(component, "id", None)
            if component_id is not None:
                ids.add(json.dumps(component_id, sort_keys=True) if isinstance(component_id, dict) else component_id)
    return ids


def _dependency_ids(dash_app):
    for spec in dash_app._callback_list:
        outputs = spec["output"].strip(".").split("...") if spec["output"].startswith("..") else [spec["output"]]
        for output in outputs:
            yield output.rpartition(".")[0]
        for dependency in spec["inputs"] + spec["state"]:
            component_id = dependency["id"]
            yield component_id if isinstance(component_id, str) else json.dumps(component_id, sort_keys=True)


def test_every_callback_uses_ids_that_exist(dash_app):
    """With suppress_callback_exceptions on (pages render later), check ids against every layout."""
    ids = _layout_ids(dash_app)
    missing = set()
    for component_id in _dependency_ids(dash_app):
        if component_id.startswith("_pages_") or component_id == "":
            continue
        if component_id.startswith("{"):
            parsed = json.loads(component_id)
            if any(isinstance(v, (list, dict)) or v in ("MATCH", "ALL", "ALLSMALLER") for v in parsed.values()):
                continue  # wildcard: matches components created later too
            component_id = json.dumps(parsed, sort_keys=True)
        if component_id not in ids:
            missing.add(component_id)
    assert not missing, f"callbacks refer to ids that no layout has: {sorted(missing)}"


def test_layouts_never_render_user_text_as_html(dash_app):
    """No dangerously_allow_html / raw-HTML markdown / AG Grid code strings anywhere in the layouts."""
    trees = [dash_app.layout] + [page["layout"]() for page in dash.page_registry.values() if callable(page["layout"])]
    for tree in trees:
        for component in walk(tree):
            assert not getattr(component, "dangerously_allow_html", False)
            assert not getattr(component, "dangerously_allow_code", False)
            assert type(component).__name__ != "Markdown" or not getattr(component, "dangerously_allow_html", False)


def test_own_pages_render_offline(dash_app):
    for module in OWN_PAGES.values():
        page = next(p for p in dash.page_registry.values() if p["module"] == module)
        layout = page["layout"]()
        assert isinstance(layout, Component)
