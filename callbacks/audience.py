"""Audience page: revenue, spend and ROAS by audience segment; audience places against sales."""

from __future__ import annotations

from dash import Input, Output, callback

from callbacks import common
from components import audience_figures, figures, page_state
from components.audience_notes import orders_note, region_note, segment_note
from components.cards import notice
from components.ids import audience as ids
from components.ids.shell import URL
from components.tables import records, table_id
from metrics.audience import HOW_TO_ADD, audience_files, audience_segments, region_comparison

NO_FILE = "No audience file in this data set, so there is nothing to show here. To see revenue by audience, "


def _hidden_body() -> tuple:
    """The hidden body's outputs: graphs get an empty figure (a None figure makes dcc.Graph throw in the browser)."""
    return figures.empty_figure(), None, [], None, figures.empty_figure(), _graph_height(360), None


def _graph_height(pixels: int) -> dict:
    """The graph's style: its card sized to the figure (a chart of many regions grows, never squeezes)."""
    return {"height": f"{pixels}px"}


@callback(
    Output(ids.NOTICE, "children"),
    Output(ids.BODY, "style"),
    Output(ids.SEGMENT_CHART, "figure"),
    Output(ids.SEGMENT_NOTE, "children"),
    Output(table_id(ids.SEGMENTS_TABLE), "rowData"),
    Output(ids.SEGMENTS_NOTE, "children"),
    Output(ids.REGIONS_CHART, "figure"),
    Output(ids.REGIONS_CHART, "style"),
    Output(ids.REGIONS_NOTE, "children"),
    Input(URL, "search"),  # the toggles' changes reach it through the URL (callbacks/page_state.py)
)
@common.when_no_data_set(lambda error: (common.no_data_state(error), common.HIDE) + _hidden_body())
def audience_page(search):
    wh, filters, settings = common.warehouse(), common.filters_from_search(search), common.settings()
    inputs = page_state.audience_inputs(page_state.query_of(search))
    files = audience_files(wh)
    if not (files["demographics"] or files["geography"]):
        return notice(NO_FILE + HOW_TO_ADD + ".", color="info", icon="bi-info-circle"), common.HIDE, *_hidden_body()
    table = audience_segments(wh, inputs["dimension"], filters, settings, inputs["rule"])
    regions = region_comparison(wh, filters, settings)
    regions_height = audience_figures.regions_height(regions, least=260)
    return (
        None,
        common.SHOW,
        audience_figures.segment_roas(table, height=max(240, 60 + 34 * len(table)), dimension=inputs["dimension"]),
        segment_note(table.attrs, table.empty, inputs["dimension"], files),
        records(table.rename(columns={"creators": "segment_creators"})),
        orders_note(inputs["rule"]),
        audience_figures.regions_against_sales(regions, height=regions_height),
        _graph_height(regions_height),
        region_note(regions, files["geography"]),
    )
