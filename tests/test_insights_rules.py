"""metrics.insights rules one by one, on hand-made creators and breakdowns (numbers worked by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics import insights
from metrics.settings import Settings

SETTINGS = Settings()  # poor performer: ROAS < 2 or ROI < 50 %


def creator(cid, revenue, spend, *, score=None, poor=None, known=True, estimated=False, name=None):
    roas = revenue / spend if spend else None
    roi = (revenue - spend) / spend * 100 if spend else None
    if poor is None:
        poor = bool(spend) and (revenue == 0 or roas < SETTINGS.poor_roas or roi < SETTINGS.poor_roi_pct)
    return {
        "influencer_id": cid,
        "name": name or f"Creator {cid}",
        "platform": "Instagram",
        "category": "Fitness",
        "tier": "micro",
        "known": known,
        "revenue": revenue,
        "spend": spend,
        "orders": 10,
        "new_customers": 5,
        "new_customers_estimated": estimated,
        "roas": roas,
        "roi_pct": roi,
        "cac": spend / 5 if spend else None,
        "cost_per_order": spend / 10,
        "efficiency_score": score,
        "poor_performer": poor,
    }


def creators(*rows):
    return insights.creators_of(pd.DataFrame(list(rows)))


def ids(items):
    return [i["numbers"]["influencer_id"] for i in items]


def test_creators_keep_known_rows_but_total_every_row():
    got = creators(creator("A", 1000, 100), creator("Z", 500, 400, known=False), creator("B", 0, 0))
    assert [c["influencer_id"] for c in got.rows] == ["A", "B"]
    assert (got.revenue, got.spend) == (1500.0, 500.0)
    assert got.pooled_roas == pytest.approx(3.0)
    assert [c["influencer_id"] for c in got.funded] == ["A"]
    assert creators(creator("B", 10, 0)).pooled_roas is None


def test_scale_needs_the_selection_roas_and_no_flag():
    # Pooled ROAS = (3000 + 4000 + 1000 + 900) / (1000 + 1000 + 1000 + 100) = 8900 / 3100 = 2.87x.
    group = creators(
        creator("A", 3000, 1000, score=60),
        creator("B", 4000, 1000, score=80),
        creator("C", 1000, 1000, score=99),
        creator("D", 900, 100, score=None),
    )
    items = insights.scale_items(group)
    # A (3.0x) and B (4.0x) and D (9.0x) clear 2.87x; C (1.0x) does not. Order: score, then revenue.
    assert ids(items) == ["B", "A", "D"]
    assert items[0]["text"].startswith("Scale: Creator B. ROAS 4.00x against 2.87x for the selection")
    assert items[0]["reason"].endswith("efficiency score 80/100.")
    assert items[2]["reason"].endswith("spend.")  # no score: no score sentence
    assert all(i["numbers"]["selection_roas"] == pytest.approx(8900 / 3100) for i in items)


def test_scale_keeps_at_most_max_per_action_and_needs_spend():
    group = creators(*[creator(f"C{i}", 5000 + i, 1000, score=50 + i) for i in range(5)])
    assert ids(insights.scale_items(group)) == ["C4", "C3", "C2"][: insights.MAX_PER_ACTION]
    assert insights.scale_items(creators(creator("A", 100, 0))) == []


def test_renew_takes_the_rest_that_clear_the_bar():
    group = creators(
        creator("A", 5000, 1000),
        creator("B", 3000, 1000),
        creator("C", 2500, 1000),
        creator("D", 1500, 1000),
        creator("E", 0, 0),
    )
    # C: ROAS 2.5 ≥ 2, ROI 150 ≥ 50: clears; D: 1.5x is a poor performer; E: no spend.
    items = insights.renew_items(group, SETTINGS, scaled={"A"})
    assert ids(items) == ["B", "C"]
    assert "Clears the bar (ROI 200.0% ≥ 50%, ROAS 3.00x ≥ 2x)" in items[0]["reason"]


def test_verdict_items_list_the_largest_of_one_verdict_with_its_reason():
    rows = [
        creator(cid, 3000, spend) | {"verdict": verdict, "verdict_reason": f"why {cid}", "marginal_roas": 0.5}
        for cid, spend, verdict in [
            ("A", 500, "renew"),
            ("B", 900, "renew"),
            ("C", 700, "renew"),
            ("D", 800, "renew"),
            ("E", 2000, "drop"),
        ]
    ]
    items = insights.verdict_items(creators(*rows), "renew")
    assert ids(items) == ["B", "D", "C"]  # MAX_PER_ACTION = 3, largest spend first; A is counted, not listed
    assert items[0]["reason"].startswith("why B; ₹3,000 revenue on ₹900 spend")
    assert items[0]["numbers"]["marginal_roas"] == 0.5
    assert ids(insights.verdict_items(creators(*rows), "drop")) == ["E"]


def test_review_is_flagged_but_returns_its_cost():
    group = creators(
        creator("A", 1500, 1000), creator("B", 900, 1000), creator("C", 3000, 1000), creator("D", 1200, 2000)
    )
    items = insights.review_items(group, SETTINGS)
    assert ids(items) == ["A"]  # B and D return less than their cost; C is not flagged
    numbers = items[0]["numbers"]
    assert numbers["spend_share"] == pytest.approx(1000 / 5000)
    assert "ROI 50.0% < 50%" not in items[0]["reason"]
    assert "(ROAS 1.50x < 2x)" in items[0]["reason"]  # ROI 50 % is not below 50 %


def test_poor_performer_prose_follows_the_one_rule():
    """Other thresholds change every sentence that states the rule (catalogue.POOR_PERFORMER)."""
    strict = Settings(poor_roas=3, poor_roi_pct=150)
    group = creators(creator("A", 2500, 1000, poor=True), creator("B", 4000, 1000, poor=False))
    review = insights.review_items(group, strict)
    assert "(ROI 150.0% < 150%; ROAS 2.50x < 3x)" not in review[0]["reason"]  # 150 % is not below 150 %
    assert "(ROAS 2.50x < 3x)" in review[0]["reason"]
    assert (
        "Clears the bar (ROI 300.0% ≥ 150%, ROAS 4.00x ≥ 3x)" in insights.renew_items(group, strict, set())[0]["reason"]
    )
    finding = insights.poor_performers_finding(group, strict)
    assert "(ROI < 150% or ROAS < 3x, or spend with no revenue)" in finding["text"]


def test_drop_is_revenue_below_cost_or_none_largest_spend_first():
    group = creators(creator("A", 0, 500), creator("B", 900, 1000), creator("C", 3000, 1000))
    items = insights.drop_items(group)
    assert ids(items) == ["B", "A"]
    assert items[1]["reason"] == "₹500 spend with no attributed revenue in the selection."
    assert "(ROAS 0.90x): each rupee returns less than a rupee." in items[0]["reason"]
    assert items[0]["numbers"]["spend_share"] == pytest.approx(1000 / 2500)


def breakdown(dimension, rows):
    return pd.DataFrame([{dimension: v, "revenue": r, "spend": s, "roas": (r / s if s else None)} for v, r, s in rows])


def test_rated_values_drop_small_unknown_and_undefined():
    frame = breakdown(
        "platform",
        [
            ("Instagram", 4000, 1000),
            ("YouTube", 1000, 1000),
            ("X", 100, 40),
            ("Unknown", 9000, 1000),
            ("Facebook", 500, 0),
        ],
    )
    rated = insights.rated_values(frame, "platform")
    # X holds 40 / 2040 < 5 % of the spend left after Unknown and Facebook (no spend) go.
    assert [(r.value, r.roas, r.spend) for r in rated] == [("Instagram", 4.0, 1000.0), ("YouTube", 1.0, 1000.0)]


def test_move_budget_names_three_segments_and_counts_the_rest():
    assert insights.listed(["a", "b"]) == "a, b"
    assert insights.listed(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"


def test_findings_each_rule():
    rows = [creator(f"C{i}", 1000 * (i + 1), 500, score=i) for i in range(10)]
    group = creators(*rows)
    concentration = insights.concentration_finding(group)
    assert concentration["numbers"]["top_n"] == 1 and concentration["numbers"]["influencer_ids"] == ["C9"]
    assert concentration["numbers"]["revenue_share"] == pytest.approx(10_000 / 55_000)
    assert insights.concentration_finding(creators(*rows[:4])) is None  # too few creators

    poor = insights.poor_performers_finding(group, SETTINGS)
    # C0 (2.0x, ROI 100 %) clears the bar; none is flagged: ROAS ≥ 2 everywhere.
    assert poor["numbers"]["count"] == 0 and poor["text"].startswith("No creator in the selection")
    assert insights.poor_performers_finding(creators(creator("A", 10, 0)), SETTINGS) is None

    only = insights.platforms_finding(breakdown("platform", [("Instagram", 4000, 1000)]))
    assert only["numbers"]["worst"] is None and only["text"].startswith("Instagram is the only platform")
    assert insights.platforms_finding(breakdown("platform", [("Facebook", 10, 0)])) is None

    k = {"revenue": 0.0, "baseline_share": 0.3, "incremental_revenue": 0.0, "incremental_roas": None}
    assert insights.incremental_finding(k) is None
    k |= {"revenue": 1000.0, "incremental_revenue": 700.0, "incremental_roas": 1.4}
    assert insights.incremental_finding(k)["text"] == (
        "Assuming 30.0% of attributed revenue would have happened anyway, incremental revenue is ₹700 and "
        "incremental ROAS 1.40x."
    )


def test_concentration_says_why_its_roas_is_undefined():
    """A short date range can hold a creator's sales but none of its fees (they fall on post dates
    outside it): the top creator C9 (₹10,000 revenue, ₹0 spend) of ten drove 10,000 / 55,000 = 18.2 %
    of revenue on 0 % of the ₹4,500 spend, and its ROAS "—" says why."""
    rows = [creator(f"C{i}", 1000 * (i + 1), 0 if i == 9 else 500, score=i) for i in range(10)]
    text = insights.concentration_finding(creators(*rows))["text"]
    assert text == (
        "The top 10% of creators (1 of 10) drove 18.2% of revenue on 0.0% of spend (ROAS —: ₹0 spend in the selection)."
    )
    paid = [creator(f"C{i}", 1000 * (i + 1), 500, score=i) for i in range(10)]
    assert insights.concentration_finding(creators(*paid))["text"].endswith("on 10.0% of spend (ROAS 20.00x).")


def test_poor_performer_finding_counts_too_early_apart_in_words():
    """0, 1 and 2 creators below the poor-performer bar, judged or too early to judge (verdict), in
    sentences whose number and verb agree; shares by hand over ₹3,000 spend and ₹2,700 revenue."""
    rule = insights.POOR_PERFORMER.text(SETTINGS)
    bar = "(the evidence bar: 3 posts and ₹10,000)"

    def finding(*verdicts):
        # G is no poor performer and takes the rest, so every selection has ₹3,000 spend, ₹2,700 revenue
        rest = 2 - len(verdicts)
        rows = [creator("G", 2000 + 350 * rest, 1000 + 1000 * rest, poor=False)]
        rows += [dict(creator(f"P{i}", 350, 1000), verdict=v) for i, v in enumerate(verdicts)]  # ROAS 0.35x
        return insights.poor_performers_finding(creators(*rows), SETTINGS)

    assert finding()["text"] == f"No creator in the selection is a poor performer ({rule})."
    assert finding("drop")["text"] == (
        f"1 poor performer ({rule}) took 33.3% of spend (₹1,000) and brought 13.0% of revenue."
    )
    assert finding("drop", "drop")["text"].startswith(f"2 poor performers ({rule}) took 66.7% of spend (₹2,000)")
    assert finding("too early")["text"] == (
        f"1 creator is below the poor-performer bar ({rule}): too early to judge {bar}. "
        "It took 33.3% of spend (₹1,000) and brought 13.0% of revenue."
    )
    mixed = finding("drop", "too early")
    assert mixed["text"] == (
        f"2 creators are below the poor-performer bar ({rule}): 1 poor performer and 1 too early to judge {bar}. "
        "Together they took 66.7% of spend (₹2,000) and brought 25.9% of revenue."
    )
    assert (mixed["numbers"]["count"], mixed["numbers"]["too_early"]) == (2, 1)
