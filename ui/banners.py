"""Title, the synthetic-data banner and the notices at the top of the page."""

from __future__ import annotations

import streamlit as st

from data import schema as S
from ui.context import PageContext
from ui.freshness import new_data_notice
from ui.layout import compact_page
from ui.loading import store_is_empty, store_mix_for
from ui.url import show_url_notice


def banners_ui(ctx: PageContext) -> None:
    """Draw the title and whatever the analyst must know before reading the numbers."""
    compact_page()
    st.title("brassmap — shootings and NIBIN links")
    st.caption(
        "The sidebar's filters drive the map, graph, tables and exports. Pick a series on the graph, "
        "map or table to see it in detail; the URL keeps the view."
    )
    new_data_notice(ctx.db_url, ctx.dataset_version)  # someone else imported while this page is open
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
            f"**{S.SYNTHETIC_LABEL}.** Your own data replaces it: *Import data* tab below.",
            icon=":material/science:",
        )
    elif store_is_empty(ctx.db_url, ctx.dataset_version):
        st.info(
            "**This database is empty.** Import your files in the *Import data* tab below "
            "(or with `python -m data import`).",
            icon=":material/upload_file:",
        )
    show_url_notice()
