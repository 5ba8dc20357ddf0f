"""A page's own inputs in the URL (components/page_state.py): parsed strictly, written canonically,
kept when the filter bar rewrites the selection."""

from __future__ import annotations

from callbacks import common
from components import page_state
from metrics.filters import Filters


def test_plan_inputs_are_read_strictly():
    assert page_state.plan_inputs({}) == {"by": "segment", "budget": None, "max_change": 30}
    assert page_state.plan_inputs({"by": "influencer", "budget": "250000", "max_change": "0"}) == {
        "by": "influencer",
        "budget": 250000,
        "max_change": 0,
    }
    # A number out of range stays, for the page to refuse with its message (a shared link showed the
    # ±30 % plan in silence); what no control can hold is dropped there and named by plan_link_error.
    bad = {"by": "tier", "budget": "-5", "max_change": "150"}
    assert page_state.plan_inputs(bad) == {"by": "segment", "budget": -5, "max_change": 150}
    # tester t2: max_change=abc showed 30 in its box beside the refusal; a box a link's value cannot
    # fill is left empty (an empty max_change in the link is the default's, as a missing one)
    assert page_state.plan_inputs({"budget": "nan", "max_change": "abc"}) == {
        "by": "segment",
        "budget": None,
        "max_change": None,
    }
    assert page_state.plan_inputs({"max_change": ""})["max_change"] == 30
    assert page_state.refused_plan_value({"by": "influencer", "max_change": "abc"}) == "max_change"
    assert page_state.refused_plan_value({"max_change": "0"}) is None
    assert page_state.plan_link_error(bad) == (
        "The link's by=tier is not a plan mode (segment or influencer): pick one above."
    )
    assert page_state.plan_link_error({"budget": "nan", "max_change": "abc"}) == (
        "The link's budget=nan is not a number: type the budget (₹) above."
    )
    assert page_state.plan_link_error({"max_change": "abc"}) == (
        "The link's max_change=abc is not a number: type the max change (%) above."
    )
    assert page_state.plan_link_error({"by": "influencer", "budget": "", "max_change": "150"}) is None
    assert page_state.lift_inputs({"window": "28"}) == {"window": 28}
    assert page_state.lift_inputs({"window": "21"}) == {"window": 14}


def test_values_are_written_canonically_beside_the_filters():
    search = "?platform=Instagram&budget=100"
    assert page_state.with_values(search, {"budget": 250000.0, "max_change": 30}, page_state.PLAN_DEFAULTS) == (
        "?platform=Instagram&budget=250000"
    )  # the default max change is not written
    assert page_state.with_values(search, {"budget": None}, page_state.PLAN_DEFAULTS) == "?platform=Instagram"
    assert page_state.with_values("", {"window": 14}, page_state.LIFT_DEFAULTS) == ""


def test_a_filter_change_keeps_the_page_inputs():
    current = "?platform=Instagram&budget=250000&max_change=50"
    assert common.search_of(Filters(platform=["YouTube"]), keep=current) == (
        "?platform=YouTube&budget=250000&max_change=50"
    )
    assert common.search_of(Filters(), keep="?window=28") == "?window=28"
    assert common.search_of(Filters(platform=["X"])) == "?platform=X"


def test_audience_inputs_are_read_strictly_and_written_canonically():
    assert page_state.audience_inputs({}) == {"dimension": "age_band", "rule": "weighted"}
    assert page_state.audience_inputs({"dimension": "region", "rule": "dominant"}) == {
        "dimension": "region",
        "rule": "dominant",
    }
    assert page_state.audience_inputs({"dimension": "city", "rule": "mean"}) == page_state.AUDIENCE_DEFAULTS
    assert (
        page_state.with_values(
            "?brand=Gritzo", {"dimension": "gender", "rule": "weighted"}, page_state.AUDIENCE_DEFAULTS
        )
        == "?brand=Gritzo&dimension=gender"
    )
    assert common.search_of(Filters(brand=["bGreen"]), keep="?dimension=region") == "?brand=bGreen&dimension=region"


def test_the_lift_selector_keeps_a_bad_window_in_the_url_until_a_pick():
    """F9: /lift's selector falls back to 14 days for `window=999`; writing that back would drop the
    value and with it the filter bar's notice naming it. A real pick replaces it."""
    from dash import no_update

    from callbacks.page_state import lift_window_to_url

    assert lift_window_to_url(14, "?window=999") is no_update
    assert lift_window_to_url(14, "?platform=X&window=abc") is no_update
    assert lift_window_to_url(28, "?window=999") == "?window=28"
    assert lift_window_to_url(14, "?window=28") == ""


def test_plan_controls_keep_a_links_refused_value_in_the_url_until_a_change():
    """Tester t1: /plan?by=influencer&max_change=abc reloaded as the ±30 % plan with the value
    stripped (the controls' first write put their fallback in the URL). The URL keeps it, and /plan's
    error naming it stays, until a control changes; an out-of-range number is the control's own."""
    from dash import no_update

    from callbacks.page_state import plan_inputs_to_url

    assert plan_inputs_to_url("influencer", None, None, "?by=influencer&max_change=abc") is no_update
    assert plan_inputs_to_url("segment", None, 30, "?by=tier") is no_update
    assert plan_inputs_to_url("influencer", None, 40, "?by=influencer&max_change=abc") == (
        "?by=influencer&max_change=40"
    )
    assert plan_inputs_to_url("influencer", None, 150, "?by=influencer&max_change=150") is no_update
