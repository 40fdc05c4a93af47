"""Team mode as a user meets it (AppTest): the sign-in gate, roles and scope.

The identity provider's part (``st.login``) is exercised in Chromium by
``tests/browser/test_browser_team_mode.py``; here AppTest seeds ``st.user``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data.access import User
from data.store import Store
from data.users import forget, grant
from tests.ui.conftest import DASHBOARD
from ui import loading
from ui.text import md

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "apptest-cookie-secret",
    "client_id": "brassmap",
    "client_secret": "apptest",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
SECRETS = {
    "auth": AUTH,
    "brassmap": {
        "mode": "team",
        "use_notice": "AUTHORISED USE ONLY: test notice 4711.",
        "claim_roles": {"gun-unit": "analyst", "it-admins": "admin", "watch": "viewer"},
    }
}


def sent(at: AppTest) -> str:
    """Everything the run would send to the browser (every element's message), as text."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.fixture
def team(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """Return ``team(user=None|dict)``: the dashboard in team mode, signed out or signed in with claims."""
    monkeypatch.setenv("BRASSMAP_DB", demo_db)
    monkeypatch.setenv("BRASSMAP_MODE", "team")
    loading.clear_frames()

    def run(user: dict[str, Any] | None = None) -> AppTest:
        at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
        at.secrets = SECRETS
        signed_in = {"is_logged_in": True, "auth_time": time.time(), **(user or {})}
        at.user = {"is_logged_in": False} if user is None else signed_in
        return at.run()

    yield run
    loading.clear_frames()


def test_local_mode_says_so_and_has_no_sign_in(app: Callable[..., AppTest]) -> None:
    at = app()
    assert not at.exception
    assert any("local mode" in caption.value for caption in at.sidebar.caption)
    assert not [button for button in at.button if button.label == "Sign in"]


def test_signed_out_page_holds_the_notice_and_no_data(team: Callable[..., AppTest], monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the store was read before sign-in")

    monkeypatch.setattr(Store, "load_frames", refuse)
    monkeypatch.setattr(Store, "dataset_version", refuse)
    at = team()
    assert not at.exception
    assert [button.label for button in at.button] == ["Sign in"]
    assert at.warning[0].value == md("AUTHORISED USE ONLY: test notice 4711.")
    text = sent(at)
    for city in ("Detroit", "Memphis", "Baltimore", "DET-", "MEM-", "Incidents", "local mode"):
        assert city not in text


def test_a_user_without_a_role_sees_no_access(team: Callable[..., AppTest]) -> None:
    at = team({"email": "nobody@pd.gov", "sub": "nobody", "groups": ["canteen"]})
    assert not at.exception
    assert at.title[0].value == "No access"
    assert md("nobody@pd.gov") in at.error[0].value
    assert "DET-" not in sent(at) and "Detroit" not in sent(at)


def test_viewer_gets_no_exports_leads_or_import(team: Callable[..., AppTest]) -> None:
    at = team({"email": "vic@pd.gov", "sub": "vic", "groups": ["watch"]})
    assert not at.exception
    notes = [info.value for info in at.info if "does not include" in info.value]
    assert any("exports" in note for note in notes)
    assert any("lead desk" in note for note in notes)
    assert any("importing" in note for note in notes)
    assert not [button for button in at.button if "Import" in button.label]
    assert not at.get("download_button")
    assert not [box for box in at.checkbox if "sensitive" in box.label.lower()]


def test_analyst_gets_exports_but_not_import(team: Callable[..., AppTest]) -> None:
    at = team({"email": "ana@pd.gov", "sub": "ana", "groups": ["gun-unit", "watch"]})
    assert not at.exception
    notes = [info.value for info in at.info if "does not include" in info.value]
    assert notes and all("importing" in note for note in notes)
    assert any("sensitive" in box.label.lower() for box in at.checkbox)


def test_memphis_viewer_receives_no_detroit_incident(team: Callable[..., AppTest], demo_db: str) -> None:
    store = Store(demo_db)
    grant(store, "Mem@PD.gov", "viewer", cities=["Memphis"], by="test")
    try:
        at = team({"email": "mem@pd.gov", "sub": "mem", "groups": ["it-admins"]})  # the table wins
        assert not at.exception
        text = sent(at)
        assert "MEM-" in text
        where = [text[max(0, m.start() - 300) : m.start() + 80] for m in re.finditer("DET-", text)][:3]
        assert "DET-" not in text, where
        assert "Detroit" not in text
        assert any(md("mem@pd.gov") in c.value and "Memphis" in c.value for c in at.sidebar.caption)
        assert at.sidebar.multiselect[0].options == ["Memphis"]
    finally:
        forget(store, "mem@pd.gov")


def test_idle_past_the_timeout_signs_out(team: Callable[..., AppTest]) -> None:
    stale = time.time() - 31 * 60  # signed in 31 minutes ago, nothing since (default timeout: 30)
    at = team({"email": "idle@pd.gov", "sub": "idle", "groups": ["watch"], "auth_time": stale})
    assert not at.exception
    assert at.user == {"is_logged_in": False}  # st.logout() was called
    assert "MEM-" not in sent(at) and "Detroit" not in sent(at)


def test_activity_within_the_timeout_keeps_the_user_signed_in(team: Callable[..., AppTest]) -> None:
    recent = time.time() - 29 * 60
    at = team({"email": "busy@pd.gov", "sub": "busy", "groups": ["watch"], "auth_time": recent})
    assert not at.exception
    assert at.user.get("is_logged_in") is True
    assert any(md("busy@pd.gov") in caption.value for caption in at.sidebar.caption)


def test_the_idle_timeout_is_configurable(team: Callable[..., AppTest]) -> None:
    SECRETS["brassmap"]["idle_timeout_minutes"] = 5
    try:
        six_minutes_ago = time.time() - 6 * 60
        at = team({"email": "five@pd.gov", "sub": "five", "groups": ["watch"], "auth_time": six_minutes_ago})
    finally:
        del SECRETS["brassmap"]["idle_timeout_minutes"]
    assert at.user == {"is_logged_in": False}


def test_memphis_viewer_search_finds_no_detroit_incident(
    team: Callable[..., AppTest], demo_db: str, demo_frames
) -> None:
    store = Store(demo_db)
    grant(store, "mem2@pd.gov", "viewer", cities=["Memphis"], by="test")
    incidents = demo_frames.incidents
    detroit = str(incidents.loc[incidents["city"] == "Detroit", "incident_id"].iloc[0])
    memphis = str(incidents.loc[incidents["city"] == "Memphis", "incident_id"].iloc[0])
    try:
        at = team({"email": "mem2@pd.gov", "sub": "mem2"})
        at.sidebar.text_input[0].input(detroit).run()
        assert any(caption.value.startswith("Nothing found") for caption in at.sidebar.caption)
        at.sidebar.text_input[0].input(memphis).run()
        captions = [caption.value for caption in at.sidebar.caption]
        assert any("Opened" in caption and md(memphis) in caption for caption in captions)
        at.sidebar.text_input[0].input("DET-").run()
        assert any(caption.value.startswith("Nothing found") for caption in at.sidebar.caption)
    finally:
        forget(store, "mem2@pd.gov")


def test_team_mode_without_an_identity_provider_says_what_to_add(team: Callable[..., AppTest]) -> None:
    del SECRETS["auth"]
    try:
        at = team()
    finally:
        SECRETS["auth"] = AUTH
    assert not at.exception
    assert "no `[auth]` section" in at.error[0].value
    assert not at.button


def test_a_link_leaving_the_scope_names_the_other_agency_only(
    team: Callable[..., AppTest], demo_db: str, demo_frames
) -> None:
    from linking.scope import OUTSIDE_NOTE, outside_links

    store = Store(demo_db)
    grant(store, "mem3@pd.gov", "viewer", cities=["Memphis"], by="test")
    outside = outside_links(demo_frames, User("mem3@pd.gov", "viewer", cities=("Memphis",)))
    assert len(outside), "the demo has no link from Memphis to another city: nothing to show"
    incident, agency = str(outside["incident_id"].iloc[0]), str(outside["agency"].iloc[0])
    try:
        at = team({"email": "mem3@pd.gov", "sub": "mem3"})
        at.sidebar.text_input[0].input(incident).run()
        assert not at.exception
        notes = [m.value for m in at.markdown if "outside your scope" in m.value]
        assert notes, [m.value for m in at.markdown][:20]
        assert f"Incident {md(incident)} is {OUTSIDE_NOTE} (agency {md(agency)})." in notes
        text = sent(at)
        assert "DET-" not in text and "Detroit" not in text
    finally:
        forget(store, "mem3@pd.gov")


def test_a_scoped_page_is_not_told_of_new_data_that_is_not_there(demo_db: str, monkeypatch) -> None:
    """The page's key carries the scope; the freshness check compares the store's version alone."""

    def page(url: str, key: str) -> None:
        from ui.freshness import new_data_notice

        new_data_notice(url, key)

    version = Store(demo_db).dataset_version()
    scoped = loading.view_version(version, User("mem@pd.gov", "viewer", cities=("Memphis",)))
    assert scoped != version
    for key, told in ((scoped, False), (version, False), ("an-older-version", True)):
        at = AppTest.from_function(page, args=(demo_db, key), default_timeout=60).run()
        assert not at.exception
        assert [b.label for b in at.button] == (["Show the new data"] if told else []), key
