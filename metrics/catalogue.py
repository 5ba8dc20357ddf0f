"""The metric catalogue: every figure of METRICS.md declared once, and the business rules behind them.

In the manner of dbt MetricFlow's semantic layer (https://docs.getdbt.com/docs/build/metrics-overview):
a metric is declared once — key, label, unit, how it is computed (a column sum, a ratio of two sums
with its zero-denominator rule, a share of the total, or a derived figure), the formula text shown in
tooltips and the PDF, its formatter, whether higher is better, and its threshold setting where it has
one — and everything else reads the declaration: KPI cards, grid columns and CSV headers
(components/tables.metric_col), chart axes, bar labels and hovers (components/figures), the PDF's
tables and methodology (reports/build), the `summary --json` documentation (docs/cli.md, checked by
tests/test_catalogue.py) and the pooled ratios themselves (`apply_ratios`, used by metrics.aggregate).

Adding a metric is one `_declare(...)` line here (plus its SQL when it is a new sum) and its tests:
docs/dashboard.md, "Adding a metric".

The rules (poor performer, tiers, the payout-terms tolerance, time grains) are defined once at the
end of this module, each with its SQL, its pandas form and its prose.

No Dash here (metrics know nothing of Dash); formatting comes from metrics.format.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics import format as fmt

if TYPE_CHECKING:  # Settings imports this module's tier rule; only its type is needed here
    from metrics.settings import Settings


# --- units -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Unit:
    """How a kind of number reads: `text` in tables, hovers and the PDF, `short` on cards and bar
    labels, `grid` the browser formatter (assets/dashAgGridFunctions.js), `file_decimals` the rounding
    in CSV files (None: 12 significant digits), `axis` the kind of chart axis, `column` a PDF table's
    column of values read as one (docs/metrics.md "Display": one unit and precision per column, the
    grids' hkFollowers and hkCount; None: each value's `short`), `file_scale` what a stored value is
    multiplied by in CSV files (100: a fraction written as a percent; docs/metrics.md, "Exports")."""

    key: str
    symbol: str
    text: Callable[[object, int], str]
    short: Callable[[object, int], str]
    grid: str
    default_decimals: int
    file_decimals: int | None
    axis: str
    column: Callable[[list, int], list[str]] | None = None
    file_scale: float = 1.0

    @property
    def file_header(self) -> str | None:
        """The unit a CSV header names in brackets ("ROAS (×)"); None for counts, which have none."""
        return None if self.symbol == "count" else self.symbol


# METRICS.md: "Exports keep full precision as plain numbers". Ratios, percents and scores are written
# to 10 decimals: far below any figure's meaning, and a difference of equal figures (a Δ of −2e-16,
# summation-order noise) reads 0. Money is written to paise.
FILE_DECIMALS = 10

INR = Unit(
    "inr",
    "₹",
    lambda v, d: fmt.inr(v, d),
    lambda v, d: fmt.inr_compact(v) if abs(fmt.clean(v) or 0) >= fmt.LAKH else fmt.inr(v, d),
    "hkInr",
    0,
    2,
    "money",
    fmt.money_column,
)
# Money that is often below a rupee (revenue per follower): significant digits, full precision in files.
INR_SMALL = Unit(
    "inr_small", "₹", lambda v, d: fmt.inr_small(v), lambda v, d: fmt.inr_small(v), "hkInrSmall", 2, None, "money"
)
COUNT = Unit(
    "count",
    "count",
    lambda v, d: fmt.count(v),
    lambda v, d: fmt.count(v),
    "hkCount",
    0,
    None,
    "count",
    lambda values, d: fmt.counts_column(values),
)
FOLLOWERS = Unit(
    "followers",
    "count",
    lambda v, d: fmt.followers(v),
    lambda v, d: fmt.followers(v),
    "hkFollowers",
    0,
    None,
    "count",
    lambda values, d: fmt.followers_column(values),
)
RATIO = Unit(
    "ratio", "×", lambda v, d: fmt.ratio(v, d), lambda v, d: fmt.ratio(v, d), "hkRatio", 2, FILE_DECIMALS, "ratio"
)
PCT = Unit("pct", "%", lambda v, d: fmt.pct(v, d), lambda v, d: fmt.pct(v, d), "hkPct", 1, FILE_DECIMALS, "pct")
SHARE = Unit(
    "share",
    "%",
    lambda v, d: fmt.share(v, d),
    lambda v, d: fmt.share(v, d),
    "hkShare",
    1,
    FILE_DECIMALS,
    "share",
    file_scale=100,
)
SCORE = Unit(
    "score",
    "0–100",
    lambda v, d: fmt.decimal(v, d),
    lambda v, d: fmt.decimal(v, d),
    "hkDecimal",
    1,
    FILE_DECIMALS,
    "count",
)
# A relative change against the comparison period (a fraction, shown signed: +12.3%).
CHANGE = Unit(
    "change",
    "%",
    lambda v, d: fmt.change(v, d),
    lambda v, d: fmt.change(v, d),
    "hkChange",
    1,
    FILE_DECIMALS,
    "share",
    file_scale=100,
)
UNITS = {unit.key: unit for unit in (INR, INR_SMALL, COUNT, FOLLOWERS, RATIO, PCT, SHARE, SCORE, CHANGE)}


# --- how a metric is computed ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sum:
    """Σ of a column over the selection (SQL in metrics.aggregate)."""

    column: str

    def describe(self) -> str:
        """The computation as text: Σ of the column."""
        return f"Σ {self.column}"


@dataclasses.dataclass(frozen=True)
class Ratio:
    """(numerator − minus) ÷ denominator × scale over pooled sums; undefined (None, "—") when the
    denominator is 0 or missing — never inf, NaN or 0."""

    numerator: str
    denominator: str
    scale: float = 1.0
    minus: str | None = None
    # An average of an amount that refunds can take below zero (AOV: revenue ÷ orders) means
    # nothing there: "AOV −₹1,600" is no order's value. Such a ratio is undefined when its
    # numerator is ≤ 0 (docs/metrics.md, "Ratios").
    positive_numerator: bool = False

    def describe(self) -> str:
        """The computation as text: (numerator − minus) ÷ denominator, scaled."""
        top = f"({self.numerator} − {self.minus})" if self.minus else self.numerator
        return f"{top} ÷ {self.denominator}" + (f" × {self.scale:g}" if self.scale != 1 else "")

    @property
    def undefined_when(self) -> str:
        """When the ratio is undefined (shown “—”): its denominator is 0 (or its numerator ≤ 0,
        where it must be positive)."""
        zero = f"{self.denominator} = 0"
        return f"{self.numerator} ≤ 0 or {zero}" if self.positive_numerator else zero

    def values(self, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
        """top ÷ bottom × scale as an object array, None where this ratio is undefined."""
        if self.positive_numerator:
            top = np.where(top > 0, top, np.nan)
        return _ratio_values(top, bottom, self.scale)

    def column(self, frame: pd.DataFrame) -> pd.Series:
        """The ratio of each row of `frame`: floats, None where undefined (object dtype)."""
        top = frame[self.numerator]
        if self.minus:
            top = top - pd.to_numeric(frame[self.minus], errors="coerce").fillna(0)
        return pd.Series(self.values(_floats(top), _floats(frame[self.denominator])), index=frame.index, dtype=object)


@dataclasses.dataclass(frozen=True)
class Share:
    """A row's part of the column total of the frame (share_column's rule: None unless the total is
    above 0)."""

    column: str

    def describe(self) -> str:
        """The computation as text: the row's share of the column's total."""
        return f"{self.column} ÷ Σ {self.column}"

    @property
    def undefined_when(self) -> str:
        """When the shares are undefined (shown “—”): the total is not above 0."""
        return f"Σ {self.column} ≤ 0"


@dataclasses.dataclass(frozen=True)
class Derived:
    """Anything else (a rule, a score, an estimate); `how` says what."""

    how: str

    def describe(self) -> str:
        """The computation as text, as declared."""
        return self.how


def _floats(values) -> np.ndarray:
    """A column's values as float64, NaN where missing or not a number (pd.to_numeric's coercion)."""
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    if not pd.api.types.is_numeric_dtype(values.dtype):  # numeric columns need no coercion (the common case)
        values = pd.to_numeric(values, errors="coerce")
    return values.to_numpy(dtype=float, na_value=np.nan)


def _ratio_values(top: np.ndarray, bottom: np.ndarray, scale: float) -> np.ndarray:
    """top ÷ bottom × scale as an object array: floats, None where undefined."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values = top / bottom * scale
    defined = np.isfinite(values) & (bottom != 0)
    result = values.astype(object)
    result[~defined] = None
    return result


def _share_values(parts: np.ndarray) -> np.ndarray:
    """Each part ÷ the parts' total as an object array; None everywhere unless the total is above 0."""
    known = parts[~np.isnan(parts)]
    total = float(known.sum()) if known.size and known.sum() > 0 else np.nan
    return _ratio_values(parts, np.full(len(parts), total), 1.0)


def share_column(parts: pd.Series) -> pd.Series:
    """Each part's share of the parts' total (fractions; an object Series on parts' index).

    The rule for every share (docs/metrics.md, "Shares"): a share of a total ≤ 0 is undefined —
    None for every part (refunds exceeding sales make the whole negative; −56 % and 156 % of it
    mean nothing). Under a positive total a negative part keeps its signed share, so shares
    still add up to 1 (a donut cannot draw it: see share_chart_gap)."""
    return pd.Series(_share_values(_floats(parts)), index=parts.index, dtype=object)


def share(part, total):
    """part ÷ total, a fraction; None unless total is above 0 (share_column's rule)."""
    part, total = fmt.clean(part), fmt.clean(total)
    if part is None or total is None or total <= 0:
        return None
    return part / total


def share_chart_gap(names, parts, what: str) -> str | None:
    """Why the parts cannot be drawn as slices of one whole (a donut), or None when they can.

    A slice cannot be below zero, and a whole ≤ 0 has no shares (share_column): a part whose
    refunds exceed its sales makes either true. The text names those parts with their amounts
    (₹), for the note drawn in the donut's place; `what` names the amount ("revenue")."""
    pairs = [(str(n), fmt.clean(v) or 0.0) for n, v in zip(names, parts)]
    below = [f"{name} {fmt.inr(value)}" for name, value in pairs if value < 0]
    total = sum(value for _, value in pairs)
    if total > 0 and not below:
        return None
    if below:
        return f"No shares to draw: {what} is below zero for {', '.join(below)} (refunds exceed sales)."
    return f"No shares to draw: {what} in the selection is {fmt.inr(total)}."


def ratio_column(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    """numerator ÷ denominator × scale for whole columns: floats, and None where undefined (a 0 or
    missing denominator, or a non-finite result). Returns an object Series on numerator's index."""
    index = numerator.index if isinstance(numerator, pd.Series) else pd.Series(numerator).index
    result = _ratio_values(_floats(numerator), _floats(denominator), scale)
    return pd.Series(result, index=index, dtype=object)


# --- metrics -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Metric:
    """One figure. `formula` may name settings in braces ({poor_roas}, {baseline_pct},
    {engagement_basis}); `formula_for(settings)` fills them in."""

    key: str
    label: str
    unit: Unit
    computed: Sum | Ratio | Share | Derived
    formula: str
    higher_is_better: bool | None = None
    header: str | None = None  # short column header, where the label is too long
    decimals: int | None = None  # full-text decimals (CAC ₹719.56), else the unit's
    threshold: str | None = None  # the Settings field below which the figure is poor
    note: str = ""  # the PDF methodology's note column
    json: str | None = None  # meaning in `summary --json` (docs/cli.md), where it is a key

    @property
    def column_header(self) -> str:
        """The table and CSV header: `header` when set, else the label."""
        return self.header or self.label

    @property
    def digits(self) -> int:
        """Decimals shown: the metric's own, else its unit's default."""
        return self.unit.default_decimals if self.decimals is None else self.decimals

    def text(self, value) -> str:
        """Full text (tables, hovers, PDF): ₹1,78,79,815 · 1,07,154 · 11.21x · 35.2% · 86 L."""
        return self.unit.text(value, self.digits)

    def short(self, value) -> str:
        """Short text (cards, bar labels): ₹17.88 Cr; small amounts in full (₹719.56)."""
        return self.unit.short(value, self.digits)

    def column(self, values: list) -> list[str]:
        """A PDF table's column of this figure, one text per value in one unit and precision
        (Unit.column: "₹0.24 L" beside "₹48.01 L"); each value's `short` for units without one."""
        if self.unit.column is None:
            return [self.short(v) for v in values]
        return self.unit.column(values, self.digits)

    def formula_for(self, settings: Settings) -> str:
        """The formula text with the settings' thresholds filled in."""
        return self.formula.format(**setting_words(settings))

    def threshold_value(self, settings: Settings) -> float | None:
        """The metric's threshold under these settings (None when it has none)."""
        return None if self.threshold is None else float(getattr(settings, self.threshold))

    def tone(self, value, settings: Settings) -> str | None:
        """'good' / 'bad' against the threshold ('bad' below it for higher-is-better figures)."""
        number, bar = fmt.clean(value), self.threshold_value(settings)
        if number is None or bar is None or self.higher_is_better is None:
            return None
        good = number >= bar if self.higher_is_better else number <= bar
        return "good" if good else "bad"


def setting_words(settings: Settings) -> dict:
    """Settings as the words formulas print: raw fields plus formatted forms (baseline_pct '2%')."""
    return dict(_setting_words(settings))


@functools.lru_cache(maxsize=16)
def _setting_words(settings: Settings) -> dict:
    # Settings are frozen: every formula of a page (a dozen KPI cards) reads the same words; the
    # caller gets a copy, this one is never changed.
    words = dict(settings.as_dict())
    words.update(
        baseline_pct=fmt.share(settings.baseline_share, 0),
        new_customer_pct=fmt.share(settings.new_customer_share, 0),
        poor_rule=POOR_PERFORMER.text(settings),
        tiers=tier_text(settings),
    )
    return words


CATALOGUE: dict[str, Metric] = {}


def _declare(key, label, unit, computed, formula, higher_is_better=None, **extra) -> Metric:
    if key in CATALOGUE:
        raise ValueError(f"metric {key!r} declared twice")
    CATALOGUE[key] = Metric(key, label, unit, computed, formula, higher_is_better, **extra)
    return CATALOGUE[key]


def get(key: str) -> Metric:
    """The declaration of `key`; KeyError naming the known keys when there is none."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"no metric {key!r} in metrics/catalogue.py; known: {', '.join(sorted(CATALOGUE))}") from None


# Sums over the selection.
_declare(
    "revenue",
    "Revenue",
    INR,
    Sum("revenue"),
    "Σ revenue of attributed sales in the selection",
    True,
    note="tracked by promo code, link or swipe-up; refunds netted",
    json="sum over the selection (₹)",
)
_declare(
    "refunds",
    "Refunds",
    INR,
    Sum("refunds"),
    "Σ rupees given back by refund rows (negative revenue) in the selection, already subtracted from revenue",
    note="refund rows: negative revenue, 0 or negative orders",
    json="rupees refunded in the selection, a positive amount already subtracted from revenue (₹)",
)
_declare(
    "orders",
    "Orders",
    COUNT,
    Sum("orders"),
    "Σ orders of attributed sales in the selection",
    True,
    json="sum over the selection",
)
_declare(
    "spend",
    "Spend",
    INR,
    Sum("spend"),
    "Σ influencer cost (payouts + gifted products + other cost); a sale filter takes the matching share "
    "of each influencer's cost",
    note="total_cost where given, else computed from the terms",
    json="sum over the selection (₹)",
)
_declare(
    "new_customers",
    "New customers",
    COUNT,
    Sum("new_customers"),
    "Buyers (user_id) counted once, on their first attributed order; without user ids "
    "{new_customer_share:g} × orders, labelled estimated",
    True,
    json="first-time buyers (user_id), or `new_customer_share × orders` where buyers are unknown",
)
_declare(
    "influencers",
    "Influencers",
    COUNT,
    Sum("influencers"),
    "Known influencers in the selection",
    json="known influencers in the selection",
)
_declare("followers", "Followers", FOLLOWERS, Sum("follower_count"), "Σ followers of the known influencers", True)
_declare("posts", "Posts", COUNT, Sum("posts"), "Posts in the selection")
_declare(
    "reach",
    "Reach",
    COUNT,
    Sum("reach"),
    "Σ reach of the posts",
    True,
    json="Σ reach of the selection's posts (`null` where none reports it): the engagement rate's denominator "
    'where `engagement_basis` is `"reach"`',
)
_declare(
    "impressions",
    "Impressions",
    COUNT,
    Sum("impressions"),
    "Σ impressions of the posts",
    True,
    json="Σ impressions of the selection's posts (`null` where none reports them)",
)
_declare("views", "Views", COUNT, Sum("views"), "Σ views of the posts", True)
_declare("likes", "Likes", COUNT, Sum("likes"), "Σ likes of the posts", True)
_declare("comments", "Comments", COUNT, Sum("comments"), "Σ comments on the posts", True)
_declare("shares", "Shares", COUNT, Sum("shares"), "Σ shares of the posts", True)
_declare("saves", "Saves", COUNT, Sum("saves"), "Σ saves of the posts", True)
_declare(
    "engagements",
    "Engagements",
    COUNT,
    Sum("engagements"),
    "Likes + comments + shares + saves (columns present)",
    True,
    note="over the columns present",
)
_declare(
    "poor_performers",
    "Poor performers",
    COUNT,
    Derived("count of influencers flagged poor"),
    "Influencers with {poor_rule}",
    False,
    json="known influencers flagged poor (docs/metrics.md)",
)

# Pooled ratios (ratio of sums).
_declare(
    "roas",
    "ROAS",
    RATIO,
    Ratio("revenue", "spend"),
    "ROAS = revenue ÷ spend (pooled over the selection)",
    True,
    threshold="poor_roas",
    note="pooled: ratio of sums, never a mean of ratios",
    json="pooled ratio (`null` when the denominator is 0)",
)
_declare(
    "roi_pct",
    "ROI",
    PCT,
    Ratio("revenue", "spend", 100, minus="spend"),
    "ROI = (revenue − spend) ÷ spend × 100",
    True,
    threshold="poor_roi_pct",
    json="pooled ratio, in % (`null` when the denominator is 0)",
)
_declare(
    "aov",
    "AOV",
    INR,
    Ratio("revenue", "orders", positive_numerator=True),
    "AOV = revenue ÷ orders (— where revenue net of refunds is ≤ 0)",
    True,
    json="pooled ratio (₹; `null` when orders are 0 or revenue is ≤ 0)",
)
_declare(
    "cost_per_order",
    "Cost per order",
    INR,
    Ratio("spend", "orders"),
    "Cost per order = spend ÷ orders",
    False,
    header="Cost / order",
    decimals=2,
    json="pooled ratio (₹; `null` when the denominator is 0)",
)
_declare(
    "cac",
    "CAC",
    INR,
    Ratio("spend", "new_customers"),
    "CAC = spend ÷ new customers",
    False,
    decimals=2,
    note="estimated when new customers are",
    json="spend / new_customers (₹; estimated when new_customers is)",
)


NO_COST = "No cost recorded (₹0 spend)"
# ₹0 spend of a creator that has a cost, in a selection without its posts: its fixed fees follow
# posts (docs/metrics.md "How spend follows the filters"), so the payouts file is not the place to look.
NO_POST_COST = "₹0 spend: no post in the selection (fees follow posts)"
COST_KEYS = ("cac", "cost_per_order", "cpe", "cpm")  # costs per unit: spend ÷ a count
RETURNS_KEYS = ("roas", "roi_pct")  # coloured together by POOR_PERFORMER.tone on KPI cards


def cost_note(key: str, values: Mapping) -> str | None:
    """What to say under the card of a cost per unit whose figure needs it (`key` one of COST_KEYS,
    a catalogue Ratio of spend over a count): "No new customers" / "No orders" / … where the figure
    is "—" (undefined only at a count of 0), NO_COST where spend is ₹0 (the figure is ₹0.00 by
    METRICS.md's formula, most likely a payout missing from the data rather than free customers,
    orders or reach: docs/metrics.md "Cost figures where no cost is recorded"); else None.
    `values`: the figures the card is drawn from (kpis(), a creator's profile): the figure `key`
    and spend (₹); CPM's count is the one `cpm_basis` names (impressions, else reach)."""
    if key not in COST_KEYS:
        raise ValueError(f"{key!r} is not a cost per unit (spend ÷ a count): {', '.join(COST_KEYS)}")
    computed = get(key).computed
    assert isinstance(computed, Ratio)  # every COST_KEYS metric is spend ÷ a count
    if fmt.clean(values.get(key)) is None:
        count = (values.get("cpm_basis") or computed.denominator) if key == "cpm" else computed.denominator
        return f"No {count.replace('_', ' ')}"
    if not (fmt.clean(values.get("spend")) or 0) > 0:
        return zero_spend_note(values)
    return None


def zero_spend_note(values: Mapping) -> str:
    """What ₹0 spend means for `values` (a creator's row or profile): NO_POST_COST where it has no
    post in the selection and a cost recorded in the data set (recorded_cost ₹, metrics.planning.
    verdicts.with_recorded_cost: only such rows carry it), else NO_COST (most likely a payout missing)."""
    no_post = "posts" in values and not fmt.clean(values.get("posts"))
    return NO_POST_COST if no_post and (fmt.clean(values.get("recorded_cost")) or 0) > 0 else NO_COST


def card_note(key: str, values: Mapping) -> str | None:
    """The line under the card of figure `key` that says why it reads as it does: cost_note for a
    cost per unit; for another figure reading "—", its undefined_cause with the first letter upper
    case ("No posts"), ₹0 spend said as zero_spend_note does ("No cost recorded (₹0 spend)" under
    ROAS); None where the figure is defined or the row cannot say why. `values`: cost_note's."""
    if key in COST_KEYS:
        return cost_note(key, values)
    cause = undefined_cause(key, values)
    if cause is None:
        return None
    return zero_spend_note(values) if cause == _none_of("spend") else cause[0].upper() + cause[1:]


# Figures a headline (a card, a PDF box, the text summary's line) shows in whole units though an
# estimate makes them fractional: "New customers 7,599.8" on a card read as an error (tester t1,
# session 19). Tables, hovers and CSVs keep the exact count (fmt.count: up to two decimals).
WHOLE_ON_HEADLINES = ("new_customers",)


def headline_text(key: str, value) -> str:
    """The headline text of figure `key` (its short text): an estimated (not whole) count of
    WHOLE_ON_HEADLINES rounded to whole units and marked "≈" ("≈7,600"; display rounding: fmt.half_away)."""
    number = fmt.clean(value)
    if key in WHOLE_ON_HEADLINES and number is not None and "." in fmt.count(number):
        return f"≈{fmt.count(fmt.half_away(number))}"
    return get(key).short(value)


def exact_note(key: str, value) -> str | None:
    """ "7,599.8 before rounding" beside a headline_text that rounded an estimate, so a ratio built on
    the exact count (CAC = spend ÷ 7,599.8) can be checked from what is shown; None where it did not."""
    if headline_text(key, value) == get(key).short(value):
        return None
    return f"{fmt.count(value)} before rounding"


def with_cost_note(key: str, values: Mapping, text: str) -> str:
    """`text` (the cost figure `key` of `values` as a line shows it: "₹0.00", "Cost per order ₹0.00")
    followed by cost_note's note where there is one ("₹0.00 · No cost recorded (₹0 spend)"), for the
    places a cost is part of a line of text rather than a card with a line of its own (hkdash
    summary, the overview's Orders card, the headline finding)."""
    note = cost_note(key, values)
    return f"{text} · {note}" if note else text


def _operand_words(column: str) -> str:
    """A ratio's operand as a sentence names it: its label in lower case ("new customers"), an
    acronym kept ("CAC"), the column's name where the catalogue has no label."""
    metric = CATALOGUE.get(column)
    if metric is None:
        return column.replace("_", " ")
    return metric.label if metric.label[:2].isupper() else metric.label[0].lower() + metric.label[1:]


def _none_of(column: str) -> str:
    """An operand of 0 in words: "₹0 spend" for money, "no orders" / "no new customers" for counts."""
    money = getattr(CATALOGUE.get(column), "unit", None) is INR
    return f"₹0 {_operand_words(column)}" if money else f"no {_operand_words(column)}"


def _at_most_zero(column: str) -> str:
    """An operand that must be above 0 and is not, in words: "revenue ≤ ₹0"."""
    money = getattr(CATALOGUE.get(column), "unit", None) is INR
    return f"{_operand_words(column)} ≤ {'₹0' if money else '0'}"


def undefined_cause(key: str, row: Mapping) -> str | None:
    """Why the catalogue ratio or share `key` of `row` is undefined (shown "—"), in words: "₹0 spend",
    "no orders", "revenue ≤ ₹0", "CAC undefined" (an operand undefined itself), "total revenue ≤ ₹0"
    (a share); None when the figure is defined, is not a ratio or share, or `row` lacks the operand
    that would say why. `row`: one table row (the figure and its operands, ₹ and counts)."""
    metric = CATALOGUE.get(key)
    if metric is None or fmt.clean(row.get(key)) is not None:
        return None
    if key in UNDEFINED_RULES:
        return UNDEFINED_RULES[key](key, row)
    return _ratio_cause(key, row)


def _ratio_cause(key: str, row: Mapping) -> str | None:
    """undefined_cause of a catalogue ratio or share by its operands."""
    computed = CATALOGUE[key].computed
    if isinstance(computed, Share):
        return f"total {_at_most_zero(computed.column)}"
    if not isinstance(computed, Ratio):
        return None
    below = _denominator(key, computed, row)
    if below not in row:
        return _no_posts(below, row)
    denominator = fmt.clean(row.get(below))
    if denominator is None and isinstance(getattr(CATALOGUE.get(below), "computed", None), Ratio):
        return f"{CATALOGUE[below].label} undefined"
    if not denominator:  # 0, or a count the data does not give (followers of an unknown creator)
        return _none_of(below)
    top = fmt.clean(row.get(computed.numerator))
    if computed.positive_numerator and top is not None and top <= 0:
        return _at_most_zero(computed.numerator)
    return None


def _denominator(key: str, computed: Ratio, row: Mapping) -> str:
    """The field of `row` the ratio `key` divided by: CPM's count is the one cpm_basis names
    (impressions, else reach), as in cost_note; the engagement rate's the settings' engagement_basis
    where the row names it (metrics.kpis: reach, impressions or followers), else reach."""
    if key == "cpm":
        return row.get("cpm_basis") or computed.denominator
    if key == "engagement_rate_pct":
        return row.get("engagement_basis") or computed.denominator
    return computed.denominator


# Counts only posts report: a ratio over one is undefined in a row without posts.
POST_COUNTS = ("reach", "impressions", "engagements")


def _no_posts(denominator: str, row: Mapping) -> str | None:
    """A ratio over a post count (POST_COUNTS) in a row that has the post count but not that
    figure (a ranking row, a creator's profile): "no posts" where it has none."""
    if denominator in POST_COUNTS and "posts" in row and not fmt.clean(row.get("posts")):
        return "no posts"
    return None


def _unscored(key: str, row: Mapping) -> str | None:
    """The efficiency score and the rank order only creators whose ROAS is defined
    (metrics.ranking.efficiency_scores, the rank by ROAS)."""
    return "ROAS undefined" if "roas" in row and fmt.clean(row.get("roas")) is None else None


def _no_response_curve(key: str, row: Mapping) -> str | None:
    """A response curve is fitted to creators with spend (metrics.planning.curves.creator_points):
    none at ₹0 spend; the plan's marginal ROAS at a planned ₹0 is none either (the segment is cut)."""
    spend = "planned_spend" if key == "planned_marginal_roas" else "spend"
    if spend not in row or (fmt.clean(row.get(spend)) or 0) > 0:
        return None
    return "cut to ₹0" if key == "planned_marginal_roas" else _none_of("spend")


def _no_old_customer(key: str, row: Mapping) -> str | None:
    """Customer value counts only customers acquired early enough for the whole horizon (metrics.ltv)."""
    days = key.rsplit("_", 1)[1]
    return f"no customer acquired {days}+ days before the last sale"


def _no_comparison(key: str, row: Mapping) -> str | None:
    """A relative change (metrics.comparison.with_changes) needs a comparison period, the figure now
    and a figure then that is defined and not 0; the row carries the comparison's gap and its figures."""
    if gap := row.get(COMPARISON_GAP):
        return f"no comparison period ({gap})"
    base = key.removesuffix("_change")
    if f"{base}{THEN_SUFFIX}" not in row:
        return None
    if fmt.clean(row.get(base)) is None:
        return f"{get(base).label} undefined"
    if not isinstance(get(base).computed, Ratio):
        return f"{_none_of(base)} in the comparison period"  # a sum: no row then is none of it
    if fmt.clean(row.get(f"{base}{THEN_SUFFIX}")) is None:
        return f"{get(base).label} undefined in the comparison period"
    return f"{get(base).label} {get(base).text(0)} in the comparison period"


# The columns with_changes adds beside `<key>_change`: why there is no comparison period (None where
# there is one) and `<key>` in the comparison period, read by _no_comparison.
COMPARISON_GAP = "comparison_gap"
THEN_SUFFIX = "_then"


def undefined_reason(key: str, row: Mapping) -> str | None:
    """undefined_cause with the figure named, as a cell's tooltip says it: "₹0 spend: ROAS undefined"."""
    cause = undefined_cause(key, row)
    return f"{cause}: {get(key).label} undefined" if cause else None


def cell_reason(key: str, row: Mapping) -> str | None:
    """Why the cell of figure `key` in `row` reads as it does where that needs saying: undefined_reason
    for "—", and cost_note's NO_COST for a cost per unit of ₹0.00 at ₹0 spend (as its card says)."""
    reason = undefined_reason(key, row)
    return zero_cost_note(key, row) if reason is None else reason


def zero_cost_note(key: str, row: Mapping) -> str | None:
    """cost_note of a cost per unit `key` of `row` that reads ₹0.00 at ₹0 spend (NO_COST, or
    NO_POST_COST where the row has no post in the selection and a cost recorded); None for any other
    figure, and where the row lacks its spend."""
    if key in COST_KEYS and fmt.clean(row.get(key)) is not None and "spend" in row:
        return cost_note(key, row)
    return None


def zero_cost_footnote(notes) -> str | None:
    """The line under a table whose costs per unit read ₹0.00 at ₹0 spend saying why, as their cards
    do: "CAC ₹0.00: No cost recorded (₹0 spend)." (a column's notes joined by "or", columns grouped by
    their notes, in table order). `notes`:
    (column header, zero_cost_note) of each cell; None when no cell has a note."""
    by_header: dict[str, list[str]] = {}
    for header, note in notes:
        if note and note not in by_header.setdefault(header, []):
            by_header[header].append(note)
    by_notes: dict[str, list[str]] = {}
    for header, found in by_header.items():
        if found:
            said = " or ".join([found[0]] + [note[0].lower() + note[1:] for note in found[1:]])
            by_notes.setdefault(said, []).append(header)
    return " ".join(f"{_and(headers)} {fmt.inr(0, 2)}: {said}." for said, headers in by_notes.items()) or None


def cell_reasons(frame: pd.DataFrame, keys=None) -> list[dict[str, str]]:
    """Per row of `frame`, {figure key: cell_reason} of its cells that need one ({} for most rows),
    over the catalogue ratios and shares among `keys` (default: the frame's columns). Only the
    candidate cells (not finite, or a cost beside ₹0 spend) are looked at one by one."""
    reasons: list[dict[str, str]] = [{} for _ in range(len(frame))]
    columns = [k for k in (frame.columns if keys is None else keys) if k in frame.columns]
    for key in columns:
        if not explains_undefined(key):
            continue
        computed = CATALOGUE[key].computed
        candidate = ~np.isfinite(_floats(frame[key]))
        if key in COST_KEYS and "spend" in frame.columns:
            candidate |= ~(_floats(frame["spend"]) > 0)
        operands = [
            key,
            "spend",
            "cpm_basis",
            "reach" if key == "cpm" else None,  # CPM's count where no post reports impressions
            getattr(computed, "numerator", None),
            getattr(computed, "denominator", None),
            *_rule_operands(key),
        ]
        present = list(dict.fromkeys(c for c in operands if c in frame.columns))
        rows = np.flatnonzero(candidate)
        for position, row in zip(rows, frame.iloc[rows][present].to_dict("records")):
            if reason := cell_reason(key, row):
                reasons[position][key] = reason
    return reasons


def _rule_operands(key: str) -> tuple[str, ...]:
    """The row fields an UNDEFINED_RULES rule reads besides the figure and spend."""
    if key in ("efficiency_score", "rank"):
        return ("roas",)
    if key == "incremental_roas":
        return ("incrementality_reason",)
    if key == "planned_marginal_roas":
        return ("planned_spend",)
    if key in COST_KEYS:
        return ("posts", "recorded_cost")  # zero_spend_note: ₹0 spend in a selection without the row's post
    if getattr(CATALOGUE[key].computed, "denominator", None) in POST_COUNTS:
        return ("posts",)  # _no_posts where the row lacks the count
    if key.endswith("_change"):
        base = key.removesuffix("_change")
        return (base, f"{base}{THEN_SUFFIX}", COMPARISON_GAP)
    return ()


def undefined_footnote(causes) -> str | None:
    """The line under a table whose cells read "—" saying why, the columns grouped by their causes:
    "— = undefined: ROAS and ROI (₹0 spend); AOV (no orders or revenue ≤ ₹0)." `causes`: (column
    header, undefined_cause) of each such cell, in table order; None when there is none."""
    by_header: dict[str, list[str]] = {}
    for header, cause in causes:
        if cause and cause not in by_header.setdefault(header, []):
            by_header[header].append(cause)
    by_causes: dict[str, list[str]] = {}
    for header, found in by_header.items():
        if found:
            by_causes.setdefault(" or ".join(found), []).append(header)
    if not by_causes:
        return None
    return "— = undefined: " + "; ".join(f"{_and(headers)} ({why})" for why, headers in by_causes.items()) + "."


def _and(names: list[str]) -> str:
    """Names joined as a sentence lists them: ROAS · ROAS and ROI · ROAS, ROI and CAC."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


_declare(
    "revenue_per_follower",
    "Revenue per follower",
    INR_SMALL,
    Ratio("revenue", "followers"),
    "Revenue per follower = revenue ÷ followers (pooled)",
    True,
    header="Rev./follower",
)
_declare(
    "incremental_revenue",
    "Incremental revenue",
    INR,
    Derived("Σ over post windows of (actual − quiet-day baseline), or revenue × (1 − baseline_share)"),
    "Incremental revenue: measured as Σ over each post's window of (actual − the creator's quiet-day "
    "baseline), where the data supports it; else assumed: revenue × (1 − {baseline_pct})",
    True,
    note="measured (event windows) or assumed baseline {baseline_share:g}",
    json="measured incremental revenue (₹) where the data supports it (`incrementality_method` "
    '"event-window"), else the assumed-baseline share of revenue',
)
_declare(
    "incremental_roas",
    "Incremental ROAS",
    RATIO,
    Ratio("incremental_revenue", "spend"),
    "Incremental ROAS = incremental revenue ÷ spend: measured against the creator's quiet days (page Lift), "
    "or the assumed baseline where the data cannot support a measurement",
    True,
    header="Incr. ROAS",
    json="incremental_revenue / spend (`null` when spend is 0, or when measured and the selection holds no post)",
)
_declare(
    "incremental_revenue_low",
    "Incremental revenue, low",
    INR,
    Derived("percentile of bootstrap draws"),
    "Low end of the interval of incremental revenue (stationary bootstrap of quiet days)",
    True,
    header="Low",
    json="low end of the incremental revenue interval (₹); `null` when assumed",
)
_declare(
    "incremental_revenue_high",
    "Incremental revenue, high",
    INR,
    Derived("percentile of bootstrap draws"),
    "High end of the interval of incremental revenue (stationary bootstrap of quiet days)",
    True,
    header="High",
    json="high end of the incremental revenue interval (₹); `null` when assumed",
)
_declare(
    "incremental_roas_low",
    "Incremental ROAS, low",
    RATIO,
    Ratio("incremental_revenue_low", "spend"),
    "Low end of the incremental revenue interval ÷ spend",
    True,
    json="incremental_revenue_low / spend; `null` when assumed, spend is 0 or the selection holds no post",
)
_declare(
    "incremental_roas_high",
    "Incremental ROAS, high",
    RATIO,
    Ratio("incremental_revenue_high", "spend"),
    "High end of the incremental revenue interval ÷ spend",
    True,
    json="incremental_revenue_high / spend; `null` when assumed, spend is 0 or the selection holds no post",
)
_declare(
    "baseline_per_day",
    "Baseline per day",
    INR,
    Derived("mean weekday-adjusted quiet-day revenue"),
    "A creator's typical attributed revenue per day on quiet days (far from its posts); a group: the sum "
    "over its creators",
    header="Baseline / day",
)
_declare(
    "window_revenue",
    "Window revenue",
    INR,
    Sum("window_revenue"),
    "Attributed revenue on the days of the post windows (post day + window − 1, merged)",
)
_declare(
    "incremental_share",
    "Incremental share",
    SHARE,
    Ratio("incremental_revenue", "incremental_share_revenue"),
    "Incremental share = incremental revenue ÷ attributed revenue; with a measured lift and a date range, of "
    "the days the lift counts: the range's days less those in windows of posts dated before its start (their "
    "lift counts in their own range), plus the days after its end in windows of posts dated in it",
    True,
    json="incremental_revenue / incremental_share_revenue (`null` when that is 0)",
)
_declare(
    "engagement_rate_pct",
    "Engagement rate",
    PCT,
    Ratio("engagements", "reach", 100),
    "Engagement rate = engagements ÷ {engagement_basis} × 100 (pooled)",
    True,
    header="Eng. rate",
    note="posts reporting the denominator",
    json="engagements / reach × 100 over the selection's posts",
)
_declare(
    "cpe", "CPE", INR, Ratio("spend", "engagements"), "Cost per engagement = spend ÷ engagements", False, decimals=2
)
_declare(
    "cpm",
    "CPM",
    INR,
    Ratio("spend", "impressions", 1000),
    "CPM = spend ÷ impressions × 1000 (reach where impressions are missing)",
    False,
    decimals=2,
    note="reach where impressions are missing (labelled)",
)
_declare("revenue_share", "Revenue share", SHARE, Share("revenue"), "This row's revenue ÷ the selection's revenue")
_declare("spend_share", "Spend share", SHARE, Share("spend"), "This row's spend ÷ the selection's spend")
_declare(
    "efficiency_score",
    "Efficiency score",
    SCORE,
    Derived("percentile ranks of ROI, ROAS and revenue per follower"),
    "0–100: 40 % ROI + 40 % ROAS + 20 % revenue per follower, as percentile ranks within the selection",
    True,
    header="Efficiency",
    note="among influencers in the selection; undefined ROAS scores last",
)
_declare(
    "rank",
    "Rank",
    COUNT,
    Derived("position by ROAS"),
    "Rank by ROAS (ties by influencer id); none where ROAS is undefined (no spend), listed last",
    header="#",
)

# Campaigns, payouts, content and insights tables.
_declare("budget", "Budget", INR, Sum("budget"), "From the campaigns file, where given")
_declare("budget_used_pct", "Budget used", PCT, Ratio("spend", "budget", 100), "Spend in the selection ÷ budget × 100")
_declare(
    "elapsed_pct",
    "Time elapsed",
    PCT,
    Derived("days run ÷ days planned × 100"),
    "Days from the campaign's start to the last sale date ÷ its days, start to end × 100",
)
_declare(
    "pacing_index",
    "Pacing",
    RATIO,
    Derived("budget used ÷ time elapsed"),
    "Budget used ÷ time elapsed: 1.00x spends the budget exactly by the end; above 1, faster",
)
_declare(
    "projected_spend",
    "Projected spend",
    INR,
    Derived("spend ÷ time elapsed"),
    "Spend at today's rate to the campaign's end (spend ÷ time elapsed); the spend once it has ended",
)
_declare(
    "projected_used_pct",
    "Projected use",
    PCT,
    Derived("projected spend ÷ budget × 100"),
    "Projected spend ÷ budget × 100: above 100 % the campaign is heading for an overrun",
    False,
)
_declare(
    "terms_cost",
    "Terms",
    INR,
    Derived("rate × posts / orders / revenue"),
    "What the terms give: rate × posts, rate × orders, commission % × revenue, or fee × posts + commission % × revenue",
    decimals=2,
)
_declare("total_payout", "Paid", INR, Sum("total_payout"), "total_payout of the payout row", decimals=2)
_declare("difference", "Difference", INR, Derived("paid − terms"), "Paid − terms", decimals=2)
_declare(
    "difference_pct",
    "Difference %",
    PCT,
    Ratio("total_payout", "terms_cost", 100, minus="terms_cost"),
    "(Paid − terms) ÷ terms × 100",
)
_declare("gifted_cost", "Gifted", INR, Sum("gifted_cost"), "Gifted products cost")
_declare("other_cost", "Other", INR, Sum("other_cost"), "Cost beyond payout and gifted products")
_declare("total_cost", "Total cost", INR, Sum("total_cost"), "Payout + gifted products + other cost", decimals=2)
_declare(
    "total_revenue",
    "Revenue",
    INR,
    Sum("total_revenue"),
    "Revenue the payout row states, else its creator's tracked revenue it covers (a row with a total paid: "
    "the sales there when its payouts file came, not those appended after it)",
)
_declare(
    "per_order",
    "Per order",
    INR,
    Derived("a basis's spend ÷ all orders of the selection"),
    "This basis's spend ÷ all orders in the selection; the rows add up to cost per order",
    decimals=2,
)
_declare(
    "cost",
    "Cost",
    INR,
    Derived("influencer's spend ÷ its posts"),
    "The influencer's spend in the selection shared equally over its posts",
    decimals=2,
)
_declare(
    "row_no",
    "Row",
    COUNT,
    Derived("row of the payouts file, as import warnings number it"),
    "Row of the payouts file named beside it, as import warnings number it (header = row 1)",
)
_declare(
    "view_rate_pct",
    "Views / impressions",
    PCT,
    Ratio("views", "impressions", 100),
    "Views ÷ impressions × 100 (pooled)",
    True,
)
_declare("save_rate_pct", "Saves / reach", PCT, Ratio("saves", "reach", 100), "Saves ÷ reach × 100 (pooled)", True)
_declare(
    "selection_roas",
    "Selection ROAS",
    RATIO,
    Derived("ROAS of the whole selection"),
    "Pooled ROAS of the whole selection",
    True,
)
# Two marginal ROAS figures of one plan read differently (tester N3: 0.18x on /insights, 0.25x on
# /plan): each names the spend it is taken at and over which units.
_declare(
    "from_roas",
    "Marginal ROAS today of the segments cut",
    RATIO,
    Derived("marginal ROAS today of the segments the plan cuts"),
    "Move budget: spend-weighted marginal incremental ROAS at today's spend of the segments the planner cuts "
    "(response curves of the measured lift)",
    header="From ROAS (today)",
)
_declare(
    "to_roas",
    "Marginal ROAS today of the segments raised",
    RATIO,
    Derived("marginal ROAS today of the segments the plan raises"),
    "Move budget: spend-weighted marginal incremental ROAS at today's spend of the segments the planner raises "
    "(response curves of the measured lift)",
    header="To ROAS (today)",
)
_declare(
    "estimated_revenue_gain",
    "Est. revenue gain",
    INR,
    Derived("planned − today's expected incremental revenue"),
    "Expected incremental revenue of the planner's allocation − that of today's, on the fitted response curves",
    True,
)
_declare(
    "net_gain",
    "Net vs today",
    INR,
    Derived("estimated revenue gain − (planned − today's spend)"),
    "The plan's net effect (metrics.planning.plan.net_gain): the change in expected incremental revenue plus "
    "the spend the plan holds back",
    True,
)
# The campaigns page's cards.
_declare(
    "campaigns",
    "Campaigns",
    COUNT,
    Derived("count of campaigns with sales or cost"),
    "Campaigns with sales or cost in the selection (Unattributed not counted)",
)
_declare(
    "unattributed_share",
    "Unattributed revenue",
    SHARE,
    Derived("revenue of sales naming no campaign ÷ revenue"),
    "Share of revenue whose sales name no campaign",
    False,
)

# Budget planner (metrics/planning): response curves, the plan, verdicts and similar profiles.
_declare(
    "current_spend",
    "Current spend",
    INR,
    Derived("spend of the unit in the selection"),
    "Spend of the segment or creator in the selection (today's allocation)",
    header="Current",
)
_declare(
    "planned_spend",
    "Planned spend",
    INR,
    Derived("the planner's allocation"),
    "Spend the planner allocates: marginal incremental ROAS equalised across segments, within the max change "
    "(default ±30 %) of current spend",
    header="Planned",
)
_declare(
    "planned_change",
    "Change",
    INR,
    Derived("planned spend − current spend"),
    "Planned spend − current spend",
)
_declare(
    "expected_incremental_revenue",
    "Expected incremental revenue",
    INR,
    Derived("response curve at the spend"),
    "The fitted response curve coef × spend^β at the spend (concave power curve of measured incremental revenue, "
    "each creator's coefficient shrunk towards its segment's: not the creator's own measurement)",
    True,
    header="Expected (shrunk to segment)",
)
_declare(
    "measured_incremental_revenue",
    "Measured incremental revenue (own)",
    INR,
    Derived("Σ over post windows in the selection of (actual − quiet-day baseline), at today's spend"),
    "The unit's own measured incremental revenue in the selection at today's spend (page Lift; a segment: the "
    "sum over its measured creators), beside the plan's expected figure, which is shrunk towards the segment",
    True,
    header="Measured (own)",
)
_declare(
    "expected_incremental_revenue_low",
    "Expected incremental revenue, low",
    INR,
    Derived("percentile of the curves over bootstrap draws"),
    "Low end of the interval of the expected incremental revenue (curves refitted on each bootstrap draw)",
    True,
    header="Low",
)
_declare(
    "expected_incremental_revenue_high",
    "Expected incremental revenue, high",
    INR,
    Derived("percentile of the curves over bootstrap draws"),
    "High end of the interval of the expected incremental revenue (curves refitted on each bootstrap draw)",
    True,
    header="High",
)
_declare(
    "marginal_roas",
    "Marginal ROAS",
    RATIO,
    Derived("slope of the response curve"),
    "Marginal incremental ROAS = d(incremental revenue) ÷ d(spend) at the spend: what the next rupee returns",
    True,
    header="Marginal ROAS",
)
_declare(
    "planned_change_pct",
    "Change %",
    PCT,
    Ratio("planned_change", "current_spend", 100),
    "(Planned spend − current spend) ÷ current spend × 100",
)
_declare(
    "planned_marginal_roas",
    "Marginal ROAS at the planned spend",
    RATIO,
    Derived("slope of the response curve at the planned spend"),
    "Marginal incremental ROAS at the planned spend: what the next rupee returns once the plan is carried out "
    "(— where the plan cuts to ₹0)",
    True,
    header="Marginal planned",
)
_declare(
    "current_marginal_roas",
    "Marginal ROAS today",
    RATIO,
    Derived("slope of the response curve at today's spend"),
    "Marginal incremental ROAS at today's spend: what the next rupee returns before the plan",
    True,
    header="Marginal today",
)
_declare(
    "similarity",
    "Similarity",
    SHARE,
    Derived("1 − Gower distance"),
    "1 − Gower distance over platform, category, tier, persona, follower count and engagement rate",
    True,
)

# The organic-sales check (metrics/lift/organic.py): total brand sales around a campaign.
_declare(
    "total_lift",
    "Total lift",
    INR,
    Derived("actual − forecast of the brand's total sales over the window"),
    "Total lift = Σ over the window's days of (total brand sales − the forecast from the 13 weeks before the "
    "campaign); the window is the campaign and lift window − 1 days after",
    True,
)
_declare(
    "total_lift_low",
    "Total lift, low",
    INR,
    Derived("forecast distribution of the window's sum"),
    "Low end of the interval of total lift (the forecast's distribution)",
    True,
    header="Total low",
)
_declare(
    "total_lift_high",
    "Total lift, high",
    INR,
    Derived("forecast distribution of the window's sum"),
    "High end of the interval of total lift (the forecast's distribution)",
    True,
    header="Total high",
)
_declare(
    "attributed_lift",
    "Attributed lift",
    INR,
    Derived("event-window lift of the brand's posts dated in the campaign"),
    "Measured incremental revenue (page Lift's method) of the brand's posts dated in the campaign",
    True,
)
_declare(
    "attributed_lift_low",
    "Attributed lift, low",
    INR,
    Derived("percentile of bootstrap draws"),
    "Low end of the interval of the attributed lift (stationary bootstrap of quiet days)",
    True,
    header="Attributed low",
)
_declare(
    "attributed_lift_high",
    "Attributed lift, high",
    INR,
    Derived("percentile of bootstrap draws"),
    "High end of the interval of the attributed lift (stationary bootstrap of quiet days)",
    True,
    header="Attributed high",
)

# Changes against the comparison period (metrics.comparison; docs/metrics.md "Period comparison"):
# `<key>_change` of the main figures, for the Δ columns of the ranking and the breakdown tables.
CHANGE_KEYS = ("revenue", "orders", "spend", "roas", "new_customers", "cac")


def _declare_change(key: str) -> Metric:
    base = get(key)
    return _declare(
        f"{key}_change",
        f"{base.label} change",
        CHANGE,
        Derived(f"relative change of {key} against the comparison period"),
        f"({base.label} − {base.label} in the comparison period) ÷ |{base.label} in the comparison period|; "
        "— when that is 0 or undefined. Comparison: the previous period of equal length, or the same dates "
        "a year earlier",
        base.higher_is_better,
        header=f"Δ {base.column_header}",
    )


for _key in CHANGE_KEYS:
    _declare_change(_key)

# What acquired customers are worth later (metrics/ltv.py; docs/metrics.md "Customer value").
for _days in (90, 180, 365):
    _declare(
        f"ltv_customers_{_days}",
        f"Customers with {_days} days",
        COUNT,
        Sum("customers"),
        f"Customers the creator acquired (first order) at least {_days} days before the last sale date",
        header=f"Cust. {_days}d",
    )
    _declare(
        f"ltv_revenue_{_days}",
        f"{_days}-day customer revenue",
        INR,
        Sum(f"revenue_{_days}"),
        f"Realised revenue of those customers over the {_days} days from their first order (first day = day 1), "
        "all their attributed sales, net of refunds",
        True,
        header=f"Cust. rev. {_days}d",
    )
    _declare(
        f"ltv_{_days}",
        f"{_days}-day LTV",
        INR,
        Ratio(f"ltv_revenue_{_days}", f"ltv_customers_{_days}"),
        f"{_days}-day LTV = realised revenue over {_days} days from the first order ÷ customers acquired, "
        f"counting only customers acquired at least {_days} days before the last sale date; — without one",
        True,
        header=f"LTV {_days}d",
        json=f"realised revenue per acquired customer over {_days} days (₹; `null` where not measurable)",
    )
_declare(
    "ltv_cac_365",
    "LTV:CAC (365 days)",
    RATIO,
    Ratio("ltv_365", "cac"),
    "365-day LTV ÷ CAC; — where either is undefined",
    True,
    header="LTV:CAC",
    json="ltv_365 / cac (`null` where not measurable)",
)

# The sums every sales breakdown, the ranking and the KPIs have (metrics.aggregate.sums_by). Each
# ratio over two of them and each share of one is computed for all of them, in declaration order:
# declaring one here adds it to every breakdown and the ranking.
SALE_SUMS = ("revenue", "orders", "spend", "new_customers", "followers")
SALES_RATIOS = tuple(
    key
    for key, m in CATALOGUE.items()
    if isinstance(m.computed, Ratio) and {m.computed.numerator, m.computed.denominator} <= set(SALE_SUMS)
)
SHARES = tuple(key for key, m in CATALOGUE.items() if isinstance(m.computed, Share))


def apply_ratios(frame: pd.DataFrame, keys=SALES_RATIOS + SHARES) -> pd.DataFrame:
    """`frame` with each ratio / share metric of `keys` whose operands it has, computed as declared
    (a new frame when a metric's column is new: use the returned frame)."""
    # Operands are converted once and the columns set together: the KPIs run this on one-row frames
    # several times per request, where pandas' per-column overhead, not the arithmetic, is the cost.
    present = set(frame.columns)
    floats: dict[str, np.ndarray] = {}

    def operand(column: str) -> np.ndarray:
        if column not in floats:
            floats[column] = _floats(frame[column])
        return floats[column]

    columns: dict[str, np.ndarray] = {}
    for key in keys:
        computed = get(key).computed
        if isinstance(computed, Ratio) and {computed.numerator, computed.denominator} <= present:
            top = operand(computed.numerator)
            if computed.minus:
                minus = _floats(frame[computed.minus])
                top = top - np.where(np.isnan(minus), 0.0, minus)  # Ratio.column's fillna(0)
            columns[key] = computed.values(top, operand(computed.denominator))
        elif isinstance(computed, Share) and computed.column in present:
            columns[key] = _share_values(operand(computed.column))
    for key in [key for key in columns if key in present]:
        frame[key] = pd.Series(columns.pop(key), index=frame.index, dtype=object)
    if columns:  # one concatenation: inserting columns one by one rebuilds the (Arrow) column index each time
        frame = pd.concat([frame, pd.DataFrame(columns, index=frame.index, dtype=object)], axis=1)
    return frame


# --- rules: one definition each ---------------------------------------------------------------------


class PoorPerformer:
    """METRICS.md: spend > 0 and (no revenue, or ROI < poor_roi_pct, or ROAS < poor_roas).
    Zero-spend creators are never poor performers."""

    @staticmethod
    def sql(settings: Settings, alias: str = "per") -> str:
        """SQL condition over `alias`.revenue and `alias`.spend (the thresholds are validated floats)."""
        roi_bar, roas_bar = float(settings.poor_roi_pct), float(settings.poor_roas)
        return (
            f"({alias}.spend > 0 AND ({alias}.revenue = 0 "
            f"OR ({alias}.revenue - {alias}.spend) / {alias}.spend * 100 < {roi_bar!r} "
            f"OR {alias}.revenue / {alias}.spend < {roas_bar!r}))"
        )

    @staticmethod
    def flags(frame: pd.DataFrame, settings: Settings) -> pd.Series:
        """Per row of a frame with spend, revenue, roi_pct and roas: True for poor performers."""
        spend = pd.to_numeric(frame["spend"], errors="coerce").fillna(0)
        roi = pd.to_numeric(frame["roi_pct"], errors="coerce")
        roas = pd.to_numeric(frame["roas"], errors="coerce")
        below_bar = (roi < settings.poor_roi_pct) | (roas < settings.poor_roas)
        return (spend > 0) & ((pd.to_numeric(frame["revenue"], errors="coerce").fillna(0) == 0) | below_bar)

    @staticmethod
    def bars(settings: Settings) -> dict[str, str]:
        """The two thresholds as the rule's prose writes them: {"roi": "50%", "roas": "2x"}."""
        return {"roi": f"{settings.poor_roi_pct:g}%", "roas": f"{settings.poor_roas:g}x"}

    @classmethod
    def misses(cls, row: dict, settings: Settings) -> list[str]:
        """The thresholds a row (roi_pct %, roas ×) falls below, in words: ['ROI 12.0% < 50%',
        'ROAS 1.12x < 2x']; [] when it clears both (or they are undefined)."""
        roi, roas, bar = fmt.clean(row.get("roi_pct")), fmt.clean(row.get("roas")), cls.bars(settings)
        misses = []
        if roi is not None and roi < settings.poor_roi_pct:
            misses.append(f"ROI {fmt.below(roi, settings.poor_roi_pct, fmt.pct, 1)} < {bar['roi']}")
        if roas is not None and roas < settings.poor_roas:
            misses.append(f"ROAS {cls.roas_text(roas, settings)} < {bar['roas']}")
        return misses

    @staticmethod
    def roas_text(roas, settings: Settings) -> str:
        """A ROAS (×) below the poor-performer bar with as many decimals as it takes not to read like
        the bar (fmt.below): 1.9992 -> "1.999x" against 2x, where "2.00x" beside a poor flag
        contradicts it; at or above the bar fmt.ratio's two (2.0 -> "2.00x", 2.5 -> "2.50x"); "—"
        where undefined. Wherever one ROAS is shown next to the flag."""
        value = fmt.clean(roas)
        if value is not None and value < settings.poor_roas:
            return fmt.below(value, settings.poor_roas, fmt.ratio, 2)
        return fmt.ratio(value)

    @classmethod
    def reasons(cls, row: dict, settings: Settings) -> str:
        """Why one row is poor, in words ('ROI 12.0% < 50%; ROAS 1.12x < 2x'); '' when it is not."""
        spend, revenue = fmt.clean(row.get("spend")) or 0, fmt.clean(row.get("revenue")) or 0
        if spend > 0 and revenue == 0:
            return "spend with no revenue"
        return "; ".join(cls.misses(row, settings))

    @classmethod
    def tone(cls, row: dict, settings: Settings) -> str | None:
        """Colour of a selection's ROAS and ROI together: 'bad' when the rule calls it poor (either
        bar missed, or spend with no revenue), 'good' when it clears both, None when both are
        undefined (no spend). One rule for both cards: ROI 5.2% green beside ROAS 1.05x red
        contradicted each other."""
        if fmt.clean(row.get("roi_pct")) is None and fmt.clean(row.get("roas")) is None:
            return None
        return "bad" if cls.reasons(row, settings) else "good"

    @classmethod
    def text(cls, settings: Settings) -> str:
        """The poor-performer rule in words, with these settings' thresholds."""
        bar = cls.bars(settings)
        return f"ROI < {bar['roi']} or ROAS < {bar['roas']}, or spend with no revenue"


POOR_PERFORMER = PoorPerformer()

TIER_NAMES = ("Nano", "Micro", "Mid", "Macro", "Mega")


def tier_of(followers: float | None, bounds: tuple[int, ...]) -> str:
    """The tier of a follower count: Nano below the first bound, then Micro, Mid, Macro, Mega."""
    if followers is None:
        return "Unknown"
    for name, lower in reversed(list(zip(TIER_NAMES[1:], bounds))):
        if followers >= lower:
            return name
    return "Nano"


def tier_sql(settings: Settings, alias: str = "i") -> str:
    """SQL CASE giving the tier of `alias`.follower_count ('Unknown' for unknown influencers)."""
    followers = f"{alias}.follower_count"
    cases = " ".join(
        f"WHEN {followers} >= {int(lower)} THEN '{name}'"
        for name, lower in reversed(list(zip(TIER_NAMES[1:], settings.tier_bounds)))
    )
    return f"CASE WHEN NOT {alias}.known OR {followers} IS NULL THEN 'Unknown' {cases} ELSE 'Nano' END"


def tier_text(settings: Settings) -> str:
    """'nano < 10,000 ≤ micro < 50,000 ≤ mid < 5,00,000 ≤ macro < 10,00,000 ≤ mega' (followers)."""
    text = TIER_NAMES[0].lower()
    for name, lower in zip(TIER_NAMES[1:], settings.tier_bounds):
        text += f" < {fmt.count(lower)} ≤ {name.lower()}"
    return text


# Payout rows whose total paid differs from their terms by more than this share are flagged
# (validation warns on import; the payouts page highlights them). Gaps under ₹0.50 are rounding.
TERMS_TOLERANCE = 0.01
TERMS_TOLERANCE_PCT = TERMS_TOLERANCE * 100
TERMS_ROUNDING_INR = 0.5
TERMS_TOLERANCE_TEXT = f"{TERMS_TOLERANCE_PCT:g} %"


def within_terms(difference: float, terms: float | None) -> bool:
    """A payment matches its terms: off by less than ₹0.50, or by at most TERMS_TOLERANCE of the terms."""
    if abs(difference) < TERMS_ROUNDING_INR:
        return True
    return terms is not None and terms != 0 and abs(difference) <= TERMS_TOLERANCE * abs(terms)


# Time groupings of breakdowns and series, finest last, with their SQL over facts `f`.
TIME_GRAINS = {
    "month": "strftime(f.date, '%Y-%m')",
    "week": "CAST(date_trunc('week', f.date) AS DATE)",
    "day": "f.date",
}
TIME_GROUPS = tuple(TIME_GRAINS)


def grain_for(days: int | None) -> str:
    """The grain of a time chart spanning `days`: month beyond 120 days, week beyond 45, else day."""
    if days is None:
        return "month"
    return "month" if days > 120 else "week" if days > 45 else "day"


# --- documentation -------------------------------------------------------------------------------


def json_doc_rows(keys) -> list[str]:
    """The docs/cli.md table rows (`| key | meaning |`) of the `summary --json` keys that are metrics."""
    return [f"| `{key}` | {get(key).json} |" for key in keys if key in CATALOGUE and get(key).json]


# Audience segments (metrics/audience.py; docs/metrics.md "Audience segments").
_declare(
    "audience_share",
    "Audience share",
    SHARE,
    Derived("the creator's audience share in the segment ÷ the sum of its shares of that kind"),
    "Share of the creator's audience in this age band, gender or place (from the audience files)",
)
_declare(
    "audience_revenue_share",
    "Audience (revenue-weighted)",
    SHARE,
    Derived("Σ revenue × the creator's audience share there ÷ Σ revenue of creators with places"),
    "Where the selection's audience is, each creator weighted by its revenue",
)
_declare(
    "sales_region_share",
    "Sales (share of revenue)",
    SHARE,
    Derived("revenue of the selection's sales shipped to the region ÷ revenue of its sales with a region"),
    "Where the selection's sales come from: the share of revenue of sales carrying a region",
)
_declare(
    "segment_creators",
    "Creators",
    COUNT,
    Derived("creators with audience in the segment (weighted) or whose largest segment it is (dominant)"),
    "Creators with audience in this segment (weighted rule) or whose largest segment it is (dominant rule)",
)


def _nothing_measured(key: str, row: Mapping) -> str | None:
    """Incremental ROAS of a measured selection without a post (incrementality_reason NO_POST,
    metrics.kpis.incrementality): its ₹0 is a sum over no post, not a return on the spend, so "—"
    says "no post in the selection"; else the ratio's own cause (₹0 spend)."""
    from metrics.lift import NO_POST

    return NO_POST if row.get("incrementality_reason") == NO_POST else _ratio_cause(key, row)


# Figures other than ratios and shares whose "—" has a rule that says why (undefined_cause).
UNDEFINED_RULES = {
    "incremental_roas": _nothing_measured,
    "efficiency_score": _unscored,
    "rank": _unscored,  # ranked by ROAS: none where it is undefined (tester t2: the "#" cell said nothing)
    "marginal_roas": _no_response_curve,
    "planned_marginal_roas": _no_response_curve,
    **{f"{part}_{days}": _no_old_customer for days in (90, 180, 365) for part in ("ltv_customers", "ltv_revenue")},
    **{f"{key}_change": _no_comparison for key in CHANGE_KEYS},
}


def explains_undefined(key: str) -> bool:
    """Whether undefined_cause can say why the figure `key` reads "—": a ratio, a share, or a figure
    with a rule of its own (UNDEFINED_RULES)."""
    return key in UNDEFINED_RULES or isinstance(getattr(CATALOGUE.get(key), "computed", None), (Ratio, Share))


# Orders under a product filter: an order counts once, on its line of largest value (docs/metrics.md,
# "Store order exports", several products), so a product sold only beside a larger one shows revenue
# and 0 orders; the Orders card says so under a product filter (tester h4 F8).
ORDERS_BY_PRODUCT_NOTE = "each order counts once, on its main product (largest line)"

# Store order exports (warehouse/store_orders.py; docs/metrics.md "Store order exports"): the words
# /data, the command line and the PDF use for what a store export's revenue is and how it mapped.
STORE_REVENUE_BASIS = "subtotal after discounts, without shipping and taxes, net of refunds"
STORE_REVENUE_RULE = f"Revenue of an order = its {STORE_REVENUE_BASIS}; split over its line items by price × quantity."


def store_orders_text(store: dict) -> str:
    """How a store export became the sales, in two sentences (for the PDF's cover and /data): the
    store, its export files and code map, orders attributed of those read, the ones left out and
    why, and STORE_REVENUE_RULE. `store` is the import's mapping report (dataset_info's
    `store_orders`: store, exports, code_map, orders_read, attributed_orders, unattributed_orders,
    no_code_orders, not_sales, optional utm_orders and not_sales_covers). Raises KeyError without them."""
    by = "by discount code" + (f" or UTM source ({fmt.count(store['utm_orders'])})" if store.get("utm_orders") else "")
    left_out = [
        f"{fmt.count(store['unattributed_orders'])} with codes no creator has",
        f"{fmt.count(store['no_code_orders'])} without a code",
        f"{fmt.count(store['not_sales'])} not sales ({store.get('not_sales_covers') or 'cancelled or voided'})",
    ]
    return (
        f"{store['store']} export {', '.join(store['exports'])} with code map {store['code_map']}: "
        f"{fmt.count(store['attributed_orders'])} of {fmt.counted(store['orders_read'], 'order')} attributed "
        f"to creators {by}; not attributed: {'; '.join(left_out)}. {STORE_REVENUE_RULE}"
    )
