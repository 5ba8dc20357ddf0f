"""Formatting points of issue 13 as the browser shows them: follower counts in lakh, money axis
ticks, dates, IST timestamps, payout rates parsed, revenue per follower by tier labelled in ₹."""

from __future__ import annotations

import re

import pytest
from browser_helpers import goto, grid_rows, normalise, table_selector

from components.ids import categories as category_ids
from components.ids import payouts as payout_ids
from metrics import format as fmt

RANKING = ".hk-page-influencers .hk-grid"
# A date axis's tick: "6 Jan", the year on a second line under the first tick and where it changes
# (SVG tspans: textContent "6 Jan2025").
TICK_DATE = re.compile(r"^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( ?\d{4})?$")
FRACTION_OF_UNIT = re.compile(r"₹0\.\d+ (L|Cr)$")


@pytest.fixture(autouse=True)
def patient(page):
    """These pages draw several charts; on a loaded machine a callback can take a while."""
    page.set_default_timeout(90_000)


def svg_texts(page, selector: str) -> list[str]:
    """The text of SVG elements (plotly's ticks and bar labels): SVG has no innerText, so Playwright's
    inner texts read None there; textContent holds what is drawn."""
    return [normalise(t) for t in page.locator(selector).all_text_contents()]


def tick_labels(page, graph: str, axis: str, drawn: str = "") -> list[str]:
    """The tick labels of a graph's axis once the callback's figure is drawn (a label holds `drawn`;
    before that the graph shows Dash's placeholder axes)."""
    page.wait_for_function(
        "([sel, drawn]) => [...document.querySelectorAll(sel)].some(t => t.textContent && t.textContent.includes(drawn))",
        arg=[f"{graph} .{axis}tick text", drawn],
    )
    return svg_texts(page, f"{graph} .{axis}tick text")


def test_follower_counts_are_in_lakh(page, live_server, page_problems):
    goto(page, live_server.url + "/influencers", timeout=90_000)
    page.wait_for_selector(RANKING + " .ag-center-cols-container .ag-row")
    followers = dict(zip(grid_rows(page, RANKING, "name"), grid_rows(page, RANKING, "followers")))
    # One unit and precision for the column (its largest value is in lakh), tester t1 (s18).
    assert normalise(followers["Asha Rao"]) == "1.20 L"  # 1,20,000
    assert normalise(followers["Dev Malhotra"]) == "6.00 L"  # 6,00,000
    assert normalise(followers['=HYPERLINK("http://evil.example")']) == "20.00 L"  # 20,00,000, not 2M
    assert normalise(followers["<script>alert(1)</script> & Bros"]) == "0.08 L"  # 8,000
    assert not any("M" in v or "K" in v for v in followers.values())
    assert not page_problems, page_problems


def test_overview_axes_ticks_and_dates(page, live_server, page_problems):
    goto(page, live_server.url + "/?start=2025-01-01&end=2025-02-28", timeout=90_000)
    money = tick_labels(page, "#ov-trend", "y", "₹")
    assert money[0] == "₹0" and all(t.startswith("₹") for t in money)
    assert len(set(money)) == len(money), money
    assert not [t for t in money if FRACTION_OF_UNIT.search(t)], money
    dates = [t for t in tick_labels(page, "#ov-trend", "x", "2025") if t]
    assert dates and all(TICK_DATE.match(t) for t in dates), dates
    assert re.search(r"\d{4}$", dates[0]), dates  # the first tick carries its year
    top = tick_labels(page, "#ov-top", "x", "₹")
    assert len(set(top)) == len(top) and not [t for t in top if FRACTION_OF_UNIT.search(t)], top
    # The navbar says when the data set was imported, in India time.
    assert re.search(r"imported \d{1,2} \w{3} \d{4}, \d{2}:\d{2} IST", normalise(page.inner_text("#dataset-info")))
    assert not page_problems, page_problems


def test_revenue_per_follower_by_tier(page, live_server, page_problems):
    goto(page, live_server.url + "/categories", timeout=90_000)
    page.wait_for_selector("#cat-dimension .main-svg")
    page.locator("#cat-dimension-by label", has_text="Tier").click()
    page.locator("#cat-dimension-metric label", has_text="Revenue per follower").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#cat-dimension .bartext')].some(t => t.textContent.includes('₹0.38'))"
    )
    labels = svg_texts(page, "#cat-dimension .bartext")
    assert "₹0.38" in labels and "₹0.0035" in labels  # Nano 3,000 / 8,000; Mega 7,000 / 20,00,000
    ticks = tick_labels(page, "#cat-dimension", "x", "₹")
    assert ticks[0] == "₹0" and len(set(ticks)) == len(ticks), ticks
    # The same figure in the combinations table.
    grid = table_selector(category_ids.COMBINATION_TABLE)
    page.wait_for_selector(grid + " .ag-center-cols-container .ag-row")
    per_follower = [normalise(v) for v in grid_rows(page, grid, "revenue_per_follower")]
    assert "₹0.38" in per_follower
    assert not page_problems, page_problems


def test_payout_rates_and_post_dates_in_the_detail_panel(page, live_server, page_problems):
    goto(page, live_server.url + "/influencers", timeout=90_000)
    page.wait_for_selector(RANKING + " .ag-center-cols-container .ag-row")
    page.locator(RANKING + ' .ag-row [col-id="name"]', has_text="Asha Rao").first.click()
    payouts = '#inf-detail .hk-grid:has(.ag-header-cell[col-id="terms_cost"])'
    page.wait_for_selector(payouts + " .ag-center-cols-container .ag-row")
    rates = [normalise(v) for v in grid_rows(page, payouts, "rate")]
    assert rates == ["₹1,000 per post", "10 % commission"]
    posts = '#inf-detail .hk-grid:has(.ag-header-cell[col-id="caption"])'
    page.wait_for_selector(posts + " .ag-center-cols-container .ag-row")
    assert sorted(normalise(v) for v in grid_rows(page, posts, "date")) == ["10 Feb 2025", "5 Jan 2025"]
    assert not page_problems, page_problems


def test_reconciliation_rates_are_parsed(page, live_server, page_problems):
    goto(page, live_server.url + "/payouts", timeout=90_000)
    # By id: the grid renders only the columns in view, and the status column is off to the right.
    grid = table_selector(payout_ids.RECONCILIATION_TABLE)
    page.wait_for_selector(grid + " .ag-center-cols-container .ag-row")
    rates = {normalise(v) for v in grid_rows(page, grid, "rate")}
    assert "₹5,000 per post + 5 % commission" in rates and "₹200 per order" in rates
    assert not any("/" in r for r in rates), rates
    assert not page_problems, page_problems


# Values every grid formatter must show as the server does: Indian grouping, lakh / crore, negative
# amounts that round to zero shown as zero, paise, undefined as "—".
GRID_CASES = [
    ("hkInr", [17879815.3, 0], lambda v: fmt.inr(v)),
    ("hkInr", [-0.004, 2], lambda v: fmt.inr(v, 2)),
    ("hkInr", [-1234.5, 2], lambda v: fmt.inr(v, 2)),
    ("hkInr", [2960740.6700000046, 2], lambda v: fmt.inr(v, 2)),
    ("hkInrSmall", [0.0035], fmt.inr_small),
    ("hkInrSmall", [0.4567], fmt.inr_small),
    ("hkInrSmall", [-0.00001], fmt.inr_small),
    ("hkInrSmall", [1234567], fmt.inr_small),
    ("hkRatio", [-0.001], fmt.ratio),
    ("hkRatio", [11.2067], fmt.ratio),
    ("hkPct", [-0.04], fmt.pct),
    # exact halves of the written value, half away from zero on both sides (metrics.format.half_away):
    # before session 19 the grid and the PDF disagreed on about a third of such ties
    ("hkPct", [35.25], fmt.pct),  # 35.3
    ("hkPct", [4.35], fmt.pct),  # 4.4, though the binary 4.35 lies below the half
    ("hkPct", [0.44999999999999996], fmt.pct),  # 0.4: its digits lie below the half
    ("hkInr", [0.015, 2], lambda v: fmt.inr(v, 2)),  # ₹0.02 (the grid read ₹0.02, the PDF ₹0.01)
    ("hkRatio", [1.005], fmt.ratio),  # 1.01x
    ("hkCount", [-5536705.795], fmt.count),  # -55,36,705.8
    ("hkFollowers", [152_500], fmt.followers),  # 1.53 L (the grid read 1.53 L, the PDF 1.52 L)
    ("hkFollowers", [100_500], fmt.followers),  # 1.01 L (the PDF read 1 L)
    ("hkInrSmall", [109_500], fmt.inr_small),  # ₹1.10 L, two decimals as inr_compact (the grid read ₹1.1 L)
    ("hkInr", [0.125, 2], lambda v: fmt.inr(v, 2)),
    ("hkInr", [2.5, 0], lambda v: fmt.inr(v)),
    ("hkShare", [-0.0004], fmt.share),
    ("hkCount", [107154], fmt.count),
    ("hkCount", [1126.6000000000001], fmt.count),  # an estimated count: 1,126.6
    ("hkCount", [2.45], fmt.count),
    ("hkCount", [2.999], fmt.count),
    ("hkFollowers", [8_600_000], fmt.followers),
    ("hkFollowers", [485_000], fmt.followers),
    ("hkFollowers", [125_000_000], fmt.followers),
    ("hkFollowers", [12_345], fmt.followers),
    ("hkDate", ["2025-01-05"], fmt.date),
    ("hkInr", [None, 0], lambda v: fmt.inr(v)),
]


# (formatter, the column's values, what each cell reads): tester t1 (s18) saw "77,012" beside
# "19.11 L" and "2.9 L" on /influencers, "27.4 L" beside "45.22 L" on /platforms, "2,544.7" beside
# "2,727.16" on /audience. A column reads in one unit (its largest value's) and one precision.
COLUMN_CASES = [
    ("hkFollowers", [77_012, 1_911_000, 290_000, 420_000, None], ["0.77 L", "19.11 L", "2.90 L", "4.20 L", "—"]),
    ("hkFollowers", [2_740_000, 4_522_000], ["27.40 L", "45.22 L"]),
    ("hkFollowers", [8_000, 12_345], ["8,000", "12,345"]),  # below a lakh: in full
    ("hkFollowers", [125_000_000, 485_000], ["12.50 Cr", "0.05 Cr"]),
    # tester t2 (s18): "Unknown | 0 | 0.00 L"; what would read 0.00 in the unit reads in full
    ("hkFollowers", [0, 350, 4_522_000, 499, 600], ["0", "350", "45.22 L", "499", "0.01 L"]),
    ("hkFollowers", [153_500, 80_000], ["1.54 L", "0.80 L"]),  # a tie half away from zero on both sides
    ("hkCount", [2544.7, 2727.16, 3000], ["2,544.70", "2,727.16", "3,000.00"]),
    ("hkCount", [2544, 2727, 107154], ["2,544", "2,727", "1,07,154"]),
]


def test_a_grid_column_of_counts_reads_in_one_format(page, live_server, page_problems):
    goto(page, live_server.url + "/influencers", timeout=90_000)
    shown = page.evaluate(
        """cases => cases.map(([name, values]) => {
            const rows = values.map(v => ({x: v}));
            const params = {api: {getGridOption: key => (key === "rowData" ? rows : null)}, colDef: {field: "x"}};
            return values.map(v => window.dashAgGridFunctions[name](v, params));
        })""",
        [[name, values] for name, values, _ in COLUMN_CASES],
    )
    assert [[normalise(v) for v in column] for column in shown] == [expected for _, _, expected in COLUMN_CASES]
    # the PDF's tables read a column by the server's twin of each formatter
    server = {"hkFollowers": fmt.followers_column, "hkCount": fmt.counts_column}
    assert [[normalise(v) for v in server[name](values)] for name, values, _ in COLUMN_CASES] == [
        expected for _, _, expected in COLUMN_CASES
    ]
    assert not page_problems, page_problems


def test_grid_formatters_in_the_browser_match_the_servers(page, live_server, page_problems):
    """The grids format in the browser (assets/dashAgGridFunctions.js): each formatter gives what
    metrics.format gives for the same value, so a table, its hover and its PDF read the same."""
    goto(page, live_server.url + "/influencers", timeout=90_000)
    shown = page.evaluate(
        "cases => cases.map(([name, args]) => window.dashAgGridFunctions[name](...args))",
        [[name, args] for name, args, _ in GRID_CASES],
    )
    expected = [normalise(python(args[0])) for _, args, python in GRID_CASES]
    assert [normalise(v) for v in shown] == expected
    assert not [v for v in shown if v.startswith(("-₹0", fmt.NEGATIVE + "₹0", "-0.0", "−"))], shown
    assert not page_problems, page_problems


PAGES = [
    "/",
    "/influencers",
    "/campaigns",
    "/platforms",
    "/categories",
    "/payouts",
    "/content",
    "/insights",
    "/lift",
    "/plan",
]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
WESTERN_UNIT = re.compile(r"(?<![\w.])\d+(\.\d+)?\s?[MKB]\b")
FRACTION_ANYWHERE = re.compile(r"₹0\.\d+ (?:L|Cr)\b")
NEGATIVE_ZERO = re.compile(r"[-−]\u2060?\s?₹?0(\.0+)?(?!\.?\d)\s?%?")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_reads_one_way(page, live_server, page_problems, path):
    """What a page shows (HTML text and the charts' SVG text) holds issue 13's formatting points:
    no ISO date, no Western unit (8.6M, 485K), no negative zero, no fraction of a lakh or crore on an
    axis, no repeated tick label on an axis."""
    goto(page, live_server.url + path + "?start=2025-01-01&end=2025-03-31", timeout=90_000)
    page.wait_for_timeout(500)  # charts are drawn after the callbacks answer
    shown = normalise(page.inner_text("body")) + " " + " ".join(svg_texts(page, ".main-svg text"))
    assert not ISO_DATE.findall(shown), ISO_DATE.findall(shown)
    assert not WESTERN_UNIT.search(shown), WESTERN_UNIT.search(shown)
    assert not NEGATIVE_ZERO.search(shown), NEGATIVE_ZERO.search(shown)
    assert not FRACTION_ANYWHERE.search(shown), FRACTION_ANYWHERE.findall(shown)
    repeated = page.evaluate(
        """() => [...document.querySelectorAll('.main-svg')].flatMap(svg =>
            ['xtick', 'ytick'].map(axis => [...svg.querySelectorAll('.' + axis + ' text')].map(t => t.textContent))
        ).filter(labels => new Set(labels).size !== labels.length)"""
    )
    assert not repeated, repeated
    assert re.search(r"imported \d{1,2} \w{3} \d{4}, \d{2}:\d{2} IST", normalise(page.inner_text("#dataset-info")))
    assert not page_problems, page_problems
