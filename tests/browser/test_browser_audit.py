"""A download clicked in Chromium leaves an audit record holding the SHA-256 of exactly the file received.

The server runs with ``LOGNAME``/``USER`` set to a test name, so local mode's user (the OS account) is a name
no code writes: the records carry it because they come from this session's user.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import Any

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
            page.get_by_role("tab", name="Audit").click()  # local mode's user is an admin
            page.get_by_role("button", name="Verify the chain").click()
            page.get_by_text(re.compile("audit trail OK")).wait_for()
            trail = tmp_path / "trail.csv"
            download(page, "Download these records (CSV)").save_as(trail)
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
    with trail.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["seq"]) for r in rows] == list(range(1, len(rows) + 1)) and rows[-1]["action"] == "export"
    (made,) = [r for r in audit.iter_records(Store(store.url)) if r.action == "audit_export"]
    assert made.user_name == WHO and made.detail["rows"] == len(rows)
    assert made.detail["sha256"] == hashlib.sha256(trail.read_bytes()).hexdigest()


def test_browser_team_sign_in_view_and_sign_out_are_recorded_as_the_signed_in_user(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.browser.test_browser_team_mode import _sign_in, _team_page, _team_server

    folder = tmp_path_factory.mktemp("team-audit")
    with _team_server(folder, idle_minutes=30) as server, _team_page(browser, server.url) as page:
        _sign_in(page, "mem")
        page.get_by_text("Signed in as").wait_for()
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()
        page.get_by_role("button", name="Sign in").wait_for()
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    mine = [r for r in audit.iter_records(store) if r.user_name == "mem@pd.gov"]
    actions = [r.action for r in mine]
    assert actions[0] == "sign_in" and actions[-1] == "sign_out" and "view" in actions, actions
    assert mine[0].detail["role"] == "viewer" and mine[0].detail["cities"] == ["Memphis"]
    view = next(r for r in mine if r.action == "view")
    assert view.detail["filter"].startswith("cities: ")
    assert mine[-1].detail["reason"] == "signed out"
    assert audit.verify(store).ok
