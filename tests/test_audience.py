"""Audience files: import, checks (file, row, column, value), and the segment figures by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import Filters
from metrics.audience import OTHER_PLACES, audience_files, audience_segments, creator_audience, region_comparison
from warehouse import Warehouse, import_dataset, validate_dataset
from warehouse.errors import ImportFailed

TRAPS = Path(__file__).resolve().parent / "fixtures" / "traps"

# A1: ages 40 / 60 %, genders 70 % female / 30 % male; B2 sums to 90 % (warned), 18-24 and 25-34 equal.
DEMOGRAPHICS = """influencer_id,platform,age_group,gender,views_percentage
A1,Instagram,18-24,Female,30
A1,Instagram,18-24,Male,10
A1,Instagram,25-34,Female,40
A1,Instagram,25-34,Male,20
B2,YouTube,18-24,Male,45
B2,YouTube,25-34,Male,45
"""
# Fractions (no value above 1): A1 lists 80 % (the rest is other places); C3 sums to 120 % (warned).
GEOGRAPHY = """influencer_id,city,views_percentage
A1,Mumbai,0.5
A1,Delhi,0.3
C3,Delhi,0.6
C3,Pune,0.6
"""


def folder_with(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(TRAPS, folder)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def audience_wh(tmp_path_factory) -> Warehouse:
    folder = folder_with(
        tmp_path_factory.mktemp("audience"),
        {"audience_demographics.csv": DEMOGRAPHICS, "geographic_distribution.csv": GEOGRAPHY},
    )
    db = folder.parent / "warehouse.duckdb"
    import_dataset(folder, db)
    return Warehouse(db)


def test_import_reads_both_files_as_fractions(audience_wh):
    assert audience_files(audience_wh) == {"demographics": True, "geography": True}
    rows = audience_wh.query("SELECT influencer_id, age_band, gender, share FROM audience_demographics")
    assert rows["share"].round(4).tolist() == [0.3, 0.1, 0.4, 0.2, 0.45, 0.45]
    places = audience_wh.query("SELECT region, region_kind, share FROM audience_geography")
    assert places["share"].tolist() == [0.5, 0.3, 0.6, 0.6] and set(places["region_kind"]) == {"city"}


def test_creator_audience_by_hand(audience_wh):
    a1 = creator_audience(audience_wh, "A1")
    assert dict(zip(a1["age_band"]["value"], a1["age_band"]["weight"].round(6))) == {"25-34": 0.6, "18-24": 0.4}
    assert dict(zip(a1["gender"]["value"], a1["gender"]["weight"].round(6))) == {"Female": 0.7, "Male": 0.3}
    # Places as given, the unlisted rest last.
    assert a1["region"]["value"].tolist() == ["Mumbai", "Delhi", OTHER_PLACES]
    assert a1["region"]["weight"].round(6).tolist() == [0.5, 0.3, 0.2]
    # B2's rows add up to 90 %: weighted as a share of their sum.
    b2 = creator_audience(audience_wh, "B2")
    assert b2["age_band"]["weight"].round(6).tolist() == [0.5, 0.5]
    # C3's places add up to 120 %: divided by the sum, nothing left over.
    c3 = creator_audience(audience_wh, "C3")
    assert c3["region"]["weight"].round(6).tolist() == [0.5, 0.5]
    assert creator_audience(audience_wh, "D4")["age_band"].empty


def test_weighted_segments_by_hand(audience_wh):
    # A1: revenue 7,000, spend 3,200; B2: revenue 3,000, spend 300 (the traps data set).
    table = audience_segments(audience_wh, "age_band", Filters(), rule="weighted").set_index("segment")
    assert table.loc["18-24", "revenue"] == pytest.approx(7000 * 0.4 + 3000 * 0.5)  # 4,300
    assert table.loc["18-24", "spend"] == pytest.approx(3200 * 0.4 + 300 * 0.5)  # 1,430
    assert table.loc["18-24", "roas"] == pytest.approx(4300 / 1430)
    assert table.loc["25-34", "revenue"] == pytest.approx(7000 * 0.6 + 1500)  # 5,700
    assert table.loc["25-34", "roas"] == pytest.approx(5700 / 2070)
    assert table.loc["25-34", "revenue_share"] == pytest.approx(5700 / 10000)
    assert table["creators"].tolist() == [2, 2]
    # C3, D4, Z9 and E5 have no audience rows: left out, and said so.
    assert table.attrs["uncovered"] == {"creators": 4, "revenue": 10000.0, "spend": 8350.0}
    gender = audience_segments(audience_wh, "gender", Filters()).set_index("segment")
    assert gender.loc["Female", "revenue"] == pytest.approx(4900)
    assert gender.loc["Male", "spend"] == pytest.approx(3200 * 0.3 + 300)


def test_dominant_segments_by_hand(audience_wh):
    table = audience_segments(audience_wh, "age_band", Filters(), rule="dominant").set_index("segment")
    # A1's largest band is 25-34; B2's two bands tie: the first in text order, 18-24.
    assert table.loc["25-34", ["revenue", "spend"]].tolist() == [7000, 3200]
    assert table.loc["18-24", "roas"] == pytest.approx(10.0)
    assert table["creators"].tolist() == [1, 1]


def test_places_weighted_by_revenue(audience_wh):
    table = region_comparison(audience_wh, Filters()).set_index("region")
    # A1 (7,000) and C3 (7,000): Delhi 0.3 and 0.5 of them; A1's unlisted 20 % is "other places".
    # Cities count in their state: A1's Mumbai (0.5) and C3's Pune (0.5) are Maharashtra.
    assert table.loc["Delhi", "audience_share"] == pytest.approx((2100 + 3500) / 14000)
    assert table.loc["Maharashtra", "audience_share"] == pytest.approx((3500 + 3500) / 14000)
    assert table.loc[OTHER_PLACES, "audience_share"] == pytest.approx(1400 / 14000)
    assert table.index[-1] == OTHER_PLACES
    assert table["sales_share"].isna().all()


def test_filters_apply_to_segments(audience_wh):
    table = audience_segments(audience_wh, "gender", Filters(platform=("YouTube",))).set_index("segment")
    assert table.index.tolist() == ["Male"] and table.loc["Male", "revenue"] == pytest.approx(3000)
    assert table.attrs["uncovered"]["creators"] == 0


def test_bad_rule_or_dimension(audience_wh):
    with pytest.raises(ValueError, match="rule"):
        audience_segments(audience_wh, "gender", Filters(), rule="mean")
    with pytest.raises(ValueError, match="dimension"):
        audience_segments(audience_wh, "city", Filters())


def test_sums_are_warned_with_file_row_column_value(tmp_path):
    folder = folder_with(
        tmp_path, {"audience_demographics.csv": DEMOGRAPHICS, "geographic_distribution.csv": GEOGRAPHY}
    )
    report = validate_dataset(folder)
    warned = {(w.file, w.row, w.column, w.value) for w in report.warnings}
    assert ("audience_demographics.csv", 6, "share", "90.00%") in warned
    assert ("geographic_distribution.csv", 4, "share", "1.20") in warned
    texts = " ".join(str(w) for w in report.warnings)
    assert "B2's age × gender cells add up to 90.0 %" in texts and "C3's places add up to 120.0 %" in texts
    assert "A1" not in " ".join(str(w) for w in report.warnings if w.file == "geographic_distribution.csv")


def test_bad_values_are_errors_naming_file_row_column_value(tmp_path):
    bad = """influencer_id,age_group,gender,views_percentage
A1,18-24,Female,abc
A1,25-34,Female,-5
A1,35-44,Female,120%
A1,,,10
A1,18-24,Female,12.5%
A1,18-24,Female,12.5%
"""
    with pytest.raises(ImportFailed) as failed:
        validate_dataset(folder_with(tmp_path, {"audience_demographics.csv": bad}))
    found = {(e.file, e.row, e.column, e.value, e.reason.split(" (")[0]) for e in failed.value.errors}
    assert ("audience_demographics.csv", 2, "share", "abc", "not a number") in found
    assert ("audience_demographics.csv", 3, "share", "-5", "negative share") in found
    assert ("audience_demographics.csv", 4, "share", "120%", "share above 100 %") in found
    assert ("audience_demographics.csv", 5, "age_band", None, "row names neither an age band nor a gender") in found
    repeated = sorted((e.row, e.reason) for e in failed.value.errors if "second row" in e.reason)
    assert [row for row, _ in repeated] == [6, 7] and all("(first on row 2)" in reason for _, reason in repeated)


def test_platform_export_layouts(tmp_path):
    """YouTube Analytics API names (ageGroup "age18-24", gender, viewerPercentage) and Instagram's
    gender_age keys ("F.18-24"), each with the influencer_id column a team adds."""
    youtube = "influencer_id,ageGroup,gender,viewerPercentage\nB2,age18-24,female,60\nB2,age65-,male,40\n"
    folder = folder_with(tmp_path, {"youtube_audience.csv": youtube})
    db = tmp_path / "w.duckdb"
    report = import_dataset(folder, db)
    assert report.files["audience_demographics"] == "youtube_audience.csv"  # recognised by its columns
    rows = Warehouse(db).query("SELECT age_band, gender, share FROM audience_demographics")
    assert rows.values.tolist() == [["18-24", "Female", 0.6], ["65+", "Male", 0.4]]
    instagram = "influencer_id,audience_gender_age,percentage\nA1,F.18-24,0.25\nA1,M.25-34,0.75\n"
    folder2 = folder_with(tmp_path / "ig", {"audience.csv": instagram})
    db2 = tmp_path / "w2.duckdb"
    import_dataset(folder2, db2)
    rows = Warehouse(db2).query("SELECT age_band, gender, share FROM audience_demographics")
    assert rows.values.tolist() == [["18-24", "Female", 0.25], ["25-34", "Male", 0.75]]


def test_no_audience_files(traps_wh):
    assert audience_files(traps_wh) == {"demographics": False, "geography": False}
    assert audience_segments(traps_wh, "age_band", Filters()).empty


def test_seed1_audience_files(seed1_wh):
    assert audience_files(seed1_wh) == {"demographics": True, "geography": True}
    ages = creator_audience(seed1_wh, "HK001")["age_band"]
    assert ages["weight"].sum() == pytest.approx(1.0)
    assert ages["value"].iloc[0] == "18-24"  # 29.18 % + 15.82 % of 99.65 %
    assert ages["weight"].iloc[0] == pytest.approx((29.18 + 15.82) / 99.65)


def test_the_note_of_an_empty_selection_does_not_claim_coverage():
    """A selection without creators (dates with no sales) says so, not "every creator has rows"."""
    from components.audience_notes import NOTHING_SELECTED, uncovered_note

    assert uncovered_note({}, empty=True) == NOTHING_SELECTED
    assert uncovered_note({}).startswith("Every creator")
    assert uncovered_note({"uncovered": {"creators": 2, "revenue": 10.0, "spend": 5.0}}, empty=True).startswith(
        "Left out: 2"
    )


def test_appending_a_newer_audience_file_replaces_those_creators_rows(tmp_path):
    """An audience file appended again (or a newer export) is not refused: each creator it names has
    its older rows of that kind replaced, the others are kept, and the import report says so."""
    from warehouse.importer import validate_append

    folder = folder_with(tmp_path, {"geographic_distribution.csv": GEOGRAPHY})
    db = tmp_path / "warehouse.duckdb"
    import_dataset(folder, db)
    newer = tmp_path / "newer"
    newer.mkdir()
    # A1's newer export (Pune instead of Mumbai and Delhi), and B2's first one; C3 is not in it.
    (newer / "geographic_distribution.csv").write_text(
        "influencer_id,city,views_percentage\nA1,Pune,0.7\nB2,Chennai,0.4\n", encoding="utf-8"
    )
    checked = validate_append(newer, db)
    report = import_dataset(newer, db, append=True)
    assert [str(w) for w in checked.warnings] == [str(w) for w in report.warnings]  # the check says it first
    stated = report.warnings[0]
    # named by its folder, as the warnings about its rows: the live data set's file has its name too
    assert (stated.file, stated.column) == ("newer/geographic_distribution.csv", "influencer_id")
    assert "replaces the earlier audience rows of 1 creator (2 rows of the live data set): A1;" in stated.reason
    wh = Warehouse(db)
    rows = wh.query("SELECT influencer_id, region, share FROM audience_geography ORDER BY influencer_id, region")
    assert list(rows.itertuples(index=False, name=None)) == [
        ("A1", "Pune", 0.7),
        ("B2", "Chennai", 0.4),
        ("C3", "Delhi", 0.6),
        ("C3", "Pune", 0.6),
    ]
    # The same file appended twice: replaced again, never refused, never counted twice.
    import_dataset(newer, db, append=True)
    assert Warehouse(db).scalar("SELECT count(*) FROM audience_geography") == 4


def test_a_creator_with_audience_rows_but_nothing_in_the_selection_is_counted(tmp_path):
    """F6 is in influencers.csv and the demographics file but has no post, spend or sale: in no
    segment, and the note says so, so that covered + left out + idle add up to the creators."""
    influencers = (TRAPS / "influencers.csv").read_text(
        encoding="utf-8"
    ) + "F6,Idle One,Instagram,Fitness,Female,1000\n"
    demographics = DEMOGRAPHICS + "F6,Instagram,18-24,Female,100\n"
    folder = folder_with(tmp_path, {"influencers.csv": influencers, "audience_demographics.csv": demographics})
    import_dataset(folder, tmp_path / "wh.duckdb")
    table = audience_segments(Warehouse(tmp_path / "wh.duckdb"), "age_band", Filters())
    assert table.set_index("segment")["creators"].to_dict() == {"18-24": 2, "25-34": 2}  # A1, B2
    assert table.attrs["idle_creators"] == 1
    from components.audience_notes import uncovered_note

    left = table.attrs["uncovered"]["creators"]
    assert uncovered_note(table.attrs).endswith("1 creator with audience rows has no spend or sales in the selection.")
    assert uncovered_note(table.attrs).startswith(f"Left out: {left} creators without audience rows")


def test_weighted_orders_are_estimated_shares_and_the_table_says_so(audience_wh, monkeypatch):
    """Tester t1: /audience showed "3,468.14" orders. The weighted rule spreads each creator's orders
    by its weights (A1: 4 orders, B2: 1): 18-24 gets 4 × 0.4 + 1 × 0.5 = 2.1 orders, 25-34 gets
    4 × 0.6 + 1 × 0.5 = 2.9, shares not whole orders, so the table says they are estimated; the
    dominant rule counts whole orders (25-34: A1's 4, 18-24: B2's 1) and says that instead."""
    from callbacks import audience
    from components.audience_notes import ESTIMATED_ORDERS, WHOLE_ORDERS

    monkeypatch.setenv("HKDASH_DB", str(audience_wh.path))
    weighted = audience.audience_page("?dimension=age_band&rule=weighted")
    orders = {row["segment"]: row["orders"] for row in weighted[4]}
    assert orders == {"18-24": pytest.approx(2.1), "25-34": pytest.approx(2.9)}
    assert weighted[5] == ESTIMATED_ORDERS
    dominant = audience.audience_page("?dimension=age_band&rule=dominant")
    assert {row["segment"]: row["orders"] for row in dominant[4]} == {"25-34": 4, "18-24": 1}
    assert dominant[5] == WHOLE_ORDERS


def test_a_places_only_data_set_says_its_age_view_lacks_age_band_rows(tmp_path, monkeypatch):
    """Tester t1 (s20, D8): with only a places file, the default Age band view said "Left out: 3
    creators without audience rows" beside a places chart saying "Every creator of the selection has
    audience rows". Each view names the rows it reads. Traps creators: A1 (₹7,000 revenue, ₹3,200
    spend) and C3 (₹7,000, ₹5,350) list places; B2 (₹3,000, ₹300), D4, Z9 and E5 (together ₹3,000,
    ₹3,000) do not: the age view leaves all 6 out (₹20,000, ₹11,850), the places 4 (₹6,000, ₹3,300)."""
    from callbacks import audience

    folder = folder_with(tmp_path, {"geographic_distribution.csv": GEOGRAPHY})
    import_dataset(folder, tmp_path / "wh.duckdb")
    monkeypatch.setenv("HKDASH_DB", str(tmp_path / "wh.duckdb"))
    ages = audience.audience_page("")  # the default view: age band
    assert ages[2]["layout"]["annotations"][0]["text"] == (
        "No creator with age-band rows has sales or spend in the selection"
    )
    assert ages[3] == (
        "This data set has no audience demographics file, so no creator has age-band rows: see the Place view. "
        "Left out: 6 creators without age-band rows (₹20,000 revenue, ₹11,850 spend)."
    )
    places_left = "Left out: 4 creators without place rows (₹6,000 revenue, ₹3,300 spend)."
    assert ages[8].startswith(places_left)
    genders = audience.audience_page("?dimension=gender")
    assert "Left out: 6 creators without gender rows" in genders[3]
    places = audience.audience_page("?dimension=region")
    assert places[3] == places_left and "audience rows" not in places[3] + places[8]
