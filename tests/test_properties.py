"""Invariants on generated data sets: parts add up to the whole; no join multiplies money."""

import csv
import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import metrics
from metrics import Filters
from warehouse import Warehouse, import_dataset

PLATFORMS = ["Instagram", "YouTube", "TikTok"]
CATEGORIES = ["Fitness", "Health"]
BRANDS = ["MuscleBlaze", "HKVitals", "Gritzo"]
CAMPAIGNS = ["C1", "C2"]
PRODUCTS = ["Whey", "Multi"]
BASES = ["post", "order", "commission", "hybrid"]

influencer = st.fixed_dictionaries(
    {
        "platform": st.sampled_from(PLATFORMS),
        "category": st.sampled_from(CATEGORIES),
        "follower_count": st.integers(0, 3_000_000),
    }
)
sale = st.fixed_dictionaries(
    {
        "who": st.integers(0, 7),
        "brand": st.sampled_from(BRANDS + [""]),
        "campaign": st.sampled_from(CAMPAIGNS),
        "product": st.sampled_from(PRODUCTS),
        "day": st.integers(0, 120),
        "user": st.integers(0, 6),
        "orders": st.integers(0, 4),
        "revenue": st.integers(0, 50_000),
        # a refund: no orders and the revenue given back (negative)
        "refund": st.sampled_from([False] * 5 + [True]),
    }
)
post = st.fixed_dictionaries(
    {
        "who": st.integers(0, 7),
        "day": st.integers(0, 120),
        "brand": st.sampled_from(BRANDS + [""]),
        "reach": st.integers(0, 10_000),
        "likes": st.integers(0, 500),
    }
)
payout = st.fixed_dictionaries(
    {
        "who": st.integers(0, 8),
        "basis": st.sampled_from(BASES),
        "total": st.integers(0, 100_000),
        "gifted": st.integers(0, 5_000),
    }
)
dataset = st.fixed_dictionaries(
    {
        "influencers": st.lists(influencer, min_size=1, max_size=6),
        # At least one sale: a data set without any is refused (it would show ₹0 revenue).
        "sales": st.lists(sale, min_size=1, max_size=25),
        "posts": st.lists(post, max_size=12),
        "payouts": st.lists(payout, min_size=1, max_size=10),
    }
)

START = dt.date(2025, 1, 1)


def sale_numbers(s: dict) -> tuple[int, int]:
    """(orders, revenue) of a generated sale row; refunds have 0 orders and negative revenue."""
    return (0, -s["revenue"]) if s["refund"] else (s["orders"], s["revenue"])


def write(folder: Path, data: dict, cell=lambda kind, value, draw: value, draw=None):
    """The data set as CSV files; `cell(kind, value, draw)` writes each value (kinds: money, count,
    optional_count, date, text), by default as it is."""

    def table(name, header, rows):
        if not rows:
            return  # an empty file is an error; a data set without posts simply has none
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    def c(kind, value):
        return cell(kind, value, draw)

    table(
        "influencers.csv",
        ["influencer_id", "name", "platform", "category", "follower_count"],
        [
            [f"I{i}", f"Name {i}", c("text", r["platform"]), r["category"], c("count", r["follower_count"])]
            for i, r in enumerate(data["influencers"])
        ],
    )
    # ids beyond the influencer list are orphans: kept under Unknown
    table(
        "tracking_data.csv",
        ["influencer_id", "user_id", "brand", "campaign", "product", "date", "orders", "revenue"],
        [
            [
                f"I{s['who']}",
                f"U{s['user']}",
                c("text", s["brand"]),
                c("text", s["campaign"]),
                s["product"],
                c("date", START + dt.timedelta(days=s["day"])),
                c("count", sale_numbers(s)[0]),
                c("money", sale_numbers(s)[1]),
            ]
            for s in data["sales"]
        ],
    )
    table(
        "posts.csv",
        ["influencer_id", "date", "brand", "reach", "likes"],
        [
            [
                f"I{p['who']}",
                c("date", START + dt.timedelta(days=p["day"])),
                p["brand"],
                c("count", p["reach"]),
                c("optional_count", p["likes"]),
            ]
            for p in data["posts"]
        ],
    )
    table(
        "payouts.csv",
        ["influencer_id", "basis", "total_payout", "gifted_products_cost"],
        [[f"I{p['who']}", p["basis"], c("money", p["total"]), c("money", p["gifted"])] for p in data["payouts"]],
    )


def load(data, cell=None, draw=None) -> Warehouse:
    folder = Path(tempfile.mkdtemp(prefix="prop-"))
    write(folder, data, *((cell, draw) if cell else ()))
    report = import_dataset(folder, folder / "wh.duckdb")
    return Warehouse(report.db_path)


MONEY = ("revenue", "refunds", "orders", "spend", "new_customers")


ZERO_ORDER_ROWS = {  # hypothesis found it: a ₹0 refund (0 orders, ₹0) made its user a new customer
    "influencers": [{"platform": "Instagram", "category": "Fitness", "follower_count": 0}],
    "sales": [
        {
            "who": 0,
            "brand": "MuscleBlaze",
            "campaign": "C1",
            "product": "Whey",
            "day": 0,
            "user": 0,
            "orders": 0,
            "revenue": 0,
            "refund": True,
        },
        # a row of 0 orders before the user's first order: the order, day 5, makes it new
        {
            "who": 0,
            "brand": "MuscleBlaze",
            "campaign": "C1",
            "product": "Whey",
            "day": 1,
            "user": 1,
            "orders": 0,
            "revenue": 300,
            "refund": False,
        },
        {
            "who": 0,
            "brand": "MuscleBlaze",
            "campaign": "C1",
            "product": "Whey",
            "day": 5,
            "user": 1,
            "orders": 1,
            "revenue": 900,
            "refund": False,
        },
    ],
    "posts": [],
    "payouts": [{"who": 0, "basis": "post", "total": 0, "gifted": 0}],
}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset)
@example(ZERO_ORDER_ROWS)
def test_no_join_multiplies_money(data):
    wh = load(data)
    k = metrics.kpis(wh)
    assert k["revenue"] == pytest.approx(sum(sale_numbers(s)[1] for s in data["sales"]))
    assert k["refunds"] == pytest.approx(sum(s["revenue"] for s in data["sales"] if s["refund"]))
    assert k["orders"] == sum(sale_numbers(s)[0] for s in data["sales"])
    assert k["spend"] == pytest.approx(sum(p["total"] + p["gifted"] for p in data["payouts"]))
    # a refund makes no one a new customer, nor does a row of 0 orders
    assert k["new_customers"] == len({s["user"] for s in data["sales"] if not s["refund"] and s["orders"] > 0})
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
@given(
    dataset,
    st.sampled_from(["platform", "category", "tier", "brand", "campaign", "product", "month"]),
    st.sampled_from(
        [Filters(), Filters(platform=["Instagram"]), Filters(start="2025-02-01"), Filters(brand=["MuscleBlaze"])]
    ),
)
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
@given(
    dataset,
    st.sampled_from(["revenue", "roas", "efficiency_score"]),
    st.integers(min_value=1, max_value=6),
    st.sampled_from([Filters(), Filters(platform=["YouTube"]), Filters(end="2025-02-15"), Filters(brand=["HKVitals"])]),
)
def test_top_influencers_are_the_top_of_the_ranking(data, metric, n, filters):
    wh = load(data)
    ranked = metrics.ranking(wh, filters)
    ranked = ranked[pd.to_numeric(ranked[metric], errors="coerce").notna()].copy()
    ranked["_v"] = pd.to_numeric(ranked[metric])
    expected = ranked.sort_values(["_v", "influencer_id"], ascending=[False, True]).head(n)
    top = metrics.top_influencers(wh, filters, metric=metric, n=n)
    assert top["influencer_id"].tolist() == expected["influencer_id"].tolist()
    for column in ("revenue", "spend", "roas", metric):
        assert [None if pd.isna(v) else pytest.approx(v) for v in top[column]] == [
            None if pd.isna(v) else v for v in expected[column]
        ], column


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    dataset,
    st.sampled_from(
        [
            Filters(),
            Filters(platform=["TikTok"]),
            Filters(start="2025-02-01", end="2025-03-15"),
            Filters(brand=["Gritzo"]),
            Filters(campaign=["C2"], product=["Whey"]),
            Filters(category=["Health"], brand=["MuscleBlaze"], start="2025-01-15"),
        ]
    ),
)
def test_spend_by_basis_adds_up_to_spend(data, filters):
    wh = load(data)
    by_basis = metrics.payouts_by_basis(wh, filters).set_index("basis")
    assert by_basis["spend"].sum() == pytest.approx(metrics.kpis(wh, filters)["spend"], abs=1e-6)
    # each basis is additive over brands too: the parts of a brand partition add up to it
    by_brand = [
        metrics.payouts_by_basis(wh, Filters(**{**filters.__dict__, "brand": (brand,)})).set_index("basis")
        for brand in BRANDS + ["Unattributed"]
        if not filters.brand or brand in filters.brand
    ]
    for basis in by_basis.index:
        assert sum(part.loc[basis, "spend"] for part in by_brand) == pytest.approx(
            by_basis.loc[basis, "spend"], abs=1e-6
        ), basis
    if filters == Filters():
        paid = {basis: sum(p["total"] for p in data["payouts"] if p["basis"] == basis) for basis in BASES}
        paid["gifted"] = sum(p["gifted"] for p in data["payouts"])
        payees = {
            basis: len({p["who"] for p in data["payouts"] if p["basis"] == basis and p["total"]}) for basis in BASES
        }
        payees["gifted"] = len({p["who"] for p in data["payouts"] if p["gifted"]})
        for basis in by_basis.index:
            assert by_basis.loc[basis, "spend"] == pytest.approx(paid.get(basis, 0)), basis
            assert by_basis.loc[basis, "influencers"] == payees.get(basis, 0), basis


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def indian(number: int) -> str:
    """1234567 → 12,34,567 (the last three digits, then groups of two)."""
    text = str(abs(number))
    head, tail = text[:-3], text[-3:]
    groups = [head[max(i - 2, 0) : i] for i in range(len(head), 0, -2)][::-1]
    return ("-" if number < 0 else "") + ",".join(groups + [tail]) if head else str(number)


def messy(kind: str, value, draw):
    """A cell that means `value`, written the way spreadsheets and exports write it."""
    if kind == "money":
        sign = "-" if value < 0 else ""
        return draw(
            st.sampled_from(
                [
                    f"{value}",
                    f"{sign}₹{abs(value):,}",
                    f"Rs. {indian(value)}",
                    f"{sign}INR {abs(value)}",
                    f" {value:,.2f} ",
                    f"{sign}₹{indian(abs(value))}.00",
                    f"({abs(value):,})" if value < 0 else f"{value}/-",
                    f"{sign}{abs(value) / 1000:g}K" if value % 1000 == 0 else f"{value:,}",
                ]
            )
        )
    if kind in ("count", "optional_count"):
        shorthands = [f"{value / 1000:g}K"] if value % 100 == 0 and value >= 1000 else []
        return draw(st.sampled_from([f"{value}", f" {value} ", f"{value:,}", indian(value)] + shorthands))
    if kind == "date":
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"  # one format per column, unambiguous
    if kind == "text":
        return draw(st.sampled_from([value, f" {value} "]))
    return value


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset, st.data())
def test_messy_cells_give_the_numbers_of_the_clean_file(data, draw):
    """Currency, grouping, shorthand, placeholders and spaces: the text path reads what the typed path reads."""
    clean = load(data)
    messy_wh = load(data, messy, draw.draw)
    assert metrics.kpis(messy_wh) == pytest.approx(metrics.kpis(clean))
    for dimension in ("platform", "brand", "campaign", "month"):
        pd.testing.assert_frame_equal(metrics.breakdown(messy_wh, dimension), metrics.breakdown(clean, dimension))
    pd.testing.assert_frame_equal(metrics.ranking(messy_wh), metrics.ranking(clean))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset, st.sampled_from(["N/A", "-", "—", "NA", "", "null"]))
def test_placeholders_read_as_missing(data, placeholder):
    """An optional count written as a placeholder is missing, as an empty cell is."""

    def hide_likes(kind, value, draw):
        return placeholder if kind == "optional_count" else value

    def blank_likes(kind, value, draw):
        return "" if kind == "optional_count" else value

    with_placeholders, blank = load(data, hide_likes), load(data, blank_likes)
    assert metrics.kpis(with_placeholders) == pytest.approx(metrics.kpis(blank))
