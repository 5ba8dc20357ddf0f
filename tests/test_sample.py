"""The sample generator: deterministic, consistent with itself, shaped like real data, streaming."""

from __future__ import annotations

import re
import tempfile
import tracemalloc
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warehouse import sample
from warehouse.sample import generate_sample

TABLES = ("influencers", "posts", "tracking_data", "payouts", "campaigns")
HEADERS = {
    "influencers": "influencer_id,name,platform,category,gender,follower_count,persona",
    "posts": "post_id,influencer_id,platform,date,url,caption,brand,reach,impressions,likes,comments,"
    "shares,saves,views",
    "tracking_data": "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue",
    "payouts": "influencer_id,basis,rate,posts,orders,total_payout,gifted_products_cost,total_cost",
    "campaigns": "campaign,brand,start_date,end_date,budget",
}
TIERS = ((0, 10_000), (10_000, 50_000), (50_000, 500_000), (500_000, 1_000_000), (1_000_000, float("inf")))
PRODUCT_BRAND = {name: brand for brand, products in sample.PRODUCTS.items() for name, _ in products}
PRODUCT_PRICE = {name: price for products in sample.PRODUCTS.values() for name, price in products}


def load(folder: Path) -> dict[str, pd.DataFrame]:
    frames = {name: pd.read_csv(folder / f"{name}.csv", dtype={"rate": str}) for name in TABLES}
    for name, columns in (("posts", ["date"]), ("tracking_data", ["date"]), ("campaigns", ["start_date", "end_date"])):
        for column in columns:
            frames[name][column] = pd.to_datetime(frames[name][column], format="%Y-%m-%d")
    return frames


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate_sample(out, orders=5_000, seed=7)
    return out


@pytest.fixture(scope="module")
def data(folder) -> dict[str, pd.DataFrame]:
    return load(folder)


def file_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of the data set and of its truth/ folder, by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


# ---- determinism, counts, format


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path, fmt):
    generate_sample(tmp_path / "a", orders=3_000, seed=11, fmt=fmt)
    generate_sample(tmp_path / "b", orders=3_000, seed=11, fmt=fmt)
    generate_sample(tmp_path / "c", orders=3_000, seed=12, fmt=fmt)
    first, again, other = (file_bytes(tmp_path / d) for d in "abc")
    assert first == again
    assert sorted(first) == sorted([f"{t}.{fmt}" for t in TABLES] + ["truth/lift.csv"])
    assert all(first[name] != other[name] for name in first if not name.startswith("campaigns"))


def test_returns_files_and_row_counts_that_match_the_files(tmp_path):
    result = generate_sample(tmp_path, orders=1_234, influencers=25, seed=3)
    assert sorted(Path(f).name for f in result["files"]) == sorted(f"{t}.csv" for t in TABLES)
    assert all(Path(f).is_file() for f in result["files"])
    frames = load(tmp_path)
    assert result["rows"] == {f"{t}.csv": len(frames[t]) for t in TABLES}
    assert len(frames["tracking_data"]) == 1_234
    assert len(frames["influencers"]) == 25
    assert not list(tmp_path.glob("*.partial"))


def test_default_influencer_count_scales_with_orders():
    assert sample.default_influencers(100) == 40
    assert sample.default_influencers(1_000_000) == 500
    assert sample.default_influencers(50_000_000) == 5_000


def test_csv_headers_utf8_lf_and_escaping(folder, data):
    for name in TABLES:
        raw = (folder / f"{name}.csv").read_bytes()
        text = raw.decode("utf-8")
        assert text.split("\n", 1)[0] == HEADERS[name]
        assert "\r" not in text and text.endswith("\n")
    names = set(data["influencers"]["name"])
    assert {"Rhea D'Souza & Co", 'Dr. Arjun "GutDoc" Rao', "Kapoor, Neha (Official)", "Zoë Fernandes"} <= names
    assert '"Dr. Arjun ""GutDoc"" Rao"' in (folder / "influencers.csv").read_text(encoding="utf-8")
    assert data["tracking_data"]["product"].isin(PRODUCT_BRAND).all()  # "Calcium, Magnesium & Zinc" survived
    money = (folder / "tracking_data.csv").read_text(encoding="utf-8").splitlines()[1:200]
    assert all(re.fullmatch(r"\d+\.\d\d", line.rsplit(",", 1)[1]) for line in money)


def test_tiny_and_empty_data_sets(tmp_path):
    result = generate_sample(tmp_path / "empty", orders=0, influencers=1)
    assert result["rows"]["tracking_data.csv"] == 0 and result["rows"]["payouts.csv"] == 1
    assert (tmp_path / "empty" / "tracking_data.csv").read_text() == HEADERS["tracking_data"] + "\n"
    result = generate_sample(tmp_path / "tiny", orders=100, influencers=3, fmt="parquet")
    assert result["rows"]["tracking_data.parquet"] == 100


@pytest.mark.parametrize("kwargs", [{"fmt": "xlsx"}, {"orders": -1}, {"influencers": 0}, {"seed": -5}])
def test_rejects_bad_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError):
        generate_sample(tmp_path, **kwargs)


def test_parquet_holds_the_same_tables_as_csv(tmp_path):
    generate_sample(tmp_path / "csv", orders=2_000, seed=5, fmt="csv")
    generate_sample(tmp_path / "parquet", orders=2_000, seed=5, fmt="parquet")
    con = duckdb.connect()
    for name in TABLES:
        from_csv = f"read_csv('{tmp_path / 'csv' / name}.csv')"
        from_parquet = f"read_parquet('{tmp_path / 'parquet' / name}.parquet')"
        csv_rel, parquet_rel = con.sql(f"SELECT * FROM {from_csv}"), con.sql(f"SELECT * FROM {from_parquet}")
        assert csv_rel.columns == parquet_rel.columns == HEADERS[name].split(",")
        assert [str(t) for t in csv_rel.types] == [str(t) for t in parquet_rel.types], name
        for left, right in ((from_csv, from_parquet), (from_parquet, from_csv)):
            assert con.execute(f"SELECT count(*) FROM (FROM {left} EXCEPT ALL FROM {right})").fetchone()[0] == 0, name


# ---- internal consistency


def check_consistency(frames: dict[str, pd.DataFrame]) -> None:
    influencers, posts, sales, payouts, campaigns = (frames[t] for t in TABLES)
    assert influencers["influencer_id"].is_unique
    known = set(influencers["influencer_id"])
    assert set(posts["influencer_id"]) <= known and set(sales["influencer_id"]) <= known
    assert set(payouts["influencer_id"]) == known
    assert posts["post_id"].is_unique and sales["tracking_id"].is_unique

    platform = influencers.set_index("influencer_id")["platform"]
    assert (posts["platform"] == posts["influencer_id"].map(platform)).all()
    assert posts.groupby("influencer_id").size().between(1, 12).all()
    video = posts["platform"].isin(sample.VIDEO_PLATFORMS)
    assert posts.loc[video, "views"].notna().all() and posts.loc[~video, "views"].isna().all()
    assert posts["brand"].isin(sample.BRANDS).all()
    assert all(brand in caption for brand, caption in zip(posts["brand"], posts["caption"]))

    assert (sales["product"].map(PRODUCT_BRAND) == sales["brand"]).all()
    window = campaigns.set_index("campaign")
    assert (sales["campaign"].map(window["brand"]) == sales["brand"]).all()
    assert (sales["date"] >= sales["campaign"].map(window["start_date"])).all()
    assert (sales["date"] <= sales["campaign"].map(window["end_date"])).all()
    for dates in (sales["date"], posts["date"]):
        assert dates.between(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")).all()
    assert sales["orders"].isin([1, 2, 3]).all()
    list_price = sales["product"].map(PRODUCT_PRICE) * sales["orders"]
    assert sales["revenue"].between(0.8 * list_price - 0.01, list_price + 0.01).all()
    assert sales["source"].isin(sample.SOURCES).all()

    check_payouts(influencers, posts, sales, payouts)


def rate_terms(basis: str, rate: str) -> tuple[float, float, float]:
    """(fee per post, fee per order, commission %) from the rate as the files write it."""
    if re.fullmatch(r"\d+", rate):
        return (float(rate), 0.0, 0.0) if basis == "post" else (0.0, float(rate), 0.0)
    rupees = r"₹([\d,]+)"
    patterns = {
        "post": rupees + "/post",
        "order": rupees + "/order",
        "commission": r"(\d+\.\d)% commission",
        "hybrid": rupees + r"/post \+ (\d+\.\d)%",
    }
    match = re.fullmatch(patterns[basis], rate)
    assert match, (basis, rate)
    numbers = [float(g.replace(",", "")) for g in match.groups()]
    return {
        "post": lambda: (numbers[0], 0.0, 0.0),
        "order": lambda: (0.0, numbers[0], 0.0),
        "commission": lambda: (0.0, 0.0, numbers[0]),
        "hybrid": lambda: (numbers[0], 0.0, numbers[1]),
    }[basis]()


def check_payouts(influencers, posts, sales, payouts) -> None:
    post_count = posts.groupby("influencer_id").size().reindex(influencers["influencer_id"], fill_value=0)
    orders = sales.groupby("influencer_id")["orders"].sum().reindex(influencers["influencer_id"], fill_value=0)
    revenue = sales.groupby("influencer_id")["revenue"].sum().reindex(influencers["influencer_id"], fill_value=0.0)
    assert payouts["basis"].isin(["post", "order", "commission", "hybrid"]).all()
    for row in payouts.itertuples():
        fee, per_order, pct = rate_terms(row.basis, row.rate)
        assert row.posts == post_count[row.influencer_id]
        assert row.orders == orders[row.influencer_id]
        expected = fee * row.posts + per_order * row.orders + pct / 100 * revenue[row.influencer_id]
        assert row.total_payout == pytest.approx(expected, abs=0.011), row
        assert row.total_cost == pytest.approx(row.total_payout + row.gifted_products_cost, abs=0.011)
        assert row.gifted_products_cost >= 0


def test_every_row_is_consistent_and_payouts_follow_their_terms(data):
    check_consistency(data)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orders=st.integers(0, 3_000), influencers=st.integers(1, 60), seed=st.integers(0, 2**32))
def test_consistent_at_any_small_size(orders, influencers, seed):
    with tempfile.TemporaryDirectory() as out:
        generate_sample(out, orders=orders, influencers=influencers, seed=seed)
        check_consistency(load(Path(out)))


# ---- the shape of the data


@pytest.mark.parametrize("seed", range(5))
def test_all_tiers_platforms_and_categories_appear(tmp_path, seed):
    generate_sample(tmp_path, orders=5_000, seed=seed)
    influencers = pd.read_csv(tmp_path / "influencers.csv")
    followers = influencers["follower_count"]
    assert all(followers.between(low, high, inclusive="left").any() for low, high in TIERS)
    assert set(influencers["platform"]) == set(sample.PLATFORMS)
    assert influencers["platform"].isin(["Instagram", "YouTube"]).mean() > 0.5
    assert set(influencers["category"]) <= set(sample.CATEGORIES)
    assert influencers["category"].nunique() >= 6
    assert set(influencers["gender"]) == {"Female", "Male"}


def test_a_few_creators_drive_most_revenue(data):
    revenue = data["tracking_data"].groupby("influencer_id")["revenue"].sum()
    revenue = revenue.reindex(data["influencers"]["influencer_id"], fill_value=0).sort_values(ascending=False)
    top_tenth = revenue.iloc[: max(1, len(revenue) // 10)]
    assert top_tenth.sum() > 0.5 * revenue.sum()


def test_buyers_come_back_sometimes_through_another_creator(data):
    sales = data["tracking_data"]
    rows_per_user = sales.groupby("user_id").size()
    assert rows_per_user.nunique() > 1 and (rows_per_user > 1).mean() > 0.3
    assert (sales.groupby("user_id")["influencer_id"].nunique() > 1).sum() > 100


def test_sources_are_not_the_platform(data):
    sales = data["tracking_data"]
    assert {"PromoCode", "BioLink", "SwipeUp"} <= set(sales["source"])
    platform = sales["influencer_id"].map(data["influencers"].set_index("influencer_id")["platform"])
    named = sales["source"].isin(sample.PLATFORMS)
    assert named.any() and (sales.loc[named, "source"] != platform[named]).any()


def test_payouts_include_two_deals_free_creators_poor_performers_and_gifts(data):
    payouts, sales = data["payouts"], data["tracking_data"]
    cost = payouts.groupby("influencer_id")["total_cost"].sum()
    revenue = sales.groupby("influencer_id")["revenue"].sum().reindex(cost.index, fill_value=0.0)
    assert payouts["influencer_id"].duplicated().any()
    assert (cost == 0).any()
    assert ((cost > 0) & (revenue < cost)).any()
    assert (revenue[cost > 0] / cost[cost > 0] > 3).any()
    assert (payouts["gifted_products_cost"] > 0).mean() > 0.4
    assert set(payouts["basis"]) == {"post", "order", "commission", "hybrid"}
    assert payouts["rate"].str.fullmatch(r"\d+").any() and payouts["rate"].str.startswith("₹").any()


def test_campaigns_several_per_brand_inside_the_year(data):
    campaigns = data["campaigns"]
    assert campaigns["campaign"].is_unique
    assert campaigns.groupby("brand").size().reindex(list(sample.BRANDS)).ge(3).all()
    assert (campaigns["start_date"] <= campaigns["end_date"]).all()
    assert (campaigns["budget"] > 0).all()
    assert set(data["tracking_data"]["campaign"]) <= set(campaigns["campaign"])


# ---- streaming


def traced_peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(sample, "BLOCK_ROWS", 10_000)
    small = traced_peak(lambda: generate_sample(tmp_path / "small", orders=10_000, influencers=50))
    large = traced_peak(lambda: generate_sample(tmp_path / "large", orders=200_000, influencers=50))
    assert large < 1.5 * small + 1_000_000, (small, large)


def test_tracking_is_written_in_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(sample, "BLOCK_ROWS", 10_000)
    generate_sample(tmp_path, orders=25_000, fmt="parquet")
    metadata = pq.ParquetFile(tmp_path / "tracking_data.parquet").metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [10_000, 10_000, 5_000]


def test_default_block_size_is_bounded():
    assert 10_000 <= sample.BLOCK_ROWS <= 500_000


def test_sales_rise_after_posts_and_no_lift_plants_none(tmp_path):
    """The planted lift: a creator's daily sales in the 7 days from a post beat its other days;
    with lift=False they do not, and the truth file says zero."""

    def window_ratio(folder):
        frames = load(folder)
        sales = frames["tracking_data"].groupby(["influencer_id", "date"])["revenue"].sum()
        posts = frames["posts"][["influencer_id", "date"]]
        window = pd.concat([posts.assign(date=posts["date"] + pd.Timedelta(days=lag)) for lag in range(7)])
        window = window[window["date"].dt.year == sample.YEAR].drop_duplicates()
        in_window = pd.MultiIndex.from_frame(window[["influencer_id", "date"]])
        is_window = sales.index.isin(in_window)
        window_revenue = sales[is_window].groupby(level=0).sum()
        other_revenue = sales[~is_window].groupby(level=0).sum()
        window_days = window.groupby("influencer_id").size()
        expected = other_revenue / (365 - window_days) * window_days  # at each creator's own daily rate
        return window_revenue.sum() / expected.reindex(window_revenue.index).sum()

    generate_sample(tmp_path / "lift", orders=20_000, seed=4)
    generate_sample(tmp_path / "flat", orders=20_000, seed=4, lift=False)
    assert window_ratio(tmp_path / "lift") > 1.3
    assert 0.8 < window_ratio(tmp_path / "flat") < 1.2
    truth = pd.read_csv(tmp_path / "flat" / "truth" / "lift.csv")
    assert truth["true_incremental_revenue"].sum() == 0
