"""Incident-to-incident links merged into one row per unordered pair.

A pair may carry several link rows (a lead, then the hit that confirmed it;
several casings from one scene against several from another). The pair's
status is the strongest status among the rows the filter counts:
``hit > lead > pending > excluded``. So an edge with both a lead and a hit is
a hit, and its lead history stays in the ``statuses`` list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S

STATUS_RANK: dict[str, int] = S.STATUS_RANK
RANKED_STATUSES: tuple[str, ...] = tuple(reversed(S.STATUS_ORDER))  # weakest first: index == rank


def incident_links(links: pd.DataFrame, *, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return the incident-incident rows of ``links`` (no test fires, no self-links), ends ordered.

    Parameters
    ----------
    links : DataFrame
        Link rows (schema columns).
    statuses : tuple of str, optional
        Keep only these statuses; ``None`` keeps all.
    """
    if links.empty:
        return links.copy()
    a = links[S.INCIDENT_A].astype("string")
    b = links[S.INCIDENT_B].astype("string")
    keep = (a != b).fillna(False).to_numpy()  # a missing end (a test fire) compares as missing: dropped
    if statuses is not None:
        keep &= links[S.STATUS].astype("string").isin(statuses).to_numpy()
    out = links.loc[keep].copy()
    a = a[keep]
    b = b[keep]
    swap = (b < a).to_numpy()
    if swap.any():
        out[S.INCIDENT_A] = a.mask(swap, b)
        out[S.INCIDENT_B] = b.mask(swap, a)
    return out


def pair_statuses(links: pd.DataFrame, *, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return one row per incident pair with its effective status and merged counts.

    Columns: ``incident_a``, ``incident_b``, ``status`` (strongest), ``association_count``
    (sum; a row without a count counts 1).

    Examples
    --------
    >>> links = pd.DataFrame({
    ...     S.INCIDENT_A: ["A", "B", "A"], S.INCIDENT_B: ["B", "A", "C"],
    ...     S.STATUS: ["lead", "hit", "lead"], S.ASSOCIATION_COUNT: [1, 2, None]})
    >>> pair_statuses(links)[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS, S.ASSOCIATION_COUNT]].values.tolist()
    [['A', 'B', 'hit', 3], ['A', 'C', 'lead', 1]]
    """
    rows = incident_links(links, statuses=statuses)
    columns = [S.INCIDENT_A, S.INCIDENT_B, S.STATUS, S.ASSOCIATION_COUNT]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="string" if c != S.ASSOCIATION_COUNT else "int64")
                             for c in columns})
    rank = rows[S.STATUS].astype("string").map(STATUS_RANK).fillna(-1).astype("int64")
    if S.ASSOCIATION_COUNT in rows.columns:
        count = pd.to_numeric(rows[S.ASSOCIATION_COUNT], errors="coerce").fillna(1).astype("int64")
        count = count.clip(lower=1)
    else:
        count = pd.Series(1, index=rows.index)
    frame = pd.DataFrame(
        {
            S.INCIDENT_A: rows[S.INCIDENT_A].astype("string"),
            S.INCIDENT_B: rows[S.INCIDENT_B].astype("string"),
            "_rank": rank,
            S.ASSOCIATION_COUNT: count,
        }
    )
    grouped = frame.groupby([S.INCIDENT_A, S.INCIDENT_B]).agg({"_rank": "max", S.ASSOCIATION_COUNT: "sum"})
    grouped = grouped.reset_index()  # rows 0..n-1, as the status Series below
    names = np.take([*RANKED_STATUSES, "unknown"], grouped["_rank"].to_numpy())  # rank -1: the last
    grouped[S.STATUS] = pd.Series(names, dtype="string")
    return grouped[columns]
