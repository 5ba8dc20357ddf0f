"""Component ids and option lists, one module per page, imported by the page and its callbacks.

`pages/<page>.py` builds the layout with these names and `callbacks/<page>.py` wires them up, so an
id is spelled once and a renamed id fails at import rather than at the first click. Option lists
live here too: the callbacks check a control's value against the same list the layout offers.
`shell` holds the ids of the app shell (URL, navbar, filter bar, footer).
"""


def option_values(options: list[dict]) -> tuple:
    """The values of a list of `{"label", "value"}` options, in order."""
    return tuple(option["value"] for option in options)


def chosen(value, options: list[dict]):
    """`value` when the options offer it, else the first option's value (a stale or forged request)."""
    values = option_values(options)
    return value if value in values else values[0]
