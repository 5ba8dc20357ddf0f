"""Shared browser fixtures: a live gunicorn server on a free port and headless Chromium.

Reusable by every page's browser tests:

    def test_something(page, live_server, page_problems):
        goto(page, live_server.url + "/payouts?platform=Instagram")
        ...
        assert not page_problems

- `live_server`: gunicorn serving app:server with HKDASH_DB = a warehouse imported from the
  tests/fixtures/traps data set (tiny, with hostile names: <script>, =HYPERLINK, <b>).
- `start_server(db_path)`: another live server for another warehouse (one per path per session).
- `sample_warehouse(**options)`: warehouse.sample.generate_sample(**options) imported, once per set
  of options in the session (modules asking for the same sample share it and its server).
- `sample_wh`: the sample of the test module's `SAMPLE` (generate_sample's keywords, e.g.
  `SAMPLE = {"orders": 8_000, "seed": 13}`); read-only, as other modules may share it.
- `server`: the server `page` watches: `sample_wh`'s where the module sets `SAMPLE`, else
  `live_server`; a module with a data set of another kind overrides it with a fixture of that name.
- `page`: a fresh browser context and page (1366×900, downloads allowed) whose console errors,
  page errors, HTTP ≥ 400 responses, external requests and dialogs land in `page_problems`.
- `phone_page`: the same at 390×844 (touch, mobile).
"""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CHROMIUM_ARGS, PageProblems

from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@dataclasses.dataclass
class LiveServer:
    url: str
    db_path: Path
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


# Generous: on a loaded 2-core machine importing the app alone has taken over a minute. Not a
# speed check (bench/ measures start-up), only how long to wait before calling it broken.
STARTUP_S = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(db_path: Path, log_dir: Path) -> LiveServer:
    port = _free_port()
    log_path = log_dir / f"gunicorn-{port}.log"
    env = {**os.environ, "HKDASH_DB": str(db_path)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "app:server",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
                "--no-control-socket",  # one fixed path per user: test servers would take it from each other
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    server = LiveServer(url, Path(db_path), process, log_path)
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_S} s:\n{server.log()}")


@pytest.fixture(scope="session")
def start_server(tmp_path_factory):
    servers: dict[str, LiveServer] = {}
    log_dir = tmp_path_factory.mktemp("live-server")

    def start(db_path) -> LiveServer:
        key = str(Path(db_path).resolve())
        if key not in servers:
            servers[key] = _start(Path(db_path), log_dir)
        return servers[key]

    yield start
    for server in servers.values():
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


@pytest.fixture(scope="session")
def live_server(start_server, traps_wh) -> LiveServer:
    return start_server(traps_wh.path)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module (a module may run its own Playwright instance, and
    two sync Playwright instances cannot be open at once in one process)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory):
    made: dict[tuple, Warehouse] = {}

    def make(**options) -> Warehouse:
        key = tuple(sorted(options.items()))
        if key not in made:
            root = tmp_path_factory.mktemp("sample")
            generate_sample(root / "src", **options)
            import_dataset(root / "src", root / "wh.duckdb")
            made[key] = Warehouse(root / "wh.duckdb")
        return made[key]

    return make


@pytest.fixture(scope="module")
def sample_wh(request, sample_warehouse) -> Warehouse:
    """The generated sample of the test module's SAMPLE (generate_sample's keywords)."""
    return sample_warehouse(**request.module.SAMPLE)


@pytest.fixture
def server(request) -> LiveServer:
    """The server `page` watches: the module's SAMPLE's, else the traps' (`live_server`); a module
    with a data set of another kind overrides this fixture."""
    if hasattr(request.module, "SAMPLE"):
        return request.getfixturevalue("start_server")(request.getfixturevalue("sample_wh").path)
    return request.getfixturevalue("live_server")


def _page(browser, server, page_problems, **context_options):
    context = browser.new_context(accept_downloads=True, locale="en-IN", timezone_id="Asia/Kolkata", **context_options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page_problems.watch(page, server.url)
    return context, page


@pytest.fixture
def page(browser, server, page_problems):
    context, page = _page(browser, server, page_problems, viewport={"width": 1366, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, server, page_problems):
    context, page = _page(
        browser,
        server,
        page_problems,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield page
    context.close()
