"""Stable series ids kept in the store: the merge and split rules on a small hand-made store,
and the same gun keeping its id under random filters and after an unrelated import."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from data import schema as S
from data.importer import import_file
from data.mapping import load_mapping
from data.series_registry import read_registry
from data.store import Store
from linking.cli import main
from linking.filters import Filters
from linking.registry import UnknownSeriesError, stable_series
from linking.selection import select

PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"
TODAY = date(2019, 12, 31)
INCIDENT_HEADER = "incident_id,city,occurred_at,latitude,longitude,incident_type,case_number\n"
LINK_HEADER = "link_id,incident_a,incident_b,status,lead_number,lead_date\n"
# A (Jan) .. F (Jun), Detroit; A-B and C-D linked at first
INCIDENTS = [
    ("A", "2019-01-05 10:00", -83.10, 42.36),
    ("B", "2019-02-05 10:00", -83.05, 42.38),
    ("C", "2019-03-05 10:00", -83.00, 42.40),
    ("D", "2019-04-05 10:00", -83.12, 42.33),
    ("E", "2019-05-05 10:00", -83.08, 42.35),
    ("F", "2019-06-05 10:00", -83.02, 42.37),
]


def _import(store: Store, folder: Path, kind: str, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    report = import_file(path, load_mapping(PRESETS / f"brassmap_{kind}.toml"), store)
    assert report.rejected == 0, report.rejects.to_string()


def _incidents(store: Store, folder: Path, rows: list[tuple[str, str, float, float]], name: str) -> None:
    lines = [f"{i},Detroit,{when},{lat},{lon},shots_fired,CASE-{i}" for i, when, lon, lat in rows]
    _import(store, folder, "incidents", name, INCIDENT_HEADER + "\n".join(lines) + "\n")


def _links(store: Store, folder: Path, rows: list[tuple[str, str, str, str]], name: str) -> None:
    lines = [f"{link},{a},{b},{status},LEAD-{link},2019-07-01" for link, a, b, status in rows]
    _import(store, folder, "links", name, LINK_HEADER + "\n".join(lines) + "\n")


def _series(store: Store) -> dict[str, str]:
    """incident id -> series id over the whole store (the registry brought up to date)."""
    frames = stable_series(store, store.load_frames())
    chosen = select(frames, Filters(), today=TODAY).incidents
    return {
        str(i): str(s) for i, s in zip(chosen[S.INCIDENT_ID], chosen[S.SERIES_ID], strict=True) if pd.notna(s)
    }


@pytest.fixture
def hand_store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'hand.sqlite'}")
    _incidents(store, tmp_path, INCIDENTS, "incidents.csv")
    _links(store, tmp_path, [("K1", "A", "B", "lead"), ("K2", "C", "D", "hit")], "links1.csv")
    return store


def test_first_ids_name_the_first_shooting_and_are_kept_in_the_store(hand_store: Store) -> None:
    assert _series(hand_store) == {"A": "S-A", "B": "S-A", "C": "S-C", "D": "S-C"}
    version, registry = read_registry(hand_store)
    assert version == hand_store.dataset_version()
    rows = registry.set_index("series_id")
    assert rows.loc["S-A", "incident_ids"] == "A; B" and rows.loc["S-C", "link_ids"] == "K2"
    assert rows.loc["S-A", "first_incident_id"] == "A" and pd.isna(rows.loc["S-A", "merged_into"])


def test_a_new_link_merges_into_the_earliest_first_shooting_and_the_old_id_resolves(
    hand_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _series(hand_store)
    _links(hand_store, tmp_path, [("K3", "B", "C", "lead")], "links2.csv")
    assert set(_series(hand_store).values()) == {"S-A"}
    _, registry = read_registry(hand_store)
    retired = registry.set_index("series_id").loc["S-C"]
    assert retired["merged_into"] == "S-A"
    assert f"merged into S-A on {date.today().isoformat()}" in retired["history"]
    url = hand_store.url
    assert main(["series", "--db", url, "--id", "S-C", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["series_id"] == "S-A" and document["merged_into"] == "S-A"
    assert document["incident_ids"] == ["A", "B", "C", "D"] and document["size"] == 4
    # the dashboard's pick follows the merge too
    frames = stable_series(hand_store, hand_store.load_frames())
    picked = select(frames, Filters(series_id="S-C"), today=TODAY)
    assert picked.series[S.SERIES_ID].tolist() == ["S-A"]


def test_an_exclusion_splits_off_a_part_with_a_new_id_and_a_note(hand_store: Store, tmp_path: Path) -> None:
    assert set(_series(hand_store).values()) == {"S-A", "S-C"}
    _links(hand_store, tmp_path, [("K3", "B", "C", "lead"), ("K4", "D", "E", "lead")], "links2.csv")
    assert set(_series(hand_store).values()) == {"S-A"}
    # the B-C lead is excluded by an examiner: C, D, E leave the series of A
    _links(hand_store, tmp_path, [("K3", "B", "C", "excluded")], "links3.csv")
    after = _series(hand_store)
    assert after["A"] == after["B"] == "S-A"
    assert after["C"] == after["D"] == after["E"] == "S-C-2"  # S-C was given before (merged into S-A)
    _, registry = read_registry(hand_store)
    rows = registry.set_index("series_id")
    today = date.today().isoformat()
    assert f"split from S-A on {today}" in rows.loc["S-C-2", "history"]
    assert f"S-C-2 split off on {today}" in rows.loc["S-A", "history"]


def test_an_unknown_or_dissolved_id_is_a_clear_error(
    hand_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _series(hand_store)
    _links(hand_store, tmp_path, [("K2", "C", "D", "excluded")], "links2.csv")
    frames = stable_series(hand_store, hand_store.load_frames())
    with pytest.raises(UnknownSeriesError, match="dissolved on"):
        frames.series.resolve("S-C")
    assert main(["series", "--db", hand_store.url, "--id", "S-NOPE", "--json"]) == 1
    assert "S-NOPE" in capsys.readouterr().err


def test_same_gun_keeps_its_id_under_random_filters_and_an_unrelated_import(tmp_path: Path) -> None:
    from data.demo import build_demo_store

    store = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    build_demo_store(store, incidents=3000)
    frames = stable_series(store, store.load_frames())
    whole = select(frames, Filters(), today=TODAY).incidents
    linked = whole[whole[S.SERIES_ID].notna()]
    truth = dict(zip(linked[S.INCIDENT_ID].astype(str), linked[S.SERIES_ID].astype(str), strict=True))
    cities = sorted(frames.incidents[S.CITY].astype(str).unique())
    first = frames.incidents[S.LOCAL_DATE].min().date()
    days = (frames.incidents[S.LOCAL_DATE].max().date() - first).days
    chooser = random.Random(11)
    for _ in range(20):
        start = first + timedelta(days=chooser.randrange(days))
        filters = Filters(
            cities=tuple(chooser.sample(cities, chooser.randint(1, 3))),
            date_from=start,
            date_to=start + timedelta(days=chooser.choice([7, 28, 90, 365])),
            incident_types=tuple(chooser.sample(S.INCIDENT_TYPES, chooser.randint(1, 4))),
        )
        chosen = select(frames, filters, today=TODAY).incidents
        shown = chosen[chosen[S.SERIES_ID].notna()]
        for incident, series in zip(
            shown[S.INCIDENT_ID].astype(str), shown[S.SERIES_ID].astype(str), strict=True
        ):
            assert truth[incident] == series, (filters.describe(), incident)
    # an unrelated import, synthetic like the store (real records are not mixed into the demo)
    row = "ZZ-1,Detroit,2018-01-01 10:00,42.3,-83.0,shots_fired,C,true\n"
    unrelated = INCIDENT_HEADER.rstrip("\n") + ",is_synthetic\n" + row
    _import(store, tmp_path, "incidents", "unrelated.csv", unrelated)
    assert store.dataset_version() != frames.dataset_version
    again = stable_series(store, store.load_frames())
    after = select(again, Filters(), today=TODAY).incidents
    after_linked = after[after[S.SERIES_ID].notna()]
    assert dict(zip(after_linked[S.INCIDENT_ID].astype(str), after_linked[S.SERIES_ID].astype(str),
                    strict=True)) == truth  # fmt: skip
