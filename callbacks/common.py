"""What every callback needs: the filters of the URL, the warehouse, the settings, error states.

Callbacks read the selection from `Input("url", "search")` with `filters_from_search`, call
metrics with `warehouse()` and `settings()`, and turn "no data set imported" (or one imported by
an older version of hkdash) into the empty state with `@when_no_data_set(...)` or `load(...)`.
Any other error propagates: Dash answers the request with an error and the server logs it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from dash import html

import metrics
from components.cards import empty_state
from metrics.filters import FilterError, Filters
from metrics.kpis import has_activity as has_activity  # the pages read the rule here
from warehouse.db import WarehouseMissing, WarehouseOutdated


def filters_from_search(search: str | None) -> Filters:
    """The selection of a URL query string, its date preset resolved against the data's last sale
    date; invalid dates, presets and comparisons are dropped (the filter bar says so)."""
    try:
        filters = Filters.from_query_string(search)
    except FilterError:
        filters = Filters.from_query_string(_without_dates(search))
    if filters.period is None:
        return filters
    try:
        return filters.resolved(metrics.sale_date_bounds(warehouse())[1])
    except WarehouseMissing:
        return filters


def filter_error(search: str | None) -> str | None:
    """The message of an invalid date or lift window (`window=`, which every page's measured
    figures follow) in the query string, None when the query is valid."""
    from components.page_state import query_of
    from metrics.settings import lift_window_of

    problems = []
    try:
        Filters.from_query_string(search)
    except FilterError as error:
        problems.append(str(error))
    window = query_of(search).get("window")
    if window is not None:
        try:
            lift_window_of(window)
        except ValueError as error:
            problems.append(f"{error}; the {metrics.DEFAULT_SETTINGS.lift_window_days}-day window is used")
    return "; ".join(problems) or None


def _without_dates(search: str | None) -> str:
    from urllib.parse import parse_qsl, urlencode

    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in ("start", "end", "period", "compare")]
    return urlencode(pairs)


def search_of(filters: Filters, keep: str | None = None) -> str:
    """`?platform=…` for a non-empty selection, '' for none (the URL then has no query string);
    with `keep` (the current query), the page's own inputs in it stay (components/page_state.py)."""
    from urllib.parse import urlencode

    from components.page_state import page_pairs

    query = "&".join(part for part in (filters.to_query_string(), urlencode(page_pairs(keep))) if part)
    return f"?{query}" if query else ""


@functools.lru_cache(maxsize=8)
def _warehouse_for(path: str):
    from warehouse import Warehouse

    return Warehouse(path)


def warehouse():
    """The warehouse named by HKDASH_DB (or the default), one object per path per process.

    The Warehouse keeps one read-only connection per thread and reopens it when an import has
    replaced the file, so sharing the object between requests shares no request state.
    """
    from warehouse import default_db_path

    return _warehouse_for(str(default_db_path()))


def settings(search: str | None = None):
    """The metric settings every page uses (thresholds, baseline share), with the lift window of
    the URL's `window=` (/lift's selector; the navbar carries it to every page, and the PDF reads it
    the same way: callbacks.report.report_settings). No or an unknown window: the default."""
    import dataclasses

    from components.page_state import lift_inputs, query_of

    base = metrics.DEFAULT_SETTINGS
    window = lift_inputs(query_of(search))["window"] if search else base.lift_window_days
    return base if window == base.lift_window_days else dataclasses.replace(base, lift_window_days=window)


def when_no_data_set(fallback: Callable[[WarehouseMissing], Any]):
    """Decorator: the callback answers `fallback(error)` when there is no usable data set.

    "No usable data set" is `WarehouseMissing`: nothing imported yet, or (its subclass
    `WarehouseOutdated`) a file built by another version of hkdash. Every other exception
    propagates. Put it under `@callback(...)`:

        @callback(Output("ov-trend", "figure"), Input("url", "search"))
        @common.when_no_data_set(lambda error: figures.empty_figure())
        def overview_trend(search): ...
    """

    def decorate(function):
        @functools.wraps(function)
        def answer(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except WarehouseMissing as error:
                return fallback(error)

        return answer

    return decorate


def load(function, *args, **kwargs):
    """Call a metrics function with the warehouse; None when there is no usable data set.

    frame = common.load(metrics.breakdown, "platform", filters)
    """
    try:
        return function(warehouse(), *args, **kwargs)
    except WarehouseMissing:
        return None


def no_data_state(error: Exception | None = None, pathname: str | None = None):
    """The empty state: no data set imported yet, one to import again, or nothing in the selection."""
    if isinstance(error, WarehouseOutdated):
        return empty_state(
            "Import the data set again",
            [
                "The warehouse was built by another version of hkdash. Import the data set again (Data page or ",
                html.Code("hkdash import DIR"),
                "), then reload.",
            ],
            icon="bi-database-exclamation",
        )
    if isinstance(error, WarehouseMissing):
        return empty_state(
            "No data set imported yet",
            [
                "Import one on the Data page, or with ",
                html.Code("hkdash import DIR"),
                " (",
                html.Code("hkdash sample"),
                " writes demo data), then reload.",
            ],
            icon="bi-database",
        )
    return empty_state(reset_href=pathname or "/")


SHOW = {}
HIDE = {"display": "none"}


def shown_to(role: str) -> dict:
    """The style of a control only `role` or above may use: hidden from lower roles, whose click
    the server refuses anyway (auth/roles.py stays the gate), so they never meet a bare 403."""
    import auth

    return {} if auth.at_least(auth.current_role(), role) else {"display": "none"}
