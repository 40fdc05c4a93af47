"""What other tools see in the store: GIS layers on PostgreSQL/PostGIS, readable times on SQLite."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest
from sqlalchemy import text

from data import schema as S
from data.demo import build_demo_store
from data.store import Store
from tests.backends import fresh_schema, pg_conninfo

N = 120


def _ogrinfo(schema: str, layer: str) -> str:
    if shutil.which("ogrinfo") is None:
        pytest.fail("ogrinfo not found: apt-get install gdal-bin (.ci/run installs it)")
    done = subprocess.run(
        ["ogrinfo", "-ro", "-so", pg_conninfo(schema), layer], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ogrinfo_reads_incidents_firearms_and_boundaries_as_layers_in_epsg_4326():
    with fresh_schema() as (schema, url):
        store = Store(url)
        counts = build_demo_store(store, seed=3, incidents=N)
        incidents = _ogrinfo(schema, S.INCIDENTS)
        assert "Geometry: Point" in incidents
        assert f"Feature Count: {N}" in incidents
        assert 'ID["EPSG",4326]' in incidents
        assert "occurred_at: DateTime" in incidents  # a time, not a number
        firearms = _ogrinfo(schema, S.FIREARMS)
        assert "Geometry: Point" in firearms and f"Feature Count: {counts[S.FIREARMS]}" in firearms
        boundaries = _ogrinfo(schema, S.BOUNDARIES)
        assert f"Feature Count: {counts[S.BOUNDARIES]}" in boundaries and 'ID["EPSG",4326]' in boundaries


def test_postgis_points_follow_the_coordinates_and_are_indexed(pg_url):
    store = Store(pg_url)
    build_demo_store(store, seed=3, incidents=N)
    with store.engine.connect() as connection:
        far = connection.execute(
            text(
                f"SELECT count(*) FROM {S.INCIDENTS} WHERE geom IS NULL "
                f"OR abs(ST_X(geom) - {S.LONGITUDE}) > 1e-9 OR abs(ST_Y(geom) - {S.LATITUDE}) > 1e-9"
            )
        ).scalar()
        gist = (
            "SELECT tablename FROM pg_indexes "
            "WHERE indexdef ILIKE '%USING gist%' AND schemaname = current_schema()"
        )
        indexes = connection.execute(text(gist)).scalars().all()
        column = (
            "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            f"AND table_name = '{S.INCIDENTS}' AND column_name = '{S.OCCURRED_AT}'"
        )
        kind = connection.execute(text(column)).scalar()
    assert far == 0
    assert sorted(indexes) == sorted([S.INCIDENTS, S.FIREARMS, S.BOUNDARIES])
    assert kind == "timestamp with time zone"


def test_sqlite_times_are_iso_text_any_sqlite_tool_reads(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(f"sqlite:///{path}")
    build_demo_store(store, seed=3, incidents=N)
    frames = store.load_frames(use_snapshot=False)
    first = frames.incidents.sort_values(S.INCIDENT_ID).iloc[0]
    with sqlite3.connect(path) as connection:
        stored, parsed = connection.execute(
            f"SELECT occurred_at, datetime(occurred_at) FROM {S.INCIDENTS} WHERE {S.INCIDENT_ID} = ?",
            (first[S.INCIDENT_ID],),
        ).fetchone()
        imported_at = connection.execute("SELECT imported_at FROM imports").fetchone()[0]
    assert isinstance(stored, str) and stored.endswith("Z")
    assert parsed == first[S.OCCURRED_AT].strftime("%Y-%m-%d %H:%M:%S")
    assert isinstance(imported_at, str) and imported_at[:4].isdigit()


def test_areas_with_heights_are_stored_flat_and_errors_stay_clear(db_url):
    import pandas as pd
    import shapely

    from data.errors import StoreError
    from data.store import ImportSource

    store = Store(db_url)
    square = shapely.Polygon([(-83.1, 42.3, 190), (-83.0, 42.3, 190), (-83.0, 42.4, 190), (-83.1, 42.3, 190)])
    areas = pd.DataFrame({S.BOUNDARY_ID: ["city_limits/Detroit/Z"], S.NAME: ["Z"], S.CITY: ["Detroit"],
                          S.LAYER: ["city_limits"], S.GEOMETRY: [square]})  # fmt: skip
    source = ImportSource("areas.geojson", "0" * 64, 1, 1, 0, 0)
    assert store.save({S.BOUNDARIES: areas}, source=source)[S.BOUNDARIES] == 1
    stored = store.load_frames(use_snapshot=False).boundaries.geometry.iloc[0]
    assert shapely.equals(shapely.force_2d(stored), shapely.force_2d(square))
    if store.is_postgresql:  # the database refusing a row (text with NUL) is a StoreError, not a traceback
        broken = areas.assign(**{S.BOUNDARY_ID: ["city_limits/Detroit/bad"], S.NAME: ["a\x00b"]})
        with pytest.raises(StoreError, match=r"areas\.geojson .*rolled back"):
            store.save({S.BOUNDARIES: broken}, source=source)
        assert store.count(S.BOUNDARIES) == 1
