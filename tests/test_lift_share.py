"""The incremental share's base under a date range: the range's attributed revenue less its days in
windows of posts dated before it, plus its posts' window days after its end (metrics/lift/view.py
range_edge_revenue, metrics/kpis.py), by hand on a three-creator warehouse and against the planted
sample."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from metrics import Filters, kpis
from metrics.aggregate import sale_totals
from metrics.kpis import SHARE_OVER_SELECTION, SHARE_OVER_WINDOWS, share_basis_words
from metrics.lift.view import range_edge_revenue
from metrics.settings import DEFAULT_SETTINGS
from warehouse import Warehouse
from warehouse.db import SCHEMA_VERSION

# (post_no, influencer_key, date); 14-day windows, range 1–10 Nov 2025
POSTS = [
    (1, 1, "2025-11-05"),  # window 5–18 Nov, cut by post 2 on 15 Nov: after the end 11–14 Nov
    (2, 1, "2025-11-15"),  # after the range: not kept
    (3, 2, "2025-10-20"),  # before the range, window 20 Oct–2 Nov: 1–2 Nov taken out; 3–7 Nov in no window
    (4, 2, "2025-11-08"),  # window 8–21 Nov, no later post: after the end 11–21 Nov
    (5, 3, "2025-10-30"),  # before the range: window 30 Oct–12 Nov, the whole range taken out
]


@pytest.fixture(scope="module")
def hand_wh(tmp_path_factory):
    """Creators 1 (Instagram), 2 and 3 (YouTube) sell ₹100 every day of Oct–Dec 2025: ₹60 of
    brand A, ₹40 of brand B."""
    path = tmp_path_factory.mktemp("share") / "wh.duckdb"
    days = pd.date_range("2025-10-01", "2025-12-31").date
    with duckdb.connect(str(path), config={}) as con:  # a fresh file: no cached instance to share
        con.execute("CREATE TABLE dataset_info (key VARCHAR, value VARCHAR)")
        con.execute("INSERT INTO dataset_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        con.execute("CREATE TABLE influencers (influencer_key INTEGER, influencer_id VARCHAR, platform VARCHAR)")
        con.execute("INSERT INTO influencers VALUES (1, 'I1', 'Instagram'), (2, 'I2', 'YouTube'), (3, 'I3', 'YouTube')")
        con.execute("CREATE TABLE lift_posts (window_days INTEGER, post_no BIGINT, influencer_key INTEGER, date DATE)")
        con.executemany("INSERT INTO lift_posts VALUES (14, ?, ?, ?)", POSTS)
        brand = pd.DataFrame(
            [
                (key, day, name, amount)
                for key in (1, 2, 3)
                for day in days
                for name, amount in (("A", 60.0), ("B", 40.0))
            ],
            columns=["influencer_key", "date", "brand", "revenue"],
        )
        con.register("brand_rows", brand)
        con.execute("CREATE TABLE facts_day_brand AS SELECT * FROM brand_rows")
        con.execute(
            "CREATE TABLE facts_day AS SELECT influencer_key, date, sum(revenue) AS revenue FROM brand_rows GROUP BY ALL"
        )
    return Warehouse(path)


@pytest.mark.parametrize(
    ("filters", "before", "after"),
    [
        # creator 2's 1–2 Nov and creator 3's 1–10 Nov; creator 1's 11–14 Nov and creator 2's 11–21 Nov
        (Filters(start="2025-11-01", end="2025-11-10"), 200 + 1000, 400 + 1100),
        # only an end: creator 3's post of 30 Oct is in the range, its days 11–12 Nov after the end
        (Filters(end="2025-11-10"), 0, 400 + 1100 + 200),
        (Filters(start="2025-11-01", end="2025-11-10", platform=("Instagram",)), 0, 400),
        (Filters(start="2025-11-01", end="2025-11-10", brand=("A",)), 0.6 * 1200, 0.6 * 1500),
        # only a start: creator 2's 1–2 Nov and creator 3's 1–12 Nov lie in windows of earlier posts
        (Filters(start="2025-11-01"), 200 + 1200, 0),
        # no post in the range: creators 1 and 2's days 16–20 Nov belong to posts of 15 and 8 Nov
        (Filters(start="2025-11-16", end="2025-11-20"), 500 + 500, 0),
        (Filters(), 0, 0),
    ],
)
def test_range_edge_revenue_by_hand(hand_wh, filters, before, after):
    edges = range_edge_revenue(hand_wh, filters)
    assert edges == (pytest.approx(before), pytest.approx(after))


@pytest.fixture(scope="module")
def planted(measured_sample_wh):
    return measured_sample_wh


def test_a_one_day_range_shares_its_lift_over_the_days_the_lift_counts(planted):
    """The share's base is the day's revenue less its days in earlier posts' windows plus its
    posts' days after it; incremental ROAS still reads spend; without a date range nothing changes."""
    day = Filters(start="2025-11-10", end="2025-11-10")
    k = kpis(planted, day)
    edges = range_edge_revenue(planted, day)
    assert edges.before > 0 and edges.after > 0
    base = k["revenue"] - edges.before + edges.after
    assert k["incremental_share_revenue"] == pytest.approx(base)
    assert k["incremental_share"] == pytest.approx(k["incremental_revenue"] / base)
    assert k["incremental_roas"] == pytest.approx(k["incremental_revenue"] / k["spend"])
    assert k["incremental_share_basis"] == SHARE_OVER_WINDOWS
    assert share_basis_words(k).endswith("attributed in the range's post windows and its other days")
    whole = kpis(planted)
    assert whole["incremental_share_revenue"] == whole["revenue"]
    assert whole["incremental_share"] == pytest.approx(whole["incremental_revenue"] / whole["revenue"])
    assert whole["incremental_share_basis"] == SHARE_OVER_SELECTION


def _base(wh, filters: Filters) -> float:
    """The share's base (₹) of a range by the rule, whether or not the range has a measured post."""
    edges = range_edge_revenue(wh, filters)
    return sale_totals(wh, filters, DEFAULT_SETTINGS)["revenue"] - edges.before + edges.after


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 30), st.integers(0, 30))
def test_the_bases_of_adjacent_ranges_add_up_to_their_unions(planted, start, first, second):
    """Every creator-day of the selection lies in one range's base (its post's range, or the range
    holding it when it is in no window), as every post's lift lies in one range's lift: so shares
    of adjacent ranges pool to their union's, and over the whole data to the whole share."""
    middle = start + dt.timedelta(days=first)
    end = middle + dt.timedelta(days=1 + second)
    split = _base(planted, Filters(start=start, end=middle)) + _base(
        planted, Filters(start=middle + dt.timedelta(days=1), end=end)
    )
    assert split == pytest.approx(_base(planted, Filters(start=start, end=end)))
