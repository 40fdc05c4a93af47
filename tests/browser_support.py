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
from typing import Any

import pytest

from bench.chromium import CHROMIUM, CHROMIUM_ARGS, is_local


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
