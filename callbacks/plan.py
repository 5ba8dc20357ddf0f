"""/plan page: the budget plan of the selection, a what-if for one segment, similar profiles."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html
from dash.exceptions import PreventUpdate

import metrics
from callbacks import common
from components import page_state, plan_figures
from components.cards import kpi_card, notice, stat_list
from components.figures import empty_figure
from components.ids import plan as ids
from components.ids.shell import URL
from components.tables import records, table_id
from metrics import catalogue
from metrics import format as fmt
from metrics.planning import PlanError, curve_points, plan, selection_projection, what_if
from metrics.planning.allocate import bounds
from metrics.planning.curves import exponent_at_bound, exponent_bound_text
from metrics.planning.plan import (
    TODAY_ON_CURVES,
    at_todays_budget,
    better_or_worse,
    held_back_text,
    held_text,
    margin_at_plan,
    net_parts_words,
    pooled_text,
    spend_change_words,
    total_label,
    unit_word,
    unvalued_text,
)
from metrics.planning.similar import similar
from warehouse.db import WarehouseMissing

ALLOCATION_FIELDS = [
    "name",
    "tier",
    "platform",
    "posts",
    "current_spend",
    "planned_spend",
    "planned_change",
    "planned_change_pct",
    "expected_incremental_revenue",
    "measured_incremental_revenue",  # beside the plan's figure, which is not the creator's own (tester t1)
    "expected_incremental_revenue_low",
    "expected_incremental_revenue_high",
    "current_marginal_roas",
    "planned_marginal_roas",
    "bound",
]
SIMILAR_FIELDS = [
    "name",
    "similarity",
    "shared",
    "platform",
    "tier",
    "spend",
    "incremental_roas",
    "marginal_roas",
    "verdict",
    "under_funded",
    "influencer_id",
]
SIMILAR_CHOICES = 200  # creators offered in the similar-profiles menu: the largest by revenue


def max_change_share(value, by: str) -> float:
    """The max-change input (%) as a share; the default where empty. Raises PlanError outside
    0–100 %, naming the plan's unit (`by`: "segment" or "influencer"): a number the user typed is
    never replaced by the default in silence."""
    pct = ids.DEFAULT_MAX_CHANGE_PCT if value in (None, "") else float(value)
    if not 0 <= pct <= 100:
        raise PlanError(f"Max change must be between 0 and 100 % of each {unit_word(by)}'s spend today, not {pct:g} %.")
    return pct / 100


def plan_of(search, by, budget, max_change):
    """(filters, settings, Plan) of the page's inputs; raises PlanError / FilterError, and PlanError
    where the URL asks what the controls cannot show (page_state.plan_link_error)."""
    refused = page_state.plan_link_error(page_state.query_of(search))
    if refused:
        raise PlanError(refused)
    return plan_of_controls(search, by, budget, max_change)


def plan_of_controls(search, by, budget, max_change):
    """plan_of of the controls' values alone, whatever the link asks that they cannot show (its
    filters and settings still apply)."""
    filters, settings = common.filters_from_search(search), common.settings(search)
    budget = None if budget in (None, "") else float(budget)  # nan / inf: refused by check_budget
    by = by or "segment"
    chosen = plan(common.warehouse(), budget, by, max_change_share(max_change, by), filters, settings)
    return filters, settings, chosen


def plan_request(search):
    """What the page plans for the URL `search` (reports.plan_section.PlanRequest: its by, budget and
    max change, read as the page's controls read them), for the PDF to plan the same; raises
    PlanError where the page shows that error instead of a plan."""
    from reports.plan_section import PlanRequest  # the report's module: imported on the PDF click

    query = page_state.query_of(search)
    refused = page_state.plan_link_error(query)
    if refused:
        raise PlanError(refused)
    inputs = page_state.plan_inputs(query)
    budget = None if inputs["budget"] is None else float(inputs["budget"])
    return PlanRequest(inputs["by"], budget, max_change_share(inputs["max_change"], inputs["by"]))


def allocation_rows(chosen) -> list[dict]:
    """The allocation grid's rows: the plan's rows under their catalogue keys."""
    rows = chosen.rows.rename(
        columns={
            "low": "expected_incremental_revenue_low",
            "high": "expected_incremental_revenue_high",
            "marginal_roas": "planned_marginal_roas",  # at the planned spend, beside today's
        }
    )
    return records(rows, ALLOCATION_FIELDS)


def plan_cards(chosen, settings) -> list:
    """Today, planned, the change in expected incremental revenue (each with its interval) and the
    plan's marginal ROAS; where the plan holds money back, the held-back budget and the net effect
    (metrics.planning.plan.net_gain) lead, as a lower spend makes a loss of revenue a saving."""
    today, planned, gain = chosen.totals["current"], chosen.totals["planned"], chosen.totals["gain"]
    margin, basis = margin_at_plan(chosen)
    confidence = fmt.share(chosen.confidence, 0)
    held = chosen.held_back >= 0.5

    def between(name):
        part = chosen.totals[name]
        label = total_label(name, part)
        words = f"{confidence}: {fmt.inr_compact(part['low'])} to {fmt.inr_compact(part['high'])}"
        return f"{words}: {label}" if label else words

    headline = []
    if held:
        net = chosen.totals["net"]
        headline = [
            kpi_card(
                "plan-net",
                "Net effect vs today",
                ("+" if net["value"] >= 0 else "") + fmt.inr_compact(net["value"]),
                "Change in expected incremental revenue − (planned − today's spend): what the plan "
                "leaves better off once the spend it holds back is counted",
                sub=f"{better_or_worse(net['value'])}: {net_parts_words(chosen)}; {between('net')}",
                tone="good" if net["low"] > 0 else "bad" if net["high"] < 0 else None,
            ),
            kpi_card(
                "plan-held-back",
                "Held back",
                fmt.inr_compact(chosen.held_back),
                "Budget the plan does not spend: no unit's next rupee would return break-even",
                # against the budget; the net card counts the saving against today's spend: at another
                # budget than today's they differ, so both are said
                sub=f"of the {fmt.inr_compact(chosen.budget)} budget"
                + ("" if at_todays_budget(chosen) else f"; {spend_change_words(chosen)}"),
            ),
        ]
    return headline + [
        kpi_card(
            "plan-today",
            # the figure is revenue, not spend: "Today's allocation ₹17.23 L" read as today's budget
            "Expected incremental revenue: today",
            fmt.inr_compact(today["expected_incremental_revenue"]),
            "Expected incremental revenue of today's spend on the fitted response curves (creators with a post "
            f"measured in the selection). {TODAY_ON_CURVES}",
            sub=f"{between('current')} (response curves, not the overview's measured interval: ⓘ)",
        ),
        kpi_card(
            "plan-planned",
            "Expected incremental revenue: planned",
            fmt.inr_compact(planned["expected_incremental_revenue"]),
            "Expected incremental revenue of the planned spend"
            + (f" ({fmt.inr_compact(planned['spend'])})" if held else " at the same budget"),
            sub=between("planned"),
        ),
        kpi_card(
            "plan-gain",
            "Change in incremental revenue" if held else "Gain",
            fmt.inr_compact(gain["value"]),
            "Planned − today, on the same bootstrap draws",
            sub=between("gain"),
            tone="good" if gain["low"] > 0 else None,
        ),
        kpi_card(
            "plan-margin",
            catalogue.get("planned_marginal_roas").label,
            fmt.ratio(margin),
            MARGIN_HELP[basis],
            sub=MARGIN_SUB[basis].format(unit=chosen.unit_word)
            + f"; curves of the {settings.lift_window_days}-day lift, exponent {chosen.curves.beta:.2f}"
            + (
                " (at bound: extrapolation unreliable)"
                if exponent_at_bound(chosen.curves.beta, common.settings())
                else ""
            ),
        ),
    ]


# What the card's figure is, under it: which unit's next rupee, at which spend (tester N3: /insights'
# marginal ROAS is today's, spend-weighted over the segments cut; this one is at the planned spend).
MARGIN_SUB = {
    "common": "the {unit}s' common next rupee at their planned spend",
    "best": "best {unit}'s next rupee at its planned spend, all at their max change",
    "none": "no {unit} with a fitted response",
    "cut": "every {unit} cut to ₹0",
    "held": "all held at today's spend: too early to judge",
}
MARGIN_HELP = {
    "common": "The common marginal incremental ROAS of the segments the max change does not stop",
    "best": "Every segment sits at its max-change bound: the best next rupee's incremental return among them",
    "none": "No segment has a fitted response",
    "cut": "The plan cuts every segment to ₹0: no planned spend, so no next rupee to measure at the plan",
    "held": "Every creator is below the evidence bar, so the plan keeps each at today's spend and moves no money",
}


def held_back_notice(chosen, settings):
    """The budget held back at break-even (metrics.planning.plan.held_back_text), or None."""
    text = held_back_text(chosen, settings)
    return notice(text, color="info", icon="bi-piggy-bank") if text else None


def unvalued_notice(chosen, settings):
    """The creators the plan does not move or value on their own, one notice each, or None: one
    curve per segment where τ² = 0 (pooled_text), held as too early (held_text), with spend but no
    measured post (unvalued_text)."""
    texts = [t for t in (pooled_text(chosen), held_text(chosen, settings), unvalued_text(chosen)) if t]
    return [notice(text, color="info", icon="bi-dash-circle") for text in texts] or None


def bound_notice(chosen):
    """A warning when the curves' exponent sits at its bound (metrics.planning.curves.exponent_bound_text)."""
    text = exponent_bound_text(chosen.curves.beta, common.settings())
    return notice(text) if text else None


def budget_help(chosen) -> str:
    """The selection's spend today (₹, the default budget; the unvalued creators' kept spend
    included, as the budget includes it: metrics.planning.plan.plan) and the budgets this max
    change allows."""
    kept = chosen.unvalued_spend
    lower, upper = bounds(chosen.rows["current_spend"].to_numpy(dtype=float), chosen.max_change, held_of(chosen))
    return (
        f"{spend_today(chosen)}; this max change allows {fmt.inr(lower.sum() + kept)} to {fmt.inr(upper.sum() + kept)}"
    )


def spend_today(chosen) -> str:
    """ "Today's spend in the selection ₹X (of which ₹Y kept on creators not valued)"."""
    kept = chosen.unvalued_spend
    of_which = f" (of which {fmt.inr(kept)} kept on creators not valued)" if kept else ""
    return f"Today's spend in the selection {fmt.inr(chosen.rows['current_spend'].sum() + kept)}{of_which}"


def default_budget_help(search, by, max_change) -> str | None:
    """budget_help of the plan at the default budget, so the allowed budgets stay shown beside a
    refused one; beside a refused max change, typed or in the link (max_change=abc: its box is left
    empty), today's spend alone (no budgets to allow); None where no plan can be made at all."""
    if page_state.plan_inputs(page_state.query_of(search))["max_change"] is not None:
        try:
            return budget_help(plan_of_controls(search, by, None, max_change)[2])
        except PlanError:
            pass
    try:
        chosen = plan_of_controls(search, by, None, None)[2]
    except PlanError:
        return None
    return f"{spend_today(chosen)}; the budgets allowed follow from a max change between 0 and 100 %"


def refused_allocation(error: PlanError):
    """The allocation table's place while the plan is refused: why there is no allocation (the
    grid's own empty text would blame the filters)."""
    return dbc.Card(
        dbc.CardBody([html.H2("Allocation", className="hk-card-title"), notice(f"No plan to allocate: {error}")]),
        className="hk-card mb-3",
    )


def held_of(chosen):
    """(units,) bool: the plan's units kept at today's spend as too early to judge."""
    return (chosen.rows["bound"] == "too early").to_numpy()


@callback(
    Output(ids.EMPTY, "children"),
    Output(ids.BODY, "style"),
    Output(ids.ERROR, "children"),
    Output(ids.BOUND, "children"),
    Output(ids.HELD_BACK, "children"),
    Output(ids.UNVALUED, "children"),
    Output(ids.KPIS, "children"),
    Output(ids.CURVES, "figure"),
    Output(ids.PROJECTION, "figure"),
    Output(table_id(ids.ALLOCATION_TABLE), "rowData"),
    Output(ids.ALLOCATION_BLOCK, "style"),
    Output(ids.ALLOCATION_REFUSED, "children"),
    Output(ids.BUDGET_HELP, "children"),
    Output(ids.BUDGET, "placeholder"),
    Output(ids.WHAT_IF_UNIT, "options"),
    Output(ids.WHAT_IF_UNIT, "value"),
    Output(ids.WHAT_IF_RESULT, "children"),
    Output(ids.WHAT_IF_SHOWN, "data"),
    Output(ids.WHAT_IF_SPEND, "placeholder"),
    Input(URL, "search"),  # the controls' changes reach it through the URL (callbacks/page_state.py)
    State(ids.BY, "value"),
    State(ids.BUDGET, "value"),
    State(ids.MAX_CHANGE, "value"),
    State(ids.WHAT_IF_SPEND, "value"),
    Input(URL, "pathname"),
    State(ids.WHAT_IF_UNIT, "value"),
)
def plan_page(search, by, budget, max_change, spend, pathname, picked=None):
    try:
        filters, settings, chosen = plan_of(search, by, budget, max_change)
    except PlanError as error:
        blank = empty_figure("No plan")
        return (
            *(None, common.SHOW, notice(str(error)), None, None, None, [], blank, blank, []),
            *(common.HIDE, refused_allocation(error)),
            *(default_budget_help(search, by, max_change), None, [], None, None, None, None),
        )
    except WarehouseMissing as error:
        blank = empty_figure()
        return (
            common.no_data_state(error),
            common.HIDE,
            None,
            None,
            None,
            None,
            [],
            blank,
            blank,
            [],
            common.SHOW,
            None,
            None,
            None,
            [],
            None,
            None,
            None,
            None,
        )
    future = selection_projection(common.warehouse(), chosen, filters, settings)
    units = chosen.rows.sort_values("planned_spend", ascending=False)
    key = "segment" if chosen.by == "segment" else "influencer_id"
    options = [{"label": str(row["name"]), "value": str(row[key])} for row in units.to_dict("records")]
    # the what-if keeps the unit the user picked while it is still in the plan (a budget or max-change
    # change must not switch it to another segment under the spend typed for the first)
    unit = picked if picked in {o["value"] for o in options} else options[0]["value"] if options else None
    return (
        None,
        common.SHOW,
        None,
        bound_notice(chosen),
        held_back_notice(chosen, settings),
        unvalued_notice(chosen, settings),
        plan_cards(chosen, settings),
        plan_figures.response_curves(curve_points(chosen), height=plan_figures.CHART_HEIGHT),
        plan_figures.projection(future, height=plan_figures.CHART_HEIGHT),
        allocation_rows(chosen),
        common.SHOW,
        None,
        budget_help(chosen),
        fmt.inr(chosen.budget),
        options,
        unit,
        what_if_children(chosen, unit, spend),
        what_if_inputs(unit, spend, search, by, budget, max_change),
        what_if_placeholder(chosen, unit),
    )


def what_if_inputs(unit, spend, search, by, budget, max_change) -> dict | None:
    """What a what-if result was computed from (the page's WHAT_IF_SHOWN store); None without a unit."""
    if unit is None:
        return None
    return {"unit": unit, "spend": spend, "search": search, "by": by, "budget": budget, "max_change": max_change}


def planned_spend(chosen, unit) -> float:
    """The plan's spend (₹) on `unit`; KeyError for a unit not in the plan."""
    key = "segment" if chosen.by == "segment" else "influencer_id"
    return float(chosen.rows.set_index(key).loc[unit, "planned_spend"])


def what_if_placeholder(chosen, unit) -> str | None:
    """The what-if spend box's hint: the unit's planned spend (₹), what an empty box computes."""
    try:
        return None if unit is None else f"{fmt.inr(planned_spend(chosen, unit))} (planned)"
    except KeyError:
        return None


def what_if_children(chosen, unit, spend):
    """The what-if card's result: `unit` of the plan at `spend` (₹; empty: its planned spend), or
    a notice of why not; None without a unit."""
    if unit is None:
        return None
    try:
        planned = planned_spend(chosen, unit)
        result = what_if(chosen, unit, planned if spend in (None, "") else float(spend))
    except (PlanError, KeyError) as error:
        return notice(str(error))
    items = [
        ("Spend", fmt.inr(result["spend"])),
        ("Expected incremental revenue", fmt.inr(result["expected_incremental_revenue"])),
        ("Interval", f"{fmt.inr(result['low'])} to {fmt.inr(result['high'])}"),
        ("Marginal ROAS at this spend", fmt.ratio(result["marginal_roas"])),  # not today's, nor the plan's
        ("Against the plan", fmt.inr(result["change_from_plan"])),
    ]
    warning = (
        notice("Outside the max change: the curve is extrapolated to a spend the data has not seen.")
        if result["outside_history"]
        else None
    )
    return html.Div([stat_list(items), warning])


@callback(
    Output(ids.WHAT_IF_RESULT, "children", allow_duplicate=True),
    Output(ids.WHAT_IF_SHOWN, "data", allow_duplicate=True),
    Output(ids.WHAT_IF_SPEND, "placeholder", allow_duplicate=True),
    Input(ids.WHAT_IF_UNIT, "value"),
    Input(ids.WHAT_IF_SPEND, "value"),
    State(URL, "search"),
    State(ids.BY, "value"),
    State(ids.BUDGET, "value"),
    State(ids.MAX_CHANGE, "value"),
    State(ids.WHAT_IF_SHOWN, "data"),
    prevent_initial_call=True,
)
def plan_what_if(unit, spend, search, by, budget, max_change, shown):
    inputs = what_if_inputs(unit, spend, search, by, budget, max_change)
    if inputs == shown:  # plan_page has just shown this very result (it set the unit): no second plan
        raise PreventUpdate
    if unit is None:
        return None, None, None
    try:
        _, _, chosen = plan_of(search, by, budget, max_change)
    except PlanError as error:
        return notice(str(error)), inputs, None
    except WarehouseMissing:
        return None, None, None
    return what_if_children(chosen, unit, spend), inputs, what_if_placeholder(chosen, unit)


@callback(
    Output(ids.SIMILAR_TO, "options"),
    Output(ids.SIMILAR_TO, "value"),
    Input(URL, "search"),
)
def similar_choices(search):
    filters, settings = common.filters_from_search(search), common.settings(search)
    top = common.load(metrics.top_influencers, filters, settings, "revenue", SIMILAR_CHOICES)
    if top is None or top.empty:
        return [], None
    options = [
        {"label": f"{row['name']} ({row['influencer_id']})", "value": row["influencer_id"]}
        for row in top.to_dict("records")
    ]
    return options, options[0]["value"]


@callback(
    Output(table_id(ids.SIMILAR_TABLE), "rowData"),
    Input(ids.SIMILAR_TO, "value"),
    State(URL, "search"),
)
def similar_profiles(influencer_id, search):
    if not influencer_id:
        return []
    filters, settings = common.filters_from_search(search), common.settings(search)
    try:
        frame = common.load(similar, influencer_id, filters, settings)
    except KeyError:  # the creator is not in this selection (the menu is refreshed with the filters)
        return []
    if frame is None:
        return []
    frame = frame.assign(shared=[", ".join(s) for s in frame["shared"]])
    return records(frame, SIMILAR_FIELDS)
