"""Boundaries: CRS declared -> reprojected, undeclared projected -> rejected, invalid polygons repaired."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from data.errors import IngestError
from data.importer import import_file, read_validated
from data.mapping import parse_mapping
from tests.data.conftest import write

AREAS = parse_mapping(
    'kind = "boundaries"\n[columns]\nname = "name"\n[constants]\ncity = "Detroit"\n', name="b.toml"
)
SQUARE = [[-83.2, 42.3], [-83.0, 42.3], [-83.0, 42.4], [-83.2, 42.4], [-83.2, 42.3]]
BOWTIE = [[-83.2, 42.3], [-83.0, 42.4], [-83.0, 42.3], [-83.2, 42.4], [-83.2, 42.3]]


def _geojson(tmp_path, features, name="areas.geojson"):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n}, "geometry": {"type": t, "coordinates": c}}
            for n, t, c in features
        ],
    }
    return write(tmp_path, name, json.dumps(collection))


def test_invalid_polygon_repaired_and_reported(tmp_path):
    path = _geojson(tmp_path, [("Square", "Polygon", [SQUARE]), ("Bowtie", "Polygon", [BOWTIE])])
    batch = read_validated(path, AREAS)
    areas = batch.records["boundaries"].set_index("name")
    assert all(g.is_valid for g in areas["geometry"])
    assert areas.loc["Bowtie", "geometry"].geom_type == "MultiPolygon"
    assert areas.loc["Square", "layer"] == "areas"  # default layer: the file's name
    assert areas.loc["Square", "boundary_id"] == "areas/Detroit/Square"
    (problem,) = batch.rejects.to_dict("records")
    assert problem["row"] == 2 and problem["severity"] == "warning"
    assert (
        problem["reason"].startswith("invalid polygon (Self-intersection")
        and "repaired with make_valid" in problem["reason"]
    )


def test_clockwise_rings_are_oriented_counter_clockwise(tmp_path):
    path = _geojson(tmp_path, [("Clockwise", "Polygon", [SQUARE[::-1]])])
    polygon = read_validated(path, AREAS).records["boundaries"]["geometry"].iloc[0]
    assert polygon.exterior.is_ccw


def test_undeclared_projected_geojson_rejected(tmp_path):
    feet = [[x * 1e5, y * 1e5] for x, y in SQUARE]
    path = _geojson(tmp_path, [("Feet", "Polygon", [feet]), ("Square", "Polygon", [SQUARE])])
    batch = read_validated(path, AREAS)
    assert batch.records["boundaries"]["name"].tolist() == ["Square"]
    (problem,) = batch.rejects.to_dict("records")
    assert problem["row"] == 1 and problem["severity"] == "error"
    assert problem["reason"].startswith("coordinates outside longitude/latitude ranges")


def test_declared_state_plane_crs_is_reprojected(tmp_path):
    square = gpd.GeoDataFrame({"name": ["Square"]}, geometry=[Polygon(SQUARE)], crs="EPSG:4326")
    path = tmp_path / "sp.gpkg"
    square.to_crs("EPSG:32054").to_file(path)  # NAD27 / Wisconsin South, US feet
    batch = read_validated(path, AREAS)
    polygon = batch.records["boundaries"]["geometry"].iloc[0]
    assert polygon.bounds == pytest.approx((-83.2, 42.3, -83.0, 42.4), abs=1e-3)
    assert "reprojected from NAD27 / Wisconsin South to EPSG:4326" in "\n".join(batch.notices)


def test_points_are_not_boundaries(tmp_path, store):
    path = _geojson(tmp_path, [("Detroit", "Point", [-83.1, 42.3])])
    with pytest.raises(IngestError, match="every one of the 1 rows was rejected"):
        import_file(path, AREAS, store)
    assert store.is_empty()


def test_a_table_is_not_a_boundary_file(tmp_path):
    with pytest.raises(IngestError, match="boundaries need polygons, but this file has no geometry"):
        read_validated(write(tmp_path, "x.csv", "name\nA\n"), AREAS)


def test_same_name_twice_is_merged_with_a_warning(tmp_path, store):
    east = [[x + 0.3, y] for x, y in SQUARE]
    path = _geojson(
        tmp_path, [("4", "Polygon", [SQUARE]), ("4", "Polygon", [east])], name="districts.geojson"
    )
    report = import_file(path, AREAS, store)
    boundaries = store.load_frames().boundaries
    assert len(boundaries) == 1 and boundaries.geometry.iloc[0].geom_type == "MultiPolygon"
    assert boundaries.crs.to_epsg() == 4326
    assert (
        report.rejects["reason"].iloc[0]
        == "same layer/city/name as row 1 (districts/Detroit/4); merged into one area"
    )


def test_city_limits_in_store_drive_far_from_city(tmp_path, store):
    limits = parse_mapping(
        'kind = "boundaries"\n[columns]\nname = "name"\n'
        '[constants]\ncity = "Detroit"\nlayer = "city_limits"\n'
    )
    import_file(_geojson(tmp_path, [("Detroit", "Polygon", [SQUARE])]), limits, store)
    from tests.data.conftest import incident_csv, incident_mapping

    inside, outside = Point(-83.1, 42.35), Point(-83.25, 42.35)  # outside is only ~12 km from the centre
    path = incident_csv(
        tmp_path,
        [
            f"in,Detroit,2019-06-01,{inside.y},{inside.x},homicide",
            f"out,Detroit,2019-06-01,{outside.y},{outside.x},homicide",
        ],
    )
    import_file(path, incident_mapping(), store)
    incidents = store.load_frames().incidents.set_index("incident_id")
    assert incidents["far_from_city"].to_dict() == {"in": False, "out": True}
