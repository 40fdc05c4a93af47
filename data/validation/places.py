"""Where and in which time zone: points from lat/lon, a location column or a geometry; zones per row."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import schema as S
from data.coords import EMPTY_LOCATION, check_coordinates, parse_location
from data.parsing import parse_float
from data.problems import Problems
from data.validation.context import StoreContext
from data.validation.source import Source
from geo.cities import known_city

_ZONES = frozenset(zoneinfo.available_timezones())


@dataclass(frozen=True)
class Points:
    """Parsed coordinates with the text and field each came from (for the rejects report)."""

    lat: pd.Series
    lon: pd.Series
    lat_text: pd.Series
    lon_text: pd.Series
    lat_field: str
    lon_field: str


def zones_for(cities: pd.Series, zones_text: pd.Series, problems: Problems) -> pd.Series:
    """Each row's IANA zone: the registry city's zone, else the row's ``time_zone``, else UTC.

    A ``time_zone`` that is not an IANA name is rejected.
    """
    bad = zones_text.notna() & ~zones_text.isin(_ZONES).fillna(False)
    problems.add(bad, S.TIME_ZONE, zones_text, "not an IANA time zone such as America/Chicago")
    zones = zones_text.where(~bad)
    registry = {}
    for name in cities.dropna().unique():
        city = known_city(str(name))
        if city is not None:
            registry[name] = city.time_zone
    from_city = cities.map(registry).astype("string")
    return from_city.fillna(zones).fillna("UTC")


def located(source_texts: dict[str, pd.Series], has_geometry: bool) -> set[str]:
    """Latitude/longitude may be absent when a location column or a geometry gives the point."""
    return {S.LATITUDE, S.LONGITUDE} if (S.LOCATION in source_texts or has_geometry) else set()


def points(source: Source) -> Points:
    """Coordinates from latitude/longitude, a ``location`` column or point geometries.

    Reprojects from the mapping's ``crs`` to EPSG:4326. Unparseable numbers
    are not reported here: :func:`data.coords.check_coordinates` reports them
    once ("not a number; no real location").
    """
    raw, texts, problems = source.raw, source.texts, source.problems
    if S.LOCATION in texts and not (S.LATITUDE in texts and S.LONGITUDE in texts):
        text = texts[S.LOCATION]
        lat, lon = parse_location(text, S.LOCATION, problems)
        empty = text.str.fullmatch(EMPTY_LOCATION, case=False).fillna(False).to_numpy(dtype=bool)
        present = text.mask(empty)
        return Points(lat, lon, present, present, S.LOCATION, S.LOCATION)
    if S.LATITUDE not in texts and S.LONGITUDE not in texts and raw.geometry is not None:
        geometry = raw.geometry
        is_point = (geometry.geom_type == "Point").to_numpy()
        lon = pd.Series(np.where(is_point, geometry.x.where(is_point), np.nan), dtype="float64")
        lat = pd.Series(np.where(is_point, geometry.y.where(is_point), np.nan), dtype="float64")
        text = pd.Series(geometry.to_wkt(), dtype="string").where(is_point)
        return Points(lat, lon, text, text, S.GEOMETRY, S.GEOMETRY)
    lat_text = source.text(S.LATITUDE)
    lon_text = source.text(S.LONGITUDE)
    decimal = source.mapping.decimal or "."
    lat = parse_float(lat_text, S.LATITUDE, Problems(problems.rows), decimal=decimal)
    lon = parse_float(lon_text, S.LONGITUDE, Problems(problems.rows), decimal=decimal)
    if source.mapping.crs is not None:
        from pyproj import Transformer

        transformer = Transformer.from_crs(source.mapping.crs, S.STORAGE_CRS, always_xy=True)
        x, y = transformer.transform(lon.to_numpy(), lat.to_numpy())
        lon, lat = pd.Series(x, dtype="float64"), pd.Series(y, dtype="float64")
    return Points(lat, lon, lat_text, lon_text, S.LATITUDE, S.LONGITUDE)


def checked_points(
    source: Source, city: pd.Series, context: StoreContext, *, required: bool = True
) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Parse and check each row's point; return ``(lat, lon, far_from_city)``.

    See :func:`data.coords.check_coordinates` for the checks; ``required``
    says whether a row without coordinates is rejected.
    """
    found = points(source)
    return check_coordinates(
        found.lat,
        found.lon,
        city,
        source.problems,
        lat_text=found.lat_text,
        lon_text=found.lon_text,
        lat_field=found.lat_field,
        lon_field=found.lon_field,
        swap_lat_lon=source.mapping.swap_lat_lon,
        city_limits=context.city_limits,
        required=required,
    )
