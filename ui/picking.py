"""The series the analyst picked, shared by the graph, the map, the table and the selectbox.

One session-state key holds the pick. Every source sets it in a widget
callback, which Streamlit runs before the script, so the map, the graph and
the drill-down drawn in that run all show the same series.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from data import schema as S

K_PICK = "series_pick"
K_TABLE = "series_table"
K_GRAPH = "graph_chart"
K_MAP = "incident_map"
GRAPH_PARAM = "pick"


def picked_series() -> str | None:
    """Return the picked series id, or ``None``."""
    value = st.session_state.get(K_PICK)
    return str(value) if value else None


def set_pick(series_id: str | None) -> None:
    """Pick a series (``None`` clears the pick)."""
    st.session_state[K_PICK] = series_id or None


def on_table_select(series_ids: list[str]) -> None:
    """Callback of the series table: the selected row's series becomes the pick."""
    event = st.session_state.get(K_TABLE)
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows and 0 <= rows[0] < len(series_ids):
        set_pick(series_ids[rows[0]])


def on_graph_select() -> None:
    """Callback of the graph chart: a clicked node's series becomes the pick."""
    event = st.session_state.get(K_GRAPH)
    selection = getattr(event, "selection", None) or {}
    points = selection.get(GRAPH_PARAM) if hasattr(selection, "get") else None
    for point in points or []:
        series_id = point.get(S.SERIES_ID) if hasattr(point, "get") else None
        if series_id:
            set_pick(str(series_id))
            return


def series_at_point(incidents: pd.DataFrame, latitude: float, longitude: float) -> str | None:
    """Return the series of the linked incident nearest to a clicked map point (within ~50 m).

    Examples
    --------
    >>> frame = pd.DataFrame({S.LATITUDE: [42.0, 42.5], S.LONGITUDE: [-83.0, -83.5],
    ...                       S.SERIES_ID: ["S-a", pd.NA]})
    >>> series_at_point(frame, 42.0001, -83.0)
    'S-a'
    >>> series_at_point(frame, 42.5, -83.5) is None
    True
    """
    linked = incidents[incidents[S.SERIES_ID].notna()]
    if linked.empty or not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    dlat = linked[S.LATITUDE].to_numpy(dtype=float) - latitude
    dlon = (linked[S.LONGITUDE].to_numpy(dtype=float) - longitude) * math.cos(math.radians(latitude))
    distance = dlat * dlat + dlon * dlon
    nearest = int(distance.argmin())
    if distance[nearest] > (50 / 111_000) ** 2:
        return None
    return str(linked[S.SERIES_ID].iloc[nearest])


def on_map_click(incidents: pd.DataFrame) -> None:
    """Callback of the map: clicking a linked incident picks its series."""
    value = st.session_state.get(K_MAP) or {}
    clicked = value.get("last_object_clicked") if hasattr(value, "get") else None
    if not clicked:
        return
    try:
        latitude, longitude = float(clicked["lat"]), float(clicked["lng"])
    except (KeyError, TypeError, ValueError):
        return
    series_id = series_at_point(incidents, latitude, longitude)
    if series_id:
        set_pick(series_id)
