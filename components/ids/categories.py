"""Ids and options of the categories page (pages/categories.py, callbacks/categories.py)."""

from metrics import catalogue

EMPTY = "cat-empty"
BODY = "cat-body"
HEATMAP = "cat-heatmap"
HEATMAP_COLS = "cat-heatmap-cols"
FOLLOWERS = "cat-followers"
DIMENSION = "cat-dimension"
DIMENSION_BY = "cat-dimension-by"
DIMENSION_METRIC = "cat-dimension-metric"

COMBINATION_TABLE = "combinations"

HEATMAP_OPTIONS = [{"label": "× Platform", "value": "platform"}, {"label": "× Tier", "value": "tier"}]
DIMENSION_OPTIONS = [
    {"label": "Category", "value": "category"},
    {"label": "Tier", "value": "tier"},
    {"label": "Persona", "value": "persona"},
    {"label": "Gender", "value": "gender"},
]
# Labels from the metric catalogue; any catalogue metric a breakdown has can be offered here.
METRIC_OPTIONS = [
    {"label": catalogue.get(key).label, "value": key} for key in ("roas", "revenue", "cac", "revenue_per_follower")
]
