"""SQL for a selection: which fact table answers it, and the WHERE clause of its filters.

Every aggregate is a SUM over cells of an additive fact table joined 1:1 to `influencers`, so no
join can multiply a cost or a revenue. The smallest rollup that has the dimensions a query needs
answers it (docs/architecture.md lists them).
"""

from __future__ import annotations

from metrics import catalogue
from metrics.filters import Filters
from metrics.settings import Settings

SALE_COLUMNS = ("brand", "campaign", "product")
# Rollups smallest first, with the sale dimensions each one keeps.
ROLLUPS = (
    ("facts_influencer", ()),
    ("facts_day", ("date",)),
    ("facts_day_brand", ("date", "brand")),
    ("facts_day_campaign", ("date", "brand", "campaign")),
    ("facts_day_product", ("date", "brand", "product")),
    ("facts", ("date",) + SALE_COLUMNS),
)
TIME_GROUPS = catalogue.TIME_GROUPS
INFLUENCER_GROUPS = ("platform", "category", "tier", "gender", "persona", "influencer_id")
SALE_GROUPS = ("brand", "campaign", "product", "source", *TIME_GROUPS)
GROUPS = INFLUENCER_GROUPS + SALE_GROUPS


tier_sql = catalogue.tier_sql


def group_sql(group: str, settings: Settings) -> str:
    """SQL expression of a grouping dimension over `f` (facts) joined with `i` (influencers)."""
    expressions = {
        "platform": "i.platform",
        "category": "i.category",
        "tier": tier_sql(settings),
        "gender": "COALESCE(i.gender, 'Unknown')",
        "persona": "COALESCE(i.persona, 'Unknown')",
        "influencer_id": "i.influencer_id",
        "brand": "f.brand",
        "campaign": "f.campaign",
        "product": "f.product",
        "source": "f.source",
        **catalogue.TIME_GRAINS,
    }
    if group not in expressions:
        raise ValueError(f"unknown breakdown {group!r}; choose from {', '.join(GROUPS)}")
    return expressions[group]


def fact_table(filters: Filters, groups: tuple[str, ...] = ()) -> str:
    """The smallest fact table with every dimension (date, brand, campaign, product) the filters
    and groups use: with no date or sale dimension, the one-row-per-influencer rollup."""
    if "source" in groups:
        return "facts"  # only the finest table keeps the tracking source
    needed = {column for column in SALE_COLUMNS if getattr(filters, column) or column in groups}
    if filters.start or filters.end or any(group in TIME_GROUPS for group in groups):
        needed.add("date")
    for table, columns in ROLLUPS:
        if needed <= set(columns):
            return table
    raise AssertionError("facts holds every sale dimension")


def influencer_conditions(filters: Filters, settings: Settings, alias: str = "i") -> tuple[list[str], list]:
    """Influencer-attribute filters (platform, category, tier) on influencers `alias`: (conditions, params)."""
    conditions, params = [], []
    for column, expression in (
        ("platform", f"{alias}.platform"),
        ("category", f"{alias}.category"),
        ("tier", tier_sql(settings, alias)),
    ):
        values = getattr(filters, column)
        if values:
            conditions.append(f"{expression} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return conditions, params


def fact_conditions(filters: Filters, alias: str = "f") -> tuple[list[str], list]:
    """Sale-attribute filters on a fact table. Undated cells fall outside any date range."""
    conditions, params = [], []
    for column in SALE_COLUMNS:
        values = getattr(filters, column)
        if values:
            conditions.append(f"{alias}.{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return _with_date_range(conditions, params, filters, alias)


def post_conditions(filters: Filters, alias: str = "p") -> tuple[list[str], list]:
    """Filters apply to posts through the attributes posts carry: date, and brand where named.

    A post that names no brand stays in under a brand filter (its cost follows the sales mix);
    posts carry no campaign or product, so those filters leave posts as they are.
    """
    conditions: list[str] = []
    params: list = []
    if filters.brand:
        conditions.append(f"({alias}.brand IS NULL OR {alias}.brand IN ({', '.join('?' * len(filters.brand))}))")
        params.extend(filters.brand)
    return _with_date_range(conditions, params, filters, alias)


def _with_date_range(conditions: list[str], params: list, filters: Filters, alias: str) -> tuple[list[str], list]:
    """Add the date range; rows without a date fall outside any range (NULL compares false)."""
    if filters.start:
        conditions.append(f"{alias}.date >= ?")
        params.append(filters.start)
    if filters.end:
        conditions.append(f"{alias}.date <= ?")
        params.append(filters.end)
    return conditions, params


def where(*parts: tuple[list[str], list]) -> tuple[str, list]:
    """`WHERE a AND b …` of (conditions, params) parts, and their parameters in order ('' for none)."""
    conditions = [c for part in parts for c in part[0]]
    params = [p for part in parts for p in part[1]]
    return ("WHERE " + " AND ".join(conditions)) if conditions else "", params
