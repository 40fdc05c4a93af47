"""Team mode in Chromium: sign-in through a real OIDC provider, nothing sent before it, scope after it.

The dashboard runs on the demo store in team mode; a Memphis-scoped viewer (users table)
signs in through ``oidc-provider-mock``. Every HTTP response body and every websocket
frame the browser receives is recorded: before sign-in none holds an incident id or a
city name; after it, Memphis incidents arrive and no Detroit incident ever does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from data.demo import build_demo_store
from data.store import Store
from data.users import grant
from tests.browser.test_browser_dashboard import TIMEOUT_MS
from tests.browser_support import need_chromium
from tests.oidc_support import run_oidc_provider, write_team_secrets
from ui.launch import free_port, run_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTICE = "Authorised use only. Test notice 5150."
CITY_NAMES = (
    b"Detroit", b"Memphis", b"Baltimore", b"Milwaukee", b"Cleveland", b"Albuquerque", b"Kansas City",
)
INCIDENT_PREFIXES = (b"DET-", b"MEM-", b"BAL-", b"MKE-", b"CLE-", b"ABQ-", b"KCM-")


@dataclass
class Received:
    """Every response body and websocket frame one browser context received."""

    responses: list[Any] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)

    def attach(self, context: Any) -> None:
        context.on("response", self._response)
        context.on("page", lambda page: page.on("websocket", self._socket))

    def _response(self, response: Any) -> None:
        self.responses.append(response)

    def _socket(self, socket: Any) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.frames.append(payload.encode() if isinstance(payload, str) else bytes(payload))

    def blobs(self) -> list[bytes]:
        """Every body and frame; a script, stylesheet or font is left out (code, e.g. a time-zone table
        naming America/Detroit, is not data: data travels in websocket frames and data responses)."""
        bodies = []
        for response in self.responses:
            kind = (response.headers.get("content-type") or "").lower()
            if any(code in kind for code in ("javascript", "text/css", "font/", "image/")):
                continue
            try:
                bodies.append(response.body())
            except Exception:  # redirects and aborted requests carry no body
                continue
        return bodies + self.frames

    def holding(self, needle: bytes) -> int:
        return sum(needle in blob for blob in self.blobs())

    def where(self, needle: bytes) -> list[bytes]:
        """Up to three places ``needle`` was received, with some context (for the failure message)."""
        found = []
        for blob in self.blobs():
            at = blob.find(needle)
            if at >= 0:
                found.append(blob[max(0, at - 200) : at + 100])
        return found[:3]


@dataclass(frozen=True)
class TeamServer:
    url: str
    log: Path


@contextmanager
def _team_server(folder: Path, idle_minutes: float) -> Iterator[TeamServer]:
    """The dashboard in team mode on a demo store (mem@pd.gov: a Memphis viewer), with its OIDC provider."""
    need_chromium()
    db = f"sqlite:///{folder / 'demo.sqlite'}"
    store = Store(db)
    build_demo_store(store, seed=2019, incidents=3_000)
    grant(store, "mem@pd.gov", "viewer", cities=["Memphis"], by="test")
    users = [{"sub": "mem", "email": "mem@pd.gov"}, {"sub": "nobody", "email": "nobody@pd.gov"}]
    with run_oidc_provider(folder / "oidc.log", users) as provider:
        port = free_port()
        secrets = write_team_secrets(
            folder / "secrets.toml", app_port=port, provider=provider,
            brassmap={"mode": "team", "use_notice": NOTICE, "idle_timeout_minutes": idle_minutes},
        )  # fmt: skip
        log = folder / "streamlit.log"
        with run_streamlit(log, db_url=db, port=port, options=("--secrets.files", str(secrets))) as app:
            yield TeamServer(app.url, log)


@pytest.fixture(scope="module")
def team_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeamServer]:
    with _team_server(tmp_path_factory.mktemp("team-mode"), idle_minutes=30) as server:
        yield server


@contextmanager
def _team_page(browser: Any, url: str, *, received: Received | None = None, **options: Any) -> Iterator[Any]:
    """A page of a new browser context opened on ``url`` (traffic into ``received``), closed afterwards."""
    context = browser.new_context(**options)
    if received is not None:
        received.attach(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(url)
        yield page
    finally:
        context.close()


def _sign_in(page: Any, sub: str) -> None:
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_sign_in_through_oidc_and_scope(team_server: TeamServer, browser: Any) -> None:
    received = Received()
    viewport = {"width": 1440, "height": 1000}
    with _team_page(browser, team_server.url, received=received, viewport=viewport) as page:
        page.get_by_text(NOTICE).wait_for()
        page.get_by_role("button", name="Sign in").wait_for()
        page.wait_for_timeout(2_000)  # anything sent late would be recorded too
        before = received.blobs()
        assert before, "nothing recorded: the recorder is broken"
        for needle in CITY_NAMES + INCIDENT_PREFIXES:
            reached = [blob for blob in before if needle in blob]
            assert not reached, f"{needle!r} reached the browser before sign-in"
        assert page.get_by_text("local mode").count() == 0

        _sign_in(page, "mem")
        page.get_by_text("Signed in as").wait_for()
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        page.wait_for_function(
            """() => document.querySelector('[data-testid="stApp"]')
                     ?.getAttribute("data-test-script-state") === "notRunning" """
        )
        page.wait_for_timeout(3_000)  # the graph and the map's layers arrive after the first draw
        assert received.holding(b"MEM-") > 0, "no Memphis incident arrived: the test saw nothing"
        assert received.holding(b"DET-") == 0, received.where(b"DET-")
        assert received.holding(b"Detroit") == 0, received.where(b"Detroit")
        assert "viewer" in page.get_by_text("Signed in as").inner_text()
        page.get_by_role("tab", name="Exports").click()
        page.get_by_text("does not include exports").wait_for()
        assert received.holding(b"DET-") == 0

        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()  # the provider's end-session page
        page.get_by_role("button", name="Sign in").wait_for()
        page.get_by_text(NOTICE).wait_for()


def test_a_user_without_a_role_sees_no_access(team_server: TeamServer, browser: Any) -> None:
    received = Received()
    with _team_page(browser, team_server.url, received=received) as page:
        _sign_in(page, "nobody")
        page.get_by_text("No access").wait_for()
        page.wait_for_timeout(1_000)
        for needle in CITY_NAMES + INCIDENT_PREFIXES:
            assert received.holding(needle) == 0, needle


def test_a_page_left_open_is_signed_out_after_the_idle_timeout(
    tmp_path_factory: pytest.TempPathFactory, browser: Any
) -> None:
    """Nobody clicks: the page's own idle watch signs the user out (15 s timeout here)."""
    folder = tmp_path_factory.mktemp("team-idle")
    with _team_server(folder, idle_minutes=0.25) as server, _team_page(browser, server.url) as page:
        _sign_in(page, "mem")
        page.get_by_text("Signed in as").wait_for()
        page.get_by_role("button", name="End session").wait_for(timeout=90_000)  # the provider's page
        page.get_by_role("button", name="End session").click()
        page.get_by_role("button", name="Sign in").wait_for()
