from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from data import schema as S
from linking.series import assign_series, hit_only_split, series_table


def _frames(tiny_frames):
    return tiny_frames.incidents, tiny_frames.links


def _counted(links: pd.DataFrame, statuses=("lead", "hit")) -> pd.DataFrame:
    return links[links[S.STATUS].isin(statuses)]


def test_series_ids_name_the_first_shooting(tiny_frames) -> None:
    incidents, links = _frames(tiny_frames)
    ids = assign_series(incidents, _counted(links))
    by_incident = dict(zip(incidents[S.INCIDENT_ID], ids, strict=True))
    # MEM-001 (2019-01-20) joins the Detroit series but DET-001 (2019-01-05) is earlier
    members = {k for k, v in by_incident.items() if not pd.isna(v) and v == "S-DET-001"}
    assert members == {"DET-001", "DET-002", "DET-003", "MEM-001"}
    assert by_incident["MEM-002"] == by_incident["MEM-003"] == "S-MEM-002"
    # pending links do not count by default
    assert pd.isna(by_incident["DET-004"]) and pd.isna(by_incident["DET-005"])


def test_series_ids_survive_unrelated_additions(tiny_frames) -> None:
    incidents, links = _frames(tiny_frames)
    before = assign_series(incidents, _counted(links))
    extra_incidents = pd.concat(
        [
            incidents,
            incidents.iloc[[0, 1]].assign(
                **{S.INCIDENT_ID: pd.array(["AAA-1", "AAA-2"], dtype="string"),
                   S.OCCURRED_AT: pd.to_datetime(["2018-01-01", "2018-01-02"], utc=True)}
            ),
        ],
        ignore_index=True,
    )
    extra_links = pd.concat(
        [links, links.iloc[[0]].assign(**{S.INCIDENT_A: "AAA-1", S.INCIDENT_B: "AAA-2"})], ignore_index=True
    )
    after = assign_series(extra_incidents, _counted(extra_links))
    assert after.iloc[: len(before)].tolist() == before.tolist()
    assert after.iloc[-2:].tolist() == ["S-AAA-1", "S-AAA-1"]


def test_test_fire_joins_two_shootings_into_one_series() -> None:
    incidents = pd.DataFrame(
        {S.INCIDENT_ID: ["x", "y"], S.OCCURRED_AT: pd.to_datetime(["2020-01-01", "2020-02-01"], utc=True)}
    )
    links = pd.DataFrame(
        {S.INCIDENT_A: ["x", "y"], S.INCIDENT_B: [None, None], S.FIREARM_ID: ["F-9", "F-9"],
         S.STATUS: ["hit", "hit"]}
    )
    assert assign_series(incidents, links).tolist() == ["S-x", "S-x"]


def test_series_table_measures(tiny_frames) -> None:
    incidents, links = _frames(tiny_frames)
    incidents = incidents.assign(**{S.SERIES_ID: assign_series(incidents, _counted(links))})
    table = series_table(incidents, _counted(links), today=date(2019, 12, 31)).set_index(S.SERIES_ID)
    det = table.loc["S-DET-001"]
    assert det[S.SERIES_SIZE] == 4
    # DET-001/DET-002 has a lead and a hit: one pair, counted as a hit
    assert (det[S.SERIES_LEADS], det[S.SERIES_HITS]) == (2, 1)
    assert det[S.HIT_PARTS] == 3  # only DET-001--DET-002 is confirmed
    assert det[S.CITIES] == "Detroit; Memphis" and bool(det[S.CROSS_CITY])
    assert det[S.SPAN_DAYS] == 69
    assert det[S.INCIDENT_PATH] == "DET-001; MEM-001; DET-002; DET-003"
    assert 1000 < det[S.SPAN_KM] < 1030  # Detroit to Memphis, about 1,015 km
    mem = table.loc["S-MEM-002"]
    assert bool(mem[S.HAS_FIREARM]) and mem[S.FIREARM_IDS] == "F-1"
    assert mem[S.DAYS_SINCE_LAST] == (date(2019, 12, 31) - date(2019, 7, 4)).days
    assert 6.5 < mem[S.SPAN_KM] < 8.0
    # newest activity first
    assert list(table.index) == ["S-MEM-002", "S-DET-001"]


def test_hits_only_view_splits_a_series_held_by_leads(tiny_frames) -> None:
    incidents, links = _frames(tiny_frames)
    split = hit_only_split(incidents, _counted(links)).set_index(S.INCIDENT_ID)
    det = split[split[S.SERIES_ID] == "S-DET-001"]
    assert det.loc["DET-001", S.HIT_SERIES_ID] == det.loc["DET-002", S.HIT_SERIES_ID] == "S-DET-001"
    assert pd.isna(det.loc["DET-003", S.HIT_SERIES_ID]) and pd.isna(det.loc["MEM-001", S.HIT_SERIES_ID])


def test_large_series_span_uses_the_hull_and_matches_pairwise() -> None:
    count = 150
    lons = [-83.2 + 0.001 * i for i in range(count)]
    incidents = pd.DataFrame(
        {
            S.INCIDENT_ID: [f"i{i:03d}" for i in range(count)],
            S.CITY: ["Detroit"] * count,
            S.OCCURRED_AT: pd.date_range("2019-01-01", periods=count, freq="D", tz="UTC"),
            S.LONGITUDE: lons,
            S.LATITUDE: [42.3 + 0.0005 * (i % 7) for i in range(count)],
            S.AGENCY: ["A"] * count,
        }
    )
    links = pd.DataFrame(
        {
            S.INCIDENT_A: incidents[S.INCIDENT_ID][:-1].tolist(),
            S.INCIDENT_B: incidents[S.INCIDENT_ID][1:].tolist(),
            S.STATUS: ["lead"] * (count - 1),
        }
    )
    incidents[S.SERIES_ID] = assign_series(incidents, links)
    big = series_table(incidents, links, today=date(2020, 1, 1))
    few = incidents.iloc[[0, count - 1]].copy()
    two = series_table(few, links.iloc[0:0], today=date(2020, 1, 1))
    assert big[S.SERIES_SIZE].tolist() == [count]
    assert abs(big[S.SPAN_KM].iloc[0] - two[S.SPAN_KM].iloc[0]) < 0.05


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=25),
    edges=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=40),
)
def test_series_equal_networkx_connected_components(n: int, edges: list[tuple[int, int]]) -> None:
    ids = [f"{i:03d}" for i in range(n)]
    incidents = pd.DataFrame(
        {S.INCIDENT_ID: ids, S.OCCURRED_AT: pd.date_range("2019-01-01", periods=n, freq="h", tz="UTC")}
    )
    pairs = [(ids[a], ids[b]) for a, b in edges if a < n and b < n]
    links = pd.DataFrame(
        {
            S.INCIDENT_A: [a for a, _ in pairs],
            S.INCIDENT_B: [b for _, b in pairs],
            S.STATUS: ["lead"] * len(pairs),
        }
    )
    series = assign_series(incidents, links, min_size=2)
    graph = nx.Graph()
    graph.add_edges_from((a, b) for a, b in pairs if a != b)
    expected = {frozenset(c) for c in nx.connected_components(graph)}
    got: dict[str, set[str]] = {}
    for incident, series_id in zip(ids, series, strict=True):
        if not pd.isna(series_id):
            got.setdefault(series_id, set()).add(incident)
    assert {frozenset(c) for c in got.values()} == expected
    for series_id, members in got.items():
        assert series_id == "S-" + min(members)  # times increase with id here
