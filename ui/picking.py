"""The series the analyst picked, shared by the graph, the map, the table and the selectbox.

One session-state key holds the pick. Every source sets it in a widget
callback, which Streamlit runs before the script, so the map, the graph and
the drill-down drawn in that run all show the same series.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import streamlit as st

from data import schema as S

K_PICK = "series_pick"
K_PICK_INCIDENT = "incident_pick"
K_TABLE = "series_table"
K_GRAPH = "graph_chart"
K_MAP = "incident_map"
GRAPH_PARAM = "pick"


def picked_series() -> str | None:
    """Return the picked series id, or ``None``."""
    value = st.session_state.get(K_PICK)
    return str(value) if value else None


def set_pick(series_id: str | None, incident_id: str | None = None) -> None:
    """Pick a series (``None`` clears the pick), and the incident that was clicked or found, if any."""
    st.session_state[K_PICK] = series_id or None
    st.session_state[K_PICK_INCIDENT] = incident_id or None


def picked_incident() -> str | None:
    """Return the picked incident id (a map click or a search), or ``None``."""
    value = st.session_state.get(K_PICK_INCIDENT)
    return str(value) if value else None


def pick_from_click(incidents: pd.DataFrame, clicked: object) -> tuple[str, str | None] | None:
    """``(incident id, its series or None)`` of the incident a map click names, or ``None``.

    The live map sends the clicked marker's id (as the escaped text of its
    popup); this looks it up exactly, so an unlinked shooting picks itself and
    no series, whatever lies nearby. Clicks without an id (a link line) fall
    back to the linked incident under the pointer (:func:`series_at_point`).

    Examples
    --------
    >>> frame = pd.DataFrame({S.INCIDENT_ID: ["a", "b&c"], S.LATITUDE: [42.0, 42.0001],
    ...                       S.LONGITUDE: [-83.0, -83.0], S.SERIES_ID: ["S-a", pd.NA]})
    >>> pick_from_click(frame, {"incident": "b&amp;c", "last_object_clicked": {"lat": 42.0001, "lng": -83.0}})
    ('b&c', None)
    >>> pick_from_click(frame, {"incident": None, "last_object_clicked": {"lat": 42.0, "lng": -83.0}})
    ('a', 'S-a')
    """
    if not hasattr(clicked, "get"):
        return None
    escaped = clicked.get("incident")
    if isinstance(escaped, str) and escaped:
        wanted = html.unescape(escaped)
        same = (incidents[S.INCIDENT_ID].astype("string") == wanted).fillna(False)
        rows = incidents[same.to_numpy(dtype=bool)]
        if len(rows):
            series = rows[S.SERIES_ID].iloc[0] if S.SERIES_ID in rows.columns else None
            return wanted, None if pd.isna(series) else str(series)
    where = clicked.get("last_object_clicked")
    try:
        latitude, longitude = float(where["lat"]), float(where["lng"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    return incident_at_point(incidents, latitude, longitude)


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


def incident_at_point(incidents: pd.DataFrame, latitude: float, longitude: float) -> tuple[str, str] | None:
    """``(incident id, series)`` of the linked incident at a clicked point (within ~50 m), else ``None``."""
    series_id = series_at_point(incidents, latitude, longitude)
    if series_id is None:
        return None
    linked = incidents[(incidents[S.SERIES_ID] == series_id).fillna(False).to_numpy(dtype=bool)]
    dlat = linked[S.LATITUDE].to_numpy(dtype=float) - latitude
    dlon = (linked[S.LONGITUDE].to_numpy(dtype=float) - longitude) * math.cos(math.radians(latitude))
    return str(linked[S.INCIDENT_ID].iloc[int((dlat * dlat + dlon * dlon).argmin())]), series_id


def on_map_click(incidents: pd.DataFrame) -> None:
    """Callback of the map: the clicked incident is picked, with its series (none when it is unlinked)."""
    picked = pick_from_click(incidents, st.session_state.get(K_MAP) or {})
    if picked is not None:
        set_pick(picked[1], picked[0])
