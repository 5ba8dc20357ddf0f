"""Categories: category and persona analysis: ROAS heatmap (category × platform or tier), follower
distribution, ROAS by category / persona / gender, and the best category × platform × tier combinations."""
import dash
import dash_bootstrap_components as dbc
from dash import html

from components.cards import chart_card, page_header, segmented
from components.ids import categories as ids
from components.tables import count_col, followers_col, money_col, pct_col, ratio_col, share_col, table_card, text_col

dash.register_page(__name__, path="/categories", name="Categories", order=4,
                   title="Categories · HealthKart Influencer ROI",
                   description="Which creator categories, personas, platforms and tiers return the most")


COMBINATION_COLUMNS = [
    text_col("category", "Category", width=120, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("tier", "Tier", width=90),
    count_col("influencers", "Influencers"),
    followers_col("followers", "Followers"),
    money_col("revenue", "Revenue"),
    money_col("spend", "Spend"),
    ratio_col("roas", "ROAS", headerTooltip="Revenue ÷ spend"),
    pct_col("roi_pct", "ROI", headerTooltip="(Revenue − spend) ÷ spend × 100"),
    money_col("cac", "CAC", decimals=2, headerTooltip="Spend ÷ new customers"),
    share_col("revenue_share", "Revenue share"),
]


def layout(**_query):
    return html.Div([
        page_header("Categories", "Which creator categories and personas pay back, on which platforms and tiers"),
        html.Div(id=ids.EMPTY),
        html.Div([
            chart_card("ROAS by category", ids.HEATMAP, height=380,
                       subtitle="Revenue ÷ spend of each category on each platform (or follower tier); "
                                "“—” = no spend. Use the tier and platform filters to slice further.",
                       formula="ROAS = Σ revenue ÷ Σ spend of the cell's influencers",
                       tools=segmented(ids.HEATMAP_COLS, ids.HEATMAP_OPTIONS, "platform")),
            dbc.Row([
                dbc.Col(chart_card("Follower distribution", ids.FOLLOWERS, height=320,
                                   subtitle="Influencers per follower tier, by platform",
                                   formula="Tiers: nano < 10K ≤ micro < 50K ≤ mid < 500K ≤ macro < 1M ≤ mega"),
                        lg=6, className="mb-3"),
                dbc.Col(chart_card("Return by audience", ids.DIMENSION, height=320,
                                   subtitle="Pooled per value; pick the dimension and the metric",
                                   tools=html.Div([segmented(ids.DIMENSION_BY, ids.DIMENSION_OPTIONS, "category"),
                                                   segmented(ids.DIMENSION_METRIC, ids.METRIC_OPTIONS, "roas")],
                                                  className="d-flex flex-wrap gap-2")),
                        lg=6, className="mb-3"),
            ], className="g-3"),
            table_card("Best combinations", ids.COMBINATION_TABLE, COMBINATION_COLUMNS, height=440,
                       subtitle="Category × platform × tier, best ROAS first (combinations without spend last)"),
        ], id=ids.BODY),
    ], className="hk-page-categories")
