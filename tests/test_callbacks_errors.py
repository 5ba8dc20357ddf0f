"""Every warehouse-reading callback: no data set and an outdated one give the empty state; any
other error propagates (Dash answers with an error and the server logs it), never a notice."""

from __future__ import annotations

import duckdb
import pytest
from dash_helpers import text

from callbacks import (
    campaigns,
    categories,
    common,
    content,
    data,
    filters,
    influencers,
    insights,
    overview,
    payouts,
    platforms,
)

# (callback, arguments, index of the empty-state output or None when the callback has none)
PAGE_CALLBACKS = [
    (overview.overview_kpis, ("", "/"), 2),
    (campaigns.campaign_overview, ("", "/campaigns"), 4),
    (categories.category_combinations, ("", "/categories"), 1),
    (content.content_page, ("", "/content"), 1),
    (influencers.influencer_ranking, ("", "all", "/influencers"), 5),
    (insights.insights_page, ("", "/insights"), 1),
    (payouts.payouts_page, ("", "/payouts"), 1),
    (platforms.platform_overview, ("", "/platforms"), 5),
]
OTHER_CALLBACKS = [
    (overview.overview_trend, ("", "week")),
    (overview.overview_platform_share, ("",)),
    (overview.overview_top, ("", "revenue")),
    (campaigns.campaign_trend, ("", "revenue", "week")),
    (categories.category_heatmap, ("", "platform")),
    (categories.category_followers, ("",)),
    (categories.category_dimension, ("", "category", "roas")),
    (content.content_platform_chart, ("", "cpe")),
    (platforms.platform_engagement, ("",)),
    (platforms.platform_sources, ("",)),
    (filters.dataset_info, ("/",)),
    (data.dataset_info_card, ("/data", None)),
]


@pytest.fixture
def outdated_db(tmp_path, monkeypatch):
    """A DuckDB file an older hkdash built: tables, but not this version's schema."""
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE influencers (influencer_id VARCHAR)")
    monkeypatch.setenv("HKDASH_DB", str(path))
    return path


@pytest.fixture
def broken_warehouse(monkeypatch, traps_wh):
    """A warehouse whose every query fails with an error nobody expects."""

    class Broken:
        path = traps_wh.path

        def query(self, sql, params=None):
            raise RuntimeError("disk on fire")

        scalar = query

    monkeypatch.setattr(common, "warehouse", lambda: Broken())


@pytest.mark.parametrize("callback, args, index", PAGE_CALLBACKS, ids=lambda v: getattr(v, "__name__", None))
def test_missing_data_set_shows_the_import_hint(callback, args, index, tmp_path, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "none.duckdb"))
    out = callback(*args)
    assert "No data set imported yet" in text(out[index])
    assert common.HIDE in out


def empty_database(path):
    duckdb.connect(str(path)).close()


@pytest.mark.parametrize("make", [empty_database, lambda path: path.touch()], ids=["empty-database", "empty-file"])
def test_an_empty_warehouse_file_is_no_data_set_yet(make, tmp_path, monkeypatch):
    """`hkdash serve` starts on a file created before any import (a new DuckDB database, or a
    0-byte file): nothing was imported into it, so it is no data set, not an outdated one or an error."""
    path = tmp_path / "warehouse.duckdb"
    make(path)
    monkeypatch.setenv("HKDASH_DB", str(path))
    out = overview.overview_kpis("", "/")
    assert "No data set imported yet" in text(out[2]) and "Data page" in text(out[2])


@pytest.mark.parametrize("callback, args, index", PAGE_CALLBACKS, ids=lambda v: getattr(v, "__name__", None))
def test_outdated_data_set_asks_for_a_new_import(callback, args, index, outdated_db):
    out = callback(*args)
    assert "Import the data set again" in text(out[index])
    assert common.HIDE in out


@pytest.mark.parametrize("callback, args", OTHER_CALLBACKS, ids=lambda v: getattr(v, "__name__", None))
def test_other_callbacks_answer_without_a_data_set(callback, args, outdated_db):
    callback(*args)  # an empty figure, table or line: no exception


@pytest.mark.parametrize(
    "callback, args", [c[:2] for c in PAGE_CALLBACKS] + OTHER_CALLBACKS, ids=lambda v: getattr(v, "__name__", None)
)
def test_unexpected_errors_propagate(callback, args, broken_warehouse):
    with pytest.raises(RuntimeError, match="disk on fire"):
        callback(*args)


def test_footer_and_data_card_say_outdated_too(outdated_db, tmp_path, monkeypatch):
    assert filters.dataset_info("/") == "Data set to import again (another hkdash version)"
    assert "imported by another version of hkdash: import it again" in text(data.dataset_info_card("/data", None))
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "none.duckdb"))
    assert filters.dataset_info("/") == "No data set imported"
    assert "No data set imported yet" in text(data.dataset_info_card("/data", None))


def test_decorator_passes_only_warehouse_missing():
    from warehouse.db import WarehouseMissing, WarehouseOutdated

    @common.when_no_data_set(lambda error: ("fallback", type(error).__name__))
    def answer(kind):
        raise kind("x")

    assert answer(WarehouseMissing) == ("fallback", "WarehouseMissing")
    assert answer(WarehouseOutdated) == ("fallback", "WarehouseOutdated")
    with pytest.raises(ValueError):
        answer(ValueError)
    assert answer.__name__ == "answer"  # Dash names the callback after the function
