"""The columns of the influencer ranking grid: shared by its page (the grid) and its callback
(which sends only these fields of each row). Metric columns come from metrics/catalogue.py."""

import json
from urllib.parse import parse_qs, parse_qsl, urlencode

from components.tables import bool_col, metric_col, text_col
from metrics.catalogue import POOR_PERFORMER, tier_text
from metrics.planning.verdicts import TOO_EARLY, verdict_label
from metrics.settings import DEFAULT_SETTINGS

VERDICT_RULE = (
    "Scale / renew / review / drop from the measured lift, its interval and the marginal ROAS: renew "
    "only when even the interval's bottom covers spend (incremental ROAS ≥ break-even) and the creator "
    "is not a poor performer; too early: below the evidence bar (too few posts or too little spend) "
    "(filter the column to list one verdict)"
)

# The verdict as lists print it (metrics.planning.verdicts.verdict_label): "too early to judge"; the
# value stays "too early" (the column filter and influencers_ranked.verdict read it); the CSV writes
# the shown words (components.csv_export reads VERDICT_FILE_TEXT from the column's context).
VERDICT_SHOWN = f"params.value === {json.dumps(TOO_EARLY)} ? {json.dumps(verdict_label(TOO_EARLY))} : params.value"
VERDICT_FILE_TEXT = {TOO_EARLY: verdict_label(TOO_EARLY)}

# Why a flagged creator is poor ("ROAS 1.999x < 2x"): sent with each row for the Poor column's tooltip.
POOR_REASON = "poor_reason"

# A flagged creator's ROAS in the flag's digits (catalogue.POOR_PERFORMER.roas_text: "1.999x", not the
# grid's "2.00x" beside "ROAS 1.999x < 2x"); sent only where it differs from the grid's two decimals.
ROAS_TEXT = "roas_text"
ROAS_SHOWN = f"hkRatio(params.value, params.data && params.data.{ROAS_TEXT})"

RANKING_COLUMNS = [
    metric_col("rank", maxWidth=80, minWidth=64, pinned="left"),
    text_col("name", "Influencer", width=170, pinned=True),
    text_col("platform", "Platform", width=110),
    text_col("category", "Category", width=120),
    text_col("tier", "Tier", width=90, headerTooltip=f"By followers: {tier_text(DEFAULT_SETTINGS)}"),
    metric_col("followers"),
    metric_col("posts"),
    metric_col("revenue"),
    metric_col("orders"),
    metric_col("spend"),
    metric_col("roas", valueFormatter={"function": ROAS_SHOWN}),
    # the verdict and its reason beside the ratio they mostly rest on, not past thirty columns
    text_col(
        "verdict",
        "Verdict",
        width=165,
        tooltipField="verdict_reason",
        headerTooltip=VERDICT_RULE,
        valueFormatter={"function": VERDICT_SHOWN},
        context={"fileText": VERDICT_FILE_TEXT},
    ),
    text_col("verdict_reason", "Why", width=320, tooltipField="verdict_reason"),
    metric_col("revenue_change"),
    metric_col("spend_change"),
    metric_col("roas_change"),
    metric_col("cac_change"),
    metric_col("incremental_roas"),
    metric_col("roi_pct"),
    metric_col("aov"),
    metric_col("cac"),
    metric_col("ltv_90"),
    metric_col("ltv_180"),
    metric_col("ltv_365"),
    metric_col("ltv_customers_365"),
    metric_col("ltv_revenue_365"),
    metric_col("ltv_cac_365"),
    metric_col("engagement_rate_pct"),
    metric_col("cpe"),
    metric_col("revenue_per_follower"),
    metric_col("efficiency_score"),
    bool_col("poor_performer", "Poor", headerTooltip=POOR_PERFORMER.text(DEFAULT_SETTINGS), tooltipField=POOR_REASON),
    text_col("influencer_id", "ID", width=100),
    metric_col("marginal_roas"),
]
RANKING_FIELDS = [column["field"] for column in RANKING_COLUMNS]

# --- the grid's state in the URL ----------------------------------------------------------------
# `?sort=revenue:desc&q=asha&view=poor` beside the filters: a link (or a saved view) reproduces the
# ranking as it was shown. The filter bar keeps these parameters when it rewrites the filters.

GRID_PARAMS = ("sort", "q", "view")
VIEWS = ("all", "top", "poor")
MAX_QUERY_CHARS = 100


def grid_state(query) -> dict:
    """The grid state of a query string (`?…`) or of Dash's parsed query dict: sort ((field,
    "asc"/"desc") or None), q (quick search text, "" for none), view (all / top / poor). Values
    the grid cannot show (an unknown column, a bad direction or view) fall back to the default."""
    if isinstance(query, dict):
        values = {k: (v[0] if isinstance(v, list) else v) for k, v in query.items()}
    else:
        values = {k: v[0] for k, v in parse_qs((query or "").lstrip("?")).items()}
    field, _, direction = str(values.get("sort") or "").partition(":")
    sort = (field, direction) if field in RANKING_FIELDS and direction in ("asc", "desc") else None
    view = values.get("view") if values.get("view") in VIEWS else "all"
    return {"sort": sort, "q": str(values.get("q") or "").strip()[:MAX_QUERY_CHARS], "view": view}


def view_in(search: str | None, fallback: str | None) -> str:
    """The view the URL names, else `fallback` (the switch's value), else "all"."""
    named = "view" in parse_qs((search or "").lstrip("?"))
    return grid_state(search)["view"] if named else (fallback if fallback in VIEWS else "all")


def with_grid_state(search: str | None, sort=None, q: str = "", view: str | None = None) -> str:
    """`search` with the grid's parameters set to this state and every other parameter kept in its
    order; "" when nothing is left. No sort or q leaves them out; the view is always written once
    chosen (`view=all` too: the ranking reads the URL's view before the switch's)."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=False) if k not in GRID_PARAMS]
    if sort:
        pairs.append(("sort", f"{sort[0]}:{sort[1]}"))
    if q:
        pairs.append(("q", q[:MAX_QUERY_CHARS]))
    if view in VIEWS:
        pairs.append(("view", view))
    return f"?{urlencode(pairs)}" if pairs else ""


def grid_params(search: str | None) -> list[tuple[str, str]]:
    """The grid's parameters of a query string, in order (the filter bar puts them back after a change)."""
    return [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k in GRID_PARAMS]


def sort_of(column_state: list[dict] | None):
    """(field, "asc"/"desc") of AG Grid's column state (the first column sorted), None when unsorted."""
    for column in sorted(
        (c for c in column_state or [] if isinstance(c, dict) and c.get("sort") in ("asc", "desc")),
        key=lambda c: c.get("sortIndex") or 0,
    ):
        if column.get("colId") in RANKING_FIELDS:
            return column["colId"], column["sort"]
    return None


def sorted_columns(columns: list[dict], sort) -> list[dict]:
    """The columns with the URL's sort applied (AG Grid's `sort` on that column), others unchanged."""
    if not sort:
        return columns
    return [dict(c, sort=sort[1]) if c.get("field") == sort[0] else c for c in columns]
