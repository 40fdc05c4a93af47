"""The dashboard's side of the audit trail: record what this session's user does; show the trail to admins.

:func:`record` appends one record as :func:`ui.identity.current_user` to the dashboard's store
(:func:`data.audit.append` underneath). Downloads are made on click in a worker thread, where the
session is out of reach: :func:`deferred` takes the user and the store at draw time and returns the
function the download calls with its details. :func:`record_view` records a view only when the filter
or the picked series or incident changes, not on every rerun.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from data import audit
from data.access import ADMIN
from data.csv_out import csv_bytes
from linking.audit_details import view_details
from linking.selection import Selection
from ui import loading
from ui.identity import allowed, current_user
from ui.text import md

K_LAST_VIEW = "audit_last_view"
K_VERDICT = "audit_verdict"
K_USER, K_ACTIONS, K_SINCE = "audit_filter_user", "audit_filter_actions", "audit_filter_since"
SHOWN_ROWS = 500


def record(action: str, details: Mapping[str, Any] | None = None) -> audit.AuditRecord:
    """Append a record of ``action`` by this session's user (``via: dashboard``)."""
    store = loading.store_for(loading.database_url())
    return audit.append(store, current_user(), action, {**dict(details or {}), "via": "dashboard"})


def deferred(action: str) -> Callable[[Mapping[str, Any]], None]:
    """Return ``note(details)`` that records ``action`` later (from a download's worker thread)."""
    store = loading.store_for(loading.database_url())
    user = current_user()

    def note(details: Mapping[str, Any]) -> None:
        audit.append(store, user, action, {**dict(details), "via": "dashboard"})

    return note


def record_view(selection: Selection, *, series_id: str | None, incident_id: str | None) -> bool:
    """Record a view when the filter or the pick changed since this session's last one; return whether."""
    shown = tuple(sorted(selection.filters.to_dict().items()))
    signature = (shown, series_id, incident_id, current_user().name)
    if st.session_state.get(K_LAST_VIEW) == signature:
        return False
    record("view", view_details(selection, series_id=series_id, incident_id=incident_id))
    st.session_state[K_LAST_VIEW] = signature
    return True


def audit_panel() -> None:
    """The trail for admins: its state, a verify button, the latest records (filtered) and a CSV download."""
    if not allowed(ADMIN, "the audit trail"):
        return
    store = loading.store_for(loading.database_url())
    st.markdown(f"**Audit trail**: {audit.count(store):,} records, head `{audit.head(store) or '(empty)'}`. "
                "Append-only: each record carries the hash of the one before (README, 'The audit trail').")
    if st.button("Verify the chain", key="audit_verify", icon=":material/verified:"):
        st.session_state[K_VERDICT] = audit.verify(store).message()
    verdict = st.session_state.get(K_VERDICT)
    if verdict:
        (st.success if verdict.startswith("audit trail OK") else st.error)(md(verdict))
    first, second, third = st.columns(3)
    user = first.text_input("User", key=K_USER, placeholder="any user").strip() or None
    actions = second.multiselect("Actions", list(audit.ACTIONS), key=K_ACTIONS, placeholder="every action")
    since: dt.date | None = third.date_input("Since (UTC day)", value=None, key=K_SINCE)
    chosen: list[str | None] = list(actions) or [None]
    frames = [audit.read_frame(store, user=user, action=action, since=since, newest_first=True,
                               limit=SHOWN_ROWS) for action in chosen]  # fmt: skip
    shown = _newest(frames).head(SHOWN_ROWS)
    st.caption(f"Newest first, at most {SHOWN_ROWS} records shown; the download holds every match.")
    st.dataframe(shown, hide_index=True, width="stretch", height=360)
    st.download_button(
        "Download these records (CSV)",
        data=_export_bytes(user=user, actions=tuple(actions), since=since),
        file_name="brassmap-audit.csv",
        mime="text/csv",
        key="audit_download",
        on_click="ignore",
        icon=":material/download:",
    )


def _newest(frames: list[Any]) -> Any:
    import pandas as pd

    return pd.concat(frames, ignore_index=True).sort_values("seq", ascending=False, ignore_index=True)


def _export_bytes(*, user: str | None, actions: tuple[str, ...],
                  since: dt.date | None) -> Callable[[], bytes]:  # fmt: skip
    """The formula-safe CSV of every matching record, made on click and recorded as an ``audit_export``."""
    store = loading.store_for(loading.database_url())
    note = deferred("audit_export")

    def render() -> bytes:
        frames = [audit.read_frame(store, user=user, action=action, since=since)
                  for action in (actions or (None,))]  # fmt: skip
        frame = _newest(frames).sort_values("seq", ignore_index=True)
        data = csv_bytes(frame)
        wanted = {"since": since, "user": user, "actions": list(actions)}
        chosen = {k: v for k, v in wanted.items() if v}
        note({"format": "csv", "file_name": "brassmap-audit.csv", "filter": chosen, "rows": len(frame),
              "sha256": audit.sha256_bytes(data)})  # fmt: skip
        return data

    return render
