"""Dash callbacks, one module per page or feature, registered with dash.callback.

`callbacks.register_all()` imports every module once (app.py calls it after the Dash app exists).
"""

from __future__ import annotations

import importlib
import pkgutil


def register_all() -> list[str]:
    """Import every callbacks.* module (importing registers its callbacks); returns their names."""
    names = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        importlib.import_module(f"{__name__}.{info.name}")
        names.append(info.name)
    return names
