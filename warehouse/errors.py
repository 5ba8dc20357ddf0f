"""Problems found in input files, and the error an import stops with."""

from __future__ import annotations

import dataclasses

MAX_SHOWN = 20


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem of a data set: file, row (line number, header = 1; None for the whole file),
    column, the value as read, and the reason; `str()` names all of them."""

    file: str
    row: int | None  # line number in the file (header is line 1); None for whole-file problems
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.reason}{value}"


def format_problems(problems: list[Problem], kind: str = "error", total: int | None = None) -> str:
    """One line per problem, the first MAX_SHOWN of them, then how many more there are."""
    total = len(problems) if total is None else total
    lines = [f"{kind}: {problem}" for problem in problems[:MAX_SHOWN]]
    if total > len(lines):
        lines.append(f"... and {total - len(lines)} more {kind}s ({total} in all)")
    return "\n".join(lines)


class ImportFailed(Exception):
    """Validation found errors; nothing was written. `store_orders`: how a store export mapped when
    it was read without error (store_orders.stage's report) while other files failed, so a folder of
    only an export and a code map still shows whether its codes match (tester h4 F20)."""

    def __init__(
        self,
        errors: list[Problem],
        warnings: list[Problem] | None = None,
        total: int | None = None,
        store_orders: dict | None = None,
    ):
        self.errors = errors
        self.warnings = warnings or []
        self.total = len(errors) if total is None else total
        self.store_orders = store_orders
        super().__init__(format_problems(errors, total=self.total))
