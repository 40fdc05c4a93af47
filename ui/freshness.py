"""Notice, on an open page, that someone else imported: the store's dataset version moved on.

Every full run of the page reads the current dataset version
(:func:`ui.loading.current_version`), so any click shows the new data. A page
left open with no clicks would not know; this fragment asks the store every
``BRASSMAP_REFRESH_S`` seconds (default 30; ``0`` turns it off) and, when the
version the page shows is no longer the store's, says so with a button that
reloads the page onto the new data.
"""

from __future__ import annotations

import os
from datetime import timedelta

import streamlit as st

from ui import loading

REFRESH_ENV = "BRASSMAP_REFRESH_S"
DEFAULT_REFRESH_S = 30.0
NOTICE = "New data was imported since this page was drawn."


def refresh_seconds() -> float:
    """How often an open page checks the store (``$BRASSMAP_REFRESH_S``; ``0`` means never)."""
    text = os.environ.get(REFRESH_ENV, "").strip()
    try:
        seconds = float(text) if text else DEFAULT_REFRESH_S
    except ValueError:
        return DEFAULT_REFRESH_S
    return max(seconds, 0.0)


def new_data_notice(db_url: str, shown_version: str) -> None:
    """Check the store now and then; offer to show the new data when its version changed."""
    seconds = refresh_seconds()
    if seconds <= 0:
        return

    shown_store_version, _ = loading.split_view_version(shown_version)  # a scoped page's key names its scope

    @st.fragment(run_every=timedelta(seconds=seconds))
    def check() -> None:
        if loading.current_version(db_url) == shown_store_version:
            return
        st.info(f"**{NOTICE}** The counts, map and tables below are from before it.", icon=":material/sync:")
        if st.button("Show the new data", key="fresh_reload"):
            st.rerun(scope="app")

    check()
