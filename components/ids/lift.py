"""Ids and options of the lift page (pages/lift.py, callbacks/lift.py)."""

from metrics.settings import LIFT_WINDOW_CHOICES

WINDOW = "lift-window"
KPIS = "lift-kpis"
EMPTY = "lift-empty"
BODY = "lift-body"
METHOD_NOTE = "lift-method-note"
POST = "lift-post"
EVENT_CHART = "lift-event"
INTERVAL_CHART = "lift-intervals"
INTERVAL_HEIGHT = 340  # px before the callback sizes the interval chart to its rows (and beside the event chart)
CREATOR_TABLE = "lift-creators"  # a table name (components.tables.table_id)
# The organic-sales check (total brand sales around campaign bursts)
ORGANIC_NOTE = "lift-organic-note"
ORGANIC_BURST = "lift-organic-burst"
ORGANIC_CHART = "lift-organic-chart"
ORGANIC_BODY = "lift-organic-body"
ORGANIC_TABLE = "lift-organic"  # a table name (components.tables.table_id)
ORGANIC_TABLE_BOX = "lift-organic-table-box"  # hidden when no campaign is in the selection (no empty grid)

WINDOW_OPTIONS = [{"label": f"{days} days", "value": days} for days in LIFT_WINDOW_CHOICES]
