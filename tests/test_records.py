"""components.tables.records: the rows every grid and CSV export receive, JSON-safe."""

import datetime as dt
import json

import numpy as np
import pandas as pd

from components.tables import records


def test_values_become_plain_json():
    frame = pd.DataFrame(
        {
            "name": pd.Series(["Asha", None, "=HYPERLINK()"]),  # pandas 3 text dtype
            "note": pd.Series([None, "x", np.nan], dtype=object),
            "orders": np.array([3, 0, 12], dtype=np.int64),
            "revenue": [1.5, np.nan, np.inf],
            "roas": pd.Series([2.0, None, -np.inf], dtype=object),  # ratio_column's output
            "followers": pd.array([1000, None, 7], dtype="Int64"),
            "poor": [True, False, True],
            "date": [dt.date(2025, 1, 2), None, dt.date(2025, 3, 4)],
            "when": pd.to_datetime(["2025-01-02", None, "2025-03-04"]),
        }
    )
    rows = records(frame)
    assert rows == [
        {
            "name": "Asha",
            "note": None,
            "orders": 3,
            "revenue": 1.5,
            "roas": 2.0,
            "followers": 1000,
            "poor": True,
            "date": "2025-01-02",
            "when": "2025-01-02",
        },
        {
            "name": None,
            "note": "x",
            "orders": 0,
            "revenue": None,
            "roas": None,
            "followers": None,
            "poor": False,
            "date": None,
            "when": None,
        },
        {
            "name": "=HYPERLINK()",
            "note": None,
            "orders": 12,
            "revenue": None,
            "roas": None,
            "followers": 7,
            "poor": True,
            "date": "2025-03-04",
            "when": "2025-03-04",
        },
    ]
    assert all(type(row["orders"]) is int and type(row["poor"]) is bool for row in rows)
    json.dumps(rows, allow_nan=False)  # no NaN or inf anywhere


def test_only_the_asked_columns_in_their_order():
    frame = pd.DataFrame({"a": [1], "b": ["x"], "c": [2.5]})
    assert records(frame, ["c", "a", "missing"]) == [{"c": 2.5, "a": 1}]
    assert records(pd.DataFrame()) == [] and records(None) == []
