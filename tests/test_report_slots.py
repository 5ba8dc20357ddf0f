"""Report slots: one PDF renders at a time per process, a bounded number wait, the rest are told to retry."""

from __future__ import annotations

import importlib
import threading
import time

import pytest


@pytest.fixture
def slots(monkeypatch):
    monkeypatch.setenv("HKDASH_REPORT_CONCURRENCY", "1")
    monkeypatch.setenv("HKDASH_REPORT_QUEUE", "2")
    import reports.slots

    return importlib.reload(reports.slots)


def test_one_renders_two_wait_the_fourth_is_refused_at_once(slots):
    release = threading.Event()
    inside, max_inside, outcomes = [], [0], []
    lock = threading.Lock()

    def report():
        try:
            with slots.report_slot(wait_s=10):
                with lock:
                    inside.append(1)
                    max_inside[0] = max(max_inside[0], len(inside))
                release.wait(10)
                with lock:
                    inside.pop()
            outcomes.append("done")
        except slots.ReportsBusy:
            outcomes.append("busy")

    threads = [threading.Thread(target=report) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    with pytest.raises(slots.ReportsBusy, match="try again"):
        with slots.report_slot():
            pass
    assert time.monotonic() - started < 0.5  # refused without waiting
    release.set()
    for thread in threads:
        thread.join()
    assert outcomes == ["done"] * 3 and max_inside[0] == 1


def test_a_full_queue_shows_a_message_under_the_button(slots, monkeypatch):
    from dash_helpers import text

    from callbacks import report as cb

    def busy(*_args, **_kwargs):
        raise slots.ReportsBusy("the server is preparing many reports right now: try again in a minute")

    monkeypatch.setattr(slots, "build_report_bounded", busy)
    download, status = cb.make_report("?platform=Instagram")
    assert download is cb.no_update
    assert "PDF report failed." in text(status) and "try again in a minute" in text(status)


def test_reports_are_built_in_a_niced_worker_process(slots, traps_wh):
    import os

    import metrics

    pdf = slots.build_report_bounded(traps_wh.path, metrics.Filters(platform=("Instagram",)), metrics.DEFAULT_SETTINGS)
    assert pdf.startswith(b"%PDF")
    worker_pid, niceness = slots._executor().submit(_pid_and_niceness).result(60)
    # the kernel caps niceness at 19 (the test itself may run niced)
    assert worker_pid != os.getpid() and niceness >= min(19, os.nice(0) + slots.WORKER_NICENESS)


def test_warehouse_errors_come_back_from_the_worker(slots, tmp_path):
    import metrics
    from warehouse.db import WarehouseMissing

    with pytest.raises(WarehouseMissing):
        slots.build_report_bounded(tmp_path / "none.duckdb", metrics.Filters(), metrics.DEFAULT_SETTINGS)


def _pid_and_niceness():
    import os

    return os.getpid(), os.nice(0)


def test_prewarm_starts_the_report_worker_and_its_chart_browser_not_this_process(slots, monkeypatch):
    """HKDASH_REPORT_PREWARM's warm-up must happen where reports render: in the report worker (a
    chart browser in the server process would never draw a report chart), once per process."""
    from pathlib import Path

    from reports import images

    if not Path(images.chromium_path()).is_file():
        pytest.skip("chromium not installed")
    monkeypatch.delenv("HKDASH_REPORT_PROCESS", raising=False)
    here = []  # the worker is spawned, not forked: this stand-in only sees starts in this process
    monkeypatch.setattr(images, "prestart", lambda: here.append(1))
    slots.prewarm()
    slots.prewarm()
    pool = slots._executor()
    try:
        deadline = time.monotonic() + 120
        while not pool.submit(images.is_running).result(120) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert pool.submit(images.is_running).result(60)
        assert here == [] and len(slots._warming) == 1
    finally:
        slots._pool.clear()  # later tests get a fresh worker, not this shut-down pool
        pool.shutdown(wait=True)
