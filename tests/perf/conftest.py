"""A small demo store loaded once per session: the frames every perf test cuts subsets from."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.demo import build_demo_store
from data.frames import Frames, load_frames
from data.store import Store


@pytest.fixture(scope="session")
def perf_frames(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    """Frames of a 4,000-incident demo store in a real SQLite file."""
    folder: Path = tmp_path_factory.mktemp("perf-store")
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    build_demo_store(store, incidents=4_000)
    return load_frames(store, use_snapshot=False)
