"""The headline numbers of a filter: incidents, linked share, series, leads, hits, cross-city series.

:func:`headline` reads them off a :class:`~linking.selection.Selection`;
:func:`count_headline` counts them for a filter without building the series
table (spans, paths, joined texts), which is most of the cost of
:func:`~linking.selection.select` on a large period. The dashboard uses it
for the period before the one on screen, where only the numbers are shown.
Both start from :func:`linking.selection.filtered`, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from linking.counting import count_links
from linking.filters import Filters
from linking.selection import Selection, filtered
from linking.table_columns import joined_unique


@dataclass(frozen=True)
class Headline:
    """The numbers at the top of the page for one filter."""

    incidents: int
    linked: int
    series: int
    leads: int
    hits: int
    cross_city_series: int

    @property
    def linked_share(self) -> float:
        """Share of the incidents that belong to a series (0 when there are none)."""
        return self.linked / self.incidents if self.incidents else 0.0


def _status_counts(links: pd.DataFrame) -> tuple[int, int]:
    counted = count_links(links)
    return counted.leads, counted.hits


def _matching(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents that match the filter themselves (not the rest of their series)."""
    if S.IN_FILTER not in incidents.columns:
        return incidents
    return incidents[incidents[S.IN_FILTER].to_numpy(dtype=bool)]


def headline(selection: Selection) -> Headline:
    """Count what the overview shows for one selection.

    Incidents are the incidents matching the filter (``in_filter``; whole
    series bring in shootings outside it, which are not counted here),
    "linked" those of them in a series, leads and hits the links of the
    selection by the one rule of :mod:`linking.counting` (so they equal the
    sums of the series table's columns).
    """
    incidents, series = _matching(selection.incidents), selection.series
    leads, hits = _status_counts(selection.links)
    return Headline(
        incidents=len(incidents),
        linked=int(incidents[S.SERIES_ID].notna().sum()) if len(incidents) else 0,
        series=len(series),
        leads=leads,
        hits=hits,
        cross_city_series=int(series[S.CROSS_CITY].fillna(False).astype(bool).sum()) if len(series) else 0,
    )


def count_headline(frames: Any, filters: Filters) -> Headline:
    """The same numbers as ``headline(select(frames, filters))``, without the series table.

    Examples
    --------
    >>> from data.frames import empty_frames
    >>> count_headline(empty_frames(), Filters())
    Headline(incidents=0, linked=0, series=0, leads=0, hits=0, cross_city_series=0)
    """
    everything, links = filtered(frames, filters)
    incidents = _matching(everything)
    members = everything[everything[S.SERIES_ID].notna().to_numpy(dtype=bool)]
    leads, hits = _status_counts(links)
    series = cross_city = 0
    if len(members):
        key, names = pd.factorize(members[S.SERIES_ID].astype("string"))
        series = len(names)
        if S.CITY in members.columns:  # as the series table's ``cross_city``: two or more named cities
            cities = joined_unique(members[S.CITY], pd.Series(np.asarray(key, dtype=np.int64)))
            cross_city = int(cities.str.contains("; ", regex=False).sum())
    return Headline(
        incidents=len(incidents),
        linked=int(incidents[S.SERIES_ID].notna().sum()),
        series=series,
        leads=leads,
        hits=hits,
        cross_city_series=cross_city,
    )
