"""A small seeded demo store shared by the app tests, and the AppTest factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.demo import build_demo_store
from data.frames import Frames
from data.store import Store

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DASHBOARD = REPO_ROOT / "dashboard.py"
DEMO_INCIDENTS = 3_000


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite file holding a small seeded demo (built once per test session)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ui-store') / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=2019, incidents=DEMO_INCIDENTS)
    return url


@pytest.fixture(scope="session")
def demo_frames(demo_db: str) -> Frames:
    """The frames of the demo store, loaded independently of the dashboard."""
    return Store(demo_db).load_frames()


@pytest.fixture
def app(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Return a factory: ``app(**query_params)`` runs the dashboard on the demo store."""
    monkeypatch.setenv("BRASSMAP_DB", demo_db)

    def run(**query_params: str) -> AppTest:
        at = AppTest.from_file(str(DASHBOARD), default_timeout=90)
        for key, value in query_params.items():
            at.query_params[key] = value
        return at.run()

    return run
