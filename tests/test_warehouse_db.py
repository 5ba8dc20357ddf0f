"""The read side of the warehouse: connections across threads, forks and process exit."""

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from warehouse import Warehouse
from warehouse.db import WarehouseMissing, WarehouseOutdated

ROOT = Path(__file__).resolve().parent.parent


def test_the_server_master_forks_with_no_instance_open(traps_wh):
    """`hkdash serve` checks the warehouse in gunicorn's master, then forks workers that query it."""
    script = textwrap.dedent(f"""
        import os, sys, metrics
        from warehouse import Warehouse
        wh = Warehouse({str(traps_wh.path)!r})
        assert wh.has_data()
        child = os.fork()
        if child == 0:
            ok = metrics.kpis(Warehouse(wh.path))["revenue"] == 20000
            os._exit(0 if ok else 1)
        _, status = os.waitpid(child, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
    """)
    result = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_threads_then_exit_is_clean(traps_wh):
    """Server threads keep cursors open until exit; the process must still exit normally."""
    script = textwrap.dedent(f"""
        import threading, metrics
        from warehouse import Warehouse
        wh = Warehouse({str(traps_wh.path)!r})
        threads = [threading.Thread(target=metrics.kpis, args=(wh,)) for _ in range(4)]
        [t.start() for t in threads]; [t.join() for t in threads]
        metrics.ranking(wh)
    """)
    result = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_has_data_leaves_no_instance_open(traps_wh):
    from warehouse import db

    before = dict(db._instances)
    assert Warehouse(traps_wh.path).has_data()
    assert db._instances == before


def test_enum_dimensions_come_back_as_text(traps_wh):
    # Fact tables store brand, campaign, product and source as ENUMs (small integer codes).
    assert traps_wh.scalar("SELECT typeof(brand) FROM facts_day_brand LIMIT 1").startswith("ENUM(")
    frame = traps_wh.query("SELECT brand, sum(revenue) AS revenue FROM facts_day_brand GROUP BY 1 ORDER BY 1")
    assert str(frame["brand"].dtype) != "category"
    assert all(isinstance(value, str) for value in frame["brand"])
    assert frame["brand"].tolist() == sorted(frame["brand"].tolist())  # the ENUM's order is the text order


@pytest.mark.parametrize("kind", ["missing", "empty file", "empty database"])
def test_a_warehouse_file_with_nothing_imported_holds_no_data_set(kind, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    if kind == "empty file":
        path.touch()
    elif kind == "empty database":
        duckdb.connect(str(path)).close()
    warehouse = Warehouse(path)
    assert not warehouse.has_data()
    with pytest.raises(WarehouseMissing) as raised:
        warehouse.scalar("SELECT count(*) FROM influencers")
    assert not isinstance(raised.value, WarehouseOutdated)


def test_a_file_with_another_versions_tables_is_still_outdated(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE influencers (influencer_id VARCHAR)")
    with pytest.raises(WarehouseOutdated):
        Warehouse(path).has_data()
