"""Ids of the data page (pages/data.py, callbacks/data.py)."""

UPLOAD = "data-upload"
MODE = "data-mode"  # replace the current data set, or append to it
UPLOAD_STORE = "data-upload-store"  # {"token", "valid", "files", "name", "label"} of the last upload
IMPORTED = "data-imported"  # time of the last import, so the info card reloads
INFO = "data-info"
SAMPLE = "data-sample"
SAMPLE_DOWNLOAD = "data-sample-download"
SAMPLE_TEXT = "data-sample-text"
REPORT = "data-report"
NAME = "data-name"
IMPORT = "data-import"
IMPORT_RESULT = "data-import-result"

# Built by the callbacks inside the report, result and info areas above.
REPORT_STATUS = "data-report-status"
ERRORS_TABLE = "data-errors"
WARNINGS_TABLE = "data-warnings"
WARNINGS_HEADING = "data-warnings-heading"  # says whether the import goes ahead despite them
FILES_TABLE = "data-files"
IMPORT_STATUS = "data-import-status"
IMPORT_ERRORS_TABLE = "data-import-errors"
STORE_ORDERS_TABLE = "data-store-orders"
INFO_EMPTY = "data-info-empty"
INFO_NAME = "data-info-name"
INFO_FILES = "data-info-files"
INFO_STORE_ORDERS = "data-info-store-orders"  # the live data set's store mapping table
INFO_SALES_ROWS = "data-info-sales-rows"  # what the "Sales rows" count is
