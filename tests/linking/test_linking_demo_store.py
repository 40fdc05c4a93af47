"""Exports written from a real demo store read back in independent readers (SQLite file, then PostgreSQL)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import igraph as ig
import networkx as nx
import pandas as pd
import pyogrio
import pytest

from data import schema as S
from data.demo import build_demo_store
from data.store import Store
from linking.cli import main
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.pairs import pair_statuses
from linking.selection import select
from tests.backends import BACKENDS, database_url

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2022, 1, 1)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request, tmp_path_factory) -> Iterator[str]:
    with database_url(request.param, tmp_path_factory.mktemp("linking-demo")) as url:
        build_demo_store(Store(url), seed=7, incidents=500)
        yield url


@pytest.fixture(scope="module")
def demo_selection(demo_db):
    frames = Store(demo_db).load_frames()
    return select(frames, Filters(), today=TODAY)


def _expected(selection) -> tuple[set[str], dict[tuple[str, str], str]]:
    pairs = pair_statuses(selection.links)
    edges = {
        (str(a), str(b)): str(s)
        for a, b, s in pairs[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS]].itertuples(index=False)
    }
    return set(selection.incidents[S.INCIDENT_ID].astype(str)), edges


def _sorted_pairs(rows) -> dict[tuple[str, str], str]:
    return {tuple(sorted((str(a), str(b)))): str(s) for a, b, s in rows}


def test_demo_selection_has_leads_hits_and_series(demo_selection) -> None:
    nodes, edges = _expected(demo_selection)
    assert len(nodes) > 300 and len(demo_selection.series) > 10
    assert {"lead", "hit"} <= set(edges.values())
    assert demo_selection.is_synthetic


def test_every_demo_export_reads_back(demo_selection, tmp_path) -> None:
    nodes, edges = _expected(demo_selection)
    files = {}
    for name in ("graphml", "gexf", "json", "csv", "geojson", "kml"):
        files[name] = tmp_path / EXPORTERS[name].file_name()
        files[name].write_bytes(EXPORTERS[name].export(demo_selection))

    graph = nx.read_graphml(files["graphml"])
    assert set(graph.nodes) == nodes
    assert _sorted_pairs((a, b, d["status"]) for a, b, d in graph.edges(data=True)) == edges
    assert S.SYNTHETIC_LABEL in graph.graph["meta_synthetic_label"]

    other = ig.Graph.Read_GraphML(str(files["graphml"]))
    names = other.vs["id"]
    assert set(names) == nodes
    assert _sorted_pairs((names[e.source], names[e.target], e["status"]) for e in other.es) == edges

    gexf = nx.read_gexf(files["gexf"], version="1.3")
    assert set(gexf.nodes) == nodes
    assert _sorted_pairs((a, b, d["status"]) for a, b, d in gexf.edges(data=True)) == edges

    document = json.loads(files["json"].read_bytes())
    from_json = nx.node_link_graph(document, edges="edges")
    assert set(from_json.nodes) == nodes
    assert _sorted_pairs((a, b, d["status"]) for a, b, d in from_json.edges(data=True)) == edges

    bundle = zipfile.ZipFile(files["csv"])
    csv_nodes = pd.read_csv(io.BytesIO(bundle.read("nodes.csv")), encoding="utf-8-sig", dtype=str)
    csv_edges = pd.read_csv(io.BytesIO(bundle.read("edges.csv")), encoding="utf-8-sig", dtype=str)
    assert set(csv_nodes[S.INCIDENT_ID]) == nodes
    assert _sorted_pairs(csv_edges[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS]].itertuples(index=False)) == edges

    geo = pyogrio.read_dataframe(files["geojson"])
    points = geo[geo["feature_kind"] == "incident"]
    lines = geo[geo["feature_kind"] == "link"]
    assert set(points[S.INCIDENT_ID]) == nodes
    assert _sorted_pairs(lines[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS]].itertuples(index=False)) == edges

    layers = [name for name, _ in pyogrio.list_layers(files["kml"])]
    assert len(layers) == len(demo_selection.series) + 1
    kml = pd.concat([pyogrio.read_dataframe(files["kml"], layer=layer) for layer in layers])
    placemarks = kml[kml.geometry.geom_type == "Point"]
    assert set(placemarks["Name"]) == nodes
    link_names = set(kml.loc[kml.geometry.geom_type == "LineString", "Name"])
    assert link_names == {f"{a} - {b} ({s})" for (a, b), s in edges.items()}


def test_cli_export_matches_the_dashboard_path(demo_db, tmp_path, capsys) -> None:
    out = tmp_path / "detroit.graphml"
    code = main(
        ["export", "--format", "graphml", "--out", str(out), "--db", demo_db, "--city", "Detroit",
         "--since", "2019-01-01", "--until", "2020-12-31", "--status", "hit", "--today", "2022-01-01"]
    )
    assert code == 0
    frames = Store(demo_db).load_frames()
    filters = Filters(cities=("Detroit",), date_from=date(2019, 1, 1), date_to=date(2020, 12, 31),
                      link_statuses=("hit",))
    expected_nodes, expected_edges = _expected(select(frames, filters, today=TODAY))
    graph = nx.read_graphml(out)
    assert set(graph.nodes) == expected_nodes
    assert set(d["status"] for _, _, d in graph.edges(data=True)) == {"hit"}
    assert len(graph.edges) == len(expected_edges)
    described = "cities: Detroit; dates: 2019-01-01 to 2020-12-31; link statuses: hit"
    assert described in graph.graph["meta_filter"]
    assert "wrote" in capsys.readouterr().err


def test_cli_series_json_and_table(demo_db, capsys) -> None:
    assert main(["series", "--db", demo_db, "--json", "--min-series-size", "3", "--today", "2022-01-01"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["caution"] == S.LEAD_DISCLAIMER
    sizes = [row[S.SERIES_SIZE] for row in document["series"]]
    assert sizes and min(sizes) >= 3
    assert document["series"][0][S.LAST_DATE] >= document["series"][-1][S.LAST_DATE]
    assert main(["series", "--db", demo_db, "--city", "Memphis"]) == 0
    text = capsys.readouterr().out
    assert "S-MEM" in text and S.LEAD_DISCLAIMER in text


def test_cli_user_errors_exit_non_zero_without_traceback(demo_db, tmp_path, capsys) -> None:
    in_process = {
        "unknown city": (["series", "--db", demo_db, "--city", "Gotham"], 2, "no incidents for that city"),
        "no folder": (
            ["export", "--format", "kml", "--out", str(tmp_path / "nope" / "x.kml"), "--db", demo_db],
            1,
            "does not exist",
        ),
        "empty store": (["series", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}"], 1, "holds no data"),
    }
    for label, (argv, code, message) in in_process.items():
        assert main(argv) == code, label
        assert message in capsys.readouterr().err, label
    for argv, message in (
        (["series", "--db", demo_db, "--since", "2019-02-30"], "is not a date"),
        (["series", "--db", demo_db, "--status", "lead,maybe"], "unknown status maybe"),
    ):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
        assert message in capsys.readouterr().err
    # and as a real process: exit code, one message, no traceback
    done = subprocess.run(
        [sys.executable, "-m", "linking", "export", "--format", "xlsx", "--out", str(tmp_path / "x")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "invalid choice: 'xlsx'" in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "linking", "series", "--db", demo_db, "--city", "Gotham"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "known cities: Albuquerque" in done.stderr
    assert "Traceback" not in done.stderr
