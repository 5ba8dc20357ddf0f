"""Ids and options of the audience page (pages/audience.py, callbacks/audience.py)."""

NOTICE = "aud-notice"
BODY = "aud-body"
DIMENSION = "aud-dimension"
RULE = "aud-rule"
SEGMENT_CHART = "aud-segment-roas"
SEGMENT_NOTE = "aud-segment-note"
SEGMENTS_TABLE = "audience-segments"
SEGMENTS_NOTE = "aud-segments-note"
REGIONS_CHART = "aud-regions"
REGIONS_NOTE = "aud-regions-note"

DIMENSION_OPTIONS = [
    {"label": "Age band", "value": "age_band"},
    {"label": "Gender", "value": "gender"},
    {"label": "Place", "value": "region"},
]
RULE_OPTIONS = [
    {"label": "Weighted by share", "value": "weighted"},
    {"label": "Dominant segment", "value": "dominant"},
]
