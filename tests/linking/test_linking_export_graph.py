"""The graph every export format writes (linking.exports._common): what each node and edge carries.

Asserts what an analyst finds in the exported file: the pair's weight and status, the incident's
coordinates as numbers, serial numbers only when sensitive fields were asked for, block addresses
by default, and plain values every format can hold.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from linking.exports._common import clean_text, clean_value, export_graph, generalised_selection
from linking.filters import Filters
from linking.selection import select


@pytest.fixture
def selection(tiny_frames):
    return select(tiny_frames, Filters(), today=date(2019, 12, 31))


def test_edges_carry_the_pair_their_strongest_status_and_the_summed_count_as_weight(selection) -> None:
    graph = export_graph(selection)
    edge = graph.edges["DET-001", "DET-002"]
    assert (edge["status"], edge["weight"], edge[S.ASSOCIATION_COUNT]) == ("hit", 3, 3)
    assert {edge[S.INCIDENT_A], edge[S.INCIDENT_B]} == {"DET-001", "DET-002"}
    assert all(value is not None for _, _, data in graph.edges(data=True) for value in data.values())
    assert graph.edges["DET-002", "DET-003"]["weight"] == 1


def test_nodes_carry_their_id_numeric_coordinates_and_no_missing_values(selection) -> None:
    graph = export_graph(selection)
    assert graph.number_of_nodes() == 8  # unlinked incidents are exported too
    node = graph.nodes["DET-001"]
    assert node[S.INCIDENT_ID] == "DET-001"
    assert (node[S.LATITUDE], node[S.LONGITUDE]) == (42.36, -83.10)
    assert type(node[S.LATITUDE]) is float and type(node[S.LONGITUDE]) is float
    assert all(value is not None for _, data in graph.nodes(data=True) for value in data.values())
    assert graph.graph["dataset_version"] == "v-test-1"


def test_serial_numbers_only_when_sensitive_fields_are_asked_for(selection) -> None:
    plain = export_graph(selection)
    assert not any("firearm_serials" in data for _, data in plain.nodes(data=True))
    full = export_graph(selection, include_sensitive=True)
    serials = {n: d["firearm_serials"] for n, d in full.nodes(data=True) if "firearm_serials" in d}
    assert serials == {"MEM-003": "SECRET123"}
    assert full.nodes["DET-001"][S.NARRATIVE] == "secret narrative"
    assert S.NARRATIVE not in plain.nodes["DET-001"]


def test_addresses_are_cut_to_the_block_unless_exact_ones_are_asked_for(selection) -> None:
    before = selection.incidents[S.ADDRESS].tolist()
    assert export_graph(selection).nodes["DET-001"][S.ADDRESS] == "1200 block of Main St"
    assert export_graph(selection, generalise_addresses=False).nodes["DET-001"][S.ADDRESS] == "1234 Main St"
    cut = generalised_selection(selection)
    assert cut.incidents[S.ADDRESS].tolist()[:2] == ["1200 block of Main St", "0 block of Oak"]
    assert generalised_selection(selection, generalise_addresses=False) is selection
    assert selection.incidents[S.ADDRESS].tolist() == before  # the caller's selection is not changed
    # a missing address stays missing, and a selection without the column is left as it is
    incidents = selection.incidents.copy()
    incidents.loc[incidents.index[0], S.ADDRESS] = pd.NA
    with_gap = replace(selection, incidents=incidents)
    assert pd.isna(generalised_selection(with_gap).incidents[S.ADDRESS].iloc[0])
    assert S.ADDRESS not in export_graph(with_gap).nodes[str(incidents[S.INCIDENT_ID].iloc[0])]
    no_column = replace(selection, incidents=selection.incidents.drop(columns=[S.ADDRESS]))
    assert generalised_selection(no_column) is no_column


def test_values_become_plain_scalars_every_format_holds() -> None:
    assert clean_value(("b", "a")) == "b; a" and clean_value({"x"}) == "x"
    assert clean_value([None, None]) == ""
    assert clean_value(False) is False and clean_value(np.bool_(True)) is True
    assert clean_value(np.int64(7)) == 7 and type(clean_value(np.int64(7))) is int
    assert clean_value(np.float64(2.5)) == 2.5 and clean_value(2.5) == 2.5
    assert clean_value(np.float64("nan")) is None and clean_value(-math.inf) is None
    assert clean_value(dt.date(2019, 1, 2)) == "2019-01-02"
    assert clean_value(dt.datetime(2019, 1, 2, 3, 4)) == "2019-01-02T03:04:00"
    assert clean_value(pd.Timestamp("2019-01-02")) == "2019-01-02T00:00:00"
    assert clean_value(np.datetime64("2019-01-02T03:04")) == "2019-01-02T03:04:00"
    assert clean_value(Path("cases") / "a.txt") == str(Path("cases") / "a.txt")
    assert clean_value("a\x00b") == "ab"
    assert clean_text(12) == "12" and clean_text("x\x1b[31my\r\nz") == "x[31my\r\nz"


def test_a_missing_value_leaves_out_that_field_only_and_the_header_says_what_was_filtered(
    tiny_frames,
) -> None:
    incidents = tiny_frames.incidents.copy()
    incidents[S.AGENCY] = incidents[S.AGENCY].astype("string")
    incidents.loc[incidents[S.INCIDENT_ID] == "DET-001", S.AGENCY] = pd.NA
    frames = type(tiny_frames)(incidents=incidents, links=tiny_frames.links)
    hits_only = Filters(link_statuses=("hit",))
    graph = export_graph(select(frames, hits_only, today=date(2019, 12, 31)))
    node = graph.nodes["DET-001"]
    assert S.AGENCY not in node
    assert {S.ADDRESS, S.LATITUDE, S.LONGITUDE, S.CALIBER, S.INCIDENT_ID} <= set(node)
    assert graph.graph["filter"] == hits_only.describe()
    assert sorted(tuple(sorted(edge)) for edge in graph.edges) == [
        ("DET-001", "DET-002"),
        ("MEM-002", "MEM-003"),
    ]


def test_pending_links_are_exported_when_the_filter_counts_them(tiny_frames) -> None:
    with_pending = Filters(link_statuses=("lead", "hit", "pending"))
    graph = export_graph(select(tiny_frames, with_pending, today=date(2019, 12, 31)))
    edge = graph.edges["DET-004", "DET-005"]
    assert (edge["status"], edge["weight"], edge["lead_numbers"]) == ("pending", 1, "L-5")
    default = export_graph(select(tiny_frames, Filters(), today=date(2019, 12, 31)))
    assert not default.has_edge("DET-004", "DET-005")


def test_a_firearm_without_a_serial_number_adds_no_serial(tiny_frames) -> None:
    firearms = tiny_frames.firearms.copy()
    firearms[S.SERIAL_NUMBER] = pd.array([None, "SECRET456"], dtype="string")
    frames = replace(tiny_frames, firearms=firearms)
    graph = export_graph(select(frames, Filters(), today=date(2019, 12, 31)), include_sensitive=True)
    assert graph.nodes["MEM-003"]["firearm_ids"] == "F-1"
    assert not any("firearm_serials" in data for _, data in graph.nodes(data=True))


def test_whole_degree_coordinates_still_export_as_decimal_numbers(tiny_frames) -> None:
    incidents = tiny_frames.incidents.copy()
    incidents[S.LATITUDE] = incidents[S.LATITUDE].round().astype("int64")
    frames = replace(tiny_frames, incidents=incidents)
    graph = export_graph(select(frames, Filters(), today=date(2019, 12, 31)))
    node = graph.nodes["DET-001"]
    assert (node[S.LATITUDE], node[S.LONGITUDE]) == (42.0, -83.10)
    assert type(node[S.LATITUDE]) is float and type(node[S.LONGITUDE]) is float
    assert type(node[S.KILLED]) is int  # other whole numbers stay whole
