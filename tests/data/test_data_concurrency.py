"""Several people at once: two imports of different files while someone reads, on SQLite and PostgreSQL.

Each import runs in its own thread with its own ``Store`` (its own
connections), as two analysts' commands would; a third reads the frames in a
loop meanwhile. Nothing may be lost, no one may see half an import, and the
dataset version must move on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from data import schema as S
from data.importer import import_file
from data.store import Store
from tests.data.conftest import incident_csv, incident_mapping

ROWS_PER_FILE = 3_000


def _rows(prefix: str, lat: float, lon: float, city: str) -> list[str]:
    return [
        f"{prefix}{i:05d},{city},2020-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:15,"
        f"{lat + (i % 50) / 1000:.4f},{lon + (i % 40) / 1000:.4f},shots_fired"
        for i in range(ROWS_PER_FILE)
    ]


@contextmanager
def _writes_held(store: Store) -> Iterator[None]:
    """Hold the store's write side while the block starts both imports, then let them go at once.

    SQLite: an immediate transaction (other writers wait in their busy handler).
    PostgreSQL: an exclusive lock on ``brassmap_meta``, which every import
    writes (readers still read it); it is released once two sessions wait on a
    lock, so both imports are inside their transactions together.
    """
    with store.engine.connect() as connection:
        if store.is_postgresql:
            connection.execute(text("LOCK TABLE brassmap_meta IN EXCLUSIVE MODE"))
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield
            _wait_for_two_waiting(store)
        finally:
            connection.rollback()


def _wait_for_two_waiting(store: Store) -> None:
    if not store.is_postgresql:
        time.sleep(3)  # both imports reach their first write and wait in SQLite's busy handler
        return
    waiting = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with store.engine.connect() as connection:
            if (connection.execute(text(waiting)).scalar() or 0) >= 2:
                return
        time.sleep(0.2)


def _read_until(url: str, done: threading.Event) -> list[tuple[str, int]]:
    """Load the frames from the database (no snapshot) until ``done``; (version, incidents) per load."""
    reader = Store(url)
    seen = []
    while True:
        finished = done.is_set()
        frames = reader.load_frames(use_snapshot=False)
        seen.append((frames.dataset_version, len(frames.incidents)))
        if finished:
            return seen


def test_two_imports_and_a_reader_at_once_lose_nothing(db_url: str, tmp_path: Path) -> None:
    first = incident_csv(tmp_path, _rows("DET-", 42.33, -83.10, "Detroit"), name="detroit.csv")
    second = incident_csv(tmp_path, _rows("MEM-", 35.10, -90.02, "Memphis"), name="memphis.csv")
    before = Store(db_url).dataset_version()
    done = threading.Event()
    with ThreadPoolExecutor(max_workers=3) as pool:
        reading = pool.submit(_read_until, db_url, done)
        try:
            with _writes_held(Store(db_url)):
                imports = [
                    pool.submit(import_file, path, incident_mapping(), Store(db_url))
                    for path in (first, second)
                ]
            reports = [future.result(timeout=600) for future in imports]
        finally:
            done.set()  # the reader stops even when an import failed
        seen = reading.result(timeout=600)

    assert [report.written[S.INCIDENTS] for report in reports] == [ROWS_PER_FILE, ROWS_PER_FILE]
    store = Store(db_url)
    frames = store.load_frames(use_snapshot=False)
    ids = set(frames.incidents[S.INCIDENT_ID])
    assert len(ids) == len(frames.incidents) == 2 * ROWS_PER_FILE
    assert {f"DET-{i:05d}" for i in range(ROWS_PER_FILE)} <= ids
    assert {f"MEM-{i:05d}" for i in range(ROWS_PER_FILE)} <= ids
    assert sorted(store.imports()["file_name"]) == ["detroit.csv", "memphis.csv"]
    assert store.dataset_version() not in (before, "empty")
    # the reader saw whole imports only (0, one file or both), each version with one count
    assert {count for _version, count in seen} <= {0, ROWS_PER_FILE, 2 * ROWS_PER_FILE}
    counts_per_version: dict[str, set[int]] = {}
    for version, count in seen:
        counts_per_version.setdefault(version, set()).add(count)
    assert all(len(counts) == 1 for counts in counts_per_version.values()), counts_per_version
    assert seen[-1] == (store.dataset_version(), 2 * ROWS_PER_FILE)
