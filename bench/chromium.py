"""Debian's headless Chromium, started the same way by the benchmark and the browser tests.

No request leaves the machine: the benchmark starts Chromium with a dead proxy
for every host but 127.0.0.1/localhost, so such a request fails inside the
browser (host names and IP literals alike) while the page can still be
watched. Requests are not routed through Playwright, because routing turns off
the browser's HTTP cache, so every page load would fetch and compile
Streamlit's whole bundle again (about a second per load that no analyst's
browser spends). The tests route instead, to record what tried to leave.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, every proxied request fails
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def launch_options(proxy_server: str = DEAD_PROXY) -> dict[str, Any]:
    """How the benchmark starts Chromium: Debian's binary, headless, other hosts via ``proxy_server``.

    Examples
    --------
    >>> launch_options()["proxy"]
    {'server': 'http://127.0.0.1:9', 'bypass': '127.0.0.1,localhost'}
    """
    return {
        "executable_path": str(CHROMIUM),
        "args": list(CHROMIUM_ARGS),
        "proxy": {"server": proxy_server, "bypass": "127.0.0.1,localhost"},
    }


def is_local(url: str) -> bool:
    """True for ``file:``/``data:``/``blob:``/``about:`` URLs and loopback hosts.

    Examples
    --------
    >>> is_local("file:///tmp/map.html"), is_local("http://127.0.0.1:8501/x"), is_local("http://localhost:1/")
    (True, True, True)
    >>> is_local("https://tile.openstreetmap.org/1/0/0.png"), is_local("http://127.0.0.1.example.com/x")
    (False, False)
    """
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS
