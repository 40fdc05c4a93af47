"""Cached access to the store, its frames and selections.

Every cached function takes what its result depends on as arguments (the
database url and the dataset version), so the cache key never lies. The
cached objects are shared by every session: nothing here or in the views
mutates them.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import Future
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from data import schema as S
from data.access import ANALYST, VIEWER, User, scope_token
from data.demo_guard import StoreMix, mix_of
from data.frames import Frames
from data.store import EMPTY_VERSION, Store, default_db_url
from geo.areas import AreaMembership, area_membership
from linking.filters import Filters
from linking.graph import graph_for_selection
from linking.layouts import packed_series_layout
from linking.payload import graph_payload
from linking.registry import stable_series
from linking.scope import outside_links, restrict
from linking.selection import Selection, select
from ui.background import BackgroundResults

REPO_ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = REPO_ROOT / "static"
SCOPE_MARK = "|scope="


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
        from ui import audit_log  # (imports this module)

        built = {"seed": 2019, "incidents": store.count("incidents"), "links": store.count("links"),
                 "boundaries_from": str(DEFAULT_FOLDER)}  # fmt: skip
        audit_log.record("demo", built)


@st.cache_resource(show_spinner="Loading incidents and links...", max_entries=2)
def store_frames(url: str, dataset_version: str) -> Frames:
    """Load the whole store's frames of one dataset version with its stable series (cached; never mutate).

    Views never call this: they call :func:`frames_for` with the page's view version, which is
    cut to the user's scope. The first load of a new dataset version brings the store's series
    registry up to date (:func:`linking.registry.stable_series`).
    """
    store = store_for(url)
    return stable_series(store, store.load_frames())


def view_version(dataset_version: str, user: User) -> str:
    """Return the key every cached view of this user is built from: the dataset version plus the scope token.

    Users who may see everything (an unscoped analyst or admin, local mode) get the dataset version itself;
    anyone else gets ``VERSION|scope=[cities, agencies, blank sensitive]``, so no cache keyed by
    ``(url, view version)`` is ever shared between users of different scopes.

    Examples
    --------
    >>> view_version("v7", User("ann", "viewer", cities=("Memphis",)))
    'v7|scope=[["Memphis"], [], true]'
    """
    token = scope_token(user)
    if token == ((), (), False):
        return dataset_version
    return dataset_version + SCOPE_MARK + json.dumps([list(token[0]), list(token[1]), token[2]])


def split_view_version(key: str) -> tuple[str, User | None]:
    """Return the dataset version and the scope (as a user to restrict for; ``None``: everything) of a key.

    Examples
    --------
    >>> split_view_version('v7|scope=[["Memphis"], [], true]')
    ('v7', User(name='scope', role='viewer', cities=('Memphis',), agencies=()))
    >>> split_view_version("v7")
    ('v7', None)
    """
    version, mark, scope = key.partition(SCOPE_MARK)
    if not mark:
        return version, None
    cities, agencies, blank = json.loads(scope)
    return version, User("scope", VIEWER if blank else ANALYST, tuple(cities), tuple(agencies))


@st.cache_resource(show_spinner="Loading incidents and links...", max_entries=8)
def frames_for(url: str, view_key: str) -> Frames:
    """The frames a page may show: the store's, cut to the scope in ``view_key`` (:func:`view_version`).

    Cached per server and scope; never mutate them. Cut frames carry ``view_key`` as their
    ``dataset_version`` (so exports name the scope they were made in).
    """
    version, scope = split_view_version(view_key)
    frames = store_frames(url, version)
    if scope is None:
        return frames
    # the cut frames carry the view key as their version: every cache keyed by a selection's
    # dataset_version (the map's, the graph's) then keeps scopes apart too
    return replace(restrict(frames, scope), dataset_version=view_key)


@st.cache_resource(show_spinner=False, max_entries=8)
def outside_links_for(url: str, view_key: str) -> pd.DataFrame:
    """Links from an incident in scope to one outside it: the incident and the other agency (never mutate)."""
    version, scope = split_view_version(view_key)
    if scope is None:
        return outside_links(store_frames(url, version), User("all"))
    return outside_links(store_frames(url, version), scope)


def clear_frames() -> None:
    """Forget every cached frame (after an import or a reset from the dashboard)."""
    store_frames.clear()
    frames_for.clear()
    outside_links_for.clear()


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
