"""The navbar's "Download PDF": the report of the current filters (the URL), in one click.

While it renders the button is disabled and shows a spinner with "Preparing PDF…" (Dash's
`running=`); a failure shows a red alert under the button with a message a person can act on.
The selection is read from the URL (`State("url", "search")`, parsed like every page does), so
the PDF covers exactly what the page shows, /lift's window (`window=` in its URL) and /plan's mode,
budget and max change (`by=`, `budget=`, `max_change=`: its plan section is the page's plan) included;
the click is the only trigger.

The report worker process (reports/slots.py) and its chart browser (headless Chromium, about 1 GB
per server process) start on the first report click in each process. With HKDASH_REPORT_PREWARM=1
they start instead in the background on the first page load (`reports.slots.prewarm`, after any
fork), so that the first click pays neither the worker's start and imports nor Chromium's; that
trades memory for a faster first report.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import zoneinfo
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from callbacks import common
from components.ids.shell import URL
from components.report_button import BUSY_LABEL, BUTTON_ID, DOWNLOAD_ID, ERROR_ID, IDLE_LABEL, STATUS_ID
from metrics import format as fmt
from warehouse.db import WarehouseMissing, WarehouseOutdated

log = logging.getLogger(__name__)

BUTTON_TITLE = "A board-ready PDF of the current view (all filters applied)"


def report_filename(filters, now: dt.datetime | None = None) -> str:
    """hk-influencer-roi-2025-04-02-0900[-instagram-youtube].pdf (ASCII, no user-controlled path parts);
    the time is the report's own 'Generated' time zone (metrics.format.TIMEZONE, IST by default)."""
    now = now or dt.datetime.now(zoneinfo.ZoneInfo(fmt.TIMEZONE))
    parts = [
        v for name in ("platform", "category", "tier", "brand", "campaign", "product") for v in getattr(filters, name)
    ]
    if filters.start or filters.end:
        parts.append(f"{filters.start or 'start'}-to-{filters.end or 'end'}")
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")[:60].strip("-")
    return f"hk-influencer-roi-{now:%Y-%m-%d-%H%M}" + (f"-{slug}" if slug else "") + ".pdf"


def error_alert(message: str) -> dbc.Alert:
    """The red alert under the PDF button."""
    return dbc.Alert(
        [
            html.I(className="bi bi-exclamation-triangle-fill me-1", **{"aria-hidden": "true"}),
            html.Strong("PDF report failed. "),
            message,
        ],
        color="danger",
        dismissable=True,
        className="hk-report-error mb-0 py-1 px-2 small",
        id=ERROR_ID,
    )


def make_report(search: str | None, influencer_id: str | None = None):
    """(dcc.Download data, status children) for the selection in `search` (one creator's report with
    `influencer_id`, the creator page's button) — the callback body."""
    from callbacks.plan import plan_request
    from metrics import UnknownInfluencer
    from metrics.planning import PlanError
    from reports import ReportError  # imported on first click, not at app start
    from reports.slots import build_report_bounded

    filters = common.filters_from_search(search)
    try:
        request = None if influencer_id is not None else plan_request(search)
        # in the report worker process, one at a time, a bounded queue: pages keep their threads and CPU
        pdf = build_report_bounded(
            common.warehouse().path, filters, report_settings(search), influencer_id, plan_request=request
        )
    except (ReportError, PlanError) as error:
        log.warning("PDF report failed: %s", error)
        return no_update, error_alert(str(error))
    except WarehouseOutdated:
        return no_update, error_alert(
            "The data set was imported by another version of hkdash: import it again on the Data page, then try again."
        )
    except WarehouseMissing:
        return no_update, error_alert("No data set is imported yet: import one on the Data page, then try again.")
    except UnknownInfluencer:
        return no_update, error_alert("This creator is not in the data set (it was imported again): reload the page.")
    except Exception as error:  # noqa: BLE001 - a click with no visible answer is worse: message + logged trace
        log.exception("PDF report failed")
        return no_update, error_alert(f"Unexpected error ({type(error).__name__}); the details are in the server log.")
    name = report_filename(filters)
    if influencer_id is not None:
        name = name.replace("hk-influencer-roi-", f"hk-creator-{creator_slug(influencer_id)}-", 1)
    return dcc.send_bytes(pdf, name, type="application/pdf"), None


def report_settings(search: str | None):
    """The app's settings with /lift's window when the URL carries one (`window=28` on /lift), so
    the PDF's measured lift is the page's: other pages' URLs have none and keep the default."""
    from callbacks.lift import lift_settings

    return lift_settings(parse_qs((search or "").lstrip("?")).get("window", [None])[0])


def creator_slug(influencer_id: str) -> str:
    """An influencer id as a file-name part: ASCII letters, digits and hyphens, at most 30."""
    return re.sub(r"[^a-z0-9]+", "-", str(influencer_id).lower()).strip("-")[:30].strip("-") or "creator"


@callback(
    Output(DOWNLOAD_ID, "data"),
    Output(STATUS_ID, "children"),
    Input(BUTTON_ID, "n_clicks"),
    State(URL, "search"),
    running=[
        (Output(BUTTON_ID, "disabled"), True, False),
        (Output(BUTTON_ID, "children"), BUSY_LABEL, IDLE_LABEL),
        (Output(STATUS_ID, "hidden"), True, False),
    ],
    prevent_initial_call=True,
)
def download_report(n_clicks, search):
    if not n_clicks:
        return no_update, no_update
    return make_report(search)


@callback(Output(BUTTON_ID, "title"), Input(URL, "pathname"))
def prewarm_report_browser(_pathname):
    """With HKDASH_REPORT_PREWARM=1, start this process's report worker and its chart browser on the
    first page load (where reports render: the chart browser of this process would never draw one)."""
    if os.environ.get("HKDASH_REPORT_PREWARM", "0") == "1":
        try:
            from reports import slots

            slots.prewarm()
        except Exception:  # noqa: BLE001 - a warm-up must never break page loads
            log.debug("report browser warm-up failed", exc_info=True)
    return BUTTON_TITLE


@callback(Output(BUTTON_ID, "style"), Input(URL, "pathname"))
def report_button_for_role(pathname):
    """Download PDF hidden from a role the server refuses reports to, and on every creator page: a
    known creator's page has its own Download PDF (of that creator; two identical buttons giving two
    different reports confused), an unknown one's is a 404 with nothing to report."""
    from components.ids.creator import creator_id_of

    return common.HIDE if creator_id_of(pathname) is not None else common.shown_to("analyst")
