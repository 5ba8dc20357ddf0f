"""The creator page's callbacks and figures, the one-creator report's context, and the ranking grid's
state in the URL (round trip)."""

from __future__ import annotations

import pytest
from dash import no_update

import metrics
from callbacks import creator, ranking_state
from callbacks.filters import sync
from components.ids import creator as creator_ids
from components.ids import shell
from components.ranking_grid import RANKING_COLUMNS, grid_state, sort_of, sorted_columns, with_grid_state
from metrics import format as fmt
from metrics.creator import creator_view, lift_basis


@pytest.fixture
def on_traps(monkeypatch, traps_wh):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    return traps_wh


def text_of(component) -> str:
    """Every string in a component tree (what the page shows as text)."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def find(component, predicate) -> list:
    found = [component] if predicate(component) else []
    children = getattr(component, "children", None) if not isinstance(component, list | tuple) else component
    if isinstance(children, list | tuple):
        for child in children:
            found += find(child, predicate)
    elif children is not None and not isinstance(children, str | int | float):
        found += find(children, predicate)
    return found


def test_path_and_links():
    assert creator_ids.creator_id_of("/influencers/A1") == "A1"
    assert creator_ids.creator_id_of("/influencers/a%2Fb%20c") == "a/b c"
    assert creator_ids.creator_id_of("/influencers") is None and creator_ids.creator_id_of("/lift") is None
    href = creator_ids.creator_href("a/b c", "?platform=Instagram")
    assert href == "/influencers/a%2Fb%20c?platform=Instagram"
    assert creator_ids.creator_id_of(href.split("?")[0]) == "a/b c"
    assert creator.safe_link("https://instagram.com/p/x") == "https://instagram.com/p/x"
    for unsafe in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "/relative", "data:text/html,x", "http://", None, 5):
        assert creator.safe_link(unsafe) is None


def test_creator_page_by_hand(on_traps):
    out = creator.creator_page("/influencers/A1", "")
    header, missing, style, cards, verdict, contract, sale, cohort, note, posts_note, posts, audience = out
    assert missing is None and style == {}
    assert "Asha Rao" in text_of(header)
    values = {card.id: text_of(card) for card in cards}
    assert "₹7,000" in values["kpi-creator-revenue"] and "₹3,200" in values["kpi-creator-spend"]
    assert "2.19x" in values["kpi-creator-roas"]  # 7,000 ÷ 3,200
    assert "₹1,000 per post" in text_of(contract) and "10" in text_of(contract)
    assert posts_note.startswith("2 posts")
    links = find(posts, lambda c: getattr(c, "className", None) == "hk-post-link")
    assert links == []  # the traps posts carry no address: no link is made
    assert "No audience file in this data set" in text_of(audience)


def test_post_links_only_for_http(on_traps):
    post = {"post_id": "P9", "date": None, "platform": "X", "url": "javascript:alert(1)", "caption": "<b>hi</b>"}
    item = creator.post_item(post, measured=False)
    assert find(item, lambda c: getattr(c, "href", None)) == []
    assert "Link: javascript:alert(1)" in text_of(item) and "<b>hi</b>" in text_of(item)
    item = creator.post_item(dict(post, url="https://youtu.be/x"), measured=False)
    (link,) = find(item, lambda c: getattr(c, "href", None))
    assert (link.href, link.target, link.rel) == ("https://youtu.be/x", "_blank", "noopener noreferrer")


def test_unknown_creator_is_named_as_text(on_traps):
    out = creator.creator_page("/influencers/%3Cb%3ENope%3C%2Fb%3E", "")
    assert out[2] == {"display": "none"}
    shown = text_of(out[1])
    assert "No creator with id “<b>Nope</b>”" in shown  # Dash renders it as text, never markup
    with pytest.raises(metrics.UnknownInfluencer):
        creator_view(on_traps, "<b>Nope</b>")


def test_unknown_creator_has_no_pdf_button_and_no_pdf(on_traps, monkeypatch):
    """The PDF button is hidden on an unknown creator's page, and a click sent anyway is refused
    before the report worker is asked."""
    import app
    import callbacks.report

    with app.server.test_request_context("/"):  # a request of the app (sign-in off: every role)
        assert creator.creator_pdf_shown("/influencers/A1") == {}
        assert creator.creator_pdf_shown("/influencers/NOPE") == {"display": "none"}
        assert creator.creator_pdf_shown("/lift") == {"display": "none"}
        # the navbar's report of the whole selection is not offered on the 404 page either, nor on a
        # known creator's page, whose own button is its only Download PDF (F11)
        assert callbacks.report.report_button_for_role("/influencers/NOPE") == {"display": "none"}
        assert callbacks.report.report_button_for_role("/influencers/A1") == {"display": "none"}
        assert callbacks.report.report_button_for_role("/influencers") == {}
        assert callbacks.report.report_button_for_role("/lift") == {}
    monkeypatch.setattr(callbacks.report, "make_report", lambda *a, **k: pytest.fail("report built"))
    data, status = creator.creator_pdf(1, "/influencers/NOPE", "")
    assert data is no_update and "not in the data set" in text_of(status)


def test_comparison_of_a_creator(traps_wh):
    filters = metrics.Filters(start="2025-02-01", end="2025-02-28")
    view = creator_view(traps_wh, "A1", filters)
    before = metrics.ranking(traps_wh, metrics.Filters(start="2025-01-04", end="2025-01-31"), influencer_id="A1")
    assert view["comparison"]["start"].isoformat() == "2025-01-04"
    expected = view["profile"]["revenue"] / before["revenue"].iloc[0] - 1
    assert view["comparison"]["change"]["revenue"] == pytest.approx(expected)


def test_creator_report_context_names_the_creator(traps_wh):
    from reports.creator import build_creator_context
    from reports.pdf import render_html

    context = build_creator_context(traps_wh, "B2", metrics.Filters(), metrics.DEFAULT_SETTINGS)
    assert context["title"] == "Creator report: <script>alert(1)</script> & Bros"
    assert "influencer id B2" in context["about"]
    html = render_html({**context, "charts": []})
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Bros" in html
    assert "No audience file in this data set" in html


# --- the ranking grid's state in the URL -------------------------------------------------------


def test_a_period_without_the_creator_shows_nothing_of_other_dates(traps_wh):
    """A1 sold and was paid in Jan–Feb 2025: a 2030 selection must show 0 and "—", never its
    all-time figures as the period's (a tester saw ₹37,509 "+1,165%" for an empty fortnight)."""
    view = creator_view(traps_wh, "A1", metrics.Filters(start="2030-01-01", end="2030-01-31"))
    profile = view["profile"]
    assert profile["rank"] is None and profile["name"] == "Asha Rao"
    assert (profile["revenue"], profile["spend"], profile["orders"], profile["posts"]) == (0, 0, 0, 0)
    assert profile["roas"] is None and profile["cac"] is None and profile["poor_performer"] is None
    assert profile["followers"] > 0  # the creator's profile, not a figure of the dates
    assert profile["verdict"] == "too early"
    assert profile["verdict_reason"] == ("no posts and no cost in the selection (the bar: 3 posts and ₹10,000)")


def test_a_creators_verdict_compares_with_the_whole_selection(traps_wh):
    """Without measured lift the verdict compares the creator's ROAS with the selection's pooled
    ROAS (as the ranking): not with its own, which made every creator "scale"."""
    from metrics.lift import lift_status
    from metrics.planning.verdicts import with_verdicts
    from metrics.settings import DEFAULT_SETTINGS
    from metrics.summary import with_lift

    method = lift_status(traps_wh)[0]
    table = with_verdicts(
        traps_wh, with_lift(traps_wh, metrics.ranking(traps_wh), metrics.Filters(), DEFAULT_SETTINGS, method)
    )
    for row in table.itertuples():
        assert creator_view(traps_wh, row.influencer_id)["profile"]["verdict"] == row.verdict, row.influencer_id
    assert set(table["verdict"]) != {"scale"}


def test_a_comparison_before_the_data_says_why(traps_wh):
    """The comparison window of January 2025 lies before the first sale: changes "—" with the notice."""
    first = metrics.sale_date_bounds(traps_wh)[0]
    view = creator_view(traps_wh, "A1", metrics.Filters(start=first, end=first))
    assert view["comparison"]["notice"].startswith("No data before")
    assert set(view["comparison"]["change"].values()) == {None}


def test_grid_state_round_trip():
    search = with_grid_state("?platform=Instagram&period=last-30", ("revenue", "desc"), "asha rao", "poor")
    assert search == "?platform=Instagram&period=last-30&sort=revenue%3Adesc&q=asha+rao&view=poor"
    assert grid_state(search) == {"sort": ("revenue", "desc"), "q": "asha rao", "view": "poor"}
    assert metrics.Filters.from_query_string(search) == metrics.Filters(platform=("Instagram",), period="last-30")
    # Dash hands the layout the parsed query: the same state.
    assert grid_state({"sort": "revenue:desc", "q": "asha rao", "view": "poor"}) == grid_state(search)
    assert with_grid_state(search) == "?platform=Instagram&period=last-30"  # state cleared, filters kept
    assert with_grid_state("") == ""


def test_grid_state_refuses_what_the_grid_cannot_show():
    assert grid_state("?sort=password:desc&view=everything&q=" + "x" * 500) == {
        "sort": None,
        "q": "x" * 100,
        "view": "all",
    }
    assert grid_state("?sort=roas:sideways")["sort"] is None


def test_sort_from_column_state_and_back_to_columns():
    state = [{"colId": "name", "sort": None}, {"colId": "roas", "sort": "asc", "sortIndex": 0}]
    assert sort_of(state) == ("roas", "asc") and sort_of([]) is None and sort_of(None) is None
    columns = sorted_columns(RANKING_COLUMNS, ("roas", "asc"))
    assert [c["field"] for c in columns if c.get("sort")] == ["roas"]
    assert not any(c.get("sort") for c in RANKING_COLUMNS)  # the shared definitions are not changed


def test_ranking_state_writes_the_url():
    state = [{"colId": "revenue", "sort": "desc"}]
    assert (
        ranking_state.ranking_search("?brand=Gritzo", state, " asha ", None)
        == "?brand=Gritzo&sort=revenue%3Adesc&q=asha"
    )
    assert ranking_state.ranking_search("?brand=Gritzo&sort=revenue%3Adesc", state, "", None) is no_update


def test_filter_changes_keep_the_grid_state():
    from callbacks.filters import FIELDS

    values = [["Instagram"] if f == "platform" else [] for f in FIELDS]
    out = sync(shell.filter_dropdown("platform"), "?sort=roas%3Aasc&view=poor", values, None, None)
    assert out[0] == "?platform=Instagram&sort=roas%3Aasc&view=poor"


def test_cli_report_of_one_creator(tmp_path, traps_wh, capsys):
    import shutil
    import subprocess

    import cli

    out = tmp_path / "a1.pdf"
    assert cli.main(["--db", str(traps_wh.path), "report", "--out", str(out), "--influencer", "A1"]) == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
        assert "Creator report: Asha Rao" in text and "influencer id A1" in text
    assert out.read_bytes().startswith(b"%PDF-")
    assert (
        cli.main(["--db", str(traps_wh.path), "report", "--out", str(tmp_path / "x.pdf"), "--influencer", "NOPE"]) == 2
    )
    assert "no creator with id 'NOPE'" in capsys.readouterr().err


def test_saved_view_of_a_creator_page_reports_that_creator(tmp_path, traps_wh, monkeypatch):
    import subprocess

    import cli
    from warehouse import saved_views

    monkeypatch.setenv("HKDASH_VIEWS_DB", str(tmp_path / "views.sqlite3"))
    saved_views.save_view("Bros", "/influencers/B2?platform=YouTube", "tester")
    out = tmp_path / "b2.pdf"
    assert cli.main(["--db", str(traps_wh.path), "report", "--out", str(out), "--view", "Bros"]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert "Creator report: <script>alert(1)</script> & Bros" in text and "Platform: YouTube" in text


@pytest.fixture(scope="module")
def measured_wh(measured_sample_wh):
    return measured_sample_wh


@pytest.mark.parametrize(
    "filters", [metrics.Filters(), metrics.Filters(brand=("MuscleBlaze",)), metrics.Filters(start="2025-07-01")]
)
def test_a_creators_lift_is_the_rankings_and_its_posts_add_up(measured_wh, filters):
    from metrics.lift import lift_table

    table = lift_table(measured_wh, "influencer", filters).set_index("influencer_id")
    influencer_id = table.index[0]
    view = creator_view(measured_wh, influencer_id, filters)
    profile = view["profile"]
    assert profile["lift_method"] == "event-window"
    for column in ("incremental_revenue", "incremental_revenue_low", "incremental_revenue_high"):
        assert profile[column] == pytest.approx(table.loc[influencer_id, column])
    posts, unlisted = view["posts"], view["posts"].attrs.get("unlisted", {})
    # Listed posts plus those a sale filter leaves out of the list (their windows sold in it) add up.
    listed = posts["incremental_revenue"].dropna().sum() + unlisted.get("incremental_revenue", 0.0)
    assert listed == pytest.approx(profile["incremental_revenue"])
    windows = posts["window_revenue"].dropna().sum() + unlisted.get("window_revenue", 0.0)
    assert windows == pytest.approx(table.loc[influencer_id, "window_revenue"])
    assert bool(unlisted.get("posts")) == bool(filters.brand)


def test_unlisted_posts_note():
    assert creator.unlisted_note({}) == "" and creator.unlisted_note({"posts": 0}) == ""
    note = creator.unlisted_note({"posts": 2, "window_revenue": 1500.0, "incremental_revenue": 250.0})
    assert note == (
        " Not listed: 2 posts the filters leave out whose windows sold in the selection (₹1,500 window revenue, "
        "₹250 lift, counted in the creator's total)."
    )


# --- the lift window a creator's figures use (tester F1, F2) -----------------------------------------


def pdf_text(path) -> str:
    import subprocess

    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )


def test_the_creator_page_and_pdf_name_their_lift_window(measured_wh):
    from dash_helpers import text

    from callbacks.creator import verdict_block
    from reports.creator import build_creator_context

    influencer_id = metrics.ranking(measured_wh).iloc[0]["influencer_id"]
    for days in (7, 28):
        settings = metrics.Settings(lift_window_days=days)
        profile = creator_view(measured_wh, influencer_id, metrics.Filters(), settings)["profile"]
        basis = f"{days} days after each post (90% interval)"
        assert lift_basis(profile) == basis
        assert basis in " ".join(text(verdict_block(profile)).split())
        context = build_creator_context(measured_wh, influencer_id, metrics.Filters(), settings)
        assert {"label": "Lift window", "value": basis} in context["verdict"]
    assert (
        lift_basis({"lift_method": "assumed-baseline", "lift_window_days": 14}) == "14 days chosen, lift not measured"
    )


def test_cli_report_takes_the_lift_window_of_the_view_or_the_option(tmp_path, measured_wh, monkeypatch, capsys):
    import cli
    from warehouse import saved_views

    monkeypatch.setenv("HKDASH_VIEWS_DB", str(tmp_path / "views.sqlite3"))
    influencer_id = metrics.ranking(measured_wh).iloc[0]["influencer_id"]
    db = ["--db", str(measured_wh.path), "report"]
    # a saved view of the creator page on 28-day windows: its PDF is on 28-day windows, the page's figures
    saved_views.save_view("Four weeks", f"/influencers/{influencer_id}?window=28", "tester")
    out = tmp_path / "view.pdf"
    assert cli.main([*db, "--out", str(out), "--view", "Four weeks"]) == 0
    text = pdf_text(out)
    on_28 = creator_view(measured_wh, influencer_id, metrics.Filters(), metrics.Settings(lift_window_days=28))
    assert "28 days after each post" in text
    shown = fmt.inr(on_28["profile"]["incremental_revenue"]).replace("\u2060", "")  # pdftotext drops the joiner
    assert shown.replace("\xa0", " ") in text.replace("\xa0", " ")
    # --lift-window without a view; agreeing with the view's; contradicting it: refused
    assert cli.main([*db, "--out", str(tmp_path / "7.pdf"), "--influencer", influencer_id, "--lift-window", "7"]) == 0
    assert "7 days after each post" in pdf_text(tmp_path / "7.pdf")
    assert cli.main([*db, "--out", str(tmp_path / "a.pdf"), "--view", "Four weeks", "--lift-window", "28"]) == 0
    capsys.readouterr()
    assert cli.main([*db, "--out", str(tmp_path / "b.pdf"), "--view", "Four weeks", "--lift-window", "7"]) == 2
    assert "uses a 28-day lift window (window=28); --lift-window 7 contradicts it" in capsys.readouterr().err
    # a view whose window is not one is refused, naming the view and the value, never read as 14 days
    saved_views.save_view("Ten days", f"/influencers/{influencer_id}?window=10", "tester")
    assert cli.main([*db, "--out", str(tmp_path / "c.pdf"), "--view", "Ten days"]) == 2
    err = capsys.readouterr().err
    assert "the saved view “Ten days”" in err and "window='10' is not a lift window: it must be 7, 14, 28 (days)" in err
    assert not (tmp_path / "b.pdf").exists() and not (tmp_path / "c.pdf").exists()


def test_a_bad_window_in_the_link_is_named():
    from callbacks import common

    assert common.filter_error("?window=28") is None and common.filter_error("?platform=X") is None
    assert common.filter_error("?window=10") == (
        "window='10' is not a lift window: it must be 7, 14, 28 (days); the 14-day window is used"
    )
    both = common.filter_error("?start=2025-02-30&window=abc")
    assert "2025-02-30" in both and "window='abc' is not a lift window" in both


@pytest.mark.parametrize(
    ("profile", "shown"),
    [
        ({"rank": 3, "roas": 2.5}, "Rank #3 by ROAS"),
        ({"rank": 39, "roas": None}, None),  # F11: listed last, but no place by an undefined ROAS
        ({"rank": 39, "roas": float("nan")}, None),
        ({"rank": None, "roas": 2.5}, None),  # nothing in the selection
    ],
)
def test_the_rank_badge_needs_a_defined_roas(profile, shown):
    from components.cards import roas_rank_badge

    badge = roas_rank_badge(profile)
    assert (badge.children if badge is not None else None) == shown


@pytest.mark.parametrize(
    ("revenue", "spend", "tone"),
    [
        (1570.0, 1000.0, "bad"),  # ROI 57% clears 50% but ROAS 1.57x < 2x: a poor performer, both red
        (2500.0, 1000.0, "good"),  # ROAS 2.5x, ROI 150%: clears both bars, both green
        (500.0, 0.0, None),  # no spend: both undefined, no colour
    ],
)
def test_creator_roas_and_roi_cards_share_one_colour(on_traps, revenue, spend, tone):
    """The creator page colours ROAS and ROI by the poor-performer rule together, as the overview
    does (its ROI card was green at 56.6 % beside a red ROAS of 1.57x)."""
    profile = dict(creator_view(on_traps, "A1"))
    profile.update(
        revenue=revenue,
        spend=spend,
        roas=revenue / spend if spend else None,
        roi_pct=(revenue - spend) / spend * 100 if spend else None,
    )
    cards = creator.kpi_cards(profile, None, metrics.Settings())
    for key in ("roas", "roi_pct"):
        (value,) = find(cards, lambda c, key=key: getattr(c, "id", None) == f"kpi-creator-{key}-value")
        classes = value.className.split()
        assert [c for c in classes if c.startswith("hk-tone-")] == ([f"hk-tone-{tone}"] if tone else []), key
