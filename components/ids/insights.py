"""Ids of the insights page (pages/insights.py, callbacks/insights.py)."""

EMPTY = "ins-empty"
BODY = "ins-body"
KPIS = "ins-kpis"
FINDINGS = "ins-findings"
RECOMMENDATIONS = "ins-recommendations"
COUNTS = "ins-counts"
RULES = "ins-rules"

RECOMMENDATIONS_TABLE = "insights-recommendations"
