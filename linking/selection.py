"""Apply :class:`~linking.filters.Filters` to the loaded frames: THE code path for screen, CLI and exports.

Order of work (each step touches only what the previous one kept, so a city +
date filter on a million incidents stays cheap):

1. incidents by city, local date range, type, caliber and agency;
2. links by status, with both ends among those incidents (a test-fire link
   is kept when its incident is in);
3. series = components of those links (:func:`linking.series.assign_series`)
   with at least ``min_series_size`` incidents; links of smaller components
   are dropped;
4. ``series_id`` and ``only_linked`` narrow the result last.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data import schema as S
from linking.filters import Filters
from linking.series import (
    counted_edges,
    empty_series_table,
    instants,
    link_positions,
    series_column,
    series_of_links,
    series_table,
)


@dataclass(frozen=True, eq=False)
class Selection:
    """What the analyst sees: filtered incidents and links, series membership and the series table.

    Attributes
    ----------
    incidents : DataFrame
        Filtered incidents with a ``series_id`` column (``<NA>`` when in no series).
    links : DataFrame
        Links whose status the filter counts, with both ends in ``incidents``
        and inside a kept series; test-fire links whose incident is in.
    series : DataFrame
        One row per series (:data:`linking.series.SERIES_COLUMNS`), newest activity first.
    filters : Filters
        The filter that produced this selection.
    dataset_version : str
        Version of the stored data it came from.
    firearms : DataFrame
        Recovered firearms that a kept test-fire link points at.
    boundaries : GeoDataFrame or None
        Boundary polygons of the selected cities (all when no city filter).
    is_synthetic : bool
        True when the data is generated demo data.
    today : date
        Reference date used for ``days_since_last``.
    """

    incidents: pd.DataFrame
    links: pd.DataFrame
    series: pd.DataFrame
    filters: Filters
    dataset_version: str
    firearms: pd.DataFrame
    boundaries: Any
    is_synthetic: bool = False
    today: date | None = None

    @property
    def incident_links(self) -> pd.DataFrame:
        """Links between two incidents (no test fires)."""
        return self.links[self.links[S.INCIDENT_B].notna()]

    def summary(self) -> str:
        """One line: counts of incidents, linked incidents, links by status and series."""
        linked = int(self.incidents[S.SERIES_ID].notna().sum()) if len(self.incidents) else 0
        statuses = self.incident_links[S.STATUS].astype("string").value_counts()
        by_status = ", ".join(f"{statuses.get(s, 0)} {s}" for s in self.filters.link_statuses)
        return (
            f"{len(self.incidents)} incidents ({linked} in series), {len(self.series)} series, "
            f"links: {by_status or 'none'}"
        )


def _local_dates(incidents: pd.DataFrame) -> pd.Series:
    if S.LOCAL_DATE in incidents.columns:
        return incidents[S.LOCAL_DATE]
    return incidents[S.OCCURRED_AT].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()


def _incident_mask(incidents: pd.DataFrame, filters: Filters) -> pd.Series:
    mask = pd.Series(True, index=incidents.index)
    if filters.cities:
        mask &= incidents[S.CITY].isin(filters.cities)
    if filters.date_from is not None or filters.date_to is not None:
        local = _local_dates(incidents)
        if filters.date_from is not None:
            mask &= local >= pd.Timestamp(filters.date_from)
        if filters.date_to is not None:
            mask &= local < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1)
    if filters.incident_types:
        mask &= incidents[S.INCIDENT_TYPE].isin(filters.incident_types)
    if filters.calibers:
        if S.CALIBER in incidents.columns:
            mask &= incidents[S.CALIBER].isin(filters.calibers)
        else:
            mask &= False
    if filters.agencies:
        mask &= incidents[S.AGENCY].isin(filters.agencies)
    return mask.fillna(False).astype(bool)


def _empty_like(frame: pd.DataFrame | None) -> pd.DataFrame:
    return frame.iloc[0:0].copy() if frame is not None else pd.DataFrame()


_Positions = tuple[np.ndarray, np.ndarray, np.ndarray, int]
_POSITION_CACHE: dict[tuple[int, int], tuple[weakref.ref, weakref.ref, _Positions]] = {}
_CACHE_LOCK = threading.Lock()


def _cached_link_positions(incidents: pd.DataFrame, links: pd.DataFrame) -> _Positions:
    """:func:`linking.series.link_positions`, remembered per (incidents, links) object pair.

    Frames are never mutated (the dashboard caches them), so the integer ends
    of every link are computed once per loaded dataset and reused by every
    filter change. Entries die with the frames they describe.
    """
    key = (id(incidents), id(links))
    with _CACHE_LOCK:
        hit = _POSITION_CACHE.get(key)
        if hit is not None and hit[0]() is incidents and hit[1]() is links:
            return hit[2]
    found = link_positions(incidents, links)
    with _CACHE_LOCK:
        for stale in [k for k, v in _POSITION_CACHE.items() if v[0]() is None or v[1]() is None]:
            del _POSITION_CACHE[stale]
        if len(_POSITION_CACHE) >= 4:
            _POSITION_CACHE.pop(next(iter(_POSITION_CACHE)))
        _POSITION_CACHE[key] = (weakref.ref(incidents), weakref.ref(links), found)
    return found


def _text_in(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    """Boolean per row of ``values``: is its text among the non-empty ``wanted`` texts (Arrow hash set)."""
    def arrow(column: pd.Series) -> pa.Array:
        array = pa.array(column.astype(str).astype("string").array)  # type: ignore[arg-type]
        return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array

    found = pc.is_in(arrow(values), value_set=arrow(wanted.dropna()).unique())
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False).astype(bool)


def _keeps_every_row(mask: np.ndarray) -> bool:
    """True when the boolean ``mask`` keeps every row (so no rows need taking)."""
    return bool(mask.all())


def filtered(frames: Any, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kept incidents (with ``series_id``) and links: all of :func:`select` but the series table.

    :func:`select` and :func:`linking.headline.count_headline` both start
    here, so the numbers of a period and its table always agree.
    """
    incidents: pd.DataFrame = frames.incidents
    links: pd.DataFrame = frames.links

    mask = _incident_mask(incidents, filters).to_numpy(dtype=bool)
    chosen_rows = np.flatnonzero(mask)
    # copy-on-write (pandas 3): a cut, or a shallow copy when nothing is cut, never writes through to frames
    chosen = incidents.copy(deep=False) if _keeps_every_row(mask) else incidents.iloc[chosen_rows]
    count = len(chosen_rows)
    series_index = np.full(count, -1, dtype=np.int64)
    names = np.empty(0, dtype=object)
    kept_links = _empty_like(links)
    if len(links) and filters.link_statuses and count:
        a_pos, b_pos, gun, n_guns = _cached_link_positions(incidents, links)
        status_ok = links[S.STATUS].isin(filters.link_statuses).to_numpy(dtype=bool)
        b_missing = links[S.INCIDENT_B].isna().to_numpy(dtype=bool)
        pair, test_fire = counted_edges(a_pos, b_pos, gun, b_missing, mask)
        pair &= status_ok
        test_fire &= status_ok
        remap = np.full(len(incidents) + 1, -1, dtype=np.int64)
        remap[chosen_rows] = np.arange(count)
        series_index, names = series_of_links(
            chosen[S.INCIDENT_ID], instants(chosen[S.OCCURRED_AT]),
            a_pos, b_pos, gun, n_guns, pair, test_fire, min_size=filters.min_series_size, node_of=remap,
        )  # fmt: skip
        wanted = series_index >= 0
        if filters.series_id:
            matches = np.flatnonzero(names == filters.series_id)
            wanted &= np.isin(series_index, matches)
        a_series_ok = np.append(wanted, False)[remap[a_pos]]
        if filters.series_id or filters.only_linked:
            keep_rows = (pair | test_fire) & a_series_ok
        else:
            keep_rows = (pair & a_series_ok) | test_fire
        kept_links = links.copy(deep=False) if _keeps_every_row(keep_rows) else links.loc[keep_rows]
    chosen[S.SERIES_ID] = series_column(series_index, names, chosen.index)
    if filters.series_id:
        chosen = chosen.loc[(chosen[S.SERIES_ID] == filters.series_id).fillna(False).to_numpy(dtype=bool)]
    if filters.only_linked:
        chosen = chosen.loc[chosen[S.SERIES_ID].notna().to_numpy(dtype=bool)]

    return chosen, kept_links


def select(frames: Any, filters: Filters, *, today: date | None = None) -> Selection:
    """Filter ``frames`` and compute series for what is left.

    Parameters
    ----------
    frames : data.frames.Frames
        Loaded data (``incidents``, ``links``, ``firearms``, ``boundaries``,
        ``dataset_version``, ``is_synthetic``). Never modified.
    filters : Filters
        What to keep.
    today : date, keyword-only
        Reference date for ``days_since_last``; default today's UTC date.

    Returns
    -------
    Selection
    """
    today = today or pd.Timestamp.now(tz="UTC").date()
    firearms: pd.DataFrame | None = getattr(frames, "firearms", None)
    chosen, kept_links = filtered(frames, filters)
    table = series_table(chosen, kept_links, today=today) if len(chosen) else empty_series_table()

    if firearms is not None and len(firearms) and len(kept_links) and S.FIREARM_ID in kept_links.columns:
        used_rows = _text_in(firearms[S.FIREARM_ID], kept_links[S.FIREARM_ID])
        kept_firearms = firearms.loc[used_rows].copy()
    else:
        kept_firearms = _empty_like(firearms)

    boundaries = getattr(frames, "boundaries", None)
    if boundaries is not None and filters.cities and S.CITY in getattr(boundaries, "columns", ()):
        boundaries = boundaries.loc[boundaries[S.CITY].isin(filters.cities).to_numpy(dtype=bool)]

    return Selection(
        incidents=chosen,
        links=kept_links,
        series=table,
        filters=filters,
        dataset_version=str(getattr(frames, "dataset_version", "")),
        firearms=kept_firearms,
        boundaries=boundaries,
        is_synthetic=bool(getattr(frames, "is_synthetic", False)),
        today=today,
    )
