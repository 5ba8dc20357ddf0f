"""Invariants on generated data sets: parts add up to the whole; no join multiplies money."""
import csv
import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import metrics
from metrics import Filters
from warehouse import Warehouse, import_dataset

PLATFORMS = ["Instagram", "YouTube", "TikTok"]
CATEGORIES = ["Fitness", "Health"]
BRANDS = ["MuscleBlaze", "HKVitals", "Gritzo"]
CAMPAIGNS = ["C1", "C2"]
PRODUCTS = ["Whey", "Multi"]
BASES = ["post", "order", "commission", "hybrid"]

influencer = st.fixed_dictionaries({
    "platform": st.sampled_from(PLATFORMS), "category": st.sampled_from(CATEGORIES),
    "follower_count": st.integers(0, 3_000_000),
})
sale = st.fixed_dictionaries({
    "who": st.integers(0, 7), "brand": st.sampled_from(BRANDS + [""]), "campaign": st.sampled_from(CAMPAIGNS),
    "product": st.sampled_from(PRODUCTS), "day": st.integers(0, 120), "user": st.integers(0, 6),
    "orders": st.integers(0, 4), "revenue": st.integers(0, 50_000),
})
post = st.fixed_dictionaries({
    "who": st.integers(0, 7), "day": st.integers(0, 120), "brand": st.sampled_from(BRANDS + [""]),
    "reach": st.integers(0, 10_000), "likes": st.integers(0, 500),
})
payout = st.fixed_dictionaries({
    "who": st.integers(0, 8), "basis": st.sampled_from(BASES), "total": st.integers(0, 100_000),
    "gifted": st.integers(0, 5_000),
})
dataset = st.fixed_dictionaries({
    "influencers": st.lists(influencer, min_size=1, max_size=6),
    # At least one sale: a data set without any is refused (it would show ₹0 revenue).
    "sales": st.lists(sale, min_size=1, max_size=25), "posts": st.lists(post, max_size=12),
    "payouts": st.lists(payout, min_size=1, max_size=10),
})

START = dt.date(2025, 1, 1)


def write(folder: Path, data: dict):
    def table(name, header, rows):
        if not rows:
            return  # an empty file is an error; a data set without posts simply has none
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    table("influencers.csv", ["influencer_id", "name", "platform", "category", "follower_count"],
          [[f"I{i}", f"Name {i}", r["platform"], r["category"], r["follower_count"]]
           for i, r in enumerate(data["influencers"])])
    # ids beyond the influencer list are orphans: kept under Unknown
    table("tracking_data.csv", ["influencer_id", "user_id", "brand", "campaign", "product", "date", "orders", "revenue"],
          [[f"I{s['who']}", f"U{s['user']}", s["brand"], s["campaign"], s["product"],
            (START + dt.timedelta(days=s["day"])).isoformat(), s["orders"], s["revenue"]] for s in data["sales"]])
    table("posts.csv", ["influencer_id", "date", "brand", "reach", "likes"],
          [[f"I{p['who']}", (START + dt.timedelta(days=p["day"])).isoformat(), p["brand"], p["reach"], p["likes"]]
           for p in data["posts"]])
    table("payouts.csv", ["influencer_id", "basis", "total_payout", "gifted_products_cost"],
          [[f"I{p['who']}", p["basis"], p["total"], p["gifted"]] for p in data["payouts"]])


def load(data) -> Warehouse:
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    write(folder, data)
    report = import_dataset(folder, folder / "wh.duckdb")
    return Warehouse(report.db_path)


MONEY = ("revenue", "orders", "spend", "new_customers")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset)
def test_no_join_multiplies_money(data):
    wh = load(data)
    k = metrics.kpis(wh)
    assert k["revenue"] == pytest.approx(sum(s["revenue"] for s in data["sales"]))
    assert k["orders"] == sum(s["orders"] for s in data["sales"])
    assert k["spend"] == pytest.approx(sum(p["total"] + p["gifted"] for p in data["payouts"]))
    assert k["new_customers"] == len({s["user"] for s in data["sales"]})
    ranked = metrics.ranking(wh)
    assert ranked["spend"].sum() == pytest.approx(k["spend"])
    # each influencer's spend is what its payout rows say, however its cost was spread
    paid = {}
    for p in data["payouts"]:
        paid[f"I{p['who']}"] = paid.get(f"I{p['who']}", 0) + p["total"] + p["gifted"]
    spend = ranked.set_index("influencer_id")["spend"]
    for influencer_id, amount in paid.items():
        assert spend.get(influencer_id, 0) == pytest.approx(amount), influencer_id
    assert ranked["revenue"].sum() == pytest.approx(k["revenue"])
    # the headline counts (SQL) agree with the ranking's flags (pandas)
    assert k["influencers"] == int(ranked["known"].sum())
    assert k["poor_performers"] == int((ranked["poor_performer"] & ranked["known"]).sum())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset, st.sampled_from(["platform", "category", "tier", "brand", "campaign", "product", "month"]),
       st.sampled_from([Filters(), Filters(platform=["Instagram"]), Filters(start="2025-02-01"),
                        Filters(brand=["MuscleBlaze"])]))
def test_partitions_add_up(data, dimension, filters):
    wh = load(data)
    whole = metrics.kpis(wh, filters)
    parts = metrics.breakdown(wh, dimension, filters)
    for measure in MONEY:
        assert parts[measure].sum() == pytest.approx(whole[measure], abs=1e-6), measure
    # and filtering on each part gives that part's numbers (for dimensions that are filters)
    if dimension in ("platform", "category", "tier", "brand", "campaign", "product"):
        for value, revenue, spend in zip(parts[dimension], parts["revenue"], parts["spend"]):
            selected = metrics.kpis(wh, Filters(**{**filters.__dict__, dimension: (value,)}))
            if set(getattr(filters, dimension)) - {value}:
                continue
            assert selected["revenue"] == pytest.approx(revenue) and selected["spend"] == pytest.approx(spend)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset, st.sampled_from(["revenue", "roas", "efficiency_score"]), st.integers(min_value=1, max_value=6),
       st.sampled_from([Filters(), Filters(platform=["YouTube"]), Filters(end="2025-02-15"),
                        Filters(brand=["HKVitals"])]))
def test_top_influencers_are_the_top_of_the_ranking(data, metric, n, filters):
    wh = load(data)
    ranked = metrics.ranking(wh, filters)
    ranked = ranked[pd.to_numeric(ranked[metric], errors="coerce").notna()].copy()
    ranked["_v"] = pd.to_numeric(ranked[metric])
    expected = ranked.sort_values(["_v", "influencer_id"], ascending=[False, True]).head(n)
    top = metrics.top_influencers(wh, filters, metric=metric, n=n)
    assert top["influencer_id"].tolist() == expected["influencer_id"].tolist()
    for column in ("revenue", "spend", "roas", metric):
        assert [None if pd.isna(v) else pytest.approx(v) for v in top[column]] == \
               [None if pd.isna(v) else v for v in expected[column]], column


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset, st.sampled_from([Filters(), Filters(platform=["TikTok"]), Filters(start="2025-02-01", end="2025-03-15"),
                                 Filters(brand=["Gritzo"]), Filters(campaign=["C2"], product=["Whey"]),
                                 Filters(category=["Health"], brand=["MuscleBlaze"], start="2025-01-15")]))
def test_spend_by_basis_adds_up_to_spend(data, filters):
    wh = load(data)
    by_basis = metrics.payouts_by_basis(wh, filters).set_index("basis")
    assert by_basis["spend"].sum() == pytest.approx(metrics.kpis(wh, filters)["spend"], abs=1e-6)
    # each basis is additive over brands too: the parts of a brand partition add up to it
    by_brand = [metrics.payouts_by_basis(wh, Filters(**{**filters.__dict__, "brand": (brand,)})).set_index("basis")
                for brand in BRANDS + ["Unattributed"] if not filters.brand or brand in filters.brand]
    for basis in by_basis.index:
        assert sum(part.loc[basis, "spend"] for part in by_brand) == pytest.approx(by_basis.loc[basis, "spend"],
                                                                                   abs=1e-6), basis
    if filters == Filters():
        paid = {basis: sum(p["total"] for p in data["payouts"] if p["basis"] == basis) for basis in BASES}
        paid["gifted"] = sum(p["gifted"] for p in data["payouts"])
        payees = {basis: len({p["who"] for p in data["payouts"] if p["basis"] == basis and p["total"]})
                  for basis in BASES}
        payees["gifted"] = len({p["who"] for p in data["payouts"] if p["gifted"]})
        for basis in by_basis.index:
            assert by_basis.loc[basis, "spend"] == pytest.approx(paid.get(basis, 0)), basis
            assert by_basis.loc[basis, "influencers"] == payees.get(basis, 0), basis
