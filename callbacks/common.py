"""What every callback needs: the filters of the URL, the warehouse, the settings, error states.

Callbacks read the selection from `Input("url", "search")` with `filters_from_search`, call
metrics with `warehouse()` and `settings()`, and turn "no data set imported" or "no sales for
these filters" into the empty state rather than an error.
"""
from __future__ import annotations

import functools

import metrics
from metrics.filters import FilterError, Filters

from components.cards import empty_state


def filters_from_search(search: str | None) -> Filters:
    """The selection of a URL query string; invalid dates are dropped (the filter bar says so)."""
    try:
        return Filters.from_query_string(search)
    except FilterError:
        loose = Filters.from_query_string(_without_dates(search))
        return loose


def filter_error(search: str | None) -> str | None:
    try:
        Filters.from_query_string(search)
    except FilterError as error:
        return str(error)
    return None


def _without_dates(search: str | None) -> str:
    from urllib.parse import parse_qsl, urlencode

    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in ("start", "end")]
    return urlencode(pairs)


def search_of(filters: Filters) -> str:
    """`?platform=…` for a non-empty selection, '' for none (the URL then has no query string)."""
    query = filters.to_query_string()
    return f"?{query}" if query else ""


@functools.lru_cache(maxsize=8)
def _warehouse_for(path: str):
    from warehouse import Warehouse  # the only use of the warehouse package in callbacks

    return Warehouse(path)


def warehouse():
    """The warehouse named by HKDASH_DB (or the default), one object per path per process.

    The Warehouse keeps one read-only connection per thread and reopens it when an import has
    replaced the file, so sharing the object between requests shares no request state.
    """
    from warehouse import default_db_path

    return _warehouse_for(str(default_db_path()))


def settings():
    return metrics.DEFAULT_SETTINGS


def is_missing_warehouse(error: Exception) -> bool:
    return type(error).__name__ == "WarehouseMissing"


def load(function, *args, **kwargs):
    """Call a metrics function with the warehouse; None when no data set has been imported yet.

        frame = common.load(metrics.breakdown, "platform", filters)
    """
    try:
        return function(warehouse(), *args, **kwargs)
    except Exception as error:
        if is_missing_warehouse(error):
            return None
        raise


def no_data_state(error: Exception | None = None, pathname: str | None = None):
    """The empty state for a failed load: no data set imported yet, or nothing in the selection."""
    if error is not None and is_missing_warehouse(error):
        return empty_state(
            "No data set imported yet",
            "Import one with `hkdash import DIR` (or `hkdash sample` for demo data), then reload.",
            icon="bi-database",
        )
    return empty_state(reset_href=pathname or "/")


def has_activity(k: dict) -> bool:
    """True when the selection holds any sale, order or spend (posts alone show the empty state)."""
    return bool((k.get("revenue") or 0) or (k.get("orders") or 0) or (k.get("spend") or 0))


SHOW = {}
HIDE = {"display": "none"}
