"""Incident validation: every bad row is listed with row, field, value, reason; warnings keep the row."""

from __future__ import annotations

import pandas as pd
import pytest

from data.importer import read_validated
from tests.data.conftest import incident_csv, incident_mapping, write


def _reasons(batch, row):
    rejects = batch.rejects
    return rejects[rejects["row"] == row][["field", "value", "reason", "severity"]].to_dict("records")


def test_duplicate_ids_name_both_rows(tmp_path):
    path = incident_csv(
        tmp_path,
        [
            "A1,Detroit,2019-06-01,42.36,-83.10,homicide",
            "A2,Detroit,2019-06-01,42.36,-83.10,homicide",
            "A1,Detroit,2019-06-02,42.37,-83.11,shots_fired",
        ],
    )
    batch = read_validated(path, incident_mapping())
    assert batch.records["incidents"]["incident_id"].tolist() == ["A1", "A2"]
    assert batch.records["incidents"]["incident_type"].tolist() == ["homicide", "homicide"]
    assert _reasons(batch, 4) == [
        {
            "field": "incident_id",
            "value": "A1",
            "severity": "error",
            "reason": "duplicate incident_id: row 2 has the same id and was kept; nothing was overwritten",
        }
    ]
    assert (batch.rows_read, batch.rows_stored, batch.rows_rejected) == (3, 2, 1)


def test_dates_explicit_format_impossible_and_future(tmp_path):
    path = incident_csv(
        tmp_path,
        [
            "1,Milwaukee,06/01/2019 09:30 PM,43.05,-87.96,homicide",
            "2,Milwaukee,02/30/2019 09:30 PM,43.05,-87.96,homicide",
            "3,Milwaukee,2019-06-01,43.05,-87.96,homicide",
            "4,Milwaukee,06/01/2099 01:00 AM,43.05,-87.96,homicide",
            "5,Milwaukee,01/01/1850 01:00 AM,43.05,-87.96,homicide",
        ],
    )
    batch = read_validated(path, incident_mapping('[formats]\noccurred_at = "%m/%d/%Y %I:%M %p"\n'))
    incidents = batch.records["incidents"].set_index("incident_id")
    # 9:30 PM Central Daylight Time is 02:30 UTC the next day
    assert str(incidents.loc["1", "occurred_at"]) == "2019-06-02 02:30:00+00:00"
    for row, value in ((3, "02/30/2019 09:30 PM"), (4, "2019-06-01")):
        (problem,) = _reasons(batch, row)
        assert problem["value"] == value
        assert (
            problem["reason"] == "impossible or malformed date; expected a date in the format "
            "'%m/%d/%Y %I:%M %p' from [formats]"
        )
    assert _reasons(batch, 5)[0]["reason"] == "date is in the future; kept, check the source"
    assert _reasons(batch, 5)[0]["severity"] == "warning"
    assert "4" in incidents.index
    assert _reasons(batch, 6)[0]["reason"] == "impossible date: before 1900"
    assert batch.rows_rejected == 3 and batch.warnings == 1


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [
        ("", "", "no coordinates"),
        ("nan", "-83.1", "coordinate is NaN or not a number; no real location"),
        ("inf", "-83.1", "coordinate is infinite; no real location"),
        ("0", "0", "(0, 0) is not a real location ('null island': the export has no coordinates)"),
        (
            "4690000",
            "330000",
            "numbers look like projected coordinates (metres or feet), not degrees; "
            "declare their CRS with [options] crs in the mapping",
        ),
        (
            "-83.10",
            "42.36",
            "latitude and longitude look swapped; fix the source or set [options] swap_lat_lon = true",
        ),
        # swapped, (12.0, 95.5) is nowhere near Detroit: out of range, not "swapped" (issue 10.12)
        ("95.5", "12.0", "latitude outside -90..90"),
        ("91", "-83.1", "latitude outside -90..90"),
        ("95.5", "120.0", "latitude outside -90..90"),
        ("north", "-83.1", "coordinate is NaN or not a number; no real location"),
    ],
)
def test_bad_coordinates_rejected_with_reason(tmp_path, lat, lon, reason):
    path = incident_csv(
        tmp_path, [f"1,Detroit,2019-06-01,{lat},{lon},homicide", "2,Detroit,2019-06-01,42.36,-83.10,homicide"]
    )
    batch = read_validated(path, incident_mapping())
    assert batch.records["incidents"]["incident_id"].tolist() == ["2"]
    assert reason in [p["reason"] for p in _reasons(batch, 2)]
    assert all(p["severity"] == "error" for p in _reasons(batch, 2))


def test_swapped_fixed_only_when_the_mapping_says_so(tmp_path):
    path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,-83.10,42.36,homicide"])
    batch = read_validated(path, incident_mapping("[options]\nswap_lat_lon = true\n"))
    incident = batch.records["incidents"].iloc[0]
    assert (incident["latitude"], incident["longitude"]) == (42.36, -83.10)
    assert _reasons(batch, 2)[0]["severity"] == "warning"
    assert "swapped back as the mapping says" in _reasons(batch, 2)[0]["reason"]


def test_far_from_city_kept_and_flagged(tmp_path):
    path = incident_csv(
        tmp_path,
        [
            "near,Detroit,2019-06-01,42.36,-83.10,homicide",
            "far,Detroit,2019-06-01,42.96,-85.67,homicide",  # Grand Rapids, ~220 km away
            "elsewhere,Springfield,2019-06-01,39.78,-89.65,homicide",  # not in the registry: no check
        ],
    )
    batch = read_validated(path, incident_mapping())
    incidents = batch.records["incidents"].set_index("incident_id")
    assert incidents["far_from_city"].to_dict() == {"near": False, "far": True, "elsewhere": False}
    (problem,) = _reasons(batch, 3)
    assert problem["severity"] == "warning"
    assert (
        problem["reason"].startswith("point is 2")
        and "from the centre of Detroit (more than 25 km)" in problem["reason"]
    )
    assert batch.rows_stored == 3 and batch.warnings == 1


def test_location_column_forms(tmp_path):
    text = (
        "id,city,when,where,type\n"
        + "\n".join(
            [
                '1,Milwaukee,2019-06-01,"[43.05, -87.96]",homicide',
                '2,Milwaukee,2019-06-01,"(43.06, -87.95)",homicide',
                "3,Milwaukee,2019-06-01,POINT (-87.94 43.07),homicide",
                '4,Milwaukee,2019-06-01,"(,)",homicide',
                "5,Milwaukee,2019-06-01,somewhere,homicide",
            ]
        )
        + "\n"
    )
    mapping_text = (
        'kind = "incidents"\n[columns]\nincident_id = "id"\ncity = "city"\noccurred_at = "when"\n'
        'location = "where"\nincident_type = "type"\n'
    )
    from data.mapping import parse_mapping

    batch = read_validated(write(tmp_path, "loc.csv", text), parse_mapping(mapping_text))
    incidents = batch.records["incidents"]
    assert incidents["latitude"].tolist() == [43.05, 43.06, 43.07]
    assert incidents["longitude"].tolist() == [-87.96, -87.95, -87.94]
    assert _reasons(batch, 5)[0]["reason"] == "no coordinates"
    assert _reasons(batch, 6)[0]["reason"].startswith("not a location; expected '(lat, lon)'")


def test_projected_columns_with_declared_crs_are_reprojected(tmp_path):
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32617", always_xy=True).transform(-83.10, 42.36)
    path = incident_csv(tmp_path, [f"1,Detroit,2019-06-01,{y:.2f},{x:.2f},homicide"])
    batch = read_validated(path, incident_mapping('[options]\ncrs = "EPSG:32617"\n'))
    incident = batch.records["incidents"].iloc[0]
    assert incident["latitude"] == pytest.approx(42.36, abs=1e-6)
    assert incident["longitude"] == pytest.approx(-83.10, abs=1e-6)


def test_values_mapping_and_unmatched_reason(tmp_path):
    path = incident_csv(
        tmp_path,
        [
            "1,Detroit,2019-06-01,42.36,-83.10,HOMICIDE",
            "2,Detroit,2019-06-01,42.36,-83.10,Shot - Wounded/Injured||Drive-by",
            "3,Detroit,2019-06-01,42.36,-83.10,Non-Shooting Incident",
        ],
    )
    extra = (
        '[values.incident_type]\n"homicide" = "homicide"\n[contains.incident_type]\n'
        '"Shot - Wounded" = "non_fatal_shooting"\n[unmatched]\nincident_type = "not a shooting incident"\n'
    )
    batch = read_validated(path, incident_mapping(extra))
    assert batch.records["incidents"]["incident_type"].tolist() == ["homicide", "non_fatal_shooting"]
    assert _reasons(batch, 4) == [
        {
            "field": "incident_type",
            "value": "Non-Shooting Incident",
            "reason": "not a shooting incident",
            "severity": "error",
        }
    ]


def test_unknown_type_without_mapping_names_allowed_values(tmp_path):
    path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,42.36,-83.10,robbery"])
    batch = read_validated(path, incident_mapping())
    reason = _reasons(batch, 2)[0]["reason"]
    assert reason == (
        "not one of homicide, non_fatal_shooting, shots_fired, gunfire_alert; "
        "map the source value under [values.incident_type]"
    )


def test_every_row_accounted_for(tmp_path):
    rows = [
        f"{i},Detroit,2019-06-{1 + i % 28:02d},{42.3 + (i % 3 == 2) * 100},-83.1,homicide" for i in range(30)
    ]
    batch = read_validated(incident_csv(tmp_path, rows), incident_mapping())
    errors = batch.rejects[batch.rejects["severity"] == "error"]
    assert batch.rows_stored + batch.rows_rejected == batch.rows_read == 30
    assert errors["row"].nunique() == batch.rows_rejected == 10
    assert pd.api.types.is_datetime64_any_dtype(batch.records["incidents"]["occurred_at"])


def test_points_file_gives_coordinates_and_unknown_city_uses_its_time_zone(tmp_path):
    import json

    from data.mapping import parse_mapping

    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-122.27, 37.80]},
            "properties": {
                "id": "OAK1",
                "city": "Oakland",
                "when": "2020-07-04T23:00",
                "tz": "America/Los_Angeles",
            },
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-122.27, 37.81]},
            "properties": {
                "id": "OAK2",
                "city": "Oakland",
                "when": "2020-07-04T23:00",
                "tz": "Pacific/Nowhere",
            },
        },
    ]
    path = write(tmp_path, "points.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    mapping = parse_mapping(
        'kind = "incidents"\n[columns]\nincident_id = "id"\ncity = "city"\noccurred_at = "when"\n'
        'time_zone = "tz"\n[constants]\nincident_type = "shots_fired"\n'
    )
    batch = read_validated(path, mapping)
    (incident,) = batch.records["incidents"].to_dict("records")
    assert (incident["latitude"], incident["longitude"]) == (37.80, -122.27)
    assert str(incident["occurred_at"]) == "2020-07-05 06:00:00+00:00"  # 23:00 PDT
    assert _reasons(batch, 2) == [
        {
            "field": "time_zone",
            "value": "Pacific/Nowhere",
            "severity": "error",
            "reason": "not an IANA time zone such as America/Chicago",
        }
    ]


def test_import_preview_shows_the_fields_in_schema_order_and_the_flag_as_true_or_false(tmp_path):
    # the Import tab shows these records as its preview table (ui/import_view.py), index hidden
    path = write(
        tmp_path,
        "demo.csv",
        "id,city,when,lat,lon,type,synthetic\n"
        "D-1,Detroit,2019-06-01,42.36,-83.10,homicide,yes\n"
        "D-2,Detroit,2019-06-02,,-83.11,homicide,\n"
        "D-3,Detroit,2019-06-02,42.37,-83.11,homicide,\n",
    )
    records = read_validated(path, incident_mapping('\nis_synthetic = "synthetic"\n')).records["incidents"]
    assert list(records.columns) == [
        "incident_id", "city", "state", "occurred_at", "latitude", "longitude", "incident_type", "killed",
        "injured", "agency", "case_number", "address", "narrative", "district", "neighbourhood", "time_zone",
        "is_synthetic", "far_from_city", "row",
    ]  # fmt: skip
    assert records["incident_id"].tolist() == ["D-1", "D-3"]
    assert records["row"].tolist() == [2, 4]
    assert [str(flag) for flag in records["is_synthetic"]] == ["True", "False"]
