"""Benchmark harness: `python -m bench --orders N [--json]` (or `make bench ARGS="--orders N --json"`).

Generates (and caches) a sample data set of N orders, imports it, starts the real server
(`hkdash serve`), replays filter changes through Dash's HTTP callback endpoint, compares with a
naive pandas baseline, samples the server's memory and times the PDF report. See
docs/benchmarks.md for the keys, the targets and the results.
"""
