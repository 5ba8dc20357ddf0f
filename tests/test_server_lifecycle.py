"""A real `hkdash serve` from start to stop: it starts before any import (the pages say so and /data
imports one), and when it stops (SIGTERM, or even SIGKILL) it leaves none of its processes behind:
not the PDF worker, not the worker pool's resource tracker, not the worker's chart browser."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from bench.dash_client import DashClient
from bench.server import HOST, Server, children_of

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("live-waitress")]

STARTUP_S = 240
# the worker notices a dead server within PARENT_CHECK_S, then closes its browser (at most ~20 s)
GONE_WITHIN_S = 40


def descendants(pid: int) -> dict[int, str]:
    """Every process below `pid`: pid -> command line."""
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        frontier = [child for parent in frontier for child in children_of(parent)]
        for child in frontier:
            found[child] = command_line(child)
    return found


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that will never reap it."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def survivors(pids, within_s: float) -> list[int]:
    deadline = time.monotonic() + within_s
    while (left := [pid for pid in pids if running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def started(db, tmp_path, server="waitress") -> Server:
    live = Server(
        db, server=server, workers=1, log=tmp_path / "server.log", env={"HKDASH_UPLOAD_DIR": str(tmp_path / "up")}
    )
    try:
        return live.wait_ready(STARTUP_S)
    except BaseException:
        live.stop()
        raise


def shown(client: DashClient) -> str:
    """Everything the page's components hold, as text."""
    return json.dumps(list(client.props.values()), default=str)


def download_pdf(live: Server) -> None:
    client = DashClient(HOST, live.port, connections=1)
    try:
        client.load_page("/")
        clicked = client.click("report-button", "report-download.data")
        assert clicked is not None
        data = (clicked[1].get("report-download") or {}).get("data") or {}
        assert data.get("content"), json.dumps(clicked[1])[:300]
    finally:
        client.close()


@pytest.mark.parametrize(
    ("server", "how"),
    [("waitress", signal.SIGTERM), ("waitress", signal.SIGKILL), ("gunicorn", signal.SIGTERM)],
    ids=["waitress-SIGTERM", "waitress-SIGKILL", "gunicorn-SIGTERM"],
)
def test_a_stopped_server_leaves_no_report_worker_or_chart_browser(traps_wh, tmp_path, server, how):
    live = started(traps_wh.path, tmp_path, server)
    try:
        download_pdf(live)
        tree = descendants(live.process.pid)
        commands = " ".join(tree.values())
        # what used to be left behind, re-parented to PID 1: so the test sees them before the stop
        assert "multiprocessing.spawn" in commands and "resource_tracker" in commands, tree
        assert "chromium" in commands, tree
        os.kill(live.process.pid, how)
        live.process.wait(60)
        left = survivors(tree, GONE_WITHIN_S)
        assert not left, {pid: tree[pid][:120] for pid in left}
    finally:
        live.stop()


def test_serve_starts_before_any_import_and_data_imports(tmp_path):
    live = started(tmp_path / "none-yet.duckdb", tmp_path)
    try:
        assert "holds no data set yet" in live.log_path.read_text()
        client = DashClient(HOST, live.port, connections=1)
        try:
            client.load_page("/")
            assert "No data set imported yet" in shown(client)
            client.load_page("/data")
            assert "upload one below" in shown(client)
        finally:
            client.close()
    finally:
        live.stop()
