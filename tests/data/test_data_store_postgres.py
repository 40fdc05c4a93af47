"""The store's upsert on PostgreSQL (the team server): a re-import updates rows there too.

Runs on the test server of :mod:`tests.backends` (``$BRASSMAP_TEST_PG_URL``), each test in its own
schema, dropped afterwards; skipped without a server, failed instead under ``BRASSMAP_REQUIRE_PG=1``
(``.ci/run``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from data import schema as S
from data.importer import import_file
from data.store import Store
from tests.data.conftest import incident_csv, incident_mapping, write


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[Store]:
    store = Store(pg_url)
    try:
        yield store
    finally:
        store.engine.dispose()


def test_reimport_on_postgresql_updates_adds_and_keeps_unmapped_fields(pg_store, tmp_path) -> None:
    header = "id,city,when,lat,lon,type,addr\n"
    first = write(tmp_path, "a.csv", header + "001,Detroit,2019-06-01,42.36,-83.10,homicide,1234 Main St\n")
    import_file(first, incident_mapping('\naddress = "addr"\n'), pg_store)
    rows = ["001,Detroit,2019-06-01,42.40,-83.20,shots_fired", "002,Detroit,2019-06-02,42.37,-83.11,homicide"]
    report = import_file(incident_csv(tmp_path, rows), incident_mapping(), pg_store)
    assert report.written[S.INCIDENTS] == 2
    incidents = pg_store.load_frames(use_snapshot=False).incidents.set_index(S.INCIDENT_ID)
    assert sorted(incidents.index) == ["001", "002"]
    assert incidents.loc["001", S.INCIDENT_TYPE] == "shots_fired"
    assert (incidents.loc["001", S.LATITUDE], incidents.loc["001", S.LONGITUDE]) == (42.40, -83.20)
    assert incidents.loc["001", S.ADDRESS] == "1234 Main St"


def test_area_boundaries_round_trip_on_postgresql_without_their_heights(pg_store, tmp_path) -> None:
    from shapely.geometry import Polygon

    from tests.data.test_data_boundaries import AREAS, _geojson

    square_3d = [
        [-83.2, 42.3, 180.0],
        [-83.0, 42.3, 180.0],
        [-83.0, 42.4, 180.0],
        [-83.2, 42.4, 180.0],
        [-83.2, 42.3, 180.0],
    ]
    import_file(_geojson(tmp_path, [("Midtown", "Polygon", [square_3d])]), AREAS, pg_store)
    boundaries = pg_store.load_frames(use_snapshot=False).boundaries
    assert boundaries[S.NAME].tolist() == ["Midtown"]
    shape = boundaries.geometry.iloc[0]
    assert not shape.has_z
    assert shape.equals(Polygon([(x, y) for x, y, _ in square_3d]))
