"""Audience: revenue, spend and ROAS by the creators' audience (age band, gender, place), and where
the audience is against where sales come from; from the optional audience files."""

import dash
from dash import html

from components.cards import chart_card, page_header, segmented
from components.ids import audience as ids
from components.page_state import audience_inputs
from components.tables import metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/audience",
    name="Audience",
    order=6.5,
    title="Audience · HealthKart Influencer ROI",
    description="Revenue, spend and ROAS by the creators' audience age band, gender and place",
)

SEGMENT_COLUMNS = [
    text_col("segment", "Segment", width=170),
    metric_col("segment_creators"),
    metric_col("revenue"),
    metric_col("spend"),
    metric_col("roas"),
    metric_col("orders", note="estimated shares under the weighted rule (each creator's orders × its segment weight)"),
    metric_col("revenue_share"),
]


def layout(**query):
    inputs = audience_inputs(query)  # kept in the URL (components/page_state.py)
    tools = html.Div(
        [
            segmented(ids.DIMENSION, ids.DIMENSION_OPTIONS, inputs["dimension"]),
            segmented(ids.RULE, ids.RULE_OPTIONS, inputs["rule"]),
        ],
        className="d-flex flex-wrap gap-2",
    )
    return html.Div(
        [
            page_header(
                "Audience",
                "Who the creators reach, and what each audience returns on spend.",
                tools=tools,
            ),
            html.Div(id=ids.NOTICE),
            html.Div(
                [
                    chart_card(
                        "ROAS by audience segment",
                        ids.SEGMENT_CHART,
                        footer_id=ids.SEGMENT_NOTE,
                        metric="roas",
                        formula="Weighted: each creator's revenue and spend spread over its audience by share; "
                        "dominant: each creator whole in its largest segment (docs/metrics.md, Audience segments)",
                    ),
                    table_card(
                        "Revenue, spend and ROAS by audience segment",
                        ids.SEGMENTS_TABLE,
                        SEGMENT_COLUMNS,
                        subtitle=html.Span(id=ids.SEGMENTS_NOTE),
                        height="auto",
                        grid_options={"pagination": False},
                    ),
                    chart_card(
                        "Where the audience is, against where sales come from",
                        ids.REGIONS_CHART,
                        footer_id=ids.REGIONS_NOTE,
                        height=420,
                        metric="audience_revenue_share",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-audience",
    )
