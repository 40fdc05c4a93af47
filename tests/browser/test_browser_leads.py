"""The lead desk in a real browser: queue -> a series -> a "disseminated" event -> the bulletin download.

Headless Chromium against ``streamlit run dashboard.py`` on the hand-made desk store
(tests/lead_desk/desk_data.py); no request may leave 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from data import audit
from data import schema as S
from data.access import os_user_name
from data.lead_events import read_events
from data.store import Store
from tests.browser.test_browser_dashboard import open_page, wait_idle
from tests.browser_support import need_chromium
from tests.lead_desk.desk_data import build_store
from ui.launch import run_streamlit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``(base url, db url)`` of the dashboard on the desk store."""
    need_chromium()
    folder = tmp_path_factory.mktemp("browser-desk")
    store = build_store(folder)
    with run_streamlit(folder / "streamlit.log", db_url=store.url) as app:
        yield app.url, store.url


def open_leads_tab(page) -> None:
    """Click the Leads tab until its lead picker shows (a rerun that lands just after a click can redraw
    the tabs with the first one open)."""
    for attempt in range(4):
        wait_idle(page)
        page.get_by_role("tab", name="Leads").click()
        try:
            page.get_by_role("combobox", name="Lead").wait_for(timeout=15_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 3:
                raise


def test_browser_queue_series_disseminate_bulletin(browser, desk_server, artifacts, tmp_path: Path) -> None:
    base_url, db_url = desk_server
    context, page, recorder = open_page(browser, base_url)
    try:
        open_leads_tab(page)
        lead = page.get_by_role("combobox", name="Lead")
        lead.scroll_into_view_if_needed()
        assert re.fullmatch(r"N-2 - score [\d.]+ - series S-D1", lead.input_value())  # the top of the queue
        assert page.get_by_text("Open leads (3,").first.is_visible()

        page.get_by_role("button", name="Open its series S-D1").click()
        wait_idle(page)
        page.get_by_role("heading", name=re.compile(r"Series S.D1")).wait_for()

        open_leads_tab(page)
        to = page.get_by_label("To (agency, unit or investigator)")
        to.fill("Detroit PD CGIC")
        to.press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Disseminated", exact=True).click()
        wait_idle(page)
        page.get_by_text("Recorded disseminated on L2").wait_for()
        events = read_events(Store(db_url))
        sent = events[(events[S.EVENT] == "disseminated") & (events[S.LINK_ID] == "L2")]
        assert sent[S.EVENT_TO].tolist() == ["Detroit PD CGIC"]

        open_leads_tab(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Bulletin (PDF)").first.click()
        saved = tmp_path / "bulletin.pdf"
        download.value.save_as(saved)
        page.screenshot(path=str(artifacts / "leads_tab.png"), full_page=True)
        assert saved.read_bytes()[:5] == b"%PDF-"
        trail = list(audit.iter_records(Store(db_url)))  # the event and the bulletin are in the audit trail
        (made,) = [r for r in trail if r.action == "bulletin"]
        assert made.detail["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
        assert made.detail["series_id"] == "S-D1" and made.user_name == os_user_name()
        assert [r.detail["to"] for r in trail if r.action == "lead_event"] == ["Detroit PD CGIC"]
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], check=True, capture_output=True,
                                  text=True).stdout  # fmt: skip
            assert "LAW ENFORCEMENT SENSITIVE" in text and "S-D1" in text
            assert "to Detroit PD CGIC" in " ".join(text.split())
        assert recorder.outside == []
    finally:
        page.screenshot(path=str(artifacts / "leads_tab_last.png"), full_page=True)
        context.close()
