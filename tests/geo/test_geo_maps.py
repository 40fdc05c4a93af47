"""Rendering tests for the map spec: layers, legend, colours, layer count, size, escaping."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from geo.map_spec import LayerSpec, MapSpec
from geo.maps import MAX_FIREARMS, MAX_HTML_BYTES, MapInputError
from geo.page import page_size, render_page
from geo.palette import LINK_STYLES, UNLINKED_COLOUR, series_colour
from tests.geo._geo_frames import (
    PAYLOADS,
    boundary_frame,
    build_map,
    firearm_frame,
    incident_frame,
    link_frame,
)


def _layers(spec: MapSpec) -> dict[str, LayerSpec]:
    return {layer.name: layer for layer in spec.layers}


def _payload(layer: LayerSpec) -> dict:
    return json.loads(layer.payload)


def _legend(spec: MapSpec) -> dict:
    return spec.legend


def map_html_size(spec: MapSpec) -> int:
    return page_size(spec, asset_mode="inline")


def _full_map(**options) -> MapSpec:
    return build_map(
        incident_frame(12),
        link_frame(),
        firearms=firearm_frame(),
        boundaries=boundary_frame(),
        **options,
    )


def test_every_layer_is_named_in_the_layer_control() -> None:
    fmap = _full_map(selected_series_id="S-1", tiles=True)
    names = [item["name"] for item in fmap.skeleton()["layers"]]
    assert fmap.skeleton()["tiles"]["name"] == "OpenStreetMap basemap"
    # outlines at the bottom, links under the incidents, the translucent density layers over them
    assert names == [
        "City limits",
        "Police districts",
        "Links (lead dashed, hit solid)",
        "Incidents",
        "Heat map (incident density)",
        "Hexagon counts (H3)",
        "Selected series S-1",
        "Recovered firearms",
    ]
    assert fmap.skeleton()["layerControl"] is True


def test_incidents_are_coloured_by_series_and_sized_by_type() -> None:
    fmap = _full_map()
    incidents = _payload(_layers(fmap)["Incidents"])
    assert len(incidents["x"]) == 12
    colours = [
        incidents["seriesColours"][s] if s >= 0 else incidents["unlinkedColour"] for s in incidents["series"]
    ]
    assert colours[:3] == [series_colour("S-1")] * 3
    assert colours[3:6] == [series_colour("S-2")] * 3
    assert set(colours[6:]) == {UNLINKED_COLOUR}
    radii = [incidents["typeStyles"][t][0] for t in incidents["type"][:3]]
    assert radii[0] > radii[1] > radii[2]  # homicide > non-fatal > shots fired
    labels = [field[0] for field in incidents["fields"]]
    assert {"Incident", "Type", "When (local)", "Series", "Address (block)"} <= set(labels)
    assert "Narrative (sensitive)" not in labels


def test_leads_are_dashed_and_hits_solid_in_map_and_legend() -> None:
    fmap = _full_map()
    links = _payload(_layers(fmap)["Links (lead dashed, hit solid)"])
    styles = {tuple(links["styles"][code]) for code in links["status"]}
    assert (LINK_STYLES["hit"][0], None, 3) in styles
    assert (LINK_STYLES["lead"][0], "6 6", 2.5) in styles
    assert len(links["coords"]) == 4 * 5  # all five links drawn, the test fire to its firearm
    legend = _legend(fmap)
    link_items = next(s for s in legend["sections"] if s["title"] == "Ballistic links")["items"]
    assert [i.get("dash") for i in link_items[:2]] == [None, "6 6"]
    assert any(S.LEAD_DISCLAIMER in i["label"] for i in link_items)


def test_selected_series_path_is_in_time_order() -> None:
    incidents = incident_frame(12)
    incidents[S.OCCURRED_AT] = incidents[S.OCCURRED_AT].iloc[::-1].to_numpy()  # reverse time
    fmap = build_map(incidents, link_frame(), selected_series_id="S-1", tiles=False)
    path = _payload(_layers(fmap)["Selected series S-1"])
    ids = next(field[1] for field in path["fields"] if field[0] == "Incident")
    assert ids == ["00002", "00001", "00000"]
    assert path["colour"] == series_colour("S-1")


def test_boundary_tooltips_carry_incident_counts() -> None:
    fmap = _full_map()
    districts = _payload(_layers(fmap)["Police districts"])
    counts = {f["properties"]["n"]: f["properties"]["c"] for f in districts["features"]}
    incidents = incident_frame(12)
    west = int((incidents[S.LONGITUDE] < -83.1).sum())
    assert counts == {"West": west, "East": 12 - west}


def test_one_layer_per_kind_never_one_per_incident() -> None:
    small = len(build_map(incident_frame(10), link_frame(), tiles=False).layers)
    big = build_map(incident_frame(5_000), link_frame(), tiles=False)
    assert len(big.layers) == small < 10


def test_static_assets_point_at_the_app_and_nothing_at_a_cdn() -> None:
    fmap = _full_map(tiles=False)
    html = render_page(fmap, asset_mode="static")
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', html
    )
    assert sources and all(src.startswith("/app/static/vendor/") for src in sources)
    assert not re.search(r"https?://(?!www\.w3\.org|www\.openstreetmap\.org)", html)


def test_tiles_can_be_switched_off_and_on() -> None:
    with_tiles = render_page(_full_map(tiles=True))
    without = render_page(_full_map(tiles=False))
    assert "tile.openstreetmap.org" in with_tiles
    assert "tile.openstreetmap.org" not in without


def test_above_max_points_incidents_become_hexagons_with_a_note() -> None:
    fmap = build_map(incident_frame(300), link_frame(), max_points=100, tiles=False)
    layers = _layers(fmap)
    assert "Incidents" not in layers
    hexagons = layers["Hexagon counts (H3)"]
    assert hexagons.show is True
    assert sum(_payload(hexagons)["counts"]) == 300
    assert fmap.summary.mode == "hexagons"
    assert fmap.notes[0] == (
        "Showing 300 incidents as hexagon counts; points are drawn up to 100; filter to fewer to see them."
    )
    live = build_map(incident_frame(300), link_frame(), max_points=100, points_on_zoom=True)
    assert live.notes[0] == (
        "Showing 300 incidents as hexagon counts; zoom in to a view holding at most 100 incidents "
        "to see them as points."
    )


def test_links_above_the_cap_are_capped_with_a_note_keeping_hits_first() -> None:
    incidents = incident_frame(200)
    rng = np.random.default_rng(5)
    ids = incidents[S.INCIDENT_ID].to_numpy()
    many = pd.DataFrame(
        {
            S.INCIDENT_A: ids[rng.integers(0, 200, 300)],
            S.INCIDENT_B: ids[rng.integers(0, 200, 300)],
            S.STATUS: ["lead"] * 250 + ["hit"] * 50,
        }
    )
    fmap = build_map(incidents, many, max_links=60, tiles=False)
    links = _payload(_layers(fmap)["Links (lead dashed, hit solid)"])
    assert len(links["status"]) == 60
    hit_code = list(LINK_STYLES).index("hit")
    assert links["status"][:50] == [hit_code] * 50
    assert "Showing 60 of 300 links" in " ".join(fmap.summary.notes)


def test_a_million_incidents_render_under_two_megabytes() -> None:
    n = 1_000_000
    rng = np.random.default_rng(11)
    centres = np.array([[42.36, -83.10], [39.30, -76.61], [35.12, -89.97]])
    which = rng.integers(0, len(centres), n)
    incidents = pd.DataFrame(
        {
            S.INCIDENT_ID: np.arange(n).astype(str),
            S.LATITUDE: centres[which, 0] + rng.normal(0, 0.05, n),
            S.LONGITUDE: centres[which, 1] + rng.normal(0, 0.06, n),
        }
    )
    links = pd.DataFrame(
        {
            S.INCIDENT_A: rng.integers(0, n, 200_000).astype(str),
            S.INCIDENT_B: rng.integers(0, n, 200_000).astype(str),
            S.STATUS: "lead",
        }
    )
    fmap = build_map(incidents, links, tiles=False)
    assert map_html_size(fmap) < MAX_HTML_BYTES
    assert fmap.summary.mode == "hexagons"
    assert fmap.summary.incidents_placed == n


def test_ten_thousand_incidents_with_long_fields_stay_points_under_two_megabytes() -> None:
    incidents = incident_frame(10_000, text="x" * 500)
    fmap = build_map(incidents, link_frame(), tiles=False)
    assert fmap.summary.mode == "points"
    assert fmap.summary.incidents_drawn == 10_000
    assert map_html_size(fmap) < MAX_HTML_BYTES


@pytest.mark.parametrize("payload", PAYLOADS)
def test_values_from_data_reach_the_page_only_escaped(payload: str) -> None:
    incidents = incident_frame(8)
    incidents[S.ADDRESS] = payload
    incidents[S.CITY] = pd.Categorical([payload] * 8)
    incidents[S.SERIES_ID] = pd.array([payload] * 3 + [pd.NA] * 5, dtype="string")
    boundaries = boundary_frame().assign(**{S.NAME: payload, S.LAYER: payload})
    fmap = build_map(incidents, link_frame(), boundaries=boundaries, selected_series_id=payload, tiles=False)
    html = render_page(fmap)
    assert payload not in html
    marker = "__pwned" if "__pwned" in payload else "users"
    assert marker in html  # the value is there, as inert text
    assert "<img src=x" not in html and "</script><script>" not in html and "<svg onload" not in html
    layer_names = list(_layers(fmap))
    assert any(name.startswith("Selected series ") for name in layer_names)
    assert all("<" not in name and "`" not in name and "$" not in name for name in layer_names)


def test_missing_columns_are_named_in_the_error() -> None:
    with pytest.raises(MapInputError, match=r"incidents frame lacks column.*latitude"):
        build_map(incident_frame(3).drop(columns=S.LATITUDE), link_frame())


def test_inputs_are_not_modified() -> None:
    incidents, links = incident_frame(12), link_frame()
    before_i, before_l = incidents.copy(), links.copy()
    build_map(incidents, links, firearms=firearm_frame(), selected_series_id="S-2")
    pd.testing.assert_frame_equal(incidents, before_i)
    pd.testing.assert_frame_equal(links, before_l)


def test_map_opens_on_the_filtered_city() -> None:
    fmap = build_map(incident_frame(6, city="Memphis"), link_frame(), cities=["Memphis"], tiles=False)
    assert fmap.view.center == (35.12, -89.97)
    assert fmap.view.zoom == 11


def test_several_cities_are_fitted_in_view() -> None:
    fmap = build_map(incident_frame(6), link_frame(), cities=["Detroit", "Baltimore"], tiles=False)
    assert fmap.fit is not None
    (south, west), (north, east) = fmap.fit.bounds
    assert south < 39.30 < north and south < 42.36 < north
    assert west < -83.10 < east and west < -76.61 < east


def test_a_city_outside_the_registry_is_placed_from_its_own_points() -> None:
    incidents = incident_frame(9, city="Gary")
    incidents[S.LATITUDE] = [41.58, 41.59, 41.60, 41.60, 41.61, 41.60, 41.59, 41.60, 41.62]
    incidents[S.LONGITUDE] = [-87.35] * 9
    fmap = build_map(incidents, link_frame(), tiles=False)
    assert fmap.view.center == (41.60, -87.35)


def test_real_boundaries_with_invalid_polygons_draw_simplified_under_the_cap(realdata) -> None:
    import geopandas as gpd

    folder = realdata / "boundaries"
    parts = []
    for file, column, layer in (
        ("neighborhoods_cth_baltimore.geojson", "name", "neighbourhoods"),  # 3 MB, 2 self-intersecting
        ("police_baltimore_districts_2023.geojson", "name", "police_districts"),
    ):
        frame = gpd.read_file(folder / file).to_crs(S.STORAGE_CRS)
        parts.append(
            gpd.GeoDataFrame(
                {
                    S.BOUNDARY_ID: [f"{layer}/Baltimore/{i}" for i in range(len(frame))],
                    S.NAME: frame[column].astype(str).to_numpy(),
                    S.LAYER: layer,
                },
                geometry=frame.geometry.to_numpy(),
                crs=S.STORAGE_CRS,
            )
        )
    boundaries = pd.concat(parts, ignore_index=True)
    incidents = incident_frame(2_000, city="Baltimore")
    incidents[S.LATITUDE] = 39.30 + (incidents[S.LATITUDE] - 42.36) / 2
    incidents[S.LONGITUDE] = -76.61 + (incidents[S.LONGITUDE] + 83.10) / 2
    fmap = build_map(incidents, link_frame(), boundaries=boundaries, tiles=False)
    layers = _layers(fmap)
    neighbourhoods = _payload(layers["Neighbourhoods"])
    districts = _payload(layers["Police districts"])
    assert len(neighbourhoods["features"]) == 278
    assert len(districts["features"]) == 9
    # districts tile the city: (almost) every incident inside Baltimore is counted once
    assert 0 < sum(f["properties"]["c"] for f in districts["features"]) <= 2_000
    assert map_html_size(fmap) < MAX_HTML_BYTES


def test_a_selected_series_opens_the_map_on_its_incidents() -> None:
    incidents = incident_frame(12)
    fmap = build_map(incidents, link_frame(), selected_series_id="S-2", cities=["Detroit", "Memphis"])
    assert fmap.fit is not None
    (south, west), (north, east) = fmap.fit.bounds
    members = incidents.iloc[3:6]
    assert south < members[S.LATITUDE].min() and members[S.LATITUDE].max() < north
    assert west < members[S.LONGITUDE].min() and members[S.LONGITUDE].max() < east
    assert fmap.fit.to_json()["options"] == {"maxZoom": 15}


def test_every_layer_at_its_limit_together_stays_under_two_megabytes() -> None:
    import geopandas as gpd
    import shapely

    n = 10_000
    rng = np.random.default_rng(8)
    incidents = incident_frame(n, text="y" * 500)
    incidents[S.LATITUDE] = 42.36 + rng.uniform(-0.15, 0.15, n)
    incidents[S.LONGITUDE] = -83.1 + rng.uniform(-0.2, 0.2, n)
    incidents[S.SERIES_ID] = pd.array(
        ["S-BIG"] * 600 + [f"S-{i // 3}" for i in range(n - 600)], dtype="string"
    )
    incidents[S.DISTRICT] = [f"district {i} " + "z" * 100 for i in range(n)]
    ids = incidents[S.INCIDENT_ID].to_numpy()
    links = pd.DataFrame(
        {
            S.INCIDENT_A: ids[rng.integers(0, n, 20_000)],
            S.INCIDENT_B: ids[rng.integers(0, n, 20_000)],
            S.STATUS: "hit",
            S.LEAD_NUMBER: "L" * 150,
            S.SITE: [f"site {i} " + "s" * 100 for i in range(20_000)],
        }
    )
    guns = pd.DataFrame(
        {
            S.FIREARM_ID: [f"F{i}" + "f" * 100 for i in range(3_000)],
            S.MODEL: "x" * 200,
            S.LATITUDE: 42.36 + rng.uniform(-0.1, 0.1, 3_000),
            S.LONGITUDE: -83.1 + rng.uniform(-0.1, 0.1, 3_000),
        }
    )
    angles = np.linspace(0, 2 * np.pi, 200)
    rows = []
    for layer in ("city_limits", "police_districts", "neighbourhoods"):
        for i in range(200):
            x, y = -83.3 + (i % 20) * 0.02, 42.2 + (i // 20) * 0.015
            radius = 0.008 + 0.002 * rng.random(200)
            ring = np.c_[x + radius * np.cos(angles), y + radius * np.sin(angles)]
            rows.append((f"{layer}/{i}", "b" * 150, layer, shapely.Polygon(ring)))
    boundaries = gpd.GeoDataFrame(
        {S.BOUNDARY_ID: [r[0] for r in rows], S.NAME: [r[1] for r in rows], S.LAYER: [r[2] for r in rows]},
        geometry=[r[3] for r in rows],
        crs=S.STORAGE_CRS,
    )
    fmap = build_map(
        incidents,
        links,
        firearms=guns,
        boundaries=boundaries,
        selected_series_id="S-BIG",
        include_sensitive=True,
    )
    assert map_html_size(fmap) < MAX_HTML_BYTES
    summary = fmap.summary
    assert summary.mode == "points" and summary.incidents_drawn == n
    assert 0 < summary.links_drawn < 20_000
    assert any(note.startswith(f"Showing {summary.links_drawn:,} of 20,000 links") for note in summary.notes)


def test_static_url_can_follow_a_base_url_path() -> None:
    spec = build_map(incident_frame(3), link_frame())
    html = render_page(spec, asset_mode="static", static_url="/brassmap/app/static/vendor/")
    assert '<script src="/brassmap/app/static/vendor/leaflet.js?v=' in html
    with pytest.raises(ValueError, match="must end with '/'"):
        render_page(spec, asset_mode="static", static_url="/app/static/vendor")


def test_counts_read_as_floats_show_as_whole_numbers() -> None:
    incidents = incident_frame(3)
    incidents[S.KILLED] = [2.0, np.nan, 1.0]
    killed = next(
        f
        for f in _payload(_layers(build_map(incidents, link_frame()))["Incidents"])["fields"]
        if f[0] == "Killed"
    )
    assert killed[1] == [2, None, 1]


def test_heat_layer_is_finer_than_the_hexagons_and_bounded() -> None:
    from geo.maps import HEAT_CELLS

    fmap = build_map(incident_frame(3_000), link_frame(), tiles=False)
    layers = _layers(fmap)
    heat, hexagons = _payload(layers["Heat map (incident density)"]), _payload(layers["Hexagon counts (H3)"])
    assert heat["resolution"] == hexagons["resolution"] + 1
    assert 0 < len(heat["cells"]) <= HEAT_CELLS
    assert sum(hexagons["counts"]) == 3_000
    assert layers["Heat map (incident density)"].show is False


def _cell(i: int, size: float = 0.0) -> tuple[float, float]:
    return -83.3 + (i % 80) * 0.005 + size, 42.2 + (i // 80) * 0.004 + size


def test_a_boundary_layer_too_big_for_the_page_is_left_out_with_a_note() -> None:
    import geopandas as gpd
    import shapely

    n = 6_000
    boundaries = gpd.GeoDataFrame(
        {
            S.BOUNDARY_ID: [f"neighbourhoods/x/{i}" for i in range(n)],
            S.NAME: [f"area {i} " + "n" * 150 for i in range(n)],
            S.LAYER: "neighbourhoods",
        },
        geometry=[shapely.box(*_cell(i), *_cell(i, 0.003)) for i in range(n)],
        crs=S.STORAGE_CRS,
    )
    fmap = build_map(incident_frame(20), link_frame(), boundaries=boundaries, tiles=False)
    assert "Neighbourhoods" not in _layers(fmap)
    assert any("6,000 areas are too many to draw" in note for note in fmap.summary.notes)
    assert map_html_size(fmap) < MAX_HTML_BYTES


def test_firearms_above_the_cap_are_cut_with_a_note_and_the_legend_gives_both_counts() -> None:
    rng = np.random.default_rng(3)
    n = MAX_FIREARMS + 234
    guns = pd.DataFrame(
        {
            S.FIREARM_ID: [f"F{i}" for i in range(n)],
            S.LATITUDE: 42.36 + rng.uniform(-0.1, 0.1, n),
            S.LONGITUDE: -83.1 + rng.uniform(-0.1, 0.1, n),
        }
    )
    spec = build_map(incident_frame(12), link_frame(), firearms=guns)
    assert len(_payload(_layers(spec)["Recovered firearms"])["x"]) == MAX_FIREARMS
    assert spec.summary.firearms_total == n and spec.summary.firearms_drawn == MAX_FIREARMS
    note = "Showing 1,000 of 1,234 recovered firearms (the map draws at most 1,000); filter to see the rest."
    assert note in spec.notes
    section = next(s for s in _legend(spec)["sections"] if s["title"] == "Firearms")
    assert section["items"][0]["label"] == "Recovered firearm (1,000 of 1,234 shown)"


def test_few_firearms_get_no_cap_note() -> None:
    spec = build_map(incident_frame(12), link_frame(), firearms=firearm_frame())
    assert not any("recovered firearms" in note for note in spec.notes)
    section = next(s for s in _legend(spec)["sections"] if s["title"] == "Firearms")
    assert section["items"][0]["label"] == "Recovered firearm (1)"


def test_every_budgeted_layer_fits_its_own_budget() -> None:
    spec = _full_map(selected_series_id="S-1")
    budgeted = [layer for layer in spec.layers if layer.budget is not None]
    assert {layer.builder for layer in budgeted} >= {"incidents", "links", "areas", "firearms"}
    assert all(layer.size <= layer.budget for layer in budgeted)


def test_hexagons_over_points_let_clicks_through_to_the_incidents() -> None:
    points = build_map(incident_frame(50), link_frame())
    assert _payload(_layers(points)["Hexagon counts (H3)"])["interactive"] is False
    hexagons = build_map(incident_frame(50), link_frame(), max_points=10)
    assert _payload(_layers(hexagons)["Hexagon counts (H3)"])["interactive"] is True
