"""Which shootings leave casings, and which of them share a gun (a series).

A series is drawn as one gun used again and again by the same people: its
incidents sit around one hot spot of one city, a few weeks apart, and its
size is heavy-tailed (most series have 2-3 incidents, a few reach 10-30).
A few per cent of series take one or two incidents from a partner city
(the gun travelled).
"""

from __future__ import annotations

import numpy as np

from data import schema as S
from data.demo._places import PARTNER_CITIES
from data.demo.incidents import IncidentDraw
from geo.cities import DEFAULT_CITIES

# Probability that a scene leaves casings that get entered into NIBIN, by incident type.
CASING_SHARE: dict[str, float] = {
    "homicide": 0.70,
    "non_fatal_shooting": 0.62,
    "shots_fired": 0.80,
    "gunfire_alert": 0.55,
}
GUNS_AT_SCENE = (np.array([1, 2, 3]), np.array([0.82, 0.14, 0.04]))
SERIES_SIZES = np.arange(2, 31)
SERIES_SIZE_EXPONENT = 2.3  # P(size = k) ~ k ** -2.3
MEAN_GAP_DAYS = 35.0  # typical days between two shootings of one series
CROSS_CITY_BASE = 0.025
CROSS_CITY_PER_INCIDENT = 0.004
CROSS_CITY_MAX = 0.15


def draw_casings(rng: np.random.Generator, draw: IncidentDraw) -> np.ndarray:
    """Return the number of guns whose casings were entered, per incident (0 = none).

    Not every shooting leaves casings (revolvers, nothing recovered); a few
    scenes hold casings of two or three guns.
    """
    share = np.array([CASING_SHARE[name] for name in S.INCIDENT_TYPES])[draw.incident_type]
    has_casings = rng.random(share.size) < share
    guns = rng.choice(GUNS_AT_SCENE[0], size=share.size, p=GUNS_AT_SCENE[1])
    return np.where(has_casings, guns, 0).astype(np.int64)


def series_size_weights() -> np.ndarray:
    """Return P(size = k) for k in ``SERIES_SIZES`` (a truncated power law).

    Examples
    --------
    >>> weights = series_size_weights()
    >>> round(float(weights[:2].sum()), 2)  # sizes 2 and 3
    0.67
    """
    weights = SERIES_SIZES.astype(float) ** -SERIES_SIZE_EXPONENT
    return weights / weights.sum()


def _chunk_labels(rng: np.random.Generator, count: int) -> np.ndarray:
    """Cut ``count`` consecutive positions into heavy-tailed chunks; return chunk labels."""
    weights = series_size_weights()
    mean = float((SERIES_SIZES * weights).sum())
    sizes = rng.choice(SERIES_SIZES, size=int(count / mean * 1.2) + 16, p=weights)
    while sizes.sum() < count:
        sizes = np.concatenate([sizes, rng.choice(SERIES_SIZES, size=sizes.size, p=weights)])
    return np.searchsorted(np.cumsum(sizes), np.arange(count), side="right")


def form_series(
    rng: np.random.Generator, draw: IncidentDraw, eligible: np.ndarray, *, linked_share: float
) -> np.ndarray:
    """Group eligible incidents into series; return a series number per incident (-1 = none).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    draw : IncidentDraw
        The incidents.
    eligible : numpy.ndarray of bool
        Incidents whose casings were entered.
    linked_share : float, keyword-only
        Share of eligible incidents offered to series (a few end up alone).

    Returns
    -------
    numpy.ndarray of int64
        Series numbers ``0 .. n_series - 1``; members of one series share a
        city and a hot spot (before :func:`cross_city`).
    """
    count = draw.city.size
    series = np.full(count, -1, dtype=np.int64)
    offered = np.flatnonzero(eligible & (rng.random(count) < linked_share))
    if offered.size < 2:
        return series
    group = draw.city[offered] * 1_000 + draw.hotspot[offered]
    _, first, group_size = np.unique(group, return_inverse=True, return_counts=True)
    # A hot spot with too few offered incidents (small demos) pools them city-wide.
    group = np.where(group_size[first] < 4, draw.city[offered] * 1_000 + 999, group)
    _, group, group_size = np.unique(group, return_inverse=True, return_counts=True)
    span_days = max(1.0, float(draw.local_day.max() - draw.local_day.min()))
    lanes = np.maximum(1, np.rint(group_size * MEAN_GAP_DAYS / span_days)).astype(np.int64)
    lane = np.floor(rng.random(offered.size) * lanes[group]).astype(np.int64)
    order = np.lexsort((draw.occurred_ns[offered], lane, group))
    offered, key = offered[order], group[order] * (int(lanes.max()) + 1) + lane[order]
    chunk = _chunk_labels(rng, offered.size)
    new_piece = np.ones(offered.size, dtype=bool)
    new_piece[1:] = (key[1:] != key[:-1]) | (chunk[1:] != chunk[:-1])
    piece = np.cumsum(new_piece) - 1
    keep = np.bincount(piece)[piece] >= 2
    _, labels = np.unique(piece[keep], return_inverse=True)
    series[offered[keep]] = labels
    return series


def _partner_table() -> np.ndarray:
    names = [city.name for city in DEFAULT_CITIES]
    table = np.zeros((len(names), 2), dtype=np.int64)
    for index, name in enumerate(names):
        partners = PARTNER_CITIES[name]
        table[index] = [names.index(partners[0]), names.index(partners[-1])]
    return table


def cross_city(
    rng: np.random.Generator, draw: IncidentDraw, series: np.ndarray, eligible: np.ndarray
) -> np.ndarray:
    """Move one or two incidents of a few series to a partner city; return new series numbers.

    The moved member is swapped for the unlinked eligible incident of the
    partner city closest in time, so the series keeps its size and rhythm.
    Bigger series cross more often (they last longer).
    """
    series = series.copy()
    n_series = int(series.max()) + 1 if series.size else 0
    if n_series == 0:
        return series
    members = np.flatnonzero(series >= 0)
    members = members[np.argsort(series[members], kind="stable")]
    sizes = np.bincount(series[members], minlength=n_series)
    starts = np.cumsum(sizes) - sizes
    p_cross = np.minimum(CROSS_CITY_MAX, CROSS_CITY_BASE + CROSS_CITY_PER_INCIDENT * sizes)
    crossing = np.flatnonzero(rng.random(n_series) < p_cross)
    twice = crossing[(sizes[crossing] >= 6) & (rng.random(crossing.size) < 0.5)]
    request_series = np.concatenate([crossing, twice])
    offset = np.floor(rng.random(request_series.size) * sizes[request_series]).astype(np.int64)
    moved = members[starts[request_series] + offset]
    moved, first = np.unique(moved, return_index=True)
    request_series = request_series[first]
    partner = _partner_table()[draw.city[moved], rng.integers(0, 2, size=moved.size)]
    free = eligible & (series < 0)
    taken = np.zeros(series.size, dtype=bool)
    for city in range(len(DEFAULT_CITIES)):
        asks = np.flatnonzero(partner == city)
        pool = np.flatnonzero(free & (draw.city == city))
        if asks.size == 0 or pool.size == 0:
            continue
        pool = pool[np.argsort(draw.occurred_ns[pool], kind="stable")]
        position = np.searchsorted(draw.occurred_ns[pool], draw.occurred_ns[moved[asks]])
        candidate = pool[np.clip(position, 0, pool.size - 1)]
        candidate, first = np.unique(candidate, return_index=True)
        fresh = ~taken[candidate]
        candidate, asks = candidate[fresh], asks[first][fresh]
        taken[candidate] = True
        series[candidate] = request_series[asks]
        series[moved[asks]] = -1
    return series


def members_by_series(series: np.ndarray, occurred_ns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return member incidents sorted by (series, time) and each series' start offset.

    Examples
    --------
    >>> members, starts = members_by_series(np.array([1, -1, 0, 1, 0]), np.array([5, 1, 9, 2, 3]))
    >>> members.tolist(), starts.tolist()
    ([4, 2, 3, 0], [0, 2])
    """
    members = np.flatnonzero(series >= 0)
    members = members[np.lexsort((occurred_ns[members], series[members]))]
    sizes = np.bincount(series[members], minlength=int(series.max()) + 1 if members.size else 0)
    return members, np.cumsum(sizes) - sizes
