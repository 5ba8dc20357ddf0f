"""Platforms: ROAS, CAC, revenue share and engagement by platform; tracking source breakdown."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header
from components.ids import platforms as ids
from components.tables import metric_col, table_card, text_col

dash.register_page(
    __name__,
    path="/platforms",
    name="Platforms",
    order=3,
    title="Platforms · HealthKart Influencer ROI",
    description="Return, acquisition cost, revenue share and engagement by platform",
)


PLATFORM_COLUMNS = [
    text_col("platform", "Platform", width=120, pinned=True),
    metric_col("influencers"),
    metric_col("followers"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("spend"),
    metric_col("roas"),
    metric_col("revenue_change"),
    metric_col("spend_change"),
    metric_col("roas_change"),
    metric_col("roi_pct"),
    metric_col("cac"),
    metric_col("aov"),
    metric_col("revenue_share"),
    metric_col("spend_share"),
    metric_col("posts"),
    metric_col("engagements"),
    metric_col("engagement_rate_pct"),
    metric_col("cpe"),
    metric_col("cpm"),
]

SOURCE_COLUMNS = [
    text_col("source", "Tracking source", width=160, pinned=True),
    metric_col("influencers"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("aov"),
    metric_col("new_customers"),
    metric_col("revenue_share"),
]


def layout(**_query):
    return html.Div(
        [
            page_header("Platforms", "Where influencer spend returns the most"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "ROAS by platform",
                                    ids.ROAS,
                                    height=300,
                                    subtitle="Revenue ÷ spend per platform; dotted line = break-even",
                                    formula="ROAS = Σ revenue ÷ Σ spend of the platform's influencers",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "CAC by platform",
                                    ids.CAC,
                                    height=300,
                                    footer_id=ids.CAC_NOTE,
                                    subtitle="Spend ÷ new customers per platform",
                                    formula="CAC = spend ÷ new customers",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Revenue share",
                                    ids.SHARE,
                                    height=300,
                                    subtitle="Each platform's share of attributed revenue",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "Engagement rate by platform",
                                    ids.ENGAGEMENT,
                                    height=300,
                                    footer_id=ids.ENGAGEMENT_NOTE,
                                    subtitle="Engagements ÷ reach × 100 over the platform's posts",
                                    formula="Engagement rate = (likes + comments + shares + saves) ÷ reach × 100",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    table_card(
                        "Platform comparison",
                        ids.PLATFORM_TABLE,
                        PLATFORM_COLUMNS,
                        height="auto",
                        subtitle="Pooled figures per platform (the platform of the influencer)",
                        grid_options={"pagination": False},
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Revenue by tracking source",
                                    ids.SOURCE,
                                    height=320,
                                    subtitle="How sales were tracked (promo code, link, swipe-up, or the source named "
                                    "in the data). Spend is not split by source.",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                            dbc.Col(
                                table_card(
                                    "Tracking sources",
                                    ids.SOURCE_TABLE,
                                    SOURCE_COLUMNS,
                                    height=340,
                                    subtitle="Source as recorded with each sale; never used as the platform",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-platforms",
    )
