"""The store: default location, typed round trip, one transaction, idempotent re-import, provenance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data import store as store_module
from data.errors import IngestError, StoreError
from data.frames import empty_frames
from data.importer import import_file
from data.store import ImportSource, Store, default_db_url
from tests.data.conftest import incident_csv, incident_mapping

ROWS = [
    "B2,Baltimore,2019-03-10T02:30,39.29,-76.61,shots_fired",  # spring-forward gap in New York
    "D1,Detroit,2019-06-01T23:30,42.36,-83.10,homicide",
    "D0,Detroit,2019-06-01T08:00,42.35,-83.05,non_fatal_shooting",
]


def test_default_url_env_then_repo_var(monkeypatch):
    monkeypatch.delenv("BRASSMAP_DB", raising=False)
    repo = Path(store_module.__file__).resolve().parent.parent
    assert default_db_url() == f"sqlite:///{repo / 'var' / 'brassmap.sqlite'}"
    monkeypatch.setenv("BRASSMAP_DB", "sqlite:////tmp/elsewhere.sqlite")
    assert default_db_url() == "sqlite:////tmp/elsewhere.sqlite"


def test_store_created_on_first_use(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'new' / 'folder' / 'db.sqlite'}")
    assert (tmp_path / "new" / "folder" / "db.sqlite").is_file()
    assert store.is_empty() and store.dataset_version() == "empty"


def test_unopenable_database_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(f"sqlite:///{blocker / 'db.sqlite'}")


def test_round_trip_types_local_dates_and_order(store, tmp_path):
    import_file(incident_csv(tmp_path, ROWS), incident_mapping(), store)
    frames = store.load_frames()
    incidents = frames.incidents
    assert incidents["incident_id"].tolist() == ["B2", "D0", "D1"]  # by city, then time
    assert str(incidents["occurred_at"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(incidents["city"].dtype, pd.CategoricalDtype)
    assert list(incidents["incident_type"].cat.categories) == [
        "homicide",
        "non_fatal_shooting",
        "shots_fired",
        "gunfire_alert",
    ]
    d1 = incidents.set_index("incident_id").loc["D1"]
    assert str(d1["occurred_at"]) == "2019-06-02 03:30:00+00:00"
    assert str(d1["local_date"]) == "2019-06-01 00:00:00" and str(d1["local_time"]) == "2019-06-01 23:30:00"
    assert d1["caliber"] == "unknown/other" and not d1["far_from_city"]
    b2 = incidents.set_index("incident_id").loc["B2"]
    assert str(b2["local_time"]) == "2019-03-10 03:30:00"  # 02:30 does not exist; read as 03:30 daylight time
    assert frames.is_synthetic is False
    empty = empty_frames()
    assert list(empty.incidents.columns) == list(incidents.columns)
    assert list(empty.links.columns) == list(frames.links.columns)


def test_reimport_is_idempotent_and_provenance_recorded(store, tmp_path):
    path = incident_csv(tmp_path, ROWS)
    import_file(path, incident_mapping(), store)
    first = store.load_frames().incidents
    import_file(path, incident_mapping(), store)
    pd.testing.assert_frame_equal(first, store.load_frames().incidents)
    imports = store.imports()
    assert imports["file_name"].tolist() == ["incidents.csv", "incidents.csv"]
    assert imports["rows_read"].tolist() == [3, 3] and imports["rows_stored"].tolist() == [3, 3]
    assert imports["sha256"].str.len().tolist() == [64, 64]
    assert imports["imported_at"].str.endswith("+00:00").all()


def test_failed_import_leaves_the_store_as_it_was(store, tmp_path):
    import_file(incident_csv(tmp_path, ROWS), incident_mapping(), store)
    version = store.dataset_version()
    before = store.load_frames().incidents
    ragged = incident_csv(
        tmp_path, ["X1,Detroit,2019-06-01,42.3,-83.1,homicide", "X2,Detroit"], name="bad.csv"
    )
    with pytest.raises(IngestError, match="ragged rows"):
        import_file(ragged, incident_mapping(), store)
    # a save that fails half-way (the second kind cannot be stored) rolls back the first kind too
    good = pd.DataFrame(
        {
            "incident_id": ["N1"],
            "city": ["Detroit"],
            "incident_type": ["homicide"],
            "occurred_at": [pd.Timestamp("2019-01-01", tz="UTC")],
            "latitude": [42.3],
            "longitude": [-83.1],
        }
    )
    bad_links = pd.DataFrame(
        {
            "link_id": ["L1"],
            "incident_a": ["N1"],
            "incident_b": ["D1"],
            "status": ["lead"],
            "lead_date": ["not a date"],
        }
    )
    with pytest.raises((StoreError, ValueError)):
        store.save({"incidents": good, "links": bad_links}, source=ImportSource("x", "0" * 64, 2, 2, 0, 0))
    assert store.dataset_version() == version
    pd.testing.assert_frame_equal(before, store.load_frames().incidents)
    assert len(store.imports()) == 1


def test_clear_and_version(store, tmp_path):
    import_file(incident_csv(tmp_path, ROWS), incident_mapping(), store)
    assert not store.is_empty()
    version = store.dataset_version()
    store.clear()
    assert store.is_empty() and store.dataset_version() != version
    assert len(store.load_frames().incidents) == 0


def test_snapshot_is_used_and_replaced(store, tmp_path):
    import_file(incident_csv(tmp_path, ROWS), incident_mapping(), store)
    from_sql = store.load_frames(use_snapshot=False)
    store.load_frames()  # writes the snapshot
    snapshots = [p.name for p in store.snapshot_dir().iterdir()]
    assert snapshots == [store.dataset_version()]
    pd.testing.assert_frame_equal(from_sql.incidents, store.load_frames().incidents)
    pd.testing.assert_frame_equal(from_sql.links, store.load_frames().links)
    import_file(
        incident_csv(tmp_path, ["E1,Detroit,2019-07-01,42.3,-83.1,homicide"], name="more.csv"),
        incident_mapping(),
        store,
    )
    assert len(store.load_frames().incidents) == 4
    assert [p.name for p in store.snapshot_dir().iterdir()] == [store.dataset_version()]


def test_caliber_is_the_most_common_casing_caliber(store, tmp_path):
    import_file(incident_csv(tmp_path, ROWS), incident_mapping(), store)
    evidence = pd.DataFrame(
        {
            "evidence_id": ["e1", "e2", "e3", "e4"],
            "evidence_kind": ["casing"] * 4,
            "incident_id": ["D1", "D1", "D1", "D0"],
            "caliber": ["9mm Luger", ".40 S&W", "9mm Luger", ".45 Auto"],
        }
    )
    store.save({"evidence": evidence}, source=ImportSource("ev.csv", "0" * 64, 4, 4, 0, 0))
    calibers = store.load_frames().incidents.set_index("incident_id")["caliber"].to_dict()
    assert calibers == {"B2": "unknown/other", "D0": ".45 Auto", "D1": "9mm Luger"}
