"""The one-creator report: what the creator page shows, as a PDF (template creator.html).

    from reports.creator import build_creator_report
    pdf = build_creator_report(wh, "HK001", metrics.Filters(period="last-90"), metrics.DEFAULT_SETTINGS)

Numbers come from metrics.creator / metrics.audience (as the page), charts from the page's figure
builders, text formatting from metrics.format, the cover, dataset notes and methodology from
reports.build; the template escapes every string.
"""

from __future__ import annotations

import datetime as dt

import metrics
from components import audience_figures, figures
from components.audience_notes import region_note
from metrics import catalogue, periods
from metrics import format as fmt
from metrics.audience import HOW_TO_ADD, creator_audience, creator_regions
from metrics.comparison import change_words
from metrics.creator import CARD_KEYS, contract_scope, creator_view, lift_basis, lift_interval
from metrics.lift import METHOD_MEASURED, NO_POST, indistinguishable_note, no_post_words
from reports import images
from reports.build import MAX_TABLE_ROWS, _dataset, _filters, _methodology, _period, _table
from reports.pdf import render_pdf

TEMPLATE = "creator.html"
MAX_POSTS = 60


def _change_line(comparison: dict, change: float | None) -> str:
    """The card's change line as text ("-12.3% vs previous period (partial)"), or "no earlier
    period" for all dates (the card says why in a tooltip a PDF has not)."""
    if not comparison.get("start"):
        return "no earlier period"
    return f"{catalogue.CHANGE.short(change, periods.CHANGE_DECIMALS)} {change_words(comparison, change)}"


def _kpis(profile: dict, comparison: dict) -> list[dict]:
    """Label, value, its change against the comparison period (or why there is none: "no earlier
    period") with the change's tone, a tag ("estimated": CAC on new customers estimated from orders,
    the card's badge) and a note: as the creator page's cards, a cost per unit of ₹0.00 or any "—"
    says why (catalogue.card_note) below its change line, not in its place, and the incremental ROAS says
    "not distinguishable from baseline" where the creator's interval includes 0."""
    estimated = bool(profile.get("new_customers_estimated"))
    boxes = []
    for key in CARD_KEYS:
        metric = catalogue.get(key)
        change = comparison["change"].get(key)
        boxes.append(
            {
                "label": metric.label,
                "value": metric.short(profile.get(key)),
                "change": _change_line(comparison, change),
                "tone": periods.change_tone(change, metric.higher_is_better),
                "tag": "estimated" if key == "cac" and estimated else None,
                "note": catalogue.card_note(key, profile),
            }
        )
    measured = profile.get("lift_method") == METHOD_MEASURED
    # as the creator page's card: an interval that includes 0 reads as no measured effect, no post
    # in the selection is said instead
    reading = NO_POST if no_post_words(profile) else indistinguishable_note(profile)
    label = f": {reading}" if reading else ""
    boxes.append(
        {
            "label": catalogue.get("incremental_roas").label,
            "value": catalogue.get("incremental_roas").short(profile.get("incremental_roas")),
            "note": f"measured lift ({profile.get('lift_window_days')}-day windows) ÷ spend{label}"
            if measured
            else "assumed baseline",
        }
    )
    return boxes


def _verdict(profile: dict) -> list[dict]:
    rows = [
        {"label": "Verdict", "value": str(profile.get("verdict") or "review").capitalize()},
        {"label": "Why", "value": str(profile.get("verdict_reason") or "—")},
        {
            "label": catalogue.get("incremental_revenue").label,
            "value": catalogue.get("incremental_revenue").text(profile.get("incremental_revenue")),
        },
        {"label": "Interval", "value": lift_interval(profile)},
        {"label": "Lift window", "value": lift_basis(profile)},
        {
            "label": catalogue.get("marginal_roas").label,
            "value": catalogue.get("marginal_roas").text(profile.get("marginal_roas")),
        },
    ]
    return rows


def _posts_table(posts, measured: bool) -> dict:
    columns = [
        ("date", "Date", fmt.date),
        ("platform", "Platform", str),
        ("url", "Link", str),
        ("caption", "Caption", str),
        ("reach", "Reach", catalogue.get("reach").short),
        ("engagements", "Engagements", catalogue.get("engagements").short),
        ("engagement_rate_pct", "Eng. rate", catalogue.get("engagement_rate_pct").short),
    ]
    if measured:
        columns += [
            ("window_revenue", "Window revenue", catalogue.get("window_revenue").short),
            ("incremental_revenue", "Lift", catalogue.get("incremental_revenue").short),
            ("lift_verdict", "Lift verdict", str),
        ]
    rows = [] if posts is None else posts.to_dict("records")
    rows = [dict(r, date=r["date"] if r.get("date") is not None else None) for r in rows]
    shown = [
        (key, header, (lambda v, f=f: "Undated" if v is None else f(v)) if key == "date" else f)
        for key, header, f in columns
    ]
    table = _table(
        "Posts",
        shown,
        rows,
        limit=MAX_POSTS,
        empty="No posts in the selection.",
        note="Oldest first. Link: the post's address as given in the posts file.",
    )
    table["numeric"] = [i for i, (key, _, f) in enumerate(columns) if f not in (str, fmt.date)]
    return table


def _contract_table(payouts, filters: metrics.Filters) -> dict:
    keys = ("posts", "orders", "total_revenue", "terms_cost", "total_payout", "gifted_cost", "total_cost")
    columns = [("basis", "Basis", str), ("rate_text", "Rate as written", str), ("rate", "Terms (parsed)", str)]
    columns += [(key, catalogue.get(key).column_header, catalogue.get(key).short) for key in keys]
    rows = [] if payouts is None else payouts.to_dict("records")
    return _table(
        "Contract and payout terms",
        columns,
        rows,
        note=contract_scope(filters),
        limit=MAX_TABLE_ROWS,
        empty="No payout row for this creator.",
    )


def _regions(wh, influencer_id: str, filters, settings) -> list[dict]:
    """The page's "audience places against sales regions" chart, when the creator's sales carry a region."""
    regions = creator_regions(wh, influencer_id, filters, settings)
    if regions is None:
        return []
    height = audience_figures.regions_height(regions)
    return [
        {
            "title": "Where the audience is, against where sales come from",
            "figure": audience_figures.regions_against_sales(regions, height=height),
            "caption": region_note(regions, regions.attrs.get("has_geography", True), one_creator=True),
            "height": height,
        }
    ]


def _audience(wh, influencer_id: str, filters, settings) -> tuple[list[dict], str | None]:
    """Charts of the creator's audience (and its sales regions against it), or the note of why there
    are none."""
    audience = creator_audience(wh, influencer_id)
    files = audience["files"]
    regions = _regions(wh, influencer_id, filters, settings)
    if not (files["demographics"] or files["geography"]):
        return regions, f"No audience file in this data set. To add one, {HOW_TO_ADD}."
    charts = []
    for dimension, title in (
        ("age_band", "Audience by age band"),
        ("gender", "Audience by gender"),
        ("region", "Audience by place"),
    ):
        frame = audience[dimension]
        if not frame.empty:
            charts.append(
                {
                    "title": title,
                    "figure": audience_figures.audience_shares(frame, height=60 + 26 * len(frame)),
                    "caption": "Share of the creator's audience, from the audience files.",
                    "height": 60 + 26 * len(frame),
                }
            )
    return charts + regions, None if charts or regions else "The audience files have no rows for this creator."


def build_creator_context(
    wh, influencer_id: str, filters: metrics.Filters, settings: metrics.Settings, *, now: dt.datetime | None = None
) -> dict:
    """The report context (reports.pdf, template creator.html) of one creator within a selection.
    Raises metrics.UnknownInfluencer for an id the data set does not have."""
    now = now or dt.datetime.now(dt.UTC)
    view = creator_view(wh, influencer_id, filters, settings)
    profile = view["profile"]
    measured = profile.get("lift_method") == METHOD_MEASURED
    period, _start, _end = _period(filters, metrics.date_bounds(wh))
    name = str(profile.get("name") or influencer_id)
    undated = view["sales_over_time"].attrs.get("undated") or {}
    caption = "Bars: revenue and spend per week; line: ROAS."
    if undated.get("revenue") or undated.get("spend"):
        caption += (
            f" Not shown (no date): {fmt.inr_compact(undated.get('revenue'))} revenue, "
            f"{fmt.inr_compact(undated.get('spend'))} spend."
        )
    by_post = "Each post's window: the sales and spend that follow it, on the post's week."
    charts = [
        {
            "title": "Revenue and spend by sale date",
            "figure": figures.revenue_spend_over_time(view["sales_over_time"]),
            "caption": _with_partial(caption, view["sales_over_time"]),
        },
        {
            "title": "Revenue and spend by post (cohort)",
            "figure": figures.revenue_spend_over_time(view["sales_by_post"]),
            "caption": _with_partial(by_post, view["sales_by_post"]),
        },
    ]
    audience_charts, audience_note = _audience(wh, influencer_id, filters, settings)
    meta = " · ".join(
        str(v) for v in (profile.get("platform"), profile.get("category"), profile.get("tier")) if v not in (None, "")
    )
    return {
        "template": TEMPLATE,
        "title": f"Creator report: {name}",
        "subtitle": "One creator's return on spend, posts, lift, contract, verdict and audience.",
        "brand": "HealthKart",
        "about": f"{name} (influencer id {influencer_id}{', ' + meta if meta else ''})",
        "period": period,
        "filters": _filters(filters),
        "dataset": _dataset(metrics.dataset_info(wh), now),
        "generated_at": fmt.timestamp(now),
        "kpis": _kpis(profile, view["comparison"]),
        "verdict": _verdict(profile),
        "charts": charts + audience_charts,
        "audience_note": audience_note,
        "tables": [_posts_table(view["posts"], measured), _contract_table(view["payouts"], filters)],
        "methodology": _methodology(settings, undated),
    }


def build_creator_report(wh, influencer_id: str, filters=None, settings=None) -> bytes:
    """The one-creator PDF (bytes). Raises metrics.UnknownInfluencer for an unknown id and
    reports.ReportError when charts or the PDF can't be produced."""
    filters = filters if filters is not None else metrics.Filters()
    settings = settings if settings is not None else metrics.DEFAULT_SETTINGS
    images.prestart()
    return render_pdf(build_creator_context(wh, influencer_id, filters, settings))


def _with_partial(caption: str, ts) -> str:
    """A time chart's caption with what its hatching means (figures.partial_note), where it hatches."""
    partial = figures.partial_note(ts)
    return f"{caption} {partial}" if partial else caption
