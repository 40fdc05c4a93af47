"""The tabs under the page (exports, lead desk, import, audit), each shown only to the roles it is for.

Viewers see maps, graphs and tables; exports and the lead desk need the analyst role, importing and
the audit trail the admin role (README, "Team mode"). In local mode the one user is an admin and sees
every tab.
"""

from __future__ import annotations

import streamlit as st

from data.access import ADMIN, ANALYST
from ui import audit_log, export_view, import_view
from ui.context import PageContext
from ui.errors import panel_guard
from ui.identity import allowed
from ui.leads_view import K_TABS, leads_panel


def lower_tabs(ctx: PageContext) -> None:
    """Draw the Exports, Leads, Import data and Audit tabs; a role without the right sees a note instead."""
    exports_tab, leads_tab, import_tab, audit_tab = st.tabs(
        ["Exports", "Leads", "Import data", "Audit"], key=K_TABS, on_change="rerun"
    )
    with leads_tab, panel_guard("leads"):
        if allowed(ANALYST, "the lead desk") and leads_tab.open:  # computed only when its tab is open
            leads_panel(ctx)
    with exports_tab, panel_guard("exports"):
        if allowed(ANALYST, "exports"):
            export_view.export_panel(ctx.selection, ctx.series_selection() if ctx.series_id else None)
    with import_tab, panel_guard("import"):
        if allowed(ADMIN, "importing"):
            import_view.import_panel(ctx.db_url)
    with audit_tab, panel_guard("audit"):
        if audit_tab.open:  # read only while its tab is open; the panel says when the role lacks it
            audit_log.audit_panel()
