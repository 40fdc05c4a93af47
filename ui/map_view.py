"""The incident map (built by :mod:`geo.maps`, shown with streamlit-folium)."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from data import schema as S
from geo.maps import build_map
from linking.selection import Selection
from ui.picking import K_MAP, on_map_click

MAP_HEIGHT = 520


def map_ui(
    selection: Selection,
    *,
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
    series when ``pickable``.
    """
    with st.spinner("Drawing the map..."):
        folium_map = build_map(
            selection.incidents,
            selection.links,
            series=selection.series,
            firearms=selection.firearms,
            boundaries=selection.boundaries,
            cities=list(selection.filters.cities) or None,
            selected_series_id=series_id,
            tiles=tiles,
            asset_mode="static",
        )
    incidents: pd.DataFrame = selection.incidents
    if fit_to_points and len(incidents):
        south, north = float(incidents[S.LATITUDE].min()), float(incidents[S.LATITUDE].max())
        west, east = float(incidents[S.LONGITUDE].min()), float(incidents[S.LONGITUDE].max())
        folium_map.fit_bounds([[south, west], [north, east]], padding=(40, 40), max_zoom=15)
    st_folium(
        folium_map,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_object_clicked"] if pickable else [],
        on_change=partial(on_map_click, incidents) if pickable else None,
    )
    if not tiles:
        st.caption("Basemap tiles are off (`?tiles=off`): city limits give the shape.")
