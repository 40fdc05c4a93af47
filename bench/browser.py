"""Browser figure: filter change -> map and graph drawn, in real Chromium against a running dashboard.

``streamlit run dashboard.py`` is started on the benchmark store (headless,
127.0.0.1, a free port). Each filter change opens the dashboard URL carrying
the filter as query parameters (the way a shared view is reopened), and the
clock stops when the page is done: the script has finished
(``stApp[data-test-script-state=notRunning]``), the Leaflet map inside the
live map frame has drawn its layers, and the link graph's Vega chart
has drawn. Requests to any host but 127.0.0.1 go to a dead proxy, so they
fail inside Chromium, and are counted (tiles are off; see :mod:`bench.chromium`).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.chromium import CHROMIUM, is_local, launch_options
from bench.errors import BenchError
from bench.machine import tree_peak_rss_mb
from bench.stats import spread
from linking.filters import Filters
from ui.launch import LaunchError, run_streamlit

READY_TIMEOUT_S = 180.0

_SCRIPT_DONE = (
    "() => { const app = document.querySelector('[data-testid=stApp]');"
    " return !!app && app.getAttribute('data-test-script-state') === 'notRunning'; }"
)
_GRAPH_DRAWN = (
    "() => document.querySelectorAll('[data-testid=stVegaLiteChart] canvas,"
    " [data-testid=stVegaLiteChart] svg.marks').length > 0"
)
_MAP_DRAWN = (
    "() => !!document.querySelector('.leaflet-container') && document.querySelectorAll("
    "'.leaflet-overlay-pane path, .leaflet-overlay-pane canvas, .leaflet-marker-pane > *').length > 0"
)
_NO_GRAPH_NOTE = "No linked incidents in this filter"

@contextmanager
def dashboard_server(db_url: str, log_file: Path, *, timeout_s: float = 120.0) -> Iterator[tuple[str, int]]:
    """Run ``streamlit run dashboard.py`` on ``db_url``; yield (base url, server pid)."""
    try:
        with run_streamlit(log_file, db_url=db_url, timeout_s=timeout_s) as app:
            yield app.url, app.pid
    except LaunchError as error:
        raise BenchError(str(error)) from error


def filter_url(base_url: str, filters: Filters) -> str:
    """The dashboard URL that opens on ``filters`` (basemap tiles off).

    Examples
    --------
    >>> filter_url("http://127.0.0.1:1", Filters(cities=("Detroit",)))
    'http://127.0.0.1:1/?cities=Detroit&tiles=off'
    """
    params = {**filters.to_dict(), "tiles": "off"}
    return f"{base_url}/?{urllib.parse.urlencode(params)}"


def _page_ready(page: Any) -> dict[str, bool]:
    """Which parts of the page are done: script, map (in any frame), graph."""
    state = {"script": bool(page.evaluate(_SCRIPT_DONE)), "map": False, "graph": False}
    if not state["script"]:
        return state
    state["graph"] = bool(page.evaluate(_GRAPH_DRAWN))
    if not state["graph"] and page.get_by_text(_NO_GRAPH_NOTE).count() > 0:
        state["graph"] = True  # nothing to draw is a finished graph view
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            if frame.evaluate(_MAP_DRAWN):
                state["map"] = True
                break
        except PlaywrightError:  # a frame detached or navigated while we looked: check the others
            continue
    return state


def open_until_ready(page: Any, url: str, *, timeout_s: float = READY_TIMEOUT_S) -> tuple[float, str]:
    """Navigate to ``url``; return (seconds until script, map and graph are done, what was missing).

    After ``timeout_s`` the seconds are the timeout (a lower bound) and the
    second item names the parts not drawn yet; it is ``""`` when all were.
    """
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    deadline = start + timeout_s
    state: dict[str, bool] = {}
    while time.perf_counter() < deadline:
        state = _page_ready(page)
        if all(state.values()):
            return time.perf_counter() - start, ""
        page.wait_for_timeout(25)
    return timeout_s, ", ".join(name for name, done in state.items() if not done) or "page"


def _figure(runs: list[tuple[float, str]]) -> dict[str, Any]:
    figure = spread([seconds for seconds, _ in runs], digits=3)
    timeouts = [missing for _, missing in runs if missing]
    if timeouts:
        figure["timeouts"] = len(timeouts)
        figure["timeout_s"] = READY_TIMEOUT_S
        figure["note"] = "timed-out changes count as the timeout, so p50/p95 are lower bounds"
    return figure


def browser_figures(
    db_url: str,
    filters: list[Filters],
    log_file: Path,
    *,
    screenshot: Path | None = None,
    first_timeout_s: float = 900.0,
    widget_start: Filters | None = None,
    other_cities: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Measure filter change -> map and graph drawn, and the dashboard's peak memory.

    Returns
    -------
    dict
        ``browser_filter_to_ready_s`` (p50/p95 over ``filters``, each opened as a
        URL; a change not done within :data:`READY_TIMEOUT_S` counts as the
        timeout and is flagged), ``browser_widget_change_s`` (as many changes
        made with the City widget in one session, starting from ``widget_start``
        and adding/removing ``other_cities``; ``None`` without ``widget_start``),
        ``first_page_ready_s`` (the first open, default filter: the server loads
        the store), ``peak_rss_mb`` (VmHWM of the server process and its
        children) and ``blocked_requests``.
    """
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise BenchError(f"{CHROMIUM} not found: install Debian's chromium (apt install chromium)")
    blocked: list[str] = []

    def count_outside(request: Any) -> None:
        if not is_local(request.url):
            blocked.append(request.url)

    with dashboard_server(db_url, log_file) as (base_url, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", count_outside)
            home = filter_url(base_url, Filters())
            first, first_missing = open_until_ready(page, home, timeout_s=first_timeout_s)
            if first_missing:
                raise BenchError(
                    f"the dashboard's first page was not ready after {first_timeout_s:.0f} s "
                    f"({first_missing} not drawn); see {log_file}"
                )
            runs = [open_until_ready(page, filter_url(base_url, chosen)) for chosen in filters]
            widget_runs: list[tuple[float, str]] = []
            if widget_start is not None:
                from bench.browser_widgets import widget_changes

                _, missing = open_until_ready(page, filter_url(base_url, widget_start))
                if not missing:
                    widget_runs = widget_changes(
                        page, widget_start.cities, list(other_cities), changes=len(filters)
                    )
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
        peak = tree_peak_rss_mb(pid)
    return {
        "browser_filter_to_ready_s": _figure(runs),
        "browser_widget_change_s": _figure(widget_runs) if widget_runs else None,
        "first_page_ready_s": round(first, 3),
        "peak_rss_mb": peak,
        "blocked_requests": len(blocked),
    }
