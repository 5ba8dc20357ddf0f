"""Page layouts (dash.register_page). Layouts only: no database, no metrics, no callbacks."""
