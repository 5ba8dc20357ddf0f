"""Attacks sent to a real `hkdash serve` (waitress) on 127.0.0.1: an oversized post, a foreign Host
header, malformed callback bodies, and 16 slow clients; the server must refuse them cheaply and keep
answering pages. Only loopback addresses are ever targets."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from bench.server import HOST, Server, rss_mb

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("live-waitress")]


@pytest.fixture(scope="module")
def server(traps_wh, tmp_path_factory):
    log = tmp_path_factory.mktemp("waitress") / "server.log"
    with Server(
        traps_wh.path, server="waitress", log=log, env={"HKDASH_UPLOAD_DIR": str(log.parent / "uploads")}
    ) as live:
        live.wait_ready(180)
        yield live


def get(server, path, headers=None, timeout=30):
    connection = http.client.HTTPConnection(HOST, server.port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_200_mb_post_is_refused_before_it_is_read(server):
    before = rss_mb(server.process.pid)
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 209715200\r\n\r\n"
        )
        started = time.monotonic()
        try:
            sock.sendall(b"{" + b" " * 65536)
        except OSError:
            pass  # the server may close before the bytes arrive
        answer = sock.recv(4096)
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert elapsed < 5
    assert rss_mb(server.process.pid) - before < 50  # nothing like 200 MB was buffered


def test_a_foreign_host_header_is_refused(server):
    assert get(server, "/", {"Host": "rebinding.attacker.example"})[0] == 400
    assert get(server, "/", {"Host": f"127.0.0.1:{server.port}"})[0] == 200
    assert get(server, "/", {"Host": f"localhost:{server.port}"})[0] == 200


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"output": "x.y"}', b"[1,2,3]", b'{"output": "report-button.title", "inputs": 5}']
)
def test_malformed_callbacks_get_400_and_no_traceback(server, body):
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    connection.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 400 and "malformed" in json.loads(response.read())["error"]
    connection.close()
    assert "Traceback" not in server.log_path.read_text(errors="replace")


def test_responses_do_not_name_the_server_software(server):
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    connection.request("GET", "/login")
    response = connection.getresponse()
    response.read()
    assert response.getheader("Server") in (None, "hkdash")


def test_16_slow_clients_hold_no_thread(server):
    """16 clients dribble a request (headers, then a body) a byte per second; pages still answer at once."""
    stop = threading.Event()
    sockets = []

    def dribble(index):
        sock = socket.create_connection((HOST, server.port), timeout=30)
        sockets.append(sock)
        head = (
            (
                b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n"
            )
            if index % 2
            else b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        )
        for byte in head:
            if stop.is_set():
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return
            stop.wait(0.2 if index % 2 else 1.0)
        while not stop.wait(1.0):
            try:
                sock.sendall(b" ")
            except OSError:
                return

    threads = [threading.Thread(target=dribble, args=(i,), daemon=True) for i in range(16)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(3)  # every slow client is connected and sending
        timings = []
        for _ in range(5):
            started = time.monotonic()
            status, _ = get(server, "/_dash-layout", {"Host": "127.0.0.1"})
            timings.append(time.monotonic() - started)
            assert status == 200
        assert max(timings) < 2.0, timings
    finally:
        stop.set()
        for sock in sockets:
            sock.close()


@pytest.mark.xfail(
    reason="a timed bound (2 s) that fails on a loaded machine; bench/load.py measures it (docs/benchmarks.md)",
    strict=False,
)
def test_8_pdfs_in_flight_do_not_starve_pages(server):
    """8 report clicks at once: one renders, seven wait asleep (reports.slots); a filter change on the
    overview still answers within 2 s."""
    from bench.dash_client import DashClient

    results = []

    def click():
        client = DashClient(HOST, server.port, connections=1)
        try:
            client.load_page("/")
            results.append(client.click("report-button", "report-download.data"))
        finally:
            client.close()

    clickers = [threading.Thread(target=click, daemon=True) for _ in range(8)]
    for thread in clickers:
        thread.start()
    page = DashClient(HOST, server.port)
    try:
        page.load_page("/")
        time.sleep(3)  # the reports are in flight
        timings = [page.change_search(search)["ms"] for search in ("?platform=Instagram", "?platform=YouTube", "")]
    finally:
        page.close()
    for thread in clickers:
        thread.join(600)
    assert max(timings) <= 2000, timings
    assert len(results) == 8 and all(r is not None for r in results)
    pdfs = [r for r in results if ((r[1].get("report-download") or {}).get("data") or {}).get("content")]
    assert len(pdfs) == 8  # all were rendered, one after another
