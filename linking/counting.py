"""The one rule for counting leads and hits, used by every view, summary and export.

A *link* is one incident pair (either order), or one incident and one
recovered firearm for a test fire. Several link rows on one pair (the lead,
then the hit that confirmed it; several casings of one scene) are one link.
Its status is its current status, the strongest of its rows that the filter
counts: ``hit > lead > pending > excluded`` (:data:`linking.pairs.STATUS_RANK`),
so a lead later confirmed counts once, as a hit; its lead history stays in
the edge fields (``statuses``, ``lead_numbers``). Test-fire links count as
links of the series their incident belongs to.

Everything else (the overview, the series table, the drill-down, the export
panel, the command line and every export) calls :func:`count_links` or
reads a table that it filled.

Examples
--------
>>> import pandas as pd
>>> links = pd.DataFrame({"incident_a": ["a", "b", "a", "c"], "incident_b": ["b", "a", "c", None],
...                       "firearm_id": [None, None, None, "F-1"],
...                       "status": ["lead", "hit", "lead", "hit"]})
>>> count_links(links)
LinkCounts(leads=1, hits=2, pending=0, excluded=0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import schema as S
from linking.pairs import RANKED_STATUSES, STATUS_RANK
from linking.table_columns import status_ranks


@dataclass(frozen=True)
class LinkCounts:
    """Links by current status (see the module docstring)."""

    leads: int
    hits: int
    pending: int
    excluded: int

    @property
    def total(self) -> int:
        """Every link, whatever its status."""
        return self.leads + self.hits + self.pending + self.excluded


def link_units(left: np.ndarray, right: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge rows into links: ``(first row of each link, its current status rank)``.

    ``left``/``right`` are integer end codes (either order; a test fire's far end
    is a firearm code no incident shares); rows with a negative end or rank are
    not links.

    >>> link_units(np.array([0, 1, 0]), np.array([1, 0, 2]), np.array([2, 3, 2]))
    (array([1, 2]), array([3, 2]))
    """
    usable = np.flatnonzero((left >= 0) & (right >= 0) & (rank >= 0) & (left != right))
    if not len(usable):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    low = np.minimum(left[usable], right[usable])
    high = np.maximum(left[usable], right[usable])
    width = int(high.max()) + 1
    key = np.ravel_multi_index((low, high), (width, width))  # one number per (low, high) pair
    order = np.lexsort((-rank[usable], key))  # per link, the strongest row first
    sorted_key = key[order]
    first = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    chosen = usable[order[first]]
    return chosen, rank[chosen]


def link_ends(links: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Integer end codes of every row from the id texts (a firearm end never equals an incident end)."""
    a_text = links[S.INCIDENT_A].astype("string")
    b_text = links[S.INCIDENT_B].astype("string")
    if S.FIREARM_ID in links.columns:
        gun = "\x00firearm:" + links[S.FIREARM_ID].astype("string")
        b_text = b_text.fillna(gun)
    codes, _ = pd.factorize(pd.concat([a_text, b_text]))
    return codes[: len(links)], codes[len(links) :]


def count_by(
    links: pd.DataFrame,
    group: np.ndarray,
    groups: int,
    *,
    ends: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Links per group and status: an int64 array ``(groups, 4)`` in ``RANKED_STATUSES`` order.

    Parameters
    ----------
    links : DataFrame
        Link rows (``status``; ``incident_a``/``incident_b``/``firearm_id`` when ``ends`` is not given).
    group : ndarray
        Group (e.g. series number) of each row; -1 leaves the row out.
    groups : int
        Number of groups.
    ends : (ndarray, ndarray), optional, keyword-only
        Integer end codes per row (as :func:`link_ends` returns), when the caller has them.
    """
    counts = np.zeros((groups, len(RANKED_STATUSES)), dtype=np.int64)
    if not len(links):
        return counts
    left, right = ends if ends is not None else link_ends(links)
    rank = status_ranks(links[S.STATUS])
    rank = np.where(group >= 0, rank, -1)
    rows, ranks = link_units(left, right, rank)
    np.add.at(counts, (group[rows], ranks), 1)
    return counts


def count_links(links: pd.DataFrame) -> LinkCounts:
    """Count ``links`` by the one rule (see the module docstring)."""
    (totals,) = count_by(links, np.zeros(len(links), dtype=np.int64), 1).tolist()  # the one group's row
    by = {status: totals[STATUS_RANK[status]] for status in RANKED_STATUSES}
    return LinkCounts(leads=by["lead"], hits=by["hit"], pending=by["pending"], excluded=by["excluded"])

