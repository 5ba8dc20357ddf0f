"""Campaign pacing (metrics/pacing.py): hand-computed on the traps fixture, the status rule, invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import metrics
from metrics import Filters, Settings
from metrics.pacing import elapsed_share, pacing_status


def test_traps_campaigns_by_hand(traps_wh):
    frame = metrics.campaign_pacing(traps_wh)
    # As of the last sale, 15 Feb 2025. MB Jan runs 1 Jan – 28 Feb (59 days), 46 of them run;
    # its whole cost is ₹7,200 of a ₹50,000 budget.
    mb = frame.set_index("campaign").loc["MB Jan"]
    assert mb["elapsed_pct"] == pytest.approx(46 / 59 * 100)
    assert mb["budget_used_pct"] == pytest.approx(14.4)
    assert mb["pacing_index"] == pytest.approx(14.4 / (46 / 59 * 100))
    assert mb["projected_spend"] == pytest.approx(7200 * 59 / 46)
    assert mb["status"] == "underspending"
    # HK Feb: 1–28 Feb (28 days), 15 run; ₹1,650 of ₹20,000.
    hk = frame.set_index("campaign").loc["HK Feb"]
    assert hk["elapsed_pct"] == pytest.approx(15 / 28 * 100)
    assert hk["projected_used_pct"] == pytest.approx(1650 * 28 / 15 / 20000 * 100)
    assert "Unattributed" not in set(frame["campaign"])  # no budget: not paced


def test_only_campaign_and_brand_filters_apply(traps_wh):
    whole = metrics.campaign_pacing(traps_wh)
    narrowed = metrics.campaign_pacing(traps_wh, Filters(platform=("Instagram",), start=dt.date(2025, 2, 1)))
    assert narrowed.equals(whole)  # a budget is compared with the whole cost, whatever the other filters
    assert list(metrics.campaign_pacing(traps_wh, Filters(brand=("HKVitals",)))["campaign"]) == ["HK Feb"]
    assert list(metrics.campaign_pacing(traps_wh, Filters(campaign=("MB Jan",)))["campaign"]) == ["MB Jan"]


def test_as_of_a_later_day_and_an_overrun(traps_wh):
    ended = metrics.campaign_pacing(traps_wh, as_of=dt.date(2025, 3, 31)).set_index("campaign")
    assert ended.loc["MB Jan", "elapsed_pct"] == 100 and ended.loc["MB Jan", "status"] == "ended under budget"
    assert ended.loc["MB Jan", "projected_spend"] == 7200  # ended: the spend itself
    early = metrics.campaign_pacing(traps_wh, as_of=dt.date(2025, 1, 15)).set_index("campaign")
    assert early.loc["HK Feb", "status"] == "not started" and early.loc["HK Feb", "elapsed_pct"] == 0
    assert early["pacing_index"].isna()["HK Feb"]  # undefined, shown "—"


@pytest.mark.parametrize(
    "used, elapsed, status",
    [
        (101, 0.5, "over budget"),
        (50, None, "no dates"),
        (0, 0.0, "not started"),
        (95, 1.0, "ended"),
        (89.9, 1.0, "ended under budget"),
        (56, 0.5, "overpacing"),
        (55, 0.5, "on pace"),
        (45, 0.5, "on pace"),
        (44, 0.5, "underspending"),
    ],
)
def test_status_rule(used, elapsed, status):
    assert pacing_status(used, elapsed, 10.0) == status


def test_elapsed_counts_both_ends():
    start, end = dt.date(2025, 1, 1), dt.date(2025, 1, 10)
    assert elapsed_share(start, end, dt.date(2025, 1, 1)) == pytest.approx(0.1)
    assert elapsed_share(start, end, dt.date(2024, 12, 31)) == 0
    assert elapsed_share(start, end, dt.date(2025, 2, 1)) == 1
    assert elapsed_share(end, start, dt.date(2025, 1, 5)) is None


@given(
    st.integers(0, 400),
    st.integers(0, 400),
    st.integers(-30, 500),
    st.floats(0, 1e6),
    st.floats(1, 1e6),
)
def test_projection_never_below_spend_and_status_agrees(offset, length, run, spend, budget):
    start = dt.date(2025, 1, 1) + dt.timedelta(days=offset)
    end = start + dt.timedelta(days=length)
    elapsed = elapsed_share(start, end, start + dt.timedelta(days=run))
    assert elapsed is not None and 0 <= elapsed <= 1
    used = spend / budget * 100
    status = pacing_status(used, elapsed, 10.0)
    if elapsed:
        assert spend / elapsed >= spend - 1e-9
    assert (status == "over budget") == (used > 100)


def test_tolerance_is_a_setting():
    with pytest.raises(ValueError, match="pacing_tolerance_pct"):
        Settings(pacing_tolerance_pct=0)
    assert pacing_status(56, 0.5, Settings(pacing_tolerance_pct=20).pacing_tolerance_pct) == "on pace"


def test_the_campaigns_page_lists_pacing_rows(traps_wh, monkeypatch):
    monkeypatch.setenv("HKDASH_DB", str(traps_wh.path))
    import app  # noqa: F401  (registers the pages and callbacks)
    from callbacks import campaigns

    rows, note = campaigns.campaign_pacing_table("?platform=Instagram")
    assert [(r["campaign"], r["status"]) for r in rows] == [("MB Jan", "underspending"), ("HK Feb", "underspending")]
    assert rows[0]["budget"] == 50000 and rows[0]["start_date"] == "2025-01-01"
    assert "15 Feb 2025" in note and "1 ± 10%" in note
    rows, note = campaigns.campaign_pacing_table("?campaign=Unattributed")
    assert rows == [] and "has a budget" in note


def test_the_pdf_has_a_pacing_table(traps_wh):
    from reports.build import build_context

    tables = {t["title"]: t for t in build_context(traps_wh, Filters(), metrics.DEFAULT_SETTINGS)["tables"]}
    pacing = tables["Budget pacing"]
    assert pacing["columns"][:3] == ["Campaign", "Status", "Budget"]
    assert pacing["rows"][0][:4] == ["MB Jan", "underspending", "₹50,000", "₹7,200"]
