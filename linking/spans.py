"""Spatial span of each series: the largest distance between two of its shootings.

Distances are measured in metres in a projected CRS: the measuring CRS of the
city of the series' first shooting (:mod:`geo.cities`), or the UTM zone of
that shooting for a city outside the registry. Small series compare every
pair; large ones compare the vertices of their convex hull, which holds the
farthest pair.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import ConvexHull, QhullError

from data import schema as S
from geo.cities import known_city

_PAIRWISE_LIMIT = 64


@lru_cache(maxsize=64)
def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs(S.STORAGE_CRS, crs, always_xy=True)


def _largest_distance(x: np.ndarray, y: np.ndarray) -> float:
    """Exact diameter of a point set (metres)."""
    points = np.column_stack([x, y])
    if len(points) > _PAIRWISE_LIMIT:
        try:
            points = points[ConvexHull(points).vertices]
        except QhullError:  # all on one line or one point: the extremes hold the answer
            picks = {
                int(np.argmin(x)), int(np.argmax(x)), int(np.argmin(y)), int(np.argmax(y)),
                int(np.argmin(x + y)), int(np.argmax(x + y)), int(np.argmin(x - y)), int(np.argmax(x - y)),
            }
            points = points[sorted(picks)]
    diff = points[:, None, :] - points[None, :, :]
    return float(np.sqrt((diff**2).sum(axis=2)).max())


def _pairwise_spans(keys: np.ndarray, x: np.ndarray, y: np.ndarray) -> pd.Series:
    """Largest distance between two points of each key, comparing every pair (for small groups).

    The pairs are index arithmetic on the points sorted by key: for a group of
    ``s`` points starting at ``b``, row ``r`` is paired with ``b .. b + s - 1``.

    Examples
    --------
    >>> _pairwise_spans(np.array(["a", "b", "a"]), np.array([0.0, 5.0, 3.0]), np.array([0.0, 5.0, 4.0]))
    a    5.0
    b    0.0
    dtype: float64
    """
    if not len(keys):
        return pd.Series(dtype=float)
    codes, names = pd.factorize(keys, sort=True)
    order = np.argsort(codes, kind="stable")
    codes, x, y = codes[order], x[order], y[order]
    group_size = np.bincount(codes)
    group_start = np.concatenate([[0], np.cumsum(group_size)[:-1]])
    per_row = group_size[codes]  # each row meets every row of its group
    first = np.repeat(np.arange(len(codes)), per_row)
    offset = np.arange(per_row.sum()) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    second = np.repeat(group_start[codes], per_row) + offset
    distance = np.hypot(x[first] - x[second], y[first] - y[second])
    pairs_per_group = group_size * group_size  # contiguous in ``distance``, group after group
    spans = np.maximum.reduceat(distance, np.cumsum(pairs_per_group) - pairs_per_group)
    return pd.Series(spans, index=names)


def series_span_km(members: pd.DataFrame, key: pd.Series) -> pd.Series:
    """Return the spatial span in km per series.

    Parameters
    ----------
    members : DataFrame
        Incidents in series, with longitude, latitude, occurred_at and city.
    key : Series
        Series id per row of ``members``.

    Examples
    --------
    >>> members = pd.DataFrame({S.CITY: ["Detroit", "Detroit"], S.LONGITUDE: [-83.10, -83.00],
    ...     S.LATITUDE: [42.36, 42.36],
    ...     S.OCCURRED_AT: pd.to_datetime(["2019-01-01", "2019-02-01"], utc=True)})
    >>> round(float(series_span_km(members, pd.Series(["S-1", "S-1"])).loc["S-1"]), 1)
    8.2

    Without a city column the UTM zone of the first shooting measures it:

    >>> round(float(series_span_km(members.drop(columns=S.CITY), pd.Series(["S-1", "S-1"])).loc["S-1"]), 1)
    8.2
    """
    from linking.series import instants

    frame = pd.DataFrame(
        {
            "k": key.to_numpy(),
            "lon": pd.to_numeric(members[S.LONGITUDE], errors="coerce").to_numpy(dtype=float),
            "lat": pd.to_numeric(members[S.LATITUDE], errors="coerce").to_numpy(dtype=float),
            "at": instants(members[S.OCCURRED_AT]),
            "city": members[S.CITY].astype(object).to_numpy() if S.CITY in members.columns else None,
        }
    )
    frame = frame[np.isfinite(frame["lon"]) & np.isfinite(frame["lat"])]
    if frame.empty:
        return pd.Series(dtype=float)
    first = frame.sort_values(["k", "at"], kind="stable").drop_duplicates("k")
    known = {
        str(c): registered.measure_crs
        for c in first["city"].dropna().unique()
        if (registered := known_city(str(c))) is not None
    }
    crs = first["city"].astype(object).map(known).astype(object)  # object: UTM codes are filled in below
    missing = crs.isna().to_numpy()
    if missing.any():
        zone = np.clip(np.floor((first["lon"].to_numpy()[missing] + 180.0) / 6.0) + 1, 1, 60).astype(int)
        base = np.where(first["lat"].to_numpy()[missing] >= 0, 32600, 32700)
        crs.iloc[np.flatnonzero(missing)] = [f"EPSG:{b + z}" for b, z in zip(base, zone, strict=True)]
    frame["crs"] = frame["k"].map(pd.Series(crs.to_numpy(), index=first["k"].to_numpy()))
    frame["x"] = 0.0
    frame["y"] = 0.0
    for crs, index in frame.groupby("crs").groups.items():
        lon = frame.loc[index, "lon"].to_numpy()
        lat = frame.loc[index, "lat"].to_numpy()
        x, y = _transformer(str(crs)).transform(lon, lat)
        frame.loc[index, "x"] = x
        frame.loc[index, "y"] = y
    sizes = frame.groupby("k")["k"].transform("size")
    small = frame[sizes <= _PAIRWISE_LIMIT]
    spans = _pairwise_spans(small["k"].to_numpy(), small["x"].to_numpy(), small["y"].to_numpy())
    large = frame[sizes > _PAIRWISE_LIMIT]
    if not large.empty:
        extra = {
            k: _largest_distance(group["x"].to_numpy(), group["y"].to_numpy())
            for k, group in large.groupby("k")
        }
        spans = pd.concat([spans, pd.Series(extra, dtype=float)])
    return spans / 1000.0
