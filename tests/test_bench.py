"""The benchmark harness works end to end at a tiny size (a smoke test, not a timed test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.dash_client import is_pattern, split_output
from bench.run import KEYS

PROJECT = Path(__file__).resolve().parent.parent


def test_split_output_handles_multi_and_dict_ids():
    assert split_output("ov-top.figure") == [("ov-top", "figure")]
    assert split_output('..{"name":"t","type":"table"}.rowData...ov-kpis.children..') == [
        ('{"name":"t","type":"table"}', "rowData"),
        ("ov-kpis", "children"),
    ]
    assert is_pattern('{"path":["ALL"],"type":"nav-link"}')
    assert not is_pattern('{"name":"t","type":"table"}')
    assert not is_pattern("ov-kpis")


@pytest.mark.slow
def test_bench_runs_at_a_tiny_size(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--orders",
            "2000",
            "--json",
            "--changes",
            "20",
            "--no-tour",
            "--cache",
            str(tmp_path / "cache"),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout)
    for key in KEYS:
        assert key in result, key
    assert result["orders"] == 2000
    assert result["correctness"] == {"checked": 20, "mismatches": []}
    assert result["errors"] == []
    for key in (
        "import_s",
        "duckdb_read_csv_s",
        "interaction_p50_ms",
        "interaction_p95_ms",
        "pandas_p50_ms",
        "pandas_p95_ms",
        "speedup_p50",
        "server_rss_mb",
    ):
        assert isinstance(result[key], float) and result[key] > 0, (key, result[key])
    assert result["interaction_p50_ms"] <= result["interaction_p95_ms"]
    assert result["pandas_p50_ms"] <= result["pandas_p95_ms"]
    assert 50 < result["server_rss_mb"] < 8000  # two workers and a master, in MiB
    assert 0 < result["cpu_probe_ms_start"] < 60_000 and 0 < result["cpu_probe_ms_end"] < 60_000
    assert result["interaction_by_page"]["/"]["n"] == 20 and result["interaction_by_page"]["/influencers"]["n"] == 20
    assert result["interaction_by_page"]["/lift controls"]["n"] == 20  # the window selector and post picker
    for page in ("/", "/influencers", "/lift controls"):
        assert all(change["requests"] > 0 for change in result["interactions"][page])
    assert {change["search"].split()[0] for change in result["interactions"]["/lift controls"]} == {"window", "post"}
    if result.get("report_error"):
        pytest.fail(result["report_error"])
    assert 0 < result["report_warm_s"] and 0 < result["report_cold_s"]
    assert (tmp_path / "cache" / "2000-42" / ".complete").is_file()  # the data set is cached for the next run
    assert Path(result["server_log"]).is_file()


def test_interaction_summary_and_speedup():
    from bench.run import interaction_summary, speedup

    pages = {
        "/": {"times": [10.0, 20.0, 30.0], "details": [{"ms": 10.0}], "server_cpu_ms": 5.0},
        "/influencers": {"times": [40.0], "details": [{"ms": 40.0}], "server_cpu_ms": 8.0},
    }
    out = interaction_summary(pages)
    assert out["interaction_p50_ms"] == 25.0  # median of 10, 20, 30, 40
    assert out["interaction_by_page"]["/"] == {
        "p50_ms": 20.0,
        "p95_ms": 29.0,
        "max_ms": 30.0,
        "n": 3,
        "server_cpu_ms_per_change": 5.0,
    }
    assert out["interactions"]["/influencers"] == [{"ms": 40.0}]
    assert speedup(100.0, 25.0) == 4.0 and speedup(None, 25.0) is None and speedup(100.0, None) is None


def test_kpi_mismatches_skip_spend_under_a_sale_filter():
    from bench.run import kpi_mismatches
    from metrics import Filters

    got = {"revenue": 100.0, "orders": 3, "spend": 50.0}
    assert kpi_mismatches(Filters(), got, {"revenue": 100.004, "orders": 3, "spend": 50.0}) == []
    assert kpi_mismatches(Filters(), got, {"revenue": 100.0, "orders": 3, "spend": 60.0}) == [
        "(no filter): spend 50.0 != pandas 60.0"
    ]
    assert kpi_mismatches(Filters(brand=("MuscleBlaze",)), got, {"revenue": 100.0, "orders": 3, "spend": 60.0}) == []
    assert kpi_mismatches(Filters(), got, {"revenue": 101.0, "orders": 3, "spend": 50.0})[0].startswith(
        "(no filter): revenue"
    )
