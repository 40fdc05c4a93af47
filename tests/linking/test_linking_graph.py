from __future__ import annotations

import json
from datetime import date

import networkx as nx

from data import schema as S
from geo.palette import series_colour
from linking.filters import Filters
from linking.graph import build_incident_graph, graph_for_selection
from linking.layouts import chronological_layout, geographic_layout, packed_series_layout
from linking.metrics import city_measures, node_measures
from linking.payload import graph_payload
from linking.selection import select

TODAY = date(2019, 12, 31)


def test_lead_and_hit_on_one_pair_is_a_hit_with_its_lead_history(tiny_frames) -> None:
    graph = build_incident_graph(
        tiny_frames.incidents, tiny_frames.links, dataset_version="v9", filter_description="f"
    )
    edge = graph.edges["DET-001", "DET-002"]
    assert edge["status"] == "hit"
    assert edge["statuses"] == ["lead", "hit"]
    assert edge["lead_numbers"] == ["L-1"]
    assert (edge["first_lead_date"], edge["confirmed_date"]) == ("2019-02-20", "2019-03-01")
    assert edge["association_count"] == 3
    assert graph.edges["DET-002", "DET-003"]["status"] == "lead"
    assert graph.graph["dataset_version"] == "v9" and graph.graph["filter"] == "f"


def test_statuses_option_and_unlinked_nodes(tiny_frames) -> None:
    default = build_incident_graph(tiny_frames.incidents, tiny_frames.links)
    assert not default.has_node("DET-004")  # pending only, off by default
    assert default.number_of_nodes() == 6 and default.number_of_edges() == 4
    with_pending = build_incident_graph(
        tiny_frames.incidents, tiny_frames.links, statuses=("lead", "hit", "pending")
    )
    assert with_pending.edges["DET-004", "DET-005"]["status"] == "pending"
    everything = build_incident_graph(tiny_frames.incidents, tiny_frames.links, include_unlinked=True)
    assert everything.number_of_nodes() == 8
    node = everything.nodes["DET-001"]
    assert node[S.CITY] == "Detroit" and node[S.LOCAL_TIME] == "2019-01-05T22:10:00"
    assert node[S.OCCURRED_AT] == "2019-01-06T03:10:00Z"
    assert S.NARRATIVE not in node
    assert everything.nodes["MEM-003"]["firearm_ids"] == ["F-1"]


def test_graph_for_selection_caps_by_whole_series(tiny_frames) -> None:
    selection = select(tiny_frames, Filters(), today=TODAY)
    full = graph_for_selection(selection)
    assert full.number_of_nodes() == 6 and not full.graph["truncated"]
    capped = graph_for_selection(selection, max_nodes=3)
    # newest series (S-MEM-002, 2 nodes) fits; S-DET-001 (4) would overflow and is skipped whole
    assert sorted(capped.nodes) == ["MEM-002", "MEM-003"]
    assert capped.graph["truncated"] and capped.graph["series_shown"] == 1


def test_node_measures_find_the_bridge() -> None:
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("c", "e"), ("x", "y")])
    nx.set_edge_attributes(graph, "lead", "status")
    graph.edges["a", "b"]["status"] = "hit"
    measures = node_measures(graph).set_index(S.INCIDENT_ID)
    assert measures.index[0] == "c"  # the most bridging incident comes first
    expected = nx.betweenness_centrality(graph.subgraph(["a", "b", "c", "d", "e"]))
    for node, value in expected.items():
        assert abs(measures.loc[node, S.BETWEENNESS] - value) < 1e-6
    assert set(measures.index[measures[S.IS_ARTICULATION]]) == {"b", "c"}
    assert measures.loc["b", S.HIT_DEGREE] == 1 and measures.loc["b", S.LEAD_DEGREE] == 1
    assert measures.loc["x", S.BETWEENNESS] == 0.0


def test_city_measures(tiny_frames) -> None:
    table = city_measures(select(tiny_frames, Filters(), today=TODAY)).set_index(S.CITY)
    det = table.loc["Detroit"]
    assert (det[S.SHOOTINGS], det[S.LINKED_SHOOTINGS]) == (5, 3)
    assert det[S.SHARE_LINKED] == 0.6
    # DET-001/002 (hit), DET-002/003 (lead), DET-003/MEM-001 (lead, counted in both cities)
    assert (det[S.LINK_COUNT], det[S.SERIES_LEADS], det[S.SERIES_HITS]) == (3, 2, 1)
    assert det[S.LEADS_PER_100] == 60.0
    mem = table.loc["Memphis"]
    assert (mem[S.LINK_COUNT], mem[S.SERIES_COUNT], mem[S.MEDIAN_SERIES_SIZE]) == (2, 2, 3.0)


def test_layouts_are_deterministic_and_separate_series(tiny_frames) -> None:
    graph = graph_for_selection(select(tiny_frames, Filters(), today=TODAY))
    packed = packed_series_layout(graph)
    assert packed == packed_series_layout(graph) and set(packed) == set(graph.nodes)
    det = [packed[n] for n in ("DET-001", "DET-002", "DET-003", "MEM-001")]
    mem = [packed[n] for n in ("MEM-002", "MEM-003")]
    det_right = max(x for x, _ in det)
    mem_left = min(x for x, _ in mem)
    assert mem_left > det_right or min(y for _, y in det) > max(y for _, y in mem) or (
        max(y for _, y in det) < min(y for _, y in mem)
    )
    geo = geographic_layout(graph)
    assert geo["DET-001"] == (-83.10, 42.36)
    chrono = chronological_layout(graph)
    assert chrono["DET-001"][1] == 0.0 and chrono["MEM-002"][1] == -1.0
    assert chrono["DET-001"][0] < chrono["MEM-001"][0] < chrono["DET-002"][0]


def test_big_component_layout_is_deterministic() -> None:
    graph = nx.path_graph([f"n{i:03d}" for i in range(450)])
    first = packed_series_layout(graph)
    assert first == packed_series_layout(graph) and len(first) == 450


def test_payload_has_colours_dashes_and_stays_under_the_cap(tiny_frames) -> None:
    graph = graph_for_selection(select(tiny_frames, Filters(), today=TODAY))
    payload = graph_payload(graph, packed_series_layout(graph))
    nodes = {n["id"]: n for n in payload["nodes"]}
    assert nodes["DET-001"]["colour"] == series_colour("S-DET-001")
    assert nodes["DET-002"]["size"] > nodes["MEM-001"]["size"]  # degree 2 vs 1
    dashes = {(e["source"], e["target"]): e["dash"] for e in payload["edges"]}
    assert dashes[("DET-001", "DET-002")] is None and dashes[("DET-002", "DET-003")] == "6 6"
    big = nx.Graph()
    for i in range(3000):
        big.add_edge(f"a{i:05d}", f"b{i:05d}", status="lead")
    positions = {n: (0.0, 0.0) for n in big.nodes}
    small = graph_payload(big, positions, max_bytes=100_000)
    assert len(json.dumps(small)) <= 100_000 and small["truncated"] and small["dropped_nodes"] > 0
    kept = {n["id"] for n in small["nodes"]}
    assert all(e["source"] in kept and e["target"] in kept for e in small["edges"])
