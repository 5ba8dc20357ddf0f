"""The filter bar shown above every page (it lives in the app shell, outside the page container).

Its state is the URL query string: callbacks/filters.py writes the URL when a control changes and
sets the controls from the URL on load and on back/forward, so a link reproduces the view.
Pages never read these controls: they read `Input("url", "search")`.

Ids: filter-platform, filter-category, filter-tier, filter-brand, filter-campaign, filter-product
(multi dropdowns, value = list of strings), filter-dates (DatePickerRange: start_date, end_date),
filter-reset (button), filter-summary (active filters, text), filter-toggle / filter-collapse
(phone layout), filter-error (invalid values in the URL), filter-count (badge), filter-period (date
presets, resolved against the data's last sale date), filter-compare (previous period / same period
last year: what KPI cards and Δ columns compare with).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.ids import shell as ids
from metrics import periods

# (field, label, placeholder) in display order; field names are metrics.Filters fields.
FILTER_FIELDS = (
    ("platform", "Platform", "All platforms"),
    ("category", "Category", "All categories"),
    ("tier", "Tier", "All tiers"),
    ("brand", "Brand", "All brands"),
    ("campaign", "Campaign", "All campaigns"),
    ("product", "Product", "All products"),
)


def _dropdown(field: str, label: str, placeholder: str) -> html.Div:
    control_id = ids.filter_dropdown(field)
    return html.Div(
        [
            dbc.Label(label, html_for=control_id, className="hk-filter-label"),
            dcc.Dropdown(
                id=control_id,
                options=[],
                value=[],
                multi=True,
                placeholder=placeholder,
                clearable=True,
                searchable=True,
                className="hk-filter-dropdown",
            ),
        ],
        className="hk-filter-item",
    )


def filter_bar() -> html.Div:
    dates = html.Div(
        [
            dbc.Label("Date range", html_for=ids.FILTER_DATES, className="hk-filter-label"),
            dcc.DatePickerRange(
                id=ids.FILTER_DATES,
                clearable=True,
                updatemode="bothdates",
                display_format="D MMM YYYY",
                start_date_placeholder_text="Start",
                end_date_placeholder_text="End",
                first_day_of_week=1,
                className="hk-filter-dates",
            ),
        ],
        className="hk-filter-item hk-filter-item-dates",
    )
    period = html.Div(
        [
            dbc.Label("Period", html_for=ids.FILTER_PERIOD, className="hk-filter-label"),
            dcc.Dropdown(
                id=ids.FILTER_PERIOD,
                options=[{"label": label, "value": key} for key, label in periods.PRESETS],
                value=None,
                multi=False,
                clearable=True,
                searchable=False,
                placeholder="Custom dates",
                className="hk-filter-dropdown",
            ),
        ],
        className="hk-filter-item",
        title="Counted back from the last sale date in the data, not from today",
    )
    compare = html.Div(
        [
            dbc.Label("Compare with", html_for=ids.FILTER_COMPARE, className="hk-filter-label"),
            dbc.RadioItems(
                id=ids.FILTER_COMPARE,
                options=[{"label": periods.COMPARE_LABELS[m], "value": m} for m in periods.COMPARE_MODES],
                value=periods.COMPARE_MODES[0],
                inline=True,
                className="hk-filter-compare",
            ),
        ],
        className="hk-filter-item hk-filter-item-compare",
    )
    reset = html.Div(
        [
            dbc.Button(
                [html.I(className="bi bi-arrow-counterclockwise me-1", **{"aria-hidden": "true"}), "Reset"],
                id=ids.FILTER_RESET,
                color="secondary",
                outline=True,
                size="sm",
                n_clicks=0,
                title="Clear all filters",
            ),
        ],
        className="hk-filter-item hk-filter-item-reset",
    )
    toggle = dbc.Button(
        [
            html.I(className="bi bi-funnel me-1", **{"aria-hidden": "true"}),
            "Filters",
            dbc.Badge("", id=ids.FILTER_COUNT, color="primary", pill=True, className="ms-1"),
        ],
        id=ids.FILTER_TOGGLE,
        color="light",
        size="sm",
        className="hk-filter-toggle d-md-none",
        n_clicks=0,
    )
    return html.Section(
        [
            toggle,
            dbc.Collapse(
                html.Div(
                    [_dropdown(*f) for f in FILTER_FIELDS] + [period, dates, compare, reset], className="hk-filter-grid"
                ),
                id=ids.FILTER_COLLAPSE,
                is_open=False,
                className="hk-filter-collapse",
            ),
            html.Div(id=ids.FILTER_SUMMARY, className="hk-filter-summary", **{"aria-live": "polite"}),
            html.Div(id=ids.FILTER_ERROR),
        ],
        className="hk-filter-bar",
        id=ids.FILTER_BAR,
        **{"aria-label": "Filters"},
    )
