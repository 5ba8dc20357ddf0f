"""Component ids and options of the /plan page, imported by its layout (pages/plan.py) and its
callbacks (callbacks/plan.py)."""

BY = "plan-by"
BUDGET = "plan-budget"
MAX_CHANGE = "plan-max-change"
BUDGET_HELP = "plan-budget-help"
EMPTY = "plan-empty"
BODY = "plan-body"
ERROR = "plan-error"
BOUND = "plan-bound"  # the warning of a response-curve exponent at its bound
HELD_BACK = "plan-held-back"  # the notice of budget held back at break-even
UNVALUED = "plan-unvalued"  # the notice of creators with spend but no measured post, not valued
KPIS = "plan-kpis"
CURVES = "plan-curves"
PROJECTION = "plan-projection"
WHAT_IF_UNIT = "plan-what-if-unit"
WHAT_IF_SPEND = "plan-what-if-spend"
WHAT_IF_RESULT = "plan-what-if-result"
WHAT_IF_SHOWN = "plan-what-if-shown"  # store: the inputs of the what-if result on display
SIMILAR_TO = "plan-similar-to"
ALLOCATION_BLOCK = "plan-allocation-block"  # the allocation table's card, hidden while the plan is refused
ALLOCATION_REFUSED = "plan-allocation-refused"  # in its place then: why there is no allocation
ALLOCATION_TABLE = "plan-allocation"  # table names (components.tables.table_id)
SIMILAR_TABLE = "plan-similar"

BY_OPTIONS = [{"label": "Segments", "value": "segment"}, {"label": "Creators", "value": "influencer"}]
DEFAULT_MAX_CHANGE_PCT = 30
