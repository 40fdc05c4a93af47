"""The dashboard on a laptop (1366×768) and a desktop (1920×1080) screen: map in view, nothing cut off.

The same server as ``test_browser_map`` (demo store with the real boundaries,
point threshold 500, every request off 127.0.0.1 aborted). Screenshots of the
first view and of a picked series go to ``tests/artifacts/`` at both sizes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from data.frames import load_frames
from data.store import Store
from linking.filters import Filters
from linking.selection import select
from tests.browser.test_browser_dashboard import MAIN_MAP, MAP_SANDBOX, TIMEOUT_MS
from tests.browser.test_browser_map import _open, geo_server, geo_store  # noqa: F401  (module fixtures)

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (1920, 1080)]

CUT_OFF = """(selector) => [...document.querySelectorAll(selector)].flatMap((root) =>
    [root, ...root.querySelectorAll('*')]
        .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
        .map((e) => (root.innerText || root.textContent).trim()))"""
"""Texts of the elements under ``selector`` whose content is wider than their box (cut, or ending in "…")."""

OVERLAPS = """(selector) => {
    const boxes = [...document.querySelectorAll(selector)]
        .map((e) => [e.textContent, e.getBoundingClientRect()]);
    const clashes = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [ta, a] = boxes[i], [tb, b] = boxes[j];
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 0.5 && h > 0.5) { clashes.push(ta + '/' + tb); }
        }
    }
    return [boxes.length, clashes];
}"""

LEGEND_OUTSIDE = """() => [...document.querySelectorAll('.vega-embed')].flatMap((embed) => {
    const box = embed.getBoundingClientRect();
    return [...embed.querySelectorAll('.role-legend-label text')]
        .filter((t) => {
            const r = t.getBoundingClientRect();
            return r.right > box.right + 1 || r.left < box.left - 1;
        })
        .map((t) => t.textContent);
})"""
"""Legend labels drawn (partly) outside their chart's box: cut off by the page."""

STOP_LABELS = '.vega-embed g[class*="stop_labels_"] text'
VEGA_TEXTS = """(selector) => [...document.querySelectorAll(selector)].map((t) => t.textContent)"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_first_view_shows_the_map_without_scrolling(browser, geo_server, artifacts: Path, size) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    width, height = size
    context, page, recorder = _open(browser, geo_server, "tiles=off", size=size)
    try:
        frame = page.frame_locator(MAIN_MAP).first.frame_locator(MAP_SANDBOX)
        frame.locator("path.brassmap-hexagon").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        page.wait_for_timeout(800)
        page.screenshot(path=str(artifacts / f"dashboard_{width}x{height}.png"))
        component = page.locator(MAIN_MAP).first.bounding_box()
        drawn = frame.locator("#map").bounding_box()  # Leaflet's map, under the notes
        assert component is not None and drawn is not None
        assert component["y"] <= 0.45 * height, f"the map starts {component['y']:.0f} px down a {size} screen"
        visible = min(height, drawn["y"] + drawn["height"]) - drawn["y"]
        assert visible >= 0.4 * height, f"only {visible:.0f} px of the map are in view on a {size} screen"
        assert page.evaluate(CUT_OFF, "h1") == []
        assert page.evaluate(CUT_OFF, '[data-testid="stMetric"]') == []
        assert recorder.outside == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def largest_series(geo_store: str) -> tuple[str, str, int]:  # noqa: F811
    """(series id, its city, its size) of the demo's largest series: the most stops close in time."""
    series = select(load_frames(Store(geo_store)), Filters()).series
    row = series.sort_values("series_size", ascending=False).iloc[0]
    return str(row["series_id"]), str(row["cities"]).split(";")[0].strip(), int(row["series_size"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_picked_series_cuts_nothing_off_and_fades_the_other_series(  # type: ignore[no-untyped-def]
    browser, geo_server, largest_series, artifacts: Path, size  # noqa: F811
) -> None:
    series_id, city, stops = largest_series
    query = f"tiles=off&cities={city}&series_id={series_id}"
    context, page, recorder = _open(browser, geo_server, query, size=size)
    try:
        heading = page.get_by_role("heading", name=f"Series {series_id}")
        heading.wait_for()
        page.locator(STOP_LABELS).first.wait_for(state="attached", timeout=TIMEOUT_MS)
        # the graph of one city is drawn as SVG: its legend is text to read
        legend = page.evaluate(VEGA_TEXTS, ".vega-embed .role-legend-label text")
        assert "lead (dashed, unconfirmed)" in legend and "hit (solid, confirmed)" in legend, legend
        titles = page.evaluate(VEGA_TEXTS, ".vega-embed .role-title-text")
        assert "Shootings in time order" in titles, titles
        assert not any("…" in text for text in legend + titles)
        assert page.evaluate(LEGEND_OUTSIDE) == []
        assert page.evaluate(CUT_OFF, "h1, h2, h3") == []
        # the drill-down's timeline: one label per stop, no two overlapping
        labels, clashes = page.evaluate(OVERLAPS, STOP_LABELS)
        assert labels == stops and clashes == [], f"{len(clashes)} overlapping stop labels: {clashes[:8]}"
        # export buttons show their whole label, file type included
        button = page.get_by_role("button", name="GeoJSON (QGIS, ArcGIS) (.geojson)")
        button.scroll_into_view_if_needed()
        assert page.evaluate(CUT_OFF, '[data-testid="stDownloadButton"] button') == []
        # the main map: the picked series drawn strong, every other series' links and shootings faded
        frame = page.frame_locator(MAIN_MAP).first.frame_locator(MAP_SANDBOX)
        frame.locator("path.brassmap-link").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        opacity = "(paths) => paths.map((p) => p.getAttribute('stroke-opacity'))"
        others = frame.locator("path.brassmap-link.brassmap-other-series").evaluate_all(opacity)
        own = frame.locator("path.brassmap-link:not(.brassmap-other-series)").evaluate_all(opacity)
        assert others and set(others) == {"0.15"}, "other series' links are not faded"
        assert own and set(own) == {"0.9"}
        own_points = frame.locator("path.brassmap-incident:not(.brassmap-other-series)").count()
        assert own_points == stops
        assert frame.locator("path.brassmap-incident.brassmap-other-series").count() > 0
        heading.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"drilldown_{size[0]}x{size[1]}.png"))
        assert recorder.outside == []
    finally:
        context.close()
