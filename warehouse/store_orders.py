"""Store order exports (Shopify, WooCommerce) plus a code-to-creator map → attributed sales.

A team without a ready-made tracking_data file drops its store's order export and a list of
which discount code (or UTM source) belongs to which creator into the data-set folder. Both are
recognised by their columns, whatever their names. `claim` takes them out of the folder's other
files; `stage` builds from them, in DuckDB SQL, a staging table of exactly the shape a typed
tracking_data file has (influencer_id, date, campaign, product, brand, source, user_id, orders,
revenue), which the rest of the import treats like one. The rules (docs/metrics.md, "Store order
exports") in short:

- an export has one row per line item; order-level fields (totals, codes, status, date) are read
  from the order's first row, never summed over its line items;
- an order's revenue is its total minus shipping, taxes (and duties or fees), i.e. the subtotal
  after discounts excluding shipping and taxes (WooCommerce's tax_total already holds the shipping
  and fee taxes); a Shopify order whose prices include tax (Subtotal + Shipping = Total) and that
  has shipping takes the shipping's part of its Taxes at the order's own rate, with a warning that
  bounds the error; it is split over the order's line items in proportion to line price × quantity;
  the order counts once, on its line of largest value (the first such line in the file);
- cancelled, voided and expired (WooCommerce: cancelled, failed, pending payment, draft) orders are not sales;
- refunds follow the refund rule of real-world files: the refunded amount, scaled to the order's
  merchandise share (revenue / total) because a store refunds taxes and shipping too, is a row of
  negative revenue and no orders beside the sale, on the order's date;
- codes match case-insensitively and trimmed; of several codes on one order the first one that a
  creator holds wins; orders with only unknown codes, or none, are not attributed and reported;
- the customer is the e-mail (else the store's customer id) hashed with SHA-256 and a random salt
  drawn for each import and never stored, kept to its first 72 bits: the same buyer is one customer
  within the import, and no personal data reaches the warehouse;
- one currency per data set: an export in several currencies is refused, naming them.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from metrics import catalogue
from metrics import format as fmt
from metrics.dataset import STORE_SALES_ROWS
from warehouse import csvfile
from warehouse.errors import MAX_SHOWN, Problem
from warehouse.sources import Discovery, SourceFile, buffer_size, normalise_header
from warehouse.validate import Findings
from warehouse.values import number_sql

# Canonical field → accepted headers (normalised: lower case, spaces as `_`), per store. Only what the
# rules use is read (revenue is Total − Shipping − Taxes; Shopify's Subtotal tells prices that include tax).
SHOPIFY_FIELDS: dict[str, tuple[str, ...]] = {
    "order_ref": ("name",),
    "created": ("created_at",),
    "email": ("email",),
    "status": ("financial_status",),
    "cancelled_at": ("cancelled_at",),
    "currency": ("currency",),
    "subtotal": ("subtotal",),
    "shipping": ("shipping",),
    "taxes": ("taxes",),
    "duties": ("duties",),
    "total": ("total",),
    "codes": ("discount_code",),
    "refunded": ("refunded_amount",),
    "quantity": ("lineitem_quantity",),
    "product": ("lineitem_name",),
    "price": ("lineitem_price",),
    "brand": ("vendor",),
    "utm_source": ("utm_source",),
    "note_attributes": ("note_attributes",),
    "region": ("shipping_province_name", "shipping_province"),  # the buyer's state (region_tables.py)
}
# WooCommerce exports with one row per line item: Customer/Order/Coupon Export ("one row per item"),
# Order Export & Import (WebToffee), Advanced Order Export (its default "Order Number" style headers).
WOOCOMMERCE_FIELDS: dict[str, tuple[str, ...]] = {
    "order_ref": ("order_id", "order_number"),
    "created": ("order_date", "date"),
    "email": ("billing_email", "customer_email", "email_(billing)"),
    "customer": ("customer_id", "customer_user"),
    "status": ("status", "order_status"),
    "currency": ("order_currency", "currency"),
    "shipping": ("shipping_total", "order_shipping", "order_shipping_amount"),
    "shipping_tax": ("shipping_tax_total", "order_shipping_tax", "order_shipping_tax_amount"),
    "taxes": ("tax_total", "order_tax", "order_total_tax_amount"),
    "fees": ("fee_total", "order_fees"),
    "fee_taxes": ("fee_tax_total", "order_fee_tax"),
    "total": ("order_total", "order_total_amount"),
    "codes": ("coupon_items", "coupon_code", "coupons", "coupon_codes"),
    "refunded": ("refunded_total", "order_refund", "order_refund_amount"),
    "quantity": ("item_quantity", "quantity"),
    "product": ("item_name", "product_name"),
    "line_value": ("item_subtotal", "item_total"),
    "price": ("item_cost", "item_price"),
    "brand": ("brand", "item_brand"),
    "utm_source": ("utm_source",),
    "region": ("shipping_state", "state_(shipping)", "shipping_state_name"),
}
STORES = {"Shopify": SHOPIFY_FIELDS, "WooCommerce": WOOCOMMERCE_FIELDS}
# Stores whose exports leave a later line item's order fields blank (WooCommerce repeats them), so
# that an order's first row is its one row with a total: worth checking in one pass (_marked_in_one_pass).
BLANK_LATER_LINES = {"Shopify"}
# What makes a file an export of a store (any of these sets), and what it must then have.
SIGNATURES = {
    "Shopify": ({"financial_status", "lineitem_quantity"},),
    "WooCommerce": (
        {"order_id", "item_quantity"},
        {"order_number", "item_name", "order_total"},
        {"order_number", "order_status", "quantity"},
        {"order_id", "line_items"},  # one row per order: recognised in order to be refused (_stage_exports)
        {"order_number", "line_items"},
    ),
}
# WooCommerce's one-row-per-order layout packs an order's products into one cell.
PACKED_LINE_ITEMS = "line_items"
REQUIRED = {
    "Shopify": ("order_ref", "created", "total", "codes", "quantity", "product", "price"),
    "WooCommerce": ("order_ref", "created", "total", "codes", "quantity", "product"),
}
# What an order's total holds beside its merchandise (subtotal after discounts). WooCommerce's
# `tax_total` is the order's whole tax (WC_Order::get_total_tax(): the products', the shipping's and
# the fees' — what Customer/Order/Coupon Export and WebToffee write), so its shipping and fee taxes
# are in it already; TAX_PARTS are subtracted as well only where the export shows that its tax column
# cannot hold them (_tax_column_is_products_only).
NOT_MERCHANDISE = {
    "Shopify": ("shipping", "taxes", "duties"),
    "WooCommerce": ("shipping", "taxes", "fees"),
}
TAX_PARTS = {"Shopify": (), "WooCommerce": ("shipping_tax", "fee_taxes")}
# Amounts are written to the paisa: sums that agree within half a paisa are equal.
PAISA = 0.005
MAX_DOUBLE = "1.7976931348623157e308"
# Statuses (lower case, WooCommerce's `wc-` prefix removed) of orders that are not sales: never
# paid (a voided or expired authorisation, a failed or unfinished checkout) or cancelled. Every
# other status is a sale (docs/metrics.md lists each store's statuses and their treatment).
NOT_SALES = {
    "Shopify": ("voided", "expired"),
    "WooCommerce": (
        "cancelled",
        "canceled",
        "failed",
        "pending",
        "pending payment",
        "checkout-draft",
        "draft",
        "trash",
    ),
}
# How each status of NOT_SALES reads in a label (synonyms and WooCommerce's internal names folded).
STATUS_WORDS = {"canceled": "cancelled", "pending": "pending payment", "checkout-draft": "draft"}


def not_sales_covers(store: str) -> str:
    """What an export of `store` has that is not a sale, as words for a label (e.g. "cancelled,
    voided"): a `Cancelled at` date where the store has that column, then NOT_SALES's statuses,
    each named once. Raises KeyError for a store not in STORES."""
    words = ["cancelled"] if "cancelled_at" in STORES[store] else []
    for status in NOT_SALES[store]:
        word = STATUS_WORDS.get(status, status)
        if word not in words:
            words.append(word)
    return ", ".join(words)


FULLY_REFUNDED = ("refunded",)
# An order's amounts, read from its first row (ORDER_LEVEL) and typed as money (MONEY).
ORDER_AMOUNTS = ("subtotal", "shipping", "shipping_tax", "taxes", "duties", "fees", "fee_taxes", "total")
ORDER_LEVEL = (
    "created",
    "email",
    "customer",
    "status",
    "cancelled_at",
    "currency",
    *ORDER_AMOUNTS,
    "codes",
    "refunded",
    "utm_source",
    "note_attributes",
    "region",
)
MONEY = (*ORDER_AMOUNTS, "refunded", "price", "line_value")
NUMBERS = MONEY + ("quantity",)
# Each sales row's place in file order (BIGINT), carried by `store_sales` and the history's copy of it
# rather than given by their row order (_build_sales, in_sale_order).
SALE_ORDER = "export_position"

CSV_SUFFIXES = (".csv",)  # read like every other CSV (warehouse/csvfile.py): any encoding and delimiter
CODE_MAP_CODES = ("tracking_code", "discount_code", "promo_code", "coupon_code", "code")
CODE_MAP_COLUMNS = ("influencer_id",) + CODE_MAP_CODES + ("utm_source", "campaign_tag", "campaign")
CODE_SOURCE, UTM_SOURCE = "PromoCode", "UTM"
DATA_CURRENCY = "INR"
T = TypeVar("T")
# A buyer id is the salted SHA-256's first 72 bits (18 hex digits) in 12 base64 characters: DuckDB
# keeps a string of up to 12 bytes inline, so grouping and joining buyers (first orders, cohorts)
# compares values without following pointers. Two of 10M buyers share an id with probability about
# 10M² / 2^73 ≈ 1e-8 (of 50M, 3e-7); such a pair would count as one customer.
BUYER_DIGITS = 18
TOP_CODES = 10
# An order's lead line: its largest line value, the first in the file on ties. One HUGEINT per row,
# value in paise above 40 bits of (2^40 − 1 − row), so a plain max() finds it and its row.
ROW_BITS = 40
LEAD_KEY = f"(round({{value}} * 100)::HUGEINT << {ROW_BITS}) + ({(1 << ROW_BITS) - 1} - rowid)"
LEAD_ROW = f"{(1 << ROW_BITS) - 1} - (max({{key}}) & {(1 << ROW_BITS) - 1})::BIGINT"


@dataclasses.dataclass
class StoreFiles:
    """The store order export files of a folder (one store, maybe split over files) and its code map."""

    store: str  # Shopify or WooCommerce
    exports: list[Path]  # a store may split one export over several files
    layouts: list[csvfile.Layout]  # each export's encoding, delimiter and header
    code_map: Path | None
    code_map_layout: csvfile.Layout | None

    @property
    def headers(self) -> list[list[str]]:
        """Each export's header cells as written."""
        return [layout.header for layout in self.layouts]


# Every header a store export or code map may carry: the delimiter that finds most of them wins.
STORE_NAMES = frozenset(
    {name for fields in STORES.values() for names in fields.values() for name in names} | set(CODE_MAP_COLUMNS)
)


def _store_names(header: list[str]) -> int:
    return len({normalise_header(h) for h in header} & STORE_NAMES)


def _layout(path: Path) -> csvfile.Layout | None:
    """The file's encoding, delimiter and header (csvfile.sniff), or None when unreadable."""
    try:
        layout, _ = csvfile.sniff(path, _store_names)
    except OSError:
        return None
    return layout


def store_of(header: list[str]) -> str | None:
    """Shopify or WooCommerce when the header is that store's order export, else None."""
    names = {normalise_header(h) for h in header}
    for store, signatures in SIGNATURES.items():
        if any(signature <= names for signature in signatures):
            return store
    return None


def is_code_map(header: list[str]) -> bool:
    """True when a header is a code map: influencer_id with a tracking/discount code or utm_source."""
    names = {normalise_header(h) for h in header}
    return (
        "influencer_id" in names
        and bool(names & set(CODE_MAP_CODES + ("utm_source",)))
        and store_of(header) is None
        and not names & {"orders", "revenue", "date"}
    )


def _in_number_order(path: Path) -> tuple[list[str | int], str]:
    """A file's sort key in which the numbers of its name compare as numbers: a store numbers the
    parts of a long export 1, 2, …, 10, and a plain sort would read part 10 before part 2 (an order
    split at the 9/10 cut would then look like two differing copies)."""
    parts = re.split(r"([0-9]+)", path.name)
    # re.split puts the digits at odd places: texts meet texts and numbers numbers; the name breaks ties (01, 1)
    return [int(part) if i % 2 else part for i, part in enumerate(parts)], path.name


def claim(folder: Path, found: Discovery) -> StoreFiles | None:
    """Take a store order export and its code map out of the folder's files (found by their columns).

    `found` (discovery's answer) loses the files claimed (from its files, whatever role it gave
    them, and its warnings) and gains errors for exports of two stores, an export without a code map and an export
    beside a tracking_data file. Returns None when the folder holds no store export.
    """
    # Discovery may have taken an export for another role, by its name (orders.csv: sales) or its
    # columns (Shopify's `Name`: a campaign), or refused the parts of a split export as two files of
    # one role: every CSV of the folder (as discovery sees them) is a candidate.
    if not folder.is_dir():  # discovery has refused it already, naming the path
        return None
    candidates = [
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in CSV_SUFFIXES
    ]
    exports: dict[str, list[tuple[Path, csvfile.Layout]]] = {}
    maps: list[tuple[Path, csvfile.Layout]] = []
    for path in sorted(set(candidates), key=_in_number_order):
        layout = _layout(path)
        if layout is None:
            continue
        store = store_of(layout.header)
        if store is not None:
            exports.setdefault(store, []).append((path, layout))
        elif is_code_map(layout.header):
            maps.append((path, layout))
    if not exports:
        return None
    claimed = {path for files in exports.values() for path, _ in files} | {path for path, _ in maps}
    for role in [role for role, path in found.files.items() if path in claimed]:
        del found.files[role]
    found.unused[:] = [problem for problem in found.unused if folder / problem.file not in claimed]
    found.by_columns[:] = [problem for problem in found.by_columns if folder / problem.file not in claimed]
    found.errors[:] = [problem for problem in found.errors if folder / problem.file not in claimed]
    problems = found.errors
    if len(exports) > 1:
        names = ", ".join(path.name for files in exports.values() for path, _ in files)
        problems.append(
            Problem(
                str(folder),
                None,
                None,
                None,
                f"order exports of two stores ({' and '.join(exports)}: {names}); import one store",
            )
        )
    store, files = next(iter(exports.items()))
    if "tracking" in found.files:
        problems.append(
            Problem(
                files[0][0].name,
                None,
                None,
                None,
                f"a store order export beside a sales file ({found.files['tracking'].name}): the "
                "same sales would count twice; keep one of them",
            )
        )
    if not maps:
        problems.append(
            Problem(
                files[0][0].name,
                None,
                None,
                None,
                "a store order export needs a code map: a CSV with influencer_id and the code "
                "(tracking_code or discount_code, optionally utm_source and campaign_tag) each "
                "creator's buyers use",
            )
        )
    elif len(maps) > 1:
        problems.append(Problem(maps[1][0].name, None, None, None, f"second code map (also {maps[0][0].name})"))
    code_map, code_map_layout = maps[0] if maps else (None, None)
    return StoreFiles(store, [path for path, _ in files], [layout for _, layout in files], code_map, code_map_layout)


@dataclasses.dataclass
class _Staged:
    files: StoreFiles
    fields: dict[str, str]  # canonical field → staged column (the canonical name) present in the export
    shown: dict[str, str]  # canonical field → the export's own header, for messages
    offsets: list[tuple[int, Path]]  # first rowid of each export file
    # what an order's total holds beside its merchandise, as the export shows it (_not_merchandise)
    not_merchandise: list[str] = dataclasses.field(default_factory=list)
    # file number → the line each record DuckDB read starts on (_record_lines, when a message needs it)
    record_lines: dict[int, list[int]] = dataclasses.field(default_factory=dict)


def stage(
    connection: duckdb.DuckDBPyConnection, files: StoreFiles, errors: Findings, warnings: Findings
) -> tuple[SourceFile | None, dict | None]:
    """Build the attributed sales of a store export and its code map.

    Returns (the staged sales as a typed tracking SourceFile, the mapping report) or (None, None)
    when errors were found (added to `errors`; row numbers are the export's lines). The report's
    keys: store, exports, code_map, currency, line_items, orders_read, not_sales, sales_orders,
    attributed_orders, attributed_revenue (₹, net of refunds), attributed_refunds (₹),
    attributed_refunded_orders, refunded_orders, refunded_amount (₹, all sales), unattributed_orders, unattributed_revenue (₹),
    top_unknown_codes ([{code, orders, revenue}]), no_code_orders, no_code_revenue (₹),
    several_codes_orders, conflicting_codes_orders, conflicting_first ({file, line, order, codes,
    creators: [{code, influencer_id}]} of the first of those, or None: _first_conflicting_order),
    utm_orders, guest_orders, guest_orders_by_file ({file: orders}), unattributed_by_file ({file: {orders, revenue, codes}}), code_map_rows,
    export_rows ({file: rows}), repeated ([{files: [first, other], orders,
    line_items}]: identical orders of overlapping exports, counted once), repeated_orders,
    repeated_line_items, shipping_tax ({orders, amount (₹), subtotal} or None: _shipping_tax_bound),
    taxes_products_only (a WooCommerce tax column read as the products' tax only), columns
    ({order_ref, codes, currency, taxes, tax_parts, buyer}: the export's headers its warnings name).
    An order in two files with differing rows is an error.
    """
    if files.code_map is None:
        return None, None
    staged = _stage_exports(connection, files, errors, warnings)
    code_map_ok = _stage_code_map(connection, files, errors, warnings)
    if staged is None or not code_map_ok:
        return None, None
    before = errors.total
    if _check_lines(connection, staged, errors):
        return None, None
    with _joins_as_written(connection):
        found = _find_first_rows(connection, staged, errors)
        if found is None:  # orders that differ between files: their fields would mislead
            return None, None
        marked, repeated = found
        _group_orders(connection, staged, marked)
        _resolve_code_sets(connection)
        _type_orders(connection, staged)
        if not _check_first_rows(connection, staged, errors):
            _check_orders(connection, staged, errors)
        currency = _refuse_mixed_currencies(connection, staged, errors, marked)
        if errors.total > before:
            return None, None
        _build_sales(connection, staged, marked)
    report = _mapping_report(connection, staged, repeated, currency)
    # The rows the figures are built from, beside the export's line items and orders (/data and the
    # command line say what each count is: STORE_SALES_ROWS).
    (report["sales_rows"],) = connection.execute("SELECT count(*) FROM store_sales").fetchall()[0]
    if report["attributed_orders"] == 0:  # never an import that "succeeds" with ₹0 of sales
        errors.add(
            Problem(
                files.exports[0].name,
                None,
                staged.shown.get("codes"),
                None,
                f"no sale carries a code of {report['code_map']}: nothing to attribute "
                f"({_orders(report['sales_orders'])}, {_orders(report['unattributed_orders'])} with "
                "unknown codes)",
            )
        )
        return None, None
    report["refunds_above_totals"] = _refunds_above_totals(connection, staged)
    mapping_warnings(report, warnings)
    # rows: the export's line items, as a person counts the file's rows
    source = SourceFile(
        role="tracking",
        path=files.exports[0],
        table="store_sales",
        first_line=2,
        columns=["influencer_id", "date", "campaign", "product", "brand", "source", "user_id", "orders", "revenue"]
        + ["region"] * ("region" in staged.fields),
        order_column=SALE_ORDER,
        ignored_columns=[],
        rows=report["line_items"],
        typed=True,
        buyers_reported=True,
        creators_checked=True,
    )
    return source, report


@dataclasses.dataclass(frozen=True)
class _Reading:
    """What DuckDB reads for one file: the user's UTF-8 CSV itself, or csvfile's clean copy of it
    (comma-separated UTF-8 whose first column is each row's line in the user's file)."""

    path: Path
    delimiter: str
    width: int  # columns DuckDB reads, the line column included
    line_column: bool


@contextlib.contextmanager
def _readings(
    files: list[Path], layouts: list[csvfile.Layout], errors: Findings, warnings: Findings, rewrite: bool = False
):
    """Each file as DuckDB can read it, or None (problems added) when one is unreadable. Files in
    another encoding, with blank rows or rows of the wrong length go through csvfile's rewrite, as
    every other input does; so does every file when `rewrite` (DuckDB could not read them as they
    are: see _reader). The copies are removed on exit."""
    with contextlib.ExitStack() as stack:
        readings = []
        for path, layout in zip(files, layouts):
            if layout.direct and not rewrite:
                readings.append(_Reading(path, layout.delimiter, len(layout.header), False))
                continue
            copy = stack.enter_context(csvfile.rewritten(path, layout, ["text"] * len(layout.header)))
            for problem in copy.warnings:
                warnings.add(problem)
            for problem in copy.errors:
                errors.add(problem)
            if copy.path is None:
                yield None
                return
            readings.append(_Reading(copy.path, ",", len(copy.header) + 1, True))
        yield readings


def _read_files(
    files: list[Path], layouts: list[csvfile.Layout], errors: Findings, warnings: Findings, read: Callable[..., T]
) -> T | None:
    """`read(readings)` of the files as DuckDB reads them itself when it can; when it cannot (it
    raises duckdb.Error: a cell holding a line break, a row of the wrong length), of csvfile's copies,
    where csvfile names a broken row. Returns what `read` returns, or None (problems added) when the
    files cannot be read either way."""
    for rewrite in (False, True) if any(layout.direct for layout in layouts) else (True,):
        with _readings(files, layouts, errors, warnings, rewrite) as readings:
            if readings is None:
                return None
            try:
                return read(readings)
            except duckdb.Error as error:
                if rewrite:  # csvfile's copy is unreadable too
                    errors.add(
                        Problem(files[0].name, None, None, None, f"unreadable file: {str(error).splitlines()[0]}")
                    )
    return None


def _stage_exports(connection, files: StoreFiles, errors: Findings, warnings: Findings) -> _Staged | None:
    """All export files into `store_raw` (file order), fields by their canonical names, amounts and
    quantities as DOUBLE. Typed first, the fast path for clean files; a value that does not parse
    sends the files down the text path, where each unreadable amount is named."""
    wanted = STORES[files.store]
    positions: list[dict[str, int]] = []
    for path, layout in zip(files.exports, files.layouts):
        position = _positions(layout.header, wanted)
        if PACKED_LINE_ITEMS in {normalise_header(h) for h in layout.header} and "quantity" not in position:
            errors.add(
                Problem(
                    path.name,
                    layout.header_line,
                    PACKED_LINE_ITEMS,
                    None,
                    "a WooCommerce export with one row per order (its products packed into line_items) is not "
                    "read: export the orders again with one row per line item (Customer/Order/Coupon Export: "
                    'choose "one row per item")',
                )
            )
            return None
        missing = [field for field in REQUIRED[files.store] if field not in position]
        for field in missing:
            errors.add(
                Problem(
                    path.name,
                    layout.header_line,
                    " or ".join(_titles(wanted[field])),
                    None,
                    f"missing required column of a {files.store} order export",
                )
            )
        if missing:
            return None
        if positions and set(position) != set(positions[0]):
            errors.add(
                Problem(
                    path.name,
                    layout.header_line,
                    None,
                    None,
                    f"columns differ from {files.exports[0].name}: export all files with the same columns",
                )
            )
            return None
        positions.append(position)
    shown = {field: files.headers[0][i] for field, i in positions[0].items()}
    staged = _Staged(files, {field: field for field in positions[0]}, shown, [])

    def read(readings: list[_Reading]) -> bool:
        """Typed first, the fast path for clean files; else (a value that does not parse, or one
        that is not finite, named as written only by the text path) as text. True when typed."""
        with contextlib.suppress(duckdb.Error):
            staged.offsets = _read_exports(connection, files.exports, readings, positions, True)
            if _typed_read_is_finite(connection, staged):
                return True
        staged.offsets = _read_exports(connection, files.exports, readings, positions, False)
        return False

    typed = _read_files(files.exports, files.layouts, errors, warnings, read)
    if typed is None:
        return None
    total = connection.execute("SELECT count(*) FROM store_raw").fetchone()[0]
    ends = [first for first, _ in staged.offsets[1:]] + [total]
    for (first, path), end in zip(staged.offsets, ends):
        if end == first:
            errors.add(Problem(path.name, None, None, None, "file has a header but no data rows"))
            return None
    if not typed and not _numbers_from_text(connection, staged, errors):
        return None
    return staged


def _read_exports(
    connection, paths: list[Path], readings: list[_Reading], positions: list[dict[str, int]], typed: bool
) -> list[tuple[int, Path]]:
    """Append each export to `store_raw` with a `source_line` column (the row's line in the user's
    file, NULL when DuckDB read the file itself: then rows count from line 2). Returns the first
    rowid of each file."""
    offsets, rows = [], 0
    for number, (path, reading, position) in enumerate(zip(paths, readings, positions)):
        shift = 1 if reading.line_column else 0  # the copy's line column comes first
        types = {i: "VARCHAR" for i in range(reading.width)}
        if reading.line_column:
            types[0] = "BIGINT"
        if typed:
            types.update({i + shift: "DOUBLE" for field, i in position.items() if field in NUMBERS})
        spec = ", ".join(f"'c{i}': '{t}'" for i, t in types.items())
        fields = sorted(position.items(), key=lambda item: item[0])
        columns = ", ".join([f"c{i + shift} AS {field}" for field, i in fields])
        columns += ", c0 AS source_line" if reading.line_column else ", CAST(NULL AS BIGINT) AS source_line"
        delimiter = reading.delimiter.replace("'", "''")
        reader = _reader(reading, delimiter, spec)
        statement = "CREATE OR REPLACE TEMP TABLE store_raw AS" if number == 0 else "INSERT INTO store_raw"
        connection.execute(f"{statement} SELECT {columns} FROM {reader}", [str(reading.path)])
        offsets.append((rows, path))
        rows = connection.execute("SELECT count(*) FROM store_raw").fetchone()[0]
    return offsets


def _typed_read_is_finite(connection, staged: _Staged) -> bool:
    """Whether every amount and quantity DuckDB's typed read produced is finite: it reads `nan` and
    `inf` as numbers, which no sale has."""
    numbers = [field for field in staged.fields if field in NUMBERS]
    if not numbers:
        return True
    # Beyond the largest double: ±inf, and NaN (DuckDB orders NaN above every number). Comparisons with a
    # constant let the scan skip each row group whose min and max lie within, i.e. all of a clean export.
    beyond = " OR ".join(f"{field} > {MAX_DOUBLE} OR {field} < -{MAX_DOUBLE}" for field in numbers)
    return not connection.execute(f"SELECT count(*) FROM store_raw WHERE {beyond}").fetchone()[0]


def _reader(reading: _Reading, delimiter: str, spec: str) -> str:
    """The read_csv call of a file. The user's own file is read with `null_padding` (Excel leaves
    out a row's trailing empty cells), with which DuckDB's parallel reader refuses a quoted cell
    holding a line break (Shopify's Notes and Note Attributes, WooCommerce's customer note) rather
    than read it: the file then goes through csvfile's copy, whose rows are all of full width and
    carry their line in the user's file, so no padding is asked there and a cell's line break reads
    as written. Reading the user's file without padding would take the line break, but then count
    the rows after it from the wrong line. Buffers hold two row groups of the file's lines
    (sources.buffer_size): with DuckDB's default, smaller, each batch of the ordered insert into
    `store_raw` was merged with its neighbours, a quarter of the read's CPU."""
    padding = "false" if reading.line_column else "true"
    return (
        f"read_csv(?, header=true, delim='{delimiter}', quote='\"', escape='\"', columns={{{spec}}}, "
        f"auto_detect=false, encoding='utf-8', null_padding={padding}, ignore_errors=false, "
        f"buffer_size={buffer_size(reading.path)})"
    )


def _numbers_from_text(connection, staged: _Staged, errors: Findings) -> bool:
    """Name every amount or quantity that is not a number, then type them (values.number_sql: grouping,
    ₹ and spaces allowed)."""
    numbers = [field for field in staged.fields if field in NUMBERS]
    before = errors.total
    connection.execute("CREATE OR REPLACE TEMP VIEW store_rows AS SELECT rowid AS row_no, * FROM store_raw")
    # A header repeated below (two exports pasted into one file) is one error per such row, not one
    # "not a number" per amount column of it.
    headers = ", ".join(_sql_text(name) for name in STORES[staged.files.store]["order_ref"])
    _run_checks(
        connection,
        staged,
        errors,
        "store_rows",
        [
            (
                "order_ref",
                f"lower(replace(trim(order_ref), ' ', '_')) IN ({headers})",
                "this row repeats the header: two exports pasted into one file? Keep them as two files "
                "(several export files are read as one)",
            )
        ],
    )
    if errors.total > before:
        return False
    _run_checks(
        connection,
        staged,
        errors,
        "store_rows",
        [(field, f"{_present(field)} AND {number_sql(field)} IS NULL", "not a number") for field in numbers]
        + [(field, f"NOT isfinite({number_sql(field)})", "not a finite number") for field in numbers],
    )
    if errors.total > before:
        return False
    typed = ", ".join(f"CAST({number_sql(field)} AS DOUBLE) AS {field}" for field in numbers)
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE store_raw AS SELECT * REPLACE ({typed}) FROM store_raw ORDER BY rowid"
    )
    return True


def _positions(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    names = [normalise_header(h) for h in header]
    position = {}
    for field, accepted in wanted.items():
        for name in accepted:
            if name in names:
                position[field] = names.index(name)
                break
    return position


def _titles(names: tuple[str, ...]) -> list[str]:
    return [name.replace("_", " ").capitalize() if "_" in name or name.isalpha() else name for name in names]


def _stage_code_map(connection, files: StoreFiles, errors: Findings, warnings: Findings) -> bool:
    """`code_map` (code, influencer_id, campaign) and `utm_map` (utm, influencer_id, campaign): one
    creator per code, compared lower-cased and trimmed. A code given to two creators is an error."""
    path, layout = files.code_map, files.code_map_layout
    assert path is not None and layout is not None  # stage() refuses an export without a code map before this
    names = [normalise_header(h) for h in layout.header]
    position = {name: names.index(name) for name in CODE_MAP_COLUMNS if name in names}
    code = next((name for name in CODE_MAP_CODES if name in position), None)
    campaign = "campaign_tag" if "campaign_tag" in position else "campaign" if "campaign" in position else None

    def read(readings: list[_Reading]) -> int:
        """Every column as text into `code_map_file`; the columns before the file's own (1: the line)."""
        (reading,) = readings
        spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(reading.width))
        delimiter = reading.delimiter.replace("'", "''")
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE code_map_file AS SELECT * FROM {_reader(reading, delimiter, spec)}",
            [str(reading.path)],
        )
        return 1 if reading.line_column else 0

    shift = _read_files([path], [layout], errors, warnings, read)
    if shift is None:
        return False

    def text(name):
        return f"NULLIF(trim(c{position[name] + shift}), '')" if name in position else "CAST(NULL AS VARCHAR)"

    line = "CAST(c0 AS BIGINT)" if shift else "rowid + 2"
    # A cell may list several codes (`ASHA10, ASHA20`): split like the export's code cells, a row per code.
    codes = CODE_LIST.replace("codes_text", "cell")
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE code_map_raw AS
        SELECT line, influencer_id, unnest(CASE WHEN len({codes}) > 0 THEN {codes} ELSE [NULL] END) AS code,
               utm, campaign
        FROM (SELECT {line} AS line, {text("influencer_id")} AS influencer_id,
                     {text(code) if code else "CAST(NULL AS VARCHAR)"} AS cell, {text("utm_source")} AS utm,
                     {text(campaign) if campaign else "CAST(NULL AS VARCHAR)"} AS campaign
              FROM code_map_file)""")
    before = errors.total
    for line, value in connection.execute("""SELECT DISTINCT ON (line) line, COALESCE(code, utm) FROM code_map_raw
            WHERE influencer_id IS NULL AND (code IS NOT NULL OR utm IS NOT NULL) ORDER BY line LIMIT 20""").fetchall():
        errors.add(Problem(path.name, int(line), "influencer_id", value, "missing value: whose code is this?"))
    for kind, column in (("code", code), ("utm", "utm_source")):
        if column is not None:
            _refuse_ambiguous_codes(connection, path.name, kind, column, campaign, errors)
    if errors.total > before:
        return False
    blank = connection.execute(
        "SELECT count(DISTINCT line) FROM code_map_raw WHERE code IS NULL AND utm IS NULL"
    ).fetchone()[0]
    if blank:
        warnings.add(
            Problem(path.name, None, code, None, f"{fmt.count(blank)} row{'s' * (blank != 1)} without a code: ignored"),
            blank,
        )
    for kind in ("code", "utm"):
        connection.execute(f"""
            CREATE OR REPLACE TEMP TABLE {kind}_map AS
            SELECT lower({kind}) AS key, arg_min(influencer_id, line) AS influencer_id,
                   arg_min(campaign, line) AS campaign
            FROM code_map_raw WHERE {kind} IS NOT NULL AND influencer_id IS NOT NULL GROUP BY 1""")
    return True


def _refuse_ambiguous_codes(connection, name: str, kind: str, column: str, campaign: str | None, errors: Findings):
    """An error for each code-map row (of `code_map_raw`) whose code (`kind`: code or utm, compared
    lower-cased) an earlier row gives to another creator, or to the same creator with another
    campaign: which row wins would depend on the rows' order. A row repeated exactly is fine.
    `name`: the code map's file name; `column`, `campaign`: its code and campaign columns."""
    clashes = connection.execute(f"""
        SELECT line, {kind}, influencer_id, campaign, first_line, first_id, first_campaign FROM (
            SELECT line, {kind}, influencer_id, campaign, arg_min(line, line) OVER w AS first_line,
                   arg_min(influencer_id, line) OVER w AS first_id, arg_min(campaign, line) OVER w AS first_campaign
            FROM code_map_raw WHERE {kind} IS NOT NULL AND influencer_id IS NOT NULL
            WINDOW w AS (PARTITION BY lower({kind})))
        WHERE influencer_id <> first_id OR campaign IS DISTINCT FROM first_campaign ORDER BY line""").fetchall()
    noun = "code" if kind == "code" else "UTM source"
    for line, value, influencer, tag, first_line, first_id, first_tag in clashes:
        if influencer != first_id:
            errors.add(
                Problem(
                    name,
                    int(line),
                    column,
                    value,
                    f"{noun} of two creators: {first_id} (row {first_line}) and {influencer}",
                )
            )
            continue
        errors.add(
            Problem(
                name,
                int(line),
                campaign,
                tag,
                f"{noun} {value} of {influencer} with two campaigns: {_said(first_tag)} (row {first_line}) and "
                f"{_said(tag)}; give each {noun} one campaign",
            )
        )


def _said(text: str | None) -> str:
    return "blank" if text is None else repr(text)


def warn_unknown_creators(
    connection, files: StoreFiles, mapping: dict, influencers: SourceFile, warnings: Findings
) -> None:
    """Each code-map row whose influencer_id is not in the influencers file, named by the code
    map's row and column, whether or not an order uses its codes yet (a typo in the code list is
    what the team must see); recorded in `mapping` ("unknown_creators": [{line, influencer_id}],
    the code map's column in "columns") so that an append says them again (kept_creator_warnings).
    Ids compare as the import compares them: trimmed, case-sensitive. Call after stage() read the
    code map."""
    assert files.code_map is not None and files.code_map_layout is not None
    column = next(h for h in files.code_map_layout.header if normalise_header(h) == "influencer_id")
    rows = connection.execute(f"""
        SELECT DISTINCT line, influencer_id FROM code_map_raw
        WHERE influencer_id IS NOT NULL AND influencer_id NOT IN (
            SELECT trim(influencer_id) FROM {influencers.table} WHERE influencer_id IS NOT NULL)
        ORDER BY line""").fetchall()
    mapping["unknown_creators"] = [{"line": int(line), "influencer_id": creator} for line, creator in rows]
    mapping["columns"]["code_map_creator"] = column
    kept_creator_warnings(connection, mapping, influencers, influencers.path.name, warnings)


def kept_creator_warnings(connection, mapping: dict, influencers: SourceFile, shown: str, warnings: Findings) -> None:
    """The warnings of the code-map rows `mapping` records as naming a creator the influencers file
    lacked (warn_unknown_creators), for those still missing from `influencers` (an append may have
    added them), with a hint where an id differs only in case. `shown`: the influencers file's name
    as the data set shows it."""
    unknown = mapping.get("unknown_creators") or []  # mappings kept before session 15 lack it
    if not unknown:
        return
    rows = connection.execute(
        f"""WITH known AS (SELECT DISTINCT trim(influencer_id) AS influencer_id FROM {influencers.table}
                           WHERE influencer_id IS NOT NULL)
            SELECT m.line, m.influencer_id, (SELECT min(k.influencer_id) FROM known k
                                             WHERE lower(k.influencer_id) = lower(m.influencer_id))
            FROM (SELECT unnest(?::BIGINT[]) AS line, unnest(?::VARCHAR[]) AS influencer_id) m
            WHERE m.influencer_id NOT IN (SELECT influencer_id FROM known) ORDER BY m.line""",
        [[row["line"] for row in unknown], [row["influencer_id"] for row in unknown]],
    ).fetchall()
    for line, influencer_id, other_case in rows:
        hint = f" (ids are case-sensitive: it has {other_case})" if other_case else ""
        warnings.add(
            Problem(
                mapping["code_map"],
                int(line),
                mapping["columns"]["code_map_creator"],
                influencer_id,
                f"creator not in {shown}{hint}: the sales of this row's codes are kept and shown as Unknown",
            )
        )


def _present(column: str) -> str:
    """SQL true where `column` holds more than blanks. A cell starting with a visible ASCII character
    (most of them) is decided by two byte comparisons; only the others are trimmed (every character
    trim removes is below '!' or from U+0080 on): trimming each of 10M cells costs 0.5 s of CPU."""
    visible = f"{column} >= '!' AND {column} < chr(128)"
    return f"({column} IS NOT NULL AND CASE WHEN {visible} THEN true ELSE trim({column}) <> '' END)"


def _trimmed(column: str) -> str:
    """SQL of trim(column). DuckDB's trim decodes and classifies every character of the cell (it
    removes Unicode spaces, all of them U+0020 or from U+0080 on); an ASCII cell (as many bytes as
    characters) that neither starts below '!' nor ends with a space is its own trim, which byte
    comparisons and the two lengths tell at 0.4 of the cost (1.26M e-mails: 0.09 against 0.22 s)."""
    as_is = f"{column} >= '!' AND NOT ends_with({column}, ' ') AND strlen({column}) = length({column})"
    return f"CASE WHEN {as_is} THEN {column} ELSE trim({column}) END"


def _line_value(staged: _Staged, table: str = "") -> str:
    """SQL of a line's value (price × quantity, or the export's line subtotal)."""
    prefix = f"{table}." if table else ""
    product = f"{prefix}price * {prefix}quantity" if "price" in staged.fields else "NULL"
    if "line_value" in staged.fields:
        return f"COALESCE({prefix}line_value, {product})"
    return product


def _where(staged: _Staged, rowid: int, source_line: int | None) -> tuple[str, int]:
    """(file name, line) of a staged row: its recorded line (csvfile's copy), else the line its
    record starts on in the file DuckDB read itself."""
    number = max(n for n, (first, _) in enumerate(staged.offsets) if first <= rowid)
    first, path = staged.offsets[number]
    if source_line is not None:
        return path.name, int(source_line)
    if number not in staged.record_lines:
        staged.record_lines[number] = _record_lines(path, staged.files.layouts[number])
    lines = staged.record_lines[number]
    return path.name, lines[rowid - first] if rowid - first < len(lines) else rowid - first + 2


def _record_lines(path: Path, layout: csvfile.Layout) -> list[int]:
    """The line each data record of a file starts on, as DuckDB reads it (empty lines skipped).
    Rows counted from line 2 would be wrong after an empty line; read only when a message names a
    row, so a clean import never pays for this pass over the file."""
    starts, line = [], 1
    with path.open(encoding=layout.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=layout.delimiter)
        for record in reader:
            start, line = line, reader.line_num + 1
            if start > layout.header_line and record:
                starts.append(start)
    return starts


def _run_checks(connection, staged: _Staged, errors: Findings, table: str, checks: list[tuple[str, str, str]]):
    """Each row of `table` (row_no = the export's row) matching a check's condition is an error in
    its field: one query counts them all; examples are fetched only for checks that fail."""
    if not checks:
        return
    # A count per check, each its own filter: it reads only its columns, evaluates an AND's later terms
    # only where the first holds, and skips the row groups whose statistics rule it out (a column
    # without NULLs, amounts all ≥ 0), so most checks of a clean export read nothing; one scan
    # counting them all (count(*) FILTER …) evaluated every condition on every row.
    counted = dict(
        connection.execute(
            " UNION ALL ".join(
                f"SELECT {n} AS check_no, count(*) FROM {table} WHERE {condition}"
                for n, (_, condition, _) in enumerate(checks)
            )
        ).fetchall()
    )
    for n, (field, condition, reason) in enumerate(checks):
        total = counted[n]
        if not total:
            continue
        examples = connection.execute(
            f"SELECT row_no, source_line, {field} FROM {table} WHERE {condition} ORDER BY row_no LIMIT 20"
        ).fetchall()
        for row_no, source_line, value in examples:
            name, line = _where(staged, int(row_no), source_line)
            errors.add(Problem(name, line, staged.shown.get(field, field), _shown(value), reason), 0)
        errors.total += total


def _check_lines(connection, staged: _Staged, errors: Findings) -> bool:
    """Line fields present on every row: an order number, a whole quantity ≥ 0, a price ≥ 0 (amounts
    are finite: _stage_exports). True when a value was found that grouping the orders cannot take
    (a negative quantity or price): the caller stops there."""
    connection.execute("CREATE OR REPLACE TEMP VIEW store_rows AS SELECT rowid AS row_no, * FROM store_raw")
    before = errors.total
    unusable: list[tuple[str, str, str]] = [
        (
            field,
            f"{field} < 0",
            "quantity must be a whole number, 0 or more" if field == "quantity" else "negative value",
        )
        for field in ("quantity", "price", "line_value")
        if field in staged.fields
    ]
    _run_checks(connection, staged, errors, "store_rows", unusable)
    found_unusable = errors.total > before
    checks = [
        ("order_ref", f"NOT {_present('order_ref')}", "missing order number (line items are grouped by it)"),
        ("quantity", "quantity IS NULL", "missing quantity"),
        ("quantity", "quantity >= 0 AND quantity <> floor(quantity)", "quantity must be a whole number, 0 or more"),
    ]
    _run_checks(connection, staged, errors, "store_rows", checks)
    return found_unusable


@contextlib.contextmanager
def _joins_as_written(connection):
    """Joins keep the sides as the queries write them: the line items (a POSITIONAL JOIN of
    `store_raw` and `store_lines`, which DuckDB estimates at 0 rows) on the left, probing a hash
    table of the orders on the right. Left to the optimizer, the 10M line items became the hash
    table."""
    (before,) = connection.execute("SELECT current_setting('disabled_optimizers')").fetchone()
    connection.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    try:
        yield
    finally:
        connection.execute("SET disabled_optimizers = ?", [before])


# SQL: whether `order_ref` comes after `before`, both order numbers compared as numbers (by length,
# then text: `#999` comes before `#1000`). Where the two differ, NOT RISES is "comes before".
RISES = """CASE WHEN length(order_ref) <> length(before) THEN length(order_ref) > length(before)
                ELSE order_ref > before END"""
# The rows `store_lines` makes an order's first
NUMBERED_STARTS = "store_raw POSITIONAL JOIN store_lines WHERE first_row = store_raw.rowid"


def _find_first_rows(connection, staged: _Staged, errors: Findings) -> tuple[bool, list[dict]] | None:
    """How line items find their order's first row: (`marked`, _first_rows_marked: the rows with a
    total, filtered from `store_raw`; else `store_lines`, _number_lines) and the repeated orders of
    overlapping exports (_repeated_orders); None when an order differs between files (errors added).
    Shopify exports whose first rows are marked, checked in one pass, need no `store_lines` (nothing
    reads it then: _check_first_rows only where an order's first row lacks its total) and repeat no
    order: each order's rows are one block of consecutive rows, only its first with a total, so an
    order in two files is one straddling a cut (never identical in both: one part has the total)."""
    if staged.files.store in BLANK_LATER_LINES and _marked_in_one_pass(connection):
        return True, []
    repeated = _repeated_orders(connection, staged, errors) if len(staged.offsets) > 1 else []
    if repeated is None:
        return None
    _number_lines(connection)
    if repeated:
        _drop_repeated_rows(connection, staged)
    # rows of repeated orders are dropped from `store_lines` only: a filter of `store_raw` would keep them
    return not repeated and _first_rows_marked(connection), repeated


def _marked_in_one_pass(connection) -> bool:
    """_first_rows_marked without numbering the rows first, in one streaming pass: every row has an
    order number, the rows with a total are exactly those whose number differs from the row before
    (the rows that start an order), and those numbers are all different: they run strictly up or
    down the file (RISES; the row before an order's first is the previous order's last, which
    carries its number) or else their hashes differ. False leaves the question to the numbering,
    which may still find the rows marked (an order's later line item elsewhere, without a total)."""
    (marked, ordered) = connection.execute(f"""
        SELECT count(*) = count(order_ref) AND bool_and(starts = (total IS NOT NULL)),
               bool_and(rises) OR NOT bool_or(rises)
        FROM (SELECT total, order_ref, starts, CASE WHEN starts THEN {RISES} END AS rises
              FROM (SELECT total, order_ref, before, order_ref IS DISTINCT FROM before AS starts
                    FROM (SELECT total, order_ref, lag(order_ref) OVER () AS before FROM store_raw)))""").fetchone()
    return bool(marked) and (bool(ordered) or _starts_distinct(connection, "store_raw WHERE total IS NOT NULL"))


def _number_lines(connection):
    """`store_lines`: for each row of `store_raw`, by position (read beside it with POSITIONAL
    JOIN), the row number of its order's first row (`first_row`), so that joining the orders back to
    their line items runs on integers, and grouping line items into orders and reading each order's
    first row too unless the first rows are marked by their total (_first_rows_marked). An export
    lists an order's line items on consecutive rows: a row whose order number differs from the row
    before starts an order (one ordered pass, no grouping). That holds when the
    order numbers of those rows are all different (sorted up or down the file, as exports list them;
    else checked on their 64-bit hashes: different hashes are different numbers); when not (rows
    sorted by another column, an order split between files,
    or two numbers of one hash), each row's first row is found by grouping by order number. Order
    numbers are compared as written either way."""
    connection.execute("""
        CREATE OR REPLACE TEMP TABLE store_lines AS
        SELECT max(CASE WHEN starts THEN row_no END) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS first_row
        FROM (SELECT rowid AS row_no, order_ref IS DISTINCT FROM lag(order_ref) OVER () AS starts FROM store_raw)""")
    if not _starts_sorted(connection) and not _starts_distinct(connection):
        connection.execute("""
            CREATE OR REPLACE TEMP TABLE store_lines AS
            SELECT min(rowid) OVER (PARTITION BY order_ref) AS first_row FROM store_raw ORDER BY rowid""")


def _starts_sorted(connection) -> bool:
    """Whether the order numbers of the rows that start an order run strictly up or strictly down
    the file (RISES): then they are all different, found in one streaming pass. Exports list orders
    by number. Each such number differs from the one before (the previous order's, whose last row
    is the row before)."""
    (ordered,) = connection.execute(f"""
        SELECT count(*) = count(order_ref) AND (bool_and(rises) OR NOT bool_or(rises)) FROM (
            SELECT order_ref, {RISES} AS rises
            FROM (SELECT order_ref, lag(order_ref) OVER () AS before FROM {NUMBERED_STARTS}))""").fetchone()
    return bool(ordered)


def _starts_distinct(connection, starts: str = NUMBERED_STARTS) -> bool:
    """Whether the order numbers of the rows that start an order (`starts`: SQL of the rows, from
    `store_raw`) are all different (their 64-bit hashes: different hashes are different numbers)."""
    (distinct,) = connection.execute(f"SELECT count(*) = count(DISTINCT hash(order_ref)) FROM {starts}").fetchone()
    return bool(distinct)


def _file_no(staged: _Staged) -> str:
    """SQL of a `store_raw` row's export file (0, 1, …) from its rowid."""
    starts = [first for first, _ in staged.offsets[1:]]
    if not starts:
        return "0"
    return (
        "CASE "
        + " ".join(f"WHEN rowid < {first} THEN {n}" for n, first in enumerate(starts))
        + f" ELSE {len(starts)} END"
    )


def _repeated_orders(connection, staged: _Staged, errors: Findings) -> list[dict] | None:
    """Orders whose rows sit in two or more export files (overlapping exports, e.g. January and
    15 January – 15 February). Identical in each file (the same rows, in any order, with the same
    value in every column read): counted once, from the first file — their rows in the later files
    are dropped (_drop_repeated_rows). An order straddling the cut of a split export (its rows
    the last of one file and the first of the next) is one order. Any other order in two files is
    refused, naming the order, both files, the rows, the column and the values that differ (then
    None). Returns [{files: [first, other], orders, line_items}] of the rows to drop, per pair of
    files; `store_part_kinds` says which."""
    columns = ", ".join(sorted(staged.fields))
    order_fields = ", ".join(f for f in ORDER_LEVEL if f in staged.fields)
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE store_parts AS
        WITH rows AS (SELECT rowid AS row_no, {_file_no(staged)} AS file_no, * FROM store_raw),
             shared AS (SELECT order_ref FROM (SELECT DISTINCT order_ref, file_no FROM rows)
                        GROUP BY 1 HAVING count(*) > 1)
        SELECT order_ref, file_no, count(*) AS line_items, min(row_no) AS first_row, max(row_no) AS last_row,
               list(row({columns}) ORDER BY row({columns})) AS content,
               min(hash(row({order_fields}))) FILTER (WHERE total IS NOT NULL) AS fields_low,
               max(hash(row({order_fields}))) FILTER (WHERE total IS NOT NULL) AS fields_high
        FROM rows SEMI JOIN shared USING (order_ref) GROUP BY 1, 2""")
    # A straddling order's rows are one block of consecutive rows (files are read one after another)
    # whose rows with a total all give the same order fields: a Shopify order's later line items (no
    # total) after its first row, or WooCommerce's rows repeating them; two different orders of one
    # number, one ending a file and the other starting the next, are no straddling order (tester t2).
    connection.execute("""
        CREATE OR REPLACE TEMP TABLE store_part_kinds AS
        SELECT order_ref, file_no, line_items, first_row, first_value(file_no) OVER w AS kept_file,
               bool_and(content IS NOT DISTINCT FROM first_content) OVER o AS identical,
               max(last_row) OVER o - min(first_row) OVER o + 1 = sum(line_items) OVER o
               AND min(fields_low) OVER o IS NOT DISTINCT FROM max(fields_high) OVER o AS straddles
        FROM (SELECT *, first_value(content) OVER (PARTITION BY order_ref ORDER BY file_no) AS first_content
              FROM store_parts)
        WINDOW w AS (PARTITION BY order_ref ORDER BY file_no), o AS (PARTITION BY order_ref)""")
    conflicts = connection.execute("""
        SELECT order_ref FROM store_part_kinds WHERE NOT identical AND NOT straddles
        GROUP BY 1 ORDER BY min(first_row)""").fetchall()
    for (order_ref,) in conflicts[:MAX_SHOWN]:
        errors.add(_differing_order(connection, staged, order_ref), 0)
    errors.total += len(conflicts)
    if conflicts:
        return None
    pairs = connection.execute("""
        SELECT kept_file, file_no, count(*), sum(line_items) FROM store_part_kinds
        WHERE identical AND file_no > kept_file GROUP BY 1, 2 ORDER BY 1, 2""").fetchall()
    names = [path.name for _, path in staged.offsets]
    return [
        {"files": [names[kept], names[other]], "orders": int(orders), "line_items": int(lines)}
        for kept, other, orders, lines in pairs
    ]


def _drop_repeated_rows(connection, staged: _Staged) -> None:
    """The rows of the repeated orders of later files (_repeated_orders) leave `store_lines`
    (first_row NULL)."""
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE store_lines AS
        SELECT CASE WHEN d.row_no IS NULL THEN l.first_row END AS first_row
        FROM (SELECT store_raw.rowid AS row_no, first_row FROM store_raw POSITIONAL JOIN store_lines) l
        LEFT JOIN (SELECT r.rowid AS row_no FROM store_raw r JOIN store_part_kinds k
                   ON k.order_ref = r.order_ref AND k.identical AND k.file_no > k.kept_file
                   AND {_file_no(staged).replace("rowid", "r.rowid")} = k.file_no) d USING (row_no)
        ORDER BY l.row_no""")


def _differing_order(connection, staged: _Staged, order_ref: str) -> Problem:
    """The first difference between an order's rows in its first two files: the n-th row of each
    (in file order), column by column, else the number of rows."""
    fields = sorted(staged.fields)
    rows = connection.execute(
        f"""SELECT file_no, row_no, source_line, {", ".join(fields)} FROM (
                SELECT rowid AS row_no, {_file_no(staged)} AS file_no, * FROM store_raw WHERE order_ref = ?)
            ORDER BY row_no""",
        [order_ref],
    ).fetchall()
    files = sorted({row[0] for row in rows})[:2]
    first, other = ([row for row in rows if row[0] == n] for n in files)
    for a, b in zip(first, other):
        for field, x, y in zip(fields, a[3:], b[3:]):
            if x != y:
                name_a, line_a = _where(staged, a[1], a[2])
                name_b, line_b = _where(staged, b[1], b[2])
                return Problem(
                    name_b,
                    line_b,
                    staged.shown.get(field, field),
                    _shown(y),
                    f"order {order_ref} is also in {name_a} (row {line_a}) with {_shown(x)!r}: overlapping "
                    "exports must hold the same rows of an order (export each order once, or again in full)",
                )
    name_a, line_a = _where(staged, first[0][1], first[0][2])
    name_b, line_b = _where(staged, other[0][1], other[0][2])
    return Problem(
        name_b,
        line_b,
        staged.shown["order_ref"],
        order_ref,
        f"order {order_ref} has {len(other)} line item{'s' * (len(other) != 1)} here and {len(first)} in "
        f"{name_a} (from row {line_a}): overlapping exports must hold the same rows of an order",
    )


def _shown(value) -> str | None:
    """A staged value as the export shows it (an amount read as a number without its `.0`)."""
    return None if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def _first_rows_marked(connection) -> bool:
    """Whether an order's first row is the one row of it with a total (Shopify leaves a later line
    item's order fields blank; WooCommerce repeats them) and every row has an order number: then the
    orders' first rows are the rows with a total, found by a filter that runs on every core, and an
    order's later lines are the rows without one that carry its number (the first rows' numbers are
    all different: _number_lines). Checked against `store_lines`: each first row has a total, and
    no other row has one."""
    (marked,) = connection.execute("""
        SELECT count(*) FILTER (WHERE total IS NULL) = 0
               AND count(*) = (SELECT count(total) FROM store_raw)
               AND (SELECT count(*) = count(order_ref) FROM store_raw)
        FROM store_raw POSITIONAL JOIN store_lines WHERE first_row = store_raw.rowid""").fetchone()
    return bool(marked)


def _group_orders(connection, staged: _Staged, marked: bool):
    """One row per order: its first row (where order-level fields are read), its line items'
    total value and its lead line (largest value, first in the file on ties). Only the rows after
    an order's first one are grouped: an order of one line item, most of them, is its first row.
    When the first rows are `marked` (_first_rows_marked), the first rows are filtered from
    `store_raw` and the later lines grouped and joined by order number, so the whole order table
    runs on every core; otherwise rows are read beside `store_lines` by position (POSITIONAL JOIN,
    one thread) and grouped by `first_row`, an integer. The first row's own product, brand and
    value (`first_value`) come along: _build_sales makes that line item's sales row from the order;
    so does, where marked, the order number of an order of several lines (`multi_ref`, NULL for one
    line), on which _build_sales joins the later lines."""
    value = _line_value(staged)
    fields = [f for f in ORDER_LEVEL if f in staged.fields]
    lead_key = LEAD_KEY.format(value="COALESCE(line_value, 0)").replace("rowid", "row_no")
    if marked:
        lines = f"""firsts AS (SELECT rowid AS row_no, {value} AS line_value, * FROM store_raw WHERE total IS NOT NULL),
             later AS (SELECT order_ref, count(*) AS later_rows, sum(line_value) AS later_value,
                              max({lead_key}) AS later_key
                       FROM (SELECT rowid AS row_no, order_ref, {value} AS line_value FROM store_raw WHERE total IS NULL)
                       GROUP BY 1)"""
        source = "firsts LEFT JOIN later USING (order_ref)"
        multi_ref = "CASE WHEN later_rows IS NOT NULL THEN order_ref END"
    else:
        lines = f"""lines AS NOT MATERIALIZED (SELECT store_raw.rowid AS row_no, first_row, {value} AS line_value, store_raw.*
                       FROM store_raw POSITIONAL JOIN store_lines),
             later AS (SELECT first_row, count(*) AS later_rows, sum(line_value) AS later_value,
                              max({lead_key}) AS later_key
                       FROM lines WHERE row_no <> first_row GROUP BY 1)"""
        source = "lines LEFT JOIN later USING (first_row) WHERE row_no = first_row"
        multi_ref = "CAST(NULL AS VARCHAR)"
    # A view: the grouping and the join run inside the one query that types the orders.
    connection.execute(f"""
        CREATE OR REPLACE TEMP VIEW store_first_rows AS
        WITH {lines}
        SELECT row_no, 1 + COALESCE(later_rows, 0) AS line_rows,
               CASE WHEN later_value IS NULL THEN line_value WHEN line_value IS NULL THEN later_value
                    ELSE line_value + later_value END AS lines_value,
               CASE WHEN later_rows IS NULL THEN row_no
                    ELSE {LEAD_ROW.replace("max({key})", "greatest({key}, later_key)").format(key=lead_key)} END AS lead_row,
               source_line, line_value AS first_value, product, {_brand(staged)} AS brand, {multi_ref} AS multi_ref,
               {", ".join(fields)}
        FROM {source}""")


def _brand(staged: _Staged, table: str = "") -> str:
    """SQL of a line item's brand, NULL where the export has no brand column."""
    return f"{table}{'.' * bool(table)}brand" if "brand" in staged.fields else "CAST(NULL AS VARCHAR)"


NEGATIVE = {
    # WooCommerce keeps refunds as negative amounts internally, and some export plugins write the sign.
    "refunded": "negative refund: refunds are expected as positive amounts (the amount given back); "
    "write the amount without its minus sign",
}


def _check_first_rows(connection, staged: _Staged, errors: Findings) -> bool:
    """Orders whose first row in the file lacks the order's fields (date and total) while another
    of its rows has them: the file was sorted (by product, say) or filtered after the export. One
    error per such order, naming the row that holds its fields; True when any was found."""
    # The orders without either field first: none, in a valid export, and then no line item is read.
    (lacking,) = connection.execute(
        "SELECT count(*) FROM store_order_facts WHERE total IS NULL AND date IS NULL AND created IS NULL"
    ).fetchone()
    if not lacking:
        return False
    rows = connection.execute("""
        WITH lines AS (SELECT store_raw.rowid AS row_no, first_row, created, total, source_line
                       FROM store_raw POSITIONAL JOIN store_lines)
        SELECT f.row_no, f.source_line, min(l.row_no), arg_min(l.source_line, l.row_no), count(*) OVER ()
        FROM store_order_facts f JOIN lines l ON l.first_row = f.row_no AND l.row_no <> f.row_no
        WHERE f.total IS NULL AND f.date IS NULL AND f.created IS NULL
          AND l.total IS NOT NULL AND l.created IS NOT NULL AND trim(l.created) <> ''
        GROUP BY f.row_no, f.source_line ORDER BY f.row_no LIMIT 20""").fetchall()
    for row_no, source_line, other_row, other_line, _ in rows:
        name, line = _where(staged, int(row_no), source_line)
        _, other = _where(staged, int(other_row), other_line)
        errors.add(
            Problem(
                name,
                line,
                staged.shown["order_ref"],
                None,
                f"the order's date and total are on a later row of it (row {other}), not on its first row: "
                "the file seems sorted or filtered; export it again from the store (its rows as exported)",
            ),
            0,
        )
    if rows:
        errors.total += rows[0][4]
    return bool(rows)


def _check_orders(connection, staged: _Staged, errors: Findings):
    """Order-level fields on each order's first row: a readable date, a total, amounts ≥ 0, and a
    total that holds at least its shipping and taxes."""
    # `created` is kept only where the date is unreadable (_type_orders): one NULL test finds both cases.
    checks = [
        ("created", "date IS NULL AND created IS NULL", "missing order date (read from the order's first row)"),
        ("created", "date IS NULL AND created IS NOT NULL", "unreadable order date (expected YYYY-MM-DD…)"),
        ("total", "total IS NULL", "missing order total (read from the order's first row)"),
    ]
    checks += [
        (field, f"{field} < 0", NEGATIVE.get(field, "negative value"))
        for field in MONEY
        if field in staged.fields and field in ORDER_LEVEL
    ]
    parts = staged.not_merchandise
    if parts:
        checks.append(
            (
                "total",
                # a negative total is named once, as negative
                f"total >= 0 AND total < {' + '.join(f'COALESCE({p}, 0)' for p in parts)} - {PAISA}",
                f"total is less than {' + '.join(staged.shown[p] for p in parts)}: the order's merchandise "
                "value would be negative",
            )
        )
    _run_checks(connection, staged, errors, "store_order_facts", checks)


def _date(column: str) -> str:
    # The date as written in the store's own time zone (Shopify: `2025-01-15 10:32:11 +0530`).
    return f"COALESCE(TRY_CAST(left({column}, 10) AS DATE), TRY_CAST(left(trim({column}), 10) AS DATE))"


def _opt(staged: _Staged, field: str, sql: str, default: str = "NULL") -> str:
    return sql.format(col=field) if field in staged.fields else default


def _type_orders(connection, staged: _Staged):
    """`store_order_facts`: one typed row per order with its sale status, revenue, refund, buyer and
    `attribution`: the key of its creator, campaign and source in store_attributions (that of its
    first known code, by `code_set`, else of its UTM source; NULL when not attributed). One table,
    so that the orders are written once; an integer instead of the three strings, which cost more
    to write for every order than _build_sales pays to join them back on the attributed sales.
    Statuses and code cells are compared as written (their cleaned forms are resolved once per
    distinct value; an order keeps its cell's `code_set`, whose codes and creators the report counts
    from store_code_sets); the currency is not kept (_refuse_mixed_currencies reads it); the buyer is
    hashed on attributed sales only, the one place it is read."""
    store = staged.files.store
    status_cells = _status_cells(connection, staged)
    not_sale = f"status IN ({_raw_statuses(status_cells, NOT_SALES[store])})"
    if "cancelled_at" in staged.fields:
        not_sale += f" OR {_present('cancelled_at')}"
    staged.not_merchandise = _not_merchandise(connection, staged)
    beside = " + ".join(f"COALESCE({p}, 0)" for p in staged.not_merchandise) or "0"
    refunded = _opt(staged, "refunded", "{col}", "CAST(NULL AS DOUBLE)")
    # Per import, never stored: hashes cannot be linked back to an e-mail. Its 16 random bytes in 22
    # characters (base64, not 32 hex digits): with `e:`, an e-mail of up to 31 bytes (21 before)
    # fits SHA-256's one 64-byte block, so a typical address is hashed in one block, not two.
    salt = secrets.token_urlsafe(16)
    email = _opt(staged, "email", f"NULLIF(lower({_trimmed('{col}')}), '')")
    customer = _opt(staged, "customer", f"NULLIF(NULLIF({_trimmed('{col}')}, ''), '0')")
    has_utm = "utm_source" in staged.fields or "note_attributes" in staged.fields
    _stage_attributions(connection)
    connection.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE store_order_facts AS
        WITH typed AS (
            SELECT row_no, source_line, first_value, product, brand, multi_ref, line_rows, lines_value, lead_row,
                   {_date("created")} AS date,
                   created AS created_text, {", ".join(f for f in MONEY if f in staged.fields and f in ORDER_LEVEL and f != "total")},
                   NOT COALESCE({not_sale}, false) AS is_sale, {_opt(staged, "status", "{col}")} AS status,
                   total, {_revenue(staged, beside)} AS revenue,
                   {_opt(staged, "email", "{col}")} AS email, {_opt(staged, "customer", "{col}")} AS customer,
                   codes, {_utm(staged)} AS utm, {_opt(staged, "region", "{col}")} AS region
            FROM store_first_rows),
        attributed AS (
            SELECT o.* EXCLUDE (utm, codes), c.code_set,
                   CASE WHEN c.influencer_id IS NOT NULL THEN c.code_set ELSE u.attribution END AS attribution
            FROM typed o LEFT JOIN store_code_sets c USING (codes)
            LEFT JOIN (SELECT * FROM store_utm_keys WHERE {str(has_utm).lower()}) u ON u.key = o.utm)
        SELECT * EXCLUDE (status, created_text, email, customer),
               CASE WHEN date IS NULL AND {_present("created_text")} THEN created_text END AS created,
               CASE WHEN {refunded} > 0 AND total > 0 THEN least({refunded} * revenue / total, revenue)
                    WHEN {refunded} > 0 THEN 0.0
                    WHEN COALESCE({refunded}, 0) = 0 AND status IN ({_raw_statuses(status_cells, FULLY_REFUNDED)})
                         THEN revenue
                    ELSE 0.0 END AS refund,
               -- `||` is NULL when the e-mail is: each buyer key is cleaned once, not tested then cleaned again
               CASE WHEN is_sale AND attribution IS NOT NULL
                    THEN to_base64(unhex(COALESCE(left(sha256(? || 'e:' || {email}), {BUYER_DIGITS}),
                                                  left(sha256(? || 'c:' || {customer}), {BUYER_DIGITS})))) END AS user_id
        FROM attributed""",
        [salt, salt],
    )


def _stage_attributions(connection):
    """`store_attributions` (attribution, influencer_id, campaign, source): what an order's
    `attribution` stands for, a code set's number (store_code_sets) for a creator's code, a negative
    number for a UTM source (`store_utm_keys`: utm_map numbered). A few thousand rows: the orders
    carry the integer, and _build_sales joins the strings back on the attributed sales only. Campaign
    and source are ENUMs of their few values, so that store_sales stores a small integer per row
    instead of a string (a string write costs more), and the history's Parquet copy writes them
    without a per-row cast; the creator stays text (as an ENUM its readers cost more than it saved:
    docs/benchmarks.md)."""
    connection.execute("""
        CREATE OR REPLACE TEMP TABLE store_utm_keys AS
        SELECT key, -(row_number() OVER ())::INTEGER AS attribution, influencer_id, campaign FROM utm_map""")
    connection.execute("""
        CREATE OR REPLACE TEMP TYPE store_campaign AS ENUM (
            SELECT DISTINCT campaign FROM (SELECT campaign FROM store_code_sets UNION ALL SELECT campaign FROM utm_map)
            WHERE campaign IS NOT NULL ORDER BY 1)""")
    connection.execute(f"CREATE OR REPLACE TEMP TYPE store_source AS ENUM ('{CODE_SOURCE}', '{UTM_SOURCE}')")
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE store_attributions AS
        SELECT attribution, influencer_id, campaign::store_campaign AS campaign, source::store_source AS source
        FROM (SELECT code_set AS attribution, influencer_id, campaign, '{CODE_SOURCE}' AS source
              FROM store_code_sets WHERE influencer_id IS NOT NULL
              UNION ALL
              SELECT attribution, influencer_id, campaign, '{UTM_SOURCE}' FROM store_utm_keys)""")


def _not_merchandise(connection, staged: _Staged) -> list[str]:
    """The export's fields that an order's total holds beside its merchandise (NOT_MERCHANDISE), with
    TAX_PARTS too when _tax_column_is_products_only."""
    parts = [p for p in NOT_MERCHANDISE[staged.files.store] if p in staged.fields]
    if _tax_column_is_products_only(connection, staged):
        parts += [p for p in TAX_PARTS[staged.files.store] if p in staged.fields]
    return parts


def _tax_column_is_products_only(connection, staged: _Staged) -> bool:
    """Whether the export's tax column is smaller than the shipping and fee taxes on some row: then it
    cannot be the order's whole tax (NOT_MERCHANDISE), and holds the products' tax only, in the whole
    export (one plugin wrote it). WooCommerce repeats an order's fields on each row: one scan of the
    line items, no grouping."""
    parts = [p for p in TAX_PARTS[staged.files.store] if p in staged.fields]
    if "taxes" not in staged.fields or not parts:
        return False
    beside = " + ".join(f"COALESCE({p}, 0)" for p in parts)
    (found,) = connection.execute(f"SELECT bool_or(taxes + {PAISA} < {beside}) FROM store_raw").fetchone()
    return bool(found)


def _taxes_included_with_shipping(staged: _Staged) -> str | None:
    """SQL true for a Shopify order whose prices include tax (its Subtotal and Shipping, with any
    Duties, make its Total: the Taxes are inside them) and that has both shipping and taxes: its Taxes
    then hold the shipping's tax too, which the export does not give apart. None without the columns."""
    if staged.files.store != "Shopify" or not {"subtotal", "shipping", "taxes"} <= set(staged.fields):
        return None
    duties = "COALESCE(duties, 0)" if "duties" in staged.fields else "0"
    return f"(taxes > 0 AND shipping > 0 AND abs(subtotal + shipping + {duties} - total) < {PAISA})"


def _revenue(staged: _Staged, beside: str) -> str:
    """SQL of an order's revenue: its total less `beside` (shipping, taxes, …); for a Shopify order
    whose prices include tax and whose shipping and taxes are both above 0, the Subtotal less its
    share of the Taxes, in proportion to Subtotal and Shipping (the shipping taxed at the order's own
    rate: docs/metrics.md; the mapping report says how far this can be off)."""
    formula = f"total - ({beside})"
    included = _taxes_included_with_shipping(staged)
    if included is None:
        return formula
    return f"CASE WHEN {included} THEN subtotal * (1 - taxes / (subtotal + shipping)) ELSE {formula} END"


def _status_cells(connection, staged: _Staged) -> list[tuple[str, str]]:
    """Each distinct status cell of the export as written, with its cleaned form (trimmed, lower
    case). An export holds a handful: cleaning those, not every order's, is the cheap way."""
    if "status" not in staged.fields:
        return []
    return connection.execute(
        "SELECT status, lower(trim(status)) FROM (SELECT DISTINCT status FROM store_raw WHERE status IS NOT NULL)"
    ).fetchall()


def _raw_statuses(cells: list[tuple[str, str]], statuses: tuple[str, ...]) -> str:
    """SQL list of the status cells that read as one of `statuses` (with or without WooCommerce's
    `wc-` prefix), as written; NULL when none does."""
    wanted = {prefix + status for status in statuses for prefix in ("", "wc-")}
    return ", ".join(_sql_text(cell) for cell, cleaned in sorted(cells) if cleaned in wanted) or "NULL"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# Several codes in one cell: `CODE1, CODE2`, or WooCommerce's `code:CODE1|amount:10.00;code:CODE2|…`.
SEVERAL_CODES = "(contains(codes_text, ',') OR contains(codes_text, ';') OR codes_text ILIKE '%code:%')"
CODE_LIST = (
    "list_filter(list_transform(COALESCE(CASE WHEN codes_text ILIKE '%code:%' "
    "THEN regexp_extract_all(codes_text, 'code:([^|;]+)', 1) ELSE string_split_regex(codes_text, '[,;]') END, "
    "[]), lambda x: trim(x)), lambda x: x <> '')"
)


def _utm(staged: _Staged) -> str:
    """A utm_source column, else Shopify's note attributes (`utm_source: …` lines), else NULL."""
    parts = []
    if "utm_source" in staged.fields:
        parts.append(f"NULLIF(lower({_trimmed('utm_source')}), '')")
    if "note_attributes" in staged.fields:
        parts.append("NULLIF(lower(trim(regexp_extract(note_attributes, 'utm_source:\\s*([^\\n\\r]+)', 1))), '')")
    return f"COALESCE({', '.join(parts)})" if parts else "CAST(NULL AS VARCHAR)"


def _refuse_mixed_currencies(connection, staged: _Staged, errors: Findings, marked: bool) -> str:
    """The orders' one currency (upper case; DATA_CURRENCY when no order names one); an error when
    they name several. Read from the orders' first rows in `store_raw` (those with a total where
    `marked`, else NUMBERED_STARTS): the order table does not carry the cell, one string per order."""
    if "currency" not in staged.fields:
        return DATA_CURRENCY
    firsts = "store_raw WHERE total IS NOT NULL" if marked else NUMBERED_STARTS
    # The few distinct cells are cleaned, not each order's (blank ones are dropped here, not by
    # HAVING: DuckDB pushed that filter down to every order's cell).
    cleaned = connection.execute(f"""
        SELECT NULLIF(upper(trim(currency)), '') AS cleaned, sum(orders)::BIGINT
        FROM (SELECT currency, count(*) AS orders FROM {firsts} AND currency IS NOT NULL GROUP BY 1)
        GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall()
    currencies = [(currency, count) for currency, count in cleaned if currency is not None]
    if len(currencies) > 1:
        listed = ", ".join(f"{currency} ({_orders(count)})" for currency, count in currencies)
        errors.add(
            _first_order_not_in(connection, staged, firsts, currencies[0][0], f"orders in several currencies: {listed}")
        )
    return currencies[0][0] if currencies else DATA_CURRENCY


def _first_order_not_in(connection, staged: _Staged, firsts: str, currency: str, listed: str) -> Problem:
    """The error of an export in several currencies (`listed`), on the first order (in file order) in
    another currency than `currency`, the most used: the file, row and cell to look at. `firsts`: the
    orders' first rows in `store_raw` (SQL FROM … WHERE, as _refuse_mixed_currencies reads them)."""
    row_no, source_line, cell, order_ref = connection.execute(
        f"""SELECT store_raw.rowid, source_line, currency, order_ref FROM {firsts}
            AND NULLIF(upper(trim(currency)), '') <> ? ORDER BY store_raw.rowid LIMIT 1""",
        [currency],
    ).fetchone()
    name, line = _where(staged, int(row_no), source_line)
    return Problem(
        name,
        line,
        staged.shown.get("currency"),
        cell,
        f"{listed}: order {order_ref} is the first not in {currency}; one currency per data set",
    )


def _resolve_code_sets(connection):
    """`store_code_sets`: each distinct code cell of the export as written (`codes`, the key orders
    join on, so that no order's cell is trimmed) with a number (`code_set`), its trimmed text,
    whether it holds several codes, how many codes and distinct creators it names and the creator
    and campaign of its first known code. Resolved once per cell, not per order: an export holds
    few distinct cells (one code each, mostly). Blank cells have no row: their orders carry no code.
    Blank cells are told by their empty list of codes, after the distinct: a filter on the trimmed
    cell would be pushed down to every line item's cell. Creators are counted from a list (which
    drops NULLs as count(DISTINCT) does): a DISTINCT aggregate is planned as a second grouping."""
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE store_code_sets AS
        WITH cells AS (SELECT codes, trim(codes) AS codes_text FROM (SELECT DISTINCT codes FROM store_raw
                                                                     WHERE codes IS NOT NULL)),
             listed AS (
                SELECT codes, codes_text, several, unnest(list) AS code, generate_subscripts(list, 1) AS position
                FROM (SELECT codes, codes_text, several,
                             CASE WHEN several THEN {CODE_LIST} WHEN codes_text <> '' THEN [codes_text] ELSE [] END
                             AS list
                      FROM (SELECT codes, codes_text, {SEVERAL_CODES} AS several FROM cells)))
        SELECT (row_number() OVER ())::INTEGER AS code_set, l.codes, any_value(l.codes_text) AS codes_text,
               bool_or(l.several) AS several, count(*) AS code_count,
               len(list_distinct(list(m.influencer_id)))::BIGINT AS creators,
               arg_min(m.influencer_id, l.position) FILTER (WHERE m.influencer_id IS NOT NULL) AS influencer_id,
               arg_min(m.campaign, l.position) FILTER (WHERE m.influencer_id IS NOT NULL) AS campaign
        FROM listed l LEFT JOIN code_map m ON m.key = lower(l.code)
        GROUP BY l.codes""")


def _build_sales(connection, staged: _Staged, marked: bool):
    """`store_sales`, shaped like a typed tracking_data file: a row per line item of each attributed
    sale (revenue ∝ line value; the order on the lead line), then for each refunded order a row per
    line item with its share of the refund as negative revenue and no orders. Every row carries the
    order's buyer, as a tracking_data file's rows do: a customer's value (customer_cohorts) sums the
    whole order net of its refund, while the buyer's first order is still its lead line (the one
    row placing an order). Product and brand stay as written: the import trims and normalises them (build.py).
    An order's first line item is made from its row of the order table, which carries that row's
    product, brand and value (most orders have one line item: no join); only the later line items
    are joined to their order, against the orders of several lines: where the first rows are
    `marked`, a later line is a row without a total, joined on its order number (`multi_ref`) by a
    scan that runs on every core; else by `store_lines`' `first_row` read beside `store_raw` by
    position (one thread). A parallel hash join returns its rows in no set order, and sorting them
    cost ≈ 2 s of CPU at 10M line items (docs/benchmarks.md): each row carries its place instead
    (SALE_ORDER, which build.type_sales reads as `sale_no`: a buyer's first order is the earliest,
    then the first in the file), the line's row in the export(s), refund rows after every line."""
    value = _line_value(staged, "r")
    if marked:
        later = "store_raw r JOIN ({orders}) o ON o.multi_ref = r.order_ref WHERE r.total IS NULL"
    else:
        later = "store_raw r POSITIONAL JOIN store_lines l JOIN ({orders}) o ON o.row_no = l.first_row WHERE r.rowid <> l.first_row"
    for statement, amount, refunds_only in (
        ("CREATE OR REPLACE TEMP TABLE store_sales AS", "o.revenue", False),
        ("INSERT INTO store_sales", "-o.refund", True),
    ):
        sold = f"is_sale AND attribution IS NOT NULL{' AND refund > 0' * refunds_only}"
        lead = f"AND NOT {refunds_only}"
        after = "(SELECT count(*) FROM store_raw) + " * refunds_only
        connection.execute(f"""
            {statement}
            SELECT {after}s.{SALE_ORDER} AS {SALE_ORDER}, a.influencer_id, s.date, a.campaign, s.product, s.brand,
                   a.source, s.user_id, s.orders, s.revenue, s.region
            FROM (
                SELECT o.row_no AS {SALE_ORDER}, o.attribution, o.date, o.product, o.brand,
                       o.user_id,
                       (o.row_no = o.lead_row {lead})::BIGINT AS orders,
                       {amount} * {_share("o.first_value")} AS revenue, o.region
                FROM store_order_facts o WHERE {sold}
                UNION ALL
                SELECT r.rowid, o.attribution, o.date, r.product, {_brand(staged, "r")},
                       o.user_id,
                       (r.rowid = o.lead_row {lead})::BIGINT, {amount} * {_share(value)}, o.region
                FROM {later.format(orders=f"SELECT * FROM store_order_facts WHERE line_rows > 1 AND {sold}")}) s
            JOIN store_attributions a USING (attribution)""")


def in_sale_order(connection, source: SourceFile) -> None:
    """A store export's sales kept by history.save_sources (written in no set order, each row with its
    SALE_ORDER) as an append reads the live data set's sales: the staged rows get their SALE_ORDER
    back, which becomes the source's `order_column` (the append sorts by it when it writes them, old
    then new); a file without that column (a tracking file, or a data set kept before it existed)
    is in file order already. The staged rows and the Parquet are both in the file's row order."""
    if SALE_ORDER not in source.ignored_columns:
        return
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE {source.table} AS SELECT s.*, p.{SALE_ORDER} FROM {source.table} s
            POSITIONAL JOIN (SELECT {SALE_ORDER} FROM read_parquet(?)) p""",
        [str(source.path)],
    )
    source.order_column = SALE_ORDER


def _share(value: str) -> str:
    """SQL of a line item's share of its order (`o`): its value over the order's line items' value,
    else an equal share."""
    return f"CASE WHEN o.lines_value > 0 THEN COALESCE({value}, 0) / o.lines_value ELSE 1.0 / o.line_rows END"


def _mapping_report(connection, staged: _Staged, repeated: list[dict], currency: str) -> dict:
    # The orders grouped by what the report tells apart, then counted per group: each column is read
    # once, where 17 filtered aggregates over the orders evaluated 17 conditions each. Grouped by code
    # cell, whose codes and creators are counted per cell (store_code_sets), not kept on every order.
    totals = connection.execute(
        """
        WITH grouped AS (
            SELECT is_sale, attribution IS NOT NULL AS attributed, code_set,
                   attribution < 0 AS utm, user_id IS NULL AS guest, refund > 0 AS refunded,
                   count(*) AS orders, sum(revenue - refund) AS net, sum(refund) AS refund
            FROM store_order_facts GROUP BY ALL),
        kinds AS (
            SELECT g.* EXCLUDE (code_set), COALESCE(c.code_count, 0) AS code_count, c.creators > 1 AS conflicting
            FROM grouped g LEFT JOIN store_code_sets c USING (code_set))
        SELECT COALESCE(sum(orders), 0), COALESCE(sum(orders) FILTER (WHERE NOT is_sale), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND attributed), 0),
               COALESCE(sum(net) FILTER (WHERE is_sale AND attributed), 0),
               COALESCE(sum(refund) FILTER (WHERE is_sale AND attributed), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND refunded), 0),
               COALESCE(sum(refund) FILTER (WHERE is_sale), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND NOT attributed AND code_count > 0), 0),
               COALESCE(sum(net) FILTER (WHERE is_sale AND NOT attributed AND code_count > 0), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND NOT attributed AND code_count = 0), 0),
               COALESCE(sum(net) FILTER (WHERE is_sale AND NOT attributed AND code_count = 0), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND code_count > 1), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND conflicting), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND utm), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND attributed AND guest), 0),
               COALESCE(sum(orders) FILTER (WHERE is_sale AND attributed AND refunded), 0)
        FROM kinds"""
    ).fetchone()
    keys = (
        "orders_read",
        "not_sales",
        "sales_orders",
        "attributed_orders",
        "attributed_revenue",
        "attributed_refunds",
        "refunded_orders",
        "refunded_amount",
        "unattributed_orders",
        "unattributed_revenue",
        "no_code_orders",
        "no_code_revenue",
        "several_codes_orders",
        "conflicting_codes_orders",
        "utm_orders",
        "guest_orders",
        "attributed_refunded_orders",
    )
    report = dict(zip(keys, totals))
    for key in (
        "attributed_revenue",
        "attributed_refunds",
        "refunded_amount",
        "unattributed_revenue",
        "no_code_revenue",
    ):
        report[key] = round(float(report[key]), 2)
    report["currency"] = currency
    report["conflicting_first"] = (
        _first_conflicting_order(connection, staged) if report["conflicting_codes_orders"] else None
    )
    report["shipping_tax"] = _shipping_tax_bound(connection, staged)
    report["taxes_products_only"] = any(p in staged.not_merchandise for p in TAX_PARTS[staged.files.store])
    top = []
    if report["unattributed_orders"]:
        _stage_unknown_codes(connection, staged)
        top = connection.execute(f"""
            SELECT arg_min(code, row_no), count(DISTINCT row_no), sum(revenue) FROM (
                SELECT row_no, revenue, unnest(CASE WHEN several THEN {CODE_LIST} ELSE [codes_text] END) AS code
                FROM store_unknown_codes)
            GROUP BY lower(code) ORDER BY 2 DESC, 3 DESC, 1 LIMIT {TOP_CODES}""").fetchall()
    report["top_unknown_codes"] = [
        {"code": code, "orders": int(orders), "revenue": round(float(revenue), 2)} for code, orders, revenue in top
    ]
    rows = connection.execute("SELECT count(*) FROM store_raw").fetchone()[0]
    ends = [first for first, _ in staged.offsets[1:]] + [rows]
    report.update(
        export_rows={path.name: end - first for (first, path), end in zip(staged.offsets, ends)},
        repeated=repeated,
        repeated_orders=sum(pair["orders"] for pair in repeated),
        repeated_line_items=sum(pair["line_items"] for pair in repeated),
    )
    report["line_items"] = rows - report["repeated_line_items"]
    guests = (
        connection.execute(f"""
            SELECT {_file_no(staged).replace("rowid", "row_no")}, count(*) FROM store_order_facts
            WHERE is_sale AND attribution IS NOT NULL AND user_id IS NULL GROUP BY 1 ORDER BY 1""").fetchall()
        if len(staged.offsets) > 1
        else [(0, report["guest_orders"])] * bool(report["guest_orders"])  # one file: no second scan of the orders
    )
    report["guest_orders_by_file"] = {staged.offsets[n][1].name: int(count) for n, count in guests}
    report["unattributed_by_file"] = _unattributed_by_file(connection, staged, report)
    report["code_map_rows"] = connection.execute("SELECT count(DISTINCT line) FROM code_map_raw").fetchone()[0]
    report.update(
        columns=_shown_columns(staged),
        store=staged.files.store,
        not_sales_covers=not_sales_covers(staged.files.store),
        exports=[p.name for p in staged.files.exports],
        code_map=staged.files.code_map.name if staged.files.code_map else None,
    )
    return report


def _first_conflicting_order(connection, staged: _Staged) -> dict:
    """{file, line, order, codes (its code cell as written), creators: [{code, influencer_id}]} of the
    first sale (in file order) whose codes name two or more creators: each creator with its first
    code in the cell, in the cell's order (the first one is the creator the order goes to)."""
    row_no, source_line, cell, codes_text = connection.execute("""
        SELECT o.row_no, o.source_line, c.codes, c.codes_text FROM store_order_facts o JOIN store_code_sets c
        USING (code_set) WHERE o.is_sale AND c.creators > 1 ORDER BY o.row_no LIMIT 1""").fetchone()
    (order_ref,) = connection.execute("SELECT order_ref FROM store_raw WHERE rowid = ?", [row_no]).fetchone()
    creators = connection.execute(
        f"""SELECT arg_min(l.code, l.position), m.influencer_id FROM (
                SELECT unnest(list) AS code, generate_subscripts(list, 1) AS position
                FROM (SELECT {CODE_LIST} AS list FROM (SELECT ?::VARCHAR AS codes_text))) l
            JOIN code_map m ON m.key = lower(l.code) GROUP BY m.influencer_id ORDER BY min(l.position)""",
        [codes_text],
    ).fetchall()
    name, line = _where(staged, int(row_no), source_line)
    return {
        "file": name,
        "line": line,
        "order": order_ref,
        "codes": cell,
        "creators": [{"code": code, "influencer_id": creator} for code, creator in creators],
    }


def _shipping_tax_bound(connection, staged: _Staged) -> dict | None:
    """{orders, amount (₹), subtotal} of the attributed Shopify sales whose Taxes may hold a shipping
    tax the export does not give apart, or None: with a Subtotal column (`subtotal` True), the orders
    whose prices include tax, with shipping (_revenue took the shipping's tax at the order's rate:
    `amount` is that tax, by which their revenue is lower if the shipping was not taxed); without
    it, every order with shipping and taxes (whether prices include tax is unknown: `amount` is the
    shipping's tax at the order's rate, by which their revenue is understated if they do)."""
    included = _taxes_included_with_shipping(staged)
    if staged.files.store != "Shopify" or not {"shipping", "taxes"} <= set(staged.fields):
        return None
    duties = "COALESCE(duties, 0)" if "duties" in staged.fields else "0"
    orders, amount = connection.execute(f"""
        SELECT count(*), sum(taxes * shipping / (total - {duties})) FROM store_order_facts
        WHERE is_sale AND attribution IS NOT NULL AND {included or "taxes > 0 AND shipping > 0"}""").fetchone()
    if not orders:
        return None
    return {"orders": int(orders), "amount": round(float(amount), 2), "subtotal": included is not None}


def _stage_unknown_codes(connection, staged: _Staged) -> None:
    """`store_unknown_codes`: the sales whose codes no creator has, one row per order (its export file
    `file_no`, `row_no`, revenue net of refund in ₹, its code cell's `several` and `codes_text`), for the
    top unknown codes and their count per file: one scan of the orders for both."""
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE store_unknown_codes AS
        SELECT {_file_no(staged).replace("rowid", "row_no")} AS file_no, o.row_no, o.revenue - o.refund AS revenue,
               c.several, c.codes_text
        FROM store_order_facts o JOIN store_code_sets c USING (code_set)
        WHERE o.is_sale AND o.attribution IS NULL AND o.code_set IS NOT NULL""")


def _unattributed_by_file(connection, staged: _Staged, report: dict) -> dict[str, dict]:
    """{export file: {orders, revenue (₹), codes: [{code, orders}] most used first}} of the orders
    whose codes no creator has (store_unknown_codes), each counted in the file its first row is in."""
    if not report["unattributed_orders"]:
        return {}
    rows = connection.execute(f"""
        WITH orders AS (SELECT file_no, count(*) AS orders, sum(revenue) AS revenue FROM store_unknown_codes GROUP BY 1),
        codes AS (SELECT file_no, arg_min(code, row_no) AS code, count(DISTINCT row_no) AS orders,
                         row_number() OVER (PARTITION BY file_no ORDER BY count(DISTINCT row_no) DESC,
                                            arg_min(code, row_no)) AS rank
                  FROM (SELECT file_no, row_no, unnest(CASE WHEN several THEN {CODE_LIST} ELSE [codes_text] END) AS code
                        FROM store_unknown_codes)
                  GROUP BY file_no, lower(code))
        SELECT o.file_no, o.orders, o.revenue, list({{'code': c.code, 'orders': c.orders}} ORDER BY c.rank)
        FROM orders o JOIN codes c USING (file_no) WHERE c.rank <= {TOP_CODES} GROUP BY ALL ORDER BY 1""").fetchall()
    return {
        staged.offsets[n][1].name: {"orders": int(orders), "revenue": round(float(revenue), 2), "codes": codes}
        for n, orders, revenue, codes in rows
    }


def _shown_columns(staged: _Staged) -> dict[str, str | None]:
    """The export's own headers that the mapping's warnings name (order number, codes, currency,
    taxes, the taxes a tax column may hold beside the products', buyer)."""
    shown = {field: staged.shown.get(field) for field in ("order_ref", "codes", "currency", "taxes", "refunded")}
    parts = " + ".join(staged.shown[p] for p in TAX_PARTS[staged.files.store] if p in staged.shown)
    return shown | {"tax_parts": parts or None, "buyer": _buyer_columns(staged)}


# Mappings kept by imports before the report recorded its export's headers: each store's usual ones.
_USUAL_COLUMNS = {
    "Shopify": {"order_ref": "Name", "codes": "Discount Code", "currency": "Currency", "buyer": "Email"},
    "WooCommerce": {
        "order_ref": "order_id",
        "codes": "coupon_items",
        "currency": "order_currency",
        "buyer": "billing_email or customer_id",
    },
}


def sales_after_export(report: dict, name: str) -> str | None:
    """The name(s) of the sales files appended after a store export's sales, from the sales role's
    name as an appended data set shows it ("orders_export_1.csv + tracking_data.csv" ->
    "tracking_data.csv", importer.appended_names); None when nothing was appended after the export.
    `report`: the export's mapping (stage)."""
    first = f"{report['exports'][0]} + " if report.get("exports") else None
    return name.removeprefix(first) if first is not None and name.startswith(first) else None


def mapping_warnings(report: dict, warnings: Findings) -> None:
    """The warnings a mapping report states (orders repeated in two exports, guest checkouts per
    export file, unknown codes per file, codes of two creators, a currency other than INR), from the
    report alone: an import says them, and so does an append that rebuilds the data set from the
    export's sales kept in the history (the export itself is not read again)."""
    columns = report.get("columns") or _USUAL_COLUMNS[report["store"]]
    name = report["exports"][0]
    for pair in report.get("repeated", []):
        first, other = pair["files"]
        warnings.add(
            Problem(
                other,
                None,
                columns["order_ref"],
                None,
                f"{_orders(pair['orders'])} ({fmt.count(pair['line_items'])} line items) also in {first} with the "
                "same rows (overlapping exports): counted once",
            )
        )
    buyer = columns["buyer"]
    for file, guests in report.get("guest_orders_by_file", {}).items():
        warnings.add(
            Problem(
                file,
                None,
                buyer,
                "blank",
                f"{_orders(guests)} attributed without {buyer} (guest checkouts): counted as unknown buyers "
                "(their new customers are estimated)",
            )
        )
    for file, unknown in report.get("unattributed_by_file", {}).items():
        codes = ", ".join(f"{c['code']} ({fmt.count(c['orders'])})" for c in unknown["codes"])
        verb = "carries" if unknown["orders"] == 1 else "carry"
        warnings.add(
            Problem(
                file,
                None,
                columns["codes"],
                None,
                f"{_orders(unknown['orders'])} ({fmt.inr(unknown['revenue'], 2)}) {verb} "
                f"codes no creator has in {report['code_map']}: not attributed. Most used: {codes}",
            )
        )
    if report["conflicting_codes_orders"]:
        _warn_conflicting_codes(report, columns, warnings)
    if report["currency"] != DATA_CURRENCY:
        warnings.add(
            Problem(
                name,
                None,
                columns["currency"],
                report["currency"],
                "amounts are not in INR: they are shown with ₹; payouts must be in the same currency",
            )
        )
    _warn_tax_basis(report, columns, warnings)
    _warn_refunds_above_totals(report, columns, warnings)


def _warn_conflicting_codes(report: dict, columns: dict, warnings: Findings) -> None:
    """The orders whose codes name two or more creators, counted, on the first of them: its file,
    row and code cell, and the creators it names (mappings kept before session 20 lack that order:
    the count alone, on the first export file)."""
    count = report["conflicting_codes_orders"]
    said = f"{_orders(count)} {'carries' if count == 1 else 'carry'} codes of two or more creators"
    rule = "each goes to the creator of its first known code"
    first = report.get("conflicting_first")
    if not first:
        warnings.add(Problem(report["exports"][0], None, columns["codes"], None, f"{said}: {rule}"))
        return
    named = " and ".join(f"{c['code']} of {c['influencer_id']}" for c in first["creators"])
    reason = f"{said}: {rule} (the first: order {first['order']} names {named}, and goes to {first['creators'][0]['influencer_id']})"
    warnings.add(Problem(first["file"], first["line"], columns["codes"], first["codes"], reason))


def _warn_tax_basis(report: dict, columns: dict, warnings: Findings) -> None:
    """The revenue the export cannot give exactly (a shipping tax inside Shopify's Taxes), with its
    bound, and a WooCommerce tax column read as the products' tax only."""
    name, taxes = report["exports"][0], columns.get("taxes") or "Taxes"
    bound = report.get("shipping_tax")
    if bound and bound["subtotal"]:
        reason = (
            f"{_orders(bound['orders'])} attributed {'has' if bound['orders'] == 1 else 'have'} prices that include "
            f"tax and a shipping charge, whose tax is in {taxes} and not given apart: taken at each order's own rate "
            f"({fmt.inr(bound['amount'], 2)} in all), so their revenue is at most {fmt.inr(bound['amount'], 2)} too "
            "high if the shipping was not taxed (exact if it was taxed at the products' rate)"
        )
        warnings.add(Problem(name, None, taxes, None, reason))
    elif bound:
        reason = (
            f"{_orders(bound['orders'])} attributed {'has' if bound['orders'] == 1 else 'have'} shipping and taxes, and "
            "without a Subtotal column the export does not say whether prices include tax: if they do, "
            f"{taxes} holds the shipping's tax too and their revenue is understated by it "
            f"({fmt.inr(bound['amount'], 2)} at each order's own rate)"
        )
        warnings.add(Problem(name, None, taxes, None, reason))
    if report.get("taxes_products_only"):
        parts = columns.get("tax_parts") or "shipping_tax_total + fee_tax_total"
        reason = (
            f"{taxes} is less than {parts} on some orders, so it holds the products' tax only (not the order's "
            f"whole tax, as WooCommerce's exports write it): {parts} are taken off the total as well"
        )
        warnings.add(Problem(name, None, taxes, None, reason))


def _refunds_above_totals(connection, staged: _Staged) -> dict | None:
    """{orders, shown: [{file, line, order, refunded, total (₹)}]} of the sales whose refunded amount
    is above the order's total (an Excel edit, or an inconsistent export: capped at the order's
    revenue, the rule), the first MAX_SHOWN in file order; None without any (or without a refund
    column). Said by mapping_warnings, at the import and again at each append."""
    if "refunded" not in staged.fields:
        return None
    rows = connection.execute(f"""
        SELECT row_no, source_line, refunded, total, count(*) OVER () FROM store_order_facts
        WHERE is_sale AND refunded > total + 0.005 ORDER BY row_no LIMIT {MAX_SHOWN}""").fetchall()
    if not rows:
        return None
    # order numbers of those few rows only (store_raw is the whole export)
    refs = dict(
        connection.execute(
            f"SELECT rowid, order_ref FROM store_raw WHERE rowid IN ({', '.join(str(int(r[0])) for r in rows)})"
        ).fetchall()
    )
    shown = []
    for row_no, source_line, refunded, total, _ in rows:
        name, line = _where(staged, int(row_no), source_line)
        shown.append({"file": name, "line": line, "order": refs[row_no], "refunded": refunded, "total": total})
    return {"orders": int(rows[0][4]), "shown": shown}


def _warn_refunds_above_totals(report: dict, columns: dict, warnings: Findings) -> None:
    """Each order of report["refunds_above_totals"] named with both amounts, counted in full."""
    found = report.get("refunds_above_totals")  # mappings kept before session 15 lack it
    if not found:
        return
    for order in found["shown"]:
        warnings.add(
            Problem(
                order["file"],
                order["line"],
                columns["refunded"],
                _shown(order["refunded"]),
                f"order {order['order']}: refunded {fmt.inr(order['refunded'], 2)}, more than its total "
                f"{fmt.inr(order['total'], 2)}: counted as refunded in full (the export, or an edit of it, is inconsistent)",
            ),
            0,
        )
    warnings.total += found["orders"]


def _buyer_columns(staged: _Staged) -> str:
    """The export's buyer column(s) as written: e-mail, else customer id."""
    wanted = STORES[staged.files.store]
    shown = [staged.shown.get(field) or _titles(wanted[field])[0] for field in ("email", "customer") if field in wanted]
    return " or ".join(shown)


def _orders(n: int) -> str:
    return f"{fmt.count(n)} order{'' if n == 1 else 's'}"


def mapping_lines(report: dict) -> list[str]:
    """The mapping result as lines for the command line (the /data page shows the same figures)."""
    lines = [
        f"store orders: {', '.join(report['exports'])} ({report['store']}, {report['currency']}) "
        f"with code map {report['code_map']}",
        f"  {_orders(report['orders_read'])} read ({fmt.count(report['line_items'])} line items); "
        f"{fmt.count(report['not_sales'])} not sales ({report['not_sales_covers']})",
        f"  attributed: {_orders(report['attributed_orders'])}, {fmt.inr(report['attributed_revenue'], 2)} revenue "
        f"({catalogue.STORE_REVENUE_BASIS})",
        f"  refunded: {_orders(report['refunded_orders'])}, {fmt.inr(report['refunded_amount'], 2)} "
        f"({fmt.inr(report['attributed_refunds'], 2)} of it on attributed orders)",
        f"  unattributed: {_orders(report['unattributed_orders'])} with codes no creator has "
        f"({fmt.inr(report['unattributed_revenue'], 2)})"
        + (
            ": " + ", ".join(f"{c['code']} ({fmt.count(c['orders'])})" for c in report["top_unknown_codes"])
            if report["top_unknown_codes"]
            else ""
        ),
        f"  without a code: {_orders(report['no_code_orders'])} ({fmt.inr(report['no_code_revenue'], 2)})",
    ]
    if report["several_codes_orders"]:
        lines.append(
            f"  several codes: {_orders(report['several_codes_orders'])} (the first known code wins; "
            f"{fmt.count(report['conflicting_codes_orders'])} named two creators)"
        )
    if report["utm_orders"]:
        lines.append(f"  attributed by UTM source (no known code): {_orders(report['utm_orders'])}")
    for pair in report.get("repeated", []):
        first, other = pair["files"]
        lines.append(
            f"  in {first} and {other} alike (overlapping exports): {_orders(pair['orders'])} "
            f"({fmt.count(pair['line_items'])} line items), counted once"
        )
    if report["guest_orders"]:
        lines.append(
            f"  guest checkouts (no e-mail or customer id): {_orders(report['guest_orders'])} among the attributed"
        )
    if "sales_rows" in report:  # reports kept by imports before session 12 lack it
        lines.append(f"  sales rows: {fmt.count(report['sales_rows'])} ({STORE_SALES_ROWS})")
    return lines
