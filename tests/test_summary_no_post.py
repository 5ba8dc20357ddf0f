"""`hkdash summary` on a selection without a post, against the overview (session 17, h5): the
engagement rate's "—" says why; `--compare` lists the changes the overview's cards show (the
incremental revenue's −100 % against a week with the post); `--json` gives no verdict where the
cards show none; `--compare` says "(partial)" where the cards do (h6); a creator's page without a post
in the selection reads "no post in the selection" and gives no verdict of its ₹0 (h6). By hand on six creators, each selling one ₹100 order a day over Jan–Mar 2025; C1
posts on 20 Jan (₹1,000 fee, reach 10,000, 600 engagements) and sells ₹300 a day over that post's
14-day window (20 Jan – 2 Feb), ₹200 a day above its ₹100 quiet days; C2 earns 10 % commission
(₹900 over the 90 days)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import cli
from metrics import Filters, catalogue, kpis
from metrics.comparison import CARD_CHANGE_KEYS, kpi_comparison
from metrics.lift import NO_POST, NOT_DISTINGUISHABLE
from metrics.summary import summary
from reports.executive import headline
from warehouse import Warehouse, import_dataset

CREATORS = [f"C{n}" for n in range(1, 7)]
DAYS = pd.date_range("2025-01-01", "2025-03-31").date
POST_DAY = dt.date(2025, 1, 20)
WINDOW = {POST_DAY + dt.timedelta(days=n) for n in range(14)}
WITH_POST = ("2025-01-20", "2025-01-26")  # the post's week: its whole window's lift, 14 × ₹200
WITHOUT_POST = ("2025-01-27", "2025-02-02")  # the next week: no post, C1 still selling ₹300 a day


@pytest.fixture(scope="module")
def spike_wh(tmp_path_factory):
    root = tmp_path_factory.mktemp("summary-no-post")
    source = root / "src"
    source.mkdir()
    pd.DataFrame(
        {
            "influencer_id": CREATORS,
            "name": [f"Creator {c}" for c in CREATORS],
            "platform": "Instagram",
            "category": "Fitness",
            "gender": "Female",
            "follower_count": 20_000,
        }
    ).to_csv(source / "influencers.csv", index=False)
    pd.DataFrame(
        [("P1", "C1", "Instagram", POST_DAY.isoformat(), "MuscleBlaze", 10_000, 500, 50, 50)],
        columns=["post_id", "influencer_id", "platform", "date", "brand", "reach", "likes", "comments", "shares"],
    ).to_csv(source / "posts.csv", index=False)
    sales = [(c, day, 300 if c == "C1" and day in WINDOW else 100) for c in CREATORS for day in DAYS]
    pd.DataFrame(
        [
            (f"T{n}", "PromoCode", "MB", creator, f"U{n}", "MuscleBlaze", "Whey", day.isoformat(), 1, revenue)
            for n, (creator, day, revenue) in enumerate(sales, start=1)
        ],
        columns=[
            "tracking_id",
            "source",
            "campaign",
            "influencer_id",
            "user_id",
            "brand",
            "product",
            "date",
            "orders",
            "revenue",
        ],
    ).to_csv(source / "tracking_data.csv", index=False)
    pd.DataFrame(
        [("C1", "post", "₹1,000/post", 1, 1000, 0), ("C2", "commission", "10% commission", 90, 900, 0)],
        columns=["influencer_id", "basis", "rate", "orders", "total_payout", "gifted_products_cost"],
    ).to_csv(source / "payouts.csv", index=False)
    import_dataset(source, root / "wh.duckdb")
    return Warehouse(root / "wh.duckdb")


def week(dates: tuple[str, str]) -> Filters:
    return Filters(start=dates[0], end=dates[1])


def test_the_two_weeks_by_hand(spike_wh):
    """Each week: 6 creators × 7 days × ₹100 + C1's 7 × ₹200 = ₹5,600. The post's week measures its
    window's 14 × ₹200 = ₹2,800 (every day ₹100 off the window: no interval width) on ₹1,000 + C2's
    ₹70; the next week holds no post: ₹0, on C2's ₹70."""
    now, then = kpis(spike_wh, week(WITHOUT_POST)), kpis(spike_wh, week(WITH_POST))
    assert now["revenue"] == then["revenue"] == pytest.approx(5_600)
    assert (then["spend"], now["spend"]) == (pytest.approx(1_070), pytest.approx(70))
    assert then["incremental_revenue"] == pytest.approx(2_800) and now["incremental_revenue"] == 0
    assert now["incrementality_reason"] == NO_POST
    assert then["engagement_rate_pct"] == pytest.approx(600 / 10_000 * 100)
    assert now["engagement_rate_pct"] is None and now["reach"] is None


def test_the_text_summary_says_why_the_engagement_rate_is_undefined(spike_wh):
    out = cli.format_summary(summary(spike_wh, week(WITHOUT_POST)))
    assert "\nEngagement rate                 —\n" in out
    assert "\n— = undefined: Incremental ROAS (no post in the selection); Engagement rate (no reach).\n" in out
    # the post's week: 6.0 %, and no headline figure reads "—" (no footnote under the headline)
    with_post = cli.format_summary(summary(spike_wh, week(WITH_POST)))
    assert "\nEngagement rate                 6.0%\n" in with_post
    assert "Engagement rate (" not in with_post


def test_the_engagement_rates_reason_follows_its_basis():
    """The rate divides by the settings' engagement_basis where the row names it (metrics.kpis)."""
    row = {"engagement_rate_pct": None, "reach": 10_000, "impressions": 0}
    assert catalogue.undefined_cause("engagement_rate_pct", row | {"engagement_basis": "impressions"}) == (
        "no impressions"
    )
    assert catalogue.undefined_cause("engagement_rate_pct", row | {"engagement_basis": "reach"}) is None
    assert catalogue.undefined_cause("engagement_rate_pct", {**row, "reach": 0}) == "no reach"  # no basis: reach


def test_compare_lists_the_changes_the_overview_cards_show(spike_wh, monkeypatch):
    """Against the post's week: spend ₹70 against ₹1,070 is −93.5 %; the incremental revenue's ₹0
    against ₹2,800 is (0 − 2,800) ÷ 2,800 = −100.0 %: the ₹0 the headline shows (a sum over no post,
    so that weeks add up) changes like any sum (tester t2, s19: "₹0 · no post in the selection" beside
    a change "—" contradicted itself; session 17 had made it "—"). The incremental ROAS of no post is
    undefined ("—"), and its change with it; card and text say the same."""
    from dash_helpers import find, text, walk

    from callbacks import overview

    document = summary(spike_wh, week(WITHOUT_POST), compare=True)
    out = cli.format_summary(document)
    assert "Change against previous period (20 Jan 2025 – 26 Jan 2025): Revenue 0.0%, Orders 0.0%, Spend -93.5%" in out
    assert document["change"]["incremental_revenue"] == -1.0
    assert "\nIncremental revenue (measured)  ₹0 · no post in the selection\n" in out
    assert ", Incremental revenue -100.0%, Incremental ROAS — (no post in the selection), " in out
    monkeypatch.setenv("HKDASH_DB", str(spike_wh.path))
    cards = overview.overview_kpis(f"?start={WITHOUT_POST[0]}&end={WITHOUT_POST[1]}", "/")[0]
    assert text(find(cards, "kpi-incremental-revenue-value")) == "₹0"
    assert text(find(cards, "kpi-incremental-revenue-change")) == "-100.0%"
    assert "no post in the selection" in text(find(cards, "kpi-incremental-revenue"))
    assert text(find(cards, "kpi-incremental-roas-change")) == "—"
    # said once, under the value, not again on the change line (tester t2, session 20)
    assert text(find(cards, "kpi-incremental-roas")).count("no post in the selection") == 1
    selection = Filters(start=WITHOUT_POST[0], end=WITHOUT_POST[1], compare="previous")
    now = kpis(spike_wh, selection)
    [box] = [
        b for b in headline(now, kpi_comparison(spike_wh, selection, now))["kpis"] if b["label"] == "Incremental ROAS"
    ]
    assert (box["change"], box["note"]) == ("—", NO_POST)
    # every card's change is in the text, in the cards' order (ROI's card is "roi"; no refunds here)
    found = [str(getattr(c, "id", "")) for c in walk(cards)]
    shown = [i.removeprefix("kpi-").removesuffix("-change") for i in found if i.endswith("-change")]
    stems = ["roi" if key == "roi_pct" else key.replace("_", "-") for key in CARD_CHANGE_KEYS if key != "refunds"]
    assert shown == stems
    labels = [catalogue.get(key).label for key in CARD_CHANGE_KEYS if key != "refunds"]
    line = next(line for line in out.splitlines() if line.startswith("Change against"))
    parts = [part.split(" (", 1)[0] for part in line.split("): ", 1)[1].split(", ")]  # reasons off
    assert [part.rsplit(" ", 1)[0] for part in parts] == labels


def test_compare_gives_the_reason_of_a_change_left_out_by_a_rule():
    """One period measured, the other assumed: "—" and why, as the card's change line says."""
    from metrics.comparison import unlike_methods

    reason = unlike_methods({"incrementality_method": "assumed-baseline"}, {"incrementality_method": "event-window"})
    document = {
        "refunds": 0.0,
        "comparison": {"mode": "previous", "start": "2025-01-20", "end": "2025-01-26"},
        "change": {"revenue": 0.5, "incremental_revenue": None},
        "change_reasons": {"incremental_revenue": reason},
    }
    line = cli.comparison_lines(document)[1]
    assert line.startswith("Change against previous period (20 Jan 2025 – 26 Jan 2025): Revenue +50.0%, Orders —")
    assert f"Incremental revenue — ({reason})" in line


def test_json_gives_a_selection_without_a_post_no_verdict_as_the_cards_and_text_show_none(spike_wh, capsys):
    args = ["--db", str(spike_wh.path), "summary", "--start", WITHOUT_POST[0], "--end", WITHOUT_POST[1]]
    assert cli.main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["incrementality_verdict"] is None and document["incrementality_reason"] == NO_POST
    assert document["reach"] is None and document["engagement_basis"] == "reach"
    assert cli.main(args) == 0
    assert NOT_DISTINGUISHABLE not in capsys.readouterr().out
    # the post's week keeps its verdict: ₹2,800 to ₹2,800 lies above 0
    assert kpis(spike_wh, week(WITH_POST))["incrementality_verdict"] == "positive"


EARLY = ("2025-01-05", "2025-01-11")  # its previous period, 29 Dec 2024 – 4 Jan 2025, starts before the data
FIRST_DAYS = ("2025-01-01", "2025-01-03")  # its previous period, 29–31 Dec 2024, lies wholly before it


def test_compare_says_partial_where_the_cards_do(spike_wh, monkeypatch):
    """29 Dec – 4 Jan holds 4 days of data: 6 creators × 4 × ₹100 = ₹2,400 against the week's ₹4,200
    (+75.0 %), C2's 10 % commission ₹40 against ₹70 (+75.0 %). The cards and the text both say
    "(partial)" (metrics.comparison.partial), and the text says why in a note."""
    from dash_helpers import find, text

    from callbacks import overview

    document = summary(spike_wh, week(EARLY), compare=True)
    assert document["comparison"]["partial"] is True and document["comparison"]["undefined"] is False
    notice = "No data before 1 Jan 2025: the comparison period is partly before it"
    assert document["comparison"]["notice"] == notice
    out = cli.format_summary(document)
    assert (
        "\nChange against previous period (comparison partial) (29 Dec 2024 – 4 Jan 2025): Revenue +75.0%, Orders +75.0%, "
        "Spend +75.0%, " in out
    )
    assert f"\nNote: {notice}.\n" in out
    monkeypatch.setenv("HKDASH_DB", str(spike_wh.path))
    cards = overview.overview_kpis(f"?start={EARLY[0]}&end={EARLY[1]}", "/")[0]
    assert text(find(cards, "kpi-revenue-change")) == "+75.0%"
    assert "+75.0%  vs previous period (comparison partial)" in text(find(cards, "kpi-revenue"))
    # a period not partial says neither
    later = cli.format_summary(summary(spike_wh, week(WITHOUT_POST), compare=True))
    assert "(partial)" not in later and "No data before" not in later


def test_compare_before_the_data_lists_no_change_and_says_why(spike_wh):
    """29–31 Dec 2024 holds no data: every change is undefined; the cards say "no data before 1 Jan
    2025", the text gives the notice once instead of a line of "—"."""
    document = summary(spike_wh, week(FIRST_DAYS), compare=True)
    assert document["comparison"]["undefined"] is True and document["comparison"]["partial"] is False
    assert all(change is None for change in document["change"].values())
    out = cli.format_summary(document)
    assert (
        "\nChange against previous period (29 Dec 2024 – 31 Dec 2024): none (No data before 1 Jan 2025: nothing to "
        "compare with)\n" in out
    )
    assert "(partial)" not in out


def test_a_creator_without_a_post_in_the_selection_reads_no_post(spike_wh, monkeypatch):
    """C1's page on the week after its post: ₹0 measured over no post, so no interval of ₹0 to ₹0, no
    "not distinguishable" label and no verdict of it (too early: no post, so none of its ₹1,000 fee in
    the week, beside its 7 × ₹300 = ₹2,100 of revenue); on the post's week its ₹2,800 (₹2,800 to ₹2,800) is positive."""
    from dash_helpers import find, text

    from callbacks import creator as creator_page
    from metrics import DEFAULT_SETTINGS
    from metrics.creator import creator_view, lift_interval
    from metrics.lift import NO_POST_WHY
    from reports.creator import _kpis, _verdict

    view = creator_view(spike_wh, "C1", week(WITHOUT_POST))
    profile = view["profile"]
    assert profile["incremental_revenue"] == 0 and profile["incremental_revenue_high"] == 0
    assert profile["incremental_roas"] is None  # nothing measured on its spend: "—", not 0.00x
    assert profile["incrementality_reason"] == NO_POST and profile["incrementality_verdict"] is None
    assert lift_interval(profile) == f"{NO_POST} ({NO_POST_WHY})"
    assert profile["verdict"] == "too early"
    # C1's one ₹1,000 post fee sits on its post's day: the week holds no fee, and the payouts file is right
    assert profile["verdict_reason"] == (
        "no post in the selection: its fees follow its posts, so none of its ₹1,000 cost falls here "
        "(the bar: 3 posts and ₹10,000)"
    )
    cards = creator_page.kpi_cards(profile, view["comparison"], DEFAULT_SETTINGS)
    roas_card = text(find(cards, "kpi-creator-incremental_roas"))
    assert "No post in the selection" in roas_card and NOT_DISTINGUISHABLE not in roas_card
    block = text(creator_page.verdict_block(profile))
    assert NO_POST in block and NOT_DISTINGUISHABLE not in block
    box = _kpis(profile, view["comparison"])[-1]
    assert box["note"] == f"measured lift (14-day windows) ÷ spend: {NO_POST}"
    assert {"label": "Interval", "value": f"{NO_POST} ({NO_POST_WHY})"} in _verdict(profile)
    with_post = creator_view(spike_wh, "C1", week(WITH_POST))["profile"]
    assert with_post["incremental_revenue"] == pytest.approx(2_800)
    assert with_post["incrementality_reason"] is None and with_post["incrementality_verdict"] == "positive"
    assert lift_interval(with_post) == "₹2,800 to ₹2,800"


BEFORE_POST = ("2025-01-13", "2025-01-19")  # the week before the post's: no post, C1 selling ₹100 a day


def test_the_reverse_comparison_says_the_comparison_period_has_no_post(spike_wh):
    """The post's week against 13–19 Jan (no post): ₹2,800 against ₹0 of incremental revenue is no
    change either; revenue ₹5,600 against 6 × 7 × ₹100 = ₹4,200 is +33.3 %."""
    document = summary(spike_wh, week(WITH_POST), compare=True)
    assert document["change"]["revenue"] == pytest.approx(5_600 / 4_200 - 1)
    assert document["change"]["incremental_revenue"] is None and document["change"]["incremental_roas"] is None
    assert document["change_reasons"]["incremental_revenue"] == "no post in the comparison period"
    out = cli.format_summary(document)
    assert "Incremental revenue — (no post in the comparison period)" in out
    assert summary(spike_wh, week(BEFORE_POST), compare=True)["change_reasons"]["incremental_roas"] == (
        "no post in the selection"
    )


def test_json_changes_are_the_cards_figures_each_null_with_its_reason(spike_wh, capsys):
    """`change` holds the cards' figures only; every null change has its reason: no refunds in either
    week (₹0 against ₹0), no poor performer in the post's week (0 against 0: C1's ROAS 2,800 ÷ 1,000 ≥ 2x)."""
    args = ["--db", str(spike_wh.path), "summary", "--start", WITHOUT_POST[0], "--end", WITHOUT_POST[1]]
    assert cli.main([*args, "--compare", "previous", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert tuple(document["change"]) == CARD_CHANGE_KEYS
    assert {key for key, change in document["change"].items() if change is None} == set(document["change_reasons"])
    assert document["change_reasons"] == {
        "refunds": "₹0 in the comparison period",
        "incremental_roas": "no post in the selection",
        "poor_performers": "0 in the comparison period",
    }
    assert cli.main([*args, "--compare", "previous"]) == 0
    assert "Poor performers — (0 in the comparison period)" in capsys.readouterr().out


def test_a_null_change_of_an_undefined_figure_says_where_and_why():
    from metrics.comparison import null_change_reason

    now, then = {"roas": None, "revenue": 10.0, "spend": 0.0}, {"roas": 2.0, "revenue": 20.0, "spend": 10.0}
    assert null_change_reason("roas", now, then) == "undefined in the selection (₹0 spend)"
    assert null_change_reason("roas", then, now) == "undefined in the comparison period (₹0 spend)"
    assert null_change_reason("roas", now, None) == "no date range"
