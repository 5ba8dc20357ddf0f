"""Categories page: ROAS heatmap, follower distribution, return by audience, best combinations."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback

import metrics
from callbacks import common
from components import figures
from components.ids import categories as ids
from components.ids import chosen
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import catalogue
from metrics.breakdowns import BREAKDOWN_COLUMNS
from metrics.comparison import changes_by


def best_combinations(frame: pd.DataFrame) -> pd.DataFrame:
    """Best ROAS first; undefined ROAS (no spend) last; ties by revenue, then by name."""
    if frame is None or frame.empty:
        return frame
    ordered = frame.assign(
        _undefined=frame["roas"].isna(), _roas=pd.to_numeric(frame["roas"], errors="coerce").fillna(0.0)
    )
    ordered = ordered.sort_values(
        ["_undefined", "_roas", "revenue", "category", "platform", "tier"],
        ascending=[True, False, False, True, True, True],
    )
    return ordered.drop(columns=["_undefined", "_roas"]).reset_index(drop=True)


@callback(
    Output(table_id(ids.COMBINATION_TABLE), "rowData"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Input(URL, "search"),
    State(URL, "pathname"),
)
@common.when_no_data_set(lambda error: ([], common.no_data_state(error), common.HIDE))
def category_combinations(search, pathname):
    filters = common.filters_from_search(search)
    wh, settings, by = common.warehouse(), common.settings(), ["category", "platform", "tier"]
    frame = metrics.breakdown(wh, by, filters, settings)
    if frame.empty or not (frame["revenue"].sum() or frame["spend"].sum()):
        return [], common.no_data_state(pathname=pathname), common.HIDE
    return records(changes_by(wh, best_combinations(frame), by, filters, settings)), None, common.SHOW


@callback(
    Output(ids.HEATMAP, "figure"),
    Output(ids.HEATMAP, "style"),
    Input(URL, "search"),
    Input(ids.HEATMAP_COLS, "value"),
)
def category_heatmap(search, columns):
    """The heatmap, and its graph as tall as the figure (a row per category: never squeezed to the card)."""
    columns = chosen(columns, ids.HEATMAP_OPTIONS)
    filters = common.filters_from_search(search)
    frame = common.load(metrics.breakdown, ["category", columns], filters, common.settings())
    settings = common.settings()
    figure = figures.category_platform_heatmap(
        frame, x=columns, y="category", value="roas", height=380, poor_roas=settings.poor_roas
    )
    return figure, {"height": f"{figure['layout']['height']}px"}


@callback(Output(ids.FOLLOWERS, "figure"), Input(URL, "search"))
def category_followers(search):
    """Known influencers per tier and platform: one grouped count, not the whole ranking."""
    filters = common.filters_from_search(search)
    frame = common.load(metrics.breakdown, ["tier", "platform"], filters, common.settings())
    return figures.follower_distribution(frame, height=320)


@callback(
    Output(ids.DIMENSION, "figure"),
    Input(URL, "search"),
    Input(ids.DIMENSION_BY, "value"),
    Input(ids.DIMENSION_METRIC, "value"),
)
def category_dimension(search, dimension, metric):
    dimension = chosen(dimension, ids.DIMENSION_OPTIONS)
    filters = common.filters_from_search(search)
    frame = common.load(metrics.breakdown, dimension, filters, common.settings())
    # Any metric the breakdown has; its unit, label and axis come from the catalogue.
    metric = metric if metric in BREAKDOWN_COLUMNS and metric in catalogue.CATALOGUE else "roas"
    if dimension == "tier" and frame is not None and not frame.empty:  # tiers in size order, Nano on top
        frame = frame.sort_values("tier", key=lambda tiers: tiers.map(figures.tier_key), ascending=False)
    return figures.dimension_bar(
        frame, dimension, metric, height=320, reference=1.0 if metric == "roas" else None, sort=dimension != "tier"
    )
