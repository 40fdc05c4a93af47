"""The Leads tab: the triage queue, one lead's score and history, buttons that add events, its bulletin.

The queue is :func:`linking.triage.lead_queue` for the sidebar's cities.
Picking a lead shows its score parts and history; "Open its series" picks
the series for the map, graph and drill-down above; the event buttons append
to the lead's history (:func:`data.lead_events.add_event`) and redraw.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data import schema as S
from data.errors import LeadEventError
from data.lead_events import add_event
from linking.triage import GROUPS
from ui import audit_log, loading
from ui.context import PageContext
from ui.desk import bulletin_button, desk_for, queue_for, token
from ui.identity import current_user
from ui.kpis_view import kpis_section
from ui.picking import set_pick
from ui.text import md

K_TABS = "bottom_tabs"  # the dashboard's Exports / Leads / Import tabs (their state says which is open)
K_LEAD = "lead_pick"
K_TO, K_NOTE, K_BY, K_DATE = "lead_event_to", "lead_event_note", "lead_event_by", "lead_event_date"
K_MESSAGE = "lead_event_message"
MAX_QUEUE_ROWS = 500
QUEUE_COLUMNS: tuple[str, ...] = (
    S.SCORE, *GROUPS, S.LEAD_NUMBER, S.STATUS, S.LEAD_DATE, S.LEAD_AGE_DAYS, S.INCIDENT_A, S.INCIDENT_B,
    S.FIREARM_ID, S.CITY, S.SERIES_ID, S.LINK_IDS,
)  # fmt: skip
BUTTONS: tuple[tuple[str, str], ...] = (
    ("reviewed", "Reviewed"), ("disseminated", "Disseminated"), ("confirmed", "Confirmed (hit)"),
    ("excluded", "Excluded"), ("note", "Add note"),
)  # fmt: skip


def lead_label(row: dict) -> str:
    """How a lead is named in the picker.

    >>> lead_label({"lead_number": "N-2", "link_id": "L2", "score": 90.7, "series_id": "S-D1"})
    'N-2 - score 90.7 - series S-D1'
    """
    name = row.get(S.LEAD_NUMBER) or row.get(S.LINK_ID)
    series = row.get(S.SERIES_ID)
    where = f"series {series}" if isinstance(series, str) and series else "no series yet"
    return f"{name} - score {row[S.SCORE]:g} - {where}"


def leads_panel(ctx: PageContext) -> None:
    """Draw the Leads tab (queue, lead detail, events, timeliness)."""
    message = st.session_state.pop(K_MESSAGE, None)
    if message:
        st.success(message)
    events_version = token(ctx.db_url)
    leads, events, today = desk_for(ctx.db_url, ctx.dataset_version, events_version)
    queue = queue_for(ctx.db_url, ctx.dataset_version, events_version, tuple(ctx.filters.cities))
    where = ", ".join(ctx.filters.cities) or "all cities"
    st.markdown(f"**Open leads** ({len(queue):,}, {md(where)}; reference date {today}): lead or pending, "
                "not yet disseminated, highest triage score first.")  # fmt: skip
    st.caption(f"{S.LEAD_DISCLAIMER} Score = geography + events + time + solvability; the parts and their "
               "weights are explained in the README (Lead desk).")  # fmt: skip
    if queue.empty:
        st.info("No open leads: every lead in these cities has been disseminated or decided.")
    else:
        shown = queue.head(MAX_QUEUE_ROWS)[list(QUEUE_COLUMNS)]
        st.dataframe(shown, hide_index=True, width="stretch", height=260)
        _lead_detail(ctx, queue, events)
    kpis_section(ctx, leads, today)


def _lead_detail(ctx: PageContext, queue: pd.DataFrame, events: pd.DataFrame) -> None:
    records = queue.head(MAX_QUEUE_ROWS).to_dict(orient="records")
    labels = {lead_label(r): r for r in records}
    if st.session_state.get(K_LEAD) not in labels:
        st.session_state[K_LEAD] = next(iter(labels))
    label = st.selectbox("Lead", list(labels), key=K_LEAD)
    lead = labels[label]
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**Score {lead[S.SCORE]:g}**")
        parts = lead[S.SCORE_COMPONENTS]
        st.dataframe(pd.DataFrame([{"group": group, "part": part, "points": points}
                                   for group in GROUPS for part, points in parts[group].items()
                                   if part != "points"]), hide_index=True, width="stretch")  # fmt: skip
        series_id = lead[S.SERIES_ID]
        if isinstance(series_id, str) and series_id:
            st.button(f"Open its series {series_id}", on_click=set_pick, args=(series_id,),
                      key="lead_open_series",
                      help="Shows the series on the map, the graph and the drill-down above.")  # fmt: skip
            bulletin_button(ctx.db_url, ctx.dataset_version, series_id, key="lead_bulletin")
        else:
            st.caption("This lead joins no series shown by default (pending, or a test fire alone).")
    with right:
        ids = str(lead[S.LINK_IDS]).split("; ")
        history = events[events[S.LINK_ID].astype(str).isin(ids)]
        columns = [S.EVENT_DATE, S.EVENT, S.EVENT_STATUS, S.EVENT_TO, S.EVENT_BY, S.EVENT_NOTE, S.EVENT_FILE,
                   S.LINK_ID]  # fmt: skip
        name = lead[S.LEAD_NUMBER] or lead[S.LINK_ID]
        st.markdown(f"**History** of {md(name)} (links {md(', '.join(ids))})")
        st.dataframe(history[columns], hide_index=True, width="stretch")
        _event_buttons(ctx, ids)


def _event_buttons(ctx: PageContext, link_ids: list[str]) -> None:
    first, second = st.columns(2)
    to = first.text_input("To (agency, unit or investigator)", key=K_TO)
    note = second.text_input("Note or reason", key=K_NOTE)
    by = first.text_input("By (analyst or examiner)", key=K_BY, placeholder=f"{current_user().name} (you)",
                          help="Left empty: you, as signed in (the operating-system account in local mode)")
    day = second.date_input("Date", value=None, key=K_DATE, help="Default: today")
    buttons = st.columns(len(BUTTONS))
    for column, (event, caption) in zip(buttons, BUTTONS, strict=True):
        if column.button(caption, key=f"lead_add_{event}"):
            _record(ctx, link_ids, event=event, to=to, note=note, by=by, day=day)


def _record(ctx: PageContext, link_ids: list[str], *, event: str, to: str, note: str, by: str,
            day: date | None) -> None:  # fmt: skip
    by = by.strip() or current_user().name
    try:
        written = add_event(loading.store_for(ctx.db_url), link_ids, event=event, day=day, by=by, to=to,
                            note=note)  # fmt: skip
    except LeadEventError as exc:
        st.error(str(exc))
        return
    audit_log.record("lead_event", {"event": event, "link_ids": link_ids, "date": day, "by": by,
                                    "to": to or None, "note": note or None,
                                    "event_ids": [int(i) for i in written[S.EVENT_ID]]})  # fmt: skip
    st.session_state[K_MESSAGE] = f"Recorded {event} on {', '.join(link_ids)}."
    st.rerun()
