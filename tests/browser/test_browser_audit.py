"""A download clicked in Chromium leaves an audit record holding the SHA-256 of exactly the file received.

The server runs with ``LOGNAME``/``USER`` set to a test name, so local mode's user (the OS account) is a name
no code writes: the records carry it because they come from this session's user.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from data import audit
from data.store import Store
from tests.browser.test_browser_dashboard import download, open_page
from tests.browser_support import need_chromium
from tests.lead_desk.desk_data import build_store
from ui.launch import run_streamlit

pytestmark = pytest.mark.browser
WHO = "browser-tester"


def test_browser_export_download_is_recorded_with_the_files_sha256(browser, tmp_path: Path) -> None:
    need_chromium()
    store = build_store(tmp_path)
    names = {name: WHO for name in ("LOGNAME", "USER", "LNAME", "USERNAME")}
    with run_streamlit(tmp_path / "streamlit.log", db_url=store.url, env=names) as app:
        context, page, recorder = open_page(browser, app.url)
        try:
            page.get_by_role("tab", name="Exports").click()
            saved = tmp_path / "export.graphml"
            download(page, re.compile("GRAPHML", re.IGNORECASE)).save_as(saved)
        finally:
            context.close()
    assert recorder.outside == []
    records = list(audit.iter_records(Store(store.url)))
    views = [r for r in records if r.action == "view"]
    assert views and all(r.user_name == WHO for r in views)
    exports = [r for r in records if r.action == "export"]
    assert len(exports) == 1, [r.action for r in records]
    (export,) = exports
    assert export.user_name == WHO and export.detail["via"] == "dashboard"
    assert export.detail["format"] == "graphml" and export.detail["file_name"] == "brassmap-filter.graphml"
    assert export.detail["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    assert export.detail["bytes"] == saved.stat().st_size and export.detail["rows"]["incidents"] == 6
    assert audit.verify(Store(store.url)).ok
