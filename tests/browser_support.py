"""Shared helpers for browser tests: launch Debian's Chromium, record requests.

``launch_chromium(playwright)`` starts ``/usr/bin/chromium`` headless with the
flags that stop it phoning home (``playwright install`` cannot download a
browser here). ``RequestRecorder.attach(context)`` routes every request of a
browser context: ``file:``, ``data:``, ``blob:``, ``about:`` and loopback
hosts go through; anything else is recorded in ``outside`` and aborted, so a
test can assert that nothing tried to leave the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def need_chromium() -> None:
    """Skip (or fail under ``BRASSMAP_REQUIRE_SHARED=1``) when Chromium is missing."""
    if not CHROMIUM.exists():
        reason = f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("BRASSMAP_REQUIRE_SHARED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Debian Chromium through a Playwright sync instance."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))


def is_local(url: str) -> bool:
    """True for ``file:``/``data:``/``blob:``/``about:`` URLs and loopback hosts.

    >>> is_local("file:///tmp/map.html"), is_local("http://127.0.0.1:8501/x")
    (True, True)
    >>> is_local("https://tile.openstreetmap.org/1/0/0.png")
    False
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class RequestRecorder:
    """Every request of one browser context: local ones pass, others are aborted.

    Attributes
    ----------
    outside : list of str
        URLs that tried to leave the machine (aborted).
    local : list of str
        URLs that were allowed.
    """

    outside: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, context: Any) -> RequestRecorder:
        """Route all requests of ``context`` (a Playwright BrowserContext) through a new recorder."""
        recorder = cls()
        context.route("**/*", recorder._handle)
        return recorder

    def _handle(self, route: Any) -> None:
        url = route.request.url
        if is_local(url):
            self.local.append(url)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()
