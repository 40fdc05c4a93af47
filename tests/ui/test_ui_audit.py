"""Imports and resets from the dashboard's Import data tab are recorded with the uploaded file's SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import audit
from data.store import Store
from tests.ui.conftest import DASHBOARD
from tests.ui.small_store import INCIDENTS_CSV, test_fire_only_store

REAL_INCIDENTS = INCIDENTS_CSV.replace("T-", "R-").encode()
WHO = "import-tester"


def test_an_import_and_a_reset_from_the_tab_are_recorded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = test_fire_only_store(tmp_path)
    monkeypatch.setenv("BRASSMAP_DB", url)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, WHO)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    before = audit.count(Store(url))
    at = at.file_uploader(key="import_upload").set_value(("mine.csv", REAL_INCIDENTS, "text/csv")).run()
    at.button(key="import_go").click().run()
    assert not at.exception
    imports = [r for r in list(audit.iter_records(Store(url)))[before:] if r.action == "import"]
    assert len(imports) == 1
    (record,) = imports
    assert record.user_name == WHO and record.detail["via"] == "dashboard"
    assert record.detail["file_name"] == "mine.csv" and record.detail["outcome"] == "stored"
    assert record.detail["sha256"] == hashlib.sha256(REAL_INCIDENTS).hexdigest()
    counts = tuple(record.detail[key] for key in ("rows_read", "rows_stored", "rows_rejected"))
    assert counts == (2, 2, 0)

    at.file_uploader(key="import_upload").set_value(None).run()
    at.checkbox(key="reset_confirm").check().run()
    at.button(key="reset_go").click().run()
    assert not at.exception
    reset = [r for r in audit.iter_records(Store(url)) if r.action == "reset"]
    assert len(reset) == 1 and reset[0].user_name == WHO and reset[0].detail["removed"]["incidents"] == 4
    assert audit.verify(Store(url)).ok, "the trail survives the reset"


def test_the_demo_built_on_first_start_is_recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import data.demo

    real = data.demo.build_demo_store
    monkeypatch.setattr(data.demo, "build_demo_store",
                        lambda store, **kw: real(store, seed=2019, incidents=300))  # fmt: skip
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    monkeypatch.setenv("BRASSMAP_DB", url)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, WHO)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    assert not at.exception
    demo, view = list(audit.iter_records(Store(url)))
    assert (demo.action, demo.user_name, view.action) == ("demo", WHO, "view")
    assert demo.detail["incidents"] == Store(url).count("incidents") > 0


def test_the_whole_series_table_download_is_recorded_with_its_sha256(
    monkeypatch: pytest.MonkeyPatch, demo_db: str
) -> None:
    """The table download appears above MAX_TABLE_ROWS series (set to 1 here); its bytes are made on click."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test as app_test_module

    import ui.series_view

    managers: list[MediaFileManager] = []

    class KeptManager(MediaFileManager):  # the test runs the click's deferred callable itself
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", KeptManager)
    monkeypatch.setattr(ui.series_view, "MAX_TABLE_ROWS", 1)
    monkeypatch.setenv("BRASSMAP_DB", demo_db)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, WHO)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    assert not at.exception
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Whole table (.csv)"]
    before = audit.count(Store(demo_db))
    manager = managers[-1]
    url = manager.execute_deferred(button.proto.deferred_file_id)
    data = manager._storage.get_file(url.rsplit("/", 1)[1].split(".")[0]).content
    (record,) = list(audit.iter_records(Store(demo_db)))[before:]
    assert (record.action, record.user_name) == ("export", WHO)
    assert record.detail["format"] == "series_table_csv" and record.detail["rows"]["series"] > 1
    assert record.detail["sha256"] == hashlib.sha256(data).hexdigest()
