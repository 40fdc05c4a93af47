"""Apply :class:`~linking.filters.Filters` to the loaded frames: THE code path for screen, CLI and exports.

Filters select series, they do not cut them. Series come from the whole
store with their stable ids (:mod:`linking.registry`, ``Frames.series``):

1. incidents by city, local date range, type, caliber and agency (``in_filter``);
2. a series is in view when at least one of its shootings matches, it has
   ``min_series_size`` shootings or more and a link of a counted status;
   it is then kept whole: its shootings outside the filter come too, marked
   ``in_filter = False``. Unlinked incidents follow the filter;
3. links by status with both ends kept (a test-fire link when its incident is);
4. ``series_id`` (following merges) and ``only_linked`` narrow the result to series members.

With ``Filters.cut_to_window`` only the matching shootings are kept, and a
series is in view when ``min_series_size`` of them match (its id stays the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from linking.counting import count_links
from linking.filters import Filters
from linking.registry import SERIES_STATUSES, LinkEnds, SeriesIndex, series_index_of
from linking.series import empty_series_table, series_column, series_table


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
    link_ends : LinkEnds
        Integer ends of every row of ``links`` as rows of ``incidents`` (-1 when empty).
    series_index : SeriesIndex
        The series of the whole store this selection was cut from (ids, merges).
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
    link_ends: LinkEnds | None = field(default=None, repr=False)
    series_index: SeriesIndex | None = field(default=None, repr=False)

    @property
    def incident_links(self) -> pd.DataFrame:
        """Links between two incidents (no test fires)."""
        return self.links[self.links[S.INCIDENT_B].notna()]

    def summary(self) -> str:
        """One line: incidents, linked incidents, series, links by status (:mod:`linking.counting`)."""
        linked = int(self.incidents[S.SERIES_ID].notna().sum()) if len(self.incidents) else 0
        counted = count_links(self.links)
        numbers = {"lead": counted.leads, "hit": counted.hits, "pending": counted.pending,
                   "excluded": counted.excluded}  # fmt: skip
        by_status = ", ".join(f"{numbers[s]} {s}" for s in self.filters.link_statuses)
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


@dataclass(frozen=True, eq=False)
class _View:
    """Rows of the whole frames that one filter keeps (all integer positions)."""

    rows: np.ndarray  # incident rows kept
    in_filter: np.ndarray  # per kept row: it matches the filter itself
    link_rows: np.ndarray  # link rows kept
    in_view: np.ndarray  # per series number: the series is in view
    in_filter_count: np.ndarray  # per series number: its shootings matching the filter
    series: SeriesIndex


def _view(frames: Any, filters: Filters) -> _View:
    """Which incidents, links and series ``filters`` keeps (see the module docstring)."""
    index = series_index_of(frames)
    incidents, links = frames.incidents, frames.links
    mask = _incident_mask(incidents, filters).to_numpy(dtype=bool)
    code = index.code
    total = len(index.names)
    in_series = code >= 0
    in_filter_count = np.bincount(code[mask & in_series], minlength=total).astype(np.int64)
    ends = index.ends
    status_ok = np.zeros(len(links), dtype=bool)
    if len(links) and filters.link_statuses:
        statuses = links[S.STATUS].astype("string")
        status_ok = statuses.isin(filters.link_statuses).fillna(False).to_numpy(dtype=bool)
    a_code = np.append(code, -1)[ends.incident_a]
    b_code = np.append(code, -1)[ends.incident_b]
    with_status = np.bincount(a_code[status_ok & (a_code >= 0)], minlength=total) > 0
    size = in_filter_count if filters.cut_to_window else index.sizes
    in_view = (in_filter_count > 0) & (size >= filters.min_series_size) & with_status
    if filters.series_id:
        wanted = np.zeros(total, dtype=bool)
        try:
            live, _ = index.resolve(filters.series_id)
            number = index.number_of(live)
            if number is not None:
                wanted[number] = True
        except LookupError:
            pass
        in_view &= wanted
    member = np.append(in_view, False)[code]  # -1 takes the appended False
    narrowed = bool(filters.series_id) or filters.only_linked
    if filters.cut_to_window:
        keep = mask & member if narrowed else mask
    else:
        keep = member if narrowed else mask | member
    rows = np.flatnonzero(keep)
    inside = np.append(keep, False)
    b_missing = links[S.INCIDENT_B].isna().to_numpy(dtype=bool) if len(links) else np.zeros(0, dtype=bool)
    test_fire = b_missing & (ends.firearm >= 0)
    view_or_none = np.append(in_view, True)  # code -1 (in no series) is never excluded
    series_ok = view_or_none[a_code] & (view_or_none[b_code] | test_fire)
    if narrowed:
        series_ok &= a_code >= 0
    kept = status_ok & inside[ends.incident_a] & (inside[ends.incident_b] | test_fire) & series_ok
    kept &= ends.incident_a != ends.incident_b
    return _View(
        rows=rows, in_filter=mask[rows], link_rows=np.flatnonzero(kept), in_view=in_view,
        in_filter_count=in_filter_count, series=index,
    )  # fmt: skip


def _take(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """Rows of ``frame`` by position; a shallow copy when every row is kept (never writes through)."""
    if len(rows) == len(frame):
        return frame.copy(deep=False)
    return frame.iloc[rows]


def _cut(frames: Any, view: _View) -> tuple[pd.DataFrame, pd.DataFrame, LinkEnds]:
    """The kept incidents (with ``series_id`` and ``in_filter``), links and their ends."""
    index = view.series
    chosen = _take(frames.incidents, view.rows)
    named = np.where(np.append(view.in_view, False)[index.code[view.rows]], index.code[view.rows], -1)
    chosen[S.SERIES_ID] = series_column(named, index.names, chosen.index)
    chosen[S.IN_FILTER] = view.in_filter
    links = _take(frames.links, view.link_rows)
    ends = index.ends.take(view.link_rows, view.rows, len(frames.incidents))
    return chosen, links, ends


def filtered(frames: Any, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kept incidents (with ``series_id``, ``in_filter``) and links: all of :func:`select` but the table.

    :func:`select` and :func:`linking.headline.count_headline` both start
    here, so the numbers of a period and its table always agree.
    """
    chosen, links, _ = _cut(frames, _view(frames, filters))
    return chosen, links


def _series_rows(view: _View, chosen: pd.DataFrame, links: pd.DataFrame, ends: LinkEnds,
                 filters: Filters, today: date) -> pd.DataFrame:  # fmt: skip
    """The view's series table: rows of the whole table, or counted again when the filter changes counts."""
    index = view.series
    numbers = np.flatnonzero(view.in_view)
    if not len(numbers):
        table = empty_series_table()
        table[S.IN_FILTER] = pd.Series(dtype="int64")
        return table
    whole_counts = set(filters.link_statuses) == set(SERIES_STATUSES)
    if whole_counts and not filters.cut_to_window:
        table = index.table.iloc[np.sort(index.table_row[numbers])].reset_index(drop=True)
        table[S.DAYS_SINCE_LAST] = (pd.Timestamp(today) - table[S.LAST_DATE]).dt.days.astype("int64")
    else:
        table = series_table(chosen, links, today=today, ends=ends)
    number_of = pd.Index(index.names.astype(str)).get_indexer(table[S.SERIES_ID].astype(str))
    table[S.IN_FILTER] = view.in_filter_count[number_of]
    return table


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
    view = _view(frames, filters)
    chosen, kept_links, ends = _cut(frames, view)
    table = _series_rows(view, chosen, kept_links, ends, filters, today)

    if firearms is not None and len(firearms) and len(kept_links) and S.FIREARM_ID in kept_links.columns:
        used = kept_links[S.FIREARM_ID].dropna().astype(str).unique()
        used_rows = firearms[S.FIREARM_ID].astype(str).isin(used).to_numpy(dtype=bool)
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
        link_ends=ends,
        series_index=view.series,
    )
