"""The Leads tab in the real Streamlit script (AppTest) on the hand-made desk store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import schema as S
from data.lead_events import read_events
from data.store import Store
from ui.leads_view import K_TABS

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"


@pytest.fixture
def app(desk: Store, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("BRASSMAP_DB", desk.url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params["tiles"] = "off"
    at.session_state[K_TABS] = "Leads"  # the tab is drawn only when open
    return at.run()


def _lead_box(at: AppTest):
    return next(box for box in at.selectbox if box.label == "Lead")


def test_queue_lists_open_leads_highest_score_first(app: AppTest) -> None:
    assert not app.exception
    options = _lead_box(app).options
    assert [o.split(" - ")[0] for o in options] == ["N-2", "N-5", "N-4"]
    assert any("Leads older than 2 days that nobody has disseminated" in m.value for m in app.markdown)


def test_open_series_then_disseminate_records_the_event(app: AppTest, desk: Store) -> None:
    next(b for b in app.button if b.label == "Open its series S-D1").click().run()
    assert any("Series S" in h.value and "D1" in h.value for h in app.subheader)
    next(t for t in app.text_input if t.label.startswith("To")).input("Detroit PD CGIC")
    next(t for t in app.text_input if t.label.startswith("By")).input("A. Analyst")
    next(b for b in app.button if b.label == "Disseminated").click().run()
    assert not app.exception
    assert any("Recorded disseminated on L2" in s.value for s in app.success)
    events = read_events(desk)
    sent = events[(events[S.EVENT] == "disseminated") & (events[S.LINK_ID] == "L2")]
    assert sent[[S.EVENT_TO, S.EVENT_BY]].values.tolist() == [["Detroit PD CGIC", "A. Analyst"]]
    assert [o.split(" - ")[0] for o in _lead_box(app).options] == ["N-5", "N-4"]


def test_an_event_left_without_by_is_recorded_as_the_user(
    app: AppTest, desk: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "desk.analyst")
    monkeypatch.setenv("LOGNAME", "desk.analyst")
    next(b for b in app.button if b.label == "Open its series S-D1").click().run()
    next(b for b in app.button if b.label == "Reviewed").click().run()
    assert not app.exception
    events = read_events(desk)
    reviewed = events[(events[S.EVENT] == "reviewed") & (events[S.LINK_ID] == "L2")]
    assert reviewed[S.EVENT_BY].tolist() == ["desk.analyst"]


def test_a_disseminated_event_without_recipient_is_refused_on_screen(app: AppTest, desk: Store) -> None:
    next(b for b in app.button if b.label == "Disseminated").click().run()
    assert any("needs --to" in e.value for e in app.error)
    assert "disseminated" not in set(read_events(desk)[S.EVENT][read_events(desk)[S.LINK_ID] == "L2"])


def test_the_lead_desk_is_computed_only_when_its_tab_is_open(desk: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: E501
    monkeypatch.setenv("BRASSMAP_DB", desk.url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params["tiles"] = "off"
    at.run()
    assert not at.exception
    assert not [box for box in at.selectbox if box.label == "Lead"]


def test_confirmed_on_screen_makes_the_lead_a_hit_in_the_series_view(app: AppTest, desk: Store) -> None:
    next(b for b in app.button if b.label == "Open its series S-D1").click().run()

    def l2_statuses() -> set[str]:
        """L2's status in every table that lists it ("Lead (unconfirmed) - dashed" reads as lead)."""
        tables = [t.value for t in app.dataframe if {S.LINK_ID, S.STATUS} <= set(t.value.columns)]
        shown = [s for t in tables for s in t.loc[t[S.LINK_ID].astype(str) == "L2", S.STATUS]]
        return {str(s).split()[0].lower() for s in shown}

    assert l2_statuses() == {"lead"}
    next(b for b in app.button if b.label == "Confirmed (hit)").click().run()
    assert not app.exception
    assert any("Recorded confirmed on L2" in s.value for s in app.success)
    assert l2_statuses() == {"hit"}  # the drill-down's link table, reloaded from the store
    assert [o.split(" - ")[0] for o in _lead_box(app).options] == ["N-5", "N-4"]  # out of the queue
    assert desk.read_table(S.LINKS).set_index(S.LINK_ID).loc["L2", S.STATUS] == "hit"
