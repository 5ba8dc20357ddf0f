"""Customer value (LTV 90 / 180 / 365 days and LTV:CAC) on a small fixture worked out by hand.

Sales (last sale 31 Jan 2025; cut-offs: a 90-day cohort is acquired by 3 Nov 2024, 180-day by
5 Aug 2024, 365-day by 2 Feb 2024):
- U1: first order with A1 on 1 Jan 2024 (₹1,000), then ₹500 with B2 on 15 Feb (day 46), ₹300 on
  1 Jun (day 153), ₹200 on 31 Dec 2024 (day 366: outside 365 days, 2024 is a leap year);
- U2: first with A1 on 1 Mar 2024 (₹2,000), a ₹500 refund on 10 Mar;
- U3: first with B2 on 1 Feb 2024 (₹800); U4: first with A1 on 1 Dec 2024 (₹400, too recent);
- U5: first with B2 on 31 Jan 2025 (₹100, too recent); a guest order (₹999) is no customer.
A1: 90 days: U1 1,500 + U2 1,500 over 2 customers = ₹1,500; 180 days: U1 1,800 + U2 1,500 =
₹1,650; 365 days: U1 only, ₹1,800. B2: U3, ₹800 at every horizon.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pandas as pd
import pytest

import cli
import metrics
from metrics.ltv import ltv_by_influencer, with_ltv
from warehouse import Warehouse, build, import_dataset
from warehouse.customer_tables import build_customer_tables
from warehouse.validate import Findings

SALES = """tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue
S1,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2024-01-01,1,1000
S2,PromoCode,MB Jan,A1,guest,MuscleBlaze,Whey,2024-01-05,1,999
S3,PromoCode,MB Jan,B2,U1,MuscleBlaze,Whey,2024-02-15,1,500
S4,PromoCode,MB Jan,B2,U3,MuscleBlaze,Whey,2024-02-01,1,800
S5,PromoCode,MB Jan,A1,U2,MuscleBlaze,Whey,2024-03-01,1,2000
S6,PromoCode,MB Jan,A1,U2,MuscleBlaze,Whey,2024-03-10,0,-500
S7,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2024-06-01,1,300
S8,PromoCode,MB Jan,A1,U4,MuscleBlaze,Whey,2024-12-01,1,400
S9,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,2024-12-31,1,200
S10,PromoCode,MB Jan,B2,U5,MuscleBlaze,Whey,2025-01-31,1,100
"""


@pytest.fixture(scope="module")
def ltv_wh(tmp_path_factory, traps_dir):
    folder = tmp_path_factory.mktemp("ltv_src")
    for name in ("influencers.csv", "payouts.csv", "posts.csv"):
        shutil.copy(traps_dir / name, folder / name)
    (folder / "tracking_data.csv").write_text(SALES)
    db = tmp_path_factory.mktemp("ltv") / "warehouse.duckdb"
    import_dataset(folder, db)
    return Warehouse(db)


def test_ltv_by_hand(ltv_wh):
    frame = ltv_by_influencer(ltv_wh).set_index("influencer_id")
    a1, b2 = frame.loc["A1"], frame.loc["B2"]
    assert (a1["ltv_customers_90"], a1["ltv_revenue_90"], a1["ltv_90"]) == (2, 3000, 1500)
    assert (a1["ltv_customers_180"], a1["ltv_revenue_180"], a1["ltv_180"]) == (2, 3300, 1650)
    assert (a1["ltv_customers_365"], a1["ltv_revenue_365"], a1["ltv_365"]) == (1, 1800, 1800)
    assert (b2["ltv_90"], b2["ltv_180"], b2["ltv_365"]) == (800, 800, 800)
    assert b2["ltv_customers_365"] == 1  # U5 (31 Jan 2025) is too recent for any horizon


def test_a_date_range_selects_customers_by_their_first_order(ltv_wh):
    frame = ltv_by_influencer(ltv_wh, metrics.Filters(start="2024-02-01")).set_index("influencer_id")
    assert frame.loc["A1", "ltv_90"] == 1500 and frame.loc["A1", "ltv_customers_90"] == 1  # U2 only
    assert frame.loc["A1", "ltv_365"] is None  # U2 (1 Mar 2024) has no 365 days in the data yet
    only_b2 = ltv_by_influencer(ltv_wh, metrics.Filters(platform=("YouTube",)))
    assert only_b2["influencer_id"].tolist() == ["B2"]


def test_ltv_to_cac_and_unmeasurable_creators(ltv_wh):
    ranked = with_ltv(ltv_wh, metrics.ranking(ltv_wh), metrics.Filters())
    rows = ranked.set_index("influencer_id")
    assert rows.loc["A1", "ltv_cac_365"] == pytest.approx(1800 / rows.loc["A1", "cac"])
    assert rows.loc["C3", "ltv_365"] is None and rows.loc["C3", "ltv_cac_365"] is None  # no customers


@pytest.mark.parametrize(
    "filters", [metrics.Filters(), metrics.Filters(start="2024-02-01"), metrics.Filters(platform=("YouTube",))]
)
def test_with_ltv_aligns_like_a_map_per_column(ltv_wh, filters):
    """with_ltv aligns every LTV column at once: the frame a Series.map per column gave (values,
    None where a creator has no figure, object columns), on a reversed, re-indexed ranking."""
    ranked = metrics.ranking(ltv_wh, filters).iloc[::-1]
    ranked.index = range(100, 100 + len(ranked))
    values = ltv_by_influencer(ltv_wh, filters).set_index("influencer_id")
    expected = ranked.copy()
    for column in values.columns:
        mapped = expected["influencer_id"].map(values[column]).astype(float)
        expected[column] = mapped.astype(object).where(mapped.notna(), None)
    got = with_ltv(ltv_wh, ranked, filters)
    pd.testing.assert_frame_equal(got.drop(columns="ltv_cac_365"), expected)
    assert got["ltv_365"].map(type).isin([float, type(None)]).all()


def test_influencers_ranked_carries_ltv(ltv_wh, capsys, traps_wh):
    assert cli.main(["--db", str(ltv_wh.path), "summary", "--json"]) == 0
    ranked = {row["influencer_id"]: row for row in json.loads(capsys.readouterr().out)["influencers_ranked"]}
    assert ranked["A1"]["ltv_90"] == 1500 and ranked["A1"]["ltv_180"] == 1650 and ranked["A1"]["ltv_365"] == 1800
    assert ranked["A1"]["ltv_cac_365"] == pytest.approx(1800 / ranked["A1"]["cac"])
    assert ranked["C3"]["ltv_365"] is None
    # The traps data set spans six weeks: no cohort is old enough for 90 days.
    assert cli.main(["--db", str(traps_wh.path), "summary", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["influencers_ranked"]
    assert all(row["ltv_90"] is None and row["ltv_cac_365"] is None for row in rows)


def test_first_orders_give_the_cohort_its_day_and_creator():
    """customer_cohorts from first_orders alone (no sale looked up again), by hand:
    U1 buys undated with A1 (₹100), then with B2 on 1 Mar 2024 (₹50; the id written ' B2'): the dated
    order comes first, so U1 is B2's customer of 1 Mar, worth ₹50 (an undated sale is in no window);
    U2 buys only undated: no cohort; U3 buys with A1 on 31 Dec 1969 (₹70, a day before the key's
    epoch) after a ₹10 refund on 1 Dec 1969 (no first order, before the window): A1's cohort of 31 Dec 1969."""
    con = duckdb.connect()
    con.execute("""CREATE TEMP TABLE sales AS SELECT *, NULL::VARCHAR AS brand, NULL::VARCHAR AS campaign,
        NULL::VARCHAR AS product, NULL::VARCHAR AS source FROM (VALUES
        (0, 'A1', NULL, 'U1', 1, 100.0), (1, ' B2', DATE '2024-03-01', 'U1', 1, 50.0),
        (2, 'A1', NULL, 'U2', 1, 30.0),
        (3, 'A1', DATE '1969-12-01', 'U3', 0, -10.0), (4, 'A1', DATE '1969-12-31', 'U3', 1, 70.0)
        ) AS t(sale_no, influencer_id, date, user_id, orders, revenue)""")
    con.execute(
        "CREATE TABLE influencers AS SELECT * FROM (VALUES (1, 'A1'), (2, 'B2')) AS t(influencer_key, influencer_id)"
    )
    con.execute(build.SALE_TEXT_VALUES)
    build.type_buyers(con, None, Findings())
    build_customer_tables(con)
    assert con.execute("SELECT * FROM customer_cohorts").fetchall() == [
        (1, dt.date(1969, 12, 31), 1, 70.0, 70.0, 70.0),
        (2, dt.date(2024, 3, 1), 1, 50.0, 50.0, 50.0),
    ]
