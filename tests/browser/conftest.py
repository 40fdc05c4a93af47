"""Browser-test fixtures: a demo store, a real streamlit server and headless Chromium.

Every request that leaves 127.0.0.1 is aborted and recorded; tests assert the
record is empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from data.demo import build_demo_store
from data.store import Store
from tests.browser_support import need_chromium
from ui.launch import REPO_ROOT, run_streamlit

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
DEMO_INCIDENTS = 3_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base url of ``streamlit run dashboard.py`` on a small seeded demo store."""
    need_chromium()
    folder = tmp_path_factory.mktemp("browser-demo")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=2019, incidents=DEMO_INCIDENTS)
    with run_streamlit(folder / "streamlit.log", db_url=url) as app:
        yield app.url


@pytest.fixture(scope="session")
def browser(chromium_browser: object) -> object:
    """Headless Debian Chromium driven by Playwright (the session's one instance)."""
    return chromium_browser
