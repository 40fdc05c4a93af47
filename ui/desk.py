"""Cached lead-desk tables (lead table, queue, timeliness) and the bulletin, for the Leads tab and drill-down.

Cache keys are the store url, its dataset version and its events token
(:func:`data.lead_events.events_token`), so a new event or import is seen
at once and nothing is keyed by object identity. Results are shared: never mutate them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from data.lead_events import events_token, read_events
from linking.filters import Filters
from linking.leads import lead_table, reference_date
from ui import loading
from ui.identity import current_user


def token(url: str) -> int:
    """The store's events token (cheap: one ``max`` query)."""
    return events_token(loading.store_for(url))


@st.cache_resource(show_spinner="Reading the lead history...", max_entries=4)
def desk_for(url: str, dataset_version: str, events_version: int) -> tuple[pd.DataFrame, pd.DataFrame, date]:
    """``(lead table, events, reference date)`` of one dataset and events version."""
    frames = loading.frames_for(url, dataset_version)
    events = read_events(loading.store_for(url))
    today = reference_date(frames)
    return lead_table(frames, events, today=today), events, today


@st.cache_resource(show_spinner=False, max_entries=8)
def queue_for(url: str, dataset_version: str, events_version: int, cities: tuple[str, ...]) -> pd.DataFrame:
    """The open-lead queue for the analyst's cities (all when none), highest score first."""
    from linking.triage import lead_queue

    leads, _, today = desk_for(url, dataset_version, events_version)
    frames = loading.frames_for(url, dataset_version)
    return lead_queue(frames, leads, today=today, cities=cities, open_only=True)


def bulletin_bytes(url: str, dataset_version: str, series_id: str, *, by: str | None = None,
                   note: Callable[[Mapping[str, Any]], None] | None = None) -> bytes:  # fmt: skip
    """The bulletin PDF of one whole series (made on click; never cached: it carries its generation time).

    ``by`` names who made it (default: this session's user); ``note`` records it in the audit trail.
    """
    from linking.audit_details import bulletin_details
    from linking.bulletin import build_bulletin, bulletin_file_name

    frames = loading.frames_for(url, dataset_version)
    whole = Filters(series_id=series_id)
    selection = loading.selection_for(url, dataset_version, whole, reference_date(frames))
    events = read_events(loading.store_for(url))
    maker = f"{by or current_user().name} (dashboard)"  # signed-in user in team mode, the OS account locally
    data = build_bulletin(selection, series_id, events=events, generated_by=maker)
    if note is not None:
        details = bulletin_details(series_id, data, file_name=bulletin_file_name(series_id),
                                   include_sensitive=False, dataset_version=dataset_version)  # fmt: skip
        note({**details, "generated_by": maker})
    return data


def bulletin_button(url: str, dataset_version: str, series_id: str, *, key: str) -> None:
    """One click downloads the series bulletin (PDF); the bytes are made when clicked."""
    from linking.bulletin import bulletin_file_name
    from ui import audit_log

    by, note = current_user().name, audit_log.deferred("bulletin")  # taken now: the click runs elsewhere
    st.download_button(
        "Bulletin (PDF)",
        data=lambda: bulletin_bytes(url, dataset_version, series_id, by=by, note=note),
        file_name=bulletin_file_name(series_id),
        mime="application/pdf",
        key=key,
        on_click="ignore",
        help="Map, link chart, timeline, incidents, leads and hits; marked LAW ENFORCEMENT SENSITIVE.",
    )
