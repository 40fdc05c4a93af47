"""Take the README's screenshot: the dashboard's first view on the demo store that ``make demo`` opens.

Run: ``.venv/bin/python -m bench.screenshot --out docs/screenshot.png``. The demo
store (default size and seed, with the real boundaries when ``../shared`` has them,
as ``make demo``) is built in a temporary folder, ``streamlit run dashboard.py``
serves it, and headless Chromium (no request leaves the machine; tiles off)
captures the first view: what an analyst sees on opening the page, before
touching any filter.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.chromium import launch_options

VIEWPORT = {"width": 1440, "height": 1000}
FIRST_VIEW_DONE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute("data-test-script-state") === "notRunning"
        && document.querySelectorAll('[data-testid="stMetricValue"]').length > 0
        && document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length > 0;
}"""


def take_screenshot(out: Path, *, timeout_ms: int = 180_000) -> Path:
    """Build the demo store, serve the dashboard, and save the first view as a PNG at ``out``."""
    from playwright.sync_api import sync_playwright

    from data.demo import build_demo_store
    from data.demo.real_boundaries import DEFAULT_FOLDER
    from data.store import Store
    from ui.launch import run_streamlit

    with tempfile.TemporaryDirectory(prefix="brassmap-screenshot-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite'}"
        build_demo_store(Store(url), boundaries_from=DEFAULT_FOLDER)  # as make demo: real areas when present
        log = Path(folder) / "streamlit.log"
        with run_streamlit(log, db_url=url) as app, sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(timeout_ms)
            page.goto(f"{app.url}/?tiles=off")
            page.wait_for_function(FIRST_VIEW_DONE, timeout=timeout_ms)
            frame = page.frame_locator('iframe[title$="brassmap_map"]').frame_locator(
                'iframe[sandbox="allow-scripts"]'
            )
            frame.locator("#map[data-brassmap-version]").wait_for(state="attached")  # the spec is drawn
            frame.locator("path.brassmap-hexagon, path.brassmap-incident").first.wait_for(state="attached")
            frame.locator("path.brassmap-area").first.wait_for(state="attached")
            page.wait_for_timeout(3000)  # a busy machine: let the last layers and the graph settle
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m bench.screenshot --out PATH``."""
    parser = argparse.ArgumentParser(prog="python -m bench.screenshot", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshot.png"), help="PNG to write")
    args = parser.parse_args(argv)
    print(f"first view saved to {take_screenshot(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
