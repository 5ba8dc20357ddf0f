"""Sales naming a campaign the campaigns file does not have: warned as an unknown influencer is.

The sales are kept (their campaign is shown on /campaigns, without a brand, dates or budget), but a
misspelt or new campaign name would otherwise appear there silently. One warning per unknown
campaign and file: file, first row, column `campaign`, the value and its row count. Only where the
data set has a campaigns file (it is optional) and the sales name campaigns; a store export's own
sales take their campaign from its code map's tags, and are not checked here.
"""

from __future__ import annotations

from metrics import format as fmt
from warehouse.errors import Problem
from warehouse.sources import SourceFile, line_of
from warehouse.validate import Findings


def warn_unknown_campaigns(connection, sources: dict[str, SourceFile], warnings: Findings, on_spark: bool = False):
    """Add one warning per campaign of the staged sales (`sources["tracking"]`, on `connection`)
    missing from the staged campaigns file, per file its rows came from: an append's merged sales by
    each import's part (its row in the merged file, which the append names by the file it came from:
    importer.Appended.located), the rows appended after a store export's by their data row. on_spark:
    the staged sales are Spark's: not checked."""
    tracking, campaigns = sources.get("tracking"), sources.get("campaigns")
    if on_spark or tracking is None or campaigns is None:
        return
    if "campaign" not in tracking.columns or "campaign" not in campaigns.columns:
        return
    first = tracking.buyers_reported_rows  # an append over a store export: the rows after the export's
    if tracking.buyers_reported and not first:
        return
    parts = tracking.parts or ((tracking.after_export or tracking.path.name, tracking.rows - first),)
    start = first
    for _name, rows in parts:
        for campaign, count, line, row_no in _unknown_in(connection, tracking, campaigns, start, start + rows):
            warnings.add(_problem(tracking, campaign, count, line, row_no - first + 1 if first else None))
        start += rows


def _unknown_in(connection, tracking: SourceFile, campaigns: SourceFile, start: int, end: int) -> list[tuple]:
    """(campaign, rows, first line, first row number from 0) of each campaign of the staged sales rows
    `start` to `end` (excluded, file order) that the campaigns file lacks, in order of first row."""
    return connection.execute(f"""
        SELECT trim(CAST(campaign AS VARCHAR)) AS campaign, count(*), min({line_of(tracking)}), min(rowid)
        FROM {tracking.table}
        WHERE rowid >= {int(start)} AND rowid < {int(end)} AND NULLIF(trim(CAST(campaign AS VARCHAR)), '') IS NOT NULL
          AND trim(CAST(campaign AS VARCHAR)) NOT IN
              (SELECT trim(CAST(campaign AS VARCHAR)) FROM {campaigns.table} WHERE campaign IS NOT NULL)
        GROUP BY 1 ORDER BY 4""").fetchall()


def _problem(tracking: SourceFile, campaign: str, rows: int, line: int, data_row: int | None) -> Problem:
    """The warning of one unknown campaign: its first row's line, or, after a store export's sales
    (whose rows are no lines of the appended file), its data row in the appended file."""
    reason = f"unknown campaign ({fmt.counted(rows, 'row')}): not in the campaigns file; kept and shown on /campaigns"
    reason += " without a brand, dates or budget"
    if data_row is not None:
        return Problem(
            tracking.after_export or tracking.path.name,
            None,
            "campaign",
            campaign,
            f"{reason} (first at data row {data_row})",
        )
    return Problem(tracking.path.name, int(line), "campaign", campaign, reason)
