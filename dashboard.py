"""brassmap: shootings on city maps, NIBIN links as graphs. Run: ``streamlit run dashboard.py``.

A thin composition of the views in ``ui/``; set ``BRASSMAP_DB`` to read another store.
"""

import streamlit as st

from data.access import ADMIN, ANALYST, can
from ui import (
    banners,
    drilldown,
    export_view,
    graph_view,
    identity,
    import_view,
    map_view,
    overview,
    series_view,
)
from ui.context import build_context
from ui.errors import panel_guard
from ui.leads_view import K_TABS, leads_panel

st.set_page_config(page_title="brassmap", layout="wide")
user = None
with panel_guard("sign-in"):
    user = identity.sign_in_gate()  # team mode: nothing is loaded before sign-in
if user is None:  # fail closed: the gate itself failed
    st.stop()
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
    exports_tab, leads_tab, import_tab = st.tabs(
        ["Exports", "Leads", "Import data"], key=K_TABS, on_change="rerun"
    )
    with leads_tab, panel_guard("leads"):
        if not can(user, ANALYST):
            identity.role_note("the lead desk", ANALYST)
        elif leads_tab.open:  # the lead desk is computed only when its tab is open
            leads_panel(ctx)
    with exports_tab, panel_guard("exports"):
        if can(user, ANALYST):
            export_view.export_panel(ctx.selection, ctx.series_selection() if ctx.series_id else None)
        else:
            identity.role_note("exports", ANALYST)
    with import_tab, panel_guard("import"):
        if can(user, ADMIN):
            import_view.import_panel(ctx.db_url)
        else:
            identity.role_note("importing", ADMIN)
