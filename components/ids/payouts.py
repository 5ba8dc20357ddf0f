"""Ids of the payouts page (pages/payouts.py, callbacks/payouts.py)."""

EMPTY = "pay-empty"
BODY = "pay-body"
KPIS = "pay-kpis"
BASIS_CHART = "pay-basis-chart"
CPO_CHART = "pay-cpo-chart"
RECONCILIATION_SUMMARY = "pay-reconciliation-summary"
DIFFERS_ONLY = "pay-differs-only"

BASIS_TABLE = "payouts-by-basis"
RECONCILIATION_TABLE = "payouts-reconciliation"
