"""Ids and options of the content page (pages/content.py, callbacks/content.py)."""

EMPTY = "cnt-empty"
BODY = "cnt-body"
KPIS = "cnt-kpis"
NOTES = "cnt-notes"
PLATFORM_CHART = "cnt-platform-chart"
METRIC = "cnt-metric"

PLATFORM_TABLE = "content-by-platform"
NATIVE_TABLE = "content-native"
POSTS_TABLE = "content-posts"

METRIC_OPTIONS = [
    {"label": "Engagement rate", "value": "engagement_rate_pct"},
    {"label": "CPE", "value": "cpe"},
    {"label": "CPM", "value": "cpm"},
]
