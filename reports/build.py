"""The report of a selection: metrics → formatted context → `render_pdf`.

    from reports.build import build_report
    pdf = build_report(wh, metrics.Filters(platform=["Instagram"]), metrics.DEFAULT_SETTINGS)

Numbers come from the `metrics` API only (the warehouse is never queried here), charts from the
dashboard's own figure builders (`components.figures`), money formatting from `metrics.format`.
Everything the template prints is text; the template escapes it.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from typing import Any

import numpy as np
import pandas as pd

import metrics
from components import figures
from metrics import catalogue, insights
from metrics import format as fmt
from metrics.catalogue import POOR_PERFORMER
from metrics.cohorts import time_series
from metrics.comparison import kpi_comparison
from metrics.dataset import buyer_ids_text, row_counts, sales_after_export_text
from metrics.kpis import share_basis_words, with_recorded_cost_by
from metrics.lift import NO_POST, indistinguishable_note, lift_table, no_post_words
from metrics.lift.organic import HOW_TO_ADD, NO_FILE, organic_check
from metrics.pacing import filters_not_applied
from metrics.planning import PlanError
from metrics.planning.verdicts import TOO_EARLY, evidence_bar, verdict_label
from reports import images
from reports.executive import executive_summary
from reports.pdf import ReportError, render_pdf
from reports.plan_section import (
    DEFAULT_PLAN,
    PlanRequest,
    default_plan_note,
    plan_section,
    requested_plan,
    selection_plan,
)
from warehouse.importer import source_folders

TITLE = "Influencer campaign ROI report"
FILTER_LABELS = {
    "platform": "Platform",
    "category": "Category",
    "tier": "Tier",
    "brand": "Brand",
    "campaign": "Campaign",
    "product": "Product",
}
TOP_N = 10
MAX_TABLE_ROWS = 25


# --- small helpers ---------------------------------------------------------------------------


def _num(value) -> float | None:
    return fmt.clean(value)


def _date(value) -> str:
    return "…" if value is None else fmt.date(value)


def _records(frame: pd.DataFrame | None) -> list[dict]:
    if frame is None or frame.empty:
        return []
    return frame.to_dict("records")


# --- the parts of the report -------------------------------------------------------------------


def _period(filters, bounds) -> tuple[str, dt.date | None, dt.date | None]:
    first, last = bounds if bounds else (None, None)
    start, end = filters.start or first, filters.end or last
    if not start and not end:
        return "All dates (no dated sales or posts)", None, None
    text = f"{_date(start)} – {_date(end)}"
    if not (filters.start or filters.end):
        text += " (all dates in the data)"
    return text, start, end


def _filters(filters) -> list[dict]:
    out = [
        {"label": FILTER_LABELS[name], "value": ", ".join(getattr(filters, name))}
        for name in FILTER_LABELS
        if getattr(filters, name)
    ]
    if filters.start or filters.end:
        out.append({"label": "Dates", "value": f"{_date(filters.start)} to {_date(filters.end)}"})
    return out


def _dataset(info: dict, now: dt.datetime) -> dict:
    imported = info.get("imported_at")
    freshness = "unknown"
    if imported:
        try:
            when = dt.datetime.fromisoformat(str(imported))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            age = (now - when).days
            ago = "today" if age <= 0 else "1 day ago" if age == 1 else f"{age} days ago"
            freshness = f"imported {fmt.timestamp(when)} ({ago})"
        except ValueError:
            freshness = f"imported {imported}"
    facts = [
        {
            "label": "Rows",
            "value": " · ".join(row_counts(info, keep_missing=True)),
        },
        {"label": "Buyer ids", "value": buyer_ids_text(info)},
    ]
    folders = source_folders(info)
    if len(folders) > 1:  # an append's parts by name, as /data's "Imported from" (never a server path)
        facts.append({"label": "Imported from", "value": " + ".join(folders)})
    if info.get("store_orders"):  # the CFO reads here what store revenue is and how the export mapped
        facts.append({"label": "Store orders", "value": catalogue.store_orders_text(info["store_orders"])})
    if after := sales_after_export_text(info.get("sales_after_export")):  # not the store's: said apart
        facts.append({"label": "Appended sales", "value": f"{after}."})
    if info.get("first_sale") or info.get("last_sale"):
        facts.append(
            {"label": "Sales dated", "value": f"{_date(info.get('first_sale'))} – {_date(info.get('last_sale'))}"}
        )
    warnings = [str(w) for w in (info.get("warning_lines") or [])]
    if len(warnings) > 5:
        warnings = warnings[:5] + [f"… and {len(warnings) - 5} more import warnings"]
    elif not warnings and info.get("warnings"):
        warnings = [f"{info['warnings']} import warnings (see `hkdash validate`)"]
    # The source folder is a server path: not shown in a document meant to travel.
    return {"name": str(info.get("name") or "—"), "freshness": freshness, "facts": facts, "warnings": warnings}


def _kpis(k: dict, settings, by_product: bool = False) -> list[dict]:
    """The summary's KPI boxes: label and value from the metric catalogue, a note each. `by_product`:
    the selection filters products, so the Orders note says on which product an order counts."""
    estimated = bool(k.get("new_customers_estimated"))
    baseline = fmt.share(k.get("baseline_share", settings.baseline_share), 0)
    notes = {
        "revenue": fmt.inr(k.get("revenue"))
        + (f", net of {fmt.inr(k['refunds'])} refunds" if k.get("refunds") else ""),
        "spend": fmt.inr(k.get("spend")),
        # a "—" says why, as its card on the dashboard does
        "roas": catalogue.card_note("roas", k) or "revenue ÷ spend",
        "roi_pct": catalogue.card_note("roi_pct", k) or "(revenue − spend) ÷ spend",
        "orders": f"AOV {catalogue.get('aov').text(k.get('aov'))}"
        + (f"; {catalogue.ORDERS_BY_PRODUCT_NOTE}" if by_product else ""),
        # a cost per unit of ₹0.00 or "—" says why, as its card on the dashboard does
        "cost_per_order": catalogue.cost_note("cost_per_order", k) or "spend ÷ orders",
        "new_customers": "estimated from orders"
        + (f"; {exact}" if (exact := catalogue.exact_note("new_customers", k.get("new_customers"))) else "")
        if estimated
        else "first attributed order",
        "cac": catalogue.cost_note("cac", k) or ("estimated" if estimated else "spend ÷ new customers"),
        "incremental_revenue": _incremental_note(k, baseline, fmt.inr_compact, "incremental_revenue"),
        "incremental_roas": _incremental_note(k, baseline, fmt.ratio, "incremental_roas"),
        "engagement_rate_pct": f"engagements ÷ {k.get('engagement_basis') or settings.engagement_basis}",
    }
    boxes = [
        {"label": catalogue.get(key).label, "value": catalogue.headline_text(key, k.get(key)), "note": note}
        for key, note in notes.items()
    ]
    boxes.append(
        {
            "label": catalogue.get("poor_performers").label,
            "value": f"{fmt.count(k.get('poor_performers'))} of {fmt.count(k.get('influencers'))}",
            "note": POOR_PERFORMER.text(settings),
        }
    )
    return boxes


def _incremental_note(k: dict, baseline: str, formatter, key: str) -> str:
    if no_post_words(k):
        return f"measured: {NO_POST}"
    if k.get("incrementality_method") == "event-window":
        interval = f"measured: {formatter(k.get(key + '_low'))} to {formatter(k.get(key + '_high'))}"
        note = indistinguishable_note(k)
        return f"{interval}, {note}" if note else interval
    return f"assumed baseline {baseline}"


def _metric_row(key: str, k: dict) -> dict:
    """A label / value row of a catalogue metric, in its full text."""
    metric = catalogue.get(key)
    return {"label": metric.label, "value": metric.text(k.get(key))}


def _incremental(k: dict, settings, lift_rows: list[dict] | None = None, lift_count: int | None = None) -> dict:
    """The incremental view: measured (with the lift table: its first rows `lift_rows` of
    `lift_count`) or at the assumed baseline."""
    if k.get("incrementality_method") == "event-window":
        return _measured_incremental(k, lift_rows or [], lift_count)
    share = k.get("baseline_share", settings.baseline_share)
    baseline_amount = (_num(k.get("revenue")) or 0) * share
    return {
        "title": "Incremental view (assumed baseline)",
        "rows": [
            {"label": "Attributed revenue", "value": fmt.inr(k.get("revenue"))},
            {"label": f"Assumed baseline ({fmt.share(share, 1)})", "value": fmt.inr(-baseline_amount)},
            _metric_row("incremental_revenue", k),
            _metric_row("spend", k),
            _metric_row("incremental_roas", k),
        ],
        "assumption": (
            f"Assumption: {fmt.share(share, 1)} of attributed revenue would have happened without the campaigns "
            f"(setting baseline_share = {share:g}). Incremental revenue = revenue × (1 − baseline share); "
            "incremental ROAS = incremental revenue ÷ spend. This is an assumed baseline, not a measured lift "
            f"({k.get('incrementality_reason') or 'the data cannot support a measurement'})."
        ),
    }


def _measured_incremental(k: dict, lift_rows: list[dict], lift_count: int | None = None) -> dict:
    """The lift section: measured incremental revenue and ROAS with intervals, the method, and the
    creators with the largest measured lift."""
    window, confidence = k.get("incrementality_window_days"), fmt.share(k.get("incrementality_confidence"), 0)
    money = fmt.inr_compact
    # an interval that includes 0 reads as no measured effect (METRICS.md), whatever the estimate's sign
    note = f": {indistinguishable_note(k)}" if indistinguishable_note(k) else ""
    return {
        "title": f"Measured lift ({window}-day windows against each creator's quiet days)",
        "rows": [
            {"label": "Attributed revenue", "value": fmt.inr(k.get("revenue"))},
            _metric_row("incremental_revenue", k),
            {
                "label": f"{confidence} interval",
                "value": no_post_words(k)
                or f"{fmt.inr(k.get('incremental_revenue_low'))} to {fmt.inr(k.get('incremental_revenue_high'))}{note}",
            },
            {
                **_metric_row("incremental_share", k),
                "value": f"{catalogue.get('incremental_share').text(k.get('incremental_share'))} {share_basis_words(k)}",
            },
            {
                "label": catalogue.get("incremental_roas").label,
                "value": f"{fmt.ratio(k.get('incremental_roas'))}"
                + (
                    ""
                    if no_post_words(k)
                    else f" ({fmt.ratio(k.get('incremental_roas_low'))} to "
                    f"{fmt.ratio(k.get('incremental_roas_high'))}){note}"
                ),
            },
        ],
        "assumption": (
            f"Method: a creator's baseline is its typical attributed revenue on quiet days (far from its posts), "
            f"by weekday and by the movement of the creators quiet on the same dates (a sale for everyone is not "
            f"lift); a post's incremental revenue is its {window}-day window's revenue beyond that baseline, "
            f"overlapping windows merged. Intervals: stationary bootstrap of the quiet days. Results whose interval "
            f"includes 0 are not distinguishable from baseline. Assumes nothing moved one creator's sales alone "
            f"inside its windows."
        ),
        "table": _table(
            "Lift per creator (largest first)",
            [
                ("name", "Name", str),
                ("posts", "Posts", fmt.count),
                ("incremental_revenue", "Incremental", money),
                ("incremental_revenue_low", "Low", money),
                ("incremental_revenue_high", "High", money),
                ("incremental_roas", "Incr. ROAS", fmt.ratio),
                # The lift's sign (positive / negative / not distinguishable), not the creator's
                # scale / renew / review / drop verdict: headed so that the two are not confused.
                ("verdict", "Lift", str),
            ],
            lift_rows,
            limit=MAX_TABLE_ROWS,
            total=lift_count,
        ),
    }


def _organic(check: dict) -> dict:
    """The organic-sales check under the lift section: total brand-sales lift per campaign beside the
    attributed lift, or how to add the file it needs."""
    title = "Organic-sales check: total brand sales around campaigns"
    if not check["available"]:
        return {"title": title, "note": f"Not run: {NO_FILE}. To run it, {HOW_TO_ADD}.", "table": None}
    confidence = fmt.share(check["confidence"], 0)
    note = (
        "A model of each brand's total daily sales (attributed or not) in the 13 weeks before a campaign (level "
        f"and weekday pattern, statsmodels' UnobservedComponents) forecasts its sales without it; total lift is "
        f"actual minus forecast over the campaign and the {check['window_days']} days after ({confidence} "
        "interval). Halo: the total's interval lies above the attributed lift's; cannibalisation: below; "
        "consistent: they overlap. Assumes nothing else changed sales in the window."
    )
    money = fmt.inr_compact
    columns = [
        ("brand", "Brand", str),
        ("campaign", "Campaign", str),
        ("start", "Start", str),
        ("window_end", "Window end", str),
        ("total_lift", "Total lift", money),
        ("total_lift_low", "Low", money),
        ("total_lift_high", "High", money),
        ("attributed_lift", "Attributed", money),
        ("verdict", "Verdict", str),
    ]
    rows = check["rows"]
    skipped = [row for row in rows if row["total_lift"] is None]
    if skipped:
        note += f" Not checked: {len(skipped)} campaign{'s' if len(skipped) != 1 else ''} (too little history before "
        note += "it, always on, or past the organic sales; the dashboard and the hkdash lift command say which)."
    shown = [row for row in rows if row["total_lift"] is not None]
    table = _table("", columns, shown, limit=MAX_TABLE_ROWS, empty="No campaign of the selection could be checked.")
    return {"title": title, "note": note, "table": table}


def _findings(wh, filters, settings, evidence: insights.Evidence) -> list[str]:
    """The same key findings as the /insights page (metrics.key_findings)."""
    if not (_num(evidence.kpis.get("revenue")) or _num(evidence.kpis.get("spend"))):
        return ["This selection has no sales and no spend: there is nothing to report for these filters."]
    return [item["text"] for item in metrics.key_findings(wh, filters, settings, evidence)]


def _recommendations(wh, filters, settings, evidence: insights.Evidence, chosen=None, asked=None) -> list[dict]:
    """The same recommendations as the /insights page (metrics.recommendations), with their numbers;
    `chosen`: the plan the report made already (metrics.planning.Plan), or None; `asked`: the Budget
    plan section's plan, whose difference from `chosen` the planner's item says (default_plan_note)."""
    note = default_plan_note(chosen, asked) if chosen is not None and asked is not None else None
    return [
        {"text": _with_plan_note(item, note), "evidence": item["evidence"]}
        for item in insights.recommendations(wh, filters, settings, evidence, chosen)
    ]


def _with_plan_note(item: dict, note: tuple[str, str] | None) -> str:
    """The item's text between `note`'s lead and tail (which plan it is from, which plan the report
    shows: default_plan_note) where the planner made it."""
    if note and item["action"] in insights.PLANNER_ACTIONS:
        return f"{note[0]} {item['text']} {note[1]}"
    return item["text"]


def _column(key: str, header: str | None = None) -> tuple[str, str, Any]:
    """A table column: text as it is, or a catalogue metric with its header and short formatter."""
    if key in catalogue.CATALOGUE:
        metric = catalogue.get(key)
        return key, header or metric.column_header, metric.short
    return key, header or key.replace("_", " ").capitalize(), str


def _column_texts(key: str, formatter: Any, rows: list[dict]) -> list[str]:
    """The texts of column `key` in `rows`: text as it is; a catalogue metric's short text or short
    rupees (fmt.inr_compact) in one unit and precision for the whole column (docs/metrics.md
    "Display", as the grids read counts); any other formatter value by value."""
    values = [row.get(key) for row in rows]
    if formatter is str:
        return ["" if v is None else str(v) for v in values]
    if formatter is fmt.inr_compact:
        return fmt.money_column(values)
    metric = catalogue.CATALOGUE.get(key)
    if metric and formatter == metric.short:
        return metric.column(values)
    return [formatter(v) for v in values]


def _table(
    title: str,
    columns: list[tuple[str, str, Any]],
    rows: list[dict],
    note: str = "",
    limit: int | None = None,
    empty: str | None = None,
    total: int | None = None,
) -> dict:
    """A table of `rows` (dicts) in `columns`; with `limit`, its first `limit` rows and a note
    "Showing limit of total" (`total`: how many rows there are when only the first were given);
    `footnote` says why the shown ratios that read "—" are undefined (catalogue.undefined_footnote)
    and why costs per unit read ₹0.00 (catalogue.zero_cost_footnote), None when none does."""
    numeric = [i for i, (_, _, f) in enumerate(columns) if f is not str]
    shown = rows if limit is None else rows[:limit]
    causes = [(header, catalogue.undefined_cause(key, row)) for key, header, _ in columns for row in shown]
    total = len(rows) if total is None else total
    if limit is not None and total > limit:
        note = (note + " " if note else "") + f"Showing {limit} of {total}; the dashboard has them all."
    return {
        "title": title,
        "note": note,
        "columns": [c for _, c, _ in columns],
        "numeric": numeric,
        "rows": [list(cells) for cells in zip(*(_column_texts(key, f, shown) for key, _, f in columns))]
        if shown
        else [],
        "empty": empty,
        "footnote": " ".join(
            note
            for note in (
                catalogue.undefined_footnote(causes),
                catalogue.zero_cost_footnote(
                    (header, catalogue.zero_cost_note(key, row)) for key, header, _ in columns for row in shown
                ),
            )
            if note
        )
        or None,
    }


def _top(ranked: pd.DataFrame) -> list[dict]:
    """The top performers: the ranking's first TOP_N with a defined ROAS (ranked by pooled ROAS) that
    are not poor performers: with few creators in a selection, the rest of the list would otherwise be
    filled with creators the next table flags. Each with verdict_text (_with_verdict)."""
    if ranked is None or ranked.empty:
        return []
    roas = pd.to_numeric(ranked["roas"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return [
        _with_verdict(r)
        for r in _records(ranked[np.isfinite(roas) & ~_flag(ranked, "poor_performer").to_numpy()].head(TOP_N))
    ]


def _with_verdict(row: dict) -> dict:
    """`row` with verdict_text, its verdict as the tables print it ("too early to judge" below the
    evidence bar: such a creator stays in the lists, as METRICS.md ranks it, but is named so)."""
    return dict(row, verdict_text=verdict_label(row.get("verdict")))


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column as a mask (missing: False)."""
    return frame[column].fillna(False).astype(bool)


def _poor(poor: list[dict], settings) -> list[dict]:
    """Poor performers by spend, largest first, each with the reason it is flagged."""
    return [
        _with_verdict(dict(r, reason=POOR_PERFORMER.reasons(r, settings)))
        for r in sorted(poor, key=lambda r: (-(_num(r.get("spend")) or 0), str(r["influencer_id"])))
    ]


def _tables(k, top, poor, platforms, categories, campaigns, payouts, settings, pacing=()) -> list[dict]:
    """The report's tables; `top` is _top's rows, `poor` the known poor performers."""
    poor_rows = _poor(poor, settings)
    too_early = f"{verdict_label(TOO_EARLY)}: below the evidence bar of {evidence_bar(settings)}"
    total_spend = _num(k.get("spend")) or 0
    payout_rows = [r for r in payouts if (_num(r.get("spend")) or 0) > 0]
    if payout_rows:
        payout_rows = payout_rows + [
            {"basis": "Total", "spend": total_spend, "spend_share": 1.0 if total_spend else None, "influencers": None}
        ]

    def columns(*keys: str | tuple[str, str]) -> list:
        return [_column(*key) if isinstance(key, tuple) else _column(key) for key in keys]

    return [
        _table(
            "Top 10 influencers by ROAS",
            columns(
                "rank",
                "name",
                "platform",
                "category",
                "revenue",
                "spend",
                "roas",
                "roi_pct",
                "cac",
                "efficiency_score",
                ("verdict_text", "Verdict"),
            ),
            top,
            note="Ranked by pooled ROAS (revenue ÷ spend), poor performers left out; efficiency = efficiency score "
            f"0–100; verdict as on the dashboard ({too_early}).",
        ),
        _table(
            "Poor performers",
            columns(
                "name",
                "platform",
                "revenue",
                "spend",
            )
            # the Why column's digits: "2.00x" beside "ROAS 1.999x < 2x" contradicted it
            + [("roas", catalogue.get("roas").column_header, lambda roas: POOR_PERFORMER.roas_text(roas, settings))]
            + columns(
                "roi_pct",
                ("reason", "Why"),
                ("verdict_text", "Verdict"),
            ),
            poor_rows,
            limit=MAX_TABLE_ROWS,
            note=f"{POOR_PERFORMER.text(settings)}; by spend, largest first; verdict as on the dashboard "
            f"({too_early}).",
            empty="No poor performers in this selection.",
        ),
        _table(
            "Platforms",
            columns(
                "platform",
                "influencers",
                "revenue",
                "spend",
                "roas",
                "roi_pct",
                "orders",
                "cac",
                "revenue_share",
            ),
            platforms,
        ),
        _table(
            "Categories",
            columns(
                "category",
                "influencers",
                "followers",
                "revenue",
                "spend",
                "roas",
                "roi_pct",
                "revenue_share",
            ),
            categories,
        ),
        _table(
            "Campaigns",
            columns(
                "campaign",
                "revenue",
                "spend",
                "roas",
                "orders",
                "cac",
                "revenue_share",
            ),
            campaigns,
            limit=MAX_TABLE_ROWS,
            note="By revenue, largest first. Unattributed: sales or costs with no campaign.",
        ),
        _table(
            "Payouts by basis",
            columns(
                "basis",
                "spend",
                "spend_share",
                "influencers",
            ),
            payout_rows,
            note="What the spend pays for. Hybrid = per-post fee plus commission.",
            empty="No spend in this selection.",
        ),
    ] + ([_pacing_table(pacing, settings)] if pacing else [])


def _pacing_table(rows: list[dict], settings) -> dict:
    """Budgeted campaigns against time elapsed (metrics.pacing), the ones needing attention first."""
    keys = ("campaign", ("status", "Status"), "budget", "spend", "budget_used_pct", "elapsed_pct", "pacing_index")
    columns = [_column(*key) if isinstance(key, tuple) else _column(key) for key in keys]
    columns += [_column("projected_spend")]
    return _table(
        "Budget pacing",
        columns,
        rows,
        limit=MAX_TABLE_ROWS,
        note=f"As of the last sale date; pacing = budget used ÷ time elapsed, beyond 1 ± "
        f"{fmt.pct(settings.pacing_tolerance_pct, 0)} flagged. Each budget against the campaign's whole cost.",
    )


# The figures the methodology appendix explains, in its order (all from the metric catalogue).
METHODOLOGY_METRICS = (
    "revenue",
    "orders",
    "spend",
    "roas",
    "roi_pct",
    "aov",
    "cost_per_order",
    "new_customers",
    "cac",
    "incremental_revenue",
    "incremental_roas",
    "engagements",
    "engagement_rate_pct",
    "cpe",
    "cpm",
    "revenue_per_follower",
    "efficiency_score",
)


def _formula(key: str, settings) -> tuple[str, str, str]:
    """(label, formula, note) of a catalogue metric: a ratio's computation and when it is undefined."""
    metric = catalogue.get(key)
    note = metric.note.format(**catalogue.setting_words(settings))
    if isinstance(metric.computed, catalogue.Ratio):
        formula = metric.computed.describe().replace("_", " ")
        if key == "engagement_rate_pct":
            formula = formula.replace("reach", settings.engagement_basis)
        return (
            metric.label,
            formula,
            "; ".join(part for part in (note, f"“—” when {metric.computed.undefined_when}") if part).replace("_", " "),
        )
    return metric.label, metric.formula_for(settings), note


def _methodology(settings, undated: dict | None) -> dict:
    tiers = settings.tier_bounds
    formulas = [_formula(key, settings) for key in METHODOLOGY_METRICS]
    formulas += [
        ("Poor performer", POOR_PERFORMER.text(settings), ""),
        ("Tiers", f"{catalogue.tier_text(settings)} (followers)", ""),
    ]
    notes = [
        "Ratios are pooled (ratio of sums over the selection). “—” means undefined: the denominator is zero "
        "(AOV also where revenue is ≤ ₹0; a share where the total is ≤ ₹0); the line under each table says "
        "why for the “—” it shows.",
        "Spend follows the filters: platform, category and tier select whole influencers; brand, campaign, product "
        "and dates take a share of each influencer's cost — fixed fees and gifted products follow the influencer's "
        "posts in the selection, per-order fees and commissions follow its sales in the selection. Parts always add "
        "up to the whole.",
        "Sales or costs without a date are in the totals but excluded by any date filter and left out of the "
        "time chart. Sales or costs without a brand, campaign or product are shown as “Unattributed”.",
        "Sales given only as a total per influencer (no tracking file) follow the influencer's posts: an equal "
        "share per post, dated by the post and branded where the post names a brand; influencers without posts "
        "keep them undated. A filter on something no sale carries cannot split them; the cover says so.",
        "Sales and payouts of influencers missing from the influencer list are kept under platform and category "
        "“Unknown”. The tracking source (promo code, link, swipe-up…) is never used as the platform.",
        f"{catalogue.get('incremental_share').formula}.",
        "Money is in Indian Rupees with Indian digit grouping; L = lakh (₹1,00,000), Cr = crore (₹1,00,00,000).",
    ]
    if undated and (undated.get("revenue") or undated.get("spend")):
        notes.append(
            f"In this selection {fmt.inr(undated.get('revenue'))} of revenue and {fmt.inr(undated.get('spend'))} "
            "of spend carry no date."
        )
    settings_rows = [
        {"label": "Baseline share (incrementality)", "value": f"{settings.baseline_share:g}"},
        {"label": "New-customer share (no user ids)", "value": f"{settings.new_customer_share:g}"},
        {"label": "Poor performer: ROI below", "value": POOR_PERFORMER.bars(settings)["roi"]},
        {"label": "Poor performer: ROAS below", "value": POOR_PERFORMER.bars(settings)["roas"]},
        {"label": "Engagement rate denominator", "value": settings.engagement_basis},
        {"label": "Tier bounds (micro, mid, macro, mega)", "value": ", ".join(fmt.count(b) for b in tiers)},
    ]
    return {
        "intro": "Every figure in this report is computed by the same functions as the dashboard, over the filters "
        "on the cover.",
        "formulas": [{"name": n, "formula": f, "note": note} for n, f, note in formulas],
        "settings": settings_rows,
        "notes": notes,
    }


def _charts(
    ts, platforms_df, cat_plat_df, ranked_df, payouts_df, engagement_df, undated: dict | None, settings
) -> list[dict]:
    caption_ts = "Bars: revenue and spend per period; line: ROAS (revenue ÷ spend)."
    if undated and (undated.get("revenue") or undated.get("spend")):
        caption_ts += (
            f" Not shown (no date): {fmt.inr_compact(undated.get('revenue'))} revenue, "
            f"{fmt.inr_compact(undated.get('spend'))} spend."
        )
    partial = figures.partial_note(ts)
    if partial:
        caption_ts += f" {partial}"
    return [
        {"title": "Revenue vs spend over time", "figure": figures.revenue_spend_over_time(ts), "caption": caption_ts},
        {
            "title": "ROAS by platform",
            "figure": figures.roas_by_platform(platforms_df),
            "caption": "Pooled ROAS per platform; dotted line = break-even (1x). Undefined ROAS (no spend) reads '—', without a bar.",
        },
        {
            "title": "Category × platform (ROAS)",
            "figure": figures.category_platform_heatmap(cat_plat_df, poor_roas=settings.poor_roas),
            "caption": "Pooled ROAS of each category on each platform and its number of creators; "
            f"{figures.HEATMAP_EMPTY_CELLS}; outlined = ROAS below the poor-performer bar "
            f"({fmt.ratio(settings.poor_roas)}).",
        },
        {
            "title": f"Top {TOP_N} influencers by revenue",
            "figure": figures.top_influencers(ranked_df, n=TOP_N),
            "caption": "Colour = platform.",
        },
        {"title": "Payout mix", "figure": figures.payout_mix(payouts_df), "caption": "Spend by payout basis."},
        {
            "title": "Engagement rate by platform",
            "figure": figures.engagement_by_platform(engagement_df),
            "caption": f"Pooled engagement rate: engagements ÷ {settings.engagement_basis} × 100.",
        },
    ]


def build_context(
    wh,
    filters: metrics.Filters,
    settings: metrics.Settings,
    *,
    now: dt.datetime | None = None,
    about: str | None = None,
    plan_request: PlanRequest = DEFAULT_PLAN,
) -> dict:
    """The report context (see reports.pdf) of a selection, from the metrics API; `about` (the saved
    view a scheduled report was made from) is printed on the cover; `plan_request`: what /plan
    planned (its mode, budget and max change), for the plan section to be the page's plan.

    The figures are computed once per warehouse file version, selection and settings in a process
    (_selection_context); only the cover's clock (generated, imported … days ago) is made per call.
    """
    now = now or dt.datetime.now(dt.UTC)
    version = _file_version(wh)
    body = (
        _compute_context(wh, filters, settings, plan_request)
        if version is None
        else _selection_context(version, filters, settings, plan_request)
    )
    return {
        **body,
        "about": about,
        "dataset": _dataset(body["dataset"], now),
        "generated_at": fmt.timestamp(now),
    }


# Reports of one selection asked again (the Download PDF button clicked twice, several people
# downloading the same view, a scheduled report beside a download) reuse its figures: at 10M
# orders they are 2-3 s of queries and curve fits. A few selections per process; contexts are
# small (formatted rows and the chart figures) and treated as read-only by render_pdf.
SELECTIONS_CACHED = 4


def _file_version(wh) -> tuple | None:
    """The cache key of the warehouse file as it is now (None without a file: nothing is cached):
    an import replaces the file (new inode) and a write changes its mtime, size or write-ahead log,
    so an old entry is never read again."""
    try:
        stat = wh.path.stat()
    except (AttributeError, OSError):
        return None
    wal = wh.path.with_name(wh.path.name + ".wal")
    wal_stat = wal.stat() if wal.exists() else None
    return (
        type(wh),
        str(wh.path),
        stat.st_ino,
        stat.st_mtime_ns,
        stat.st_size,
        (wal_stat.st_mtime_ns, wal_stat.st_size) if wal_stat else None,
    )


@functools.lru_cache(maxsize=SELECTIONS_CACHED)
def _selection_context(
    version: tuple, filters: metrics.Filters, settings: metrics.Settings, plan_request: PlanRequest
) -> dict:
    """The clock-free part of build_context of warehouse file `version` (_file_version), whose
    "dataset" is metrics.dataset_info (formatted per call by _dataset)."""
    kind, path = version[0], version[1]
    return _compute_context(kind(path), filters, settings, plan_request)


def _compute_context(
    wh, filters: metrics.Filters, settings: metrics.Settings, plan_request: PlanRequest = DEFAULT_PLAN
) -> dict:
    k = metrics.kpis(wh, filters, settings)
    bounds = metrics.date_bounds(wh)
    period, start, end = _period(filters, bounds)
    # /overview's series (by sale date): its partial periods are hatched and captioned as on the page
    ts = time_series(
        wh, filters, settings, grain=catalogue.grain_for((end - start).days if start and end else None), basis="sale"
    )
    undated = ts.attrs.get("undated")
    platforms_df = metrics.breakdown(wh, "platform", filters, settings)
    categories_df = metrics.breakdown(wh, "category", filters, settings)
    cat_plat_df = metrics.breakdown(wh, ["category", "platform"], filters, settings)
    campaigns_df = metrics.breakdown(wh, "campaign", filters, settings)
    ranked_df = metrics.ranking(wh, filters, settings)
    payouts_df = metrics.payouts_by_basis(wh, filters, settings)
    engagement_df = metrics.engagement_by_platform(wh, filters, settings)
    info = metrics.dataset_info(wh)
    lift_df = (
        lift_table(wh, "influencer", filters, settings) if k.get("incrementality_method") == "event-window" else None
    )
    # The lift table prints its first MAX_TABLE_ROWS creators (largest lift first) and their count.
    lift_rows = _records(lift_df.head(MAX_TABLE_ROWS)) if lift_df is not None else []
    lift_count = len(lift_df) if lift_df is not None else 0
    sales_notices = metrics.sales_notices(metrics.sales_coverage(wh, filters))
    incremental = {
        **_incremental(k, settings, lift_rows, lift_count),
        "organic": _organic(organic_check(wh, filters, settings)),
    }
    # Findings and recommendations reuse these figures instead of querying them again.
    evidence = insights.Evidence(kpis=k, ranking=ranked_df, by_platform=platforms_df, by_category=categories_df)
    measured = k.get("incrementality_method") == "event-window"
    # Every creator's verdict, lift measured or not: the counts name those too early to judge.
    evidence = insights.judged(wh, evidence, filters, settings)
    verdict_counts = insights.verdict_counts(evidence)
    # One plan for the plan section and the move-budget recommendation (it fits every creator's curve);
    # the section plans what /plan planned where that differs (the recommendation stays /insights' plan).
    chosen = selection_plan(wh, filters, settings) if measured else None
    try:
        asked = requested_plan(wh, filters, settings, plan_request, chosen) if chosen else None
    except PlanError as error:  # /plan shows this error, not a plan: the PDF must not print another plan
        raise ReportError(f"The plan could not be made: {error}") from None
    plan = plan_section(wh, filters, settings, verdict_counts, asked) if asked else None

    # Only the rows the report prints become dicts (the ranking has every creator: 5,000 at 10M orders),
    # each with its verdict (the judged ranking) so a creator too early to judge is named so.
    judged = evidence.ranking
    top = _top(judged)
    poor = _records(judged[_flag(judged, "poor_performer") & _flag(judged, "known")])
    # a platform's CAC of ₹0.00 says why as the selection's does (no post in the selection, or no cost recorded)
    platforms = _records(with_recorded_cost_by(wh, platforms_df, "platform", filters, settings))
    categories = _records(categories_df)
    campaigns, payouts = _records(campaigns_df), _records(payouts_df)
    pacing = _records(metrics.campaign_pacing(wh, filters, settings))
    recommendations = _recommendations(wh, filters, settings, evidence, chosen, asked)
    executive = executive_summary(
        k,
        kpi_comparison(wh, filters, k, settings),
        top,
        _poor(poor, settings),
        pacing,
        plan,
        recommendations,
        settings,
        verdict_counts,
        whole_cost=filters_not_applied(filters),
        by_product=bool(filters.product),
    )
    return {
        "title": TITLE,
        "subtitle": "Campaign performance, return on spend and recommendations for the selection below.",
        "brand": "HealthKart",
        "period": period,
        "filters": _filters(filters),
        "dataset": info,
        "kpis": _kpis(k, settings, by_product=bool(filters.product)),
        "sales_notices": sales_notices,
        "incremental": incremental,
        "findings": _findings(wh, filters, settings, evidence),
        "charts": _charts(ts, platforms_df, cat_plat_df, ranked_df, payouts_df, engagement_df, undated, settings),
        "tables": _tables(k, top, poor, platforms, categories, campaigns, payouts, settings, pacing),
        "recommendations": recommendations,
        "executive": executive,
        "plan": plan,
        "methodology": _methodology(settings, undated),
    }


def build_report(
    wh,
    filters: metrics.Filters | None = None,
    settings: metrics.Settings | None = None,
    *,
    timings: dict | None = None,
    about: str | None = None,
    plan_request: PlanRequest = DEFAULT_PLAN,
) -> bytes:
    """The PDF report (bytes) of the selection `filters` in warehouse `wh`.

    Raises reports.ReportError when charts or the PDF can't be produced; metrics' own errors
    (FilterError, WarehouseMissing) pass through unchanged.
    """
    filters = filters if filters is not None else metrics.Filters()
    settings = settings if settings is not None else metrics.DEFAULT_SETTINGS
    images.prestart()  # Chromium starts while the metrics run (no-op when it is up already)
    t0 = time.perf_counter()
    context = build_context(wh, filters, settings, about=about, plan_request=plan_request)
    t1 = time.perf_counter()
    render_timings: dict = {}
    pdf = render_pdf(context, timings=render_timings)
    if timings is not None:
        timings.update(render_timings)
        timings["metrics"] = t1 - t0
        timings["total"] = time.perf_counter() - t0
    return pdf
