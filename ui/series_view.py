"""The series table (sortable, newest activity first) and the "hot guns" view."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from data import schema as S
from data.audit import sha256_bytes
from data.csv_out import csv_bytes
from ui import audit_log
from ui.context import PageContext
from ui.picking import K_PICK, K_TABLE, on_table_select, set_pick
from ui.table_state import K_HOT_DAYS, K_HOT_ONLY, K_SORT, SORTS, sorted_series

SERIES_TABLE_FILE = "brassmap-series-table.csv"
MAX_TABLE_ROWS = 1_000  # more rows are megabytes over the websocket; the full table is a download
MAX_PICK_OPTIONS = 2_000
TABLE_COLUMNS: tuple[str, ...] = (
    S.SERIES_ID, S.SERIES_SIZE, S.IN_FILTER, S.SERIES_LEADS, S.SERIES_HITS, S.FIRST_DATE, S.LAST_DATE,
    S.DAYS_SINCE_LAST, S.SPAN_DAYS, S.SPAN_KM, S.CITIES, S.AGENCIES, S.CROSS_CITY, S.CROSS_AGENCY,
    S.HAS_FIREARM,
)  # fmt: skip

COLUMN_CONFIG = {
    S.SERIES_ID: st.column_config.TextColumn("Series", help="Stable id of a presumed gun's series"),
    S.SERIES_SIZE: st.column_config.NumberColumn("Incidents", help="Shootings in the whole series"),
    S.IN_FILTER: st.column_config.NumberColumn("In filter", help="Of them, shootings matching the filter"),
    S.SERIES_LEADS: st.column_config.NumberColumn(
        "Leads", help="Unconfirmed NIBIN leads (each link once, by its current status)"
    ),
    S.SERIES_HITS: st.column_config.NumberColumn(
        "Hits", help="Examiner-confirmed links (a lead later confirmed counts here, once)"
    ),
    S.FIRST_DATE: st.column_config.DateColumn("First shooting"),
    S.LAST_DATE: st.column_config.DateColumn("Last shooting"),
    S.DAYS_SINCE_LAST: st.column_config.NumberColumn("Days since last"),
    S.SPAN_DAYS: st.column_config.NumberColumn("Span (days)"),
    S.SPAN_KM: st.column_config.NumberColumn("Span (km)", format="%.1f"),
    S.CITIES: st.column_config.TextColumn("Cities"),
    S.AGENCIES: st.column_config.TextColumn("Agencies"),
    S.CROSS_CITY: st.column_config.CheckboxColumn("Cross-city"),
    S.CROSS_AGENCY: st.column_config.CheckboxColumn("Cross-agency"),
    S.HAS_FIREARM: st.column_config.CheckboxColumn("Gun recovered"),
}


def hot_series(series: pd.DataFrame, days: int) -> pd.DataFrame:
    """Return the series with a shooting in the last ``days`` days (of the reference date).

    Examples
    --------
    >>> table = pd.DataFrame({S.SERIES_ID: ["S-1", "S-2"], S.DAYS_SINCE_LAST: [3, 40]})
    >>> hot_series(table, 28)[S.SERIES_ID].tolist()
    ['S-1']
    """
    return series[series[S.DAYS_SINCE_LAST] <= days]


def table_csv(table: pd.DataFrame) -> bytes:
    """The series table as formula-safe UTF-8 CSV (made only when the download is clicked).

    Examples
    --------
    >>> table_csv(pd.DataFrame({S.SERIES_ID: ["S-1"], S.SERIES_SIZE: [3]})).decode().splitlines()[1]
    '"S-1",3'
    """
    return csv_bytes(table)


def _recorded_table_csv(table: pd.DataFrame, *, note: Callable[[Mapping[str, Any]], None],
                        view: dict[str, Any]) -> bytes:  # fmt: skip
    """:func:`table_csv`, recorded in the audit trail as an export with the SHA-256 of the bytes."""
    data = table_csv(table)
    note({"format": "series_table_csv", "file_name": SERIES_TABLE_FILE, **view,
          "rows": {"series": len(table)}, "bytes": len(data), "sha256": sha256_bytes(data)})  # fmt: skip
    return data


def series_table_ui(series: pd.DataFrame, *, reference_note: str) -> pd.DataFrame:
    """Draw the series table; picking a row picks the series. Returns the rows shown."""
    left, middle, right = st.columns([1, 1, 2])
    hot_only = left.toggle("Hot guns only", key=K_HOT_ONLY, help="Series with a shooting in the last N days.")
    if K_HOT_DAYS not in st.session_state:
        st.session_state[K_HOT_DAYS] = 28
    days = middle.number_input(
        "N days", min_value=1, max_value=3650, step=1, key=K_HOT_DAYS, disabled=not hot_only
    )
    sort = right.selectbox("Sort by", list(SORTS), key=K_SORT, format_func=lambda key: SORTS[key][0])
    shown = hot_series(series, int(days)) if hot_only else series
    shown = sorted_series(shown, str(sort))
    columns = [c for c in TABLE_COLUMNS if c in shown.columns]
    total = len(shown)
    if total > MAX_TABLE_ROWS:
        note, download = st.columns([3, 1], vertical_alignment="center")
        note.caption(
            f"Showing the {MAX_TABLE_ROWS:,} most recently active of {total:,} series; "
            "narrow the filter, or download the whole table."
        )
        download.download_button(
            "Whole table (.csv)",
            data=partial(_recorded_table_csv, shown[columns], note=audit_log.deferred("export"),
                         view={"hot_only": bool(hot_only), "hot_days": int(days), "sort": str(sort)}),
            file_name=SERIES_TABLE_FILE,
            mime="text/csv",
            key="download_series_table",
            on_click="ignore",
            icon=":material/download:",
        )
        shown = shown.head(MAX_TABLE_ROWS)
    label = "hot series" if hot_only else "series"
    st.caption(
        f"{total:,} {label} with a shooting in the filter, whole (In filter: how many of their shootings "
        f"match), sorted by {SORTS[str(sort)][0].lower()}. {reference_note}"
    )
    table = shown[columns].reset_index(drop=True)
    st.dataframe(
        table,
        key=K_TABLE,
        on_select=partial(on_table_select, table[S.SERIES_ID].astype(str).tolist()),
        selection_mode="single-row",
        hide_index=True,
        column_config=COLUMN_CONFIG,
        width="stretch",
        height=320,
    )
    return table


def series_section(ctx: PageContext) -> None:
    """Draw the series picker and the series table of the filter."""
    st.subheader("Series (one presumed gun each)")
    series = ctx.selection.series
    options = series[S.SERIES_ID].astype(str).head(MAX_PICK_OPTIONS).tolist()
    if ctx.series_id is not None and ctx.series_id not in options:
        options.append(ctx.series_id)
    pick_column, clear_column = st.columns([5, 1], vertical_alignment="bottom")
    pick_column.selectbox(
        "Pick a series",
        options,
        index=None,
        key=K_PICK,
        placeholder="Choose a series (newest activity first)",
        help="Or click a row of the table, a node of the graph or a linked incident on the map.",
    )
    clear_column.button(
        "Clear pick", key="clear_pick", on_click=set_pick, args=(None,), disabled=ctx.series_id is None
    )
    series_table_ui(
        series,
        reference_note=f"Days since last and hot guns count to {ctx.reference_date:%d %b %Y}, "
        "the newest incident in the data.",
    )
