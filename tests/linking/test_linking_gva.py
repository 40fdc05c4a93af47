"""Real Gun Violence Archive incidents + a hand-made lead file, through the importer, out as exports."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pyogrio
import pytest

from data import schema as S
from data.importer import import_file
from data.mapping import load_mapping
from data.store import Store
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
JANUARY_2016 = Filters(cities=("Detroit", "Memphis"), date_from=date(2016, 1, 1), date_to=date(2016, 1, 31))
EXPECTED_EDGES = {
    ("478733", "480212"): "lead",
    ("480212", "487792"): "hit",  # a lead and its confirmation: a duplicate pair, merged
    ("477393", "487792"): "lead",  # Memphis - Detroit
    ("477385", "477939"): "hit",
}


@pytest.fixture(scope="module")
def gva_selection(realdata, tmp_path_factory):
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('gva') / 'gva.sqlite'}")
    gva = realdata / "incidents" / "gva_seven_cities_2013_2018.csv.gz"
    import_file(gva, load_mapping(REPO / "data" / "presets" / "gva.toml"), store)
    report = import_file(
        FIXTURES / "hand_made_leads.csv", load_mapping(FIXTURES / "hand_made_leads.toml"), store
    )
    reasons = " | ".join(report.rejects[S.REJECT_REASON])
    assert report.rejected == 2 and "self link" in reasons and "orphan link" in reasons
    return select(store.load_frames(), JANUARY_2016, today=date(2016, 12, 31))


def _pairs(rows) -> dict[tuple[str, str], str]:
    return {tuple(sorted((str(a), str(b)))): str(s) for a, b, s in rows}


def test_series_from_real_incidents(gva_selection) -> None:
    table = gva_selection.series.set_index(S.SERIES_ID)
    assert sorted(table.index) == ["S-477385", "S-478733"]
    cross = table.loc["S-478733"]
    assert cross[S.SERIES_SIZE] == 4 and bool(cross[S.CROSS_CITY])
    assert cross[S.CITIES] == "Detroit; Memphis"
    assert 900 < cross[S.SPAN_KM] < 1100
    assert (cross[S.SERIES_LEADS], cross[S.SERIES_HITS]) == (2, 1)
    assert not gva_selection.is_synthetic
    # every January shooting in both cities stays, linked or not; six are in series
    assert len(gva_selection.incidents) > 20
    assert gva_selection.incidents[S.SERIES_ID].notna().sum() == 6


def test_graphml_and_geojson_from_real_incidents(gva_selection, tmp_path) -> None:
    path = tmp_path / "gva.graphml"
    path.write_bytes(EXPORTERS["graphml"].export(gva_selection))
    graph = nx.read_graphml(path)
    assert _pairs((a, b, d["status"]) for a, b, d in graph.edges(data=True)) == EXPECTED_EDGES
    assert "999999999" not in graph and not graph.has_edge("487780", "487780")
    assert graph.edges["480212", "487792"]["association_count"] == 2
    assert set(graph.nodes) == set(gva_selection.incidents[S.INCIDENT_ID])

    geo_path = tmp_path / "gva.geojson"
    geo_path.write_bytes(EXPORTERS["geojson"].export(gva_selection))
    frame = pyogrio.read_dataframe(geo_path)
    point = frame[frame[S.INCIDENT_ID] == "478733"].geometry.iloc[0]
    assert (round(point.x, 4), round(point.y, 4)) == (-83.1539, 42.417)
    lines = frame[frame["feature_kind"] == "link"]
    assert _pairs(lines[[S.INCIDENT_A, S.INCIDENT_B, S.STATUS]].itertuples(index=False)) == EXPECTED_EDGES


def test_csv_notes_are_neutralised(gva_selection) -> None:
    bundle = zipfile.ZipFile(io.BytesIO(EXPORTERS["csv"].export(gva_selection)))
    edges = pd.read_csv(io.BytesIO(bundle.read("edges.csv")), encoding="utf-8-sig", dtype=str)
    notes = set(edges["notes"].dropna())
    assert "'=HYPERLINK(\"http://evil.example\",\"open me\")" in notes
    assert "'+cross-city lead Detroit to Memphis" in notes and "'@memphis hit" in notes
    assert not any(n.startswith(("=", "+", "-", "@")) for n in notes)


def test_kml_and_json_from_real_incidents(gva_selection, tmp_path) -> None:
    path = tmp_path / "gva.kml"
    path.write_bytes(EXPORTERS["kml"].export(gva_selection))
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert layers[-1] == "Incidents in no series" and sorted(layers[:-1]) == ["S-477385", "S-478733"]
    series = pyogrio.read_dataframe(path, layer="S-478733")
    points = set(series.loc[series.geometry.geom_type == "Point", "Name"])
    assert points == {"478733", "480212", "487792", "477393"}
    document = json.loads(EXPORTERS["json"].export(gva_selection))
    assert document["metadata"]["filter"] == JANUARY_2016.describe()
    assert "synthetic_label" not in document["metadata"]
