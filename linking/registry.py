"""Series over the whole store, with stable ids: computed once per dataset version, kept in the store.

:func:`whole_series` computes the series of every incident (lead and hit
links, test fires joining through their firearm) and names them from the
previous registry (:func:`linking._reconcile.reconcile`, the rule written in
SCHEMA.md). :func:`stable_series` does it for a store: it reads the stored
registry, and writes the new one when the dataset version changed, so an id
never depends on a filter and survives imports of unrelated data.

The result, a :class:`SeriesIndex`, travels on ``Frames.series``;
:func:`linking.selection.select` reads it to select whole series.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from data.errors import BrassmapError
from data.series_registry import empty_registry, read_registry, registry_version, write_registry
from data.series_snapshot import read_series_parts, write_series_parts
from linking._reconcile import _blank, reconcile
from linking.codes import positions
from linking.series import (
    counted_edges,
    firearm_numbers,
    instants,
    series_column,
    series_of_links,
    series_table,
)

SERIES_STATUSES: tuple[str, ...] = S.DEFAULT_LINK_STATUSES
"""Link statuses that make series (an excluded or pending link joins nothing)."""


class UnknownSeriesError(BrassmapError, LookupError):
    """A series id that was never given, or that no longer names a series (the message says which)."""


@dataclass(frozen=True, eq=False)
class LinkEnds:
    """Integer ends of every link row of a frames object.

    ``incident_a``/``incident_b`` are rows in its incidents (-1 when empty or
    unknown); ``firearm`` is a firearm number per row (-1 when none) out of ``firearms``.
    """

    incident_a: np.ndarray
    incident_b: np.ndarray
    firearm: np.ndarray
    firearms: int

    def take(self, rows: np.ndarray, incident_rows: np.ndarray, incident_count: int) -> LinkEnds:
        """Ends of link ``rows`` as rows of the subset ``incident_rows`` of ``incident_count`` incidents."""
        remap = np.full(incident_count + 1, -1)
        remap[incident_rows] = np.arange(len(incident_rows))
        return LinkEnds(
            remap[self.incident_a[rows]], remap[self.incident_b[rows]], self.firearm[rows], self.firearms
        )


def link_ends_of(frames: Any) -> LinkEnds:
    """Integer link ends of ``frames``: its load-time ``link_rows`` when it has them, else matched ids."""
    incidents, links = frames.incidents, frames.links
    loaded = getattr(frames, "link_rows", None)
    if loaded is not None and len(loaded.incident_a) == len(links):
        a_pos, b_pos = loaded.incident_a, loaded.incident_b  # int64, like positions()
    else:
        a_pos, b_pos = positions(incidents[S.INCIDENT_ID], links[S.INCIDENT_A], links[S.INCIDENT_B])
    return LinkEnds(a_pos, b_pos, *firearm_numbers(links))


@dataclass(frozen=True, eq=False)
class SeriesIndex:
    """Every series of one dataset version, with its stable id (never mutate; it is shared).

    Attributes
    ----------
    code : ndarray
        Series number of each incident row (-1 when in no series).
    names : ndarray
        Series id per number.
    sizes : ndarray
        Shootings per series number.
    link_code : ndarray
        Series number of each link row that makes series (-1 for the others).
    ends : LinkEnds
        Integer ends of every link row.
    table : DataFrame
        The whole series table (:data:`linking.series.SERIES_COLUMNS`), newest activity first.
    table_row : ndarray
        Row of ``table`` per series number.
    registry : DataFrame
        Every id ever given, live or retired (:data:`data.series_registry.REGISTRY_COLUMNS`).
    dataset_version : str
    """

    code: np.ndarray
    names: np.ndarray
    sizes: np.ndarray
    link_code: np.ndarray
    ends: LinkEnds
    table: pd.DataFrame
    table_row: np.ndarray
    registry: pd.DataFrame
    dataset_version: str

    def number_of(self, series_id: str) -> int | None:
        """Series number of a live id (``None`` when it is not live)."""
        found = np.flatnonzero(self.names == series_id)
        return int(found[0]) if len(found) else None

    def resolve(self, series_id: str) -> tuple[str, dict[str, Any] | None]:
        """The live id ``series_id`` names now, and its registry record when it was retired.

        Raises
        ------
        UnknownSeriesError
            The id was never given, or its series dissolved (the message says when).
        """
        wanted = str(series_id).strip()
        if self.number_of(wanted) is not None:
            return wanted, None
        rows = self.registry[self.registry["series_id"].astype(str) == wanted]
        if rows.empty:
            raise UnknownSeriesError(
                f"series {wanted!r} is not known in this store (dataset {self.dataset_version}); "
                "series ids look like S-<first incident id>: list them with `python -m linking series`"
            )
        record = rows.iloc[0].to_dict()
        target = record.get("merged_into")
        if _blank(target) or self.number_of(str(target)) is None:
            history = "" if _blank(record.get("history")) else f" ({record['history']})"
            raise UnknownSeriesError(f"series {wanted!r} no longer names a series{history}")
        return str(target), record


def series_components(frames: Any, ends: LinkEnds) -> tuple[np.ndarray, np.ndarray]:
    """Series number per incident row and per link row (lead and hit links, test fires through firearms).

    The connected components of every incident, as :func:`whole_series` computes them at load
    from the load-time ``ends`` (:func:`link_ends_of`); -1 for an incident or link in no series.
    """
    incidents, links = frames.incidents, frames.links
    status_ok = links[S.STATUS].astype("string").isin(SERIES_STATUSES).to_numpy()  # no status: False
    b_missing = links[S.INCIDENT_B].isna().to_numpy()
    pair, test_fire = counted_edges(ends.incident_a, ends.incident_b, ends.firearm, b_missing,
                                    np.ones(len(incidents), dtype=bool))  # fmt: skip
    pair &= status_ok
    test_fire &= status_ok
    code, _ = series_of_links(
        incidents[S.INCIDENT_ID], instants(incidents[S.OCCURRED_AT]), ends.incident_a, ends.incident_b,
        ends.firearm, ends.firearms, pair, test_fire, min_size=2,
    )  # fmt: skip
    counted = pair | test_fire
    link_code = np.full(len(links), -1)
    link_code[counted] = code[ends.incident_a[counted]]  # a counted row's first end is an incident
    return code, link_code


def whole_series(
    frames: Any,
    previous: pd.DataFrame | None = None,
    *,
    today: date | None = None,
    registry_day: date | None = None,
) -> SeriesIndex:
    """Series of all of ``frames``, named from the ``previous`` registry (none: every id is new).

    Parameters
    ----------
    frames : data.frames.Frames
        The whole store, loaded. Never modified.
    previous : DataFrame, optional
        The registry of an earlier dataset version (or of this one: the same ids come back).
    today : date, keyword-only
        Reference for ``days_since_last`` in the table (default: today, UTC).
    registry_day : date, keyword-only
        Date written in merge and split notes (default: today, UTC).
    """
    now = pd.Timestamp.now(tz="UTC").date()
    ends = link_ends_of(frames)
    code, link_code = series_components(frames, ends)
    incidents = frames.incidents
    names, registry = reconcile(
        empty_registry() if previous is None else previous,
        ids=incidents[S.INCIDENT_ID], times=instants(incidents[S.OCCURRED_AT]), code=code,
        link_code=link_code, link_ids=frames.links[S.LINK_ID],
        today=registry_day or now,
    )  # fmt: skip
    named = incidents.assign(**{S.SERIES_ID: series_column(code, names, incidents.index)})
    counted = np.flatnonzero(link_code >= 0)
    table = series_table(
        named, frames.links.iloc[counted], today=today or now,
        ends=ends.take(counted, np.arange(len(incidents)), len(incidents)),
    )  # fmt: skip
    table_row = np.zeros(len(names), dtype=np.int64)
    if len(table):
        where = pd.Index(names.astype(str)).get_indexer(table[S.SERIES_ID].astype(str))
        table_row[where] = np.arange(len(table))
    sizes = np.bincount(code[code >= 0])  # every series has members
    return SeriesIndex(
        code=code, names=names, sizes=sizes, link_code=link_code, ends=ends, table=table,
        table_row=table_row, registry=registry, dataset_version=str(frames.dataset_version),
    )  # fmt: skip


def series_index_of(frames: Any) -> SeriesIndex:
    """``frames.series`` when it was attached (:func:`stable_series`), else computed now without history."""
    attached = getattr(frames, "series", None)
    if isinstance(attached, SeriesIndex):
        return attached
    return whole_series(frames)


def stable_series(store: Any, frames: Any, *, today: date | None = None) -> Any:
    """Return ``frames`` with ``series`` attached, the store's registry brought up to its dataset version.

    The registry is recomputed only when the stored one reflects another
    dataset version; computing it again for the same version gives the same
    ids, so two processes that race write the same thing (the second write is skipped).
    The result is kept beside the frames' snapshot (:mod:`data.series_snapshot`)
    for this dataset version and day, so the next cold start reads it instead.
    """
    current = str(frames.dataset_version)
    day = today or pd.Timestamp.now(tz="UTC").date()
    if registry_version(store) == current:
        kept = read_series_parts(store, current, day.isoformat())
        if kept is not None:
            return replace(frames, series=_unpacked(*kept, version=current))
    version, previous = read_registry(store)
    index = whole_series(frames, previous, today=day)
    if version != current and not write_registry(store, index.registry, version=current, based_on=version):
        _, previous = read_registry(store)
        index = whole_series(frames, previous, today=day)
    if registry_version(store) == current:
        write_series_parts(store, current, day.isoformat(), *_packed(index))
    return replace(frames, series=index)


def _packed(index: SeriesIndex) -> tuple[dict[str, np.ndarray], dict[str, pd.DataFrame]]:
    """A series index as plain arrays (text as fixed-width unicode) and frames, for keeping on disk."""
    arrays = {
        "code": index.code, "names": index.names.astype(str), "sizes": index.sizes,
        "link_code": index.link_code, "table_row": index.table_row, "incident_a": index.ends.incident_a,
        "incident_b": index.ends.incident_b, "firearm": index.ends.firearm,
        "firearms": np.array([index.ends.firearms], dtype=np.int64),
    }  # fmt: skip
    return arrays, {"table": index.table, "registry": index.registry}


def _unpacked(arrays: dict[str, np.ndarray], tables: dict[str, pd.DataFrame], *, version: str) -> SeriesIndex:
    """The series index :func:`_packed` kept."""
    ends = LinkEnds(arrays["incident_a"], arrays["incident_b"], arrays["firearm"], int(arrays["firearms"][0]))
    return SeriesIndex(
        code=arrays["code"], names=arrays["names"].astype(object), sizes=arrays["sizes"],
        link_code=arrays["link_code"], ends=ends, table=tables["table"], table_row=arrays["table_row"],
        registry=tables["registry"], dataset_version=version,
    )  # fmt: skip
