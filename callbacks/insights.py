"""Insights page: key findings and recommendations (metrics.insights) for the selection in the URL."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from metrics import insights

from callbacks import common
from metrics import format as fmt
from components.cards import kpi_row, metric_card
from components.tables import table_id

# Table name as in pages/insights.py (pages are not imported here: they register with Dash on import).
RECOMMENDATIONS_TABLE = "insights-recommendations"

ACTION_STYLE = {  # action -> (label, bootstrap colour, icon)
    "scale": ("Scale", "success", "bi-graph-up-arrow"),
    "renew": ("Renew", "primary", "bi-arrow-repeat"),
    "move budget": ("Move budget", "info", "bi-arrow-left-right"),
    "review": ("Review", "warning", "bi-search"),
    "drop": ("Drop", "danger", "bi-x-circle"),
}
TABLE_NUMBERS = ("roas", "roi_pct", "revenue", "spend", "cac", "selection_roas", "from_roas", "to_roas",
                 "estimated_revenue_gain")


def rules_text(settings) -> str:
    return (f"Scale: ROAS at or above the selection's and not flagged. Renew: clears the bar "
            f"(ROAS ≥ {fmt.ratio(settings.poor_roas)} and ROI ≥ {fmt.pct(settings.poor_roi_pct, 0)}). "
            f"Move budget: the best platform / category returns at least {insights.MIN_ROAS_GAP:g}× the worst "
            f"(each with ≥ {fmt.share(insights.MIN_SPEND_SHARE, 0)} of spend). Review: below the bar but "
            f"returns its cost. Drop: revenue below cost (ROAS < 1.00x) or none.")


def finding_items(findings: list[dict]) -> list:
    return [html.Li(f["text"], className=f"hk-finding hk-finding-{f['kind'].replace('_', '-')}") for f in findings]


def recommendation_card(item: dict, index: int) -> dbc.Card:
    label, colour, icon = ACTION_STYLE[item["action"]]
    return dbc.Card(dbc.CardBody([
        html.Div([
            dbc.Badge([html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}), label], color=colour,
                      className="me-2 hk-rec-action", text_color="dark" if colour in ("warning", "info") else None),
            html.Strong(item["subject"], className="hk-rec-subject"),
        ], className="d-flex flex-wrap align-items-center mb-1"),
        html.P(item["reason"], className="mb-1 hk-rec-reason"),
        html.Div([dbc.Badge(e, color="light", text_color="secondary", className="me-1 mb-1 hk-rec-evidence")
                  for e in item["evidence"]]),
    ]), className=f"mb-2 hk-rec hk-rec-{item['action'].replace(' ', '-')}", id=f"ins-rec-{index}",
        color=colour, outline=True)


def recommendation_groups(items: list[dict]) -> list:
    if not items:
        return [html.P("No recommendation: the selection has no creator with spend to judge.",
                       className="text-body-secondary mb-0")]
    children = []
    index = 0
    for action in insights.ACTIONS:
        group = [i for i in items if i["action"] == action]
        if not group:
            continue
        label = ACTION_STYLE[action][0]
        children.append(html.H3(f"{label} ({len(group)})", className="hk-rec-group h6 mt-2"))
        for item in group:
            children.append(recommendation_card(item, index))
            index += 1
    return children


def table_rows(items: list[dict]) -> list[dict]:
    rows = []
    for item in items:
        numbers = item.get("numbers") or {}
        row = {"action": item["action"], "subject": item["subject"], "subject_type": item["subject_type"],
               "reason": item["reason"]}
        for key in TABLE_NUMBERS:
            row[key] = fmt.clean(numbers.get(key))
        rows.append(row)
    return rows


def insight_kpis(k: dict, settings) -> list:
    return [
        metric_card("revenue", k.get("revenue"), settings, card_id="ins-revenue", sub=fmt.inr(k.get("revenue"))),
        metric_card("spend", k.get("spend"), settings, card_id="ins-spend", sub=fmt.inr(k.get("spend"))),
        metric_card("roas", k.get("roas"), settings, card_id="ins-roas", tone=None,
                    sub=f"ROI {fmt.pct(k.get('roi_pct'))}"),
        metric_card("incremental_roas", k.get("incremental_roas"), settings, card_id="ins-incremental-roas", tone=None,
                    badge="assumed baseline", sub=f"Incremental revenue {fmt.inr_compact(k.get('incremental_revenue'))}"),
        metric_card("poor_performers", k.get("poor_performers"), settings, card_id="ins-poor",
                    sub=f"of {fmt.count(k.get('influencers'))} influencers",
                    tone="bad" if k.get("poor_performers") else None),
    ]


def counts_text(items: list[dict]) -> str:
    parts = [f"{sum(1 for i in items if i['action'] == a)} {ACTION_STYLE[a][0].lower()}" for a in insights.ACTIONS
             if any(i["action"] == a for i in items)]
    return " · ".join(parts)


@callback(
    Output("ins-kpis", "children"),
    Output("ins-empty", "children"),
    Output("ins-body", "style"),
    Output("ins-findings", "children"),
    Output("ins-recommendations", "children"),
    Output("ins-counts", "children"),
    Output("ins-rules", "children"),
    Output(table_id(RECOMMENDATIONS_TABLE), "rowData"),
    Input("url", "search"),
    Input("url", "pathname"),
)
def insights_page(search, pathname):
    filters = common.filters_from_search(search)
    settings = common.settings()
    try:
        wh = common.warehouse()
        evidence = insights.gather(wh, filters, settings)
        k = evidence.kpis
        if not common.has_activity(k):
            return [], common.no_data_state(pathname=pathname), common.HIDE, [], [], "", "", []
        findings = insights.key_findings(wh, filters, settings, evidence)
        items = insights.recommendations(wh, filters, settings, evidence)
    except Exception as error:
        if common.is_missing_warehouse(error):
            return [], common.no_data_state(error), common.HIDE, [], [], "", "", []
        raise
    return (kpi_row(insight_kpis(k, settings)), None, common.SHOW, finding_items(findings),
            recommendation_groups(items), counts_text(items), rules_text(settings), table_rows(items))
