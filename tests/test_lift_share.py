"""The incremental share's base under a date range: the range's attributed revenue plus its posts'
window days after the end (metrics/lift/view.py window_tail_revenue, metrics/kpis.py), by hand on
a three-creator warehouse and against the planted sample."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from metrics import Filters, kpis
from metrics.kpis import SHARE_OVER_SELECTION, SHARE_OVER_WINDOWS, share_basis_words
from metrics.lift.view import window_tail_revenue
from warehouse import Warehouse
from warehouse.db import SCHEMA_VERSION

# (post_no, influencer_key, date); 14-day windows, range 1–10 Nov 2025
POSTS = [
    (1, 1, "2025-11-05"),  # window 5–18 Nov, cut by post 2 on 15 Nov: tail 11–14 Nov
    (2, 1, "2025-11-15"),  # after the range: not kept
    (3, 2, "2025-10-20"),  # before the range; post 4 takes its days from 8 Nov
    (4, 2, "2025-11-08"),  # window 8–21 Nov, no later post: tail 11–21 Nov
    (5, 3, "2025-10-30"),  # before the range: window 30 Oct–12 Nov
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
    ("filters", "expected"),
    [
        (Filters(start="2025-11-01", end="2025-11-10"), 4 * 100 + 11 * 100),
        # only an end: creator 3's post of 30 Oct is its latest on or before it, its tail 11–12 Nov
        (Filters(end="2025-11-10"), 400 + 1100 + 200),
        (Filters(start="2025-11-01", end="2025-11-10", platform=("Instagram",)), 400),
        (Filters(start="2025-11-01", end="2025-11-10", brand=("A",)), 0.6 * 1500),
        (Filters(start="2025-11-01"), 0),  # no end: the windows' days all lie in the range
        (Filters(start="2025-11-16", end="2025-11-20"), 0),  # no post in the range
    ],
)
def test_window_tail_revenue_by_hand(hand_wh, filters, expected):
    assert window_tail_revenue(hand_wh, filters) == pytest.approx(expected)


@pytest.fixture(scope="module")
def planted(measured_sample_wh):
    return measured_sample_wh


def test_a_one_day_range_shares_its_lift_over_the_days_the_lift_counts(planted):
    """The share's base is the day's revenue plus its posts' tails; incremental ROAS still reads
    spend; without a date range nothing changes."""
    day = Filters(start="2025-11-10", end="2025-11-10")
    k = kpis(planted, day)
    tail = window_tail_revenue(planted, day)
    assert tail > 0 and k["incremental_share_revenue"] == pytest.approx(k["revenue"] + tail)
    assert k["incremental_share"] == pytest.approx(k["incremental_revenue"] / (k["revenue"] + tail))
    assert k["incremental_roas"] == pytest.approx(k["incremental_revenue"] / k["spend"])
    assert k["incremental_share_basis"] == SHARE_OVER_WINDOWS
    assert share_basis_words(k).endswith("attributed over the range and its posts' windows")
    whole = kpis(planted)
    assert whole["incremental_share_revenue"] == whole["revenue"]
    assert whole["incremental_share"] == pytest.approx(whole["incremental_revenue"] / whole["revenue"])
    assert whole["incremental_share_basis"] == SHARE_OVER_SELECTION


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 30))
def test_the_share_base_holds_at_least_the_ranges_revenue(planted, start, length):
    """Tails add the attributed revenue of window days after the end, net of refunds: never below 0
    on the sample's days, so the base is at least the range's attributed revenue."""
    filters = Filters(start=start, end=start + dt.timedelta(days=length))
    k = kpis(planted, filters)
    assert k["incremental_share_revenue"] >= k["revenue"] - 1e-6
