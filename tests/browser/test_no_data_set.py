"""Before any import (the state a new user starts from): every page in the navbar shows the
"no data set" notice with no console error, failed callback (HTTP 500) or external request."""

from __future__ import annotations

import pytest
from browser_helpers import goto


@pytest.fixture(scope="module")
def server(start_server, tmp_path_factory):
    return start_server(tmp_path_factory.mktemp("no-data-set") / "warehouse.duckdb")


def test_every_page_says_no_data_set_cleanly(page, server, page_problems):
    goto(page, server.url + "/")
    paths = page.eval_on_selector_all(
        ".hk-navbar a.nav-link[href^='/']", "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert {"/", "/influencers", "/lift", "/plan", "/audience"} <= set(paths), paths
    for path in paths:
        goto(page, server.url + path)
        if path != "/data":  # /data is where a data set is imported
            assert "No data set" in page.inner_text("body"), path
        assert not page_problems, (path, list(page_problems))
