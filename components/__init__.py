"""Reusable layout pieces and plotly figure builders.

Import the submodules directly (metrics.format, components.figures, components.cards, …):
this package imports nothing, so reports/ can use figures and format without loading Dash.
"""
