"""The map as plain data: layers in drawing order, escaped payloads, one builder list, stable versions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.map_spec import BUILDERS, LayerSpec, MapSpecError, builder_names
from tests.geo._geo_frames import (
    PAYLOADS,
    boundary_frame,
    build_map,
    firearm_frame,
    incident_frame,
    link_frame,
)

WEB = Path(__file__).resolve().parents[2] / "geo" / "web"
LIVE_ASSETS = {"js": ["/app/static/vendor/leaflet.js?v=1"], "css": []}


def _map(**options):
    incidents = incident_frame(12)
    incidents["address"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(12)]
    return build_map(
        incidents, link_frame(), firearms=firearm_frame(), boundaries=boundary_frame(), cities=["Detroit"],
        **options,
    )  # fmt: skip


def test_live_spec_holds_every_layer_in_drawing_order() -> None:
    spec = _map(tiles=True, selected_series_id="S-2")
    live = spec.to_live(assets=LIVE_ASSETS)
    builders = [layer["builder"] for layer in live["layers"]]
    assert builders == ["areas", "areas", "links", "incidents", "heat", "hexagons", "seriesPath", "firearms"]
    assert [layer["key"] for layer in live["layers"]] == [
        "city_limits", "police_districts", "links", "incidents", "heat", "hexagons", "path", "firearms",
    ]
    assert [layer["payload"] for layer in live["layers"]] == [layer.payload for layer in spec.layers]
    assert {layer["builder"]: layer["show"] for layer in live["layers"]}["heat"] is False
    assert live["tiles"]["url"].startswith("https://tile.openstreetmap.org/")
    assert [control["kind"] for control in live["controls"]] == ["legend"]
    assert live["fit"]["options"] == {"maxZoom": 15}  # the picked series' bounds
    assert live["assets"] == LIVE_ASSETS
    assert live["pointThreshold"] == 10_000


def test_payload_text_stays_escaped_and_parses_back() -> None:
    live = _map(tiles=False).to_live(assets=LIVE_ASSETS)
    assert live["tiles"] is None
    text = json.dumps(live)
    assert "<img" not in text and "</script" not in text.lower()
    layers = {layer["builder"]: layer for layer in live["layers"]}
    incidents = json.loads(layers["incidents"]["payload"])
    addresses = next(field[1] for field in incidents["fields"] if field[0].startswith("Address"))
    # the popup shows the block: text with a house-like number ("pwned=1") keeps its words without digits
    assert addresses[0] == "&lt;img src=x"


def test_equal_maps_have_equal_versions_and_a_change_gives_a_new_one() -> None:
    first, again = _map().to_live(assets=LIVE_ASSETS), _map().to_live(assets=LIVE_ASSETS)
    assert first["version"] == again["version"]
    picked = _map(selected_series_id="S-1").to_live(assets=LIVE_ASSETS)
    assert picked["version"] != first["version"]
    assert picked["area"] != first["area"]  # a new pick may move the view; the same one keeps it
    with_state = _map().to_live(assets=LIVE_ASSETS, map_state={"layers": {"heat": True}})
    assert with_state["mapState"] == {"layers": {"heat": True}} and with_state["version"] != first["version"]


def test_one_builder_list_read_from_brassmap_js_and_used_by_the_frame() -> None:
    script = (WEB / "brassmap.js").read_text(encoding="utf-8")
    assert builder_names() == ("incidents", "links", "seriesPath", "firearms", "hexagons", "heat", "areas")
    assert frozenset(builder_names()) == BUILDERS
    assert len(re.findall(r'\["incidents", "links"', script)) == 1  # written once
    frame = (Path(__file__).resolve().parents[2] / "ui" / "map_component" / "map_frame.js").read_text()
    draw = (WEB / "brassmap_draw.js").read_text(encoding="utf-8")
    assert '"incidents"' not in frame and "bm.BUILDERS.indexOf" in draw


def test_an_unknown_builder_is_refused_and_data_cannot_make_a_layer_key() -> None:
    with pytest.raises(MapSpecError, match=r"unknown map layer builder 'marker'.*expected one of"):
        LayerSpec.of("marker", {}, "x")
    hostile = LayerSpec.of("areas", {}, "x", key=PAYLOADS[0])
    assert re.fullmatch(r"k[0-9a-f]{10}", hostile.key)
