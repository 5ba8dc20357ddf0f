"""Ids and options of the overview page (pages/overview.py, callbacks/overview.py)."""

EMPTY = "ov-empty"
BODY = "ov-body"
KPIS = "ov-kpis"
COMPARE_NOTE = "ov-compare-note"  # the comparison period's caveat (partly before the data), shown under the cards
TREND = "ov-trend"
TREND_NOTE = "ov-trend-note"
GRAIN = "ov-grain"
TREND_BASIS = "ov-trend-basis"
PLATFORM_SHARE = "ov-platform-share"
TOP = "ov-top"
TOP_METRIC = "ov-top-metric"

GRAIN_OPTIONS = [
    {"label": "Day", "value": "day"},
    {"label": "Week", "value": "week"},
    {"label": "Month", "value": "month"},
]
DEFAULT_GRAIN = "week"
# Time charts: by sale date, or by post (cohort: each post's fee and its window's sales on its day).
BASIS_OPTIONS = [
    {"label": "By sale date", "value": "sale"},
    {"label": "By post (cohort)", "value": "cohort"},
]
TOP_OPTIONS = [
    {"label": "Revenue", "value": "revenue"},
    {"label": "ROAS", "value": "roas"},
    {"label": "Efficiency", "value": "efficiency_score"},
]
TOP_N = 10
