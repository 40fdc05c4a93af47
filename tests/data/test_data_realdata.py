"""The real exports in ../shared/realdata import through the shipped presets (read in place)."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.__main__ import main
from data.errors import AllRowsRejectedError
from data.importer import import_file, read_validated
from data.mapping import load_mapping

PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"


def test_gva_every_row_accounted_for(realdata, store):
    path = realdata / "incidents" / "gva_seven_cities_2013_2018.csv.gz"
    report = import_file(path, load_mapping(PRESETS / "gva.toml"), store)
    assert report.read == 14_557
    assert report.stored + report.rejected == 14_557
    rejects = report.rejects
    errors = rejects[rejects["severity"] == "error"]
    assert errors["row"].nunique() == report.rejected
    # PROVENANCE.md: 537 rows with empty lat/lon, each rejected with that reason
    assert (errors["reason"] == "no coordinates").sum() == 537
    assert (errors["reason"] == "not a shooting incident").sum() > 2000
    incidents = store.load_frames().incidents
    assert len(incidents) == report.stored
    assert set(incidents["city"].cat.categories) == {
        "Albuquerque",
        "Baltimore",
        "Cleveland",
        "Detroit",
        "Kansas City",
        "Memphis",
        "Milwaukee",
    }
    assert incidents["incident_id"].is_unique
    assert incidents["far_from_city"].sum() == (rejects["severity"] == "warning").sum()


def test_milwaukee_wibr_layout(realdata, store):
    path = realdata / "incidents" / "milwaukee_wibr_assault_2015_2016.csv.gz"
    # the honest preset: assaults are not shootings, so the command fails and says why
    with pytest.raises(AllRowsRejectedError, match="most common reason: 'not a shooting incident'"):
        import_file(path, load_mapping(PRESETS / "milwaukee_wibr.toml"), store)
    assert store.is_empty()
    # the same layout as a firearm-offence query: semicolons, "[lat, lon]", Date + Time joined
    report = import_file(path, load_mapping(PRESETS / "milwaukee_wibr_shootings.toml"), store)
    assert report.read == 8_599 and report.stored + report.rejected == 8_599
    reasons = set(report.rejects["reason"].str.replace(r"row \d+", "row N", regex=True))
    assert reasons == {
        "duplicate incident_id: row N has the same id and was kept; nothing was overwritten",
        "required field is empty (source column 'Offense 1')",
    }
    incidents = store.load_frames().incidents
    assert (
        incidents["latitude"].between(42.8, 43.3).all() and incidents["longitude"].between(-88.1, -87.8).all()
    )
    first = incidents.set_index("incident_id").loc["150310103"]
    assert str(first["local_time"]) == "2015-01-31 18:22:00"  # 06:22 PM Central


def test_baltimore_all_zero_fails_clearly(realdata, tmp_path, capsys):
    path = realdata / "incidents" / "baltimore_part1_firearm_subset_no_coords.csv.gz"
    code = main(
        [
            "import",
            str(path),
            "--mapping",
            str(PRESETS / "baltimore_part1.toml"),
            "--db",
            f"sqlite:///{tmp_path / 'b.sqlite'}",
            "--rejects",
            str(tmp_path / "r.csv"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "every one of the 16,676 rows was rejected" in err and "null island" in err
    report = (tmp_path / "r.csv").read_text()
    assert report.count("(0, 0) is not a real location") == 16_676


BOUNDARY_FILES = [
    ("city_limits_census_cb2015_seven_cities.geojson", "census_places", 7),
    ("cb_2015_24_place_500k.zip", "census_places", 514),
    ("neighborhoods_cth_albuquerque.geojson", "neighbourhoods_albuquerque", None),
    ("neighborhoods_cth_baltimore.geojson", "neighbourhoods_baltimore", 278),
    ("neighborhoods_cth_cleveland.geojson", "neighbourhoods_cleveland", None),
    ("neighborhoods_cth_detroit.geojson", "neighbourhoods_detroit", None),
    ("neighborhoods_cth_kansas-city.geojson", "neighbourhoods_kansas_city", None),
    ("neighborhoods_cth_milwaukee.geojson", "neighbourhoods_milwaukee", None),
    ("police_baltimore_districts_1959_2022.geojson", "police_baltimore_districts_1959_2022", 9),
    ("police_baltimore_districts_2023.geojson", "police_baltimore_districts_2023", 9),
    ("police_memphis_precincts.geojson", "police_memphis_precincts", 9),
    ("police_cleveland_districts.geojson", "police_cleveland_districts", 5),
    ("police_cleveland_districts_shp.zip", "police_cleveland_districts", 5),
    ("police_milwaukee_districts.geojson", "police_milwaukee_districts", 7),
    ("police_milwaukee_districts_nad27.shp", "police_milwaukee_districts", 7),
]


@pytest.mark.parametrize(("file_name", "preset", "areas"), BOUNDARY_FILES, ids=[b[0] for b in BOUNDARY_FILES])
def test_boundary_files_reproject_and_repair(realdata, file_name, preset, areas):
    batch = read_validated(realdata / "boundaries" / file_name, load_mapping(PRESETS / f"{preset}.toml"))
    boundaries = batch.records["boundaries"]
    assert batch.rows_rejected == 0
    if areas is not None:
        assert len(boundaries) == areas
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in boundaries["geometry"])
    west, south, east, north = (
        min(g.bounds[0] for g in boundaries["geometry"]),
        min(g.bounds[1] for g in boundaries["geometry"]),
        max(g.bounds[2] for g in boundaries["geometry"]),
        max(g.bounds[3] for g in boundaries["geometry"]),
    )
    assert -125 < west < east < -66 and 24 < south < north < 50  # lon/lat in the contiguous US


def test_nad27_shapefile_matches_the_published_wgs84_conversion(realdata):
    mapping = load_mapping(PRESETS / "police_milwaukee_districts.toml")
    ours = read_validated(realdata / "boundaries" / "police_milwaukee_districts_nad27.shp", mapping)
    published = read_validated(realdata / "boundaries" / "police_milwaukee_districts.geojson", mapping)
    assert "reprojected from NAD27 / Wisconsin South to EPSG:4326" in "\n".join(ours.notices)
    a = ours.records["boundaries"].set_index("name")["geometry"]
    b = published.records["boundaries"].set_index("name")["geometry"]
    for name in a.index:
        # PROVENANCE: the published file used a Helmert shift (~10 m); centroids agree within ~0.001 degrees
        assert a[name].centroid.distance(b[name].centroid) < 1e-3


def test_self_intersecting_neighbourhoods_are_repaired_with_warnings(realdata):
    batch = read_validated(
        realdata / "boundaries" / "neighborhoods_cth_kansas-city.geojson",
        load_mapping(PRESETS / "neighbourhoods_kansas_city.toml"),
    )
    repaired = batch.rejects[batch.rejects["reason"].str.contains("repaired with make_valid")]
    assert len(repaired) == 4 and (repaired["severity"] == "warning").all()


def test_city_limit_enclaves_stay_holes(realdata):
    batch = read_validated(
        realdata / "boundaries" / "city_limits_census_cb2015_seven_cities.geojson",
        load_mapping(PRESETS / "census_places.toml"),
    )
    limits = batch.records["boundaries"].set_index("name")["geometry"]
    detroit = limits["Detroit"]
    # PROVENANCE: Detroit has one hole (Hamtramck + Highland Park); rings come back counter-clockwise
    assert detroit.geom_type == "Polygon" and len(detroit.interiors) == 1
    assert detroit.exterior.is_ccw and not detroit.interiors[0].is_ccw
    assert limits["Milwaukee"].geom_type == "MultiPolygon" and len(limits["Milwaukee"].geoms) == 2


def test_gva_far_from_city_uses_loaded_city_limits(realdata, store):
    limits = realdata / "boundaries" / "city_limits_census_cb2015_seven_cities.geojson"
    import_file(limits, load_mapping(PRESETS / "census_places.toml"), store)
    path = realdata / "incidents" / "gva_seven_cities_2013_2018.csv.gz"
    report = import_file(path, load_mapping(PRESETS / "gva.toml"), store)
    warnings = report.rejects[report.rejects["severity"] == "warning"]
    # without limits only 11 points lie > 25 km from a centre; against the Census polygons 429 lie outside
    assert len(warnings) == 429
    assert warnings["reason"].str.match(r"point lies outside the .+ city limits; kept and flagged").all()
    incidents = store.load_frames().incidents
    assert int(incidents["far_from_city"].sum()) == 429
    assert len(incidents) == report.stored == 11_421
