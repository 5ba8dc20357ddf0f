"""Regenerate the README screenshots (docs/screenshots/) from the real app.

    .venv/bin/python scripts/screenshots.py [--db PATH] [--out docs/screenshots]

Without --db it builds a warehouse from the deterministic sample data set (seed 42, 20,000
orders) in a temporary folder, so the pictures are reproducible. It starts `hkdash serve` on a
free local port, opens every page in headless Debian Chromium (Playwright, never a downloaded
browser) and saves one PNG per page, plus a filtered view and a phone-sized overview.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("HKDASH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = [
    ("overview", "/"),
    ("influencers", "/influencers"),
    ("campaigns", "/campaigns"),
    ("platforms", "/platforms"),
    ("categories", "/categories"),
    ("payouts", "/payouts"),
    ("content", "/content"),
    ("insights", "/insights"),
    ("lift", "/lift"),
    ("data", "/data"),
    ("overview-instagram-q2", "/?platform=Instagram&start=2025-04-01&end=2025-06-30"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="warehouse to show (default: a fresh sample warehouse)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hkdash-shots-") as scratch:
        db = args.db or sample_warehouse(Path(scratch))
        server, url = serve(db, Path(scratch) / "server.log")
        try:
            capture(url, args.out)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"screenshots written to {args.out}")
    return 0


def sample_warehouse(scratch: Path) -> Path:
    from warehouse import import_dataset
    from warehouse.sample import generate_sample

    generate_sample(scratch / "sample", orders=20_000, seed=42, audience=True)
    db = scratch / "warehouse.duckdb"
    import_dataset(scratch / "sample", db, name="Sample data set (seed 42)")
    return db


def serve(db: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "--db", str(db), "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server exited:\n{log_path.read_text(errors='replace')}") from None
            time.sleep(0.3)
    raise SystemExit("the server did not start within 90 s")


def capture(url: str, out: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop = browser.new_page(viewport={"width": 1440, "height": 1000})
        for name, path in SHOTS:
            shoot(desktop, url + path, out / f"{name}.png")
        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        shoot(phone, url + "/", out / "overview-phone.png")
        browser.close()


def shoot(page, url: str, path: Path):
    page.goto(url, wait_until="networkidle")
    # Dash marks the document while callbacks run; wait until it is idle and charts have drawn.
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    print(f"  {path.name}")


if __name__ == "__main__":
    sys.exit(main())
