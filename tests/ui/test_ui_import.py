"""The Import tab as a user meets it (issue #10, items 4, 8 and 10), driven with AppTest on real stores."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from data import schema as S
from data.__main__ import main as data_cli
from data.demo import build_demo_store
from data.store import Store
from tests.ui.conftest import DASHBOARD
from tests.ui.small_store import INCIDENTS_CSV, PRESETS, test_fire_only_store

UNKNOWN_COLUMNS = b"RowID,town,when,lat,lon\n1,Detroit,2021-06-01,42.36,-83.10\n"
REAL_INCIDENTS = INCIDENTS_CSV.replace("T-", "R-").encode()
WITH_FORMULAS = (
    b"incident_id,city,occurred_at,latitude,longitude,incident_type\n"
    b"F-1,Detroit,2021-06-01T22:15:00-04:00,42.3601,-83.1050,shots_fired\n"
    b'F-2,Detroit,2021-06-02T23:00:00-04:00,"=HYPERLINK(""http://evil.example/"",""x"")",-83.1,shots_fired\n'
    b"F-3,Detroit,2021-06-03T23:00:00-04:00,@SUM(A1),-83.1,shots_fired\n"
)


def plain(markdown: str) -> str:
    """The text a Markdown string shows (brassmap escapes punctuation with backslashes)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return at.file_uploader(key="import_upload").set_value((name, data, "text/csv")).run()


@pytest.fixture
def small_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("BRASSMAP_DB", test_fire_only_store(tmp_path))
    return AppTest.from_file(str(DASHBOARD), default_timeout=120).run()


def test_upload_applies_nothing_before_the_user_chooses(small_app: AppTest) -> None:
    at = upload(small_app, "odd.csv", UNKNOWN_COLUMNS)
    assert not at.exception
    assert [e.value for e in at.error] == [], "no error before a way to read the file is chosen"
    assert at.radio(key="import_mapping_how").value is None
    assert not any("Preview" in m.value for m in at.markdown)
    assert "Import into the database" not in [b.label for b in at.button]
    at.radio(key="import_mapping_how").set_value("A preset").run()
    assert at.selectbox(key="import_preset").value is None, "no preset is picked for the user"
    assert [e.value for e in at.error] == []


def test_a_preset_recognised_from_the_columns_is_named_and_previewed(small_app: AppTest) -> None:
    at = upload(small_app, "mine.csv", REAL_INCIDENTS)
    notes = [plain(i.value) for i in at.info if "Recognised" in i.value]
    assert notes and "brassmap_incidents" in notes[0] and "mine.csv" in notes[0]
    assert at.selectbox(key="import_preset").value == "brassmap_incidents"
    assert any("read 2 rows, stored 2" in plain(m.value) for m in at.markdown)
    assert [e.value for e in at.error] == []
    at.button(key="import_go").click().run()
    assert Store(os.environ["BRASSMAP_DB"]).count(S.INCIDENTS) == 4, "T-1, T-2 and the two imported"


UNREADABLE = [("bin.dat", bytes(range(256)) * 8), ("utf16.csv", INCIDENTS_CSV.encode("utf-16"))]


@pytest.mark.parametrize("name,data", UNREADABLE)
def test_unreadable_files_show_the_command_lines_message(
    small_app: AppTest, tmp_path: Path, capsys, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code = data_cli(["import", str(path), "--mapping", str(PRESETS / "brassmap_incidents.toml"), "--dry-run",
                     "--db", f"sqlite:///{tmp_path / 'cli.sqlite'}"])  # fmt: skip
    printed = capsys.readouterr()
    at = upload(small_app, name, data)
    assert not at.exception
    shown = [plain(e.value) for e in at.error]
    if code == 1:  # the command line refuses it: the tab says exactly the same
        message = printed.err.strip().removeprefix("error: ")
        assert shown == [message]
        assert "This app has encountered an error" not in message
    else:  # it reads (UTF-16 with a BOM): the tab reads it too
        assert shown == []
        assert any("Recognised" in i.value for i in at.info)


def test_rejects_download_is_formula_safe(small_app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    storages: list[MemoryMediaFileStorage] = []

    class KeptStorage(MemoryMediaFileStorage):  # the test reads back what the button would send
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            storages.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", KeptStorage)
    at = upload(small_app, "formulas.csv", WITH_FORMULAS)
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Download the rejects report (CSV)"]
    data = storages[-1].get_file(button.proto.url.rsplit("/", 1)[1]).content
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    values = {row["row"]: row["value"] for row in rows if row["severity"] == "error"}
    assert sorted(values) == ["3", "4"]
    assert values["3"].startswith("'=HYPERLINK(\"http://evil.example/\"")
    assert values["4"].startswith("'@SUM(A1)")
    assert "\"'=HYPERLINK(" in data.decode("utf-8-sig"), "the prefixed cell is quoted"


def test_replace_the_demo_and_empty_the_database_from_the_tab(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    build_demo_store(Store(url), seed=7, incidents=300)
    monkeypatch.setenv("BRASSMAP_DB", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    assert any(S.SYNTHETIC_LABEL in w.value for w in at.warning)
    at = upload(at, "mine.csv", REAL_INCIDENTS)
    assert any("synthetic demo data" in w.value for w in at.warning)
    labels = [b.label for b in at.button]
    assert "Replace the demo data and import" in labels and "Import into the database" not in labels
    at.button(key="import_replace").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    frames = Store(url).load_frames()
    assert not frames.is_synthetic and sorted(frames.incidents[S.INCIDENT_ID]) == ["R-1", "R-2"]
    assert not any(S.SYNTHETIC_LABEL in w.value for w in at.warning), "the banner follows the store"
    assert any("replaced the synthetic demo" in plain(s.value) for s in at.success)

    at.file_uploader(key="import_upload").set_value(None).run()
    assert at.button(key="reset_go").disabled, "nothing is deleted without the confirmation"
    at.checkbox(key="reset_confirm").check().run()
    at.button(key="reset_go").click().run()
    assert not at.exception
    assert Store(url).is_empty()
    assert any("This database is empty" in i.value for i in at.info)
    at.run()
    assert Store(url).is_empty(), "a store emptied on purpose is not refilled with the demo"


def test_a_store_mixed_before_the_guard_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A store filled before demo and real records were kept apart: the page says it mixes them."""
    import data.store as store_module
    from data.importer import import_file
    from data.mapping import load_mapping

    url = f"sqlite:///{tmp_path / 'mixed.sqlite'}"
    build_demo_store(Store(url), seed=3, incidents=100)
    path = tmp_path / "mine.csv"
    path.write_bytes(REAL_INCIDENTS)
    with monkeypatch.context() as old_brassmap:  # the import as it was before the guard
        old_brassmap.setattr(store_module, "guard_demo_mixing", lambda *args, **kwargs: 0)
        import_file(path, load_mapping(PRESETS / "brassmap_incidents.toml"), Store(url))
    monkeypatch.setenv("BRASSMAP_DB", url)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    (shown,) = [plain(e.value) for e in at.error]
    assert "mixes the synthetic demo" in shown and "real records (2)" in shown
    assert not any(S.SYNTHETIC_LABEL in w.value for w in at.warning)


LEAD_REPORT = b"Lead #,Case 1,Case 2,Status,Calibre\nL-1,T-1,T-2,lead,9mm Luger\n"


def test_a_lead_reports_calibre_column_is_preselected_for_caliber(small_app: AppTest) -> None:
    from ui.import_mapping import K_HOW, K_KIND, MAP_BUILD

    at = upload(small_app, "leads.csv", LEAD_REPORT)
    at.radio(key=K_HOW).set_value(MAP_BUILD).run()
    at.selectbox(key=K_KIND).set_value(S.LINKS).run()
    assert not at.exception
    assert at.selectbox(key="map_links_caliber").value == "Calibre"  # British spelling, another case
    assert at.selectbox(key="map_links_status").value == "Status"
