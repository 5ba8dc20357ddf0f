"""The Dash app: pages + callbacks registered once; `server` is the WSGI app for gunicorn.

    gunicorn app:server            (HKDASH_DB selects the warehouse; `hkdash serve` sets it)

Nothing is fetched from the internet: Bootstrap, icons and fonts are vendored under assets/,
Dash serves its own JavaScript (serve_locally), debug tools and the version check are off.
The warehouse is never opened here: callbacks ask metrics, with warehouse.Warehouse() resolving
the path from HKDASH_DB (or the default).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from dash import Dash

from auth import web
from auth.web import WARM_UP_KEY

HERE = Path(__file__).resolve().parent

INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <noscript>This dashboard needs JavaScript.</noscript>
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""

META_TAGS = [
    {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    {"name": "description", "content": "Influencer campaign ROI for HealthKart brands"},
    {"name": "theme-color", "content": "#1b2a41"},
    {"name": "referrer", "content": "no-referrer"},
]


def _report_button():
    """The report helper's navbar button, when components/report_button.py exists."""
    try:
        from components.report_button import report_button

        return report_button()
    except ModuleNotFoundError as error:
        if error.name != "components.report_button":
            raise
    except Exception:  # a broken button must not take the dashboard down
        logging.getLogger(__name__).exception("report button unavailable")
    return None


def _content_security_policy(app: Dash) -> str:
    scripts = " ".join(["'self'"] + list(app.csp_hashes()))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # Plotly, AG Grid and React set inline styles.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _add_security_headers(app: Dash) -> None:
    policy: dict[str, str] = {}

    @app.server.after_request
    def security_headers(response):
        if "csp" not in policy:  # computed once every callback (and inline script) is registered
            policy["csp"] = _content_security_policy(app)
        response.headers.setdefault("Content-Security-Policy", policy["csp"])
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def _add_unknown_page_status(app: Dash) -> None:
    """A path no page answers gets HTTP 404 (with the not-found page the router draws), so links
    checkers, proxies and crawlers see a broken link as broken. The match is the pages router's own
    (dash._pages._path_to_page), so the status and the drawn page cannot disagree."""
    from dash._pages import _path_to_page
    from flask import request

    catchall = app.config.routes_pathname_prefix + "<path:path>"

    @app.server.after_request
    def unknown_page_status(response):
        if request.endpoint != catchall or response.status_code != 200:
            return response
        page, _variables = _path_to_page(app.strip_relative_path(request.path))
        if not page or page["module"].endswith("not_found_404"):
            response.status_code = 404
        return response


def _add_unknown_script_status(app: Dash) -> None:
    """A /_dash-component-suites/ path naming no library or file Dash registered answers 404 with
    a plain body: Dash raises DependencyException, which Flask turns into a 500 and a log stack
    trace, and whose message lists every registered path (nothing of the server is disclosed)."""
    from dash.exceptions import DependencyException

    def unknown_script(_error):
        return "Not found", 404, {"Content-Type": "text/plain; charset=utf-8"}

    app.server.register_error_handler(DependencyException, unknown_script)


@functools.cache
def create_app() -> Dash:
    """Build the app once per process (Dash's page registry and dash.callback are global)."""
    from components.saved_views import views_menu
    from components.shell import APP_TITLE, app_shell, nav_pages

    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        external_stylesheets=[],
        external_scripts=[],
        serve_locally=True,
        include_assets_files=True,
        title=APP_TITLE,
        update_title=None,
        meta_tags=META_TAGS,
        index_string=INDEX_STRING,
        suppress_callback_exceptions=True,
        enable_mcp=False,
    )
    # Production settings even under `python app.py`: no dev tools UI, no hot reload, no
    # version check (which would call dash-version.plotly.com from the browser).
    app.enable_dev_tools(
        debug=False,
        dev_tools_ui=False,
        dev_tools_props_check=False,
        dev_tools_serve_dev_bundles=False,
        dev_tools_hot_reload=False,
        dev_tools_silence_routes_logging=True,
        dev_tools_disable_version_check=True,
        dev_tools_prune_errors=True,
    )
    web.init_app(app)  # Host allow-list, size limit, login, CSRF, roles on callbacks (before any route runs)
    app.layout = app_shell(nav_pages(), report=[views_menu(), _report_button()])

    import callbacks

    callbacks.register_all()
    from callbacks.creator import not_found_status

    app.server.after_request(not_found_status)  # /influencers/<unknown id>: HTTP 404 with the page
    _add_unknown_page_status(app)
    _add_unknown_script_status(app)
    _add_security_headers(app)
    _warm_up(app)
    return app


def _warm_up(app: Dash) -> None:
    """Run Dash's first-request setup now, in this process, before any real request arrives.

    Dash registers script paths, callbacks and the pages router lazily on the first request, and
    marks that setup done as soon as it starts: concurrent first requests (a gunicorn worker with
    threads, serving the scripts of a page another worker rendered) would otherwise get 500s.
    """
    # plotly's JSON encoder imports PIL.Image lazily inside a callback; the first import racing
    # another thread's (WeasyPrint's, during a PDF) fails with "partially initialized module
    # 'PIL.Image'" (seen under bench.load with 16 threads). Import it here, before any thread.
    import PIL.Image  # noqa: F401

    response = app.server.test_client().get(
        app.config.requests_pathname_prefix + "_dash-dependencies", environ_base={WARM_UP_KEY: True}
    )
    if response.status_code != 200:
        raise RuntimeError(f"Dash setup failed: HTTP {response.status_code}")


app = create_app()
server = app.server

if __name__ == "__main__":  # development convenience; production runs gunicorn app:server
    app.run(debug=False, host="127.0.0.1", port=8050)
