"""Files are read as a spreadsheet user expects (encodings, delimiters, blank, short and long rows)
and recognised by what they hold; the real-world cases of tests/data/cases give what their README says."""

import shutil
import tempfile
from pathlib import Path

import pytest

import cli
import metrics
from warehouse import ImportFailed, Warehouse, import_dataset, sources, validate_dataset

CASES = Path(__file__).resolve().parent / "data" / "cases"
BASE_TOTALS = {"revenue": 11093.0, "orders": 7, "spend": 8500.0}  # cases/README.md

# The base set of the cases (2 influencers, 2 posts, 4 sales rows), written here so that each
# variant below changes one thing only.
BASE = {
    "influencers.csv": [
        "influencer_id,name,platform,category,gender,follower_count",
        "INF01,Asha Verma,Instagram,Fitness,Female,120000",
        "INF02,Renée Fernandes,YouTube,Nutrition,Female,850000",
    ],
    "payouts.csv": ["influencer_id,basis,rate,total_payout", "INF01,post,2500,2500", "INF02,post,6000,6000"],
    "posts.csv": [
        "post_id,influencer_id,platform,date,caption,reach,likes,comments,shares",
        "P1,INF01,Instagram,2025-01-10,Morning whey shake,50000,4000,300,100",
        'P2,INF02,YouTube,2025-01-15,"Fish oil, vitamin D and more",200000,9000,800,200',
    ],
    "tracking_data.csv": [
        "tracking_id,influencer_id,date,campaign,brand,product,source,user_id,orders,revenue",
        "T1,INF01,2025-01-11,NewYear,MuscleBlaze,Whey,PromoCode,U1,2,4998.00",
        "T2,INF01,2025-01-20,NewYear,MuscleBlaze,Whey,PromoCode,U2,1,2499.00",
        "T3,INF02,2025-01-16,NewYear,HKVitals,Multivitamin,BioLink,U3,3,2697.00",
        "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00",
    ],
}


def write_base(
    folder: Path,
    lines: dict[str, list[str]] | None = None,
    encoding="utf-8",
    newline="\n",
    delimiter=",",
    names: dict[str, str] | None = None,
) -> Path:
    """The base set in `folder`, optionally with other lines, encoding, line ends, delimiter or names."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in {**BASE, **(lines or {})}.items():
        text = newline.join(rows) + newline
        if delimiter != ",":
            text = text.replace(",", delimiter).replace('"Fish oil' + delimiter + " vitamin", '"Fish oil, vitamin')
        (folder / (names or {}).get(name, name)).write_bytes(text.encode(encoding))
    return folder


def totals(db: Path) -> dict:
    k = metrics.kpis(Warehouse(db))
    return {key: k[key] for key in BASE_TOTALS}


def names(db: Path) -> list[str]:
    return sorted(Warehouse(db).query("SELECT name FROM influencers WHERE known")["name"])


def warning_lines(report) -> list[str]:
    return [str(w) for w in report.warnings]


def refusal(folder: Path) -> str:
    with pytest.raises(ImportFailed) as failure:
        validate_dataset(folder)
    return str(failure.value)


# --- the cases of tests/data/cases ---------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        "09-utf16-excel-unicode-text",
        "10-semicolon-delimited",
        "11-cp1252-encoding",
        "11b-cp1252-deep-row",
        "12-trailing-empty-rows",
        "25-excel-short-rows-missing-trailing-commas",
    ],
)
def test_case_imports_with_the_base_totals(case, tmp_path):
    report = import_dataset(CASES / case, tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS
    assert report.rows["tracking"] == 4


def test_case_cp1252_name_read_right_with_a_warning_naming_the_encoding(tmp_path):
    report = import_dataset(CASES / "11-cp1252-encoding", tmp_path / "wh.duckdb")
    assert names(report.db_path) == ["Asha Verma", "Renée Fernandes"]
    assert any(
        line.startswith("influencers.csv, row 3, column name: not UTF-8, read as Windows-1252")
        and "'Renée Fernandes'" in line
        for line in warning_lines(report)
    )


def test_case_cp1252_deep_row_names_the_row(tmp_path):
    report = import_dataset(CASES / "11b-cp1252-deep-row", tmp_path / "wh.duckdb")
    assert (
        Warehouse(report.db_path).scalar("SELECT name FROM influencers WHERE influencer_id = 'INF2500'") == "Renée 2500"
    )
    assert any(
        line.startswith("influencers.csv, row 2501, column name: not UTF-8, read as Windows-1252")
        for line in warning_lines(report)
    )
    assert not any("CSV Error" in line for line in warning_lines(report))


def test_case_trailing_blank_rows_skipped_with_a_warning(tmp_path):
    report = import_dataset(CASES / "12-trailing-empty-rows", tmp_path / "wh.duckdb")
    assert "tracking_data.csv: blank rows (no value in any cell) skipped: rows 6–7" in warning_lines(report)


def test_case_short_row_reads_missing_cells_as_empty(tmp_path):
    report = import_dataset(CASES / "25-excel-short-rows-missing-trailing-commas", tmp_path / "wh.duckdb")
    posts = Warehouse(report.db_path).query("SELECT post_id, shares, saves FROM posts ORDER BY post_id")
    assert posts["shares"].tolist()[0] == 100 and posts["saves"].tolist()[0] == 250
    assert posts["shares"].isna().tolist() == [False, True] and posts["saves"].isna().tolist() == [False, True]
    assert any(
        "posts.csv: rows with fewer cells than the header (9)" in line and line.endswith("row 3")
        for line in warning_lines(report)
    )


def test_case_unquoted_comma_refused_naming_row_counts_and_cause():
    message = refusal(CASES / "26-unquoted-comma-in-caption")
    assert (
        "posts.csv, row 3, column caption: 10 cells where the header has 9: probably an unquoted ',' "
        "inside this text; put it in double quotes or remove the ',' (value 'Fish oil, vitamin D and more')"
    ) in message
    assert "CSV Error" not in message


def test_case_semicolon_never_says_missing_column():
    report = validate_dataset(CASES / "10-semicolon-delimited")
    assert report.rows["tracking"] == 4


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, delimiter, newline",
    [
        ("utf-8-sig", ",", "\r\n"),  # Excel's "CSV UTF-8"
        ("utf-16", "\t", "\r\n"),  # Excel's "Unicode Text": UTF-16 LE with its mark, tab-separated
        ("utf-16-be", ",", "\n"),
        ("utf-32", ";", "\n"),
        ("cp1252", ";", "\r\n"),  # Excel's "CSV" in a locale whose list separator is ';'
    ],
)
def test_every_file_in_another_encoding_gives_the_same_numbers_and_names(tmp_path, encoding, delimiter, newline):
    folder = tmp_path / "set"
    write_base(folder, delimiter=delimiter, newline=newline, encoding=encoding)
    if encoding == "utf-16-be":  # Python's utf-16-be writes no mark; Excel does
        for path in folder.iterdir():
            path.write_bytes(b"\xfe\xff" + path.read_bytes())
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS
    assert names(report.db_path) == ["Asha Verma", "Renée Fernandes"]
    assert (
        Warehouse(report.db_path).scalar("SELECT caption FROM posts WHERE post_id = 'P2'")
        == "Fish oil, vitamin D and more"
    )
    encoding_warnings = [line for line in warning_lines(report) if "Windows-1252" in line]
    assert len(encoding_warnings) == (1 if encoding == "cp1252" else 0)


def test_windows_1252_punctuation_reads_as_written(tmp_path):
    folder = write_base(
        tmp_path / "set",
        {
            "influencers.csv": [
                BASE["influencers.csv"][0],
                "INF01,Zoë “Fit” Müller – €,Instagram,Fitness,Female,120000",
                BASE["influencers.csv"][2],
            ]
        },
        encoding="cp1252",
    )
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert names(report.db_path) == ["Renée Fernandes", "Zoë “Fit” Müller – €"]
    assert any(line.startswith("influencers.csv, row 2, column name: not UTF-8") for line in warning_lines(report))


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_both_rows(tmp_path):
    folder = write_base(tmp_path / "set")
    path = folder / "influencers.csv"
    path.write_bytes(path.read_bytes() + "INF03,Zoë Roy,Instagram,Fitness,Female,1000\n".encode("cp1252"))
    message = refusal(folder)
    assert (
        "influencers.csv, row 4, column name: the file mixes encodings: this row is not UTF-8 but row 3 is" in message
        and "(value 'Zoë Roy')" in message
    )


def test_utf16_without_its_mark_is_refused_in_words_a_person_can_act_on(tmp_path):
    folder = write_base(tmp_path / "set")
    (folder / "payouts.csv").write_bytes("\n".join(BASE["payouts.csv"]).encode("utf-16-le"))
    message = refusal(folder)
    assert "payouts.csv: unreadable file: it holds NUL bytes" in message and "codec" not in message


# --- delimiters, quotes, rows ------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", ["|", "\t", ";"])
def test_other_delimiters_give_the_same_numbers(tmp_path, delimiter):
    report = import_dataset(write_base(tmp_path / "set", delimiter=delimiter), tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS
    assert not report.warnings


def test_quoted_semicolons_in_a_semicolon_file_stay_in_their_text(tmp_path):
    folder = write_base(tmp_path / "set", delimiter=";")
    posts = [row.replace(",", ";") for row in BASE["posts.csv"][:2]]
    posts.append('P2;INF02;YouTube;2025-01-15;"Fish oil; vitamin D, and ""more""";200000;9000;800;200')
    (folder / "posts.csv").write_text("\n".join(posts) + "\n")
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert (
        Warehouse(report.db_path).scalar("SELECT caption FROM posts WHERE post_id = 'P2'")
        == 'Fish oil; vitamin D, and "more"'
    )


def test_blank_rows_in_the_middle_keep_later_line_numbers_right(tmp_path):
    rows = BASE["tracking_data.csv"]
    folder = write_base(
        tmp_path / "set",
        {
            "tracking_data.csv": [
                rows[0],
                rows[1],
                ",,,,,,,,,",
                "",
                " , ,",
                rows[2],
                rows[3],
                rows[4].replace("899.00", "lots"),
            ]
        },
    )
    message = refusal(folder)
    # The bad value is on line 8 of the file as the user sees it, whatever rows were skipped.
    assert "tracking_data.csv, row 8, column revenue: not a number" in message and "(value 'lots')" in message
    folder = write_base(
        tmp_path / "fixed",
        {"tracking_data.csv": [rows[0], rows[1], ",,,,,,,,,", "", " , ,", rows[2], rows[3], rows[4]]},
    )
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS
    assert "tracking_data.csv: blank rows (no value in any cell) skipped: rows 3–5" in warning_lines(report)


def test_short_rows_in_the_middle_are_padded_and_named(tmp_path):
    posts = BASE["posts.csv"]
    folder = write_base(
        tmp_path / "set",
        {
            "posts.csv": [
                posts[0],
                "P0,INF01,Instagram,2025-01-05,Hello,1000,10",
                posts[1],
                "P3,INF02,YouTube,2025-01-20",
                posts[2],
            ]
        },
    )
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS
    assert Warehouse(report.db_path).scalar("SELECT count(*) FROM posts") == 4
    assert (
        "posts.csv: rows with fewer cells than the header (9), the missing trailing cells read as empty: "
        "rows 2, 4" in warning_lines(report)
    )


def test_multiline_quoted_text_keeps_line_numbers_right_on_the_careful_path(tmp_path):
    posts = BASE["posts.csv"]
    folder = write_base(
        tmp_path / "set",
        {
            "posts.csv": [
                posts[0],
                'P1,INF01,Instagram,2025-01-10,"Morning\nwhey shake",50000,4000,300,100',
                "P3,INF02,YouTube,2025-01-20",
                posts[2].replace("9000", "-9000"),
            ]
        },
    )
    message = refusal(folder)
    assert "posts.csv, row 5, column likes: negative value" in message


def test_blank_rows_above_the_header_are_skipped(tmp_path):
    folder = write_base(tmp_path / "set", {"payouts.csv": [",,,", "", *BASE["payouts.csv"]]})
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS
    assert "payouts.csv: blank rows (no value in any cell) skipped: rows 1–2" in warning_lines(report)


def test_trailing_delimiters_after_the_last_column_are_harmless(tmp_path):
    rows = BASE["tracking_data.csv"]
    folder = write_base(tmp_path / "set", {"tracking_data.csv": [rows[0] + ",,", *(r + ",," for r in rows[1:])]})
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert totals(report.db_path) == BASE_TOTALS


def test_long_rows_in_a_tab_file_name_the_tab(tmp_path):
    folder = write_base(
        tmp_path / "set",
        delimiter="\t",
        lines={
            "posts.csv": [
                BASE["posts.csv"][0],
                BASE["posts.csv"][1],
                "P2,INF02,YouTube,2025-01-15,Fish oil,vitamin D,200000,9000,800,200",
            ]
        },
    )
    message = refusal(folder)
    assert (
        "posts.csv, row 3, column caption: 10 cells where the header has 9: probably an unquoted a tab inside this text"
        in message
        and "(value 'Fish oil\\tvitamin D')" in message
    )


@pytest.mark.parametrize("more_rows", [0, 4000])  # 4,000 rows make the would-be cell exceed csv's field limit
def test_an_unclosed_quote_names_its_row(tmp_path, more_rows):
    posts = BASE["posts.csv"]
    folder = write_base(
        tmp_path / "set",
        {
            "posts.csv": [
                posts[0],
                posts[1].replace("Morning", '"Morning'),
                "P2,INF02,YouTube,2025-01-15,Fish oil,200000,9000,800,200",
                *(f"Q{i},INF01,Instagram,2025-01-10,Hello,1000,10,1,1" for i in range(more_rows)),
            ]
        },
    )
    assert 'posts.csv, row 2: unreadable row: a double quote (") opened on this row is never closed' in refusal(folder)


def test_a_file_of_only_blank_rows_is_refused_not_read_as_zero(tmp_path):
    folder = write_base(tmp_path / "set", {"tracking_data.csv": [BASE["tracking_data.csv"][0], ",,,,,,,,,", ""]})
    assert "tracking_data.csv: file has a header but no data rows (the rows below it are blank)" in refusal(folder)


def test_clean_copies_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import_dataset(CASES / "12-trailing-empty-rows", tmp_path / "wh.duckdb")
    with pytest.raises(ImportFailed):
        validate_dataset(CASES / "26-unquoted-comma-in-caption")
    assert not list((tmp_path / "tmp").iterdir())


# --- recognising files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, role",
    [
        ("tracking_data (1).csv", "tracking"),
        ("Tracking Data - Copy.csv", "tracking"),
        ("orders_2025-01.csv", "tracking"),
        ("posts_final_v2.csv", "posts"),
        ("Influencers.CSV", "influencers"),
        ("creators.parquet", "influencers"),
        ("payments.csv", "payouts"),
        ("HK Q1 - payouts.csv", "payouts"),
        ("campaign-list.csv", None),
        ("orders_export_1.csv", None),  # Shopify's order export is not a sales file of this layout
        ("influencer_tracking_codes.csv", None),
        ("instagram_insights_data (2).csv", "instagram_insights"),
    ],
)
def test_role_by_name(name, role):
    assert sources.role_by_name(name) == role


@pytest.mark.parametrize(
    "name",
    [
        "tracking_data (1).csv",
        "Tracking Data.csv",
        "tracking-data_2025.csv",
        "TrackingData.csv",
        "HK campaigns - tracking_data.csv",
        "sales.tsv",
    ],
)
def test_sales_file_recognised_by_its_name(tmp_path, name):
    folder = write_base(tmp_path / "set", names={"tracking_data.csv": name})
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert report.files["tracking"] == name
    assert totals(report.db_path) == BASE_TOTALS
    assert not report.warnings


def test_sales_file_recognised_by_its_columns_when_the_name_says_nothing(tmp_path):
    folder = write_base(tmp_path / "set", names={"tracking_data.csv": "export-jan.csv"})
    report = import_dataset(folder, tmp_path / "wh.duckdb")
    assert report.files["tracking"] == "export-jan.csv"
    assert totals(report.db_path) == BASE_TOTALS
    assert "export-jan.csv: read as the sales (tracking data) file: recognised by its columns" in warning_lines(report)


def test_two_candidates_for_one_role_are_refused_naming_both(tmp_path):
    folder = write_base(tmp_path / "set")
    shutil.copy(folder / "tracking_data.csv", folder / "tracking_data (1).csv")
    assert "two candidates for the sales (tracking data) file: tracking_data (1).csv and tracking_data.csv" in refusal(
        folder
    )
    folder = write_base(tmp_path / "by-columns", names={"tracking_data.csv": "jan.csv"})
    shutil.copy(folder / "jan.csv", folder / "feb.csv")
    assert "two candidates for the sales (tracking data) file: feb.csv and jan.csv" in refusal(folder)


def test_a_file_named_for_a_role_wins_over_one_that_only_fits_by_columns(tmp_path):
    folder = write_base(tmp_path / "set")
    shutil.copy(folder / "tracking_data.csv", folder / "jan.csv")
    report = validate_dataset(folder)
    assert report.files["tracking"] == "tracking_data.csv"
    assert (
        "jan.csv: not used: its columns fit the sales (tracking data) layout, but tracking_data.csv is that "
        "file" in warning_lines(report)
    )


def test_every_unused_file_is_a_warning_saying_why(tmp_path, capsys):
    folder = write_base(tmp_path / "set")
    (folder / "notes.txt").write_text("remember to ask Asha for the February numbers\n")
    (folder / "roi_by_brand.csv").write_text("brand,revenue,spend,roas\nMuscleBlaze,7497,2500,3.0\n")
    (folder / "Campaign Summary.csv").write_text("campaign,revenue,spend\nNewYear,10194,8500\n")
    (folder / "influencers_old.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "logo.png").write_bytes(b"\x89PNG")
    report = validate_dataset(folder)
    assert sorted(report.unused_files) == [
        "Campaign Summary.csv",
        "influencers_old.xlsx",
        "logo.png",
        "notes.txt",
        "roi_by_brand.csv",
    ]
    lines = warning_lines(report)
    assert (
        'influencers_old.xlsx: not used: a spreadsheet workbook: save each sheet as "CSV UTF-8 (Comma '
        'delimited)"' in lines
    )
    assert "logo.png: not used: not a CSV or Parquet file" in lines
    assert any(line.startswith("notes.txt: not used: not a recognised file") for line in lines)
    assert any(line.startswith("roi_by_brand.csv: not used: a derived summary") for line in lines)
    assert any(line.startswith("Campaign Summary.csv: not used: a derived summary") for line in lines)
    assert cli.main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "warning: roi_by_brand.csv: not used: a derived summary" in out and "warning: logo.png: not used" in out


def test_seed1_lists_its_four_unused_files_with_reasons():
    report = validate_dataset(CASES.parent / "datasets" / "seed1")
    unused = {w.file: w.reason for w in report.warnings if w.reason.startswith("not used")}
    assert set(unused) == {
        "brand_performance.csv",
        "campaign_performance_insights.csv",
        "campaign_summary_metrics.csv",
        "influencer_tracking_codes.csv",
    }
    assert unused["campaign_summary_metrics.csv"].startswith("not used: a derived summary")
    # Its audience files are read (warehouse/audience_tables.py).
    assert report.files["audience_demographics"] == "audience_demographics.csv"
    assert report.files["audience_geography"] == "geographic_distribution.csv"


def test_no_sales_anywhere_is_refused_instead_of_showing_zero_revenue(tmp_path):
    folder = write_base(tmp_path / "set")
    (folder / "tracking_data.csv").unlink()
    message = refusal(folder)
    assert "no sales file" in message and "payouts.csv has no total_revenue or orders column" in message


def test_a_workbook_in_place_of_a_required_file_is_named(tmp_path):
    folder = write_base(tmp_path / "set")
    (folder / "influencers.csv").unlink()
    (folder / "Influencers.xlsx").write_bytes(b"PK\x03\x04")
    assert "no influencers file" in (message := refusal(folder)) and "Influencers.xlsx is not usable" in message


def test_a_semicolon_file_with_a_missing_column_shows_the_header_as_read(tmp_path):
    rows = BASE["tracking_data.csv"]
    folder = write_base(tmp_path / "set", {"tracking_data.csv": [r.rsplit(",", 1)[0] for r in rows]}, delimiter=";")
    message = refusal(folder)
    assert (
        "tracking_data.csv, row 1, column revenue: missing required column (the header's 9 columns: "
        "'tracking_id', 'influencer_id'" in message
    )
