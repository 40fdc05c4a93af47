"""The ingest benchmark's CSV is brassmap's own export format: the real importer reads it back whole."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.ingest import incidents_preset, time_import, write_incidents_csv
from data import schema as S
from data.demo import generate_demo
from data.importer import import_file
from data.mapping import load_mapping
from data.store import Store


def test_bench_csv_imports_back_with_every_row_and_value(tmp_path: Path) -> None:
    incidents = generate_demo(seed=11, incidents=300)[S.INCIDENTS]
    csv_file = tmp_path / "incidents.csv"

    written = write_incidents_csv(incidents, csv_file)
    store = Store(f"sqlite:///{tmp_path / 'roundtrip.sqlite'}")
    report = import_file(csv_file, load_mapping(incidents_preset()), store)

    assert written["rows"] == 300
    assert report.batch.rows_read == 300
    assert report.batch.rows_rejected == 0
    loaded = store.load_frames().incidents.set_index(S.INCIDENT_ID).sort_index()
    source = incidents.set_index(S.INCIDENT_ID).sort_index()
    assert loaded.index.tolist() == source.index.tolist()  # ids as text, zero padding kept
    assert (loaded[S.OCCURRED_AT] == source[S.OCCURRED_AT]).all()
    assert (loaded[S.CITY].astype(str) == source[S.CITY].astype(str)).all()
    assert (loaded[S.INCIDENT_TYPE].astype(str) == source[S.INCIDENT_TYPE].astype(str)).all()
    assert ((loaded[S.LATITUDE] - source[S.LATITUDE]).abs() < 1e-6).all()


def test_time_import_runs_the_real_cli_into_a_fresh_store(tmp_path: Path) -> None:
    incidents = generate_demo(seed=12, incidents=200)[S.INCIDENTS]
    csv_file = tmp_path / "incidents.csv"
    write_incidents_csv(incidents, csv_file)
    store_file = tmp_path / "ingest.sqlite"
    store_file.write_bytes(b"")  # a leftover file is replaced, not appended to

    figure = time_import(csv_file, store_file, rows=len(incidents))

    assert figure["rows"] == 200 and figure["rows_per_s"] > 0
    assert "stored 200" in figure["summary"]
    stored = Store(f"sqlite:///{store_file}").load_frames().incidents
    assert len(stored) == 200
    assert isinstance(stored[S.INCIDENT_ID].iloc[0], str)
    assert pd.api.types.is_datetime64_any_dtype(stored[S.OCCURRED_AT])
