"""The incident map (built by :mod:`geo.maps`, shown with streamlit-folium)."""

from __future__ import annotations

from datetime import date
from functools import partial

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from data import schema as S
from geo.maps import build_map
from linking.filters import Filters
from linking.selection import Selection
from ui.loading import area_membership_for
from ui.picking import K_MAP, on_map_click

MAP_HEIGHT = 520


@st.cache_data(show_spinner=False, max_entries=8)
def built_map(
    db_url: str,
    dataset_version: str,
    filters: Filters,
    today: date | None,
    series_id: str | None,
    tiles: bool,
    fit_to_points: bool,
    _selection: Selection,
) -> folium.Map:
    """Build the map of ``_selection`` once per (store, dataset version, filter, pick, basemap, fit).

    ``_selection`` is what (store, dataset version, filters, today) select, so it is
    left out of the key. The cache keeps the map unrendered and pickled and
    every run gets its own copy (well under 0.01 s), because streamlit-folium
    renders a map in place and a second render of one object adds its header
    scripts twice. Going back to a filter seen before does not build its map again.
    """
    counts = area_membership_for(db_url, dataset_version).counts_for(_selection.incidents.index)
    folium_map = build_map(
        _selection.incidents,
        _selection.links,
        series=_selection.series,
        firearms=_selection.firearms,
        boundaries=_selection.boundaries,
        cities=list(filters.cities) or None,
        selected_series_id=series_id,
        tiles=tiles,
        asset_mode="static",
        area_counts=counts,
    )
    incidents: pd.DataFrame = _selection.incidents
    if fit_to_points and len(incidents):
        south, north = float(incidents[S.LATITUDE].min()), float(incidents[S.LATITUDE].max())
        west, east = float(incidents[S.LONGITUDE].min()), float(incidents[S.LONGITUDE].max())
        folium_map.fit_bounds([[south, west], [north, east]], padding=(40, 40), max_zoom=15)
    return folium_map


def map_ui(
    selection: Selection,
    *,
    db_url: str,
    series_id: str | None,
    tiles: bool,
    key: str = K_MAP,
    height: int = MAP_HEIGHT,
    pickable: bool = True,
    fit_to_points: bool = False,
) -> None:
    """Draw the map of a selection, the picked series highlighted with its time-ordered path.

    Only clicks on objects rerun the script (``returned_objects``); panning
    and zooming stay in the browser. A click on a linked incident picks its
    series when ``pickable``. ``db_url`` names the store of ``selection``
    (part of the map cache's key).
    """
    with st.spinner("Drawing the map..."):
        folium_map = built_map(
            db_url,
            selection.dataset_version,
            selection.filters,
            selection.today,
            series_id,
            bool(tiles),
            fit_to_points,
            selection,
        )
    st_folium(
        folium_map,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_object_clicked"] if pickable else [],
        on_change=partial(on_map_click, selection.incidents) if pickable else None,
    )
    if not tiles:
        st.caption("Basemap tiles are off (`?tiles=off`): city limits give the shape.")
