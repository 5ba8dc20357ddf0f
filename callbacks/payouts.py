"""Payouts page: spend by basis (chart + table), cost per order, reconciliation of terms vs totals."""

from __future__ import annotations

import functools

from dash import Input, Output, callback

import metrics
from callbacks import common
from components import figures
from components.cards import kpi_card, kpi_row, metric_card, notice
from components.ids import payouts as ids
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import catalogue
from metrics import format as fmt
from metrics.comparison import kpi_comparison

DIFFERS = "differs from terms"
TOLERANCE = catalogue.TERMS_TOLERANCE_TEXT
# The "only rows that differ" switch filters the grid in the browser (no new query); the CSV
# button exports what the grid shows, so it follows the switch too.
DIFFERS_FILTER = {"status": {"filterType": "text", "type": "equals", "filter": DIFFERS}}


def basis_rows(frame, orders) -> list[dict]:
    """Rows of the basis table: spend, share, spend per order of the selection, influencers paid."""
    rows = records(frame, ["basis", "spend", "spend_share", "influencers"])
    for row in rows:
        row["per_order"] = metrics.ratio(row["spend"], orders)
    return rows


def payout_kpis(k: dict, reconciliation, settings, comparison: dict | None = None) -> list:
    card = functools.partial(metric_card, comparison=comparison)
    differing = reconciliation[reconciliation["status"] == DIFFERS] if len(reconciliation) else reconciliation
    gap = float(differing["difference"].sum()) if len(differing) else 0.0
    return [
        card("spend", k.get("spend"), settings, card_id="pay-spend", sub=fmt.inr(k.get("spend"))),
        card(
            "cost_per_order",
            k.get("cost_per_order"),
            settings,
            card_id="pay-cpo",
            sub=catalogue.cost_note("cost_per_order", k) or fmt.counted(k.get("orders"), "order"),
        ),
        card(
            "cac",
            k.get("cac"),
            settings,
            card_id="pay-cac",
            formula=catalogue.get("cac").formula_for(settings)
            + (" (new customers estimated)" if k.get("new_customers_estimated") else ""),
            badge="estimated" if k.get("new_customers_estimated") else None,
            sub=catalogue.cost_note("cac", k) or f"{fmt.count(k.get('new_customers'))} new customers",
        ),
        card(
            "roas",
            k.get("roas"),
            settings,
            card_id="pay-roas",
            tone=None,
            sub=f"Revenue {fmt.inr_compact(k.get('revenue'))}",
        ),
        kpi_card(
            "pay-differs",
            "Rows off terms",
            fmt.count(len(differing)),
            f"Payout rows whose total paid differs from what their terms give by more than {TOLERANCE}",
            sub=f"of {fmt.counted(len(reconciliation), 'row')} · net {fmt.inr(gap, 0)}",
            tone="bad" if len(differing) else None,
        ),
    ]


def reconciliation_summary(reconciliation):
    if not len(reconciliation):
        return None
    differing = reconciliation[reconciliation["status"] == DIFFERS]
    no_terms = int((reconciliation["status"] == "no terms").sum())
    parts = []
    if len(differing):
        parts.append(
            f"{fmt.count(len(differing))} of {fmt.count(len(reconciliation))} payout rows differ from their "
            f"terms by more than {TOLERANCE} (paid − terms: {fmt.inr(float(differing['difference'].sum()), 2)})."
        )
    else:
        parts.append(
            f"All {fmt.count(len(reconciliation) - no_terms)} payout rows with terms match them within {TOLERANCE}."
        )
    if no_terms:
        parts.append(
            f" {fmt.counted(no_terms, 'row')} {'carries' if no_terms == 1 else 'carry'} no terms to check (total only)."
        )
    return notice(
        "".join(parts),
        color="warning" if len(differing) else "success",
        icon="bi-exclamation-triangle" if len(differing) else "bi-check-circle",
    )


def reconciliation_grid_rows(frame) -> list[dict]:
    """Rows of the reconciliation grid, each with its string row id (AG Grid's `getRowId`): file and
    row, as two appended payout files each have a row 2."""
    rows = records(frame)
    for row in rows:
        row["row_key"] = f"{row['row_file']} {row['row_no']}"
    return rows


def _no_data_set(error):
    return ([], common.no_data_state(error), common.HIDE, figures.empty_figure(), [], figures.empty_figure(), None, [])


@callback(
    Output(ids.KPIS, "children"),
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Output(ids.BASIS_CHART, "figure"),
    Output(table_id(ids.BASIS_TABLE), "rowData"),
    Output(ids.CPO_CHART, "figure"),
    Output(ids.RECONCILIATION_SUMMARY, "children"),
    Output(table_id(ids.RECONCILIATION_TABLE), "rowData"),
    Input(URL, "search"),
    Input(URL, "pathname"),
)
@common.when_no_data_set(_no_data_set)
def payouts_page(search, pathname):
    """The whole page for the selection: the reconciliation is computed once, for the KPIs, the
    summary and the grid."""
    filters = common.filters_from_search(search)
    settings = common.settings()
    wh = common.warehouse()
    k = metrics.kpis(wh, filters, settings)
    if not common.has_activity(k):
        return (
            [],
            common.no_data_state(pathname=pathname),
            common.HIDE,
            figures.empty_figure(),
            [],
            figures.empty_figure(),
            None,
            [],
        )
    by_basis = metrics.payouts_by_basis(wh, filters, settings)
    by_platform = metrics.breakdown(wh, "platform", filters, settings)
    reconciliation = metrics.payout_reconciliation(wh, filters, settings)
    return (
        kpi_row(payout_kpis(k, reconciliation, settings, kpi_comparison(wh, filters, k, settings))),
        None,
        common.SHOW,
        figures.payout_mix(by_basis, height=320),
        basis_rows(by_basis, k.get("orders")),
        figures.dimension_bar(by_platform, "platform", "cost_per_order", height=300),
        reconciliation_summary(reconciliation),
        reconciliation_grid_rows(reconciliation),
    )


@callback(Output(table_id(ids.RECONCILIATION_TABLE), "filterModel"), Input(ids.DIFFERS_ONLY, "value"))
def differs_only(value):
    """The reconciliation grid's filter: only rows that differ from their terms, or every row."""
    return DIFFERS_FILTER if value else {}
