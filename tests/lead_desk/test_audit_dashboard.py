"""The dashboard records who did what (AppTest on the hand-made desk store), and admins read the trail.

Local mode's user is the OS account: ``LOGNAME``/``USER`` are set to a test name, so a record carrying it
came from this session's user, not from a name written into the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from data import audit
from data._sql import AUDIT_LOG
from data.store import Store
from ui.leads_view import K_TABS

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
WHO = "dashboard-tester"


@pytest.fixture
def app(desk: Store, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRASSMAP_DB", desk.url)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, WHO)

    def run(tab: str | None = None) -> AppTest:
        at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
        at.query_params["tiles"] = "off"
        if tab:
            at.session_state[K_TABS] = tab
        return at.run()

    return run


def new_records(store: Store, before: int) -> list[audit.AuditRecord]:
    return list(audit.iter_records(store))[before:]


def test_a_view_is_recorded_when_the_filter_changes_not_on_every_rerun(app, desk):
    before = audit.count(desk)
    at = app()
    assert not at.exception
    (first,) = new_records(desk, before)
    assert (first.action, first.user_name) == ("view", WHO)
    assert first.detail["filter"].startswith("cities: all") and first.detail["via"] == "dashboard"
    assert first.detail["series_id"] is None and first.detail["rows"]["incidents"] == 6
    at.run()
    assert len(new_records(desk, before)) == 1, "a rerun with the same filter records nothing"
    at.multiselect(key="f_cities").set_value(["Memphis"]).run()
    assert not at.exception
    second = new_records(desk, before)[-1]
    assert second.action == "view" and second.detail["filter"].startswith("cities: Memphis")
    assert second.detail["filter_values"]["cities"] == "Memphis"


def test_a_search_and_the_series_it_opens_are_recorded(app, desk):
    at = app()
    before = audit.count(desk)
    at.sidebar.text_input(key="search_text").input("N-3").run()
    assert not at.exception
    search, view = new_records(desk, before)
    assert (search.action, search.user_name) == ("search", WHO)
    assert search.detail["text"] == "N-3" and search.detail["opened"]["value"] == "N-3"
    assert view.action == "view" and view.detail["series_id"] == search.detail["opened"]["series_id"]


def test_a_lead_event_from_the_leads_tab_is_recorded(app, desk):
    at = app("Leads")
    before = audit.count(desk)
    next(t for t in at.text_input if t.label.startswith("To")).input("Memphis PD Gun Unit")
    next(b for b in at.button if b.label == "Disseminated").click().run()
    assert not at.exception
    (event,) = [r for r in new_records(desk, before) if r.action == "lead_event"]
    assert event.user_name == WHO and event.detail["event"] == "disseminated"
    assert event.detail["to"] == "Memphis PD Gun Unit" and event.detail["link_ids"] == ["L2"]


def test_the_audit_tab_shows_the_trail_and_verifies_it(app, desk):
    at = app("Audit")
    assert not at.exception
    assert any("Audit trail" in m.value and "records, head" in m.value for m in at.markdown)
    shown = at.dataframe[-1].value
    assert list(shown.columns) == list(audit.COLUMNS) and shown["seq"].is_monotonic_decreasing
    assert WHO in set(shown["user_name"])
    next(b for b in at.button if b.label == "Verify the chain").click().run()
    assert any(s.value.startswith("audit trail OK") for s in at.success)
    with desk.engine.begin() as connection:  # an intruder edits record 1
        connection.execute(update(AUDIT_LOG).where(AUDIT_LOG.c.seq == 1).values(user_name="nobody"))
    next(b for b in at.button if b.label == "Verify the chain").click().run()
    assert any("BROKEN at record 1" in e.value for e in at.error)
