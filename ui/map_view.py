"""The incident map: built by :mod:`geo.maps`, shown in the live map (:mod:`ui.live_map`)."""

from __future__ import annotations

import os
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from data import schema as S
from geo import assets
from geo.map_spec import Fit, MapSpec, TileSource
from geo.maps import BOUNDARY_LAYER_NAMES, MAX_POINTS, MapData, MapOptions, build_map_spec
from geo.view_points import with_points_in_view
from linking.filters import Filters
from linking.selection import Selection
from ui import map_state
from ui.live_map import live_map
from ui.loading import area_membership_for
from ui.picking import K_MAP, on_map_click
from ui.text import md

MAP_HEIGHT = 520
POINTS_ENV = "BRASSMAP_MAP_POINTS"


def point_threshold() -> int:
    """Incidents drawn as points at most (``$BRASSMAP_MAP_POINTS``, default 10,000)."""
    try:
        return max(1, int(os.environ.get(POINTS_ENV, MAX_POINTS)))
    except ValueError:
        return MAX_POINTS


def geography_note(boundaries: Any) -> str:
    """Say which local geography the map draws under the incidents (and where it came from).

    Examples
    --------
    >>> geography_note(None)[:40]
    'No boundary areas are in the store, so t'
    """
    if boundaries is None or not len(boundaries) or S.LAYER not in boundaries.columns:
        return (
            "No boundary areas are in the store, so the map has no local geography; import city limits, "
            "districts or neighbourhoods with a preset from data/presets/."
        )
    counts = boundaries[S.LAYER].astype(str).value_counts()
    parts = [f"{BOUNDARY_LAYER_NAMES.get(kind, kind)} ({int(n):,})" for kind, n in counts.items()]
    note = "Local geography on the map: " + ", ".join(parts) + "."
    names = boundaries[S.NAME].astype(str) if S.NAME in boundaries.columns else pd.Series([], dtype=str)
    generated = len(names) > 0 and bool(names.str.contains("synthetic demo").all())
    if set(counts.index) == {"city_limits"} and generated:
        note += (
            " These are the demo's own generated city outlines: ../shared/realdata/boundaries was not found, "
            "so no neighbourhoods or police districts."
        )
    return note


@st.cache_data(show_spinner=False, max_entries=8)
def built_map(
    db_url: str,
    dataset_version: str,
    filters: Filters,
    today: date | None,
    series_id: str | None,
    tiles: TileSource | None,
    fit_to_points: bool,
    _selection: Selection,
    max_points: int = MAX_POINTS,
) -> MapSpec:
    """Build the map of ``_selection`` once per (store, dataset version, filter, pick, basemap, fit).

    ``_selection`` is what (store, dataset version, filters, today) select, so it is
    left out of the key. Returns the map as data (:class:`geo.map_spec.MapSpec`);
    going back to a filter seen before does not build its map again.
    """
    shown: pd.DataFrame = _selection.incidents
    matching = shown.index
    if S.IN_FILTER in shown.columns:
        matching = shown.index[shown[S.IN_FILTER].to_numpy(dtype=bool)]
    counts = area_membership_for(db_url, dataset_version).counts_for(matching)  # areas count the filter's
    data = MapData(
        _selection.incidents,
        _selection.links,
        series=_selection.series,
        firearms=_selection.firearms,
        boundaries=_selection.boundaries,
        area_counts=counts,
        link_ends=_link_ends(_selection),
    )
    options = MapOptions(
        cities=list(filters.cities) or None,
        selected_series_id=series_id,
        tiles=tiles,
        max_points=max_points,
        points_on_zoom=True,
    )
    spec = build_map_spec(data, options)
    incidents: pd.DataFrame = _selection.incidents
    if fit_to_points and len(incidents):
        south, north = float(incidents[S.LATITUDE].min()), float(incidents[S.LATITUDE].max())
        west, east = float(incidents[S.LONGITUDE].min()), float(incidents[S.LONGITUDE].max())
        spec = spec.with_fit(Fit(((south, west), (north, east)), padding=(40, 40), max_zoom=15))
    return spec


def live_spec(spec: MapSpec, *, map_state: dict[str, Any] | None = None) -> dict[str, Any]:
    """The live map's JSON for ``spec`` (assets from the app's ``static/vendor/``)."""
    js, css = assets.static_links()
    return spec.to_live(
        assets={"js": [url for _, url in js], "css": [url for _, url in css]}, map_state=map_state
    )


def _link_ends(selection: Selection) -> tuple[Any, Any] | None:
    """The selection's link ends as rows of its incidents (``Selection.link_ends``), when it has them."""
    ends = selection.link_ends
    return None if ends is None else (ends.incident_a, ends.incident_b)


def map_ui(
    selection: Selection,
    *,
    db_url: str,
    series_id: str | None,
    tiles: TileSource | None,
    key: str = K_MAP,
    height: int = MAP_HEIGHT,
    pickable: bool = True,
    fit_to_points: bool = False,
) -> None:
    """Draw the map of a selection, the picked series highlighted with its time-ordered path.

    The map stays open in the browser between runs and redraws its layers
    when the spec changes; only clicks on map objects rerun the script
    (panning and zooming stay in the browser). A click on a linked incident picks its
    series when ``pickable``. ``db_url`` names the store of ``selection``
    (part of the map cache's key).
    """
    with st.spinner("Drawing the map..."):
        spec = built_map(
            db_url,
            selection.dataset_version,
            selection.filters,
            selection.today,
            series_id,
            tiles,
            fit_to_points,
            selection,
            point_threshold(),
        )
    on_click = partial(on_map_click, selection.incidents) if pickable else None
    opening = None
    if key == K_MAP:  # the main map: points in view, and the layers and view of a shared URL
        view = map_state.current_view()
        if view is not None and view[1] == spec.extra.get("area"):
            spec = with_points_in_view(spec, selection.incidents, view[0], picked=series_id)
        opening = map_state.initial_state()
    live_map(
        live_spec(spec, map_state=opening),
        key=key,
        height=height,
        on_click=on_click,
        keep_in_url=key == K_MAP,
    )
    if key == K_MAP:
        st.caption(md(geography_note(selection.boundaries)))
