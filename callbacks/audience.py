"""Audience page: revenue, spend and ROAS by audience segment; audience places against sales."""

from __future__ import annotations

from dash import Input, Output, callback

from callbacks import common
from components import audience_figures
from components.cards import notice
from components.ids import audience as ids
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import format as fmt
from metrics.audience import HOW_TO_ADD, audience_files, audience_segments, region_comparison

NO_FILE = "No audience file in this data set, so there is nothing to show here. To see revenue by audience, "


NOTHING_SELECTED = "No creator has sales or spend in the selection."


def uncovered_note(attrs: dict, empty: bool = False) -> str:
    """What the segments leave out: the selection's creators without audience rows; `empty`: the
    segments have no row (then a selection without creators says so, not "every creator")."""
    left = attrs.get("uncovered") or {}
    if not left.get("creators"):
        return NOTHING_SELECTED if empty else "Every creator of the selection has audience rows."
    return (
        f"Left out: {fmt.count(left['creators'])} creators without audience rows "
        f"({fmt.inr_compact(left['revenue'])} revenue, {fmt.inr_compact(left['spend'])} spend)."
    )


@callback(
    Output(ids.NOTICE, "children"),
    Output(ids.BODY, "style"),
    Output(ids.SEGMENT_CHART, "figure"),
    Output(ids.SEGMENT_NOTE, "children"),
    Output(table_id(ids.SEGMENTS_TABLE), "rowData"),
    Output(ids.REGIONS_CHART, "figure"),
    Output(ids.REGIONS_NOTE, "children"),
    Input(URL, "search"),
    Input(ids.DIMENSION, "value"),
    Input(ids.RULE, "value"),
)
@common.when_no_data_set(lambda error: (common.no_data_state(error), common.HIDE) + (None,) * 5)
def audience_page(search, dimension, rule):
    wh, filters, settings = common.warehouse(), common.filters_from_search(search), common.settings()
    files = audience_files(wh)
    if not (files["demographics"] or files["geography"]):
        return notice(NO_FILE + HOW_TO_ADD + ".", color="info", icon="bi-info-circle"), common.HIDE, *(None,) * 5
    table = audience_segments(wh, dimension or "age_band", filters, settings, rule or "weighted")
    regions = region_comparison(wh, filters, settings)
    region_note = (
        uncovered_note(regions.attrs, regions.empty) + " Sales files carry no place: only the audience side is shown."
    )
    if not files["geography"]:
        region_note = f"No audience geography file: {HOW_TO_ADD}."
    return (
        None,
        common.SHOW,
        audience_figures.segment_roas(table, height=max(240, 60 + 34 * len(table))),
        uncovered_note(table.attrs, table.empty),
        records(table.rename(columns={"creators": "segment_creators"})),
        audience_figures.regions_against_sales(regions, height=max(260, 60 + 30 * len(regions))),
        region_note,
    )
