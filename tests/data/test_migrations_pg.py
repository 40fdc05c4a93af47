"""Schema migrations on PostgreSQL: a release-era store upgraded to the schema of a new store, every row kept.

The release wrote PostgreSQL stores with the same ``create_all`` as SQLite
ones: BIGINT epoch-ns times, text ``imported_at``/``recorded_at``, BYTEA WKB
shapes, no PostGIS. The release store here is made that way: revision 0001's
frozen tables (the release's own definitions) in a fresh schema, filled with
every row of the release fixture. Skips without a server (see ``tests/backends.py``).
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning

from data.migrations import HEAD, VERSION_TABLE
from data.migrations.upgrade import MIGRATIONS_DIR, upgrade_store
from data.store import Store
from linking.cli import main as linking_main
from tests.backends import fresh_schema
from tests.data.migration_support import RELEASE_COUNTS, RELEASE_STORE, RELEASE_TIMES, dump, same_value
from tests.data.test_migrations import RULE, schema_differences


def _baseline() -> MetaData:
    path = MIGRATIONS_DIR / "versions" / "v0001_release_baseline.py"
    spec = importlib.util.spec_from_file_location("brassmap_revision_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.baseline_metadata()


@pytest.fixture
def release_pg() -> Iterator[str]:
    """URL of a fresh PostgreSQL schema holding the release store's tables and rows."""
    with fresh_schema("mig") as (_schema, url):
        tables = _baseline()
        source, target = create_engine(f"sqlite:///{RELEASE_STORE}"), create_engine(url)
        try:
            with source.connect() as reading, target.begin() as writing:
                tables.create_all(writing)
                for table in tables.sorted_tables:
                    rows = [dict(r._mapping) for r in reading.execute(select(table))]
                    if rows:
                        writing.execute(insert(table), rows)
                    key = {"link_events": "event_id", "imports": "import_id"}.get(table.name)
                    if key:  # the serial carries on after the copied ids, as in the release's own store
                        writing.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key}'), "
                            f"(SELECT max({key}) FROM {table.name}))"
                        ))  # fmt: skip
        finally:
            source.dispose()
            target.dispose()
        yield url


def _pg_schema(engine: Engine) -> dict[str, dict[str, Any]]:
    """The inspector's view (as in the SQLite test) with PostgreSQL's own names for column types."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # geometry is unknown to SQLAlchemy's reflection
        found = inspect(engine)
        out: dict[str, dict[str, Any]] = {}
        with engine.connect() as connection:
            types = {
                (t, c): (kind, nullable == "YES")
                for t, c, kind, nullable in connection.execute(text(
                    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
                    "CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END FROM pg_attribute a "
                    "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 "
                    "AND NOT a.attisdropped"
                ))
            }
        for name in found.get_table_names(schema=found.default_schema_name):
            out[name] = {
                "columns": {c: kind for (t, c), kind in types.items() if t == name},
                "primary key": tuple(found.get_pk_constraint(name)["constrained_columns"]),
                "indexes": {
                    i["name"]: (tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                    for i in found.get_indexes(name)
                },
                "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(name)),
                "checks": sorted(str(c["sqltext"]) for c in found.get_check_constraints(name)),
            }
    return out


def _dump(url: str) -> dict[str, dict[Any, dict[str, Any]]]:
    engine = create_engine(url)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)
            return dump(engine)
    finally:
        engine.dispose()


def test_a_release_store_on_postgresql_upgrades_keeping_every_row(release_pg: str, tmp_path: Path) -> None:
    before = _dump(release_pg)
    assert {name: len(rows) for name, rows in before.items()} == RELEASE_COUNTS
    result = upgrade_store(release_pg)
    assert result.applied[-1] == HEAD
    after = _dump(release_pg)
    for name, rows in before.items():
        assert after[name].keys() == rows.keys(), f"{name}: rows lost or added by the upgrade"
        for key, record in rows.items():
            for column, value in record.items():
                if name == "brassmap_meta" and key == "dataset_version":
                    continue
                new = after[name][key][column]
                is_time = column in RELEASE_TIMES.get(name, ())
                assert same_value(column, value, new, is_time=is_time), (
                    f"{name} {key} {column}: {value!r} -> {new!r}"
                )
    assert list(after[VERSION_TABLE.name]) == [HEAD]
    assert upgrade_store(release_pg).applied == ()  # a second run changes nothing
    assert _dump(release_pg) == after
    frames = Store(release_pg).load_frames()
    assert (len(frames.incidents), len(frames.links)) == (83, 40)
    out = tmp_path / "incidents.geojson"
    assert linking_main(["export", "--format", "geojson", "--out", str(out), "--db", release_pg]) == 0
    assert out.stat().st_size > 0


def test_an_upgraded_postgresql_store_has_the_schema_of_a_new_store(release_pg: str) -> None:
    upgrade_store(release_pg)
    with fresh_schema("new") as (_schema, new_url):
        Store(new_url)
        upgraded, new = create_engine(release_pg), create_engine(new_url)
        try:
            differences = schema_differences(_pg_schema(upgraded), _pg_schema(new))
        finally:
            upgraded.dispose()
            new.dispose()
    assert not differences, (
        "a PostgreSQL store upgraded from the release does not have the schema of a new store:\n  "
        + "\n  ".join(differences) + "\n" + RULE
    )
