"""Open the standalone HTML map in headless Chromium with no network.

The Leaflet map must draw every incident, every link (leads dashed, hits
solid), the firearm, the series path and the areas; no request may leave
``file:``; and data rows carrying every payload from SECURITY.md's Rendering
table must run no script (``window.__pwned`` stays undefined) while showing
the payload as literal text.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from data import schema as S
from geo.page import render_page
from geo.standalone import render_standalone_html
from tests.browser_support import RequestRecorder
from tests.geo._geo_frames import (
    PAYLOADS,
    boundary_frame,
    build_map,
    firearm_frame,
    incident_frame,
    link_frame,
)

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def chromium(chromium_browser: object) -> object:
    return chromium_browser


def _hostile_selection() -> SimpleNamespace:
    """Every payload lands in several fields, a city name, a series id, an area name and the banner."""
    n = 2 * len(PAYLOADS)
    incidents = incident_frame(n)
    for i, payload in enumerate(PAYLOADS):
        incidents.loc[i, S.ADDRESS] = payload
        incidents.loc[i + len(PAYLOADS), S.CASE_NUMBER] = payload
    incidents[S.AGENCY] = [PAYLOADS[i % len(PAYLOADS)] for i in range(n)]
    incidents[S.DISTRICT] = [PAYLOADS[(i + 3) % len(PAYLOADS)] for i in range(n)]
    incidents[S.CITY] = pd.Categorical([PAYLOADS[0]] + ["Detroit"] * (n - 1))
    series = incidents[S.SERIES_ID].astype("object")
    incidents[S.SERIES_ID] = pd.array(series.replace({"S-2": PAYLOADS[3]}), dtype="string")
    boundaries = boundary_frame().assign(**{S.NAME: [PAYLOADS[1], PAYLOADS[2], PAYLOADS[4]]})
    filters = SimpleNamespace(describe=lambda: f"cities: all {PAYLOADS[1]}", cities=(), series_id=PAYLOADS[3])
    return SimpleNamespace(
        incidents=incidents,
        links=link_frame(),
        series=None,
        firearms=firearm_frame(),
        boundaries=boundaries,
        filters=filters,
        dataset_version=PAYLOADS[2],
        is_synthetic=True,
    )


def _open(chromium, path: Path):
    context = chromium.new_context()
    recorder = RequestRecorder.attach(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_selector("path.brassmap-incident, path.brassmap-hexagon", state="attached")
    return context, page, recorder, errors


POPUP_TEXTS = """() => {
    const texts = [];
    for (const name of ["incidents", "links", "seriesPath", "firearms"]) {
        for (const group of brassmap.drawn[name] || []) {
            group.eachLayer((layer) => {
                if (!layer.getPopup || !layer.getPopup()) { return; }
                layer.openPopup();
                texts.push(layer.getPopup().getElement().innerText);
                layer.closePopup();
            });
        }
    }
    for (const group of brassmap.drawn.areas || []) {
        group.eachLayer((layer) => {
            layer.openTooltip(layer.getBounds().getCenter());
            texts.push(layer.getTooltip().getElement().innerText);
        });
    }
    return texts;
}"""


def test_standalone_map_draws_offline_and_runs_no_injected_script(chromium, tmp_path: Path) -> None:
    selection = _hostile_selection()
    path = tmp_path / "map.html"
    path.write_bytes(render_standalone_html(selection))
    context, page, recorder, errors = _open(chromium, path)
    try:
        n = len(selection.incidents)
        assert page.locator("path.brassmap-incident").count() == n
        assert page.locator("path.brassmap-link").count() == 5
        dashes = page.locator("path.brassmap-link").evaluate_all(
            "(paths) => paths.map((p) => p.getAttribute('stroke-dasharray'))"
        )
        assert sorted(dashes, key=str) == ["6 6", "6 6", None, None, None]
        assert page.locator(".brassmap-firearm").count() == 1
        assert page.locator(".brassmap-stop").count() == 3
        assert page.locator("path.brassmap-area").count() == 3
        assert page.locator(".brassmap-legend").count() == 1
        overlays = page.locator(".leaflet-control-layers-overlays").inner_text()
        assert "Incidents" in overlays and f"Selected series {PAYLOADS[3]}" in overlays

        texts = page.evaluate(POPUP_TEXTS)
        assert len(texts) == n + 5 + 3 + 1 + 3  # incidents, links, stops, firearm, areas
        shown = "\n".join(texts) + page.locator(".brassmap-banner").inner_text()
        for payload in PAYLOADS:
            assert payload in shown, f"{payload!r} was not shown as literal text"
        assert S.SYNTHETIC_LABEL in shown and S.LEAD_DISCLAIMER in shown
        page.mouse.move(640, 360)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert errors == []
        assert recorder.outside == [], f"requests left the machine: {recorder.outside}"
    finally:
        context.close()


def test_hexagon_view_draws_counts_and_says_so(chromium, tmp_path: Path) -> None:
    incidents = incident_frame(400)
    spec = build_map(incidents, link_frame(), max_points=100, tiles=False)
    cells = spec.summary
    path = tmp_path / "hex.html"
    path.write_text(render_page(spec), encoding="utf-8")
    context, page, recorder, errors = _open(chromium, path)
    try:
        drawn = page.locator("path.brassmap-hexagon").count()
        assert drawn > 0
        assert page.locator("path.brassmap-incident").count() == 0
        note = page.locator(".brassmap-note").inner_text()
        assert "Showing 400 incidents as hexagon counts; points are drawn up to 100" in note
        total = page.evaluate(
            "() => { let t = 0; brassmap.drawn.hexagons[0].eachLayer((l) => {"
            " t += parseInt(l.getTooltip().getContent(), 10); }); return t; }"
        )
        assert total == 400 == cells.incidents_placed
        assert errors == [] and recorder.outside == []
    finally:
        context.close()


def test_with_tiles_on_only_the_tile_server_is_asked(chromium, tmp_path: Path) -> None:
    path = tmp_path / "tiles.html"
    path.write_bytes(render_standalone_html(_hostile_selection(), tiles=True))
    context, page, recorder, _ = _open(chromium, path)
    try:
        page.wait_for_timeout(300)
        assert recorder.outside, "the basemap asked for no tiles"
        assert all(url.startswith("https://tile.openstreetmap.org/") for url in recorder.outside)
        assert page.locator("path.brassmap-incident").count() == 2 * len(PAYLOADS)
        assert page.evaluate("typeof window.__pwned") == "undefined"
    finally:
        context.close()
