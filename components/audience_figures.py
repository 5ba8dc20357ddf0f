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


def regions_against_sales(frame: pd.DataFrame, height: int = 380, title: str | None = None) -> dict:
    """Ranked bars of where the selection's audience is (revenue-weighted, metrics.audience.
    region_comparison) beside where its sales are, when the sales carry a place."""
    if _is_empty(frame):
        return empty_figure("No creator of the selection has places in the audience file", height=height)
    shown = frame.iloc[::-1]
    labels = [safe_text(v) for v in shown["region"]]
    metric = catalogue.get("audience_revenue_share")
    audience = _values(shown, "audience_share")
    fig = Figure(
        trace(
            "bar",
            orientation="h",
            name=safe_text(metric.label),
            y=labels,
            x=[float("nan") if v is None else v for v in audience],
            marker=dict(color=OKABE_ITO[0]),
            text=[metric.short(v) for v in audience],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    sales = _values(shown, "sales_share")
    if any(v is not None for v in sales):
        fig.add_trace(
            trace(
                "bar",
                orientation="h",
                name="Sales there",
                y=labels,
                x=[float("nan") if v is None else v for v in sales],
                marker=dict(color=OKABE_ITO[1]),
                text=[metric.short(v) for v in sales],
                textposition="auto",
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    _value_axis(fig, metric, audience + sales, "xaxis")
    fig.update_layout(barmode="group")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels)
    return _layout(fig, height=height, title=title)
