"""Helpers for calling Dash callbacks directly in tests (imported by tests/test_callbacks_*.py)."""

from __future__ import annotations

import contextlib

from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.development.base_component import Component


@contextlib.contextmanager
def triggered(*prop_ids: str):
    """Run a callback as if `prop_ids` (e.g. "url.search") had triggered it; none = initial call."""
    token = context_value.set(
        AttributeDict(
            triggered_inputs=[{"prop_id": p, "value": None} for p in prop_ids],
        )
    )
    try:
        yield
    finally:
        context_value.reset(token)


def walk(node):
    """Every component in a layout tree (lists, components, their children)."""
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from walk(item)
    elif isinstance(node, Component):
        yield node
        for prop in node._prop_names:
            value = getattr(node, prop, None)
            if isinstance(value, (Component, list, tuple)):
                yield from walk(value)


def find(node, component_id):
    for component in walk(node):
        if getattr(component, "id", None) == component_id:
            return component
    raise KeyError(component_id)


def text(node) -> str:
    """All the text of a layout tree, joined (as a browser would show it, roughly)."""
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, (list, tuple)):
        return " ".join(text(item) for item in node)
    if isinstance(node, Component):
        return text(getattr(node, "children", None))
    return ""
