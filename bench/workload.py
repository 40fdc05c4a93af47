"""The filters a benchmark applies: varied city and date-range choices, as analysts make them."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from data import schema as S
from linking.filters import Filters

# window lengths an analyst picks: four weeks, a quarter, half a year, a year, two years
_WINDOW_DAYS: tuple[int, ...] = (28, 91, 182, 365, 730)


def data_date_range(incidents: pd.DataFrame) -> tuple[date, date]:
    """Return the first and last local date in the incidents (filters use local dates)."""
    column = S.LOCAL_DATE if S.LOCAL_DATE in incidents.columns else S.OCCURRED_AT
    values = pd.to_datetime(incidents[column])
    return values.min().date(), values.max().date()


def city_names(incidents: pd.DataFrame) -> list[str]:
    """Return the cities present in the data, most incidents first (ties by name)."""
    counts = incidents[S.CITY].astype("string").value_counts()
    return sorted(counts.index.tolist(), key=lambda name: (-int(counts[name]), str(name)))


def varied_filters(incidents: pd.DataFrame, *, count: int = 20, seed: int = 6) -> list[Filters]:
    """Return ``count`` city/date filters spread over the data, deterministic for a seed.

    Each filter keeps one to three cities (the first one always holds data)
    and a date window of four weeks to two years placed at random inside the
    data's range, as an analyst triaging a city's leads would choose them.

    Examples
    --------
    >>> frame = pd.DataFrame({S.CITY: ["Detroit", "Memphis"],
    ...     S.LOCAL_DATE: pd.to_datetime(["2019-01-01", "2021-12-31"])})
    >>> chosen = varied_filters(frame, count=3)
    >>> len(chosen), all(f.cities and f.date_from <= f.date_to for f in chosen)
    (3, True)
    """
    if incidents.empty:
        return [Filters()] * count
    first, last = data_date_range(incidents)
    cities = city_names(incidents)
    span = (last - first).days
    rng = np.random.default_rng(seed)
    chosen: list[Filters] = []
    for _ in range(count):
        how_many = int(rng.integers(1, min(3, len(cities)) + 1))
        picked = tuple(str(c) for c in rng.choice(cities, size=how_many, replace=False))
        window = min(int(rng.choice(_WINDOW_DAYS)), span)
        start = first + timedelta(days=int(rng.integers(0, span - window + 1)))
        chosen.append(Filters(cities=picked, date_from=start, date_to=start + timedelta(days=window)))
    return chosen


def median_index(sizes: list[int]) -> int:
    """Return the index of the median value (the lower middle one for an even count).

    Examples
    --------
    >>> median_index([50, 10, 30, 20])
    3
    """
    order = sorted(range(len(sizes)), key=lambda i: (sizes[i], i))
    return order[(len(order) - 1) // 2]
