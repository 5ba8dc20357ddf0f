"""The report's figures are computed once per warehouse file version and selection in a process
(reports.build._selection_context): a second report of the same selection reuses them, its clock
is its own, and a new import into the same path is never answered from the old figures."""

from __future__ import annotations

import dataclasses
import datetime as dt

import metrics
from reports import build
from reports.build import build_context
from tests.conftest import DATASETS, FIXTURES
from warehouse import Warehouse, import_dataset


def _counting_kpis(monkeypatch) -> list:
    calls = []
    real = metrics.kpis

    def kpis(*args, **kwargs):
        calls.append(args[1:2])
        return real(*args, **kwargs)

    monkeypatch.setattr(metrics, "kpis", kpis)
    return calls


def test_second_report_of_a_selection_reuses_its_figures_with_its_own_clock(traps_wh, monkeypatch):
    build._selection_context.cache_clear()
    calls = _counting_kpis(monkeypatch)
    filters, settings = metrics.Filters(platform=["Instagram"]), metrics.DEFAULT_SETTINGS
    first = build_context(traps_wh, filters, settings, now=dt.datetime(2025, 4, 2, 6, tzinfo=dt.UTC))
    second = build_context(
        Warehouse(traps_wh.path), filters, settings, now=dt.datetime(2025, 5, 9, 6, tzinfo=dt.UTC), about="A view"
    )
    assert len(calls) == 1  # the second (another Warehouse object on the same file) queried nothing
    assert first["generated_at"] != second["generated_at"] and "May 2025" in second["generated_at"]
    assert first["about"] is None and second["about"] == "A view"
    clock = {"generated_at", "about", "dataset"}
    assert {k: v for k, v in first.items() if k not in clock} == {k: v for k, v in second.items() if k not in clock}
    # Another selection or other settings are their own entries.
    build_context(traps_wh, metrics.Filters(), settings)
    build_context(traps_wh, filters, dataclasses.replace(settings, baseline_share=0.3))
    assert len(calls) == 3


def test_a_new_import_into_the_same_path_is_never_answered_from_the_old_figures(tmp_path, monkeypatch):
    build._selection_context.cache_clear()
    db = tmp_path / "w.duckdb"
    import_dataset(FIXTURES / "traps", db)
    wh = Warehouse(db)
    before = build_context(wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    import_dataset(DATASETS / "seed1", db)  # replaces the file (atomically: a new inode)
    after = build_context(wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    build._selection_context.cache_clear()
    fresh = build_context(wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    assert after["kpis"] == fresh["kpis"] and after["tables"] == fresh["tables"]
    assert after["kpis"] != before["kpis"]
