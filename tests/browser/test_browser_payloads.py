"""SECURITY.md "Rendering": data rows carrying script payloads run no script on the dashboard.

A tiny store whose incidents and links carry every payload is imported
through the real importer; the dashboard then draws all markers and links,
every popup is opened, a series whose id carries a payload is picked, and
``window.__pwned`` stays undefined in the page and in every frame.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from data.importer import import_file
from data.mapping import parse_mapping
from data.store import Store
from tests.browser.test_browser_dashboard import (
    MAIN_MAP,
    MAP_SANDBOX,
    TIMEOUT_MS,
    map_frame,
    metric,
    open_page,
)
from tests.browser_support import need_chromium
from ui.launch import run_streamlit

pytestmark = pytest.mark.browser

PAYLOADS: tuple[str, ...] = (
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "${window.__pwned=1}",
    "`+(window.__pwned=1)+`",
    "\\`);window.__pwned=1;//",
    "C:\\users\\x9 trailing\\",
    "<svg onload=window.__pwned=1>",
    '"><img src=x onerror=window.__pwned=1>',
    "![x](http://payload.invalid/x.png)",
    "$\\pwned$ :red[x] <b>bold</b>",
)
ID_PAYLOAD = "<img src=x onerror=window.__pwned=1>"

INCIDENT_MAPPING = """
kind = "incidents"
[columns]
incident_id = "incident_id"
city = "city"
occurred_at = "occurred_at"
latitude = "latitude"
longitude = "longitude"
incident_type = "incident_type"
agency = "agency"
case_number = "case_number"
address = "address"
district = "district"
neighbourhood = "neighbourhood"
narrative = "narrative"
"""
LINK_MAPPING = """
kind = "links"
[columns]
incident_a = "incident_a"
incident_b = "incident_b"
status = "status"
lead_number = "lead_number"
lead_date = "lead_date"
site = "site"
note = "note"
"""

OPEN_ALL_POPUPS = """() => {
    let opened = 0;
    for (const name of Object.keys(window)) {
        if (!name.startsWith("map_") && name !== "brassmapMap") continue;  // e.g. localStorage throws here
        const candidate = window[name];
        if (candidate && typeof candidate.eachLayer === "function") {
            candidate.eachLayer((layer) => {
                if (layer.getPopup && layer.getPopup()) { layer.openPopup(); layer.closePopup(); opened++; }
            });
        }
    }
    return opened;
}"""


def write_payload_files(folder: Path) -> tuple[Path, Path, int, int]:
    """Write incidents and links CSVs with a payload in every text field; return paths and counts."""
    incidents = folder / "incidents.csv"
    links = folder / "links.csv"
    incident_rows, link_rows = [], []
    for index, payload in enumerate(PAYLOADS):
        first = ID_PAYLOAD if index == 0 else f"PAY-{index:02d}-A"
        second = f"PAY-{index:02d}-B"
        for offset, incident_id in enumerate((first, second)):
            incident_rows.append(
                {
                    "incident_id": incident_id,
                    "city": "Detroit",
                    "occurred_at": f"2021-0{1 + index % 9}-1{offset}T21:30:00-05:00",
                    "latitude": f"{42.33 + 0.01 * index:.4f}",
                    "longitude": f"{-83.10 + 0.01 * offset:.4f}",
                    "incident_type": "non_fatal_shooting",
                    "agency": payload,
                    "case_number": payload,
                    "address": payload,
                    "district": payload,
                    "neighbourhood": payload,
                    "narrative": payload,
                }
            )
        link_rows.append(
            {
                "incident_a": first,
                "incident_b": second,
                "status": "hit" if index % 2 else "lead",
                "lead_number": payload,
                "lead_date": "2021-10-01",
                "site": payload,
                "note": payload,
            }
        )
    for path, rows in ((incidents, incident_rows), (links, link_rows)):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return incidents, links, len(incident_rows), len(link_rows)


@pytest.fixture(scope="session")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """A dashboard on a store holding only payload rows; yields (url, incidents, links)."""
    need_chromium()
    folder = tmp_path_factory.mktemp("payloads")
    url = f"sqlite:///{folder / 'payloads.sqlite'}"
    store = Store(url)
    incidents, links, n_incidents, n_links = write_payload_files(folder)
    report = import_file(incidents, parse_mapping(INCIDENT_MAPPING, name="payload incidents"), store)
    assert report.rejected == 0, report.rejects.to_string()
    report = import_file(links, parse_mapping(LINK_MAPPING, name="payload links"), store)
    assert report.rejected == 0, report.rejects.to_string()
    with run_streamlit(folder / "streamlit.log", db_url=url) as app:
        yield app.url, n_incidents, n_links


def pwned_anywhere(page) -> list[str]:
    """Frames (by url) where ``window.__pwned`` is set."""
    hits = []
    for frame in page.frames:
        try:
            if frame.evaluate("() => typeof window.__pwned !== 'undefined'"):
                hits.append(frame.url)
        except Exception as exc:  # a frame that went away while we looked
            if "detached" not in str(exc).lower() and "destroyed" not in str(exc).lower():
                raise
    return hits


def map_content_frame(page, index: int = 0):
    component = page.locator(MAIN_MAP).nth(index).element_handle().content_frame()
    return component.wait_for_selector(MAP_SANDBOX).content_frame()


def test_browser_payload_rows_run_no_script_and_all_markers_draw(browser, payload_server):
    base_url, n_incidents, n_links = payload_server
    context, page, recorder = open_page(browser, base_url)
    try:
        assert metric(page, "Incidents") == n_incidents
        frame = map_frame(page)
        frame.locator("path.brassmap-incident").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        assert frame.locator("path.brassmap-incident").count() == n_incidents
        assert frame.locator("path.brassmap-link").count() == n_links
        opened = map_content_frame(page).evaluate(OPEN_ALL_POPUPS)
        assert opened >= n_incidents + n_links
        page.locator(".vega-embed svg").first.wait_for()
        page.wait_for_timeout(500)
        assert pwned_anywhere(page) == []

        # the series whose id is a payload, picked through the URL: drill-down with every field
        series_id = f"S-{ID_PAYLOAD}"
        page.goto(f"{base_url}/?tiles=off&series_id={quote(series_id)}")
        page.get_by_role("heading", name=f"Series {series_id}").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("Path in time order").wait_for()
        drill = map_content_frame(page, 1)
        drill.locator("path.brassmap-incident").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        drill.evaluate(OPEN_ALL_POPUPS)
        page.wait_for_timeout(500)
        assert pwned_anywhere(page) == []
        assert page.locator("img[src='x']").count() == 0
    finally:
        context.close()
    assert recorder.outside == [], f"requests left the machine: {recorder.outside}"
