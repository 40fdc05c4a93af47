"""The dashboard's way of showing the map: the live map component + Streamlit static serving.

A minimal Streamlit app (not the dashboard) shows a ``build_map_spec`` map in
``ui.live_map``. Streamlit must serve ``static/vendor/*.js`` with a script
MIME type, the map must draw in the component iframe with no request
leaving 127.0.0.1, and a new map must be drawn in the same, still open
Leaflet map (no new frame).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import RequestRecorder, need_chromium
from ui.launch import run_streamlit

pytestmark = pytest.mark.browser
REPO_ROOT = Path(__file__).resolve().parents[2]
APP = """
import sys
from pathlib import Path

sys.path.insert(0, {repo!r})
import streamlit as st

from geo.assets import install_static_assets
from tests.geo._geo_frames import PAYLOADS, build_map, incident_frame, link_frame
from ui.live_map import live_map
from ui.map_view import live_spec

install_static_assets(Path(__file__).parent / "static")
incidents = incident_frame(12)
incidents["address"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(12)]
st.title("map probe")
shown = st.radio("Incidents", [12, 5], horizontal=True)
live_map(live_spec(build_map(incidents.head(shown), link_frame(), tiles=False)), key="probe", height=500)
"""


@pytest.fixture(scope="module")
def probe_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    folder = tmp_path_factory.mktemp("static-probe")
    (folder / "probe.py").write_text(APP.format(repo=str(REPO_ROOT)), encoding="utf-8")
    with run_streamlit(folder / "streamlit.log", script=folder / "probe.py") as app:
        yield app.url


def test_streamlit_serves_the_vendor_files_as_script_and_style(probe_app: str, chromium_browser) -> None:
    page = chromium_browser.new_page()  # the app copies the files on its first run
    page.goto(probe_app)
    page.wait_for_selector("text=map probe", timeout=30_000)
    page.close()
    for name, expected in (
        ("leaflet.js", "javascript"),
        ("brassmap.js", "javascript"),
        ("leaflet.css", "text/css"),
    ):
        with urllib.request.urlopen(f"{probe_app}/app/static/vendor/{name}", timeout=5) as response:
            assert expected in response.headers["Content-Type"], name
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_live_map_draws_from_local_assets_and_redraws_in_place(probe_app: str, chromium_browser) -> None:
    context = chromium_browser.new_context()
    recorder = RequestRecorder.attach(context)
    page = context.new_page()
    page.goto(probe_app)
    component = page.frame_locator("iframe[title$='brassmap_map']")
    frame = component.frame_locator("iframe[sandbox='allow-scripts']")  # the map, without same-origin rights
    frame.locator("path.brassmap-incident").first.wait_for(state="attached", timeout=30_000)
    assert frame.locator("path.brassmap-incident").count() == 12
    assert frame.locator("path.brassmap-link").count() == 4  # the test fire has no firearm place
    assert frame.locator(".brassmap-legend").count() == 1
    overlays = frame.locator(".leaflet-control-layers-overlays label")
    assert overlays.count() == 4  # heat, hexagons, links, incidents
    reach = "() => { try { return String(window.parent.document.title); } catch (e) { return 'blocked'; } }"
    assert frame.locator("#map").evaluate(reach) == "blocked"  # no same-origin rights: out of the app's reach
    first_version = frame.locator("#map").get_attribute("data-brassmap-version")
    frame.locator("#map").evaluate("element => { window.__sameMap = element; }")

    page.get_by_text("5", exact=True).click()  # a smaller map: the open one redraws its layers
    frame.locator("path.brassmap-incident").nth(5).wait_for(state="detached", timeout=30_000)
    assert frame.locator("path.brassmap-incident").count() == 5
    assert frame.locator(".brassmap-legend").count() == 1  # the old legend went with the old layers
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator("#map").get_attribute("data-brassmap-version") != first_version
    assert frame.locator("#map").evaluate("element => window.__sameMap === element")  # no new frame or map

    assert page.evaluate("typeof window.__pwned") == "undefined"
    for handle in page.frames:
        assert handle.evaluate("typeof window.__pwned") == "undefined"
    assert recorder.outside == [], f"requests left the machine: {recorder.outside}"
    context.close()
