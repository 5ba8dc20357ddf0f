"""Plotly figures as plain dicts: the small drawing API the figure builders use.

A `go.Figure` validates every property as it is set, which costs 8–15 ms per chart, on every
filter change, for figures whose properties are fixed by our own code. A builder here writes the
JSON that plotly.js receives directly; `go.Figure(figure)` still validates it (the tests do so
for every builder) and the report renders it as it is.

Properties are written as nested dicts (`marker=dict(color=…)`, not `marker_color=…`), and
properties set to None are left out, as plotly does.
"""

from __future__ import annotations

import re

_NUMBERED_AXIS = re.compile(r"^[xy]axis\d*$")


def trace(kind: str, **properties) -> dict:
    """One trace: `trace("bar", x=[…], y=[…])`."""
    return {"type": kind, **_without_none(properties)}


class Figure:
    """Traces and a layout, built up the way go.Figure's methods would; `.to_dict()` is the figure."""

    def __init__(self, *traces: dict):
        self.data = list(traces)
        self.layout: dict = {}

    def add_trace(self, new_trace: dict) -> Figure:
        self.data.append(new_trace)
        return self

    def add_annotation(self, **annotation) -> Figure:
        self.layout.setdefault("annotations", []).append(_without_none(annotation))
        return self

    def add_vline(self, x, line: dict, text: str | None = None, font_size: int | None = None) -> Figure:
        """A vertical line across the plot at `x`, labelled above the plot (go.Figure.add_vline)."""
        self.layout.setdefault("shapes", []).append(
            {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "y domain", "y0": 0, "y1": 1, "line": line}
        )
        if text:
            self.add_annotation(
                text=text,
                x=x,
                xref="x",
                y=1,
                yref="y domain",
                showarrow=False,
                xanchor="center",
                yanchor="bottom",
                font=dict(size=font_size) if font_size else None,
            )
        return self

    def update_layout(self, changes: dict | None = None, **properties) -> Figure:
        _merge(self.layout, {**(changes or {}), **properties})
        return self

    def update_xaxes(self, **properties) -> Figure:
        return self._update_axes("x", properties)

    def update_yaxes(self, **properties) -> Figure:
        return self._update_axes("y", properties)

    def _update_axes(self, letter: str, properties: dict) -> Figure:
        # Every axis of that letter, the default one included (as go.Figure.update_xaxes does).
        names = {f"{letter}axis"} | {k for k in self.layout if k.startswith(letter) and _NUMBERED_AXIS.match(k)}
        for name in sorted(names):
            _merge(self.layout.setdefault(name, {}), properties)
        return self

    def to_dict(self) -> dict:
        return {"data": self.data, "layout": self.layout}


def _without_none(properties: dict) -> dict:
    return {
        key: (_without_none(value) if isinstance(value, dict) else value)
        for key, value in properties.items()
        if value is not None
    }


def _merge(target: dict, changes: dict) -> None:
    """Nested update: dicts merge key by key, anything else replaces; None values are skipped."""
    for key, value in changes.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = _without_none(value) if isinstance(value, dict) else value
