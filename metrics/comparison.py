"""A selection against its comparison period (METRICS.md "Comparison and planning").

The comparison selection is the same filters over metrics.periods.comparison_window of the
selection's dates (`Filters.comparison`); its figures come from the same functions as the
selection's own, so every figure is compared like with like.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics import catalogue, periods
from metrics import format as fmt
from metrics.dataset import sale_date_bounds
from metrics.filters import Filters
from metrics.settings import DEFAULT_SETTINGS, Settings


def comparison_filters(wh, filters: Filters) -> Filters | None:
    """The selection over its comparison window (mode `filters.compare`), an open end of the date
    range taken as the data's first / last sale date; None when the selection has no date range."""
    first, last = sale_date_bounds(wh)
    return filters.comparison(first, last)


# The head of coverage_notice's part for each period it finds partly outside the data: the
# comparison window starting before the first sale, the selection ending after the last.
PARTIAL_HEADS = {"comparison": "No data before", "selection": "No data after"}


def coverage_notice(wh, filters: Filters, other: Filters | None) -> tuple[bool, str | None]:
    """(undefined, notice) of a selection (`filters`) and its comparison selection (`other`) against
    the data's first and last sale dates (docs/metrics.md, "Period comparison"). A period holding no
    data leaves nothing to compare: a comparison window that ends before the first sale ("No data
    before <date>: nothing to compare with") or a selection that starts after the last ("No data
    after <date>: the selection holds none"), so every change is undefined ("—"). A period only
    partly inside the data is compared, with a notice per side ("; "-joined): a comparison window
    starting before the first sale, a selection ending after the last (its days without data
    counted)."""
    if other is None or other.start is None:
        return False, None
    first, last = sale_date_bounds(wh)
    if first is None:
        return False, None
    if other.end is not None and other.end < first:
        return True, f"No data before {fmt.date(first)}: nothing to compare with"
    if filters.start is not None and filters.start > last:
        return True, f"No data after {fmt.date(last)}: the selection holds none"
    parts = []
    if other.start < first:
        parts.append(f"{PARTIAL_HEADS['comparison']} {fmt.date(first)}: the comparison period is partly before it")
    if filters.end is not None and filters.end > last:
        parts.append(
            f"{PARTIAL_HEADS['selection']} {fmt.date(last)}: {_days_after(filters.start, filters.end, last)} are after it"
        )
    return False, "; ".join(parts) or None


def _days_after(start, end, last) -> str:
    """ "78 of the selection's 90 days": how many days of a selection [start, end] (start None: open)
    lie after `last`, the data's last sale date (datetime.date each)."""
    after = (end - last).days
    return f"{after} of the selection's {(end - start).days + 1} days" if start else f"{after} days of the selection"


def partial(compared: dict) -> bool:
    """Whether a comparison is partial (docs/metrics.md, "Period comparison"): its comparison period
    starts before the data's first sale or the selection ends after its last sale, and neither
    leaves the changes undefined (coverage_notice's partial cases), so its
    changes are shown and said to be "(partial)" on the cards, the creator PDF's boxes and in
    `hkdash summary --compare`. `compared`: keys notice and undefined (kpi_comparison's, the creator
    page's comparison, the summary document's comparison)."""
    return bool(compared.get("notice")) and not compared.get("undefined")


def partial_period(compared: dict) -> str | None:
    """Which period a partial comparison (`partial`) lacks data in: "comparison", "selection" or
    "both" (coverage_notice's parts); None where it is not partial."""
    if not partial(compared):
        return None
    sides = [side for side, head in PARTIAL_HEADS.items() if head in compared["notice"]]
    return sides[0] if len(sides) == 1 else "both"


def partial_label(compared: dict) -> str:
    """ "(selection partial)", "(comparison partial)" or "(both periods partial)" after a change of
    a partial comparison, "" otherwise: a bare "(partial)" read as the comparison period's when the
    selection was the one running past the data (tester t1, session 19)."""
    side = partial_period(compared)
    if side is None:
        return ""
    return " (both periods partial)" if side == "both" else f" ({side} partial)"


def change_words(compared: dict, change: float | None) -> str:
    """What follows a change under a KPI (the card's change line, the creator PDF's box): "vs
    previous period" / "vs same period last year", partial_label added where a period is
    partial (`partial`), or the notice's head ("no data before 6 Jan 2025") where a period lies
    wholly outside the data (`compared["undefined"]`: every change is then undefined). A change
    undefined for another reason in a partial period (ROAS "—" now, at ₹0 spend) is not blamed on
    the data's start: "— vs previous period (comparison partial)"."""
    words = "vs previous period" if compared["mode"] == "previous" else "vs same period last year"
    if compared.get("undefined") and compared.get("notice"):
        head = compared["notice"].split(":")[0]
        return head[0].lower() + head[1:]
    return words + partial_label(compared)


# The headline figures whose change against the comparison period the overview's cards show
# (callbacks/overview.kpi_cards), in the cards' order; refunds only where the selection has some.
CARD_CHANGE_KEYS = (
    "revenue",
    "refunds",
    "orders",
    "spend",
    "roas",
    "roi_pct",
    "incremental_revenue",
    "incremental_roas",
    "new_customers",
    "cac",
    "poor_performers",
)


def card_changes(now: dict, change: dict, reasons: dict) -> list[tuple[str, float | None, str | None]]:
    """(key, relative change or None, why it is None by a rule or None) of each figure the overview
    shows a change for (CARD_CHANGE_KEYS; refunds only where `now`, the selection's figures, has
    some), from kpi_comparison's `change` and `reasons` (or the summary document's change and
    change_reasons): what `hkdash summary --compare` lists, as the cards show it."""
    return [
        (key, change.get(key), reasons.get(key)) for key in CARD_CHANGE_KEYS if key != "refunds" or now.get("refunds")
    ]


def changes(now: dict, then: dict | None, keys) -> dict:
    """{key: relative change (fraction, metrics.periods.relative_change) or None} for each key; None
    for every key without a comparison, and for keys whose values are not numbers."""
    return {key: periods.relative_change(now.get(key), then.get(key)) if then else None for key in keys}


def kpi_comparison(wh, filters: Filters, now: dict, settings: Settings = DEFAULT_SETTINGS) -> dict:
    """The KPIs of the comparison period beside the selection's (`now`, from metrics.kpis).

    Keys: mode ("previous" / "year"), start, end (datetime.date, None without a comparison), kpis
    (metrics.kpis of the comparison selection, None without one), change ({key of now: relative
    change or None}), notice (coverage_notice's text or None), undefined (True where the window
    lies wholly before the data or the selection wholly after it, so every change is None), reasons ({key: why its change is None}
    where a rule leaves it out, ruled_out: the figures over posts where either period holds no
    post, incremental figures measured in one period and assumed in the other). Raises warehouse.db.WarehouseMissing
    without a data set."""
    from metrics.kpis import kpis

    other = comparison_filters(wh, filters)
    return _compared(wh, filters, other, now, kpis(wh, other, settings) if other else None)


def kpis_with_comparison(wh, filters: Filters, settings: Settings = DEFAULT_SETTINGS) -> tuple[dict, dict]:
    """(metrics.kpis of the selection, kpi_comparison of it): the same two results, the sums of the
    selection and of its comparison period read in one query (metrics.kpis.period_kpis)."""
    from metrics.kpis import period_kpis

    other = comparison_filters(wh, filters)
    found = period_kpis(wh, (filters, other) if other else (filters,), settings)
    return found[0], _compared(wh, filters, other, found[0], found[1] if other else None)


def _compared(wh, filters: Filters, other: Filters | None, now: dict, then: dict | None) -> dict:
    """kpi_comparison's dict of a selection's KPIs (`now`) and its comparison period's (`then`)."""
    undefined, notice = coverage_notice(wh, filters, other)
    change = changes(now, None if undefined else then, now.keys())
    ruled, rule = ruled_out(now, None if undefined else then)
    return {
        "mode": filters.compare,
        "start": other.start if other else None,
        "end": other.end if other else None,
        "kpis": then,
        "change": {key: None if key in ruled else value for key, value in change.items()},
        "notice": notice,
        "undefined": undefined,
        "reasons": {key: rule for key in ruled if key in now},
    }


# The incremental figures built on a period's posts (METRICS.md "Incrementality"). A period without a
# post holds ₹0 of incremental revenue (and a 0 % share) by the rule that makes ranges add up: the
# selection's ₹0 changes like any sum (−100 % against a period with lift, as its ₹0 spend does), but
# as a comparison period it is no base, and the incremental ROAS of no post is undefined either way.
OVER_POSTS = ("incremental_revenue", "incremental_roas", "incremental_share")
UNDEFINED_WITHOUT_POST = ("incremental_roas",)
NO_POST_THEN = "no post in the comparison period"


def ruled_out(now: dict, then: dict | None) -> tuple[tuple[str, ...], str | None]:
    """(the keys of `now` whose change a rule leaves out, its reason): where either period holds no
    post (no_post_reason), OVER_POSTS if the comparison period has none, else UNDEFINED_WITHOUT_POST;
    every incremental figure where one period is measured and the other assumed (unlike_methods);
    ((), None) where no rule applies."""
    if why := no_post_reason(now, then):
        return (OVER_POSTS if _holds_no_post(then) else UNDEFINED_WITHOUT_POST), why
    if why := unlike_methods(now, then):
        return tuple(key for key in now if key.startswith("incremental_")), why
    return (), None


def no_post_reason(now: dict, then: dict | None) -> str | None:
    """Why ruled_out leaves changes over posts out, or None: metrics.lift.NO_POST where the
    selection (`now`, metrics.kpis) holds no post, NO_POST_THEN where only the comparison period
    (`then`) holds none; the selection's own reason comes first."""
    from metrics.lift import NO_POST

    if _holds_no_post(now):
        return NO_POST
    return NO_POST_THEN if _holds_no_post(then) else None


def _holds_no_post(period: dict | None) -> bool:
    """Whether a period's KPIs (metrics.kpis) are measured over no post (metrics.lift.NO_POST)."""
    from metrics.lift import NO_POST

    return period is not None and period.get("incrementality_reason") == NO_POST


def null_change_reason(key: str, now: dict, then: dict | None) -> str:
    """Why the change of `key` between `now` and `then` (metrics.kpis of the two periods, `then`
    None without a comparison period) is undefined where no rule says it (kpi_comparison's reasons):
    the figure undefined in either period (with catalogue.undefined_cause's words), or 0 in the
    comparison period (a relative change of a 0 base is undefined, metrics.periods.relative_change)."""
    if not then:
        return NO_DATE_RANGE
    metric = catalogue.get(key)
    for row, where in ((now, "the selection"), (then, "the comparison period")):
        if fmt.clean(row.get(key)) is None:
            cause = catalogue.undefined_cause(key, row)
            return f"undefined in {where}" + (f" ({cause})" if cause else "")
    return f"{metric.text(then.get(key))} in the comparison period"


def change_reasons(compared: dict, now: dict, keys=CARD_CHANGE_KEYS) -> dict[str, str]:
    """{key: why its change is None} for each of `keys` whose change in `compared` (kpi_comparison's
    result for the selection's KPIs `now`) is None: the rule's reason (compared["reasons"]), the
    notice of a period wholly before the data, else null_change_reason. Keys with a change are left out."""
    rules = compared.get("reasons") or {}
    whole = compared["notice"] if compared.get("undefined") else None
    return {
        key: rules.get(key) or whole or null_change_reason(key, now, compared.get("kpis"))
        for key in keys
        if compared["change"].get(key) is None
    }


def with_every_reason(compared: dict, now: dict) -> dict:
    """kpi_comparison's `compared` with a reason for each card's change that is None (change_reasons:
    "undefined in the selection (₹0 spend)", "0 in the comparison period"), so that no "—" shows
    without its why on a card or the PDF; a period wholly before the data, or no comparison period,
    is said once for every change (the notice, the no-date-range tip) and is kept as it is."""
    if compared.get("undefined") or not compared.get("start"):
        return compared
    return {**compared, "reasons": change_reasons(compared, now)}


def unlike_methods(now: dict, then: dict | None) -> str | None:
    """Why the incremental figures of two periods are not compared, or None: one measured and the
    other assumed (an assumed share of revenue against a measured lift is no change of anything)."""
    if not then or now.get("incrementality_method") == then.get("incrementality_method"):
        return None
    return "not compared: one period measured, the other assumed"


def with_changes(
    now: pd.DataFrame, then: pd.DataFrame | None, key: str | list[str], columns, gap: str | None = None
) -> pd.DataFrame:
    """`now` with a `<column>_change` column (relative change, None where undefined) for each of
    `columns`, matching rows of `then` (the comparison period's frame) on `key`. A row without a
    counterpart in `then` has no change. Beside them, for the "—" cells' reasons
    (catalogue.undefined_cause): `<column>_then` (the figure in the comparison period, None where
    the row has none) and catalogue.COMPARISON_GAP (`gap`: why there is no comparison period, e.g.
    NO_DATE_RANGE; None where there is one)."""
    keys = [key] if isinstance(key, str) else list(key)
    out = now.copy()
    out[catalogue.COMPARISON_GAP] = gap
    if then is None or then.empty:
        for column in columns:
            out[f"{column}_change"] = None
            out[f"{column}{catalogue.THEN_SUFFIX}"] = None
        return out
    before = then.set_index(keys)
    index = pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else pd.Index(out[keys[0]])
    for column in columns:
        previous = before[column].reindex(index) if column in before.columns else pd.Series(None, index=index)
        out[f"{column}_change"] = pd.Series(relative_changes(out[column], previous), index=out.index, dtype=object)
        out[f"{column}{catalogue.THEN_SUFFIX}"] = previous.to_numpy()
    return out


def relative_changes(now: pd.Series, then: pd.Series) -> list:
    """periods.relative_change of each pair of rows (a fraction, None where undefined), in numpy
    for number columns (a ranking compares four columns of thousands of rows), else pair by pair."""
    numeric = all(
        pd.api.types.is_numeric_dtype(s.dtype)
        and not pd.api.types.is_bool_dtype(s.dtype)
        or pd.api.types.infer_dtype(s, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty")
        for s in (now, then)
    )
    if not numeric:
        return [periods.relative_change(a, b) for a, b in zip(now.tolist(), then.tolist())]
    top = pd.to_numeric(now, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bottom = pd.to_numeric(then, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values = (top - bottom) / np.abs(bottom)
    values = values.astype(object)
    values[(bottom == 0) | np.isnan(top) | np.isnan(bottom)] = None
    return values.tolist()


def change_metric(key: str) -> catalogue.Metric:
    """The catalogue entry of the change of a metric (`<key>_change`)."""
    return catalogue.get(f"{key}_change")


DELTA_COLUMNS = ("revenue", "spend", "roas")  # the main figures of the Δ columns of tables


def changes_by(
    wh, frame: pd.DataFrame, by, filters: Filters, settings: Settings = DEFAULT_SETTINGS, columns=DELTA_COLUMNS
) -> pd.DataFrame:
    """`frame` (rows keyed by the `by` column or columns, e.g. a metrics.breakdown or the ranking by
    influencer_id) with `<column>_change` for each of `columns`: the row's relative change against
    the same row of metrics.breakdown(by) over the comparison window (None without a date range,
    where the comparison value is 0, or where a period lies wholly outside the data:
    outside_data_gap). One breakdown query more."""
    from metrics.breakdowns import breakdown

    other = comparison_filters(wh, filters)
    gap = NO_DATE_RANGE if other is None else outside_data_gap(wh, filters, other)
    then = breakdown(wh, list(by) if not isinstance(by, str) else by, other, settings) if other and not gap else None
    return with_changes(frame, then, by, columns, gap)


# Why a selection has no comparison period, as a "—" change's tooltip says it (catalogue.COMPARISON_GAP).
NO_DATE_RANGE = "no date range"
BEFORE_DATA = "it lies before the data's first sale"
AFTER_DATA = "the selection lies after the data's last sale"


def outside_data_gap(wh, filters: Filters, other: Filters) -> str | None:
    """BEFORE_DATA / AFTER_DATA where coverage_notice leaves every change undefined, else None."""
    undefined, notice = coverage_notice(wh, filters, other)
    if not undefined:
        return None
    return AFTER_DATA if notice and notice.startswith("No data after") else BEFORE_DATA
