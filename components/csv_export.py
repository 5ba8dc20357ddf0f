"""CSV of exactly what a table shows: its visible columns in display order, its rows after the
user's sorting and filtering, values as plain numbers (not ₹ text): money rounded to paise, other
numbers at full precision.

Spreadsheet formula injection is neutralised: a text cell starting with = + - @ tab or carriage
return is prefixed with a single quote, so Excel / Sheets show it as text instead of running it.
"""

from __future__ import annotations

import csv
import io
import math
import numbers

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell(value) -> str:
    """One CSV cell: '' for missing / undefined values, numbers to 12 significant digits, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return ""
        # 12 significant digits: beyond what any input carries, short of binary noise (8.8, not 8.799999999999999).
        number = float(f"{number:.12g}")
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number)) if number else "0"
        return repr(number)
    return neutralise(str(value))


def columns_shown(column_defs: list[dict] | None, column_state: list[dict] | None = None) -> list[tuple[str, str]]:
    """(field, header) of the columns a dash-ag-grid shows, in the order it shows them.

    `column_state` (the grid's columnState prop: colId, hide, in display order) wins over the
    column definitions' order and `hide` flags when the grid has reported it.
    """
    defs = {}
    order = []
    for col in column_defs or []:
        for leaf in col.get("children", [col]):  # column groups
            field = leaf.get("field") or leaf.get("colId")
            if not field:
                continue
            defs[leaf.get("colId") or field] = leaf
            order.append(leaf.get("colId") or field)
    if column_state:
        shown = [s["colId"] for s in column_state if s.get("colId") in defs and not s.get("hide")]
        # Columns the state does not know (added since) keep their definition order at the end.
        shown += [c for c in order if c not in {s.get("colId") for s in column_state} and not defs[c].get("hide")]
    else:
        shown = [c for c in order if not defs[c].get("hide")]
    out = []
    for col_id in shown:
        leaf = defs[col_id]
        field = leaf.get("field") or col_id
        out.append((field, leaf.get("headerName") or field))
    return out


def file_decimals(column_defs: list[dict] | None) -> dict[str, int]:
    """{field: decimals} of the columns whose values files round (money: 2, to paise), from the
    `context.fileDecimals` components.tables puts on them."""
    out = {}
    for col in column_defs or []:
        for leaf in col.get("children", [col]):
            decimals = (leaf.get("context") or {}).get("fileDecimals")
            if decimals is not None and (leaf.get("field") or leaf.get("colId")):
                out[leaf.get("field") or leaf.get("colId")] = int(decimals)
    return out


def _rounded(value, decimals: int | None):
    if decimals is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    number = float(value)
    if not math.isfinite(number):
        return None
    shown = round(number, decimals)
    return 0.0 if shown == 0 else shown  # no "-0.0"


def table_csv(rows: list[dict] | None, columns: list[tuple[str, str]], decimals: dict[str, int] | None = None) -> str:
    """CSV text (UTF-8, header row first, \\r\\n line ends as RFC 4180 says); `decimals` rounds
    the named fields (money to paise: 2960740.6700000046 -> 2960740.67)."""
    decimals = decimals or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(header) for _, header in columns])
    for row in rows or []:
        writer.writerow([cell(_rounded(row.get(field), decimals.get(field))) for field, _ in columns])
    return buffer.getvalue()


def grid_csv(rows, column_defs, column_state=None) -> str:
    return table_csv(rows, columns_shown(column_defs, column_state), file_decimals(column_defs))
