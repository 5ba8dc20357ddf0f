"""Data-set history (previous data sets kept beside the live one), restore, and append mode."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from spark_equality import differences

import metrics
from warehouse import ImportFailed, Warehouse, history, import_dataset, importer
from warehouse.importer import restore_dataset
from warehouse.sample import generate_sample
from warehouse.sources import discover, load

TRAPS_POSTS_HEADER = "post_id,influencer_id,platform,date,brand,reach,likes,comments,shares\n"
TRACKING_HEADER = "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revenue(db) -> float:
    return metrics.summary(Warehouse(db), metrics.Filters())["revenue"]


@pytest.fixture
def db(tmp_path, traps_dir):
    path = tmp_path / "wh" / "warehouse.duckdb"
    import_dataset(traps_dir, path, name="january")
    return path


def month(tmp_path, rows: str, name="march", posts: str | None = None, payouts: str | None = None):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "tracking_data.csv").write_text(TRACKING_HEADER + rows, encoding="utf-8")
    if posts:
        (folder / "posts.csv").write_text(posts, encoding="utf-8")
    if payouts:
        (folder / "payouts.csv").write_text(payouts, encoding="utf-8")
    return folder


def test_an_import_keeps_the_data_set_it_replaces(db, traps_dir, monkeypatch):
    before = digest(db)
    first_id = history.dataset_id_of(db)
    import_dataset(traps_dir, db, name="february")
    listed = history.list_datasets(db)
    assert [(e["name"], e["live"]) for e in listed] == [("february", True), ("january", False)]
    assert listed[1]["id"] == first_id and listed[0]["has_sources"] and listed[1]["has_sources"]
    assert digest(history.previous_file(db, first_id)) == before  # exactly the file that was live


@pytest.mark.parametrize(
    "make",
    [lambda path: path.touch(), lambda path: duckdb.connect(str(path)).close()],
    ids=["empty-file", "empty-database"],
)
def test_a_first_import_over_a_file_with_nothing_imported_keeps_no_previous_data_set(make, tmp_path, traps_dir):
    """`hkdash serve` starts on a file created before any import; the first import replaces it but
    lists no "(unreadable file)" as a previous data set."""
    path = tmp_path / "warehouse.duckdb"
    make(path)
    import_dataset(traps_dir, path, name="first")
    assert [(e["name"], e["live"]) for e in history.list_datasets(path)] == [("first", True)]


def test_a_file_that_is_no_readable_warehouse_is_kept_as_a_previous_data_set(tmp_path, traps_dir):
    """It may hold someone's data: the import keeps its bytes in the history, named by its time."""
    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(b"not a DuckDB file")
    import_dataset(traps_dir, path, name="first")
    listed = history.list_datasets(path)
    assert [(e["name"], e["live"]) for e in listed] == [("first", True), ("(unreadable file)", False)]
    assert history.previous_file(path, listed[1]["id"]).read_bytes() == b"not a DuckDB file"


def test_the_built_file_is_synced_before_it_replaces_the_live_one(db, traps_dir, monkeypatch):
    """DuckDB does not sync the file it builds (importer.BUILD_CONFIG): the swap must, before the rename."""
    events: list[tuple[str, ...]] = []
    real_fsync, real_replace = importer._fsync, os.replace

    def fsync(path):
        events.append(("fsync", str(path)))
        real_fsync(path)

    def replace(source, target):
        events.append(("replace", str(source), str(target)))
        real_replace(source, target)

    monkeypatch.setattr(importer, "_fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    import_dataset(traps_dir, db, name="february")
    swaps = [i for i, event in enumerate(events) if event[0] == "replace" and event[2] == str(db)]
    assert len(swaps) == 1
    built = events[swaps[0]][1]
    assert Path(built).name.startswith(f".{db.name}.importing-")
    assert events.index(("fsync", built)) < swaps[0]
    assert events[swaps[0] + 1 :] == [("fsync", str(db.parent))]  # then the rename itself


def test_only_the_newest_previous_data_sets_are_kept(db, traps_dir, monkeypatch):
    monkeypatch.setenv("HKDASH_KEEP_DATASETS", "2")
    for name in ("b", "c", "d"):
        import_dataset(traps_dir, db, name=name)
    assert [e["name"] for e in history.list_datasets(db)] == ["d", "c", "b"]
    assert len([p for p in history.history_dir(db).iterdir()]) == 3  # live sources + two previous


def test_restore_brings_a_previous_data_set_back_and_keeps_the_live_one(db, traps_dir, tmp_path):
    january = history.dataset_id_of(db)
    january_revenue = revenue(db)
    import_dataset(
        month(tmp_path, "T9,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,7000\n"),
        db,
        append=True,
        name="with march",
    )
    assert revenue(db) == january_revenue + 7000
    with_march = history.dataset_id_of(db)
    restored = restore_dataset(january, db)
    assert restored["id"] == january and restored["name"] == "january" and restored["live"]
    assert revenue(db) == january_revenue  # readers see the restored file at once
    listed = {e["id"]: e["live"] for e in history.list_datasets(db)}
    assert listed[january] is True and listed[with_march] is False
    restore_dataset(with_march, db)
    assert revenue(db) == january_revenue + 7000


@pytest.mark.parametrize("name", ["../../etc/passwd", "20200101T000000000000Z", "", None])
def test_restore_of_an_unknown_name_changes_nothing(db, name):
    before = digest(db)
    with pytest.raises(history.HistoryError):
        restore_dataset(name, db)
    assert digest(db) == before


def test_a_restore_waits_for_a_running_import(db, traps_dir):
    """Both take the importer's lock: the live file is always one complete data set."""
    january = history.dataset_id_of(db)
    threads = [
        threading.Thread(target=import_dataset, args=(traps_dir, db), kwargs={"name": f"n{i}"}) for i in range(2)
    ]
    threads.append(threading.Thread(target=restore_dataset, args=(january, db)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert history.read_info(db)["name"] in ("january", "n0", "n1")
    assert revenue(db) > 0


def test_append_adds_a_new_month(db, tmp_path, traps_dir):
    before = metrics.summary(Warehouse(db), metrics.Filters())
    folder = month(
        tmp_path,
        "T20,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-03-02,2,5000\n"
        "T21,PromoCode,MB Jan,NEW1,U10,MuscleBlaze,Whey,2025-03-03,1,1000\n",
        posts="post_id,influencer_id,platform,date,brand,reach,likes,comments,shares\n"
        "P20,A1,Instagram,2025-03-01,MuscleBlaze,1000,10,1,1\n",
        payouts='influencer_id,basis,rate,orders,total_payout,gifted_products_cost\nA1,post,"₹1,000/post",2,1000,0\n',
    )
    report = import_dataset(folder, db, append=True)
    after = metrics.summary(Warehouse(db), metrics.Filters())
    assert after["revenue"] == before["revenue"] + 6000 and after["orders"] == before["orders"] + 3
    assert after["spend"] == before["spend"] + 1000
    info = history.read_info(db)
    assert info["name"] == "january" and info["posts"] == 6 and info["sales_rows"] == 10
    assert report.source == f"{traps_dir} + {folder}"
    # The user's files, never the merged folder's internal `<role>.parquet` (tester F19): the live
    # data set's file and the appended one per appended role; campaigns and influencers as they were.
    files = {
        "campaigns": "campaigns.csv",
        "influencers": "influencers.csv",
        "payouts": "payouts.csv + payouts.csv",
        "posts": "posts.csv + posts.csv",
        "tracking": "tracking_data.csv + tracking_data.csv",
    }
    assert report.files == files and info["files"] == files
    # The files table (/data, the import's text) lists each import's file with its rows, named as its
    # warnings name it: by its folder where the live data set's file has the same name (traps' 8
    # sales, 5 posts and 6 payouts, then the month's 2, 1 and 1).
    assert [tuple(row) for row in info["file_rows"]] == [
        ("campaigns", "campaigns.csv", 2),
        ("influencers", "influencers.csv", 5),
        ("payouts", "traps/payouts.csv", 6),
        ("payouts", "march/payouts.csv", 1),
        ("posts", "traps/posts.csv", 5),
        ("posts", "march/posts.csv", 1),
        ("tracking", "traps/tracking_data.csv", 8),
        ("tracking", "march/tracking_data.csv", 2),
    ]
    assert report.file_rows() == [tuple(row) for row in info["file_rows"]]
    assert not any(".parquet" in line for line in report.summary_lines())
    march = metrics.summary(Warehouse(db), metrics.Filters(start="2025-03-01", end="2025-03-31"))
    assert march["revenue"] == 6000


@pytest.mark.parametrize(
    "rows, column, value, reason",
    [
        ("T1,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,2,4000\n", "tracking_id", "T1", "already in the live"),
        ("T30,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-01-20,2,4000\n", "date", "2025-01-20", "already covers"),
        ("T31,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,two,4000\n", "orders", "two", "not a number"),
    ],
)
def test_append_refuses_overlaps_and_bad_rows_and_changes_nothing(db, tmp_path, rows, column, value, reason):
    before = digest(db)
    entries = len(history.list_datasets(db))
    with pytest.raises(ImportFailed) as failure:
        import_dataset(month(tmp_path, rows), db, append=True)
    problem = failure.value.errors[0]
    # named as the append's warnings would name it: the live data set has a tracking_data.csv too
    assert (problem.file, problem.row, problem.column, problem.value) == ("march/tracking_data.csv", 2, column, value)
    assert reason in problem.reason
    assert digest(db) == before and len(history.list_datasets(db)) == entries


def test_an_overlap_refusal_names_the_period_the_live_data_set_covers(db, tmp_path):
    """Tester (s19): "dated within the period the live data set already covers for this influencer"
    left the user to find that period. traps' A1 sold on 6 Jan, 7 Jan and 11 Feb 2025."""
    with pytest.raises(ImportFailed) as failure:
        import_dataset(
            month(tmp_path, "T30,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-01-20,2,4000\n"), db, append=True
        )
    assert [str(e) for e in failure.value.errors] == [
        "march/tracking_data.csv, row 2, column date: dated within the period the live data set already covers "
        "for this influencer: A1's sales there run from 6 Jan 2025 to 11 Feb 2025 (value '2025-01-20')"
    ]


def test_append_refuses_a_payout_row_already_there_and_a_changed_influencer(db, tmp_path):
    folder = month(
        tmp_path,
        "T40,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n",
        payouts="influencer_id,basis,rate,orders,total_payout,gifted_products_cost\nB2,order,₹200/order,1,200,100\n",
    )
    (folder / "influencers.csv").write_text(
        "influencer_id,name,platform,category,gender,follower_count\nA1,Asha Rao,Instagram,Fitness,Female,999\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failure:
        import_dataset(folder, db, append=True)
    found = {(p.file, p.row, p.column) for p in failure.value.errors}
    assert ("march/payouts.csv", 2, "influencer_id") in found and ("march/influencers.csv", 2, "influencer_id") in found


def test_append_needs_something_to_append_and_a_live_data_set(db, tmp_path, traps_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ImportFailed, match="nothing to append"):
        import_dataset(empty, db, append=True)
    with pytest.raises(ImportFailed, match="no data set to append to"):
        import_dataset(traps_dir, tmp_path / "none" / "warehouse.duckdb", append=True)
    shutil.rmtree(history.sources_dir(db, history.dataset_id_of(db)))
    folder = month(tmp_path, "T50,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n")
    with pytest.raises(ImportFailed, match="before hkdash kept sources"):
        import_dataset(folder, db, append=True)
    # a warehouse file copied without its history folder (tester s19)
    copied = tmp_path / "copy" / "copied.duckdb"
    copied.parent.mkdir()
    shutil.copy(db, copied)
    with pytest.raises(ImportFailed) as failure:
        import_dataset(folder, copied, append=True)
    assert [e.reason for e in failure.value.errors] == [
        "no copied.duckdb.history folder beside copied.duckdb, where the live data set's files are kept (a copied "
        "warehouse file needs its .history folder too): import the complete data set once, then append"
    ]


def test_restore_button_callback(db, traps_dir, monkeypatch):
    from dash_helpers import text, triggered

    from callbacks import history as cb

    monkeypatch.setenv("HKDASH_DB", str(db))
    january = history.dataset_id_of(db)
    import_dataset(traps_dir, db, name="february")
    with triggered("url.pathname"):
        table, status, restored = cb.history_card("/data", None, [None])
    assert "february" in text(table) and "january" in text(table) and restored is cb.no_update
    prop = '{"id":"%s","type":"data-restore"}.submit_n_clicks' % january
    with triggered(prop):
        table, status, restored = cb.history_card("/data", None, [1])
    assert "Restored “january”" in text(status) and isinstance(restored, str)
    assert history.read_info(db)["name"] == "january"
    from auth import store

    assert store.audit_entries(1)[0].action == "restore"


def test_hkdash_restore_takes_a_name_hkdash_datasets_shows(db, traps_dir, capsys):
    """january (the fixture's import), then february, then february again: `restore january` brings
    the one previous data set of that name back; `restore february` is refused while two previous
    ones have it, naming both ids; an id still works; the live one's name alone restores nothing."""
    import cli

    january = history.dataset_id_of(db)
    import_dataset(traps_dir, db, name="february")
    first_february = history.dataset_id_of(db)
    import_dataset(traps_dir, db, name="february")
    second_february = history.dataset_id_of(db)
    import_dataset(traps_dir, db, name="march")
    assert cli.main(["--db", str(db), "restore", "january"]) == 0
    assert history.dataset_id_of(db) == january
    assert capsys.readouterr().out.startswith(f"restored {january} (january, imported ")
    assert cli.main(["--db", str(db), "restore", "february"]) == 2
    refused = capsys.readouterr().err
    assert (
        f"2 previous data sets are named 'february': restore one by its id: {second_february}, {first_february}"
        in refused
    )
    assert history.dataset_id_of(db) == january
    assert cli.main(["--db", str(db), "restore", first_february]) == 0
    assert history.dataset_id_of(db) == first_february
    restore_dataset(january, db)
    with pytest.raises(history.HistoryError, match="'january' is the live data set already"):
        history.dataset_id_named(db, "january")
    with pytest.raises(history.HistoryError, match="neither a data set's id nor a previous data set's name"):
        history.dataset_id_named(db, "april")


def set_schema_version(path, version: int) -> None:
    """Mark a warehouse file as built by another hkdash (its dataset_info's schema_version)."""
    connection = duckdb.connect()  # a private instance: duckdb.connect(path) may hand back a cached one
    connection.execute("ATTACH ? AS d", [str(path)])
    connection.execute("UPDATE d.dataset_info SET value = ? WHERE key = 'schema_version'", [str(version)])
    connection.close()


def test_a_data_set_of_an_older_version_is_listed_as_not_restorable(db, traps_dir, monkeypatch, capsys):
    """Tester (s15): `hkdash datasets` and /data offered Restore for a data set of an older schema, and
    only the restore said it could not be done. Said up front now, no Restore button; a forged
    restore is still refused, the live data set unchanged."""
    from dash_helpers import text, triggered, walk

    import cli
    from callbacks import history as cb
    from components.history import restore_id
    from warehouse.db import SCHEMA_VERSION

    january = history.dataset_id_of(db)
    import_dataset(traps_dir, db, name="february")
    set_schema_version(history.previous_file(db, january), SCHEMA_VERSION - 1)
    listed = {e["name"]: e for e in history.list_datasets(db)}
    assert listed["january"]["schema_version"] == SCHEMA_VERSION - 1
    assert listed["january"]["cannot_restore"] == "older version: cannot be restored"
    assert listed["february"]["cannot_restore"] is None
    assert cli.main(["--db", str(db), "datasets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "january" in line][0].endswith("  [older version: cannot be restored]")
    assert "cannot be restored" not in [line for line in lines if "february" in line][0]
    monkeypatch.setenv("HKDASH_DB", str(db))
    with triggered("url.pathname"):
        table, _status, _restored = cb.history_card("/data", None, [None])
    assert "older version: cannot be restored" in text(table)
    assert [getattr(c, "id", None) for c in walk(table)].count(restore_id(january)) == 0
    before = digest(db)
    prop = '{"id":"%s","type":"data-restore"}.submit_n_clicks' % january
    with triggered(prop):
        _table, status, restored = cb.history_card("/data", None, [1])
    assert f"schema {SCHEMA_VERSION - 1}, this one reads {SCHEMA_VERSION}" in text(status) and restored is cb.no_update
    assert digest(db) == before and history.read_info(db)["name"] == "february"


def test_kept_sources_are_byte_copies_of_the_files_read(tmp_path):
    """The history keeps each file the import read, as it was (so file order, which "first order"
    depends on, is kept whatever the size), under its role's name; files not read are not kept."""
    generate_sample(tmp_path / "src", orders=3_000, seed=3)
    (tmp_path / "src" / "notes.txt").write_text("not a data file\n", encoding="utf-8")
    db = tmp_path / "wh" / "warehouse.duckdb"
    report = import_dataset(tmp_path / "src", db)
    kept = history.sources_dir(db, history.dataset_id_of(db))
    assert sorted(p.name for p in kept.iterdir()) == sorted(f"{role}.csv" for role in report.files)
    for role, name in report.files.items():
        assert (kept / f"{role}.csv").read_bytes() == (tmp_path / "src" / name).read_bytes()


def sloppy_copy(traps_dir, folder):
    """The traps with a tracking file staged as text (a revenue written "₹1,200.50") and an
    influencers file in Windows-1252 (read through csvfile's clean copy, with source lines)."""
    shutil.copytree(traps_dir, folder)
    with (folder / "tracking_data.csv").open("a", encoding="utf-8") as handle:
        handle.write('T77,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-01-21,1,"₹1,200.50"\n')
    influencers = folder / "influencers.csv"
    influencers.write_bytes(influencers.read_text(encoding="utf-8").replace("Asha Rao", "Renée Rao").encode("cp1252"))
    return folder


@pytest.mark.parametrize("typed", [False, True], ids=["text and clean-copy paths", "typed path (sample)"])
def test_an_append_over_kept_copies_builds_what_it_built_over_the_staged_rows(tmp_path, traps_dir, typed):
    """Before the copies, the history kept each staged table as Parquet; an append now reads the
    copies again with the importer's reader, and the data set it builds must be the same."""
    folder = tmp_path / "sources"
    if typed:
        generate_sample(folder, orders=2_000, seed=5)
    else:
        sloppy_copy(traps_dir, folder)
    first, second = tmp_path / "a" / "warehouse.duckdb", tmp_path / "b" / "warehouse.duckdb"
    for db in (first, second):
        import_dataset(folder, db, name="january")
    kept = history.sources_dir(second, history.dataset_id_of(second))
    connection = duckdb.connect()
    staged = {role: load(connection, role, path)[0] for role, path in discover(folder).files.items()}
    if not typed:
        assert not staged["tracking"].typed and staged["influencers"].line_column
    shutil.rmtree(kept)
    history.save_sources(connection, staged.values(), kept, derived=list(staged))
    connection.close()
    assert sorted(p.suffix for p in kept.iterdir()) == [".parquet"] * len(staged)
    new = month(tmp_path, "T90,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2026-12-06,2,4000\n")
    for db in (first, second):
        import_dataset(new, db, append=True)
    assert history.read_info(first)["sales_rows"] == history.read_info(second)["sales_rows"] > 1
    assert differences(first, second) == []


def test_a_store_export_is_refused_by_an_append_never_left_out(db, tmp_path):
    """Appending a month given as a store export (with its code map, beside a new post) is not
    supported (docs/metrics.md): refused naming the export, not 'appended' with its orders dropped."""
    from pathlib import Path

    from warehouse.importer import validate_append

    store = Path(__file__).resolve().parent / "fixtures" / "store_shopify"
    folder = month(tmp_path, "", posts=(TRAPS_POSTS_HEADER + "P9,A1,Instagram,2025-03-07,MuscleBlaze,100,10,1,1\n"))
    (folder / "tracking_data.csv").unlink()
    for name in ("orders_export_1.csv", "influencer_tracking_codes.csv"):
        shutil.copy(store / name, folder / name)
    before = digest(db)
    for attempt in (lambda: import_dataset(folder, db, append=True), lambda: validate_append(folder, db)):
        with pytest.raises(ImportFailed) as failure:
            attempt()
        (problem,) = [p for p in failure.value.errors if p.file == "orders_export_1.csv"]
        assert "Shopify order export and its code map influencer_tracking_codes.csv cannot be appended" in str(problem)
    assert digest(db) == before
    # without its code map: the one refusal, not also "needs a code map" (tester s19)
    (folder / "influencer_tracking_codes.csv").unlink()
    with pytest.raises(ImportFailed) as failure:
        validate_append(folder, db)
    assert [str(p) for p in failure.value.errors] == [
        "orders_export_1.csv: a Shopify order export cannot be appended: buyers are hashed with a new salt on every "
        "import, so an appended month could not tell returning buyers. Import the store's complete export (all "
        "months) with its code map as a new data set instead"
    ]


def test_an_append_records_the_folders_the_user_imported_not_the_merged_one(db, tmp_path, traps_dir, monkeypatch):
    """Tester (s15): /data said "Imported from: .warehouse.duckdb.append-…" (the rebuild's temporary
    folder) after any append; the data set records the live source plus the appended folder, each
    append adding its own, and /data names the folders only."""
    from dash_helpers import text

    from callbacks import data as cb

    march = month(tmp_path, "T50,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n")
    april = month(tmp_path, "T51,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-04-06,1,100\n", name="april")
    import_dataset(march, db, append=True)
    assert history.read_info(db)["source"] == f"{traps_dir} + {march}"
    report = import_dataset(april, db, append=True)
    assert report.source == history.read_info(db)["source"] == f"{traps_dir} + {march} + {april}"
    monkeypatch.setenv("HKDASH_DB", str(db))
    shown = " ".join(text(cb.dataset_info_card("/data", None)).split())
    assert "Imported from: traps + march + april" in shown and ".append-" not in shown


def test_data_names_an_appended_upload_beside_the_folder(db, tmp_path, monkeypatch):
    """Session 17 (h5): after an append from an upload /data said "Imported from: traps", the
    upload's temporary folder left out and nothing in its place. It names each import: the upload by
    the label its files were recorded under (file_parts): loose files by when they came ("uploaded 2
    Dec 2026 09:12 IST", session 20; "upload" before), a .zip its name."""
    import base64
    import io
    import zipfile

    from dash_helpers import text

    from callbacks import data as cb
    from warehouse import uploads

    monkeypatch.setenv("HKDASH_UPLOAD_DIR", str(tmp_path / "uploads"))
    march = month(tmp_path, "T50,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n")
    csv = (march / "tracking_data.csv").read_bytes()
    sent = f"data:text/csv;base64,{base64.b64encode(csv).decode('ascii')}"
    upload, report, _ = uploads.accept_upload([sent], ["tracking_data.csv"], append_to=db)
    assert report is not None
    uploads.import_upload(upload.token, db, None, append=True, label=upload.label)
    loose = upload.label
    assert loose.startswith("uploaded ") and loose.endswith(" IST")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("tracking_data.csv", csv.replace(b"2025-03-06", b"2025-04-06").replace(b"T50", b"T51"))
    zipped = f"data:application/zip;base64,{base64.b64encode(packed.getvalue()).decode('ascii')}"
    upload, report, _ = uploads.accept_upload([zipped], ["april.zip"], append_to=db)
    assert report is not None and upload.label == "april"
    uploads.import_upload(upload.token, db, None, append=True, label=upload.label)
    monkeypatch.setenv("HKDASH_DB", str(db))
    shown = " ".join(text(cb.dataset_info_card("/data", None)).split())
    assert f"Imported from: traps + {loose} + april" in shown


def test_source_folders_name_an_upload_by_its_import_only_where_the_numbers_line_up():
    """file_parts number the imports that recorded a part: an append without a parted file (only
    audience files, say) records none, and later numbers no longer match the source's places; the
    upload is then "upload", never another import's label. A part recorded before parts were kept
    (rows None) names several folders: left out."""
    from warehouse.importer import source_folders

    token = "/srv/uploads/" + "0" * 32 + ".importing"
    part = {"file": "tracking_data.csv", "first_line": 2}
    parts = [part | {"folder": "jan", "rows": 3, "import": 1}, part | {"folder": "march", "rows": 1, "import": 2}]
    aligned = {"source": f"/data/jan + {token}", "file_parts": {"tracking": parts}}
    assert source_folders(aligned) == ["jan", "march"]
    gap = {"source": f"/data/jan + /data/audience + {token}", "file_parts": {"tracking": parts}}
    assert source_folders(gap) == ["jan", "audience", "upload"]
    old = [part | {"folder": "jan + upload", "rows": None, "import": 2}]
    assert source_folders({"source": f"/data/jan + {token}", "file_parts": {"tracking": old}}) == ["jan", "upload"]
    assert source_folders({}) == []


def test_an_appends_warnings_about_sales_rows_name_the_file_they_came_from(db, tmp_path):
    """Tester (s15): after an append the guest-row and unknown-influencer warnings named the merged
    "tracking_data.csv + sales_march.csv". Each now names the file its rows came from, with that
    file's count: the traps' Z9 row (1) stays tracking_data.csv's; the appended file's blank and
    'guest' buyers (2 rows), Q7 (1) and its own Z9 row (1) are sales_march.csv's."""
    folder = tmp_path / "march"
    folder.mkdir()
    (folder / "sales_march.csv").write_text(
        TRACKING_HEADER + "T50,PromoCode,MB Jan,A1,,MuscleBlaze,Whey,2025-03-06,1,100\n"
        "T51,PromoCode,MB Jan,Z9,guest,MuscleBlaze,Whey,2025-03-07,1,100\n"
        "T52,PromoCode,MB Jan,Q7,U3,MuscleBlaze,Whey,2025-03-07,1,100\n",
        encoding="utf-8",
    )
    report = import_dataset(folder, db, append=True)
    rows = [str(w) for w in report.warnings if w.column in ("user_id", "influencer_id")]
    assert rows == [
        "sales_march.csv, column user_id: 2 rows with a guest, placeholder or blank user_id: counted as unknown "
        "buyers (their new customers are estimated) (value \"'guest' and blank\")",
        "tracking_data.csv, column influencer_id: unknown influencer (1 row): kept and shown as Unknown (value 'Z9')",
        "sales_march.csv, column influencer_id: unknown influencer (1 row): kept and shown as Unknown (value 'Q7')",
        "sales_march.csv, column influencer_id: unknown influencer (1 row): kept and shown as Unknown (value 'Z9')",
    ]
    info = history.read_info(db)
    assert [line for line in info["warning_lines"] if "user_id" in line or "influencer_id" in line] == rows
    assert info["files"]["tracking"] == "tracking_data.csv + sales_march.csv"  # the data set's files, per role


SAME_NAME = Path(__file__).parent / "fixtures" / "append_same_name"
UNKNOWN = "column influencer_id: unknown influencer ({}): kept and shown as Unknown (value '{}')"
# The warnings about rows of tests/fixtures/append_same_name/ap2 appended to its "sample".
SAME_NAME_WARNINGS = [
    "ap2/tracking_data.csv, column user_id: 2 rows with a guest, placeholder or blank user_id: counted as "
    "unknown buyers (their new customers are estimated) (value \"'guest' and blank\")",
    "sample/tracking_data.csv, " + UNKNOWN.format("1 row", "Z9"),
    "ap2/tracking_data.csv, " + UNKNOWN.format("2 rows", "Z9"),
    "sample/posts.csv, " + UNKNOWN.format("1 row", "Z9"),
    "ap2/posts.csv, " + UNKNOWN.format("2 rows", "Z9"),
    "sample/payouts.csv, " + UNKNOWN.format("1 row", "Z9"),
    "ap2/payouts.csv, " + UNKNOWN.format("1 row", "Q7"),
    "ap2/payouts.csv, " + UNKNOWN.format("1 row", "Z9"),
]


def test_appended_files_of_one_name_are_named_by_their_folder(tmp_path, capsys):
    """Tester (s16): an appended month's files are usually called as the live ones, and the warnings
    "tracking_data.csv: unknown influencer (1 row)" and "tracking_data.csv: … (2 rows)" could not be
    told apart. Where two imports' files of a role share a name, each is named by its folder
    (tests/fixtures/append_same_name): the live "sample" (the traps) has one Z9 row in each of its
    sales, posts and payouts; "ap2" has two Z9 sales rows and a blank and a 'guest' buyer, two Z9
    posts, and a Q7 and a Z9 payout row. The `hkdash import --append` text says each with its count."""
    import cli

    db = tmp_path / "wh" / "warehouse.duckdb"
    import_dataset(SAME_NAME / "sample", db)
    assert cli.main(["--db", str(db), "import", "--append", str(SAME_NAME / "ap2")]) == 0
    printed = [line.removeprefix("warning: ") for line in capsys.readouterr().out.splitlines()]
    assert [line for line in printed if "user_id" in line or "influencer_id" in line] == SAME_NAME_WARNINGS
    info = history.read_info(db)
    assert [line for line in info["warning_lines"] if "user_id" in line or "influencer_id" in line] == (
        SAME_NAME_WARNINGS
    )
    assert info["files"]["tracking"] == "tracking_data.csv + tracking_data.csv"  # the data set's files, per role
    # A warning about one row names its file and its line there, as the import of that file did
    # (sample's payouts.csv, row 2: A1's 3 orders against 4 tracked, now 5 with ap2's T50), not the
    # merged "payouts.csv + payouts.csv, row 1" (sample's 7 rows, then ap2's from row 8). Row 3 (A1's
    # commission: 4 orders, now 5 tracked with T50; ₹700 paid, 10 % of ₹7,000, ₹710 with T50's ₹100)
    # counts the orders and the revenue before the append: said in one warning each about sample's
    # payouts (since session 19 for its terms), which names its row where it is one row (session 20).
    assert rows_named(printed, "payouts.csv") == [
        ("sample/payouts.csv", 2),
        ("sample/payouts.csv", 8),
        ("sample/payouts.csv", 8),
        ("ap2/payouts.csv", 2),
        ("ap2/payouts.csv", 3),
        ("ap2/payouts.csv", 3),
        ("sample/payouts.csv", 3),  # the two warnings of the file's rows, after its rows' own
        ("sample/payouts.csv", 3),
    ]
    assert (
        "sample/payouts.csv, row 2, column orders: payout orders differ from tracked orders (5) (value '3')" in printed
    )
    assert (
        "sample/payouts.csv, row 3, column orders: 1 payout row counts the orders before ap2/tracking_data.csv was "
        "appended: payouts carry no date, so they cover the earlier period, while tracked orders include the "
        "appended sales (e.g. A1: 4 in the payouts, 5 tracked, 1 of them appended)" in printed
    )
    assert (
        "sample/payouts.csv, row 3, column total_payout: 1 payout row is measured on the sales before "
        "ap2/tracking_data.csv was appended: payouts carry no date, so a total paid covers the earlier period, "
        "while tracked sales include the appended ones (e.g. A1: ₹700.00 paid, its terms ₹700.00 on the sales "
        "before, ₹710.00 with the appended ones)" in printed
    )
    # Another "ap2" (a folder of that name elsewhere): the folder no longer tells them apart, the
    # import's number does. Its payouts file has a blank line (read through a repaired copy, whose
    # lines are not kept in the merged file): its row is named by its place among the file's rows.
    again = tmp_path / "other" / "ap2"
    again.mkdir(parents=True)
    (again / "tracking_data.csv").write_text(
        TRACKING_HEADER + "T60,PromoCode,MB Jan,Z9,U3,MuscleBlaze,Whey,2025-04-08,1,100\n", encoding="utf-8"
    )
    (again / "payouts.csv").write_text(
        'influencer_id,basis,rate,orders,total_payout,gifted_products_cost\n\nZ9,post,"₹500/post",0,2000,0\n',
        encoding="utf-8",
    )
    report = import_dataset(again, db, append=True)
    assert (
        "ap2/payouts.csv (import 3), column total_payout: differs from its terms (₹500/post → 1500.00) by more "
        "than 1 % (data row 1) (value '2000.00')" in [str(w) for w in report.warnings]
    )
    assert [str(w) for w in report.warnings if w.column == "influencer_id" and "tracking" in w.file] == [
        "sample/tracking_data.csv, " + UNKNOWN.format("1 row", "Z9"),
        "ap2/tracking_data.csv (import 2), " + UNKNOWN.format("2 rows", "Z9"),
        "ap2/tracking_data.csv (import 3), " + UNKNOWN.format("1 row", "Z9"),
    ]
    assert [(p["folder"], p["rows"], p["import"]) for p in history.read_info(db)["file_parts"]["tracking"]] == [
        ("sample", 8, 1),
        ("ap2", 3, 2),
        ("ap2", 1, 3),
    ]


GEOGRAPHY_HEADER = "influencer_id,platform,city,share\n"
INFLUENCERS_HEADER = "influencer_id,name,platform,category,gender,follower_count\n"


def keyed_folder(root: Path, name: str, files: dict[str, str]) -> Path:
    """A folder of `files` (name -> text) under `root`."""
    folder = root / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def test_appended_influencers_campaigns_and_audience_files_are_named_by_their_folder(tmp_path):
    """Tester (s17 h6): after an append the influencers', campaigns' and audience files' row warnings
    named the merged "geographic_distribution.csv + geographic_distribution.csv, row 5". They name the
    file each row came from, by its folder (the names are shared), and its line there, as the sales,
    posts and payouts do. "sample" (the traps with a geography file: A1 90 %, B2 70 + 50 = 120 %,
    B2 from line 4); "ap3" adds F6 (A1's identical row merged), a campaign, and a geography file with
    C3 at 80 + 40 = 120 % (line 2) and an unknown ZZ (line 4). Then "ap4" replaces A1's audience rows
    (sample's lines 2-3): sample's file keeps B2's rows but no longer each at its line, so B2's
    warning names the file alone; and ap4's influencers file merges A1 and F6, adding G7."""
    sample = tmp_path / "sample"
    shutil.copytree(SAME_NAME / "sample", sample)
    (sample / "geographic_distribution.csv").write_text(
        GEOGRAPHY_HEADER + "A1,Instagram,Mumbai,60\nA1,Instagram,Delhi,30\nB2,YouTube,Pune,70\nB2,YouTube,Delhi,50\n",
        encoding="utf-8",
    )
    ap3 = keyed_folder(
        tmp_path,
        "ap3",
        {
            "influencers.csv": INFLUENCERS_HEADER + "A1,Asha Rao,Instagram,Fitness,Female,120000\n"
            "F6,Farah,Instagram,Fitness,Female,1000\n",
            "campaigns.csv": "campaign,brand,start_date,end_date,budget\nHK Mar,HKVitals,2025-03-01,2025-03-31,10000\n",
            "geographic_distribution.csv": GEOGRAPHY_HEADER
            + "C3,Instagram,Chennai,80\nC3,Instagram,Delhi,40\nZZ,Instagram,Goa,10\n",
            "tracking_data.csv": TRACKING_HEADER + "T90,PromoCode,HK Mar,F6,U9,HKVitals,Whey,2025-03-10,1,100\n",
        },
    )
    db = tmp_path / "wh" / "warehouse.duckdb"
    first = import_dataset(sample, db)
    assert (first.warnings[0].file, first.warnings[0].row) == ("geographic_distribution.csv", 4)
    report = import_dataset(ap3, db, append=True)
    audience = [(w.file, w.row, w.column) for w in report.warnings if "geographic" in w.file]
    assert audience == [
        ("sample/geographic_distribution.csv", 4, "share"),  # B2, as the import of sample named it
        ("ap3/geographic_distribution.csv", 2, "share"),  # C3
        ("ap3/geographic_distribution.csv", 4, "influencer_id"),  # ZZ
    ]
    rows = [tuple(row) for row in history.read_info(db)["file_rows"] if row[0] != "posts" and row[0] != "payouts"]
    assert rows == [
        ("audience_geography", "sample/geographic_distribution.csv", 4),
        ("audience_geography", "ap3/geographic_distribution.csv", 3),
        ("campaigns", "sample/campaigns.csv", 2),
        ("campaigns", "ap3/campaigns.csv", 1),
        ("influencers", "sample/influencers.csv", 5),
        ("influencers", "ap3/influencers.csv", 1),  # F6: A1's row is sample's
        ("tracking", "sample/tracking_data.csv", 8),
        ("tracking", "ap3/tracking_data.csv", 1),
    ]
    ap4 = keyed_folder(
        tmp_path,
        "ap4",
        {
            "geographic_distribution.csv": GEOGRAPHY_HEADER + "A1,Instagram,Pune,50\nA1,Instagram,Delhi,20\n",
            "influencers.csv": INFLUENCERS_HEADER + "A1,Asha Rao,Instagram,Fitness,Female,120000\n"
            "G7,Gita,Instagram,Fitness,Female,1000\nF6,Farah,Instagram,Fitness,Female,1000\n",
        },
    )
    report = import_dataset(ap4, db, append=True)
    replaced, *audience = [w for w in report.warnings if "geographic" in w.file]
    assert replaced.file == "ap4/geographic_distribution.csv"
    assert "replaces the earlier audience rows of 1 creator (2 rows of the live data set): A1;" in replaced.reason
    assert [(w.file, w.row) for w in audience] == [
        ("sample/geographic_distribution.csv", None),  # B2: A1's rows before it were replaced
        ("ap3/geographic_distribution.csv", 2),
        ("ap3/geographic_distribution.csv", 4),
    ]
    parts = history.read_info(db)["file_parts"]
    assert [(p["folder"], p["rows"], p.get("dropped", 0)) for p in parts["audience_geography"]] == [
        ("sample", 2, 2),
        ("ap3", 3, 0),
        ("ap4", 2, 0),
    ]
    assert [(p["folder"], p["rows"], p.get("dropped", 0)) for p in parts["influencers"]] == [
        ("sample", 5, 0),
        ("ap3", 1, 1),
        ("ap4", 1, 2),  # G7
    ]
    assert Warehouse(db).scalar("SELECT count(*) FROM audience_geography") == 7


def rows_named(printed: list[str], file: str) -> list[tuple[str, int]]:
    """(file, row) of each line of an import's text about one row of a file whose name ends with `file`."""
    named = [line.partition(": ")[0].partition(", row ") for line in printed]
    return [(name, int(row.split(",")[0])) for name, _, row in named if name.endswith(file) and row]


def test_an_append_refused_in_the_rebuild_names_the_users_file_and_line(db, tmp_path):
    """A payout row whose cost cannot be told is found only when the data set is rebuilt: its error
    named the merged folder's internal "payouts.parquet, row 8" (the traps' 6 rows, then this one's
    second). It names the appended file, by its folder (the live one is payouts.csv too), and its line."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "payouts.csv").write_text(
        "influencer_id,basis,rate,orders,total_payout,gifted_products_cost\nB2,order,₹5/order,0,,0\nA1,post,,0,,0\n",
        encoding="utf-8",
    )
    before = digest(db)
    with pytest.raises(ImportFailed) as refused:
        import_dataset(folder, db, append=True)
    assert [(p.file, p.row, p.column) for p in refused.value.errors] == [("bad/payouts.csv", 3, "rate")]
    assert digest(db) == before


def test_checking_an_append_warns_as_its_import_will(db, tmp_path, capsys):
    """Tester t1: `validate --append` (and /data's check) said "valid" with no warning, then the
    import warned "march/tracking_data.csv, column influencer_id: unknown influencer (1 row)". The
    check runs the import's merge and checks: its warnings are the import's, and it writes nothing."""
    import cli
    from warehouse.importer import validate_append

    # Z9 is in no influencers file; traps' own sales have one row of Z9 too (the live data set's warning).
    folder = month(tmp_path, "T50,PromoCode,MB Jan,Z9,U3,MuscleBlaze,Whey,2025-03-06,1,100\n")
    before = digest(db)
    checked = validate_append(folder, db)
    assert digest(db) == before and [d["name"] for d in history.list_datasets(db)] == ["january"]
    assert (checked.files, checked.rows) == ({"tracking": "tracking_data.csv"}, {"tracking": 1})
    unknown = [(w.file, w.reason) for w in checked.warnings if w.column == "influencer_id"]
    assert unknown == [
        ("traps/tracking_data.csv", "unknown influencer (1 row): kept and shown as Unknown"),
        ("march/tracking_data.csv", "unknown influencer (1 row): kept and shown as Unknown"),
    ]
    assert cli.main(["--db", str(db), "validate", "--append", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "warning: march/tracking_data.csv, column influencer_id: unknown influencer (1 row)" in said
    imported = import_dataset(folder, db, append=True)
    assert [str(w) for w in checked.warnings] == [str(w) for w in imported.warnings]
    assert checked.warning_count == imported.warning_count


def test_part_names_add_the_folder_only_where_a_name_is_shared():
    from warehouse.importer import file_part, part_names

    jan, feb = file_part("jan", "sales.csv", 5, 1), file_part("feb", "sales_feb.csv", 2, 2)
    assert part_names([jan, feb]) == ["sales.csv", "sales_feb.csv"]
    mar = file_part("mar", "sales.csv", 3, 3)
    assert part_names([jan, feb, mar]) == ["jan/sales.csv", "sales_feb.csv", "mar/sales.csv"]
    again = file_part("mar", "sales.csv", 1, 4)
    assert part_names([jan, mar, again]) == ["jan/sales.csv", "mar/sales.csv (import 3)", "mar/sales.csv (import 4)"]


def test_an_append_over_a_data_set_that_recorded_no_parts_names_its_rows_as_one(db, tmp_path):
    """A data set imported before its file parts were kept (this file's "january", its parts taken
    out): its rows are one part, named by its source's folder where the appended file shares its name."""
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM dataset_info WHERE key = 'file_parts'")
    folder = month(tmp_path, "T50,PromoCode,MB Jan,Z9,U3,MuscleBlaze,Whey,2025-03-06,1,100\n")
    report = import_dataset(folder, db, append=True)
    assert [(w.file, w.reason) for w in report.warnings if w.column == "influencer_id"] == [
        ("traps/tracking_data.csv", "unknown influencer (1 row): kept and shown as Unknown"),
        ("march/tracking_data.csv", "unknown influencer (1 row): kept and shown as Unknown"),
    ]


def test_the_data_page_says_an_append_adds_to_the_data_set(db, tmp_path):
    from dash_helpers import find, text

    from callbacks import data as cb
    from components.ids import data as ids
    from warehouse import uploads
    from warehouse.importer import validate_append

    folder = month(tmp_path, "T50,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n")
    report = validate_append(folder, db)
    upload = uploads.Upload("0" * 32, folder, ["tracking_data.csv"], [])
    status = text(find(cb.report_children(upload, report, None, append=True), ids.REPORT_STATUS))
    assert "press Import to add these files to the current data set" in status and "replace" not in status
    status = text(find(cb.report_children(upload, report, None), ids.REPORT_STATUS))
    assert "replace the current data set" in status


def test_the_cli_shows_import_times_in_the_reports_time_zone(db, capsys, monkeypatch):
    """`hkdash datasets` and `restore` label times as the pages and the PDF do (IST by default),
    not as ISO UTC text; --json keeps the ISO text for machines."""
    import cli
    from metrics import format as fmt

    imported = history.list_datasets(db)[0]["imported_at"]
    assert cli.main(["--db", str(db), "datasets"]) == 0
    shown = capsys.readouterr().out
    assert fmt.timestamp(imported) in shown and fmt.timestamp(imported).endswith(" IST")
    assert imported not in shown
    assert cli.main(["--db", str(db), "datasets", "--json"]) == 0
    assert imported in capsys.readouterr().out


def test_a_downloaded_reports_name_carries_the_time_its_pages_say():
    import datetime as dt
    import zoneinfo

    from callbacks.report import report_filename

    before = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Kolkata"))
    name = report_filename(metrics.Filters())
    after = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert name in {f"hk-influencer-roi-{moment:%Y-%m-%d-%H%M}.pdf" for moment in (before, after)}


def test_validate_append_checks_a_month_as_the_append_would(db, tmp_path, capsys):
    """`hkdash validate --append` runs the append's checks (F25): a new month is valid, one that
    overlaps the live data set is refused naming file, row, column and value; nothing changes."""
    import cli

    before = digest(db)
    good = month(tmp_path, "T50,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n")
    assert cli.main(["--db", str(db), "validate", "--append", str(good)]) == 0
    assert "tracking: tracking_data.csv (1 row)\n" in capsys.readouterr().out
    again = month(tmp_path, "T1,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n", name="again")
    assert cli.main(["--db", str(db), "validate", "--append", str(again)]) == 1
    err = capsys.readouterr().err
    assert "tracking_data.csv, row 2, column tracking_id" in err and "already in the live data set" in err
    assert cli.main(["--db", str(db), "validate", str(good)]) == 1  # alone, a month lacks influencers
    assert digest(db) == before


def test_appended_names_list_each_imports_file():
    from warehouse.importer import appended_names

    live = {"tracking": "jan.csv + feb.csv", "influencers": "influencers.csv"}
    assert appended_names(live, {"tracking": "mar.csv", "posts": "posts_mar.csv"}) == {
        "tracking": "jan.csv + feb.csv + mar.csv",
        "influencers": "influencers.csv",
        "posts": "posts_mar.csv",
    }
    assert appended_names(live, {"tracking": "feb.csv"})["tracking"] == "jan.csv + feb.csv + feb.csv"


def test_payout_rows_that_count_the_orders_before_an_append_are_one_warning(db, tmp_path, capsys):
    """Tester (s18): appending a month of sales to a data set whose payouts carry no date warned
    "payout orders differ from tracked orders" once per payout row. traps' payouts count its own
    sales: A1's commission row 4 orders (tracked 4), B2's 1 (tracked 1); A1's per-post row says 3
    (tracked 4: its own warning before the append). The month adds 2 orders of A1 (₹30 each: 10% of
    ₹7,060 = ₹706 stays within 1 % of the ₹700 paid) and 1 of B2: A1 is tracked at 6, B2 at 2. The
    commission row (4 = 6 − 2) and B2's (1 = 2 − 1) are explained by the append: one warning with
    the count and an example; the per-post row (3 ≠ 6 − 2) keeps its own. `validate --append` says the same."""
    import cli

    folder = month(
        tmp_path,
        "T20,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-03-02,1,30\n"
        "T21,PromoCode,MB Jan,A1,U10,MuscleBlaze,Whey,2025-03-03,1,30\n"
        "T22,PromoCode,MB Jan,B2,U11,MuscleBlaze,Whey,2025-03-04,1,300\n",
    )
    explained = (
        "payouts.csv, column orders: 2 payout rows count the orders before march/tracking_data.csv was appended: "
        "payouts carry no date, so they cover the earlier period, while tracked orders include the appended sales "
        "(e.g. A1: 4 in the payouts, 6 tracked, 2 of them appended)"
    )
    assert cli.main(["--db", str(db), "validate", "--append", str(folder)]) == 0
    checked = [line.removeprefix("warning: ") for line in capsys.readouterr().out.splitlines()]
    report = import_dataset(folder, db, append=True)
    orders = [str(w) for w in report.warnings if w.column == "orders"]
    assert orders == [
        "payouts.csv, row 2, column orders: payout orders differ from tracked orders (6) (value '3')",
        explained,
    ]
    assert [line for line in checked if "column orders" in line] == orders
    assert not [w for w in report.warnings if w.column == "total_payout"]


def test_a_payouts_file_is_compared_with_the_sales_there_when_it_came(db, tmp_path, capsys):
    """Tester t2 (s18): after a month of sales was appended (one warning: the payouts count the orders
    before it), appending a payouts file alone brought back one warning per payout row of the first
    file. Each payouts file counts the sales that existed when it came: traps' file (import 1) is
    explained by march's sales (import 2) as before — A1's commission row 4 = 6 − 2, B2's 1 = 2 − 1,
    A1's per-post row 3 ≠ 6 − 2 its own warning; april's file (import 3) came after every sale, so
    its A1 row (2 orders, tracked 6) is its own warning and its B2 row (2, tracked 2) none."""
    import cli

    march = month(
        tmp_path,
        "T20,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-03-02,1,30\n"
        "T21,PromoCode,MB Jan,A1,U10,MuscleBlaze,Whey,2025-03-03,1,30\n"
        "T22,PromoCode,MB Jan,B2,U11,MuscleBlaze,Whey,2025-03-04,1,300\n",
    )
    import_dataset(march, db, append=True)
    april = tmp_path / "april"
    april.mkdir()
    (april / "payouts.csv").write_text(
        "influencer_id,basis,rate,orders,total_payout,gifted_products_cost\n"
        "A1,order,₹10/order,2,20,0\n"
        "B2,order,₹200/order,2,400,0\n",
        encoding="utf-8",
    )
    assert cli.main(["--db", str(db), "validate", "--append", str(april)]) == 0
    checked = [line.removeprefix("warning: ") for line in capsys.readouterr().out.splitlines()]
    report = import_dataset(april, db, append=True)
    orders = sorted(str(w) for w in report.warnings if w.column == "orders")
    assert orders == [
        "april/payouts.csv, row 2, column orders: payout orders differ from tracked orders (6) (value '2')",
        "traps/payouts.csv, column orders: 2 payout rows count the orders before march/tracking_data.csv was "
        "appended: payouts carry no date, so they cover the earlier period, while tracked orders include the "
        "appended sales (e.g. A1: 4 in the payouts, 6 tracked, 2 of them appended)",
        "traps/payouts.csv, row 2, column orders: payout orders differ from tracked orders (6) (value '3')",
    ]
    assert sorted(line for line in checked if "column orders" in line) == orders


def test_payout_terms_are_measured_on_the_sales_before_an_append(db, tmp_path):
    """Tester (s19): a commission row's terms counted the appended sales' revenue, so appending a
    ₹2,100 sale of a 16.2 % creator warned "differs from its terms" by 16.2 % × ₹2,100. A total paid
    covers the sales there when its payouts file came. traps: A1's "10% commission" row paid ₹700 =
    10 % of A1's ₹7,000; C3's "₹5,000/post + 5%" row ₹5,350 = 1 post × ₹5,000 + 5 % of ₹7,000.
    March adds ₹2,100 of A1 (10 % of ₹9,100 = ₹910, 30 % off ₹700) and ₹2,000 of C3 (₹5,450, 1.9 %
    off ₹5,350): both rows match their terms on the sales before, so one warning with the count and
    an example, and /payouts shows what they cover (₹7,000 → ₹700; ₹7,000 → ₹5,350), "matches terms".
    B2's per-order row (1 order ₹200, march adds none) stays as it was."""
    folder = month(
        tmp_path,
        "T20,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-03-02,1,2100\n"
        "T21,PromoCode,MB Jan,C3,U10,MuscleBlaze,Whey,2025-03-03,1,2000\n",
    )
    report = import_dataset(folder, db, append=True)
    terms = [str(w) for w in report.warnings if w.column == "total_payout"]
    assert terms == [
        "payouts.csv, column total_payout: 2 payout rows are measured on the sales before "
        "march/tracking_data.csv was appended: payouts carry no date, so a total paid covers the earlier "
        "period, while tracked sales include the appended ones (e.g. A1: ₹700.00 paid, its terms ₹700.00 on "
        "the sales before, ₹910.00 with the appended ones)"
    ]
    shown = metrics.payout_reconciliation(Warehouse(db)).set_index("row_no")
    assert shown.loc[3, ["total_revenue", "terms_cost", "total_payout", "status"]].tolist() == [
        7000.0,
        700.0,
        700.0,
        "matches terms",
    ]
    assert shown.loc[5, ["total_revenue", "terms_cost", "status"]].tolist() == [7000.0, 5350.0, "matches terms"]
    assert shown.loc[4, ["orders", "terms_cost", "status"]].tolist() == [1.0, 200.0, "matches terms"]


def _spend_by_creator_day(db) -> dict[tuple[str, str], float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("""SELECT i.influencer_id, CAST(f.date AS VARCHAR), sum(f.spend)
            FROM facts_day f JOIN influencers i USING (influencer_key) GROUP BY ALL""").fetchall()
    return {(creator, day): round(spend, 6) for creator, day, spend in rows}


def test_a_paid_total_spreads_over_the_sales_it_covers_not_the_appended_ones(db, tmp_path):
    """Tester (s19): appending a January sale moved ₹329 of a commission creator's spend out of the
    year her payouts file covered. A total paid covers the sales there when its file came, and its
    cost follows those sales only. traps: A1's ₹700 commission on ₹4,000 (6 Jan), ₹2,000 (7 Jan),
    ₹1,000 (11 Feb) → ₹400, ₹200, ₹100; C3's hybrid ₹350 beyond its post fee on ₹6,000 (2 Feb) and
    ₹1,000 (3 Feb) → ₹300, ₹50. March adds ₹2,100 of A1 and ₹2,000 of C3: every day keeps its spend,
    the March days carry none, the total is unchanged."""
    before = _spend_by_creator_day(db)
    assert before[("A1", "2025-01-06")] == 400 and before[("C3", "2025-02-02")] == 300
    folder = month(
        tmp_path,
        "T20,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-03-02,1,2100\n"
        "T21,PromoCode,MB Jan,C3,U10,MuscleBlaze,Whey,2025-03-03,1,2000\n",
    )
    import_dataset(folder, db, append=True)
    after = _spend_by_creator_day(db)
    assert after == {**before, ("A1", "2025-03-02"): 0, ("C3", "2025-03-03"): 0}
    assert sum(after.values()) == pytest.approx(sum(before.values()))
    assert metrics.payouts_by_basis(Warehouse(db)).set_index("basis").loc["commission", "spend"] == pytest.approx(700)


def _spend_by_campaign(db) -> dict[tuple[str, str, str], float]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("""SELECT i.influencer_id, f.campaign::VARCHAR, CAST(f.date AS VARCHAR), sum(f.spend)
            FROM facts_day_campaign f JOIN influencers i USING (influencer_key) GROUP BY ALL""").fetchall()
    return {(creator, campaign, str(day)): round(spend, 6) for creator, campaign, day, spend in rows}


def test_a_paid_post_fee_splits_over_the_campaigns_of_the_sales_it_covers(db, tmp_path):
    """Tester t2 (s19): after a January file naming a new campaign, a creator's 2025 post fees were
    split by the sales mix over every date, so the January campaign carried 2025 fees. traps: A1's
    post row (₹2,000 paid + ₹500 gifted) covers her sales of 6 Jan–11 Feb 2025; P1 (5 Jan, MuscleBlaze)
    carries ₹1,250 split over her MuscleBlaze sales: MB Jan's ₹6,000 only. March's ₹2,100 of A1 in
    "MB Mar" (MuscleBlaze) would take 1,250 × 2,100 / 8,100 = ₹324.07 of it by the mix of every sale;
    by the mix of the sales the fee covers it takes none: every campaign keeps its spend on every day.
    E5 (₹3,000 paid for P5, 15 Jan, Gritzo) had no sale when the payouts file came: its fee sits on
    P5's day with campaign Unattributed, and March's ₹1,000 of E5 in "MB Mar" takes none of it (by
    every sale's mix it took all ₹3,000)."""
    before = _spend_by_campaign(db)
    assert before[("A1", "MB Jan", "2025-01-05")] == 1250 and before[("E5", "Unattributed", "2025-01-15")] == 3000
    folder = month(
        tmp_path,
        "T20,PromoCode,MB Mar,A1,U9,MuscleBlaze,Whey,2025-03-02,1,2100\n"
        "T21,PromoCode,MB Mar,E5,U10,Gritzo,Bar,2025-03-03,1,1000\n",
    )
    import_dataset(folder, db, append=True)
    after = _spend_by_campaign(db)
    assert after == {**before, ("A1", "MB Mar", "2025-03-02"): 0, ("E5", "MB Mar", "2025-03-03"): 0}


def test_a_payout_whose_terms_differed_before_an_append_keeps_its_own_warning(tmp_path, traps_dir):
    """A payout row off its terms on the sales it covers is warned about on its row, with those terms,
    never folded into the append's warning: B2's "5% commission" row paid ₹500 for ₹3,000 of sales
    (terms ₹150); march adds ₹1,000 of B2 (₹200 on every sale): still its own warning at ₹150.00."""
    data = tmp_path / "traps"
    shutil.copytree(traps_dir, data)
    with (data / "payouts.csv").open("a", encoding="utf-8") as payouts:
        payouts.write("B2,commission,5% commission,1,500,0\n")
    db = tmp_path / "wh" / "warehouse.duckdb"
    import_dataset(data, db)
    folder = month(tmp_path, "T20,PromoCode,MB Jan,B2,U9,MuscleBlaze,Whey,2025-03-02,1,1000\n")
    report = import_dataset(folder, db, append=True)
    assert [str(w) for w in report.warnings if w.column == "total_payout"] == [
        "payouts.csv, row 8, column total_payout: differs from its terms (5% commission → 150.00) by more than "
        "1 % (value '500.00')"
    ]


def test_a_refused_append_names_its_file_by_its_folder_as_its_warnings_would(db, tmp_path, capsys):
    """Tester (s19): a refused append named "tracking_data.csv, row 3" where the user appended
    jan/tracking_data.csv to a data set with a tracking_data.csv, while an accepted append's warnings
    say "jan/tracking_data.csv" (part_names). jan's row 3 repeats traps' T1: refused by the import and
    by `validate --append` under its folder's name; a file of another name (sales_feb.csv, a bad date
    on its row 2) keeps its bare name, as its warnings would."""
    import cli

    jan = month(
        tmp_path,
        "T50,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-06,1,100\n"
        "T1,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-03-07,1,100\n",
        name="jan",
    )
    refused = "jan/tracking_data.csv, row 3, column tracking_id: tracking_id already in the live data set (value 'T1')"
    with pytest.raises(ImportFailed) as failure:
        import_dataset(jan, db, append=True)
    assert [str(e) for e in failure.value.errors] == [refused]
    assert cli.main(["--db", str(db), "validate", "--append", str(jan)]) == 1
    assert f"error: {refused}\n" in capsys.readouterr().err
    feb = tmp_path / "feb"
    feb.mkdir()
    (feb / "sales_feb.csv").write_text(
        TRACKING_HEADER + "T60,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2025-13-07,1,100\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as failure:
        import_dataset(feb, db, append=True)
    assert [(e.file, e.row, e.column) for e in failure.value.errors] == [("sales_feb.csv", 2, "date")]


def test_posts_without_a_post_id_keep_their_own_files_rows_after_appends(tmp_path, traps_dir):
    """A post without a post_id is called by its row ("row 6": line 6 of traps' posts.csv). After an
    append the merged posts' rows counted instead: traps' row became "row 5" (the merged Parquet's
    5th row) and feb's first post "row 6", as if it were traps'. Each keeps its own file's row: traps'
    "row 6" as its import called it, feb's "feb/posts.csv row 2" and "row 4" (the live file has the
    name posts.csv too), a second append's file of another name "posts_mar.csv row 2", and a file
    read through a repaired copy by its data row, "posts_apr.csv data row 1"."""
    data = tmp_path / "traps"
    shutil.copytree(traps_dir, data)
    posts = (data / "posts.csv").read_text(encoding="utf-8").replace("P5,E5", ",E5")
    (data / "posts.csv").write_text(posts, encoding="utf-8")
    db = tmp_path / "wh" / "warehouse.duckdb"

    def ids():
        return [
            row[0] for row in duckdb.connect(str(db), read_only=True).execute("SELECT post_id FROM posts").fetchall()
        ]

    import_dataset(data, db)
    assert ids() == ["P1", "P2", "P3", "P4", "row 6"]
    feb = tmp_path / "feb"
    feb.mkdir()
    (feb / "posts.csv").write_text(
        TRAPS_POSTS_HEADER + ",A1,Instagram,2025-03-05,MuscleBlaze,100,8,1,1\nP7,B2,YouTube,2025-03-06,,50,2,0,0\n"
        ",C3,Instagram,2025-03-07,MuscleBlaze,400,20,0,0\n",
        encoding="utf-8",
    )
    import_dataset(feb, db, append=True)
    assert ids()[4:] == ["row 6", "feb/posts.csv row 2", "P7", "feb/posts.csv row 4"]
    mar = tmp_path / "mar"
    mar.mkdir()
    (mar / "posts_mar.csv").write_text(
        TRAPS_POSTS_HEADER + ",E5,Facebook,2025-04-02,Gritzo,10,1,0,0\n", encoding="utf-8"
    )
    import_dataset(mar, db, append=True)
    assert ids()[4:] == ["row 6", "feb/posts.csv row 2", "P7", "feb/posts.csv row 4", "posts_mar.csv row 2"]
    # A file with a blank line is read through a repaired copy: its lines are not kept, its data row is.
    apr = tmp_path / "apr"
    apr.mkdir()
    (apr / "posts_apr.csv").write_text(
        TRAPS_POSTS_HEADER + "\n,E5,Facebook,2025-05-02,Gritzo,10,1,0,0\n", encoding="utf-8"
    )
    import_dataset(apr, db, append=True)
    assert ids()[-2:] == ["posts_mar.csv row 2", "posts_apr.csv data row 1"]
