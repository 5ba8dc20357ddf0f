"""Categories: category and persona analysis: ROAS heatmap (category × platform or tier), follower
distribution, return (ROAS, revenue, CAC, revenue per follower) by category / tier / persona / gender, and the best category × platform × tier combinations."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from components import figures
from components.cards import chart_card, page_header, segmented
from components.ids import categories as ids
from components.tables import metric_col, table_card, text_col
from metrics import catalogue
from metrics.settings import DEFAULT_SETTINGS

dash.register_page(
    __name__,
    path="/categories",
    name="Categories",
    order=4,
    title="Categories · HealthKart Influencer ROI",
    description="Which creator categories, personas, platforms and tiers return the most",
)


COMBINATION_COLUMNS = [
    text_col("category", "Category", width=120, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("tier", "Tier", width=90),
    metric_col("influencers"),
    metric_col("followers"),
    metric_col("revenue"),
    metric_col("spend"),
    metric_col("roas"),
    metric_col("revenue_change"),
    metric_col("spend_change"),
    metric_col("roas_change"),
    metric_col("roi_pct"),
    metric_col("cac"),
    metric_col("revenue_per_follower"),
    metric_col("revenue_share"),
]


def layout(**_query):
    return html.Div(
        [
            page_header("Categories", "Which creator categories and personas pay back, on which platforms and tiers"),
            html.Div(id=ids.EMPTY),
            html.Div(
                [
                    chart_card(
                        "ROAS by category",
                        ids.HEATMAP,
                        height=380,
                        subtitle="Revenue ÷ spend of each category on each platform (or follower tier); "
                        f"{figures.HEATMAP_EMPTY_CELLS}; each cell counts its creators; outlined = ROAS below "
                        "the poor-performer bar. Use the tier and platform filters to slice further.",
                        metric="roas",
                        tools=segmented(ids.HEATMAP_COLS, ids.HEATMAP_OPTIONS, "platform"),
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_card(
                                    "Follower distribution",
                                    ids.FOLLOWERS,
                                    height=320,
                                    subtitle="Influencers per follower tier, by platform",
                                    formula=f"Tiers by followers: {catalogue.tier_text(DEFAULT_SETTINGS)}",
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                            dbc.Col(
                                chart_card(
                                    "Return by audience",
                                    ids.DIMENSION,
                                    height=320,
                                    subtitle="Pooled per value; pick the dimension and the metric",
                                    tools=html.Div(
                                        [
                                            segmented(ids.DIMENSION_BY, ids.DIMENSION_OPTIONS, "category"),
                                            segmented(ids.DIMENSION_METRIC, ids.METRIC_OPTIONS, "roas"),
                                        ],
                                        className="d-flex flex-wrap gap-2",
                                    ),
                                ),
                                lg=6,
                                className="mb-3",
                            ),
                        ],
                        className="g-3",
                    ),
                    table_card(
                        "Best combinations",
                        ids.COMBINATION_TABLE,
                        COMBINATION_COLUMNS,
                        height=440,
                        subtitle="Category × platform × tier, best ROAS first (combinations without spend last)",
                    ),
                ],
                id=ids.BODY,
            ),
        ],
        className="hk-page-categories",
    )
