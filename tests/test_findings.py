"""Which examples of many problems are kept (warehouse.validate.Findings)."""

from warehouse.errors import MAX_SHOWN, Problem
from warehouse.validate import Findings


def _payout_row(line: int) -> Problem:
    return Problem("payouts.csv", line, "orders", "35", "payout orders differ from tracked orders (37)")


def test_a_flood_of_one_kind_does_not_hide_another_files_problem():
    found = Findings()
    for line in range(2, 2 + MAX_SHOWN + 5):
        found.add(_payout_row(line))
    unknown = Problem("jan26/tracking_data.csv", None, "influencer_id", "HK0999", "unknown influencer (4 rows)")
    found.add(unknown)
    assert found.total == MAX_SHOWN + 6
    assert len(found.problems) == MAX_SHOWN
    assert found.problems[-1] == unknown
    # the payout rows kept are still the first ones, in file order: the last one made room
    assert [p.row for p in found.problems[:-1]] == list(range(2, 2 + MAX_SHOWN - 1))


def test_a_kind_already_shown_keeps_the_examples_as_they_were():
    found = Findings()
    for line in range(2, 2 + MAX_SHOWN):
        found.add(_payout_row(line))
    found.add(_payout_row(99))
    assert [p.row for p in found.problems] == list(range(2, 2 + MAX_SHOWN))
    assert found.total == MAX_SHOWN + 1


def test_kinds_each_with_one_example_are_not_replaced():
    found = Findings()
    for n in range(MAX_SHOWN):
        found.add(Problem(f"f{n}.csv", 2, "revenue", "x", "not a number"))
    found.add(Problem("late.csv", 2, "revenue", "x", "not a number"))
    assert [p.file for p in found.problems] == [f"f{n}.csv" for n in range(MAX_SHOWN)]
    assert found.total == MAX_SHOWN + 1
