"""Series in a real browser: the Find box, picking from the map, and a relative period in a shared URL.

Headless Chromium against ``streamlit run dashboard.py`` on the seeded demo
store (the same seed and size as ``demo_server``, rebuilt here to know its ids).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from data import schema as S
from data.demo import build_demo_store
from data.store import Store
from linking.filters import Filters
from linking.selection import select
from tests.browser.conftest import DEMO_INCIDENTS
from tests.browser.test_browser_dashboard import MAIN_MAP, MAP_SANDBOX, TIMEOUT_MS, open_page, wait_idle

pytestmark = pytest.mark.browser

MARK_MARKER = """(wanted) => {
    const map = window.brassmapMap;
    document.querySelectorAll("[data-test-target]").forEach((old) => old.removeAttribute("data-test-target"));
    let found = null;
    map.eachLayer((layer) => {
        if (layer.brassmapId === wanted && layer._path) { found = layer; }
    });
    if (!found) { return false; }
    map.setView(found.getLatLng(), 18, { animate: false });
    found._path.setAttribute("data-test-target", "1");
    return true;
}"""


@pytest.fixture(scope="module")
def demo_selection(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The demo store the server shows (same seed and size), selected whole."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-series') / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=2019, incidents=DEMO_INCIDENTS)
    frames = Store(url).load_frames()
    return select(frames, Filters(), today=pd.Timestamp(frames.incidents[S.LOCAL_DATE].max()).date())


def _map_frame(page):  # type: ignore[no-untyped-def]
    """The sandboxed frame holding the page's main Leaflet map (the first one drawn)."""
    page.frame_locator(MAIN_MAP).first.frame_locator(MAP_SANDBOX).locator(".leaflet-container").wait_for()
    for frame in page.frames:
        try:
            if frame.evaluate("() => !!window.brassmapMap"):
                return frame
        except Exception:  # frames without access or gone: try the next
            continue
    raise AssertionError("no map frame found")


def _click_incident(page, incident_id: str) -> None:  # type: ignore[no-untyped-def]
    frame = _map_frame(page)
    assert frame.evaluate(MARK_MARKER, incident_id), f"{incident_id} is not drawn on the map"
    page.wait_for_timeout(300)
    target = (
        page.frame_locator(MAIN_MAP).first.frame_locator(MAP_SANDBOX).locator('path[data-test-target="1"]')
    )
    target.click()


def test_browser_find_a_case_number_opens_its_series(browser, demo_server, demo_selection) -> None:  # type: ignore[no-untyped-def]
    incidents = demo_selection.incidents
    unique = ~incidents[S.CASE_NUMBER].duplicated(keep=False)  # agencies may share a case number format
    linked = incidents[incidents[S.SERIES_ID].notna() & incidents[S.CASE_NUMBER].notna() & unique].iloc[-1]
    context, page, recorder = open_page(browser, demo_server)
    try:
        box = page.get_by_role("textbox", name="Find")
        box.fill(str(linked[S.CASE_NUMBER]))
        box.press("Enter")
        series_id = str(linked[S.SERIES_ID])
        page.get_by_role("heading", name=f"Series {series_id}").wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        assert f"series_id={series_id}" in page.url
        assert recorder.outside == []
    finally:
        context.close()


def test_browser_click_an_unlinked_shooting_shows_it_and_no_series(
    browser, demo_server, demo_selection
) -> None:  # type: ignore[no-untyped-def]
    incidents = demo_selection.incidents
    lonely = incidents[incidents[S.SERIES_ID].isna()].iloc[0]
    linked = incidents[incidents[S.SERIES_ID].notna() & (incidents[S.CITY] == lonely[S.CITY])].iloc[0]
    city = str(lonely[S.CITY])
    context, page, recorder = open_page(browser, demo_server, f"tiles=off&cities={city.replace(' ', '+')}")
    try:
        lonely_id = str(lonely[S.INCIDENT_ID])
        _click_incident(page, lonely_id)
        page.get_by_role("heading", name=f"Incident {lonely_id}").wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        assert page.get_by_text("Not in any series").count() == 1
        assert page.get_by_role("heading", name=re.compile(r"^Series S-")).count() == 0
        assert "series_id=" not in page.url
        # a linked shooting picks its series, and its popup stays open after the map is redrawn
        linked_id = str(linked[S.INCIDENT_ID])
        _click_incident(page, linked_id)
        page.get_by_role("heading", name=f"Series {linked[S.SERIES_ID]}").wait_for(timeout=TIMEOUT_MS)
        wait_idle(page)
        page.wait_for_timeout(1000)
        popup = (
            page.frame_locator(MAIN_MAP).first.frame_locator(MAP_SANDBOX).locator(".leaflet-popup-content")
        )
        popup.first.wait_for(timeout=TIMEOUT_MS)
        assert linked_id in popup.first.inner_text()
        assert recorder.outside == []
    finally:
        context.close()


def test_browser_last_28_days_survives_a_shared_url(browser, demo_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context, page, _ = open_page(browser, demo_server)
    try:
        page.get_by_text("Last 28 days", exact=True).click()
        page.wait_for_function("() => location.search.includes('period=last_28_days')", timeout=TIMEOUT_MS)
        wait_idle(page)
        shared = page.url
        assert "date_from" not in shared
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(shared)
        wait_idle(page)
        assert page.get_by_role("radio", name="Last 28 days").is_checked()
        assert "period=last_28_days" in page.url and "date_from" not in page.url
    finally:
        context.close()
