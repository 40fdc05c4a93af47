"""linking.scope on the demo store: a Memphis-scoped user receives no Detroit incident, anywhere.

Pages, search and exports are all computed from the cut frames (ui.loading applies
``restrict`` once), so checking what each of them makes from the cut frames covers them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data import schema as S
from data.access import ANALYST, VIEWER, User
from data.demo import build_demo_store
from data.frames import Frames
from data.store import Store
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.registry import stable_series
from linking.scope import outside_links, restrict
from linking.search import find
from linking.selection import select

MEMPHIS_VIEWER = User("mem@pd.gov", VIEWER, cities=("Memphis",))
MEMPHIS_ANALYST = User("mem@pd.gov", ANALYST, cities=("Memphis",))
TODAY = date(2022, 1, 1)
ALL_YEARS = Filters(date_from=date(2015, 1, 1), date_to=date(2022, 12, 31), link_statuses=S.LINK_STATUSES)


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('scope') / 'demo.sqlite'}")
    build_demo_store(store, seed=2019, incidents=3_000)
    return stable_series(store, store.load_frames())


def _cross(frames: Frames, city_a: str, city_b: str) -> pd.DataFrame:
    city = dict(zip(frames.incidents[S.INCIDENT_ID], frames.incidents[S.CITY].astype(str), strict=True))
    links = frames.links.dropna(subset=[S.INCIDENT_B])
    ends = links[S.INCIDENT_A].map(city).astype(str) + "|" + links[S.INCIDENT_B].map(city).astype(str)
    return links[ends.isin([f"{city_a}|{city_b}", f"{city_b}|{city_a}"])]


def test_the_demo_links_memphis_to_other_cities(frames: Frames) -> None:
    """The premise: without a scope there is something to leak."""
    assert (frames.incidents[S.CITY] == "Detroit").any()
    assert len(outside_links(frames, MEMPHIS_VIEWER)) > 0


def test_memphis_viewer_frames_hold_only_memphis(frames: Frames) -> None:
    cut = restrict(frames, MEMPHIS_VIEWER)
    cities = set(cut.incidents[S.CITY].astype(str))
    assert cities == {"Memphis"}
    assert list(cut.incidents[S.CITY].cat.categories) == ["Memphis"]  # no other city name travels
    assert len(cut.incidents) == int((frames.incidents[S.CITY] == "Memphis").sum())
    kept = set(cut.incidents[S.INCIDENT_ID])
    assert set(cut.links[S.INCIDENT_A]) <= kept
    assert set(cut.links[S.INCIDENT_B].dropna()) <= kept
    assert set(cut.evidence[S.INCIDENT_ID].dropna()) <= kept
    assert set(cut.firearms[S.CITY].astype(str)) <= {"Memphis"}
    assert set(cut.boundaries[S.CITY].astype(str)) <= {"Memphis"}
    test_fire = cut.links[cut.links[S.INCIDENT_B].isna()]
    assert set(test_fire[S.FIREARM_ID].dropna()) <= set(cut.firearms[S.FIREARM_ID])
    assert not cut.incidents[S.INCIDENT_ID].str.startswith("DET-").any()


def test_every_text_a_memphis_viewer_gets_is_free_of_detroit(frames: Frames) -> None:
    cut = restrict(frames, MEMPHIS_VIEWER)
    selection = select(cut, ALL_YEARS, today=TODAY)
    texts = [frame.to_csv() for frame in (selection.incidents, selection.links, selection.series,
                                           selection.firearms, cut.evidence, cut.series.table)]  # fmt: skip
    joined = "\n".join(texts)
    assert "MEM-" in joined
    assert "DET-" not in joined and "Detroit" not in joined


def test_series_ids_never_name_an_incident_outside_the_scope(frames: Frames) -> None:
    cut = restrict(frames, MEMPHIS_VIEWER)
    names = [str(name) for name in cut.series.names]
    assert names and all(name.startswith("S-MEM-") for name in names)


def test_search_finds_nothing_outside_the_scope(frames: Frames) -> None:
    cut = restrict(frames, MEMPHIS_VIEWER)
    detroit = str(frames.incidents.loc[frames.incidents[S.CITY] == "Detroit", S.INCIDENT_ID].iloc[0])
    memphis = str(cut.incidents[S.INCIDENT_ID].iloc[0])
    assert find(frames, detroit)  # found without a scope
    assert find(cut, detroit) == []
    assert find(cut, "DET-") == []
    assert [m.value for m in find(cut, memphis) if m.kind == "incident"] == [memphis]


def test_a_memphis_analyst_exports_no_detroit_incident_in_any_format(frames: Frames) -> None:
    cut = restrict(frames, MEMPHIS_ANALYST)
    selection = select(cut, ALL_YEARS, today=TODAY)
    assert len(selection.incidents)
    for name, exporter in EXPORTERS.items():
        data = exporter.export(selection, include_sensitive=True)
        text = _unzipped(data) if data[:2] == b"PK" else data.decode("utf-8", "replace")
        assert "DET-" not in text, name
        assert "MEM-" in text, name


def _unzipped(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_outside_links_give_the_incident_and_the_other_agency_only(frames: Frames) -> None:
    outside = outside_links(frames, MEMPHIS_VIEWER)
    assert list(outside.columns) == [S.INCIDENT_ID, S.AGENCY]
    assert outside[S.INCIDENT_ID].str.startswith("MEM-").all()
    memphis_agencies = set(frames.incidents.loc[frames.incidents[S.CITY] == "Memphis", S.AGENCY])
    assert not set(outside[S.AGENCY]) <= memphis_agencies  # other cities' agencies are named
    detroit_to_memphis = _cross(frames, "Detroit", "Memphis")
    if len(detroit_to_memphis):
        detroit_agencies = set(frames.incidents.loc[frames.incidents[S.CITY] == "Detroit", S.AGENCY])
        assert set(outside[S.AGENCY]) & detroit_agencies


def test_viewers_get_no_sensitive_field_analysts_do(frames: Frames) -> None:
    planted = frames.incidents.copy()
    planted[S.NARRATIVE] = pd.array(["shots at the corner"] * len(planted), dtype="string")
    guns = frames.firearms.copy()
    guns[S.SERIAL_NUMBER] = pd.array(["SN-12345"] * len(guns), dtype="string")
    from dataclasses import replace

    rich = replace(frames, incidents=planted, firearms=guns)
    for user in (MEMPHIS_VIEWER, User("all@pd.gov", VIEWER)):
        cut = restrict(rich, user)
        assert cut.incidents[S.NARRATIVE].isna().all()
        assert cut.firearms[S.SERIAL_NUMBER].isna().all()
    kept = restrict(rich, MEMPHIS_ANALYST)
    assert (kept.incidents[S.NARRATIVE] == "shots at the corner").all()
    assert restrict(rich, User("boss", ANALYST)) is rich  # unscoped analysts share the cached frames


def test_agency_scope_and_city_scope_meet(frames: Frames) -> None:
    agency = str(frames.incidents.loc[frames.incidents[S.CITY] == "Memphis", S.AGENCY].mode().iloc[0])
    cut = restrict(frames, User("a", VIEWER, cities=("Memphis",), agencies=(agency,)))
    assert set(cut.incidents[S.AGENCY]) == {agency}
    assert set(cut.incidents[S.CITY].astype(str)) == {"Memphis"}
    nowhere = restrict(frames, User("a", VIEWER, cities=("Detroit",), agencies=(agency,)))
    assert nowhere.incidents.empty and nowhere.links.empty
