"""/content callbacks called directly: engagement KPIs, platform and native tables, top posts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from dash_helpers import find, text

import metrics
from callbacks import common
from callbacks import content as cb
from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


@pytest.fixture
def traps_app(traps_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("content-sample")
    generate_sample(root / "src", orders=3_000, seed=3)
    import_dataset(root / "src", root / "wh.duckdb")
    return root / "wh.duckdb"


def test_traps_page(traps_app):
    kpis, empty, style, notes, platforms, native, posts = cb.content_page("", "/content")
    assert empty is None and style == common.SHOW
    k = metrics.kpis(traps_app)
    # The traps posts report reach but no impressions: CPM is per 1,000 reach, and says so.
    assert find(kpis, "kpi-cnt-cpm-value").children == "₹179.55"
    assert "uses reach" in text(find(kpis, "kpi-cnt-cpm"))
    assert "CPM is per 1,000 reach" in text(notes)
    # one precision for the one metric: the catalogue's (1 decimal), as the overview, CLI and PDF show it
    assert find(kpis, "kpi-cnt-er-value").children == "5.7%"
    assert find(kpis, "kpi-cnt-er-value").children == metrics.catalogue.get("engagement_rate_pct").short(
        k["engagement_rate_pct"]
    )
    assert find(kpis, "kpi-cnt-posts-value").children == str(k["posts"])
    # Platforms with neither posts nor spend are left out (Twitter, Unknown).
    assert [r["platform"] for r in platforms] == ["Facebook", "Instagram", "YouTube"]
    assert all(r["cpm_basis"] == "reach" for r in platforms)
    instagram = next(r for r in platforms if r["platform"] == "Instagram")
    assert instagram["engagement_rate_pct"] == pytest.approx(3500 / 60000 * 100)
    assert instagram["cpe"] == pytest.approx(8550 / 3500)
    # Native metrics: not reported -> None ("—"), never 0.
    ig = next(r for r in native if r["platform"] == "Instagram")
    assert ig["posts"] == 3 and ig["impressions"] is None and ig["saves"] is None and ig["views"] is None
    assert ig["likes"] == 3200 and ig["view_rate_pct"] is None
    # Top posts: most engagements first, stable keys, plain-text captions.
    engagements = [r["engagements"] for r in posts]
    assert engagements == sorted(engagements, reverse=True)
    assert len({r["row_key"] for r in posts}) == len(posts) == 5
    assert all(r["cpm_basis"] == "reach" for r in posts)


def test_sample_has_native_metrics(sample_db, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(sample_db))
    kpis, _, _, notes, platforms, native, posts = cb.content_page("", "/content")
    assert "uses reach" not in text(kpis)
    youtube = next(r for r in native if r["platform"] == "YouTube")
    assert youtube["views"] and youtube["impressions"] and youtube["saves"] is not None
    assert 0 < youtube["view_rate_pct"]
    frame = metrics.engagement_by_post(Warehouse(sample_db))
    assert youtube["views"] == pytest.approx(frame.loc[frame["platform"] == "YouTube", "views"].sum())
    assert sum(r["posts"] for r in native) == len(frame)
    assert all(r["cpm_basis"] == "impressions" for r in posts)


def test_post_rows_limit_and_order():
    frame = pd.DataFrame(
        {
            "post_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2025-01-02", "2025-01-01", None, "2025-01-03"]),
            "engagements": [5, 5, None, 9],
            "impressions": [None, 100, None, None],
            "reach": [10, 10, None, None],
            "caption": ["<b>hi</b>", None, "x", "y"],
        }
    )
    rows, total = cb.post_rows(frame, limit=3)
    assert total == 4 and [r["post_id"] for r in rows] == ["d", "b", "a"]
    assert [r["cpm_basis"] for r in rows] == [None, "impressions", "reach"]
    assert rows[2]["caption"] == "<b>hi</b>"  # plain text: the grid escapes it
    assert rows[0]["date"] == "2025-01-03"
    assert cb.post_rows(frame.iloc[0:0]) == ([], 0)


def test_more_posts_than_shown_is_said(traps_app, monkeypatch):
    monkeypatch.setattr(cb, "MAX_POSTS", 2)
    _, _, _, notes, _, _, posts = cb.content_page("", "/content")
    assert len(posts) == 2
    assert "shows the 2 posts with most engagements of 5" in text(notes)


def test_filters_are_followed(traps_app):
    _, _, _, _, platforms, native, posts = cb.content_page("?platform=Instagram", "/content")
    assert [r["platform"] for r in platforms] == ["Instagram"]
    assert {r["platform"] for r in posts} == {"Instagram"} and len(posts) == 3
    _, _, _, _, _, _, posts = cb.content_page("?brand=MuscleBlaze", "/content")
    # Posts naming no brand stay in under a brand filter (metrics.selection.post_conditions).
    assert {r["brand"] for r in posts} == {"MuscleBlaze", None}


def test_chart(traps_app):
    for metric in ("engagement_rate_pct", "cpe", "cpm", None):
        assert go.Figure(cb.content_platform_chart("", metric)).data


def test_empty_states(traps_app, tmp_path, monkeypatch):
    kpis, empty, style, *_ = cb.content_page("?start=2030-01-01", "/content")
    assert style == common.HIDE and "No sales for these filters" in text(empty)
    # Sales and spend, but no posts (D4 on Twitter has a sale and no post).
    kpis, empty, style, *_ = cb.content_page("?platform=Twitter", "/content")
    assert style == common.HIDE and "No posts for these filters" in text(empty)
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "missing.duckdb"))
    kpis, empty, style, *_ = cb.content_page("", "/content")
    assert "No data set imported yet" in text(empty)
    assert go.Figure(cb.content_platform_chart("", "cpe")).layout.annotations


def test_seed1_image_posts_show_no_views(seed1_wh, monkeypatch):
    # seed1 gives video_views 0 for its Instagram and Facebook posts beside a reach of millions: not a
    # count of views but "not a video", shown "—" (docs/metrics.md), never 0; YouTube's views stay.
    monkeypatch.setenv("HKDASH_DB", str(seed1_wh.path))
    kpis, _, _, _, platforms, native, posts = cb.content_page("", "/content")
    rows = {r["platform"]: r for r in native}
    assert rows["Instagram"]["views"] is None and rows["Facebook"]["views"] is None
    assert rows["YouTube"]["views"] > 0
    assert all(r["views"] is None for r in posts if r["platform"] == "Instagram")
    assert next(r for r in platforms if r["platform"] == "Instagram")["views"] is None or pd.isna(
        next(r for r in platforms if r["platform"] == "Instagram")["views"]
    )


def test_content_section_titles_are_distinct():
    from dash_helpers import walk

    import app  # noqa: F401 - pages register after the app exists
    from pages import content

    titles = [
        n.children for n in walk(content.layout()) if str(getattr(n, "className", "")).startswith("hk-card-title")
    ]
    assert "Engagement by platform" in titles and "Top posts" in titles  # charts' and tables' titles
    assert len(titles) == len(set(titles)), titles


def test_engagement_rate_card_reads_the_catalogue_precision():
    """Tester t1: /content showed 3.08 % where the overview, CLI and PDF show 3.1 %: the card has the
    catalogue's one decimal (engagements 3,084.9 ÷ reach 1,00,000 × 100 = 3.0849 % -> "3.1%")."""
    kpis = cb.content_kpis(
        {"engagement_rate_pct": 3084.9 / 100_000 * 100, "reach": 100_000}, None, metrics.DEFAULT_SETTINGS
    )
    assert find(kpis, "kpi-cnt-er-value").children == "3.1%"
