"""Influencers, campaigns, platforms and categories callbacks, and the CSV download (no browser)."""

from __future__ import annotations

import csv
import io
import json

import dash_bootstrap_components as dbc
import orjson
import pandas as pd
import pytest
from dash import Patch, html, no_update
from dash._utils import to_json
from dash_helpers import find, text, triggered
from query_counter import counting_queries, repeated

import metrics
from callbacks import campaigns, categories, common, influencers, platforms, tables
from components import figures
from components.payload import plain_json
from components.tables import WHY_FIELD
from metrics import format as fmt


@pytest.fixture(scope="module")
def dash_app():
    """The app (pages register only once a Dash app exists)."""
    import app

    return app.app


@pytest.fixture(autouse=True)
def traps_env(monkeypatch, traps_wh):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


# --- influencers ------------------------------------------------------------------------------


def test_ranking_rows_follow_the_filters(traps_wh):
    rows, selected, options, note, kpis, empty, style = influencers.influencer_ranking(
        "?platform=Instagram", "all", "/"
    )
    expected = metrics.ranking(traps_wh, metrics.Filters(platform=("Instagram",)))
    assert [r["influencer_id"] for r in rows] == expected["influencer_id"].tolist()
    assert selected == [] and empty is None and style == common.SHOW
    assert options[0]["label"] == f"All ({len(expected)})"
    assert "ROAS" in note


def test_ranking_rows_are_json_safe():
    rows, *_ = influencers.influencer_ranking("", "all", "/")
    for row in rows:
        why = row.pop(WHY_FIELD, {})  # the tooltips' reasons: text keyed by column
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in why.items())
        for value in row.values():
            assert value is None or isinstance(value, (str, int, float, bool))
            assert not (isinstance(value, float) and value != value)
    twitter = next(r for r in rows if r["influencer_id"] == "D4")
    assert twitter["roas"] is None  # undefined: null for the grid, shown as "—"


def test_poor_and_top_views(traps_wh):
    ranked = metrics.ranking(traps_wh, metrics.Filters())
    rows, *_ = influencers.influencer_ranking("", "poor", "/")
    assert {r["influencer_id"] for r in rows} == set(ranked.loc[ranked["poor_performer"], "influencer_id"])
    rows, *_ = influencers.influencer_ranking("", "top", "/")
    scores = [r["efficiency_score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and len(rows) <= influencers.TOP_N
    assert all(score is not None for score in scores)


def test_top_and_poor_views_name_the_creators_too_early_to_judge():
    """Every traps creator has fewer than 3 posts: all stay in both views, each with its verdict
    "too early" and the reason beside it, and the views' notes count them (top: A1, B2, C3, E5 with a
    score; poor: C3 at ROAS 1.31x and E5 with no revenue)."""
    bar = "(below the evidence bar of 3 posts and ₹10,000): see Verdict."
    rows, _, _, note, *_ = influencers.influencer_ranking("", "top", "/")
    assert sorted(r["influencer_id"] for r in rows) == ["A1", "B2", "C3", "E5"]
    assert {r["verdict"] for r in rows} == {"too early"} and all(r["verdict_reason"] for r in rows)
    assert note.endswith(f" 4 of these are too early to judge {bar}")
    rows, _, _, note, *_ = influencers.influencer_ranking("", "poor", "/")
    assert sorted(r["influencer_id"] for r in rows) == ["C3", "E5"]
    assert note.endswith(f" 2 of these are too early to judge {bar}")
    rows, _, _, note, *_ = influencers.influencer_ranking("?platform=YouTube", "poor", "/")
    assert rows == [] and "too early" not in note
    _, _, _, note, *_ = influencers.influencer_ranking("", "all", "/")
    assert "too early" not in note  # the whole ranking: the Verdict column says it row by row


def test_the_verdicts_reason_sits_beside_the_verdict():
    from components.ranking_grid import RANKING_FIELDS

    at = RANKING_FIELDS.index("verdict")
    assert RANKING_FIELDS[at - 1 : at + 2] == ["roas", "verdict", "verdict_reason"]


def test_ranking_summary_cards(traps_wh):
    cards = influencers.ranking_summary(metrics.ranking(traps_wh, metrics.Filters()), common.settings())
    assert find(cards, "kpi-inf-best-value").children == "10.00x"  # B2: 3000 / 300
    assert "<script>alert(1)</script> & Bros" in text(find(cards, "kpi-inf-best"))  # text, unescaped, never HTML
    # The callback sends them as plain JSON, so that orjson encodes the whole response at once.
    rows, _, options, _, kpis, _, _ = influencers.influencer_ranking("", "all", "/")
    assert kpis == plain_json(cards)
    assert orjson.loads(orjson.dumps([rows, options, kpis])) == [rows, options, kpis]


def test_best_roas_card_shows_the_poor_flags_digits():
    """Case 23: the best creator, Asha Verma, has ROAS ₹9,996 ÷ ₹5,000 = 1.9992, flagged poor
    (ROAS < 2x): her card reads "1.999x" (the flag's "ROAS 1.999x < 2x"), not "2.00x"; a best of
    exactly 2.0 clears the bar and reads "2.00x", 2.5 "2.50x"."""
    settings = common.settings()

    def best(revenue: float, poor: bool) -> str:
        frame = pd.DataFrame(
            {"name": ["Asha Verma"], "roas": [revenue / 5000], "poor_performer": [poor], "efficiency_score": [50.0]}
        )
        return find(influencers.ranking_summary(frame, settings), "kpi-inf-best-value").children

    assert best(9996, True) == "1.999x"
    assert metrics.catalogue.POOR_PERFORMER.misses({"roas": 9996 / 5000}, settings) == ["ROAS 1.999x < 2x"]
    assert (best(10000, False), best(12500, False)) == ("2.00x", "2.50x")


def test_plain_json_is_what_dash_sends():
    layout = html.Div([html.Span("a & <b>", id="s"), dbc.Badge("1", color="danger")], style={"gap": 2})
    assert plain_json({"children": [layout]}) == {"children": [json.loads(to_json(layout))]}


def test_empty_ranking():
    rows, _, _, _, _, empty, style = influencers.influencer_ranking("?platform=Myspace", "all", "/influencers")
    assert rows == [] and style == common.HIDE and "No sales" in text(empty)


def test_quick_search_patches_the_grid_options():
    assert isinstance(influencers.influencer_search("asha"), Patch)


def test_detail_panel_keeps_names_as_text():
    with triggered('{"name":"influencers","type":"table"}.cellClicked'):
        is_open, title, body = influencers.influencer_detail({"rowId": "B2"}, [], "")
    assert is_open is True
    assert title == "<script>alert(1)</script> & Bros"
    shown = text(body)
    assert "YouTube · Health" in shown
    posts = find(body, {"type": "table", "name": "influencer-posts"})
    assert [p["post_id"] for p in posts.rowData] == ["P3"]
    payouts = find(body, {"type": "table", "name": "influencer-payouts"})
    assert payouts.rowData[0]["basis"] == "order"


def test_detail_from_keyboard_selection_and_unknown_ids():
    with triggered('{"name":"influencers","type":"table"}.selectedRows'):
        is_open, title, _ = influencers.influencer_detail(None, [{"influencer_id": "A1"}], "?platform=Instagram")
    assert is_open and title == "Asha Rao"
    with triggered('{"name":"influencers","type":"table"}.selectedRows'):
        assert influencers.influencer_detail(None, [], "") == (no_update, no_update, no_update)
    with triggered('{"name":"influencers","type":"table"}.cellClicked'):
        is_open, _, body = influencers.influencer_detail({"rowId": "NOPE"}, [], "")
    assert is_open and "no longer in the data set" in text(body)


# --- campaigns --------------------------------------------------------------------------------


def test_campaign_comparison(traps_wh):
    result = campaigns.campaign_overview("", "/campaigns")
    comparison, roas, rows, kpis, empty, style, comparison_cap, roas_cap, comparison_style, roas_style = result
    expected = metrics.breakdown(traps_wh, "campaign", metrics.Filters())
    assert [r["campaign"] for r in rows] == expected["campaign"].tolist()
    assert empty is None and style == common.SHOW
    assert comparison["data"] and roas["data"]
    assert find(kpis, "kpi-camp-count-value").children == "2"
    assert comparison_cap is None and roas_cap is None  # 3 rows: nothing left out
    # Each graph as tall as its figure (wrapped campaign names need room).
    assert comparison_style == {"height": f"{comparison['layout']['height']}px"}
    assert roas_style == {"height": f"{roas['layout']['height']}px"}


def test_capped_campaign_charts_say_top_n_of_m(monkeypatch):
    # Issue 14: "ROAS by campaign" kept the top 15 by revenue without saying so.
    monkeypatch.setattr(campaigns.ids, "ROAS_N", 1)
    monkeypatch.setattr(campaigns.ids, "TREND_N", 1)
    result = campaigns.campaign_overview("", "/campaigns")
    assert len(result[1]["data"][0]["y"]) == 1
    assert result[7] == (
        "Top 1 of 3 campaigns by revenue. The rest: every campaign is in the table below (sortable), "
        "or pick a brand or campaign in the filter bar."
    )
    figure, note = campaigns.campaign_trend("", "revenue", "month")
    assert len(figure["data"]) == 1 and note.startswith("Top 1 of 3 campaigns by revenue. The rest: pick campaigns")


def test_campaign_trend():
    figure, note = campaigns.campaign_trend("", "revenue", "month")
    assert {"MB Jan", "HK Feb"} <= {trace["name"] for trace in figure["data"]} and note is None
    assert campaigns.campaign_trend("", "roas", "week")[0]["data"]


def test_campaign_empty_state():
    empty, style = campaigns.campaign_overview("?brand=Nothing", "/campaigns")[4:6]
    assert style == common.HIDE and "No sales" in text(empty)


# --- platforms --------------------------------------------------------------------------------


def test_platform_overview(traps_wh):
    roas, cac, cac_note, share, rows, empty, style = platforms.platform_overview("", "/platforms")
    by_platform = {r["platform"]: r for r in rows}
    assert by_platform["YouTube"]["roas"] == pytest.approx(10.0)
    assert by_platform["Twitter"]["roas"] is None
    assert "engagement_rate_pct" in by_platform["Instagram"]
    # the traps data has user ids (no estimate); Twitter and Unknown have customers on ₹0 spend
    assert cac_note == (
        "Twitter: CAC ₹0.00 · No cost recorded (₹0 spend). Unknown: CAC ₹0.00 · No cost recorded (₹0 spend)."
    )
    labels = dict(zip(roas["data"][0]["y"], roas["data"][0]["text"]))
    assert labels["YouTube"] == fmt.ratio(10.0) and labels["Twitter"] == "—"


def test_platform_engagement_and_sources(traps_wh):
    figure, note = platforms.platform_engagement("")
    assert figure["data"] and note is None
    figure, rows = platforms.platform_sources("")
    sources = {r["source"]: r["revenue"] for r in rows}
    assert sources["PromoCode"] == pytest.approx(4000 + 3000 + 6000 + 2500 + 500)
    assert sources["SwipeUp"] == pytest.approx(1000)


# --- categories -------------------------------------------------------------------------------


def test_best_combinations_order(traps_wh):
    rows, empty, style = categories.category_combinations("", "/categories")
    roas = [r["roas"] for r in rows]
    defined = [r for r in roas if r is not None]
    assert defined == sorted(defined, reverse=True)
    assert roas[len(defined) :] == [None] * (len(roas) - len(defined))  # undefined last


def test_category_charts():
    heatmap, style = categories.category_heatmap("", "platform")
    assert heatmap["data"][0]["type"] == "heatmap"
    assert style == {"height": f"{heatmap['layout']['height']}px"}  # the graph as tall as its rows
    assert list(categories.category_heatmap("", "tier")[0]["data"][0]["x"])[:2] == ["Nano", "Micro"]
    followers = categories.category_followers("")
    assert sum(sum(trace["y"]) for trace in followers["data"]) == 5  # the unknown Z9 is not a creator
    assert categories.category_dimension("", "gender", "revenue")["data"]


def test_category_heatmap_tells_no_spend_from_nothing_there():
    """Tester t1: the caption said "“—” = no spend" where most "—" cells held no creator at all. D4
    (Lifestyle, Twitter) has a sale and no spend: "—" and its creator; no Fitness creator is on
    YouTube: a blank cell; the subtitle says which is which, as the PDF's caption does."""
    from dash_helpers import walk

    import app  # noqa: F401 - pages register after the app exists
    from pages import categories as page

    heat = categories.category_heatmap("", "platform")[0]["data"][1]
    cells = {(y, x): heat["text"][i][j] for i, y in enumerate(heat["y"]) for j, x in enumerate(heat["x"])}
    assert cells[("Lifestyle", "Twitter")] == "—<br><span style='font-size:9px'>1 creator</span>"
    assert cells[("Fitness", "YouTube")] == ""
    subtitles = " ".join(str(getattr(n, "children", "")) for n in walk(page.layout()))
    assert figures.HEATMAP_EMPTY_CELLS in subtitles and "“—” = sales but no spend; blank" in subtitles


@pytest.mark.parametrize(
    "search", ["", "?platform=Instagram", "?brand=MuscleBlaze", "?start=2025-02-01", "?tier=Micro&category=Fitness"]
)
def test_follower_distribution_counts_as_the_ranking_does(traps_wh, search):
    """One grouped count per tier and platform draws what the whole ranking drew."""
    filters = common.filters_from_search(search)
    ranking = metrics.ranking(traps_wh, filters)
    expected = figures.follower_distribution(ranking[ranking["known"].astype(bool)], height=320)
    assert categories.category_followers(search) == expected


def test_category_callbacks_run_few_distinct_queries(traps_wh, monkeypatch):
    """A URL change on /categories: four callbacks, one query each, none repeated; the follower
    chart no longer builds the ranking (whose query joins the post sums)."""
    with counting_queries(monkeypatch) as seen:
        categories.category_combinations("?platform=Instagram", "/categories")
        categories.category_heatmap("?platform=Instagram", "platform")
        categories.category_followers("?platform=Instagram")
        categories.category_dimension("?platform=Instagram", "category", "roas")
    assert len(seen) == 4 and not repeated(seen)
    assert not any("post_sums" in sql for sql, _ in seen)


def test_controls_fall_back_to_an_offered_option():
    same = lambda a, b: to_json(a) == to_json(b)  # noqa: E731 - NaN cells compare equal as JSON
    assert same(categories.category_heatmap("", "<script>"), categories.category_heatmap("", "platform"))
    assert same(
        categories.category_dimension("", "nope", "nope"), categories.category_dimension("", "category", "roas")
    )


# --- CSV download -----------------------------------------------------------------------------


def test_csv_download_is_what_the_grid_shows(dash_app):
    rows, *_ = influencers.influencer_ranking("", "all", "/")
    from components.ranking_grid import RANKING_COLUMNS

    shown = sorted(rows, key=lambda r: r["name"])[:3]  # as if the user sorted by name and paged
    # The grid's columnState lists every column in display order; the user hid all but three.
    visible = ["name", "revenue", "roas"]
    state = [{"colId": c, "hide": False} for c in visible] + [
        {"colId": col["field"], "hide": True} for col in RANKING_COLUMNS if col["field"] not in visible
    ]
    download = tables.download_table_csv(
        1, shown, rows, RANKING_COLUMNS, state, {"type": "table", "name": "influencers"}
    )
    assert download["filename"].startswith("hkdash-influencers-") and download["filename"].endswith(".csv")
    table = list(csv.reader(io.StringIO(download["content"])))
    assert table[0] == ["Influencer", "Revenue (₹)", "ROAS (×)"]
    assert [r[0] for r in table[1:]] == [
        "<script>alert(1)</script> & Bros",
        '\'=HYPERLINK("http://evil.example")',  # formula neutralised
        "Asha Rao",
    ]
    assert table[1][1] == "3000" and table[1][2] == "10"


def test_csv_without_grid_state_uses_all_visible_columns(dash_app):
    from pages.campaigns import CAMPAIGN_COLUMNS

    _, _, rows, *_ = campaigns.campaign_overview("", "/campaigns")
    download = tables.download_table_csv(1, None, rows, CAMPAIGN_COLUMNS, None, {"type": "table", "name": "campaigns"})
    table = list(csv.reader(io.StringIO(download["content"])))
    assert table[0][:6] == ["Campaign", "Brand", "Starts", "Ends", "Budget (₹)", "Budget used (%)"]
    assert len(table[0]) == len(CAMPAIGN_COLUMNS)
    assert len(table) == 1 + len(rows)
    assert tables.download_table_csv(0, None, rows, CAMPAIGN_COLUMNS, None, {"name": "x"}) is no_update


def test_campaign_table_says_how_its_spend_is_split():
    from dash_helpers import walk

    import app  # noqa: F401 - pages register after the app exists
    from pages import campaigns as page

    subtitles = " ".join(str(getattr(n, "children", "")) for n in walk(page.layout()))
    assert "splits its fee by the creator's sales mix over the whole data set" in subtitles
