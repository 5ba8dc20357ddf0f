"""How many PDFs one server process renders at once, and how many may wait: expensive work must
not starve pages.

A report holds a thread for seconds and most of a CPU (WeasyPrint in Python, charts in Chromium).
Rendering one at a time per process (`HKDASH_REPORT_CONCURRENCY`, default 1) and letting at most
`HKDASH_REPORT_QUEUE` (default 8) wait keeps the other server threads free for pages: with 16
threads and 8 reports in flight, 7 threads wait on this semaphore (asleep, no CPU) and 8 answer
pages. A request beyond the queue gets ReportsBusy at once instead of taking another thread.

The semaphore is process-wide by design (it bounds the process, not a request); it holds no data.
"""
from __future__ import annotations

import contextlib
import os
import threading

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
