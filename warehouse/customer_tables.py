"""Import-time table of what acquired customers are worth later (docs/metrics.md, "Customer value").

`customer_cohorts`: one row per influencer_key × date (`date`: the day a buyer's first attributed
order, the one that makes it a new customer, was placed with that creator): `customers` acquired
that day, and `revenue_90`, `revenue_180`, `revenue_365`: their realised revenue (₹, net of refunds,
all their attributed sales, with any creator) from the first order's day through day 90 / 180 / 365
(the first day counts as day 1). Buyers are user_ids as for new customers (guest and placeholder
ids are no buyer); a first order without a date has no cohort and is left out. Whether a cohort is
old enough for a horizon is decided at query time (metrics/ltv.py), against the last sale date.
"""

from __future__ import annotations

from metrics.ltv import HORIZONS
from warehouse.build import FIRST_KEY_DATE


def build_customer_tables(con) -> None:
    """Create `customer_cohorts` from the import's `keyed_sales`, `first_orders` (each buyer's first
    order: its key, which holds its date, and its creator), `sale_text_values` and `influencers`
    (an empty table when the sales carry no user id), sorted by influencer_key and date.

    Each buyer's sales are summed straight into its cohort (influencer_key × first day) in one
    group-by: `customers` counts the first orders among them (each buyer's own first order is in
    its window exactly once). A per-buyer group-by first (3.8M groups at 10M orders) cost twice
    the CPU for the same sums (docs/benchmarks.md, "Eighth session (h6)"). The first order's
    creator is keyed through `sale_text_values` (one row per influencer id as written), which trims
    each distinct id once instead of every buyer's."""
    windows = ", ".join(
        f"COALESCE(sum(s.revenue) FILTER (WHERE s.date < x.first_date + {days}), 0) AS revenue_{days}"
        for days in HORIZONS
    )
    con.execute(f"""
        CREATE TABLE customer_cohorts AS
        WITH creator_keys AS (
            SELECT t.value AS first_influencer_id, i.influencer_key
            FROM sale_text_values t JOIN influencers i ON i.influencer_id = trim(t.value) WHERE t.is_influencer_id),
        firsts AS (
            SELECT * FROM (
                SELECT f.user_id, f.first_key, {FIRST_KEY_DATE.format(key="f.first_key")} AS first_date, i.influencer_key
                FROM first_orders f JOIN creator_keys i USING (first_influencer_id))
            WHERE first_date IS NOT NULL)
        SELECT x.influencer_key, x.first_date AS date,
               count(*) FILTER (WHERE s.first_key = x.first_key)::BIGINT AS customers, {windows}
        FROM firsts x JOIN keyed_sales s
          ON s.user_id = x.user_id AND s.date >= x.first_date AND s.date < x.first_date + {max(HORIZONS)}
        GROUP BY x.influencer_key, x.first_date
        ORDER BY x.influencer_key, date""")
