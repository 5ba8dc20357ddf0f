"""`python -m bench.spark --orders N [--master local[2]] [--compare] [--json]`: the Spark engine beside DuckDB.

Generates (once, cached in `bench/.cache/<N>-<seed>/`, shared with `python -m bench`) the sample data
set of N tracked orders, reads its files once (untimed), then in the same run times

1. `import_dataset` with the DuckDB engine (the default);
2. `import_dataset` with the Spark engine on `--master` (a new local SparkSession: its start is
   part of the time, as it is for `hkdash import --engine spark`), split into the time spent in
   Spark (staging, checks, typing, first orders, cells, cost allocation, facts, rollups, cohorts,
   Parquet hand-over) and the rest (DuckDB: small files, lift, swap);

and reports what the dashboard reads: the rows of each rollup and of `facts` (the sales cells
plus the cost pieces, written by Spark), and the warehouse file's size. `--compare` also checks that both warehouses hold
the same tables (tests/spark_equality.py's rule). Results: docs/benchmarks.md, "Spark engine".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import duckdb

from bench.dataset import DEFAULT_CACHE, dataset_dir, timed_import, warm_page_cache
from warehouse.build import ROLLUPS
from warehouse.importer import Engine, import_dataset


class SparkProfile:
    """Wraps the Spark engine's calls (SparkConnection's execute, write_parquet and read_once, the
    staging) so that each outermost call is recorded: what it was, the Spark jobs it ran, its wall
    seconds and the CPU seconds of the Spark JVM (all its threads: tasks, planning, code generation,
    JIT, GC), read from /proc. `spark_s` sums the outermost calls' wall seconds."""

    WRAPPED = ("execute", "write_parquet", "read_once")

    def __init__(self):
        from warehouse.engines import spark

        self.steps: list[dict] = []
        self.spark_s = 0.0
        self._depth = 0
        self._jvm_pid = None
        for name in self.WRAPPED:
            setattr(spark.SparkConnection, name, self._wrap(getattr(spark.SparkConnection, name), name))
        spark.stage_tracking = self._wrap(spark.stage_tracking, "stage_tracking")

    def _wrap(self, original, name):
        def timed(con, *args, **kwargs):
            if self._depth:
                return original(con, *args, **kwargs)
            self._depth += 1
            started, cpu, jobs = time.perf_counter(), self._jvm_cpu(con), self._jobs(con)
            try:
                return original(con, *args, **kwargs)
            finally:
                self._depth -= 1
                wall = time.perf_counter() - started
                self.spark_s += wall
                self.steps.append(
                    {
                        "step": self._label(name, args),
                        "jobs": self._jobs(con) - jobs,
                        "wall_s": round(wall, 2),
                        "jvm_cpu_s": round(self._jvm_cpu(con) - cpu, 2),
                    }
                )

        return timed

    @staticmethod
    def _label(name: str, args) -> str:
        caller = sys._getframe(2).f_code.co_name
        text = " ".join(str(args[0]).split())[:70] if args and isinstance(args[0], str) else ""
        return f"{caller} → {name}" + (f": {text}" if text else "")

    @staticmethod
    def _jobs(con) -> int:
        tracker = con.spark.sparkContext.statusTracker()
        return len(tracker.getJobIdsForGroup(None))

    def _jvm_cpu(self, con) -> float:
        if self._jvm_pid is None:
            self._jvm_pid = con.spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        return self.jvm_cpu_total()

    def jvm_cpu_total(self) -> float | None:
        """The Spark JVM's CPU seconds since it started (its start included); None before it started.
        PySpark's JVM outlives the stopped session, so this can be read after the import."""
        if self._jvm_pid is None:
            return None
        fields = Path(f"/proc/{self._jvm_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sizes(db: Path) -> dict:
    """Rows of `facts` and each rollup, and the warehouse file's size."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {}
        for table in ROLLUPS:
            (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            tables[table] = {"rows": rows}
        (sales_rows,) = con.execute("SELECT value FROM dataset_info WHERE key = 'sales_rows'").fetchone()
    finally:
        con.close()
    return {"tables": tables, "file_mb": round(db.stat().st_size / 2**20, 1), "sales_rows": json.loads(sales_rows)}


def run(orders: int, seed: int, cache: Path, master: str, compare: bool) -> dict:
    """One measurement of both engines. Keys: orders, csv_mb, duckdb_import_s, spark_import_s,
    spark_part_s (in Spark), spark_rest_s, spark_jobs, spark_jvm_cpu_s (the JVM's CPU seconds, its
    start included), spark_steps (SparkProfile.steps: step, jobs, wall_s, jvm_cpu_s), ratio
    (Spark ÷ DuckDB), sizes (sizes()), same_tables (with compare), load_avg_start / _end."""
    result: dict = {"orders": orders, "seed": seed, "master": master, "load_avg_start": list(os.getloadavg())}
    source, cached, generate_s = dataset_dir(cache, orders, seed)
    result.update(cached=cached, generate_s=round(generate_s, 2))
    result["csv_mb"] = round((source / "tracking_data.csv").stat().st_size / 2**20, 1)
    warm_page_cache(source)
    duck_db, spark_db = cache / f"engine-duckdb-{orders}.duckdb", cache / f"engine-spark-{orders}.duckdb"
    result["duckdb_import_s"] = round(timed_import(source, duck_db)[0], 2)
    profile = SparkProfile()
    started = time.perf_counter()
    import_dataset(source, spark_db, name=source.name, engine=Engine("spark", master))
    result["spark_import_s"] = round(time.perf_counter() - started, 2)
    result["spark_part_s"] = round(profile.spark_s, 2)
    result["spark_rest_s"] = round(result["spark_import_s"] - profile.spark_s, 2)
    result["spark_jobs"] = sum(step["jobs"] for step in profile.steps)
    result["spark_jvm_cpu_s"] = round(profile.jvm_cpu_total(), 2)
    result["spark_steps"] = profile.steps
    result["ratio"] = round(result["spark_import_s"] / result["duckdb_import_s"], 2)
    result["sizes"] = sizes(spark_db)
    if compare:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from spark_equality import differences

        result["same_tables"] = differences(duck_db, spark_db) == []
    result["load_avg_end"] = list(os.getloadavg())
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spark", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, required=True, help="tracked orders of the generated set")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    parser.add_argument("--compare", action="store_true", help="also check that both warehouses are the same")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    result = run(args.orders, args.seed, args.cache, args.master, args.compare)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{result['orders']:,} orders ({result['csv_mb']} MB CSV): DuckDB engine {result['duckdb_import_s']} s, "
        f"Spark engine {result['spark_import_s']} s on {args.master} ({result['spark_part_s']} s in Spark, "
        f"{result['spark_rest_s']} s in DuckDB), ratio {result['ratio']}×; load {result['load_avg_start'][0]:.1f}"
    )
    print(f"  Spark: {result['spark_jobs']} jobs, JVM CPU {result['spark_jvm_cpu_s']} s (its start included)")
    for step in result["spark_steps"]:
        print(
            f"    {step['jobs']:3d} jobs {step['wall_s']:8.2f} s wall {step['jvm_cpu_s']:8.2f} s JVM CPU  {step['step']}"
        )
    for table, size in result["sizes"]["tables"].items():
        print(f"  {table}: {size['rows']:,} rows")
    print(f"  warehouse file: {result['sizes']['file_mb']} MB")
    if "same_tables" in result:
        print(f"  same tables as the DuckDB engine: {result['same_tables']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
