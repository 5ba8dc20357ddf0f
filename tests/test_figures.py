"""components.figures: pure DataFrame -> Figure builders, no Dash, no inf/NaN, escaped user text."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly

import metrics
from components import figures


def _numbers(obj):
    if isinstance(obj, float):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _numbers(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from _numbers(value)


def _texts(fig) -> str:
    return to_json_plotly(fig)


def validated(fig: dict) -> go.Figure:
    """The builder's dict as plotly's own figure object: raises on any property plotly does not know."""
    assert isinstance(fig, dict) and set(fig) == {"data", "layout"}
    return go.Figure(fig)


def test_figures_module_does_not_import_dash():
    code = "import sys, components.figures, metrics.format; print('dash' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_builder_handles_an_empty_frame():
    empty = pd.DataFrame()
    for builder in (
        figures.revenue_spend_over_time,
        figures.platform_share,
        figures.top_influencers,
        figures.roas_by_platform,
        figures.engagement_by_platform,
        figures.source_breakdown,
        figures.payout_mix,
        figures.category_platform_heatmap,
        figures.follower_distribution,
        figures.campaign_comparison,
        figures.campaign_trend,
    ):
        fig = builder(empty)
        validated(fig)
        assert figures.NO_DATA in _texts(fig)


def test_builders_on_real_metrics(traps_wh):
    f = metrics.Filters()
    by_platform = metrics.breakdown(traps_wh, "platform", f)
    ranking = metrics.ranking(traps_wh, f)
    built = [
        figures.revenue_spend_over_time(metrics.timeseries(traps_wh, f, grain="week")),
        figures.platform_share(by_platform),
        figures.roas_by_platform(by_platform),
        figures.dimension_bar(by_platform, "platform", "cac"),
        figures.engagement_by_platform(metrics.engagement_by_platform(traps_wh, f)),
        figures.source_breakdown(metrics.breakdown(traps_wh, "source", f)),
        figures.payout_mix(metrics.payouts_by_basis(traps_wh, f)),
        figures.category_platform_heatmap(metrics.breakdown(traps_wh, ["category", "platform"], f)),
        figures.category_platform_heatmap(metrics.breakdown(traps_wh, ["category", "tier"], f), x="tier"),
        figures.top_influencers(ranking),
        figures.top_influencers(ranking, metric="roas"),
        figures.follower_distribution(ranking),
        figures.campaign_comparison(metrics.breakdown(traps_wh, "campaign", f)),
        figures.campaign_trend(metrics.breakdown(traps_wh, ["campaign", "month"], f), period="month"),
    ]
    for fig in built:
        validated(fig)
        payload = json.loads(_texts(fig))
        assert figures.NO_DATA not in _texts(fig)
        for number in _numbers(payload):
            assert math.isfinite(number) or math.isnan(number)  # NaN = a gap plotly skips, never inf
        assert "inf" not in json.dumps([t.get("text") for t in payload["data"]])


def test_undefined_roas_has_no_bar_and_reads_dash(traps_wh):
    by_platform = metrics.breakdown(traps_wh, "platform", metrics.Filters())
    fig = validated(figures.roas_by_platform(by_platform))
    bar = fig.data[0]
    labels = dict(zip(bar.y, bar.text))
    values = dict(zip(bar.y, bar.x))
    places = dict(zip(bar.y, bar.textposition))
    assert labels["Twitter"] == "—"  # D4 has sales but no spend
    assert values["Twitter"] == 0  # a bar without length: its "—" is drawn beside the axis
    assert places["Twitter"] == "outside"


def test_zero_and_undefined_bars_show_their_label_beside_the_axis():
    """Plotly's "auto" draws no text on a zero-length bar: 0.00x read as "no data" (tester, s14)."""
    frame = pd.DataFrame({"platform": ["Instagram", "YouTube", "Moj"], "roas": [1.5, 0.0, None]})
    bar = validated(figures.roas_by_platform(frame)).data[0]
    shown = {y: (x, text, place) for y, x, text, place in zip(bar.y, bar.x, bar.text, bar.textposition)}
    assert shown == {
        "Instagram": (1.5, "1.50x", "auto"),
        "YouTube": (0.0, "0.00x", "outside"),
        "Moj": (0.0, "—", "outside"),
    }


def test_user_text_is_escaped_for_plotly(traps_wh):
    ranking = metrics.ranking(traps_wh, metrics.Filters())
    fig = validated(figures.top_influencers(ranking, n=10))
    labels = [label for trace in fig.data for label in trace.y]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Bros" in labels
    assert not any("<script>" in label or "<b>" in label for label in labels)


def test_platform_colours_are_stable_and_distinct():
    colours = figures.platform_colours(["YouTube", "Instagram", "Threads", "Moj"])
    assert colours["Instagram"] == figures.PLATFORM_COLOURS["Instagram"]
    assert colours["YouTube"] == figures.PLATFORM_COLOURS["YouTube"]
    assert len(set(colours.values())) == 4


def test_money_axis_uses_lakh_and_crore():
    ts = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-06", "2025-01-13"]),
            "revenue": [1.2e7, 3.4e7],
            "spend": [2e6, 5e6],
            "roas": [6.0, 6.8],
        }
    )
    fig = validated(figures.revenue_spend_over_time(ts))
    ticktext = fig.layout.yaxis.ticktext
    assert ticktext[0] == "₹0" and any(t.endswith("Cr") for t in ticktext)


def test_no_roas_axis_without_a_roas():
    """A creator paid nothing has revenue but no ROAS in any week: no ROAS line and no empty 0x–4x
    axis beside the bars (the page's note says why); one week with spend brings both back."""
    ts = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-20"]),
            "revenue": [1200.0, 0.0, 3400.0],
            "spend": [0.0, 0.0, 0.0],
            "roas": [None, None, None],
            "rolling_roas": [None, None, None],
        }
    )
    fig = validated(figures.revenue_spend_over_time(ts))
    assert [t.name for t in fig.data] == ["Revenue", "Spend"]
    assert "yaxis2" not in fig.to_dict()["layout"]
    paid = ts.assign(spend=[0.0, 0.0, 1000.0], roas=[None, None, 3.4], rolling_roas=[None, None, 4.6])
    fig = validated(figures.revenue_spend_over_time(paid))
    assert [t.name for t in fig.data] == ["Revenue", "Spend", "ROAS", "ROAS, rolling 4 weeks"]
    assert fig.layout.yaxis2.ticksuffix == "x"
    assert fig.data[2].customdata == ("—", "—", "3.40x")


def test_lift_intervals_give_each_creator_a_readable_row():
    """/lift on a phone: one row per creator, the chart as tall as its rows, long names cut on the
    axis (whole in the hover), two creators of one name two rows, three money ticks that stay level."""
    table = pd.DataFrame(
        {
            "name": ["Mohit Fernandes", "Kapoor, Neha (Official) <b>", "Mohit Fernandes"],
            "incremental_revenue": [180_000.0, 40_000.0, -5_000.0],
            "incremental_revenue_low": [60_000.0, -10_000.0, -20_000.0],
            "incremental_revenue_high": [270_000.0, 90_000.0, 8_000.0],
            "verdict": ["positive", "not distinguishable", "not distinguishable"],
        }
    )
    fig = validated(figures.lift_intervals(table, height=figures.lift_intervals_height(table)))
    assert fig.layout.height == 240  # three rows: the least height
    assert fig.layout.yaxis.ticktext == ("Mohit Fernandes", "Kapoor, Neha (Off…", "Mohit Fernandes")[::-1]
    assert fig.data[0].y == (0, 1, 2) and fig.data[0].x == (-5_000.0, 40_000.0, 180_000.0)  # largest on top
    assert fig.data[0].customdata[1][0] == "Kapoor, Neha (Official) &lt;b&gt;"  # whole, escaped, in the hover
    assert fig.data[0].error_x.arrayminus == (15_000.0, 50_000.0, 120_000.0)
    assert "₹0" in fig.layout.xaxis.ticktext  # level on a phone: tests/browser/test_page_lift.py
    many = pd.concat([table] * 10, ignore_index=True)
    assert figures.lift_intervals_height(many) == 90 + 28 * figures.LIFT_ROWS  # 20 drawn, the table has all
    assert figures.lift_intervals_height(pd.concat([table] * 3)) == 90 + 28 * 9


@pytest.mark.parametrize("tiers", [["Mega", "Nano", "Mid"], ["mega", "nano", "micro"]])
def test_tiers_sort_by_size(tiers):
    assert sorted(tiers, key=figures.tier_key)[0].lower() == "nano"


def test_lift_event_dates_and_money_as_everywhere_else():
    """The event chart's days read '5 Jan 2025' on ticks and in the hover (not plotly's 'Jan 5,
    2025'); its revenue axis ticks are rupees in Indian units."""
    days = pd.DataFrame(
        {
            "date": pd.date_range("2025-01-01", periods=10, freq="D"),
            "revenue": [1000.0, 0, 2500, 125000, 40000, 0, 800, 0, 0, 300],
            "baseline": [500.0] * 10,
            "band_low": [0.0] * 10,
            "band_high": [1500.0] * 10,
        }
    )
    event = {"days": days, "window_start": pd.Timestamp("2025-01-03"), "window_end": pd.Timestamp("2025-01-05")}
    fig = validated(figures.lift_event(event))
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.hoverformat == "%-d %b %Y" and fig.layout.xaxis.tickformat == "%-d %b<br>%Y"
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.xaxis.nticks == figures.MAX_DATE_TICKS
    ticktext = [t.replace("\u00a0", " ") for t in fig.layout.yaxis.ticktext]
    assert ticktext[0] == "₹0" and "₹1,00,000" in ticktext and len(set(ticktext)) == len(ticktext), ticktext
    actual = next(t for t in fig.data if t.name == "Actual")
    assert actual.customdata[3] == "₹1,25,000"  # its hover


def test_hover_and_legend_labels_are_the_catalogues(traps_wh, monkeypatch):
    """Renaming a metric in the catalogue renames it in legends, hovers and bar texts."""
    import dataclasses

    from metrics import catalogue

    for key, label in (("roas", "Return on ad spend"), ("revenue", "Sales"), ("spend", "Cost")):
        monkeypatch.setitem(catalogue.CATALOGUE, key, dataclasses.replace(catalogue.get(key), label=label))
    fig = validated(figures.campaign_comparison(metrics.campaign_comparison(traps_wh)))
    assert [t.name for t in fig.data] == ["Cost", "Sales"]
    assert "Cost: " in fig.data[0].hovertemplate and "Return on ad spend: " in fig.data[1].hovertemplate
    # The bar's label is the ROAS alone (the chart's subtitle names it: a phone has no room for more).
    assert fig.data[1].texttemplate == "%{text}" and all(t.endswith("x") for t in fig.data[1].text)
    heatmap = validated(figures.category_platform_heatmap(metrics.breakdown(traps_wh, ["category", "platform"])))
    assert "Sales: " in heatmap.data[1].hovertemplate and "ROAS" not in heatmap.data[1].hovertemplate


def test_time_axis_ticks_sit_on_the_periods():
    # Weeks: ticks on the Mondays the bars stand on (plotly's own weekly ticks fall on Sundays).
    weeks = pd.DataFrame(
        {"period": pd.date_range("2025-01-06", periods=9, freq="W-MON"), "revenue": 1.0, "spend": 1.0, "roas": 1.0}
    )
    axis = validated(figures.revenue_spend_over_time(weeks)).layout.xaxis
    assert all(pd.Timestamp(v).weekday() == 0 for v in axis.tickvals) and len(axis.tickvals) <= figures.MAX_DATE_TICKS
    assert axis.tickvals[0] == "2025-01-06" and list(axis.ticktext) == [
        "6 Jan<br>2025",
        "20 Jan",
        "3 Feb",
        "17 Feb",
        "3 Mar",
    ]
    assert axis.tickangle == 0  # never tilted (a phone's 390 px: tests/browser/test_tester_findings.py)
    # The year under the first tick and where it changes.
    turn = pd.DataFrame(
        {"period": pd.date_range("2024-12-02", periods=5, freq="W-MON"), "revenue": 1.0, "spend": 1.0, "roas": 1.0}
    )
    assert list(validated(figures.revenue_spend_over_time(turn)).layout.xaxis.ticktext) == [
        "2 Dec<br>2024",
        "9 Dec",
        "16 Dec",
        "23 Dec",
        "30 Dec",
    ]
    years = pd.DataFrame({"period": ["2024-11", "2024-12", "2025-01"], "revenue": 1.0, "spend": 1.0, "roas": 1.0})
    assert list(validated(figures.revenue_spend_over_time(years)).layout.xaxis.ticktext) == [
        "Nov<br>2024",
        "Dec",
        "Jan<br>2025",
    ]
    # Two months: each labelled once, on its bar.
    months = pd.DataFrame({"period": ["2025-01", "2025-02"], "revenue": 1.0, "spend": 1.0, "roas": 1.0})
    axis = validated(figures.revenue_spend_over_time(months)).layout.xaxis
    assert list(axis.ticktext) == ["Jan<br>2025", "Feb"] and list(axis.tickvals) == ["2025-01-01", "2025-02-01"]


def test_sparse_weeks_are_ticked_evenly_over_the_range():
    """Tester F12: a creator's weeks with sales (30 Dec, 6 Jan, 10 Feb, …, 29 Dec) were ticked every
    k-th *sold* week, so "30 Dec" and "10 Feb" stood 6 weeks apart and "28 Jul" 24 weeks after:
    labels ran together on a phone. Ticks are every k-th week of the whole range (53 weeks: k = 11)."""
    sold = pd.to_datetime(["2024-12-30", "2025-01-06", "2025-02-10", "2025-02-17", "2025-07-28", "2025-12-29"])
    weeks = pd.DataFrame({"period": sold, "revenue": 1.0, "spend": 1.0, "roas": 1.0})
    axis = validated(figures.revenue_spend_over_time(weeks)).layout.xaxis
    assert list(axis.tickvals) == ["2024-12-30", "2025-03-17", "2025-06-02", "2025-08-18", "2025-11-03"]
    assert list(axis.ticktext) == ["30 Dec<br>2024", "17 Mar<br>2025", "2 Jun", "18 Aug", "3 Nov"]
    months = pd.DataFrame({"period": ["2025-01", "2025-02", "2025-11"], "revenue": 1.0, "spend": 1.0, "roas": 1.0})
    assert list(validated(figures.revenue_spend_over_time(months)).layout.xaxis.tickvals) == [
        "2025-01-01",
        "2025-04-01",
        "2025-07-01",
        "2025-10-01",
    ]


def test_charts_with_nothing_to_draw_show_an_empty_state():
    zeros = pd.DataFrame({"influencer_id": ["A", "B"], "name": ["A", "B"], "platform": "X", "revenue": [0.0, 0.0]})
    for figure in (
        figures.top_influencers(zeros),
        figures.dimension_bar(zeros, "name", "revenue"),
        figures.campaign_comparison(zeros.assign(campaign=["c1", "c2"], spend=0.0)),
    ):
        assert not figure["data"] and figure["layout"]["annotations"][0]["text"] == figures.NOTHING_TO_DRAW
    some = zeros.assign(revenue=[0.0, 5.0])
    assert [len(t["y"]) for t in figures.top_influencers(some)["data"]] == [1]  # only the bar that exists


def test_heatmap_cells_count_creators_and_outline_poor_roas():
    frame = pd.DataFrame(
        {
            "category": ["Fitness", "Fitness", "Beauty"],
            "platform": ["Instagram", "YouTube", "Instagram"],
            "roas": [3.0, 1.5, None],
            "revenue": [300.0, 150.0, 10.0],
            "spend": [100.0, 100.0, 0.0],
            "influencers": [4, 1, 2],
        }
    )
    figure = figures.category_platform_heatmap(frame, poor_roas=2.0)
    empty, heat = figure["data"]
    cells = {(y, x): heat["text"][i][j] for i, y in enumerate(heat["y"]) for j, x in enumerate(heat["x"])}
    small = "<br><span style='font-size:9px'>{}</span>"  # the count under the ROAS, smaller (fits a phone)
    assert cells[("Fitness", "Instagram")] == "3.00x" + small.format("4 creators")
    assert cells[("Fitness", "YouTube")] == "1.50x" + small.format("1 creator")
    # no ROAS, on a grey cell under the ROAS trace, no gridline: sales but no spend read "—" and the
    # creators; no sales or spend at all read nothing (tester t1: most "—" cells had no creator)
    assert cells[("Beauty", "Instagram")] == "—" + small.format("2 creators") and cells[("Beauty", "YouTube")] == ""
    assert heat["y"][1] == "Beauty" and all(v != v for v in heat["z"][1])  # NaN: the grey shows
    assert empty["z"] == [[0.0, 0.0], [0.0, 0.0]] and {c for _, c in empty["colorscale"]} == {figures.EMPTY_CELL}
    assert (empty["showscale"], empty["hoverinfo"], empty["xgap"]) == (False, "skip", heat["xgap"])
    assert not figure["layout"]["xaxis"]["showgrid"] and not figure["layout"]["yaxis"]["showgrid"]
    assert heat["textfont"]["size"] == 11 and heat["colorbar"]["orientation"] == "h"  # cells get the width
    # Only ROAS 1.5 < 2 is outlined: the rectangle around column YouTube (1), row Fitness (0).
    (outline,) = figure["layout"]["shapes"]
    assert heat["x"][1] == "YouTube" and heat["y"][0] == "Fitness"
    assert outline["x0"] < 1 < outline["x1"] and outline["y0"] < 0 < outline["y1"]
    assert not figures.category_platform_heatmap(frame)["layout"].get("shapes")  # no bar, no outline
