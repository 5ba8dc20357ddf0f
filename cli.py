"""`hkdash`: import, validate, sample, summary, serve and report from the command line."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db:
        os.environ["HKDASH_DB"] = str(Path(args.db).resolve())
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hkdash", description="Influencer-campaign ROI dashboard for HealthKart.")
    parser.add_argument("--db", metavar="PATH", help="warehouse file (default: $HKDASH_DB or data/warehouse.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    importing = commands.add_parser("import", help="validate a folder of CSV/Parquet files and import it atomically")
    importing.add_argument("dir", type=Path)
    importing.add_argument("--name", help="data set name shown in the dashboard (default: the folder name)")
    importing.set_defaults(handler=run_import)

    validating = commands.add_parser("validate", help="check a folder as an import would, changing nothing")
    validating.add_argument("dir", type=Path)
    validating.set_defaults(handler=run_validate)

    sample = commands.add_parser("sample", help="write a deterministic sample data set")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--orders", type=int, default=20_000, help="tracked orders (rows of tracking_data)")
    sample.add_argument("--influencers", type=int, default=None)
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--format", choices=("csv", "parquet"), default="csv")
    sample.add_argument("--as", dest="store", choices=("tracking", "shopify"), default="tracking",
                        help="sales as tracking_data (default) or as a Shopify order export plus a code map")
    sample.set_defaults(handler=run_sample)

    summary = commands.add_parser("summary", help="the headline figures of a selection")
    add_filter_arguments(summary)
    summary.add_argument("--json", action="store_true", help="machine-readable output (docs/cli.md)")
    summary.set_defaults(handler=run_summary)

    serve = commands.add_parser("serve", help="run the dashboard on a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--threads", type=int, default=4)
    serve.set_defaults(handler=run_serve)

    report = commands.add_parser("report", help="write the PDF report of a selection")
    report.add_argument("--out", type=Path, required=True)
    add_filter_arguments(report)
    report.set_defaults(handler=run_report)
    return parser


def add_filter_arguments(parser: argparse.ArgumentParser):
    for name in ("platform", "category", "tier", "brand", "campaign", "product"):
        parser.add_argument(f"--{name}", action="append", default=[], metavar=name.upper(),
                            help=f"keep only this {name} (repeatable)")
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day of the date range")
    parser.add_argument("--end", metavar="YYYY-MM-DD", help="last day of the date range")


def filters_from(args):
    from metrics import Filters

    return Filters(platform=args.platform, category=args.category, tier=args.tier, brand=args.brand,
                   campaign=args.campaign, product=args.product, start=args.start, end=args.end)


def fail(message: str) -> int:
    print(f"hkdash: {message}", file=sys.stderr)
    return 2


def run_import(args) -> int:
    from warehouse import ImportFailed, default_db_path, import_dataset
    from warehouse.errors import format_problems

    try:
        report = import_dataset(args.dir, default_db_path(), name=args.name)
    except ImportFailed as failure:
        print(format_problems(failure.errors, total=failure.total), file=sys.stderr)
        print(f"hkdash: import refused: {failure.total} error(s); the warehouse was not changed", file=sys.stderr)
        return 1
    print_report(report)
    print(f"imported {args.dir} into {report.db_path}")
    return 0


def run_validate(args) -> int:
    from warehouse import ImportFailed, validate_dataset
    from warehouse.errors import format_problems

    try:
        report = validate_dataset(args.dir)
    except ImportFailed as failure:
        print(format_problems(failure.errors, total=failure.total), file=sys.stderr)
        print(f"hkdash: {failure.total} error(s) in {args.dir}", file=sys.stderr)
        return 1
    print_report(report)
    print(f"{args.dir}: valid")
    return 0


def print_report(report):
    from warehouse.errors import format_problems

    for line in report.summary_lines():
        print(line)
    if report.warning_count:
        print(format_problems(report.warnings, kind="warning", total=report.warning_count))


def run_sample(args) -> int:
    from warehouse.sample import generate_sample

    if not 1 <= args.orders:
        return fail("--orders must be positive")
    if args.store == "shopify" and args.format != "csv":
        return fail("--as shopify writes CSV (a store's export format)")
    result = generate_sample(args.out, orders=args.orders, influencers=args.influencers, seed=args.seed,
                             fmt=args.format, store=None if args.store == "tracking" else args.store)
    print(json.dumps(result, indent=2, default=str))
    return 0


def run_summary(args) -> int:
    import metrics
    from warehouse import Warehouse
    from warehouse.db import WarehouseMissing

    try:
        filters = filters_from(args)
        document = metrics.summary(Warehouse(), filters)
    except metrics.FilterError as error:
        return fail(str(error))
    except WarehouseMissing as error:
        return fail(str(error))
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(format_summary(document))
    return 0


def format_summary(document: dict) -> str:
    from metrics.format import count, inr, pct, ratio, score

    lines = [f"Selection: {describe_filters(document['filters'])}", ""]
    headline = [
        ("Revenue", inr(document["revenue"])), ("Orders", count(document["orders"])),
        ("Spend", inr(document["spend"])), ("ROAS", ratio(document["roas"])), ("ROI", pct(document["roi_pct"])),
        ("AOV", inr(document["aov"], 2)), ("Cost per order", inr(document["cost_per_order"], 2)),
        ("New customers" + (" (estimated)" if document["new_customers_estimated"] else ""),
         count(document["new_customers"])),
        ("CAC" + (" (estimated)" if document["new_customers_estimated"] else ""), inr(document["cac"], 2)),
        (f"Incremental revenue (assumed baseline {document['baseline_share']:.0%})", inr(document["incremental_revenue"])),
        ("Incremental ROAS", ratio(document["incremental_roas"])),
        ("Engagement rate", pct(document["engagement_rate_pct"], 2)),
        ("Influencers", count(document["influencers"])), ("Poor performers", count(document["poor_performers"])),
    ]
    width = max(len(label) for label, _ in headline)
    lines += [f"{label:<{width}}  {value}" for label, value in headline]
    lines += ["", table(document["by_platform"], [("platform", "Platform", str), ("influencers", "Infl.", count),
                                                   ("revenue", "Revenue", inr), ("spend", "Spend", inr),
                                                   ("roas", "ROAS", ratio), ("cac", "CAC", inr)])]
    lines += ["", "Top influencers by ROAS", table(document["influencers_ranked"][:10], [
        ("name", "Name", str), ("platform", "Platform", str), ("revenue", "Revenue", inr),
        ("spend", "Spend", inr), ("roas", "ROAS", ratio), ("efficiency_score", "Score", score)])]
    return "\n".join(lines)


def describe_filters(filters: dict) -> str:
    from metrics import Filters

    return Filters(**filters).describe()


def table(rows: list[dict], columns) -> str:
    cells = [[title for _, title, _ in columns]] + [[str(fmt(row[key])) for key, _, fmt in columns] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells)


def run_serve(args) -> int:
    from warehouse import Warehouse
    from warehouse.db import WarehouseOutdated

    warehouse = Warehouse()
    try:
        if not warehouse.has_data():
            return fail(f"no data in {warehouse.path}: run `hkdash import DIR` (or `make run`, which imports the sample)")
    except WarehouseOutdated as error:
        return fail(str(error))
    from gunicorn.app.base import BaseApplication

    class DashboardServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", None)

        def load(self):
            # Imported in the worker, after the fork: each process starts its own browser for charts.
            from app import server

            return server

    print(f"hkdash: serving {warehouse.path} on http://{args.host}:{args.port}/", flush=True)
    DashboardServer().run()
    return 0


def run_report(args) -> int:
    import metrics
    from reports import ReportError, build_report
    from warehouse import Warehouse
    from warehouse.db import WarehouseMissing

    try:
        pdf = build_report(Warehouse(), filters_from(args), metrics.DEFAULT_SETTINGS)
    except (metrics.FilterError, WarehouseMissing, ReportError) as error:
        return fail(str(error))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(f"wrote {args.out} ({len(pdf):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
