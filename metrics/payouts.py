"""Spend by payout basis, and the reconciliation of payout terms against the totals paid."""

from __future__ import annotations

import pandas as pd

from metrics import format as fmt
from metrics.aggregate import ratio
from metrics.catalogue import share_column, within_terms
from metrics.filters import Filters
from metrics.selection import fact_conditions, fact_table, influencer_conditions, where
from metrics.settings import DEFAULT_SETTINGS, Settings


def payouts_by_basis(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Spend of the selection split by what it pays for: post, order, commission, hybrid, gifted, other.

    One row per basis the warehouse knows (in its order), `influencers` counting those with spend
    of that basis in the selection. Every filter applies as it does to spend elsewhere: cost that
    follows sales is its rates times the selection's orders and revenue of each influencer, and
    the other pieces sit on the same cells as in the facts.

    Columns: basis, spend (₹), spend_share (0–1, None without spend: metrics.catalogue.share_column), influencers (count);
    attrs["total_spend"] (₹).
    """
    conditions = influencer_conditions(filters, settings)
    join = "JOIN influencers i USING (influencer_key)" if conditions[0] else ""
    where_sql, params = where(conditions, fact_conditions(filters))
    # rates of a payout covering dated sales only (build._cover_sales) need the sales' dates
    dated_table = fact_table(filters) if fact_table(filters) != "facts_influencer" else "facts_day"
    frame = wh.query(
        f"""
        WITH sales AS (SELECT f.influencer_key, f.date, sum(f.orders) AS orders, sum(f.revenue) AS revenue
                       FROM {dated_table} f {join} {where_sql} GROUP BY 1, 2),
             per AS (SELECT basis, influencer_key, sum(spend) AS spend FROM (
                         SELECT r.basis, r.influencer_key, s.orders * r.per_order + s.revenue * r.per_revenue AS spend
                         FROM spend_rates r JOIN sales s ON s.influencer_key = r.influencer_key
                              AND (r.first_date IS NULL OR s.date BETWEEN r.first_date AND r.last_date)
                         UNION ALL
                         SELECT f.basis, f.influencer_key, f.spend FROM spend_pieces f {join} {where_sql})
                     GROUP BY ALL),
             sums AS (SELECT basis, sum(spend) AS spend, count(*) FILTER (WHERE spend > 0) AS influencers
                      FROM per GROUP BY 1)
        SELECT b.basis, COALESCE(sums.spend, 0) AS spend,
               COALESCE(sums.influencers, 0)::BIGINT AS influencers
        FROM (SELECT unnest(enum_range(NULL::basis_value))::basis_value AS basis) b LEFT JOIN sums USING (basis)
        ORDER BY b.basis""",
        params + params,
    )  # one selection (where_sql) twice; the ENUM's order, as text
    total = float(frame["spend"].sum())
    frame["spend_share"] = share_column(frame["spend"])
    frame.attrs["total_spend"] = total
    return frame[["basis", "spend", "spend_share", "influencers"]]


def payout_reconciliation(wh, filters: Filters = Filters(), settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Each payout row: its terms (rate × posts / orders / revenue) against the total paid.

    Columns: row_no, influencer_id, name, platform, basis, rate_text (as written), fee_per_post,
    per_order_fee (₹), commission_pct (%), rate (the parsed terms as text), posts, orders,
    total_revenue, terms_cost, total_payout, gifted_cost, other_cost, total_cost, difference (₹,
    paid − terms), difference_pct (%), status ('matches terms', 'differs from terms', 'no terms').

    Payout rows are contracts, not sales, so only influencer filters apply here.

    Columns: row_no (row of its payouts file, header = row 1: with_file_rows), row_file, influencer_id, name, platform, basis, rate_text,
    posts, orders (counts), total_revenue, terms_cost, total_payout, gifted_cost, other_cost,
    total_cost, difference (paid − terms; ₹), difference_pct (% of terms, None for terms of ₹0),
    status ("matches terms", "differs from terms" beyond TERMS_TOLERANCE_PCT, "no terms").
    """
    where_sql, params = where(influencer_conditions(filters, settings))
    frame = wh.query(
        f"""
        SELECT p.row_no, p.influencer_id, i.name, i.platform, p.basis, p.rate_text, p.fee_per_post, p.per_order AS per_order_fee, p.commission_pct, p.posts, p.orders,
               p.total_revenue, p.terms_cost, p.total_payout, p.gifted_cost, p.other_cost, p.total_cost
        FROM payouts p JOIN influencers i USING (influencer_id) {where_sql}
        ORDER BY p.row_no""",
        params,
    )
    frame["difference"] = [None if pd.isna(t) else p - t for p, t in zip(frame["total_payout"], frame["terms_cost"])]
    frame["difference_pct"] = [
        ratio(d, t, 100) if d is not None else None for d, t in zip(frame["difference"], frame["terms_cost"])
    ]
    frame["status"] = [_status(d, t) for d, t in zip(frame["difference"], frame["terms_cost"])]
    return with_rate(with_file_rows(wh, frame))


def with_file_rows(wh, frame: pd.DataFrame) -> pd.DataFrame:
    """Payout rows with `row_no` the row of the file it came from (header = row 1) and `row_file`
    that file's name, as the import's warnings name them ("payouts.csv, row 3"), also in a data set
    made by appends (warehouse.file_rows): a row a page shows is the one a warning names."""
    from metrics.dataset import dataset_info
    from warehouse.file_rows import rows_in_files

    info = dataset_info(wh)
    total = int(wh.query("SELECT count(*) AS n FROM payouts")["n"].iloc[0])
    located = rows_in_files(info, "payouts", [int(row) for row in frame["row_no"]], total)
    frame["row_file"] = [file for file, _ in located]
    frame["row_no"] = pd.array([row for _, row in located], dtype="Int64")
    return frame


def with_rate(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds `rate`: the parsed terms of each payout row as text ('₹6,11,631 per post + 12.3 % commission',
    '—' without terms) from its fee_per_post, per_order_fee and commission_pct (₹, ₹, %)."""
    frame["rate"] = [
        fmt.payout_rate(post, order, commission)
        for post, order, commission in zip(frame["fee_per_post"], frame["per_order_fee"], frame["commission_pct"])
    ]
    return frame


def _status(difference, terms) -> str:
    if difference is None:
        return "no terms"
    if within_terms(difference, terms):
        return "matches terms"
    return "differs from terms"
