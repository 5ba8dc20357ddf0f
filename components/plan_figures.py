"""Figure builders of the budget plan (/plan and the PDF's plan section): pure functions of the
frames metrics.planning returns, in the house look of components/figures.py."""

from __future__ import annotations

import pandas as pd

from components.figures import (
    NARROW_AXIS_TICKS,
    OKABE_ITO,
    SERIES_COLOURS,
    _is_empty,
    _layout,
    _money_axis,
    _values,
    empty_figure,
    safe_text,
)
from components.plot import Figure, trace
from metrics import catalogue
from metrics import format as fmt

# /plan's two charts (a row on a wide screen): room for the curves' legend above the plot, on a
# phone four rows of names, and still a plot area of about 250 px
CHART_HEIGHT = 440


def response_curves(points: pd.DataFrame, height: int = 380, title: str | None = None) -> dict:
    """Each unit's response curve (expected incremental revenue against spend; metrics.planning.
    curve_points) with today's spend (open circle) and the planned spend (filled diamond)."""
    if _is_empty(points):
        return empty_figure(height=height)
    marks = points.attrs.get("marks", pd.DataFrame()).set_index("unit")
    label = catalogue.get("expected_incremental_revenue").label
    fig = Figure()
    values: list = []
    for i, (unit, curve) in enumerate(points.groupby("unit", sort=False)):
        shown = curve["name"].iloc[0] if "name" in curve else unit  # the allocation table's names, not ids
        colour, name = OKABE_ITO[i % len(OKABE_ITO)], safe_text(shown)
        values += _values(curve, "expected")
        fig.add_trace(
            trace(
                "scatter",
                x=_values(curve, "spend"),
                y=_values(curve, "expected"),
                mode="lines",
                name=name,
                legendgroup=name,
                line=dict(color=colour, width=2),
                customdata=[
                    [fmt.inr_compact(s), fmt.inr_compact(e), fmt.inr_compact(lo), fmt.inr_compact(h)]
                    for s, e, lo, h in curve[["spend", "expected", "low", "high"]].to_numpy()
                ],
                hovertemplate=f"{name}<br>spend %{{customdata[0]}}<br>{label} %{{customdata[1]}} "
                "(%{customdata[2]} to %{customdata[3]})<extra></extra>",
            )
        )
        if unit in marks.index:
            mark = marks.loc[unit]
            for kind, spend, expected, symbol in (
                ("today", mark["current_spend"], mark["current_expected"], "circle-open"),
                ("planned", mark["planned_spend"], mark["expected"], "diamond"),
            ):
                fig.add_trace(
                    trace(
                        "scatter",
                        x=[float(spend)],
                        y=[float(expected)],
                        mode="markers",
                        name=f"{name} {kind}",
                        legendgroup=name,
                        showlegend=False,
                        marker=dict(color=colour, size=11, symbol=symbol, line=dict(width=2, color=colour)),
                        hovertemplate=f"{name} {kind}: spend {fmt.inr(spend)}, {label} {fmt.inr(expected)}<extra></extra>",
                    )
                )
    # no y title: the card's subtitle names the axis, and its width is the plot's on a phone
    _money_axis(fig, values, "yaxis")
    # three level ₹ ticks: five ("₹0 ₹20 L … ₹80 L") ran together under a phone's 340 px plot
    _money_axis(fig, _values(points, "spend"), "xaxis", "Spend", target=NARROW_AXIS_TICKS)
    out = _layout(fig, height=height, title=title)
    # The legend above the plot, wrapping onto as many rows as the width needs, with the marks' key
    # as its title: at the right (as before) eight names left a phone (390 px) a plot 130 px wide,
    # and the key drawn inside the plot lay over the curves.
    out["layout"]["legend"] |= dict(
        font=dict(size=11),
        maxheight=1,  # every name shown, never in a scrolling box
        title=dict(text=CURVE_MARKS_KEY, side="top", font=dict(color="#6c757d")),
    )
    return out


CURVE_MARKS_KEY = "○ today · ◆ planned"  # the legend's title: what the marks on each curve are


def projection(frame: pd.DataFrame, height: int = 300, title: str | None = None) -> dict:
    """Next period's spend and attributed revenue (with its interval) under today's and the
    planned allocation (metrics.planning.projection): grouped bars."""
    if _is_empty(frame):
        return empty_figure(height=height)
    names = [{"today": "Today's allocation", "planned": "Planned"}.get(a, safe_text(a)) for a in frame["allocation"]]
    revenue, low, high, spend = (_values(frame, c) for c in ("revenue", "revenue_low", "revenue_high", "spend"))
    fig = Figure(
        trace(
            "bar",
            x=names,
            y=spend,
            name="Spend",
            marker=dict(color=SERIES_COLOURS["spend"]),
            text=[fmt.inr_compact(v) for v in spend],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{x}: spend %{text}<extra></extra>",
        ),
        trace(
            "bar",
            x=names,
            y=revenue,
            name="Revenue",
            marker=dict(color=SERIES_COLOURS["revenue"]),
            error_y=dict(
                type="data",
                symmetric=False,
                array=[h - r for h, r in zip(high, revenue)],
                arrayminus=[r - lo for r, lo in zip(revenue, low)],
                color="#212529",
                thickness=1.5,
            ),
            text=[fmt.inr_compact(v) for v in revenue],
            # mid-bar, clear of the interval's cap at the bar's top (a narrow bar turns the label
            # upright against it at 390 px)
            textposition="inside",
            insidetextanchor="middle",
            customdata=[[fmt.inr(lo), fmt.inr(h)] for lo, h in zip(low, high)],
            hovertemplate="%{x}: revenue %{text} (%{customdata[0]} to %{customdata[1]})<extra></extra>",
        ),
    )
    fig.update_layout(barmode="group", bargap=0.3)
    _money_axis(fig, spend + revenue + high, "yaxis", "Next period")
    return _layout(fig, height=height, title=title)
