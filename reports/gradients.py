"""Plotly colour bars in chart SVGs: solid slices instead of an SVG gradient fill.

Why: WeasyPrint 70 turns an SVG `linearGradient` fill into a PDF tiling pattern whose cell is
the 1 × 1 unit square scaled to the bar (a 670 × 10 px colour bar is a cell 449 pt by 6.7 pt).
Poppler (pdftoppm, Evince, most Linux viewers) draws nothing for that cell where the report
places the category × platform heatmap: the PDF showed the bar as an empty outline with its
ticks. Narrow solid rectangles of the gradient's colours draw the same in every viewer and stay
vector. Only a rectangle filled by a horizontal or vertical gradient whose stops are `rgb()` /
`rgba()` colours (what plotly writes for colour bars) is rewritten; anything else is left as is.
"""

from __future__ import annotations

import re

#: Slices per colour bar: ~5.6 px each on a 670 px bar, finer than the eye separates in print.
SLICES = 120
#: Each slice reaches this far (px) into the next, so anti-aliasing leaves no hairline seam.
OVERLAP_PX = 0.5

_GRADIENT = re.compile(r"<linearGradient\b([^>]*)>(.*?)</linearGradient>", re.S)
_STOP = re.compile(r"<stop\b([^>]*?)/?>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_FILLED_RECT = re.compile(r"<rect\b([^>]*)/>")
_URL_FILL = re.compile(r"""^\s*fill:\s*url\(['"]?#([^'")]+)['"]?\);?\s*$""")
_RGB = re.compile(r"^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$")

Stop = tuple[float, tuple[float, float, float, float]]


def flatten_colour_bars(svg: bytes) -> bytes:
    """`svg` with every gradient-filled rectangle drawn as SLICES solid rectangles (see module doc)."""
    text = svg.decode("utf-8")
    gradients = {}
    for match in _GRADIENT.finditer(text):
        attrs = dict(_ATTR.findall(match.group(1)))
        stops = _stops(match.group(2))
        if "id" in attrs and stops:
            gradients[attrs["id"]] = (attrs, stops)
    if not gradients:
        return svg

    def replace(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        fill = _URL_FILL.match(attrs.get("style", ""))
        if not fill or fill.group(1) not in gradients:
            return match.group(0)
        return _slices(attrs, *gradients[fill.group(1)]) or match.group(0)

    return _FILLED_RECT.sub(replace, text).encode("utf-8")


def _stops(body: str) -> list[Stop] | None:
    """(offset 0–1, (r, g, b, opacity)) per stop, or None when a stop is not rgb()/rgba()."""
    out = []
    for match in _STOP.finditer(body):
        attrs = dict(_ATTR.findall(match.group(1)))
        colour = _RGB.match(attrs.get("stop-color", "").strip())
        if colour is None:
            return None
        offset = attrs.get("offset", "0").strip()
        at = float(offset[:-1]) / 100 if offset.endswith("%") else float(offset)
        alpha = float(colour.group(4) or 1) * float(attrs.get("stop-opacity", 1))
        out.append((at, (float(colour.group(1)), float(colour.group(2)), float(colour.group(3)), alpha)))
    return out or None


def colour_at(stops: list[Stop], t: float) -> tuple[float, float, float, float]:
    """The gradient's colour at position t (0–1): linear between stops, flat beyond the ends."""
    if t <= stops[0][0]:
        return stops[0][1]
    for (a, ca), (b, cb) in zip(stops, stops[1:]):
        if t <= b:
            k = 0.0 if b == a else (t - a) / (b - a)
            r, g, bl, al = (x + (y - x) * k for x, y in zip(ca, cb))
            return r, g, bl, al
    return stops[-1][1]


def _slices(rect: dict[str, str], gradient: dict[str, str], stops: list[Stop]) -> str | None:
    """A <g> of solid rectangles covering `rect` as `gradient` would, or None when unsupported."""
    if gradient.get("gradientUnits", "objectBoundingBox") != "objectBoundingBox" or "gradientTransform" in gradient:
        return None
    try:
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        width, height = float(rect["width"]), float(rect["height"])
        x1, y1, x2, y2 = (
            _fraction(gradient.get(k, d)) for k, d in (("x1", "0"), ("y1", "0"), ("x2", "1"), ("y2", "0"))
        )
    except (KeyError, ValueError):
        return None
    horizontal = y1 == y2 and x1 != x2
    if not horizontal and not (x1 == x2 and y1 != y2):
        return None
    start, end = (x1, x2) if horizontal else (y1, y2)
    length = width if horizontal else height
    step = length / SLICES
    parts = []
    for i in range(SLICES):
        r, g, b, a = colour_at(stops, ((i + 0.5) / SLICES - start) / (end - start))
        reach = step + (OVERLAP_PX if i < SLICES - 1 else 0)
        box = (x + i * step, y, reach, height) if horizontal else (x, y + i * step, width, reach)
        parts.append(
            f'<rect x="{box[0]:.3f}" y="{box[1]:.3f}" width="{box[2]:.3f}" height="{box[3]:.3f}" '
            f'style="fill: rgb({r:.0f}, {g:.0f}, {b:.0f}); fill-opacity: {a:.3f};"/>'
        )
    keep = " ".join(f'{k}="{v}"' for k, v in rect.items() if k not in ("x", "y", "width", "height", "style"))
    return f"<g {keep}>{''.join(parts)}</g>" if keep else f"<g>{''.join(parts)}</g>"


def _fraction(value: str) -> float:
    value = value.strip()
    return float(value[:-1]) / 100 if value.endswith("%") else float(value)
