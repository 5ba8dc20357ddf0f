"""Ids and options of the influencers page (pages/influencers.py, callbacks/influencers.py)."""

EMPTY = "inf-empty"
BODY = "inf-body"
KPIS = "inf-kpis"
SEARCH = "inf-search"
VIEW = "inf-view"
TABLE_NOTE = "inf-table-note"
DETAIL = "inf-detail"
DETAIL_BODY = "inf-detail-body"
DETAIL_TIME_TABS = "inf-detail-time"  # in the detail panel: by sale date / by post (cohort)

RANKING_TABLE = "influencers"
PAYOUTS_TABLE = "influencer-payouts"  # in the detail panel
POSTS_TABLE = "influencer-posts"  # in the detail panel
SIMILAR_TABLE = "influencer-similar"  # in the detail panel
SIMILAR_N = 5  # similar profiles shown in the detail panel (all of them on /plan and `hkdash similar`)

TOP_N = 10
VIEW_OPTIONS = [
    {"label": "All", "value": "all"},
    {"label": f"Top {TOP_N}", "value": "top"},
    {"label": "Poor performers", "value": "poor"},
]
