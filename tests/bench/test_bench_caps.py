"""The payload caps of issue #6, asserted (not timed) on the code paths that enforce them.

Map HTML stays within 2 MB and the graph view's payload within 1 MB whatever
the size: a national-scale frame (1M incidents, 500k links, built with numpy)
goes through the same ``geo.maps.build_map_spec`` the dashboard calls, and a graph
far above the view's cap goes through ``linking.payload.graph_payload``.
"""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from data import schema as S
from geo.cities import DEFAULT_CITIES
from geo.page import page_size
from linking.payload import graph_payload
from tests.geo._geo_frames import build_map

MAP_CAP = 2_000_000
GRAPH_CAP = 1_000_000


def national_frames(
    n_incidents: int, n_links: int, *, text_bytes: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incidents around the seven cities (half of them in series of four) and random links."""
    rng = np.random.default_rng(6)
    city = rng.integers(0, len(DEFAULT_CITIES), n_incidents)
    centres = np.array([(c.latitude, c.longitude) for c in DEFAULT_CITIES])
    numbers = np.arange(n_incidents)
    ids = pd.array(np.char.add("INC-", np.char.zfill(numbers.astype("U7"), 7)), dtype="string")
    series = np.where(numbers % 2 == 0, np.char.add("S-", (numbers // 8).astype("U7")), None)
    seconds = rng.integers(1_546_300_800, 1_640_995_200, n_incidents)  # 2019-2021
    incidents = pd.DataFrame(
        {
            S.INCIDENT_ID: ids,
            S.CITY: pd.Categorical(np.array([c.name for c in DEFAULT_CITIES])[city]),
            S.LATITUDE: centres[city, 0] + rng.normal(0, 0.05, n_incidents),
            S.LONGITUDE: centres[city, 1] + rng.normal(0, 0.05, n_incidents),
            S.OCCURRED_AT: pd.to_datetime(seconds, unit="s", utc=True),
            S.INCIDENT_TYPE: pd.Categorical(np.array(S.INCIDENT_TYPES)[rng.integers(0, 4, n_incidents)]),
            S.SERIES_ID: pd.array(series, dtype="string"),
        }
    )
    if text_bytes:
        incidents[S.ADDRESS] = "1200 block of " + "W Example St " * (text_bytes // 13)
        incidents[S.NARRATIVE] = "<b>long & 'quoted' ${text}</b> " * (text_bytes // 30)
    left, right = rng.integers(0, n_incidents, n_links), rng.integers(0, n_incidents, n_links)
    links = pd.DataFrame(
        {
            S.INCIDENT_A: ids[np.minimum(left, right)],
            S.INCIDENT_B: ids[np.maximum(left, right)],
            S.STATUS: pd.Categorical(np.where(rng.random(n_links) < 0.3, "hit", "lead")),
            S.LEAD_NUMBER: pd.array(np.char.add("NIBIN-L-2020-", np.arange(n_links).astype("U7"))),
        }
    )
    return incidents, links


@pytest.mark.slow
def test_map_of_a_million_incidents_and_half_a_million_links_stays_under_2_mb() -> None:
    incidents, links = national_frames(1_000_000, 500_000)

    spec = build_map(incidents, links, tiles=True)

    size = page_size(spec, asset_mode="static")
    assert size <= MAP_CAP, f"map HTML is {size:,} bytes for 1M incidents; the cap is {MAP_CAP:,}"
    summary = spec.summary
    assert summary.mode == "hexagons"
    assert summary.incidents_total == 1_000_000
    assert summary.links_drawn < summary.links_total == 500_000
    assert any("as hexagon counts" in note for note in summary.notes)


def test_map_at_the_point_limit_with_very_long_fields_stays_under_2_mb() -> None:
    incidents, links = national_frames(10_000, 20_000, text_bytes=4_000)

    spec = build_map(incidents, links, tiles=False, include_sensitive=True)

    size = page_size(spec, asset_mode="inline")
    assert size <= MAP_CAP, f"map HTML is {size:,} bytes for 10k incidents with 4 kB fields; cap {MAP_CAP:,}"
    assert spec.summary.incidents_total == 10_000


def test_graph_payload_far_above_the_view_cap_stays_under_1_mb() -> None:
    graph = nx.Graph()
    for series in range(8_000):  # 24k nodes in chains of three, long ids
        members = [f"INCIDENT-{'0' * 40}{series:06d}-{k}" for k in range(3)]
        for node in members:
            graph.add_node(node, series_id=f"S-{series:06d}", city="Detroit", occurred_at="2020-06-01")
        graph.add_edge(members[0], members[1], status="hit", lead_numbers=[f"NIBIN-L-{series}"])
        graph.add_edge(members[1], members[2], status="lead", lead_numbers=[f"NIBIN-L-{series}b"])
    positions = {node: (float(i), float(i % 97)) for i, node in enumerate(graph.nodes)}

    payload = graph_payload(graph, positions)

    size = len(json.dumps(payload, separators=(",", ":")).encode("utf-8"))  # compact, as it is sent
    assert size <= GRAPH_CAP, f"graph payload is {size:,} bytes for 24k nodes; cap {GRAPH_CAP:,}"
    assert payload["truncated"] is True
    kept = {node["id"] for node in payload["nodes"]}
    assert 0 < len(kept) < graph.number_of_nodes()
    assert all(edge["source"] in kept and edge["target"] in kept for edge in payload["edges"])
