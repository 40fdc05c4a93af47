"""Coordinates: which location texts are read, and which points are flagged far from their city.

``parse_location`` reads the one-column location forms; ``check_coordinates`` decides which points
are kept and which are flagged ``far_from_city`` (with the distance in the warning the analyst reads).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from data.coords import check_coordinates, haversine_km, parse_location
from data.problems import Problems

REASON = "not a location; expected '(lat, lon)', '[lat, lon]' or 'POINT (lon lat)'"


def _parse(texts: list[object]) -> tuple[list[float], list[float], list[dict]]:
    problems = Problems(np.arange(2, len(texts) + 2))
    lat, lon = parse_location(pd.Series(texts, dtype="string"), "location", problems)
    records = problems.frame()[["row", "field", "value", "reason"]].to_dict("records")
    return lat.tolist(), lon.tolist(), records


def test_every_location_form_reads_latitude_then_longitude() -> None:
    texts = [
        "(42.36, -83.1)",
        "[42.36,-83.1]",
        " ( 42.36 , -83.1 ) ",
        "POINT (-83.1 42.36)",
        "point(-83.1 42.36)",
        "POINT Z (-83.1 42.36 180)",
        "(4.236e1, -8.31E1)",
        "(+42.36, -83.10)",
        "(.5, -.25)",
    ]
    lat, lon, records = _parse(texts)
    assert lat == [42.36] * 8 + [0.5]
    assert lon == [-83.1] * 8 + [-0.25]
    assert records == []


def test_empty_locations_are_missing_and_unreadable_ones_are_reported_with_the_forms() -> None:
    lat, lon, records = _parse(
        [
            "()",
            "[ , ]",
            "POINT EMPTY",
            "point empty",
            None,
            "near the park",
            "42.36, -83.1",
            "POINT (-83.1)",
        ]
    )
    assert all(np.isnan(v) for v in lat) and all(np.isnan(v) for v in lon)
    assert records == [
        {"row": 7, "field": "location", "value": "near the park", "reason": REASON},
        {"row": 8, "field": "location", "value": "42.36, -83.1", "reason": REASON},
        {"row": 9, "field": "location", "value": "POINT (-83.1)", "reason": REASON},
    ]


def test_great_circle_distances_in_km() -> None:
    one_degree = haversine_km(np.array([0.0]), np.array([0.0]), 0.0, 1.0)[0]
    assert one_degree == pytest.approx(111.195, abs=0.01)
    north = haversine_km(np.array([42.0]), np.array([-83.0]), 43.0, -83.0)[0]
    assert north == pytest.approx(111.195, abs=0.01)
    # Detroit to Chicago, about 383 km; the same both ways; half way round the earth
    detroit_chicago = haversine_km(np.array([42.3314]), np.array([-83.0458]), 41.8781, -87.6298)[0]
    assert detroit_chicago == pytest.approx(383.0, abs=2.0)
    assert haversine_km(np.array([41.8781]), np.array([-87.6298]), 42.3314, -83.0458)[0] == pytest.approx(
        detroit_chicago
    )
    assert haversine_km(np.array([0.0]), np.array([0.0]), 0.0, 180.0)[0] == pytest.approx(20015.1, abs=1.0)


def _check(points: list[tuple[float, float]], cities: list[str], limits: dict | None = None):
    problems = Problems(np.arange(2, len(points) + 2))
    lat = pd.Series([p[0] for p in points], dtype="float64")
    lon = pd.Series([p[1] for p in points], dtype="float64")
    _, _, far = check_coordinates(
        lat,
        lon,
        pd.Series(cities, dtype="string"),
        problems,
        lat_text=lat.astype("string"),
        lon_text=lon.astype("string"),
        lat_field="latitude",
        lon_field="longitude",
        city_limits=limits,
    )
    report = problems.frame()
    return far.tolist(), report[["row", "reason", "severity"]].to_dict("records"), problems.rejected.tolist()


def test_points_far_from_a_registered_city_are_kept_with_the_distance_in_the_warning() -> None:
    # Detroit's centre is 42.3601, -83.1050; 0.2 degrees north is about 22 km, 0.3 about 33 km
    far, report, rejected = _check(
        [(42.56, -83.105), (42.66, -83.105), (41.88, -87.63), (42.66, -83.105), (42.66, -83.105)],
        ["Detroit", "Detroit", "Detroit", "Nowhere Town", "Memphis"],
    )
    assert far == [False, True, True, False, True]
    assert rejected == [False] * 5
    assert report == [
        {
            "row": 3,
            "reason": "point is 33 km from the centre of Detroit (more than 25 km); "
            "kept and flagged far_from_city",
            "severity": "warning",
        },
        {
            "row": 4,
            "reason": "point is 377 km from the centre of Detroit (more than 25 km); "
            "kept and flagged far_from_city",
            "severity": "warning",
        },
        {
            "row": 6,
            "reason": "point is 1027 km from the centre of Memphis (more than 25 km); "
            "kept and flagged far_from_city",
            "severity": "warning",
        },
    ]


def test_city_limits_decide_when_loaded_and_rejected_rows_are_not_also_flagged() -> None:
    # a small square around Detroit's centre: a point 5 km away is outside it though within 25 km
    square = shapely.box(-83.12, 42.35, -83.09, 42.37)
    far, report, _ = _check(
        [(42.36, -83.105), (42.40, -83.105), (0.0, 0.0), (42.40, -83.105), (42.40, -83.105)],
        ["Detroit", "Detroit", "Detroit", "Nowhere Town", "Memphis"],
        {"Detroit": square},
    )
    # a city with limits does not end the check: Memphis (by its centre) comes after Detroit
    assert far == [False, True, False, False, True]
    reasons = {r["row"]: r["reason"] for r in report}
    assert reasons[3] == "point lies outside the Detroit city limits; kept and flagged far_from_city"
    assert reasons[4].startswith("(0, 0) is not a real location")
    assert reasons[6].startswith("point is ") and reasons[6].endswith("kept and flagged far_from_city")
    assert set(reasons) == {3, 4, 6}


def test_a_city_without_a_centre_or_without_valid_points_does_not_stop_the_check_of_the_others() -> None:
    # "Aardvark" (not registered) and "Abbeville" (its only point rejected) come before Memphis
    far, report, rejected = _check(
        [(42.66, -83.105), (0.0, 0.0), (42.66, -83.105)],
        ["Aardvark", "Abbeville", "Memphis"],
    )
    assert far == [False, False, True]
    assert rejected == [False, True, False]
    assert [r["row"] for r in report if r["severity"] == "warning"] == [4]


def test_nan_and_inf_inside_a_location_are_read_and_left_to_the_coordinate_checks() -> None:
    # the text has the right form, so it is not "not a location": check_coordinates then rejects
    # the row as "coordinate is NaN ..." or "coordinate is infinite ..." with the text shown
    lat, lon, records = _parse(["(nan, -83.1)", "POINT (inf 42.36)", "[NaN, -inf]"])
    assert np.isnan(lat[0]) and lon[0] == -83.1
    assert lat[1] == 42.36 and lon[1] == np.inf
    assert np.isnan(lat[2]) and lon[2] == -np.inf
    assert records == []


def test_rows_with_wild_latitudes_are_rejected_without_numpy_warnings_beside_a_far_point() -> None:
    # far from Detroit's centre: the distance is computed for every row of the batch, and for these
    # two out-of-range latitudes the haversine term rounds just outside 0..1 (-2e-16 and 1 + 4e-16);
    # unclipped, numpy would warn "invalid value encountered" (an error under this suite's settings)
    far, report, rejected = _check(
        [(1037.6399, 96.895003), (-222.360099, 96.895), (42.66, -83.105)], ["Detroit"] * 3
    )
    assert far == [False, False, True]
    assert rejected == [True, True, False]
    assert report == [
        {"row": 2, "reason": "latitude outside -90..90", "severity": "error"},
        {"row": 3, "reason": "latitude outside -90..90", "severity": "error"},
        {
            "row": 4,
            "reason": "point is 33 km from the centre of Detroit (more than 25 km); "
            "kept and flagged far_from_city",
            "severity": "warning",
        },
    ]
