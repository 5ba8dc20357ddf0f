"""A page's inputs into the URL (components/page_state.py): /plan's budget, max change and
segments / creators, /lift's window, /audience's dimension and rule. The page's own callbacks read these controls as State and
run on the URL's change, so one change computes the page once and a link or saved view holds it."""

from __future__ import annotations

from dash import Input, Output, State, callback, no_update

from components import page_state
from components.ids import audience as audience_ids
from components.ids import lift as lift_ids
from components.ids import plan as plan_ids
from components.ids.shell import URL


def rewritten(search: str | None, values: dict, defaults: dict):
    """The new query string, or no_update when it says the same already."""
    new = page_state.with_values(search, values, defaults)
    return no_update if new == ("" if search in (None, "?") else search) else new


@callback(
    Output(URL, "search", allow_duplicate=True),
    Input(plan_ids.BY, "value"),
    Input(plan_ids.BUDGET, "value"),
    Input(plan_ids.MAX_CHANGE, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def plan_inputs_to_url(by, budget, max_change, search):
    query = page_state.query_of(search)
    if page_state.plan_link_error(query) and {"by": by, "budget": budget, "max_change": max_change} == (
        page_state.plan_inputs(query)
    ):
        # A link's value no control can hold (max_change=abc): the controls show their fallback and the
        # URL keeps the value, so /plan's error naming it stays until a control is changed (tester t1).
        return no_update
    return rewritten(search, {"by": by, "budget": budget, "max_change": max_change}, page_state.PLAN_DEFAULTS)


@callback(
    Output(URL, "search", allow_duplicate=True),
    Input(lift_ids.WINDOW, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def lift_window_to_url(window, search):
    saved = page_state.query_of(search).get("window")
    if saved is not None and not _is_lift_window(saved) and window == page_state.LIFT_DEFAULTS["window"]:
        # A link's window that is not one: the selector shows the default it falls back to, and the
        # URL keeps the value, so the filter bar's notice naming it stays (tester F9) until a pick.
        return no_update
    return rewritten(search, {"window": window}, page_state.LIFT_DEFAULTS)


def _is_lift_window(text: str) -> bool:
    from metrics.settings import lift_window_of

    try:
        lift_window_of(text)
    except ValueError:
        return False
    return True


@callback(
    Output(URL, "search", allow_duplicate=True),
    Input(audience_ids.DIMENSION, "value"),
    Input(audience_ids.RULE, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def audience_inputs_to_url(dimension, rule, search):
    return rewritten(search, {"dimension": dimension, "rule": rule}, page_state.AUDIENCE_DEFAULTS)
