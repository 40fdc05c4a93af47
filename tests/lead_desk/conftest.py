"""The hand-made lead desk store (tests/lead_desk/desk_data.py) in a fresh folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.store import Store
from tests.lead_desk.desk_data import build_store


@pytest.fixture
def desk(tmp_path: Path) -> Store:
    """The desk store with its analyst events."""
    return build_store(tmp_path)


@pytest.fixture
def desk_url(desk: Store) -> str:
    return desk.url
