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
- creators of the selection without audience rows are left out and counted in attrs["uncovered"].
"""

from __future__ import annotations

import pandas as pd

from metrics.aggregate import ratio_column, sums_by
from metrics.filters import Filters
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
    the selection's creators without audience rows. Raises ValueError for an unknown dimension or rule.
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}")
    weights = wh.query(_weights_sql(dimension))
    per = sums_by(wh, filters, settings, ("influencer_id",))[["influencer_id", "revenue", "spend", "orders"]]
    per = per[(per["revenue"] != 0) | (per["spend"] != 0) | (per["orders"] != 0)]
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
    table["revenue_share"] = ratio_column(table["revenue"], pd.Series(table["revenue"].sum(), index=table.index))
    table["_other"] = table["segment"] == OTHER_PLACES  # the unlisted rest last, however large
    table = table.sort_values(["_other", "revenue", "segment"], ascending=[True, False, True])
    table = table.drop(columns="_other").reset_index(drop=True)
    table.attrs["uncovered"] = {
        "creators": int(len(uncovered)),
        "revenue": float(uncovered["revenue"].sum()),
        "spend": float(uncovered["spend"].sum()),
    }
    return table


def region_comparison(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Where the selection's audience is, weighted by revenue: per place, audience_share = Σ over
    creators of revenue × place weight ÷ Σ revenue of the creators with places (fraction), and
    sales_share (the share of revenue sold to buyers there: None, since sales files carry no place
    yet). Columns: region, audience_share, revenue (₹ weighted), sales_share; largest first."""
    table = audience_segments(wh, "region", filters, settings, "weighted")
    out = pd.DataFrame(
        {
            "region": table["segment"],
            "audience_share": table["revenue_share"],
            "revenue": table["revenue"],
            "sales_share": None,
        }
    )
    out.attrs = table.attrs
    return out
