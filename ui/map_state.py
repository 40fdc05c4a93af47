"""The map's own state: layers switched on or off, and the view; kept in the session and the URL.

The browser keeps the layers the analyst switched and the view across filter
changes (``geo/web/brassmap_draw.js``) and writes them into the page URL
itself, without a rerun (``ui/map_component/map_component.js``):
``map_on=heat,neighbourhoods``, ``map_off=incidents``,
``map_view=42.33,-83.05,13``. A shared URL is read here once per session and
handed to the map for its first drawing. Only a zoomed-in hexagon map
reports its view to the server (``{"map_view": {"bounds", "area"}}`` as the
component's value), which answers with the points of that view.
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
PARAMS: tuple[str, ...] = (ON_PARAM, OFF_PARAM, VIEW_PARAM)
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
    st.session_state[K_FROM_URL] = state_from_params(params)


def initial_state() -> dict[str, Any] | None:
    """The state the map opens with (from the URL), or ``None``."""
    return st.session_state.get(K_FROM_URL) or None


def current_view() -> tuple[tuple[float, float, float, float], str] | None:
    """``(bounds, area)`` of the main map's view, when a zoomed-in hexagon map has reported it.

    ``bounds`` are ``(south, west, north, east)``; ``area`` names what the map
    was opened on (:meth:`geo.map_spec.MapSpec.skeleton`'s ``area``), so a view
    of an earlier filter is not used for a new one.
    """
    value = st.session_state.get(K_MAP)
    view = value.get("map_view") if isinstance(value, dict) else None
    if not isinstance(view, dict):
        return None
    bounds = view.get("bounds")
    if not isinstance(bounds, list | tuple) or len(bounds) != 4:
        return None
    try:
        south, west, north, east = (float(item) for item in bounds)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(item) for item in (south, west, north, east)):
        return None
    return (south, west, north, east), str(view.get("area"))
