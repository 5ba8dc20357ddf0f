"""components.plot: figures written as the dicts plotly.js receives, valid for plotly itself."""

import plotly.graph_objects as go

from components.plot import Figure, trace


def test_traces_and_layout_are_plain_dicts_without_none():
    fig = Figure(trace("bar", x=[1, 2], y=[3, None], name=None, marker=dict(color="#000", line=None)))
    fig.update_layout(height=300, title=None, legend=dict(x=0, title=None))
    fig.update_layout({"legend": {"y": 1}}, margin=dict(l=4))
    assert fig.to_dict() == {
        "data": [{"type": "bar", "x": [1, 2], "y": [3, None], "marker": {"color": "#000"}}],
        "layout": {"height": 300, "legend": {"x": 0, "y": 1}, "margin": {"l": 4}},
    }
    go.Figure(fig.to_dict())  # plotly accepts every property


def test_axis_updates_reach_every_axis_of_that_letter():
    fig = Figure(trace("scatter", x=[1], y=[2], yaxis="y2"))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right"))
    fig.update_yaxes(gridcolor="#eee")
    fig.update_xaxes(visible=False)
    layout = fig.to_dict()["layout"]
    assert layout["yaxis"] == {"gridcolor": "#eee"}
    assert layout["yaxis2"] == {"overlaying": "y", "side": "right", "gridcolor": "#eee"}
    assert layout["xaxis"] == {"visible": False} and "xaxis2" not in layout
    go.Figure(fig.to_dict())


def test_vline_is_a_shape_with_its_label():
    fig = Figure(trace("bar", x=[1, 3], y=["a", "b"], orientation="h"))
    fig.add_vline(x=1.0, line=dict(color="#6c757d", dash="dot", width=1), text="break-even", font_size=10)
    fig.add_vline(x=2.0, line=dict(color="#000"))
    layout = go.Figure(fig.to_dict()).layout
    assert [shape.x0 for shape in layout.shapes] == [1.0, 2.0]
    assert all(shape.yref == "y domain" and shape.y0 == 0 and shape.y1 == 1 for shape in layout.shapes)
    assert [a.text for a in layout.annotations] == ["break-even"] and layout.annotations[0].font.size == 10
