"""Coordinates: parse location strings and decide which points are real.

Checks, in order, each row getting the first reason that applies: missing,
not finite, (0, 0), projected-looking numbers, swapped latitude/longitude,
out of range. Points that pass but lie outside their city (outside its
city-limits polygon when one is loaded, else more than
:data:`FAR_FROM_CITY_KM` from the registered centre) are kept with a warning.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from data.problems import WARNING, Problems
from geo.cities import known_city

FAR_FROM_CITY_KM = 25.0
SWAP_NEAR_KM = 100.0
_NUMBER = r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|NaN|inf|-inf)\s*"
_PAIR = rf"^[\(\[]{_NUMBER},{_NUMBER}[\)\]]$"
_WKT = rf"^POINT\s*(?:Z\s*)?\({_NUMBER}\s{_NUMBER}(?:\s{_NUMBER})?\)$"
EMPTY_LOCATION = r"\s*(?:[\(\[]\s*,?\s*[\)\]]|POINT\s*EMPTY)\s*"
NO_COORDINATES = "no coordinates"
NULL_ISLAND = "(0, 0) is not a real location ('null island': the export has no coordinates)"


def parse_location(text: pd.Series, field: str, problems: Problems) -> tuple[pd.Series, pd.Series]:
    """Split ``(lat, lon)``, ``[lat, lon]`` or WKT ``POINT (lon lat)`` into latitude, longitude.

    Examples
    --------
    >>> import numpy as np
    >>> p = Problems(np.array([2, 3, 4]))
    >>> lat, lon = parse_location(
    ...     pd.Series(["[43.1, -87.9]", "POINT (-87.9 43.1)", "near the park"]), "location", p)
    >>> lat.tolist()[:2], lon.tolist()[:2]
    ([43.1, 43.1], [-87.9, -87.9])
    >>> p.frame()["reason"].tolist()
    ["not a location; expected '(lat, lon)', '[lat, lon]' or 'POINT (lon lat)'"]
    """
    stripped = text.str.strip()
    pair = stripped.str.extract(_PAIR)
    wkt = stripped.str.extract(_WKT, flags=re.IGNORECASE)
    # a text is a pair (latitude first) or WKT (longitude first), never both
    lat_text = pair[0].fillna(wkt[1])
    numbers = pd.DataFrame({"lat": lat_text, "lon": pair[1].fillna(wkt[0])}, dtype="float64")
    empty = stripped.str.fullmatch(EMPTY_LOCATION, flags=re.IGNORECASE)
    bad = stripped.notna() & lat_text.isna() & ~empty
    problems.add(bad, field, text, "not a location; expected '(lat, lon)', '[lat, lon]' or 'POINT (lon lat)'")
    return numbers["lat"], numbers["lon"]


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray | float, lon2: np.ndarray | float
) -> np.ndarray:
    """Great-circle distance in km (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _city_centres(cities: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lat = np.full(len(cities), np.nan)
    lon = np.full(len(cities), np.nan)
    for name, positions in cities.groupby(cities).indices.items():
        city = known_city(str(name))
        if city is not None:
            lat[positions] = city.latitude
            lon[positions] = city.longitude
    return lat, lon, ~np.isnan(lat)


def check_coordinates(
    lat: pd.Series,
    lon: pd.Series,
    cities: pd.Series,
    problems: Problems,
    *,
    lat_text: pd.Series,
    lon_text: pd.Series,
    lat_field: str,
    lon_field: str,
    swap_lat_lon: bool = False,
    city_limits: dict[str, object] | None = None,
    required: bool = True,
) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Validate WGS84 points; return ``(lat, lon, far_from_city)``.

    Parameters
    ----------
    lat, lon : Series of float
        Parsed values (NaN when empty).
    cities : Series
        City of each row (for swapped/far checks; unknown cities skip them).
    lat_text, lon_text : Series
        The source text shown in the report.
    swap_lat_lon : bool, keyword-only
        Fix rows that look swapped (with a warning) instead of rejecting them.
    city_limits : dict, optional
        City name -> shapely polygon of its limits (from the store).
    required : bool, keyword-only
        Whether a row without coordinates is rejected (incidents) or allowed
        (firearms).
    """
    lat = lat.copy()
    lon = lon.copy()
    shown = lat_text.fillna("").astype("string") + ", " + lon_text.fillna("").astype("string")
    la, lo = lat.to_numpy(dtype=float), lon.to_numpy(dtype=float)
    already_rejected = problems.rejected.copy()
    open_rows = np.ones(len(la), dtype=bool)

    def flag(mask: np.ndarray, reason: str, severity: str = "error") -> None:
        nonlocal open_rows
        mask = mask & open_rows
        problems.add(mask, f"{lat_field}/{lon_field}", shown, reason, severity)
        if severity == "error":
            open_rows = open_rows & ~mask

    missing = np.isnan(la) | np.isnan(lo)
    missing_text = lat_text.isna().to_numpy() | lon_text.isna().to_numpy()
    if required:
        flag(missing & missing_text, NO_COORDINATES)
    flag(missing & ~missing_text, "coordinate is NaN or not a number; no real location")
    flag(~missing & (np.isinf(la) | np.isinf(lo)), "coordinate is infinite; no real location")
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(la) & np.isfinite(lo)
        flag(finite & (la == 0) & (lo == 0), NULL_ISLAND)
        flag(
            finite & (np.abs(la) > 180) & (np.abs(lo) > 180),
            "numbers look like projected coordinates (metres or feet), not degrees; "
            "declare their CRS with [options] crs in the mapping",
        )
        c_lat, c_lon, has_centre = _city_centres(cities)
        as_is = haversine_km(la, lo, c_lat, c_lon)
        swapped_km = haversine_km(lo, la, c_lat, c_lon)
        # swapped only when the swapped pair is a valid point that lands near the row's (known) city;
        # latitude 91 in Detroit is out of range, not swapped (swapping would put it in Antarctica)
        swapped_valid = (np.abs(lo) <= 90) & (np.abs(la) <= 180)
        looks_swapped = finite & swapped_valid & has_centre & (swapped_km < SWAP_NEAR_KM) & (
            (np.abs(la) > 90) | (as_is > SWAP_NEAR_KM)
        )
    looks_swapped &= open_rows
    if swap_lat_lon:
        problems.add(
            looks_swapped, f"{lat_field}/{lon_field}", shown,
            "latitude and longitude looked swapped; swapped back as the mapping says (swap_lat_lon = true)",
            WARNING,
        )
        la, lo = np.where(looks_swapped, lo, la), np.where(looks_swapped, la, lo)
    else:
        flag(
            looks_swapped,
            "latitude and longitude look swapped; fix the source or set [options] swap_lat_lon = true",
        )
    with np.errstate(invalid="ignore"):
        flag(np.abs(la) > 90, "latitude outside -90..90")
        flag(np.abs(lo) > 180, "longitude outside -180..180")
    valid = open_rows & ~already_rejected & ~problems.rejected & np.isfinite(la) & np.isfinite(lo)
    far = _far_from_city(la, lo, cities, valid, city_limits or {})
    if far.any():
        limits = city_limits or {}
        names = cities.astype("string").fillna("").to_numpy(dtype=object)
        km = haversine_km(la, lo, c_lat, c_lon)
        reasons = np.full(len(la), "", dtype=object)
        for position in np.flatnonzero(far):
            name = names[position]
            where = (
                f"point lies outside the {name} city limits"
                if name in limits
                else f"point is {km[position]:.0f} km from the centre of {name} "
                f"(more than {FAR_FROM_CITY_KM:.0f} km)"
            )
            reasons[position] = where + "; kept and flagged far_from_city"
        problems.add(far, f"{lat_field}/{lon_field}", shown, reasons, WARNING)
    return pd.Series(la, index=lat.index), pd.Series(lo, index=lon.index), far


def _far_from_city(
    la: np.ndarray, lo: np.ndarray, cities: pd.Series, valid: np.ndarray, city_limits: dict[str, object]
) -> np.ndarray:
    import shapely

    far = np.full(len(la), False)
    for name, positions in cities.groupby(cities).indices.items():
        positions = positions[valid[positions]]
        if positions.size == 0:
            continue
        polygon = city_limits.get(str(name))
        if polygon is not None:
            far[positions] = ~shapely.contains_xy(polygon, lo[positions], la[positions])
            continue
        city = known_city(str(name))
        if city is None:
            continue
        km = haversine_km(la[positions], lo[positions], city.latitude, city.longitude)
        far[positions] = km > FAR_FROM_CITY_KM
    return far
