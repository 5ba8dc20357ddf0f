"""Insights page: key findings and recommendations (metrics.insights) for the selection in the URL."""

from __future__ import annotations

import functools

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from callbacks import common
from callbacks.overview import incremental_cards
from components.cards import kpi_row, metric_card
from components.ids import insights as ids
from components.ids.shell import URL
from components.tables import table_id
from metrics import format as fmt
from metrics import insights
from metrics.catalogue import POOR_PERFORMER
from metrics.comparison import kpi_comparison
from metrics.planning.verdicts import TOO_EARLY, VERDICTS, drop_bar, verdict_phrase

ACTION_STYLE = {  # action -> (label, bootstrap colour, icon)
    "scale": ("Scale", "success", "bi-graph-up-arrow"),
    "renew": ("Renew", "primary", "bi-arrow-repeat"),
    "move budget": ("Move budget", "info", "bi-arrow-left-right"),
    "hold back": ("Hold back", "secondary", "bi-pause-circle"),
    "review": ("Review", "warning", "bi-search"),
    "drop": ("Drop", "danger", "bi-x-circle"),
}
TABLE_NUMBERS = (
    "roas",
    "roi_pct",
    "revenue",
    "spend",
    "cac",
    "selection_roas",
    "from_roas",
    "to_roas",
    "estimated_revenue_gain",
)


def rules_text(settings, measured: bool) -> str:
    """The rules behind the recommendations, with every cap the page applies."""
    bar = POOR_PERFORMER.bars(settings)
    if measured:
        return (
            f"Each creator's verdict comes from its measured lift: drop when its ROAS is below 1.00x or even "
            f"the top of its lift interval {drop_bar(settings)}; "
            f"renew when it is not a poor performer and even the bottom of its interval returns at least "
            f"{fmt.ratio(settings.verdict_renew_roas)} of spend (break-even); scale when it would be renewed and "
            f"the next rupee returns at least {fmt.ratio(settings.verdict_scale_marginal_roas)} (marginal ROAS); "
            f"review otherwise. Move budget: the planner's allocation at the same budget, each segment within "
            f"±{fmt.share(settings.plan_max_change, 0)}, never raising one whose next rupee returns less than "
            f"{fmt.ratio(settings.plan_min_marginal_roas)}. Hold back: where no segment's next rupee returns that, "
            f"the planner only cuts and holds the money back. {evidence_bar_text(settings)} Caps: the counts cover "
            f"every creator; the "
            f"{insights.MAX_PER_ACTION} largest by spend of each verdict are listed (all are in the ranking's "
            f"Verdict column); a move names {insights.MAX_LISTED} segments each way, the rest counted."
        )
    return (
        f"Incrementality is not measured for this data set, so actions follow attributed ROAS. Scale: ROAS at "
        f"or above the selection's and not flagged. Renew: clears the bar (ROI ≥ {bar['roi']} and ROAS ≥ "
        f"{bar['roas']}). Review: below the bar but returns its cost. Drop: "
        f"revenue below cost (ROAS < 1.00x) or none. {evidence_bar_text(settings)} No budget move is suggested: the planner needs measured "
        f"response curves. Caps: the best {insights.MAX_PER_ACTION} to scale and to renew, the "
        f"{insights.MAX_REVIEW} largest by spend to review and to drop are listed."
    )


def evidence_bar_text(settings) -> str:
    """The evidence bar every verdict needs first (metrics.planning.verdicts.evidence_missing)."""
    return (
        f"Too early to judge: a creator with fewer than {settings.verdict_min_posts} posts or less than "
        f"{fmt.inr(settings.verdict_min_spend)} spend gets no verdict and no action; so does one with posts but "
        "no cost recorded (₹0 spend: check the payouts file, its reason says so)."
    )


def finding_items(findings: list[dict]) -> list:
    return [html.Li(f["text"], className=f"hk-finding hk-finding-{f['kind'].replace('_', '-')}") for f in findings]


def recommendation_card(item: dict, index: int) -> dbc.Card:
    label, colour, icon = ACTION_STYLE[item["action"]]
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        dbc.Badge(
                            [html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}), label],
                            color=colour,
                            className="me-2 hk-rec-action",
                            text_color="dark" if colour in ("warning", "info") else None,
                        ),
                        html.Strong(item["subject"], className="hk-rec-subject"),
                    ],
                    className="d-flex flex-wrap align-items-center mb-1",
                ),
                html.P(item["reason"], className="mb-1 hk-rec-reason"),
                html.Div(
                    [
                        dbc.Badge(e, color="light", text_color="secondary", className="me-1 mb-1 hk-rec-evidence")
                        for e in item["evidence"]
                    ]
                ),
            ]
        ),
        className=f"mb-2 hk-rec hk-rec-{item['action'].replace(' ', '-')}",
        id=f"ins-rec-{index}",
        color=colour,
        outline=True,
    )


def recommendation_groups(items: list[dict], too_early: int = 0) -> list:
    """The cards of `items` by action; without any, why: no creator with spend, or `too_early`
    creators below the evidence bar (metrics.planning.verdicts.evidence_missing)."""
    if not items:
        why = (
            f"{fmt.count(too_early)} creator{'' if too_early == 1 else 's'} "
            f"{'is' if too_early == 1 else 'are'} too early to judge (below the evidence bar; each one's "
            "reason is in the ranking's Verdict column)."
            if too_early
            else "the selection has no creator with spend to judge."
        )
        return [html.P(f"No recommendation: {why}", className="text-body-secondary mb-0")]
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
        row = {
            "action": item["action"],
            "subject": item["subject"],
            "subject_type": item["subject_type"],
            "reason": item["reason"],
        }
        for key in TABLE_NUMBERS:
            row[key] = fmt.clean(numbers.get(key))
        rows.append(row)
    return rows


def insight_kpis(k: dict, settings, comparison: dict | None = None) -> list:
    card = functools.partial(metric_card, comparison=comparison)
    return [
        card("revenue", k.get("revenue"), settings, card_id="ins-revenue", sub=fmt.inr(k.get("revenue"))),
        card("spend", k.get("spend"), settings, card_id="ins-spend", sub=fmt.inr(k.get("spend"))),
        card("roas", k.get("roas"), settings, card_id="ins-roas", tone=None, sub=f"ROI {fmt.pct(k.get('roi_pct'))}"),
        incremental_cards(k, settings, prefix="ins-", comparison=comparison)[1],
        card(
            "poor_performers",
            k.get("poor_performers"),
            settings,
            card_id="ins-poor",
            sub=f"of {fmt.counted(k.get('influencers'), 'influencer')}",
            tone="bad" if k.get("poor_performers") else None,
        ),
    ]


def counts_text(counts: dict[str, int]) -> str:
    """Full counts per verdict ("48 to renew · 3 too early to judge"), every creator of the selection."""
    return " · ".join(verdict_phrase(v, counts[v]) for v in VERDICTS)


def _no_insights(state) -> tuple:
    return [], state, common.HIDE, [], [], "", "", []


@callback(
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Output(ids.FINDINGS, "children"),
    Output(ids.RECOMMENDATIONS, "children"),
    Output(ids.COUNTS, "children"),
    Output(ids.RULES, "children"),
    Output(table_id(ids.RECOMMENDATIONS_TABLE), "rowData"),
    Input(URL, "search"),
    Input(URL, "pathname"),
)
@common.when_no_data_set(lambda error: _no_insights(common.no_data_state(error)))
def insights_page(search, pathname):
    filters = common.filters_from_search(search)
    settings = common.settings(search)
    wh = common.warehouse()
    evidence = insights.gather(wh, filters, settings)
    k = evidence.kpis
    if not common.has_activity(k):
        return _no_insights(common.no_data_state(pathname=pathname))
    findings = insights.key_findings(wh, filters, settings, evidence)
    items = insights.recommendations(wh, filters, settings, evidence)
    measured = k.get("incrementality_method") == "event-window"
    counts = insights.verdict_counts(evidence)
    return (
        kpi_row(insight_kpis(k, settings, kpi_comparison(wh, filters, k, settings))),
        None,
        common.SHOW,
        finding_items(findings),
        recommendation_groups(items, counts[TOO_EARLY]),
        counts_text(counts),
        rules_text(settings, measured),
        table_rows(items),
    )
