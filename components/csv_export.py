"""CSV of a table: every column the grid has (also those scrolled out of view; not those the user
hid) in display order, its rows after the user's sorting and filtering, values as plain numbers (not
₹ text) in the unit their header names: "Revenue (₹)" to paise, "ROI (%)" and "Revenue share (%)"
as percents (a fraction the page stores is multiplied by 100), "ROAS (×)"; at full precision (10 decimals:
no float noise; metrics.catalogue units; docs/metrics.md, "Exports"). Texts read as the
grid shows them ("too early to judge").

Spreadsheet formula injection is neutralised: a text cell starting with = + - @ tab or carriage
return is prefixed with a single quote, so Excel / Sheets show it as text instead of running it.
"""

from __future__ import annotations

import csv
import decimal
import io
import math
import numbers

from metrics import catalogue
from metrics import format as fmt

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell(value) -> str:
    """One CSV cell: '' for missing / undefined values, numbers to 12 significant digits as plain
    decimals (0.0000470049, never 4.70049e-05), texts plain and neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"  # as the grids' hkYesNo
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return ""
        # 12 significant digits: beyond what any input carries, short of binary noise (8.8, not 8.799999999999999).
        number = float(f"{number:.12g}")
        if number.is_integer():
            return str(int(number))
        return plain_decimal(number)
    return neutralise(plain_text(str(value)))


def plain_decimal(number: float) -> str:
    """A float's shortest decimal (repr) written without an exponent: a spreadsheet reads
    "4.70049e-05" as a number too, but METRICS.md asks for plain numbers, and other readers (and
    people) take the e-notation for text or miss the exponent."""
    return format(decimal.Decimal(repr(number)), "f")


def plain_text(text: str) -> str:
    """A text cell without the word joiner the display puts between a minus and the ₹
    (metrics.format.NEGATIVE): "-₹4.10 L" in a "Why" text, not an invisible character that a
    spreadsheet's search and formulas trip on."""
    return text.replace(fmt.NEGATIVE, "-")


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


def _leaves(column_defs: list[dict] | None):
    """(field, column definition) of every leaf column (inside column groups too)."""
    for col in column_defs or []:
        for leaf in col.get("children", [col]):
            field = leaf.get("field") or leaf.get("colId")
            if field:
                yield field, leaf


def file_units(column_defs: list[dict] | None) -> dict[str, catalogue.Unit]:
    """{field: catalogue unit} of the number columns components.tables marked (`context.fileUnit`)."""
    out = {}
    for field, leaf in _leaves(column_defs):
        key = (leaf.get("context") or {}).get("fileUnit")
        if key in catalogue.UNITS:
            out[field] = catalogue.UNITS[key]
    return out


def file_texts(column_defs: list[dict] | None) -> dict[str, dict[str, str]]:
    """{field: {stored text: shown text}} of the text columns whose grid shows a value in other words
    (`context.fileText`: the verdict "too early" reads "too early to judge")."""
    return {
        field: leaf["context"]["fileText"]
        for field, leaf in _leaves(column_defs)
        if "fileText" in (leaf.get("context") or {})
    }


def file_header(header: str, unit: catalogue.Unit | None) -> str:
    """A CSV header with its unit in brackets: "Revenue (₹)", "Δ ROAS (%)"; a header that ends in
    its unit already says it once, in brackets ("Difference %" → "Difference (%)", not
    "Difference % (%)"); counts and texts as they are."""
    if unit is None or not unit.file_header:
        return header
    return f"{header.removesuffix(' ' + unit.file_header)} ({unit.file_header})"


def file_value(value, unit: catalogue.Unit | None):
    """A value in its column's file unit: scaled (a fraction to a percent) and rounded to the unit's
    file decimals, which also drops float noise (a Δ of −2e-16 is 0); no "-0.0"."""
    if unit is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    number = float(value)
    if not math.isfinite(number):
        return None
    number *= unit.file_scale
    if unit.file_decimals is None:
        return number
    shown = round(number, unit.file_decimals)
    return 0.0 if shown == 0 else shown


def table_csv(
    rows: list[dict] | None,
    columns: list[tuple[str, str]],
    units: dict[str, catalogue.Unit] | None = None,
    texts: dict[str, dict[str, str]] | None = None,
) -> str:
    """CSV text (UTF-8, header row first, \\r\\n line ends as RFC 4180 says); `units` gives the named
    fields their header unit, scale and rounding (money to paise: 2960740.6700000046 -> 2960740.67),
    `texts` their shown words."""
    units, texts = units or {}, texts or {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(file_header(header, units.get(field))) for field, header in columns])
    for row in rows or []:
        values = ((field, row.get(field)) for field, _ in columns)
        writer.writerow(
            [cell(texts[field].get(v, v) if field in texts else file_value(v, units.get(field))) for field, v in values]
        )
    return buffer.getvalue()


def grid_csv(rows, column_defs, column_state=None) -> str:
    return table_csv(rows, columns_shown(column_defs, column_state), file_units(column_defs), file_texts(column_defs))
