"""The `hkdash summary --json` document: a stable machine interface (see docs/cli.md)."""

from __future__ import annotations

import pandas as pd

from metrics.aggregate import plain
from metrics.breakdowns import breakdown
from metrics.catalogue import COST_KEYS, ORDERS_BY_PRODUCT_NOTE, cost_note
from metrics.dataset import dataset_info, sales_coverage, sales_notices
from metrics.filters import Filters
from metrics.kpis import kpis, with_recorded_cost_by
from metrics.ltv import with_ltv
from metrics.planning.verdicts import with_verdicts
from metrics.ranking import ranking
from metrics.settings import DEFAULT_SETTINGS, Settings

KPI_KEYS = (
    "revenue",
    "refunds",
    "orders",
    "spend",
    "roas",
    "roi_pct",
    "aov",
    "cost_per_order",
    "new_customers",
    "new_customers_estimated",
    "cac",
    "incremental_revenue",
    "incremental_roas",
    "engagement_rate_pct",
    # the engagement rate's denominator, which says why it is undefined ("—": no reach)
    "engagement_basis",
    "reach",
    "impressions",
    "influencers",
    "poor_performers",
    "baseline_share",
    "incremental_revenue_low",
    "incremental_revenue_high",
    "incremental_roas_low",
    "incremental_roas_high",
    "incremental_share",
    "incremental_share_revenue",
    "incremental_share_basis",
    "incrementality_method",
    "incrementality_reason",
    "incrementality_window_days",
    "incrementality_confidence",
    "incrementality_verdict",
)
PLATFORM_KEYS = ("platform", "influencers", "revenue", "orders", "spend", "roas", "roi_pct", "new_customers", "cac")
CATEGORY_KEYS = ("category", "influencers", "followers", "revenue", "orders", "spend", "roas")
RANKED_KEYS = (
    "influencer_id",
    "name",
    "platform",
    "category",
    "tier",
    "followers",
    "revenue",
    "orders",
    "spend",
    "roas",
    "roi_pct",
    "cac",
    "engagement_rate_pct",
    "efficiency_score",
    "poor_performer",
    "incremental_revenue",
    "incremental_revenue_low",
    "incremental_revenue_high",
    "incremental_roas",
    "marginal_roas",
    "verdict",
    "ltv_90",
    "ltv_180",
    "ltv_365",
    "ltv_cac_365",
)


def summary(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, compare: bool = False) -> dict:
    """The `hkdash summary --json` document: the KPI_KEYS of kpis() (₹ floats, ratios ×, %), filters
    (Filters.as_dict), notes (headline_notes), by_platform (PLATFORM_KEYS and notes per platform), by_category (CATEGORY_KEYS),
    influencers_ranked (RANKED_KEYS and notes in ranking order) and organic_check (organic_rows). With
    `compare`, also `comparison` ({start, end (ISO dates), every KPI_KEYS key} of the selection over its comparison window, mode
    `filters.compare`; all None without a date range; notice, undefined, partial and partial_period ("selection", "comparison", "both" or None): the comparison period
    against the data's first and last sale, metrics.comparison.partial), `change` ({metrics.comparison.CARD_CHANGE_KEYS
    key: relative change (fraction) or None}: the figures the overview's cards compare) and
    `change_reasons` ({key: why its change is None} for every None change, metrics.comparison.change_reasons); import_warnings: how many import warnings the live data set keeps (a count,
    listed by `hkdash datasets --warnings`). Values are JSON-ready (None where undefined)."""
    headline = kpis(wh, filters, settings)
    document = {key: plain(headline[key]) for key in KPI_KEYS} | {"notes": headline_notes(headline, filters)}
    if compare:
        document.update(comparison_document(wh, filters, settings, headline))
    document["filters"] = filters.as_dict()
    coverage = sales_coverage(wh, filters)
    document.update({key: plain(value) for key, value in coverage.items() if key != "cannot_split_by"})
    document["sales_cannot_split_by"] = coverage["cannot_split_by"]
    document["notices"] = sales_notices(coverage)
    document["import_warnings"] = int(dataset_info(wh).get("warnings") or 0)
    platforms = with_recorded_cost_by(wh, breakdown(wh, "platform", filters, settings), "platform", filters, settings)
    document["by_platform"] = with_cost_notes(platforms, PLATFORM_KEYS)
    document["by_category"] = records(breakdown(wh, "category", filters, settings), CATEGORY_KEYS)
    ranked = with_lift(wh, ranking(wh, filters, settings), filters, settings, headline["incrementality_method"])
    ranked = with_verdicts(wh, ranked, filters, settings)
    ranked = with_ltv(wh, ranked, filters, settings)
    document["influencers_ranked"] = with_cost_notes(ranked, RANKED_KEYS)
    document["organic_check"] = organic_rows(wh, filters, settings)
    return document


def organic_rows(wh, filters: Filters, settings: Settings) -> list[dict] | None:
    """The organic-sales check's rows (metrics.lift.organic.CHECK_KEYS, JSON-ready), or None without
    an organic sales file."""
    from metrics.lift.organic import organic_check

    check = organic_check(wh, filters, settings)
    return [{key: plain(value) for key, value in row.items()} for row in check["rows"]] if check["available"] else None


def comparison_document(wh, filters: Filters, settings: Settings, headline: dict) -> dict:
    """`comparison` and `change` of the summary document (see summary)."""
    from metrics.comparison import CARD_CHANGE_KEYS, change_reasons, kpi_comparison, partial, partial_period

    compared = kpi_comparison(wh, filters, headline, settings)
    then = compared["kpis"] or {}
    return {
        "comparison": {
            "mode": compared["mode"],
            "start": compared["start"].isoformat() if compared["start"] else None,
            "end": compared["end"].isoformat() if compared["end"] else None,
            **{key: plain(then.get(key)) for key in KPI_KEYS},
            "notes": cost_notes(then) if then else {},
            # the cards' caveat of a period partly outside the data (metrics.comparison.partial)
            "notice": compared["notice"],
            "undefined": compared["undefined"],
            "partial": partial(compared),
            "partial_period": partial_period(compared),
        },
        # only the figures the overview's cards compare, each null change with its reason
        "change": {key: plain(compared["change"].get(key)) for key in CARD_CHANGE_KEYS},
        "change_reasons": change_reasons(compared, headline),
    }


def headline_notes(figures: dict, filters: Filters) -> dict[str, str]:
    """The selection's cost_notes and, under a product filter, the orders' (catalogue.ORDERS_BY_PRODUCT_NOTE:
    an order counts on its main product only, so a product sold beside a larger line has revenue and
    0 orders), as the Orders card says it."""
    return cost_notes(figures) | ({"orders": ORDERS_BY_PRODUCT_NOTE} if filters.product else {})


def cost_notes(figures: dict, keys=KPI_KEYS) -> dict[str, str]:
    """{key: note} of the costs per unit among `keys` (those in catalogue.COST_KEYS: cost per
    order, CAC) that need one, as the text summary prints it beside the figure
    (catalogue.cost_note): NO_COST where spend is ₹0 (the figure is 0.0 by the formula), "No
    orders" / "No new customers" where it is null; keys without a note are left out. `figures`:
    kpis() of the selection or its comparison window, or one JSON row (keys the figures and spend)."""
    notes = {key: cost_note(key, figures) for key in keys if key in COST_KEYS}
    return {key: note for key, note in notes.items() if note is not None}


def with_cost_notes(frame: pd.DataFrame, keys: tuple[str, ...]) -> list[dict]:
    """The JSON rows (`keys` of each row of `frame`: a platform's, a creator's) each with its own
    `notes` (cost_notes of the row's cost figures, `{}` when none need one): a row's CAC of 0.0 at ₹0
    spend needs the note as much as the selection's does, and a script reading one row should not
    have to recompute the rule. The notes read the whole row (its posts and recorded_cost: ₹0 spend
    without a post in the selection says so, as the selection's note does) though the JSON keeps `keys`."""
    extra = tuple(key for key in ("posts", "recorded_cost") if key in frame.columns and key not in keys)
    full = records(frame, keys + extra)
    return [{key: row[key] for key in keys if key in row} | {"notes": cost_notes(row, row)} for row in full]


def records(frame, keys) -> list[dict]:
    """The `keys` of each row of a frame as plain JSON values (NaN and ±inf become None)."""
    return [{key: plain(row[key]) for key in keys} for row in frame.to_dict("records")]


def with_lift(wh, ranked, filters: Filters, settings: Settings, method: str, lift=None):
    """The ranking with each influencer's measured incremental revenue, its interval (₹) and
    incremental ROAS (×); the assumed-baseline share where the method is assumed (no interval).
    An influencer without a post window in the selection has 0 measured incremental revenue.
    `lift`: metrics.lift.creator_lift of the same selection where the caller has it (else read)."""
    from metrics.aggregate import ratio_column
    from metrics.lift import METHOD_MEASURED, lift_table

    ranked = ranked.copy()
    if method == METHOD_MEASURED:
        lift = (lift_table(wh, "influencer", filters, settings) if lift is None else lift).set_index("influencer_id")
        for column in ("incremental_revenue", "incremental_revenue_low", "incremental_revenue_high"):
            ranked[column] = ranked["influencer_id"].map(lift[column]).fillna(0.0)
    else:
        ranked["incremental_revenue"] = ranked["revenue"] * (1 - settings.baseline_share)
        ranked["incremental_revenue_low"] = ranked["incremental_revenue_high"] = None
    ranked["incremental_roas"] = ratio_column(ranked["incremental_revenue"], ranked["spend"])
    return ranked
