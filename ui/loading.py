"""Cached access to the store, its frames and selections.

Every cached function takes what its result depends on as arguments (the
database url and the dataset version), so the cache key never lies. The
cached objects are shared by every session: nothing here or in the views
mutates them.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from data import schema as S
from data.demo_guard import StoreMix, mix_of
from data.frames import Frames
from data.store import EMPTY_VERSION, Store, default_db_url
from geo.areas import AreaMembership, area_membership
from linking.filters import Filters
from linking.graph import graph_for_selection
from linking.layouts import packed_series_layout
from linking.payload import graph_payload
from linking.registry import stable_series
from linking.selection import Selection, select
from ui.background import BackgroundResults

REPO_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO_ROOT / "static"


def database_url() -> str:
    """Return the store the dashboard reads: ``$BRASSMAP_DB`` or the default location.

    ``streamlit run`` takes no ``--db`` option, so the environment variable is
    the way to point the dashboard at another database.
    """
    return os.environ.get("BRASSMAP_DB") or default_db_url()


@st.cache_resource(show_spinner=False)
def static_assets_ready(static_dir: str) -> int:
    """Copy Leaflet and its plugins into ``static/vendor`` once per server.

    Returns the number of files in place; the map's JS/CSS is then served by
    the app itself, so the page needs no internet.
    """
    from geo.assets import install_static_assets

    return len(install_static_assets(Path(static_dir)))


@st.cache_resource(show_spinner=False)
def store_for(url: str) -> Store:
    """Return the (shared, thread-safe) store for ``url``."""
    return Store(url)


def ensure_data(url: str) -> None:
    """Fill a new, never-used store with the synthetic demo data, with a spinner.

    A store emptied on purpose (``python -m data reset`` or the Import tab)
    has a dataset version and stays empty: it waits for the user's import.
    """
    store = store_for(url)
    if store.dataset_version() == EMPTY_VERSION and store.is_empty():
        from data.demo import build_demo_store
        from data.demo.real_boundaries import DEFAULT_FOLDER

        with st.spinner("First start: building the synthetic demo data (seven cities, 2019-2021)..."):
            build_demo_store(store, boundaries_from=DEFAULT_FOLDER)  # real areas when ../shared has them


@st.cache_resource(show_spinner="Loading incidents and links...", max_entries=2)
def frames_for(url: str, dataset_version: str) -> Frames:
    """Load the frames of one dataset version with its stable series (cached per server; never mutate them).

    The first load of a new dataset version brings the store's series
    registry up to date (:func:`linking.registry.stable_series`).
    """
    store = store_for(url)
    return stable_series(store, store.load_frames())


@st.cache_resource(show_spinner=False, max_entries=8)
def selection_for(url: str, dataset_version: str, filters: Filters, today: date | None) -> Selection:
    """Apply ``filters`` to the cached frames (cached per filter; never mutate the result)."""
    return select(frames_for(url, dataset_version), filters, today=today)


@st.cache_resource(show_spinner=False, max_entries=2)
def area_membership_for(url: str, dataset_version: str) -> AreaMembership:
    """Join every loaded incident to its boundary areas once per dataset version (shared; never mutate).

    Each map then counts its filtered incidents per area with
    :meth:`~geo.areas.AreaMembership.counts_for` instead of a spatial join.
    """
    frames = frames_for(url, dataset_version)
    return area_membership(frames.incidents, frames.boundaries)


def _positioned_graph(selection: Selection, max_nodes: int) -> dict[str, Any]:
    graph = graph_for_selection(selection, max_nodes=max_nodes)
    return graph_payload(graph, packed_series_layout(graph))


_GRAPHS: BackgroundResults[dict[str, Any]] = BackgroundResults("graph-layout", max_remembered=8)


def graph_payload_for(
    url: str, dataset_version: str, filters: Filters, today: date | None, max_nodes: int
) -> Future[dict[str, Any]]:
    """Start (or find) the positioned, capped link graph of a selection on a worker thread.

    Call it as soon as the selection is known: the graph is laid out while the
    map is built on the main thread. Kept per filter (shared, never mutate it),
    so picking a series, which reruns the page with the same filter, does not
    lay it out again.
    """
    selection = selection_for(url, dataset_version, filters, today)
    key = (url, dataset_version, filters, today, max_nodes)
    return _GRAPHS.start(key, _positioned_graph, selection, max_nodes)


@st.cache_data(show_spinner=False, max_entries=4)
def store_is_empty(url: str, dataset_version: str) -> bool:
    """Whether the store holds no records (per dataset version: a reset store waits for an import)."""
    return store_for(url).is_empty()


@st.cache_data(show_spinner=False, max_entries=4)
def store_mix_for(url: str, dataset_version: str) -> StoreMix:
    """Synthetic (demo) and real records the store holds, per dataset version (counted only when mixed)."""
    quick = mix_of(store_for(url), exact=False)
    return mix_of(store_for(url)) if quick.holds_demo and quick.holds_real else quick


@st.cache_data(show_spinner=False, max_entries=4)
def record_counts(url: str, dataset_version: str) -> dict[str, int]:
    """Records stored per kind (counted once per dataset version, not on every run of the page)."""
    store = store_for(url)
    return {kind: store.count(kind) for kind in S.KINDS}


def current_version(url: str) -> str:
    """Return the store's dataset version (cheap; changes on every import)."""
    return store_for(url).dataset_version()
