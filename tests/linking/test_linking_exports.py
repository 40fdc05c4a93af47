from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import igraph as ig
import networkx as nx
import pandas as pd
import pyogrio
import pytest

from data import schema as S
from linking.exports import EXPORTERS, ExportError, export_selection
from linking.filters import Filters
from linking.selection import select

NASTY_NOTE = '=HYPERLINK("http://evil.example","click")\x07 bell'
EXPECTED_EDGES = {
    ("DET-001", "DET-002"): "hit",
    ("DET-002", "DET-003"): "lead",
    ("DET-003", "MEM-001"): "lead",
    ("MEM-002", "MEM-003"): "hit",
}


@pytest.fixture
def selection(tiny_frames):
    links = tiny_frames.links.copy()
    links[S.NOTE] = pd.array([NASTY_NOTE, None, None, None, None, None, None], dtype="string")
    frames = type(tiny_frames)(incidents=tiny_frames.incidents, links=links)
    return select(frames, Filters(), today=date(2019, 12, 31))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / EXPORTERS[name].file_name("export")
    path.write_bytes(data)
    return path


def _edge_statuses(pairs) -> dict[tuple[str, str], str]:
    return {tuple(sorted((str(a), str(b)))): str(status) for a, b, status in pairs}


def test_registry_lists_every_format_with_a_mime_type() -> None:
    assert set(EXPORTERS) == {"graphml", "gexf", "json", "csv", "geojson", "kml", "html"}
    assert EXPORTERS["csv"].file_name() == "brassmap.zip"
    assert all("/" in e.mime_type for e in EXPORTERS.values())
    with pytest.raises(ExportError, match="unknown export format 'xlsx'; choose one of graphml"):
        export_selection("xlsx", None)


def test_graphml_reads_back_in_networkx_and_igraph(selection, tmp_path) -> None:
    path = _write(tmp_path, "graphml", EXPORTERS["graphml"].export(selection))
    graph = nx.read_graphml(path)
    assert set(graph.nodes) == set(selection.incidents[S.INCIDENT_ID])
    assert _edge_statuses((a, b, d["status"]) for a, b, d in graph.edges(data=True)) == EXPECTED_EDGES
    assert graph.edges["DET-001", "DET-002"]["statuses"] == "lead; hit"
    assert graph.edges["DET-001", "DET-002"]["association_count"] == 3
    assert graph.graph["meta_caution"] == S.LEAD_DISCLAIMER
    assert graph.nodes["DET-001"][S.ADDRESS] == "1200 block of Main St"
    assert "\x07" not in graph.edges["DET-001", "DET-002"]["notes"]

    other = ig.Graph.Read_GraphML(str(path))
    assert other.vcount() == len(selection.incidents)
    names = other.vs["id"]
    assert _edge_statuses(
        (names[e.source], names[e.target], e["status"]) for e in other.es
    ) == EXPECTED_EDGES


def test_gexf_13_has_positions_colours_and_spells(selection, tmp_path) -> None:
    data = EXPORTERS["gexf"].export(selection)
    assert b'version="1.3"' in data and S.LEAD_DISCLAIMER.encode() in data
    graph = nx.read_gexf(_write(tmp_path, "gexf", data), version="1.3")
    assert set(graph.nodes) == set(selection.incidents[S.INCIDENT_ID])
    assert _edge_statuses((a, b, d["status"]) for a, b, d in graph.edges(data=True)) == EXPECTED_EDGES
    node = graph.nodes["DET-001"]
    assert set(node["viz"]["position"]) >= {"x", "y"}
    assert node["viz"]["color"]["r"] is not None
    assert node["spells"][0][0] == "2019-01-05"  # open-ended spell from the shooting's local date
    # members of one series share a colour; an unlinked incident is grey (158,158,158)
    assert graph.nodes["DET-002"]["viz"]["color"] == node["viz"]["color"]
    grey = graph.nodes["DET-004"]["viz"]["color"]
    assert (grey["r"], grey["g"], grey["b"]) == (158, 158, 158)
    assert graph.edges["DET-001", "DET-002"]["spells"][0][0] == "2019-02-20"


def test_json_node_link_reads_back(selection) -> None:
    document = json.loads(EXPORTERS["json"].export(selection))
    assert document["metadata"]["caution"] == S.LEAD_DISCLAIMER
    assert document["metadata"]["filter"] == Filters().describe()
    assert document["metadata"]["synthetic_label"] == S.SYNTHETIC_LABEL
    graph = nx.node_link_graph(document, edges="edges")
    assert graph.number_of_nodes() == 8
    assert _edge_statuses((a, b, d["status"]) for a, b, d in graph.edges(data=True)) == EXPECTED_EDGES


def test_csv_zip_reads_back_and_neutralises_formulas(selection) -> None:
    bundle = zipfile.ZipFile(io.BytesIO(EXPORTERS["csv"].export(selection)))
    assert set(bundle.namelist()) == {"nodes.csv", "edges.csv", "README.txt"}
    assert S.LEAD_DISCLAIMER in bundle.read("README.txt").decode("utf-8")
    nodes = pd.read_csv(
        io.BytesIO(bundle.read("nodes.csv")), encoding="utf-8-sig", dtype={S.INCIDENT_ID: str}
    )
    edges = pd.read_csv(io.BytesIO(bundle.read("edges.csv")), encoding="utf-8-sig")
    assert set(nodes[S.INCIDENT_ID]) == set(selection.incidents[S.INCIDENT_ID])
    got = _edge_statuses(edges[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS]].itertuples(index=False))
    assert got == EXPECTED_EDGES
    note = edges.loc[edges[S.INCIDENT_B] == "DET-002", "notes"].iloc[0]
    assert note.startswith("'=HYPERLINK(") and "\x07" not in note
    assert nodes[S.LONGITUDE].dtype.kind == "f" and nodes[S.LONGITUDE].lt(0).all()
    raw = bundle.read("edges.csv").decode("utf-8-sig")
    assert "\"'=HYPERLINK(" in raw  # quoted and prefixed


def test_geojson_reads_back_with_gdal(selection, tmp_path) -> None:
    data = EXPORTERS["geojson"].export(selection)
    document = json.loads(data)
    assert "crs" not in document and document["brassmap"]["caution"] == S.LEAD_DISCLAIMER
    frame = pyogrio.read_dataframe(_write(tmp_path, "geojson", data))
    points = frame[frame["feature_kind"] == "incident"]
    lines = frame[frame["feature_kind"] == "link"]
    assert set(points[S.INCIDENT_ID]) == set(selection.incidents[S.INCIDENT_ID])
    assert set(points.geometry.geom_type) == {"Point"} and set(lines.geometry.geom_type) == {"LineString"}
    got = _edge_statuses(lines[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS]].itertuples(index=False))
    assert got == EXPECTED_EDGES
    first = points.set_index(S.INCIDENT_ID).loc["DET-001"].geometry
    assert (round(first.x, 2), round(first.y, 2)) == (-83.10, 42.36)


def test_kml_reads_back_with_gdal_one_folder_per_series(selection, tmp_path) -> None:
    data = EXPORTERS["kml"].export(selection)
    assert S.LEAD_DISCLAIMER.encode() in data
    path = _write(tmp_path, "kml", data)
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert layers == ["S-MEM-002", "S-DET-001", "Incidents in no series"]
    frames = {name: pyogrio.read_dataframe(path, layer=name) for name in layers}
    names = pd.concat([f["Name"] for f in frames.values()])
    assert set(selection.incidents[S.INCIDENT_ID]) <= set(names)
    det = frames["S-DET-001"]
    lines = det[det.geometry.geom_type == "LineString"]
    assert sorted(lines["Name"]) == [
        "DET-001 - DET-002 (hit)",
        "DET-002 - DET-003 (lead)",
        "DET-003 - MEM-001 (lead)",
    ]
    if S.STATUS in det.columns:  # LIBKML reads ExtendedData as fields
        assert sorted(lines[S.STATUS]) == ["hit", "lead", "lead"]


@pytest.mark.parametrize("name", ["graphml", "gexf", "json", "csv", "geojson", "kml"])
def test_sensitive_fields_and_exact_addresses_stay_out_unless_asked(selection, name) -> None:
    def text(data: bytes) -> str:
        if name == "csv":
            bundle = zipfile.ZipFile(io.BytesIO(data))
            return "".join(bundle.read(n).decode("utf-8-sig") for n in bundle.namelist())
        return data.decode("utf-8")

    default = text(EXPORTERS[name].export(selection))
    assert "secret narrative" not in default and "SECRET123" not in default
    assert "1234 Main St" not in default and "1200 block of Main St" in default
    assert "block of Beale St" in default
    full = text(EXPORTERS[name].export(selection, include_sensitive=True, generalise_addresses=False))
    assert "secret narrative" in full and "SECRET123" in full
    assert "1234 Main St" in full


def test_empty_selection_exports_valid_files(tiny_frames, tmp_path) -> None:
    empty = select(tiny_frames, Filters(cities=("Nowhere",)), today=date(2019, 12, 31))
    for name in ("graphml", "gexf", "json", "csv", "geojson", "kml"):
        data = EXPORTERS[name].export(empty)
        assert data, name
    path = _write(tmp_path, "graphml", EXPORTERS["graphml"].export(empty))
    assert nx.read_graphml(path).number_of_nodes() == 0


def test_html_export_goes_through_geo_standalone(selection) -> None:
    pytest.importorskip("geo.standalone")
    page = EXPORTERS["html"].export(selection).decode("utf-8")
    assert "<html" in page.lower()
    assert "1234 Main St" not in page
