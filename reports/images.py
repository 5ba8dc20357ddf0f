"""Plotly figures → SVG bytes with kaleido 1.x, through one persistent headless Chromium.

Why not `kaleido.write_fig_sync` / `calc_fig_sync`
-------------------------------------------------
Without a server they start and stop a browser for every figure (≈2.5 s each on the 2-core
box). `kaleido.start_sync_server()` keeps one browser, but its bridge is one task queue and ONE
shared return queue: two threads calling `calc_fig_sync` at once can each pick up the other's
image (thread A's `Queue.join()` returns when both tasks are done, then whichever thread runs
first takes the first result). Under the Dash server (threads) two reports rendered at the same
time would then swap charts. It is also a process-wide singleton that does not notice a fork:
in a forked child it still says "running" while its thread and browser belong to the parent,
and the first call blocks for ever.

So this module owns the browser itself:

* one asyncio loop on a daemon thread and one `kaleido.Kaleido` (a choreographer Chromium)
  on it, started lazily by the first render in the process that renders, never at import and
  never in a parent that forks later (gunicorn --preload, multiprocessing): the owner pid is
  recorded, and a child that inherits the module state (`os.register_at_fork`) forgets it and
  starts its own browser on first use;
* `_LOCK` serialises whole batches (why a lock at all: the Dash server runs callbacks on
  several threads, and two "Download PDF" clicks or a click plus a cron report can render at
  once). Each caller gets its own future from `run_coroutine_threadsafe`, so results can't
  cross, but the lock is still required: it makes the lazy start happen once (two first callers
  would otherwise launch two browsers), makes the restart after a crashed browser happen once
  (one thread closing the server while another submits to it would hang or fail both), and keeps
  one report's batch together so the first report finishes first instead of both finishing late.
  Kaleido's own objects are only touched from the loop thread, never from callers' threads;
* kaleido reloads its page (re-parsing the 4.6 MB plotly.js) after every figure, which costs
  ~150 ms per chart on this machine. Our subclass reuses the loaded page and reloads it only
  every `RELOAD_EVERY` figures (to bound memory) and after any failure (the browser is then
  restarted): six report charts take ~0.1 s instead of ~1 s, with the same SVG (only plotly's
  random element ids differ). If a kaleido upgrade drops the hook we override, stock behaviour
  (reload every time) is used and only speed is lost. Tabs: `HKDASH_KALEIDO_TABS`, default 1
  (a second tab only adds start-up time now that a chart renders in ~15 ms).

The browser binary is `$HKDASH_CHROMIUM`, default `/usr/bin/chromium` (Debian's package), passed
to choreographer as `path=` (choreographer itself would otherwise look at `$BROWSER_PATH` and
then search the PATH). MathJax is disabled (kaleido would load it from a CDN) and plotly.js comes
from the installed plotly package, so rendering needs no network. The bundled report font
(assets/fonts) is declared in kaleido's page, so Chromium lays out chart text with the same
metrics WeasyPrint later draws it with.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import copy
import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .gradients import flatten_colour_bars

log = logging.getLogger(__name__)

DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: The font family the charts are drawn in (vendored in assets/fonts; report.css declares it too).
CHART_FONT_FAMILY = "Noto Sans"
CHART_FONT_STACK = f"'{CHART_FONT_FAMILY}', sans-serif"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
FONT_FILES = {400: "NotoSans-Regular.ttf", 700: "NotoSans-Bold.ttf"}

DEFAULT_WIDTH = 760
DEFAULT_HEIGHT = 360
START_TIMEOUT_S = 60.0
RELOAD_EVERY = 50
RENDER_TIMEOUT_S = 60.0


class ChartRenderError(RuntimeError):
    """A chart could not be turned into an image (browser missing, crashed, or timed out)."""


def chromium_path() -> str:
    """The browser binary kaleido drives: `$HKDASH_CHROMIUM` (a path, or a name looked up on
    PATH), else /usr/bin/chromium."""
    configured = os.environ.get("HKDASH_CHROMIUM") or DEFAULT_CHROMIUM
    if os.sep not in configured:
        return shutil.which(configured) or configured
    return configured


def _tabs() -> int:
    try:
        return max(1, min(4, int(os.environ.get("HKDASH_KALEIDO_TABS", "1"))))
    except ValueError:
        return 1


def _page_generator():
    """Kaleido's page plus @font-face rules for the bundled font (file:// URIs, local only)."""
    from kaleido import PageGenerator

    faces = "".join(
        "@font-face{font-family:'%s';font-weight:%d;src:url('%s') format('truetype');}"
        % (CHART_FONT_FAMILY, weight, (ASSETS_DIR / "fonts" / name).as_uri())
        for weight, name in FONT_FILES.items()
        if (ASSETS_DIR / "fonts" / name).is_file()
    )
    page = PageGenerator(mathjax=False)
    # The header holds an empty <style id="head-style">; add ours right after it. A hidden
    # element in the font makes Chromium load it with the page, before plotly measures text.
    page.header = page.header.replace("<title>", f"<style>{faces}</style>\n        <title>", 1)
    page.footer = page.footer.replace(
        '<img id="kaleido-image" />',
        f'<img id="kaleido-image" /><span style="font-family:{CHART_FONT_STACK};'
        f'position:absolute;left:-999px">₹0<b>₹0</b></span>',
        1,
    )
    return page


# Chromium switches that keep the chart browser off the network: no background services (update
# checks, safe browsing, metrics, translate, optimisation hints, domain reliability pings), no
# DNS prefetch, and a resolver that finds no host at all, so that nothing can leave even if a
# service we did not name starts. Charts need only kaleido's file:// page and data: URLs.
# (Switch names: https://peter.sh/experiments/chromium-command-line-switches/.)
OFFLINE_SWITCHES = (
    "--disable-background-networking",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,"
    "AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying,"
    "SafeBrowsing",
    "--safebrowsing-disable-auto-update",
    "--no-pings",
    "--dns-prefetch-disable",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",  # anything that still tries goes to the discard port of loopback
)


def _offline_chromium_class():
    """choreographer's Chromium launcher with OFFLINE_SWITCHES added to its command line."""
    from choreographer.browsers.chromium import Chromium

    class OfflineChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), *OFFLINE_SWITCHES]

    return OfflineChromium


def _kaleido_class():
    """kaleido.Kaleido, reusing a tab's loaded page between figures (see the module doc)."""
    from kaleido import Kaleido

    if not hasattr(Kaleido, "_return_kaleido_tab"):
        return Kaleido

    class ReusingKaleido(Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            uses = getattr(self, "_hk_uses", None)
            if uses is None:
                uses = self._hk_uses = {}
            key = getattr(getattr(tab, "tab", None), "target_id", id(tab))
            uses[key] = uses.get(key, 0) + 1
            if uses[key] >= RELOAD_EVERY:
                uses[key] = 0
                await super()._return_kaleido_tab(tab)  # reloads the page, then queues the tab
            else:
                await self.tabs_ready.put(tab)

    return ReusingKaleido


class _Server:
    """One Chromium (via kaleido) on an asyncio loop running in a daemon thread."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="hkdash-kaleido", daemon=True)
        self.thread.start()
        self.kaleido = None
        try:
            self.kaleido = self._run(self._open(), START_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise

    async def _open(self):
        k = _kaleido_class()(
            path=chromium_path(),
            n=_tabs(),
            timeout=RENDER_TIMEOUT_S,
            page_generator=_page_generator(),
            browser_cls=_offline_chromium_class(),
        )
        await k.open()
        return k

    def _run(self, coro, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def render(self, specs: list[tuple[Any, dict]]) -> list[bytes]:
        async def batch():
            return await asyncio.gather(*(self.kaleido.calc_fig(fig, opts=opts) for fig, opts in specs))

        return self._run(batch(), RENDER_TIMEOUT_S + 5 * len(specs))

    def close(self) -> None:
        if self.kaleido is not None and self.thread.is_alive():
            try:
                self._run(self.kaleido.close(), 20)
            except Exception:  # noqa: BLE001 - best effort at shutdown
                log.debug("kaleido close failed", exc_info=True)
        self.kaleido = None
        self._stop_loop()

    def _stop_loop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)


_LOCK = threading.Lock()
_server: _Server | None = None


def _after_fork_in_child() -> None:
    # The browser and the loop thread belong to the parent; the lock may have been held by a
    # thread that does not exist here. Start over on first use.
    global _server, _LOCK
    _server = None
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _get_server() -> _Server:
    """The process's browser, started on first use. Call with `_LOCK` held."""
    global _server
    if _server is not None and (_server.pid != os.getpid() or not _server.thread.is_alive()):
        _server = None
    if _server is None:
        browser = chromium_path()
        if not Path(browser).is_file():
            raise ChartRenderError(
                f"Chromium not found at {browser!r}: install it (apt-get install chromium) "
                "or set HKDASH_CHROMIUM to the browser binary"
            )
        try:
            _server = _Server()
        except Exception as exc:
            raise ChartRenderError(f"could not start Chromium for charts ({browser}): {exc}") from exc
    return _server


_WARMUP_FIGURE = {"data": [{"type": "bar", "x": ["₹"], "y": [1]}], "layout": {}}
_prestart_thread: threading.Thread | None = None


def prestart() -> None:
    """Start this process's browser and warm its tabs on a background thread; return at once.

    Used by `build_report` so that Chromium's start (~2–3 s cold) overlaps the metric queries
    instead of adding to them, and by the app after its first request (in the worker, never in
    a parent that forks). Errors are left for the real render to report.
    """
    global _prestart_thread
    if is_running() or (_prestart_thread is not None and _prestart_thread.is_alive()):
        return

    def warm() -> None:
        try:
            with _LOCK:
                server = _get_server()
                server.render(
                    [(prepare_figure(_WARMUP_FIGURE), {"format": "svg", "width": 200, "height": 100})] * _tabs()
                )
        except Exception:  # noqa: BLE001 - the real render will raise it properly
            log.debug("chart browser warm-up failed", exc_info=True)

    _prestart_thread = threading.Thread(target=warm, name="hkdash-kaleido-warmup", daemon=True)
    _prestart_thread.start()


def is_running() -> bool:
    """Whether this process has a chart browser up (for tests and diagnostics)."""
    return _server is not None and _server.pid == os.getpid() and _server.thread.is_alive()


def shutdown() -> None:
    """Close this process's browser, if any (registered with atexit; safe to call twice).

    Waits at most 10 s for a render in progress, so interpreter exit can't hang on it; the
    browser then goes away with its pipe when the process ends.
    """
    global _server
    if not _LOCK.acquire(timeout=10):
        return
    try:
        if _server is not None and _server.pid == os.getpid():
            _server.close()
        _server = None
    finally:
        _LOCK.release()


atexit.register(shutdown)


def prepare_figure(fig: Any) -> dict:
    """A copy of `fig` as a dict, drawn in the report font (the page builders' figure is untouched)."""
    if hasattr(fig, "to_plotly_json"):
        data = fig.to_plotly_json()
    elif hasattr(fig, "to_dict"):
        data = fig.to_dict()
    elif isinstance(fig, Mapping) and "data" in fig:
        data = dict(fig)
    else:
        raise TypeError(f"not a plotly figure: {type(fig).__name__}")
    data = copy.deepcopy(data)
    layout = data.setdefault("layout", {}) or {}
    data["layout"] = layout
    font = dict(layout.get("font") or {})
    font["family"] = CHART_FONT_STACK
    layout["font"] = font
    # Labels elsewhere in the figure (titles, legends) inherit layout.font unless they set their own.
    for key in ("title", "legend"):
        part = layout.get(key)
        if isinstance(part, dict) and isinstance(part.get("font"), dict) and "family" in part["font"]:
            part["font"] = {**part["font"], "family": CHART_FONT_STACK}
    return data


def figures_to_svg(
    figures: Iterable[Any],
    width: int | None = None,
    height: int | None = None,
    sizes: Iterable[tuple[int | None, int | None] | None] | None = None,
) -> list[bytes]:
    """Render figures to SVG documents (bytes), in order, in one batch.

    Size in CSS px, first that is set: the figure's entry in `sizes` ((width, height), either
    part may be None), then `width` / `height`, then the figure's own `layout.height` (a heatmap
    grows with its rows), then DEFAULT_WIDTH × DEFAULT_HEIGHT. Thread-safe: concurrent callers are serialised on a lock (see module doc).
    Raises `ChartRenderError` when the browser can't be started or a render fails.
    """
    figures = list(figures)
    if not figures:
        return []
    sizes = list(sizes) if sizes is not None else [None] * len(figures)
    if len(sizes) != len(figures):
        raise ValueError("sizes must have one entry per figure")
    specs = []
    for fig, size in zip(figures, sizes):
        data = prepare_figure(fig)
        w, h = size or (None, None)
        w = w or width or DEFAULT_WIDTH
        h = h or height or data["layout"].get("height") or DEFAULT_HEIGHT
        raster = needs_shaping(data)
        specs.append(
            (
                data,
                {
                    "format": "png" if raster else "svg",
                    "width": int(w),
                    "height": int(h),
                    **({"scale": RASTER_SCALE} if raster else {}),
                },
            )
        )
    global _server
    with _LOCK:
        server = _get_server()
        try:
            result = server.render(specs)
        except Exception as exc:
            # A crashed or wedged browser: drop it so the next report starts a fresh one.
            log.warning("chart rendering failed, restarting the browser next time: %s", exc)
            try:
                server.close()
            finally:
                _server = None
            raise ChartRenderError(f"chart rendering failed: {type(exc).__name__}: {exc}") from exc
    out = []
    for (_, spec), svg in zip(specs, result):
        if isinstance(svg, str):
            svg = svg.encode("utf-8")
        if spec["format"] == "png":
            svg = _png_in_svg(svg, spec["width"], spec["height"])
        else:
            svg = flatten_colour_bars(svg)
        if not svg.lstrip().startswith(b"<svg"):
            raise ChartRenderError("kaleido did not return an SVG document")
        out.append(svg)
    return out


# Scripts whose letters change shape with their neighbours (conjuncts, vowel signs: the Indic
# blocks U+0900–U+0DFF) and joined emoji sequences (U+200D). WeasyPrint 70 draws SVG text one
# code point at a time (weasyprint/svg/text.py), which takes them apart ("प्रिया" as प ् र ि य ा);
# such a chart is drawn by Chromium, which shapes them, as a PNG at RASTER_SCALE× instead.
_SHAPED_TEXT = re.compile("[\u0900-\u0dff\u200d]")
RASTER_SCALE = 3


def needs_shaping(figure: dict) -> bool:
    """True when the figure's text (labels, hover text, titles) holds letters that need shaping."""
    return bool(_SHAPED_TEXT.search(json.dumps(figure, ensure_ascii=False, default=str)))


def _png_in_svg(png: bytes, width: int, height: int) -> bytes:
    """An SVG document showing `png` at width × height CSS px (a `data:` image: the report's
    fetcher accepts those and nothing remote)."""
    if not png.startswith(b"\x89PNG"):
        raise ChartRenderError("kaleido did not return a PNG image")
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><image width="{width}" height="{height}" '
        f'href="data:image/png;base64,{data}"/></svg>'
    ).encode("ascii")


def figure_to_svg(fig: Any, width: int | None = None, height: int | None = None) -> bytes:
    """Render one figure to an SVG document (bytes). See `figures_to_svg`."""
    return figures_to_svg([fig], width, height)[0]
