"""Data-set upload pieces for the /data page: the drop zone and the tables of an import report.

Every value from the uploaded files (file names, cell values, reasons) is passed as Dash children,
so it is rendered as text, never as HTML.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from metrics import catalogue
from metrics import format as fmt
from metrics.dataset import STORE_SALES_ROWS

MAX_SHOWN = 20  # problems listed per kind; the rest are counted
VALUE_CHARS = 80  # a cell value longer than this is cut in the report (the reason names the problem)


def upload_area(upload_id: str, max_size: int, accept: str = ".csv,.parquet,.zip") -> dcc.Upload:
    """Drag-and-drop zone (also opens the file picker on click) for several files at once."""
    return dcc.Upload(
        id=upload_id,
        multiple=True,
        accept=accept,
        max_size=max_size,
        children=html.Div(
            [
                html.I(className="bi bi-cloud-arrow-up hk-upload-icon", **{"aria-hidden": "true"}),
                html.Div([html.Strong("Drop the data set's files here"), " or ", html.U("choose files")]),
                html.Div(
                    "influencers, posts, tracking_data, payouts (+ campaigns, instagram_insights_data, "
                    "youtube_analytics_data) as .csv or .parquet, or one .zip of them; instead of tracking_data, "
                    "a Shopify or WooCommerce order export with a code-to-creator map",
                    className="small text-body-secondary",
                ),
            ],
            className="text-center",
        ),
        style={
            "borderWidth": "2px",
            "borderStyle": "dashed",
            "borderRadius": "8px",
            "borderColor": "#adb5bd",
            "padding": "1.5rem",
            "cursor": "pointer",
            "backgroundColor": "#f8f9fa",
        },
        style_active={"borderColor": "#0b5cab", "backgroundColor": "#e7f1ff"},
        style_reject={"borderColor": "#dc3545", "backgroundColor": "#f8d7da"},
        className="hk-upload",
    )


def _cut(value) -> str:
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def problems_table(problems: list, total: int | None = None, kind: str = "error", table_id: str | None = None):
    """File, row, column, value and reason of the first MAX_SHOWN problems, then how many more.

    `problems` are warehouse.Problem objects (or dicts with the same keys).
    """
    total = len(problems) if total is None else total
    shown = list(problems)[:MAX_SHOWN]

    def field(problem, name):
        return problem.get(name) if isinstance(problem, dict) else getattr(problem, name)

    body = [
        html.Tr(
            [
                html.Td(_cut(field(p, "file"))),
                html.Td("—" if field(p, "row") is None else str(field(p, "row")), className="text-end"),
                html.Td(_cut(field(p, "column"))),
                html.Td(html.Code(_cut(field(p, "value"))) if field(p, "value") is not None else "—"),
                html.Td(str(field(p, "reason"))),
            ]
        )
        for p in shown
    ]
    table = dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("File"),
                        html.Th("Row", className="text-end"),
                        html.Th("Column"),
                        html.Th("Value"),
                        html.Th("Reason"),
                    ]
                )
            ),
            html.Tbody(body),
        ],
        bordered=False,
        striped=True,
        hover=True,
        size="sm",
        responsive=True,
        className=f"hk-problems hk-problems-{kind} mb-1",
        id=table_id,
    )
    more = total - len(shown)
    footer = (
        html.P(
            f"… and {fmt.count(more)} more {kind}{'s' if more != 1 else ''} ({fmt.count(total)} in all).",
            className="small text-body-secondary hk-problems-more",
        )
        if more > 0
        else None
    )
    return html.Div([table, footer])


def _sales_last(item: tuple[str, str, int]) -> tuple:
    """Tables by name, then the sales (a store export's files in their order), then its code map."""
    role = item[0]
    return (role in ("tracking", "code map"), role == "code map", "" if role == "tracking" else role)


def files_table(file_rows: list[tuple[str, str, int]], table_id: str | None = None):
    """Which uploaded file was read as which table, and how many rows it has (ImportReport.file_rows:
    a store export's files each with its own rows, and its code map)."""
    body = [
        html.Tr([html.Td(role), html.Td(name), html.Td(fmt.count(count), className="text-end")])
        for role, name, count in sorted(file_rows, key=_sales_last)
    ]
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th("Table"), html.Th("File"), html.Th("Rows", className="text-end")])),
            html.Tbody(body),
        ],
        size="sm",
        striped=True,
        responsive=True,
        className="hk-upload-files mb-2",
        id=table_id,
    )


def store_orders_summary(mapping: dict | None, table_id: str | None = None):
    """How a store order export mapped to creators (warehouse.store_orders report), before anything
    is written: orders read, attributed, unattributed (with the top codes), cancelled, refunded."""
    if not mapping:
        return None

    def orders_and(orders, revenue=None):
        return fmt.count(orders) + ("" if revenue is None else f" · {fmt.inr(revenue, 2)}")

    rows = [
        ("Orders read", f"{fmt.count(mapping['orders_read'])} ({fmt.count(mapping['line_items'])} line items)"),
        *(
            (
                f"In {pair['files'][0]} and {pair['files'][1]} alike (counted once)",
                f"{fmt.count(pair['orders'])} ({fmt.count(pair['line_items'])} line items)",
            )
            for pair in mapping.get("repeated", [])
        ),
        ("Attributed to a creator", orders_and(mapping["attributed_orders"], mapping["attributed_revenue"])),
        (
            "Unattributed: code no creator has",
            orders_and(mapping["unattributed_orders"], mapping["unattributed_revenue"]),
        ),
        ("Without a code", orders_and(mapping["no_code_orders"], mapping["no_code_revenue"])),
        # data sets imported before the report named what it covers (not_sales_covers) say the old words
        (f"Not sales ({mapping.get('not_sales_covers') or 'cancelled or voided'})", fmt.count(mapping["not_sales"])),
        (
            "Refunded, attributed orders (netted from revenue)",
            orders_and(mapping["attributed_refunded_orders"], mapping["attributed_refunds"]),
        ),
        ("Refunded, all sales", orders_and(mapping["refunded_orders"], mapping["refunded_amount"])),
        ("Several codes (first known code wins)", fmt.count(mapping["several_codes_orders"])),
        # the command line's "(1 named two creators)" (store_orders.mapping_lines), where it says it
        *(
            [("Several codes: of them, naming two creators", fmt.count(mapping["conflicting_codes_orders"]))]
            if mapping["several_codes_orders"]
            else []
        ),
        ("Guest checkouts among the attributed", fmt.count(mapping["guest_orders"])),
    ]
    if "sales_rows" in mapping:  # reports kept by imports before session 12 lack it
        rows.append((f"Sales rows: {STORE_SALES_ROWS}", fmt.count(mapping["sales_rows"])))
    if mapping.get("utm_orders"):
        rows.append(("Attributed by UTM source", fmt.count(mapping["utm_orders"])))
    top = mapping.get("top_unknown_codes") or []
    return html.Div(
        [
            html.H3(
                f"Store orders: {', '.join(mapping['exports'])} ({mapping['store']}, {mapping['currency']}) "
                f"with {mapping['code_map']}",
                className="h6 mt-3",
            ),
            dbc.Table(
                html.Tbody(
                    [
                        html.Tr(
                            [html.Th(label, scope="row", className="fw-normal"), html.Td(value, className="text-end")]
                        )
                        for label, value in rows
                    ]
                ),
                size="sm",
                striped=True,
                responsive=True,
                className="hk-store-orders mb-1",
                id=table_id,
            ),
            html.P(
                [
                    "Codes no creator has (fix the code list to attribute them): ",
                    ", ".join(f"{c['code']} ({fmt.count(c['orders'])})" for c in top),
                ],
                className="small mb-1",
            )
            if top
            else None,
            html.P(
                catalogue.STORE_REVENUE_RULE
                + " Buyers are identified by their hashed e-mail; no personal data is stored.",
                className="small text-body-secondary mb-0",
            ),
        ]
    )
