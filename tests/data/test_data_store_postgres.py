"""The store's upsert on PostgreSQL (the team server): a re-import updates rows there too.

Runs when ``BRASSMAP_TEST_POSTGRES_URL`` names a database the test may create schemas in
(e.g. ``postgresql+psycopg://user:pw@127.0.0.1/db``); skipped otherwise. Each test works in
its own schema, dropped afterwards, so parallel runs do not meet.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from data import schema as S
from data.importer import import_file
from data.store import Store
from tests.data.conftest import incident_csv, incident_mapping, write

URL = os.environ.get("BRASSMAP_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="BRASSMAP_TEST_POSTGRES_URL is not set")


@pytest.fixture
def pg_store():
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    joiner = "&" if "?" in URL else "?"
    store = Store(f"{URL}{joiner}options={quote(f'-csearch_path={schema},public')}")
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()


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
