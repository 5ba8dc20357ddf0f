"""Store order exports (Shopify, WooCommerce) + a code map → attributed sales (warehouse/store_orders.py).

The fixture tests/fixtures/store_shopify/orders_export_1.csv holds nine Shopify orders whose
figures are computed by hand below; the property test checks that any set of store orders gives
the same figures as the tracking_data file a person would write for them by the documented rules.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spark_equality import differences

import metrics
from metrics import Filters
from warehouse import ImportFailed, Warehouse, import_dataset, validate_dataset
from warehouse.importer import validate_append
from warehouse.store_orders import SALE_ORDER, _trimmed, _typed_read_is_finite, is_code_map, store_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED1 = Path(__file__).resolve().parent / "data" / "datasets" / "seed1"
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,"
    "Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
    "Lineitem sku,Cancelled at,Refunded Amount,Vendor,Id"
).split(",")


# A sales file appended after a store export's sales: a blank user_id, `guest` and one buyer (U7).
MARCH_SALES = (
    "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
    "T1,PromoCode,Summer Shred,A1,,MuscleBlaze,Whey,2025-03-02,1,500\n"
    "T2,PromoCode,Summer Shred,A1,guest,MuscleBlaze,Whey,2025-03-03,1,400\n"
    "T3,PromoCode,Summer Shred,A1,U7,MuscleBlaze,Whey,2025-03-04,1,300\n"
)


@pytest.fixture(scope="module")
def store_dir() -> Path:
    return FIXTURES / "store_shopify"


@pytest.fixture(scope="module")
def store_wh(tmp_path_factory, store_dir) -> Warehouse:
    db = tmp_path_factory.mktemp("store") / "wh.duckdb"
    import_dataset(store_dir, db)
    return Warehouse(db)


def copy_of(store_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(store_dir, folder)
    return folder


# --- the hand-computed fixture ------------------------------------------------------------------


def test_mapping_report_before_anything_is_written(store_dir):
    report = validate_dataset(store_dir)
    mapping = report.store_orders
    assert mapping["store"] == "Shopify" and mapping["currency"] == "INR"
    assert mapping["exports"] == ["orders_export_1.csv"] and mapping["code_map"] == "influencer_tracking_codes.csv"
    assert mapping["line_items"] == 11 and mapping["orders_read"] == 9
    assert mapping["not_sales"] == 1  # #1003, voided and cancelled
    assert mapping["sales_orders"] == 8
    # #1001, #1002, #1007 (A1) and #1004, #1006, #1009 (B2)
    assert mapping["attributed_orders"] == 6
    # 900 + (1000 − 100) + 200 + 800 + 450 + (600 − 600)
    assert mapping["attributed_revenue"] == 3250.00
    # #1002: 118 refunded of a 1,180 total with 1,000 of merchandise → 100; #1009: all of its 600
    assert mapping["refunded_orders"] == 2 and mapping["refunded_amount"] == 700.00
    assert mapping["attributed_refunds"] == 700.00 and mapping["attributed_refunded_orders"] == 2
    assert mapping["unattributed_orders"] == 1 and mapping["unattributed_revenue"] == 300.00
    assert mapping["top_unknown_codes"] == [{"code": "WELCOME5", "orders": 1, "revenue": 300.00}]
    assert mapping["no_code_orders"] == 1 and mapping["no_code_revenue"] == 100.00
    assert mapping["several_codes_orders"] == 1 and mapping["conflicting_codes_orders"] == 0
    assert mapping["guest_orders"] == 1 and mapping["utm_orders"] == 0
    # Sales rows: the line items of the attributed orders (#1001 and #1006 two each, #1002, #1004,
    # #1007, #1009 one each: 8), plus a refund row per line item of the refunded #1002 and #1009: 10.
    assert mapping["sales_rows"] == 10
    lines = "\n".join(report.summary_lines())
    assert "  sales rows: 10 (one per line item of each attributed order, plus one per line item of each " in lines
    assert "unattributed: 1 order with codes no creator has (₹300.00): WELCOME5 (1)" in lines
    assert "1 not sales (cancelled, voided, expired)" in lines  # F9: the label lists what it covers
    assert any("WELCOME5" in str(w) and "not attributed" in str(w) for w in report.warnings)


def test_figures_follow_the_rules(store_wh):
    k = metrics.kpis(store_wh)
    assert k["revenue"] == pytest.approx(3250.00)
    assert k["orders"] == 6  # each order once, however many line items
    # a, b, d, g are new (a's second order is not); the guest order of #1006 counts 0.8
    assert k["new_customers"] == pytest.approx(4.8) and k["new_customers_estimated"]
    assert k["spend"] == pytest.approx(1000 + 0.10 * 1250)


def by(wh, dimension) -> dict:
    frame = metrics.breakdown(wh, dimension)
    return {row[dimension]: (row["revenue"], row["orders"]) for _, row in frame.iterrows()}


def test_revenue_splits_over_line_items_by_line_value(store_wh):
    products = by(store_wh, "product")
    # #1001: revenue 1112 − 50 − 162 = 900 over lines of 600 and 2 × 200: 540 and 360, the order on the first
    assert products["MuscleBlaze Biozyme Whey"] == (pytest.approx(540.0), 1)
    assert products["HKVitals Fish Oil"] == (pytest.approx(360.0), 0)
    # #1006: 490 − 40 = 450 over two lines of 250: equal halves, the order on the first in the file
    assert products["HKVitals Multivitamin"] == (pytest.approx(225.0), 1)
    assert products["HKVitals Biotin"] == (pytest.approx(225.0), 0)
    # #1009 refunded in full: an order, no revenue
    assert products["MuscleBlaze Super Gainer"] == (pytest.approx(0.0), 1)
    assert "Gritzo SuperMilk" not in products  # voided
    assert "bGreen Peanut Butter" not in products  # no code
    brands = by(store_wh, "brand")
    assert brands["MuscleBlaze"][0] == pytest.approx(540 + 900 + 200 + 0)
    assert brands["HKVitals"][0] == pytest.approx(360 + 225 + 225)
    assert brands["bGreen"][0] == pytest.approx(800)
    assert sum(revenue for revenue, _ in brands.values()) == pytest.approx(3250.0)


def test_codes_match_whatever_their_case_and_the_first_known_code_wins(store_wh):
    ranked = metrics.ranking(store_wh).set_index("influencer_id")
    # A1: #1001, #1002 (code `asha10 `), #1007; B2: #1004 (`FREESHIP, BEN15`), #1006, #1009
    assert ranked.loc["A1", "revenue"] == pytest.approx(900 + 900 + 200)
    assert ranked.loc["A1", "orders"] == 3
    assert ranked.loc["B2", "revenue"] == pytest.approx(800 + 450 + 0)
    assert ranked.loc["B2", "orders"] == 3
    campaigns = by(store_wh, "campaign")  # the code map's campaign_tag
    assert campaigns["Summer Shred"][0] == pytest.approx(2000.0)
    assert campaigns["Winter Bulk"][0] == pytest.approx(1250.0)


def test_sales_are_dated_by_the_order_and_refunds_net_on_that_date(store_wh):
    january_11 = metrics.kpis(store_wh, Filters(start="2025-01-11", end="2025-01-11"))
    assert january_11["revenue"] == pytest.approx(900.0)  # #1002's 1,000 net of its 100 refund
    january_15 = metrics.kpis(store_wh, Filters(start="2025-01-15", end="2025-01-15"))
    assert january_15["revenue"] == pytest.approx(0.0) and january_15["orders"] == 1


def test_no_personal_data_is_stored(store_wh):
    data = Path(store_wh.path).read_bytes()
    for text in (b"example.com", b"Example.com", b"Customer #100"):
        assert text not in data


def test_the_import_records_the_mapping(store_wh):
    info = metrics.dataset_info(store_wh)
    assert info["store_orders"]["attributed_orders"] == 6


def test_a_customers_value_sums_whole_orders_net_of_refunds(store_wh):
    """customer_cohorts from a store export: every line item and refund row carries its order's
    buyer, so a cohort's realised revenue is the whole order net of its refund, not its lead line."""
    cohorts = store_wh.query(
        "SELECT i.influencer_id, c.date::VARCHAR AS day, c.customers, c.revenue_90, c.revenue_365 "
        "FROM customer_cohorts c JOIN influencers i USING (influencer_key) ORDER BY 1, 2"
    )
    assert [tuple(row) for row in cohorts.itertuples(index=False)] == [
        # a: #1001 (900: 540 whey + 360 fish oil) then #1007 (200) nine days later
        ("A1", "2025-01-10", 1, pytest.approx(1100.0), pytest.approx(1100.0)),
        # b: #1002, 1,000 net of the 100 of its 118 refund that was merchandise
        ("A1", "2025-01-11", 1, pytest.approx(900.0), pytest.approx(900.0)),
        ("B2", "2025-01-13", 1, pytest.approx(800.0), pytest.approx(800.0)),  # d: #1004
        # g: #1009 refunded in full: a customer acquired, worth nothing
        ("B2", "2025-01-15", 1, pytest.approx(0.0), pytest.approx(0.0)),
    ]


def test_staged_sales_are_sale_rows_then_refund_rows_each_in_file_order(store_dir):
    """`store_sales` as the rest of the import reads it: a row per line item of each attributed
    sale in file order (the order on its lead line), then a row per line item of each refunded
    order, in file order, with its share of the refund (one query makes both: store_orders._build_sales)."""
    rows = (
        staged_connection(store_dir)
        .execute("SELECT product, orders, revenue FROM store_sales ORDER BY export_position")
        .fetchall()
    )
    assert [(product, orders) for product, orders, _ in rows] == [
        ("MuscleBlaze Biozyme Whey", 1),  # #1001: 900 over 600 and 2 × 200
        ("HKVitals Fish Oil", 0),
        ("MuscleBlaze Creatine", 1),  # #1002: 1180 − 180
        ("bGreen Plant Protein", 1),  # #1004
        ("HKVitals Multivitamin", 1),  # #1006: 490 − 40 in halves
        ("HKVitals Biotin", 0),
        ("MuscleBlaze High Protein Oats", 1),  # #1007
        ("MuscleBlaze Super Gainer", 1),  # #1009: 708 − 108
        ("MuscleBlaze Creatine", 0),  # #1002's refund of 118, 1000/1180 of it merchandise
        ("MuscleBlaze Super Gainer", 0),  # #1009 refunded in full
    ]
    assert [revenue for _, _, revenue in rows] == pytest.approx([540, 360, 1000, 800, 225, 225, 200, 600, -100, -600])


def test_the_historys_store_sales_are_read_back_in_file_order(store_dir, tmp_path):
    """history.save_sources writes a store export's sales as its threads read them, each row with its
    place (store_orders.SALE_ORDER); an append gives the staged rows their place back (in_sale_order)
    and writes the live data set's sales in file order: the rows of the test above, whatever order
    the Parquet holds them in."""
    from warehouse.append import _write_role
    from warehouse.sources import load
    from warehouse.store_orders import in_sale_order

    shuffled = tmp_path / "tracking.parquet"
    staged_connection(store_dir).execute(
        f"COPY (SELECT * FROM store_sales ORDER BY hash({SALE_ORDER})) TO '{shuffled}' (FORMAT parquet)"
    )
    connection = duckdb.connect()
    source, problems = load(connection, "tracking", shuffled)
    assert source is not None and not problems
    in_file_order = [
        ("MuscleBlaze Biozyme Whey", 1),
        ("HKVitals Fish Oil", 0),
        ("MuscleBlaze Creatine", 1),
        ("bGreen Plant Protein", 1),
        ("HKVitals Multivitamin", 1),
        ("HKVitals Biotin", 0),
        ("MuscleBlaze High Protein Oats", 1),
        ("MuscleBlaze Super Gainer", 1),
        ("MuscleBlaze Creatine", 0),
        ("MuscleBlaze Super Gainer", 0),
    ]
    read = "SELECT product, CAST(orders AS DOUBLE) FROM {} ORDER BY rowid"
    assert connection.execute(read.format(source.table)).fetchall() != in_file_order  # the file's order
    in_sale_order(connection, source)
    merged = tmp_path / "merged.parquet"
    _write_role(connection, "tracking", source, None, merged)
    connection.execute(f"CREATE TABLE merged AS SELECT * FROM read_parquet('{merged}')")
    assert connection.execute(read.format("merged")).fetchall() == in_file_order


# --- line items on consecutive rows, or not ---------------------------------------------------------


def reorder(path: Path, order) -> None:
    """Write an export's data rows again in another order (`order`: list of rows → list of rows)."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *order(rows)])


def test_line_items_need_not_be_on_consecutive_rows(store_dir, tmp_path):
    """An export lists an order's line items one after another, and the import then finds its
    orders in one pass over the rows; sorted by another column, they are not: the line items are
    grouped by order number all the same, and every table of the warehouse is the same."""
    folder = copy_of(store_dir, tmp_path)
    # each order's first row (the one with its status) keeps its place; #1001's and #1006's second
    # line items go to the end of the file
    reorder(folder / "orders_export_1.csv", lambda rows: [r for r in rows if r[2]] + [r for r in rows if not r[2]])
    moved = import_dataset(folder, tmp_path / "moved.duckdb", name="store").db_path
    written = import_dataset(store_dir, tmp_path / "written.duckdb", name="store").db_path
    assert differences(written, moved) == []
    products = by(Warehouse(moved), "product")
    assert products["MuscleBlaze Biozyme Whey"] == (pytest.approx(540.0), 1)
    assert products["HKVitals Fish Oil"] == (pytest.approx(360.0), 0)


@pytest.mark.parametrize(
    ("refs", "first_rows", "path"),
    [
        # numbers compared as numbers: #999 comes before #1000
        (["#998", "#998", "#999", "#1000", "#1000", "#1001"], [0, 0, 2, 3, 3, 5], "sorted"),
        (["#1001", "#1000", "#1000", "#999"], [0, 1, 1, 3], "sorted"),  # newest first
        (["#7", "#3", "#3", "#9"], [0, 1, 1, 3], "distinct"),  # consecutive, not sorted
        (["#1", "#2", "#2", "#1"], [0, 1, 1, 0], "grouped"),  # #1's second line item elsewhere
        (["#1", "#1", "#2", "#1"], [0, 0, 2, 0], "grouped"),
    ],
)
def test_orders_are_found_in_one_pass_when_their_numbers_start_once(refs, first_rows, path):
    """Each line item's order is the row that starts it (`first_row`); one pass finds them when
    every order's line items are consecutive rows, which holds when the starting rows' numbers are
    sorted (checked in one streaming comparison) or else all different (checked by hashing);
    otherwise line items are grouped by order number."""
    import duckdb

    from warehouse.store_orders import _number_lines, _starts_distinct, _starts_sorted

    connection = duckdb.connect()
    connection.execute("CREATE TEMP TABLE store_raw AS SELECT unnest(?) AS order_ref", [refs])
    _number_lines(connection)
    found = [row for (row,) in connection.execute("SELECT first_row FROM store_lines ORDER BY rowid").fetchall()]
    assert found == first_rows
    if path != "grouped":  # the one-pass numbering, checked each way
        assert (_starts_sorted(connection), _starts_distinct(connection)) == (path == "sorted", True)


@pytest.mark.parametrize(
    ("refs", "totals", "in_one_pass", "marked"),
    [
        (["#1", "#1", "#2", "#3", "#3"], [10.0, None, 5.0, 7.0, None], True, True),  # Shopify: the first row only
        (["#1000", "#999", "#999", "#998"], [7.0, 5.0, None, 10.0], True, True),  # newest first, as numbers
        (["#7", "#3", "#3", "#9"], [7.0, 5.0, None, 10.0], True, True),  # not sorted: all different by hash
        (["#1", "#1", "#2"], [10.0, 10.0, 5.0], False, False),  # repeated on every row (WooCommerce)
        (["#1", "#1", "#2"], [None, 10.0, 5.0], False, False),  # on a later row: the file was sorted
        (["#1", "#1", "#2"], [10.0, None, None], False, False),  # an order without one
        (["#1", None, None], [10.0, 3.0, None], False, False),  # rows without an order number (not joinable)
        (["#1", "#2", "#1"], [10.0, 5.0, 3.0], False, False),  # #1 starts twice, each time with a total
        # #1's later line item elsewhere, without a total: the numbering (grouped by number) finds it marked
        (["#1", "#2", "#1"], [10.0, 5.0, None], False, True),
    ],
)
def test_first_rows_are_marked_when_they_alone_carry_the_total(refs, totals, in_one_pass, marked):
    """The order table filters the orders' first rows by their total (on every core) only where
    the rows with a total are exactly the rows that start an order, and every row has a number.
    One streaming pass tells it for an export that lists each order's rows together, without
    numbering the rows first; it never finds marked rows the numbering would not."""
    import duckdb

    from warehouse.store_orders import _first_rows_marked, _marked_in_one_pass, _number_lines

    connection = duckdb.connect()
    connection.execute(
        "CREATE TEMP TABLE store_raw AS SELECT unnest(?) AS order_ref, unnest(?::DOUBLE[]) AS total", [refs, totals]
    )
    assert _marked_in_one_pass(connection) == in_one_pass
    _number_lines(connection)
    assert _first_rows_marked(connection) == marked


def staged_connection(folder: Path):
    """A connection after store_orders.stage of `folder` (its staging tables kept)."""
    import duckdb

    from warehouse import store_orders
    from warehouse.sources import discover
    from warehouse.validate import Findings

    connection = duckdb.connect()
    files = store_orders.claim(folder, discover(folder))
    assert files is not None
    errors = Findings()
    source, _ = store_orders.stage(connection, files, errors, Findings())
    assert source is not None and not errors
    return connection


def with_order_fields_repeated(store_dir: Path, tmp_path: Path) -> Path:
    """A copy of the fixture whose later line items repeat their order's fields (as WooCommerce
    writes them): its first rows are found by position, not by their total (_first_rows_marked)."""
    folder = copy_of(store_dir, tmp_path)
    first_rows: dict[str, dict] = {}

    def repeat_order_fields(row: dict):
        first = first_rows.setdefault(row["Name"], dict(row))
        row.update({k: v for k, v in first.items() if not k.startswith("Lineitem") and k != "Vendor"})

    rewrite(folder / "orders_export_1.csv", repeat_order_fields)
    return folder


def test_order_fields_repeated_on_every_line_item_give_the_same_warehouse(store_dir, tmp_path):
    """Shopify leaves a later line item's order fields blank, and the order table then takes the
    rows with a total as the orders' first rows; an export that repeats them on every line item
    (as WooCommerce does) reads each order's first row by position instead. Both read an order's
    fields from its first row, never summed: every table of the warehouse is the same."""
    from warehouse.store_orders import _first_rows_marked, _marked_in_one_pass

    folder = with_order_fields_repeated(store_dir, tmp_path)
    written_rows = staged_connection(store_dir)
    assert _marked_in_one_pass(written_rows)
    # found without numbering the rows: no `store_lines` (_find_first_rows)
    tables = written_rows.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    assert ("store_lines",) not in tables and ("store_raw",) in tables
    repeated_rows = staged_connection(folder)
    assert not _marked_in_one_pass(repeated_rows)
    assert not _first_rows_marked(repeated_rows)
    repeated = import_dataset(folder, tmp_path / "repeated.duckdb", name="store").db_path
    written = import_dataset(store_dir, tmp_path / "written.duckdb", name="store").db_path
    assert differences(written, repeated) == []
    products = by(Warehouse(repeated), "product")  # #1001: 900 over 600 and 2 × 200; #1006: 450 in halves
    assert products["MuscleBlaze Biozyme Whey"] == (pytest.approx(540.0), 1)
    assert products["HKVitals Fish Oil"] == (pytest.approx(360.0), 0)
    assert products["HKVitals Multivitamin"] == (pytest.approx(225.0), 1)


def test_staged_sales_are_the_same_rows_whichever_way_line_items_find_their_order(store_dir, tmp_path):
    """A line item finds its order by order number where the first rows are marked, else by its
    first row read beside it by position (_build_sales): the same rows of `store_sales`, in the same
    file order, with the buyer on the same rows (buyer ids are salted per import: compared as present)."""
    query = "SELECT * EXCLUDE (user_id), user_id IS NOT NULL FROM store_sales ORDER BY export_position"
    by_number = staged_connection(store_dir).execute(query).fetchall()
    by_position = staged_connection(with_order_fields_repeated(store_dir, tmp_path)).execute(query).fetchall()
    assert by_number == by_position
    # 8 line items of 6 attributed sales, then #1002's and #1009's refunds; every row carries its
    # order's buyer but #1006's two line items (a guest's)
    assert len(by_number) == 10 and sum(row[-1] for row in by_number) == 8


def test_an_order_split_between_two_export_files(store_dir, tmp_path):
    """A store splits a long export into files (docs/metrics.md): read as one, and an order whose
    line items straddle the cut is one order. Discovery alone took both parts for campaign files."""
    folder = copy_of(store_dir, tmp_path)
    first, second = folder / "orders_export_1.csv", folder / "orders_export_2.csv"
    shutil.copy(first, second)
    reorder(first, lambda rows: rows[:1])  # #1001's first line item
    reorder(second, lambda rows: rows[1:])  # #1001's second, then #1002 to #1009
    report = validate_dataset(folder).store_orders
    assert report["exports"] == ["orders_export_1.csv", "orders_export_2.csv"]
    assert report["line_items"] == 11 and report["orders_read"] == 9 and report["attributed_orders"] == 6
    # the first rows marked, in one pass: neither the rows numbered nor orders of two files compared (_find_first_rows)
    tables = {
        name for (name,) in staged_connection(folder).execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    assert "store_raw" in tables and not tables & {"store_lines", "store_parts"}
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    assert by(wh, "product") == by(Warehouse(import_dataset(store_dir, tmp_path / "one.duckdb").db_path), "product")
    assert metrics.kpis(wh)["new_customers"] == pytest.approx(4.8)


def test_two_orders_of_one_number_at_a_cut_are_no_straddling_order(store_dir, tmp_path):
    """Part 1 ends with #1004; part 2 starts with another order also numbered #1004 (its own e-mail,
    code, total and product: #1005's row renamed). The rows are consecutive, but an order's later line
    items carry no order fields: this is two orders, refused as differing copies (tester t2, session 20:
    the second was read as a line item of the first, its ₹300 total dropped without a word)."""

    def renamed(rows):
        return [[("#1004" if i == 0 else cell) for i, cell in enumerate(rows[5])], *rows[5:]]

    folder = split_export(store_dir, tmp_path, lambda rows: rows[:5], renamed)
    assert refused(folder) == [
        "orders_export_2.csv, row 2, column Vendor: order #1004 is also in orders_export_1.csv (row 6) with "
        "'bGreen': overlapping exports must hold the same rows of an order (export each order once, or again "
        "in full) (value 'HKVitals')"
    ]


def test_parts_numbered_ten_and_up_are_read_in_number_order(store_dir, tmp_path):
    """A store numbers the parts of a long export 1, 2, …, 10 (tester t1, session 20): part 10 comes
    after part 9, not after part 1, so an order split at the 9/10 cut is one order (read in plain name
    order it was refused as two differing copies), with the same figures as the rows in two parts."""
    # the orders re-ordered so that #1006 (rows 6–7) straddles the last cut; #1001 (rows 0–1) is part 8
    rows_in_order = [2, 3, 4, 5, 8, 9, 10, 0, 1, 6, 7]
    parts = [[2], [3], [4], [5], [8], [9], [10], [0, 1], [6], [7]]
    ten = copy_of(store_dir, tmp_path / "ten")
    export = ten / "orders_export_1.csv"
    with export.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    for number, part in enumerate(parts, start=1):
        with (ten / f"orders_export_{number}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *(rows[i] for i in part)])
    two = split_export(store_dir, tmp_path / "two", lambda r: [r[i] for i in rows_in_order[:-1]], lambda r: [r[7]])
    report = validate_dataset(ten)
    names = [f"orders_export_{n}.csv" for n in range(1, 11)]
    assert report.store_orders["exports"] == names
    assert f"store orders: {', '.join(names)} (Shopify, INR)" in "\n".join(report.summary_lines())
    assert report.store_orders["orders_read"] == 9 and report.store_orders["repeated"] == []
    assert report.store_orders["attributed_orders"] == 6 and report.store_orders["attributed_revenue"] == 3250.00
    wh = Warehouse(import_dataset(ten, tmp_path / "ten.duckdb").db_path)
    alone = Warehouse(import_dataset(two, tmp_path / "two.duckdb").db_path)
    assert by(wh, "product") == by(alone, "product") and by(wh, "influencer_id") == by(alone, "influencer_id")
    assert metrics.kpis(wh) == metrics.kpis(alone)
    assert metrics.kpis(wh)["new_customers"] == pytest.approx(4.8)


def split_export(store_dir: Path, tmp_path: Path, first, second) -> Path:
    """The fixture's export as two files: `first` and `second` map its data rows to each file's."""
    folder = copy_of(store_dir, tmp_path)
    one, two = folder / "orders_export_1.csv", folder / "orders_export_2.csv"
    shutil.copy(one, two)
    reorder(one, first)
    reorder(two, second)
    return folder


# Data rows of the fixture: 0–1 #1001, 2 #1002, 3 #1003, 4 #1004, 5 #1005, 6–7 #1006, 8 #1007, 9 #1008, 10 #1009.
EMAIL, REFUNDED = SHOPIFY_HEADER.index("Email"), 28  # the fixture has more columns than SHOPIFY_HEADER


@pytest.mark.parametrize(
    "second, orders, lines",
    [
        (lambda rows: rows[4:], 3, 4),  # #1004–#1006 again, then #1007–#1009
        (lambda rows: rows[4:][::-1], 3, 4),  # newest first: the same rows in another order
        (lambda rows: rows[6:], 1, 2),  # #1006 again right after the cut, where a split order would be
    ],
    ids=["overlap", "other-order", "at-the-cut"],
)
def test_identical_orders_of_overlapping_exports_count_once(store_dir, tmp_path, second, orders, lines):
    """Two exports of overlapping periods hold some orders twice, row for row: each counts once
    (from the first file), and validate, the import report and /data say how many, in which files."""
    folder = split_export(store_dir, tmp_path, lambda rows: rows[:8], second)
    report = validate_dataset(folder)
    mapping = report.store_orders
    repeated = {"files": ["orders_export_1.csv", "orders_export_2.csv"], "orders": orders, "line_items": lines}
    assert mapping["repeated"] == [repeated]
    assert mapping["repeated_orders"] == orders and mapping["repeated_line_items"] == lines
    assert mapping["orders_read"] == 9 and mapping["line_items"] == 11 and mapping["attributed_orders"] == 6
    assert mapping["export_rows"] == {"orders_export_1.csv": 8, "orders_export_2.csv": 11 - 8 + lines}
    assert mapping["attributed_revenue"] == 3250.00 and mapping["refunded_amount"] == 700.00
    summary = "\n".join(report.summary_lines())
    assert (
        f"in orders_export_1.csv and orders_export_2.csv alike (overlapping exports): {orders} order"
        f"{'s' * (orders > 1)} ({lines} line items), counted once" in summary
    )
    assert any(
        w.file == "orders_export_2.csv" and w.column == "Name" and "also in orders_export_1.csv" in w.reason
        for w in report.warnings
    )
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    alone = Warehouse(import_dataset(store_dir, tmp_path / "one.duckdb").db_path)
    assert by(wh, "product") == by(alone, "product")
    assert metrics.kpis(wh)["new_customers"] == pytest.approx(4.8)
    assert metrics.dataset_info(wh)["store_orders"]["repeated"] == [repeated]


def test_an_order_that_differs_between_overlapping_exports_is_refused(store_dir, tmp_path):
    """The same order number with other values in a second export (refunded since the first was
    taken): which file is right is not for the import to guess. The error names the order, both
    files, both rows, the column and both values."""

    def refunded_since(rows):
        rows = [list(row) for row in rows[4:]]
        rows[1][REFUNDED] = "50.00"  # #1005
        return rows

    folder = split_export(store_dir, tmp_path, lambda rows: rows[:8], refunded_since)
    (error,) = refused(folder)
    assert error == (
        "orders_export_2.csv, row 3, column Refunded Amount: order #1005 is also in orders_export_1.csv (row 7) "
        "with '0': overlapping exports must hold the same rows of an order (export each order once, or again "
        "in full) (value '50')"
    )


def test_an_order_with_other_line_items_in_a_second_export_is_refused(store_dir, tmp_path):
    folder = split_export(store_dir, tmp_path, lambda rows: rows[:8], lambda rows: rows[4:7] + rows[8:])
    (error,) = refused(folder)
    assert error == (
        "orders_export_2.csv, row 4, column Name: order #1006 has 1 line item here and 2 in orders_export_1.csv "
        "(from row 8): overlapping exports must hold the same rows of an order (value '#1006')"
    )


def test_guest_checkouts_are_named_by_the_exports_column_in_each_file(store_dir, tmp_path):
    """A guest checkout has no e-mail: the warning names the export's own column (no `user_id`
    there) and each file with its own count; /data lists each export file with its own rows."""

    def without_b_email(rows):
        rows = [list(row) for row in rows[:6]]
        rows[2][EMAIL] = ""  # #1002 (A1)
        return rows

    folder = split_export(store_dir, tmp_path, without_b_email, lambda rows: rows[6:])  # #1006 (B2): a guest
    report = validate_dataset(folder)
    guests = [str(w) for w in report.warnings if "guest" in w.reason]
    assert guests == [
        f"orders_export_{n}.csv, column Email: 1 order attributed without Email (guest checkouts): counted as "
        "unknown buyers (their new customers are estimated) (value 'blank')"
        for n in (1, 2)
    ]
    assert not any(w.column == "user_id" for w in report.warnings)
    assert report.store_orders["guest_orders"] == 2
    assert report.store_orders["guest_orders_by_file"] == {"orders_export_1.csv": 1, "orders_export_2.csv": 1}

    from dash_helpers import find, text

    from callbacks import data as cb
    from warehouse import uploads

    upload = uploads.Upload("0" * 32, folder, ["orders_export_1.csv", "orders_export_2.csv"], [])
    files = text(find(cb.report_children(upload, report, None), "data-files"))
    assert "tracking orders_export_1.csv 6" in files and "tracking orders_export_2.csv 5" in files
    assert "code map influencer_tracking_codes.csv 2" in files  # a team checks every creator's code was read
    lines = report.summary_lines()
    assert "tracking: orders_export_1.csv (6 rows)" in lines and "tracking: orders_export_2.csv (5 rows)" in lines
    assert "code map: influencer_tracking_codes.csv (2 rows)" in lines


def test_an_append_over_a_store_export_counts_its_guest_checkouts_as_the_import_did(store_dir, tmp_path):
    """Tester F7: an append rebuilds the data set from the export's sales kept in the history (one
    row per line item, one per refunded line, the buyer only on the order's main line). Its guest
    checkouts are the import's: 1 order per export file, not the 6 sales rows without a buyer
    (#1002's line, #1006's two, #1001's second, the refund rows of #1002 and #1009) under one name;
    only the appended sales file's own rows are counted as rows."""

    def without_b_email(rows):
        rows = [list(row) for row in rows[:6]]
        rows[2][EMAIL] = ""  # #1002 (A1)
        return rows

    folder = split_export(store_dir, tmp_path, without_b_email, lambda rows: rows[6:])  # #1006 (B2): a guest
    db = tmp_path / "wh.duckdb"
    plain = import_dataset(folder, db)
    month = tmp_path / "march"
    month.mkdir()
    (month / "posts.csv").write_text(
        "post_id,influencer_id,platform,date,reach,likes,comments\nP9,A1,Instagram,2025-03-09,1000,50,2\n"
    )

    def buyers(report):
        return [str(w) for w in report.warnings if "guest" in w.reason or w.column == "user_id"]

    appended = import_dataset(month, db, append=True)
    assert (
        buyers(appended)
        == buyers(plain)
        == [
            f"orders_export_{n}.csv, column Email: 1 order attributed without Email (guest checkouts): counted as "
            "unknown buyers (their new customers are estimated) (value 'blank')"
            for n in (1, 2)
        ]
    )
    assert appended.store_orders == plain.store_orders
    assert appended.store_orders["guest_orders_by_file"] == {"orders_export_1.csv": 1, "orders_export_2.csv": 1}
    assert "  guest checkouts (no e-mail or customer id): 2 orders among the attributed" in appended.summary_lines()
    info = metrics.dataset_info(Warehouse(db))
    assert info["store_orders"]["guest_orders"] == 2 and info["orders_without_user"] == 2
    assert info["sales_after_export"] is None  # posts alone: no sales after the export's
    assert metrics.buyer_ids_text(info).endswith("estimated for the 2 orders without a buyer (guest checkouts)")

    # A sales file appended after the export's sales: its own rows, as a plain import counts them
    # (a blank user_id and `guest`; U7 is a buyer), beside the export's orders.
    (month / "posts.csv").unlink()
    (month / "tracking_data.csv").write_text(MARCH_SALES)
    appended = import_dataset(month, db, append=True)
    assert buyers(appended)[:2] == buyers(plain)
    (rows,) = buyers(appended)[2:]
    assert "column user_id: 2 rows with a guest, placeholder or blank user_id" in rows
    info = metrics.dataset_info(Warehouse(db))
    assert info["orders_without_user"] == 2 + 2
    # listed as the import listed the exports, with the appended file's own rows beside them
    listed = [("code map", "influencer_tracking_codes.csv", 2), ("tracking", "orders_export_1.csv", 6)]
    listed += [("tracking", "orders_export_2.csv", 5), ("tracking", "tracking_data.csv", 3)]
    assert [row for row in appended.file_rows() if row[0] in ("code map", "tracking")] == listed
    assert [tuple(row) for row in info["file_rows"] if row[0] in ("code map", "tracking")] == listed
    assert "tracking: tracking_data.csv (3 rows)" in appended.summary_lines()
    # Tester (s18): the appended orders are not the store's, nor are their blank or `guest` user_ids
    # guest checkouts. The append records its own part: 3 rows of 1 order each, 2 without a buyer (T1
    # blank, T2 `guest`); the store's mapping stays the store's (6 attributed orders, 2 guests). The
    # cover, /data and the import's text say the part apart from the export, in the same words.
    assert info["sales_after_export"] == {
        "files": "tracking_data.csv",
        "rows": 3,
        "orders": 3,
        "orders_without_user": 2,
    }
    assert info["store_orders"]["attributed_orders"] == 6 and info["sale_orders"] == 6 + 3
    said = "tracking_data.csv, appended after the export: 3 orders (3 sales rows), 2 of them without a user_id"
    assert metrics.sales_after_export_text(info["sales_after_export"]) == said
    assert f"  {said}" in appended.summary_lines()
    assert metrics.buyer_ids_text(info) == (
        "present (hashed e-mail; user_id in tracking_data.csv) on 5 of 9 orders: new customers counted, estimated "
        "for the 4 orders without a buyer (2 guest checkouts of the store export, 2 of tracking_data.csv without "
        "a user_id)"
    )
    import datetime as dt

    from dash_helpers import text

    from callbacks.data import info_children
    from metrics.catalogue import store_orders_text
    from reports.build import _dataset

    facts = {fact["label"]: fact["value"] for fact in _dataset(info, dt.datetime.now(dt.UTC))["facts"]}
    assert facts["Appended sales"] == f"{said}." and facts["Store orders"] == store_orders_text(info["store_orders"])
    assert facts["Buyer ids"] == metrics.buyer_ids_text(info)
    page = text(info_children(info))
    assert "Orders appended 3" in page and f"Appended sales: {said}." in page
    assert f"Buyer ids: {metrics.buyer_ids_text(info)}." in page
    assert "rows are line items of 9 orders, and one per row of tracking_data.csv (3) appended after it." in page

    # A second month of sales: the part after the export is every append's since it (T4 blank, T5 a
    # buyer of 2 orders), not the last one's alone.
    april = tmp_path / "april"
    april.mkdir()
    (april / "tracking_data.csv").write_text(
        MARCH_SALES.splitlines(keepends=True)[0]
        + "T4,PromoCode,Summer Shred,A1,,MuscleBlaze,Whey,2025-04-02,1,200\n"
        + "T5,PromoCode,Summer Shred,A1,U8,MuscleBlaze,Whey,2025-04-03,2,100\n"
    )
    import_dataset(april, db, append=True)
    info = metrics.dataset_info(Warehouse(db))
    # each file as warnings name it: two imports' files of one name, by their folders (tester t1, s18)
    after = {"files": "march/tracking_data.csv + april/tracking_data.csv", "rows": 5, "orders": 6}
    assert info["sales_after_export"] == after | {"orders_without_user": 3}
    assert info["orders_without_user"] == 2 + 3


# A second month appended after MARCH_SALES: D4 (not in influencers), a `guest` buyer of 2 orders in
# "Atlantis" (no Indian region: warned on its row, line 3 of the file).
APRIL_SALES = (
    "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue,state\n"
    "T4,PromoCode,Summer Shred,D4,U8,MuscleBlaze,Whey,2025-04-02,1,200,Delhi\n"
    "T5,PromoCode,Summer Shred,A1,guest,MuscleBlaze,Whey,2025-04-03,2,100,Atlantis\n"
)


def test_files_appended_after_a_store_export_are_each_named_by_their_folder(store_dir, tmp_path):
    """Tester t1 (s18): two tracking_data.csv appended after a store export were said as the merged
    "tracking_data.csv + tracking_data.csv" (7 rows) in the files, the buyer and unknown-creator
    warnings and the check. Each import's file is a part of its own (dataset_info.file_parts: the
    export's 10 sales rows, march's 3, april's 2), named by its folder, with its own rows and counts."""
    db = tmp_path / "wh.duckdb"
    sales_rows = import_dataset(store_dir, db).store_orders["sales_rows"]
    assert sales_rows == 10  # 9 attributed orders' line items and #1002's refund row
    for month, sales in (("march", MARCH_SALES), ("april", APRIL_SALES)):
        (tmp_path / month).mkdir()
        (tmp_path / month / "tracking_data.csv").write_text(sales)
    import_dataset(tmp_path / "march", db, append=True)
    checked = validate_append(tmp_path / "april", db)
    appended = import_dataset(tmp_path / "april", db, append=True)
    said = [
        "march/tracking_data.csv, column user_id: 2 rows with a guest, placeholder or blank user_id: counted as "
        "unknown buyers (their new customers are estimated) (value \"'guest' and blank\")",
        "april/tracking_data.csv, column user_id: 1 row with a guest, placeholder or blank user_id: counted as "
        "unknown buyers (their new customers are estimated) (value \"'guest'\")",
        "april/tracking_data.csv, column influencer_id: unknown influencer (1 row): kept and shown as Unknown "
        "(value 'D4')",
        "april/tracking_data.csv, row 3, column region: not a known Indian state, union territory or city "
        "(warehouse/regions.py): its sales are shown under this name as written, listed as unmatched (1 row, ₹100) "
        "(value 'Atlantis')",
    ]
    for report in (checked, appended):
        assert [str(w) for w in report.warnings if not w.file.startswith("orders_export")] == said
    listed = [("tracking", "orders_export_1.csv", 11), ("tracking", "march/tracking_data.csv", 3)]
    listed += [("tracking", "april/tracking_data.csv", 2)]
    assert [row for row in appended.file_rows() if row[0] == "tracking"] == listed
    assert "tracking: april/tracking_data.csv (2 rows)" in appended.summary_lines()
    info = metrics.dataset_info(Warehouse(db))
    assert [tuple(row) for row in info["file_rows"] if row[0] == "tracking"] == listed
    parts = [(p["folder"], p["file"], p["rows"], p["import"]) for p in info["file_parts"]["tracking"]]
    assert parts == [("store_shopify", "orders_export_1.csv", 10, 1), ("march", "tracking_data.csv", 3, 2)] + [
        ("april", "tracking_data.csv", 2, 3)
    ]
    # T1, T2 (1 order each) and T5 (2 orders) have no buyer
    after = {"files": "march/tracking_data.csv + april/tracking_data.csv", "rows": 5, "orders": 6}
    assert info["sales_after_export"] == after | {"orders_without_user": 4}


def test_an_unknown_campaign_appended_after_a_store_export_is_named_by_its_file_and_line(store_dir, tmp_path):
    """Tester (s19): a campaign appended after a store export's sales was warned as "march/tracking_data.csv
    + april/tracking_data.csv ... (first at data row 5)": which file, and a row counted across both.
    Each appended file's unknown campaign is named by that file and its line there (T2: march's line
    3; T6: april's line 4), or by its data row where the file was read through a repaired copy."""
    folder = copy_of(store_dir, tmp_path)
    (folder / "campaigns.csv").write_text(
        "campaign,brand,start_date,end_date,budget\n"
        "Summer Shred,MuscleBlaze,2025-01-01,2025-12-31,100000\n"
        "Winter Bulk,MuscleBlaze,2025-01-01,2025-12-31,100000\n"
    )
    db = tmp_path / "wh.duckdb"
    assert not [w for w in import_dataset(folder, db).warnings if w.column == "campaign"]  # the code map's tags
    header = MARCH_SALES.splitlines(keepends=True)[0]
    months = {
        "march": "T1,PromoCode,Summer Shred,A1,U7,MuscleBlaze,Whey,2025-03-02,1,500\n"
        "T2,PromoCode,Spring X,A1,U8,MuscleBlaze,Whey,2025-03-03,1,400\n",
        "april": "T4,PromoCode,Summer Shred,A1,U9,MuscleBlaze,Whey,2025-04-02,1,200\n"
        "T5,PromoCode,Summer Shred,A1,U9,MuscleBlaze,Whey,2025-04-02,1,200\n"
        "T6,PromoCode,April Y,A1,U9,MuscleBlaze,Whey,2025-04-03,2,100\n",
    }
    for month, rows in months.items():
        (tmp_path / month).mkdir()
        (tmp_path / month / "tracking_data.csv").write_text(header + rows)

    def unknown(report):
        return [(w.file, w.row, w.value, w.reason.split(":")[0]) for w in report.warnings if w.column == "campaign"]

    march = import_dataset(tmp_path / "march", db, append=True)
    assert unknown(march) == [("tracking_data.csv", 3, "Spring X", "unknown campaign (1 row)")]
    said = [
        ("march/tracking_data.csv", 3, "Spring X", "unknown campaign (1 row)"),
        ("april/tracking_data.csv", 4, "April Y", "unknown campaign (1 row)"),
    ]
    assert unknown(validate_append(tmp_path / "april", db)) == said
    assert unknown(import_dataset(tmp_path / "april", db, append=True)) == said
    # a blank line: read through a repaired copy, whose lines are not the file's: its data row (T8: 2nd)
    (tmp_path / "may").mkdir()
    (tmp_path / "may" / "tracking_data.csv").write_text(
        header + "T7,PromoCode,Summer Shred,A1,U9,MuscleBlaze,Whey,2025-05-02,1,200\n\n"
        "T8,PromoCode,May Z,A1,U9,MuscleBlaze,Whey,2025-05-03,1,100\n"
    )
    (may,) = [w for w in import_dataset(tmp_path / "may", db, append=True).warnings if w.value == "May Z"]
    assert (may.file, may.row) == ("may/tracking_data.csv", None) and may.reason.endswith("(data row 2)")


def test_sales_appended_to_a_store_export_before_parts_were_kept_are_one_part(store_dir, tmp_path):
    """A data set imported from a store export before its sales were recorded as parts (no "tracking"
    in file_parts) then appended to: the export's sales rows (its mapping's sales_rows) and the
    earlier append's (its folder's) are told apart from the new file's."""
    db = tmp_path / "wh.duckdb"
    import_dataset(store_dir, db)
    for month, sales in (("march", MARCH_SALES), ("april", APRIL_SALES)):
        (tmp_path / month).mkdir()
        (tmp_path / month / "tracking_data.csv").write_text(sales)
    import_dataset(tmp_path / "march", db, append=True)
    with duckdb.connect(str(db)) as connection:
        (value,) = connection.execute("SELECT value FROM dataset_info WHERE key = 'file_parts'").fetchone()
        parts = json.loads(value)
        del parts["tracking"]
        connection.execute("UPDATE dataset_info SET value = ? WHERE key = 'file_parts'", [json.dumps(parts)])
    appended = import_dataset(tmp_path / "april", db, append=True)
    assert [w.file for w in appended.warnings if w.column == "user_id"] == ["march/tracking_data.csv"] + [
        "april/tracking_data.csv"
    ]
    listed = [("tracking", "orders_export_1.csv", 11), ("tracking", "march/tracking_data.csv", 3)]
    assert [row for row in appended.file_rows() if row[0] == "tracking"] == listed + [
        ("tracking", "april/tracking_data.csv", 2)
    ]


def test_unknown_codes_are_reported_in_the_file_their_orders_are_in(store_dir, tmp_path):
    """Each export file's unattributed orders are warned about in that file, with its own count,
    revenue and codes (as guest checkouts are), not all under the first file."""
    with (store_dir / "orders_export_1.csv").open(newline="", encoding="utf-8") as handle:
        code = next(csv.reader(handle)).index("Discount Code")

    def gift_code_on_1008(rows):
        rows = [list(row) for row in rows[6:]]
        rows[3][code] = "GIFT20"  # #1008, ₹100, had no code
        return rows

    folder = split_export(store_dir, tmp_path, lambda rows: rows[:6], gift_code_on_1008)
    report = validate_dataset(folder)
    assert report.store_orders["unattributed_by_file"] == {
        "orders_export_1.csv": {"orders": 1, "revenue": 300.00, "codes": [{"code": "WELCOME5", "orders": 1}]},
        "orders_export_2.csv": {"orders": 1, "revenue": 100.00, "codes": [{"code": "GIFT20", "orders": 1}]},
    }
    unknown = [str(w) for w in report.warnings if "no creator has" in w.reason]
    assert unknown == [
        f"orders_export_{n}.csv, column Discount Code: 1 order (₹{amount}) carries codes no creator has in "
        f"influencer_tracking_codes.csv: not attributed. Most used: {name} (1)"
        for n, amount, name in ((1, "300.00", "WELCOME5"), (2, "100.00", "GIFT20"))
    ]


@pytest.mark.parametrize("amount", ["0.00", ""])
def test_an_order_marked_refunded_without_an_amount_is_refunded_in_full(store_dir, tmp_path, amount):
    """docs/metrics.md: an order marked `refunded` without an amount is refunded in full; an amount
    of 0.00 says no amount too (tester t1, session 20: it counted as a full sale). #1009 (B2, 600 of
    merchandise in a 708 total) nets to 0: revenue 3250 and refunds 100 + 600 as with its 708.00."""
    folder = copy_of(store_dir, tmp_path)
    rewrite(
        folder / "orders_export_1.csv",
        lambda r: r.update({"Refunded Amount": amount}) if r["Name"] == "#1009" else None,
    )
    mapping = validate_dataset(folder).store_orders
    assert mapping["attributed_revenue"] == 3250.00 and mapping["refunded_amount"] == 700.00
    assert mapping["refunded_orders"] == 2
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    revenue, orders = by(wh, "product")["MuscleBlaze Super Gainer"]
    assert revenue == pytest.approx(0.0, abs=1e-9) and orders == 1


# --- refusals -------------------------------------------------------------------------------------


def rewrite(path: Path, edit):
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    for row in rows:
        edit(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def refused(folder: Path) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        validate_dataset(folder)
    return [str(problem) for problem in failure.value.errors]


def test_a_mixed_currency_export_is_refused_naming_the_currencies(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    rewrite(
        folder / "orders_export_1.csv",
        lambda r: r.update(Currency="USD") if r["Name"] == "#1004" and r["Currency"] else None,
    )
    assert refused(folder) == [
        "orders_export_1.csv, row 6, column Currency: orders in several currencies: INR (8 orders), "
        "USD (1 order): order #1004 is the first not in INR; one currency per data set (value 'USD')"
    ]


def test_a_mixed_currency_export_names_the_file_and_row_of_the_other_currency(store_dir, tmp_path):
    """The error is on the first order in a currency other than the most used one, in whichever part
    of a split export it is (tester t1, session 20: it always named the first file)."""
    folder = split_export(store_dir, tmp_path, lambda rows: rows[:8], lambda rows: rows[8:])
    # #1009 (data row 10) is the third row of the second part, its line 4; #1008 stays blank (no currency)
    rewrite(folder / "orders_export_2.csv", lambda r: r.update(Currency=" usd") if r["Name"] == "#1009" else None)
    rewrite(folder / "orders_export_2.csv", lambda r: r.update(Currency="") if r["Name"] == "#1008" else None)
    assert refused(folder) == [
        "orders_export_2.csv, row 4, column Currency: orders in several currencies: INR (7 orders), "
        "USD (1 order): order #1009 is the first not in INR; one currency per data set (value ' usd')"
    ]


def test_a_woocommerce_export_in_two_currencies_counts_orders_not_line_items(store_dir, tmp_path):
    """WooCommerce writes an order's currency on each of its line items: the refusal counts orders by
    their first rows (#81's two USD line items are 1 order; #82 and #83 are INR)."""
    folder = copy_of(store_dir, tmp_path)
    (folder / "orders_export_1.csv").unlink()
    with (folder / "orders.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(WOO_HEADER)
        for number, currency, item in [(81, "USD", "W1"), (81, "USD", "W2"), (82, "INR", "W1"), (83, " inr", "W1")]:
            writer.writerow(
                [number, number, "2025-02-01 10:00:00", "completed", 0, 0, 0, 0, 0, 100, 0, currency]
                + ["", "b@example.com", "Whey", item, 1, 50, 50, "ASHA10"]
            )
    assert refused(folder) == [
        "orders.csv, row 2, column order_currency: orders in several currencies: INR (2 orders), USD (1 order): "
        "order 81 is the first not in INR; one currency per data set (value 'USD')"
    ]


def test_cells_of_unicode_spaces_are_blank_and_visible_cells_are_read_trimmed(store_dir, tmp_path):
    """A cell of spaces only (U+0020, no-break U+00A0, ideographic U+3000: what trim removes) is blank:
    #1008's code cell (still an order without a code), #1007's currency (names none); a visible cell
    with spaces around it is read trimmed: #1005's ` inr ` is the INR of the others (9 orders)."""
    folder = copy_of(store_dir, tmp_path)

    def edit(row):
        if row["Name"] == "#1008":
            row["Discount Code"] = "\u00a0 \u3000"
        if row["Name"] == "#1007":
            row["Currency"] = "\u00a0"
        if row["Name"] == "#1005":
            row["Currency"] = " inr "

    rewrite(folder / "orders_export_1.csv", edit)
    mapping = validate_dataset(folder).store_orders
    assert mapping["currency"] == "INR"
    assert mapping["no_code_orders"] == 1 and mapping["no_code_revenue"] == 100.00  # #1008
    assert mapping["top_unknown_codes"] == [{"code": "WELCOME5", "orders": 1, "revenue": 300.00}]  # #1005
    assert mapping["attributed_orders"] == 6 and mapping["attributed_revenue"] == 3250.00


def test_a_code_cell_naming_two_creators_counts_as_conflicting_once(store_dir, tmp_path):
    """#1005's cell names an unknown code, then A1's and B2's: A1's (the first known) gets it, and it is
    the one order with conflicting codes; #1007's names A1's code twice (one creator, not conflicting)."""
    folder = copy_of(store_dir, tmp_path)

    def edit(row):
        if row["Name"] == "#1005":
            row["Discount Code"] = "WELCOME5, ASHA10, BEN15"
        if row["Name"] == "#1007":
            row["Discount Code"] = "ASHA10, asha10"

    rewrite(folder / "orders_export_1.csv", edit)
    mapping = validate_dataset(folder).store_orders
    assert mapping["several_codes_orders"] == 3  # #1004, #1005, #1007
    assert mapping["conflicting_codes_orders"] == 1  # #1005
    # #1005 (300 − 0) now A1's: 3250 + 300; no order is left with only unknown codes
    assert mapping["attributed_orders"] == 7 and mapping["attributed_revenue"] == 3550.00
    assert mapping["unattributed_orders"] == 0 and mapping["top_unknown_codes"] == []


def test_the_codes_of_two_creators_warning_names_the_first_such_order(store_dir, tmp_path):
    """Tester t1, session 20: the warning named no order, row or creator. It is on the first order
    whose codes name two creators (file, row, the code cell as written), naming its creators in the
    cell's order, the first being the one it goes to; /data says the count the command line says."""
    from dash_helpers import find, text

    from callbacks import data as cb
    from warehouse import uploads

    folder = split_export(store_dir, tmp_path, lambda rows: rows[:8], lambda rows: rows[8:])
    # #1009 (third row of the second part: line 4) names B2's then A1's code (twice), #1007 A1's twice
    rewrite(
        folder / "orders_export_2.csv",
        lambda r: (
            r.update({"Discount Code": {"#1009": "bEN15 ; asha10;ASHA10", "#1007": "ASHA10, asha10"}[r["Name"]]})
            if r["Name"] in ("#1007", "#1009")
            else None
        ),
    )
    report = validate_dataset(folder)
    mapping = report.store_orders
    assert mapping["several_codes_orders"] == 3 and mapping["conflicting_codes_orders"] == 1  # #1004, #1007, #1009
    assert mapping["conflicting_first"] == {
        "file": "orders_export_2.csv",
        "line": 4,
        "order": "#1009",
        "codes": "bEN15 ; asha10;ASHA10",
        "creators": [{"code": "bEN15", "influencer_id": "B2"}, {"code": "asha10", "influencer_id": "A1"}],
    }
    (warning,) = [str(w) for w in report.warnings if "two or more creators" in w.reason]
    assert warning == (
        "orders_export_2.csv, row 4, column Discount Code: 1 order carries codes of two or more creators: each "
        "goes to the creator of its first known code (the first: order #1009 names bEN15 of B2 and asha10 of "
        "A1, and goes to B2) (value 'bEN15 ; asha10;ASHA10')"
    )
    assert "  several codes: 3 orders (the first known code wins; 1 named two creators)" in report.summary_lines()
    upload = uploads.Upload("0" * 32, folder, ["orders_export_1.csv", "orders_export_2.csv"], [])
    table = text(find(cb.report_children(upload, report, None), "data-store-orders"))
    assert "Several codes (first known code wins) 3 Several codes: of them, naming two creators 1" in table
    # the import keeps the order in its mapping, which an append's warnings are said again from
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    assert metrics.dataset_info(wh)["store_orders"]["conflicting_first"] == mapping["conflicting_first"]


def test_an_order_number_of_spaces_is_missing(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    rewrite(folder / "orders_export_1.csv", lambda r: r.update(Name="\u3000 ") if r["Name"] == "#1008" else None)
    assert refused(folder) == [
        "orders_export_1.csv, row 11, column Name: missing order number (line items are grouped by it) "
        "(value '\\u3000 ')"  # repr: the space is not printable
    ]


def test_a_non_finite_amount_is_found_in_any_row_group():
    """Non-finite amounts are found by comparisons the scan checks against each row group's min and
    max: a NaN, +inf or -inf on row 250,000 (the third row group of 122,880) is found, NULLs are not
    taken for one."""
    connection = duckdb.connect()
    staged = SimpleNamespace(fields=["total", "price", "order_ref"])
    for value in ("'nan'", "'inf'", "'-inf'", "NULL", "'1e308'"):
        connection.execute(f"""
            CREATE OR REPLACE TEMP TABLE store_raw AS
            SELECT range::DOUBLE AS total, CASE WHEN range = 250000 THEN {value}::DOUBLE ELSE 1 END AS price,
                   'x' AS order_ref
            FROM range(300000)""")
        assert _typed_read_is_finite(connection, staged) is (value in ("NULL", "'1e308'")), value


def test_a_cell_is_trimmed_as_duckdb_trims_it():
    """_trimmed, which skips trim for an ASCII cell that neither starts below '!' nor ends with a space,
    gives what trim gives: Unicode spaces (U+0020, no-break U+00A0, ideographic U+3000) removed at
    either end, a tab or an inner space kept, non-ASCII letters as they are; blanks become ''."""
    cells = {
        "a@b.in": "a@b.in",
        " a@b.in": "a@b.in",
        "a@b.in ": "a@b.in",
        "\u00a0a@b.in": "a@b.in",
        "a@b.in\u00a0": "a@b.in",
        "a@b.in\u3000": "a@b.in",
        "\ta@b.in": "\ta@b.in",
        "a@b.in\t": "a@b.in\t",
        "a b@c.in": "a b@c.in",
        "Ä@b.in": "Ä@b.in",
        "ä@b.in ": "ä@b.in",
        "x\u00a0": "x",
        "": "",
        " ": "",
        "\u00a0": "",
    }
    connection = duckdb.connect()
    connection.execute("CREATE TABLE cells (cell VARCHAR)")
    connection.executemany("INSERT INTO cells VALUES (?)", [[cell] for cell in [*cells, None]])
    got = dict(connection.execute(f"SELECT cell, {_trimmed('cell')} FROM cells").fetchall())
    assert got == {**cells, None: None}
    assert not connection.execute(f"SELECT count(*) FROM cells WHERE {_trimmed('cell')} <> trim(cell)").fetchone()[0]


def test_an_export_without_a_code_map_is_refused(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    (folder / "influencer_tracking_codes.csv").unlink()
    [message] = refused(folder)
    assert message.startswith("orders_export_1.csv: a store order export needs a code map")


def test_a_code_of_two_creators_is_refused(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    with (folder / "influencer_tracking_codes.csv").open("a", encoding="utf-8") as handle:
        handle.write("B2, asha10 ,,\n")
    assert refused(folder) == [
        "influencer_tracking_codes.csv, row 4, column tracking_code: code of two creators: "
        "A1 (row 2) and B2 (value 'asha10')"
    ]


@pytest.mark.parametrize(
    ("row", "first", "error"),
    [
        (
            "A1,asha10 ,,Diwali",
            False,
            "row 4, column campaign_tag: code asha10 of A1 with two campaigns: 'Summer Shred' (row 2) and 'Diwali'; "
            "give each code one campaign (value 'Diwali')",
        ),
        (  # the same rows the other way round: refused all the same, not decided by their order
            "A1,asha10 ,,Diwali",
            True,
            "row 3, column campaign_tag: code ASHA10 of A1 with two campaigns: 'Diwali' (row 2) and 'Summer Shred'; "
            "give each code one campaign (value 'Summer Shred')",
        ),
        (
            "A1,ASHA10,,",
            False,
            "row 4, column campaign_tag: code ASHA10 of A1 with two campaigns: 'Summer Shred' (row 2) and blank; "
            "give each code one campaign",
        ),
        (  # a UTM source is called one (tester t2, session 20: "code hk_asha of A1 …")
            "A1,,healthkart_asha,Diwali",
            False,
            "row 4, column campaign_tag: UTM source healthkart_asha of A1 with two campaigns: 'Summer Shred' "
            "(row 2) and 'Diwali'; give each UTM source one campaign (value 'Diwali')",
        ),
    ],
    ids=["later", "earlier", "blank", "utm"],
)
def test_a_code_of_one_creator_with_two_campaigns_is_refused(store_dir, tmp_path, row, first, error):
    """Tester t1, session 20: the later row's campaign was ignored in silence, and which one the sales
    took depended on the rows' order. Both rows are named, like a code of two creators."""
    folder = copy_of(store_dir, tmp_path)
    code_map = folder / "influencer_tracking_codes.csv"
    header, *rows = code_map.read_text(encoding="utf-8").splitlines()
    rows = [row, *rows] if first else [*rows, row]
    code_map.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert refused(folder) == [f"influencer_tracking_codes.csv, {error}"]


def test_a_code_map_row_given_twice_is_fine(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    with (folder / "influencer_tracking_codes.csv").open("a", encoding="utf-8") as handle:
        handle.write("A1, asha10 ,healthkart_asha,Summer Shred\n")
    mapping = validate_dataset(folder).store_orders
    assert mapping["attributed_orders"] == 6 and mapping["attributed_revenue"] == 3250.00


def test_bad_order_fields_are_named_by_row_and_column(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)

    def edit(row):
        if row["Name"] == "#1007":
            row["Created at"] = ""
        if row["Lineitem name"] == "HKVitals Fish Oil":
            row["Lineitem quantity"] = "1.5"
        if row["Name"] == "#1005":
            row["Total"] = "200.00"
            row["Taxes"] = "250.00"

    rewrite(folder / "orders_export_1.csv", edit)
    assert refused(folder) == [
        "orders_export_1.csv, row 3, column Lineitem quantity: quantity must be a whole number, 0 or more (value '1.5')",
        "orders_export_1.csv, row 10, column Created at: missing order date (read from the order's first row)",
        "orders_export_1.csv, row 7, column Total: total is less than Shipping + Taxes: the order's "
        "merchandise value would be negative (value '200')",
    ]


def test_an_unreadable_amount_is_named(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    rewrite(folder / "orders_export_1.csv", lambda r: r.update(Total="eight hundred") if r["Name"] == "#1004" else None)
    assert refused(folder) == ["orders_export_1.csv, row 6, column Total: not a number (value 'eight hundred')"]


def resave(path: Path, encoding: str, delimiter: str, blank_after: int | None = None) -> None:
    """Write a CSV again as Excel would in another locale: another encoding and separator, and
    optionally a blank row after data row `blank_after`."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if blank_after is not None:
        rows.insert(blank_after + 1, [""] * len(rows[0]))
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)


def test_an_excel_export_in_another_locale_gives_the_same_figures(store_dir, tmp_path):
    """Windows-1252 with a semicolon separator, a name with an accent, a blank row, and a code map
    saved as UTF-8 with a byte-order mark and tabs: the figures of the clean fixture."""
    folder = copy_of(store_dir, tmp_path)
    export = folder / "orders_export_1.csv"
    rewrite(
        export,
        lambda r: r.update({"Lineitem name": "MuscleBlaze Créatine"}) if "Creatine" in r["Lineitem name"] else None,
    )
    resave(export, "cp1252", ";", blank_after=4)
    resave(folder / "influencer_tracking_codes.csv", "utf-8-sig", "\t")
    report = validate_dataset(folder)
    assert report.store_orders["line_items"] == 11 and report.store_orders["orders_read"] == 9
    assert any("Windows-1252" in str(w) for w in report.warnings)
    assert any("blank rows" in str(w) and "6" in str(w) for w in report.warnings)
    db = tmp_path / "wh.duckdb"
    import_dataset(folder, db)
    k = metrics.kpis(Warehouse(db))
    assert k["revenue"] == pytest.approx(3250.00) and k["orders"] == 6
    assert k["spend"] == pytest.approx(1000 + 0.10 * 1250)
    assert "MuscleBlaze Créatine" in by(Warehouse(db), "product")


def test_an_error_in_a_rewritten_export_names_the_line_in_the_users_file(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    export = folder / "orders_export_1.csv"
    rewrite(export, lambda r: r.update(Total="eight hundred") if r["Name"] == "#1004" else None)
    resave(export, "cp1252", ";", blank_after=1)  # a blank line 4: #1004's row moves from line 6 to 7
    assert refused(folder) == ["orders_export_1.csv, row 7, column Total: not a number (value 'eight hundred')"]


def test_a_store_export_beside_tracking_data_is_refused(store_dir, tmp_path, traps_dir):
    folder = copy_of(store_dir, tmp_path)
    shutil.copy(traps_dir / "tracking_data.csv", folder / "tracking_data.csv")
    [message] = refused(folder)
    assert "beside a sales file (tracking_data.csv)" in message


# --- taxes inside prices (tester F12) ----------------------------------------------------------

# GST-inclusive Shopify orders of A1 (ASHA10), 18 % GST: Subtotal, Shipping, Taxes, Total.
GST_ORDERS = [
    ("#2001", "1180.00", "118.00", "198.00", "1298.00"),  # prices and shipping include GST: 1,000 + 100 ex tax
    ("#2002", "1180.00", "100.00", "180.00", "1280.00"),  # prices include GST, shipping not taxed
    ("#2003", "590.00", "0.00", "90.00", "590.00"),  # prices include GST, no shipping: 500 ex tax
    ("#2004", "500.00", "50.00", "99.00", "649.00"),  # prices without GST (Total adds Taxes): 500
]


def gst_export(store_dir: Path, tmp_path: Path, subtotal: bool = True) -> Path:
    folder = copy_of(store_dir, tmp_path)
    header = [h for h in SHOPIFY_HEADER if subtotal or h != "Subtotal"]
    with (folder / "orders_export_1.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, extrasaction="ignore")
        writer.writeheader()
        for day, (name, sub, shipping, taxes, total) in enumerate(GST_ORDERS, start=10):
            writer.writerow(
                {"Name": name, "Email": f"{name[1:]}@example.com", "Financial Status": "paid", "Currency": "INR"}
                | {"Subtotal": sub, "Shipping": shipping, "Taxes": taxes, "Total": total, "Discount Code": "ASHA10"}
                | {"Created at": f"2025-01-{day} 10:00:00 +0530", "Lineitem quantity": "1", "Lineitem name": "Whey"}
                | {"Lineitem price": sub, "Vendor": "MuscleBlaze"}
            )
    return folder


def test_prices_that_include_tax_do_not_lose_the_shipping_tax_twice(store_dir, tmp_path):
    """Tester F12: with GST inside the prices, Shopify's Shipping includes its GST and Taxes holds it
    too: Total − Shipping − Taxes would take it off twice (#2001: 1,298 − 118 − 198 = 982 for 1,000).
    Subtotal + Shipping = Total says prices include tax; the shipping's share of the Taxes is taken at
    the order's own rate (Subtotal × (1 − Taxes / (Subtotal + Shipping))), and the warning bounds the
    error by the orders whose shipping might not have been taxed."""
    report = validate_dataset(gst_export(store_dir, tmp_path))
    mapping = report.store_orders
    # #2001: 1180 × (1 − 198/1298) = 1,000 (exact: shipping taxed at 18 %); #2002: 1180 × (1 − 180/1280)
    # = 1,014.0625 (its shipping was not taxed: 1,000 true, 14.0625 over); #2003: 590 − 90 = 500; #2004: 500
    assert mapping["attributed_revenue"] == 3014.06
    # the shipping's share of the Taxes at each order's rate: 198 × 118/1298 = 18 and 180 × 100/1280 = 14.0625
    assert mapping["shipping_tax"] == {"orders": 2, "amount": 32.06, "subtotal": True}
    (warning,) = [str(w) for w in report.warnings if w.column == "Taxes"]
    assert warning == (
        "orders_export_1.csv, column Taxes: 2 orders attributed have prices that include tax and a shipping "
        "charge, whose tax is in Taxes and not given apart: taken at each order's own rate (₹32.06 in all), so "
        "their revenue is at most ₹32.06 too high if the shipping was not taxed (exact if it was taxed at the "
        "products' rate)"
    )
    # Without Subtotal nothing tells whether prices include tax: the formula, and the bound of its error
    # (the shipping's tax at the order's rate if they do): + #2004's 99 × 50/649 = 7.6271
    report = validate_dataset(gst_export(store_dir, tmp_path / "no-subtotal", subtotal=False))
    assert report.store_orders["attributed_revenue"] == 982 + 1000 + 500 + 500
    assert report.store_orders["shipping_tax"] == {"orders": 3, "amount": 39.69, "subtotal": False}
    (warning,) = [str(w) for w in report.warnings if w.column == "Taxes"]
    assert "3 orders attributed have shipping and taxes, and without a Subtotal column" in warning
    assert "their revenue is understated by it (₹39.69 at each order's own rate)" in warning


def test_the_fixture_without_taxes_inside_prices_needs_no_tax_warning(store_dir):
    report = validate_dataset(store_dir)
    assert report.store_orders["shipping_tax"] is None and not report.store_orders["taxes_products_only"]
    assert not [w for w in report.warnings if w.column == "Taxes"]


# --- WooCommerce --------------------------------------------------------------------------------

WOO_HEADER = [
    "order_id",
    "order_number",
    "order_date",
    "status",
    "shipping_total",
    "shipping_tax_total",
    "fee_total",
    "tax_total",
    "discount_total",
    "order_total",
    "refunded_total",
    "order_currency",
    "customer_id",
    "billing_email",
    "item_name",
    "item_sku",
    "item_quantity",
    "item_subtotal",
    "item_total",
    "coupon_items",
]


def test_a_woocommerce_export_is_read_by_the_same_rules(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    (folder / "orders_export_1.csv").unlink()
    rows = [
        # 2 lines, fee and shipping excluded: 1,000 of merchandise split 3:1 (line subtotals 600 and 200);
        # tax_total is the order's whole tax, the shipping's 10.8 in it: 1,270 − 60 − 30 − 180
        [
            "71",
            "71",
            "2025-02-01 10:00:00",
            "completed",
            "60",
            "10.8",
            "30",
            "180",
            "200",
            "1270",
            "0",
            "INR",
            "9",
            "x@example.com",
            "Whey",
            "W1",
            "1",
            "600",
            "450",
            "code:ben15|amount:200.00",
        ],
        [
            "71",
            "71",
            "2025-02-01 10:00:00",
            "completed",
            "60",
            "10.8",
            "30",
            "180",
            "200",
            "1270",
            "0",
            "INR",
            "9",
            "x@example.com",
            "Oats",
            "O1",
            "2",
            "200",
            "150",
            "code:ben15|amount:200.00",
        ],
        # wc-cancelled: not a sale
        [
            "72",
            "72",
            "2025-02-02 10:00:00",
            "wc-cancelled",
            "0",
            "0",
            "0",
            "0",
            "0",
            "500",
            "0",
            "INR",
            "10",
            "y@example.com",
            "Whey",
            "W1",
            "1",
            "500",
            "500",
            "code:ASHA10|amount:0",
        ],
        # a guest (customer 0, no e-mail), refunded in part: 59 of a 590 total with 500 of merchandise → 50
        [
            "73",
            "73",
            "2025-02-03 10:00:00",
            "completed",
            "0",
            "0",
            "0",
            "90",
            "0",
            "590",
            "59",
            "INR",
            "0",
            "",
            "Oats",
            "O1",
            "5",
            "500",
            "500",
            "code:SPRING|amount:0;code:Asha10|amount:0",
        ],
    ]
    with (folder / "orders-2025-02.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(WOO_HEADER)
        writer.writerows(rows)
    report = validate_dataset(folder)
    mapping = report.store_orders
    assert (mapping["store"], mapping["orders_read"], mapping["not_sales"], mapping["attributed_orders"]) == (
        "WooCommerce",
        3,
        1,
        2,
    )
    assert mapping["attributed_revenue"] == pytest.approx(1000 + 500 - 50)
    # F9: the not-sales count says what it covers (order 72 is wc-cancelled)
    assert mapping["not_sales_covers"] == "cancelled, failed, pending payment, draft, trash"
    assert "1 not sales (cancelled, failed, pending payment, draft, trash)" in "\n".join(report.summary_lines())
    assert (mapping["several_codes_orders"], mapping["guest_orders"], mapping["refunded_orders"]) == (1, 1, 1)
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    products = by(wh, "product")
    assert products["Whey"] == (pytest.approx(750.0), 1)
    assert products["Oats"] == (pytest.approx(250.0 + 450.0), 1)
    guests = [str(w) for w in report.warnings if "guest" in w.reason]
    assert guests == [
        "orders-2025-02.csv, column billing_email or customer_id: 1 order attributed without billing_email or "
        "customer_id (guest checkouts): counted as unknown buyers (their new customers are estimated) (value 'blank')"
    ]

    # Order 71 (two line items, WooCommerce repeats the order's fields on each) in a second export too.
    with (folder / "orders-2025-02b.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(WOO_HEADER)
        writer.writerows(rows[:2][::-1] + rows[3:])
    (folder / "orders-2025-02.csv").write_text(
        "\n".join(",".join(row) for row in [WOO_HEADER, *rows[:3]]) + "\n", encoding="utf-8"
    )
    overlapping = validate_dataset(folder).store_orders
    assert overlapping["repeated"] == [
        {"files": ["orders-2025-02.csv", "orders-2025-02b.csv"], "orders": 1, "line_items": 2}
    ]
    assert {k: v for k, v in overlapping.items() if k not in PER_FILE} == {
        k: v for k, v in mapping.items() if k not in PER_FILE
    }


def woo_export(store_dir: Path, tmp_path: Path, orders: list[tuple[str, ...]]) -> Path:
    """The fixture with a WooCommerce export of A1's orders (ASHA10): (order, shipping_total,
    shipping_tax_total, fee_total, fee_tax_total, tax_total, order_total) each, one line item."""
    folder = copy_of(store_dir, tmp_path)
    (folder / "orders_export_1.csv").unlink()
    header = ["order_id", "order_date", "status", "shipping_total", "shipping_tax_total", "fee_total"]
    header += ["fee_tax_total", "tax_total", "order_total", "order_currency", "billing_email", "item_name"]
    header += ["item_quantity", "item_total", "coupon_code"]
    with (folder / "orders.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for order, *amounts in orders:
            writer.writerow([order, "2025-02-01 10:00:00", "completed", *amounts, "INR", "", "Whey", 1, 0, "ASHA10"])
    return folder


def test_woocommerce_tax_total_is_the_orders_whole_tax(store_dir, tmp_path):
    """WooCommerce's exports write `tax_total` as WC_Order::get_total_tax(), the products', the
    shipping's and the fees' tax together: the shipping and fee taxes are not taken off again (1,286.2
    − 60 − 30 − 196.2 = 1,000, not 983.8). A tax column smaller than the shipping and fee taxes of an
    order cannot be the whole tax: the export's column then holds the products' tax only, and they
    are taken off as well (175.8 − 60 − 5 − 10.8 = 100; 241 − 60 − 30 − 10 − 10.8 − 5.4 = 124.8)."""
    whole = woo_export(store_dir, tmp_path / "whole", [("91", "60", "10.8", "30", "5.4", "196.2", "1286.2")])
    report = validate_dataset(whole)
    assert report.store_orders["attributed_revenue"] == 1000.00 and not report.store_orders["taxes_products_only"]
    assert not [w for w in report.warnings if w.column == "tax_total"]
    products_only = [("92", "60", "10.8", "0", "0", "5", "175.8"), ("93", "60", "10.8", "30", "5.4", "10", "241")]
    report = validate_dataset(woo_export(store_dir, tmp_path / "products", products_only))
    assert report.store_orders["attributed_revenue"] == 100 + 124.8 and report.store_orders["taxes_products_only"]
    (warning,) = [str(w) for w in report.warnings if w.column == "tax_total"]
    assert warning == (
        "orders.csv, column tax_total: tax_total is less than shipping_tax_total + fee_tax_total on some orders, "
        "so it holds the products' tax only (not the order's whole tax, as WooCommerce's exports write it): "
        "shipping_tax_total + fee_tax_total are taken off the total as well"
    )


def test_a_buyer_is_the_e_mail_else_the_customer_id(store_dir, tmp_path):
    """E-mails match trimmed and in any case; a customer id counts only without an e-mail, and never
    as the e-mail of the same text; neither (or customer 0) is a guest."""
    import duckdb

    from warehouse.sources import discover
    from warehouse.store_orders import claim, stage
    from warehouse.validate import Findings

    folder = copy_of(store_dir, tmp_path)
    (folder / "orders_export_1.csv").unlink()
    buyers = [("9", " X@Example.com "), ("10", "x@example.com"), ("9", ""), ("9", ""), ("0", ""), ("", "9")]
    with (folder / "orders.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(WOO_HEADER)
        for number, (customer, email) in enumerate(buyers, start=81):
            writer.writerow(
                [number, number, "2025-02-01 10:00:00", "completed", 0, 0, 0, 0, 0, 100, 0, "INR"]
                + [customer, email, "Whey", "W1", 1, 100, 100, "ASHA10"]
            )
    found = discover(folder)
    files = claim(folder, found)
    connection = duckdb.connect()
    errors, warnings = Findings(), Findings()
    source, mapping = stage(connection, files, errors, warnings)
    assert not errors.problems and mapping["guest_orders"] == 1
    ids = [
        row[0] for row in connection.execute(f"SELECT user_id FROM {source.table} ORDER BY export_position").fetchall()
    ]
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[4] is None
    assert len({ids[0], ids[2], ids[5]}) == 3  # e-mail "9" is not customer 9
    assert all(len(i) == 12 and "example" not in i for i in ids if i is not None)


# --- recognition, seed1 ---------------------------------------------------------------------------


def test_files_are_recognised_by_their_columns():
    assert store_of(SHOPIFY_HEADER) == "Shopify"
    assert store_of(WOO_HEADER) == "WooCommerce"
    assert store_of(["influencer_id", "date", "orders", "revenue"]) is None
    with (SEED1 / "influencer_tracking_codes.csv").open(encoding="utf-8") as handle:
        assert is_code_map(next(csv.reader(handle)))
    assert not is_code_map(["influencer_id", "date", "orders", "revenue", "source"])


def test_seed1_code_map_joins_its_creators(tmp_path):
    """seed1's code map names only its creators, one code each; an export using its codes and UTM
    sources attributes every order to the creator the map names."""
    with (SEED1 / "influencer_tracking_codes.csv").open(encoding="utf-8") as handle:
        codes = list(csv.DictReader(handle))
    with (SEED1 / "influencers.csv").open(encoding="utf-8") as handle:
        creators = {row["influencer_id"] for row in csv.DictReader(handle)}
    assert len(codes) == 20 and {row["influencer_id"] for row in codes} == creators
    assert len({row["tracking_code"].lower() for row in codes}) == len(codes)

    folder = tmp_path / "seed1"
    shutil.copytree(SEED1, folder)
    orders = []
    for number, row in enumerate(codes):
        code = row["tracking_code"].lower() if number % 2 else f" {row['tracking_code']} "
        orders.append(
            Order(
                f"#{number}",
                f"buyer{number}@example.com",
                "paid",
                [(1, "Whey", 1000.0, "MuscleBlaze")],
                total=1000.0,
                codes=code,
                day=number,
            )
        )
    # no code, but the seed's UTM source in the note attributes
    orders.append(
        Order(
            "#99",
            "late@example.com",
            "paid",
            [(1, "Oats", 400.0, "MuscleBlaze")],
            total=400.0,
            codes="",
            day=3,
            notes=f"utm_source: {codes[4]['utm_source']}",
        )
    )
    write_shopify(folder / "orders_export_1.csv", orders, notes=True)
    report = validate_dataset(folder)
    assert report.store_orders["attributed_orders"] == 21 and report.store_orders["utm_orders"] == 1
    assert not [w for w in report.warnings if "unknown influencer" in str(w)]
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    ranked = metrics.ranking(wh).set_index("influencer_id")
    assert ranked["orders"].sum() == 21 and ranked.loc[codes[4]["influencer_id"], "revenue"] == pytest.approx(1400.0)
    assert set(by(wh, "campaign")) == {row["campaign_tag"] for row in codes}
    # each sale row names its creator, campaign and source as the code map has them (store_attributions)
    sales = staged_connection(folder).execute(
        f"SELECT {SALE_ORDER}, influencer_id, campaign, source FROM store_sales ORDER BY {SALE_ORDER}"
    )
    assert sales.fetchall() == [
        (number, row["influencer_id"], row["campaign_tag"], "PromoCode") for number, row in enumerate(codes)
    ] + [(20, codes[4]["influencer_id"], codes[4]["campaign_tag"], "UTM")]


# --- property: a store export and the equivalent tracking_data give the same figures -------------


@dataclasses.dataclass
class Order:
    name: str
    email: str
    status: str  # paid, partially_refunded, refunded, voided
    lines: list  # (quantity, product, unit price, brand)
    total: float
    codes: str
    day: int
    shipping: float = 0.0
    taxes: float = 0.0
    refunded: float = 0.0
    notes: str = ""


def write_shopify(path: Path, orders: list[Order], notes: bool = False):
    header = SHOPIFY_HEADER + (["Note Attributes"] if notes else [])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for order in orders:
            for index, (quantity, product, price, brand) in enumerate(order.lines):
                first = index == 0
                cells = {
                    "Name": order.name,
                    "Lineitem quantity": quantity,
                    "Lineitem name": product,
                    "Lineitem price": f"{price:.2f}",
                    "Vendor": brand,
                }
                if first:
                    cells.update(
                        {
                            "Email": order.email,
                            "Financial Status": order.status,
                            "Currency": "INR",
                            "Subtotal": f"{order.total - order.shipping - order.taxes:.2f}",
                            "Shipping": f"{order.shipping:.2f}",
                            "Taxes": f"{order.taxes:.2f}",
                            "Total": f"{order.total:.2f}",
                            "Discount Code": order.codes,
                            "Created at": f"2025-03-{order.day + 1:02d} 10:00:00 +0530",
                            "Cancelled at": "2025-03-28 10:00:00 +0530" if order.status == "voided" else "",
                            "Refunded Amount": f"{order.refunded:.2f}",
                            "Note Attributes": order.notes,
                        }
                    )
                writer.writerow([cells.get(column, "") for column in header])


CREATOR_CODES = {"I0": "ALPHA", "I1": "BETA", "I2": "GAMMA"}


def expected_tracking(orders: list[Order], refund_rows: bool = False) -> list[list]:
    """The tracking_data rows of the documented rules, computed independently of the import: a row
    per line item; a refund netted into it, or (refund_rows) a row of its own beside it, with
    negative revenue and no orders, as the refund rule of real-world files writes it."""
    codes = {code.lower(): creator for creator, code in CREATOR_CODES.items()}
    rows = []
    for order in orders:
        if order.status == "voided":
            continue
        listed = [c.strip().lower() for c in order.codes.split(",") if c.strip()]
        known = [codes[c] for c in listed if c in codes]
        if not known:
            continue
        revenue = order.total - order.shipping - order.taxes
        refund = min(order.refunded * revenue / order.total, revenue) if order.refunded and order.total else 0.0
        if order.status == "refunded" and not order.refunded:
            refund = revenue
        values = [q * p for q, _, p, _ in order.lines]
        lead = values.index(max(values))
        parts = [(revenue, True), (-refund, False)] if refund_rows and refund > 0 else [(revenue - refund, True)]
        for amount, sale in parts:
            for index, (_quantity, product, _price, brand) in enumerate(order.lines):
                share = values[index] / sum(values) if sum(values) else 1 / len(values)
                lead_sale = sale and index == lead
                rows.append(
                    [
                        known[0],
                        order.email if lead_sale else "",
                        brand,
                        f"C-{known[0]}",
                        product,
                        f"2025-03-{order.day + 1:02d}",
                        int(lead_sale),
                        round(amount * share, 6),
                    ]
                )
    return rows


line = st.tuples(
    st.integers(1, 3),
    st.sampled_from(["Whey", "Oats", "Fish Oil"]),
    st.sampled_from([0.0, 99.0, 250.0, 1299.0]),
    st.sampled_from(["MuscleBlaze", "HKVitals"]),
)


@st.composite
def order(draw, number):
    lines = draw(st.lists(line, min_size=1, max_size=3))
    merchandise = round(sum(q * p for q, _, p, _ in lines) * draw(st.sampled_from([1.0, 0.9])), 2)
    shipping, taxes = draw(st.sampled_from([0.0, 49.0])), round(merchandise * draw(st.sampled_from([0.0, 0.18])), 2)
    total = merchandise + shipping + taxes
    status = draw(st.sampled_from(["paid", "paid", "partially_refunded", "refunded", "voided"]))
    refunded = {"partially_refunded": round(total / 4, 2), "refunded": total}.get(status, 0.0)
    code = draw(st.sampled_from(["ALPHA", "beta", " Gamma ", "UNKNOWN1", "", "UNKNOWN1, BETA", "ALPHA, GAMMA"]))
    email = draw(st.sampled_from(["", "p@example.com", "q@example.com", "P@Example.com", "r@example.com"]))
    return Order(f"#{number}", email, status, lines, total, code, draw(st.integers(0, 20)), shipping, taxes, refunded)


@st.composite
def store_orders(draw):
    count = draw(st.integers(1, 12))
    return [draw(order(number)) for number in range(count)]


def write_common(folder: Path):
    with (folder / "influencers.csv").open("w", encoding="utf-8") as handle:
        handle.write(
            "influencer_id,name,platform,category,follower_count\n"
            "I0,Zero,Instagram,Fitness,1000\nI1,One,YouTube,Health,20000\nI2,Two,Facebook,Beauty,60000\n"
        )
    with (folder / "payouts.csv").open("w", encoding="utf-8") as handle:
        handle.write(
            "influencer_id,basis,rate,total_payout\nI0,post,₹1000/post,5000\nI1,commission,10% commission,\n"
            "I2,order,₹100/order,\n"
        )


def write_store_and_tracking(
    root: Path, orders: list[Order], refund_rows: bool = False
) -> tuple[Path, Path, list[list]]:
    """The orders as a Shopify export with its code map, and as the tracking_data of the documented
    rules (expected_tracking), each in a data-set folder with the same creators and payouts."""
    store, tracking = root / "store", root / "tracking"
    for folder in (store, tracking):
        folder.mkdir()
        write_common(folder)
    write_shopify(store / "orders_export_1.csv", orders)
    with (store / "codes.csv").open("w", encoding="utf-8") as handle:
        handle.write(
            "influencer_id,discount_code,campaign_tag\n"
            + "".join(f"{c},{code},C-{c}\n" for c, code in CREATOR_CODES.items())
        )
    rows = expected_tracking(orders, refund_rows)
    with (tracking / "tracking_data.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["influencer_id", "user_id", "brand", "campaign", "product", "date", "orders", "revenue"])
        writer.writerows(row[:1] + [row[1].strip().lower()] + row[2:] for row in rows)
    return store, tracking, rows


def spend_by(wh, dimension) -> dict:
    frame = metrics.breakdown(wh, dimension)
    return {row[dimension]: row["spend"] for _, row in frame.iterrows()}


@pytest.mark.parametrize("refund_rows", [False, True], ids=["refund-netted", "refund-row"])
def test_a_refunded_priced_order_beside_free_orders_keeps_the_creators_fee(tmp_path, refund_rows):
    """The property test's first find (issue 17): ALPHA's only priced order is refunded in full and
    its other three orders are free, so its net revenue is ₹0 but the export's sale and refund rows
    (₹984.60 each way) add up to a floating-point residue, not to 0. I0's ₹5,000 post fee (no posts
    file) must follow its sales: net revenue ₹0 gives nothing to follow, so the fee follows its 4
    orders, ₹1,250 each: Whey 3 orders (the free ones; the refunded order's Whey lines hold none),
    Oats 1 (the refunded order's lead line: 2 × 250 = 500 > 3 × 99 = 297). The residue once read as
    revenue, and the fee became ₹5,000 ÷ 5.7e-14 per rupee of cells worth ₹0: spend ₹0."""
    free = [Order(f"#{n}", "", "paid", [(1, "Whey", 0.0, "MuscleBlaze")], 0.0, "ALPHA", 0) for n in range(3)]
    lines = [(3, "Whey", 99.0, "MuscleBlaze"), (2, "Oats", 250.0, "MuscleBlaze"), (3, "Whey", 99.0, "MuscleBlaze")]
    # merchandise (297 + 500 + 297) × 0.9 = 984.60, + ₹49 shipping = 1,033.60, refunded in full
    refunded = Order("#3", "", "refunded", lines, 1033.6, "ALPHA", 0, shipping=49.0, refunded=1033.6)
    store, tracking, _ = write_store_and_tracking(tmp_path, [*free, refunded], refund_rows)
    for folder in (store, tracking):
        wh = Warehouse(import_dataset(folder, tmp_path / f"{folder.name}.duckdb").db_path)
        k = metrics.kpis(wh)
        assert (k["revenue"], k["orders"], k["spend"]) == (pytest.approx(0.0, abs=1e-9), 4, pytest.approx(5000.0))
        assert spend_by(wh, "product") == {"Whey": pytest.approx(3750.0), "Oats": pytest.approx(1250.0)}
        assert k["cost_per_order"] == pytest.approx(1250.0) and k["roas"] == pytest.approx(0.0, abs=1e-12)
    assert metrics.kpis(Warehouse(tmp_path / "store.duckdb"))["refunds"] == pytest.approx(984.60)
    tracking_refunds = metrics.kpis(Warehouse(tmp_path / "tracking.duckdb"))["refunds"]
    assert tracking_refunds == pytest.approx(984.60 if refund_rows else 0.0)


def test_revenue_that_nets_to_a_residue_counts_as_none(tmp_path):
    """tracking_data alone: ₹0.10 + ₹0.20 of sales and a ₹0.30 refund add up, in floating point, to
    5.6e-17, not 0. Net revenue below half a paisa is nothing to follow: I0's ₹5,000 fee follows its
    2 orders (₹2,500 each), as it does when the same sales net to exactly 0."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_common(folder)
    (folder / "tracking_data.csv").write_text(
        "influencer_id,product,date,orders,revenue\n"
        "I0,Whey,2025-03-01,1,0.10\nI0,Oats,2025-03-02,1,0.20\nI0,Whey,2025-03-03,0,-0.30\n",
        encoding="utf-8",
    )
    wh = Warehouse(import_dataset(folder, tmp_path / "wh.duckdb").db_path)
    assert metrics.kpis(wh)["spend"] == pytest.approx(5000.0)
    assert spend_by(wh, "product") == {"Whey": pytest.approx(2500.0), "Oats": pytest.approx(2500.0)}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(store_orders(), st.booleans())
def test_a_store_export_gives_the_figures_of_its_tracking_data(orders, refund_rows):
    """Refunds netted into the sales rows, or as rows of their own (then refunds agree too)."""
    root = Path(tempfile.mkdtemp(prefix="store-prop-"))
    compared = ("revenue", "orders", "spend", "new_customers", "new_customers_estimated", "cac")
    try:
        store, tracking, rows = write_store_and_tracking(root, orders, refund_rows)
        if not rows:
            with pytest.raises(ImportFailed):  # no attributed sales at all: nothing to show
                validate_dataset(store)
            return
        from_store = Warehouse(import_dataset(store, root / "store.duckdb").db_path)
        from_tracking = Warehouse(import_dataset(tracking, root / "tracking.duckdb").db_path)
        for filters in (Filters(), Filters(brand=["HKVitals"]), Filters(start="2025-03-05", end="2025-03-15")):
            a, b = metrics.kpis(from_store, filters), metrics.kpis(from_tracking, filters)
            for key in compared + (("refunds",) if refund_rows else ()):
                assert a[key] == pytest.approx(b[key], abs=1e-4), (key, filters)
        for dimension in ("brand", "product", "campaign", "month"):
            store_parts, tracking_parts = by(from_store, dimension), by(from_tracking, dimension)
            assert store_parts.keys() == tracking_parts.keys()
            for value, (revenue, count) in store_parts.items():
                assert revenue == pytest.approx(tracking_parts[value][0], abs=1e-4)
                assert count == tracking_parts[value][1]
    finally:
        shutil.rmtree(root, ignore_errors=True)


PER_FILE = (
    "exports",
    "export_rows",
    "repeated",
    "repeated_orders",
    "repeated_line_items",
    "guest_orders_by_file",
    "unattributed_by_file",
    "conflicting_first",  # its file and line; the order, cell and creators are compared apart
)


def unplaced(first: dict | None) -> dict | None:
    """A mapping's first order with codes of two creators without its file and line."""
    return None if first is None else {k: v for k, v in first.items() if k not in ("file", "line")}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(store_orders(), st.data())
def test_overlapping_exports_give_the_figures_of_one_export(orders, data):
    """Any two exports of whole orders that together hold each order, some in both (orders
    [0, end) and [start, n), start ≤ end), map exactly as the one export does; the orders in both
    are the ones reported as repeated."""
    end = data.draw(st.integers(0, len(orders)))
    start = data.draw(st.integers(0, end))
    root = Path(tempfile.mkdtemp(prefix="store-overlap-"))
    try:
        store, _, rows = write_store_and_tracking(root, orders)
        if not rows:
            return  # nothing attributed: refused either way (test_a_store_export_gives_the_figures_…)
        one = validate_dataset(store).store_orders
        write_shopify(store / "orders_export_1.csv", orders[:end])
        write_shopify(store / "orders_export_2.csv", orders[start:])
        if not orders[:end] or not orders[start:]:  # a file with a header only is refused
            with pytest.raises(ImportFailed):
                validate_dataset(store)
            return
        two = validate_dataset(store).store_orders
        assert {k: v for k, v in two.items() if k not in PER_FILE} == {
            k: v for k, v in one.items() if k not in PER_FILE
        }
        assert unplaced(two["conflicting_first"]) == unplaced(one["conflicting_first"])
        lines = sum(len(order.lines) for order in orders[start:end])
        assert (two["repeated_orders"], two["repeated_line_items"]) == (end - start, lines)
        assert sum(two["export_rows"].values()) == two["line_items"] + lines
        assert sum(two["guest_orders_by_file"].values()) == two["guest_orders"]
        unknown = two["unattributed_by_file"].values()
        assert sum(file["orders"] for file in unknown) == two["unattributed_orders"]
        assert sum(file["revenue"] for file in unknown) == pytest.approx(two["unattributed_revenue"], abs=0.01)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- /data ----------------------------------------------------------------------------------------


def test_the_data_page_shows_the_mapping_before_import(store_dir):
    from dash_helpers import find, text

    from callbacks import data as cb
    from warehouse import uploads

    report = validate_dataset(store_dir)
    upload = uploads.Upload("0" * 32, store_dir, ["orders_export_1.csv"], [])
    children = cb.report_children(upload, report, None)
    shown = text(children)
    table = text(find(children, "data-store-orders"))
    assert "Orders read" in table and "9 (11 line items)" in table
    assert "Attributed to a creator" in table and "6 · ₹3,250.00" in table
    assert (
        "Not sales (cancelled, voided, expired) 1" in table
        and "Refunded, attributed orders (netted from revenue) 2 · ₹700.00" in table
    )
    assert "WELCOME5 (1)" in shown
    assert "subtotal after discounts, without shipping and taxes, net of refunds" in shown


def test_the_data_page_says_where_sales_came_from(store_wh):
    from dash_helpers import text

    from callbacks import data as cb

    shown = text(cb.info_children(metrics.dataset_info(store_wh)))
    assert "6 of 9 Shopify orders attributed by discount code;" in shown


# --- the sample in Shopify form -------------------------------------------------------------------


def test_sample_as_shopify_imports_with_payouts_that_agree(tmp_path):
    from warehouse.sample import generate_sample

    first = generate_sample(tmp_path / "a", orders=1500, seed=7, store="shopify")
    generate_sample(tmp_path / "b", orders=1500, seed=7, store="shopify")
    for name in ("orders_export_1.csv", "influencer_tracking_codes.csv", "payouts.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert not (tmp_path / "a" / "tracking_data.csv").exists()
    assert first["rows"]["orders_export_1.csv"] > 1500  # some orders have two line items
    report = validate_dataset(tmp_path / "a")
    mapping = report.store_orders
    assert mapping["orders_read"] == 1500 and mapping["line_items"] == first["rows"]["orders_export_1.csv"]
    for key in (
        "not_sales",
        "unattributed_orders",
        "no_code_orders",
        "refunded_orders",
        "several_codes_orders",
        "guest_orders",
    ):
        assert mapping[key] > 0, key
    assert (
        mapping["attributed_orders"] + mapping["unattributed_orders"] + mapping["no_code_orders"]
        == mapping["sales_orders"]
        == 1500 - mapping["not_sales"]
    )
    # the payouts were computed from what the import attributes: no disagreement warnings
    assert not [w for w in report.warnings if "payouts.csv" in str(w)]
    wh = Warehouse(import_dataset(tmp_path / "a", tmp_path / "wh.duckdb").db_path)
    assert metrics.kpis(wh)["orders"] == mapping["attributed_orders"]
    assert metrics.kpis(wh)["revenue"] == pytest.approx(mapping["attributed_revenue"], abs=0.01)


def test_cli_sample_as_shopify(tmp_path, capsys):
    import cli

    assert cli.main(["sample", "--out", str(tmp_path / "s"), "--orders", "300", "--as", "shopify"]) == 0
    assert (tmp_path / "s" / "orders_export_1.csv").is_file()
    assert cli.main(["sample", "--out", str(tmp_path / "p"), "--as", "shopify", "--format", "parquet"]) == 2
    assert "--as shopify writes CSV" in capsys.readouterr().err


def test_the_store_import_benchmark_runs_at_a_tiny_size(tmp_path):
    from bench.store_orders import run

    result = run(400, 42, tmp_path)
    assert result["line_items"] > 400 and result["attributed_orders"] > 0
    assert result["import_s"] > 0 and result["duckdb_read_csv_s"] > 0 and result["import_ratio"] > 0


def test_the_data_card_keeps_figures_in_its_tiles_and_lists_each_file_with_its_rows(store_wh):
    """Tester h3 F14: after a store import the card's tiles held whole sentences and its file line
    had no rows and no code map. Tiles hold figures; the notes and a file table sit below them."""
    from dash import html
    from dash_helpers import find, text, walk

    from callbacks import data as cb
    from components.ids import data as ids

    children = cb.info_children(metrics.dataset_info(store_wh))
    tiles = {
        text(t.children[0]): text(t.children[1])
        for t in walk(children)
        if isinstance(t, html.Div)
        and isinstance(t.children, list)
        and t.children
        and isinstance(t.children[0], html.Dt)
    }
    assert tiles["Store orders attributed"] == "6 of 9" and tiles["New customers"] == "partly estimated"  # 1 guest of 6
    assert max(len(value) for value in tiles.values()) <= 40, tiles  # a figure, not a sentence (they were 100+)
    assert "6 of 9 Shopify orders attributed by discount code" in text(children)  # the note under the tiles
    files = text(find(children, ids.INFO_FILES))
    assert "tracking orders_export_1.csv 11" in files and "code map influencer_tracking_codes.csv 2" in files


# --- tester h4's findings (session 12) ----------------------------------------------------------


def test_a_cell_holding_a_line_break_imports_and_rows_after_it_keep_their_lines(store_dir, tmp_path):
    """Tester h4 F1: Shopify's Notes (and a code map's campaign) often hold line breaks. DuckDB's
    padded parallel reader refused them ("CSV Error on Line: 12", no row); the file must import
    with the fixture's figures, and a row after the break is named by its line in the file."""
    folder = copy_of(store_dir, tmp_path)
    export = folder / "orders_export_1.csv"
    rewrite(
        export, lambda r: r.update(Notes="leave at the door\nring twice") if r["Email"] == "a@example.com" else None
    )
    rewrite(
        folder / "influencer_tracking_codes.csv",
        lambda r: r.update(campaign_tag="Summer\nShred") if r["influencer_id"] == "A1" else None,
    )
    report = validate_dataset(folder)
    assert report.store_orders["line_items"] == 11 and report.store_orders["attributed_orders"] == 6
    db = tmp_path / "wh.duckdb"
    import_dataset(folder, db)
    k = metrics.kpis(Warehouse(db))
    assert k["revenue"] == pytest.approx(3250.00) and k["orders"] == 6
    # #1004 is the 5th data row; #1001's note takes lines 2 and 3, so #1004 is on line 7, not 6
    rewrite(export, lambda r: r.update(Total="eight hundred") if r["Name"] == "#1004" else None)
    assert refused(folder) == ["orders_export_1.csv, row 7, column Total: not a number (value 'eight hundred')"]


def test_an_unclosed_quote_is_named_by_its_row(store_dir, tmp_path):
    folder = copy_of(store_dir, tmp_path)
    export = folder / "orders_export_1.csv"
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",Customer #1003,", ',"Customer #1003,', 1)  # line 5 opens a quote
    export.write_text("".join(lines), encoding="utf-8")
    [message] = refused(folder)
    assert message.startswith("orders_export_1.csv, row 5: unreadable row")


def edited(store_dir: Path, tmp_path: Path, edit, codes: str | None = None) -> Path:
    """A copy of the fixture with `edit` applied to each export row and `codes` appended to the code map."""
    folder = copy_of(store_dir, tmp_path)
    rewrite(folder / "orders_export_1.csv", edit)
    if codes:
        with (folder / "influencer_tracking_codes.csv").open("a", encoding="utf-8") as handle:
            handle.write(codes)
    return folder


def first_row_of(name: str):
    """An edit of the row holding order `name`'s fields (its first row: the one with a Financial Status)."""
    return lambda changes: lambda r: r.update(changes) if r["Name"] == name and r["Financial Status"] else None


def test_an_expired_shopify_order_is_not_a_sale(store_dir, tmp_path):
    """Tester h4 F4: an expired authorisation was never captured. #1007 (A1, ₹200) leaves the sales."""
    folder = edited(store_dir, tmp_path, first_row_of("#1007")({"Financial Status": "expired"}))
    mapping = validate_dataset(folder).store_orders
    assert mapping["not_sales"] == 2 and mapping["attributed_orders"] == 5
    assert mapping["attributed_revenue"] == 3250.00 - 200.00


def test_a_code_map_creator_missing_from_influencers_is_named_on_the_code_maps_row(store_dir, tmp_path):
    """Tester h4 F5: named by codes.csv's row and column, even when no order uses the code yet, with
    a hint when the id differs only in case; the export is not blamed."""
    folder = edited(store_dir, tmp_path, lambda r: None, codes="C3,CAROL5,,\na1,ASHA20,,\n")
    report = validate_dataset(folder)
    assert not [w for w in report.warnings if w.file == "orders_export_1.csv" and w.column == "influencer_id"]
    shown = [str(w) for w in report.warnings if w.column == "influencer_id"]
    assert shown == [
        "influencer_tracking_codes.csv, row 4, column influencer_id: creator not in influencers.csv: the sales "
        "of this row's codes are kept and shown as Unknown (value 'C3')",
        "influencer_tracking_codes.csv, row 5, column influencer_id: creator not in influencers.csv (ids are "
        "case-sensitive: it has A1): the sales of this row's codes are kept and shown as Unknown (value 'a1')",
    ]


def test_a_code_map_cell_with_several_codes_is_split(store_dir, tmp_path):
    """Tester h4 F15: `ASHA10, WELCOME5` in A1's cell gives A1 both codes: #1005 (WELCOME5, ₹300) joins A1."""
    folder = copy_of(store_dir, tmp_path)
    rewrite(
        folder / "influencer_tracking_codes.csv",
        lambda r: r.update(tracking_code="ASHA10, WELCOME5") if r["influencer_id"] == "A1" else None,
    )
    mapping = validate_dataset(folder).store_orders
    assert mapping["attributed_orders"] == 7 and mapping["attributed_revenue"] == 3250.00 + 300.00
    assert mapping["unattributed_orders"] == 0 and mapping["code_map_rows"] == 2
    db = tmp_path / "wh.duckdb"
    import_dataset(folder, db)
    ranked = metrics.ranking(Warehouse(db)).set_index("influencer_id")
    assert ranked.loc["A1", "revenue"] == pytest.approx(900 + 900 + 200 + 300) and ranked.loc["A1", "orders"] == 4


def test_a_refund_above_the_orders_total_is_capped_and_named(store_dir, tmp_path):
    """Tester h4 F10: #1004 (₹800, no tax or shipping) with ₹9,999 refunded: refunded in full, warned."""
    folder = edited(store_dir, tmp_path, first_row_of("#1004")({"Refunded Amount": "9999.00"}))
    report = validate_dataset(folder)
    assert report.store_orders["attributed_revenue"] == 3250.00 - 800.00
    assert (
        "orders_export_1.csv, row 6, column Refunded Amount: order #1004: refunded ₹9,999.00, more than its total "
        "₹800.00: counted as refunded in full (the export, or an edit of it, is inconsistent) (value '9999')"
    ) in [str(w) for w in report.warnings]


def test_an_append_over_a_store_export_says_the_imports_warnings_again(store_dir, tmp_path):
    """The data set's report after an append names every warning that applies to the data now in
    the warehouse: the export's refund above its total and its code map's unknown creators as the
    import named them, and the appended file's guest rows under that file's name (its 3 rows: one
    blank, one `guest`, one buyer), not the merged "orders_export_1.csv + tracking_data.csv"."""
    refund = first_row_of("#1004")({"Refunded Amount": "9999.00"})
    folder = edited(store_dir, tmp_path, refund, codes="C3,CAROL5,,\na1,ASHA20,,\n")
    db = tmp_path / "wh.duckdb"
    plain = [str(w) for w in import_dataset(folder, db).warnings]
    assert len(plain) == 5  # guests, WELCOME5, #1004's refund, C3 and a1 on the code map
    assert sum("more than its total" in w for w in plain) == 1
    assert sum("creator not in influencers.csv" in w for w in plain) == 2
    month = tmp_path / "march"
    month.mkdir()
    (month / "tracking_data.csv").write_text(MARCH_SALES)
    appended = import_dataset(month, db, append=True)
    guests = (
        "tracking_data.csv, column user_id: 2 rows with a guest, placeholder or blank user_id: counted as "
        "unknown buyers (their new customers are estimated) (value \"'guest' and blank\")"
    )
    assert [str(w) for w in appended.warnings] == plain + [guests] and appended.warning_count == 6
    assert metrics.dataset_info(Warehouse(db))["warning_lines"] == plain + [guests]

    # An append that lists C3 among the influencers: its code map row no longer applies; a1's does.
    april = tmp_path / "april"
    april.mkdir()
    (april / "influencers.csv").write_text(
        "influencer_id,name,platform,category,follower_count\nC3,Carol,Instagram,Fitness,9000\n"
    )
    (april / "posts.csv").write_text("post_id,influencer_id,platform,date,reach\nP9,C3,Instagram,2025-04-02,900\n")
    warnings = [str(w) for w in import_dataset(april, db, append=True).warnings]
    assert [w for w in warnings if "creator not in" in w] == [
        "influencer_tracking_codes.csv, row 5, column influencer_id: creator not in influencers.csv + "
        "influencers.csv (ids are case-sensitive: it has A1): the sales of this row's codes are kept and shown "
        "as Unknown (value 'a1')"
    ]
    assert guests in warnings and sum("more than its total" in w for w in warnings) == 1


def test_an_append_over_a_store_export_names_each_unknown_creator_once(store_dir, tmp_path):
    """C3 (not in influencers) has WELCOME5, #1005's code: its sales are named on the code map's row,
    at the import and after an append, not again as the merged sales file's; D4, in the appended
    file only, is named by that file with its own 2 rows."""
    folder = edited(store_dir, tmp_path, lambda r: None, codes="C3,WELCOME5,,\n")
    db = tmp_path / "wh.duckdb"
    code_map_row = (
        "influencer_tracking_codes.csv, row 4, column influencer_id: creator not in influencers.csv: the sales "
        "of this row's codes are kept and shown as Unknown (value 'C3')"
    )
    assert [str(w) for w in import_dataset(folder, db).warnings if w.column == "influencer_id"] == [code_map_row]
    month = tmp_path / "march"
    month.mkdir()
    (month / "tracking_data.csv").write_text(
        "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
        "T1,PromoCode,Summer Shred,C3,U8,MuscleBlaze,Whey,2025-03-02,1,500\n"
        "T2,PromoCode,Summer Shred,D4,U9,MuscleBlaze,Whey,2025-03-03,1,400\n"
        "T3,PromoCode,Summer Shred,D4,U7,MuscleBlaze,Whey,2025-03-04,1,300\n"
    )
    appended = import_dataset(month, db, append=True)
    assert [str(w) for w in appended.warnings if w.column == "influencer_id"] == [
        code_map_row,
        "tracking_data.csv, column influencer_id: unknown influencer (2 rows): kept and shown as Unknown (value 'D4')",
    ]


def test_an_append_names_the_exports_files_as_the_user_named_them(store_dir, tmp_path):
    """An upload's file made safe ("orders_export_1.csv") but named "orders export #1.csv" by the
    user: the export's warnings an append says again (kept in the data set's info) use that name."""
    folder = edited(store_dir, tmp_path, first_row_of("#1004")({"Refunded Amount": "9999.00"}))
    db = tmp_path / "wh.duckdb"
    plain = import_dataset(folder, db, file_names={"orders_export_1.csv": "orders export #1.csv"})
    month = tmp_path / "march"
    month.mkdir()
    (month / "tracking_data.csv").write_text(
        "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
        "T1,PromoCode,Summer Shred,A1,U7,MuscleBlaze,Whey,2025-03-02,1,500\n"
    )
    appended = import_dataset(month, db, append=True)
    files = [w.file for w in appended.warnings]
    # the guest checkout of #1006, WELCOME5's order and #1004's refund
    assert files == [w.file for w in plain.warnings] == ["orders export #1.csv"] * 3


def test_messages_say_one_order_and_name_a_bad_total_once(store_dir, tmp_path):
    """Tester h4 F11: singulars, and one error for one negative Total (not also "less than Taxes")."""
    folder = edited(store_dir, tmp_path, first_row_of("#1004")({"Discount Code": "BEN15, ASHA10"}))
    warnings = [str(w) for w in validate_dataset(folder).warnings]
    assert any("1 order carries codes of two or more creators" in w for w in warnings), warnings
    folder = edited(store_dir, tmp_path / "b", first_row_of("#1009")({"Total": "-708.00"}))
    assert refused(folder) == ["orders_export_1.csv, row 12, column Total: negative value (value '-708')"]


def test_a_header_repeated_mid_file_is_one_error(store_dir, tmp_path):
    """Tester h4 F18: two exports pasted together with `cat`: one error naming the header's row."""
    folder = copy_of(store_dir, tmp_path)
    export = folder / "orders_export_1.csv"
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(lines + lines), encoding="utf-8")
    assert refused(folder) == [
        "orders_export_1.csv, row 13, column Name: this row repeats the header: two exports pasted into one "
        "file? Keep them as two files (several export files are read as one) (value 'Name')"
    ]


def test_a_negative_refund_is_refused_saying_refunds_are_positive(store_dir, tmp_path):
    """Tester h4 F19: some WooCommerce plugins write refunds with their sign; the refusal says why."""
    folder = edited(store_dir, tmp_path, first_row_of("#1002")({"Refunded Amount": "-118.00"}))
    assert refused(folder) == [
        "orders_export_1.csv, row 4, column Refunded Amount: negative refund: refunds are expected as positive "
        "amounts (the amount given back); write the amount without its minus sign (value '-118')"
    ]


def test_a_sorted_export_names_the_row_holding_the_orders_fields(store_dir, tmp_path):
    """Tester h4 F6: #1001's second line item moved above its first (a sort by product): one error
    for the order, naming the row its fields are on, instead of "missing date" and "missing total"."""
    folder = copy_of(store_dir, tmp_path)
    export = folder / "orders_export_1.csv"
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    export.write_text("".join(lines), encoding="utf-8")
    assert refused(folder) == [
        "orders_export_1.csv, row 2, column Name: the order's date and total are on a later row of it (row 3), "
        "not on its first row: the file seems sorted or filtered; export it again from the store (its rows "
        "as exported)"
    ]


def test_a_woocommerce_export_with_one_row_per_order_is_refused_naming_its_layout(store_dir, tmp_path):
    """Tester h4 F2: WooCommerce's one-row-per-order layout (products packed into `line_items`) is
    recognised as a store export, not taken for tracking_data, and refused saying how to export."""
    folder = copy_of(store_dir, tmp_path)
    (folder / "orders_export_1.csv").write_text(
        "order_id,order_number,order_date,status,order_total,order_currency,billing_email,line_items,coupon_items\n"
        "101,101,2025-01-11 10:00:00,completed,3798,INR,a@x.com,"
        "name:Whey|product_id:11|quantity:1|total:2249.10;name:Shaker|quantity:2|total:899.90,code:asha10|amount:300\n",
        encoding="utf-8",
    )
    assert refused(folder) == [
        "orders_export_1.csv, row 1, column line_items: a WooCommerce export with one row per order (its "
        "products packed into line_items) is not read: export the orders again with one row per line item "
        '(Customer/Order/Coupon Export: choose "one row per item")'
    ]


def test_a_row_after_an_empty_line_is_named_by_its_own_line(store_dir, tmp_path):
    """DuckDB skips an empty line without a word: rows after it must not be counted from line 2."""
    folder = edited(store_dir, tmp_path, first_row_of("#1004")({"Total": "-800.00"}))
    export = folder / "orders_export_1.csv"
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(lines[:2] + ["\r\n"] + lines[2:]), encoding="utf-8")  # an empty line 3
    assert refused(folder) == ["orders_export_1.csv, row 7, column Total: negative value (value '-800')"]
