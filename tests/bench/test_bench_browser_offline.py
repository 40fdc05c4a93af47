"""The benchmark's browser cannot reach other hosts, and nothing is routed (routing turns off the HTTP cache).

Chromium is launched with the benchmark's options but with a recording proxy
on 127.0.0.1 in place of the dead one: a page served from 127.0.0.1 asks for
an image on another host, and that request must reach the proxy (which, in
the benchmark, refuses everything), while the page itself bypasses it.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from bench.chromium import is_local, launch_options
from tests.browser_support import need_chromium

pytestmark = pytest.mark.browser
PAGE = b'<html><body><img src="http://tiles.example.org/5/8/11.png"><p>local page</p></body></html>'


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


class _Proxy(socketserver.StreamRequestHandler):
    seen: ClassVar[list[str]] = []

    def handle(self) -> None:
        _Proxy.seen.append(self.rfile.readline().decode("latin-1").strip())
        self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def _serve(server: socketserver.BaseServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


@pytest.fixture
def servers() -> Iterator[tuple[str, str]]:
    page = HTTPServer(("127.0.0.1", 0), _Page)
    proxy = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Proxy)
    _serve(page)
    _serve(proxy)
    _Proxy.seen.clear()
    try:
        yield f"http://127.0.0.1:{page.server_port}/", f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        for server in (page, proxy):
            server.shutdown()
            server.server_close()


def test_other_hosts_go_to_the_proxy_and_loopback_does_not(servers: tuple[str, str]) -> None:
    need_chromium()
    from playwright.sync_api import sync_playwright

    page_url, proxy_url = servers
    seen_by_page: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(proxy_server=proxy_url))
        try:
            page = browser.new_page()
            page.on("request", lambda request: seen_by_page.append(request.url))
            page.goto(page_url)
            page.get_by_text("local page").wait_for()
            page.wait_for_timeout(500)
        finally:
            browser.close()
    assert any("tiles.example.org/5/8/11.png" in line for line in _Proxy.seen)
    assert not any("127.0.0.1" in line for line in _Proxy.seen)  # the dashboard itself is never proxied
    assert [url for url in seen_by_page if not is_local(url)] == ["http://tiles.example.org/5/8/11.png"]
