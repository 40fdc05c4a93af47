"""The whole store's series kept beside the snapshot: a cold start reads back exactly what it computed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.demo import build_demo_store
from data.store import Store
from linking.registry import SeriesIndex, stable_series, whole_series

DAY = date(2022, 1, 3)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('snap') / 'demo.sqlite'}")
    build_demo_store(store, seed=5, incidents=2_000)
    return store


def _records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False, name=None)]


def _same(kept: SeriesIndex, computed: SeriesIndex) -> None:
    for name in ("code", "names", "sizes", "link_code", "table_row"):
        np.testing.assert_array_equal(getattr(kept, name), getattr(computed, name), err_msg=name)
    for name in ("incident_a", "incident_b", "firearm", "firearms"):
        np.testing.assert_array_equal(getattr(kept.ends, name), getattr(computed.ends, name), err_msg=name)
    pd.testing.assert_frame_equal(kept.table, computed.table)
    assert _records(kept.registry) == _records(computed.registry)  # text columns may come back as strings
    assert kept.names.dtype == object and kept.dataset_version == computed.dataset_version


def test_a_second_cold_start_reads_the_series_it_kept(demo_store: Store) -> None:
    first = stable_series(demo_store, demo_store.load_frames(), today=DAY)
    folder = demo_store.snapshot_dir() / str(first.dataset_version) / f"series-{DAY.isoformat()}"
    assert (folder / "complete").exists(), "the first load keeps the whole store's series"
    (folder / "arrays.npz").touch()  # the file stays; its reading is what the next load does
    again = stable_series(demo_store, demo_store.load_frames(), today=DAY)
    assert len(first.series.table) > 20
    _same(again.series, first.series)
    _same(again.series, whole_series(demo_store.load_frames(), first.series.registry, today=DAY))


def test_another_day_counts_days_since_last_from_that_day(demo_store: Store) -> None:
    stable_series(demo_store, demo_store.load_frames(), today=DAY)
    later = stable_series(demo_store, demo_store.load_frames(), today=date(2022, 1, 13)).series.table
    earlier = stable_series(demo_store, demo_store.load_frames(), today=DAY).series.table
    assert (later["days_since_last"] - earlier["days_since_last"] == 10).all()


def test_damaged_parts_are_computed_again(demo_store: Store, tmp_path: Path) -> None:
    first = stable_series(demo_store, demo_store.load_frames(), today=DAY)
    folder = demo_store.snapshot_dir() / str(first.dataset_version) / f"series-{DAY.isoformat()}"
    (folder / "arrays.npz").write_bytes(b"not an npz")
    again = stable_series(demo_store, demo_store.load_frames(), today=DAY)
    _same(again.series, first.series)
