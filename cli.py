"""`hkdash`: import, validate, sample, summary, serve and report from the command line."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db:
        os.environ["HKDASH_DB"] = str(Path(args.db).resolve())
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PlainText(sys.stdout), PlainText(sys.stderr)
    try:
        status = args.handler(args)
        sys.stdout.flush()  # inside the try: a closed pipe must not surface at interpreter exit
        return status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return closed_pipe()
    finally:
        sys.stdout, sys.stderr = streams


class PlainText:
    """A text stream without the word joiner that keeps a negative amount whole in pages and PDFs
    (metrics.format.NEGATIVE): on a terminal it shifts columns and is copied into spreadsheets."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(plain(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def plain(text: str) -> str:
    """`text` as PlainText writes it: without the word joiner (U+2060) after a negative amount's minus."""
    return text.replace("\u2060", "")


def closed_pipe() -> int:
    """The reader of stdout went away (`hkdash summary --json | head`): stop quietly.

    Python's documented recipe (library/signal.html, "Note on SIGPIPE"): point stdout at
    /dev/null so that the flush at exit cannot raise again, and exit 1.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hkdash", description="Influencer-campaign ROI dashboard for HealthKart.")
    parser.add_argument("--db", metavar="PATH", help="warehouse file (default: $HKDASH_DB or data/warehouse.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True)

    importing = commands.add_parser("import", help="validate a folder of CSV/Parquet files and import it atomically")
    importing.add_argument(
        "dir", type=folder_argument, help="a local folder, or with --engine spark a URI (docs/scale.md)"
    )
    importing.add_argument("--name", help="data set name shown in the dashboard (default: the folder name)")
    add_years_argument(importing)
    importing.add_argument(
        "--append",
        action="store_true",
        help="add the folder's sales, posts and payouts to the live data set (overlaps refused)",
    )
    add_engine_arguments(importing)
    importing.set_defaults(handler=run_import)

    datasets = commands.add_parser("datasets", help="the live data set and the previous ones kept beside it")
    datasets.add_argument("--json", action="store_true")
    datasets.add_argument(
        "--warnings", action="store_true", help="also the import warnings kept with the live data set, one a line"
    )
    datasets.set_defaults(handler=run_datasets)

    restore = commands.add_parser("restore", help="bring a previous data set back (the live one is kept)")
    restore.add_argument(
        "name", help="a data set's id, or its name where one previous data set has it, as `hkdash datasets` lists them"
    )
    restore.set_defaults(handler=run_restore)

    validating = commands.add_parser("validate", help="check a folder as an import would, changing nothing")
    validating.add_argument("dir", type=folder_argument, help="a local folder, or with --engine spark a URI")
    add_years_argument(validating)
    validating.add_argument(
        "--append",
        action="store_true",
        help="check the folder as `import --append` would: its files and their overlaps with the live data set",
    )
    add_engine_arguments(validating)
    validating.set_defaults(handler=run_validate)

    sample = commands.add_parser("sample", help="write a deterministic sample data set")
    sample.add_argument("--out", type=Path, required=True)
    sample.add_argument("--orders", type=int, default=20_000, help="tracked orders (rows of tracking_data)")
    sample.add_argument("--influencers", type=int, default=None)
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--format", choices=("csv", "parquet"), default="csv")
    sample.add_argument("--no-lift", action="store_true", help="plant zero true lift (every sale is baseline)")
    sample.add_argument(
        "--no-organic", action="store_true", help="leave out organic_sales (the brands' total daily sales)"
    )
    sample.add_argument(
        "--no-audience",
        action="store_true",
        help="leave out the audience files and the buyers' states (sales regions) in tracking_data",
    )
    sample.add_argument(
        "--halo",
        type=float,
        default=None,
        metavar="SHARE",
        help="unattributed sales the posts add, as a share of their lifted sales (default 0.5; "
        "negative for cannibalisation, at least -1); written into truth/organic_lift.csv",
    )
    sample.add_argument(
        "--as",
        dest="store",
        choices=("tracking", "shopify"),
        default="tracking",
        help="sales as tracking_data (default) or as a Shopify order export plus a code map",
    )
    sample.set_defaults(handler=run_sample)

    summary = commands.add_parser("summary", help="the headline figures of a selection")
    add_filter_arguments(summary)
    summary.add_argument("--json", action="store_true", help="machine-readable output (docs/cli.md)")
    summary.add_argument(
        "--compare",
        choices=("previous", "year"),
        help="add the comparison period's figures and the relative changes: the previous period of "
        "equal length, or the same dates one year earlier",
    )
    add_lift_window_argument(summary)
    summary.set_defaults(handler=run_summary)

    lift = commands.add_parser("lift", help="measured incremental revenue per post, creator or segment, with intervals")
    add_filter_arguments(lift)
    add_lift_window_argument(lift)
    lift.add_argument(
        "--by",
        choices=("post", "influencer", "tier", "platform", "campaign", "brand"),
        default="influencer",
        help="level of the table (default: influencer)",
    )
    lift.add_argument("--json", action="store_true", help="machine-readable output (docs/cli.md)")
    lift.set_defaults(handler=run_lift)

    serve = commands.add_parser("serve", help="run the dashboard on a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument(
        "--auth",
        choices=("off", "password", "header"),
        help="sign-in: off (default on a loopback address), password (default elsewhere: "
        "`hkdash user add`), header (a trusted reverse proxy names the user; docs/deploy.md)",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host name visitors use (repeatable; default: the bound address and localhost)",
    )
    serve.add_argument(
        "--server",
        choices=("waitress", "gunicorn"),
        default="waitress",
        help="waitress buffers whole requests before a thread sees them (default); gunicorn "
        "only behind a buffering proxy such as the nginx of docs/deploy.md",
    )
    serve.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    serve.add_argument(
        "--threads", type=int, default=None, help="threads per process (default: 16 with waitress, 4 with gunicorn)"
    )
    serve.set_defaults(handler=run_serve)

    user = commands.add_parser("user", help="manage the users who may sign in (passwords are read from the terminal)")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    adding = user_commands.add_parser("add", help="create a user")
    adding.add_argument("name")
    adding.add_argument("--role", choices=("viewer", "analyst", "admin"), default="viewer")
    adding.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    adding.set_defaults(handler=run_user_add)
    removing = user_commands.add_parser("remove", help="delete a user")
    removing.add_argument("name")
    removing.set_defaults(handler=run_user_remove)
    passwd = user_commands.add_parser("passwd", help="set a user's password (and optionally role)")
    passwd.add_argument("name")
    passwd.add_argument("--role", choices=("viewer", "analyst", "admin"))
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(handler=run_user_passwd)
    listing = user_commands.add_parser("list", help="list users and roles")
    listing.set_defaults(handler=run_user_list)

    audit = commands.add_parser("audit", help="the newest entries of the audit log (sign-ins, imports, restores)")
    audit.add_argument("--limit", type=int, default=50)
    audit.set_defaults(handler=run_audit)

    report = commands.add_parser("report", help="write the PDF report of a selection or of a saved view")
    report.add_argument("--out", type=Path, required=True)
    report.add_argument(
        "--view", metavar="NAME", help="the saved view's page and filters (others options then not allowed)"
    )
    report.add_argument("--influencer", metavar="ID", help="the one-creator report (the creator page's PDF)")
    add_filter_arguments(report)
    add_lift_window_argument(report, default=None)
    add_plan_arguments(report, "the Budget plan section's plan, as /plan's PDF: ")
    report.set_defaults(handler=run_report)

    planning = commands.add_parser("plan", help="allocate a budget over response curves (equal marginal ROAS)")
    add_plan_arguments(planning)
    add_filter_arguments(planning)
    add_lift_window_argument(planning)
    planning.add_argument("--json", action="store_true", help="machine-readable output (docs/cli.md)")
    planning.set_defaults(handler=run_plan)

    similar = commands.add_parser("similar", help="the creators most like one creator (Gower similarity)")
    similar.add_argument("influencer_id")
    similar.add_argument("--limit", type=int, default=10)
    add_filter_arguments(similar)
    add_lift_window_argument(similar)
    similar.add_argument("--json", action="store_true", help="machine-readable output (docs/cli.md)")
    similar.set_defaults(handler=run_similar)
    views = commands.add_parser("views", help="saved views: list, save or delete (shared by everyone on the server)")
    view_commands = views.add_subparsers(dest="views_command", required=True)
    view_commands.add_parser("list", help="every saved view and its address").set_defaults(handler=run_views_list)
    saving = view_commands.add_parser("save", help="save an address (/page?filters) under a name")
    saving.add_argument("name")
    saving.add_argument("url", help="the dashboard address, e.g. '/influencers?platform=Instagram'")
    saving.set_defaults(handler=run_views_save)
    deleting = view_commands.add_parser("delete", help="delete a saved view")
    deleting.add_argument("name")
    deleting.set_defaults(handler=run_views_delete)
    return parser


def add_years_argument(parser: argparse.ArgumentParser):
    parser.add_argument(
        "--years",
        metavar="FIRST-LAST",
        type=value_rules,
        default=None,
        help="plausible years of dates in the files; others are refused (default 2000-2100)",
    )


def value_rules(text: str):
    from warehouse.values import ValueRules

    try:
        first, last = (int(part) for part in text.split("-"))
        return ValueRules(first_year=first, last_year=last)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected FIRST-LAST, e.g. 2000-2100 (got {text!r})") from None


FILTER_NAMES = ("platform", "category", "tier", "brand", "campaign", "product")


def add_filter_arguments(parser: argparse.ArgumentParser):
    for name in FILTER_NAMES:
        parser.add_argument(
            f"--{name}", action="append", default=[], metavar=name.upper(), help=f"keep only this {name} (repeatable)"
        )
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day of the date range")
    parser.add_argument("--end", metavar="YYYY-MM-DD", help="last day of the date range")
    parser.add_argument(
        "--period",
        metavar="PRESET",
        help="a date preset counted back from the last sale date: last-7, last-30, last-90, this-month, "
        "last-month, this-quarter, last-quarter, this-fy, last-fy (April–March), all (replaces --start/--end)",
    )


def add_lift_window_argument(parser: argparse.ArgumentParser, default: int | None = 14):
    """--lift-window; `default` None: not given (`report` then takes a saved view's window, else 14)."""
    parser.add_argument(
        "--lift-window",
        type=int,
        choices=(7, 14, 28),
        default=default,
        metavar="DAYS",
        help="days of a post's window for measured incrementality: 7, 14 or 28 (default "
        + ("14" if default is not None else "the saved view's window=, else 14")
        + ")",
    )


def add_plan_arguments(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """--budget, --by and --max-change of `plan` and of `report`'s Budget plan section: one meaning, unit
    and check (plan_arguments_refused). Their defaults are None (`plan_by` reads --by's), so a command
    can tell which were given."""
    parser.add_argument(
        "--budget", type=float, metavar="RUPEES", help=purpose + "total budget (default: the selection's spend)"
    )
    parser.add_argument(
        "--by", choices=("segment", "influencer"), default=None, help=purpose + "plan's unit (default segment)"
    )
    parser.add_argument(
        "--max-change",
        type=float,
        default=None,
        metavar="SHARE",
        help=purpose + "most a unit's spend may change, as a share of its spend today: 0.3 = ±30%% (default 0.3; "
        "/plan's box takes percent)",
    )


def plan_by(args) -> str:
    """The plan's unit of --by: "segment" where not given."""
    return args.by or "segment"


def plan_arguments_given(args) -> bool:
    return any(getattr(args, name) is not None for name in ("budget", "by", "max_change"))


def plan_arguments_refused(args) -> str | None:
    """Why --budget/--by/--max-change cannot be planned before any data is read (a max change outside
    0–1), or None; the budget's bounds are the planner's (metrics.planning.PlanError)."""
    return max_change_refused(args.max_change, plan_by(args))


def settings_from(args):
    from metrics import Settings

    return Settings(lift_window_days=args.lift_window)


def filters_from(args, wh=None):
    """The selection of the filter arguments; a --period preset is resolved against the last sale
    date of `wh` (metrics.periods). Raises metrics.FilterError for a bad value."""
    from metrics import Filters, sale_date_bounds

    period = getattr(args, "period", None)
    filters = Filters(
        platform=args.platform,
        category=args.category,
        tier=args.tier,
        brand=args.brand,
        campaign=args.campaign,
        product=args.product,
        start=None if period else args.start,
        end=None if period else args.end,
        period=period,
        compare=getattr(args, "compare", None) or "previous",
    )
    if filters.period is None:
        return filters
    if wh is None:
        from warehouse import Warehouse

        wh = Warehouse()
    return filters.resolved(sale_date_bounds(wh)[1])


def fail(message: str) -> int:
    print(f"hkdash: {message}", file=sys.stderr)
    return 2


def add_engine_arguments(parser) -> None:
    """--engine and --spark-master (docs/scale.md)."""
    parser.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="where the work on sales rows runs: duckdb (default) or spark (needs the spark extra and Java 17)",
    )
    parser.add_argument(
        "--spark-master",
        metavar="URL",
        help="Spark master for --engine spark (default local[*]; e.g. spark://host:7077, yarn, k8s://…)",
    )


def folder_argument(text: str) -> Path | str:
    """A folder on the command line: a local path, or a URI (s3a://…, file://…) kept as written,
    which Spark reads (warehouse/engines/spark_paths.py)."""
    from warehouse.engines.spark_paths import is_uri

    return text if is_uri(text) else Path(text)


def engine_of(args):
    """The importer's Engine for --engine/--spark-master; exits with a message when Spark is asked
    for but not installed."""
    from warehouse.importer import Engine

    if args.engine != "spark":
        if args.spark_master:
            raise SystemExit("hkdash: --spark-master needs --engine spark")
        return None
    try:
        import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError:
        raise SystemExit(
            "hkdash: --engine spark needs PySpark and SQLGlot: pip install '.[spark]' (and Java 17)"
        ) from None
    if args.spark_master and not SPARK_MASTER.fullmatch(args.spark_master):
        raise SystemExit(
            f"hkdash: --spark-master {args.spark_master!r} is not a Spark master URL: local[N], local[*], "
            "spark://host:7077, yarn, k8s://https://host:port or mesos://host:port"
        )
    return Engine("spark", args.spark_master)


# The master URLs Spark accepts (spark.apache.org/docs/latest/submitting-applications.html#master-urls):
# checked here because Spark answers a malformed one with "Java gateway process exited".
SPARK_MASTER = re.compile(r"local(\[(\d+|\*)(,\d+)?\])?|local-cluster\[\d+,\d+,\d+\]|yarn|(spark|mesos|k8s)://\S+")
JAVA_EXCEPTION = re.compile(r"\b[\w.$]*(Exception|Error): .*")


@contextlib.contextmanager
def spark_failures(engine):
    """Spark's own failures (an unreachable master, lost executors, memory) as one line naming the
    master and the Java exception, instead of a Py4J traceback. Nothing was written: an import
    swaps its warehouse in only at the end."""
    if engine is None:
        yield
        return
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (Py4JError, PySparkException) as error:
        found = JAVA_EXCEPTION.search(str(error))
        reason = found.group(0) if found else (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise SystemExit(
            f"hkdash: Spark failed on master {engine.master or 'local[*]'}: {reason[:300]} "
            "(Spark's log above says why: an unreachable master, lost executors, memory); "
            "the warehouse was not changed"
        ) from None


def run_import(args) -> int:
    import auth
    from metrics.lift.view import rebaselined_note
    from warehouse import ImportFailed, Warehouse, default_db_path, import_dataset
    from warehouse.errors import format_problems

    action = "append" if args.append else "import"
    engine = engine_of(args)
    try:
        with spark_failures(engine):
            report = import_dataset(
                args.dir, default_db_path(), name=args.name, append=args.append, engine=engine, **rules_of(args)
            )
    except ImportFailed as failure:
        print_store_orders(failure)
        print(format_problems(failure.errors, total=failure.total), file=sys.stderr)
        print(f"hkdash: {action} refused: {failure.total} error(s); the warehouse was not changed", file=sys.stderr)
        auth.record(f"{action}_refused", f"{args.dir}: {failure.total} error(s)")
        return 1
    print_report(report)
    auth.record(action, f"{args.dir}")
    print(f"{'appended' if args.append else 'imported'} {args.dir} into {report.db_path}")
    if args.append and (note := rebaselined_note(Warehouse(report.db_path))):
        print(note)
    return 0


def run_datasets(args) -> int:
    from warehouse import default_db_path
    from warehouse.history import list_datasets

    listed = list_datasets(default_db_path())
    kept = live_warning_lines(default_db_path()) if args.warnings else None
    if args.json:
        if kept is not None and listed and listed[0]["live"]:  # listed first, with its lines as /data lists them
            listed[0]["warning_lines"] = kept
        print(json.dumps(listed, indent=2))
        return 0
    from metrics import format as fmt

    if not listed:
        print("no data set imported yet")
    for entry in listed:
        mark = "live " if entry["live"] else "     "
        print(
            f"{mark}{entry['id']}  {fmt.timestamp(entry.get('imported_at')):<25} {entry.get('name') or '—'}  "
            f"({entry.get('sales_rows') or 0:,} sales rows, {entry.get('influencers') or 0:,} influencers, "
            f"{warnings_words(entry.get('warnings'))}{entry['bytes'] / 1e6:,.1f} MB)"
            + (f"  [{reason}]" if (reason := entry["cannot_restore"]) else "")
        )
    live = listed[0] if listed and listed[0]["live"] else None
    if kept is not None and live:
        print(kept_warnings_text(live, kept))
    elif live and live.get("warnings"):
        print(f"\n{kept_warnings_hint(live['warnings'], args.db)}")
    return 0


def warnings_words(count) -> str:
    """A data set's kept import warnings in `hkdash datasets`' parenthesis ("3 import warnings, "),
    nothing where there are none (or the count is unreadable)."""
    from metrics import format as fmt

    return f"{fmt.counted(count, 'import warning')}, " if count else ""


def kept_warnings_hint(count: int, db: str | None = None) -> str:
    """Where the live data set's kept import warnings are read, said where only their count is shown;
    `db`: the --db the command was given, which the command to read them needs too."""
    import shlex

    from metrics import format as fmt

    where = f" --db {shlex.quote(db)}" if db else ""
    return f"{fmt.counted(count, 'import warning')} kept with the live data set: hkdash{where} datasets --warnings"


def live_warning_lines(db_path) -> list[str]:
    """The import warnings kept with the live data set ([] without one, or when its file cannot be
    read: `hkdash datasets` lists it as unreadable): the lines /data lists."""
    import duckdb

    from warehouse.history import read_info

    try:
        return [str(line) for line in (read_info(db_path).get("warning_lines") or [])] if db_path.exists() else []
    except duckdb.Error:
        return []


def kept_warnings_text(live: dict, lines: list[str]) -> str:
    """`hkdash datasets --warnings`' block: every warning kept with the live data set, one a line as
    an import prints them, and how many more the import counted than it kept."""
    if not live.get("warnings"):
        return "\nno import warnings kept with the live data set"
    block = [f"\nimport warnings kept with {live.get('name') or live['id']}:"]
    block += [f"warning: {line}" for line in lines]
    if (more := int(live["warnings"]) - len(lines)) > 0:
        block.append(f"... and {more} more warnings not kept ({live['warnings']} in all)")
    return "\n".join(block)


def run_restore(args) -> int:
    import auth
    from metrics import format as fmt
    from warehouse import default_db_path
    from warehouse.history import HistoryError, dataset_id_named
    from warehouse.importer import restore_dataset

    try:
        restored = restore_dataset(dataset_id_named(default_db_path(), args.name), default_db_path())
    except HistoryError as error:
        return fail(str(error))
    auth.record("restore", f"{restored['id']} ({restored.get('name')})")
    print(
        f"restored {restored['id']} ({restored.get('name')}, imported {fmt.timestamp(restored.get('imported_at'))}); "
        "the data set it replaced is kept: `hkdash datasets`"
    )
    return 0


def run_validate(args) -> int:
    from warehouse import ImportFailed
    from warehouse.errors import format_problems

    try:
        report = _validated(args)
    except ImportFailed as failure:
        print_store_orders(failure)
        print(format_problems(failure.errors, total=failure.total), file=sys.stderr)
        print(f"hkdash: {failure.total} error(s) in {args.dir}", file=sys.stderr)
        return 1
    print_report(report)
    print(f"{args.dir}: valid")
    return 0


def _validated(args):
    """The report of `validate` (ImportReport); --append checks against the live data set
    (warehouse.importer.validate_append, what /data's Append mode runs). Raises ImportFailed."""
    from warehouse import default_db_path, validate_dataset
    from warehouse.importer import validate_append

    if args.append:
        if args.engine == "spark":
            raise SystemExit("hkdash: validate --append checks a local folder on DuckDB: drop --engine spark")
        return validate_append(Path(args.dir), default_db_path(), **rules_of(args))
    engine = engine_of(args)
    with spark_failures(engine):
        return validate_dataset(args.dir, engine=engine, **rules_of(args))


def rules_of(args) -> dict:
    return {"rules": args.years} if args.years else {}


def print_store_orders(failure) -> None:
    """A refused folder's store mapping, when its export and code map read well (ImportFailed.store_orders)."""
    from warehouse.store_orders import mapping_lines

    if failure.store_orders:
        for line in mapping_lines(failure.store_orders):
            print(line)


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
    if args.halo is not None and (args.no_organic or not -1 <= args.halo):
        return fail("--halo needs organic sales and a share of -1 or more")
    result = generate_sample(
        args.out,
        orders=args.orders,
        influencers=args.influencers,
        seed=args.seed,
        fmt=args.format,
        lift=not args.no_lift,
        store=None if args.store == "tracking" else args.store,
        organic=not args.no_organic,
        audience=not args.no_audience,
        **({"halo": args.halo} if args.halo is not None else {}),
    )
    print(json.dumps(result, indent=2, default=str))
    return 0


def run_summary(args) -> int:
    import metrics
    from warehouse import Warehouse
    from warehouse.db import WarehouseMissing

    try:
        wh = Warehouse()
        filters, settings = filters_from(args, wh), settings_from(args)
        document = metrics.summary(wh, filters, settings, compare=bool(args.compare))
    except metrics.FilterError as error:
        return fail(str(error))
    except WarehouseMissing as error:
        return fail(str(error))
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(format_summary(document, settings, args.db))
    return 0


def comparison_lines(document: dict) -> list[str]:
    """The text form of `summary --compare`: the comparison window and the changes the overview's
    cards show (metrics.comparison.card_changes), a change left out by a rule with its reason; a
    partial period (metrics.comparison.partial) says which ("(selection partial)") as the cards do, and why in a note;
    a period wholly outside the data has no change to list, only why."""
    from metrics import catalogue, periods
    from metrics import format as fmt
    from metrics.comparison import card_changes, partial, partial_label

    if "comparison" not in document:
        return []
    compared = document["comparison"]
    label = periods.COMPARE_LABELS[compared["mode"]]
    if not compared["start"]:
        return ["", f"{label}: none (no date range: all time has no earlier period)"]
    window = f"{fmt.date(compared['start'])} – {fmt.date(compared['end'])}"
    head = f"Change against {label.lower()}{partial_label(compared)} ({window})"
    if compared.get("undefined"):
        return ["", f"{head}: none ({compared['notice']})"]
    changes = ", ".join(
        f"{catalogue.get(key).label} {fmt.change(change)}" + (f" ({reason})" if reason else "")
        for key, change, reason in card_changes(document, document["change"], document["change_reasons"])
    )
    return ["", f"{head}: {changes}"] + ([f"Note: {compared['notice']}."] if partial(compared) else [])


def format_summary(document: dict, settings=None, db: str | None = None) -> str:
    """The summary as text: every label, formatter and formula from metrics/catalogue.py; a
    selection without any sale, order or spend reads the pages' "No sales for these filters"."""
    from metrics import catalogue
    from metrics.kpis import NO_SALES, NO_SALES_HINT, has_activity
    from metrics.lift import NO_POST, indistinguishable_note, no_post_words

    estimated = " (estimated)" if document["new_customers_estimated"] else ""
    measured = " (measured)" if document["incrementality_method"] == "event-window" else " (assumed)"

    def headline_row(key: str, label_note: str = "", interval: tuple[str, str] | None = None) -> tuple[str, str]:
        metric = catalogue.get(key)
        value = metric.text(document[key])
        if exact := catalogue.exact_note(key, document[key]):  # a headline counts whole customers
            value = f"{catalogue.headline_text(key, document[key])} ({exact})"
        # ₹0.00 at ₹0 spend says why, as the cards do: the document's notes (metrics.summary.cost_notes)
        # read the selection's recorded cost, which the document itself does not carry
        if note := document["notes"].get(key):
            value = f"{value} · {note}"
        # with no post in the selection the ₹0 has no interval to show: it says why beside it, as the
        # card does (incremental ROAS reads "—", its why in the footnote)
        if interval and no_post_words(document):
            return metric.label + label_note, value if document[key] is None else f"{value} · {NO_POST}"
        if interval and (bounds := interval_text(document[interval[0]], document[interval[1]], metric.text)):
            # an interval that includes 0 reads as no measured effect (METRICS.md), whatever the estimate's sign
            note = indistinguishable_note(document)
            value += bounds + (f": {note}" if note else "")
        return metric.label + label_note, value

    lines = [f"Selection: {describe_filters(document['filters'])}", ""]
    lines += [f"Note: {notice}" for notice in document.get("notices") or []]
    if document.get("import_warnings"):  # only /data showed them; the figures rest on that import
        lines.append(f"Note: {kept_warnings_hint(document['import_warnings'], db)}")
    lines += [""] if document.get("notices") or document.get("import_warnings") else []
    if not has_activity(document):  # as the pages: a message, not a table of zeros and empty headers
        return "\n".join(lines + [f"{NO_SALES}: no sale, order or spend in the selection. {NO_SALES_HINT}"])
    notes = {
        "revenue": " (net of refunds)" if document["refunds"] else "",
        "new_customers": estimated,
        "cac": estimated,
        "incremental_revenue": measured,
    }
    keys = [key for key in HEADLINE_KEYS if key != "refunds" or document["refunds"]]  # refunds: only where some
    headline = [headline_row(key, notes.get(key, ""), HEADLINE_INTERVALS.get(key)) for key in keys]
    width = max(len(label) for label, _ in headline)
    lines += [f"{label:<{width}}  {value}" for label, value in headline]
    lines += [footnote] if (footnote := headline_footnote(document, keys)) else []
    lines += ["", f"Incrementality: {incrementality_label(document)}"]
    lines += comparison_lines(document)
    lines += [
        "",
        explained_table(document["by_platform"], [("platform", "Platform", str), *metric_columns(PLATFORM_COLUMNS)]),
    ]
    lines += [
        "",
        "Top influencers by ROAS",
        explained_table(
            document["influencers_ranked"][:10],
            [("name", "Name", str), ("platform", "Platform", str), *metric_columns(RANKED_COLUMNS)],
        ),
    ]
    lines += ["", "How the figures are computed"]
    lines += [f"- {definition(key, settings)}" for key in DEFINED_KEYS]
    return "\n".join(lines)


# The text summary's headline figures, in order, and the interval each measured incremental figure has.
HEADLINE_KEYS = (
    "revenue",
    "refunds",
    "orders",
    "spend",
    "roas",
    "roi_pct",
    "aov",
    "cost_per_order",
    "new_customers",
    "cac",
    "incremental_revenue",
    "incremental_roas",
    "engagement_rate_pct",
    "influencers",
    "poor_performers",
)
HEADLINE_INTERVALS = {
    "incremental_revenue": ("incremental_revenue_low", "incremental_revenue_high"),
    "incremental_roas": ("incremental_roas_low", "incremental_roas_high"),
}


def headline_footnote(document: dict, keys) -> str | None:
    """The line under the text summary's headline saying why its figures among `keys` that read "—"
    are undefined (catalogue.undefined_footnote, by their labels, as under its tables); the costs per
    unit say it beside their figure already (catalogue.with_cost_note). None when none reads "—"."""
    from metrics import catalogue

    return catalogue.undefined_footnote(
        (catalogue.get(key).label, catalogue.undefined_cause(key, document))
        for key in keys
        if key not in catalogue.COST_KEYS
    )


# The catalogue metrics the text summary's tables show, and those whose formula it spells out.
PLATFORM_COLUMNS = ("influencers", "revenue", "spend", "roas", "cac")
RANKED_COLUMNS = ("revenue", "spend", "roas", "efficiency_score")
DEFINED_KEYS = ("revenue", "spend", "roas", "roi_pct", "cac", "new_customers", "poor_performers", "efficiency_score")


def metric_columns(keys) -> list[tuple]:
    """table() columns of catalogue metrics: (key, column header, full-text formatter)."""
    from metrics import catalogue

    return [(key, catalogue.get(key).column_header, catalogue.get(key).text) for key in keys]


def definition(key: str, settings=None) -> str:
    """'ROAS = revenue ÷ spend (pooled over the selection)': a metric's formula with the settings'
    thresholds, led by its label unless the formula names it already."""
    from metrics import catalogue
    from metrics.settings import DEFAULT_SETTINGS

    metric = catalogue.get(key)
    formula = metric.formula_for(settings or DEFAULT_SETTINGS)
    return formula if formula.startswith(metric.label) else f"{metric.label}: {formula}"


def incrementality_label(document: dict) -> str:
    from metrics.lift import no_post_words

    if document["incrementality_method"] == "event-window":
        no_post = no_post_words(document)
        return (
            f"measured, {document['incrementality_window_days']}-day windows, "
            f"{document['incrementality_confidence']:.0%} interval" + (f"; {no_post}" if no_post else "")
        )
    return f"assumed baseline {document['baseline_share']:.0%}: {document['incrementality_reason']}"


def interval_text(low, high, fmt) -> str:
    return "" if low is None or high is None else f" ({fmt(low)} to {fmt(high)})"


def empty_lift_words(warehouse, filters, settings) -> str:
    """Why `hkdash lift` has no row: the selection has no post at all, or none with a window in the
    data (a filter leaving nothing read as the second, tester h10)."""
    import metrics

    if not metrics.kpis(warehouse, filters, settings).get("posts"):
        return "No post in the selection."
    return f"No post of the selection has a {settings.lift_window_days}-day window in the data."


def run_lift(args) -> int:
    import metrics
    from metrics.aggregate import plain
    from metrics.format import inr, ratio
    from metrics.lift import METHOD_MEASURED, lift_status, lift_table
    from metrics.summary import organic_rows
    from warehouse import Warehouse
    from warehouse.db import WarehouseMissing

    try:
        warehouse, filters, settings = Warehouse(), filters_from(args), settings_from(args)
        method, reason = lift_status(warehouse, settings)
        frame = lift_table(warehouse, args.by, filters, settings) if method == METHOD_MEASURED else None
        organic = organic_rows(warehouse, filters, settings)
    except (metrics.FilterError, WarehouseMissing) as error:
        return fail(str(error))
    if frame is None:
        if args.json:
            document = {"method": method, "reason": reason, "window_days": settings.lift_window_days, "rows": []}
            print(json.dumps({**document, "organic_check": organic}, indent=2, ensure_ascii=False))
            return 0
        return fail(
            f"incrementality cannot be measured on this data set ({reason}); summary shows the assumed baseline"
        )
    columns = [c for c in LIFT_COLUMNS[args.by] if c in frame.columns]
    if args.json:
        rows = [
            {c: (row[c].date().isoformat() if c == "date" else plain(row[c])) for c in columns}
            for row in frame.to_dict("records")
        ]
        print(
            json.dumps(
                {
                    "method": method,
                    "window_days": settings.lift_window_days,
                    "confidence": settings.lift_confidence,
                    "by": args.by,
                    "rows": rows,
                    "organic_check": organic,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    formats = {
        "baseline_per_day": inr,
        "window_revenue": inr,
        "incremental_revenue": inr,
        "incremental_revenue_low": inr,
        "incremental_revenue_high": inr,
        "incremental_roas": ratio,
        "spend": inr,
        "date": lambda d: d.date().isoformat(),
    }
    print(
        f"Incremental revenue by {args.by}, {settings.lift_window_days}-day windows, "
        f"{settings.lift_confidence:.0%} intervals ({describe_filters(filters.as_dict())})"
    )
    if frame.empty:
        print(empty_lift_words(warehouse, filters, settings))
    else:
        print(
            explained_table(
                frame.to_dict("records"),
                [(c, c.replace("_", " "), formats.get(c, str)) for c in columns],
                by_label=True,
            )
        )
    print()
    print(organic_text(organic, settings))
    return 0


def organic_text(rows: list[dict] | None, settings) -> str:
    """The organic-sales check under `hkdash lift`'s table: one line per campaign burst, or how to add the file."""
    from metrics.format import inr
    from metrics.lift.organic import HOW_TO_ADD, NO_FILE

    if rows is None:
        return f"Organic-sales check: {NO_FILE}; {HOW_TO_ADD}."
    heading = (
        f"Organic-sales check: lift of each brand's total sales around its campaigns, "
        f"{settings.lift_confidence:.0%} intervals, against the attributed lift of its posts"
    )
    if not rows:
        return f"{heading}\nNo campaign of the selection has organic sales to check."

    def money(value):
        return "—" if value is None else inr(value)

    columns = [
        ("brand", "brand", str),
        ("campaign", "campaign", str),
        ("start", "start", str),
        ("window_end", "window end", lambda v: v or "—"),
        ("total_lift", "total lift", money),
        ("total_lift_low", "low", money),
        ("total_lift_high", "high", money),
        ("attributed_lift", "attributed lift", money),
        ("verdict", "verdict", str),
        ("reason", "note", lambda v: v or ""),
    ]
    return f"{heading}\n{table(rows, columns)}"


LIFT_KEYS = (
    "posts",
    "baseline_per_day",
    "window_revenue",
    "incremental_revenue",
    "incremental_revenue_low",
    "incremental_revenue_high",
    "spend",
    "incremental_roas",
    "verdict",
)
LIFT_COLUMNS = {
    "post": ("post_id", "influencer_id", "name", "date") + LIFT_KEYS,
    "influencer": ("influencer_id", "name", "platform", "tier") + LIFT_KEYS,
    **{level: (level,) + LIFT_KEYS for level in ("tier", "platform", "campaign", "brand")},
}


def describe_filters(filters: dict) -> str:
    from metrics import Filters

    return Filters(**filters).describe()


def explained_table(rows: list[dict], columns, metric_of: dict[str, str] | None = None, by_label=False) -> str:
    """table() and, under it, why its figures that read "—" are undefined (the PDF's footnote,
    catalogue.undefined_footnote) and why its costs per unit read ₹0.00 (catalogue.zero_cost_footnote),
    when one does. `metric_of`: {row field: catalogue key} where a
    field holds a metric under another name (the plan's marginal_roas is planned_marginal_roas);
    `by_label`: the footnote names the columns by their catalogue labels (a table headed by its
    fields' own words: "incremental roas" is Incremental ROAS)."""
    from metrics import catalogue

    metric_of = metric_of or {}
    as_metrics = [row | {metric_of[field]: row[field] for field in metric_of if field in row} for row in rows]
    causes, costs = [], []
    for field, title, _ in columns:
        key = metric_of.get(field, field)
        named = catalogue.get(key).label if by_label and key in catalogue.CATALOGUE else title
        causes += [(named, catalogue.undefined_cause(key, row)) for row in as_metrics]
        costs += [(named, zero_cost_note(key, row)) for row in as_metrics]
    footnotes = (catalogue.undefined_footnote(causes), catalogue.zero_cost_footnote(costs))
    return table(rows, columns) + "".join(f"\n{footnote}" for footnote in footnotes if footnote)


def zero_cost_note(key: str, row: dict) -> str | None:
    """catalogue.zero_cost_note of a cell; a summary --json row's own note where it has one (its
    `notes` read the row's posts and recorded cost, which the JSON row does not keep)."""
    from metrics import catalogue

    note = catalogue.zero_cost_note(key, row)
    return (row.get("notes") or {}).get(key, note) if note else None


def table(rows: list[dict], columns) -> str:
    """`rows` as aligned columns ((field, title, formatter) each), padded to the text the terminal
    gets (plain: a negative amount's word joiner is not written, so it must not count in the width)."""
    cells = [[title for _, title, _ in columns]] + [
        [plain(str(fmt(row[key]))) for key, _, fmt in columns] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells)


def serve_environment(args, env=os.environ) -> dict[str, str]:
    """HKDASH_* settings the app reads at start, from `serve`'s options (explicit environment wins).

    Sign-in is off only on a loopback address; session cookies are Secure except on loopback
    (elsewhere TLS terminates in front, docs/deploy.md); the Host allow-list is the bound address,
    localhost and every --allowed-host."""
    from auth.web import LOOPBACK_NAMES, is_loopback

    loopback = is_loopback(args.host)
    hosts = list(
        dict.fromkeys([*args.allowed_host, *([] if args.host in ("0.0.0.0", "::") else [args.host]), *LOOPBACK_NAMES])
    )
    settings = {
        "HKDASH_AUTH": args.auth or ("off" if loopback else "password"),
        "HKDASH_ALLOWED_HOSTS": ",".join(hosts),
    }
    if loopback:
        settings["HKDASH_COOKIE_SECURE"] = "0"
    if args.auth:  # an explicit option beats the environment
        return {**{k: v for k, v in settings.items() if k not in env}, "HKDASH_AUTH": args.auth}
    return {k: v for k, v in settings.items() if k not in env}


def run_serve(args) -> int:
    from auth import store
    from warehouse import Warehouse
    from warehouse.db import WarehouseOutdated

    warehouse = Warehouse()
    try:
        empty = not warehouse.has_data()
    except WarehouseOutdated as error:
        return fail(str(error))
    os.environ.update(serve_environment(args))
    mode = os.environ["HKDASH_AUTH"]
    if mode == "password" and not any(u.role == "admin" for u in store.list_users()):
        return fail(
            f"sign-in is on ({'--auth password' if args.auth == 'password' else f'{args.host} is not a loopback address'}) "
            f"and {store.auth_db_path()} has no admin: "
            "run `hkdash user add NAME --role admin` first (or `--auth header` behind a sign-in proxy)"
        )
    print(
        f"hkdash: serving {warehouse.path} on http://{args.host}:{args.port}/ (sign-in: {mode}; "
        f"hosts: {os.environ['HKDASH_ALLOWED_HOSTS']})",
        flush=True,
    )
    if empty:
        # A first start: the pages say "No data set" and /data imports one, so the server is useful.
        print(
            f"hkdash: {warehouse.path} holds no data set yet: import one on /data or with `hkdash import DIR`",
            flush=True,
        )
    if args.server == "gunicorn":
        return serve_gunicorn(args)
    return serve_waitress(args)


def serve_waitress(args) -> int:
    """One process, `threads` threads; waitress reads each request in full (spooling big bodies to
    disk, refusing those above the limit) before a thread runs it, so slow clients cost no thread."""
    import waitress

    from app import server
    from reports import slots

    # waitress stops on SystemExit as on Ctrl-C, and then the report worker can be stopped in order
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        waitress.serve(
            server,
            host=args.host,
            port=args.port,
            threads=args.threads or 16,
            ident="hkdash",
            max_request_body_size=server.config["MAX_CONTENT_LENGTH"],
            channel_timeout=60,
            connection_limit=200,
            cleanup_interval=10,
            clear_untrusted_proxy_headers=True,
            _quiet=True,
        )
    finally:
        slots.shutdown()
    return 0


def _exit_on_signal(_signum, _frame):
    raise SystemExit


def serve_gunicorn(args) -> int:
    from gunicorn.app.base import BaseApplication

    class DashboardServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads or 4)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", None)
            # Gunicorn 25.1+ opens a management socket at one fixed path per user by default: a second
            # server on the machine takes it over, and nobody here manages workers through it.
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("worker_exit", stop_report_worker)

        def load(self):
            # Imported in the worker, after the fork: each process starts its own browser for charts.
            from app import server

            return server

    DashboardServer().run()
    return 0


def stop_report_worker(_arbiter, _worker) -> None:
    """gunicorn's worker_exit hook, in the worker on its way out: its report worker goes with it."""
    from reports import slots

    slots.shutdown()


def read_password(from_stdin: bool) -> str:
    """A new password: from standard input (one line), or typed twice at a prompt that does not echo."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise ValueError("the two passwords differ")
    return first


def run_user_add(args) -> int:
    import auth
    from auth import store

    try:
        user = store.add_user(args.name, args.role, read_password(args.password_stdin))
    except (store.UserError, ValueError) as error:
        return fail(str(error))
    auth.record("user_add", f"{user.name} as {user.role}")
    print(f"added {user.name} ({user.role}) to {store.auth_db_path()}")
    return 0


def run_user_remove(args) -> int:
    import auth
    from auth import store

    try:
        store.remove_user(args.name)
    except store.UserError as error:
        return fail(str(error))
    auth.record("user_remove", args.name)
    print(f"removed {args.name}")
    return 0


def run_user_passwd(args) -> int:
    import auth
    from auth import store

    try:
        if store.get_user(args.name) is None:
            raise store.UserError(f"no user {args.name}")
        store.set_password(args.name, read_password(args.password_stdin))
        if args.role:
            store.set_role(args.name, args.role)
    except (store.UserError, ValueError) as error:
        return fail(str(error))
    auth.record("user_passwd", args.name + (f", role {args.role}" if args.role else ""))
    print(f"password of {args.name} changed" + (f"; role {args.role}" if args.role else ""))
    return 0


def run_user_list(args) -> int:
    from auth import store

    users = store.list_users()
    if not users:
        print(f"no users in {store.auth_db_path()}")
    for user in users:
        print(f"{user.name:<24} {user.role:<8} created {user.created_at}")
    return 0


def run_audit(args) -> int:
    from auth import store

    for entry in store.audit_entries(args.limit):
        print(f"{entry.at}  {entry.address:<15} {entry.user:<16} {entry.action:<14} {entry.detail}")
    return 0


def run_report(args) -> int:
    import metrics
    from components.ids.creator import creator_id_of
    from metrics.planning import PlanError
    from reports import ReportError, build_report
    from reports.creator import build_creator_report
    from reports.plan_section import PlanRequest
    from warehouse import Warehouse, saved_views
    from warehouse.db import WarehouseMissing

    refused = plan_arguments_refused(args) or report_plan_arguments_refused(args)
    if refused:
        return fail(refused)
    about = None
    try:
        if args.view is not None:
            if any(getattr(args, name) for name in FILTER_NAMES + ("start", "end", "period", "influencer")):
                return fail("--view takes its filters from the saved view: give no other filter")
            view = saved_views.get_view(args.view)
            filters = metrics.Filters.from_query_string(view.query)
            if filters.period is not None:  # relative periods count back from the data's last sale, today
                filters = filters.resolved(metrics.sale_date_bounds(Warehouse())[1])
            about = f"the saved view “{view.name}”: the {page_title(view.path)} page ({view.url})"
            influencer_id = creator_id_of(view.path)  # a view of a creator page: that creator's report
            window = view_lift_window(view, args.lift_window)
            request = view_plan_request(view) if influencer_id is None else None
        else:
            filters = filters_from(args)
            influencer_id = args.influencer
            window = args.lift_window
            request = PlanRequest(plan_by(args), args.budget, args.max_change)
        settings = metrics.Settings(lift_window_days=window or metrics.DEFAULT_SETTINGS.lift_window_days)
        if influencer_id is not None:
            pdf = build_creator_report(Warehouse(), influencer_id, filters, settings)
        else:
            pdf = build_report(Warehouse(), filters, settings, about=about, plan_request=request)
    except metrics.UnknownInfluencer:
        return fail(f"no creator with id {influencer_id!r} in the data set")
    except (metrics.FilterError, WarehouseMissing, ReportError, PlanError, saved_views.ViewError) as error:
        return fail(str(error))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(f"wrote {args.out} ({len(pdf):,} bytes)")
    return 0


def report_plan_arguments_refused(args) -> str | None:
    """Why `report` cannot take --budget/--by/--max-change: a saved view carries the plan its page
    planned (as the page's PDF does), and the one-creator report has no Budget plan section."""
    if not plan_arguments_given(args):
        return None
    if args.view is not None:
        return (
            "--view takes its plan (by, budget, max change) from the saved view: give no --by, --budget or --max-change"
        )
    if args.influencer is not None:
        return "--by, --budget and --max-change plan a selection's report; the one-creator report (--influencer) has no plan"
    return None


def view_plan_request(view):
    """The plan request (reports.plan_section.PlanRequest) of a saved view's address, read as the
    page's Download PDF reads its own (callbacks.plan.plan_request). Raises PlanError where /plan
    refuses it, naming the view and the value in terminal words (the page's point to its boxes)."""
    from callbacks.plan import plan_request
    from metrics.planning import PlanError

    where = f"the saved view “{view.name}” ({view.url})"
    refused = plan_value_refused(view.url)
    if refused:
        raise PlanError(
            f"{where}: {refused}, so /plan makes no plan of it: save the view again with a value /plan takes"
        )
    try:
        return plan_request(view.query)
    except PlanError as error:
        raise PlanError(f"{where}: {error}") from None


def plan_value_refused(url: str) -> str | None:
    """Why /plan cannot plan the address `url` ("max_change=abc is not a number"),
    or None where its by, budget and max change (if any) are values /plan's controls hold; any page's
    address, as its PDF's Budget plan reads them too (a number out of range is the planner's to refuse,
    on the data)."""
    from urllib.parse import urlsplit

    from components.page_state import PLAN_VALUE_WANTED, query_of, refused_plan_value

    query = query_of(urlsplit(url).query)
    key = refused_plan_value(query)
    if key is None:
        return None
    return f"{key}={query[key]} {PLAN_VALUE_WANTED[key][0]}"


def view_lift_window(view, given: int | None) -> int | None:
    """The lift window (days) of a saved view's `window=` (the page showed its figures on it), or
    `given` (--lift-window) where the view names none. Raises ViewError for a window that is not
    one, or one --lift-window contradicts."""
    from components.page_state import query_of
    from metrics.settings import lift_window_of
    from warehouse.saved_views import ViewError

    saved = query_of(view.query).get("window")
    if saved is None:
        return given
    try:
        days = lift_window_of(saved)
    except ValueError as error:
        raise ViewError(f"the saved view “{view.name}” ({view.url}): {error}") from None
    if given is not None and given != days:
        raise ViewError(
            f"the saved view “{view.name}” uses a {days}-day lift window (window={saved}); --lift-window {given} "
            "contradicts it: give no --lift-window with this view, or save the view with that window"
        )
    return days


# `hkdash plan`'s row fields and the catalogue metrics that name them, as /plan's allocation table
# does (its marginal ROAS is the one at the planned spend).
PLAN_COLUMNS = (
    ("current_spend", "current_spend"),
    ("planned_spend", "planned_spend"),
    ("expected_incremental_revenue", "expected_incremental_revenue"),
    ("low", "expected_incremental_revenue_low"),
    ("high", "expected_incremental_revenue_high"),
    ("marginal_roas", "planned_marginal_roas"),
    ("measured_incremental_revenue", "measured_incremental_revenue"),
)


def run_plan(args) -> int:
    import metrics
    from metrics import catalogue
    from metrics.format import inr, ratio
    from metrics.planning import PlanError, plan
    from metrics.planning.curves import exponent_at_bound, exponent_bound_text
    from metrics.planning.plan import (
        TODAY_ON_CURVES,
        held_back_text,
        held_text,
        pooled_text,
        total_label,
        unvalued_text,
    )
    from warehouse import Warehouse
    from warehouse.db import WarehouseMissing

    settings = settings_from(args)
    refused = plan_arguments_refused(args)
    if refused:
        return fail(refused)
    by = plan_by(args)
    try:
        result = plan(Warehouse(), args.budget, by, args.max_change, filters_from(args), settings)
    except (metrics.FilterError, WarehouseMissing, PlanError) as error:
        return fail(str(error))
    document = result.as_json()
    # /plan's warning of an exponent at its bound: "lower" / "upper" / null
    document["exponent_at_bound"] = exponent_at_bound(result.curves.beta, settings)
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    key = "segment" if by == "segment" else "influencer_id"
    print(
        f"Plan of {inr(result.budget)} by {by}, at most ±{result.max_change:.0%} per {result.unit_word}, "
        f"curve exponent {result.curves.beta:.2f}"
    )
    bound = exponent_bound_text(result.curves.beta, settings)
    if bound:
        print(bound)
    named = [("influencer_id", "Influencer ID", str), ("name", "Name", str)]  # ids alone named no one
    columns = ([(key, "Segment", str)] if by == "segment" else named) + [
        (field, catalogue.get(metric).column_header, ratio if metric.endswith("marginal_roas") else inr)
        for field, metric in PLAN_COLUMNS
    ]
    print(explained_table(document["rows"], columns, dict(PLAN_COLUMNS)))
    totals = result.totals
    for name in ("current", "planned"):
        part = totals[name]
        print(
            f"{name}: spend {inr(part['spend'])}, expected incremental revenue "
            f"{inr(part['expected_incremental_revenue'])} ({inr(part['low'])} to {inr(part['high'])})"
            + labelled(total_label(name, part))
        )
    gain = totals["gain"]
    print(
        f"change against today: {inr(gain['value'])} ({inr(gain['low'])} to {inr(gain['high'])})"
        + labelled(total_label("gain", gain))
    )
    print(TODAY_ON_CURVES)
    notes = (pooled_text(result), held_text(result, settings), unvalued_text(result), held_back_text(result, settings))
    for text in notes:
        if text:
            print(text)
    return 0


def max_change_refused(max_change: float | None, by: str) -> str | None:
    """Why `--max-change` cannot be planned (outside 0–1, a share: /plan's box takes percent), or None."""
    from metrics.planning.plan import unit_word

    if max_change is None or 0 <= max_change <= 1:
        return None
    return (
        f"--max-change is a share of each {unit_word(by)}'s spend today, between 0 and 1 (0.3 = ±30 %; "
        f"/plan's box takes percent), not {max_change:g}."
    )


def labelled(label: str | None) -> str:
    """ ": label" after a figure where it has one (an interval that includes 0), else nothing."""
    return f": {label}" if label else ""


def run_similar(args) -> int:
    import metrics
    from metrics.aggregate import plain
    from metrics.format import ratio, share
    from metrics.planning.similar import similar
    from warehouse import Warehouse
    from warehouse.db import WarehouseMissing

    try:
        frame = similar(Warehouse(), args.influencer_id, filters_from(args), settings_from(args), args.limit)
    except KeyError as error:
        return fail(str(error.args[0]))
    except (metrics.FilterError, WarehouseMissing) as error:
        return fail(str(error))
    keys = ("influencer_id", "name", "similarity", "shared", "spend", "incremental_roas", "marginal_roas", "verdict")
    rows = [
        {k: (list(row[k]) if k == "shared" else plain(row[k])) for k in keys}
        | {"under_funded": bool(row["under_funded"])}
        for row in frame.to_dict("records")
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    columns = [
        ("influencer_id", "id", str),
        ("name", "name", str),
        ("similarity", "similarity", share),
        ("incremental_roas", "incr. ROAS", ratio),
        ("verdict", "verdict", str),
        ("under_funded", "candidate to scale", lambda v: "yes" if v else ""),
        ("shared", "shared", lambda v: ", ".join(v)),
    ]
    print(table(rows, columns))
    return 0


def page_title(path: str) -> str:
    """A page's name from its path: "/" is the Overview, "/influencers" the Influencers page."""
    first = path.strip("/").split("/")[0]
    return first.replace("-", " ").capitalize() if first else "Overview"


def run_views_list(_args) -> int:
    from warehouse import saved_views

    views = saved_views.list_views()
    if not views:
        print("no saved views (save one from the dashboard's Views menu, or with `hkdash views save`)")
    for view in views:
        print(f"{view.name:<32} {view.url:<60} saved by {view.saved_by} at {view.saved_at}")
    return 0


def run_views_save(args) -> int:
    import getpass

    from warehouse import saved_views

    refused = plan_value_refused(args.url)
    if refused:  # its report would exit 2 and the page show no plan: nothing worth keeping
        return fail(f"view “{args.name}” not saved: {refused}, so /plan makes no plan of {args.url}")
    try:
        view = saved_views.save_view(args.name, args.url, getpass.getuser())
    except saved_views.ViewError as error:
        return fail(str(error))
    print(f"saved view “{view.name}”: {view.url}")
    return 0


def run_views_delete(args) -> int:
    from warehouse import saved_views

    try:
        saved_views.delete_view(args.name)
    except saved_views.ViewError as error:
        return fail(str(error))
    print(f"deleted view “{args.name}”")
    return 0


if __name__ == "__main__":
    sys.exit(main())
