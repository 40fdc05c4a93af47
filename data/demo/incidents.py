"""Synthetic shootings: how many, when (season, weekday, hour) and what kind.

Times are drawn as local wall-clock times of each city and converted to UTC.
Incident ids are ``<CITY CODE>-<YY>-<sequence>`` with the sequence in time
order within a city-year, zero-padded to one width for the whole data set,
so sorting the ids sorts by city code, then time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import schema as S
from data.demo._places import AGENCIES
from data.demo.geography import block_addresses, place_points
from geo.cities import DEFAULT_CITIES, City

YEARS: tuple[int, ...] = (2019, 2020, 2021)
# Shootings rose sharply in 2020 and stayed high in 2021; the mean factor is 1.
YEAR_FACTORS: tuple[float, ...] = (0.85, 1.05, 1.10)
NS_PER_DAY = 86_400 * 10**9
NS_PER_MINUTE = 60 * 10**9

# Relative shootings by local hour (night peak, morning trough).
HOUR_WEIGHTS = np.array(
    [8.0, 7.2, 6.2, 4.6, 3.2, 2.2, 1.6, 1.3, 1.3, 1.5, 1.8, 2.2,
     2.6, 3.0, 3.3, 3.6, 4.0, 4.5, 5.2, 6.0, 7.0, 8.0, 8.8, 8.8]
)  # fmt: skip
WEEKDAY_WEIGHTS = np.array([0.92, 0.90, 0.90, 0.95, 1.08, 1.30, 1.30])  # Monday .. Sunday
SEASONAL_AMPLITUDE = 0.35  # summer peak around 15 July
TYPE_SHARES = {"homicide": 0.14, "non_fatal_shooting": 0.50, "shots_fired": 0.36}
OTHER_AGENCY_SHARE = 0.05


@dataclass(frozen=True)
class IncidentDraw:
    """The incidents frame plus the arrays the ballistics generator builds on.

    Row ``i`` of every array is row ``i`` of ``frame``; rows are in incident-id
    order, so ``i < j`` exactly when ``incident_id[i] < incident_id[j]``.
    """

    frame: pd.DataFrame
    city: np.ndarray  # int index into DEFAULT_CITIES
    occurred_ns: np.ndarray  # int64 nanoseconds since the epoch, UTC
    local_ns: np.ndarray  # int64 local wall-clock time as nanoseconds since 1970-01-01 (naive)
    local_day: np.ndarray  # int64 days since 1970-01-01 of the local calendar date
    hotspot: np.ndarray  # int hot-spot index within the city
    incident_type: np.ndarray  # int index into S.INCIDENT_TYPES


def city_order() -> list[int]:
    """Indexes of ``DEFAULT_CITIES`` sorted by incident-id code (so ids sort by row)."""
    return sorted(range(len(DEFAULT_CITIES)), key=lambda i: AGENCIES[DEFAULT_CITIES[i].name].code)


def plan_counts(incidents: int | None) -> np.ndarray:
    """Return incidents per city (rows, ``DEFAULT_CITIES`` order) and year (columns).

    Parameters
    ----------
    incidents : int or None
        ``None`` for realistic volumes (``shootings_per_year`` of each city,
        shaped by the 2020-2021 rise); a number spreads exactly that many over
        the same mix of cities and years (largest-remainder rounding).

    Examples
    --------
    >>> int(plan_counts(None).sum())
    18209
    >>> counts = plan_counts(1000)
    >>> int(counts.sum()), counts.shape
    (1000, (7, 3))
    """
    per_year = np.array([city.shootings_per_year for city in DEFAULT_CITIES], dtype=float)
    expected = per_year[:, None] * np.array(YEAR_FACTORS)[None, :]
    if incidents is None:
        return np.rint(expected).astype(np.int64)
    share = expected.ravel() / expected.sum() * incidents
    counts = np.floor(share).astype(np.int64)
    remainder = incidents - int(counts.sum())
    if remainder:
        counts[np.argsort(-(share - counts), kind="stable")[:remainder]] += 1
    return counts.reshape(expected.shape)


def _day_weights(year: int) -> tuple[np.ndarray, int]:
    first = (np.datetime64(f"{year}-01-01") - np.datetime64("1970-01-01")).astype(np.int64)
    days = int((np.datetime64(f"{year + 1}-01-01") - np.datetime64(f"{year}-01-01")).astype(np.int64))
    day_of_year = np.arange(days)
    seasonal = 1.0 + SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (day_of_year - 196) / 365.25)
    weekday = WEEKDAY_WEIGHTS[(first + day_of_year + 3) % 7]  # 1970-01-01 was a Thursday
    weights = seasonal * weekday
    weights[[0, 184, 185]] *= 2.0  # New Year's Day, 4 and 5 July (+1 in a leap year is close enough)
    return weights / weights.sum(), int(first)


def _local_times(rng: np.random.Generator, year: int, count: int) -> np.ndarray:
    """Naive local wall-clock times as int64 nanoseconds, sorted."""
    weights, first = _day_weights(year)
    day = rng.choice(weights.size, size=count, p=weights)
    hour = rng.choice(24, size=count, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    minute = rng.integers(0, 60, size=count)
    local = (first + day) * NS_PER_DAY + hour * 60 * NS_PER_MINUTE + minute * NS_PER_MINUTE
    return np.sort(local)


def _to_utc(local_ns: np.ndarray, time_zone: str) -> np.ndarray:
    naive = pd.DatetimeIndex(local_ns.astype("datetime64[ns]"))
    aware = naive.tz_localize(
        time_zone, ambiguous=np.ones(local_ns.size, dtype=bool), nonexistent="shift_forward"
    )
    return aware.tz_convert("UTC").asi8


def _types(rng: np.random.Generator, city: City, count: int) -> np.ndarray:
    alert = AGENCIES[city.name].gunfire_alert_share
    shares = [share * (1.0 - alert) for share in TYPE_SHARES.values()] + [alert]
    return rng.choice(len(S.INCIDENT_TYPES), size=count, p=shares)


def _casualties(rng: np.random.Generator, types: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    count = types.size
    homicide = types == S.INCIDENT_TYPES.index("homicide")
    wounded = types == S.INCIDENT_TYPES.index("non_fatal_shooting")
    extra_killed = (rng.random(count) < 0.10).astype(np.int64) + (rng.random(count) < 0.02)
    killed = np.where(homicide, 1 + extra_killed, 0)
    injured_if_wounded = rng.choice([1, 2, 3, 4], size=count, p=[0.80, 0.14, 0.04, 0.02])
    injured = np.where(wounded, injured_if_wounded, np.where(homicide, rng.poisson(0.25, count), 0))
    return killed.astype(np.int64), injured.astype(np.int64)


def _padded(prefix: pd.Series | str, numbers: np.ndarray, width: int) -> pd.Series:
    return prefix + pd.Series(numbers).astype(str).str.zfill(width)


def generate_incidents(seed: np.random.SeedSequence, counts: np.ndarray) -> IncidentDraw:
    """Draw every incident of the demo.

    Parameters
    ----------
    seed : numpy.random.SeedSequence
        Seed of this stage (one child generator per city).
    counts : numpy.ndarray
        Output of :func:`plan_counts`.

    Returns
    -------
    IncidentDraw
        The incidents frame (schema columns, store dtypes) and helper arrays.
    """
    width = max(6, len(str(int(counts.max()))))
    order = city_order()
    children = seed.spawn(len(DEFAULT_CITIES))
    parts: dict[str, list[np.ndarray]] = {
        key: [] for key in ("city", "local", "utc", "year", "seq", "type", "lon", "lat", "hotspot")
    }
    for index in order:
        city = DEFAULT_CITIES[index]
        rng = np.random.default_rng(children[index])
        for column, year in enumerate(YEARS):
            count = int(counts[index, column])
            local = _local_times(rng, year, count)
            parts["city"].append(np.full(count, index))
            parts["local"].append(local)
            parts["utc"].append(_to_utc(local, city.time_zone))
            parts["year"].append(np.full(count, year % 100))
            parts["seq"].append(np.arange(1, count + 1))
            parts["type"].append(_types(rng, city, count))
        total = int(counts[index].sum())
        lon, lat, hotspot = place_points(rng, city.name, total)
        parts["lon"].append(lon)
        parts["lat"].append(lat)
        parts["hotspot"].append(hotspot)
    joined = {key: np.concatenate(value) if value else np.empty(0) for key, value in parts.items()}
    rng = np.random.default_rng(seed.spawn(1)[0])
    city_index = joined["city"].astype(np.int64)
    types = joined["type"].astype(np.int64)
    killed, injured = _casualties(rng, types)

    codes = np.array([AGENCIES[c.name].code for c in DEFAULT_CITIES], dtype=object)
    year_text = pd.Series(joined["year"].astype(np.int64)).astype(str).str.zfill(2)
    incident_id = _padded(pd.Series(codes[city_index]) + "-" + year_text + "-", joined["seq"], width)
    other = rng.random(city_index.size) < OTHER_AGENCY_SHARE
    agency = np.where(
        other,
        np.array([AGENCIES[c.name].other_agency for c in DEFAULT_CITIES], dtype=object)[city_index],
        np.array([AGENCIES[c.name].agency for c in DEFAULT_CITIES], dtype=object)[city_index],
    )
    prefixes = np.array([AGENCIES[c.name].case_prefix for c in DEFAULT_CITIES], dtype=object)
    case_number = _padded(pd.Series(prefixes[city_index]) + year_text + "-", joined["seq"] + 100_000, width)

    address = pd.Series(pd.NA, index=range(city_index.size), dtype="string")
    for index, city in enumerate(DEFAULT_CITIES):
        rows = np.flatnonzero(city_index == index)
        address.iloc[rows] = block_addresses(
            joined["lon"][rows], joined["lat"][rows], centre_lon=city.longitude, centre_lat=city.latitude
        ).to_numpy()

    names = np.array([c.name for c in DEFAULT_CITIES], dtype=object)
    missing = pd.array([pd.NA] * city_index.size, dtype="string")
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: incident_id.astype("string"),
            S.CITY: pd.Categorical.from_codes(city_index, categories=list(names)),
            S.STATE: pd.array(np.array([c.state for c in DEFAULT_CITIES], dtype=object)[city_index],
                              dtype="string"),
            S.OCCURRED_AT: pd.to_datetime(joined["utc"].astype(np.int64), unit="ns", utc=True),
            S.LATITUDE: joined["lat"].astype(float),
            S.LONGITUDE: joined["lon"].astype(float),
            S.INCIDENT_TYPE: pd.Categorical.from_codes(types, categories=list(S.INCIDENT_TYPES)),
            S.KILLED: killed,
            S.INJURED: injured,
            S.AGENCY: pd.array(agency, dtype="string"),
            S.CASE_NUMBER: case_number.astype("string"),
            S.ADDRESS: address,
            S.NARRATIVE: missing,
            S.DISTRICT: missing.copy(),
            S.NEIGHBOURHOOD: missing.copy(),
            S.TIME_ZONE: pd.array(
                np.array([c.time_zone for c in DEFAULT_CITIES], dtype=object)[city_index], dtype="string"
            ),
            S.IS_SYNTHETIC: np.ones(city_index.size, dtype=bool),
        }
    )
    return IncidentDraw(
        frame=frame[list(S.INCIDENT_SCHEMA.names)],
        city=city_index,
        occurred_ns=joined["utc"].astype(np.int64),
        local_ns=joined["local"].astype(np.int64),
        local_day=(joined["local"].astype(np.int64) // NS_PER_DAY),
        hotspot=joined["hotspot"].astype(np.int64),
        incident_type=types,
    )
