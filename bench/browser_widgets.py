"""Filter changes made with the sidebar widgets, in one browser session (the analyst's usual way).

Each change adds one city to the City multiselect, or removes it again. The
clock starts at the click that changes the filter (picking the city in the
open drop-down, or the city's remove button; opening the drop-down changes
nothing and is not timed) and stops when the rerun has finished, the *new*
map has drawn its layers and the link graph is drawn. The dashboard's live
map stays open and redraws in place, stamping each drawn map's version on
its element; every map element is marked with the version it shows before
the change, so only a map showing another version (or a map element that
was not on the page before) counts, and a stale map never does.
"""

from __future__ import annotations

import time
from typing import Any

from bench.browser import _GRAPH_DRAWN, _NO_GRAPH_NOTE, READY_TIMEOUT_S

_VERSION = "(e.getAttribute('data-brassmap-version') || 'shown')"
_MARK_OLD_MAPS = (
    f"() => document.querySelectorAll('.leaflet-container').forEach(e => {{ e.__benchOld = {_VERSION}; }})"
)
_NEW_MAP_DRAWN = (
    f"() => [...document.querySelectorAll('.leaflet-container')].some(e => e.__benchOld !== {_VERSION} && "
    "e.querySelectorAll('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas, "
    ".leaflet-marker-pane > *').length > 0)"
)
_SCRIPT_RUNNING = (
    "() => { const app = document.querySelector('[data-testid=stApp]');"
    " return !!app && app.getAttribute('data-test-script-state') !== 'notRunning'; }"
)


def _each_frame(page: Any, script: str) -> bool:
    """Evaluate ``script`` in every frame; true when any frame returns true."""
    from playwright.sync_api import Error as PlaywrightError

    found = False
    for frame in page.frames:
        try:
            found = bool(frame.evaluate(script)) or found
        except PlaywrightError:  # a frame detached or navigated while we looked
            continue
    return found


def _timed_change(page: Any, act: Any, *, timeout_s: float, prepare: Any = None) -> tuple[float, str]:
    """Mark the drawn maps, run ``prepare`` (untimed) and ``act``.

    Returns (seconds from the start of ``act`` until a new map and the graph are
    drawn, what was missing).
    """
    _each_frame(page, _MARK_OLD_MAPS)
    if prepare is not None:
        prepare()
    start = time.perf_counter()
    act()
    deadline = start + timeout_s
    started = False
    state = {"rerun": False, "map": False, "graph": False}
    while time.perf_counter() < deadline:
        running = bool(page.evaluate(_SCRIPT_RUNNING))
        if not started and not running and _each_frame(page, _NEW_MAP_DRAWN):
            # a fast (cached) rerun can start and finish between two looks: its new map shows it ran
            started, running = True, bool(page.evaluate(_SCRIPT_RUNNING))
        started = started or running
        state["rerun"] = started and not running
        if state["rerun"]:
            state["map"] = state["map"] or _each_frame(page, _NEW_MAP_DRAWN)
            state["graph"] = bool(page.evaluate(_GRAPH_DRAWN)) or page.get_by_text(_NO_GRAPH_NOTE).count() > 0
            if all(state.values()):
                return time.perf_counter() - start, ""
        page.wait_for_timeout(25)
    return timeout_s, ", ".join(name for name, done in state.items() if not done)


def widget_changes(
    page: Any,
    present: tuple[str, ...],
    others: list[str],
    *,
    changes: int,
    timeout_s: float = READY_TIMEOUT_S,
) -> list[tuple[float, str]]:
    """Add then remove each city of ``others`` with the City widget, ``changes`` times in all.

    ``page`` must show the dashboard with the cities ``present`` already chosen.
    Returns (seconds, what was not drawn) per change.
    """
    runs: list[tuple[float, str]] = []
    cycle = [city for city in others if city not in present]
    step = 0
    while len(runs) < changes and cycle:
        city = cycle[(step // 2) % len(cycle)]
        prepare = None
        if step % 2 == 0:

            def prepare() -> None:
                page.get_by_role("combobox", name="City").click()

            def act(city: str = city) -> None:
                page.get_by_role("option", name=city, exact=True).click()
                page.keyboard.press("Escape")

        else:

            def act(city: str = city) -> None:
                page.get_by_role("button", name=f"Remove {city}").first.click()

        runs.append(_timed_change(page, act, timeout_s=timeout_s, prepare=prepare))
        step += 1
    return runs
