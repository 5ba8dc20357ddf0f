"""Data: the loaded data set and its freshness, upload → validate → import a new one, the sample data set."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import auth
from components.cards import notice, page_header
from components.history import RESTORED_ID, history_card
from components.ids import data as ids
from components.upload import upload_area
from warehouse.sample import download_text

dash.register_page(
    __name__,
    path="/data",
    name="Data",
    order=9,
    title="Data · HealthKart Influencer ROI",
    description="Upload, validate and import a data set; download the sample data set",
    filters=False,  # the filter bar selects nothing here: hidden (callbacks/filters.py)
)

MAX_FILE_BYTES = 100 * 1024 * 1024  # per file; larger data sets: `hkdash import DIR`


def layout(**_query):
    admin = auth.layout_role() == "admin"
    return html.Div(
        [
            page_header("Data", "The data set behind every figure: what is loaded, and how to replace it"),
            dcc.Store(id=ids.UPLOAD_STORE, storage_type="memory"),
            dcc.Store(id=ids.IMPORTED, storage_type="memory"),
            dcc.Store(id=RESTORED_ID, storage_type="memory"),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.H2("Current data set", className="hk-card-title"),
                                    dcc.Loading(html.Div(id=ids.INFO), type="dot", delay_show=300),
                                ]
                            ),
                            className="hk-card mb-3 h-100",
                        ),
                        lg=7,
                        className="mb-3",
                    ),
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.H2("Sample data set", className="hk-card-title"),
                                    html.P(
                                        [
                                            "A generated year of HealthKart influencer marketing in the import format "
                                            f"({download_text()}, every row a creator's sale): use it to try the "
                                            "dashboard or as a template for your own files. ",
                                            html.Code("hkdash sample --as shopify"),
                                            " writes the same sales as a store's order export, where some orders "
                                            "carry no creator's code (the current data set then says how many were "
                                            "attributed).",
                                        ],
                                        className="hk-card-subtitle",
                                        id=ids.SAMPLE_TEXT,
                                    ),
                                    dbc.Button(
                                        [
                                            html.I(className="bi bi-file-earmark-zip me-1", **{"aria-hidden": "true"}),
                                            "Download sample (.zip)",
                                        ],
                                        id=ids.SAMPLE,
                                        color="secondary",
                                        outline=True,
                                        size="sm",
                                        n_clicks=0,
                                    ),
                                    dcc.Download(id=ids.SAMPLE_DOWNLOAD),
                                ]
                            ),
                            className="hk-card mb-3 h-100",
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                ],
                className="g-3",
            ),
            *(
                admin_cards()
                if admin
                else [
                    notice(
                        "Importing, appending and restoring data sets is for admins; ask one to change the data set.",
                        color="secondary",
                        icon="bi-lock",
                    )
                ]
            ),
        ],
        className="hk-page-data",
    )


def admin_cards() -> list:
    return [
        dbc.Card(
            dbc.CardBody(
                [
                    html.H2("Import a new data set", className="hk-card-title"),
                    html.P(
                        [
                            "1. Drop the files (or a .zip). 2. They are checked; nothing changes yet. 3. If they are valid, "
                            "Import replaces the current data set in one step (a failed import leaves it as it was). ",
                            f"Up to {MAX_FILE_BYTES // (1024 * 1024)} MB per file; larger data sets: ",
                            html.Code("hkdash import DIR"),
                            ".",
                        ],
                        className="hk-card-subtitle",
                    ),
                    dbc.RadioItems(
                        id=ids.MODE,
                        inline=True,
                        value="replace",
                        className="small mb-2",
                        options=[
                            {"label": "Replace the current data set", "value": "replace"},
                            {
                                "label": (
                                    "Append to it (a new month of sales, posts, payouts; overlaps are refused; a store "
                                    "order export cannot be appended: replace with the store's complete export)"
                                ),
                                "value": "append",
                            },
                        ],
                    ),
                    upload_area(ids.UPLOAD, max_size=MAX_FILE_BYTES),
                    dcc.Loading(
                        html.Div(id=ids.REPORT, className="mt-3", **{"aria-live": "polite"}), type="dot", delay_show=200
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("Data set name", html_for=ids.NAME, className="small mb-1"),
                                    dbc.Input(
                                        id=ids.NAME,
                                        type="text",
                                        placeholder="Default: the uploaded file's name",
                                        maxLength=80,
                                        value="",
                                        size="sm",
                                    ),
                                ],
                                md=6,
                                lg=4,
                            ),
                            dbc.Col(
                                dbc.Button(
                                    [html.I(className="bi bi-database-up me-1", **{"aria-hidden": "true"}), "Import"],
                                    id=ids.IMPORT,
                                    color="primary",
                                    disabled=True,
                                    n_clicks=0,
                                    title="Replace the current data set with the validated upload",
                                ),
                                width="auto",
                                className="d-flex align-items-end",
                            ),
                        ],
                        className="g-2 mt-2",
                    ),
                    dcc.Loading(
                        html.Div(id=ids.IMPORT_RESULT, className="mt-3", **{"aria-live": "polite"}),
                        type="dot",
                        delay_show=200,
                    ),
                ]
            ),
            className="hk-card mb-3",
        ),
        history_card(),
        html.P(
            [
                html.I(className="bi bi-shield-lock me-1", **{"aria-hidden": "true"}),
                dcc.Link("Audit log and users", href="/admin"),
            ],
            className="small",
        ),
    ]
