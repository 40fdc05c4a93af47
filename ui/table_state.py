"""The series table's view state (hot guns and its days, the sort), kept in the session and the URL."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data import schema as S

K_HOT_ONLY = "hot_only"
K_HOT_DAYS = "hot_days"
K_SORT = "series_sort"

# URL key -> (label, columns, ascending); the first is the default (newest activity first)
SORTS: dict[str, tuple[str, tuple[str, ...], tuple[bool, ...]]] = {
    "recent": ("Newest activity", (S.LAST_DATE, S.SERIES_SIZE, S.SERIES_ID), (False, False, True)),
    "size": ("Most shootings", (S.SERIES_SIZE, S.LAST_DATE, S.SERIES_ID), (False, False, True)),
    "in_filter": (
        "Most shootings in the filter", (S.IN_FILTER, S.SERIES_SIZE, S.SERIES_ID), (False, False, True)
    ),
    "hits": ("Most hits", (S.SERIES_HITS, S.SERIES_SIZE, S.SERIES_ID), (False, False, True)),
    "leads": ("Most leads", (S.SERIES_LEADS, S.SERIES_SIZE, S.SERIES_ID), (False, False, True)),
    "span_km": ("Widest spread (km)", (S.SPAN_KM, S.SERIES_SIZE, S.SERIES_ID), (False, False, True)),
    "first": ("Oldest first shooting", (S.FIRST_DATE, S.SERIES_ID), (True, True)),
    "id": ("Series id", (S.SERIES_ID,), (True,)),
}
DEFAULT_SORT = "recent"


def sorted_series(series: pd.DataFrame, sort: str) -> pd.DataFrame:
    """The series table in the order ``sort`` names (:data:`SORTS`; unknown keys give the default).

    Examples
    --------
    >>> table = pd.DataFrame({S.SERIES_ID: ["S-1", "S-2"], S.SERIES_SIZE: [2, 5], S.LAST_DATE: [2, 1]})
    >>> sorted_series(table, "size")[S.SERIES_ID].tolist()
    ['S-2', 'S-1']
    """
    _, columns, ascending = SORTS.get(sort, SORTS[DEFAULT_SORT])
    present = [(c, a) for c, a in zip(columns, ascending, strict=True) if c in series.columns]
    if not present or sort not in SORTS or sort == DEFAULT_SORT:
        return series
    return series.sort_values([c for c, _ in present], ascending=[a for _, a in present], kind="stable")


def current_sort() -> str:
    """The series table's sort key (the URL's ``sort``)."""
    value = st.session_state.get(K_SORT)
    return str(value) if value in SORTS else DEFAULT_SORT
