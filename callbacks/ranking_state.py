"""The influencer ranking's sort, quick search and view go into the URL (components/ranking_grid.py),
so a link or a saved view reproduces the ranking as shown. The page's layout reads them back."""

from __future__ import annotations

from dash import Input, Output, State, callback, ctx, no_update

from components.ids import influencers as ids
from components.ids.shell import URL
from components.ranking_grid import grid_state, sort_of, with_grid_state
from components.tables import table_id


def ranking_search(search: str | None, column_state, text: str | None, view: str | None):
    """The URL query for the grid's state (filters kept), or no_update when the URL already says it."""
    wanted = with_grid_state(search, sort_of(column_state), (text or "").strip(), view)
    current = "" if search in (None, "?") else search
    return wanted if wanted != current else no_update


@callback(
    Output(URL, "search", allow_duplicate=True),
    Input(table_id(ids.RANKING_TABLE), "columnState"),
    Input(ids.VIEW, "value"),
    Input(ids.SEARCH, "n_submit"),
    Input(ids.SEARCH, "n_blur"),
    State(ids.SEARCH, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def ranking_to_url(column_state, view, _submitted, _left, text, search):
    """Sorting, switching the view, or leaving / submitting the quick search writes the URL (typing
    filters at once, client side; writing the URL on each key would re-render the page mid-word)."""
    # The view goes into the URL once chosen; a sort or a search keeps the URL's own (or none).
    chosen = (
        view if ctx.triggered_id == ids.VIEW else (grid_state(search)["view"] if "view=" in (search or "") else None)
    )
    return ranking_search(search, column_state, text, chosen)
