"""Who a creator's audience is (age band, gender, place) and the selection's revenue, spend and ROAS
by audience segment, from the optional audience files (warehouse/audience_tables.py).

Rules (docs/metrics.md, "Audience segments"):
- a creator's age-band (or gender) weights are its shares of the rows naming an age band (or a
  gender), divided by their sum, so they add up to 1 whatever the export's rounding: joint
  age × gender cells add up to the age (gender) marginals; rows of several platforms of one creator
  are pooled;
- place weights are the shares as given (exports list the top places only): the rest of the
  audience is OTHER_PLACES; a creator whose places add up to more than 100 % is divided by the sum;
- "weighted": each creator's revenue, spend and orders are spread over the segments in proportion
  to its weights; a segment's ROAS is its weighted revenue ÷ its weighted spend (pooled);
- "dominant": each creator counts whole in its largest segment (ties: the first in text order);
- creators of the selection without audience rows are left out and counted in attrs["uncovered"];
  creators with audience rows but nothing in the selection are counted in attrs["idle_creators"].
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from metrics.aggregate import ratio_column, sums_by
from metrics.catalogue import share_column
from metrics.filters import Filters
from metrics.selection import fact_conditions, influencer_conditions, where
from metrics.settings import DEFAULT_SETTINGS, Settings

DIMENSIONS = ("age_band", "gender", "region")
RULES = ("weighted", "dominant")
OTHER_PLACES = "Other places (not listed)"
HOW_TO_ADD = (
    "add audience_demographics.csv (influencer_id, age_group, gender, views_percentage) and/or "
    "geographic_distribution.csv (influencer_id, city or state, views_percentage) to the data folder, "
    "or the platforms' audience exports with an influencer_id column, and import it again (docs/metrics.md, "
    '"Audience files")'
)


def audience_files(wh) -> dict:
    """Which audience files the data set has: {"demographics": bool, "geography": bool}."""
    row = wh.query(
        """SELECT (SELECT count(*) FROM audience_demographics) AS demographics,
                  (SELECT count(*) FROM audience_geography) AS geography"""
    ).iloc[0]
    return {"demographics": bool(row["demographics"]), "geography": bool(row["geography"])}


def _weights_sql(dimension: str) -> str:
    """SQL of (influencer_id, value, weight): each creator's weights over one dimension (module doc)."""
    if dimension == "region":
        return f"""
            WITH places AS (
                SELECT influencer_id, region AS value, sum(share) AS share FROM audience_geography
                GROUP BY ALL),
            totals AS (SELECT influencer_id, greatest(sum(share), 1.0) AS divisor, sum(share) AS listed
                       FROM places GROUP BY ALL)
            SELECT influencer_id, value, share / divisor AS weight FROM places JOIN totals USING (influencer_id)
            UNION ALL
            SELECT influencer_id, '{OTHER_PLACES}', 1.0 - listed / divisor FROM totals WHERE listed / divisor < 1.0"""
    if dimension not in ("age_band", "gender"):
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
    return f"""
        SELECT influencer_id, {dimension} AS value,
               sum(share) / sum(sum(share)) OVER (PARTITION BY influencer_id) AS weight
        FROM audience_demographics WHERE {dimension} IS NOT NULL AND share > 0
        GROUP BY 1, 2"""


def creator_audience(wh, influencer_id: str) -> dict:
    """One creator's audience: keys age_band, gender, region (DataFrames value, weight: fractions as
    in the module doc, largest first; empty without rows) and files (audience_files)."""
    out: dict = {"files": audience_files(wh)}
    for dimension in DIMENSIONS:
        out[dimension] = wh.query(
            f"SELECT value, weight FROM ({_weights_sql(dimension)}) WHERE influencer_id = ? "
            "ORDER BY value = ?, weight DESC, value",
            [influencer_id, OTHER_PLACES],
        )
    return out


def audience_segments(
    wh,
    dimension: str,
    filters: Filters = Filters(),
    settings: Settings = DEFAULT_SETTINGS,
    rule: str = "weighted",
) -> pd.DataFrame:
    """The selection's figures by audience segment (module doc).

    Columns: segment, creators (creators with weight in it, or whose dominant segment it is),
    revenue, spend (₹), orders, roas (×, None where spend is 0), revenue_share (fraction of the
    covered revenue); largest revenue first. attrs["uncovered"]: {"creators", "revenue", "spend"} of
    the selection's creators without audience rows; attrs["idle_creators"]: creators with audience
    rows but no revenue, spend or orders in the selection (in no segment). Raises ValueError for an
    unknown dimension or rule.
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}")
    weights = wh.query(_weights_sql(dimension))
    per = sums_by(wh, filters, settings, ("influencer_id",))[["influencer_id", "revenue", "spend", "orders"]]
    per, idle = _active(per, weights, ("revenue", "spend", "orders"))
    covered = per["influencer_id"].isin(weights["influencer_id"])
    uncovered = per[~covered]
    rows = per[covered].merge(weights, on="influencer_id")
    if rule == "dominant":
        rows = rows.sort_values(["influencer_id", "weight", "value"], ascending=[True, False, True])
        rows = rows.drop_duplicates("influencer_id").assign(weight=1.0)
    for column in ("revenue", "spend", "orders"):
        rows[column] = rows[column].astype(float) * rows["weight"]
    table = (
        rows[rows["weight"] > 0]
        .groupby("value", sort=False)
        .agg(
            creators=("influencer_id", "nunique"),
            revenue=("revenue", "sum"),
            spend=("spend", "sum"),
            orders=("orders", "sum"),
        )
        .reset_index()
        .rename(columns={"value": "segment"})
    )
    table["roas"] = ratio_column(table["revenue"], table["spend"])
    table["revenue_share"] = share_column(table["revenue"])
    table["_other"] = table["segment"] == OTHER_PLACES  # the unlisted rest last, however large
    table = table.sort_values(["_other", "revenue", "segment"], ascending=[True, False, True])
    table = table.drop(columns="_other").reset_index(drop=True)
    table.attrs["uncovered"] = _uncovered(uncovered)
    table.attrs["idle_creators"] = idle
    return table


def _active(per: pd.DataFrame, weights: pd.DataFrame, columns: tuple[str, ...]) -> tuple[pd.DataFrame, int]:
    """The selection's creators with any of `columns` non-zero, and how many creators with audience
    rows have none (they weigh nothing in a segment, but a reader counting creators must find them)."""
    active = (per[list(columns)] != 0).any(axis=1)
    idle = int((~active & per["influencer_id"].isin(weights["influencer_id"])).sum())
    return per[active], idle


def _uncovered(uncovered: pd.DataFrame) -> dict:
    return {
        "creators": int(len(uncovered)),
        "revenue": float(uncovered["revenue"].sum()),
        "spend": float(uncovered["spend"].sum()),
    }


def _place_weights_sql() -> str:
    """SQL of (influencer_id, value, matched, weight): each creator's place weights (module doc) with
    its places read as states (audience_geography.state; unmatched places under their own name)."""
    return f"""
        WITH places AS (
            SELECT influencer_id, COALESCE(state, region) AS value, bool_or(state IS NOT NULL) AS matched,
                   sum(share) AS share
            FROM audience_geography GROUP BY 1, 2),
        totals AS (SELECT influencer_id, greatest(sum(share), 1.0) AS divisor, sum(share) AS listed
                   FROM places GROUP BY ALL)
        SELECT influencer_id, value, matched, share / divisor AS weight FROM places JOIN totals USING (influencer_id)
        UNION ALL
        SELECT influencer_id, '{OTHER_PLACES}', NULL, 1.0 - listed / divisor FROM totals WHERE listed / divisor < 1.0"""


def _audience_by_region(wh, filters: Filters, settings: Settings, influencer_id: str | None) -> pd.DataFrame:
    """Columns region, audience_matched, audience_share; attrs["uncovered"] as audience_segments."""
    weights = wh.query(_place_weights_sql())
    per = sums_by(wh, filters, settings, ("influencer_id",), influencer_id)[["influencer_id", "revenue", "spend"]]
    idle = 0
    if influencer_id is None:
        per, idle = _active(per, weights, ("revenue", "spend"))
    else:  # one creator: its audience whatever its sales in the selection
        per = per[per["influencer_id"] == influencer_id]
    covered = per["influencer_id"].isin(weights["influencer_id"])
    rows = per[covered].merge(weights, on="influencer_id")
    creator_weight = rows["revenue"].astype(float).clip(lower=0.0)
    if creator_weight.groupby(rows["influencer_id"]).first().sum() <= 0:
        creator_weight = pd.Series(1.0, index=rows.index)  # no revenue to weigh by: creators count equally
    rows = rows.assign(creator_weight=creator_weight, weighted=creator_weight * rows["weight"])
    total = rows.groupby("influencer_id")["creator_weight"].first().sum()
    out = (
        rows.groupby("value", sort=False)
        .agg(audience_matched=("matched", "first"), weighted=("weighted", "sum"))
        .reset_index()
        .rename(columns={"value": "region"})
    )
    out["audience_share"] = out["weighted"] / total if total > 0 else None
    out = out.drop(columns="weighted")
    out.attrs["uncovered"] = _uncovered(per[~covered])
    out.attrs["idle_creators"] = idle
    return out


def has_sales_regions(wh, influencer_id: str | None = None) -> bool:
    """Whether any sale of the data set (of one creator, with `influencer_id`) carries a region."""
    only = "AND influencer_key = (SELECT influencer_key FROM influencers WHERE influencer_id = ?)"
    return bool(
        wh.scalar(
            f"SELECT count(*) > 0 FROM sales_regions WHERE region IS NOT NULL {only if influencer_id else ''}",
            [influencer_id] if influencer_id else None,
        )
    )


def _sales_by_region(wh, filters: Filters, settings: Settings, influencer_id: str | None) -> pd.DataFrame:
    """Columns region (None: sales without a region), sales_matched, sales_orders, sales_revenue (₹),
    from sales_regions under the selection's creators, brands and dates (campaign and product are
    not kept there)."""
    kept = dataclasses.replace(filters, campaign=(), product=())
    only = (["i.influencer_id = ?"], [influencer_id]) if influencer_id else ([], [])
    where_sql, params = where(influencer_conditions(kept, settings), fact_conditions(kept, "s"), only)
    return wh.query(
        f"""SELECT s.region, bool_or(s.matched) AS sales_matched, sum(s.orders)::BIGINT AS sales_orders,
                   sum(s.revenue) AS sales_revenue
            FROM sales_regions s JOIN influencers i USING (influencer_key) {where_sql}
            GROUP BY 1""",
        params,
    )


def region_comparison(
    wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS, influencer_id: str | None = None
) -> pd.DataFrame:
    """Where the selection's audience is against where its sales come from, by Indian state or union
    territory (warehouse/regions.py; docs/metrics.md, "Regions of sales and audiences").

    audience_share: Σ over creators of revenue × place weight ÷ Σ revenue of the creators with places
    (fraction; creators count equally when none has revenue; one creator with `influencer_id`: its
    own place weights); sales_share: the sales' revenue there ÷ the revenue of sales with a region
    (fraction, None when no sale in the selection has a region). Filters: creators' attributes and
    brand and dates apply to both sides; campaign and product only to the audience side's revenue
    weights (sales regions are kept by date and brand).

    Columns: region, matched (bool: a known state or union territory; False: a name as written that
    none matched; None: the audience's unlisted places), audience_share, sales_share, sales_revenue
    (₹), sales_orders; the larger share first, unlisted places last. attrs: "uncovered" (as
    audience_segments), "sales" {"available": any sale of the data set has a region, "revenue",
    "orders" (of the selection's sales with a region), "revenue_without_region",
    "orders_without_region", "ignored_filters" (filter names not applied to sales)},
    "unmatched_audience" and "unmatched_sales" (names as written, largest share first).
    """
    audience = _audience_by_region(wh, filters, settings, influencer_id)
    sales = _sales_by_region(wh, filters, settings, influencer_id)
    without = sales[sales["region"].isna()]
    sales = sales[sales["region"].notna()]
    total = float(sales["sales_revenue"].sum())
    sales["sales_share"] = share_column(sales["sales_revenue"])
    out = audience.merge(sales, on="region", how="outer")
    # object dtype: with no unlisted places and no sales regions the column is bool, which refuses None
    out["matched"] = out["audience_matched"].where(out["audience_matched"].notna(), out["sales_matched"]).astype(object)
    out.loc[out["region"] == OTHER_PLACES, "matched"] = None
    out = out.astype({"audience_share": "object", "sales_share": "object"})
    out = out.where(out.notna(), None)
    largest = [max(a or 0.0, s or 0.0) for a, s in zip(out["audience_share"], out["sales_share"])]
    out = out.assign(_other=out["region"] == OTHER_PLACES, _largest=largest)
    out = out.sort_values(["_other", "_largest", "region"], ascending=[True, False, True]).reset_index(drop=True)
    out = out[["region", "matched", "audience_share", "sales_share", "sales_revenue", "sales_orders"]]
    out["matched"] = pd.Series([None if pd.isna(m) else bool(m) for m in out["matched"]], index=out.index, dtype=object)
    unmatched = out[out["matched"].eq(False)]
    out.attrs = {
        "uncovered": audience.attrs["uncovered"],
        "sales": {
            "available": has_sales_regions(wh),
            "revenue": total,
            "orders": int(sales["sales_orders"].sum()),
            "revenue_without_region": float(without["sales_revenue"].sum()),
            "orders_without_region": int(without["sales_orders"].sum()),
            "ignored_filters": [name for name in ("campaign", "product") if getattr(filters, name)],
        },
        "unmatched_audience": [r for r, a in zip(unmatched["region"], unmatched["audience_share"]) if a is not None],
        "unmatched_sales": [r for r, v in zip(unmatched["region"], unmatched["sales_share"]) if v is not None],
    }
    return out


def creator_regions(wh, influencer_id: str, filters, settings):
    """region_comparison of one creator (its frame, attrs plus has_geography: whether an audience
    geography file exists) when some of its sales carry a region, else None."""
    if not has_sales_regions(wh, influencer_id):
        return None
    regions = region_comparison(wh, filters, settings, influencer_id=influencer_id)
    regions.attrs["has_geography"] = bool(audience_files(wh)["geography"])
    return regions
