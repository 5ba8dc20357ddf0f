"""Sales naming a campaign the campaigns file does not have: warned as an unknown influencer is.

The sales are kept (their campaign is shown on /campaigns, without a brand, dates or budget), but a
misspelt or new campaign name would otherwise appear there silently. One warning per unknown
campaign and file: file, first row, column `campaign`, the value and its row count (an appended file's
rows by their line in that file, also after a store export's sales). Only where the
data set has a campaigns file (it is optional) and the sales name campaigns; a store export's own
sales take their campaign from its code map's tags, and are not checked here.
"""

from __future__ import annotations

import itertools

from metrics import format as fmt
from warehouse.errors import Problem
from warehouse.sources import SourceFile, line_of
from warehouse.validate import Findings


def warn_unknown_campaigns(connection, sources: dict[str, SourceFile], warnings: Findings, on_spark: bool = False):
    """Add one warning per campaign of the staged sales (`sources["tracking"]`, on `connection`)
    missing from the staged campaigns file, per file its rows came from: an append's merged sales by
    each import's part, the rows appended after a store export's too (each at its row in the merged
    file, which the append names by the file it came from and its line there: importer.Appended.located).
    on_spark: the staged sales are Spark's: not checked."""
    tracking, campaigns = sources.get("tracking"), sources.get("campaigns")
    if on_spark or tracking is None or campaigns is None:
        return
    if "campaign" not in tracking.columns or "campaign" not in campaigns.columns:
        return
    if tracking.buyers_reported and not tracking.buyers_reported_rows:
        return
    for start, rows in _checked_parts(tracking):
        for campaign, count, line in _unknown_in(connection, tracking, campaigns, start, start + rows):
            warnings.add(_problem(tracking, campaign, count, line))


def _checked_parts(tracking: SourceFile) -> list[tuple[int, int]]:
    """(first row, rows) of each import's rows of the staged sales (SourceFile.parts; the file as one
    part without them), but a store export's sales (its first buyers_reported_rows): their campaigns
    are its code map's tags."""
    sizes = [rows for _, rows in tracking.parts] or [tracking.rows]
    starts = itertools.accumulate(sizes[:-1], initial=0)
    return [(start, rows) for start, rows in zip(starts, sizes) if start >= tracking.buyers_reported_rows]


def _unknown_in(connection, tracking: SourceFile, campaigns: SourceFile, start: int, end: int) -> list[tuple]:
    """(campaign, rows, first line) of each campaign of the staged sales rows `start` to `end`
    (excluded, file order) that the campaigns file lacks, in order of first row."""
    return connection.execute(f"""
        SELECT trim(CAST(campaign AS VARCHAR)) AS campaign, count(*), min({line_of(tracking)})
        FROM {tracking.table}
        WHERE rowid >= {int(start)} AND rowid < {int(end)} AND NULLIF(trim(CAST(campaign AS VARCHAR)), '') IS NOT NULL
          AND trim(CAST(campaign AS VARCHAR)) NOT IN
              (SELECT trim(CAST(campaign AS VARCHAR)) FROM {campaigns.table} WHERE campaign IS NOT NULL)
        GROUP BY 1 ORDER BY min(rowid)""").fetchall()


def _problem(tracking: SourceFile, campaign: str, rows: int, line: int) -> Problem:
    """The warning of one unknown campaign at its first row's line."""
    reason = f"unknown campaign ({fmt.counted(rows, 'row')}): not in the campaigns file; kept and shown on /campaigns"
    return Problem(tracking.path.name, int(line), "campaign", campaign, reason + " without a brand, dates or budget")
