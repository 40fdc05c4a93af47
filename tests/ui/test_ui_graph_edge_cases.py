"""The link graph panel on stores at the edges (issue #10, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.store import Store
from tests.ui.conftest import DASHBOARD
from tests.ui.small_store import test_fire_only_store


def test_graph_panel_with_links_but_no_series_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = test_fire_only_store(tmp_path)
    frames = Store(url).load_frames()
    assert len(frames.links) == 1 and frames.links["incident_b"].isna().all()  # a test-fire link only
    monkeypatch.setenv("BRASSMAP_DB", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    assert not at.exception
    assert [e.value for e in at.error] == [], "no panel may fail"
    notes = [i.value for i in at.info if "no series to draw" in i.value]
    assert notes and notes[0].startswith("1 link in this filter")
