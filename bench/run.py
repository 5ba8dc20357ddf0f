"""`python -m bench --orders N [--json]`: one benchmark run at one data size (docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

PAGES = ("/", "/influencers", "/lift", "/plan")  # /plan: the budget planner callback (issue 12, ≤ 1 s at 10M)
LIFT_CONTROLS = "/lift controls"  # the window selector and the post picker of /lift, timed like a page
KEYS = (
    "orders",
    "import_s",
    "duckdb_read_csv_s",
    "interaction_p50_ms",
    "interaction_p95_ms",
    "pandas_p50_ms",
    "pandas_p95_ms",
    "speedup_p50",
    "server_rss_mb",
    "report_cold_s",
    "report_warm_s",
)


def build_parser() -> argparse.ArgumentParser:
    """The command line of `python -m bench`."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--orders", type=int, required=True, help="tracking_data rows of the generated data set")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="print one JSON document (keys: docs/benchmarks.md)")
    parser.add_argument("--cache", type=Path, default=None, help="data set cache (default bench/.cache)")
    parser.add_argument("--changes", type=int, default=24, help="filter changes per page (at least 20 counted)")
    parser.add_argument(
        "--pandas-changes",
        type=int,
        default=None,
        help="time the pandas baseline on only the first K filter changes (default: all)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (hkdash serve default: 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (hkdash serve default: 4)")
    parser.add_argument("--connections", type=int, default=6, help="parallel browser connections (default 6)")
    parser.add_argument("--no-report", action="store_true", help="skip the PDF report timings")
    parser.add_argument("--no-tour", action="store_true", help="skip the visit of every page (RSS only)")
    parser.add_argument(
        "--import-only", action="store_true", help="stop after the import timings (no server, pandas or PDF)"
    )
    parser.add_argument(
        "--server-log",
        type=Path,
        default=None,
        help="write the server's output here (default: bench/.cache/<N>-<seed>.server.log)",
    )
    return parser


def percentile(values, q) -> float | None:
    """The q-th percentile of the values, None for none."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else None


def log(message: str, quiet: bool):
    """A timestamped progress line: on stderr when stdout carries the JSON result."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr if quiet else sys.stdout, flush=True)


def close_enough(a, b, rel: float = 1e-6, abs_tol: float = 0.01) -> bool:
    """Equal within a relative 1e-6 or 1 paisa."""
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_tol)


def run(args) -> dict:
    """One benchmark run: import, interactions against a live server, the pandas baseline, the PDF.

    Returns the result document (keys: KEYS and the details documented in docs/benchmarks.md).
    """
    from bench import dataset, report_timing
    from bench.scenarios import filter_changes
    from warehouse import Warehouse

    say = lambda message: log(message, args.json)  # noqa: E731
    cache = args.cache or dataset.DEFAULT_CACHE
    cache.mkdir(parents=True, exist_ok=True)
    result: dict = {key: None for key in KEYS}
    result.update(
        orders=args.orders,
        seed=args.seed,
        code=code_version(),
        cpus=os.cpu_count(),
        load_avg_start=list(os.getloadavg()),
        cpu_probe_ms_start=cpu_probe_ms(),
        errors=[],
    )
    source = prepare_dataset(cache, args, result, say)
    db = cache / f"{args.orders}-{args.seed}.duckdb"
    result.update(measure_import(source, db, cache, say))
    if args.import_only:
        result["load_avg_end"] = list(os.getloadavg())
        result["cpu_probe_ms_end"] = cpu_probe_ms()
        return result
    wh = Warehouse(db)
    changes = filter_changes(wh, count=max(args.changes, 1))
    result.update(measure_server(db, changes, args, cache, say))
    result.update(compare_with_pandas(source, wh, changes, args.pandas_changes, say))
    result["speedup_p50"] = speedup(result["pandas_p50_ms"], result["interaction_p50_ms"])
    say(f"speedup p50 {result['speedup_p50']:.1f}x" if result["speedup_p50"] else "speedup p50: —")
    if not args.no_report:
        say("PDF report: cold (fresh `hkdash report`) and warm (second build in one process)")
        result.update(report_timing.report_times(db))
        say(
            f"report cold {result['report_cold_s']} s, warm {result['report_warm_s']} s"
            + (f" ({result['report_error']})" if result.get("report_error") else "")
        )
    result["load_avg_end"] = list(os.getloadavg())
    result["cpu_probe_ms_end"] = cpu_probe_ms()
    return result


def prepare_dataset(cache: Path, args, result: dict, say) -> Path:
    """The generated data set of this size and seed (cached), described into `result`; its folder."""
    from bench import dataset

    source, cached, generated_s = dataset.dataset_dir(cache, args.orders, args.seed)
    csv = source / "tracking_data.csv"
    result.update(
        dataset=str(source),
        cached=cached,
        generate_s=round(generated_s, 2),
        tracking_csv_mb=round(csv.stat().st_size / 2**20, 1),
    )
    say(
        f"data set {source} ({'cached' if cached else f'generated in {generated_s:.1f} s'}, "
        f"{result['tracking_csv_mb']} MiB tracking_data.csv)"
    )
    return source


def measure_import(source: Path, db: Path, cache: Path, say) -> dict:
    """`hkdash import` of the data set against DuckDB's bare read_csv of tracking_data.csv (seconds,
    wall and CPU, and their ratios)."""
    from bench import dataset

    dataset.warm_page_cache(source)
    out: dict = {}
    out["duckdb_read_csv_s"], out["duckdb_read_csv_cpu_s"] = dataset.duckdb_read_csv(
        source / "tracking_data.csv", cache
    )
    say(f"duckdb read_csv reference: {out['duckdb_read_csv_s']:.2f} s")
    out["import_s"], out["import_cpu_s"], out["import_stages"] = dataset.timed_import(source, db)
    out["import_ratio"] = out["import_s"] / out["duckdb_read_csv_s"]
    out["import_cpu_ratio"] = out["import_cpu_s"] / max(out["duckdb_read_csv_cpu_s"], 1e-9)
    say(
        f"import: {out['import_s']:.2f} s ({out['import_ratio']:.2f}x the reference; "
        f"CPU {out['import_cpu_s']:.1f} s vs {out['duckdb_read_csv_cpu_s']:.1f} s)"
    )
    return out


def measure_server(db: Path, changes: list, args, cache: Path, say) -> dict:
    """Filter changes on each of PAGES through a live gunicorn server, the PDF through HTTP, a visit
    of every other page, and the server's peak RSS (MiB)."""
    from bench.dash_client import DashClient
    from bench.server import Server

    out: dict = {"errors": []}
    server_log = args.server_log or cache / f"{args.orders}-{args.seed}.server.log"
    out["server_log"] = str(server_log)
    server = Server(db, workers=args.workers, threads=args.threads, log=server_log)
    try:
        server.wait_ready()
        say(f"server up on port {server.port} (pid {server.process.pid})")
        client = DashClient("127.0.0.1", server.port, connections=args.connections)
        try:
            pages = {page: time_page(client, server, page, changes) for page in PAGES}
            pages[LIFT_CONTROLS] = time_lift_controls(client, server, len(changes))
            for page, timed in pages.items():
                times = timed["times"]
                say(
                    f"{page}: p50 {percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms "
                    f"({len(times)} changes, {timed['details'][0]['requests']} requests each)"
                )
            if not args.no_report:  # the navbar's "Download PDF", twice in the same worker
                out.update(http_report_times(client, say))
            if not args.no_tour:
                out["errors"] += visit_pages(client)
        finally:
            client.close()
        out["server_rss_mb"] = server.peak_rss_mb
        out["server_rss_all_mb"] = server.peak_rss_all_mb
    finally:
        server.stop()
    out.update(interaction_summary(pages))
    say(f"server peak RSS {out['server_rss_mb']:.0f} MiB (with child processes {out['server_rss_all_mb']:.0f})")
    return out


def time_page(client, server, page: str, changes: list) -> dict:
    """Load a page, warm each worker's connections (not counted), then time every filter change:
    {"times": [ms], "details": [per change], "server_cpu_ms": per change}."""
    from bench.scenarios import search_of

    client.load_page(page)
    for warm in (changes[0], changes[-1]):
        client.change_filters(warm)
    times, details = [], []
    cpu_before = server.cpu_s()
    for filters in changes:
        measured = client.change_filters(filters)
        times.append(measured["ms"])
        details.append(
            {
                "search": search_of(filters),
                "ms": round(measured["ms"], 1),
                "requests": measured["requests"],
                "slowest": measured["slowest"],
            }
        )
    return {"times": times, "details": details, "server_cpu_ms": (server.cpu_s() - cpu_before) * 1000 / len(changes)}


def time_lift_controls(client, server, count: int) -> dict:
    """/lift without filters: alternately a new window length (7 → 28 → 14 days: the whole page
    again, from the import-time tables of that window) and another post for the event chart, `count`
    changes after one of each unmeasured; the same shape as time_page."""
    from components.ids import lift as lift_ids

    client.load_page("/lift")
    windows = [7, 28, 14]

    def step(number: int) -> tuple[str, dict]:
        if number % 2 == 0:
            days = windows[(number // 2) % len(windows)]
            return f"window {days}", client.set_value(lift_ids.WINDOW, "value", days)
        options = client.props.get((lift_ids.POST, "options")) or []
        if not options:
            raise RuntimeError("/lift offers no post for the event chart")
        chosen = options[(number // 2 + 1) % len(options)]["value"]
        return f"post {chosen}", client.set_value(lift_ids.POST, "value", chosen)

    step(0), step(1)  # warm-up, not counted
    times, details = [], []
    cpu_before = server.cpu_s()
    for number in range(2, count + 2):
        label, measured = step(number)
        times.append(measured["ms"])
        details.append(
            {
                "search": label,
                "ms": round(measured["ms"], 1),
                "requests": measured["requests"],
                "slowest": measured["slowest"],
            }
        )
    return {"times": times, "details": details, "server_cpu_ms": (server.cpu_s() - cpu_before) * 1000 / count}


def visit_pages(client) -> list[str]:
    """Load every navbar page the timed PAGES leave out; the errors, one line each (a broken page is
    reported, not fatal)."""
    errors = []
    for page in tour_pages(client):
        try:
            client.load_page(page)
        except Exception as error:  # noqa: BLE001 - reported in the result
            errors.append(f"page {page}: {error}"[:400])
    return errors


def interaction_summary(pages: dict[str, dict]) -> dict:
    """Percentiles (ms) over every timed change, and per page (p50, p95, max, n, server CPU per
    change), from time_page results keyed by page."""
    everything = [t for timed in pages.values() for t in timed["times"]]
    return {
        "interaction_p50_ms": percentile(everything, 50),
        "interaction_p95_ms": percentile(everything, 95),
        "interaction_by_page": {
            page: {
                "p50_ms": percentile(timed["times"], 50),
                "p95_ms": percentile(timed["times"], 95),
                "max_ms": max(timed["times"]),
                "n": len(timed["times"]),
                "server_cpu_ms_per_change": timed["server_cpu_ms"],
            }
            for page, timed in pages.items()
        },
        "interactions": {page: timed["details"] for page, timed in pages.items()},
    }


def compare_with_pandas(source: Path, wh, changes: list, pandas_changes: int | None, say) -> dict:
    """The naive pandas baseline on the same filter changes: its times (ms) on the first
    `pandas_changes` (all by default), and every change's totals checked against metrics.kpis."""
    import metrics
    from bench import dataset
    from bench.baseline import PandasBaseline

    say("pandas baseline: loading the CSVs")
    baseline = PandasBaseline(source)
    out: dict = {"pandas_load_s": baseline.load_s, "pandas_frame_mb": round(baseline.memory_mb(), 1)}
    timed = len(changes[:pandas_changes] if pandas_changes else changes)
    pandas_times, pandas_cpu, mismatches = [], [], []
    for index, filters in enumerate(changes):
        if index < timed:
            started, cpu = time.perf_counter(), dataset.cpu_s()
            expected = baseline.interaction(filters)
            pandas_times.append((time.perf_counter() - started) * 1000)
            pandas_cpu.append((dataset.cpu_s() - cpu) * 1000)
        else:  # not timed: the same totals, computed without the naive merges
            expected = baseline.totals(filters)
        mismatches += kpi_mismatches(filters, metrics.kpis(wh, filters, metrics.DEFAULT_SETTINGS), expected)
    out.update(
        pandas_p50_ms=percentile(pandas_times, 50),
        pandas_p95_ms=percentile(pandas_times, 95),
        pandas_cpu_p50_ms=percentile(pandas_cpu, 50),
        pandas_timed_changes=len(pandas_times),
        correctness={"checked": len(changes), "mismatches": mismatches},
    )
    say(
        f"pandas: p50 {out['pandas_p50_ms']:.0f} ms, p95 {out['pandas_p95_ms']:.0f} ms; "
        f"correctness: {len(mismatches)} mismatch(es)"
    )
    return out


def kpi_mismatches(filters, got: dict, expected: dict) -> list[str]:
    """Where our kpis() differ from the pandas baseline's totals: revenue and orders always, spend only
    without a sale filter (spend is allocated under sale filters; the baseline cannot follow that)."""
    from bench.scenarios import search_of

    checks = [("revenue", got["revenue"], expected["revenue"]), ("orders", got["orders"], expected["orders"])]
    if not filters.has_sale_filter:
        checks.append(("spend", got["spend"], expected["spend"]))
    return [
        f"{search_of(filters) or '(no filter)'}: {name} {ours!r} != pandas {theirs!r}"
        for name, ours, theirs in checks
        if not close_enough(ours, theirs)
    ]


def speedup(pandas_ms: float | None, ours_ms: float | None) -> float | None:
    """How many times faster than the pandas baseline a median interaction is; None when either is missing."""
    return pandas_ms / ours_ms if pandas_ms and ours_ms else None


def cpu_probe_ms() -> float:
    """Milliseconds one core takes for a fixed piece of pure-Python work (about 200 on this machine
    when it has its cores to itself). The load average misses contention from outside the VM; this
    shows it: a run whose probe took twice as long ran on half a machine."""
    start = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return round((time.perf_counter() - start) * 1000, 1)


def http_report_times(client, say) -> dict:
    """The report callback through POST /_dash-update-component, twice on one keep-alive
    connection (so the same worker): first and second click after the page load."""
    times = {}
    for label in ("report_http_first_s", "report_http_second_s"):
        try:
            clicked = client.click("report-button", "report-download.data")
        except Exception as error:  # noqa: BLE001 - reported, not fatal
            return {**times, "report_http_error": str(error)[:400]}
        if clicked is None:
            return {**times, "report_http_error": "no report callback in this app"}
        seconds, response = clicked
        data = (response.get("report-download") or {}).get("data") or {}
        if not (isinstance(data, dict) and data.get("content")):
            return {**times, "report_http_error": f"no PDF in the response: {str(response)[:300]}"}
        times[label] = seconds
    say(
        f"report through HTTP: first {times['report_http_first_s']:.2f} s, second {times['report_http_second_s']:.2f} s"
    )
    return times


def code_version() -> str | None:
    """The commit the run measured (read-only git calls), `+modified` when tracked files differ."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (head + ("+modified" if dirty else "")) or None


def tour_pages(client) -> list[str]:
    """The navbar's pages (from the layout's nav-link ids) other than the timed PAGES."""
    paths = []
    for original in client.ids.values():
        if isinstance(original, dict) and original.get("type") == "nav-link":
            paths.append(original.get("path"))
    return [p for p in paths if p and p not in PAGES]


def main(argv: list[str] | None = None) -> int:
    """`python -m bench`: run, print the result (table or JSON); 1 when the numbers differ from pandas."""
    args = build_parser().parse_args(argv)
    if args.orders < 1:
        print("python -m bench: --orders must be positive", file=sys.stderr)
        return 2
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        width = max(len(k) for k in KEYS)
        print()
        for key in KEYS:
            value = result[key]
            print(f"{key:<{width}}  {value:.3f}" if isinstance(value, float) else f"{key:<{width}}  {value}")
    if result.get("correctness") and result["correctness"]["mismatches"]:
        print(
            "python -m bench: results differ from the pandas baseline:\n  "
            + "\n  ".join(result["correctness"]["mismatches"][:20]),
            file=sys.stderr,
        )
        return 1
    return 0
