"""Link lines for the map: one line per ballistic link, lead dashed and hit solid (pure).

End points are looked up by incident id (and by firearm id for a test-fire
link) as integer row positions: the caller's ``link_ends`` when it has them
(``Selection.link_ends``, sliced from the ends computed at load), else by
hashing the id strings once with Arrow. Ranking, the cap and the
coordinates are numpy operations on those positions, so a million incidents
and half a million links cost tens of milliseconds. Everything from data is
escaped once here, like :mod:`geo.layers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data import schema as S
from data.frames import arrow_text
from geo.escape import escape_text
from geo.layers import TEXT_LIMIT, PopupField, coordinates_of, encode_column, finite_points
from geo.palette import LINK_STYLES

LINK_FIELDS: tuple[PopupField, ...] = (
    PopupField("Status", S.STATUS, lookup=True),
    PopupField("Between", "__between__"),
    PopupField("Lead number", S.LEAD_NUMBER),
    PopupField("Lead date", S.LEAD_DATE),
    PopupField("Confirmed", S.CONFIRMED_DATE),
    PopupField("Site", S.SITE, lookup=True),
    PopupField("Caliber", S.CALIBER, lookup=True),
    PopupField("Associations", S.ASSOCIATION_COUNT),
)
_STATUS_ORDER = {status: rank for rank, status in enumerate(S.STATUS_ORDER)}
_OTHER_RANK = 9  # a status outside the schema is examined last
_SERIES_RANK = -1  # the selected series' links are examined first


@dataclass(frozen=True)
class LinkLines:
    """Link lines ready to draw, and what could not be drawn."""

    payload: dict[str, Any]
    drawn: int
    total: int
    unplaced: int
    statuses: tuple[str, ...]


def _column_or_empty(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def _rows_among(ids: pa.Array, ends: pa.Array) -> np.ndarray:
    """Row in ``ids`` of each end's text: the first row wins, -1 when the end is empty or absent.

    Only the distinct ends are hashed; ``ids`` are probed against them, so a
    few thousand ends among a million ids stay cheap.

    Examples
    --------
    >>> ids = pa.array(["a", "b", "a", None])
    >>> _rows_among(ids, pa.array(["a", None, "z", "b"])).tolist()
    [0, -1, -1, 1]
    """
    wanted = pc.unique(ends.drop_null())
    where = np.full(len(wanted) + 1, -1, dtype=np.int64)  # slot -1: empty or absent
    if len(wanted):
        found = pc.index_in(ids, value_set=wanted)
        rows = np.flatnonzero(found.is_valid().to_numpy(zero_copy_only=False))
        codes = found.drop_null().to_numpy(zero_copy_only=False).astype(np.int64)
        codes, first = np.unique(codes, return_index=True)  # repeated ids: the first row wins
        where[codes] = rows[first]
    end_codes = pc.fill_null(pc.index_in(ends, value_set=wanted), -1)
    return where[end_codes.to_numpy(zero_copy_only=False).astype(np.int64)]


def _placed(a_rows: np.ndarray, b_rows: np.ndarray, gun_rows: np.ndarray, no_b: np.ndarray) -> np.ndarray:
    """Links whose both ends have a place: end A, and end B or (without B) the firearm."""
    return (a_rows >= 0) & np.where(no_b, gun_rows >= 0, b_rows >= 0)


def _rows_by_text(
    ids: pa.Array,
    ends: tuple[pa.Array, pa.Array],
    ranked: np.ndarray,
    fallbacks: tuple[np.ndarray, np.ndarray],
    max_links: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows among ``ids`` of the link ends, by text, in ``ranked`` order until ``max_links`` are placed.

    Windows of the ranked links (doubling) are matched until enough are
    placed; links after the last window keep -1 (they are never examined).
    ``fallbacks`` is ``(gun_rows, no_b)`` for test-fire links.
    """
    a_rows = np.full(ranked.size, -1, dtype=np.int64)
    b_rows = np.full(ranked.size, -1, dtype=np.int64)
    gun_rows, no_b = fallbacks
    start, window, placed = 0, max(2 * max_links, 64), 0
    while placed < max_links and start < ranked.size:
        batch = ranked[start : start + window]
        start, window = start + window, window * 2
        taken = pa.array(batch, type=pa.int64())
        rows = _rows_among(ids, pa.concat_arrays([pc.take(end, taken) for end in ends]))
        a_rows[batch], b_rows[batch] = rows[: batch.size], rows[batch.size :]
        placed += int(_placed(a_rows[batch], b_rows[batch], gun_rows[batch], no_b[batch]).sum())
    return a_rows, b_rows


def _firearm_ends(
    links: pd.DataFrame, firearms: pd.DataFrame | None, no_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row among the placed firearms of each test-fire link's gun (-1 otherwise), and their coordinates."""
    gun_rows = np.full(len(links), -1, dtype=np.int64)
    if firearms is None or not len(firearms) or S.FIREARM_ID not in firearms.columns or not no_b.any():
        return gun_rows, np.empty(0, dtype="float64"), np.empty(0, dtype="float64")
    guns = finite_points(firearms)
    gun_lons, gun_lats = coordinates_of(guns)
    test_fires = np.flatnonzero(no_b)
    gun_ids = arrow_text(_column_or_empty(links, S.FIREARM_ID).iloc[test_fires])
    gun_rows[test_fires] = _rows_among(arrow_text(guns[S.FIREARM_ID]), gun_ids)
    return gun_rows, gun_lons, gun_lats


def _status_codes(links: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Each link's status as a code into the returned labels (an empty status reads "lead")."""
    column = links[S.STATUS]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        labels = pd.Series(column.cat.categories).astype("string").tolist()
    else:
        codes, uniques = pd.factorize(column.astype("string"), use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.int64)
        labels = pd.Series(uniques).astype("string").tolist()
    codes = np.where(codes < 0, len(labels), codes)
    return codes, [*labels, "lead"]


def _examined(placed_in_order: np.ndarray, max_links: int) -> int:
    """How many links (in examination order) are looked at until ``max_links`` are placed.

    Examples
    --------
    >>> _examined(np.array([True, False, True, True]), 2)
    3
    >>> _examined(np.array([True, False]), 5)
    2
    """
    if max_links <= 0:
        return 0
    placed_so_far = np.cumsum(placed_in_order)
    if placed_so_far.size == 0 or placed_so_far[-1] < max_links:
        return int(placed_in_order.size)
    return int(np.searchsorted(placed_so_far, max_links)) + 1


def subset_ends(
    full: pd.DataFrame, part: pd.DataFrame, ends: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Link ends given as rows of ``full`` renumbered as rows of ``part``, a row subset of it (-1 when cut).

    ``None`` when there are no ends, or ``part``'s rows cannot be told apart in ``full`` (repeated labels).

    >>> full = pd.DataFrame({"x": [1, 2, 3]}, index=[10, 11, 12])
    >>> [e.tolist() for e in subset_ends(full, full.loc[[10, 12]], (np.array([2, 1]), np.array([0, -1])))]
    [[1, -1], [0, -1]]
    """
    if ends is None:
        return None
    a_rows, b_rows = np.asarray(ends[0], dtype=np.int64), np.asarray(ends[1], dtype=np.int64)
    if part is full or (len(part) == len(full) and part.index.equals(full.index)):
        return a_rows, b_rows
    if not full.index.is_unique:
        return None
    kept = full.index.get_indexer(part.index)
    if (kept < 0).any():
        return None
    where = np.full(len(full) + 1, -1, dtype=np.int64)
    where[kept] = np.arange(len(part))
    return where[a_rows], where[b_rows]


def link_payload(
    links: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    firearms: pd.DataFrame | None = None,
    selected_series_id: str | None = None,
    max_links: int = 2_500,
    link_ends: tuple[np.ndarray, np.ndarray] | None = None,
) -> LinkLines:
    """Payload for ``brassmap.links``: one line per link, lead dashed and hit solid.

    ``link_ends`` (keyword-only) are the rows in ``incidents`` of each link's
    ends (-1 when empty), when the caller has them; else ids are matched as text.

    End points are looked up by incident id (and by firearm id for a test-fire
    link whose ``incident_b`` is empty); for a repeated id the first row
    wins. Above ``max_links`` the selected series' links (end A in the
    series) are kept first, then hits, then leads, pending, excluded (stable
    order within each). Links are examined in that order until ``max_links``
    are placed; those examined with an end that has no place on the map are
    counted in ``unplaced`` (every link is examined when fewer than
    ``max_links`` are drawn).

    Examples
    --------
    >>> points = pd.DataFrame({"incident_id": ["1", "2", "3"], "longitude": [-83.1, -83.0, -83.2],
    ...                        "latitude": [42.3, 42.4, 42.35]})
    >>> links = pd.DataFrame({"incident_a": ["1", "2", "1"], "incident_b": ["2", "3", "9"],
    ...                       "status": ["lead", "hit", "hit"]})
    >>> lines = link_payload(links, points, max_links=1)
    >>> lines.drawn, lines.total, lines.unplaced, lines.statuses, lines.payload["coords"]
    (1, 3, 0, ('hit',), [-83.0, 42.4, -83.2, 42.35])
    >>> link_payload(links, points).unplaced  # incident 9 has no place
    1
    """
    points = finite_points(incidents)
    lons, lats = coordinates_of(points)
    no_b = _column_or_empty(links, S.INCIDENT_B).isna().to_numpy(dtype=bool)
    gun_rows, gun_lons, gun_lats = _firearm_ends(links, firearms, no_b)

    member = None
    if selected_series_id is not None and S.SERIES_ID in points.columns:
        in_series = points[S.SERIES_ID].astype("string") == str(selected_series_id)
        member = in_series.to_numpy(dtype=bool, na_value=False)
    found = subset_ends(incidents, points, link_ends)
    if found is not None:  # frames cut from a loaded store: ends were coded at load
        a_rows, b_rows = found
        a_in_series = None if member is None else np.append(member, False)[a_rows]
    else:
        ids = arrow_text(points[S.INCIDENT_ID])
        ends = tuple(arrow_text(_column_or_empty(links, name)) for name in (S.INCIDENT_A, S.INCIDENT_B))
        a_in_series = None
        if member is not None:
            a_in_series = pc.is_in(ends[0], value_set=ids.filter(pa.array(member)), skip_nulls=True)
            a_in_series = a_in_series.to_numpy(zero_copy_only=False)

    status_codes, status_labels = _status_codes(links)
    label_ranks = np.array([_STATUS_ORDER.get(s, _OTHER_RANK) for s in status_labels], dtype=np.int8)
    rank = label_ranks[status_codes]
    if a_in_series is not None:
        rank = np.where(a_in_series, np.int8(_SERIES_RANK), rank)
    ranked = np.argsort(rank, kind="stable")
    if found is None:
        a_rows, b_rows = _rows_by_text(ids, ends, ranked, (gun_rows, no_b), max_links)
    placed_in_order = _placed(a_rows, b_rows, gun_rows, no_b)[ranked]
    examined = _examined(placed_in_order, max_links)
    order = ranked[:examined][placed_in_order[:examined]]
    unplaced = examined - len(order)

    fire = no_b[order]
    far_lons, far_lats = np.empty(len(order)), np.empty(len(order))
    far_lons[~fire], far_lats[~fire] = lons[b_rows[order][~fire]], lats[b_rows[order][~fire]]
    far_lons[fire], far_lats[fire] = gun_lons[gun_rows[order][fire]], gun_lats[gun_rows[order][fire]]
    near = a_rows[order]
    coords = np.column_stack([lons[near], lats[near], far_lons, far_lats]).round(5)

    drawn_status = [status_labels[code] for code in status_codes[order].tolist()]
    statuses = tuple(dict.fromkeys(drawn_status))
    style_keys = list(LINK_STYLES)
    styles = [[LINK_STYLES[k][0], LINK_STYLES[k][1], 3 if k == "hit" else 2.5] for k in style_keys]
    lead_code = style_keys.index("lead")
    style_codes = [style_keys.index(v) if v in style_keys else lead_code for v in drawn_status]
    chosen = links.iloc[order]
    end_a = _column_or_empty(chosen, S.INCIDENT_A).astype("string")
    gun_label = "firearm " + _column_or_empty(chosen, S.FIREARM_ID).astype("string")
    far_label = _column_or_empty(chosen, S.INCIDENT_B).astype("string").fillna(gun_label).fillna("?")
    frame = chosen.assign(__between__=(end_a + " \u2194 " + far_label).to_numpy())
    encoded = [c for f in LINK_FIELDS if (c := encode_column(frame, f, TEXT_LIMIT)) is not None]
    payload = {
        "title": escape_text("Ballistic link (NIBIN)"),
        # a picked series: its links come first (the first ``pickedLinks``); the others are drawn faded
        **({"pickedLinks": int((rank[order] == _SERIES_RANK).sum())} if a_in_series is not None else {}),
        "coords": coords.ravel().tolist(),
        "status": style_codes,
        "styles": styles,
        "fields": encoded,
    }
    return LinkLines(
        payload=payload,
        drawn=len(order),
        total=len(links),
        unplaced=unplaced,
        statuses=statuses,
    )
