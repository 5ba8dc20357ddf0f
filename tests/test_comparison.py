"""Period comparison on the traps fixture: summary --compare, presets and Δ columns, by hand.

tracking_data (traps): January 4–31 holds T1 4,000 (2 orders), T2 2,000 (1), T4 3,000 (1),
T7 2,500 (1) = ₹11,500 and 5 orders; February 1–28 holds T3 1,000 (1), T5 6,000 (3), T6 1,000 (1),
T8 500 (1) = ₹8,500 and 6 orders. The last sale is T8 on 15 February 2025.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

import cli
import metrics
from metrics.comparison import CARD_CHANGE_KEYS, kpi_comparison
from metrics.summary import KPI_KEYS


def run_json(capsys, wh, *args):
    assert cli.main(["--db", str(wh.path), "summary", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_summary_compares_with_the_previous_period(traps_wh, capsys):
    document = run_json(capsys, traps_wh, "--start", "2025-02-01", "--end", "2025-02-28", "--compare", "previous")
    comparison, change = document["comparison"], document["change"]
    assert (comparison["start"], comparison["end"]) == ("2025-01-04", "2025-01-31")  # 28 days before
    # `change` holds the figures the cards compare, not the method's words or the interval's ends
    assert set(KPI_KEYS) <= set(comparison) and tuple(change) == CARD_CHANGE_KEYS
    assert document["revenue"] == pytest.approx(8500) and comparison["revenue"] == pytest.approx(11500)
    assert change["revenue"] == pytest.approx((8500 - 11500) / 11500)
    assert change["orders"] == pytest.approx((6 - 5) / 5)
    then = run_json(capsys, traps_wh, "--start", "2025-01-04", "--end", "2025-01-31")
    for key in ("spend", "roas", "cac", "new_customers"):
        assert comparison[key] == pytest.approx(then[key])
        assert change[key] == pytest.approx((document[key] - then[key]) / abs(then[key]))
    assert "incrementality_method" not in change and "new_customers_estimated" not in change


def test_same_period_last_year_without_sales_has_undefined_changes(traps_wh, capsys):
    document = run_json(capsys, traps_wh, "--start", "2025-02-01", "--end", "2025-02-28", "--compare", "year")
    assert (document["comparison"]["start"], document["comparison"]["end"]) == ("2024-02-01", "2024-02-28")
    assert document["comparison"]["revenue"] == 0 and document["change"]["revenue"] is None
    assert document["change"]["roas"] is None


def test_all_time_has_nothing_to_compare_with(traps_wh, capsys):
    document = run_json(capsys, traps_wh, "--compare", "previous")
    assert document["comparison"]["start"] is None and document["comparison"]["revenue"] is None
    assert all(value is None for value in document["change"].values())
    assert "comparison" not in run_json(capsys, traps_wh)


def test_presets_resolve_against_the_last_sale_date(traps_wh, capsys):
    assert metrics.sale_date_bounds(traps_wh) == (dt.date(2025, 1, 6), dt.date(2025, 2, 15))
    last_month = run_json(capsys, traps_wh, "--period", "last-month")
    assert last_month["filters"]["period"] == "last-month"
    assert (last_month["filters"]["start"], last_month["filters"]["end"]) == ("2025-01-01", "2025-01-31")
    assert last_month["revenue"] == pytest.approx(11500)
    this_month = run_json(capsys, traps_wh, "--period", "this-month", "--compare", "previous")
    assert this_month["revenue"] == pytest.approx(8500)  # 1–15 February
    assert (this_month["comparison"]["start"], this_month["comparison"]["end"]) == ("2025-01-17", "2025-01-31")
    assert this_month["comparison"]["revenue"] == pytest.approx(3000)  # T4 on 21 January
    assert cli.main(["--db", str(traps_wh.path), "summary", "--period", "yesterday"]) == 2
    assert "not a preset" in capsys.readouterr().err


def test_kpi_comparison_matches_the_cards(traps_wh):
    filters = metrics.Filters(start="2025-02-01", end="2025-02-28")
    now = metrics.kpis(traps_wh, filters)
    compared = kpi_comparison(traps_wh, filters, now)
    assert compared["mode"] == "previous" and compared["start"] == dt.date(2025, 1, 4)
    assert compared["change"]["revenue"] == pytest.approx(-3000 / 11500)


@pytest.fixture
def traps_env(monkeypatch, traps_wh):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


def test_platform_table_has_delta_columns(traps_env):
    from callbacks import platforms

    rows = platforms.platform_overview("?start=2025-02-01&end=2025-02-28", "/platforms")[4]
    instagram = next(row for row in rows if row["platform"] == "Instagram")
    # Instagram: February T3 + T5 + T6 = ₹8,000 against T1 + T2 = ₹6,000 in 4–31 January.
    assert instagram["revenue_change"] == pytest.approx(2000 / 6000)
    assert set(rows[0]) >= {"revenue_change", "spend_change", "roas_change"}
    all_time = platforms.platform_overview("", "/platforms")[4]
    assert all(row["revenue_change"] is None for row in all_time)  # nothing earlier to compare with


def test_ranking_and_campaign_tables_have_delta_columns(traps_env):
    from callbacks import campaigns, influencers
    from components.ranking_grid import RANKING_FIELDS

    assert {"revenue_change", "spend_change", "roas_change", "cac_change"} <= set(RANKING_FIELDS)
    rows = influencers.influencer_ranking("?start=2025-02-01&end=2025-02-28", "all", "/influencers")[0]
    a1 = next(row for row in rows if row["influencer_id"] == "A1")
    assert a1["revenue_change"] == pytest.approx((1000 - 6000) / 6000)  # T3 against T1 + T2
    campaign_rows = campaigns.campaign_overview("?start=2025-02-01&end=2025-02-28", "/campaigns")[2]
    mb_jan = next(row for row in campaign_rows if row["campaign"] == "MB Jan")
    # MB Jan: February T6 ₹1,000 against T1 + T2 + T4 + T7 = ₹11,500 in 4–31 January.
    assert mb_jan["revenue_change"] == pytest.approx((1000 - 11500) / 11500)


def test_cards_show_the_change_with_the_comparison_dates(traps_env):
    from dash_helpers import find, text

    from callbacks import overview

    cards = overview.overview_kpis("?start=2025-02-01&end=2025-02-28", "/")[0]
    assert text(find(cards, "kpi-revenue-change")) == "-26.1%"  # (8,500 − 11,500) ÷ 11,500
    assert "hk-tone-bad" in find(cards, "kpi-revenue-change").className
    tip = text(find(cards, "kpi-revenue-change-info").title)
    assert "4 Jan 2025 – 31 Jan 2025" in tip
    cards = overview.overview_kpis("?start=2025-02-01&end=2025-02-28&compare=year", "/")[0]
    assert text(find(cards, "kpi-revenue-change")) == "—"


def test_a_comparison_before_the_first_sale_is_undefined_with_a_notice(traps_env):
    from dash_helpers import find, text

    from callbacks import campaigns, overview

    # February 2025 a year earlier lies wholly before the first sale (6 January 2025).
    filters = metrics.Filters(start="2025-02-01", end="2025-02-28", compare="year")
    compared = kpi_comparison(traps_env, filters, metrics.kpis(traps_env, filters))
    assert compared["notice"] == "No data before 6 Jan 2025: nothing to compare with"
    assert all(value is None for value in compared["change"].values())  # spend too: no coloured change
    cards = overview.overview_kpis("?start=2025-02-01&end=2025-02-28&compare=year", "/")[0]
    for stem in ("revenue", "spend", "roas"):
        change = find(cards, f"kpi-{stem}-change")
        assert text(change) == "—" and "hk-tone" not in change.className
    assert "no data before 6 Jan 2025" in text(cards)
    rows = campaigns.campaign_overview("?start=2025-02-01&end=2025-02-28&compare=year", "/campaigns")[2]
    assert all(row["spend_change"] is None and row["revenue_change"] is None for row in rows)
    # 4–31 January starts two days before the first sale: compared, and the tooltip says so (and
    # that February runs 13 days past the last sale, 15 February).
    partly = kpi_comparison(traps_env, metrics.Filters(start="2025-02-01", end="2025-02-28"), {"revenue": 1})
    assert partly["notice"] == (
        "No data before 6 Jan 2025: the comparison period is partly before it; "
        "No data after 15 Feb 2025: 13 of the selection's 28 days are after it"
    )
    assert partly["change"]["revenue"] is not None


def test_a_partial_comparison_is_said_on_the_page_not_only_in_a_tooltip(traps_env):
    """4–31 January starts two days before the first sale: each card's change line says "(partial)"
    and the note under the cards gives the period and the caveat the PDF prints."""
    from dash_helpers import find, text

    from callbacks import overview

    cards, note, _, _ = overview.overview_kpis("?start=2025-02-01&end=2025-02-28", "/")
    # both periods lack data here: the comparison starts before the first sale, the selection ends after the last
    assert "vs previous period (both periods partial)" in text(find(cards, "kpi-revenue"))
    assert text(note).strip() == (
        "Changes against the previous period (both periods partial), 4 Jan 2025 – 31 Jan 2025. "
        "No data before 6 Jan 2025: the comparison period is partly before it; "
        "No data after 15 Feb 2025: 13 of the selection's 28 days are after it."
    )
    # a comparison wholly inside the data has no note and no "(partial)"
    cards, note, _, _ = overview.overview_kpis("?start=2025-01-20&end=2025-01-31", "/")
    assert note is None and "(partial)" not in text(cards)


def test_text_summary_states_the_comparison(traps_wh, capsys):
    assert cli.main(["--db", str(traps_wh.path), "summary", "--period", "this-month", "--compare", "previous"]) == 0
    out = capsys.readouterr().out
    assert "Change against previous period (17 Jan 2025 – 31 Jan 2025): Revenue +183.3%" in out
    assert cli.main(["--db", str(traps_wh.path), "summary", "--compare", "year"]) == 0
    assert "Same period last year: none (no date range" in capsys.readouterr().out


def test_a_selection_past_the_last_sale_is_partial_everywhere(traps_env, capsys):
    """1–20 February runs 5 days past the last sale (T8, 15 February) against 12–31 January, wholly
    inside the data: compared, said "(partial)" with the days counted on the cards, the CLI's text and
    --json and the PDF's headline. Revenue 8,500 (T3, T5, T6, T8) against 3,000 (T4): +183.3%."""
    from dash_helpers import find, text

    from callbacks import overview
    from reports.build import build_context

    notice = "No data after 15 Feb 2025: 5 of the selection's 20 days are after it"
    filters = metrics.Filters(start="2025-02-01", end="2025-02-20")
    compared = kpi_comparison(traps_env, filters, metrics.kpis(traps_env, filters))
    assert (compared["notice"], compared["undefined"]) == (notice, False)
    assert compared["change"]["revenue"] == pytest.approx(5_500 / 3_000)
    cards, note, _, _ = overview.overview_kpis("?start=2025-02-01&end=2025-02-20", "/")
    assert text(find(cards, "kpi-revenue-change")) == "+183.3%"
    # the selection is the partial one, not the comparison (tester t1, session 19): the label says which
    assert "vs previous period (selection partial)" in text(find(cards, "kpi-revenue"))
    assert (
        text(note).strip()
        == f"Changes against the previous period (selection partial), 12 Jan 2025 – 31 Jan 2025. {notice}."
    )
    document = run_json(capsys, traps_env, "--start", "2025-02-01", "--end", "2025-02-20", "--compare", "previous")
    assert (document["comparison"]["partial"], document["comparison"]["notice"]) == (True, notice)
    assert document["comparison"]["partial_period"] == "selection"
    args = [
        "--db",
        str(traps_env.path),
        "summary",
        "--start",
        "2025-02-01",
        "--end",
        "2025-02-20",
        "--compare",
        "previous",
    ]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "Change against previous period (selection partial) (12 Jan 2025 – 31 Jan 2025): Revenue +183.3%" in out
    assert f"Note: {notice}." in out
    headline = build_context(traps_env, filters, metrics.DEFAULT_SETTINGS)["executive"]["headline"]
    assert headline["comparison"] == (
        f"Changes against the previous period (selection partial), 12 Jan 2025 – 31 Jan 2025. {notice}."
    )


def test_a_selection_after_the_last_sale_has_nothing_to_compare(traps_env, capsys):
    """16–28 February holds no sale (the last is 15 February): every change is undefined, as for a
    comparison period wholly before the data."""
    filters = metrics.Filters(start="2025-02-16", end="2025-02-28")
    compared = kpi_comparison(traps_env, filters, metrics.kpis(traps_env, filters))
    assert compared["notice"] == "No data after 15 Feb 2025: the selection holds none"
    assert compared["undefined"] and all(value is None for value in compared["change"].values())
    # the text and the page show their empty state (no sale, order or spend); --json says why
    document = run_json(capsys, traps_env, "--start", "2025-02-16", "--end", "2025-02-28", "--compare", "previous")
    assert document["comparison"]["undefined"] and not document["comparison"]["partial"]
    assert document["change_reasons"]["revenue"] == compared["notice"]
