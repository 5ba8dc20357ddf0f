"""Ids of the saved-views menu (components/saved_views.py, callbacks/views.py)."""

MENU = "views-menu"  # navbar dropdown: the saved views, then "Save this view…" for analysts
OPEN = "views-open"  # the "Save this view…" item
MODAL = "views-modal"
NAME = "views-name"
SAVE = "views-save"
DELETE = "views-delete"
CLOSE = "views-close"
STATUS = "views-status"
CHANGED = "views-changed"  # dcc.Store: bumped after a save or delete, so the menu lists the change
