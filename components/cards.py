"""Cards: KPI cards (formula in a tooltip), chart cards, the empty state and page headers.

All text is passed as Dash children (rendered as text, never as HTML or markdown).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from metrics import catalogue, periods
from metrics import format as fmt
from metrics.comparison import change_words
from metrics.kpis import NO_SALES, NO_SALES_HINT
from metrics.lift import NO_POST
from metrics.settings import DEFAULT_SETTINGS

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def info_icon(target_id: str, text: str) -> html.Span:
    """A small ⓘ icon with a tooltip (also exposed as the native title for keyboard/screen readers)."""
    return html.Span(
        [
            html.I(
                className="bi bi-info-circle",
                id=target_id,
                tabIndex=0,
                title=text,
                **{"aria-label": text, "role": "img"},
            ),
            dbc.Tooltip(text, target=target_id, placement="top", className="hk-tooltip"),
        ],
        className="hk-info",
    )


def kpi_card(
    kpi_id: str,
    label: str,
    value: str,
    formula: str,
    sub=None,
    badge: str | None = None,
    tone: str | None = None,
    change=None,
) -> dbc.Card:
    """One headline number.

    kpi_id: short unique name, e.g. "revenue"; ids become kpi-{kpi_id}-value / -info.
    value: already formatted text (metrics.format). formula: shown in the tooltip.
    sub: secondary line (text or components). badge: small label such as "estimated".
    tone: None, "good" or "bad" colours the value. change: the line of `change_line` (below the value).
    """
    title = [html.Span(label, className="hk-kpi-label")]
    if badge:
        title.append(dbc.Badge(badge, color="light", text_color="secondary", className="ms-1 hk-kpi-badge", pill=True))
    title.append(info_icon(f"kpi-{kpi_id}-info", formula))
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(title, className="hk-kpi-title"),
                html.Div(
                    value, id=f"kpi-{kpi_id}-value", className="hk-kpi-value" + (f" hk-tone-{tone}" if tone else "")
                ),
                change,
                html.Div(sub, className="hk-kpi-sub") if sub is not None else None,
            ]
        ),
        className="hk-kpi h-100",
        id=f"kpi-{kpi_id}",
    )


def metric_card(
    key: str,
    value,
    settings,
    card_id: str | None = None,
    sub=None,
    badge: str | None = None,
    formula: str | None = None,
    tone: str | None = "threshold",
    label: str | None = None,
    comparison: dict | None = None,
    value_text: str | None = None,
) -> dbc.Card:
    """The KPI card of a catalogue metric: label, short formatted value, formula tooltip (with the
    settings filled in) and, by default, the good / bad colour of its threshold all come from
    metrics/catalogue.py. card_id: the card's id stem (default: the key with '-' for '_');
    formula / label: an addition a page needs (an "estimated" note); tone: None, "good", "bad" or
    "threshold"; comparison: metrics.comparison.kpi_comparison's result, shown as the change line;
    value_text: the value already formatted, where a card shows another precision than the
    catalogue's short form (engagements in lakh)."""
    metric = catalogue.get(key)
    stem = card_id or key.replace("_", "-")
    return kpi_card(
        stem,
        label or metric.label,
        catalogue.headline_text(key, value) if value_text is None else value_text,
        formula or metric.formula_for(settings),
        sub=sub,
        badge=badge,
        tone=metric.tone(value, settings) if tone == "threshold" else tone,
        change=change_line(stem, key, comparison) if comparison is not None else None,
    )


def change_line(stem: str, key: str, comparison: dict) -> html.Div:
    """ "+12.3% vs previous period" under a card's value, coloured by whether the change is good for
    this metric (catalogue's higher_is_better: CAC up is bad), "—" where undefined; the comparison
    period's dates in its tooltip. Ids: kpi-{stem}-change (the line), kpi-{stem}-change-info."""
    change = comparison["change"].get(key)
    tone = periods.change_tone(change, catalogue.get(key).higher_is_better)
    # where the period starts before the data, the why is in the tip and on the page
    mode_text, notice = change_words(comparison, change), comparison.get("notice")
    reason = (comparison.get("reasons") or {}).get(key)
    # "no post in the selection" is said under the card's value already: the line does not repeat it
    mode_text = reason if reason and reason != NO_POST else mode_text
    if comparison.get("start"):
        then = (comparison.get("kpis") or {}).get(key)
        tip = (
            (
                f"{periods.COMPARE_LABELS[comparison['mode']]}: {fmt.date(comparison['start'])} – "
                f"{fmt.date(comparison['end'])} ({catalogue.get(key).text(then)})"
            )
            + (f". {notice}" if notice else "")
            + (f". No change: {reason}" if reason else "")
        )
    else:
        tip = "No date range: all time has no earlier period to compare with (choose dates or a period)"
    target = f"kpi-{stem}-change-info"
    return html.Div(
        [
            html.Span(
                catalogue.CHANGE.short(change, 1),
                id=f"kpi-{stem}-change",
                className="hk-kpi-change-value" + (f" hk-tone-{tone}" if tone else ""),
            ),
            html.Span(f" {mode_text}", className="hk-kpi-change-label"),
            info_icon(target, tip),
        ],
        className="hk-kpi-change",
    )


def cap_note(shown: int, total: int, noun: str, order: str, rest: str) -> str | None:
    """ "Top 12 of 23 campaigns by revenue. The rest: …" under a chart or list that draws only the
    first `shown` of `total`; None when nothing is left out."""
    if total <= shown:
        return None
    return f"Top {shown} of {total} {noun} by {order}. The rest: {rest}."


def kpi_row(cards: list) -> list:
    """Children for a KPI container: `html.Div(id=…, className="hk-kpi-grid")` (preferred) or
    `dbc.Row(id=…, className="hk-kpi-row")`; both lay the cards out as the same responsive grid."""
    return list(cards)


def chart_card(
    title: str,
    graph_id: str,
    subtitle: str | None = None,
    height: int = 360,
    tools=None,
    footer=None,
    formula: str | None = None,
    footer_id: str | None = None,
    metric: str | None = None,
) -> dbc.Card:
    """A titled card around one dcc.Graph (id = graph_id). `tools` are controls shown in the header;
    `footer_id` adds an empty footer Div a callback can fill (notes such as undated sales).
    `metric`: the catalogue metric the chart shows; its formula is the ⓘ tooltip, followed by
    `formula` when both are given (what the chart adds)."""
    if metric:
        declared = catalogue.get(metric).formula_for(DEFAULT_SETTINGS)
        formula = f"{declared}. {formula}" if formula else declared
    heading = [html.H2(title, className="hk-card-title d-inline")]
    if formula:
        heading.append(info_icon(f"{graph_id}-info", formula))
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Div(
                            [
                                html.Div(heading),
                                html.Div(subtitle, className="hk-card-subtitle") if subtitle else None,
                            ],
                            className="me-auto",
                        ),
                        html.Div(tools, className="hk-card-tools") if tools is not None else None,
                    ],
                    className="hk-card-header d-flex flex-wrap align-items-start gap-2",
                ),
                dcc.Loading(
                    dcc.Graph(id=graph_id, config=GRAPH_CONFIG, style={"height": f"{height}px"}, className="hk-graph"),
                    type="dot",
                    color="#0b5cab",
                    delay_show=300,
                ),
                html.Div(footer, className="hk-card-footer", **({"id": footer_id} if footer_id else {}))
                if footer is not None or footer_id
                else None,
            ]
        ),
        className="hk-card mb-3 h-100",
    )


def empty_state(
    message: str = NO_SALES,
    hint: str | list = NO_SALES_HINT,
    icon: str = "bi-funnel",
    reset_href: str | None = None,
) -> html.Div:
    """Shown instead of a page body when the selection holds no sales and no spend; `hint` is text
    or a list of children (commands set in <code>)."""
    return html.Div(
        [
            html.I(className=f"bi {icon} hk-empty-icon", **{"aria-hidden": "true"}),
            html.H2(message, className="hk-empty-title"),
            html.P(hint, className="hk-empty-hint"),
            dcc.Link("Clear all filters", href=reset_href, className="btn btn-primary btn-sm") if reset_href else None,
        ],
        className="hk-empty",
        role="status",
    )


def page_header(title: str, subtitle: str | None = None, tools=None) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    html.H1(title, className="hk-page-title"),
                    html.P(subtitle, className="hk-page-subtitle") if subtitle else None,
                ],
                className="me-auto",
            ),
            html.Div(tools) if tools is not None else None,
        ],
        className="hk-page-header d-flex flex-wrap align-items-end gap-2",
    )


def notice(children, color: str = "warning", icon: str = "bi-exclamation-triangle") -> dbc.Alert:
    return dbc.Alert(
        [html.I(className=f"bi {icon} me-2", **{"aria-hidden": "true"}), html.Span(children)],
        color=color,
        className="hk-notice py-2",
    )


def poor_badge(profile: dict, settings) -> list:
    """The "Poor performer" badge of a flagged creator with why beside it, in the PDF's words and
    digits (catalogue.POOR_PERFORMER.reasons: "ROAS 1.999x < 2x", never a ROAS of "2.00x" under a
    2x bar with no word); [] for a creator not flagged."""
    if not profile.get("poor_performer"):
        return []
    why = catalogue.POOR_PERFORMER.reasons(profile, settings)
    return [
        dbc.Badge("Poor performer", color="danger", className="me-1"),
        html.Span(why, className="hk-poor-why small me-2") if why else None,
    ]


def roas_rank_badge(profile: dict) -> dbc.Badge | None:
    """ "Rank #N by ROAS" of a ranking row (metrics.ranking), or None when it has no place by ROAS:
    no rank in the selection, or an undefined ROAS (no spend), which the ranking lists last but
    does not rank ("#39 by ROAS" beside a ROAS of "—" reads as a measured 39th)."""
    rank, roas = fmt.clean(profile.get("rank")), fmt.clean(profile.get("roas"))
    if rank is None or roas is None:
        return None
    return dbc.Badge(f"Rank #{int(rank)} by ROAS", color="secondary", className="me-1")


def stat_list(items: list[tuple[str, object]]) -> html.Dl:
    """Definition list of (label, formatted value) pairs, e.g. the ratios in a detail panel; a value
    is text, or components (a figure with its note)."""
    return html.Dl([html.Div([html.Dt(label), html.Dd(value)]) for label, value in items], className="hk-stats")


def segmented(control_id: str, options: list[dict], value) -> dbc.RadioItems:
    """A row of toggle buttons (one choice), as used in chart headers and above tables."""
    return dbc.RadioItems(
        id=control_id,
        options=options,
        value=value,
        inline=True,
        className="hk-segmented",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-secondary btn-sm",
        labelCheckedClassName="active",
    )
