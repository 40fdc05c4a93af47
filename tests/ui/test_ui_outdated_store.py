"""The dashboard refuses a store written by an earlier brassmap: the upgrade command, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.data.migration_support import RELEASE_STORE

DASHBOARD = Path(__file__).resolve().parent.parent.parent / "dashboard.py"


def test_the_dashboard_asks_for_the_upgrade_of_a_release_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "release.sqlite"
    shutil.copyfile(RELEASE_STORE, db)
    monkeypatch.setenv("BRASSMAP_DB", f"sqlite:///{db}")
    at = AppTest.from_file(str(DASHBOARD), default_timeout=90).run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1, shown
    assert "written by an earlier brassmap" in shown[0]
    assert f"python -m data db upgrade --db sqlite:///{db}" in shown[0].replace("\\", "")
    assert "Traceback" not in shown[0]
