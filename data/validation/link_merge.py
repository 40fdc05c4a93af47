"""Merge link rows that join the same pair into one, keeping what each row said."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from data.problems import WARNING, Problems


def pair_keys(links: pd.DataFrame) -> pd.Series:
    """One key per unordered pair (``incident_a``, ``incident_b`` or ``firearm:<id>``)."""
    far = links[S.INCIDENT_B].fillna("firearm:" + links[S.FIREARM_ID].fillna(""))
    return links[S.INCIDENT_A].fillna("") + "\x1f" + far


def merge_duplicate_pairs(links: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    """Merge links joining the same pair into the first row, summing ``association_count``.

    Each merged row is reported as a warning naming the row it went into; the
    strongest status (:data:`data.schema.STATUS_ORDER`) wins; the first lead
    date and the last confirmation date are kept; every lead number is kept
    (joined with ``"; "``); the first calibre given is kept.
    """
    key = pair_keys(links)
    repeated = key.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return links.reset_index(drop=True)
    groups = links.assign(_key=key.to_numpy())
    by_key = groups.groupby("_key", sort=False)
    first_row = by_key[S.REJECT_ROW].transform("first")
    totals = by_key[S.ASSOCIATION_COUNT].transform("sum")
    rank = groups[S.STATUS].map({s: i for i, s in enumerate(S.STATUS_ORDER)})
    best = groups.assign(_rank=rank).groupby("_key", sort=False)["_rank"].transform("min")
    later = key.duplicated(keep="first").to_numpy()
    _warn_merged(links, problems, later=later, first_row=first_row, totals=totals)
    merged = links.loc[~later].copy()
    merged[S.ASSOCIATION_COUNT] = totals.loc[~later].astype("int64")
    # A lead and its later confirmation come as two rows: keep the first lead date and the confirmation.
    merged[S.LEAD_DATE] = by_key[S.LEAD_DATE].transform("min").loc[~later]
    merged[S.CONFIRMED_DATE] = by_key[S.CONFIRMED_DATE].transform("max").loc[~later]
    if S.CALIBER in links.columns:
        merged[S.CALIBER] = by_key[S.CALIBER].transform("first").loc[~later].astype("string")
    merged[S.STATUS] = best.loc[~later].map(dict(enumerate(S.STATUS_ORDER))).astype("string")
    numbers = by_key[S.LEAD_NUMBER].agg(_join_distinct)
    merged[S.LEAD_NUMBER] = pd.array(key.loc[~later].map(numbers).to_numpy(), dtype="string")
    return merged.reset_index(drop=True)


def _join_distinct(values: pd.Series) -> object:
    """Every lead number of the merged rows, in file order, each once ("L-1; L-7"); missing when none."""
    kept = list(dict.fromkeys(str(v) for v in values.dropna()))
    return "; ".join(kept) if kept else pd.NA


def _warn_merged(
    links: pd.DataFrame, problems: Problems, *, later: np.ndarray, first_row: pd.Series, totals: pd.Series
) -> None:
    """One warning per merged row: the pair, the row it went into, the new association count."""
    mask = np.zeros(len(problems.rows), dtype=bool)
    positions = np.searchsorted(problems.rows, links[S.REJECT_ROW].to_numpy()[later])
    mask[positions] = True
    reasons = np.full(len(problems.rows), "", dtype=object)
    far_side = links[S.INCIDENT_B].fillna(links[S.FIREARM_ID].fillna(""))
    pair = links[S.INCIDENT_A].fillna("") + " – " + far_side
    for position, into, total, text in zip(
        positions, first_row.to_numpy()[later], totals.to_numpy()[later], pair.to_numpy()[later], strict=True
    ):
        reasons[position] = f"duplicate pair {text}: merged into row {into} (association_count now {total})"
    shown = pd.Series(pd.NA, index=range(len(problems.rows)), dtype="string")
    shown.iloc[positions] = pair.to_numpy()[later]
    problems.add(mask, S.INCIDENT_A, shown, reasons, WARNING)
