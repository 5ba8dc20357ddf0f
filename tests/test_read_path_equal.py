"""The read path's fast forms (overview KPIs, influencer ranking) against the direct computations
they replace: every figure must be the same, only computed with less overhead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics import catalogue
from metrics.aggregate import add_engagement_ratios
from metrics.settings import DEFAULT_SETTINGS, Settings
from tests.conftest import imported_sample

# ---- ratios: the previous column-by-column forms, kept here as the reference


def reference_ratio_column(numerator, denominator, scale=1.0):
    top = pd.to_numeric(pd.Series(numerator), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bottom = pd.to_numeric(pd.Series(denominator), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values = top / bottom * scale
    defined = np.isfinite(values) & (bottom != 0)
    result = values.astype(object)
    result[~defined] = None
    return pd.Series(result, index=pd.Series(numerator).index, dtype=object)


def reference_apply_ratios(frame, keys=catalogue.SALES_RATIOS + catalogue.SHARES):
    for key in keys:
        computed = catalogue.get(key).computed
        if isinstance(computed, catalogue.Ratio):
            if computed.numerator in frame.columns and computed.denominator in frame.columns:
                top = frame[computed.numerator]
                if computed.minus:
                    top = top - pd.to_numeric(frame[computed.minus], errors="coerce").fillna(0)
                if computed.positive_numerator:  # AOV of revenue ≤ 0 is undefined (docs/metrics.md)
                    top = pd.to_numeric(top, errors="coerce").where(lambda v: v > 0)
                frame[key] = reference_ratio_column(top, frame[computed.denominator], computed.scale)
        elif isinstance(computed, catalogue.Share):
            if computed.column in frame.columns:
                values = frame[computed.column]
                total = values.sum() if values.notna().any() else None
                total = total if total is not None and total > 0 else None  # no share of a whole ≤ 0
                frame[key] = reference_ratio_column(values, pd.Series([total] * len(frame), index=frame.index))
    return frame


def reference_engagement_ratios(frame, settings, spend):
    frame = frame.copy()
    numerator = {
        "reach": "engagements_with_reach",
        "impressions": "engagements_with_impressions",
        "followers": "engagements_with_followers",
    }[settings.engagement_basis]
    denominator = {"reach": "reach", "impressions": "impressions", "followers": "followers_reached"}[
        settings.engagement_basis
    ]
    frame["engagement_rate_pct"] = reference_ratio_column(frame[numerator], frame[denominator], 100)
    if spend is not None:
        frame["cpe"] = reference_ratio_column(spend, frame["engagements"])
        has_impressions = pd.to_numeric(frame["impressions"], errors="coerce").fillna(0) > 0
        frame["cpm_basis"] = np.where(has_impressions, "impressions", "reach")
        frame["cpm"] = reference_ratio_column(spend, frame["impressions"].where(has_impressions, frame["reach"]), 1000)
    return frame


amounts = st.one_of(
    st.none(),
    st.just(0.0),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.integers(min_value=0, max_value=10**6).map(float),
)


def same_frame(a: pd.DataFrame, b: pd.DataFrame):
    assert list(a.columns) == list(b.columns)
    assert list(a.dtypes) == list(b.dtypes)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:  # None stays None (not NaN) in object columns
        assert [type(v) for v in a[column].tolist()] == [type(v) for v in b[column].tolist()]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(amounts, amounts, amounts, amounts, amounts), min_size=1, max_size=6),
    as_object=st.booleans(),
)
def test_apply_ratios_equals_the_column_by_column_form(rows, as_object):
    frame = pd.DataFrame(rows, columns=["revenue", "spend", "orders", "new_customers", "followers"])
    if as_object:  # columns holding None (object dtype), as some callers pass
        frame = frame.astype(object).where(frame.notna(), None)
    else:
        frame = frame.astype(float)
    expected = reference_apply_ratios(frame.copy())
    same_frame(catalogue.apply_ratios(frame.copy()), expected)


def test_apply_ratios_replaces_an_existing_column_in_place():
    frame = pd.DataFrame({"revenue": [10.0, 0.0], "spend": [5.0, 0.0], "roas": [99.0, 99.0], "x": [1, 2]})
    same_frame(catalogue.apply_ratios(frame.copy()), reference_apply_ratios(frame.copy()))
    assert list(catalogue.apply_ratios(frame.copy()).columns)[:4] == ["revenue", "spend", "roas", "x"]


counts = st.one_of(st.none(), st.just(0), st.integers(min_value=0, max_value=10**7))


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(*[counts] * 7, amounts), min_size=1, max_size=6),
    basis=st.sampled_from(["reach", "impressions", "followers"]),
    with_spend=st.booleans(),
)
def test_engagement_ratios_equal_the_column_by_column_form(rows, basis, with_spend):
    names = [
        "posts",
        "reach",
        "impressions",
        "engagements",
        "engagements_with_reach",
        "engagements_with_impressions",
        "followers_reached",
        "spend",
    ]
    frame = pd.DataFrame(rows, columns=names).astype(float)
    frame["engagements_with_followers"] = frame["engagements"]
    chosen = Settings(**{**DEFAULT_SETTINGS.as_dict(), "engagement_basis": basis})
    spend = frame["spend"] if with_spend else None
    same_frame(add_engagement_ratios(frame, chosen, spend), reference_engagement_ratios(frame, chosen, spend))


@pytest.mark.parametrize("rows", [1, 3])
def test_ratio_column_equals_the_reference_on_mixed_inputs(rows):
    numerator = pd.Series([1.5, None, "x"][:rows], dtype=object)
    denominator = pd.Series([0.5, 2.0, 1.0][:rows])
    pd.testing.assert_series_equal(
        catalogue.ratio_column(numerator, denominator), reference_ratio_column(numerator, denominator)
    )
    pd.testing.assert_series_equal(
        catalogue.ratio_column([3.0] * rows, np.ones(rows)), reference_ratio_column([3.0] * rows, np.ones(rows))
    )


# ---- on an imported sample with measured lift: the ranking callback's shared reads


@pytest.fixture(scope="module")
def sample_wh(tmp_path_factory):
    return imported_sample(tmp_path_factory.mktemp("read-path-sample"), orders=5_000, seed=11)


def selections(wh):
    import metrics

    first, last = metrics.sale_date_bounds(wh)
    options = metrics.filter_options(wh)
    middle = first + (last - first) / 2
    return [
        metrics.Filters(),
        metrics.Filters(platform=(options["platform"][0],)),
        metrics.Filters(brand=(options["brand"][0],)),
        metrics.Filters(start=middle),
        metrics.Filters(start=first, end=middle, category=(options["category"][0],)),
        metrics.Filters(product=(options["product"][-1],), start=middle),
    ]


def test_creator_points_from_the_ranking_equal_their_own_query(sample_wh):
    import metrics
    from metrics.lift import creator_lift
    from metrics.planning.curves import creator_points

    for filters in selections(sample_wh):
        ranked = metrics.ranking(sample_wh, filters)
        lift = creator_lift(sample_wh, filters)
        direct = creator_points(sample_wh, filters, lift=lift)
        shared = creator_points(sample_wh, filters, lift=lift, ranked=ranked)
        assert not direct.empty
        pd.testing.assert_frame_equal(shared, direct, check_exact=True)
        assert np.array_equal(np.asarray(shared.attrs["draws"]), np.asarray(direct.attrs["draws"]))


def test_verdicts_with_the_rankings_spend_equal_the_direct_ones(sample_wh):
    import metrics
    from metrics.lift import creator_lift, lift_status
    from metrics.planning.verdicts import with_verdicts
    from metrics.settings import DEFAULT_SETTINGS
    from metrics.summary import with_lift

    method = lift_status(sample_wh, DEFAULT_SETTINGS)[0]
    for filters in selections(sample_wh):
        lift = creator_lift(sample_wh, filters)
        ranked = with_lift(sample_wh, metrics.ranking(sample_wh, filters), filters, DEFAULT_SETTINGS, method, lift)
        direct = with_verdicts(sample_wh, ranked, filters, DEFAULT_SETTINGS, lift)
        shared = with_verdicts(sample_wh, ranked, filters, DEFAULT_SETTINGS, lift, whole=True)
        assert direct["marginal_roas"].notna().any()
        pd.testing.assert_frame_equal(shared, direct, check_exact=True)


def reference_with_ltv(wh, ranked, filters):
    from metrics.ltv import ltv_by_influencer

    values = ltv_by_influencer(wh, filters).set_index("influencer_id")
    out = ranked.copy()
    aligned = values.reindex(out["influencer_id"].to_numpy()).astype(float)
    for column in values.columns:
        mapped = aligned[column].to_numpy()
        column_values = mapped.astype(object)
        column_values[np.isnan(mapped)] = None
        out[column] = column_values
    out["ltv_cac_365"] = catalogue.get("ltv_cac_365").computed.column(out)
    return out


def test_ltv_of_every_creator_read_once_equals_the_selections_own(sample_wh):
    import metrics
    from metrics.ltv import with_ltv

    for filters in selections(sample_wh):
        ranked = metrics.ranking(sample_wh, filters)
        got = with_ltv(sample_wh, ranked, filters)
        assert got["ltv_90"].notna().any()
        pd.testing.assert_frame_equal(got, reference_with_ltv(sample_wh, ranked, filters), check_exact=True)


def test_frame_dicts_equal_the_rows_frame_rows_give(sample_wh):
    import metrics
    from metrics.planning.verdicts import VERDICT_KEYS, frame_dicts, frame_rows, with_verdicts

    ranked = with_verdicts(sample_wh, metrics.ranking(sample_wh, metrics.Filters()))
    keys = VERDICT_KEYS + ("absent",)
    for fast, row in zip(frame_dicts(ranked, keys), frame_rows(ranked), strict=True):
        for key in keys:
            assert type(fast.get(key)) is type(row.get(key))
            assert fast.get(key) == row.get(key) or (pd.isna(fast.get(key)) and pd.isna(row.get(key)))
    assert frame_dicts(ranked.iloc[:2], ("absent",)) == [{}, {}]


change_values = st.one_of(
    st.none(),
    st.just(0.0),
    st.just(float("nan")),
    st.floats(min_value=-1e300, max_value=1e300, allow_nan=False),
    st.integers(min_value=-(10**9), max_value=10**9),
)


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(st.tuples(change_values, change_values), min_size=1, max_size=8),
    kind=st.sampled_from(["object", "float"]),
)
def test_relative_changes_equal_relative_change_pair_by_pair(pairs, kind):
    from metrics.comparison import relative_changes
    from metrics.periods import relative_change

    now = pd.Series([a for a, _ in pairs], dtype=object)
    then = pd.Series([b for _, b in pairs], dtype=object)
    if kind == "float":
        now, then = now.astype(float), then.astype(float)
    expected = [relative_change(a, b) for a, b in zip(now.tolist(), then.tolist())]
    got = relative_changes(now, then)
    assert [type(v) for v in got] == [type(v) for v in expected]
    assert got == expected or all(g == e or (g != g and e != e) for g, e in zip(got, expected))
    mixed = pd.Series([True, "x", 2.0][: len(pairs)], dtype=object)
    assert relative_changes(mixed, then.iloc[: len(mixed)]) == [
        relative_change(a, b) for a, b in zip(mixed.tolist(), then.iloc[: len(mixed)].tolist())
    ]


# ---- eighth session: the ranking's order and the verdicts' creator points without pandas maps


def reference_roas_order(frame):
    """The previous sort: sort_values on (ROAS undefined, ROAS descending, influencer_id)."""
    keyed = frame.assign(
        _undefined=frame["roas"].isna(), _roas=pd.to_numeric(frame["roas"], errors="coerce").fillna(0.0)
    )
    keyed = keyed.reset_index(drop=True).sort_values(
        ["_undefined", "_roas", "influencer_id"], ascending=[True, False, True]
    )
    return keyed.index.to_numpy()


ratios = st.one_of(st.none(), st.just(0.0), st.just(-0.0), st.floats(min_value=-50, max_value=50, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.text(min_size=1, max_size=6), ratios), min_size=0, max_size=40, unique_by=lambda r: r[0]),
    st.booleans(),
)
def test_roas_order_equals_the_pandas_sort(rows, arrow_ids):
    from metrics.ranking import roas_order

    ids = pd.Series([r[0] for r in rows], dtype="str" if arrow_ids else object)
    roas = pd.Series([r[1] for r in rows], dtype=object)
    # ties in ROAS (rounded values repeat) are broken by the id, as the ranking's
    roas = roas.map(lambda v: None if v is None else round(v))
    frame = pd.DataFrame({"influencer_id": ids, "roas": roas})
    assert roas_order(frame).tolist() == reference_roas_order(frame).tolist()


def reference_ranking(wh, filters):
    """metrics.ranking as it was before roas_order (its steps, then the pandas sort)."""
    from metrics.aggregate import add_engagement_ratios, add_ratios, influencer_rows
    from metrics.ranking import RANKING_COLUMNS, efficiency_scores, poor_performers

    frame = influencer_rows(wh, filters, DEFAULT_SETTINGS)
    frame["posts"] = frame["posts"].fillna(0).astype(int)
    frame = add_ratios(frame, DEFAULT_SETTINGS)
    frame = add_engagement_ratios(frame, DEFAULT_SETTINGS, frame["spend"])
    frame["efficiency_score"] = efficiency_scores(frame)
    frame["poor_performer"] = poor_performers(frame, DEFAULT_SETTINGS)
    frame["_undefined"] = frame["roas"].isna()
    frame["_roas"] = pd.to_numeric(frame["roas"], errors="coerce").fillna(0.0)
    frame = frame.sort_values(["_undefined", "_roas", "influencer_id"], ascending=[True, False, True])
    # No place by an undefined ROAS (since session 11): 1… for the defined ones, in this order.
    places = [n + 1 if defined else pd.NA for n, defined in enumerate(~frame["_undefined"])]
    frame["rank"] = pd.array(places, dtype="Int64")
    return frame[RANKING_COLUMNS].reset_index(drop=True)


def test_ranking_equals_the_pandas_sorted_one(sample_wh):
    import metrics

    for filters in selections(sample_wh):
        got = metrics.ranking(sample_wh, filters)
        assert len(got) > 1 and got["roas"].isna().any() == got["roas"].isna().iloc[-1]
        same_frame(got, reference_ranking(sample_wh, filters))


def reference_creator_points(wh, filters, lift, ranked):
    """creator_points as it was: a pandas map by id per column."""
    from metrics.lift.view import shared
    from metrics.planning.curves import SEGMENT_SEPARATOR, _creators_with_spend

    spend = _creators_with_spend(ranked)
    table = lift.assign(part=lift["influencer_id"])
    draws = table.attrs["part_draws"]
    position = pd.Series(np.arange(len(table)), index=table["part"])
    found = spend["influencer_id"].map(position)
    frame = spend.assign(
        posts=spend["influencer_id"].map(table.set_index("part")["posts"]).fillna(0).astype(int),
        incremental_revenue=spend["influencer_id"].map(table.set_index("part")["incremental_revenue"]).fillna(0.0),
        measured=found.notna(),
        segment=spend["tier"].astype(str) + SEGMENT_SEPARATOR + spend["platform"].astype(str),
    )
    width = draws.shape[1] if draws.ndim == 2 and draws.shape[0] else 1
    out = np.zeros((len(frame), width))
    matched = found.notna().to_numpy()
    if matched.any():
        out[matched] = draws[found[matched].astype(int).to_numpy()]
    frame.attrs["draws"] = shared(out)
    return frame


def test_creator_points_equal_the_mapped_ones(sample_wh):
    import metrics
    from metrics.lift import creator_lift
    from metrics.planning.curves import creator_points

    for filters in selections(sample_wh):
        ranked = metrics.ranking(sample_wh, filters)
        lift = creator_lift(sample_wh, filters)
        got = creator_points(sample_wh, filters, lift=lift, ranked=ranked)
        expected = reference_creator_points(sample_wh, filters, lift, ranked)
        assert got["measured"].any()
        same_frame(got, expected)
        assert np.array_equal(np.asarray(got.attrs["draws"]), np.asarray(expected.attrs["draws"]))
        # a lift table without some creators (a creator of the ranking with no measured post)
        partial = lift.iloc[::2].reset_index(drop=True)
        partial.attrs["part_draws"] = np.asarray(lift.attrs["part_draws"])[::2]
        same_frame(
            creator_points(sample_wh, filters, lift=partial, ranked=ranked),
            reference_creator_points(sample_wh, filters, partial, ranked),
        )


def reference_floats(column):
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


cells = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.just(np.nan),
    st.just(pd.NA),
    st.sampled_from(["1.5", "x", ""]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=12))
def test_record_floats_equal_to_numeric(values):
    from components.tables import _floats

    column = pd.Series(values, dtype=object)
    if pd.api.types.infer_dtype(column, skipna=True) not in ("floating", "integer", "mixed-integer-float", "empty"):
        return  # records() sends only these object columns through _floats
    np.testing.assert_array_equal(_floats(column), reference_floats(column))


def test_ranking_records_equal_the_to_numeric_ones(sample_wh, monkeypatch):
    from callbacks import influencers
    from components import tables

    for filters in selections(sample_wh):
        monkeypatch.setenv("HKDASH_DB", str(sample_wh.path))
        search = "?" + filters.to_query_string()
        got = influencers.influencer_ranking(search, "all", "/influencers")
        with monkeypatch.context() as patched:
            patched.setattr(tables, "_floats", reference_floats)
            expected = influencers.influencer_ranking(search, "all", "/influencers")
        assert len(got[0]) > 1
        assert got[0] == expected[0]
        assert [[type(v) for v in row.values()] for row in got[0]] == [
            [type(v) for v in row.values()] for row in expected[0]
        ]


def reference_kpis(wh, filters):
    """metrics.kpis as it was: the sales sums and the engagement sums in a query each."""
    from metrics.aggregate import add_ratios, engagement_sums, plain, sums_by
    from metrics.kpis import _count, incrementality

    sums = add_ratios(sums_by(wh, filters, DEFAULT_SETTINGS), DEFAULT_SETTINGS).iloc[0]
    engagement_row = add_engagement_ratios(
        engagement_sums(wh, filters, DEFAULT_SETTINGS), DEFAULT_SETTINGS, spend=pd.Series([sums["spend"]])
    ).iloc[0]
    revenue, spend = float(sums["revenue"]), float(sums["spend"])
    totals = {key: plain(value) for key, value in sums.items()}
    engagement = {key: plain(value) for key, value in engagement_row.items()}
    return {
        "revenue": revenue,
        "refunds": float(totals["refunds"]),
        "orders": int(totals["orders"]),
        "spend": spend,
        "roas": totals["roas"],
        "roi_pct": totals["roi_pct"],
        "aov": totals["aov"],
        "cost_per_order": totals["cost_per_order"],
        "new_customers": float(totals["new_customers"]),
        "new_customers_estimated": bool(totals["new_customers_estimated"]),
        "orders_without_user": int(totals["orders_without_user"]),
        "cac": totals["cac"],
        **incrementality(wh, filters, DEFAULT_SETTINGS, revenue, spend),
        "baseline_share": DEFAULT_SETTINGS.baseline_share,
        "engagement_rate_pct": engagement["engagement_rate_pct"],
        "engagement_basis": DEFAULT_SETTINGS.engagement_basis,
        "engagements": _count(engagement["engagements"]),
        "reach": _count(engagement["reach"]),
        "impressions": _count(engagement["impressions"]),
        "cpe": engagement["cpe"],
        "cpm": engagement["cpm"],
        "cpm_basis": engagement["cpm_basis"],
        "posts": _count(engagement["posts"]) or 0,
        "influencers": int(totals["influencers"]),
        "poor_performers": int(totals["poor_performers"]),
        "recorded_cost": reference_recorded_cost(wh, filters, spend, _count(engagement["posts"]) or 0),
    }


def reference_recorded_cost(wh, filters, spend: float, posts: int) -> float | None:
    """The spend of the same filters over all dates, where the date range has neither a post nor spend."""
    import dataclasses

    from metrics.aggregate import sums_by

    if spend > 0 or posts > 0 or not (filters.start or filters.end):
        return None
    all_dates = dataclasses.replace(filters, start=None, end=None, period=None)
    return float(sums_by(wh, all_dates, DEFAULT_SETTINGS).iloc[0]["spend"])


def same_dict(got: dict, expected: dict):
    assert got == expected
    assert list(got) == list(expected)
    assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in expected.items()}


def test_kpis_of_both_periods_in_one_query_equal_their_own_queries(sample_wh):
    import dataclasses

    from metrics.comparison import comparison_filters, kpi_comparison, kpis_with_comparison
    from metrics.kpis import kpis

    last, first = (f.start for f in selections(sample_wh)[3:5])
    extra = [
        dataclasses.replace(selections(sample_wh)[3], compare="year"),
        dataclasses.replace(selections(sample_wh)[2], start=first, end=last),  # brand, previous period
        selections(sample_wh)[1].__class__(start=first, end=first),  # one day
    ]
    compared = 0
    for filters in selections(sample_wh) + extra:
        expected = reference_kpis(sample_wh, filters)
        same_dict(kpis(sample_wh, filters), expected)
        now, comparison = kpis_with_comparison(sample_wh, filters, DEFAULT_SETTINGS)
        same_dict(now, expected)
        reference = kpi_comparison(sample_wh, filters, expected, DEFAULT_SETTINGS)
        other = comparison_filters(sample_wh, filters)
        if other is not None:
            compared += 1
            same_dict(comparison["kpis"], reference_kpis(sample_wh, other))
        assert comparison == reference
    assert compared >= 4


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=6), ratios), min_size=0, max_size=40, unique_by=lambda r: r[0]))
def test_only_a_defined_roas_has_a_place(rows):
    """Places 1…k go to the k creators with a ROAS, highest first; a creator without one has none
    (the grid's "#" and the creator page's badge agree)."""
    from metrics.ranking import roas_order, roas_ranks

    frame = pd.DataFrame({"influencer_id": [r[0] for r in rows], "roas": pd.Series([r[1] for r in rows], dtype=object)})
    order = roas_order(frame)
    ranks = roas_ranks(frame, order).take(order).tolist()
    defined = [v is not None for v in frame["roas"].take(order)]
    assert [r is not pd.NA for r in ranks] == defined
    assert [r for r in ranks if r is not pd.NA] == list(range(1, sum(defined) + 1))
    places = [float(frame["roas"].iloc[i]) for i in order[: sum(defined)]]
    assert places == sorted(places, reverse=True)
