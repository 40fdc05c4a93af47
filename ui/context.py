"""Everything a view needs for one run of the page, gathered once at the top."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from data import schema as S
from data.frames import Frames
from geo.map_spec import TileSource
from linking.filters import Filters
from linking.registry import UnknownSeriesError, series_index_of
from linking.selection import Selection
from ui import audit_log, loading, map_state, url
from ui import tiles as tile_choice
from ui.filters import PERIOD_KEYS, filters_ui, relative_period, seed_widgets
from ui.identity import current_user
from ui.options import FilterOptions, filter_options
from ui.picking import picked_incident, picked_series, set_pick
from ui.search_box import search_ui
from ui.table_state import DEFAULT_SORT, K_HOT_DAYS, K_HOT_ONLY, K_SORT, SORTS, current_sort
from ui.text import md

K_TILES = "basemap_tiles"


@dataclass(frozen=True)
class PageContext:
    """One run's shared values.

    Attributes
    ----------
    db_url, dataset_version : str
        The store and the version of its data with the user's scope (the cache keys:
        :func:`ui.loading.view_version`).
    options : FilterOptions
        Choices the sidebar offers.
    filters : Filters
        The sidebar's filter with the picked series (what the URL holds).
    selection : Selection
        ``filters`` applied without the series pick (map, graph and table show
        every series of the filter; the picked one is highlighted).
    series_id : str or None
        The picked series (its live id: a merged id is followed), shown whole in the drill-down
        even when none of its shootings matches the filter.
    incident_id : str or None
        The incident clicked on the map or found by the search (its series, if any, is ``series_id``).
    reference_date : date
        "Today" for days-since-last and hot guns: the newest incident's local date.
    tiles : geo.map_spec.TileSource or None
        The basemap, when switched on (:mod:`ui.tiles`).
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
    tiles: TileSource | None
    is_synthetic: bool
    incident_id: str | None = None

    def series_selection(self) -> Selection:
        """Return the picked series whole, whatever the filter (for the drill-down and its exports)."""
        only = Filters(series_id=self.series_id, link_statuses=self.filters.link_statuses)
        return loading.selection_for(self.db_url, self.dataset_version, only, self.reference_date)


def build_context() -> PageContext:
    """Load data, draw the sidebar and apply the filter (with spinners where slow)."""
    logging.basicConfig(level=logging.INFO)
    loading.static_assets_ready(str(loading.STATIC_DIR))
    db_url = loading.database_url()
    loading.ensure_data(db_url)
    version = loading.view_version(loading.current_version(db_url), current_user())
    frames = loading.frames_for(db_url, version)
    options = filter_options(db_url, version)
    tiles_default = tile_choice.default_on()
    from_url = url.read_url_once()
    if from_url is not None:
        view = url.view_from_url()
        period = next((label for label, key in PERIOD_KEYS.items() if key == view.period), None)
        seed_widgets(from_url, options, period=period)
        set_pick(from_url.series_id)
        st.session_state[K_TILES] = url.tiles_on(tiles_default)
        map_state.read_url_state_once({key: st.query_params.get_all(key) for key in st.query_params})
        st.session_state[K_HOT_ONLY] = view.hot
        st.session_state[K_HOT_DAYS] = view.hot_days
        st.session_state[K_SORT] = view.sort if view.sort in SORTS else DEFAULT_SORT
    search_ui(frames)
    filters = filters_ui(options, series_id=picked_series())
    if K_TILES not in st.session_state:
        st.session_state[K_TILES] = tiles_default
    tiles = st.sidebar.toggle(
        tile_choice.toggle_label(),
        key=K_TILES,
        help="Street tiles under the local geography. Without a local tile source (BRASSMAP_TILES) they come "
        "from OpenStreetMap over the internet; the map works fully offline with them off.",
    )
    view_filters = replace(filters, series_id=None)
    with st.spinner("Applying the filter..."):
        selection = loading.selection_for(db_url, version, view_filters, options.last_date)
    series_id, incident_id = _resolved_pick(frames, filters.series_id, picked_incident())
    if series_id != filters.series_id:
        filters = replace(filters, series_id=series_id)
    if series_id is not None and not (selection.series[S.SERIES_ID] == series_id).any():
        st.info(
            f"Series {md(series_id)} has no shooting in the current filter; "
            "it is shown whole in the drill-down."
        )
    audit_log.record_view(selection, series_id=series_id, incident_id=incident_id)  # when it changed
    url.write_url(
        filters,
        tiles=tiles,
        view=_view_params(),
        tiles_default=tiles_default,
        keep=map_state.PARAMS,  # the map writes its own keys (ui.map_state)
    )
    return PageContext(
        db_url=db_url,
        dataset_version=version,
        options=options,
        filters=filters,
        selection=selection,
        series_id=series_id,
        reference_date=options.last_date,
        tiles=tile_choice.tile_source(bool(tiles)),
        is_synthetic=bool(frames.is_synthetic),
        incident_id=incident_id,
    )


def _resolved_pick(
    frames: Frames, series_id: str | None, incident_id: str | None
) -> tuple[str | None, str | None]:
    """The picked series' live id (following a merge, with a note), or nothing when it no longer exists."""
    if series_id is None:
        return None, incident_id
    try:
        live, record = series_index_of(frames).resolve(series_id)
    except UnknownSeriesError as exc:
        st.info(md(str(exc)) + ", so nothing is picked.")
        set_pick(None)
        return None, None
    if record is not None:
        st.info(f"Series {md(series_id)} was merged into {md(live)}: {md(record.get('history') or '')}")
        set_pick(live, incident_id)
    return live, incident_id


def _view_params() -> url.ViewParams:
    """The rest of the view, for the URL: relative period, hot guns and days, the table's sort."""
    period = relative_period()
    sort = current_sort()
    return url.ViewParams(
        period=PERIOD_KEYS[period] if period else None,
        hot=bool(st.session_state.get(K_HOT_ONLY)),
        hot_days=int(st.session_state.get(K_HOT_DAYS) or url.DEFAULT_HOT_DAYS),
        sort=None if sort == DEFAULT_SORT else sort,
    )
