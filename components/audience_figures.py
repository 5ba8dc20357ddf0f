"""Figure builders of the audience views (creator page, /audience, the one-creator PDF): pure
functions of the frames metrics.audience returns, in the house look of components/figures.py."""

from __future__ import annotations

import pandas as pd

from components.figures import (
    OKABE_ITO,
    _is_empty,
    _layout,
    _value_axis,
    _values,
    dimension_bar,
    empty_figure,
    safe_text,
)
from components.plot import Figure, trace
from metrics import catalogue


def audience_shares(frame: pd.DataFrame, height: int = 240, title: str | None = None) -> dict:
    """A creator's audience by age band, gender or place (metrics.audience.creator_audience: value,
    weight), as horizontal bars of shares in the frame's order (largest first, "Other places" last)."""
    if _is_empty(frame):
        return empty_figure(height=height)
    bars = frame.rename(columns={"weight": "audience_share"}).iloc[::-1]
    return dimension_bar(bars, "value", "audience_share", height=height, title=title, sort=False)


def segment_roas(table: pd.DataFrame, height: int = 320, title: str | None = None) -> dict:
    """ROAS by audience segment (metrics.audience.audience_segments), break-even marked."""
    if _is_empty(table):
        return empty_figure("No creator with audience rows has sales or spend in the selection", height=height)
    return dimension_bar(table, "segment", "roas", height=height, title=title, reference=1.0)


NOT_MATCHED = " (not matched)"


def _region_label(region, matched) -> str:
    """A region's label; a name no state matched says so (metrics.audience.region_comparison)."""
    return safe_text(region) + (NOT_MATCHED if matched is False else "")


def regions_against_sales(frame: pd.DataFrame, height: int = 380, title: str | None = None) -> dict:
    """Ranked bars of where the selection's audience is (revenue-weighted) beside where its sales
    come from (metrics.audience.region_comparison: region, matched, audience_share, sales_share),
    largest first; a side without values draws no bars."""
    if _is_empty(frame):
        return empty_figure("No audience place or sales region in the selection", height=height)
    shown = frame.iloc[::-1]
    labels = [_region_label(r, m) for r, m in zip(shown["region"], shown["matched"])]
    fig = Figure()
    drawn: list = []
    for column, key, colour in (
        ("audience_share", "audience_revenue_share", OKABE_ITO[0]),
        ("sales_share", "sales_region_share", OKABE_ITO[1]),
    ):
        metric = catalogue.get(key)
        values = _values(shown, column)
        if all(v is None for v in values):
            continue
        drawn += values
        fig.add_trace(
            trace(
                "bar",
                orientation="h",
                name=safe_text(metric.label),
                y=labels,
                x=[float("nan") if v is None else v for v in values],
                marker=dict(color=colour),
                text=[metric.short(v) if v is not None else "" for v in values],
                textposition="auto",
                hovertemplate="%{y}: %{text}<extra>" + safe_text(metric.label) + "</extra>",
            )
        )
    _value_axis(fig, catalogue.get("audience_revenue_share"), drawn, "xaxis")
    fig.update_layout(barmode="group")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, automargin=True)
    return _layout(fig, height=height, title=title)
