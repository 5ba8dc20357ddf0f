"""The naive pandas baseline: what the seed dashboards do on every interaction.

The CSVs are loaded into pandas once (outside the timing). Each interaction then recomputes
everything from the raw rows: merge the sales with the influencers and with each influencer's
payout total, filter, totals, a group-by platform and the influencer ranking (ROAS, sorted).
Loading is deliberately generous to pandas (only the columns used, strings as categoricals,
dates parsed once) so the speedup is not flattered by a slow baseline.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from metrics.filters import Filters

TRACKING_COLUMNS = ("influencer_id", "brand", "campaign", "product", "date", "orders", "revenue")


class PandasBaseline:
    def __init__(self, data_dir: Path):
        started = time.perf_counter()
        data_dir = Path(data_dir)
        dictionary = pa.dictionary(pa.int32(), pa.string())
        table = pacsv.read_csv(
            data_dir / "tracking_data.csv",
            convert_options=pacsv.ConvertOptions(
                include_columns=list(TRACKING_COLUMNS),
                column_types={
                    "influencer_id": dictionary,
                    "brand": dictionary,
                    "campaign": dictionary,
                    "product": dictionary,
                    "date": pa.date32(),
                    "orders": pa.int64(),
                    "revenue": pa.float64(),
                },
            ),
        )
        self.tracking = table.to_pandas(date_as_object=False)
        del table
        self.influencers = pd.read_csv(data_dir / "influencers.csv", dtype={"influencer_id": str})
        self.payouts = pd.read_csv(data_dir / "payouts.csv", dtype={"influencer_id": str})
        self.load_s = time.perf_counter() - started

    def memory_mb(self) -> float:
        return float(self.tracking.memory_usage(deep=True).sum()) / 2**20

    def totals(self, filters: Filters) -> dict:
        """Revenue, orders and (influencer-filter) spend only, without the merges: the same numbers
        as `interaction`, cheaper, for checking the changes that are not timed."""
        mask = np.ones(len(self.tracking), dtype=bool)
        people = self.influencers
        for column in ("platform", "category"):
            values = getattr(filters, column)
            if values:
                people = people[people[column].isin(values)]
        if filters.platform or filters.category:
            mask &= self.tracking["influencer_id"].isin(set(people["influencer_id"])).to_numpy()
        for column in ("brand", "campaign", "product"):
            values = getattr(filters, column)
            if values:
                mask &= self.tracking[column].isin(values).to_numpy()
        if filters.start:
            mask &= (self.tracking["date"] >= pd.Timestamp(filters.start)).to_numpy()
        if filters.end:
            mask &= (self.tracking["date"] <= pd.Timestamp(filters.end)).to_numpy()
        cost = self.payouts
        if filters.platform or filters.category:
            cost = cost[cost["influencer_id"].isin(set(people["influencer_id"]))]
        spend = float(cost["total_cost"].sum())
        revenue = float(self.tracking["revenue"].to_numpy()[mask].sum())
        orders = int(self.tracking["orders"].to_numpy()[mask].sum())
        return {"revenue": revenue, "orders": orders, "spend": spend}

    def interaction(self, filters: Filters) -> dict:
        """Everything a page shows for `filters`, recomputed from the rows (the seed-dashboard way)."""
        inf = self.influencers[["influencer_id", "name", "platform", "category", "follower_count"]]
        cost = self.payouts.groupby("influencer_id", as_index=False)["total_cost"].sum()
        df = self.tracking.merge(inf, on="influencer_id", how="left")
        df = df.merge(cost, on="influencer_id", how="left")
        mask = np.ones(len(df), dtype=bool)
        for column in ("platform", "category"):
            values = getattr(filters, column)
            if values:
                mask &= df[column].isin(values).to_numpy()
        for column in ("brand", "campaign", "product"):
            values = getattr(filters, column)
            if values:
                mask &= df[column].isin(values).to_numpy()
        if filters.start:
            mask &= (df["date"] >= pd.Timestamp(filters.start)).to_numpy()
        if filters.end:
            mask &= (df["date"] <= pd.Timestamp(filters.end)).to_numpy()
        sel = df[mask]

        # Spend: the selected influencers' payout totals (the naive way: whole cost, whatever the sale filter).
        people = self.payouts.merge(
            self.influencers[["influencer_id", "platform", "category"]], on="influencer_id", how="left"
        )
        keep = np.ones(len(people), dtype=bool)
        for column in ("platform", "category"):
            values = getattr(filters, column)
            if values:
                keep &= people[column].isin(values).to_numpy()
        spend = float(people.loc[keep, "total_cost"].sum())

        revenue, orders = float(sel["revenue"].sum()), int(sel["orders"].sum())
        by_platform = sel.groupby("platform", observed=True).agg(revenue=("revenue", "sum"), orders=("orders", "sum"))
        ranking = sel.groupby("influencer_id", observed=True).agg(
            name=("name", "first"),
            platform=("platform", "first"),
            revenue=("revenue", "sum"),
            orders=("orders", "sum"),
            spend=("total_cost", "first"),
        )
        ranking["roas"] = ranking["revenue"] / ranking["spend"].replace(0, np.nan)
        ranking = ranking.sort_values("roas", ascending=False)
        return {
            "revenue": revenue,
            "orders": orders,
            "spend": spend,
            "roas": revenue / spend if spend else None,
            "platforms": len(by_platform),
            "ranked": len(ranking),
        }
