"""PDFs are rendered away from the pages: in a separate, lower-priority worker process, one at a
time per server process, with a bounded queue. Expensive work must not starve pages.

A report takes seconds of CPU (WeasyPrint in Python, charts in Chromium). Rendered in a server
thread it would hold the GIL against every page callback of that process; instead it runs in a
worker process (`concurrent.futures.ProcessPoolExecutor`, started with "spawn" so that it
inherits no threads, locks or DuckDB handles) niced by 10, so the kernel serves page threads
first. `HKDASH_REPORT_CONCURRENCY` (default 1) reports render at once and at most
`HKDASH_REPORT_QUEUE` (default 8) wait, asleep: with 16 server threads and 8 reports in flight,
8 threads answer pages. A request beyond the queue gets ReportsBusy at once.
`HKDASH_REPORT_PROCESS=0` renders in the calling thread instead (the slots still apply).

The semaphores and the pool are process-wide by design (they bound the process); they hold no
request data. The worker and its chart browser end with the server: the server calls shutdown() on
its way out (SIGTERM, Ctrl-C), and a worker whose server died without that (SIGKILL, a crash) notices
within PARENT_CHECK_S and exits, so none is left re-parented to PID 1.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from reports.pdf import ReportError

WAIT_S = 180


class ReportsBusy(ReportError):
    """Too many reports are being prepared on this server; the message asks to try again."""


def _setting(name: str, default: int) -> int:
    return max(1, int(os.environ.get(name, default)))


_rendering = threading.BoundedSemaphore(_setting("HKDASH_REPORT_CONCURRENCY", 1))
_queue = threading.BoundedSemaphore(_setting("HKDASH_REPORT_CONCURRENCY", 1) + _setting("HKDASH_REPORT_QUEUE", 8))


@contextlib.contextmanager
def report_slot(wait_s: float = WAIT_S):
    """Hold one of the process's report slots for the duration of the block.

    Raises ReportsBusy when the queue is full (immediately) or no slot frees within `wait_s` seconds."""
    if not _queue.acquire(blocking=False):
        raise ReportsBusy("the server is preparing many reports right now: try again in a minute")
    try:
        if not _rendering.acquire(timeout=wait_s):
            raise ReportsBusy("the server is still busy with other reports: try again in a minute")
        try:
            yield
        finally:
            _rendering.release()
    finally:
        _queue.release()


_pool_lock = threading.Lock()
_pool: dict[int, ProcessPoolExecutor] = {}  # pid -> pool: a forked child builds its own
WORKER_NICENESS = 10
PARENT_CHECK_S = 1.0


def _start_worker(server_pid: int) -> None:
    """Initializer of a report worker: lower priority; Ctrl-C (sent to the terminal's whole process
    group) is left to the server, which stops the worker in order; and exit if the server dies."""
    os.nice(WORKER_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(server_pid,), name="hkdash-server-watch", daemon=True).start()


def _exit_when_orphaned(server_pid: int) -> None:
    """In the worker: once the server is gone (re-parented: the server was killed before it could
    stop the pool), close the chart browser and exit. Its main thread waits on the pool's queue,
    whose write end this process also holds, so it would never see the server go."""
    while os.getppid() == server_pid:
        time.sleep(PARENT_CHECK_S)
    from reports import images

    images.shutdown()
    os._exit(0)


def _executor() -> ProcessPoolExecutor:
    with _pool_lock:
        pool = _pool.get(os.getpid())
        if pool is None:
            pool = ProcessPoolExecutor(
                max_workers=_setting("HKDASH_REPORT_CONCURRENCY", 1),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            _pool[os.getpid()] = pool
        return pool


def shutdown() -> None:
    """Stop this process's report worker, and with it its chart browser (on the server's way out):
    reports still waiting are cancelled, one being rendered is finished first."""
    with _pool_lock:
        pool = _pool.pop(os.getpid(), None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _build(db_path: str, filters, settings, influencer_id: str | None = None, plan_request=None) -> bytes:
    from reports import build_report
    from reports.plan_section import PlanRequest
    from warehouse import Warehouse

    if influencer_id is not None:
        from reports.creator import build_creator_report

        return build_creator_report(Warehouse(db_path), influencer_id, filters, settings)
    return build_report(Warehouse(db_path), filters, settings, plan_request=plan_request or PlanRequest())


def _warm() -> None:
    """In the report worker: import what a report needs and start its chart browser (reports.images
    starts it on a background thread and renders a first chart)."""
    import reports.build  # noqa: F401  (pandas, DuckDB, plotly, WeasyPrint and the metrics)
    from reports import images

    images.prestart()


_warming: set[int] = set()  # pids whose report worker was asked to warm up


def prewarm() -> None:
    """Get this server process's report renderer ready before the first "Download PDF" click, on
    a background worker (returns at once; once per process): the report worker process is started
    and imports the report's modules and starts its chart browser, so the first click pays neither.
    With HKDASH_REPORT_PROCESS=0 only the chart browser starts, in this process."""
    if os.environ.get("HKDASH_REPORT_PROCESS", "1") == "0":
        from reports import images

        images.prestart()
        return
    with _pool_lock:
        if os.getpid() in _warming:
            return
        _warming.add(os.getpid())
    _executor().submit(_warm)


def build_report_bounded(db_path, filters, settings, influencer_id: str | None = None, plan_request=None) -> bytes:
    """The PDF of `filters` in the warehouse at `db_path` (one creator's, with `influencer_id`),
    built in the report worker under a slot; `plan_request` (reports.plan_section.PlanRequest, None:
    the default) is what /plan planned, for the plan section.

    Raises ReportsBusy (queue full, or no slot in time), ReportError (as build_report), and
    metrics' errors unchanged (they pickle back from the worker)."""
    with report_slot():
        if os.environ.get("HKDASH_REPORT_PROCESS", "1") == "0":
            return _build(str(db_path), filters, settings, influencer_id, plan_request)
        try:
            job = _executor().submit(_build, str(db_path), filters, settings, influencer_id, plan_request)
            return job.result(timeout=WAIT_S)
        except BrokenProcessPool:
            with _pool_lock:
                _pool.pop(os.getpid(), None)
            raise ReportError("the report worker stopped (out of memory?): try again") from None
