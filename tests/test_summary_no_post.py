"""`hkdash summary` on a selection without a post, against the overview (session 17, h5): the
engagement rate's "—" says why; `--compare` lists the changes the overview's cards show (the
incremental revenue's −100 % against a week with the post); `--json` gives no verdict where the
cards show none. By hand on six creators, each selling one ₹100 order a day over Jan–Mar 2025; C1
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
from metrics.comparison import CARD_CHANGE_KEYS
from metrics.lift import NO_POST, NOT_DISTINGUISHABLE
from metrics.summary import summary
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
    assert "\n— = undefined: Engagement rate (no reach).\n" in out
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
    """Against the post's week: incremental revenue ₹0 against ₹2,800 is −100 %, and so is its ROAS
    (₹0 ÷ ₹70 against ₹2,800 ÷ ₹1,070); spend ₹70 against ₹1,070 is −93.5 %."""
    from dash_helpers import find, text, walk

    from callbacks import overview

    document = summary(spike_wh, week(WITHOUT_POST), compare=True)
    out = cli.format_summary(document)
    assert "Change against previous period (20 Jan 2025 – 26 Jan 2025): Revenue 0.0%, Orders 0.0%, Spend -93.5%" in out
    assert ", Incremental revenue -100.0%, Incremental ROAS -100.0%, " in out
    monkeypatch.setenv("HKDASH_DB", str(spike_wh.path))
    cards = overview.overview_kpis(f"?start={WITHOUT_POST[0]}&end={WITHOUT_POST[1]}", "/")[0]
    assert text(find(cards, "kpi-incremental-revenue-change")) == "-100.0%"
    # every card's change is in the text, in the cards' order (ROI's card is "roi"; no refunds here)
    found = [str(getattr(c, "id", "")) for c in walk(cards)]
    shown = [i.removeprefix("kpi-").removesuffix("-change") for i in found if i.endswith("-change")]
    stems = ["roi" if key == "roi_pct" else key.replace("_", "-") for key in CARD_CHANGE_KEYS if key != "refunds"]
    assert shown == stems
    labels = [catalogue.get(key).label for key in CARD_CHANGE_KEYS if key != "refunds"]
    line = next(line for line in out.splitlines() if line.startswith("Change against"))
    assert [part.rsplit(" ", 1)[0] for part in line.split("): ", 1)[1].split(", ")] == labels


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
