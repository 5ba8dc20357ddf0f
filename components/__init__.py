"""Reusable layout pieces and plotly figure builders.

Import the submodules directly (components.format, components.figures, components.cards, …):
this package imports nothing, so reports/ can use figures and format without loading Dash.
"""
