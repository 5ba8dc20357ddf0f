"""The filter changes an interaction run replays: varied, deterministic, taken from the data set."""

from __future__ import annotations

import datetime as dt
import random

import metrics
from metrics.filters import Filters


def filter_changes(wh, count: int = 24, seed: int = 7) -> list[Filters]:
    """`count` selections mixing platform, category, brand, campaign, product and date ranges.

    Only platform/category (influencer attributes) and brand/campaign/product/dates (sale
    attributes) are used, so the pandas baseline can compute every one of them.
    """
    options = metrics.filter_options(wh)
    first, last = metrics.date_bounds(wh)
    rng = random.Random(seed)
    platforms = [p for p in options["platform"] if p != "Unknown"] or options["platform"]
    categories = [c for c in options["category"] if c != "Unknown"] or options["category"]
    brands = [b for b in options["brand"] if b != "Unattributed"] or options["brand"]
    campaigns = [c for c in options["campaign"] if c != "Unattributed"] or options["campaign"]
    products = [p for p in options["product"] if p != "Unattributed"] or options["product"]
    first = first or dt.date(2025, 1, 1)
    last = last or first + dt.timedelta(days=364)
    span = max((last - first).days, 1)

    def pick(values, k=1):
        return tuple(rng.sample(values, min(k, len(values))))

    def window(days):
        days = min(days, span)
        start = first + dt.timedelta(days=rng.randrange(0, span - days + 1))
        return {"start": start, "end": start + dt.timedelta(days=days - 1)}

    recipes = [
        lambda: {"platform": pick(platforms)},
        lambda: {"category": pick(categories)},
        lambda: {"brand": pick(brands)},
        lambda: {"campaign": pick(campaigns)},
        lambda: window(30),
        lambda: {"platform": pick(platforms, 2)},
        lambda: {"category": pick(categories, 2)},
        lambda: {"brand": pick(brands, 2)},
        lambda: window(91),
        lambda: {"platform": pick(platforms), "brand": pick(brands)},
        lambda: {"category": pick(categories), **window(60)},
        lambda: {"brand": pick(brands), "campaign": pick(campaigns, 2), **window(120)},
        lambda: {"platform": pick(platforms), "category": pick(categories, 3)},
        lambda: {"product": pick(products)},
        lambda: {"platform": pick(platforms, 2), **window(45)},
        lambda: {"brand": pick(brands), **window(14)},
        lambda: {"category": pick(categories), "brand": pick(brands)},
        lambda: {"campaign": pick(campaigns), "platform": pick(platforms)},
        lambda: window(7),
        lambda: {"platform": pick(platforms), "category": pick(categories, 2), "brand": pick(brands), **window(180)},
        lambda: {"platform": pick(platforms, 2), "brand": pick(brands, 2)},
        lambda: {"start": first + dt.timedelta(days=span // 2)},
        lambda: {"category": pick(categories, 4), "product": pick(products, 3)},
        lambda: {},  # reset: everything
    ]
    changes = []
    while len(changes) < count:
        changes.append(Filters(**recipes[len(changes) % len(recipes)]()))
    return changes


def search_of(filters: Filters) -> str:
    query = filters.to_query_string()
    return f"?{query}" if query else ""
