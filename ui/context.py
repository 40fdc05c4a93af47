"""Everything a view needs for one run of the page, gathered once at the top."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from data import schema as S
from linking.filters import Filters
from linking.selection import Selection
from ui import loading, url
from ui.filters import filters_ui, seed_widgets
from ui.options import FilterOptions, filter_options
from ui.picking import picked_series, set_pick
from ui.text import md

K_TILES = "basemap_tiles"


@dataclass(frozen=True)
class PageContext:
    """One run's shared values.

    Attributes
    ----------
    db_url, dataset_version : str
        The store and the version of its data (the cache keys).
    options : FilterOptions
        Choices the sidebar offers.
    filters : Filters
        The sidebar's filter with the picked series (what the URL holds).
    selection : Selection
        ``filters`` applied without the series pick (map, graph and table show
        every series of the filter; the picked one is highlighted).
    series_id : str or None
        The picked series, if it is in the selection.
    reference_date : date
        "Today" for days-since-last and hot guns: the newest incident's local date.
    tiles : bool
        Whether the OpenStreetMap basemap is on.
    is_synthetic : bool
        The store holds generated demo data.
    """

    db_url: str
    dataset_version: str
    options: FilterOptions
    filters: Filters
    selection: Selection
    series_id: str | None
    reference_date: date
    tiles: bool
    is_synthetic: bool

    def series_selection(self) -> Selection:
        """Return the selection of the picked series alone (for its exports)."""
        return loading.selection_for(self.db_url, self.dataset_version, self.filters, self.reference_date)


def build_context() -> PageContext:
    """Load data, draw the sidebar and apply the filter (with spinners where slow)."""
    logging.basicConfig(level=logging.INFO)
    loading.static_assets_ready(str(loading.STATIC_DIR))
    db_url = loading.database_url()
    loading.ensure_data(db_url)
    version = loading.current_version(db_url)
    frames = loading.frames_for(db_url, version)
    options = filter_options(db_url, version)
    from_url = url.read_url_once()
    if from_url is not None:
        seed_widgets(from_url, options)
        set_pick(from_url.series_id)
        st.session_state[K_TILES] = url.tiles_on()
    filters = filters_ui(options, series_id=picked_series())
    tiles = st.sidebar.toggle(
        "Basemap (OpenStreetMap tiles)",
        key=K_TILES,
        help="Tiles are the only thing fetched from the internet; switch them off to work fully offline.",
    )
    view_filters = replace(filters, series_id=None)
    with st.spinner("Applying the filter..."):
        selection = loading.selection_for(db_url, version, view_filters, options.last_date)
    series_id = filters.series_id
    if series_id is not None and not (selection.series[S.SERIES_ID] == series_id).any():
        st.info(f"Series {md(series_id)} is not in the current filter, so nothing is picked.")
        set_pick(None)
        series_id = None
        filters = view_filters
    url.write_url(filters, tiles=tiles)
    return PageContext(
        db_url=db_url,
        dataset_version=version,
        options=options,
        filters=filters,
        selection=selection,
        series_id=series_id,
        reference_date=options.last_date,
        tiles=bool(tiles),
        is_synthetic=bool(frames.is_synthetic),
    )
