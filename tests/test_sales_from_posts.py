"""Sales given only as a total per influencer (seed1's layout: no tracking file, revenue and orders
in payouts) follow the influencer's posts: an equal share per post, dated by the post, branded by
the post (docs/metrics.md, "Sales without dates or brands"). Values below are computed by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import metrics
from tests.conftest import DATASETS
from warehouse import Warehouse, import_dataset, validate_dataset

ROOT = Path(__file__).resolve().parent.parent
BRANDS = {"hkvitals": "HKVitals", "muscleblaze": "MuscleBlaze", "gritzo": "Gritzo", "bgreen": "bGreen"}

INFLUENCERS = """influencer_id,name,platform,category,follower_count
A,Asha,Instagram,Fitness,100000
B,Bala,YouTube,Health,50000
C,Chitra,Instagram,Fitness,20000
"""
# A: 2 posts → orders 2 + 3, revenue 500 + 500. B: 3 posts → orders 2 + 2 + 3, revenue 300 each.
# C: no posts → one undated sale of 4 orders, ₹400.
POSTS = """post_id,influencer_id,platform,date,brand,reach,likes
A1,A,Instagram,2025-01-10,MuscleBlaze,1000,10
A2,A,Instagram,2025-02-10,HK Vitals,1000,10
B1,B,YouTube,2025-01-05,,1000,10
B2,B,YouTube,2025-01-20,Gritzo,1000,10
B3,B,YouTube,2025-03-01,Gritzo,1000,10
"""
PAYOUTS = """influencer_id,basis,rate,orders,total_revenue,total_payout
A,post,"₹1,000/post",5,1000,2000
B,post,₹300/post,7,900,900
C,post,"₹1,000/post",4,400,1000
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payouts_sales") / "data"
    folder.mkdir()
    for name, text in (("influencers", INFLUENCERS), ("posts", POSTS), ("payouts", PAYOUTS)):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    report = import_dataset(folder, folder.parent / "wh.duckdb")
    return folder, report, Warehouse(report.db_path)


def test_sales_follow_posts_by_date(small):
    _, _, wh = small
    january = metrics.kpis(wh, metrics.Filters(start="2025-01-01", end="2025-01-31"))
    assert january["revenue"] == pytest.approx(500 + 300 + 300)
    assert january["orders"] == 2 + 2 + 2
    assert january["spend"] == pytest.approx(1000 + 300 + 300)  # post fees follow the same posts
    february = metrics.kpis(wh, metrics.Filters(start="2025-02-01", end="2025-02-28"))
    assert (february["revenue"], february["orders"]) == (pytest.approx(500), 3)


def test_sales_follow_posts_by_brand(small):
    _, _, wh = small
    gritzo = metrics.kpis(wh, metrics.Filters(brand=["Gritzo"]))
    # Fees: B2 and B3's (₹600), and B1's ₹300 (no brand named) over B's sales mix, ⅔ of it Gritzo.
    assert (gritzo["revenue"], gritzo["orders"], gritzo["spend"]) == (pytest.approx(600), 2 + 3, pytest.approx(800))
    unbranded = metrics.kpis(wh, metrics.Filters(brand=["Unattributed"]))  # B1 names no brand; C has no posts
    assert (unbranded["revenue"], unbranded["orders"]) == (pytest.approx(300 + 400), 2 + 4)


def test_totals_and_undated_influencer(small):
    _, report, wh = small
    whole = metrics.kpis(wh)
    assert (whole["revenue"], whole["orders"], whole["spend"]) == (pytest.approx(2300), 16, pytest.approx(3900))
    ts = metrics.timeseries(wh, metrics.Filters(), grain="month")
    assert ts["revenue"].sum() == pytest.approx(1900)
    assert ts.attrs["undated"]["revenue"] == pytest.approx(400)
    info = metrics.dataset_info(wh)
    assert info["sales_undated"] is True
    assert info["sales_undated_share"] == pytest.approx(400 / 2300)
    assert info["sales_dated_from_posts_share"] == pytest.approx(1900 / 2300)
    assert info["sales_unsplit_by"] == ["campaign", "product"]
    assert info["sales_rows"] == 3  # rows of payouts.csv, not the pieces they were cut into
    lines = [str(w) for w in report.warnings]
    assert any("spread over their posts" in line and "2 influencers" in line for line in lines)
    assert any("1 influencers with sales have no posts" in line and "'400.00'" in line for line in lines)


def test_notices_name_the_rule_and_what_cannot_be_split(small):
    _, _, wh = small
    coverage = metrics.sales_coverage(wh, metrics.Filters(start="2025-01-01", product=["Whey"]))
    assert coverage["cannot_split_by"] == ["product"] and coverage["undated_left_out"]
    text = " ".join(metrics.sales_notices(coverage))
    assert "equal share per post" in text and "82.6% of revenue is dated this way" in text
    assert "17.4% of revenue has no date and is left out of this date range" in text
    assert "cannot be split by product" in text
    assert metrics.sales_notices(metrics.sales_coverage(wh, metrics.Filters(brand=["Gritzo"])))[1:] == [
        "17.4% of revenue has no date (influencers with sales but no posts): it counts in totals, "
        "but in no date range or time chart."
    ]


def test_validate_lists_the_assumption(small):
    folder, _, _ = small
    lines = [str(w) for w in validate_dataset(folder).warnings]
    assert any("no tracking file" in line for line in lines)


def test_tracked_sales_need_no_notice(traps_wh):
    coverage = metrics.sales_coverage(traps_wh, metrics.Filters(start="2025-01-01"))
    assert coverage["sales_undated"] is False and coverage["sales_dated_from_posts_share"] == 0
    assert metrics.sales_notices(coverage) == []


def _seed1_posts():
    """(influencer_id, date, brand) of seed1's posts in file order, read with the csv module."""
    with open(DATASETS / "seed1" / "posts.csv", newline="", encoding="utf-8") as handle:
        return [
            (
                row["influencer_id"],
                dt.date.fromisoformat(row["date"]),
                BRANDS.get(row["brand_mentioned"].replace(" ", "").lower(), row["brand_mentioned"]),
            )
            for row in csv.DictReader(handle)
        ]


def _seed1_pieces():
    """Hand rule: each payout row's revenue / n per post; orders ⌊o·k/n⌋ − ⌊o·(k−1)/n⌋ for post k of n."""
    posts = defaultdict(list)
    for influencer_id, date, brand in _seed1_posts():
        posts[influencer_id].append((date, brand))
    with open(DATASETS / "seed1" / "payouts.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            own = posts[row["influencer_id"]]
            orders, revenue, n = int(row["orders"]), float(row["total_revenue"]), len(own)
            for k, (date, brand) in enumerate(own, start=1):
                yield date, brand, orders * k // n - orders * (k - 1) // n, revenue / n


def test_seed1_under_a_date_filter_gives_the_revenue_of_posts_in_range(seed1_wh):
    pieces = list(_seed1_pieces())
    start, end = dt.date(2024, 12, 1), dt.date(2024, 12, 31)
    k = metrics.kpis(seed1_wh, metrics.Filters(start=start, end=end))
    assert k["revenue"] == pytest.approx(sum(r for d, _, _, r in pieces if start <= d <= end))
    assert k["orders"] == sum(o for d, _, o, _ in pieces if start <= d <= end)
    assert 0 < k["revenue"] < 178_798_153.3 and k["roas"] > 1  # no longer ₹0 and ROAS 0.00x
    whole = metrics.kpis(seed1_wh)
    assert whole["revenue"] == pytest.approx(178_798_153.3) and whole["orders"] == 107_154
    assert whole["spend"] == pytest.approx(15_954_632.92)


def test_seed1_under_a_brand_filter_gives_the_revenue_of_posts_naming_it(seed1_wh):
    pieces = list(_seed1_pieces())
    k = metrics.kpis(seed1_wh, metrics.Filters(brand=["HKVitals"]))
    assert k["revenue"] == pytest.approx(sum(r for _, b, _, r in pieces if b == "HKVitals"))
    assert k["orders"] == sum(o for _, b, o, _ in pieces if b == "HKVitals")
    poor = metrics.ranking(seed1_wh, metrics.Filters(brand=["HKVitals"]))["poor_performer"]
    assert not poor.all()  # not every creator "poor"


def test_seed1_time_chart_has_roas_every_week_with_posts(seed1_wh):
    ts = metrics.timeseries(seed1_wh, metrics.Filters(), grain="week")
    weeks = {
        monday - dt.timedelta(days=monday.weekday()) for _, monday, _ in [(None, d, None) for _, d, _ in _seed1_posts()]
    }
    assert len(ts) == len(weeks)
    assert all(r is not None and r > 0 for r in ts["roas"])
    assert ts.attrs.get("undated", {}).get("revenue", 0) == 0


def test_summary_json_says_where_dates_come_from(seed1_wh):
    out = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(seed1_wh.path), "summary", "--json", "--product", "Whey"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    document = json.loads(out)
    assert document["sales_undated"] is True and document["sales_dated_from_posts_share"] == 1.0
    assert document["sales_undated_share"] == 0.0 and document["sales_cannot_split_by"] == ["product"]
    assert any("cannot be split by product" in n for n in document["notices"])
    text = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(seed1_wh.path), "summary", "--start", "2024-12-01"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert "equal share per post" in text
