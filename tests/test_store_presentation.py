"""How a store export's data set is described (tester h4, session 12): the PDF cover's buyer ids
(F3) and store line (F17), /data after the import (F16), on the hand-computed Shopify fixture
(tests/fixtures/store_shopify: 9 orders, 1 cancelled and voided, 6 attributed of which 1 a
guest checkout, 1 with an unknown code, 1 without a code)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import metrics
from metrics import catalogue
from metrics import format as fmt
from metrics.dataset import buyer_ids_text
from reports.build import _dataset
from warehouse import Warehouse, import_dataset

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "store_shopify"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "wh.duckdb"
    import_dataset(FIXTURE, db)
    return db


@pytest.fixture(scope="module")
def store_info(store_db) -> dict:
    return metrics.dataset_info(Warehouse(store_db))


def test_counted_is_singular_for_one_only():
    assert fmt.counted(1, "order") == "1 order"
    assert fmt.counted(0, "order") == "0 orders"
    assert fmt.counted(1200, "influencer") == "1,200 influencers"
    assert fmt.counted(None, "post") == "— posts"
    assert fmt.counted(1, "sales row", "sales rows") == "1 sales row"


def test_import_keeps_the_orders_without_a_buyer(store_info):
    # 6 attributed orders; #1006 is a guest checkout (no e-mail)
    assert (store_info["sale_orders"], store_info["orders_without_user"]) == (6, 1)
    assert store_info["has_user_ids"] is False


def test_cover_says_buyer_ids_are_partly_present_for_a_store_export(store_info):
    facts = {row["label"]: row["value"] for row in _dataset(store_info, NOW)["facts"]}
    assert facts["Buyer ids"] == (
        "present (hashed e-mail) on 5 of 6 orders: new customers counted, estimated for the 1 order "
        "without a buyer (guest checkouts)"
    )


def test_cover_says_how_the_store_export_mapped_and_what_revenue_is(store_info):
    facts = {row["label"]: row["value"] for row in _dataset(store_info, NOW)["facts"]}
    assert facts["Store orders"] == (
        "Shopify export orders_export_1.csv with code map influencer_tracking_codes.csv: 6 of 9 orders "
        "attributed to creators by discount code; not attributed: 1 with codes no creator has; 1 without "
        "a code; 1 not sales (cancelled, voided, expired). Revenue of an order = its subtotal after discounts, "
        "without shipping and taxes, net of refunds; split over its line items by price × quantity."
    )


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ({"has_user_ids": True}, "present (user_id): new customers counted"),
        ({"has_user_ids": True, "store_orders": {"x": 1}}, "present (hashed e-mail): new customers counted"),
        (
            {"has_user_ids": False, "sale_orders": 10, "orders_without_user": 4},
            "present (user_id) on 6 of 10 orders: new customers counted, estimated for the 4 orders without "
            "a buyer (no user_id)",
        ),
        ({"has_user_ids": False, "sale_orders": 10, "orders_without_user": 10}, "absent: new customers estimated"),
        ({"has_user_ids": False, "sale_orders": 0, "orders_without_user": 0}, "absent: new customers estimated"),
        ({"has_user_ids": False}, "absent: new customers estimated"),
        # a store data set imported before sale_orders was kept: its attributed and guest orders
        (
            {"has_user_ids": False, "store_orders": {"attributed_orders": 3, "guest_orders": 1}},
            "present (hashed e-mail) on 2 of 3 orders: new customers counted, estimated for the 1 order "
            "without a buyer (guest checkouts)",
        ),
    ],
)
def test_buyer_ids_text(info, expected):
    assert buyer_ids_text(info) == expected


def test_store_text_names_utm_attribution_and_old_reports():
    store = {
        "store": "WooCommerce",
        "exports": ["a.csv", "b.csv"],
        "code_map": "codes.csv",
        "orders_read": 1,
        "attributed_orders": 1,
        "unattributed_orders": 0,
        "no_code_orders": 0,
        "not_sales": 0,
        "utm_orders": 1,
    }
    assert catalogue.store_orders_text(store).startswith(
        "WooCommerce export a.csv, b.csv with code map codes.csv: 1 of 1 order attributed to creators by "
        "discount code or UTM source (1); not attributed: 0 with codes no creator has; 0 without a code; "
        "0 not sales (cancelled or voided). "
    )


def test_data_page_keeps_the_mapping_table_after_the_import(store_info):
    from dash_helpers import find, text

    from callbacks import data as cb

    children = cb.info_children(store_info, NOW)
    table = text(find(children, "data-info-store-orders"))
    # the same rows as the check step (test_store_orders: the page shows the mapping before import)
    assert "Orders read 9 (11 line items)" in table
    assert "Attributed to a creator 6 · ₹3,250.00" in table
    assert "Unattributed: code no creator has 1 · ₹300.00" in table
    assert "Without a code 1 · ₹100.00" in table
    assert "Not sales (cancelled, voided, expired) 1" in table
    assert "Guest checkouts among the attributed 1" in table
    assert "WELCOME5 (1)" in text(children)


@pytest.fixture
def store_env(monkeypatch, store_db):
    monkeypatch.setenv("HKDASH_DB", str(store_db))


def test_orders_card_under_a_product_filter_says_where_orders_count(store_env):
    from dash_helpers import find, text

    from callbacks import overview as cb

    # #1001 (900 of merchandise: Whey 600, Fish Oil 2 × 200) counts its order on the Whey line: the
    # Fish Oil has 900 × 400 / 1,000 = ₹360 of revenue and 0 orders
    cards, _, _, _ = cb.overview_kpis("?product=HKVitals+Fish+Oil", "/")
    assert "₹360" in text(find(cards, "kpi-revenue"))
    orders = text(find(cards, "kpi-orders"))
    assert "0" in orders and "each order counts once, on its main product (largest line)" in orders
    # one creator, singular; all 3 posts of the fixture counted: posts name no product (F8)
    assert "1 influencer · 3 posts (posts carry no product)" in text(find(cards, "kpi-spend"))
    plain, _, _, _ = cb.overview_kpis("", "/")
    assert "main product" not in text(find(plain, "kpi-orders"))
    assert "2 influencers · 3 posts" in text(find(plain, "kpi-spend"))
    assert "carry no product" not in text(find(plain, "kpi-spend"))


def test_export_and_code_map_alone_still_show_the_mapping(tmp_path, capsys):
    """F20: a folder of only the export and its code map fails for want of influencers and payouts,
    and still shows how its orders matched the codes (command line and /data)."""
    from dash_helpers import find, text

    import cli
    from callbacks import data as cb
    from warehouse import ImportFailed, uploads, validate_dataset

    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("orders_export_1.csv", "influencer_tracking_codes.csv"):
        (folder / name).write_bytes((FIXTURE / name).read_bytes())
    assert cli.main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "9 orders read (11 line items); 1 not sales (cancelled, voided, expired)" in out
    assert "attributed: 6 orders, ₹3,250.00 revenue" in out
    assert "unattributed: 1 order with codes no creator has (₹300.00): WELCOME5 (1)" in out
    assert "no influencers file" in err and "no payouts file" in err
    with pytest.raises(ImportFailed) as failed:
        validate_dataset(folder)
    assert failed.value.store_orders["attributed_orders"] == 6
    # /data checks an upload through validate_upload, which rewrites the failure without the folder
    report, failure = uploads.validate_upload(folder)
    assert report is None and failure is not None and failure.store_orders == failed.value.store_orders
    upload = uploads.Upload("0" * 32, folder, ["orders_export_1.csv", "influencer_tracking_codes.csv"], [])
    children = cb.report_children(upload, None, failure)
    errors = text(find(children, "data-errors"))
    assert "the upload — — — no influencers file" in errors and str(folder) not in errors  # no server path
    assert "Attributed to a creator 6 · ₹3,250.00" in text(find(children, "data-store-orders"))


def test_a_failing_export_shows_no_mapping(tmp_path):
    """The mapping is shown only when the export itself read without error."""
    from warehouse import ImportFailed, validate_dataset

    folder = tmp_path / "bad"
    folder.mkdir()
    export = (FIXTURE / "orders_export_1.csv").read_text(encoding="utf-8").replace(",1112.00,", ",abc,", 1)
    (folder / "orders_export_1.csv").write_text(export, encoding="utf-8")
    (folder / "influencer_tracking_codes.csv").write_bytes((FIXTURE / "influencer_tracking_codes.csv").read_bytes())
    with pytest.raises(ImportFailed) as failed:
        validate_dataset(folder)
    assert any(problem.column == "Total" for problem in failed.value.errors)
    assert failed.value.store_orders is None


def test_data_page_says_buyer_ids_are_partly_present(store_info):
    from dash_helpers import text

    from callbacks import data as cb

    shown = text(cb.info_children(store_info, NOW))
    assert "New customers partly estimated" in shown
    assert (
        "Buyer ids: present (hashed e-mail) on 5 of 6 orders: new customers counted, estimated for the 1 order "
        "without a buyer (guest checkouts)." in shown
    )


def test_pdf_orders_note_under_a_product_filter():
    from reports.build import _kpis

    k = {"orders": 0, "aov": None, "revenue": 360.0}
    notes = {box["label"]: box["note"] for box in _kpis(k, metrics.DEFAULT_SETTINGS, by_product=True)}
    assert notes["Orders"] == "AOV —; each order counts once, on its main product (largest line)"
    notes = {box["label"]: box["note"] for box in _kpis(k, metrics.DEFAULT_SETTINGS)}
    assert notes["Orders"] == "AOV —"


def test_summary_and_pdf_headline_say_where_orders_count_under_a_product_filter(store_db, capsys):
    """Tester t1 (s20, D9): under a product filter the Orders card and the PDF's Key figures said
    "each order counts once, on its main product", but `hkdash summary` (text and --json) and the PDF's
    executive-summary Orders box showed a bare 0. The Fish Oil of #1001 has ₹360 and 0 orders (above)."""
    import json

    import cli
    from metrics.comparison import kpi_comparison
    from reports.executive import headline

    fish = ["--db", str(store_db), "summary", "--product", "HKVitals Fish Oil"]
    assert cli.main([*fish, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["revenue"], document["orders"]) == (360.0, 0)
    assert document["notes"]["orders"] == catalogue.ORDERS_BY_PRODUCT_NOTE
    assert cli.main(fish) == 0
    orders = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Orders "))
    assert orders.split(None, 1)[1].strip() == f"0 · {catalogue.ORDERS_BY_PRODUCT_NOTE}"
    assert cli.main(["--db", str(store_db), "summary", "--json"]) == 0
    assert "orders" not in json.loads(capsys.readouterr().out)["notes"]

    wh, fish_oil = Warehouse(store_db), metrics.Filters(product=("HKVitals Fish Oil",))
    k = metrics.kpis(wh, fish_oil)
    compared = kpi_comparison(wh, fish_oil, k, metrics.DEFAULT_SETTINGS)
    boxes = {box["label"]: box for box in headline(k, compared, by_product=True)["kpis"]}
    assert (boxes["Orders"]["value"], boxes["Orders"]["note"]) == ("0", catalogue.ORDERS_BY_PRODUCT_NOTE)
    assert {box["label"]: box for box in headline(k, compared)["kpis"]}["Orders"]["note"] is None
