"""Ids and options of the categories page (pages/categories.py, callbacks/categories.py)."""

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
DIMENSION_OPTIONS = [{"label": "Category", "value": "category"}, {"label": "Persona", "value": "persona"},
                     {"label": "Gender", "value": "gender"}]
METRIC_OPTIONS = [{"label": "ROAS", "value": "roas"}, {"label": "Revenue", "value": "revenue"},
                  {"label": "CAC", "value": "cac"}]
