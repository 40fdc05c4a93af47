"""The map's own state: layers switched on or off, and the view; kept in the session and the URL.

The live map reports its state after the analyst toggles a layer or moves
the map (``{"map_state": {"layers": {key: on}, "view": [lat, lon, zoom],
"bounds": [s, w, n, e]}}`` as the component's value). It goes into the URL
as ``map_on=heat,neighbourhoods``, ``map_off=incidents`` and
``map_view=42.33,-83.05,13``; a shared URL is read once per session and
handed to the map for its first drawing. The browser itself keeps the
layers and the view across filter changes (see ``geo/web/brassmap_draw.js``).
"""

from __future__ import annotations

import contextlib
import math
import re
from typing import Any

import streamlit as st

from ui.picking import K_MAP

ON_PARAM = "map_on"
OFF_PARAM = "map_off"
VIEW_PARAM = "map_view"
K_STATE = "map_state_now"
K_FROM_URL = "map_state_from_url"
_KEY = re.compile(r"^[A-Za-z0-9_]{1,40}$")


def state_from_params(params: dict[str, list[str]]) -> dict[str, Any]:
    """Read the map's state from query parameters (unreadable parts are left out).

    Examples
    --------
    >>> state_from_params({"map_on": ["heat,neighbourhoods"], "map_off": ["incidents"],
    ...                    "map_view": ["42.3,-83,13"]})
    {'layers': {'heat': True, 'neighbourhoods': True, 'incidents': False}, 'view': [42.3, -83.0, 13]}
    >>> state_from_params({"map_on": ["<b>"], "map_view": ["x"]})
    {}
    """

    def keys(name: str) -> list[str]:
        text = ",".join(params.get(name) or [])
        return [key for key in text.split(",") if _KEY.match(key)]

    layers = {key: True for key in keys(ON_PARAM)} | {key: False for key in keys(OFF_PARAM)}
    state: dict[str, Any] = {"layers": layers} if layers else {}
    view = ",".join(params.get(VIEW_PARAM) or []).split(",")
    try:
        lat, lon, zoom = float(view[0]), float(view[1]), int(view[2])
    except (IndexError, ValueError):
        return state
    if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180 and 0 <= zoom <= 19:
        state["view"] = [lat, lon, zoom]
    return state


def params_from_state(state: dict[str, Any] | None) -> dict[str, str]:
    """The query parameters for ``state`` (empty when nothing was changed).

    Examples
    --------
    >>> params_from_state({"layers": {"heat": True, "incidents": False}, "view": [42.33333333, -83.05, 13]})
    {'map_on': 'heat', 'map_off': 'incidents', 'map_view': '42.33333,-83.05,13'}
    """
    if not state:
        return {}
    out: dict[str, str] = {}
    layers = state.get("layers") or {}
    on = [key for key, value in layers.items() if value is True and _KEY.match(str(key))]
    off = [key for key, value in layers.items() if value is False and _KEY.match(str(key))]
    if on:
        out[ON_PARAM] = ",".join(sorted(on))
    if off:
        out[OFF_PARAM] = ",".join(sorted(off))
    view = state.get("view")
    if isinstance(view, list | tuple) and len(view) == 3:
        with contextlib.suppress(TypeError, ValueError):
            out[VIEW_PARAM] = f"{round(float(view[0]), 5)},{round(float(view[1]), 5)},{int(view[2])}"
    return out


def read_url_state_once(params: dict[str, list[str]]) -> None:
    """Keep a shared URL's map state for the map's first drawing in this session."""
    state = state_from_params(params)
    st.session_state[K_FROM_URL] = state
    st.session_state[K_STATE] = state


def initial_state() -> dict[str, Any] | None:
    """The state the map opens with (from the URL), or ``None``."""
    return st.session_state.get(K_FROM_URL) or None


def current_state() -> dict[str, Any]:
    """The latest state the map reported (or the URL's, before it reported any)."""
    value = st.session_state.get(K_MAP)
    reported = value.get("map_state") if hasattr(value, "get") else None
    if isinstance(reported, dict):
        st.session_state[K_STATE] = reported
    state = st.session_state.get(K_STATE)
    return state if isinstance(state, dict) else {}


def current_bounds() -> tuple[float, float, float, float] | None:
    """The bounds ``(south, west, north, east)`` of the map's view, when it has reported them."""
    bounds = current_state().get("bounds")
    if not isinstance(bounds, list | tuple) or len(bounds) != 4:
        return None
    try:
        south, west, north, east = (float(value) for value in bounds)
    except (TypeError, ValueError):
        return None
    return south, west, north, east


def url_params() -> dict[str, str]:
    """The map's query parameters for :func:`ui.url.write_url`."""
    return params_from_state(current_state())
