"""The filter bar <-> URL query string, navbar links that carry the filters, the filter summary.

The URL is the single source of truth. `sync_filters` is one callback with the URL and the
controls both as inputs and outputs (Dash allows that circle inside one callback):
- the URL changed (page load, back/forward, a pasted link): set the controls (and their
  options, in the same response, so a dropdown never prunes a value before its options arrive);
- a control changed: write the URL (pushes a history entry, so back/forward work);
- reset: clear the URL and the controls.
"""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, html, no_update

import metrics
from callbacks import common
from components.cards import notice
from components.filter_bar import FILTER_FIELDS
from components.ids import shell as ids
from metrics import format as fmt
from metrics import periods
from metrics.filters import FilterError, Filters
from warehouse.db import WarehouseMissing, WarehouseOutdated

FIELDS = tuple(field for field, _, _ in FILTER_FIELDS)
LABELS = {field: label for field, label, _ in FILTER_FIELDS}
N = len(FIELDS)


def _date_text(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:10]


def _options(values: list[str], selected: tuple[str, ...]) -> list[dict]:
    """Dropdown options: the data set's values, plus any selected value the data does not have
    (a stale link) so the dropdown shows it instead of silently dropping it."""
    known = [str(v) for v in values]
    extra = [v for v in selected if v not in known]
    return [{"label": v, "value": v} for v in known] + [{"label": f"{v} (not in data)", "value": v} for v in extra]


PLURALS = {"platform": "platforms", "category": "categories", "tier": "tiers", "brand": "brands"}
SHOWN_KNOWN = 6  # a data set's values listed beside an unknown one (products and campaigns run to hundreds)


def unknown_values(filters: Filters, options: dict[str, list[str]]) -> str | None:
    """What a link selects that the data set does not have, one sentence per filter ("Platform
    “Nope” is not one of this data set's platforms (Facebook, Instagram, YouTube)"), so "No sales
    for these filters" is not read as a real empty selection; None when every value is known or
    nothing is loaded (no options to check against)."""
    if not options:
        return None
    sentences = []
    for field in FIELDS:
        known = [str(v) for v in options.get(field, [])]
        unknown = [v for v in getattr(filters, field) if v not in known]
        if not unknown:
            continue
        names = ", ".join(f"“{v}”" for v in unknown)
        listed = ", ".join(known[:SHOWN_KNOWN]) + (
            f" and {len(known) - SHOWN_KNOWN} more" if len(known) > SHOWN_KNOWN else ""
        )
        plural = PLURALS.get(field, f"{field}s")
        verb = "is not one" if len(unknown) == 1 else "are none"
        sentences.append(f"{LABELS[field]} {names} {verb} of this data set's {plural} ({listed or 'none'})")
    if not sentences:
        return None
    return "; ".join(sentences) + ". No sale matches a value the data set does not have."


def load_options(filters: Filters) -> tuple[list[list[dict]], str | None, str | None, str | None]:
    """Options of every dropdown, the date bounds (None when nothing is imported yet) and what the
    selection names that the data set does not have (unknown_values)."""
    try:
        wh = common.warehouse()
        options = metrics.filter_options(wh)
        first, last = metrics.date_bounds(wh)
    except WarehouseMissing:  # no usable data set: keep the selected values selectable
        options, first, last = {}, None, None
    lists = [_options(options.get(field, []), getattr(filters, field)) for field in FIELDS]
    return lists, _date_text(first), _date_text(last), unknown_values(filters, options)


def link_problems(error: str | None, unknown: str | None):
    """The filter bar's notice of a link: the invalid values it ignored, the unknown ones it kept."""
    lines = [f"Ignored an invalid value in the link: {error}" if error else None, unknown]
    shown = [html.Div(line) for line in lines if line]
    return notice(shown) if shown else None


def sync(trigger, search, values: list, start, end, period=None, compare=None) -> tuple:
    """Outputs of sync_filters for a trigger (None = initial call, "url", "filter-reset", or a control id).

    Returns (search, *values, *options, start, end, min_date, max_date, error, period, compare).
    A period preset writes `period=…` into the URL (as written) and shows its dates in the date
    picker; picking dates by hand clears the preset.
    """
    skip = (no_update,) * N
    if trigger == ids.FILTER_RESET:
        return (
            "" if search not in (None, "", "?") else no_update,
            *([[]] * N),
            *skip,
            None,
            None,
            no_update,
            no_update,
            None,
            None,
            periods.COMPARE_MODES[0],
        )
    if trigger in (None, ids.URL):
        filters = common.filters_from_search(search)
        error = common.filter_error(search)
        options, first, last, unknown = load_options(filters)
        return (
            no_update,
            *[list(getattr(filters, f)) for f in FIELDS],
            *options,
            filters.start.isoformat() if filters.start else None,
            filters.end.isoformat() if filters.end else None,
            first,
            last,
            link_problems(error, unknown),
            filters.period,
            filters.compare,
        )
    # A control changed: the URL follows.
    chosen_period = period if trigger == ids.FILTER_PERIOD else None if trigger == ids.FILTER_DATES else period
    try:
        filters = Filters(
            **{f: tuple(v or ()) for f, v in zip(FIELDS, values)},
            start=None if chosen_period else _date_text(start),
            end=None if chosen_period else _date_text(end),
            period=chosen_period,
            compare=compare or periods.COMPARE_MODES[0],
        )
    except FilterError as error:
        return (
            no_update,
            *skip,
            *skip,
            no_update,
            no_update,
            no_update,
            no_update,
            notice(str(error)),
            *(no_update,) * 2,
        )
    # The page's own parameters (components/page_state.py: /plan's budget, /lift's window, the ranking
    # grid's sort / search / view of components/ranking_grid.py) stay when a filter changes.
    new_search = common.search_of(filters, keep=search)
    current = "" if search in (None, "?") else search
    dates = (no_update, no_update)
    if trigger == ids.FILTER_PERIOD:  # show the preset's days in the date picker
        shown = common.filters_from_search(new_search)
        dates = (_date_text(shown.start), _date_text(shown.end))
    return (
        new_search if new_search != current else no_update,
        *skip,
        *skip,
        *dates,
        no_update,
        no_update,
        None,
        None if trigger == ids.FILTER_DATES else no_update,
        no_update,
    )


@callback(
    Output(ids.URL, "search"),
    *[Output(ids.filter_dropdown(f), "value") for f in FIELDS],
    *[Output(ids.filter_dropdown(f), "options") for f in FIELDS],
    Output(ids.FILTER_DATES, "start_date"),
    Output(ids.FILTER_DATES, "end_date"),
    Output(ids.FILTER_DATES, "min_date_allowed"),
    Output(ids.FILTER_DATES, "max_date_allowed"),
    Output(ids.FILTER_ERROR, "children"),
    Output(ids.FILTER_PERIOD, "value"),
    Output(ids.FILTER_COMPARE, "value"),
    Input(ids.URL, "search"),
    *[Input(ids.filter_dropdown(f), "value") for f in FIELDS],
    Input(ids.FILTER_DATES, "start_date"),
    Input(ids.FILTER_DATES, "end_date"),
    Input(ids.FILTER_RESET, "n_clicks"),
    Input(ids.FILTER_PERIOD, "value"),
    Input(ids.FILTER_COMPARE, "value"),
)
def sync_filters(search, *args):
    # The reset button's clicks are not needed: it acts through ctx.triggered_id.
    values, (start, end) = list(args[:N]), args[N : N + 2]
    period, compare = (args[N + 3 : N + 5] + (None, None))[:2]
    trigger = ctx.triggered_id or None  # None: the initial call
    if trigger is not None and any(t.startswith(f"{ids.URL}.") for t in ctx.triggered_prop_ids):
        trigger = ids.URL
    return sync(trigger, search, values, start, end, period, compare)


def summary_children(search: str | None) -> tuple[list, str]:
    """The active-filter line under the filter bar, and the count shown on the phone toggle."""
    filters = common.filters_from_search(search)
    parts = []
    for field in FIELDS:
        chosen = getattr(filters, field)
        if chosen:
            parts.append(html.Span([html.Strong(f"{LABELS[field]}: "), ", ".join(chosen)], className="hk-chip"))
    if filters.period:
        parts.append(html.Span([html.Strong("Period: "), periods.PRESET_LABELS[filters.period]], className="hk-chip"))
    if filters.start or filters.end:
        start = fmt.date(filters.start) if filters.start else "…"
        end = fmt.date(filters.end) if filters.end else "…"
        parts.append(html.Span([html.Strong("Dates: "), f"{start} – {end}"], className="hk-chip"))
    count = sum(1 for f in FIELDS if getattr(filters, f)) + (1 if (filters.start or filters.end) else 0)
    if not parts:
        return [html.Span("Showing all data", className="text-body-secondary")], ""
    return [html.Span("Showing ", className="text-body-secondary me-1")] + parts, str(count)


@callback(
    Output(ids.FILTER_SUMMARY, "children"),
    Output(ids.FILTER_COUNT, "children"),
    Input(ids.URL, "search"),
)
def filter_summary(search):
    return summary_children(search)


def carried_query(search: str | None) -> str:
    """The page inputs every page reads, kept by the navbar: the lift window when not the default."""
    from components.page_state import LIFT_DEFAULTS, lift_inputs, query_of

    window = lift_inputs(query_of(search))["window"]
    return "" if window == LIFT_DEFAULTS["window"] else f"window={window}"


def nav_state(pathname: str | None, search: str | None, ids: list[dict]) -> tuple[list[str], list[bool]]:
    """Navbar hrefs keep the current filters and the lift window (`window=`: every page's measured
    lift follows it, common.settings); the link of the current page is active."""
    filters = common.filters_from_search(search)
    query = common.search_of(filters, keep=carried_query(search))
    path = (pathname or "/").rstrip("/") or "/"
    hrefs, active = [], []
    for link in ids:
        target = link["path"]
        hrefs.append(dash.get_relative_path(target) + query if _has_app() else target + query)
        active.append(path == target if target == "/" else path == target or path.startswith(target + "/"))
    return hrefs, active


def _has_app() -> bool:
    try:
        dash.get_app()
    except Exception:  # Dash raises a bare Exception when no app exists yet (unit tests)
        return False
    return True


@callback(
    Output(ids.nav_link(ALL), "href"),
    Output(ids.nav_link(ALL), "active"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
    State(ids.nav_link(ALL), "id"),
)
def nav_links(pathname, search, ids):
    return nav_state(pathname, search, ids)


def dataset_line(info: dict | None) -> str:
    """The footer's line on the loaded data set (name, import time, counts)."""
    if not info:
        return "No data set imported"
    name = info.get("name") or "data set"
    pieces = [f"Data: {name}"]
    if info.get("imported_at"):
        pieces.append(f"imported {fmt.timestamp(info.get('imported_at'))}")
    if info.get("influencers") is not None:
        pieces.append(fmt.counted(info.get("influencers"), "influencer"))
    if info.get("sales_rows") is not None:
        pieces.append(fmt.counted(info.get("sales_rows"), "sales row"))
    return " · ".join(pieces)


@callback(Output(ids.DATASET_INFO, "children"), Input(ids.URL, "pathname"), Input(ids.DATASET_CHANGED, "data"))
@common.when_no_data_set(
    lambda error: (
        "Data set to import again (another hkdash version)"
        if isinstance(error, WarehouseOutdated)
        else dataset_line(None)
    )
)
def dataset_info(_pathname, _changed=None):
    return dataset_line(metrics.dataset_info(common.warehouse()))


@callback(
    *[Output(ids.filter_dropdown(f), "options", allow_duplicate=True) for f in FIELDS],
    Output(ids.FILTER_DATES, "min_date_allowed", allow_duplicate=True),
    Output(ids.FILTER_DATES, "max_date_allowed", allow_duplicate=True),
    Input(ids.DATASET_CHANGED, "data"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def options_after_import(_changed, search):
    """The new data set's platforms, brands, campaigns… and dates in the filter bar, without a reload."""
    options, first, last, _unknown = load_options(common.filters_from_search(search))
    return (*options, first, last)


def filter_bar_style(pathname: str | None, registry=None) -> dict:
    """Hidden on pages that declare `filters=False` (/data, /admin): the bar would select nothing there."""
    registry = dash.page_registry if registry is None else registry
    page = next((p for p in registry.values() if p.get("path") == (pathname or "/")), None)
    return {"display": "none"} if page is not None and page.get("filters") is False else {}


@callback(Output(ids.FILTER_BAR, "style"), Input(ids.URL, "pathname"))
def filter_bar_visibility(pathname):
    return filter_bar_style(pathname)


# Phone layout: the navbar and the filter bar fold away (assets/app.js, no inline scripts).
clientside_callback(
    ClientsideFunction(namespace="hk", function_name="toggle"),
    Output(ids.NAV_COLLAPSE, "is_open"),
    Input(ids.NAV_TOGGLE, "n_clicks"),
    State(ids.NAV_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction(namespace="hk", function_name="toggle"),
    Output(ids.FILTER_COLLAPSE, "is_open"),
    Input(ids.FILTER_TOGGLE, "n_clicks"),
    State(ids.FILTER_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
