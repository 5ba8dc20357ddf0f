"""Every kind of bad input stops the import with file, row, column, value and reason, and changes nothing."""

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import cli
import metrics
from warehouse import ImportFailed, Warehouse, import_dataset, sources, validate_dataset


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded(tmp_path, traps_dir):
    """A warehouse holding the traps data set, and a copy of its folder to break."""
    db = tmp_path / "wh.duckdb"
    import_dataset(traps_dir, db)
    broken = tmp_path / "broken"
    shutil.copytree(traps_dir, broken)
    return db, broken


def replace_in(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = {
    "missing required column": (
        lambda d: replace_in(d / "tracking_data.csv", ",revenue\n", ",amount_paid\n"),
        "tracking_data.csv, row 1, column revenue: missing required column",
    ),
    "non-numeric amount": (
        lambda d: replace_in(d / "tracking_data.csv", "2025-01-07,1,2000", "2025-01-07,1,two thousand"),
        "tracking_data.csv, row 3, column revenue: not a number (e.g. 2500, 2,500.00, ₹1,23,456, 1.2K; "
        "a decimal comma only when the whole column uses it) (value 'two thousand')",
    ),
    "negative count": (
        lambda d: replace_in(d / "posts.csv", "10000,400,50,50", "10000,-400,50,50"),
        "posts.csv, row 3, column likes: negative value (value '-400')",
    ),
    "impossible date": (
        lambda d: replace_in(d / "tracking_data.csv", "2025-02-02", "2025-02-30"),
        "tracking_data.csv, row 6, column date: impossible or unreadable date (expected e.g. 2025-01-16, "
        "16-01-2025, 16 Jan 2025) (value '2025-02-30')",
    ),
    "duplicate key": (
        lambda d: replace_in(d / "influencers.csv", "D4,Dev", "A1,Dev"),
        "influencers.csv, row 5, column influencer_id: duplicate key (first on row 2) (value 'A1')",
    ),
    "duplicate key after trimming": (
        lambda d: replace_in(d / "influencers.csv", "D4,Dev", " A1 ,Dev"),
        "influencers.csv, row 5, column influencer_id: duplicate key (first on row 2) (value ' A1 ')",
    ),
    "duplicate tracking id": (
        lambda d: replace_in(d / "tracking_data.csv", "T2,Instagram", "T1,Instagram"),
        "tracking_data.csv, row 3, column tracking_id: duplicate key (first on row 2) (value 'T1')",
    ),
    "unknown payout basis": (
        lambda d: replace_in(d / "payouts.csv", "B2,order", "B2,barter-ish"),
        "payouts.csv, row 4, column basis: unknown payout basis",
    ),
    "rate not understood": (
        lambda d: replace_in(d / "payouts.csv", "₹200/order,1,200", "two hundred a pop,1,"),
        "payouts.csv, row 4, column rate: rate not understood",
    ),
    # Rows after a cell holding a line break, or after an empty line, keep their own line (tester h4 F1).
    "row after a line break in a cell": (
        lambda d: (
            replace_in(d / "posts.csv", "2025-01-05,MuscleBlaze,", '2025-01-05,"Muscle\nBlaze",'),
            replace_in(d / "posts.csv", "10000,400,50,50", "10000,-400,50,50"),
        ),
        "posts.csv, row 4, column likes: negative value (value '-400')",
    ),
    "row after an empty line": (
        lambda d: (
            replace_in(d / "tracking_data.csv", "2025-01-06,2,4000\n", "2025-01-06,2,4000\n\n"),
            replace_in(d / "tracking_data.csv", "2025-01-07,1,2000", "2025-01-07,1,two thousand"),
        ),
        "tracking_data.csv, row 4, column revenue: not a number",
    ),
    "empty file": (lambda d: (d / "posts.csv").write_bytes(b""), "posts.csv: file is empty"),
    "header only": (
        lambda d: (d / "posts.csv").write_text("post_id,influencer_id,date\n"),
        "posts.csv: file has a header but no data rows",
    ),
    "unreadable file": (
        lambda d: (d / "tracking_data.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x81\n\x00\x00"),
        "tracking_data.csv: unreadable file",
    ),
    "missing influencers file": (lambda d: (d / "influencers.csv").unlink(), "no influencers file"),
}


@pytest.mark.parametrize("case", CASES)
def test_error_stops_import_and_keeps_the_warehouse(case, loaded):
    db, broken = loaded
    before_file, before_kpis = digest(db), metrics.kpis(Warehouse(db))
    mutate, expected = CASES[case]
    mutate(broken)
    with pytest.raises(ImportFailed) as failure:
        import_dataset(broken, db)
    assert expected in str(failure.value)
    with pytest.raises(ImportFailed):
        validate_dataset(broken)
    assert digest(db) == before_file
    assert metrics.kpis(Warehouse(db)) == before_kpis
    assert not list(db.parent.glob(".wh.duckdb.importing-*"))


def test_many_errors_show_twenty_and_a_count(loaded, capsys):
    db, broken = loaded
    rows = "".join(f"X{i},PromoCode,MB Jan,A1,U{i},MuscleBlaze,Whey,2025-13-0{i % 9 + 1},1,10\n" for i in range(30))
    with (broken / "tracking_data.csv").open("a", encoding="utf-8") as handle:
        handle.write(rows)
    assert cli.main(["--db", str(db), "import", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("error: tracking_data.csv, row") == 20
    assert "... and 10 more errors (30 in all)" in err
    assert "Traceback" not in err and "the warehouse was not changed" in err


def test_rows_keep_file_order_across_many_reader_batches(loaded, monkeypatch):
    """Line numbers in messages and "first order of a user" rely on staged rows keeping file order,
    also when the reader splits the file into many batches read in parallel."""
    db, broken = loaded
    monkeypatch.setattr(sources, "buffer_size", lambda path: 2 << 20)
    rows = 200_000
    # V0 orders twice on one date: first in the file from A1 (MuscleBlaze), then from B2 (HKVitals).
    duckdb.connect().execute(f"""
        COPY (SELECT 'T' || i AS tracking_id, 'PromoCode' AS source, 'MB Jan' AS campaign,
                     CASE WHEN i = {rows - 10} THEN 'B2' ELSE 'A1' END AS influencer_id,
                     CASE WHEN i IN (7, {rows - 10}) THEN 'V0' ELSE 'U' || i END AS user_id,
                     CASE WHEN i = {rows - 10} THEN 'HKVitals' ELSE 'MuscleBlaze' END AS brand, 'Whey' AS product,
                     DATE '2025-01-01' + CAST(CASE WHEN i IN (7, {rows - 10}) THEN 3 ELSE i % 300 END AS INTEGER)
                       AS date, 1 AS orders, 10.5 AS revenue
              FROM range({rows}) t(i))
        TO '{broken / "tracking_data.csv"}' (HEADER, DELIMITER ',')""")
    report = import_dataset(broken, db)
    assert report.rows["tracking"] == rows
    wh = Warehouse(db)
    assert metrics.kpis(wh)["new_customers"] == rows - 1
    assert metrics.kpis(wh, metrics.Filters(brand=["HKVitals"]))["new_customers"] == 0
    text = (broken / "tracking_data.csv").read_text(encoding="utf-8").split("\n")
    text[rows - 5] = text[rows - 5].replace(",10.5", ",ten")
    (broken / "tracking_data.csv").write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_dataset(broken, db)
    assert f"tracking_data.csv, row {rows - 4}, column revenue: not a number (e.g." in str(failure.value)
    assert "(value 'ten')" in str(failure.value)


def test_warnings_keep_going(loaded):
    db, broken = loaded
    replace_in(broken / "payouts.csv", 'E5,post,"₹3,000/post",0,3000', 'E5,post,"₹3,000/post",0,3500')
    report = import_dataset(broken, db)
    lines = [str(w) for w in report.warnings]
    assert any(
        "tracking_data.csv, column influencer_id: unknown influencer" in line and "'Z9'" in line for line in lines
    )
    assert any("payouts.csv, row 7, column total_payout: differs from its terms" in line for line in lines)
    assert any(
        "payouts.csv, row 2, column orders: payout orders differ from tracked orders (4)" in line for line in lines
    )
    assert metrics.kpis(Warehouse(db))["spend"] == pytest.approx(11850 + 500)


def test_headers_ignore_case_spaces_bom_and_crlf(tmp_path, traps_dir):
    variant = tmp_path / "variant"
    shutil.copytree(traps_dir, variant)
    text = (variant / "influencers.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    header = " ID , Name ,PLATFORM,Category, Gender ,Follower_Count"
    (variant / "influencers.csv").write_bytes(("\ufeff" + header + "\n" + rest).replace("\n", "\r\n").encode())
    (variant / "notes.txt").write_text("not data")
    report = import_dataset(variant, tmp_path / "wh.duckdb")
    assert "notes.txt" in report.unused_files
    assert metrics.kpis(Warehouse(report.db_path))["influencers"] == 5


def test_parquet_folder_imports_like_csv(tmp_path, traps_dir, traps_wh):
    folder = tmp_path / "parquet"
    folder.mkdir()
    connection = duckdb.connect()
    for csv_file in traps_dir.glob("*.csv"):
        connection.execute(
            f"COPY (SELECT * FROM read_csv('{csv_file}', all_varchar=true)) "
            f"TO '{folder / (csv_file.stem + '.parquet')}' (FORMAT parquet)"
        )
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert metrics.kpis(Warehouse(report.db_path)) == metrics.kpis(traps_wh)


def test_killed_import_leaves_previous_data(loaded, tmp_path):
    db, broken = loaded
    before = digest(db)
    big = tmp_path / "big"
    shutil.copytree(broken, big)
    duckdb.connect().execute(f"""
        COPY (SELECT 'T' || i AS tracking_id, 'PromoCode' AS source, 'MB Jan' AS campaign, 'A1' AS influencer_id,
                     'U' || (i % 50000) AS user_id, 'MuscleBlaze' AS brand, 'Whey' AS product,
                     DATE '2025-01-01' + CAST(i % 300 AS INTEGER) AS date, 1 AS orders, 999.5 AS revenue
              FROM range(4000000) t(i))
        TO '{big / "tracking_data.csv"}' (HEADER, DELIMITER ',')""")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import cli, sys; sys.exit(cli.main(sys.argv[1:]))",
            "--db",
            str(db),
            "import",
            str(big),
        ],
        cwd=Path(cli.__file__).parent,
    )
    deadline = time.time() + 60
    while not list(db.parent.glob(".wh.duckdb.importing-*")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert digest(db) == before
    assert metrics.kpis(Warehouse(db))["revenue"] == pytest.approx(20000)
    import_dataset(broken, db)  # the next import clears what the killed one left behind
    assert not list(db.parent.glob(".wh.duckdb.importing-*"))


def test_readers_see_a_new_import_at_once(tmp_path, traps_dir):
    """A reader that had the old file open sees the new data set after the swap (no stale cache)."""
    db = tmp_path / "wh.duckdb"
    import_dataset(traps_dir, db)
    reader = Warehouse(db)
    assert metrics.kpis(reader)["revenue"] == pytest.approx(20000)
    # Another connection in the process (as another server thread would hold) keeps the old file open.
    elsewhere = duckdb.connect(str(db), read_only=True)
    changed = tmp_path / "changed"
    shutil.copytree(traps_dir, changed)
    replace_in(changed / "tracking_data.csv", "2025-02-15,1,500", "2025-02-15,1,1500")
    import_dataset(changed, db)
    assert metrics.kpis(reader)["revenue"] == pytest.approx(21000)
    assert metrics.kpis(Warehouse(db))["revenue"] == pytest.approx(21000)
    elsewhere.close()


def test_a_warehouse_from_another_version_asks_for_a_new_import(tmp_path, traps_dir):
    db = tmp_path / "wh.duckdb"
    import_dataset(traps_dir, db)
    connection = duckdb.connect(str(db))
    connection.execute("UPDATE dataset_info SET value = '1' WHERE key = 'schema_version'")
    connection.close()
    from warehouse.db import WarehouseOutdated

    with pytest.raises(WarehouseOutdated, match="import the data set again"):
        metrics.kpis(Warehouse(db))


def test_an_unreadable_parquet_file_is_named_without_its_folder(loaded):
    """DuckDB's message quotes the path it read; the problem names the file as the user knows it."""
    _db, broken = loaded
    (broken / "posts.csv").unlink()
    (broken / "posts.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(ImportFailed) as raised:
        validate_dataset(broken)
    (problem,) = raised.value.errors
    assert problem.file == "posts.parquet" and problem.reason.startswith("unreadable file: ")
    assert "'posts.parquet'" in problem.reason and str(broken) not in str(raised.value)
    assert "Error:" not in problem.reason  # not DuckDB's exception class (tester h3 F15)
    assert problem.reason.endswith("not a whole Parquet file (cut short or damaged): export it again")


def test_a_blank_rate_without_totals_is_named_as_blank_not_nan(loaded):
    """B2's payout row with its rate and total_payout blank: nothing tells its cost. The error names
    the row and the rate column with no value; pandas read the blank cell as NaN, which was parsed,
    and shown, as the text 'nan' ("rate not understood … (value nan)")."""
    db, broken = loaded
    replace_in(broken / "payouts.csv", "₹200/order,1,200", ",1,")
    with pytest.raises(ImportFailed) as failure:
        import_dataset(broken, db)
    assert [str(problem) for problem in failure.value.errors] == [
        "payouts.csv, row 4, column rate: no total_cost, total_payout or rate to tell what this influencer costs"
    ]
