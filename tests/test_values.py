"""Reading values: every real-world case gives its expected result, the same on the typed and the text path.

The base set (tests/data/cases/README.md) imported clean gives revenue ₹11,093 (4,998 + 2,499 + 2,697 + 899),
orders 7 (2 + 1 + 3 + 1) and spend ₹8,500 (2,500 + 6,000). Every test runs each folder twice: as the
import reads it (clean files take the fast typed read) and with the typed read refused, so that every
file takes the text path; both must give the same numbers or the same refusal.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import metrics
from metrics import Filters
from warehouse import ImportFailed, Warehouse, import_dataset, sources
from warehouse.values import ValueRules, number_sql

CASES = Path(__file__).resolve().parent / "data" / "cases"
BASE = {
    "influencers.csv": "influencer_id,name,platform,category,gender,follower_count\n"
    "INF01,Asha Verma,Instagram,Fitness,Female,120000\n"
    "INF02,Rohit Nair,YouTube,Nutrition,Male,850000\n",
    "payouts.csv": "influencer_id,basis,rate,total_payout\nINF01,post,2500,2500\nINF02,post,6000,6000\n",
    "posts.csv": "post_id,influencer_id,platform,date,reach,likes,comments,shares\n"
    "P1,INF01,Instagram,2025-01-10,50000,4000,300,100\n"
    "P2,INF02,YouTube,2025-01-15,200000,9000,800,200\n",
    "tracking_data.csv": "tracking_id,influencer_id,date,campaign,brand,product,source,user_id,orders,revenue\n"
    "T1,INF01,2025-01-11,NewYear,MuscleBlaze,Whey,PromoCode,U1,2,4998.00\n"
    "T2,INF01,2025-01-20,NewYear,MuscleBlaze,Whey,PromoCode,U2,1,2499.00\n"
    "T3,INF02,2025-01-16,NewYear,HKVitals,Multivitamin,BioLink,U3,3,2697.00\n"
    "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00\n",
}
BASE_TOTALS = {"revenue": 11093.0, "orders": 7, "spend": 8500.0, "refunds": 0.0}
PATHS = ("as read", "text path")


@pytest.fixture(params=PATHS)
def path(request, monkeypatch):
    """Which path the files take: as the import chooses, or the text path for every file."""
    if request.param == "text path":
        monkeypatch.setattr(sources, "typed_read_is_exact", lambda *args, **kwargs: False)
    return request.param


def base_folder(tmp_path: Path, edits: dict[str, dict[str, str]] | None = None) -> Path:
    """The base set, with `old → new` text replacements per file."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name, text in BASE.items():
        for old, new in (edits or {}).get(name, {}).items():
            assert old in text, (name, old)
            text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def imported(folder: Path, tmp_path: Path, **options):
    report = import_dataset(folder, tmp_path / "wh.duckdb", **options)
    return Warehouse(report.db_path), report


def refusal(folder: Path, tmp_path: Path, **options) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        import_dataset(folder, tmp_path / "wh.duckdb", **options)
    return [str(problem) for problem in failure.value.errors]


def totals(wh) -> dict:
    k = metrics.kpis(wh)
    return {key: k[key] for key in BASE_TOTALS}


def case(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(CASES / name, folder)
    return folder


# --- the shared cases ------------------------------------------------------------------------------


def test_base_set_takes_the_typed_path_and_gives_the_base_totals(tmp_path, path):
    folder = base_folder(tmp_path)
    connection = duckdb.connect()
    source, problems = sources.load(connection, "tracking", folder / "tracking_data.csv")
    assert not problems and source.typed == (path == "as read")
    wh, report = imported(folder, tmp_path)
    assert totals(wh) == BASE_TOTALS and not report.warnings


def test_04_two_digit_years_are_2025_when_days_above_12_make_the_order_certain(tmp_path, path):
    wh, _ = imported(case("04-ddmmyy-two-digit-year", tmp_path), tmp_path)
    assert totals(wh) == BASE_TOTALS
    assert wh.scalar("SELECT list(date ORDER BY date)::VARCHAR[] FROM posts") == ["2025-01-10", "2025-01-15"]
    # January by hand: 4,998 + 2,499 + 2,697; February: 899.
    assert metrics.kpis(wh, Filters(start="2025-01-01", end="2025-01-31"))["revenue"] == 10194
    assert metrics.kpis(wh, Filters(start="2025-02-01", end="2025-02-28"))["revenue"] == 899


def test_05_nan_revenue_is_refused_naming_file_row_column_value(tmp_path, path):
    assert refusal(case("05-nan-inf-revenue", tmp_path), tmp_path) == [
        "tracking_data.csv, row 3, column revenue: not a finite number (value 'nan')"
    ]


def test_05b_inf_payout_is_refused(tmp_path, path):
    assert refusal(case("05b-inf-payout", tmp_path), tmp_path) == [
        "payouts.csv, row 3, column total_payout: not a finite number (value 'inf')"
    ]


@pytest.mark.parametrize("name", ["07-fractional-orders", "07b-fractional-orders-textpath"])
def test_07_fractional_orders_are_refused_whatever_else_the_file_holds(tmp_path, path, name):
    assert refusal(case(name, tmp_path), tmp_path) == [
        "tracking_data.csv, row 2, column orders: not a whole number (value '2.5')",
        "tracking_data.csv, row 3, column orders: not a whole number (value '1.4')",
    ]


def test_17_rate_text_with_a_total_imports(tmp_path, path):
    wh, report = imported(case("17-rate-text-with-total", tmp_path), tmp_path)
    assert totals(wh) == BASE_TOTALS and not report.warnings
    rates = wh.query("SELECT influencer_id, fee_per_post FROM payouts ORDER BY 1")
    assert rates["fee_per_post"].tolist() == [2500, 6000]  # '₹2,500 per post', 'Rs 6k/reel'


def test_unreadable_rate_is_a_warning_when_the_total_is_given(tmp_path, path):
    folder = base_folder(tmp_path, {"payouts.csv": {"INF02,post,6000,6000": "INF02,post,six grand-ish,6000"}})
    wh, report = imported(folder, tmp_path)
    assert totals(wh) == BASE_TOTALS
    assert [str(w) for w in report.warnings] == [
        (
            "payouts.csv, row 3, column rate: rate not understood (e.g. '₹50,000/post', '₹120/order', "
            "'12% commission', '₹50,000/post + 6%'); the total decides the cost (value 'six grand-ish')"
        )
    ]


def test_unreadable_rate_without_a_total_is_refused(tmp_path, path):
    folder = base_folder(tmp_path, {"payouts.csv": {"INF02,post,6000,6000": "INF02,post,six grand-ish,"}})
    assert refusal(folder, tmp_path) == [
        (
            "payouts.csv, row 3, column rate: rate not understood (e.g. '₹50,000/post', '₹120/order', "
            "'12% commission', '₹50,000/post + 6%') (value 'six grand-ish')"
        )
    ]


def test_19_placeholders_are_missing_and_follower_shorthand_is_read(tmp_path, path):
    wh, _ = imported(case("19-na-dash-placeholders-1.2K", tmp_path), tmp_path)
    assert totals(wh) == BASE_TOTALS
    assert wh.query("SELECT follower_count FROM influencers ORDER BY influencer_id")["follower_count"].tolist() == [
        120_000,
        1_200_000,
    ]
    posts = wh.query("SELECT shares, engagements FROM posts ORDER BY post_id")
    assert posts["shares"].isna().all()
    assert posts["engagements"].tolist() == [4000 + 300, 9000 + 800]


def test_23_refunds_are_netted_and_shown(tmp_path, path):
    wh, _ = imported(case("23-refund-negative-rows", tmp_path), tmp_path)
    # 11,093 − 2,499 = 8,594; the refund row has 0 orders.
    assert totals(wh) == {"revenue": 8594.0, "orders": 7, "spend": 8500.0, "refunds": 2499.0}
    by_brand = metrics.breakdown(wh, "brand").set_index("brand")
    assert by_brand.loc["MuscleBlaze", ["revenue", "refunds"]].tolist() == [4998.0, 2499.0]
    assert by_brand.loc["HKVitals", ["revenue", "refunds"]].tolist() == [3596.0, 0.0]
    # the refund (25 Jan) falls in January only
    assert metrics.kpis(wh, Filters(start="2025-01-21", end="2025-01-31"))["refunds"] == 2499
    assert metrics.kpis(wh, Filters(start="2025-02-01"))["refunds"] == 0
    # U2 bought on 20 Jan and was refunded on 25 Jan: still one new customer, counted once
    assert metrics.kpis(wh)["new_customers"] == 4
    assert metrics.summary(wh)["refunds"] == 2499


# --- more cases of each kind ---------------------------------------------------------------------------

TRACKING_DATES = ("2025-01-11", "2025-01-20", "2025-01-16", "2025-02-02")


def with_dates(tmp_path, written: tuple[str, ...]) -> Path:
    return base_folder(
        tmp_path, {"tracking_data.csv": {f",{iso},": f",{text}," for iso, text in zip(TRACKING_DATES, written)}}
    )


@pytest.mark.parametrize(
    "written",
    [
        ("01-11-25", "01-20-25", "01-16-25", "02-02-25"),  # month first: 20 and 16 can only be days
        ("11/01/2025", "20/01/2025", "16/01/2025", "02/02/2025"),
        ("11.01.2025", "20.01.2025", "16.01.2025 18:30", "02.02.2025"),
        ("11 Jan 2025", "20-Jan-25", '"Jan 16, 2025"', "2 February 2025"),
        ("2025/01/11", "2025-1-20", "2025-01-16T10:00:00", "2025-02-02"),
    ],
    ids=["mm-dd-yy", "dd/mm/yyyy", "dd.mm.yyyy", "month names", "year first"],
)
def test_other_date_formats_give_the_same_dates(tmp_path, path, written):
    wh, _ = imported(with_dates(tmp_path, written), tmp_path)
    assert totals(wh) == BASE_TOTALS
    assert metrics.kpis(wh, Filters(start="2025-01-01", end="2025-01-31"))["revenue"] == 10194
    assert metrics.kpis(wh, Filters(start="2025-01-20", end="2025-01-20"))["revenue"] == 2499


def test_day_month_order_that_cannot_be_told_is_refused_naming_the_column(tmp_path, path):
    folder = with_dates(tmp_path, ("11-01-25", "10-01-25", "12-01-25", "02-02-25"))
    assert refusal(folder, tmp_path) == [
        (
            "tracking_data.csv, row 2, column date: the order of day and month cannot be told: no date in this column "
            "has a number above 12 in either place (write dates as YYYY-MM-DD) (value '11-01-25')"
        )
    ]


def test_same_day_and_month_need_no_order(tmp_path, path):
    """01-01-25 and 02-02-25 read the same either way: nothing to refuse."""
    wh, _ = imported(with_dates(tmp_path, ("01-01-25", "01-01-25", "01-01-25", "02-02-25")), tmp_path)
    assert metrics.kpis(wh, Filters(start="2025-02-02", end="2025-02-02"))["revenue"] == 899


def test_day_first_and_month_first_in_one_column_are_refused(tmp_path, path):
    folder = with_dates(tmp_path, ("11-01-25", "20-01-25", "01-16-25", "02-02-25"))
    assert refusal(folder, tmp_path) == [
        (
            "tracking_data.csv, row 4, column date: day-first and month-first dates in one column (row 3 has a day "
            "above 12 first, this row second) (value '01-16-25')"
        )
    ]


@pytest.mark.parametrize(
    "written, value",
    [
        ("1999-12-31", "1999-12-31"),
        ("0016-01-25", "0016-01-25"),
        ("16/01/1925", "16/01/1925"),
        ("infinity", "infinity"),
    ],
)
def test_years_outside_the_plausible_range_are_refused(tmp_path, path, written, value):
    folder = with_dates(tmp_path, ("2025-01-11", written, "2025-01-16", "2025-02-02"))
    assert refusal(folder, tmp_path) == [
        f"tracking_data.csv, row 3, column date: year outside the plausible range 2000–2100 (value '{value}')"
    ]


def test_plausible_years_are_a_setting(tmp_path, path):
    folder = with_dates(tmp_path, ("2025-01-11", "1999-12-31", "2025-01-16", "2025-02-02"))
    wh, _ = imported(folder, tmp_path, rules=ValueRules(first_year=1990, last_year=2030))
    assert metrics.kpis(wh, Filters(end="2000-01-01"))["revenue"] == 2499
    with pytest.raises(ValueError):
        ValueRules(first_year=2100, last_year=2000)


@pytest.mark.parametrize("written", ["NaN", "-inf", "Infinity", "+INF"])
def test_non_finite_numbers_are_refused(tmp_path, path, written):
    folder = base_folder(tmp_path, {"tracking_data.csv": {"U3,3,2697.00": f"U3,3,{written}"}})
    assert refusal(folder, tmp_path) == [
        f"tracking_data.csv, row 4, column revenue: not a finite number (value '{written}')"
    ]


@pytest.mark.parametrize("written", ["2.5", "1e-1", "1.2345K"])
def test_fractional_counts_are_refused(tmp_path, path, written):
    folder = base_folder(tmp_path, {"posts.csv": {"4000,300,100": f"4000,300,{written}"}})
    assert refusal(folder, tmp_path) == [f"posts.csv, row 2, column shares: not a whole number (value '{written}')"]


@pytest.mark.parametrize(
    "written",
    [
        ('"₹4,998.00"', '"₹2,499"', "Rs.2697/-", "INR 899"),
        ('"4,998.00 INR"', '"Rs 2,499.00"', '"₹ 2,697"', '" 899 "'),
        ('"1,23,456.50"', '"1,234,567.50"', "2697", "899"),  # Indian and Western grouping
        ('"4998,00"', '"2499,00"', '"2.697,00"', "899"),  # decimal comma: the whole column
        ("4998", "2499", '"2,697.00"', '"0.899K"'),  # shorthand in a money column
    ],
    ids=["currency prefix", "currency suffix and spaces", "grouping", "decimal comma", "shorthand"],
)
def test_money_written_every_way_is_read(tmp_path, path, written):
    edits = {f",{clean}\n": f",{text}\n" for clean, text in zip(("4998.00", "2499.00", "2697.00", "899.00"), written)}
    wh, _ = imported(base_folder(tmp_path, {"tracking_data.csv": edits}), tmp_path)
    expected = 123456.5 + 1234567.5 + 2697 + 899 if "1,23,456.50" in written[0] else 11093.0
    assert metrics.kpis(wh)["revenue"] == pytest.approx(expected)


def test_decimal_comma_among_decimal_points_is_refused(tmp_path, path):
    folder = base_folder(tmp_path, {"tracking_data.csv": {",2499.00\n": ',"2499,00"\n'}})
    assert refusal(folder, tmp_path) == [
        (
            "tracking_data.csv, row 3, column revenue: decimal mark differs from the rest of the column (',' and '.' "
            "both used as decimal mark) (value '2499,00')"
        )
    ]


@pytest.mark.parametrize("placeholder", ["NA", "n/a", "—", "–", "--", "null", "None", "#N/A", "  "])
def test_placeholders_are_missing_values(tmp_path, path, placeholder):
    folder = base_folder(tmp_path, {"posts.csv": {"4000,300,100": f"4000,300,{placeholder}"}})
    wh, _ = imported(folder, tmp_path)
    assert wh.query("SELECT shares FROM posts ORDER BY post_id")["shares"].isna().tolist() == [True, False]


def test_a_placeholder_in_a_required_column_is_a_missing_value(tmp_path, path):
    folder = base_folder(tmp_path, {"tracking_data.csv": {"U3,3,2697.00": "U3,N/A,2697.00"}})
    assert refusal(folder, tmp_path) == ["tracking_data.csv, row 4, column orders: missing value (value 'N/A')"]


@pytest.mark.parametrize(
    "written, followers",
    [
        ("1.2K", 1_200),
        ("120k", 120_000),
        ("1.5L", 150_000),
        ("2Cr", 20_000_000),
        ("1.25 lakh", 125_000),
        ('"1,20,000"', 120_000),
    ],
)
def test_follower_shorthand(tmp_path, path, written, followers):
    folder = base_folder(tmp_path, {"influencers.csv": {"Female,120000": f"Female,{written}"}})
    wh, _ = imported(folder, tmp_path)
    assert wh.scalar("SELECT follower_count FROM influencers WHERE influencer_id = 'INF01'") == followers


def test_refund_rows_with_orders_are_refused(tmp_path, path):
    folder = base_folder(tmp_path, {"tracking_data.csv": {"U4,1,899.00": "U4,1,-899.00"}})
    assert refusal(folder, tmp_path) == [
        (
            "tracking_data.csv, row 5, column revenue: negative revenue on a row with orders (a refund row has 0 or "
            "negative orders) (value '-899.00')"
        )
    ]


def test_returned_orders_net_out(tmp_path, path):
    """A return written as −1 order and −₹899: orders and revenue both net, refunds ₹899."""
    folder = base_folder(
        tmp_path,
        {
            "tracking_data.csv": {
                "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00\n": "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00\n"
                "T5,INF02,2025-02-05,Feb,HKVitals,Fish Oil,BioLink,U4,-1,(899.00)\n"
            }
        },
    )
    wh, _ = imported(folder, tmp_path)
    assert totals(wh) == {"revenue": 10194.0, "orders": 6, "spend": 8500.0, "refunds": 899.0}


def test_guest_and_placeholder_user_ids_are_unknown_buyers(tmp_path, path):
    folder = base_folder(tmp_path, {"tracking_data.csv": {",U1,": ",guest,", ",U2,": ",0,", ",U3,": ",,"}})
    wh, report = imported(folder, tmp_path)
    k = metrics.kpis(wh)
    # U4 is the one known buyer; the 2 + 1 + 3 orders of the others are unknown buyers: 0.8 × 6 = 4.8
    assert k["new_customers"] == pytest.approx(1 + 0.8 * 6) and k["new_customers_estimated"]
    assert [str(w) for w in report.warnings] == [
        (
            "tracking_data.csv, column user_id: 3 rows with a guest, placeholder or blank user_id: counted as unknown "
            "buyers (their new customers are estimated) (value \"'0', 'guest' and blank\")"
        )
    ]


def test_a_return_by_a_guest_id_is_no_buyer(tmp_path, path):
    """A guest id written only on a return (−1 order, −₹899): a row that places no order is no
    buyer, known or unknown (docs/metrics.md, new customers), as a known buyer's return does not
    unmake its first order. New customers: U1…U4 are 4 known buyers and no order is left without a
    buyer: 4, not estimated (0.8 × (−1) was taken off before)."""
    folder = base_folder(
        tmp_path,
        {
            "tracking_data.csv": {
                "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00\n": "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00\n"
                "T5,INF02,2025-02-05,Feb,HKVitals,Fish Oil,BioLink,guest,-1,-899.00\n"
            }
        },
    )
    wh, _ = imported(folder, tmp_path)
    k = metrics.kpis(wh)
    assert k["orders"] == 6
    assert k["new_customers"] == pytest.approx(4) and not k["new_customers_estimated"]


def test_a_guest_order_and_its_return_still_estimate_the_order(tmp_path, path):
    """A blank user_id's order (+1) and its return (−1): the return is no buyer, the order's buyer is
    unknown: 0.8 new customers, estimated, as a known buyer who returned an order stays new."""
    folder = base_folder(
        tmp_path,
        {
            "tracking_data.csv": {
                "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,U4,1,899.00\n": "T4,INF02,2025-02-02,Feb,HKVitals,Fish Oil,BioLink,,1,899.00\n"
                "T5,INF02,2025-02-05,Feb,HKVitals,Fish Oil,BioLink,,-1,-899.00\n"
            }
        },
    )
    wh, _ = imported(folder, tmp_path)
    k = metrics.kpis(wh)
    assert k["orders"] == 6 and k["orders_without_user"] == 1
    assert k["new_customers"] == pytest.approx(3 + 0.8) and k["new_customers_estimated"]


def test_one_guest_row_is_one_row(tmp_path, path):
    folder = base_folder(tmp_path, {"tracking_data.csv": {",U3,": ",guest,"}})
    _, report = imported(folder, tmp_path)
    assert "column user_id: 1 row with a guest, placeholder or blank user_id" in str(report.warnings[0])


def test_the_sql_rule_reads_what_the_rate_parser_reads():
    """Amounts in rates and in money columns follow one rule."""
    from warehouse.rates import parse_rate

    connection = duckdb.connect()
    for text in ("₹2,500", "Rs. 1,23,456.50", "6k", "INR 1,500", "2.5L", "1Cr", "Rs 900/-"):
        sql_value = connection.execute(f"SELECT {number_sql('x')} FROM (SELECT ? AS x)", [text]).fetchone()[0]
        assert parse_rate(text, "post").fee_per_post == pytest.approx(sql_value), text
