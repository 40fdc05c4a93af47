"""Incident counts per boundary area."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from data import schema as S
from geo.areas import AreaCountError, area_membership, incident_counts_by_area
from tests.geo._geo_frames import boundary_frame


def _points(lons: list[float], lats: list[float]) -> pd.DataFrame:
    return pd.DataFrame({S.LONGITUDE: lons, S.LATITUDE: lats})


def test_counts_each_area_and_keeps_empty_ones() -> None:
    points = _points([-83.2, -83.2, -83.0, -90.0, float("nan")], [42.3, 42.4, 42.3, 30.0, 42.3])
    boundaries = boundary_frame()
    before = boundaries.copy()
    counts = incident_counts_by_area(points, boundaries)
    assert counts.to_dict() == {
        "city_limits/Detroit/Detroit": 3,
        "police_districts/Detroit/W": 2,
        "police_districts/Detroit/E": 1,
    }
    pd.testing.assert_frame_equal(boundaries, before)


def test_boundaries_in_a_projected_crs_are_reprojected_first() -> None:
    projected = boundary_frame().to_crs("EPSG:32617")
    counts = incident_counts_by_area(_points([-83.2], [42.3]), projected)
    assert counts["police_districts/Detroit/W"] == 1
    assert counts["police_districts/Detroit/E"] == 0


def test_boundaries_without_a_crs_are_rejected_with_the_fix() -> None:
    bare = gpd.GeoDataFrame(
        boundary_frame().drop(columns="geometry"), geometry=boundary_frame().geometry.values
    )
    bare = bare.set_crs(None, allow_override=True)
    with pytest.raises(AreaCountError, match=r"no CRS.*set_crs"):
        incident_counts_by_area(_points([-83.2], [42.3]), bare)


def test_real_city_limits_count_points_inside_detroit_not_in_its_enclaves(realdata) -> None:
    limits = gpd.read_file(realdata / "boundaries" / "city_limits_census_cb2015_seven_cities.geojson")
    limits = limits.rename(columns={"NAME": S.NAME}).assign(
        **{S.BOUNDARY_ID: lambda f: f["GEOID"].astype(str)}
    )
    # downtown Detroit, Hamtramck (an enclave: a hole in Detroit), Memphis downtown
    points = _points([-83.0458, -83.0496, -90.0490], [42.3314, 42.3928, 35.1495])
    counts = incident_counts_by_area(points, limits)
    assert counts["2622000"] == 1
    assert counts["4748000"] == 1
    assert counts.sum() == 2


def test_membership_counts_any_subset_like_a_fresh_join() -> None:
    rng = np.random.default_rng(7)
    lons = [*rng.uniform(-83.35, -82.85, 400).tolist(), float("nan")]
    lats = [*rng.uniform(42.25, 42.45, 400).tolist(), 42.3]
    points = _points(lons, lats)
    boundaries = boundary_frame()
    membership = area_membership(points, boundaries)
    for subset in (points, points.iloc[::3], points.loc[points[S.LONGITUDE] < -83.1], points.iloc[0:0]):
        expected = incident_counts_by_area(subset, boundaries)
        pd.testing.assert_series_equal(membership.counts_for(subset.index), expected)
    assert membership.counts_for(points.index).sum() > 400  # a point in a district is also in the city


def test_membership_needs_the_loaded_row_numbers() -> None:
    points = _points([-83.2, -83.0], [42.3, 42.3])
    with pytest.raises(AreaCountError, match=r"reset_index\(drop=True\)"):
        area_membership(points.set_axis(["a", "b"]), boundary_frame())
    membership = area_membership(points, boundary_frame())
    with pytest.raises(AreaCountError, match=r"rows 0\.\.1 of the incidents frame"):
        membership.counts_for(pd.Index([5]))
