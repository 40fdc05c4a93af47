"""Registry of cities: the seven built-in defaults, and any city found in data.

A city not in the registry joins it from its own incidents through
:func:`city_from_points` (centre = median point, UTM zone from longitude).
This module is plain data plus pure functions; it imports nothing from the
rest of the project, so ``data`` may use it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """One city the dashboard knows.

    Parameters
    ----------
    name : str
        Display name and value of the ``city`` column.
    state : str
        Two-letter state code.
    latitude, longitude : float
        Map centre, WGS84.
    zoom : int
        Default Leaflet zoom for this city alone.
    time_zone : str
        IANA time zone; local dates are computed in it.
    measure_crs : str
        Projected CRS for distances and areas (metres).
    census_geoid : str
        Census place GEOID, to find the city limits in Census files ("" if unknown).
    shootings_per_year : int
        Typical yearly shooting incidents (fatal + non-fatal), used by the demo data.
    """

    name: str
    state: str
    latitude: float
    longitude: float
    zoom: int
    time_zone: str
    measure_crs: str
    census_geoid: str = ""
    shootings_per_year: int = 0


DEFAULT_CITIES: tuple[City, ...] = (
    City("Detroit", "MI", 42.3601, -83.1050, 11, "America/Detroit", "EPSG:32617", "2622000", 1300),
    City("Albuquerque", "NM", 35.1050, -106.6300, 11, "America/Denver", "EPSG:32613", "3502000", 320),
    City("Baltimore", "MD", 39.3000, -76.6100, 12, "America/New_York", "EPSG:32618", "2404000", 1200),
    City("Cleveland", "OH", 41.4800, -81.6800, 11, "America/New_York", "EPSG:32617", "3916000", 620),
    City("Kansas City", "MO", 39.0800, -94.5600, 11, "America/Chicago", "EPSG:32615", "2938000", 600),
    City("Memphis", "TN", 35.1200, -89.9700, 11, "America/Chicago", "EPSG:32616", "4748000", 1250),
    City("Milwaukee", "WI", 43.0500, -87.9600, 11, "America/Chicago", "EPSG:32616", "5553000", 780),
)
DEFAULT_CITY_NAMES: tuple[str, ...] = tuple(city.name for city in DEFAULT_CITIES)
_BY_NAME: dict[str, City] = {city.name.casefold(): city for city in DEFAULT_CITIES}


def utm_crs_for(longitude: float, latitude: float) -> str:
    """Return the EPSG code of the WGS84 UTM zone holding a point.

    Examples
    --------
    >>> utm_crs_for(-83.0, 42.3)
    'EPSG:32617'
    >>> utm_crs_for(151.2, -33.9)
    'EPSG:32756'
    """
    zone = min(60, max(1, math.floor((longitude + 180.0) / 6.0) + 1))
    return f"EPSG:{(32600 if latitude >= 0 else 32700) + zone}"


def known_city(name: str) -> City | None:
    """Return the registered city called ``name`` (case-insensitive), else ``None``."""
    return _BY_NAME.get(name.strip().casefold())


def city_from_points(
    name: str,
    longitudes: list[float],
    latitudes: list[float],
    *,
    time_zone: str = "UTC",
    state: str = "",
) -> City:
    """Build a :class:`City` for a place outside the registry from its points.

    Parameters
    ----------
    name : str
        City name as it appears in the data.
    longitudes, latitudes : list of float
        WGS84 coordinates of its incidents (at least one).
    time_zone : str, keyword-only
        IANA zone; ``"UTC"`` when the data does not say.
    state : str, keyword-only
        State code if known.

    Returns
    -------
    City
        The registered city if ``name`` is one of the defaults, else a new one
        centred on the median point, measured in its UTM zone.
    """
    registered = known_city(name)
    if registered is not None:
        return registered
    if not longitudes or len(longitudes) != len(latitudes):
        raise ValueError(
            f"city {name!r}: need one or more points with both longitude and latitude "
            f"to place it on the map; got {len(longitudes)} longitudes and {len(latitudes)} latitudes"
        )
    lon = sorted(longitudes)[len(longitudes) // 2]
    lat = sorted(latitudes)[len(latitudes) // 2]
    return City(name, state, lat, lon, 11, time_zone, utm_crs_for(lon, lat))


def resolve_cities(
    names: list[str],
    points_by_city: dict[str, tuple[list[float], list[float]]] | None = None,
) -> list[City]:
    """Return a :class:`City` for each name, registering unknown ones from their points.

    Parameters
    ----------
    names : list of str
        City names, e.g. the distinct values of the ``city`` column.
    points_by_city : dict, optional
        ``{name: (longitudes, latitudes)}`` for cities outside the registry.
    """
    points_by_city = points_by_city or {}
    cities: list[City] = []
    for name in names:
        registered = known_city(name)
        if registered is not None:
            cities.append(registered)
            continue
        lons, lats = points_by_city.get(name, ([], []))
        cities.append(city_from_points(name, lons, lats))
    return cities
