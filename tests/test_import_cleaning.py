"""Sales text is cleaned before it is grouped on: spellings, spaces and blanks of one value meet in one cell."""

import shutil

import pandas as pd
import pytest

import metrics
from metrics import Filters
from warehouse import Warehouse, import_dataset

# Sales of the traps data set, written the way exports get them wrong (same meaning).
SLOPPY = {
    "T2,Instagram,MB Jan,A1,U2,MuscleBlaze,Whey": "T2, Instagram ,MB Jan , A1 ,U2, muscleblaze ,Whey ",
    "T4,PromoCode,MB Jan,B2,U3,MuscleBlaze,Whey": "T4,PromoCode,  MB Jan,B2,U3,MUSCLE BLAZE,Whey",
    "T5,PromoCode,HK Feb,C3,U2,HKVitals,Multi": "T5,PromoCode,HK Feb,C3 ,U2,hkvitals, Multi",
}


def import_edited(tmp_path, traps_dir, edits: dict[str, str]) -> Warehouse:
    folder = tmp_path / "edited"
    shutil.copytree(traps_dir, folder)
    tracking = folder / "tracking_data.csv"
    text = tracking.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    tracking.write_text(text, encoding="utf-8")
    return Warehouse(import_dataset(folder, tmp_path / "edited.duckdb").db_path)


def test_sloppy_spellings_give_the_clean_numbers(tmp_path, traps_dir, traps_wh):
    sloppy = import_edited(tmp_path, traps_dir, SLOPPY)
    assert metrics.kpis(sloppy) == pytest.approx(metrics.kpis(traps_wh))
    for dimension in ("brand", "campaign", "product", "source"):
        pd.testing.assert_frame_equal(metrics.breakdown(sloppy, dimension), metrics.breakdown(traps_wh, dimension))
    brand_filter = Filters(brand=["MuscleBlaze"], campaign=["MB Jan"])
    assert metrics.kpis(sloppy, brand_filter) == pytest.approx(metrics.kpis(traps_wh, brand_filter))
    pd.testing.assert_frame_equal(metrics.ranking(sloppy), metrics.ranking(traps_wh))


@pytest.mark.parametrize(
    "sloppy",
    [
        {"T4,PromoCode,MB Jan,B2,U3,MuscleBlaze,Whey": "T4,PromoCode,MB Jan,B2,U3,MUSCLE BLAZE,Whey"},
        {"T4,PromoCode,MB Jan,B2,U3,MuscleBlaze,Whey": "T4,PromoCode, MB Jan,B2,U3,MuscleBlaze,Whey"},
        {"T4,PromoCode,MB Jan,B2,U3,MuscleBlaze,Whey": "T4,PromoCode,MB Jan, B2,U3,MuscleBlaze,Whey"},
        {"T5,PromoCode,HK Feb,C3,U2,HKVitals,Multi": "T5,PromoCode,HK Feb,C3,U2,HKVitals,Multi "},
        {"T5,PromoCode,HK Feb,C3,U2,HKVitals,Multi": "T5,PromoCode ,HK Feb,C3,U2,HKVitals,Multi"},
    ],
    ids=["brand", "campaign", "influencer", "product", "source"],
)
def test_one_sloppy_column_among_clean_ones(tmp_path, traps_dir, traps_wh, sloppy):
    """A column with values to fix is cleaned row by row while the clean ones are cast as they are."""
    wh = import_edited(tmp_path, traps_dir, sloppy)
    for dimension in ("brand", "campaign", "product", "source", "platform"):
        pd.testing.assert_frame_equal(metrics.breakdown(wh, dimension), metrics.breakdown(traps_wh, dimension))
    for filters in (Filters(), Filters(brand=["MuscleBlaze"]), Filters(campaign=["HK Feb"], product=["Multi"])):
        pd.testing.assert_frame_equal(
            metrics.payouts_by_basis(wh, filters), metrics.payouts_by_basis(traps_wh, filters)
        )
    pd.testing.assert_frame_equal(metrics.ranking(wh), metrics.ranking(traps_wh))


def test_blank_sale_text_is_unattributed(tmp_path, traps_dir, traps_wh):
    blank = import_edited(
        tmp_path, traps_dir, {"T6,SwipeUp,MB Jan,C3,U4,MuscleBlaze,Creatine": "T6,,MB Jan,C3,U4,MuscleBlaze,  "}
    )
    by_product = metrics.breakdown(blank, "product").set_index("product")
    assert by_product.loc["Unattributed", "revenue"] == pytest.approx(1000)
    assert "Creatine" not in by_product.index
    by_source = metrics.breakdown(blank, "source").set_index("source")
    assert by_source.loc["Unattributed", "revenue"] == pytest.approx(1000)
    assert metrics.kpis(blank) == pytest.approx(metrics.kpis(traps_wh))


def test_unattributed_written_and_blank_make_one_cell(tmp_path, traps_dir):
    """A product written `Unattributed` and a blank product (filled with `Unattributed`) of one
    influencer, day, brand, campaign and source are one cell: T1 (2 orders, ₹4,000, U1's first order)
    and T2 (1 order, ₹2,000, U2's first order), both A1 on 6 Jan, PromoCode, MuscleBlaze, MB Jan."""
    wh = import_edited(
        tmp_path,
        traps_dir,
        {
            "T1,PromoCode,MB Jan,A1,U1,MuscleBlaze,Whey,": "T1,PromoCode,MB Jan,A1,U1,MuscleBlaze,,",
            "T2,Instagram,MB Jan,A1,U2,MuscleBlaze,Whey,2025-01-07": "T2,PromoCode,MB Jan,A1,U2,MuscleBlaze, Unattributed ,2025-01-06",
        },
    )
    cells = wh.query("""SELECT orders, revenue, new_customers FROM facts
                        WHERE product = 'Unattributed' AND date = DATE '2025-01-06'""")
    assert cells.values.tolist() == [[3, 6000.0, 2]]
