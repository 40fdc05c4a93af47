"""The store's upsert: a re-import replaces stored rows by id, in chunks, without erasing unmapped fields.

Through the importer on a real SQLite file; asserts what the analyst reads back from the store.
"""

from __future__ import annotations

import pandas as pd
import pytest

from data import schema as S
from data import store as store_module
from data.importer import import_file
from data.store import Store
from tests.data.conftest import incident_csv, incident_mapping, write

ADDRESS = '\naddress = "addr"\n'


def _incidents(store) -> pd.DataFrame:
    return store.load_frames(use_snapshot=False).incidents.set_index(S.INCIDENT_ID)


def test_reimport_updates_existing_ids_adds_new_ones_and_counts_both(store, tmp_path) -> None:
    first = ["001,Detroit,2019-06-01,42.36,-83.10,homicide", "002,Detroit,2019-06-02,42.37,-83.11,homicide"]
    import_file(incident_csv(tmp_path, first, name="a.csv"), incident_mapping(), store)
    second = [
        "002,Detroit,2019-06-03,42.38,-83.12,shots_fired",
        "003,Detroit,2019-06-04,42.39,-83.13,homicide",
    ]
    report = import_file(incident_csv(tmp_path, second, name="b.csv"), incident_mapping(), store)
    assert report.written[S.INCIDENTS] == 2
    incidents = _incidents(store)
    assert sorted(incidents.index) == ["001", "002", "003"]
    assert incidents.loc["002", S.INCIDENT_TYPE] == "shots_fired"
    assert (incidents.loc["002", S.LATITUDE], incidents.loc["002", S.LONGITUDE]) == (42.38, -83.12)
    assert incidents.loc["002", S.LOCAL_DATE] == pd.Timestamp("2019-06-03")
    assert incidents.loc["001", S.INCIDENT_TYPE] == "homicide"  # untouched


def test_a_field_the_new_file_does_not_map_or_leaves_empty_keeps_its_stored_value(store, tmp_path) -> None:
    header = "id,city,when,lat,lon,type,addr\n"
    path = write(tmp_path, "a.csv", header + "001,Detroit,2019-06-01,42.36,-83.10,homicide,1234 Main St\n")
    import_file(path, incident_mapping(ADDRESS), store)
    # no address column at all
    import_file(
        incident_csv(tmp_path, ["001,Detroit,2019-06-01,42.40,-83.20,homicide"]), incident_mapping(), store
    )
    assert _incidents(store).loc["001", S.ADDRESS] == "1234 Main St"
    assert _incidents(store).loc["001", S.LATITUDE] == 42.40
    # the column is there but empty in every row
    path = write(tmp_path, "c.csv", header + "001,Detroit,2019-06-01,42.41,-83.21,homicide,\n")
    import_file(path, incident_mapping(ADDRESS), store)
    assert _incidents(store).loc["001", S.ADDRESS] == "1234 Main St"
    assert _incidents(store).loc["001", S.LATITUDE] == 42.41
    # a new address replaces the old one
    path = write(tmp_path, "d.csv", header + "001,Detroit,2019-06-01,42.41,-83.21,homicide,99 Oak Ave\n")
    import_file(path, incident_mapping(ADDRESS), store)
    assert _incidents(store).loc["001", S.ADDRESS] == "99 Oak Ave"


def test_a_file_longer_than_one_chunk_is_stored_whole(
    store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "CHUNK_ROWS", 2)
    rows = [f"{i:03d},Detroit,2019-06-{i:02d},42.3{i},-83.1{i},homicide" for i in range(1, 6)]
    report = import_file(incident_csv(tmp_path, rows), incident_mapping(), store)
    assert report.written[S.INCIDENTS] == 5
    incidents = _incidents(store)
    assert sorted(incidents.index) == ["001", "002", "003", "004", "005"]
    assert incidents.loc["005", S.LATITUDE] == 42.35
    assert store.count(S.INCIDENTS) == 5


def test_the_synthetic_flag_is_read_from_its_column_and_false_when_not_mapped(store, tmp_path) -> None:
    # the demo guard and "replace the demo" rely on it: demo rows true, real rows false
    header = "id,city,when,lat,lon,type,synthetic\n"
    demo = write(
        tmp_path,
        "demo.csv",
        header + "D-1,Detroit,2019-06-01,42.36,-83.10,homicide,true\n"
        "D-2,Detroit,2019-06-02,42.37,-83.11,homicide,yes\n",
    )
    import_file(demo, incident_mapping('\nis_synthetic = "synthetic"\n'), store)
    assert _incidents(store)[S.IS_SYNTHETIC].tolist() == [True, True]
    other = Store(f"sqlite:///{tmp_path / 'real.sqlite'}")
    import_file(
        incident_csv(tmp_path, ["R-1,Detroit,2019-06-01,42.36,-83.10,homicide"]), incident_mapping(), other
    )
    assert _incidents(other)[S.IS_SYNTHETIC].tolist() == [False]


def test_a_sqlite_store_keeps_area_shapes_as_wkb_blobs_other_readers_decode(tmp_path) -> None:
    # SCHEMA.md: boundaries.geometry is WKB (BLOB) on SQLite; read back with sqlite3, not brassmap
    import sqlite3
    from contextlib import closing

    import shapely

    from tests.data.test_data_boundaries import AREAS, SQUARE, _geojson

    path = tmp_path / "areas.sqlite"
    import_file(_geojson(tmp_path, [("Midtown", "Polygon", [SQUARE])]), AREAS, Store(f"sqlite:///{path}"))
    with closing(sqlite3.connect(path)) as db:
        kind, value = db.execute(f"SELECT typeof({S.GEOMETRY}), {S.GEOMETRY} FROM {S.BOUNDARIES}").fetchone()
    assert kind == "blob"
    assert shapely.from_wkb(value).equals(shapely.Polygon(SQUARE))


def test_a_database_other_than_sqlite_or_postgresql_is_named_in_the_error() -> None:
    from types import SimpleNamespace

    from data._sql import IMPORTS, upsert_statement
    from data.errors import BrassmapError

    connection = SimpleNamespace(dialect=SimpleNamespace(name="mysql"))
    with pytest.raises(BrassmapError) as caught:
        upsert_statement(connection, IMPORTS)  # type: ignore[arg-type]
    assert str(caught.value) == "the store supports SQLite and PostgreSQL databases, not mysql; change --db"
