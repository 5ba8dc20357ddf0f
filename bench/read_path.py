"""In-process timings of the pages' slow callbacks on an imported warehouse (no HTTP, no server).

    python -m bench.read_path --db bench/.cache/10000000-42.duckdb --changes 8 [--json]

Calls the callback functions themselves (the functions the `@callback` decorators register) for
the first `--changes` filter changes of bench/scenarios.py, after one unmeasured warm-up call each
(the per-file-version caches filled, as in a running server), and prints per callback the median
and largest process CPU and wall milliseconds. The HTTP figures are `python -m bench`'s; this
separates the server's own work from the transport and the machine's load when profiling.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path


def _callbacks():
    import app  # noqa: F401  (registers the pages and their callbacks)
    from callbacks import influencers, lift, overview, plan

    return {
        "/ kpis": lambda search: overview.overview_kpis(search, "/"),
        "/ top": lambda search: overview.overview_top(search, "revenue"),
        # the page's other two data callbacks of a change (with the KPIs and the top chart: most of its server CPU)
        "/ trend": lambda search: overview.overview_trend(search, "week", "sale"),
        "/ platform share": lambda search: overview.overview_platform_share(search),
        "/influencers ranking": lambda search: influencers.influencer_ranking(search, "all", "/influencers"),
        "/lift page": lambda search: lift.lift_page(search, None, "/lift"),
        "/lift creators": lambda search: lift.lift_creators(search, None),  # a request beside the page's
        "/lift window 28": lambda search: lift.lift_page(search, 28, "/lift"),
        "/lift creators window 28": lambda search: lift.lift_creators(search, 28),
        "/plan page": lambda search: plan.plan_page(search, "segment", None, None, None, "/plan"),
    }


def measure(db: Path, changes: int) -> dict:
    """{callback: {cpu_ms_p50, cpu_ms_max, wall_ms_p50, wall_ms_max}} over `changes` selections."""
    os.environ["HKDASH_DB"] = str(db)
    from bench.scenarios import filter_changes, search_of
    from warehouse import Warehouse

    searches = [search_of(f) for f in filter_changes(Warehouse(db), changes)]
    out = {}
    for name, call in _callbacks().items():
        call(searches[-1])  # warm-up: caches of this file version, imports
        cpu, wall = [], []
        for search in searches:
            c0, w0 = time.process_time(), time.perf_counter()
            call(search)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        out[name] = {
            "cpu_ms_p50": round(statistics.median(cpu)),
            "cpu_ms_max": round(max(cpu)),
            "wall_ms_p50": round(statistics.median(wall)),
            "wall_ms_max": round(max(wall)),
        }
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="an imported warehouse (.duckdb)")
    parser.add_argument("--changes", type=int, default=8, help="filter changes timed per callback")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {"load_avg": os.getloadavg()[0], "timings": measure(args.db, args.changes)}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"load average {result['load_avg']:.2f}")
    for name, t in result["timings"].items():
        print(
            f"{name:24s} cpu p50 {t['cpu_ms_p50']:6d} max {t['cpu_ms_max']:6d} ms · wall p50 {t['wall_ms_p50']:6d} max {t['wall_ms_max']:6d} ms"
        )


if __name__ == "__main__":
    main()
