"""Series: connected components of incidents joined by links, and their table.

Series ids
----------
A series is named after its first shooting: ``"S-" + incident id`` of the
member that comes first by ``(occurred_at, incident_id)``. The id depends only
on the series' own members, so adding unrelated incidents or links never
changes it; it changes only when the series itself gains an earlier shooting
or when a filter cuts its first shooting away (the piece that is left is then
named after its own first shooting).

Components are computed with :func:`scipy.sparse.csgraph.connected_components`
on integer codes, never with networkx, so a million incidents take well under
a second. A recovered firearm joins its test-fire links into the component:
two shootings linked to the same test fire are one series.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from data import schema as S
from linking.codes import positions
from linking.counting import count_by, link_units, status_ranks
from linking.pairs import RANKED_STATUSES, STATUS_RANK
from linking.spans import series_span_km
from linking.table_columns import join_sorted, joined_unique, path_order

SERIES_PREFIX = "S-"
SERIES_COLUMNS: tuple[str, ...] = (
    S.SERIES_ID,
    S.SERIES_SIZE,
    S.SERIES_LEADS,
    S.SERIES_HITS,
    S.SERIES_PENDING,
    S.SERIES_EXCLUDED,
    S.HIT_PARTS,
    S.FIRST_DATE,
    S.LAST_DATE,
    S.SPAN_DAYS,
    S.SPAN_KM,
    S.CITIES,
    S.AGENCIES,
    S.CROSS_CITY,
    S.CROSS_AGENCY,
    S.HAS_FIREARM,
    S.FIREARM_IDS,
    S.DAYS_SINCE_LAST,
    S.INCIDENT_PATH,
)
_STATUS_COLUMNS = {
    "lead": S.SERIES_LEADS,
    "hit": S.SERIES_HITS,
    "pending": S.SERIES_PENDING,
    "excluded": S.SERIES_EXCLUDED,
}


def _components(n_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Return a component label per node (``n_nodes`` > 0) for undirected edges ``left[i] -- right[i]``."""
    data = np.ones(len(left), dtype=np.int8)
    matrix = coo_matrix((data, (left, right)), shape=(n_nodes, n_nodes)).tocsr()
    _, labels = connected_components(matrix, directed=False)
    return labels.astype(np.int64)


def link_positions(
    incidents: pd.DataFrame, links: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Integer ends of every link row.

    Returns ``(a_pos, b_pos, gun, n_guns)``: row positions in ``incidents`` of
    each link's ends (-1 when unknown or empty) and a firearm code per row
    (-1 when the row names no firearm), plus the number of distinct firearms.
    """
    a_pos, b_pos = end_positions(incidents, links)
    gun, n_guns = firearm_numbers(links)
    return a_pos, b_pos, gun, n_guns


def firearm_numbers(links: pd.DataFrame) -> tuple[np.ndarray, int]:
    """A number per link row for the firearm it names (-1 when none), and how many firearms there are."""
    gun = np.full(len(links), -1)
    if S.FIREARM_ID not in links.columns:
        return gun, 0
    present = links[S.FIREARM_ID].notna().to_numpy()
    codes, uniques = pd.factorize(links[S.FIREARM_ID][present].astype(str).to_numpy())
    gun[present] = codes
    return gun, len(uniques)


def end_positions(incidents: pd.DataFrame, links: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions in ``incidents`` of each link's ``incident_a`` and ``incident_b`` (-1 when absent).

    Matches the id texts (:func:`linking.codes.positions`). Callers that hold
    the integer ends already (``Frames.link_rows``, ``Selection.link_ends``)
    pass them instead (e.g. ``series_table(..., ends=...)``).
    """
    a_pos, b_pos = positions(incidents[S.INCIDENT_ID], links[S.INCIDENT_A], links[S.INCIDENT_B])
    return a_pos, b_pos


def counted_edges(
    a_pos: np.ndarray, b_pos: np.ndarray, gun: np.ndarray, b_missing: np.ndarray, keep: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Masks of link rows that join two kept incidents, and of test-fire rows from a kept incident.

    ``keep`` is a boolean per incident row; ``b_missing`` marks rows with no ``incident_b``.
    """
    inside = np.append(keep, False)
    a_in = inside[a_pos]  # -1 indexes the appended False
    pair = a_in & inside[b_pos] & (a_pos != b_pos)
    test_fire = a_in & b_missing & (gun >= 0)
    return pair, test_fire


def series_of_links(
    ids: pd.Series,
    times: np.ndarray,
    a_pos: np.ndarray,
    b_pos: np.ndarray,
    gun: np.ndarray,
    n_guns: int,
    pair: np.ndarray,
    test_fire: np.ndarray,
    *,
    min_size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Series of the incidents ``ids`` joined by the chosen link rows (``pair`` / ``test_fire`` masks).

    Firearms join as extra nodes after the incidents, so two shootings linked to one
    recovered gun are one series.
    """
    count = len(ids)
    left = np.concatenate([a_pos[pair], a_pos[test_fire]])
    right = np.concatenate([b_pos[pair], gun[test_fire] + count])
    return series_codes(ids, times, left, right, count + int(n_guns), min_size=min_size)


def instants(values: pd.Series) -> np.ndarray:
    """Times (``datetime64``: tz-aware, or naive UTC) as int64 nanoseconds since the epoch (UTC).

    Missing times sort last. A tz-aware column converts to UTC on the way to numpy.
    """
    out = values.to_numpy(dtype="datetime64[ns]").view(np.int64).copy()
    out[out == np.iinfo(np.int64).min] = np.iinfo(np.int64).max
    return out


def series_codes(
    ids: pd.Series,
    times: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    n_nodes: int,
    *,
    min_size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Series membership from integer edges.

    Nodes ``0..len(ids)-1`` are incidents; higher nodes (firearms) join
    components but do not count towards a series' size.

    Returns
    -------
    (series_index, names)
        ``series_index[i]`` is the series number of incident ``i`` (-1 when in
        none); ``names[j]`` is series ``j``'s id, ``"S-"`` + the id of its
        first shooting by ``(time, id)``.
    """
    count = len(ids)
    none = (np.full(count, -1), np.empty(0, dtype=object))
    if not len(left):
        return none
    labels = _components(n_nodes, left, right)[:count]
    touched = np.zeros(count, dtype=bool)
    touched[left[left < count]] = True
    touched[right[right < count]] = True
    sizes = np.bincount(labels)  # every member of a component of two or more nodes is touched
    keep = touched & (sizes[labels] >= min_size)
    if not keep.any():
        return none
    rows = np.flatnonzero(keep)
    series_labels, code = np.unique(labels[rows], return_inverse=True)
    total = len(series_labels)
    when = times[rows]
    earliest = np.full(total, np.iinfo(np.int64).max)
    np.minimum.at(earliest, code, when)
    first = np.flatnonzero(when == earliest[code])
    tied = np.bincount(code[first]) > 1
    single = first[~tied[code[first]]]  # the one earliest member of most series: no id comparison
    names = np.empty(total, dtype=object)
    names[code[single]] = SERIES_PREFIX + ids.iloc[rows[single]].astype(str).to_numpy()
    several = first[tied[code[first]]]
    if len(several):
        candidates = pd.DataFrame(
            {"c": code[several], "id": ids.iloc[rows[several]].astype(str).to_numpy()}
        ).sort_values(["c", "id"]).drop_duplicates("c")
        names[candidates["c"].to_numpy()] = SERIES_PREFIX + candidates["id"].to_numpy()
    series_index = np.full(count, -1)
    series_index[rows] = code
    return series_index, names


def series_column(series_index: np.ndarray, names: np.ndarray, index: pd.Index) -> pd.Series:
    """The ``series_id`` column (``string``, ``<NA>`` when in no series) built in Arrow, not Python."""
    arrow_names = pa.array(names)
    taken = arrow_names.take(pa.array(series_index, mask=series_index < 0))
    return pd.Series(pd.array(taken, dtype="string"), index=index)


def assign_series(incidents: pd.DataFrame, links: pd.DataFrame, *, min_size: int = 2) -> pd.Series:
    """Return each incident's series id (``<NA>`` when it is in no series of ``min_size`` or more).

    Parameters
    ----------
    incidents : DataFrame
        Incidents with ``incident_id`` and ``occurred_at``; ids must be unique.
    links : DataFrame
        The links that count (already filtered by status). Links whose ends
        are not in ``incidents`` and self-links are ignored.
    min_size : int, keyword-only
        Smallest component (in incidents) that is a series.

    Returns
    -------
    Series
        ``string`` dtype, aligned with ``incidents.index``.

    Examples
    --------
    >>> incidents = pd.DataFrame({S.INCIDENT_ID: ["a", "b", "c", "d"],
    ...     S.OCCURRED_AT: pd.to_datetime(
    ...         ["2019-03-01", "2019-01-01", "2019-02-01", "2019-01-05"], utc=True)})
    >>> links = pd.DataFrame({S.INCIDENT_A: ["a", "b"], S.INCIDENT_B: ["b", "c"], S.STATUS: ["lead", "hit"]})
    >>> assign_series(incidents, links).tolist()
    ['S-b', 'S-b', 'S-b', <NA>]
    """
    if links.empty:
        return pd.Series(index=incidents.index, dtype="string")
    a_pos, b_pos, gun, n_guns = link_positions(incidents, links)
    b_missing = links[S.INCIDENT_B].isna().to_numpy()
    pair, test_fire = counted_edges(a_pos, b_pos, gun, b_missing, np.ones(len(incidents), dtype=bool))
    series_index, names = series_of_links(
        incidents[S.INCIDENT_ID], instants(incidents[S.OCCURRED_AT]),
        a_pos, b_pos, gun, n_guns, pair, test_fire, min_size=min_size,
    )  # fmt: skip
    return series_column(series_index, names, incidents.index)


def _local_dates(incidents: pd.DataFrame) -> pd.Series:
    """Local calendar date (midnight, naive) per incident; UTC date when ``local_date`` is absent."""
    if S.LOCAL_DATE in incidents.columns:
        return pd.to_datetime(incidents[S.LOCAL_DATE]).dt.normalize()
    return incidents[S.OCCURRED_AT].dt.tz_convert(None).dt.normalize()


_TABLE_INPUTS = frozenset(
    {S.SERIES_ID, S.INCIDENT_ID, S.OCCURRED_AT, S.LOCAL_DATE, S.CITY, S.AGENCY, S.LONGITUDE, S.LATITUDE}
)


def empty_series_table() -> pd.DataFrame:
    """Return a series table with no rows and the right columns."""
    return pd.DataFrame(columns=list(SERIES_COLUMNS))  # object columns


def series_table(
    incidents: pd.DataFrame,
    links: pd.DataFrame,
    *,
    today: date | None = None,
    ends: Any = None,
) -> pd.DataFrame:
    """Return one row per series with the measures an analyst triages by.

    Parameters
    ----------
    incidents : DataFrame
        Incidents with a ``series_id`` column (from :func:`assign_series`).
    links : DataFrame
        The links that made the series (filtered by status), counted by the
        one rule of :mod:`linking.counting` (a link counts once, by its current
        status; test fires count as links of their series).
        Test-fire links (``incident_b`` empty, ``firearm_id`` set) mark series
        that end at a recovered firearm.
    today : date, keyword-only
        Reference date for ``days_since_last``; default today's UTC date.
    ends : linking.registry.LinkEnds, optional, keyword-only
        Integer ends of ``links`` as rows of ``incidents`` (skips matching ids;
        -1 where an end is empty or not among them).

    Returns
    -------
    DataFrame
        Columns :data:`SERIES_COLUMNS`, newest activity first (last date,
        then size, then id).
    """
    if S.SERIES_ID not in incidents.columns:
        raise ValueError(
            f"series_table needs a {S.SERIES_ID!r} column on incidents; "
            "add it with linking.series.assign_series first"
        )
    today = today or pd.Timestamp.now(tz="UTC").date()
    used = [c for c in incidents.columns if c in _TABLE_INPUTS]  # only what the table reads
    in_series = incidents[S.SERIES_ID].notna().to_numpy()
    members = incidents[used][in_series]
    if members.empty:
        return empty_series_table()
    key, names = pd.factorize(members[S.SERIES_ID].astype("string"))
    total = len(names)
    ids = members[S.INCIDENT_ID]
    days = _local_dates(members).to_numpy(dtype="datetime64[ns]").view(np.int64)
    first = np.full(total, np.iinfo(np.int64).max)
    last = np.full(total, np.iinfo(np.int64).min)
    np.minimum.at(first, key, days)
    np.maximum.at(last, key, days)
    table = pd.DataFrame(
        {
            S.SERIES_ID: names,
            S.SERIES_SIZE: np.bincount(key),
            S.FIRST_DATE: first.view("datetime64[ns]"),
            S.LAST_DATE: last.view("datetime64[ns]"),
        }
    )
    table[S.SPAN_DAYS] = (last - first) // 86_400_000_000_000
    table[S.DAYS_SINCE_LAST] = (pd.Timestamp(today) - table[S.LAST_DATE]).dt.days.astype("int64")
    id_text = ids.astype(str).to_numpy()
    order = path_order(key, instants(members[S.OCCURRED_AT]), id_text)
    table[S.INCIDENT_PATH] = join_sorted(key[order], id_text[order]).to_numpy()  # every key has members
    codes = pd.Series(key)
    nothing = pd.Series(dtype=object)
    cities = joined_unique(members[S.CITY], codes) if S.CITY in members.columns else nothing
    agencies = joined_unique(members[S.AGENCY], codes) if S.AGENCY in members.columns else nothing
    table[S.CITIES] = cities.reindex(range(total)).fillna("").to_numpy()
    table[S.AGENCIES] = agencies.reindex(range(total)).fillna("").to_numpy()
    table[S.CROSS_CITY] = table[S.CITIES].str.contains("; ", regex=False)
    table[S.CROSS_AGENCY] = table[S.AGENCIES].str.contains("; ", regex=False)
    table[S.SPAN_KM] = series_span_km(members, codes).reindex(range(total)).fillna(0.0).round(3).to_numpy()

    counts = np.zeros((total, len(RANKED_STATUSES)), dtype=np.int64)
    hit_labels = np.arange(len(ids))  # without links each shooting is a part of its own
    firearms = nothing
    if len(links):
        if ends is not None:  # rows of ``incidents``: renumber as rows of ``members``
            remap = np.full(len(incidents) + 1, -1)
            remap[np.flatnonzero(in_series)] = np.arange(len(ids))
            a_pos, b_pos = remap[ends.incident_a], remap[ends.incident_b]
        else:
            a_pos, b_pos = end_positions(members, links)
        left, right = unit_ends(a_pos, b_pos, links, len(ids), ends=ends)
        group = np.append(key, -1)[a_pos]  # -1 (no series) where the first end is no member
        counts = count_by(links, group, total, ends=(left, right))
        units, unit_rank = link_units(left, right, status_ranks(links[S.STATUS]))  # left < 0: no unit
        hit = unit_rank == STATUS_RANK["hit"]
        hit_left, hit_right = left[units][hit], right[units][hit]  # a far end >= len(ids) is a gun
        nodes = max(len(ids), int(hit_right.max(initial=-1)) + 1)
        hit_labels = _components(nodes, hit_left, hit_right)[: len(ids)]  # two hits to one gun join
        if S.FIREARM_ID in links.columns:
            no_b = links[S.INCIDENT_B].isna().to_numpy()
            test_fire = (a_pos >= 0) & no_b & links[S.FIREARM_ID].notna().to_numpy()
            if test_fire.any():
                firearms = joined_unique(
                    links[S.FIREARM_ID][test_fire], pd.Series(key[a_pos[test_fire]])
                )
    for status in RANKED_STATUSES:
        table[_STATUS_COLUMNS[status]] = counts[:, STATUS_RANK[status]]
    parts = np.unique(key * len(ids) + hit_labels) // len(ids)
    table[S.HIT_PARTS] = np.bincount(parts)  # every series has at least one part
    table[S.FIREARM_IDS] = firearms.reindex(range(total)).fillna("").to_numpy()
    table[S.HAS_FIREARM] = table[S.FIREARM_IDS] != ""

    # the three keys order every row (ids are unique): no sort stability needed
    return (
        table[list(SERIES_COLUMNS)]
        .sort_values([S.LAST_DATE, S.SERIES_SIZE, S.SERIES_ID], ascending=[False, False, True])
        .reset_index(drop=True)
    )


def unit_ends(
    a_pos: np.ndarray, b_pos: np.ndarray, links: pd.DataFrame, count: int, *, ends: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """End codes for :mod:`linking.counting`: incident rows, and ``count`` + firearm number for test fires."""
    if ends is not None:
        gun = ends.firearm
    elif S.FIREARM_ID in links.columns:
        gun, _ = pd.factorize(links[S.FIREARM_ID].astype("string"))
    else:
        return a_pos, b_pos  # no firearm column: no test fires
    fire = links[S.INCIDENT_B].isna().to_numpy() & (gun >= 0)  # an empty far end has no position (-1)
    right = b_pos.copy()
    right[fire] = count + gun[fire]
    return a_pos, right


def hit_only_split(incidents: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Show how each series (under the given links) splits when only hits count.

    Returns one row per incident in a series: ``series_id`` (all statuses given)
    and ``hit_parts``-style sub-series ids from hits alone (``<NA>`` for an
    incident that no hit touches).

    Examples
    --------
    >>> incidents = pd.DataFrame({S.INCIDENT_ID: ["a", "b", "c", "d"],
    ...     S.OCCURRED_AT: pd.to_datetime(
    ...         ["2019-01-01", "2019-01-02", "2019-01-03", "2019-01-04"], utc=True)})
    >>> links = pd.DataFrame({S.INCIDENT_A: ["a", "b", "c"], S.INCIDENT_B: ["b", "c", "d"],
    ...     S.STATUS: ["hit", "lead", "hit"]})
    >>> hit_only_split(incidents, links).values.tolist()
    [['a', 'S-a', 'S-a'], ['b', 'S-a', 'S-a'], ['c', 'S-a', 'S-c'], ['d', 'S-a', 'S-c']]
    """
    hit_links = links[links[S.STATUS].astype("string") == "hit"] if len(links) else links
    full = assign_series(incidents, links)
    hits = assign_series(incidents, hit_links)
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: incidents[S.INCIDENT_ID].astype("string").to_numpy(),
            S.SERIES_ID: full.to_numpy(),
            S.HIT_SERIES_ID: hits.to_numpy(),
        }
    )
    return frame[frame[S.SERIES_ID].notna()].reset_index(drop=True)
