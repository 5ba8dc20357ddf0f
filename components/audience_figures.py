"""Figure builders of the audience views (creator page, /audience, the one-creator PDF): pure
functions of the frames metrics.audience returns, in the house look of components/figures.py."""

from __future__ import annotations

import pandas as pd

from components.audience_notes import segment_rows
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


def segment_roas(
    table: pd.DataFrame, height: int = 320, title: str | None = None, dimension: str | None = None
) -> dict:
    """ROAS by audience segment (metrics.audience.audience_segments of `dimension`), break-even marked."""
    if _is_empty(table):
        return empty_figure(
            f"No creator with {segment_rows(dimension)} has sales or spend in the selection", height=height
        )
    return dimension_bar(table, "segment", "roas", height=height, title=title, reference=1.0)


NOT_MATCHED = " (not matched)"


def _region_label(region, matched) -> str:
    """A region's label; a name no state matched says so (metrics.audience.region_comparison)."""
    return safe_text(region) + (NOT_MATCHED if matched is False else "")


TOP_REGIONS = 12  # ranked rows drawn; the rest is one "N other regions" row (readable at 390 px)
REGION_ROW_PX = 34  # two bars per row: 15 px each, their labels beside them


def top_regions(frame: pd.DataFrame, top: int = TOP_REGIONS) -> pd.DataFrame:
    """A region_comparison frame cut to its `top` first regions, the rest (but the audience's unlisted
    places, which stay last) folded into one row "N other regions": its shares are the sums of theirs
    (shares of one total add up), None on a side none of them has. Columns: region, matched,
    audience_share, sales_share, folded (the regions a folded row holds, else an empty list)."""
    unlisted = frame["matched"].isna() if len(frame) else pd.Series(dtype=bool)
    ranked, last = frame[~unlisted], frame[unlisted]
    kept = ranked.iloc[:top].assign(folded=[[] for _ in range(min(top, len(ranked)))])
    rest = ranked.iloc[top:]
    if len(rest) > 1:
        folded = {
            "region": f"{len(rest)} other regions",
            "matched": None,
            "audience_share": _share_sum(rest["audience_share"]),
            "sales_share": _share_sum(rest["sales_share"]),
            "folded": list(rest["region"]),
        }
        kept = pd.concat([kept, pd.DataFrame([folded])], ignore_index=True)
    elif len(rest):
        kept = pd.concat([kept, rest.assign(folded=[[]])], ignore_index=True)
    tail = last.assign(folded=[[] for _ in range(len(last))])
    columns = ["region", "matched", "audience_share", "sales_share", "folded"]
    return pd.concat([kept[columns], tail[columns]], ignore_index=True)


def _share_sum(shares: pd.Series) -> float | None:
    present = [float(v) for v in shares if v is not None and not pd.isna(v)]
    return sum(present) if present else None


def regions_height(frame: pd.DataFrame, least: int = 220) -> int:
    """The height (px) of regions_against_sales for a region_comparison frame: a row per region drawn."""
    return max(least, 90 + REGION_ROW_PX * len(top_regions(frame)))


def _folded_hover(row) -> str:
    names = [safe_text(name) for name in row["folded"]]
    lines = [", ".join(names[i : i + 4]) for i in range(0, len(names), 4)]
    return _region_label(row["region"], row["matched"]) + ("<br>" + "<br>".join(lines) if lines else "")


def regions_against_sales(frame: pd.DataFrame, height: int = 380, title: str | None = None) -> dict:
    """Ranked bars of where the selection's audience is (revenue-weighted) beside where its sales
    come from (metrics.audience.region_comparison: region, matched, audience_share, sales_share),
    largest first, the TOP_REGIONS first regions and the rest summed in one row (top_regions; its
    hover names them); a side without values draws no bars. Size it with regions_height."""
    if _is_empty(frame):
        return empty_figure("No audience place or sales region in the selection", height=height)
    shown = top_regions(frame).iloc[::-1]
    labels = [_region_label(r, m) for r, m in zip(shown["region"], shown["matched"])]
    hovers = [_folded_hover(row) for row in shown.to_dict("records")]
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
                textposition="outside",  # beside the bar, at the chart's font size (inside, it shrank to fit)
                textfont=dict(size=11),
                cliponaxis=False,
                hovertext=hovers,
                hovertemplate="%{hovertext}: %{text}<extra>" + safe_text(metric.label) + "</extra>",
            )
        )
    _value_axis(fig, catalogue.get("audience_revenue_share"), drawn, "xaxis")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, automargin=True)
    longest = max((v for v in drawn if v is not None), default=0.0)
    fig.update_xaxes(range=[0, longest * 1.18 or 1])  # room for the share beside the longest bar
    return _layout(fig, height=height, title=title)
