"""The sample's sales as a Shopify "Export orders" CSV plus a code map (`hkdash sample --as shopify`).

`write_shopify_sales` turns the generator's tracked sales (the tracking_data blocks of
warehouse.sample) into what a store would export for them, so that the store-order path of the
import (warehouse/store_orders.py) runs at the sizes the rest of the product does:

- each tracked row becomes one order of `orders` units of its product, at the catalogue price with
  the row's discount; a quarter of the orders add a second line item (another product of the
  brand), so orders span several rows with order-level fields on the first row only;
- shipping ₹49 below ₹499 of merchandise, GST 18 % on top (Total = Subtotal + Shipping + Taxes);
- the discount code is the creator's code for the row's campaign (`influencer_tracking_codes.csv`
  maps each creator × campaign code to its creator and campaign), written as a person would:
  sometimes lower case or with spaces, sometimes beside a shop-wide code (`CODE, FREESHIP`);
- some orders are voided (cancelled), refunded in full or in part, use a shop-wide code no creator
  holds, carry no code, or are guest checkouts without an e-mail.

The creators' payout totals follow what the import will attribute (orders with a creator's code,
not voided; revenue net of refunds), so payouts agree with the sales as in the tracking_data form.
Same seed, same bytes: each block of rows draws from its own random stream.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

STREAM_SHOPIFY = 17  # random streams of warehouse.sample use 1–5 (and their blocks)
EXPORT_NAME, CODE_MAP_NAME = "orders_export_1.csv", "influencer_tracking_codes.csv"
COLUMNS = (
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Cancelled at",
    "Refunded Amount",
    "Vendor",
    "Id",
)
LINE_COLUMNS = ("Name", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku", "Vendor")
FIRST_ORDER_NUMBER = 1001
SECOND_LINE_SHARE = 0.25
FREE_SHIPPING_FROM_PAISE, SHIPPING_PAISE, GST = 49_900, 4_900, 0.18
# Financial status: (name, share). Voided orders also carry `Cancelled at`.
STATUSES = (("paid", 0.95), ("voided", 0.02), ("refunded", 0.01), ("partially_refunded", 0.02))
# How the code is written: the creator's code; lower case; padded; beside a shop-wide code (after,
# before); a shop-wide code only; none.
CODE_FORMS = (
    ("code", 0.74),
    ("lower", 0.04),
    ("padded", 0.02),
    ("with_shop_code", 0.03),
    ("shop_code_first", 0.01),
    ("shop_code", 0.06),
    ("none", 0.10),
)
SHOP_CODES = ("WELCOME10", "FREESHIP", "FESTIVE15", "APP5")
GUEST_SHARE = 0.04


def code_table(creator_ids: pa.Array, campaign_names: pa.Array) -> pa.Table:
    """Every creator × campaign code (`<creator id>C<campaign number>`), its creator and campaign."""
    creators, campaigns = len(creator_ids), len(campaign_names)
    creator = np.repeat(np.arange(creators), campaigns)
    campaign = np.tile(np.arange(campaigns), creators)
    numbers = pc.utf8_lpad(pc.cast(pa.array(campaign + 1), pa.string()), 2, "0")
    ids = creator_ids.take(pa.array(creator))
    return pa.table(
        {
            "influencer_id": ids,
            "discount_code": pc.binary_join_element_wise(ids, numbers, "C"),
            "campaign_tag": campaign_names.take(pa.array(campaign)),
        }
    )


def _draw(shares, u: np.ndarray) -> np.ndarray:
    cdf = np.cumsum([share for _, share in shares])
    return np.minimum(np.searchsorted(cdf / cdf[-1], u, side="right"), len(shares) - 1)


def _pick(names: tuple[str, ...], index: np.ndarray) -> pa.Array:
    return pa.array(names).take(pa.array(index))


def write_shopify_sales(out_dir: Path, seed: int, blocks, creator_ids: pa.Array, catalogue, sales) -> dict[Path, int]:
    """Write EXPORT_NAME and CODE_MAP_NAME from tracking_data blocks; adds what the import will
    attribute into `sales` (a warehouse.sample.SalesTotals). Returns {path: rows written}."""
    out_dir = Path(out_dir)
    codes = code_table(creator_ids, catalogue.campaign_names)
    written = {_write(out_dir / CODE_MAP_NAME, codes.column_names, [codes]): codes.num_rows}
    counter = {"orders": 0, "lines": 0}

    def tables():
        for number, block in enumerate(blocks):
            table = _orders_of_block(
                block,
                np.random.default_rng([seed, STREAM_SHOPIFY, number]),
                counter["orders"],
                creator_ids,
                catalogue,
                codes,
                sales,
            )
            counter["orders"] += block.num_rows
            counter["lines"] += table.num_rows
            yield table

    path = _write(out_dir / EXPORT_NAME, COLUMNS, tables())
    written[path] = counter["lines"]
    return written


def _orders_of_block(
    block: pa.Table,
    rng: np.random.Generator,
    first_order: int,
    creator_ids: pa.Array,
    catalogue,
    codes: pa.Table,
    sales,
) -> pa.Table:
    n = block.num_rows
    text = {
        name: pc.cast(block[name].combine_chunks(), pa.string())
        for name in ("influencer_id", "campaign", "product", "brand", "user_id")
    }
    creator = pc.index_in(text["influencer_id"], value_set=creator_ids).to_numpy(zero_copy_only=False)
    campaign = pc.index_in(text["campaign"], value_set=catalogue.campaign_names).to_numpy(zero_copy_only=False)
    product = pc.index_in(text["product"], value_set=catalogue.product_names).to_numpy(zero_copy_only=False)
    quantity = block["orders"].to_numpy()
    revenue = np.rint(block["revenue"].to_numpy() * 100).astype(np.int64)  # paise
    price = (catalogue.product_price[product] * 100).astype(np.int64)
    kept = revenue / np.maximum(price * quantity, 1)  # 1 − the row's discount

    # The second line: another product of the same brand, at the same discount.
    brand = np.searchsorted(catalogue.product_first, product, side="right") - 1
    brand_size = np.diff(np.append(catalogue.product_first, len(catalogue.product_names)))[brand]
    second = (rng.random(n) < SECOND_LINE_SHARE) & (brand_size > 1)
    other = (
        catalogue.product_first[brand]
        + (product - catalogue.product_first[brand] + rng.integers(1, np.maximum(brand_size, 2))) % brand_size
    )
    other_price = (catalogue.product_price[other] * 100).astype(np.int64)
    other_paise = np.where(second, np.rint(other_price * kept), 0).astype(np.int64)

    subtotal = revenue + other_paise
    shipping = np.where(subtotal >= FREE_SHIPPING_FROM_PAISE, 0, SHIPPING_PAISE)
    taxes = np.rint(subtotal * GST).astype(np.int64)
    total = subtotal + shipping + taxes
    status = _draw(STATUSES, rng.random(n))
    refunded = np.select([status == 2, status == 3], [total, np.rint(total * rng.uniform(0.1, 0.5, n))], 0)
    form = _draw(CODE_FORMS, rng.random(n))
    guest = rng.random(n) < GUEST_SHARE
    shop_code = _pick(SHOP_CODES, rng.integers(len(SHOP_CODES), size=n))

    # What the import will attribute: a creator's code, not voided; revenue net of the refund's
    # merchandise share (docs/metrics.md).
    attributed = (form <= 4) & (status != 1)
    net = subtotal - np.rint(refunded * subtotal / np.maximum(total, 1)).astype(np.int64)
    sales.add(creator[attributed], np.ones(attributed.sum(), dtype=np.int64), net[attributed])

    code = codes["discount_code"].combine_chunks().take(pa.array(creator * len(catalogue.campaign_names) + campaign))
    forms = [
        code,
        pc.utf8_lower(code),
        pc.binary_join_element_wise(" ", code, " ", ""),
        pc.binary_join_element_wise(code, ", FREESHIP", ""),
        pc.binary_join_element_wise("WELCOME10, ", code, ""),
        shop_code,
        pa.nulls(n, pa.string()),
    ]
    discount_code = _choose(forms, form)
    number = np.arange(first_order, first_order + n) + FIRST_ORDER_NUMBER
    name = pc.binary_join_element_wise("#", pc.cast(pa.array(number), pa.string()), "")
    created = pc.binary_join_element_wise(pc.cast(block["date"].combine_chunks(), pa.string()), " 11:30:00 +0530", "")
    email = pc.if_else(
        pa.array(guest),
        pa.nulls(n, pa.string()),
        pc.binary_join_element_wise(pc.utf8_lower(text["user_id"]), "@example.com", ""),
    )
    voided = pa.array(status == 1)
    order_level = {
        "Email": email,
        "Financial Status": _pick(tuple(s for s, _ in STATUSES), status),
        "Paid at": pc.if_else(voided, pa.nulls(n, pa.string()), created),
        "Fulfillment Status": pc.if_else(voided, pa.nulls(n, pa.string()), pa.scalar("fulfilled")),
        "Currency": pa.array(np.full(n, "INR")),
        "Subtotal": pa.array(subtotal / 100),
        "Shipping": pa.array(shipping / 100),
        "Taxes": pa.array(taxes / 100),
        "Total": pa.array(total / 100),
        "Discount Code": discount_code,
        "Discount Amount": pa.array((price * quantity + np.where(second, other_price, 0) - subtotal) / 100),
        "Created at": created,
        "Cancelled at": pc.if_else(voided, created, pa.nulls(n, pa.string())),
        "Refunded Amount": pa.array(refunded / 100),
        "Id": pa.array(number + 4_000_000_000),
    }
    first_line = {
        "Name": name,
        "Lineitem quantity": pa.array(quantity),
        "Lineitem name": text["product"],
        "Lineitem price": pa.array(price / 100),
        "Lineitem sku": _sku(product),
        "Vendor": text["brand"],
    }
    picked = pa.array(np.flatnonzero(second))
    second_line = {
        "Name": name.take(picked),
        "Lineitem quantity": pa.array(np.ones(len(picked), dtype=np.int64)),
        "Lineitem name": catalogue.product_names.take(pa.array(other[second])),
        "Lineitem price": pa.array(other_price[second] / 100),
        "Lineitem sku": _sku(other[second]),
        "Vendor": text["brand"].take(picked),
    }
    # Rows in file order: each order's first line, then its second line if any.
    position = np.arange(n) + np.cumsum(second) - second
    order = np.argsort(np.concatenate([position, position[second] + 1]), kind="stable")
    columns = {}
    for column in COLUMNS:
        if column in LINE_COLUMNS:
            both = pa.concat_arrays([_plain(first_line[column]), _plain(second_line[column])])
        else:
            values = _plain(order_level[column])
            both = pa.concat_arrays([values, pa.nulls(len(picked), values.type)])
        columns[column] = both.take(pa.array(order))
    return pa.table(columns)


def _choose(forms: list[pa.Array], form: np.ndarray) -> pa.Array:
    """Element i of forms[form[i]]."""
    result = forms[-1]
    for index in range(len(forms) - 2, -1, -1):
        result = pc.if_else(pa.array(form == index), forms[index], result)
    return result


def _plain(values) -> pa.Array:
    array = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return array.cast(pa.string()) if pa.types.is_dictionary(array.type) else array


def _sku(product: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise("HK-", pc.utf8_lpad(pc.cast(pa.array(product + 1), pa.string()), 4, "0"), "")


def _write(path: Path, header, tables) -> Path:
    from warehouse.sample import csv_bytes

    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as out:
            out.write((",".join(header) + "\n").encode())
            for table in tables:
                out.write(csv_bytes(table))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path
