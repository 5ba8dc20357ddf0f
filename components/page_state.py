"""A page's own inputs in the URL query string, beside the filter bar's selection.

/plan keeps `by`, `budget` and `max_change`, /lift keeps `window`, /audience `dimension` and `rule`, so that a link or a saved view
reproduces what was on screen. The URL is the one source of truth, as for the filters: the page's
layout sets its controls from the query (`dash.register_page` passes it to `layout(**query)`), a
control's change rewrites the query (callbacks/page_state.py), and the page's figures follow the
URL. A value that is not one the control offers is dropped, never reinterpreted; /plan's are
refused with a message instead (plan_link_error), as the page refuses a number typed out of range:
a shared link must not show another plan in silence.

Pure functions of text; no Dash callbacks here.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode

from components.ids import audience as audience_ids
from components.ids import lift as lift_ids
from components.ids import plan as plan_ids
from metrics.filters import LIST_FIELDS

FILTER_KEYS = frozenset(LIST_FIELDS) | {"start", "end", "period", "compare"}
PLAN_UNITS = frozenset(o["value"] for o in plan_ids.BY_OPTIONS)
PLAN_DEFAULTS = {"by": "segment", "budget": None, "max_change": plan_ids.DEFAULT_MAX_CHANGE_PCT}
LIFT_DEFAULTS = {"window": 14}
AUDIENCE_DEFAULTS = {"dimension": "age_band", "rule": "weighted"}


def _number(value, low: float, high: float) -> float | None:
    """A finite number within [low, high] (whole numbers as int), else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not low <= number <= high:
        return None
    return int(number) if number.is_integer() else number


def plan_inputs(query: dict) -> dict:
    """{by, budget, max_change} of /plan from a query ({key: text}); defaults where missing, by's
    default where not a mode; a budget or max change that is not a number leaves its box empty (None),
    so a refused link shows no valid-looking value beside its error (plan_link_error). Budget ₹ and
    max_change % are any finite number: the page refuses one out of range with its message."""
    by = query.get("by")
    budget, max_change = (
        _number(query.get("budget"), -math.inf, math.inf),
        _number(query.get("max_change"), -math.inf, math.inf),
    )
    if max_change is None and query.get("max_change") in (None, ""):
        max_change = PLAN_DEFAULTS["max_change"]
    return {"by": by if by in PLAN_UNITS else PLAN_DEFAULTS["by"], "budget": budget, "max_change": max_change}


# What a /plan link's value is not, and the control that holds it (words for the page and the CLI).
PLAN_VALUE_WANTED = {
    "by": ("is not a plan mode (segment or influencer)", "plan mode"),
    "budget": ("is not a number", "budget (₹)"),
    "max_change": ("is not a number", "max change (%)"),
}


def refused_plan_value(query: dict) -> str | None:
    """The first /plan key of a query whose value no control can hold (a `by` that is no mode, a
    budget or max change that is not a number), or None."""
    if query.get("by", "segment") not in PLAN_UNITS:
        return "by"
    for key in ("budget", "max_change"):
        if query.get(key) not in (None, "") and _number(query[key], -math.inf, math.inf) is None:
            return key
    return None


def plan_link_error(query: dict) -> str | None:
    """Why /plan cannot plan what a link asks, in the page's words (its controls are above), or None."""
    key = refused_plan_value(query)
    if key is None:
        return None
    wrong, words = PLAN_VALUE_WANTED[key]
    action = "pick one" if key == "by" else f"type the {words}"
    return f"The link's {key}={query[key]} {wrong}: {action} above."


def lift_inputs(query: dict) -> dict:
    """{window} of /lift from a query: one of its window options (days), else the default."""
    window = _number(query.get("window"), 0, 366)
    offered = {o["value"] for o in lift_ids.WINDOW_OPTIONS}
    return {"window": window if window in offered else LIFT_DEFAULTS["window"]}


def audience_inputs(query: dict) -> dict:
    """{dimension, rule} of /audience from a query: values its controls offer, else the defaults."""
    offered = {
        "dimension": {o["value"] for o in audience_ids.DIMENSION_OPTIONS},
        "rule": {o["value"] for o in audience_ids.RULE_OPTIONS},
    }
    return {key: query.get(key) if query.get(key) in offered[key] else AUDIENCE_DEFAULTS[key] for key in offered}


def query_of(search: str | None) -> dict:
    """{key: first value} of a query string (leading `?` allowed)."""
    out: dict[str, str] = {}
    for key, value in parse_qsl((search or "").lstrip("?")):
        out.setdefault(key, value)
    return out


def page_pairs(search: str | None) -> list[tuple[str, str]]:
    """The query's pairs that are not the filter bar's (a page's own inputs), in their order."""
    return [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in FILTER_KEYS]


def with_values(search: str | None, values: dict, defaults: dict) -> str:
    """`search` with each of `values` set (removed where it is None or its default), everything else
    kept in its order; '' for an empty query."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in values]
    for key, value in values.items():
        if value is not None and value != "" and value != defaults.get(key):
            number = _number(value, -math.inf, math.inf)
            pairs.append((key, str(number) if number is not None else str(value)))
    query = urlencode(pairs)
    return f"?{query}" if query else ""
