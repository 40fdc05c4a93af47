"""The dashboard's map view: one Leaflet map that stays open and redraws its layers on each filter change.

A small Streamlit component of our own (``ui/map_component/``: an HTML page
and a script, no build step). Its key stays the same across reruns, so the
browser keeps the map and only swaps its layers when the spec (from
:func:`geo.map_spec.map_spec`) changes; there is no new frame, script load
or map set-up per filter change. Clicking an object returns where it was
clicked, as ``{"last_object_clicked": {"lat": .., "lng": ..}, "clicks": n}``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

COMPONENT_NAME = "brassmap_map"
COMPONENT_DIR = Path(__file__).resolve().parent / "map_component"
_component = components.declare_component(COMPONENT_NAME, path=str(COMPONENT_DIR))


def live_map(
    spec: dict[str, Any],
    *,
    key: str,
    height: int,
    on_click: Callable[[], None] | None = None,
    keep_in_url: bool = False,
) -> dict[str, Any] | None:
    """Show ``spec`` in the live map; return the last click (``None`` before any).

    Parameters
    ----------
    spec : dict
        A :func:`geo.map_spec.map_spec` result.
    key : str, keyword-only
        Keep it the same on every run: the map in the browser is kept by key.
    height : int, keyword-only
        Height of the map in pixels.
    on_click : callable, optional, keyword-only
        Called (before the rerun) when an object on the map is clicked; the
        click is in ``st.session_state[key]``.
    keep_in_url : bool, keyword-only
        Write the layers switched and the view into the page URL (the main map only).
    """
    return _component(
        spec=spec, height=int(height), keepInUrl=bool(keep_in_url), key=key, default=None, on_change=on_click
    )
