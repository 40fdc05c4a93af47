"""Link lines: end points looked up by id, caps, order, test fires."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data import schema as S
from data.demo import build_demo_store
from data.frames import Frames
from data.store import Store
from geo.layers import finite_points
from geo.link_lines import link_payload, subset_ends
from geo.palette import LINK_STYLES
from linking.filters import Filters
from linking.selection import select
from tests.geo._geo_frames import firearm_frame, incident_frame, link_frame


def test_a_test_fire_link_ends_at_the_recovered_firearm() -> None:
    lines = link_payload(link_frame(), incident_frame(12), firearms=firearm_frame())
    assert lines.drawn == 5 and lines.unplaced == 0
    coords = lines.payload["coords"]
    ends = [tuple(coords[i : i + 4]) for i in range(0, len(coords), 4)]
    assert any(end[2:] == (-83.05, 42.35) for end in ends)  # F-1's recovery place
    between = next(f for f in lines.payload["fields"] if f[0] == "Between")[1]
    assert "00002 \u2194 firearm F-1" in between


def test_links_to_unknown_incidents_are_counted_not_drawn() -> None:
    links = link_frame()
    links.loc[0, S.INCIDENT_B] = "99999"
    lines = link_payload(links, incident_frame(12))  # no firearms: the test fire has no place either
    assert lines.drawn == 3
    assert lines.unplaced == 2


def test_under_a_cap_the_selected_series_comes_first_then_hits() -> None:
    incidents = incident_frame(12)
    links = pd.DataFrame(
        {
            S.INCIDENT_A: ["00006", "00007", "00003", "00000"],
            S.INCIDENT_B: ["00008", "00009", "00004", "00001"],
            S.STATUS: ["hit", "hit", "lead", "lead"],
        }
    )
    lines = link_payload(links, incidents, selected_series_id="S-2", max_links=2)
    between = next(f for f in lines.payload["fields"] if f[0] == "Between")[1]
    assert between == ["00003 \u2194 00004", "00006 \u2194 00008"]
    hit, lead = list(LINK_STYLES).index("hit"), list(LINK_STYLES).index("lead")
    assert lines.payload["status"] == [lead, hit]
    assert lines.total == 4 and lines.drawn == 2


# ---------------------------------------------------------------- equivalence with a plain reference


def _text(value: object) -> str | None:
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return None if missing else str(value)


def _usable(lon: float, lat: float) -> bool:
    return math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90


def _first_places(frame: pd.DataFrame, id_column: str) -> dict[str, tuple[float, float]]:
    """``{id: (lon, lat)}`` of the first row with a usable place, row by row."""
    places: dict[str, tuple[float, float]] = {}
    for key, lon, lat in zip(frame[id_column], frame[S.LONGITUDE], frame[S.LATITUDE], strict=True):
        if _usable(float(lon), float(lat)) and _text(key) is not None:
            places.setdefault(_text(key), (float(lon), float(lat)))
    return places


@dataclass
class Expected:
    drawn: int
    unplaced: int
    statuses: tuple[str, ...]
    link_statuses: list[str]
    lead_numbers: list[str]
    between: list[str]
    coords: list[float]


def reference_lines(
    links: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    firearms: pd.DataFrame | None,
    selected_series_id: str | None,
    max_links: int,
) -> Expected:
    """The documented behaviour, one link at a time."""
    places = _first_places(incidents, S.INCIDENT_ID)
    guns = _first_places(firearms, S.FIREARM_ID) if firearms is not None and len(firearms) else {}
    members = set()  # ids of placed rows in the selected series
    if selected_series_id is not None:
        columns = (S.INCIDENT_ID, S.SERIES_ID, S.LONGITUDE, S.LATITUDE)
        for key, series, lon, lat in zip(*(incidents[c] for c in columns), strict=True):
            if _text(series) == selected_series_id and _usable(float(lon), float(lat)):
                members.add(_text(key))
    order = {"hit": 0, "lead": 1, "pending": 2, "excluded": 3}
    records = links.to_dict("records")

    def rank(record: dict) -> int:
        if selected_series_id is not None and _text(record[S.INCIDENT_A]) in members:
            return -1
        return order.get(_text(record[S.STATUS]) or "lead", 9)

    drawn: list[tuple[dict, tuple[float, ...]]] = []
    unplaced = 0
    for record in sorted(records, key=rank):  # sorted() is stable
        if len(drawn) >= max_links:
            break
        a, b, gun = _text(record[S.INCIDENT_A]), _text(record[S.INCIDENT_B]), _text(record[S.FIREARM_ID])
        here = places.get(a) if a is not None else None
        there = places.get(b) if b is not None else (guns.get(gun) if gun is not None else None)
        if here is None or there is None:
            unplaced += 1
        else:
            drawn.append((record, (*here, *there)))
    statuses = [_text(r[S.STATUS]) or "lead" for r, _ in drawn]
    far = [_text(r[S.INCIDENT_B]) or (f"firearm {_text(r[S.FIREARM_ID])}" if _text(r[S.FIREARM_ID]) else "?")
           for r, _ in drawn]  # fmt: skip
    return Expected(
        drawn=len(drawn),
        unplaced=unplaced,
        statuses=tuple(dict.fromkeys(statuses)),
        link_statuses=statuses,
        lead_numbers=[r[S.LEAD_NUMBER] for r, _ in drawn],
        between=[f"{_text(r[S.INCIDENT_A])} \u2194 {end}" for (r, _), end in zip(drawn, far, strict=True)],
        coords=[float(np.round(value, 5)) for _, ends in drawn for value in ends],
    )


def _field(lines, label: str) -> list:
    return next(f for f in lines.payload["fields"] if f[0] == label)[1]


def assert_same(lines, expected: Expected, links: pd.DataFrame) -> None:
    assert (lines.drawn, lines.unplaced, lines.total) == (expected.drawn, expected.unplaced, len(links))
    assert lines.statuses == expected.statuses
    assert _field(lines, "Lead number") == expected.lead_numbers
    assert _field(lines, "Between") == expected.between
    assert lines.payload["coords"] == expected.coords
    keys = list(LINK_STYLES)
    want_styles = [keys.index(s) if s in keys else keys.index("lead") for s in expected.link_statuses]
    assert lines.payload["status"] == want_styles


POOL = ("i0", "i1", "i2", "i3", "i4", "i5")
ENDS = (*POOL, "missing", None)
GUNS = ("F-1", "F-2", "F-3", None)
STATUSES = ("hit", "lead", "pending", "excluded", None, "other")


def _picks(draw: st.DrawFn, options: tuple, size: int) -> list:
    return draw(st.lists(st.sampled_from(options), min_size=size, max_size=size))


@st.composite
def link_cases(draw: st.DrawFn) -> dict:
    n = draw(st.integers(0, 10))
    ids = _picks(draw, POOL, n)  # repeats allowed: the first row with a place wins
    bad = _picks(draw, ("ok", "ok", "nan", "far"), n)
    incidents = pd.DataFrame(
        {
            S.INCIDENT_ID: ids,
            S.LONGITUDE: [-83.0 + 0.0123457 * i if b != "far" else 200.0 for i, b in enumerate(bad)],
            S.LATITUDE: [42.0 + 0.0111117 * i if b != "nan" else np.nan for i, b in enumerate(bad)],
            S.SERIES_ID: pd.array(_picks(draw, ("S-1", "S-2", None), n), dtype="string"),
        }
    )  # fmt: skip
    m = draw(st.integers(0, 14))
    statuses = _picks(draw, STATUSES, m)
    status = (
        pd.Categorical(statuses, categories=(*S.LINK_STATUSES, "other"))
        if draw(st.booleans())
        else pd.array(statuses, dtype="string")
    )
    links = pd.DataFrame(
        {
            S.INCIDENT_A: pd.array(_picks(draw, ENDS, m), dtype="string"),
            S.INCIDENT_B: pd.array(_picks(draw, (*ENDS, None), m), dtype="string"),
            S.FIREARM_ID: pd.array(_picks(draw, GUNS, m), dtype="string"),
            S.STATUS: status,
            S.LEAD_NUMBER: [f"LN-{i}" for i in range(m)],
        }
    )  # fmt: skip
    firearms = None
    if draw(st.booleans()):
        k = draw(st.integers(0, 4))
        guns = _picks(draw, ("F-1", "F-2", "F-3"), k)
        firearms = pd.DataFrame(
            {
                S.FIREARM_ID: guns,
                S.LONGITUDE: [-84.0 - 0.0154321 * i for i in range(k)],
                S.LATITUDE: [draw(st.sampled_from((41.5 + 0.01 * i, np.nan))) for i in range(k)],
            }
        )
    return {
        "links": links,
        "incidents": incidents,
        "firearms": firearms,
        "selected_series_id": draw(st.sampled_from((None, "S-1", "S-2", "S-9"))),
        "max_links": draw(st.integers(0, 12)),
    }


@settings(max_examples=300, deadline=None, database=None)
@given(case=link_cases())
def test_payload_matches_a_link_by_link_reference(case: dict) -> None:
    before = {name: frame.copy() for name, frame in case.items() if isinstance(frame, pd.DataFrame)}

    lines = link_payload(**case)

    assert_same(lines, reference_lines(**case), case["links"])
    for name, frame in before.items():  # inputs are never changed
        pd.testing.assert_frame_equal(case[name], frame)


@pytest.mark.parametrize("max_links", [1, 3, 70, 400])
def test_many_unplaced_links_ahead_of_the_cap_are_examined_and_counted(max_links: int) -> None:
    """300 hits that cannot be placed rank before 150 leads that can: the look-up runs in growing windows."""
    incidents = incident_frame(12)
    ids = incidents[S.INCIDENT_ID].tolist()
    links = pd.DataFrame(
        {
            S.INCIDENT_A: [ids[i % 12] for i in range(450)],
            S.INCIDENT_B: [f"gone-{i}" if i < 300 else ids[(i + 1) % 12] for i in range(450)],
            S.FIREARM_ID: pd.array([pd.NA] * 450, dtype="string"),
            S.STATUS: ["hit"] * 300 + ["lead"] * 150,
            S.LEAD_NUMBER: [f"LN-{i}" for i in range(450)],
        }
    ).sample(frac=1.0, random_state=3)

    lines = link_payload(links, incidents, max_links=max_links)

    expected = reference_lines(links, incidents, firearms=None, selected_series_id=None, max_links=max_links)
    assert_same(lines, expected, links)
    assert lines.unplaced == 300
    assert lines.drawn == min(max_links, 150)


# ---------------------------------------------------------------- explicit link ends vs id strings


@pytest.fixture(scope="module")
def demo_frames(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    """Frames of a 1,500-incident demo store in a real SQLite file."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('link-lines') / 'demo.sqlite'}")
    build_demo_store(store, seed=2019, incidents=1_500)
    return store.load_frames()


@pytest.mark.parametrize("max_links", [0, 25, 300, 10_000])
@pytest.mark.parametrize("half", [False, True])
def test_selection_ends_and_texts_give_one_payload(demo_frames: Frames, max_links: int, half: bool) -> None:
    every_status = Filters(link_statuses=S.LINK_STATUSES)
    sel = select(demo_frames, every_status, today=date(2022, 1, 1))
    assert sel.link_ends is not None
    ends = (sel.link_ends.incident_a, sel.link_ends.incident_b)  # rows of sel.incidents
    points = finite_points(sel.incidents)
    if half:  # every other incident: many links lose an end
        points = points.iloc[::2]
    biggest = str(sel.series.iloc[0][S.SERIES_ID])
    options = {"firearms": sel.firearms, "selected_series_id": biggest, "max_links": max_links}
    placed_ends = subset_ends(sel.incidents, points, ends)
    assert placed_ends is not None

    fast = link_payload(sel.links, points, link_ends=placed_ends, **options)
    text = link_payload(sel.links, points, **options)

    assert fast == text
    expected = reference_lines(sel.links, points, **options)
    assert_same(fast, expected, sel.links)
    assert fast.total == len(sel.links) > 500
    if max_links == 10_000:
        assert fast.drawn + fast.unplaced == fast.total
        assert (fast.unplaced > 0) == half
        assert "firearm " in " ".join(_field(fast, "Between"))  # test fires end at their gun
