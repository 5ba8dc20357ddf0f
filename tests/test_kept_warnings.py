"""The import warnings kept with the live data set are told by the CLI too, not only by /data:
`hkdash datasets` counts them (and `--warnings` lists them), `hkdash summary` says in one line that
there are some and where to read them; `--json` carries the same (docs/cli.md).

The traps data set (tests/fixtures/traps) imports with two warnings: A1's per-post payout row says 3
orders where 4 are tracked, and Z9's sale names an influencer missing from the list. "clean" is the
same folder with that row saying 4 and Z9's sale left out: no warning."""

from __future__ import annotations

import json
import shlex
import shutil

import pytest

import cli
from warehouse import import_dataset

TRAPS_WARNINGS = [
    "warning: payouts.csv, row 2, column orders: payout orders differ from tracked orders (4) (value '3')",
    "warning: tracking_data.csv, column influencer_id: unknown influencer (1 row): kept and shown as Unknown "
    "(value 'Z9')",
]


def hint(db) -> str:
    """The line pointing to the kept warnings: its command carries the --db it was run with."""
    return f"2 import warnings kept with the live data set: hkdash --db {shlex.quote(str(db))} datasets --warnings"


@pytest.fixture(scope="module")
def traps_db(tmp_path_factory, traps_dir):
    db = tmp_path_factory.mktemp("kept-warnings") / "warehouse.duckdb"
    import_dataset(traps_dir, db, name="traps")
    return db


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory, traps_dir):
    folder = tmp_path_factory.mktemp("clean") / "src"
    shutil.copytree(traps_dir, folder)
    payouts = (folder / "payouts.csv").read_text(encoding="utf-8")
    (folder / "payouts.csv").write_text(payouts.replace('/post",3,2000', '/post",4,2000'), encoding="utf-8")
    tracking = (folder / "tracking_data.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "tracking_data.csv").write_text("".join(t for t in tracking if not t.startswith("T8,")), encoding="utf-8")
    db = folder.parent / "warehouse.duckdb"
    import_dataset(folder, db, name="clean")
    return db


def run(capsys, db, *args) -> str:
    assert cli.main(["--db", str(db), *args]) == 0
    return capsys.readouterr().out


def test_datasets_counts_the_live_data_sets_warnings_and_says_where_to_read_them(traps_db, capsys):
    lines = run(capsys, traps_db, "datasets").splitlines()
    assert lines[0].startswith("live ") and ", 2 import warnings, " in lines[0]
    assert lines[-1] == hint(traps_db)
    # the command it names lists them
    command = shlex.split(lines[-1].split(": ", 1)[1])
    assert command[:3] == ["hkdash", "--db", str(traps_db)]
    assert run(capsys, traps_db, *command[3:]).splitlines()[-2:] == TRAPS_WARNINGS


def test_datasets_warnings_lists_them_as_the_import_printed_them(traps_db, capsys):
    out = run(capsys, traps_db, "datasets", "--warnings")
    assert out.splitlines()[-3:] == ["import warnings kept with traps:", *TRAPS_WARNINGS]
    assert hint(traps_db) not in out


def test_datasets_json_has_the_count_and_with_warnings_the_lines(traps_db, capsys):
    (live,) = json.loads(run(capsys, traps_db, "datasets", "--json"))
    assert live["warnings"] == 2 and "warning_lines" not in live
    (live,) = json.loads(run(capsys, traps_db, "datasets", "--json", "--warnings"))
    assert ["warning: " + line for line in live["warning_lines"]] == TRAPS_WARNINGS


def test_summary_says_once_that_warnings_are_kept(traps_db, capsys):
    lines = run(capsys, traps_db, "summary").splitlines()
    assert lines.count(f"Note: {hint(traps_db)}") == 1
    assert json.loads(run(capsys, traps_db, "summary", "--json"))["import_warnings"] == 2


def test_a_data_set_without_warnings_says_nothing_of_them(clean_db, capsys):
    assert "import warning" not in run(capsys, clean_db, "datasets")
    assert run(capsys, clean_db, "datasets", "--warnings").splitlines()[-1] == (
        "no import warnings kept with the live data set"
    )
    assert "import warning" not in run(capsys, clean_db, "summary")
    assert json.loads(run(capsys, clean_db, "summary", "--json"))["import_warnings"] == 0


def test_warnings_counted_beyond_the_examples_kept_are_said():
    live = {"id": "20250101T000000Z", "name": "big", "warnings": 25}
    assert cli.kept_warnings_text(live, ["a", "b"]).splitlines() == [
        "",
        "import warnings kept with big:",
        "warning: a",
        "warning: b",
        "... and 23 more warnings not kept (25 in all)",
    ]


def test_no_data_set_yet(tmp_path, capsys):
    db = tmp_path / "none.duckdb"
    assert run(capsys, db, "datasets", "--warnings") == "no data set imported yet\n"
    assert json.loads(run(capsys, db, "datasets", "--warnings", "--json")) == []
