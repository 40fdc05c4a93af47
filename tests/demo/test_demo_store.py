"""build_demo_store writes the demo through the real store and it reads back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from data import schema as S
from data.demo import build_demo_store, generate_demo
from data.demo.store import demo_description
from data.store import Store


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")


def test_demo_store_round_trips_counts_and_ids(store: Store) -> None:
    assert store.is_empty()
    counts = build_demo_store(store, seed=5, incidents=3_000)
    frames = generate_demo(seed=5, incidents=3_000)
    assert counts == {kind: len(frames[kind]) for kind in S.KINDS}
    assert counts[S.INCIDENTS] == 3_000 and counts[S.LINKS] == 1_500
    assert not store.is_empty()

    loaded = store.load_frames()
    assert len(loaded.incidents) == 3_000
    assert len(loaded.links) == counts[S.LINKS]
    assert len(loaded.evidence) == counts[S.EVIDENCE]
    assert len(loaded.firearms) == counts[S.FIREARMS]
    assert len(loaded.boundaries) == 7
    assert loaded.is_synthetic
    assert set(loaded.incidents[S.INCIDENT_ID]) == set(frames[S.INCIDENTS][S.INCIDENT_ID])
    assert loaded.incidents[S.INCIDENT_ID].str.fullmatch(r"[A-Z]{3}-\d{2}-\d{6}").all()  # zero padding kept
    made_statuses = frames[S.LINKS][S.STATUS].value_counts().to_dict()
    assert loaded.links[S.STATUS].value_counts().to_dict() == made_statuses
    assert loaded.incidents[S.IS_SYNTHETIC].all() and loaded.links[S.IS_SYNTHETIC].all()


def test_demo_store_keeps_times_and_dates(store: Store) -> None:
    build_demo_store(store, seed=5, incidents=2_000)
    frames = generate_demo(seed=5, incidents=2_000)
    loaded = store.load_frames()
    stored = loaded.incidents.set_index(S.INCIDENT_ID)[S.OCCURRED_AT]
    made = frames[S.INCIDENTS].set_index(S.INCIDENT_ID)[S.OCCURRED_AT]
    assert (stored.reindex(made.index) == made).all()
    stored_links = loaded.links.set_index(S.LINK_ID).reindex(frames[S.LINKS][S.LINK_ID])
    made_links = frames[S.LINKS].set_index(S.LINK_ID)
    assert stored_links[S.LEAD_DATE].equals(made_links[S.LEAD_DATE])
    assert (stored_links[S.INCIDENT_B].isna() == made_links[S.INCIDENT_B].isna()).all()


def test_demo_store_records_synthetic_provenance(store: Store) -> None:
    build_demo_store(store, seed=9, incidents=1_000, links=321)
    imports = store.imports()
    assert len(imports) == 1
    row = imports.iloc[0]
    assert row["file_name"] == "synthetic-demo seed=9 incidents=1000 links=321"
    expected = hashlib.sha256(demo_description(seed=9, incidents=1_000, links=321).encode()).hexdigest()
    assert row["sha256"] == expected
    assert row["rows_rejected"] == 0 and row["rows_read"] == row["rows_stored"]


def test_demo_store_rebuild_replaces_rather_than_duplicates(store: Store) -> None:
    first = build_demo_store(store, seed=5, incidents=1_500)
    version = store.dataset_version()
    second = build_demo_store(store, seed=5, incidents=1_500)
    assert first == second
    assert store.dataset_version() != version
    loaded = store.load_frames()
    assert len(loaded.incidents) == 1_500 and len(loaded.links) == first[S.LINKS]
    assert len(store.imports()) == 2


def test_demo_store_far_from_city_is_not_flagged(store: Store) -> None:
    build_demo_store(store, seed=5, incidents=1_000)
    incidents = store.load_frames().incidents
    assert len(incidents) == 1_000
    assert not incidents[S.FAR_FROM_CITY].any()
