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

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from data import schema as S
from linking.codes import positions
from linking.pairs import RANKED_STATUSES, pair_statuses
from linking.spans import series_span_km

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
    """Return a component label per node for undirected edges ``left[i] -- right[i]``."""
    if n_nodes == 0:
        return np.zeros(0, dtype=np.int64)
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
    if links.empty:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, 0
    a_pos, b_pos = positions(incidents[S.INCIDENT_ID], links[S.INCIDENT_A], links[S.INCIDENT_B])
    gun = np.full(len(links), -1, dtype=np.int64)
    n_guns = 0
    if S.FIREARM_ID in links.columns:
        present = links[S.FIREARM_ID].notna().to_numpy()
        if present.any():
            codes, uniques = pd.factorize(links[S.FIREARM_ID][present].astype(str).to_numpy(dtype=object))
            gun[present] = codes
            n_guns = len(uniques)
    return a_pos, b_pos, gun, int(n_guns)


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


def series_from_edges(
    ids: np.ndarray,
    occurred: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    n_nodes: int,
    *,
    min_size: int,
) -> np.ndarray:
    """Series id (object array, None when in no series) per incident from integer edges.

    Nodes ``0..len(ids)-1`` are incidents; higher nodes (firearms) join
    components but are not counted in a series' size.
    """
    count = len(ids)
    result = np.full(count, None, dtype=object)
    if count == 0 or len(left) == 0:
        return result
    labels = _components(n_nodes, left, right)[:count]
    touched = np.zeros(count, dtype=bool)
    touched[left[left < count]] = True
    touched[right[right < count]] = True
    sizes = np.bincount(labels[touched], minlength=int(labels.max()) + 1)
    keep = touched & (sizes[labels] >= min_size)
    if not keep.any():
        return result
    members = pd.DataFrame({"_label": labels[keep], "_at": occurred[keep], "_id": ids[keep]})
    first = members.sort_values(["_at", "_id"], kind="stable", na_position="last").drop_duplicates("_label")
    name_by_label = pd.Series(
        SERIES_PREFIX + first["_id"].astype(str).to_numpy(dtype=object), index=first["_label"].to_numpy()
    )
    result[keep] = name_by_label.reindex(members["_label"].to_numpy()).to_numpy(dtype=object)
    return result


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
    count = len(incidents)
    if count == 0 or links.empty:
        return pd.Series(pd.NA, index=incidents.index, dtype="string")
    a_pos, b_pos, gun, n_guns = link_positions(incidents, links)
    b_missing = links[S.INCIDENT_B].isna().to_numpy()
    pair, test_fire = counted_edges(a_pos, b_pos, gun, b_missing, np.ones(count, dtype=bool))
    left = np.concatenate([a_pos[pair], a_pos[test_fire]])
    right = np.concatenate([b_pos[pair], gun[test_fire] + count])
    names = series_from_edges(
        incidents[S.INCIDENT_ID].astype(str).to_numpy(dtype=object),
        incidents[S.OCCURRED_AT].to_numpy(),
        left,
        right,
        count + int(n_guns),
        min_size=min_size,
    )
    return pd.Series(pd.array(names, dtype="string"), index=incidents.index)


def _local_dates(incidents: pd.DataFrame) -> pd.Series:
    """Local calendar date (midnight, naive) per incident; UTC date when ``local_date`` is absent."""
    if S.LOCAL_DATE in incidents.columns:
        return pd.to_datetime(incidents[S.LOCAL_DATE]).dt.normalize()
    return incidents[S.OCCURRED_AT].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()


def _join_sorted(keys: np.ndarray, values: np.ndarray) -> pd.Series:
    """``"; "``-join ``values`` per key; rows must already be sorted by key."""
    if len(keys) == 0:
        return pd.Series(dtype=object)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    stops = np.r_[starts[1:], len(keys)]
    text = [str(v) for v in values]
    joined = ["; ".join(text[a:b]) for a, b in zip(starts, stops, strict=True)]
    return pd.Series(joined, index=keys[starts], dtype=object)


def _joined_unique(values: pd.Series, keys: pd.Series) -> pd.Series:
    """``"; "``-join the sorted distinct non-empty ``values`` per key."""
    frame = pd.DataFrame(
        {"k": keys.to_numpy(dtype=object), "v": values.astype("string").to_numpy(dtype=object, na_value=None)}
    )
    frame = frame.dropna()
    frame = frame[frame["v"].str.strip() != ""].drop_duplicates().sort_values(["k", "v"], kind="stable")
    return _join_sorted(frame["k"].to_numpy(), frame["v"].to_numpy())


def empty_series_table() -> pd.DataFrame:
    """Return a series table with no rows and the right columns."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in SERIES_COLUMNS})


def series_table(
    incidents: pd.DataFrame,
    links: pd.DataFrame,
    *,
    today: date | None = None,
) -> pd.DataFrame:
    """Return one row per series with the measures an analyst triages by.

    Parameters
    ----------
    incidents : DataFrame
        Incidents with a ``series_id`` column (from :func:`assign_series`).
    links : DataFrame
        The links that made the series (filtered by status). Test-fire links
        (``incident_b`` empty, ``firearm_id`` set) mark series that end at a
        recovered firearm.
    today : date, keyword-only
        Reference date for ``days_since_last``; default today's UTC date.

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
    members = incidents[incidents[S.SERIES_ID].notna()]
    if members.empty:
        return empty_series_table()
    key = members[S.SERIES_ID].astype("string")
    local = _local_dates(members)
    ordered = pd.DataFrame(
        {
            "k": key.to_numpy(),
            "at": members[S.OCCURRED_AT].to_numpy(),
            "id": members[S.INCIDENT_ID].astype(str).to_numpy(),
        }
    ).sort_values(["k", "at", "id"], kind="stable")
    grouped = pd.DataFrame({"k": key.to_numpy(), "d": local.to_numpy()}).groupby("k", sort=False)["d"]
    table = pd.DataFrame(
        {
            S.SERIES_SIZE: grouped.size(),
            S.FIRST_DATE: grouped.min(),
            S.LAST_DATE: grouped.max(),
        }
    )
    table[S.SPAN_DAYS] = (table[S.LAST_DATE] - table[S.FIRST_DATE]).dt.days.astype("int64")
    table[S.DAYS_SINCE_LAST] = (pd.Timestamp(today) - table[S.LAST_DATE]).dt.days.astype("int64")
    table[S.INCIDENT_PATH] = _join_sorted(ordered["k"].to_numpy(), ordered["id"].to_numpy())
    nothing = pd.Series(dtype=object)
    cities = _joined_unique(members[S.CITY], key) if S.CITY in members.columns else nothing
    agencies = _joined_unique(members[S.AGENCY], key) if S.AGENCY in members.columns else nothing
    table[S.CITIES] = cities.reindex(table.index).fillna("")
    table[S.AGENCIES] = agencies.reindex(table.index).fillna("")
    table[S.CROSS_CITY] = table[S.CITIES].str.contains("; ", regex=False)
    table[S.CROSS_AGENCY] = table[S.AGENCIES].str.contains("; ", regex=False)
    table[S.SPAN_KM] = series_span_km(members, key).reindex(table.index).fillna(0.0).round(3)

    series_of = pd.Series(key.to_numpy(), index=members[S.INCIDENT_ID].astype("string").to_numpy())
    pairs = pair_statuses(links)
    pair_series = pairs[S.INCIDENT_A].map(series_of)
    both_in = pair_series.notna() & pairs[S.INCIDENT_B].isin(series_of.index)
    pairs = pairs[both_in.to_numpy()].assign(k=pair_series[both_in].to_numpy())
    counts = pd.crosstab(pairs["k"], pairs[S.STATUS]) if len(pairs) else pd.DataFrame()
    for status in RANKED_STATUSES:
        column = _STATUS_COLUMNS[status]
        values = counts[status] if status in counts.columns else pd.Series(dtype="int64")
        table[column] = values.reindex(table.index).fillna(0).astype("int64")
    table[S.HIT_PARTS] = _hit_parts(members, key, pairs)

    firearms = pd.Series(dtype=object)
    if not links.empty and S.FIREARM_ID in links.columns:
        test_fire = links[links[S.INCIDENT_B].isna() & links[S.FIREARM_ID].notna()]
        tf_series = test_fire[S.INCIDENT_A].astype("string").map(series_of)
        firearms = _joined_unique(test_fire[S.FIREARM_ID][tf_series.notna()], tf_series.dropna())
    table[S.FIREARM_IDS] = firearms.reindex(table.index).fillna("")
    table[S.HAS_FIREARM] = table[S.FIREARM_IDS] != ""

    table.index.name = S.SERIES_ID
    table = table.reset_index()
    table = table.sort_values(
        [S.LAST_DATE, S.SERIES_SIZE, S.SERIES_ID], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
    table[S.SERIES_ID] = table[S.SERIES_ID].astype("string")
    return table[list(SERIES_COLUMNS)]


def _hit_parts(members: pd.DataFrame, key: pd.Series, pairs: pd.DataFrame) -> pd.Series:
    """Pieces each series falls into when only hits hold it together."""
    ids = pd.Index(members[S.INCIDENT_ID].astype("string"))
    hits = pairs[pairs[S.STATUS] == "hit"] if len(pairs) else pairs
    if len(hits):
        left = ids.get_indexer(hits[S.INCIDENT_A])
        right = ids.get_indexer(hits[S.INCIDENT_B])
    else:
        left = right = np.zeros(0, dtype=np.int64)
    labels = _components(len(ids), left, right)
    frame = pd.DataFrame({"k": key.to_numpy(), "label": labels})
    return frame.groupby("k", sort=False)["label"].nunique().astype("int64")


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
    full = assign_series(incidents, links, min_size=2)
    hits = assign_series(incidents, hit_links, min_size=2)
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: incidents[S.INCIDENT_ID].astype("string").to_numpy(),
            S.SERIES_ID: full.to_numpy(),
            S.HIT_SERIES_ID: hits.to_numpy(),
        }
    )
    return frame[frame[S.SERIES_ID].notna()].reset_index(drop=True)
