"""Schema migrations (issue #14, item 6): a store written by the last release is upgraded, keeping every row.

The release store is ``tests/data/fixtures/release_32f4621.sqlite``, written by
that release's own code (``tools/make_release_store.py``). The tests copy it
and never rebuild it. ``test_an_upgraded_release_store_has_the_schema_of_a_new_store``
is the rule every schema change answers to: a change to ``data/_sql.py``
without a revision that makes it for existing stores fails it.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine

from data.__main__ import main as data_main
from data.errors import OutdatedStoreError, StoreError
from data.migrations import HEAD, REVISIONS, VERSION_TABLE
from data.migrations.upgrade import alembic_config, transactional_engine, upgrade_store
from data.store import Store
from linking.cli import main as linking_main
from tests.data.migration_support import (
    RELEASE_COUNTS,
    RELEASE_STORE,
    RELEASE_TIMES,
    REPO_ROOT,
    dump,
    same_value,
    sqlite_engine,
)

RULE = (
    "Every change to the tables in data/_sql.py needs an Alembic revision that makes the same change to an "
    "existing store, keeping its rows: run `python -m data db revision \"what changed\"`, complete the draft "
    "in data/migrations/versions/ (data conversion, PostgreSQL), add its id to REVISIONS in "
    "data/migrations/__init__.py (SCHEMA.md, 'Schema changes and migrations')."
)


@pytest.fixture
def release_copy(tmp_path: Path) -> Path:
    """A private copy of the release store."""
    assert RELEASE_STORE.stat().st_size < 1_000_000, "keep the fixture well under 1 MB"
    path = tmp_path / "release.sqlite"
    shutil.copyfile(RELEASE_STORE, path)
    return path


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _read(path: Path) -> dict[str, dict[Any, dict[str, Any]]]:
    engine = sqlite_engine(path)
    try:
        return dump(engine)
    finally:
        engine.dispose()


def test_the_fixture_was_written_by_the_release_not_by_this_code() -> None:
    tables = _read(RELEASE_STORE)
    assert VERSION_TABLE.name not in tables  # the release knew no revisions
    assert {name: len(rows) for name, rows in tables.items()} == RELEASE_COUNTS
    assert tables["incidents"]["REL-1"]["occurred_at"] == 1_622_604_600_000_000_000  # 2021-06-02 03:30 UTC


def test_a_release_store_is_refused_with_the_command_that_upgrades_it(release_copy: Path, capsys) -> None:
    url = _url(release_copy)
    with pytest.raises(OutdatedStoreError, match="python -m data db upgrade --db sqlite:///") as caught:
        Store(url)
    assert "release before schema revisions" in str(caught.value)
    assert data_main(["reset", "--db", url, "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the store ") and f"python -m data db upgrade --db {url}" in err
    assert "Traceback" not in err
    assert _read(release_copy)["incidents"].keys() == _read(RELEASE_STORE)["incidents"].keys()  # not reset


def test_the_upgrade_keeps_every_row_and_every_value(release_copy: Path, capsys) -> None:
    before = _read(release_copy)
    assert data_main(["db", "upgrade", "--db", _url(release_copy)]) == 0
    assert "every record was kept" in capsys.readouterr().out
    after = _read(release_copy)
    for name, rows in before.items():
        assert after[name].keys() == rows.keys(), f"{name}: rows lost or added by the upgrade"
        times = RELEASE_TIMES.get(name, ())
        for key, record in rows.items():
            for column, value in record.items():
                if name == "brassmap_meta" and key == "dataset_version":
                    continue  # a new token on purpose: snapshots and open dashboards reload
                new = after[name][key][column]
                assert same_value(column, value, new, is_time=column in times), (
                    f"{name} {key} {column}: {value!r} became {new!r}"
                )
    versions = [t["brassmap_meta"]["dataset_version"]["value"] for t in (before, after)]
    assert versions[0] != versions[1]
    assert list(after[VERSION_TABLE.name]) == [HEAD]


def test_db_status_says_whether_an_upgrade_is_needed(release_copy: Path, tmp_path: Path, capsys) -> None:
    url = _url(release_copy)
    assert data_main(["db", "status", "--db", url]) == 1
    assert f"python -m data db upgrade --db {url}" in capsys.readouterr().out
    upgrade_store(url)
    assert data_main(["db", "status", "--db", url]) == 0
    assert f"is at schema revision {HEAD}, the current one" in capsys.readouterr().out
    missing = tmp_path / "none.sqlite"
    assert data_main(["db", "status", "--db", _url(missing)]) == 0
    assert "holds no brassmap store yet" in capsys.readouterr().out and not missing.exists()


def test_a_second_upgrade_changes_nothing(release_copy: Path, capsys) -> None:
    upgrade_store(_url(release_copy))
    once = _read(release_copy)
    again = upgrade_store(_url(release_copy))
    assert again.applied == ()
    assert "nothing to do" in again.summary()
    assert _read(release_copy) == once


def test_a_failing_upgrade_changes_nothing(release_copy: Path) -> None:
    """A revision that fails half-way (its temporary table's name is taken) leaves every row as it was."""
    engine = sqlite_engine(release_copy)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE _alembic_tmp_evidence (x INTEGER)")
    engine.dispose()
    before = _read(release_copy)
    with pytest.raises(StoreError, match="failed and was rolled back, nothing changed"):
        upgrade_store(_url(release_copy))
    assert _read(release_copy) == before  # incidents' times (rewritten before evidence failed) are back
    with pytest.raises(OutdatedStoreError):
        Store(_url(release_copy))


def test_the_upgraded_store_loads_and_exports(release_copy: Path, tmp_path: Path) -> None:
    url = _url(release_copy)
    upgrade_store(url)
    frames = Store(url).load_frames()
    assert (len(frames.incidents), len(frames.links)) == (83, 40)
    rel1 = frames.incidents.set_index("incident_id").loc["REL-1"]
    assert rel1["occurred_at"].tz_convert("UTC").isoformat() == "2021-06-02T03:30:00+00:00"
    out = tmp_path / "export.zip"
    assert linking_main(["export", "--format", "csv", "--out", str(out), "--db", url]) == 0
    with zipfile.ZipFile(out) as archive:
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8-sig"))))
    assert len(nodes) == 83
    assert linking_main(["lead", "show", "L-00000001", "--db", url]) == 0


def test_an_upgraded_store_takes_imports_and_keeps_an_audit_trail(release_copy: Path, tmp_path: Path) -> None:
    url = _url(release_copy)
    upgrade_store(url)
    new = tmp_path / "more.csv"
    new.write_text(
        "incident_id,city,occurred_at,latitude,longitude,incident_type,is_synthetic\n"
        "AFTER-1,Detroit,2022-01-01T12:00:00Z,42.34,-83.05,shots_fired,true\n",
        encoding="utf-8",
    )
    preset = str(REPO_ROOT / "data" / "presets" / "brassmap_incidents.toml")
    assert data_main(["import", str(new), "--mapping", preset, "--db", url, "--as", "upgrade test"]) == 0
    store = Store(url)
    assert store.count("incidents") == 84
    assert len(store.imports()) == 4
    assert data_main(["audit", "verify", "--db", url]) == 0


def _schema(engine: Engine) -> dict[str, dict[str, Any]]:
    """Tables, columns (type, nullable), primary keys, indexes, unique and check constraints, foreign keys."""
    found = inspect(engine)
    out: dict[str, dict[str, Any]] = {}
    for name in found.get_table_names():
        out[name] = {
            "columns": {
                c["name"]: (str(c["type"].compile(dialect=engine.dialect)), c["nullable"])
                for c in found.get_columns(name)
            },
            "primary key": tuple(found.get_pk_constraint(name)["constrained_columns"]),
            "indexes": {
                i["name"]: (tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(name)
            },
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(name)),
            "checks": sorted(str(c["sqltext"]) for c in found.get_check_constraints(name)),
            "foreign keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in found.get_foreign_keys(name)
            ),
        }
    return out


def schema_differences(upgraded: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[str]:
    """What differs between two schemas, one line per table part, for the failure message."""
    lines = [f"table {t} only in a new store" for t in sorted(new.keys() - upgraded.keys())]
    lines += [f"table {t} only in the upgraded store" for t in sorted(upgraded.keys() - new.keys())]
    for name in sorted(new.keys() & upgraded.keys()):
        for part, value in new[name].items():
            old = upgraded[name][part]
            if old == value:
                continue
            if isinstance(value, dict):  # columns, indexes: name each one that differs
                for item in sorted(value.keys() | old.keys()):
                    if old.get(item) != value.get(item):
                        then, now = old.get(item), value.get(item)
                        lines.append(f"{name} {part} {item}: upgraded {then!r}, new {now!r}")
            else:
                lines.append(f"{name} {part}: upgraded {old!r}, new {value!r}")
    return lines


def _compare(upgraded: Engine, new: Engine) -> None:
    differences = schema_differences(_schema(upgraded), _schema(new))
    assert not differences, (
        "a store upgraded from the release does not have the schema of a new store:\n  "
        + "\n  ".join(differences)
        + "\n"
        + RULE
    )


def test_an_upgraded_release_store_has_the_schema_of_a_new_store(release_copy: Path, tmp_path: Path) -> None:
    upgrade_store(_url(release_copy))
    Store(_url(tmp_path / "new.sqlite"))
    upgraded, new = sqlite_engine(release_copy), sqlite_engine(tmp_path / "new.sqlite")
    try:
        _compare(upgraded, new)
    finally:
        upgraded.dispose()
        new.dispose()


def test_the_revisions_alone_build_the_schema_of_a_new_store(tmp_path: Path) -> None:
    """From an empty database through every revision (what ``db revision`` drafts against)."""
    from alembic import command

    engine = transactional_engine(_url(tmp_path / "walked.sqlite"))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    Store(_url(tmp_path / "new.sqlite"))
    walked, new = sqlite_engine(tmp_path / "walked.sqlite"), sqlite_engine(tmp_path / "new.sqlite")
    try:
        _compare(walked, new)
    finally:
        walked.dispose()
        new.dispose()


def test_revisions_form_one_line_listed_in_revisions() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(None))
    heads = scripts.get_heads()
    assert len(heads) == 1, (
        f"data/migrations/versions has {len(heads)} newest revisions {heads}: two revisions follow the same "
        "one. Set down_revision of yours to the other's id (and renumber it) so they form one line."
    )
    chain = tuple(s.revision for s in reversed(list(scripts.walk_revisions())))
    assert chain == REVISIONS, (
        f"the revisions in data/migrations/versions are {chain}, but REVISIONS in "
        f"data/migrations/__init__.py says {REVISIONS}: list every revision "
        "there, oldest first (the store check reads it, not Alembic)."
    )


def test_a_new_store_is_created_at_head_and_needs_no_upgrade(tmp_path: Path) -> None:
    url = _url(tmp_path / "new.sqlite")
    Store(url)
    assert list(_read(tmp_path / "new.sqlite")[VERSION_TABLE.name]) == [HEAD]
    result = upgrade_store(url)
    assert (result.applied, result.created) == ((), False)
    fresh = upgrade_store(_url(tmp_path / "by-upgrade.sqlite"))
    assert fresh.created
    Store(_url(tmp_path / "by-upgrade.sqlite"))  # opens without complaint


def test_a_store_from_a_newer_brassmap_is_refused(tmp_path: Path) -> None:
    url = _url(tmp_path / "newer.sqlite")
    Store(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(VERSION_TABLE.update().values(version_num="9999"))
    engine.dispose()
    with pytest.raises(OutdatedStoreError, match=r"9999, which this brassmap does not know.*newer brassmap"):
        Store(url)
    with pytest.raises(OutdatedStoreError, match="newer brassmap"):
        upgrade_store(url)
