"""Count the SQL statements the warehouse runs (Warehouse.query and Warehouse.scalar)."""

from __future__ import annotations

import contextlib
from collections import Counter

from warehouse.db import Warehouse


@contextlib.contextmanager
def counting_queries(monkeypatch):
    """Yields a list that receives (sql, params) of every statement run inside the block."""
    seen: list[tuple[str, tuple]] = []
    for name in ("query", "scalar"):
        original = getattr(Warehouse, name)

        def counted(self, sql, params=None, _original=original):
            seen.append((" ".join(sql.split()), tuple(params or ())))
            return _original(self, sql, params)

        monkeypatch.setattr(Warehouse, name, counted)
    yield seen
    monkeypatch.undo()


def repeated(seen: list[tuple[str, tuple]]) -> dict:
    """The statements (with their parameters) run more than once."""
    return {statement: n for statement, n in Counter(seen).items() if n > 1}
