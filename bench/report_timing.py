"""PDF report timings, each in a fresh process so the bench process stays clean.

- cold: `hkdash --db X report --out F` from a new process, wall time (interpreter start, imports,
  the chart browser's start, the queries, the PDF) — what the first report after a restart costs;
- warm: `reports.build.build_report` called twice in one process; the second call is the warm time
  (the first is reported too, as `report_first_in_process_s`). The second reuses the first's
  figures (reports.build caches them per warehouse file version and selection), so a third call
  with that cache emptied is reported as `report_warm_uncached_s`: a warm process asked for a
  selection it has not seen (the queries run again, the imports and the chart browser are warm).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import PROJECT, hkdash_command

IN_ONE_PROCESS = r"""
import json, sys, time
import metrics
from reports import build
from reports.build import build_report
from warehouse import Warehouse
wh = Warehouse(sys.argv[1])
times = []
for run in range(3):
    if run == 2:
        build._selection_context.cache_clear()
    started = time.perf_counter()
    pdf = build_report(wh, metrics.Filters(), metrics.DEFAULT_SETTINGS)
    times.append(time.perf_counter() - started)
    assert pdf.startswith(b"%PDF"), "not a PDF"
print(json.dumps({"times": times, "bytes": len(pdf)}))
"""


def report_times(db: Path, timeout: float = 600) -> dict:
    env = dict(os.environ, HKDASH_DB=str(db))
    result: dict = {
        "report_cold_s": None,
        "report_warm_s": None,
        "report_first_in_process_s": None,
        "report_warm_uncached_s": None,
    }
    with tempfile.TemporaryDirectory(prefix="hkdash-bench-report-") as tmp:
        out = Path(tmp) / "report.pdf"
        started = time.perf_counter()
        cold = subprocess.run(
            hkdash_command() + ["--db", str(db), "report", "--out", str(out)],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        elapsed = time.perf_counter() - started
        if cold.returncode == 0 and out.is_file() and out.read_bytes().startswith(b"%PDF"):
            result["report_cold_s"] = elapsed
        else:
            result["report_error"] = f"hkdash report: exit {cold.returncode}: {cold.stderr.strip()[-500:]}"
        twice = subprocess.run(
            [sys.executable, "-c", IN_ONE_PROCESS, str(db)],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if twice.returncode == 0:
            times = json.loads(twice.stdout.strip().splitlines()[-1])["times"]
            first, warm, uncached = times
            result.update(report_first_in_process_s=first, report_warm_s=warm, report_warm_uncached_s=uncached)
        else:
            result.setdefault(
                "report_error", f"build_report in one process: exit {twice.returncode}: {twice.stderr.strip()[-500:]}"
            )
    return result
