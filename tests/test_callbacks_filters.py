"""Filter bar <-> URL callbacks, navbar links, filter summary (called directly, no browser)."""

from __future__ import annotations

import pytest
from dash import no_update
from dash_helpers import text, triggered

import metrics
from callbacks import filters as cb

N = len(cb.FIELDS)


@pytest.fixture
def traps_env(monkeypatch, traps_wh):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


def unpack(result):
    search, values, options = result[0], result[1 : 1 + N], result[1 + N : 1 + 2 * N]
    start, end, first, last, error = result[1 + 2 * N : 6 + 2 * N]
    return search, dict(zip(cb.FIELDS, values)), dict(zip(cb.FIELDS, options)), start, end, first, last, error


def test_url_sets_controls_and_their_options_together(traps_env):
    result = cb.sync(
        "url", "?platform=Instagram&brand=MuscleBlaze&start=2025-01-01&end=2025-01-31", [[]] * N, None, None
    )
    search, values, options, start, end, first, last, error = unpack(result)
    assert search is no_update  # the URL is the source: not rewritten
    assert values["platform"] == ["Instagram"] and values["brand"] == ["MuscleBlaze"] and values["tier"] == []
    assert {"label": "Instagram", "value": "Instagram"} in options["platform"]
    assert [o["value"] for o in options["tier"]] == metrics.filter_options(traps_env)["tier"]
    assert (start, end) == ("2025-01-01", "2025-01-31")
    first_date, last_date = metrics.date_bounds(traps_env)
    assert (first, last) == (first_date.isoformat(), last_date.isoformat())
    assert error is None


def test_initial_call_reads_the_url(traps_env):
    with triggered():
        result = cb.sync_filters("?category=Fitness", *([[]] * N), None, None, 0, None, "previous")
    _, values, *_ = unpack(result)
    assert values["category"] == ["Fitness"]


def test_a_stale_link_keeps_its_value_selectable(traps_env):
    _, values, options, *_ = unpack(cb.sync("url", "?platform=Myspace", [[]] * N, None, None))
    assert values["platform"] == ["Myspace"]
    assert {"label": "Myspace (not in data)", "value": "Myspace"} in options["platform"]


def test_a_link_value_the_data_set_lacks_is_named(traps_env):
    """Tester t1 (s19): /influencers?platform=Nope read "Platform: Nope … No sales for these filters"
    as if Nope were a platform without sales. Every multi-value filter says so, user text kept as text."""
    search = "?platform=Nope&platform=Instagram&brand=%3Cb%3EX%3C%2Fb%3E&product=Whey&product=Soap&product=Gel"
    *_, error = unpack(cb.sync("url", search, [[]] * N, None, None))
    assert text(error).strip() == (
        "Platform “Nope” is not one of this data set's platforms (Facebook, Instagram, Twitter, Unknown, YouTube); "
        "Brand “<b>X</b>” is not one of this data set's brands (Gritzo, HKVitals, MuscleBlaze); "
        "Product “Gel”, “Soap” are none of this data set's products (Creatine, Multi, Unattributed, Whey). "
        "No sale matches a value the data set does not have."
    )
    assert all(isinstance(line.children, str) for line in error.children[1].children)  # text, never markup


def test_an_import_refreshes_the_options_and_dates(traps_env):
    out = cb.options_after_import("now", "?platform=Instagram")
    assert len(out) == N + 2
    assert [o["value"] for o in out[0]] == metrics.filter_options(traps_env)["platform"]
    assert out[N:] == tuple(d.isoformat() for d in metrics.date_bounds(traps_env))


def test_only_unknown_values_are_named():
    options = {"platform": ["Instagram"], "campaign": [f"C{i}" for i in range(1, 10)]}
    assert cb.unknown_values(metrics.Filters(platform=("Instagram",)), options) is None
    assert cb.unknown_values(metrics.Filters(platform=("Nope",)), {}) is None  # nothing loaded: nothing to check
    assert cb.unknown_values(metrics.Filters(campaign=("C1", "Z")), options) == (
        "Campaign “Z” is not one of this data set's campaigns (C1, C2, C3, C4, C5, C6 and 3 more). "
        "No sale matches a value the data set does not have."
    )


def test_invalid_date_in_the_link_is_reported_and_ignored(traps_env):
    _, values, _, start, end, _, _, error = unpack(cb.sync("url", "?platform=X&start=yesterday", [[]] * N, None, None))
    assert values["platform"] == ["X"] and start is None and end is None
    assert "not a date" in text(error)


def test_control_change_writes_the_url():
    values = [[]] * N
    values = [["YouTube", "Instagram"] if f == "platform" else ["Gritzo"] if f == "brand" else [] for f in cb.FIELDS]
    with triggered("filter-platform.value"):
        result = cb.sync_filters("", *values, "2025-01-01", None, 0, None, "previous")
    search, controls, options, *_ = unpack(result)
    assert search == "?platform=Instagram&platform=YouTube&brand=Gritzo&start=2025-01-01"
    assert all(v is no_update for v in controls.values()) and all(o is no_update for o in options.values())
    assert metrics.Filters.from_query_string(search) == metrics.Filters(
        platform=("Instagram", "YouTube"), brand=("Gritzo",), start="2025-01-01"
    )


def test_unchanged_selection_leaves_the_url_alone():
    values = [["Instagram"] if f == "platform" else [] for f in cb.FIELDS]
    assert cb.sync("filter-platform", "?platform=Instagram", values, None, None)[0] is no_update
    assert cb.sync("filter-platform", None, [[]] * N, None, None)[0] is no_update


def test_end_before_start_is_refused():
    search, *_, error = unpack(cb.sync("filter-dates", "", [[]] * N, "2025-02-01", "2025-01-01"))
    assert search is no_update
    assert "before" in text(error)


def test_reset_clears_url_and_controls():
    with triggered("filter-reset.n_clicks"):
        result = cb.sync_filters(
            "?platform=Instagram", *([["Instagram"]] + [[]] * (N - 1)), "2025-01-01", None, 1, None, "previous"
        )
    search, values, _, start, end, *_ = unpack(result)
    assert search == ""
    assert all(v == [] for v in values.values()) and start is None and end is None


def test_summary_lists_active_filters():
    children, count = cb.summary_children("?platform=Instagram&platform=YouTube&start=2025-01-01&end=2025-01-31")
    shown = text(children)
    assert "Platform: Instagram, YouTube" in shown.replace(":  ", ": ")
    assert "1 Jan 2025 – 31 Jan 2025" in shown
    assert count == "2"
    children, count = cb.summary_children("")
    assert text(children) == "Showing all data" and count == ""


def test_nav_links_carry_the_filters_and_mark_the_page():
    ids = [{"type": "nav-link", "path": p} for p in ("/", "/influencers", "/campaigns")]
    hrefs, active = cb.nav_state("/influencers", "?platform=Instagram", ids)
    assert hrefs == ["/?platform=Instagram", "/influencers?platform=Instagram", "/campaigns?platform=Instagram"]
    assert active == [False, True, False]
    hrefs, active = cb.nav_state("/", "", ids)
    assert hrefs == ["/", "/influencers", "/campaigns"] and active == [True, False, False]


def test_nav_links_carry_the_lift_window_and_every_page_reads_it():
    """/lift's window (`window=`) goes with the navbar to every page, whose settings take it (the
    PDF's report_settings reads the same query); the default or an unknown window is left out."""
    from callbacks import common
    from callbacks.report import report_settings

    ids = [{"type": "nav-link", "path": p} for p in ("/", "/lift")]
    hrefs, _ = cb.nav_state("/lift", "?platform=Instagram&window=28&sort=roas", ids)
    assert hrefs == ["/?platform=Instagram&window=28", "/lift?platform=Instagram&window=28"]
    for search in ("?window=14", "?window=30", "?window=x", ""):
        assert cb.nav_state("/lift", search, ids)[0] == ["/", "/lift"]
    assert common.settings("?platform=Instagram&window=7").lift_window_days == 7
    assert common.settings("?window=30") is common.settings() is metrics.DEFAULT_SETTINGS
    for search in ("?window=28", "?window=7", "", "?window=5"):
        assert common.settings(search) == report_settings(search)


def test_dataset_line(traps_env):
    line = cb.dataset_info("/")
    info = metrics.dataset_info(traps_env)
    assert line.startswith(f"Data: {info['name']} · imported ")
    assert f"{info['influencers']} influencers" in line
    assert cb.dataset_line(None) == "No data set imported"


def test_no_warehouse_yet(monkeypatch, tmp_path):
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "missing.duckdb"))
    _, values, options, *_ = unpack(cb.sync("url", "?platform=Instagram", [[]] * N, None, None))
    assert values["platform"] == ["Instagram"]
    assert options["platform"] == [{"label": "Instagram (not in data)", "value": "Instagram"}]
    assert cb.dataset_info("/") == "No data set imported"


def test_a_preset_link_sets_the_period_and_shows_its_dates(traps_env):
    result = cb.sync("url", "?period=last-month&compare=year", [[]] * N, None, None)
    _, _, _, start, end, _, _, error = unpack(result)
    assert (start, end) == ("2025-01-01", "2025-01-31")  # the last sale is 15 Feb 2025
    assert result[-2:] == ("last-month", "year") and error is None


def test_choosing_a_preset_writes_it_as_written(traps_env):
    result = cb.sync("filter-period", "?platform=Instagram", [["Instagram"]] + [[]] * (N - 1), None, None, "last-7")
    search, _, _, start, end, *_ = unpack(result)
    assert search == "?platform=Instagram&period=last-7"
    assert (start, end) == ("2025-02-09", "2025-02-15")


def test_picking_dates_clears_the_preset(traps_env):
    result = cb.sync("filter-dates", "?period=last-7", [[]] * N, "2025-01-01", "2025-01-10", "last-7")
    assert result[0] == "?start=2025-01-01&end=2025-01-10" and result[-2] is None


def test_the_comparison_switch_goes_into_the_url(traps_env):
    result = cb.sync("filter-compare", "?period=last-7", [[]] * N, "2025-02-09", "2025-02-15", "last-7", "year")
    assert result[0] == "?period=last-7&compare=year"
