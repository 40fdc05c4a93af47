"""Demo shootings lie on land inside the real city limits; outlines are simplified and labelled."""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from data import schema as S
from data.demo import generate_demo
from data.demo.geography import block_addresses, boundaries_frame, city_outline
from geo.cities import DEFAULT_CITIES

CENSUS_LIMITS = "boundaries/city_limits_census_cb2015_seven_cities.geojson"
GEOID_TO_CITY = {city.census_geoid: city.name for city in DEFAULT_CITIES}


@pytest.fixture(scope="module")
def city_limits(realdata: Path) -> gpd.GeoDataFrame:
    limits = gpd.read_file(realdata / CENSUS_LIMITS, engine="pyogrio").to_crs(S.STORAGE_CRS)
    limits[S.CITY] = limits["GEOID"].map(GEOID_TO_CITY)
    assert limits[S.CITY].notna().all()
    return limits[[S.CITY, "geometry"]]


def _share_inside(incidents: pd.DataFrame, limits: gpd.GeoDataFrame) -> pd.Series:
    inside = pd.Series(False, index=incidents.index)
    for city, polygon in zip(limits[S.CITY], limits.geometry, strict=True):
        rows = incidents[S.CITY] == city
        inside[rows] = shapely.contains_xy(
            polygon, incidents.loc[rows, S.LONGITUDE].to_numpy(), incidents.loc[rows, S.LATITUDE].to_numpy()
        )
    return inside.groupby(incidents[S.CITY].astype(str)).mean()


def test_demo_points_fall_inside_the_real_census_city_limits(
    demo: dict[str, pd.DataFrame], city_limits: gpd.GeoDataFrame
) -> None:
    shares = _share_inside(demo[S.INCIDENTS], city_limits)
    assert set(shares.index) == {city.name for city in DEFAULT_CITIES}
    overall = float((shares * demo[S.INCIDENTS][S.CITY].astype(str).value_counts()).sum()) / len(
        demo[S.INCIDENTS]
    )
    assert overall >= 0.97
    assert shares.min() >= 0.95, shares.to_dict()


def test_demo_scaled_points_stay_inside_too(
    demo_50k: dict[str, pd.DataFrame], city_limits: gpd.GeoDataFrame
) -> None:
    shares = _share_inside(demo_50k[S.INCIDENTS], city_limits)
    assert shares.min() >= 0.97, shares.to_dict()


def test_demo_simplified_outlines_cover_most_of_each_city(city_limits: gpd.GeoDataFrame) -> None:
    frame = boundaries_frame()
    assert list(frame[S.LAYER].unique()) == ["city_limits"]
    for city, real in zip(city_limits[S.CITY], city_limits.geometry, strict=True):
        outline = city_outline(city)
        vertices = shapely.get_num_coordinates(outline) - 1 - len(outline.interiors)
        assert vertices <= 40, city
        assert outline.is_valid
        ratio = outline.area / real.area
        overlap = outline.intersection(real).area / outline.area
        assert 0.85 < ratio < 1.0 and overlap > 0.95, (city, ratio, overlap)


def test_demo_points_cluster_in_hot_spots(demo: dict[str, pd.DataFrame]) -> None:
    incidents = demo[S.INCIDENTS]
    detroit = incidents[incidents[S.CITY] == "Detroit"]
    # Round to ~1 km cells: hot spots put a large share of shootings in a few cells.
    row = (detroit[S.LATITUDE] / 0.009).round().astype(int)
    column = (detroit[S.LONGITUDE] / 0.012).round().astype(int)
    cells = row * 100_000 + column
    top = cells.value_counts()
    assert top.iloc[:10].sum() > 0.2 * len(detroit)
    assert top.size > 100  # but not all at one spot


def test_demo_boundaries_frame_is_labelled_and_typed() -> None:
    frame = boundaries_frame()
    assert tuple(frame.columns) == S.BOUNDARY_SCHEMA.names
    assert frame.crs.to_epsg() == 4326
    assert frame[S.NAME].str.endswith("(simplified, synthetic demo)").all()
    assert frame[S.BOUNDARY_ID].is_unique
    assert sorted(frame[S.CITY].astype(str)) == sorted(city.name for city in DEFAULT_CITIES)
    assert set(frame.geometry.geom_type) == {"Polygon"}


def test_demo_block_addresses_are_shared_by_neighbours() -> None:
    lon = np.array([-83.0800, -83.0801, -83.1200])
    lat = np.array([42.3800, 42.3801, 42.3300])
    text = block_addresses(lon, lat, centre_lon=-83.1, centre_lat=42.36).tolist()
    assert text[0] == text[1] == "1000 block of E 9th St (synthetic)"
    assert text[2] == "1000 block of W 14th St (synthetic)"


def test_demo_never_reads_shared_realdata() -> None:
    opened: list[str] = []
    active = [True]

    def watch(event: str, args: tuple) -> None:
        if active[0] and event == "open" and args and isinstance(args[0], str | Path):
            opened.append(str(args[0]))

    sys.addaudithook(watch)  # audit hooks cannot be removed; this one switches itself off
    try:
        generate_demo(seed=3, incidents=500)
        Path(__file__).read_bytes()  # proves the hook sees file opens
    finally:
        active[0] = False
    assert str(Path(__file__)) in opened
    assert not [path for path in opened if "realdata" in path or "/shared/" in path]
