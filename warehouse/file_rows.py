"""Where a built table's row is in the user's files, as the import's warnings say it ("payouts.csv,
row 3"): pages show the same file and row so a user can find the line a warning names."""

from __future__ import annotations

from collections.abc import Iterable

from warehouse.errors import Problem
from warehouse.importer import Appended


def rows_in_files(info: dict, role: str, rows: Iterable[int], total: int) -> list[tuple[str | None, int | None]]:
    """(file, row) of each of `rows` of the `role` table (its `row_no`: the line of the file it was
    built from, header = line 1), as warnings name them: the file's name (None where the data set
    does not record it) and the row's line in that file (None where the file's lines are not known:
    then the file names its data row, "payouts.csv (data row 3)").

    A data set made by appends was built from merged files whose rows count from 1
    (warehouse.append.merge_into); Appended.located, the rule its warnings were named by, finds
    each row's import file and line. `info`: dataset_info; `total`: the rows of the role's table."""
    name = (info.get("files") or {}).get(role)
    if len(str(info.get("source") or "").split(" + ")) == 1:
        return [(name, row) for row in rows]
    appended = Appended(info.get("store_orders"), info.get("files") or {}, info.get("file_parts") or {})
    located: list[tuple[str | None, int | None]] = []
    for row in rows:
        problem = Problem(f"{role}.parquet", row, None, None, "")
        where = appended.located(problem, {role: total})
        if where is problem:  # parts not recorded (a data set from before they were kept)
            located.append((name, row))
        else:
            located.append((where.file + where.reason, where.row))
    return located
