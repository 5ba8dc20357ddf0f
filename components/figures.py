"""Plotly figure builders: pure functions DataFrame -> figure dict (`{"data": […], "layout": {…}}`).

Shared by the dashboard pages and the PDF report (reports/), so nothing here imports Dash.
Every builder accepts the DataFrames the metrics package returns (see docs/architecture.md),
tolerates missing optional columns and empty frames (an empty frame gives a figure that says
"No data for these filters"), and never plots inf/NaN: undefined ratios are left out of bars
and shown as "—" in labels and hovers.

Conventions
- one colour per platform everywhere (PLATFORM_COLOURS, Okabe–Ito colour-blind-safe palette);
  revenue / spend / ROAS series keep their colours across charts (SERIES_COLOURS);
- money axes are labelled in ₹ with lakh / crore short forms (₹5 L, ₹1.5 Cr) via explicit
  tick values, and hovers show Indian-grouped full amounts;
- user text (influencer names, campaigns, captions) is HTML-escaped before it reaches plotly,
  whose labels understand a subset of HTML: names are always shown as typed.
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np
import pandas as pd

from components.plot import Figure, trace
from metrics import catalogue
from metrics import format as fmt

# Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

PLATFORM_COLOURS = {
    "Instagram": "#CC79A7",
    "YouTube": "#D55E00",
    "Facebook": "#0072B2",
    "Twitter": "#56B4E9",
    "X": "#56B4E9",
    "TikTok": "#009E73",
    "Unknown": "#8C8C8C",
}
_EXTRA_COLOURS = ["#E69F00", "#000000", "#F0E442", "#6A3D9A", "#B15928", "#1F78B4"]

SERIES_COLOURS = {
    "revenue": "#0072B2",
    "spend": "#E69F00",
    "roas": "#009E73",
    "incremental_revenue": "#56B4E9",
    "orders": "#CC79A7",
}

BASIS_COLOURS = {
    "post": "#0072B2",
    "order": "#E69F00",
    "commission": "#009E73",
    "hybrid": "#CC79A7",
    "gifted": "#56B4E9",
    "other": "#8C8C8C",
}

TIER_ORDER = [name.lower() for name in catalogue.TIER_NAMES] + ["unknown"]


def tier_key(value) -> tuple:
    """Sort key putting follower tiers in size order (Nano … Mega, Unknown last), any case."""
    text = str(value)
    lowered = text.lower()
    return (TIER_ORDER.index(lowered) if lowered in TIER_ORDER else len(TIER_ORDER), text)


# Sequential scale for ROAS heatmaps: light to dark blue (readable by all common CVD types).
ROAS_SCALE = [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
# A heatmap cell without a figure: neutral grey (Bootstrap's gray-200), apart from the scale's
# bluish white at its low end, so an empty cell reads as empty rather than as a low ROAS.
EMPTY_CELL = "#E9ECEF"

# The pages' stack (assets/app.css): Indian scripts from Noto Sans <script> (vendored for the pages,
# Debian fonts-noto-core for kaleido's Chromium), emoji from the system's emoji font.
FONT_FAMILY = (
    '"Noto Sans", "Noto Sans Devanagari", "Noto Sans Bengali", "Noto Sans Gurmukhi", "Noto Sans Gujarati", '
    '"Noto Sans Tamil", "Noto Sans Telugu", "Noto Sans Kannada", "Noto Sans Malayalam", system-ui, '
    '-apple-system, "Segoe UI", Roboto, Arial, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", '
    "sans-serif"
)
NO_DATA = "No data for these filters"
NOTHING_TO_DRAW = "Nothing to draw: every value is 0 or undefined for these filters"


def platform_colours(names) -> dict:
    """Stable colour for each name: known platforms keep theirs, others take the extra palette."""
    out, extra = {}, 0
    for name in names:
        if name in out:
            continue
        if name in PLATFORM_COLOURS:
            out[name] = PLATFORM_COLOURS[name]
        else:
            out[name] = _EXTRA_COLOURS[extra % len(_EXTRA_COLOURS)]
            extra += 1
    return out


def safe_text(value) -> str:
    """User text for plotly labels: plotly renders a subset of HTML, so escape it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=False)


def _label(key: str) -> str:
    """A metric's label in a hover or legend (metrics/catalogue.py)."""
    return catalogue.get(key).label


def _values(frame: pd.DataFrame, column: str) -> list:
    """Column as a list of finite floats or None (None where missing/NaN/inf or no such column)."""
    if column not in frame.columns:
        return [None] * len(frame)
    numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return [v if math.isfinite(v) else None for v in numbers.tolist()]


def _plot_values(values: list) -> list:
    """None -> NaN for plotly traces that must skip undefined points (plotly draws no bar)."""
    return [float("nan") if v is None else v for v in values]


def _is_empty(frame) -> bool:
    return frame is None or not isinstance(frame, pd.DataFrame) or frame.empty


GRID = "#EBF0F8"
BAD_COLOUR = "#D55E00"  # Okabe-Ito vermillion: what falls below a bar  # plotly_white's grid colour


def _layout(
    fig: Figure, height: int = 360, legend: bool = True, title: str | None = None, legend_at_right: bool = False
) -> dict:
    """The house look (plotly_white's, set directly rather than through its large template), as a dict."""
    fig.update_layout(
        template={},  # no template: neither plotly.js nor go.Figure(figure) adds one
        height=height,
        margin=dict(l=8, r=8, t=36 if title else 12, b=8),
        font=dict(family=FONT_FAMILY, size=12, color="#212529"),
        title=dict(text=title, x=0, xanchor="left", font=dict(size=14)) if title else None,
        showlegend=legend,
        legend=dict(orientation="v", yanchor="middle", y=0.5, xanchor="left", x=1.02)
        if legend_at_right
        else dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        separators=".,",
        uirevision="keep",
    )
    axis_style = dict(automargin=True, gridcolor=GRID, zerolinecolor=GRID, linecolor=GRID, ticks="", zerolinewidth=2)
    fig.update_xaxes(**axis_style)
    fig.update_yaxes(**axis_style)
    return fig.to_dict()


def empty_figure(message: str = NO_DATA, height: int = 360) -> dict:
    fig = Figure()
    fig.add_annotation(
        text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=14, color="#6c757d")
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=height, legend=False)


def _money_axis(fig: Figure, values, axis: str = "yaxis", title: str | None = None, target: int = 5) -> None:
    """Explicit ₹ tick labels (each in its own unit: ₹50,000 · ₹1 L · ₹1.5 L) for a money axis;
    `target`: about how many steps (fmt.nice_ticks)."""
    _explicit_axis(fig, values, axis, title, fmt.money_ticks, target=target)


def _count_axis(fig: Figure, values, axis: str = "xaxis", title: str | None = None) -> None:
    """Explicit tick labels in Indian units (50,000 · 1 L · 86 L) for a count axis (no 8.6M)."""
    _explicit_axis(fig, values, axis, title, lambda ticks: [fmt.followers(t) for t in ticks], whole=True)


def _explicit_axis(
    fig: Figure, values, axis: str, title: str | None, labels, whole: bool = False, target: int = 5
) -> None:
    finite = [v for v in (fmt.clean(x) for x in values) if v is not None]
    ticks = fmt.nice_ticks(min(finite, default=0.0), max(finite, default=0.0), target=target, whole=whole)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    fig.update_layout(
        {
            axis: dict(
                tickmode="array",
                tickvals=ticks,
                ticktext=labels(ticks),
                range=[ticks[0] - (step * 0.02 if ticks[0] < 0 else 0), ticks[-1] + step * 0.04],
                title=dict(text=title) if title else None,
            )
        }
    )


def _value_axis(fig: Figure, metric: catalogue.Metric, values, axis: str = "xaxis") -> None:
    """The axis of a metric, by its catalogue unit: ₹ ticks, counts in Indian units, ×, % or share."""
    kind = metric.unit.axis
    if kind == "money":
        _money_axis(fig, values, axis)
    elif kind == "count":
        _count_axis(fig, values, axis)
    else:
        suffix = {"ratio": dict(ticksuffix="x"), "pct": dict(ticksuffix="%"), "share": dict(tickformat=".0%")}[kind]
        fig.update_layout({axis: dict(rangemode="tozero", **suffix)})


def metric_labels(metric: catalogue.Metric, values: list) -> list[str]:
    """Bar labels of a metric's values, by its catalogue unit: money in lakh / crore when the
    largest is a lakh or more, else in full (paise when every value is under ₹100, so ₹0.45 per
    follower does not read ₹0); other units as the catalogue formats them."""
    if metric.unit is catalogue.INR:
        largest = max((abs(v) for v in (fmt.clean(x) for x in values) if v is not None), default=0)
        if largest >= fmt.LAKH:
            return [fmt.inr_compact(v) for v in values]
        return [fmt.inr(v, 2 if largest < 100 else 0) for v in values]
    return [metric.text(v) for v in values]


MAX_DATE_TICKS = 5  # labelled periods on a time axis: five "20 Jan" fit a phone's width (390 px)


def _tick_texts(ticks: list, monthly: bool) -> list[str]:
    """'Jan' or '6 Jan' per tick, with '<br>2025' under the first and wherever the year changes."""
    years = [None] + [d.year for d in ticks[:-1]]
    return [
        (f"{d:%b}" if monthly else f"{d.day} {d:%b}") + (f"<br>{d.year}" if d.year != y else "")
        for d, y in zip(ticks, years)
    ]


def _date_axis(fig: Figure, x: list, axis: str = "xaxis") -> None:
    """Dates as everywhere else ('5 Jan 2025'; months 'Jan 2025') in hovers, and on ticks short and
    always horizontal: plotly tilts one-line dates on a phone's width (390 px), where they are hard
    to read. Months and weeks are ticked on the periods themselves (every k-th of the whole range,
    at most MAX_DATE_TICKS, evenly spaced however sparse the data), so a tick sits on a period (a
    week's Monday, not plotly's Sunday) and no month is labelled twice on a short range, with the
    year under the first tick and where it changes ('5 Jan' over '2025', then '9 Mar'); days keep
    plotly's ticks ('5 Jan' over '2025'), at most MAX_DATE_TICKS of them. Where a narrow plot area
    still cannot hold the labels, the browser thins them (assets/date_ticks.js)."""
    try:
        days = sorted({pd.Timestamp(v) for v in x if v})
    except ValueError:  # periods that are not dates stay a category axis
        return
    gaps = [(b - a).days for a, b in zip(days, days[1:])]
    monthly = bool(days) and all(d.day == 1 for d in days) and min(gaps, default=28) >= 28
    weekly = not monthly and bool(days) and all(d.weekday() == 0 for d in days) and min(gaps, default=7) >= 7
    form = "%b %Y" if monthly else "%-d %b %Y"
    tick_form = "%b<br>%Y" if monthly else "%-d %b<br>%Y"
    layout = dict(type="date", tickformat=tick_form, hoverformat=form, tickangle=0, nticks=MAX_DATE_TICKS)
    if monthly or weekly:
        # Every k-th period of the whole range, not of the periods with data: a creator's sparse
        # weeks ticked by data bunched two labels into one ("30 Dec10 Feb" on a phone).
        every = pd.date_range(days[0], days[-1], freq="MS" if monthly else "7D")
        ticks = list(every[:: math.ceil(len(every) / MAX_DATE_TICKS)])
        layout.update(
            tickmode="array",
            tickvals=[d.strftime("%Y-%m-%d") for d in ticks],
            ticktext=_tick_texts(ticks, monthly),
        )
    fig.update_layout({axis: layout})


def _period_labels(frame: pd.DataFrame, column: str = "period") -> list:
    """Periods as ISO dates (plotly.js makes a date axis of them), or as text if they are not dates."""
    values = frame[column] if column in frame.columns else pd.Series(range(len(frame)))
    try:
        parsed = pd.to_datetime(values)
    except (ValueError, TypeError):
        return [str(v) for v in values]
    return [None if pd.isna(day) else day.strftime("%Y-%m-%d") for day in parsed]


# --- overview -------------------------------------------------------------------------------


def partial_note(ts: pd.DataFrame | None) -> str | None:
    """What revenue_spend_over_time's hatching means, for the text beside the chart (the page's note,
    the PDF's caption: one wording), where `ts` has a partial period; None where none is."""
    if ts is None or "partial" not in ts.columns or not ts["partial"].any():
        return None
    return "Hatched: partial period (the data or the selected dates cover only part of it" + (
        ", or a window of its posts is still open)." if ts.attrs.get("basis") == "cohort" else ")."
    )


def revenue_spend_over_time(ts: pd.DataFrame, height: int = 360, title: str | None = None) -> dict:
    """Revenue and spend bars per period with pooled ROAS (revenue / spend) on a second axis.

    Where `ts` has them (metrics.cohorts.time_series): a dashed rolling ROAS line (`rolling_roas`),
    and hatched bars with "partial" in the hover for periods whose figures are incomplete (`partial`).
    Where no period has a ROAS (no spend: a creator paid nothing) there is no ROAS line and no second
    axis (an empty 0x–4x axis reads as a measured ROAS of zero); the pages' note says why
    (callbacks.overview.undated_note)."""
    if _is_empty(ts):
        return empty_figure(height=height)
    x = _period_labels(ts)
    revenue, spend, roas = _values(ts, "revenue"), _values(ts, "spend"), _values(ts, "roas")
    partial = [bool(v) for v in ts["partial"]] if "partial" in ts.columns else [False] * len(ts)
    note = ["" if not p else " (partial period)" for p in partial]
    fig = Figure()
    for name, values, key in (("Revenue", revenue, "revenue"), ("Spend", spend, "spend")):
        fig.add_trace(
            trace(
                "bar",
                x=x,
                y=[v or 0 for v in values],
                name=name,
                marker=dict(
                    color=SERIES_COLOURS[key],
                    pattern=dict(shape=["/" if p else "" for p in partial], solidity=0.45),
                ),
                customdata=[fmt.inr(v) + n for v, n in zip(values, note)],
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
            )
        )
    rolling = _values(ts, "rolling_roas")
    if any(v is not None for v in roas + rolling):
        _roas_lines(fig, x, roas, rolling)
    fig.update_layout(barmode="group", bargap=0.25, hovermode="x unified")
    _money_axis(fig, revenue + spend, "yaxis", "Revenue and spend")
    _date_axis(fig, x)
    return _layout(fig, height=height, title=title)


def _roas_lines(fig: Figure, x: list, roas: list, rolling: list) -> None:
    """The ROAS line of revenue_spend_over_time (and its rolling 4 weeks where defined) on a second axis."""
    fig.add_trace(
        trace(
            "scatter",
            x=x,
            y=_plot_values(roas),
            name=_label("roas"),
            yaxis="y2",
            mode="lines+markers",
            line=dict(color=SERIES_COLOURS["roas"], width=2),
            marker=dict(size=6),
            connectgaps=False,
            customdata=[fmt.ratio(v) for v in roas],
            hovertemplate=_label("roas") + ": %{customdata}<extra></extra>",
        )
    )
    if any(v is not None for v in rolling):
        fig.add_trace(
            trace(
                "scatter",
                x=x,
                y=_plot_values(rolling),
                name="ROAS, rolling 4 weeks",
                yaxis="y2",
                mode="lines",
                line=dict(color=SERIES_COLOURS["roas"], width=2, dash="dash"),
                connectgaps=False,
                customdata=[fmt.ratio(v) for v in rolling],
                hovertemplate="ROAS, rolling 4 weeks: %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(
        yaxis2=dict(
            overlaying="y",
            side="right",
            showgrid=False,
            rangemode="tozero",
            tickmode="auto",
            nticks=6,
            ticksuffix="x",
            title=dict(text=_label("roas")),
        ),
    )


SHARE_NOTE_WRAP = 44  # characters a line of the note drawn in a donut's place (it fits 390 px)


def platform_share(df: pd.DataFrame, value: str = "revenue", height: int = 320, title: str | None = None) -> dict:
    """Donut of each platform's share of revenue (or spend). Where a platform's amount is below zero
    or the whole is not above it (refunds exceed sales), no donut: a note saying so instead
    (metrics.catalogue.share_chart_gap), never a slice of a negative whole."""
    if _is_empty(df) or "platform" not in df.columns:
        return empty_figure(height=height)
    amounts = _values(df, value)
    if not any(v for v in amounts if v):
        return empty_figure(height=height)
    names = [str(p) for p in df["platform"]]
    gap = catalogue.share_chart_gap(names, amounts, _label(value).lower())
    if gap:
        return empty_figure(wrapped_label(gap, SHARE_NOTE_WRAP), height=height)
    colours = platform_colours(names)
    total = sum(v for v in amounts if v)
    fig = Figure(
        trace(
            "pie",
            labels=[safe_text(n) for n in names],
            values=[v or 0 for v in amounts],
            hole=0.58,
            marker=dict(colors=[colours[n] for n in names], line=dict(color="#ffffff", width=2)),
            sort=True,
            direction="clockwise",
            texttemplate="%{percent:.1%}",
            textposition="inside",
            customdata=[fmt.inr(v) for v in amounts],
            hovertemplate="%{label}: %{customdata} (%{percent})<extra></extra>",
        )
    )
    fig.add_annotation(
        text=f"{fmt.inr_compact(total)}<br><span style='font-size:11px'>{value}</span>",
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=15),
    )
    return _layout(fig, height=height, title=title, legend_at_right=True)


def top_influencers(
    ranking: pd.DataFrame, n: int = 10, metric: str = "revenue", height: int = 360, title: str | None = None
) -> dict:
    """Horizontal bars of the n influencers with the highest `metric` (revenue by default)."""
    if _is_empty(ranking) or metric not in ranking.columns:
        return empty_figure(height=height)
    wanted = [c for c in ("influencer_id", "name", "platform", "roas") if c in ranking.columns and c != metric]
    frame = ranking[wanted + [metric]].assign(_v=_values(ranking, metric))
    frame = frame[frame["_v"].notna() & (pd.to_numeric(frame["_v"], errors="coerce") != 0)]  # a bar to draw
    if frame.empty:
        return empty_figure(NOTHING_TO_DRAW, height=height)
    sort_cols = ["_v"] + (["influencer_id"] if "influencer_id" in frame.columns else [])
    frame = frame.sort_values(sort_cols, ascending=[False] + [True] * (len(sort_cols) - 1)).head(n)
    frame = frame.iloc[::-1]  # largest on top
    names = [safe_text(v) for v in (frame["name"] if "name" in frame.columns else frame["influencer_id"])]
    # Same-named creators stay distinct bars.
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    platforms = [str(p) for p in frame["platform"]] if "platform" in frame.columns else ["Unknown"] * len(frame)
    colours = platform_colours(sorted(set(platforms)))
    described = catalogue.get(metric)
    values = frame["_v"].tolist()
    text = metric_labels(described, values)
    roas = _values(frame, "roas")
    fig = Figure()
    for platform in sorted(set(platforms)):
        idx = [i for i, p in enumerate(platforms) if p == platform]
        fig.add_trace(
            trace(
                "bar",
                orientation="h",
                y=[labels[i] for i in idx],
                x=[values[i] for i in idx],
                name=safe_text(platform),
                marker=dict(color=colours[platform]),
                text=[text[i] for i in idx],
                textposition="auto",
                cliponaxis=False,
                customdata=[[described.text(values[i]), fmt.ratio(roas[i])] for i in idx],
                hovertemplate="%{y}<br>"
                + described.label
                + ": %{customdata[0]}<br>"
                + _label("roas")
                + ": %{customdata[1]}<extra></extra>",
            )
        )
    fig.update_layout(barmode="overlay", yaxis=dict(categoryorder="array", categoryarray=labels))
    _value_axis(fig, described, values, "xaxis")
    return _layout(fig, height=height, title=title)


# --- platforms --------------------------------------------------------------------------------


def _dimension_labels(df: pd.DataFrame, dim: str) -> list[str]:
    return [str(v) for v in df[dim]] if dim in df.columns else [""] * len(df)


def roas_by_platform(df: pd.DataFrame, dim: str = "platform", height: int = 320, title: str | None = None) -> dict:
    """Pooled ROAS (revenue / spend) per platform; undefined ROAS (no spend) shows '—' and no bar."""
    return dimension_bar(df, dim=dim, metric="roas", height=height, title=title, reference=1.0)


def dimension_bar(
    df: pd.DataFrame,
    dim: str,
    metric: str,
    height: int = 320,
    title: str | None = None,
    reference: float | None = None,
    sort: bool = True,
    colour_by_platform: bool | None = None,
    wrap: int | None = None,
) -> dict:
    """Horizontal bar of one metric per value of one dimension (ROAS, CAC, revenue…); `wrap`: labels
    broken into lines of at most that many characters (wrapped_label)."""
    if _is_empty(df) or dim not in df.columns:
        return empty_figure(height=height)
    frame = df.copy()
    frame["_v"] = _values(frame, metric)
    if sort:
        frame = frame.sort_values("_v", ascending=True, na_position="first")
    labels = _dimension_labels(frame, dim)
    values = frame["_v"].tolist()
    if not any(v is not None and not (isinstance(v, float) and math.isnan(v)) for v in values):
        return empty_figure("Undefined for these filters (no denominator)", height=height)
    if not any(fmt.clean(v) for v in values):  # names without bars say nothing
        return empty_figure(NOTHING_TO_DRAW, height=height)
    values = [fmt.clean(v) for v in values]
    described = catalogue.get(metric)  # units come from the catalogue, never from a list kept here
    text = metric_labels(described, values)
    by_platform = colour_by_platform if colour_by_platform is not None else dim == "platform"
    if by_platform:
        colours = platform_colours(labels)
        marker = [colours[label] for label in labels]
    else:
        marker = SERIES_COLOURS.get(metric.replace("_share", "").replace("incremental_", ""), OKABE_ITO[0])
    shown = [wrapped_label(v, wrap) if wrap else safe_text(v) for v in labels]
    fig = Figure(
        trace(
            "bar",
            orientation="h",
            y=shown,
            x=[0.0 if v is None else v for v in values],
            marker=dict(color=marker),
            text=text,
            textposition=bar_text_positions(values),
            textangle=0,  # a label too long for a narrow bar goes beside it, never turned sideways
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    if reference is not None:
        fig.add_vline(
            x=reference,
            line=dict(color="#6c757d", dash="dot", width=1),
            text="break-even" if metric == "roas" else None,
            font_size=10,
        )
    _value_axis(fig, described, values, "xaxis")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=shown)
    return _layout(fig, height=height, legend=False, title=title)


def bar_text_positions(values: list) -> list[str]:
    """Where each bar's label goes: beside a zero-length bar (0.00x, or an undefined value drawn
    as an empty bar reading "—"), since plotly's "auto" puts no text on a bar without length and
    the reader would take it for "no data"; "auto" (inside when it fits) elsewhere."""
    return ["outside" if not v else "auto" for v in values]


def engagement_by_platform(
    df: pd.DataFrame, metric: str = "engagement_rate_pct", height: int = 320, title: str | None = None
) -> dict:
    """Pooled engagement rate (engagements / reach × 100) per platform."""
    if _is_empty(df) or metric not in df.columns:
        return empty_figure(height=height)
    return dimension_bar(df, dim="platform", metric=metric, height=height, title=title)


def source_breakdown(df: pd.DataFrame, metric: str = "revenue", height: int = 320, title: str | None = None) -> dict:
    """Revenue (or orders) per tracking source (promo code, link, swipe-up, or a platform name)."""
    return dimension_bar(df, dim="source", metric=metric, height=height, title=title, colour_by_platform=False)


def payout_mix(df: pd.DataFrame, height: int = 320, title: str | None = None) -> dict:
    """Spend by payout basis (post, order, commission, hybrid, gifted, other) as a donut."""
    if _is_empty(df) or "basis" not in df.columns:
        return empty_figure(height=height)
    frame = df.copy()
    frame["_v"] = _values(frame, "spend")
    frame = frame[frame["_v"].fillna(0) > 0]
    if frame.empty:
        return empty_figure(height=height)
    names = [str(b) for b in frame["basis"]]
    fig = Figure(
        trace(
            "pie",
            labels=[safe_text(n) for n in names],
            values=frame["_v"].tolist(),
            hole=0.58,
            sort=True,
            marker=dict(
                colors=[BASIS_COLOURS.get(n, OKABE_ITO[i % 8]) for i, n in enumerate(names)],
                line=dict(color="#ffffff", width=2),
            ),
            texttemplate="%{percent:.1%}",
            textposition="inside",
            customdata=[fmt.inr(v) for v in frame["_v"]],
            hovertemplate="%{label}: %{customdata} (%{percent})<extra></extra>",
        )
    )
    fig.add_annotation(
        text=f"{fmt.inr_compact(frame['_v'].sum())}<br><span style='font-size:11px'>spend</span>",
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font=dict(size=15),
    )
    return _layout(fig, height=height, title=title, legend_at_right=True)


# --- categories -------------------------------------------------------------------------------


# The heatmap's two kinds of cell without a ROAS, as its captions (page and PDF) tell them apart.
HEATMAP_EMPTY_CELLS = "“—” = sales but no spend; blank grey = no sales or spend there"


def category_platform_heatmap(
    df: pd.DataFrame,
    x: str = "platform",
    y: str = "category",
    value: str = "roas",
    height: int = 380,
    title: str | None = None,
    poor_roas: float | None = None,
) -> dict:
    """Heatmap of pooled ROAS for each (y, x) pair, e.g. category × platform or category × tier.

    Each cell reads its ROAS and how many creators it holds (`influencers` of the frame); cells
    whose ROAS is below `poor_roas` (the poor-performer bar, Settings.poor_roas) are outlined in
    the "bad" colour. Cells without a ROAS are grey (EMPTY_CELL, a trace under the ROAS one), with no
    gridline through them: empty on purpose, not a gap in the drawing. A cell with sales but no spend
    reads "—" (and its creators), one with no sales or spend at all reads nothing (HEATMAP_EMPTY_CELLS
    says so under the chart). Returns a figure dict: data [the grey cells, the ROAS cells].
    """
    if _is_empty(df) or x not in df.columns or y not in df.columns:
        return empty_figure(height=height)
    frame = df.copy()
    frame[x] = frame[x].astype(str)
    frame[y] = frame[y].astype(str)
    xs = sorted(frame[x].unique(), key=tier_key) if x == "tier" else sorted(frame[x].unique())
    ys = sorted(frame[y].unique(), reverse=True)
    lookup = {(r[y], r[x]): r for r in frame.to_dict("records")}
    z, text, custom = [], [], []
    for yy in ys:
        z_row, t_row, c_row = [], [], []
        for xx in xs:
            row = lookup.get((yy, xx))
            v = fmt.clean(row.get(value)) if row else None
            z_row.append(float("nan") if v is None else v)
            creators = fmt.clean(row.get("influencers")) if row else None
            # the count smaller than the ROAS: "3 creators" fits a cell a fifth of a phone wide
            count = (
                ""
                if creators is None
                else f"<br><span style='font-size:9px'>{fmt.count(creators)} creator{'s' if creators != 1 else ''}</span>"
            )
            t_row.append(fmt.ratio(v) + count if row else "")
            c_row.append(
                [fmt.inr(row.get("revenue")) if row else "—", fmt.inr(row.get("spend")) if row else "—", fmt.ratio(v)]
            )
        z.append(z_row)
        text.append(t_row)
        custom.append(c_row)
    fig = Figure(
        trace(
            "heatmap",
            x=[safe_text(v) for v in xs],
            y=[safe_text(v) for v in ys],
            z=[[0.0] * len(xs) for _ in ys],
            colorscale=[[0.0, EMPTY_CELL], [1.0, EMPTY_CELL]],
            showscale=False,
            xgap=2,
            ygap=2,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        trace(
            "heatmap",
            x=[safe_text(v) for v in xs],
            y=[safe_text(v) for v in ys],
            z=z,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=11),  # fixed: fitted to the cell it shrank to 7 px on a phone
            customdata=custom,
            colorscale=ROAS_SCALE,
            zmin=0,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            # Under the cells, not beside them: on a phone (390 px) a side bar took a fifth of the
            # width and the cells' labels shrank to unreadable.
            colorbar=dict(
                title=dict(text=_label("roas"), side="top"),
                ticksuffix="x",
                thickness=10,
                orientation="h",
                x=0,
                xanchor="left",
                y=-0.02,
                yanchor="top",
                len=1,
            ),
            hovertemplate=f"%{{y}} × %{{x}}<br>{_label('roas')}: %{{customdata[2]}}<br>{_label('revenue')}: "
            f"%{{customdata[0]}}<br>{_label('spend')}: %{{customdata[1]}}<extra></extra>",
        )
    )
    below = [
        (xx, yy)
        for yy in ys
        for xx in xs
        if poor_roas is not None
        and (yy, xx) in lookup
        and (fmt.clean(lookup[(yy, xx)].get(value)) is not None)
        and fmt.clean(lookup[(yy, xx)].get(value)) < poor_roas
    ]
    # Outlined: cells under the poor-performer bar stand out beyond their colour (category axes:
    # cell i spans i ± 0.5).
    outline = dict(color=BAD_COLOUR, width=2.5)
    shapes = [
        dict(type="rect", xref="x", yref="y", line=outline, fillcolor="rgba(0,0,0,0)", layer="above", **box)
        for box in (
            dict(x0=xs.index(xx) - 0.47, x1=xs.index(xx) + 0.47, y0=ys.index(yy) - 0.45, y1=ys.index(yy) + 0.45)
            for xx, yy in below
        )
    ]
    if shapes:
        fig.update_layout(shapes=shapes)
    # gridlines of category axes run through the cells' middles: only empty cells would show them
    fig.update_xaxes(side="top", type="category", showgrid=False)
    fig.update_yaxes(type="category", showgrid=False)
    return _layout(fig, height=max(height, 120 + 46 * len(ys)), legend=False, title=title)


def follower_distribution(frame: pd.DataFrame, height: int = 320, title: str | None = None) -> dict:
    """Number of influencers per follower tier (nano … mega), stacked by platform.

    `frame` is either counts (a breakdown by tier and platform: its `influencers` column) or one
    row per influencer (a ranking).
    """
    if _is_empty(frame) or "tier" not in frame.columns:
        return empty_figure(height=height)
    frame = frame.copy()
    frame["tier"] = frame["tier"].astype(str)
    frame["platform"] = frame["platform"].astype(str) if "platform" in frame.columns else "Unknown"
    frame["n"] = pd.to_numeric(frame["influencers"]).fillna(0) if "influencers" in frame.columns else 1
    counts = frame.groupby(["tier", "platform"])["n"].sum().reset_index()
    counts = counts[counts["n"] > 0]
    if counts.empty:
        return empty_figure(height=height)
    tiers = sorted(set(counts["tier"]), key=tier_key)
    platforms = sorted(set(counts["platform"]))
    colours = platform_colours(platforms)
    fig = Figure()
    for platform in platforms:
        sub = counts[counts["platform"] == platform].set_index("tier")["n"]
        fig.add_trace(
            trace(
                "bar",
                x=tiers,
                y=[int(sub.get(t, 0)) for t in tiers],
                name=safe_text(platform),
                marker=dict(color=colours[platform]),
                hovertemplate="%{x} · " + safe_text(platform) + ": %{y} influencers<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        xaxis=dict(type="category", categoryorder="array", categoryarray=tiers, title=dict(text="Follower tier")),
        yaxis=dict(title=dict(text="Influencers"), rangemode="tozero"),
    )
    _count_axis(fig, counts.groupby("tier")["n"].sum().tolist(), "yaxis", "Influencers")
    return _layout(fig, height=height, title=title)


# --- campaigns --------------------------------------------------------------------------------


# Campaign names on a bar chart's axis: lines of at most this many characters, so that on a phone
# (390 px) the bars keep most of the width and the value axis its ticks level.
CAMPAIGN_WRAP = 20
NARROW_AXIS_TICKS = 3  # target ticks of a horizontal chart's value axis: "₹1.25 Cr" labels level on a phone


def wrapped_label(text, width: int = CAMPAIGN_WRAP) -> str:
    """User text broken into lines of at most `width` characters (words kept whole where they fit),
    each line escaped, joined with <br> (plotly's line break)."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True, break_on_hyphens=False) or [""]
    return "<br>".join(safe_text(line) for line in lines)


def campaign_roas(df: pd.DataFrame, height: int = 400, title: str | None = None) -> dict:
    """ROAS per campaign (the rows given, most revenue first), break-even marked, names wrapped."""
    rows = 0 if _is_empty(df) else len(df)  # two-line names need about 40 px a bar
    return dimension_bar(
        df, "campaign", "roas", height=max(height, 70 + 40 * rows), title=title, reference=1.0, wrap=CAMPAIGN_WRAP
    )


def campaign_comparison(df: pd.DataFrame, n: int = 12, height: int = 400, title: str | None = None) -> dict:
    """Revenue and spend per campaign (the n campaigns with most revenue), ROAS as the revenue bar's
    label and in the hover; names wrapped (wrapped_label), few level ticks on the ₹ axis."""
    if _is_empty(df) or "campaign" not in df.columns:
        return empty_figure(height=height)
    frame = df.copy()
    frame["_rev"] = [v or 0 for v in _values(frame, "revenue")]
    if not any(fmt.clean(v) for v in frame["_rev"].tolist() + _values(frame, "spend")):
        return empty_figure(NOTHING_TO_DRAW, height=height)
    frame = frame.sort_values(["_rev", "campaign"], ascending=[False, True]).head(n).iloc[::-1]
    labels = [wrapped_label(c) for c in frame["campaign"]]
    revenue, spend, roas = _values(frame, "revenue"), _values(frame, "spend"), _values(frame, "roas")
    fig = Figure()
    fig.add_trace(
        trace(
            "bar",
            orientation="h",
            y=labels,
            x=[v or 0 for v in spend],
            name=_label("spend"),
            marker=dict(color=SERIES_COLOURS["spend"]),
            customdata=[fmt.inr(v) for v in spend],
            hovertemplate="%{y}<br>" + _label("spend") + ": %{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        trace(
            "bar",
            orientation="h",
            y=labels,
            x=[v or 0 for v in revenue],
            name=_label("revenue"),
            marker=dict(color=SERIES_COLOURS["revenue"]),
            text=[fmt.ratio(r) for r in roas],
            texttemplate="%{text}",
            textposition="outside",
            cliponaxis=False,
            customdata=[fmt.inr(v) for v in revenue],
            hovertemplate=f"%{{y}}<br>{_label('revenue')}: %{{customdata}}<br>{_label('roas')}: %{{text}}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group", bargap=0.2, yaxis=dict(type="category"))
    _money_axis(fig, revenue + spend, "xaxis", target=NARROW_AXIS_TICKS)
    # Room right of the longest bar for its ROAS label (outside the bar, never cut at the edge).
    axis = fig.layout["xaxis"]
    largest = max([v for v in revenue + spend if v is not None] + [0.0])
    fig.update_xaxes(range=[axis["range"][0], max(axis["range"][1], largest * 1.2)])
    return _layout(fig, height=max(height, 80 + 50 * len(frame)), title=title)


def campaign_trend(
    df: pd.DataFrame,
    period: str = "month",
    metric: str = "revenue",
    n: int = 6,
    height: int = 340,
    title: str | None = None,
) -> dict:
    """One line per campaign of `metric` over time (the n campaigns with most revenue in the frame)."""
    if _is_empty(df) or "campaign" not in df.columns or period not in df.columns:
        return empty_figure(height=height)
    frame = df.copy()
    frame = frame[frame[period].notna()]
    if frame.empty:
        return empty_figure(height=height)
    totals = frame.groupby("campaign")["revenue"].sum().sort_values(ascending=False) if "revenue" in frame else None
    keep = list(totals.index[:n]) if totals is not None else sorted(frame["campaign"].unique())[:n]
    described = catalogue.get(metric)
    fig = Figure()
    all_values, all_x = [], []
    for i, campaign in enumerate(keep):
        sub = frame[frame["campaign"] == campaign].sort_values(period)
        x = _period_labels(sub, period)
        values = _values(sub, metric)
        all_values += values
        all_x += x
        fig.add_trace(
            trace(
                "scatter",
                x=x,
                y=_plot_values(values),
                mode="lines+markers",
                name=safe_text(campaign),
                line=dict(color=OKABE_ITO[i % len(OKABE_ITO)], width=2),
                customdata=[described.text(v) for v in values],
                hovertemplate=safe_text(campaign) + ": %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(hovermode="x unified")
    _value_axis(fig, described, all_values, "yaxis")
    _date_axis(fig, all_x)
    return _layout(fig, height=height, title=title)


# --- influencer detail ------------------------------------------------------------------------


def sales_over_time(ts: pd.DataFrame, height: int = 260, title: str | None = None) -> dict:
    """Compact revenue / spend chart for one influencer's detail panel."""
    return revenue_spend_over_time(ts, height=height, title=title)


# --- lift -------------------------------------------------------------------------------------

LIFT_COLOURS = {
    "actual": "#0072B2",
    "baseline": "#6c757d",
    "band": "rgba(108,117,125,0.18)",
    "window": "rgba(230,159,0,0.15)",
    "positive": "#009E73",
    "negative": "#D55E00",
    "flat": "#adb5bd",
}


def lift_event(event: dict | None, height: int = 340, title: str | None = None) -> dict:
    """A post's event chart: the creator's daily attributed revenue (bars) against its baseline
    (line) and the range of its quiet days (band), the post's window shaded."""
    if not event or _is_empty(event.get("days")):
        return empty_figure(height=height)
    days = event["days"]
    x = [d.strftime("%Y-%m-%d") for d in days["date"]]
    fig = Figure()
    fig.add_trace(
        trace(
            "scatter",
            x=x,
            y=_plot_values(_values(days, "band_high")),
            mode="lines",
            line=dict(width=0),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        trace(
            "scatter",
            x=x,
            y=_plot_values(_values(days, "band_low")),
            mode="lines",
            fill="tonexty",
            fillcolor=LIFT_COLOURS["band"],
            line=dict(width=0),
            name="Quiet-day range (5–95 %)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        trace(
            "bar",
            x=x,
            y=_values(days, "revenue"),
            name="Actual",
            marker=dict(color=LIFT_COLOURS["actual"]),
            customdata=[fmt.inr(v) for v in _values(days, "revenue")],
            hovertemplate="%{x}: %{customdata}<extra>Actual</extra>",
        )
    )
    fig.add_trace(
        trace(
            "scatter",
            x=x,
            y=_values(days, "baseline"),
            mode="lines",
            name="Baseline",
            line=dict(color=LIFT_COLOURS["baseline"], width=2, dash="dash"),
            customdata=[fmt.inr(v) for v in _values(days, "baseline")],
            hovertemplate="%{x}: %{customdata}<extra>Baseline</extra>",
        )
    )
    shape = window_shape(event["window_start"], event["window_end"])
    start = shape["x0"]
    fig.update_layout(
        shapes=[shape],
        annotations=[
            dict(
                x=start,
                y=1,
                xref="x",
                yref="paper",
                xanchor="left",
                yanchor="top",
                showarrow=False,
                text="window",
                font=dict(size=11, color="#8a6100"),
            )
        ],
        bargap=0.15,
        hovermode="x unified",
    )
    _money_axis(fig, _values(days, "revenue") + _values(days, "band_high"), "yaxis", "Revenue per day")
    _date_axis(fig, x)
    return _layout(fig, height=height, title=title)


def window_shape(first_day, last_day) -> dict:
    """The shaded band of a window from its first to its last day (whole days: half a day either side)."""
    return dict(
        type="rect",
        xref="x",
        yref="paper",
        x0=(pd.Timestamp(first_day) - pd.Timedelta(hours=12)).strftime("%Y-%m-%d %H:%M"),
        x1=(pd.Timestamp(last_day) + pd.Timedelta(hours=12)).strftime("%Y-%m-%d %H:%M"),
        y0=0,
        y1=1,
        fillcolor=LIFT_COLOURS["window"],
        line=dict(width=0),
        layer="below",
    )


def organic_counterfactual(days: pd.DataFrame | None, height: int = 340, title: str | None = None) -> dict:
    """A campaign's organic-sales check: the brand's total daily revenue (line) against the
    counterfactual (dashed: one-step predictions before the campaign, the forecast after) and the
    forecast's pointwise interval (band), the campaign and its window shaded
    (metrics.lift.organic.organic_days gives the columns)."""
    if _is_empty(days):
        return empty_figure("No counterfactual for this campaign", height=height)
    x = [d.strftime("%Y-%m-%d") for d in days["date"]]
    fig = Figure()
    for column, fill, name in (("band_high", None, None), ("band_low", "tonexty", "Forecast interval")):
        fig.add_trace(
            trace(
                "scatter",
                x=x,
                y=_plot_values(_values(days, column)),
                mode="lines",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=name is not None,
                **({"fill": fill, "fillcolor": LIFT_COLOURS["band"], "name": name} if fill else {}),
            )
        )
    fig.add_trace(
        trace(
            "scatter",
            x=x,
            y=_plot_values(_values(days, "actual")),
            mode="lines",
            name="Actual total sales",
            line=dict(color=LIFT_COLOURS["actual"], width=1.6),
            customdata=[fmt.inr(v) for v in _values(days, "actual")],
            hovertemplate="%{x}: %{customdata}<extra>Actual</extra>",
        )
    )
    fig.add_trace(
        trace(
            "scatter",
            x=x,
            y=_plot_values(_values(days, "counterfactual")),
            mode="lines",
            name="Counterfactual",
            line=dict(color=LIFT_COLOURS["baseline"], width=2, dash="dash"),
            customdata=[fmt.inr(v) for v in _values(days, "counterfactual")],
            hovertemplate="%{x}: %{customdata}<extra>Counterfactual</extra>",
        )
    )
    window = days.loc[days["in_window"].astype(bool), "date"]
    if len(window):
        fig.update_layout(shapes=[window_shape(window.min(), window.max())])
    fig.update_layout(hovermode="x unified")
    _money_axis(fig, _values(days, "actual") + _values(days, "band_high"), "yaxis", "Total revenue per day")
    return _layout(fig, height=height, title=title)


LIFT_ROWS = 20  # parts drawn by lift_intervals (the table beside it has every one)
LIFT_ROW_PX = 28  # one level line of name, dot and interval per part: readable at 390 px
LIFT_NAME_CHARS = 18  # a longer name is cut with "…" (whole in the hover): the intervals keep the width


def lift_intervals_height(table: pd.DataFrame | None, n: int = LIFT_ROWS, least: int = 240) -> int:
    """The height (px) of lift_intervals for `table`: a row per part drawn, never squeezed."""
    rows = 0 if _is_empty(table) else min(n, len(table))
    return max(least, 90 + LIFT_ROW_PX * rows)


def lift_intervals(
    table: pd.DataFrame, label: str = "name", n: int = LIFT_ROWS, height: int = 420, title: str | None = None
) -> dict:
    """Each part's incremental revenue (dot) with its interval (bar), largest first, one row each
    (size it with lift_intervals_height); parts whose interval includes 0 in grey ("not
    distinguishable from baseline"). Names longer than LIFT_NAME_CHARS are cut on the axis and whole
    in the hover; rows are placed by position, so two parts of one name stay two rows."""
    if _is_empty(table):
        return empty_figure(height=height)
    frame = table.head(n).iloc[::-1]
    names = [str(v) for v in frame[label if label in frame.columns else frame.columns[0]]]
    point, low, high = (
        _values(frame, "incremental_revenue"),
        _values(frame, "incremental_revenue_low"),
        _values(frame, "incremental_revenue_high"),
    )
    colours = [LIFT_COLOURS[{"positive": "positive", "negative": "negative"}.get(v, "flat")] for v in frame["verdict"]]
    rows = list(range(len(frame)))
    fig = Figure(
        trace(
            "scatter",
            x=point,
            y=rows,
            mode="markers",
            marker=dict(color=colours, size=9),
            error_x=dict(
                type="data",
                symmetric=False,
                array=[h - p for h, p in zip(high, point)],
                arrayminus=[p - lo for p, lo in zip(point, low)],
                color="#6c757d",
                thickness=1.5,
            ),
            customdata=[
                [safe_text(name), fmt.inr(p), fmt.inr(lo), fmt.inr(h), v]
                for name, p, lo, h, v in zip(names, point, low, high, frame["verdict"])
            ],
            hovertemplate="%{customdata[0]}: %{customdata[1]} (%{customdata[2]} to %{customdata[3]})"
            "<br>%{customdata[4]}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line=dict(color="#212529", width=1))
    fig.update_yaxes(  # every part named, none skipped
        tickmode="array", tickvals=rows, ticktext=[_cut(name) for name in names], range=[-0.6, len(rows) - 0.4]
    )
    _money_axis(fig, point + low + high, "xaxis", "Incremental revenue", target=NARROW_AXIS_TICKS)
    return _layout(fig, height=height, legend=False, title=title)


def _cut(text: str, width: int = LIFT_NAME_CHARS) -> str:
    """User text of at most `width` characters ("…" ending a longer one), escaped for plotly."""
    return safe_text(text if len(text) <= width else text[: width - 1].rstrip() + "…")
