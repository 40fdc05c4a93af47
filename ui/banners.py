"""Title, the synthetic-data banner and the notices at the top of the page."""

from __future__ import annotations

import streamlit as st

from data import schema as S
from ui.context import PageContext
from ui.loading import store_is_empty, store_mix_for
from ui.url import show_url_notice


def banners_ui(ctx: PageContext) -> None:
    """Draw the title and whatever the analyst must know before reading the numbers."""
    st.title("brassmap — shootings and NIBIN links")
    st.caption(
        "Filter in the sidebar; the map, the link graph, the tables and the exports all follow it. "
        "Pick a series in the graph, on the map or in the table to see it in detail. "
        "The URL keeps the view, so it can be shared."
    )
    held = store_mix_for(ctx.db_url, ctx.dataset_version)
    if held.holds_demo and held.holds_real:  # a store filled before demo and real records were kept apart
        st.error(
            f"**This database mixes the synthetic demo ({held.synthetic:,} records) with real records "
            f"({held.real:,}).** Every view and export is marked synthetic. Start clean: empty it "
            "(`python -m data reset --db URL --yes`, or *Start clean* in the *Import data* tab) and import "
            "your files again.",
            icon=":material/warning:",
        )
    elif ctx.is_synthetic:
        st.warning(
            f"**{S.SYNTHETIC_LABEL}.** Generated for demonstration. To work on your own data, import it in "
            "the *Import data* tab below: it replaces the demo (real records are never mixed into it).",
            icon=":material/science:",
        )
    elif store_is_empty(ctx.db_url, ctx.dataset_version):
        st.info(
            "**This database is empty.** Import your files in the *Import data* tab below "
            "(or with `python -m data import`).",
            icon=":material/upload_file:",
        )
    show_url_notice()
