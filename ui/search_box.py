"""One search box: an incident id, case number, NIBIN lead number, firearm, evidence or series id
opens the series it belongs to (or the incident, when it is unlinked)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from linking.audit_details import search_details
from linking.search import KIND_LABELS, Match, find
from ui import audit_log
from ui.picking import set_pick
from ui.text import md

K_SEARCH = "search_text"
K_FOUND = "search_found"
SHOWN_MATCHES = 5


def describe(match: Match) -> str:
    """One line for a match: what it is, its value and where it leads."""
    where = f"series {match.series_id}" if match.series_id else f"incident {match.incident_id} (no series)"
    prefix = "" if match.exact else " (starts with)"
    return f"{KIND_LABELS[match.kind]} {match.value}{prefix} → {where}"


def _on_search(frames: Any) -> None:
    """Find the text and open its first match (exact matches come first)."""
    text = str(st.session_state.get(K_SEARCH) or "").strip()
    matches = find(frames, text) if text else []
    st.session_state[K_FOUND] = (text, matches)
    if text:
        audit_log.record("search", search_details(text, matches))
    if matches:
        first = matches[0]
        set_pick(first.series_id, first.incident_id)


def search_ui(frames: Any) -> None:
    """Draw the search box at the top of the sidebar, with what the last search found."""
    st.sidebar.text_input(
        "Find",
        key=K_SEARCH,
        placeholder="Incident, case, lead, firearm, evidence or series id",
        help="Exact matches first (case ignored), then ids that start with the text. "
        "Opens the series it belongs to, or the incident when it is unlinked.",
        on_change=_on_search,
        args=(frames,),
    )
    text, matches = st.session_state.get(K_FOUND) or ("", [])
    if not text:
        return
    if not matches:
        st.sidebar.caption(f"Nothing found for {md(text)}.")
        return
    st.sidebar.caption("Opened: " + md(describe(matches[0])))
    for match in matches[1:SHOWN_MATCHES]:
        st.sidebar.caption("Also: " + md(describe(match)))
    more = len(matches) - SHOWN_MATCHES
    if more > 0:
        st.sidebar.caption(f"… and {more} more; type more of the id to narrow.")
