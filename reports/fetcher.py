"""The only way WeasyPrint gets bytes while it renders a report.

Three kinds of URL are served, everything else is refused (WeasyPrint logs it and leaves the
resource out; nothing is fetched, attached or embedded):

* `file://` URLs of regular files inside the project's `assets/` directory (after resolving
  symlinks and `..`), with a known extension (css, ttf, otf, woff, woff2, svg, png, jpg) — the
  bundled font and its stylesheet. The document's base URL is the assets directory, so
  `fonts.css` and its relative `url(fonts/…)` resolve there.
* `hkchart:<name>` — the SVG charts of *this* render, held in memory by this fetcher instance.
* `data:image/png;base64,…` / `data:image/jpeg;base64,…` — self-contained raster images, because
  plotly draws heatmaps (category × platform) as an embedded PNG inside its SVG. Such a URL
  carries its bytes with it: it can't reach the network or the disk. Every other `data:` type
  (text/html, application/…) is refused.

Why a custom scheme for the charts rather than `data:` URIs or temporary files: the fetcher
instance is created per report with exactly the charts of that report, so two reports rendered
at the same time cannot see each other's charts (no shared directory, no file names to race
on), nothing is written to disk, and the HTML stays small (a 60 kB SVG as a data: URI would go
through the HTML parser base64-encoded). Accepting `data:` would also widen the attack surface
(any data: URL of any type becomes fetchable); with the custom scheme the allow-list is "these
files, these names, and inline PNG/JPEG" and nothing else.

http(s), ftp, other data: types, file:// outside assets/ (e.g. `file:///etc/passwd`), and unknown chart
names all raise `RefusedURL`.

Hostile *text* never reaches this fetcher in the first place: the template autoescapes, so a name
such as `<link rel=attachment href="file:///etc/passwd">` is printed, not parsed. The fetcher is
the second wall, for the day markup slips through anyway.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
CHART_SCHEME = "hkchart"

MIME_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


DATA_IMAGE_RE = re.compile(r"^data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/=\s]*)$", re.IGNORECASE)
MAX_DATA_BYTES = 20_000_000


class RefusedURL(ValueError):
    """A URL the report renderer does not serve."""


def chart_url(name: str) -> str:
    """The URL under which the chart `name` is served to WeasyPrint."""
    return f"{CHART_SCHEME}:{name}"


class ReportURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher for one report: bundled assets and this report's charts only.

    `charts` maps a chart name to its SVG bytes. Every request, allowed or refused, is recorded in
    `self.requests` as (url, allowed: bool) so tests can check that nothing else was fetched.
    """

    def __init__(self, charts: Mapping[str, bytes] | None = None, assets_dir: str | Path | None = None):
        # Only http(s) handlers would use these; we never reach the urllib machinery at all.
        super().__init__(timeout=1, allowed_protocols=("file", "data", CHART_SCHEME), allow_redirects=False)
        self.charts = dict(charts or {})
        self.assets_dir = Path(os.path.realpath(assets_dir or ASSETS_DIR))
        self.requests: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):  # noqa: D401 - WeasyPrint's signature
        try:
            response = self._serve(str(url))
        except RefusedURL:
            self.requests.append((str(url), False))
            raise
        self.requests.append((str(url), True))
        return response

    @property
    def refused(self) -> list[str]:
        return [url for url, ok in self.requests if not ok]

    def _serve(self, url: str) -> URLFetcherResponse:
        try:
            parts = urlsplit(url)
        except ValueError:
            raise RefusedURL(f"malformed URL refused: {url[:200]!r}") from None
        scheme = parts.scheme.lower()
        if scheme == CHART_SCHEME:
            name = unquote(parts.path)
            if name not in self.charts:
                raise RefusedURL(f"unknown chart: {name[:100]!r}")
            return URLFetcherResponse(url, self.charts[name], {"Content-Type": "image/svg+xml"})
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise RefusedURL(f"remote file URL refused: {url[:200]!r}")
            path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
            if not path.is_relative_to(self.assets_dir) or not path.is_file():
                raise RefusedURL(f"file outside the report assets refused: {url[:200]!r}")
            mime = MIME_TYPES.get(path.suffix.lower())
            if mime is None:
                raise RefusedURL(f"file type not served: {url[:200]!r}")
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
        if scheme == "data":
            match = DATA_IMAGE_RE.match(url)
            if not match or len(url) > MAX_DATA_BYTES:
                raise RefusedURL(f"data: URL refused (only base64 PNG/JPEG images): {url[:60]!r}")
            try:
                body = base64.b64decode(match[2], validate=False)
            except (binascii.Error, ValueError):
                raise RefusedURL("data: URL with bad base64 refused") from None
            return URLFetcherResponse(url[:64], body, {"Content-Type": match[1].lower()})
        raise RefusedURL(f"URL scheme {scheme or '(none)'!r} refused: {url[:200]!r}")

    # WeasyPrint calls fetch(); keep urllib's open() path closed too.
    def open(self, url, data=None, timeout=None):
        return self.fetch(getattr(url, "full_url", url))

    def __call__(self, url):
        return self.fetch(url)
