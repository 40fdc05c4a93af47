"""A built map as data for the live map view: same layers, order, view and escaping as the page."""

from __future__ import annotations

import json

import folium
import pytest

from geo.map_spec import MapSpecError, map_spec
from geo.maps import build_map
from tests.geo._geo_frames import PAYLOADS, boundary_frame, firearm_frame, incident_frame, link_frame


def _map(**options):
    incidents = incident_frame(12)
    incidents["address"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(12)]
    firearms, boundaries = firearm_frame(), boundary_frame()
    return build_map(
        incidents, link_frame(), firearms=firearms, boundaries=boundaries, cities=["Detroit"], **options
    )


def test_spec_holds_every_layer_of_the_page_in_drawing_order() -> None:
    folium_map = _map(tiles=True, selected_series_id="S-2")
    spec = map_spec(folium_map)
    page = folium_map.get_root().render()
    builders = [layer["builder"] for layer in spec["layers"]]
    assert builders == ["areas", "areas", "heat", "hexagons", "links", "incidents", "seriesPath", "firearms"]
    positions = [page.index(f"brassmap.{layer['builder']}({layer['payload']})") for layer in spec["layers"]]
    assert positions == sorted(positions)  # the page draws them in the same order, from the same payloads
    assert [layer["name"] for layer in spec["layers"]] == list(folium_map.brassmap_summary.layers)
    assert {layer["builder"]: layer["show"] for layer in spec["layers"]}["heat"] is False
    assert spec["tiles"]["url"].startswith("https://tile.openstreetmap.org/")
    assert [control["kind"] for control in spec["controls"]] == ["legend"]
    assert spec["layerControl"] is True
    assert spec["fit"]["options"] == {"maxZoom": 15}  # the picked series' bounds (the last fit wins)
    assert spec["assets"]["js"][0].startswith("/app/static/vendor/leaflet.js?v=")


def test_payload_text_stays_escaped_and_parses_back() -> None:
    spec = map_spec(_map(tiles=False))
    assert spec["tiles"] is None
    text = json.dumps(spec)
    assert "<img" not in text and "</script" not in text.lower()
    layers = {layer["builder"]: layer for layer in spec["layers"]}
    incidents = json.loads(layers["incidents"]["payload"])
    addresses = next(field[1] for field in incidents["fields"] if field[0].startswith("Address"))
    assert addresses[0] == "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;"


def test_equal_maps_have_equal_versions_and_a_change_gives_a_new_one() -> None:
    first, again = map_spec(_map(tiles=False)), map_spec(_map(tiles=False))
    assert first["version"] == again["version"]
    picked = map_spec(_map(tiles=False, selected_series_id="S-1"))
    assert picked["version"] != first["version"]
    padded = _map(tiles=False)
    padded.fit_bounds([[42.3, -83.2], [42.4, -83.0]], padding=(40, 40))
    assert map_spec(padded)["fit"] == {
        "bounds": [[42.3, -83.2], [42.4, -83.0]],
        "options": {"padding": [40, 40]},
    }


def test_a_foreign_element_is_refused_with_the_fix() -> None:
    folium_map = _map(tiles=False)
    folium.Marker([42.3, -83.0]).add_to(folium_map)
    with pytest.raises(MapSpecError, match=r"holds a Marker.*build maps with geo\.maps\.build_map"):
        map_spec(folium_map)
