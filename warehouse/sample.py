"""Deterministic, streaming sample data in the project's import format.

`generate_sample(out_dir, orders, influencers, seed, fmt)` writes five tables for one year of
HealthKart influencer marketing (MuscleBlaze, HKVitals, Gritzo, bGreen), as CSV (header, UTF-8,
LF, quotes only where needed, money with two decimals) or as Parquet with the same columns:

- influencers: who the creators are (platform, category, gender, followers, persona);
- posts: 1–12 sponsored posts per creator, more for bigger accounts;
- tracking_data: `orders` rows of attributed sales, streamed in fixed blocks so memory stays
  bounded from a hundred rows to tens of millions;
- payouts: each creator's deal, with totals computed from the terms and the generated data;
- campaigns: the named campaigns, their brand, date window and budget;
- organic_sales (optional, `organic=True`; `hkdash sample` writes it unless --no-organic): each
  brand's TOTAL daily sales, attributed or not: the tracked sales plus unattributed sales with a
  weekly and a yearly pattern, plus a planted halo (`halo` × the posts' lifted sales, negative for
  cannibalisation) on the day of each lifted sale;
- truth/lift.csv (beside the data, never imported): each post's true incremental orders and revenue;
- truth/organic_lift.csv (with organic_sales): per campaign, the true lift of the brand's total sales.

Sales dates carry a known truth for measuring incrementality (docs/incrementality.md): each
creator sells a baseline every day of the year (codes leaking to coupon sites, evergreen links),
with a weekly pattern (WEEKLY); after each post a lift adds sales that decay over the following
days (mean DECAY_DAYS), its size set by the creator, its tier and its fee, with diminishing
returns when a creator posts often. `lift=False` gives the same data set with zero true lift (every
sale is baseline). A sale's campaign is one of its brand's campaigns running on its day, weighted
by the campaigns' intensity.

Same arguments and seed give byte-identical files: every table draws from its own random stream,
and tracking_data draws one stream per block of BLOCK_ROWS rows.

The shape is meant to exercise the dashboard: sales follow a Zipf-like skew over creators (a few
drive most revenue); buyers come from a pool smaller than the row count (repeat buyers, sometimes
through different creators); every follower tier and platform appears; payouts mix text and plain
rates, include creators with two deals, creators costing nothing, poor performers and gifted
products; names, products, campaigns and captions contain commas, quotes, apostrophes and
ampersands so that CSV escaping is exercised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.sample_shopify import write_shopify_sales

YEAR = 2025
BLOCK_ROWS = 100_000  # tracking rows per random stream and per write: bounds memory

BRANDS = ("MuscleBlaze", "HKVitals", "Gritzo", "bGreen")

# (product, price in ₹) per brand, best sellers first.
PRODUCTS = {
    "MuscleBlaze": (
        ("MuscleBlaze Biozyme Performance Whey", 3299),
        ("MuscleBlaze Raw Whey Protein", 2399),
        ("MuscleBlaze Super Gainer XXL", 2149),
        ("MuscleBlaze Creatine Monohydrate", 799),
        ("MuscleBlaze Beginner's Whey Protein", 1599),
        ("MuscleBlaze Fuel One Whey Protein", 1999),
        ("MuscleBlaze PRE Workout WrathX", 1499),
        ("MuscleBlaze BCAA Pro", 1199),
        ("MuscleBlaze High Protein Oats", 449),
        ("MuscleBlaze Biozyme Iso-Zero", 4999),
    ),
    "HKVitals": (
        ("HKVitals Multivitamin", 549),
        ("HKVitals Fish Oil", 699),
        ("HKVitals Biotin", 499),
        ("HKVitals Skin Radiance Collagen", 1299),
        ("HKVitals Apple Cider Vinegar", 449),
        ("HKVitals Vitamin D3 + K2", 599),
        ("HKVitals Ashwagandha", 429),
        ("HKVitals Calcium, Magnesium & Zinc", 499),
    ),
    "Gritzo": (
        ("Gritzo SuperMilk Height+ (8-12 y)", 649),
        ("Gritzo SuperMilk Daily Nutrition", 599),
        ("Gritzo SuperMilk Young Athletes (13+ y)", 749),
        ("Gritzo SuperKids Multivitamin Gummies", 499),
        ("Gritzo Kids Protein Chocolate", 899),
        ("Gritzo Mighty Bites Protein Bar Pack", 400),
    ),
    "bGreen": (
        ("bGreen Plant Protein", 1999),
        ("bGreen Plant Protein + Superfoods", 2499),
        ("bGreen Vegan Multivitamin", 599),
        ("bGreen Plant-Based Omega 3", 899),
        ("bGreen Vegan Collagen Builder", 1299),
        ("bGreen Peanut Butter", 449),
        ("bGreen Vegan BCAA", 999),
    ),
}
PRODUCT_POPULARITY_EXPONENT = 0.7  # product k of a brand sells ∝ 1 / k^0.7

# (campaign, brand, first day, last day, sales intensity). Each brand has an always-on campaign
# covering the year, so every date can carry a sale, and seasonal pushes that sell harder.
CAMPAIGNS = (
    ("MuscleBlaze Always-On 2025", "MuscleBlaze", "01-01", "12-31", 1.0),
    ("MuscleBlaze New Year Resolution 2025", "MuscleBlaze", "01-01", "02-15", 3.0),
    ("MuscleBlaze Summer Shred 2025", "MuscleBlaze", "03-15", "06-15", 2.5),
    ("MuscleBlaze Monsoon Bulk-Up 2025", "MuscleBlaze", "07-01", "08-31", 2.0),
    ("MuscleBlaze Diwali Gains Sale 2025", "MuscleBlaze", "10-01", "11-10", 3.5),
    ("MuscleBlaze Year-End Sale 2025", "MuscleBlaze", "12-10", "12-31", 3.0),
    ("HKVitals Always-On 2025", "HKVitals", "01-01", "12-31", 1.0),
    ("HKVitals Immunity First 2025", "HKVitals", "01-01", "03-15", 2.0),
    ("HKVitals Skin & Hair Glow 2025", "HKVitals", "04-01", "06-30", 2.5),
    ("HKVitals Monsoon Immunity 2025", "HKVitals", "07-01", "09-15", 2.0),
    ("HKVitals Festive Wellness 2025", "HKVitals", "10-01", "11-15", 3.0),
    ("Gritzo Always-On 2025", "Gritzo", "01-01", "12-31", 1.0),
    ("Gritzo Back to School 2025", "Gritzo", "03-20", "06-30", 2.5),
    ("Gritzo Summer Super Kids 2025", "Gritzo", "04-15", "05-31", 2.0),
    ("Gritzo Children's Day 2025", "Gritzo", "11-01", "11-20", 3.5),
    ("bGreen Always-On 2025", "bGreen", "01-01", "12-31", 1.0),
    ("bGreen Veganuary 2025", "bGreen", "01-01", "01-31", 3.0),
    ("bGreen Plant Power Summer 2025", "bGreen", "04-01", "06-30", 2.0),
    ("bGreen World Vegan Month 2025", "bGreen", "11-01", "11-30", 3.0),
)

PLATFORMS = ("Instagram", "YouTube", "Facebook", "Twitter", "TikTok")
PLATFORM_SHARE = (0.50, 0.28, 0.10, 0.07, 0.05)
VIDEO_PLATFORMS = ("YouTube", "TikTok")  # posts there have views

# category: (share of creators, share of women, brand affinity over BRANDS, personas)
CATEGORIES = {
    "Fitness": (0.22, 0.40, (0.55, 0.25, 0.05, 0.15), ("Gym Trainer", "Athlete", "Fitness Model", "Yoga Coach")),
    "Bodybuilding": (0.12, 0.15, (0.80, 0.12, 0.02, 0.06), ("Bodybuilder", "Gym Trainer")),
    "Nutrition": (0.10, 0.55, (0.35, 0.35, 0.10, 0.20), ("Nutritionist", "Dietitian")),
    "Health": (0.10, 0.45, (0.20, 0.55, 0.10, 0.15), ("Health Coach", "Nutritionist", "Doctor")),
    "Wellness": (0.10, 0.65, (0.15, 0.50, 0.10, 0.25), ("Yoga Coach", "Wellness Coach")),
    "Lifestyle": (0.12, 0.55, (0.30, 0.40, 0.10, 0.20), ("Lifestyle Vlogger", "Travel Vlogger")),
    "Beauty": (0.08, 0.85, (0.05, 0.75, 0.05, 0.15), ("Beauty Blogger", "Skincare Expert")),
    "Parenting": (0.06, 0.80, (0.05, 0.25, 0.65, 0.05), ("Parent Blogger",)),
    "Sports": (0.06, 0.30, (0.60, 0.20, 0.10, 0.10), ("Athlete", "Cricketer", "Marathon Runner")),
    "Doctor": (0.04, 0.40, (0.20, 0.55, 0.15, 0.10), ("Doctor",)),
}
BRAND_AFFINITY = np.array([affinity for _, _, affinity, _ in CATEGORIES.values()])  # (category, brand)
PARENT_PERSONA = {"Female": "Mom Blogger", "Male": "Dad Blogger"}

MALE_NAMES = (
    "Aarav",
    "Vivaan",
    "Aditya",
    "Arjun",
    "Rohan",
    "Karan",
    "Rahul",
    "Vikram",
    "Siddharth",
    "Ishaan",
    "Kabir",
    "Aryan",
    "Sahil",
    "Nikhil",
    "Pranav",
    "Varun",
    "Harsh",
    "Yash",
    "Manish",
    "Gaurav",
    "Abhishek",
    "Ankit",
    "Deepak",
    "Sanjay",
    "Rajat",
    "Tushar",
    "Mohit",
    "Kunal",
    "Sameer",
    "Jeet",
)
FEMALE_NAMES = (
    "Ananya",
    "Diya",
    "Priya",
    "Sneha",
    "Kavya",
    "Ishita",
    "Riya",
    "Neha",
    "Pooja",
    "Shreya",
    "Aditi",
    "Meera",
    "Tanvi",
    "Nandini",
    "Sakshi",
    "Anjali",
    "Kritika",
    "Simran",
    "Aisha",
    "Varsha",
    "Divya",
    "Pallavi",
    "Radhika",
    "Swati",
    "Nisha",
    "Komal",
    "Shruti",
    "Megha",
    "Ritu",
    "Zoya",
)
SURNAMES = (
    "Sharma",
    "Verma",
    "Gupta",
    "Singh",
    "Kumar",
    "Patel",
    "Shah",
    "Mehta",
    "Iyer",
    "Nair",
    "Reddy",
    "Rao",
    "Menon",
    "Pillai",
    "Das",
    "Banerjee",
    "Chatterjee",
    "Mukherjee",
    "Bose",
    "Sen",
    "Joshi",
    "Kulkarni",
    "Deshpande",
    "Patil",
    "Chauhan",
    "Rathore",
    "Malhotra",
    "Kapoor",
    "Khanna",
    "Bhatia",
    "Sethi",
    "Arora",
    "Gill",
    "Sandhu",
    "Thapa",
    "Khan",
    "Qureshi",
    "Fernandes",
    "D'Souza",
    "Pinto",
    "Chougule",
    "Naidu",
    "Hegde",
    "Shetty",
    "Bhat",
    "Agarwal",
    "Jain",
    "Saxena",
    "Tiwari",
)
# Names with characters that need care in CSV, HTML and PDF output, with their gender.
AWKWARD_NAMES = (
    ("Rhea D'Souza & Co", "Female"),
    ('Dr. Arjun "GutDoc" Rao', "Male"),
    ("Kapoor, Neha (Official)", "Female"),
    ("Zoë Fernandes", "Female"),
)

# Followers: log-normal around 60K, then one creator forced into each tier so all five appear.
FOLLOWER_MEDIAN, FOLLOWER_LOG_SIGMA = 60_000, 1.7
TIER_BOUNDS = ((1_000, 10_000), (10_000, 50_000), (50_000, 500_000), (500_000, 1_000_000), (1_000_000, 20_000_000))

# Sales skew: creators ranked by followers (with noise) sell ∝ 1 / rank^ZIPF_EXPONENT.
ZIPF_EXPONENT = 1.25
BRAND_FROM_POSTS = 0.7  # a creator's sales follow the brands of their posts, the rest their category

# tracking source: promo codes, bio links and swipe-ups, else a platform name (mostly the
# creator's own, sometimes another one they cross-post to). Swipe-ups exist on Instagram/Facebook.
SOURCES = ("PromoCode", "BioLink", "SwipeUp") + PLATFORMS
SOURCE_KIND_SHARE = (0.45, 0.25, 0.10, 0.20)
SWIPE_UP_PLATFORMS = ("Instagram", "Facebook")
OWN_PLATFORM_SHARE = 0.7

ORDERS_PER_ROW = (1, 2, 3)
ORDERS_PER_ROW_SHARE = (0.90, 0.08, 0.02)
DISCOUNT_RANGE = (0.0, 0.2)  # revenue = price × orders × (1 − discount)
USER_POOL_SHARE = 0.45  # distinct buyers ≈ 45 % of rows at most: many buy again
USER_SKEW = 1.6  # low user numbers buy more often

# Deals. Fees are set from each creator's expected revenue and a target ROAS, so ROAS stays
# realistic at any size of data set.
BASIS_SHARE = {"post": 0.45, "order": 0.15, "commission": 0.20, "hybrid": 0.20}
TARGET_ROAS_MEDIAN, TARGET_ROAS_LOG_SIGMA = 4.0, 0.6
MIN_POST_FEE, MIN_ORDER_FEE = 500, 10
GIFTED_SHARE = 0.65  # creators who also receive products
PLAIN_RATE_SHARE = 0.4  # post and order rates written as a bare number ("437947"), else as text
# Special creators, as shares of all creators (at least one each once there are 20 creators).
NO_SALES_SHARE = 0.03  # commission deal, never sell: cost nothing
BARTER_SHARE = 0.02  # ₹0/post and no gifts: cost nothing
POOR_SHARE = 0.05  # full post fee, a twentieth of the sales they were paid for
POOR_SALES_FACTOR = 0.05
TWO_DEALS_SHARE = 0.08  # a post deal plus a separate commission deal: two payout rows

# Independent random streams, one per table (tracking_data: one per block).
STREAM_INFLUENCERS, STREAM_POSTS, STREAM_DEALS, STREAM_CAMPAIGNS, STREAM_TRACKING, STREAM_LIFT, STREAM_ORGANIC = range(
    1, 8
)

# The planted lift. A post adds, in expectation, LIFT_GAIN_DAYS days of its creator's baseline
# sales, × the creator's tier factor (smaller audiences convert better), × (fee ÷ median fee)^0.15,
# × a creator effect (log-normal), ÷ √(1 + the creator's posts in the 30 days before it)
# (diminishing returns); a lifted sale comes floor(Exponential(DECAY_DAYS)) days after the post.
WEEKLY = (0.95, 0.90, 0.90, 0.95, 1.05, 1.15, 1.10)  # Monday … Sunday, mean 1
LIFT_GAIN_DAYS = 2.5
LIFT_TIER_FACTOR = (1.4, 1.2, 1.0, 0.9, 0.8)  # nano … mega
LIFT_FEE_EXPONENT = 0.15
LIFT_CREATOR_SIGMA = 0.5
LIFT_RECENT_DAYS = 30
DECAY_DAYS = 3.0
# Organic (total) brand sales: the tracked sales plus unattributed sales of ORGANIC_MULTIPLE × the
# brand's mean tracked orders per day, × WEEKLY × a yearly cycle peaking on ORGANIC_PEAK_DAY (festive
# season), with gamma day-to-day noise (coefficient of variation 1/√ORGANIC_NOISE_SHAPE), priced at
# the brand's mean unit price less ORGANIC_DISCOUNT; plus the planted halo.
ORGANIC_MULTIPLE = 2.0
ORGANIC_YEARLY_AMPLITUDE = 0.10
ORGANIC_PEAK_DAY = 300  # day of the year (27 October)
ORGANIC_NOISE_SHAPE = 25.0
ORGANIC_DISCOUNT = 0.1
ORGANIC_HALO = 0.5  # unattributed sales the posts add, as a share of their lifted (attributed) sales
ORGANIC_TRUTH_SCHEMA = pa.schema(
    [
        ("campaign", pa.string()),
        ("brand", pa.string()),
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("halo_share", pa.float64()),
        ("true_attributed_lift_revenue", pa.float64()),
        ("true_total_lift_revenue", pa.float64()),
    ]
)
TRUTH_SCHEMA = pa.schema(
    [
        ("post_id", pa.string()),
        ("influencer_id", pa.string()),
        ("true_incremental_orders", pa.int64()),
        ("true_incremental_revenue", pa.float64()),
    ]
)

_CODED = pa.dictionary(pa.int32(), pa.string())
SCHEMAS = {
    "influencers": pa.schema(
        [
            ("influencer_id", pa.string()),
            ("name", pa.string()),
            ("platform", pa.string()),
            ("category", pa.string()),
            ("gender", pa.string()),
            ("follower_count", pa.int64()),
            ("persona", pa.string()),
        ]
    ),
    "posts": pa.schema(
        [
            ("post_id", pa.string()),
            ("influencer_id", pa.string()),
            ("platform", pa.string()),
            ("date", pa.date32()),
            ("url", pa.string()),
            ("caption", pa.string()),
            ("brand", pa.string()),
            ("reach", pa.int64()),
            ("impressions", pa.int64()),
            ("likes", pa.int64()),
            ("comments", pa.int64()),
            ("shares", pa.int64()),
            ("saves", pa.int64()),
            ("views", pa.int64()),
        ]
    ),
    # Low-cardinality columns stay dictionary-encoded in memory: no per-row strings to build.
    # Files hold plain strings (CSV text; Parquet written without the Arrow schema).
    "tracking_data": pa.schema(
        [
            ("tracking_id", pa.string()),
            ("source", _CODED),
            ("campaign", _CODED),
            ("influencer_id", _CODED),
            ("user_id", pa.string()),
            ("brand", _CODED),
            ("product", _CODED),
            ("date", pa.date32()),
            ("orders", pa.int64()),
            ("revenue", pa.float64()),
        ]
    ),
    "payouts": pa.schema(
        [
            ("influencer_id", pa.string()),
            ("basis", pa.string()),
            ("rate", pa.string()),
            ("posts", pa.int64()),
            ("orders", pa.int64()),
            ("total_payout", pa.float64()),
            ("gifted_products_cost", pa.float64()),
            ("total_cost", pa.float64()),
        ]
    ),
    "organic_sales": pa.schema(
        [
            ("date", pa.date32()),
            ("brand", pa.string()),
            ("orders", pa.int64()),
            ("revenue", pa.float64()),
        ]
    ),
    "campaigns": pa.schema(
        [
            ("campaign", pa.string()),
            ("brand", pa.string()),
            ("start_date", pa.date32()),
            ("end_date", pa.date32()),
            ("budget", pa.float64()),
        ]
    ),
}
FORMATS = ("csv", "parquet")


def generate_sample(
    out_dir,
    orders: int = 20_000,
    influencers: int | None = None,
    seed: int = 42,
    fmt: str = "csv",
    lift: bool = True,
    store: str | None = None,
    organic: bool = False,
    halo: float = ORGANIC_HALO,
    audience: bool = False,
) -> dict:
    """Write a sample data set into out_dir; returns {"files": [paths], "rows": {file name: rows},
    "truth": path of truth/lift.csv} (and "organic_truth": path of truth/organic_lift.csv with organic).

    orders is the number of tracking_data rows; influencers defaults to default_influencers(orders);
    lift=False plants zero true lift. store="shopify" writes the sales as a Shopify order export plus
    a code map instead of tracking_data (warehouse/sample_shopify.py; CSV only). organic=True adds
    organic_sales with a planted halo of `halo` × the lifted sales (−1 ≤ halo; negative:
    cannibalisation). Off by default here so that importing a sample stays quick (the organic check
    fits a model per campaign); the files and numbers of everything else are the same either way.
    audience=True adds audience_demographics and geographic_distribution and the buyer's `state` in
    tracking_data (warehouse/sample_audience.py; no state in a Shopify export), off by default for
    the same reason: the other columns and files are the same either way.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if store not in (None, "shopify") or (store and fmt != "csv"):
        raise ValueError("store must be None or 'shopify' (a CSV export)")
    if orders < 0:
        raise ValueError("orders must be 0 or more")
    if influencers is None:
        influencers = default_influencers(orders)
    if influencers < 1:
        raise ValueError("influencers must be 1 or more")
    if seed < 0:
        raise ValueError("seed must be 0 or more")
    if not -1 <= halo:
        raise ValueError("halo must be −1 or more (−1: every lifted sale displaces an unattributed one)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    catalogue = Catalogue.build()
    creators = make_creators(_rng(seed, STREAM_INFLUENCERS), influencers)
    posts = make_posts(_rng(seed, STREAM_POSTS), creators, catalogue)
    deals = make_deals(_rng(seed, STREAM_DEALS), creators, posts, catalogue, orders)
    campaigns = campaigns_table(_rng(seed, STREAM_CAMPAIGNS), catalogue, deals)
    planted = make_lift(_rng(seed, STREAM_LIFT), creators, posts, deals, lift)

    written: dict[Path, int] = {}
    for name, table in (("influencers", creators.table()), ("posts", posts.table), ("campaigns", campaigns)):
        written[write_table(out_dir, name, fmt, [table])] = table.num_rows
    audiences = _audiences(seed, creators, out_dir, fmt, written) if audience else None
    sales = SalesTotals(len(creators.ids), len(posts.owner), len(catalogue.day_cdf))
    tracked = sales
    if store == "shopify":  # payouts follow what the import attributes, not the tracked rows
        tracked = SalesTotals(len(creators.ids), len(posts.owner), len(catalogue.day_cdf))
        blocks = tracking_blocks(seed, orders, creators, catalogue, deals, tracked, posts, planted)
        written.update(write_shopify_sales(out_dir, seed, blocks, creators.ids, catalogue, sales))
        sales.lift_orders, sales.lift_revenue_paise = tracked.lift_orders, tracked.lift_revenue_paise
    else:
        blocks = tracking_blocks(seed, orders, creators, catalogue, deals, sales, posts, planted)
        schema = None
        if audiences is not None:  # the buyer's state, drawn like the creator's audience
            from warehouse.sample_audience import TRACKING_WITH_STATE, with_states

            blocks, schema = with_states(seed, blocks, audiences), TRACKING_WITH_STATE
        written[write_table(out_dir, "tracking_data", fmt, blocks, schema)] = orders
    payouts = payouts_table(creators, posts, deals, sales)
    written[write_table(out_dir, "payouts", fmt, [payouts])] = payouts.num_rows
    truth = write_truth(out_dir, posts, sales)
    result = {"truth": str(truth)}
    if organic:
        organic_sales = organic_table(_rng(seed, STREAM_ORGANIC), catalogue, tracked, halo)
        written[write_table(out_dir, "organic_sales", fmt, [organic_sales])] = organic_sales.num_rows
        result["organic_truth"] = str(write_organic_truth(out_dir, catalogue, posts, sales, halo))
    return {
        "files": [str(path) for path in written],
        "rows": {path.name: rows for path, rows in written.items()},
        **result,
    }


def _audiences(seed: int, creators: Creators, out_dir: Path, fmt: str, written: dict):
    """Write the audience files (warehouse/sample_audience.py) into `written`; the Audiences."""
    from warehouse.sample_audience import Audiences

    audiences = Audiences(seed, creators)
    for name, table in (
        ("audience_demographics", audiences.demographics()),
        ("geographic_distribution", audiences.geography()),
    ):
        written[write_table(out_dir, name, fmt, [table])] = table.num_rows
    return audiences


# The sample /data offers for download (callbacks/data.py builds it on request).
DOWNLOAD_ORDERS = 20_000
DOWNLOAD_SEED = 42


def download_text(orders: int = DOWNLOAD_ORDERS) -> str:
    """What the downloadable sample holds, from the numbers generate_sample writes (not a count of
    orders: a tracking_data row may hold several): "40 creators and 20,000 tracking_data rows"."""
    return f"{default_influencers(orders):,} creators and {orders:,} tracking_data rows"


def default_influencers(orders: int) -> int:
    """About one creator per 2,000 tracked orders, at least 40 and at most 5,000."""
    return int(min(max(round(orders / 2000), 40), 5000))


def _rng(seed: int, stream: int, block: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, stream, block])


# ---------------------------------------------------------------------------------------------
# Catalogue: brands, products and campaigns as arrays indexed by number


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """The brands' products (names, prices, popularity) and campaigns (names, brands, dates) of the sample."""

    product_names: pa.Array
    product_price: np.ndarray
    product_cdf: np.ndarray  # (brand, product slot): cumulative popularity within the brand
    product_first: np.ndarray  # per brand: index of its first product
    campaign_names: pa.Array
    campaign_brand: np.ndarray
    campaign_start: np.ndarray  # days since 1970-01-01
    campaign_days: np.ndarray
    campaign_cdf: np.ndarray  # (brand, campaign slot): cumulative share of the brand's sales
    campaign_first: np.ndarray
    brand_mean_price: np.ndarray  # expected price of one unit of each brand
    year_start: int  # days since 1970-01-01 of 1 January
    day_cdf: np.ndarray  # (day of year,): cumulative share of baseline sales (weekly pattern)
    campaign_by_day_cdf: np.ndarray  # (brand, day of year, campaign slot): campaigns running that day

    @classmethod
    def build(cls) -> Catalogue:
        """The fixed catalogue of the sample (PRODUCTS and CAMPAIGNS); no randomness."""
        product_cdf, product_first, mean_price = [], [], []
        names: list[str] = []
        prices: list[float] = []
        for brand in BRANDS:
            product_first.append(len(names))
            popularity = 1 / np.arange(1, len(PRODUCTS[brand]) + 1) ** PRODUCT_POPULARITY_EXPONENT
            popularity /= popularity.sum()
            product_cdf.append(np.cumsum(popularity))
            mean_price.append(float(popularity @ [price for _, price in PRODUCTS[brand]]))
            for name, price in PRODUCTS[brand]:
                names.append(name)
                prices.append(price)

        campaign_cdf, campaign_first = [], []
        starts = [_day_number(start) for _, _, start, _, _ in CAMPAIGNS]
        days = [_day_number(end) - _day_number(start) + 1 for _, _, start, end, _ in CAMPAIGNS]
        for brand in BRANDS:
            members = [i for i, c in enumerate(CAMPAIGNS) if c[1] == brand]
            campaign_first.append(members[0])
            weight = np.array([days[i] * CAMPAIGNS[i][4] for i in members])
            campaign_cdf.append(np.cumsum(weight / weight.sum()))
        year_start = _day_number("01-01")
        year_days = _day_number("12-31") - year_start + 1
        weekday = (np.arange(year_days) + dt.date(YEAR, 1, 1).weekday()) % 7
        by_day = []
        for brand in BRANDS:
            members = [i for i, c in enumerate(CAMPAIGNS) if c[1] == brand]
            day = np.arange(year_days)[:, None] + year_start
            running = np.array([(day[:, 0] >= starts[i]) & (day[:, 0] < starts[i] + days[i]) for i in members]).T
            weight = running * np.array([CAMPAIGNS[i][4] for i in members])[None, :]
            by_day.append(np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1))
        campaign_by_day = np.ones((len(BRANDS), year_days, max(b.shape[1] for b in by_day)))
        for b, cdf in enumerate(by_day):
            campaign_by_day[b, :, : cdf.shape[1]] = cdf
        return cls(
            product_names=pa.array(names),
            product_price=np.array(prices, dtype=np.int64),
            product_cdf=_pad_rows(product_cdf),
            product_first=np.array(product_first),
            campaign_names=pa.array([c[0] for c in CAMPAIGNS]),
            campaign_brand=np.array([BRANDS.index(c[1]) for c in CAMPAIGNS]),
            campaign_start=np.array(starts, dtype=np.int32),
            campaign_days=np.array(days, dtype=np.int32),
            campaign_cdf=_pad_rows(campaign_cdf),
            campaign_first=np.array(campaign_first),
            brand_mean_price=np.array(mean_price),
            year_start=year_start,
            day_cdf=_cdf(np.asarray(WEEKLY)[weekday]),
            campaign_by_day_cdf=campaign_by_day,
        )


def _day_number(month_day: str) -> int:
    return (dt.date.fromisoformat(f"{YEAR}-{month_day}") - dt.date(1970, 1, 1)).days


def _pad_rows(cdfs: list[np.ndarray]) -> np.ndarray:
    """Stack cumulative distributions of different lengths, padding with 1.0 (never drawn)."""
    out = np.ones((len(cdfs), max(len(c) for c in cdfs)))
    for row, cdf in enumerate(cdfs):
        out[row, : len(cdf)] = cdf
    out[:, -1] = 1.0  # guard against rounding leaving the total a hair below 1
    return out


def draw(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index drawn from each row's cumulative distribution (cdf is (n, k) or (k,)) for uniforms u."""
    if cdf.ndim == 1:
        return np.searchsorted(cdf, u, side="right").clip(max=len(cdf) - 1)
    return (u[:, None] >= cdf[:, :-1]).sum(axis=1)


# ---------------------------------------------------------------------------------------------
# Creators


@dataclasses.dataclass(frozen=True)
class Creators:
    """The sample's creators, column by column (platform and category as indices)."""

    ids: pa.Array
    names: list[str]
    platform: np.ndarray  # index into PLATFORMS
    category: np.ndarray  # index into CATEGORIES
    gender: list[str]
    followers: np.ndarray
    persona: list[str]
    sales_rank: np.ndarray  # 1 = the creator expected to sell most

    def table(self) -> pa.Table:
        """influencers.csv as an Arrow table (influencer_id, name, platform, category, gender,
        follower_count, persona)."""
        categories = list(CATEGORIES)
        return pa.table(
            {
                "influencer_id": self.ids,
                "name": self.names,
                "platform": [PLATFORMS[p] for p in self.platform],
                "category": [categories[c] for c in self.category],
                "gender": self.gender,
                "follower_count": self.followers,
                "persona": self.persona,
            },
            schema=SCHEMAS["influencers"],
        )


def make_creators(rng: np.random.Generator, n: int) -> Creators:
    """n creators: category and gender by CATEGORIES' shares, log-normal followers (every platform and
    tier present), awkward names planted, and a sales rank (followers with noise) for Zipf sales."""
    width = max(4, len(str(n)))
    ids = pa.array([f"HK{i:0{width}d}" for i in range(1, n + 1)])

    category_names = list(CATEGORIES)
    category = draw(np.cumsum([CATEGORIES[c][0] for c in category_names]), rng.random(n))
    female_share = np.array([CATEGORIES[c][1] for c in category_names])[category]
    gender = np.where(rng.random(n) < female_share, "Female", "Male").tolist()

    platform = draw(np.cumsum(PLATFORM_SHARE), rng.random(n))
    followers = np.exp(rng.normal(np.log(FOLLOWER_MEDIAN), FOLLOWER_LOG_SIGMA, n))
    followers = followers.clip(TIER_BOUNDS[0][0], TIER_BOUNDS[-1][1])
    if n >= len(PLATFORMS):
        platform[rng.permutation(n)[: len(PLATFORMS)]] = np.arange(len(PLATFORMS))
    if n >= len(TIER_BOUNDS):
        for creator, (low, high) in zip(rng.permutation(n), TIER_BOUNDS):
            followers[creator] = np.exp(rng.uniform(np.log(low), np.log(high)))
    followers = followers.astype(np.int64)

    first_names = {"Male": MALE_NAMES, "Female": FEMALE_NAMES}
    names = [f"{rng.choice(first_names[g])} {rng.choice(SURNAMES)}" for g in gender]
    for creator, (awkward, awkward_gender) in zip(rng.permutation(n), AWKWARD_NAMES):
        names[creator] = awkward
        gender[creator] = awkward_gender

    persona = []
    for c, g in zip(category, gender):
        choice = str(rng.choice(CATEGORIES[category_names[c]][3]))
        persona.append(PARENT_PERSONA[g] if choice == "Parent Blogger" else choice)

    # Bigger audiences tend to sell more, but not always: rank followers with multiplicative noise.
    appeal = np.log(followers) + rng.normal(0, 0.8, n)
    sales_rank = np.empty(n, dtype=np.int64)
    sales_rank[np.argsort(-appeal, kind="stable")] = np.arange(1, n + 1)
    return Creators(ids, names, platform, category, gender, followers, persona, sales_rank)


# ---------------------------------------------------------------------------------------------
# Posts

CAPTIONS = (
    "Fuelling my workouts with {product} 💪 Use code {code} for extra savings! #{brand} #HealthKart #ad",
    "My daily stack: {product}. Honest review, no filters. #{brand} #HealthKart #Sponsored",
    "Taste, mixability, results — {product} after 30 days. Link in bio! #{brand} #HealthKart",
    "Small habits, big results: {product}, every single day. Code {code} #{brand} #HealthKart",
    "Q&A: why I trust {product} from {brand} #{brand} #HealthKart #Collab",
)


@dataclasses.dataclass(frozen=True)
class Posts:
    """posts.csv as an Arrow table, the number of posts per creator, and each creator's brand mix."""

    table: pa.Table
    count: np.ndarray  # posts per creator
    brand_mix: np.ndarray  # (creator, brand): share of the creator's posts naming each brand
    owner: np.ndarray  # per post: creator index (posts are grouped by creator)
    day: np.ndarray  # per post: days since 1970-01-01
    brand: np.ndarray  # per post: index into BRANDS


def make_posts(rng: np.random.Generator, creators: Creators, catalogue: Catalogue) -> Posts:
    """1–12 posts per creator (more for larger accounts) with reach, impressions and engagements."""
    n = len(creators.ids)
    # 1 post for a 5K account, about 4 at 100K, 7 at 1M, up to 12.
    size = np.log10(creators.followers / 5_000).clip(min=0)
    count = np.rint(1 + 2.5 * size + rng.normal(0, 1, n)).clip(1, 12).astype(np.int64)
    owner = np.repeat(np.arange(n), count)
    number = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count) + 1

    brand = draw(np.cumsum(BRAND_AFFINITY, axis=1)[creators.category[owner]], rng.random(len(owner)))
    product = catalogue.product_first[brand] + draw(catalogue.product_cdf[brand], rng.random(len(owner)))
    campaign = catalogue.campaign_first[brand] + draw(catalogue.campaign_cdf[brand], rng.random(len(owner)))
    day = catalogue.campaign_start[campaign] + (rng.random(len(owner)) * catalogue.campaign_days[campaign]).astype(
        np.int32
    )

    followers = creators.followers[owner]
    reach = (followers * np.exp(rng.normal(np.log(0.25), 0.5, len(owner)))).clip(50, 3 * followers).astype(np.int64)
    impressions = (reach * rng.uniform(1.2, 2.5, len(owner))).astype(np.int64)
    # Engagement rate falls with audience size (about 6 % at 10K followers, 3 % at 1M).
    engagement = 0.06 * (followers / 10_000) ** -0.15 * np.exp(rng.normal(0, 0.35, len(owner)))
    likes = (reach * engagement * 0.85).astype(np.int64)
    comments = (likes * rng.uniform(0.01, 0.05, len(owner))).astype(np.int64)
    shares = (likes * rng.uniform(0.01, 0.08, len(owner))).astype(np.int64)
    saves = (likes * rng.uniform(0.02, 0.12, len(owner))).astype(np.int64)
    is_video = np.isin(creators.platform[owner], [PLATFORMS.index(p) for p in VIDEO_PLATFORMS])
    views = pa.array((reach * rng.uniform(0.6, 1.5, len(owner))).astype(np.int64), mask=~is_video)

    ids = creators.ids.to_pylist()
    handles = [_handle(name) for name in creators.names]
    codes = [f"{_handle(name)[:8].upper()}{10 + 5 * (i % 3)}" for i, name in enumerate(creators.names)]
    product_names = catalogue.product_names.to_pylist()
    captions = rng.integers(len(CAPTIONS), size=len(owner))
    url_ids = rng.integers(0, 2**62, size=len(owner))
    table = pa.table(
        {
            "post_id": [f"POST_{ids[o]}_{k:02d}" for o, k in zip(owner, number)],
            "influencer_id": creators.ids.take(pa.array(owner)),
            "platform": [PLATFORMS[creators.platform[o]] for o in owner],
            "date": pa.array(day, pa.date32()),
            "url": [_post_url(PLATFORMS[creators.platform[o]], handles[o], int(u)) for o, u in zip(owner, url_ids)],
            "caption": [
                CAPTIONS[t].format(product=product_names[p], brand=BRANDS[b], code=codes[o])
                for t, p, b, o in zip(captions, product, brand, owner)
            ],
            "brand": [BRANDS[b] for b in brand],
            "reach": reach,
            "impressions": impressions,
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "saves": saves,
            "views": views,
        },
        schema=SCHEMAS["posts"],
    )

    brand_mix = np.zeros((n, len(BRANDS)))
    np.add.at(brand_mix, (owner, brand), 1)
    return Posts(table, count, brand_mix / count[:, None], owner, day, brand)


def _handle(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())


def _post_url(platform: str, handle: str, number: int) -> str:
    code = _shortcode(number, 11)
    return {
        "Instagram": f"https://www.instagram.com/p/{code}/",
        "YouTube": f"https://www.youtube.com/watch?v={code}",
        "Facebook": f"https://www.facebook.com/{handle}/posts/{number % 10**15}",
        "Twitter": f"https://x.com/{handle}/status/{number}",
        "TikTok": f"https://www.tiktok.com/@{handle}/video/{number}",
    }[platform]


def _shortcode(number: int, length: int) -> str:
    """Instagram/YouTube-style id: `length` base64url digits of number."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(alphabet[(number >> (6 * i)) & 63] for i in range(length))


# ---------------------------------------------------------------------------------------------
# Deals: what each creator is paid, and who sells how much


@dataclasses.dataclass(frozen=True)
class Deals:
    """One payout deal per creator (some have two): basis, rates (₹ per post, ₹ per order, %
    commission), gifted cost and how the rate is written."""

    basis: list[str]
    post_fee: np.ndarray  # ₹ per post (post, hybrid and the first row of two-deal creators)
    order_fee: np.ndarray  # ₹ per tracked order (order basis)
    commission_pct: np.ndarray  # % of tracked revenue (commission, hybrid, second row of two deals)
    two_deals: np.ndarray  # bool: a post deal row and a commission deal row
    gifted_cost: np.ndarray
    plain_rate: np.ndarray  # bool: rate written as a bare number (post and order bases only)
    sales_cdf: np.ndarray  # cumulative share of tracked rows per creator
    brand_cdf: np.ndarray  # (creator, brand): cumulative brand mix of the creator's sales
    expected_spend: float


def make_deals(rng: np.random.Generator, creators: Creators, posts: Posts, catalogue: Catalogue, orders: int) -> Deals:
    """The creators' payout deals: a basis each (some with no sales, poor sellers, barter or two deals),
    rates set from each creator's expected revenue and a log-normal target ROAS, gifted products."""
    n = len(creators.ids)
    zipf_weight = 1.0 / creators.sales_rank**ZIPF_EXPONENT
    brand_mix = BRAND_FROM_POSTS * posts.brand_mix + (1 - BRAND_FROM_POSTS) * BRAND_AFFINITY[creators.category]

    # Creators who sell little or nothing come from outside the top tenth of the sales ranking,
    # so the few creators expected to drive most revenue still do.
    no_sales_count, poor_count = _special_count(NO_SALES_SHARE, n), _special_count(POOR_SHARE, n)
    tail = rng.permutation(np.flatnonzero(creators.sales_rank > n / 10))
    no_sales, poor = tail[:no_sales_count], tail[no_sales_count : no_sales_count + poor_count]
    others = rng.permutation(np.setdiff1d(np.arange(n), tail[: no_sales_count + poor_count]))
    barter_count, two_count = _special_count(BARTER_SHARE, n), _special_count(TWO_DEALS_SHARE, n)
    barter, two = others[:barter_count], others[barter_count : barter_count + two_count]

    basis = np.array(list(BASIS_SHARE))[draw(np.cumsum(list(BASIS_SHARE.values())), rng.random(n))]
    basis[no_sales] = "commission"
    basis[np.concatenate([barter, poor, two])] = "post"

    # Expected sales, as they would be without penalties: what the fee was negotiated on.
    mean_order_value = brand_mix @ catalogue.brand_mean_price * (1 - np.mean(DISCOUNT_RANGE))
    mean_orders_per_row = float(np.dot(ORDERS_PER_ROW, ORDERS_PER_ROW_SHARE))
    expected_revenue = orders * zipf_weight / zipf_weight.sum() * mean_orders_per_row * mean_order_value
    target_roas = np.exp(rng.normal(np.log(TARGET_ROAS_MEDIAN), TARGET_ROAS_LOG_SIGMA, n))
    post_fee = np.maximum(MIN_POST_FEE, np.rint(expected_revenue / target_roas / posts.count))
    order_fee = np.maximum(MIN_ORDER_FEE, np.rint(mean_order_value / target_roas))
    # Commission-only creators carry the risk, so they get a ROAS target 1.5 times higher.
    commission_pct = np.round(100 / (1.5 * target_roas), 1).clip(2.0, 25.0)

    # A hybrid deal pays half of each part; two deals pay 60 % of the post fee and 40 % of the commission.
    hybrid = basis == "hybrid"
    post_fee[hybrid] = np.rint(post_fee[hybrid] / 2)
    commission_pct[hybrid] = np.round(commission_pct[hybrid] / 2, 1).clip(min=1.0)
    post_fee[two] = np.rint(post_fee[two] * 0.6)
    commission_pct[two] = np.round(commission_pct[two] * 0.4, 1).clip(min=1.0)
    post_fee[barter] = 0

    sales_weight = zipf_weight.copy()
    sales_weight[no_sales] = 0
    sales_weight[poor] *= POOR_SALES_FACTOR
    two_deals = np.zeros(n, dtype=bool)
    two_deals[two] = True

    can_be_gifted = np.setdiff1d(np.arange(n), np.concatenate([no_sales, barter]))
    gifted = np.zeros(n, dtype=bool)
    gifted[rng.permutation(can_be_gifted)[: round(GIFTED_SHARE * n)]] = True
    gifted_cost = np.where(gifted, np.round(posts.count * rng.uniform(800, 3000, n), 2), 0.0)
    plain_rate = rng.random(n) < PLAIN_RATE_SHARE

    expected_spend = float(
        np.sum(
            np.select(
                [basis == "post", basis == "order", basis == "commission"],
                [
                    post_fee * posts.count,
                    order_fee * expected_revenue / mean_order_value,
                    commission_pct / 100 * expected_revenue,
                ],
                post_fee * posts.count + commission_pct / 100 * expected_revenue,
            )
        )
        + np.sum(commission_pct[two] / 100 * expected_revenue[two])
        + gifted_cost.sum()
    )
    return Deals(
        basis=basis.tolist(),
        post_fee=post_fee,
        order_fee=order_fee,
        commission_pct=commission_pct,
        two_deals=two_deals,
        gifted_cost=gifted_cost,
        plain_rate=plain_rate,
        sales_cdf=_cdf(sales_weight),
        brand_cdf=np.cumsum(brand_mix, axis=1),
        expected_spend=expected_spend,
    )


def _special_count(share: float, creators: int) -> int:
    return max(1, round(share * creators)) if creators >= 20 else 0


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    return cdf


def campaigns_table(rng: np.random.Generator, catalogue: Catalogue, deals: Deals) -> pa.Table:
    """Budgets: the expected spend shared by each campaign's expected sales, −20 % to +30 %."""
    brand_share = np.diff(deals.sales_cdf, prepend=0) @ np.diff(deals.brand_cdf, axis=1, prepend=0)
    within_brand = np.diff(catalogue.campaign_cdf, axis=1, prepend=0)
    slot = np.arange(len(CAMPAIGNS)) - catalogue.campaign_first[catalogue.campaign_brand]
    share = brand_share[catalogue.campaign_brand] * within_brand[catalogue.campaign_brand, slot]
    budget = np.maximum(50_000, np.round(deals.expected_spend * share * rng.uniform(0.8, 1.3, len(CAMPAIGNS)), -4))
    return pa.table(
        {
            "campaign": catalogue.campaign_names,
            "brand": [BRANDS[b] for b in catalogue.campaign_brand],
            "start_date": pa.array(catalogue.campaign_start, pa.date32()),
            "end_date": pa.array(catalogue.campaign_start + catalogue.campaign_days - 1, pa.date32()),
            "budget": budget,
        },
        schema=SCHEMAS["campaigns"],
    )


# ---------------------------------------------------------------------------------------------
# The planted lift


@dataclasses.dataclass(frozen=True)
class PlantedLift:
    """The lift the generator plants: per creator the share of tracked rows its posts caused, and how a
    lifted row picks its post."""

    share: np.ndarray  # per creator: share of its tracked rows that the posts caused
    post_key: np.ndarray  # per post: creator index + cumulative share of the creator's lift (draws a post)


def make_lift(rng: np.random.Generator, creators: Creators, posts: Posts, deals: Deals, lift: bool) -> PlantedLift:
    """Each post's expected lift in days of its creator's baseline, and the resulting lift share."""
    n = len(creators.ids)
    tier = np.searchsorted([low for low, _ in TIER_BOUNDS[1:]], creators.followers, side="right")
    fee = np.maximum(deals.post_fee, MIN_POST_FEE)
    fee_factor = (fee / np.median(fee)) ** LIFT_FEE_EXPONENT
    creator_effect = np.exp(rng.normal(0, LIFT_CREATOR_SIGMA, n))
    recent = _recent_posts(posts.owner, posts.day)
    gain = (LIFT_GAIN_DAYS * np.asarray(LIFT_TIER_FACTOR)[tier] * fee_factor * creator_effect)[posts.owner]
    gain = gain / np.sqrt(1 + recent) if lift else np.zeros(len(posts.owner))
    total_gain = np.bincount(posts.owner, weights=gain, minlength=n)
    year_days = _day_number("12-31") - _day_number("01-01") + 1
    share = total_gain / (year_days + total_gain)
    within = np.cumsum(gain) - np.repeat(np.cumsum(total_gain) - total_gain, posts.count)
    with np.errstate(invalid="ignore", divide="ignore"):
        post_key = posts.owner + np.where(total_gain[posts.owner] > 0, within / total_gain[posts.owner], 1.0)
    return PlantedLift(share=share, post_key=post_key)


def _recent_posts(owner: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Per post: the creator's other posts in the LIFT_RECENT_DAYS days before its day."""
    key = owner.astype(np.int64) * 1_000_000 + day  # days since 1970 stay far below a million
    ordered = np.sort(key)
    return (
        np.searchsorted(ordered, key, side="left") - np.searchsorted(ordered, key - LIFT_RECENT_DAYS, side="left")
    ).astype(float)


# ---------------------------------------------------------------------------------------------
# Tracked sales, streamed block by block


class SalesTotals:
    """Per-creator orders and revenue, and per-post lifted orders and revenue (the truth), summed
    while the blocks stream past (payouts and truth/lift.csv need them)."""

    def __init__(self, creators: int, posts: int = 0, days: int = 0):
        self.orders = np.zeros(creators, dtype=np.int64)
        self.revenue_paise = np.zeros(creators, dtype=np.int64)  # integers: exact at any size
        self.lift_orders = np.zeros(posts, dtype=np.int64)
        self.lift_revenue_paise = np.zeros(posts, dtype=np.int64)
        # (brand, day of the year): all tracked and lifted sales, for the organic (total) sales
        self.brand_day_orders = np.zeros((len(BRANDS), days), dtype=np.int64)
        self.brand_day_revenue_paise = np.zeros((len(BRANDS), days), dtype=np.int64)
        self.lift_brand_day_orders = np.zeros((len(BRANDS), days), dtype=np.int64)
        self.lift_brand_day_revenue_paise = np.zeros((len(BRANDS), days), dtype=np.int64)

    def add(self, creator: np.ndarray, orders: np.ndarray, revenue_paise: np.ndarray) -> None:
        """Add one block of sales (creator index, orders, revenue in paise) to the totals."""
        size = len(self.orders)
        self.orders += np.bincount(creator, weights=orders, minlength=size).astype(np.int64)
        self.revenue_paise += np.bincount(creator, weights=revenue_paise, minlength=size).astype(np.int64)

    def add_lift(self, post: np.ndarray, orders: np.ndarray, revenue_paise: np.ndarray) -> None:
        """Add one block's lifted sales (post index, orders, revenue in paise) to the truth per post."""
        size = len(self.lift_orders)
        self.lift_orders += np.bincount(post, weights=orders, minlength=size).astype(np.int64)
        self.lift_revenue_paise += np.bincount(post, weights=revenue_paise, minlength=size).astype(np.int64)

    def add_brand_days(
        self, brand: np.ndarray, day: np.ndarray, lifted: np.ndarray, orders: np.ndarray, revenue_paise: np.ndarray
    ) -> None:
        """Add one block's sales (brand index, day of the year, lifted or not) to the brand × day totals."""
        if not self.brand_day_orders.shape[1]:
            return
        for target, weights in ((self.brand_day_orders, orders), (self.brand_day_revenue_paise, revenue_paise)):
            np.add.at(target, (brand, day), weights)
        for target, weights in (
            (self.lift_brand_day_orders, orders[lifted]),
            (self.lift_brand_day_revenue_paise, revenue_paise[lifted]),
        ):
            np.add.at(target, (brand[lifted], day[lifted]), weights)

    @property
    def revenue(self) -> np.ndarray:
        """Revenue per creator in ₹."""
        return self.revenue_paise / 100


def tracking_blocks(
    seed: int,
    rows: int,
    creators: Creators,
    catalogue: Catalogue,
    deals: Deals,
    sales: SalesTotals,
    posts: Posts,
    planted: PlantedLift,
):
    """Yield tracking_data tables of up to BLOCK_ROWS rows each, adding them into sales."""
    id_width = max(8, len(str(rows)))
    user_pool = max(1, int(rows * USER_POOL_SHARE))
    user_width = max(6, len(str(user_pool)))
    sources = pa.array(SOURCES)
    brands = pa.array(BRANDS)
    platform_kind = SOURCES.index(PLATFORMS[0])  # platform p is SOURCES[platform_kind + p]
    swipe_up, swipe_up_platforms = SOURCES.index("SwipeUp"), [PLATFORMS.index(p) for p in SWIPE_UP_PLATFORMS]
    for block, first in enumerate(range(0, rows, BLOCK_ROWS)):
        n = min(BLOCK_ROWS, rows - first)
        rng = _rng(seed, STREAM_TRACKING, block)

        creator = draw(deals.sales_cdf, rng.random(n))
        brand = draw(deals.brand_cdf[creator], rng.random(n))
        day_of_year = draw(catalogue.day_cdf, rng.random(n))
        lifted, post, day_of_year = _lifted(rng, creator, day_of_year, posts, planted, catalogue)
        brand = np.where(lifted, posts.brand[post], brand)
        product = catalogue.product_first[brand] + draw(catalogue.product_cdf[brand], rng.random(n))
        slot = draw(catalogue.campaign_by_day_cdf[brand, day_of_year], rng.random(n))
        campaign = catalogue.campaign_first[brand] + slot
        day = (catalogue.year_start + day_of_year).astype(np.int32)

        platform = creators.platform[creator]
        kind = draw(np.cumsum(SOURCE_KIND_SHARE), rng.random(n))  # the first SOURCES, or a platform name
        named_platform = np.where(rng.random(n) < OWN_PLATFORM_SHARE, platform, rng.integers(len(PLATFORMS), size=n))
        source = np.where(kind == platform_kind, platform_kind + named_platform, kind)
        source[(source == swipe_up) & ~np.isin(platform, swipe_up_platforms)] = SOURCES.index("BioLink")

        # Raising a uniform to a power > 1 crowds draws to low user numbers: frequent buyers.
        user = (user_pool * rng.random(n) ** USER_SKEW).astype(np.int64) + 1
        order_count = np.asarray(ORDERS_PER_ROW)[draw(np.cumsum(ORDERS_PER_ROW_SHARE), rng.random(n))]
        discount = rng.uniform(*DISCOUNT_RANGE, n)
        revenue_paise = np.rint(catalogue.product_price[product] * order_count * (1 - discount) * 100).astype(np.int64)
        sales.add(creator, order_count, revenue_paise)
        sales.add_lift(post[lifted], order_count[lifted], revenue_paise[lifted])
        sales.add_brand_days(brand, day_of_year, lifted, order_count, revenue_paise)

        yield pa.table(
            {
                "tracking_id": _numbered("TRK", np.arange(first + 1, first + n + 1), id_width),
                "source": _coded(source, sources),
                "campaign": _coded(campaign, catalogue.campaign_names),
                "influencer_id": _coded(creator, creators.ids),
                "user_id": _numbered("U", user, user_width),
                "brand": _coded(brand, brands),
                "product": _coded(product, catalogue.product_names),
                "date": pa.array(day, pa.date32()),
                "orders": order_count,
                "revenue": revenue_paise / 100,  # integer paise / 100: the double nearest the 2-decimal amount
            },
            schema=SCHEMAS["tracking_data"],
        )


def _lifted(
    rng: np.random.Generator,
    creator: np.ndarray,
    day_of_year: np.ndarray,
    posts: Posts,
    planted: PlantedLift,
    catalogue: Catalogue,
):
    """Which rows the posts caused, the post that caused each (valid where lifted) and the rows'
    day of the year (a lifted row: its post's day + a decaying lag, folded to stay in the year)."""
    n = len(creator)
    lifted = rng.random(n) < planted.share[creator]
    post = np.searchsorted(planted.post_key, creator + rng.random(n), side="right").clip(max=len(planted.post_key) - 1)
    lag = np.floor(rng.exponential(DECAY_DAYS, n)).astype(np.int64)
    post_day = posts.day[post] - catalogue.year_start if len(posts.day) else np.zeros(n, dtype=np.int64)
    room = len(catalogue.day_cdf) - post_day
    lifted_day = post_day + lag % np.maximum(room, 1)
    return lifted, post, np.where(lifted, lifted_day, day_of_year)


def write_truth(out_dir: Path, posts: Posts, sales: SalesTotals) -> Path:
    """truth/lift.csv: post_id, influencer_id, true incremental orders and revenue (₹) of each post."""
    folder = out_dir / "truth"
    folder.mkdir(exist_ok=True)
    table = pa.table(
        {
            "post_id": posts.table["post_id"],
            "influencer_id": posts.table["influencer_id"],
            "true_incremental_orders": sales.lift_orders,
            "true_incremental_revenue": sales.lift_revenue_paise / 100,
        },
        schema=TRUTH_SCHEMA,
    )
    path = folder / "lift.csv"
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as out:
        out.write((",".join(TRUTH_SCHEMA.names) + "\n").encode())
        out.write(csv_bytes(table))
    os.replace(partial, path)
    return path


def organic_table(rng: np.random.Generator, catalogue: Catalogue, sales: SalesTotals, halo: float) -> pa.Table:
    """organic_sales: per brand and day of the year, the tracked sales plus unattributed sales (a
    weekly and a yearly pattern, gamma noise) plus `halo` × the day's lifted sales of the brand."""
    days = sales.brand_day_orders.shape[1]
    day = np.arange(days)
    weekday = (day + dt.date(YEAR, 1, 1).weekday()) % 7
    pattern = np.asarray(WEEKLY)[weekday] * (
        1 + ORGANIC_YEARLY_AMPLITUDE * np.cos(2 * np.pi * (day - ORGANIC_PEAK_DAY) / days)
    )
    mean_orders = np.maximum(sales.brand_day_orders.mean(axis=1), 1.0)
    expected = ORGANIC_MULTIPLE * mean_orders[:, None] * pattern[None, :]
    base_orders = rng.poisson(rng.gamma(ORGANIC_NOISE_SHAPE, expected / ORGANIC_NOISE_SHAPE))
    price_paise = catalogue.brand_mean_price[:, None] * (1 - ORGANIC_DISCOUNT) * 100
    halo_orders = np.rint(halo * sales.lift_brand_day_orders).astype(np.int64)
    halo_paise = np.rint(halo * sales.lift_brand_day_revenue_paise).astype(np.int64)
    orders = sales.brand_day_orders + np.maximum(base_orders + halo_orders, 0)
    revenue_paise = sales.brand_day_revenue_paise + np.maximum(np.rint(base_orders * price_paise) + halo_paise, 0)
    brand = np.repeat(np.arange(len(BRANDS)), days)
    return pa.table(
        {
            "date": pa.array(np.tile(catalogue.year_start + day, len(BRANDS)).astype(np.int32), pa.date32()),
            "brand": pa.array(BRANDS).take(pa.array(brand)),
            "orders": orders.ravel(),
            "revenue": revenue_paise.ravel() / 100,
        },
        schema=SCHEMAS["organic_sales"],
    )


def write_organic_truth(out_dir: Path, catalogue: Catalogue, posts: Posts, sales: SalesTotals, halo: float) -> Path:
    """truth/organic_lift.csv: per campaign, the lifted sales of its brand's posts dated inside it (₹,
    all their lifted days) and the true lift of the brand's total sales, (1 + halo) × that."""
    start = catalogue.campaign_start
    end = start + catalogue.campaign_days - 1
    inside = (
        (posts.brand[None, :] == catalogue.campaign_brand[:, None])
        & (posts.day[None, :] >= start[:, None])
        & (posts.day[None, :] <= end[:, None])
    )
    attributed = inside @ (sales.lift_revenue_paise / 100)
    table = pa.table(
        {
            "campaign": catalogue.campaign_names,
            "brand": pa.array(BRANDS).take(pa.array(catalogue.campaign_brand)),
            "start_date": pa.array(start, pa.date32()),
            "end_date": pa.array(end, pa.date32()),
            "halo_share": np.full(len(start), float(halo)),
            "true_attributed_lift_revenue": np.round(attributed, 2),
            "true_total_lift_revenue": np.round((1 + halo) * attributed, 2),
        },
        schema=ORGANIC_TRUTH_SCHEMA,
    )
    path = out_dir / "truth" / "organic_lift.csv"
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as out:
        out.write((",".join(ORGANIC_TRUTH_SCHEMA.names) + "\n").encode())
        out.write(csv_bytes(table))
    os.replace(partial, path)
    return path


def _coded(indices: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), values)


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + number zero-padded to width, as fixed-width ASCII built by numpy arithmetic."""
    places = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    text = np.empty((len(numbers), len(prefix) + width), dtype=np.uint8)
    text[:, : len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    text[:, len(prefix) :] = ord("0") + numbers[:, None] // places % 10
    offsets = np.arange(0, text.size + 1, text.shape[1], dtype=np.int32)
    return pa.StringArray.from_buffers(len(numbers), pa.py_buffer(offsets), pa.py_buffer(text))


# ---------------------------------------------------------------------------------------------
# Payouts: the deal terms applied to what was generated


def payouts_table(creators: Creators, posts: Posts, deals: Deals, sales: SalesTotals) -> pa.Table:
    """One row per deal. Each row's posts and orders are the creator's totals: the base its terms apply to."""
    rows = []
    for i, creator_id in enumerate(creators.ids.to_pylist()):
        fee, per_order, pct = int(deals.post_fee[i]), int(deals.order_fee[i]), float(deals.commission_pct[i])
        n_posts, n_orders, revenue = int(posts.count[i]), int(sales.orders[i]), float(sales.revenue[i])
        basis = deals.basis[i]
        payout: float
        if basis == "post":
            rate, payout = (str(fee) if deals.plain_rate[i] else f"₹{fee:,}/post"), fee * n_posts
        elif basis == "order":
            rate, payout = (str(per_order) if deals.plain_rate[i] else f"₹{per_order:,}/order"), per_order * n_orders
        elif basis == "commission":
            rate, payout = f"{pct:.1f}% commission", pct / 100 * revenue
        else:
            rate, payout = f"₹{fee:,}/post + {pct:.1f}%", fee * n_posts + pct / 100 * revenue
        rows.append((creator_id, basis, rate, n_posts, n_orders, payout, float(deals.gifted_cost[i])))
        if deals.two_deals[i]:
            rows.append(
                (creator_id, "commission", f"{pct:.1f}% commission", n_posts, n_orders, pct / 100 * revenue, 0.0)
            )

    columns = list(zip(*rows))
    total_payout = np.round(np.array(columns[5], dtype=np.float64), 2)
    gifted = np.array(columns[6], dtype=np.float64)
    return pa.table(
        {
            "influencer_id": columns[0],
            "basis": columns[1],
            "rate": columns[2],
            "posts": columns[3],
            "orders": columns[4],
            "total_payout": total_payout,
            "gifted_products_cost": gifted,
            "total_cost": np.round(total_payout + gifted, 2),
        },
        schema=SCHEMAS["payouts"],
    )


# ---------------------------------------------------------------------------------------------
# Writing: CSV (header, UTF-8, LF, quotes only where needed, money with 2 decimals) or Parquet


def write_table(out_dir: Path, name: str, fmt: str, tables, schema: pa.Schema | None = None) -> Path:
    """Write an iterable of tables as one file (columns `schema`, default SCHEMAS[name]), under a
    temporary name until it is complete."""
    path = out_dir / f"{name}.{fmt}"
    partial = path.with_name(path.name + ".partial")
    schema = schema or SCHEMAS[name]
    try:
        if fmt == "csv":
            with open(partial, "wb") as out:
                out.write((",".join(schema.names) + "\n").encode())
                for table in tables:
                    out.write(csv_bytes(table))
        else:
            with pq.ParquetWriter(partial, schema, compression="zstd", store_schema=False) as writer:
                for table in tables:
                    writer.write_table(table)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def csv_bytes(table: pa.Table) -> pa.Buffer:
    """The table's rows as CSV text, built column-wise in Arrow (no Python loop over rows)."""
    if table.num_rows == 0:
        return pa.py_buffer(b"")
    cells = [_csv_cells(column.combine_chunks()) for column in table.columns]
    lines = pc.binary_join_element_wise(*cells, ",")
    return _text_of(pc.binary_join_element_wise(lines, "\n", ""))


def _csv_cells(column: pa.Array) -> pa.Array:
    if pa.types.is_floating(column.type):  # money: always two decimals, never an exponent
        paise = pc.cast(pc.round(pc.multiply(column, 100)), pa.int64())
        rupees = pc.divide(paise, 100)  # integer division: amounts are never negative
        fraction = pc.subtract(paise, pc.multiply(rupees, 100))
        cells = pc.binary_join_element_wise(
            pc.cast(rupees, pa.string()), pc.utf8_lpad(pc.cast(fraction, pa.string()), 2, "0"), "."
        )
    elif pa.types.is_dictionary(column.type):  # escape each distinct value once
        cells = _csv_cells(column.dictionary).take(column.indices)
    elif pa.types.is_string(column.type):
        cells = column
        if _has_csv_special(column):
            needs_quotes = pc.match_substring_regex(column, r'[",\r\n]')
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
            cells = pc.if_else(needs_quotes, quoted, column)
    else:  # integers and dates (ISO)
        cells = pc.cast(column, pa.string())
    return pc.fill_null(cells, "")


def _has_csv_special(column: pa.StringArray) -> bool:
    """Whether any value holds a quote, comma or line break: one scan of the raw text."""
    text = _text_of(column).to_pybytes()
    return any(special in text for special in (b'"', b",", b"\n", b"\r"))


def _text_of(strings: pa.StringArray) -> pa.Buffer:
    """All values of a string array back to back: Arrow already keeps them so in one buffer."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32, count=len(strings) + 1, offset=4 * strings.offset)
    text = strings.buffers()[2]
    if text is None:
        return pa.py_buffer(b"")
    return text.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
