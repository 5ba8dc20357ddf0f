"""A payout row a page shows carries the file and row its import warnings name (tester t1, s18):
after an append the payouts table was built from a merged file whose rows count from 1, so
/payouts showed HK0002 as "Row 2" where `datasets --warnings` said "payouts.csv, row 3"."""

from __future__ import annotations

import metrics
from callbacks.creator import contract_block
from callbacks.payouts import reconciliation_grid_rows
from warehouse import Warehouse, import_dataset

TRACKING_HEADER = "tracking_id,source,campaign,influencer_id,user_id,brand,product,date,orders,revenue\n"
PAYOUTS_HEADER = "influencer_id,basis,rate,orders,total_payout,gifted_products_cost\n"


def rows_of(db) -> list[tuple[str, str, int]]:
    frame = metrics.payout_reconciliation(Warehouse(db))
    return list(zip(frame["influencer_id"], frame["row_file"], frame["row_no"]))


# tests/fixtures/traps/payouts.csv: its six rows on lines 2-7 (the header is line 1).
TRAPS_ROWS = [("A1", 2), ("A1", 3), ("B2", 4), ("C3", 5), ("D4", 6), ("E5", 7)]


def test_an_import_shows_each_payout_row_on_its_files_line(tmp_path, traps_dir):
    db = tmp_path / "warehouse.duckdb"
    import_dataset(traps_dir, db)
    assert rows_of(db) == [(who, "payouts.csv", line) for who, line in TRAPS_ROWS]


def test_an_append_shows_each_payout_row_where_its_warnings_say_it_is(tmp_path, traps_dir):
    """The traps then a March folder with a sale and two payout rows (lines 2 and 3 of its own
    payouts.csv): each row keeps its own file's line, the two files named by their folders as the
    append's warnings name them; an append of sales alone leaves the payout rows on their lines."""
    db = tmp_path / "warehouse.duckdb"
    import_dataset(traps_dir, db)
    march = tmp_path / "march"
    march.mkdir()
    (march / "tracking_data.csv").write_text(
        TRACKING_HEADER + "T20,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-03-02,2,5000\n", encoding="utf-8"
    )
    (march / "payouts.csv").write_text(
        PAYOUTS_HEADER + 'B2,post,"₹1,000/post",0,1000,0\nC3,post,"₹2,000/post",0,2000,0\n', encoding="utf-8"
    )
    import_dataset(march, db, append=True)
    expected = [(who, "traps/payouts.csv", line) for who, line in TRAPS_ROWS]
    expected += [("B2", "march/payouts.csv", 2), ("C3", "march/payouts.csv", 3)]
    assert rows_of(db) == expected
    # Two files each have a row 2: the grid's row ids stay distinct.
    keys = [row["row_key"] for row in reconciliation_grid_rows(metrics.payout_reconciliation(Warehouse(db)))]
    assert len(set(keys)) == len(keys) == 8
    # The creator's page names the row the same way.
    payouts = metrics.influencer_detail(Warehouse(db), "C3")["payouts"]
    titles = [block.children[0].children for block in contract_block(payouts)[1:]]
    assert titles == ["Payout: traps/payouts.csv, row 5", "Payout: march/payouts.csv, row 3"]

    april = tmp_path / "april"
    april.mkdir()
    (april / "tracking_data.csv").write_text(
        TRACKING_HEADER + "T30,PromoCode,MB Jan,A1,U9,MuscleBlaze,Whey,2025-04-02,1,500\n", encoding="utf-8"
    )
    import_dataset(april, db, append=True)
    assert rows_of(db) == expected
