"""Map build time and HTML size: brassmap's build_map_spec vs one folium marker per incident.

Run ``.venv/bin/python -m bench.bench_maps`` (options: ``--sizes 10000 100000``,
``--runs 3``, ``--timeout 60``). For each size it prints the median time of
``build_map_spec`` + page render over a few runs, the page size (static assets as used
by the dashboard, and inlined as in the standalone export), optionally
(``--browser``) the time headless Chromium takes to draw it, and the naive
baseline (``folium.CircleMarker`` with a ``Popup`` per incident, rendered),
run once in a child process and stopped after ``--timeout`` seconds
("timeout at N"). Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import time
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from geo.cities import DEFAULT_CITIES

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)


def synthetic_frames(n: int, *, seed: int = 2019) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` incidents around the seven default cities, 20 % in series, and ``n // 3`` links."""
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(DEFAULT_CITIES), n)
    lat0 = np.array([c.latitude for c in DEFAULT_CITIES])[which]
    lon0 = np.array([c.longitude for c in DEFAULT_CITIES])[which]
    occurred = pd.Timestamp("2015-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 5 * 365 * 86_400, n), "s"
    )
    linked = rng.random(n) < 0.2
    series = np.where(linked, "S-" + rng.integers(0, max(1, n // 8), n).astype(str), None)
    incidents = pd.DataFrame(
        {
            S.INCIDENT_ID: np.char.add("INC-", np.arange(n).astype(str)),
            S.CITY: pd.Categorical(np.array([c.name for c in DEFAULT_CITIES])[which]),
            S.OCCURRED_AT: occurred,
            S.LOCAL_TIME: occurred.tz_localize(None),
            S.LATITUDE: lat0 + rng.normal(0, 0.05, n),
            S.LONGITUDE: lon0 + rng.normal(0, 0.07, n),
            S.INCIDENT_TYPE: pd.Categorical(np.array(S.INCIDENT_TYPES)[rng.integers(0, 4, n)]),
            S.KILLED: rng.integers(0, 2, n),
            S.INJURED: rng.integers(0, 3, n),
            S.CASE_NUMBER: np.char.add("19-", np.arange(n).astype(str)),
            S.ADDRESS: np.char.add(
                np.char.add((rng.integers(1, 99, n) * 100).astype(str), " block of "), "Main St"
            ),
            S.SERIES_ID: pd.array(series, dtype="string"),
        }
    )
    m = n // 3
    links = pd.DataFrame(
        {
            S.INCIDENT_A: incidents[S.INCIDENT_ID].to_numpy()[rng.integers(0, n, m)],
            S.INCIDENT_B: incidents[S.INCIDENT_ID].to_numpy()[rng.integers(0, n, m)],
            S.STATUS: np.where(rng.random(m) < 0.3, "hit", "lead"),
            S.LEAD_NUMBER: np.char.add("LN-", np.arange(m).astype(str)),
        }
    )
    return incidents, links


def brassmap_build(
    incidents: pd.DataFrame, links: pd.DataFrame, *, asset_mode: str
) -> tuple[float, int, str]:
    """Seconds to build and render one map, its size in bytes, and its mode."""
    from geo.maps import MapData, build_map_spec
    from geo.page import render_page

    start = time.perf_counter()
    spec = build_map_spec(MapData(incidents, links))
    html = render_page(spec, asset_mode=asset_mode)  # type: ignore[arg-type]
    return time.perf_counter() - start, len(html.encode("utf-8")), spec.summary.mode


def _naive_child(n: int, queue: Any) -> None:
    import folium

    incidents, _ = synthetic_frames(n)
    start = time.perf_counter()
    fmap = folium.Map(location=[39.5, -90.0], zoom_start=5, tiles=None)
    rows = zip(
        incidents[S.LATITUDE].tolist(),
        incidents[S.LONGITUDE].tolist(),
        incidents[S.INCIDENT_ID].tolist(),
        incidents[S.ADDRESS].tolist(),
        strict=True,
    )
    for lat, lon, incident_id, address in rows:
        folium.CircleMarker([lat, lon], radius=5, popup=folium.Popup(f"{incident_id} {address}")).add_to(fmap)
    html = fmap.get_root().render()
    queue.put((time.perf_counter() - start, len(html.encode("utf-8"))))


def naive_build(n: int, *, timeout_s: float) -> tuple[float, int] | None:
    """Run the one-marker-per-incident baseline in a child process; ``None`` on timeout."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_naive_child, args=(n, queue))
    child.start()
    child.join(timeout_s)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get() if not queue.empty() else None


def browser_draw_seconds(html: str) -> float | None:
    """Seconds for headless Chromium to open a map file until its legend is drawn (None: no Chromium)."""
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from bench.chromium import CHROMIUM, launch_options

    if not CHROMIUM.exists():
        return None

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = Path(folder) / "map.html"
        page_file.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(**launch_options())  # tiles fail at the dead proxy
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_selector(".brassmap-legend", timeout=120_000)
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def _mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


def main(argv: list[str] | None = None) -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--runs", type=int, default=3, help="runs per size for build_map (median)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed for the naive baseline")
    parser.add_argument("--browser", action="store_true", help="also time drawing the inline map in Chromium")
    args = parser.parse_args(argv)
    print(f"{'incidents':>10} | {'build_map (median)':>18} | {'mode':>8} | {'HTML static':>11} | "
          f"{'HTML inline':>11} | {'naive: 1 marker each':>28}")  # fmt: skip
    print("-" * 104)
    naive_timed_out = False
    for n in args.sizes:
        incidents, links = synthetic_frames(n)
        runs = [brassmap_build(incidents, links, asset_mode="static") for _ in range(max(1, args.runs))]
        seconds = statistics.median(run[0] for run in runs)
        _, inline_size, _ = brassmap_build(incidents, links, asset_mode="inline")
        if naive_timed_out:
            naive = "skipped (smaller size timed out)"
        else:
            result = naive_build(n, timeout_s=args.timeout)
            if result is None:
                naive = f"timeout at {n:,} (> {args.timeout:.0f} s)"
                naive_timed_out = True
            else:
                naive = f"{result[0]:7.2f} s, {_mb(result[1])}"
        print(f"{n:>10,} | {seconds:>16.2f} s | {runs[0][2]:>8} | {_mb(runs[0][1]):>11} | "
              f"{_mb(inline_size):>11} | {naive:>28}")  # fmt: skip
        if args.browser:
            from geo.maps import MapData, build_map_spec
            from geo.page import render_page

            html = render_page(build_map_spec(MapData(incidents, links)), asset_mode="inline")
            drawn = browser_draw_seconds(html)
            print(f"{'':>10}   Chromium opens the inline file and draws it in "
                  f"{'n/a (no /usr/bin/chromium)' if drawn is None else f'{drawn:.2f} s'}")  # fmt: skip


if __name__ == "__main__":
    main()
