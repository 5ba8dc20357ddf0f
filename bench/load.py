"""Bounded load test of a real `hkdash serve` on 127.0.0.1: concurrent users, PDFs in flight, slow clients.

    python -m bench.load --orders 20000 [--seconds 60] [--users 50] [--pdfs 8] [--slow 16] [--json]

Each user is a bench.dash_client.DashClient (the requests a browser sends: the page load, then
filter changes replayed callback by callback) with 2 connections, looping over filter changes
(bench.scenarios) from a random start until the time is up. `--pdfs N` adds N clients that click
"Download PDF" in a loop (each waits for its PDF, so N are always in flight); `--slow N` adds N
connections that dribble a request a byte at a time and never finish it. Reported: interactions,
errors (any HTTP status other than 200/204, any exception), p50/p95/max interaction time, PDFs
started, finished (within the run and its 240 s grace) or refused as busy, and the server's peak
memory (with the chart browser). Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sys
import threading
import time
from pathlib import Path

from bench.server import HOST, Server

HERE = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000, help="tracked orders of the generated data set")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seconds", type=float, default=60, help="duration (at most 60)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--pdfs", type=int, default=0, help="clients that keep one PDF each in flight")
    parser.add_argument("--slow", type=int, default=0, help="slow clients that never finish their request")
    parser.add_argument("--server", choices=("waitress", "gunicorn"), default="waitress")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--json", action="store_true")
    return parser


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Tally:
    """Counts shared by the load threads (one lock; appends only)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.interactions: list[float] = []
        self.errors: list[str] = []
        self.pdfs_started = 0
        self.pdfs_done = 0
        self.pdfs_busy = 0
        self.pdf_seconds: list[float] = []

    def error(self, text: str):
        with self.lock:
            self.errors.append(text[:300])


def user(port: int, changes, deadline: float, tally: Tally, seed: int):
    from bench.dash_client import DashClient

    rng = random.Random(seed)
    try:
        client = DashClient(HOST, port, connections=2)
        client.load_page(rng.choice(["/", "/influencers", "/platforms"]))
    except Exception as error:  # noqa: BLE001 - counted as an error of the run
        tally.error(f"start: {error}")
        return
    try:
        while time.monotonic() < deadline:
            try:
                result = client.change_filters(rng.choice(changes))
            except Exception as error:  # noqa: BLE001
                tally.error(f"change: {error}")
                continue
            if result["requests"]:
                with tally.lock:
                    tally.interactions.append(result["ms"])
    finally:
        client.close()


def pdf_client(port: int, deadline: float, tally: Tally):
    from bench.dash_client import DashClient

    client = DashClient(HOST, port, connections=1)
    try:
        client.load_page("/")
        while time.monotonic() < deadline:
            with tally.lock:
                tally.pdfs_started += 1
            clicked = client.click("report-button", "report-download.data")
            if clicked is None:
                tally.error("pdf: no report callback")
                return
            seconds, response = clicked
            data = (response.get("report-download") or {}).get("data") or {}
            with tally.lock:
                if isinstance(data, dict) and data.get("content"):
                    tally.pdfs_done += 1
                    tally.pdf_seconds.append(seconds)
                elif "try again" in json.dumps(response):
                    tally.pdfs_busy += 1
                else:
                    tally.errors.append(f"pdf: {json.dumps(response)[:200]}")
    except Exception as error:  # noqa: BLE001
        tally.error(f"pdf: {error}")
    finally:
        client.close()


def slow_client(port: int, stop: threading.Event):
    """Sends a request's head a byte per second, then a body that never ends."""
    head = (
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000000\r\n\r\n"
    )
    try:
        with socket.create_connection((HOST, port), timeout=90) as sock:
            for byte in head:
                sock.sendall(bytes([byte]))
                if stop.wait(1.0):
                    return
            while not stop.wait(1.0):
                sock.sendall(b" ")
    except OSError:
        pass  # the server closed it (its channel timeout): that is the point


def run(args) -> dict:
    from bench.dataset import dataset_dir
    from bench.scenarios import filter_changes
    from warehouse import Warehouse, import_dataset

    seconds = min(args.seconds, 60)
    folder, _, _ = dataset_dir(args.cache, args.orders, args.seed)
    db = args.cache / f"load-{args.orders}-{args.seed}.duckdb"
    if not db.exists():
        import_dataset(folder, db)
    changes = filter_changes(Warehouse(db), count=24)
    tally = Tally()
    stop = threading.Event()
    with Server(
        db,
        server=args.server,
        log=args.cache / "load.server.log",
        env={"HKDASH_AUTH": "off", "HKDASH_UPLOAD_DIR": str(args.cache / "uploads")},
    ) as server:
        server.wait_ready(180)
        slow = [threading.Thread(target=slow_client, args=(server.port, stop), daemon=True) for _ in range(args.slow)]
        for thread in slow:
            thread.start()
        time.sleep(2 if args.slow else 0)
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=user, args=(server.port, changes, deadline, tally, i), daemon=True)
            for i in range(args.users)
        ]
        threads += [
            threading.Thread(target=pdf_client, args=(server.port, deadline, tally), daemon=True)
            for _ in range(args.pdfs)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + 240))
        elapsed = time.monotonic() - started
        stop.set()
        peak = server.peak_rss_all_mb
    return {
        "server": args.server,
        "orders": args.orders,
        "seconds": round(elapsed, 1),
        "users": args.users,
        "pdfs_in_flight": args.pdfs,
        "slow_clients": args.slow,
        "interactions": len(tally.interactions),
        "errors": len(tally.errors),
        "error_examples": tally.errors[:5],
        "p50_ms": percentile(tally.interactions, 50),
        "p95_ms": percentile(tally.interactions, 95),
        "max_ms": max(tally.interactions, default=None),
        "pdfs_started": tally.pdfs_started,
        "pdfs_done": tally.pdfs_done,
        "pdfs_busy": tally.pdfs_busy,
        "pdf_p50_s": percentile(tally.pdf_seconds, 50),
        "peak_rss_mb": round(peak),
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
