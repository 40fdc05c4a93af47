"""brassmap: shootings on city maps, NIBIN links as graphs. Run: ``streamlit run dashboard.py``.

A thin composition of the views in ``ui/``; set ``BRASSMAP_DB`` to read another store.
"""

import streamlit as st

from ui import banners, drilldown, graph_view, map_view, overview, series_view, tabs_view
from ui.context import build_context
from ui.errors import panel_guard
from ui.identity import sign_in_gate

st.set_page_config(page_title="brassmap", layout="wide")
sign_in_gate()  # team mode: until signed in, nothing is loaded and only the use notice is sent
with panel_guard("page"):
    ctx = build_context()
    graph_view.start_graph(ctx)  # laid out and counted on worker threads while the map is built
    overview.start_overview(ctx)
    banners.banners_ui(ctx)
    overview_slot = st.container()  # filled last: map and graph draw first
    map_column, graph_column = st.columns([3, 2])
    with map_column, panel_guard("map"):
        map_view.map_ui(ctx.selection, db_url=ctx.db_url, series_id=ctx.series_id, tiles=ctx.tiles)
    with graph_column, panel_guard("link graph"):
        graph_view.graph_ui(ctx)
    with panel_guard("series table"):
        series_view.series_section(ctx)
    with overview_slot, panel_guard("overview"):
        overview.overview_section(ctx)
    with panel_guard("series drill-down"):
        drilldown.drilldown_section(ctx)
    tabs_view.lower_tabs(ctx)  # exports, lead desk, import: each for the roles it is for
