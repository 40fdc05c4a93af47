"""A dashboard left open while someone else imports notices the new dataset version (SQLite and PostgreSQL).

Real parts: ``streamlit run dashboard.py`` on the store, headless Chromium,
and a second ``Store`` writing an import the way another analyst's
``python -m data import`` would.
"""

from __future__ import annotations

import pytest

from data import schema as S
from data.demo import build_demo_store
from data.store import ImportSource, Store
from tests.browser.test_browser_dashboard import TIMEOUT_MS, metric, open_page, wait_metric_change
from ui.freshness import NOTICE, REFRESH_ENV
from ui.launch import run_streamlit

pytestmark = pytest.mark.browser

ADDED = 25


def _someone_else_imports(url: str) -> None:
    """Another user's import: copies of the newest incidents under new ids (demo rows, like the store's)."""
    store = Store(url)
    incidents = store.load_frames(use_snapshot=False).incidents
    newest = incidents.sort_values(S.OCCURRED_AT).tail(ADDED)
    added = newest.assign(**{S.INCIDENT_ID: [f"NEW-{i:03d}" for i in range(ADDED)]})
    source = ImportSource("colleague.csv", "0" * 64, ADDED, ADDED, 0, 0)
    store.save({S.INCIDENTS: added}, source=source)


def test_open_page_notices_an_import_and_shows_the_new_data(db_url, browser, tmp_path) -> None:
    build_demo_store(Store(db_url), seed=3, incidents=400)
    with run_streamlit(tmp_path / "streamlit.log", db_url=db_url, env={REFRESH_ENV: "2"}) as app:
        context, page, recorder = open_page(browser, app.url)
        try:
            before = metric(page, "Incidents")
            page.wait_for_timeout(5_000)  # several checks with nothing new: no notice
            assert page.get_by_text(NOTICE).count() == 0
            _someone_else_imports(db_url)
            page.get_by_text(NOTICE).wait_for(timeout=TIMEOUT_MS)  # no click: the page found out itself
            page.get_by_role("button", name="Show the new data").click()
            assert wait_metric_change(page, "Incidents", before) == before + ADDED
            assert page.get_by_text(NOTICE).count() == 0
        finally:
            context.close()
    assert recorder.outside == []
