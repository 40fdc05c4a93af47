"""Where the synthetic shootings happen: hot spots, city outlines, block addresses.

Pure functions over the typed-in shapes of :mod:`data.demo._places`; nothing
here reads a file.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon

from data import schema as S
from data.demo._places import SHAPES

METRES_PER_DEGREE = 111_320.0
CORE_SPREAD_M = 300.0  # Gaussian spread of a hot spot, metres
DIFFUSE_SPREAD_M = 1_500.0  # spread of the shootings scattered around a hot spot
DIFFUSE_SHARE = 0.3
OUTLINE_LABEL = "(simplified, synthetic demo)"
_MAX_REDRAWS = 30


@cache
def city_outline(city: str) -> Polygon:
    """Return the simplified city-limits polygon of a demo city (WGS84 lon/lat).

    Parameters
    ----------
    city : str
        One of the seven default city names.

    Examples
    --------
    >>> outline = city_outline("Baltimore")
    >>> outline.is_valid, len(outline.exterior.coords) - 1 <= 40
    (True, True)
    """
    shape = SHAPES[city]
    return Polygon(shape.outline, [list(hole) for hole in shape.holes])


def hotspot_weights(rng: np.random.Generator, count: int) -> np.ndarray:
    """Return heavy-tailed shares of shootings per hot spot (a few dominate).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (the caller's, for determinism).
    count : int
        Number of hot spots.
    """
    ranks = rng.permutation(count) + 1.0
    weights = ranks**-0.8
    return weights / weights.sum()


def place_points(
    rng: np.random.Generator, city: str, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw shooting locations around the city's hot spots, inside its outline.

    Most points fall within a few hundred metres of a hot-spot centre, the
    rest scatter over a kilometre or two; a point that lands outside the
    simplified outline (or in an enclave hole) is drawn again.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    city : str
        One of the seven default city names.
    count : int
        Number of points.

    Returns
    -------
    longitude, latitude : numpy.ndarray of float
        WGS84 coordinates rounded to 5 decimals (about a metre).
    hotspot : numpy.ndarray of int
        Index of the hot spot each point belongs to.
    """
    centres = np.asarray(SHAPES[city].hotspots, dtype=float)
    outline = city_outline(city)
    shapely.prepare(outline)
    hotspot = rng.choice(len(centres), size=count, p=hotspot_weights(rng, len(centres)))
    spread = np.where(rng.random(count) < DIFFUSE_SHARE, DIFFUSE_SPREAD_M, CORE_SPREAD_M)
    lon = np.empty(count)
    lat = np.empty(count)
    todo = np.arange(count)
    for _ in range(_MAX_REDRAWS):
        if todo.size == 0:
            break
        centre = centres[hotspot[todo]]
        dy = rng.normal(0.0, 1.0, todo.size) * spread[todo]
        dx = rng.normal(0.0, 1.0, todo.size) * spread[todo]
        lat[todo] = centre[:, 1] + dy / METRES_PER_DEGREE
        lon[todo] = centre[:, 0] + dx / (METRES_PER_DEGREE * np.cos(np.radians(centre[:, 1])))
        inside = shapely.contains_xy(outline, lon[todo], lat[todo])
        todo = todo[~inside]
    # Hot-spot centres lie well inside the outline; the rare point still outside goes there.
    lon[todo] = centres[hotspot[todo], 0]
    lat[todo] = centres[hotspot[todo], 1]
    return np.round(lon, 5), np.round(lat, 5), hotspot


def _ordinal_suffix(numbers: np.ndarray) -> np.ndarray:
    last = numbers % 10
    suffix = np.full(numbers.shape, "th", dtype=object)
    suffix[last == 1] = "st"
    suffix[last == 2] = "nd"
    suffix[last == 3] = "rd"
    suffix[(numbers % 100 >= 11) & (numbers % 100 <= 13)] = "th"
    return suffix


def block_addresses(
    longitude: np.ndarray, latitude: np.ndarray, *, centre_lon: float, centre_lat: float
) -> pd.Series:
    """Return block-level, obviously synthetic addresses on a grid around the city centre.

    The hundred-block number grows eastwards/westwards from the centre (about
    160 m a block) and the numbered street northwards/southwards (250 m a
    street), so neighbouring points share an address.

    Examples
    --------
    >>> block_addresses(np.array([-83.08]), np.array([42.38]), centre_lon=-83.1, centre_lat=42.36).tolist()
    ['1000 block of E 9th St (synthetic)']
    """
    east_m = (longitude - centre_lon) * METRES_PER_DEGREE * np.cos(np.radians(centre_lat))
    north_m = (latitude - centre_lat) * METRES_PER_DEGREE
    block = (np.abs(east_m) // 160).astype(np.int64) * 100
    street = (np.abs(north_m) // 250).astype(np.int64) + 1
    side = np.where(east_m >= 0, "E", "W").astype(object)
    parts = pd.DataFrame({"block": block, "street": street})
    text = (
        parts["block"].astype(str)
        + " block of "
        + pd.Series(side)
        + " "
        + parts["street"].astype(str)
        + pd.Series(_ordinal_suffix(street))
        + " St (synthetic)"
    )
    return text.astype("string")


def boundaries_frame() -> gpd.GeoDataFrame:
    """Return one ``city_limits`` boundary per demo city: the simplified outlines.

    The names say "(simplified, synthetic demo)" so nobody mistakes them for
    the official limits.

    Examples
    --------
    >>> frame = boundaries_frame()
    >>> len(frame), frame.crs.to_string()
    (7, 'EPSG:4326')
    """
    cities = list(SHAPES)
    names = [f"{city} {OUTLINE_LABEL}" for city in cities]
    return gpd.GeoDataFrame(
        {
            S.BOUNDARY_ID: pd.array(
                [f"city_limits/{city}/{name}" for city, name in zip(cities, names, strict=True)],
                dtype="string",
            ),
            S.NAME: pd.array(names, dtype="string"),
            S.CITY: pd.Categorical(cities, categories=cities),
            S.LAYER: pd.array(["city_limits"] * len(cities), dtype="string"),
        },
        geometry=[city_outline(city) for city in cities],
        crs=S.STORAGE_CRS,
    )
