"""Ids of the app shell (components/shell.py, components/filter_bar.py, components/report_button.py)."""

URL = "url"  # dcc.Location: `search` is the selection, `pathname` the page
MAIN = "main"
NAV_BRAND = "nav-brand"
NAV_TOGGLE = "nav-toggle"
NAV_COLLAPSE = "nav-collapse"
NAV_LINK_TYPE = "nav-link"
DATASET_INFO = "dataset-info"
DATASET_CHANGED = "dataset-changed"  # dcc.Store: when /data imported or restored a data set (footer, filter options)

FILTER_BAR = "filter-bar"
FILTER_DATES = "filter-dates"
FILTER_RESET = "filter-reset"
FILTER_SUMMARY = "filter-summary"
FILTER_COUNT = "filter-count"
FILTER_TOGGLE = "filter-toggle"
FILTER_COLLAPSE = "filter-collapse"
FILTER_ERROR = "filter-error"
FILTER_PERIOD = "filter-period"  # dcc.Dropdown of date presets (metrics.periods.PRESETS), `?period=last-30`
FILTER_COMPARE = "filter-compare"  # radio: the KPI cards' and Δ columns' comparison, `?compare=year`


def nav_link(path: str) -> dict:
    """The id of the navbar link to a page (pattern-matching: `{"type": "nav-link", "path": path}`)."""
    return {"type": NAV_LINK_TYPE, "path": path}


def filter_dropdown(field: str) -> str:
    """The id of the filter bar's dropdown for a filter field (platform, category, …)."""
    return f"filter-{field}"
