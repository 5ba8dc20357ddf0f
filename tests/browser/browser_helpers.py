"""Helpers for the Playwright tests (imported by tests/browser/conftest.py and the test modules)."""

from __future__ import annotations

import csv
import re
import time

CHROMIUM = "/usr/bin/chromium"  # Debian's; never download browsers
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PageProblems(list):
    """Console errors, page errors, failed responses, external requests and dialogs of one page."""

    def watch(self, page, base_url: str):
        def on_console(message):
            if message.type == "error":
                self.append(f"console error: {message.text}")

        def on_response(response):
            if response.status >= 400:
                self.append(f"HTTP {response.status}: {response.request.method} {response.url}")

        def on_request(request):
            url = request.url
            if not (url.startswith(base_url) or url.startswith(("data:", "blob:", "about:"))):
                self.append(f"external request: {url}")

        def on_dialog(dialog):
            self.append(f"dialog ({dialog.type}): {dialog.message}")
            dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))
        page.on("response", on_response)
        page.on("request", on_request)
        page.on("dialog", on_dialog)
        return self


def wait_for_dash(page, timeout: float = 20_000) -> None:
    """Wait until the app has rendered and no callback is in flight."""
    page.wait_for_selector("#react-entry-point ._dash-loading", state="detached", timeout=timeout)
    page.wait_for_load_state("networkidle", timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=timeout)


def goto(page, url: str, timeout: float = 20_000) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_for_dash(page, timeout)


def wait_for_text(page, selector: str, expected: str, timeout: float = 15_000) -> str:
    """Wait until the element's text (whitespace normalised, NBSP as space) equals `expected`."""
    deadline = time.monotonic() + timeout / 1000
    last = None
    while time.monotonic() < deadline:
        element = page.query_selector(selector)
        if element is not None:
            last = normalise(element.inner_text())
            if last == normalise(expected):
                return last
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector}: expected {expected!r}, last saw {last!r}")


def normalise(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def choose(page, dropdown_id: str, option: str) -> None:
    """Pick an option in a dcc.Dropdown (Dash 4) and close it."""
    page.click(f"#{dropdown_id}")
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def table_selector(name: str) -> str:
    """CSS selector of the grid components.tables.data_grid(name) renders: Dash writes its dict id
    as JSON with sorted keys."""
    return f"""[id='{{"name":"{name}","type":"table"}}']"""


def csv_selector(name: str) -> str:
    """CSS selector of the CSV button of the grid table_selector(name) finds."""
    return f"""[id='{{"name":"{name}","type":"table-csv"}}']"""


def downloaded_csv(page, button: str) -> list[list[str]]:
    """The rows of the CSV file a click on `button` (a selector) downloads, header first."""
    with page.expect_download() as download_info:
        page.click(button)
    with open(download_info.value.path(), encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def screenshot(page, server, name: str) -> str:
    """A full-page screenshot `name`.png beside the server's log (to look at after a run); its path."""
    path = str(server.log_path.parent / f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def drawn_boxes(page, selector: str) -> list[dict]:
    """The bounding boxes (x, y, width, height in px) of the elements `selector` finds that are drawn."""
    found = page.locator(selector)
    return [b for b in (found.nth(i).bounding_box() for i in range(found.count())) if b]


def grid_rows(page, grid_selector: str = ".hk-grid", column: str = "name") -> list[str]:
    """The values of one column in the grid, in the order shown (rendered rows of the first page)."""
    return page.evaluate(
        """([grid, column]) => {
            const root = document.querySelector(grid);
            const rows = [...root.querySelectorAll('.ag-center-cols-container .ag-row, .ag-pinned-left-cols-container .ag-row')];
            const byIndex = new Map();
            for (const row of rows) {
                const cell = row.querySelector(`[col-id="${column}"]`);
                if (cell) byIndex.set(Number(row.getAttribute('row-index')), cell.innerText);
            }
            return [...byIndex.keys()].sort((a, b) => a - b).map(k => byIndex.get(k));
        }""",
        [grid_selector, column],
    )
