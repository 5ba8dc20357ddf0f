"""What data set is loaded, how fresh it is, and the values each filter can take."""
from __future__ import annotations

import json

from metrics.selection import tier_sql
from metrics.settings import DEFAULT_SETTINGS, TIER_NAMES, Settings


def dataset_info(wh) -> dict:
    """The loaded data set's description (the `dataset_info` table): name, source, imported_at (ISO,
    UTC), counts (influencers, posts, sales_rows, payouts), has_user_ids, warnings, files, first and
    last sale dates and schema_version. Raises warehouse.db.WarehouseMissing without a data set."""
    rows = wh.query("SELECT key, value FROM dataset_info")
    return {key: json.loads(value) for key, value in zip(rows["key"], rows["value"])}


def filter_options(wh, settings: Settings = DEFAULT_SETTINGS) -> dict[str, list[str]]:
    """Every value each filter can take in the loaded data set (sorted; tiers in size order)."""
    options = {}
    for column in ("platform", "category"):
        options[column] = wh.query(f"SELECT DISTINCT {column} FROM influencers ORDER BY 1")[column].tolist()
    present = set(wh.query(f"SELECT DISTINCT {tier_sql(settings)} AS tier FROM influencers i")["tier"])
    options["tier"] = [t for t in TIER_NAMES + ("Unknown",) if t in present]
    values = wh.query("SELECT dimension, value FROM sale_values ORDER BY dimension, value")
    for column in ("brand", "campaign", "product"):
        options[column] = values.loc[values["dimension"] == column, "value"].tolist()
    return options


def date_bounds(wh) -> tuple:
    """First and last dated cell (sales or posts' costs); (None, None) when nothing is dated."""
    row = wh.connection().execute("SELECT min(date), max(date) FROM facts_day").fetchone()
    return row[0], row[1]
