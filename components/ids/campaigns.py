"""Ids and options of the campaigns page (pages/campaigns.py, callbacks/campaigns.py)."""

EMPTY = "camp-empty"
BODY = "camp-body"
KPIS = "camp-kpis"
COMPARISON = "camp-comparison"
ROAS = "camp-roas"
TREND = "camp-trend"
TREND_METRIC = "camp-trend-metric"
TREND_GRAIN = "camp-trend-grain"
TREND_BASIS = "camp-trend-basis"
# "Top N of M" under the capped charts (components.cards.cap_note)
COMPARISON_CAP = "camp-comparison-cap"
ROAS_CAP = "camp-roas-cap"
TREND_CAP = "camp-trend-cap"
COMPARISON_N, ROAS_N, TREND_N = 12, 15, 6  # campaigns drawn, the most revenue first

CAMPAIGN_TABLE = "campaigns"
PACING_TABLE = "campaign-pacing"
PACING_NOTE = "camp-pacing-note"

METRIC_OPTIONS = [
    {"label": "Revenue", "value": "revenue"},
    {"label": "Spend", "value": "spend"},
    {"label": "ROAS", "value": "roas"},
]
GRAIN_OPTIONS = [{"label": "Week", "value": "week"}, {"label": "Month", "value": "month"}]
# By sale date, or by post (cohort: each post's fee and its window's sales on the post's day).
BASIS_OPTIONS = [
    {"label": "By sale date", "value": "sale"},
    {"label": "By post (cohort)", "value": "cohort"},
]
