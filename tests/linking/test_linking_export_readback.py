"""Each export format read back by the tool an analyst opens it with: the values they would see.

Complements ``test_linking_exports.py`` (every format reads back at all) with the exact values:
a KML placemark's text and style, a GEXF colour and spell in Gephi's reader, a GeoJSON property,
a CSV cell, the README and metadata blocks, and redaction choices passed through the registry.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pyogrio
import pytest

from data import schema as S
from geo.palette import series_colour
from linking.exports import EXPORTERS, ExportError, export_selection
from linking.exports._common import export_graph
from linking.exports._xml import clean_graph, clean_tree
from linking.filters import Filters
from linking.layouts import packed_series_layout
from linking.selection import select

from .conftest import BASE_LINKS, TinyFrames, make_incidents, make_links

KML = "{http://www.opengis.net/kml/2.2}"
HOSTILE = '<script>alert("x")</script> & Café'


@pytest.fixture
def selection(tiny_frames):
    return select(tiny_frames, Filters(), today=date(2019, 12, 31))


@pytest.fixture
def odd_selection():
    """DET-001 has coordinates finer than 7 decimals, DET-005 a latitude but no longitude and no
    time, DET-004 no local time; a hostile note; a link (DET-004 - DET-005) with no lead date."""
    incidents = make_incidents()
    det5 = incidents[S.INCIDENT_ID] == "DET-005"
    incidents.loc[det5, S.LONGITUDE] = float("nan")
    incidents.loc[det5, [S.LOCAL_TIME, S.OCCURRED_AT, S.LOCAL_DATE]] = pd.NaT
    det1 = incidents[S.INCIDENT_ID] == "DET-001"
    incidents.loc[det1, S.LONGITUDE] = -83.123456789
    incidents.loc[det1, S.LATITUDE] = 42.36000004  # 42.36 to 7 decimals
    incidents.loc[incidents[S.INCIDENT_ID] == "DET-004", S.LOCAL_TIME] = pd.NaT
    rows = list(BASE_LINKS)
    rows[5] = ("DET-004", "DET-005", "hit", "L-5", None, "2019-08-09", 1, None)
    links = make_links(rows)
    links[S.NOTE] = pd.array([HOSTILE] + [None] * (len(rows) - 1), dtype="string")
    return select(TinyFrames(incidents=incidents, links=links), Filters(), today=date(2019, 12, 31))


# ---------------------------------------------------------------- KML (Google Earth reads the XML)


def _kml(selection, **flags) -> ET.Element:
    return ET.fromstring(EXPORTERS["kml"].export(selection, **flags))


def _placemarks(root: ET.Element) -> dict[str, ET.Element]:
    return {p.findtext(f"{KML}name"): p for p in root.iter(f"{KML}Placemark")}


def _extended(placemark: ET.Element) -> dict[str, str | None]:
    """The fields Google Earth lists for a placemark (``ExtendedData/Data``)."""
    data = placemark.findall(f"{KML}ExtendedData/{KML}Data")
    return {d.get("name"): d.findtext(f"{KML}value") for d in data}


def _styles(root: ET.Element) -> dict[str, ET.Element]:
    return {s.get("id"): s for s in root.iter(f"{KML}Style")}


def test_kml_document_header_and_styles_google_earth_draws(selection) -> None:
    data = EXPORTERS["kml"].export(selection)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<kml")
    root = ET.fromstring(data)
    document = root.find(f"{KML}Document")
    assert document is not None and document.findtext(f"{KML}name") == "brassmap export"
    description = document.findtext(f"{KML}description")
    assert description.startswith("title: brassmap export\nformat: kml\n")
    assert f"caution: {S.LEAD_DISCLAIMER}\n" in description
    assert "addresses_generalised_to_block: True" in description
    styles = _styles(root)
    blue = styles["incident-0072b2"].find(f"{KML}IconStyle")
    assert (blue.findtext(f"{KML}color"), blue.findtext(f"{KML}scale")) == ("ffb27200", "0.8")
    assert styles["incident-9e9e9e"].findtext(f"{KML}IconStyle/{KML}color") == "ff9e9e9e"
    hit = styles["link-hit"].find(f"{KML}LineStyle")
    lead = styles["link-lead"].find(f"{KML}LineStyle")
    assert (hit.findtext(f"{KML}color"), hit.findtext(f"{KML}width")) == ("ff111111", "4")
    assert (lead.findtext(f"{KML}color"), lead.findtext(f"{KML}width")) == ("ff2827d6", "2")
    assert styles["link-pending"].findtext(f"{KML}LineStyle/{KML}width") == "2"


def test_kml_placemarks_carry_series_colour_point_and_extended_data(selection) -> None:
    root = _kml(selection)
    marks = _placemarks(root)
    det1 = marks["DET-001"]
    style = "incident-" + series_colour("S-DET-001").lstrip("#")
    assert det1.findtext(f"{KML}styleUrl") == "#" + style and style in _styles(root)
    assert det1.findtext(f"{KML}Point/{KML}coordinates") == "-83.1000000,42.3600000"
    data = _extended(det1)
    assert data[S.ADDRESS] == "1200 block of Main St" and data[S.INCIDENT_ID] == "DET-001"
    assert data[S.SERIES_ID] == "S-DET-001" and data["series_size"] == "4"
    assert data[S.IN_FILTER] == "true" and data[S.IS_ARTICULATION] == "false"
    assert _extended(marks["DET-002"])[S.IS_ARTICULATION] == "true"
    assert S.NARRATIVE not in data and "firearm_serials" not in _extended(marks["MEM-003"])
    assert marks["DET-004"].findtext(f"{KML}styleUrl") == "#incident-9e9e9e"


def test_kml_link_lines_say_lead_or_hit_and_join_both_incidents(selection) -> None:
    marks = _placemarks(_kml(selection))
    hit = marks["DET-001 - DET-002 (hit)"]
    assert hit.findtext(f"{KML}styleUrl") == "#link-hit"
    line = hit.find(f"{KML}LineString")
    assert line.findtext(f"{KML}tessellate") == "1"
    assert line.findtext(f"{KML}coordinates") == "-83.1000000,42.3600000 -83.0500000,42.3800000"
    data = _extended(hit)
    assert (data[S.STATUS], data["statuses"], data["weight"]) == ("hit", "lead; hit", "3")
    assert marks["DET-002 - DET-003 (lead)"].findtext(f"{KML}styleUrl") == "#link-lead"


def test_kml_folders_one_per_series_newest_first_then_the_unlinked(selection) -> None:
    root = _kml(selection)
    folders = root.findall(f"{KML}Document/{KML}Folder")
    assert [f.findtext(f"{KML}name") for f in folders] == ["S-MEM-002", "S-DET-001", "Incidents in no series"]
    contents = {f.findtext(f"{KML}name"): [p.findtext(f"{KML}name") for p in f.iter(f"{KML}Placemark")]
                for f in folders}  # fmt: skip
    assert contents["Incidents in no series"] == ["DET-004", "DET-005"]
    # a cross-city link sits in the folder of its first incident's series
    assert "DET-003 - MEM-001 (lead)" in contents["S-DET-001"]
    assert sorted(contents["S-MEM-002"]) == ["MEM-002", "MEM-002 - MEM-003 (hit)", "MEM-003"]


def _folders(root: ET.Element) -> dict[str, list[str]]:
    return {
        f.findtext(f"{KML}name"): [p.findtext(f"{KML}name") for p in f.iter(f"{KML}Placemark")]
        for f in root.findall(f"{KML}Document/{KML}Folder")
    }


def test_kml_series_missing_from_the_series_table_still_gets_its_folder_after_the_listed_ones(
    selection,
) -> None:
    trimmed = replace(selection, series=selection.series[selection.series[S.SERIES_ID] == "S-DET-001"])
    folders = _folders(_kml(trimmed))
    assert list(folders) == ["S-DET-001", "S-MEM-002", "Incidents in no series"]
    assert sorted(folders["S-MEM-002"]) == ["MEM-002", "MEM-002 - MEM-003 (hit)", "MEM-003"]


def test_kml_without_unlinked_incidents_has_no_empty_folder(tiny_frames) -> None:
    memphis = select(tiny_frames, Filters(cities=("Memphis",)), today=date(2019, 12, 31))
    assert list(_folders(_kml(memphis))) == ["S-MEM-002", "S-DET-001"]
    empty = select(tiny_frames, Filters(cities=("Nowhere",)), today=date(2019, 12, 31))
    root = _kml(empty)
    assert _folders(root) == {} and len(_styles(root)) == 19


def test_kml_incident_without_coordinates_has_no_point_and_its_link_no_line(odd_selection) -> None:
    marks = _placemarks(_kml(odd_selection))
    assert marks["DET-005"].find(f"{KML}Point") is None
    assert _extended(marks["DET-005"])[S.LATITUDE] == "42.35"
    link = marks["DET-004 - DET-005 (hit)"]
    assert link.find(f"{KML}LineString") is None and _extended(link)[S.STATUS] == "hit"
    assert marks["DET-001"].findtext(f"{KML}Point/{KML}coordinates") == "-83.1234568,42.3600000"


def test_kml_sensitive_fields_and_exact_addresses_only_when_asked(selection) -> None:
    marks = _placemarks(_kml(selection, include_sensitive=True, generalise_addresses=False))
    assert _extended(marks["DET-001"])[S.ADDRESS] == "1234 Main St"
    assert _extended(marks["DET-001"])[S.NARRATIVE] == "secret narrative"
    assert _extended(marks["MEM-003"])["firearm_serials"] == "SECRET123"


def test_kml_hostile_text_is_escaped_and_reads_back_as_typed(odd_selection) -> None:
    data = EXPORTERS["kml"].export(odd_selection)
    assert b"<script>" not in data and "Café".encode() in data
    notes = [_extended(p).get("notes") for p in _placemarks(ET.fromstring(data)).values()]
    assert HOSTILE in notes


# ---------------------------------------------------------------- GEXF (Gephi; networkx reads it too)


def _gexf(selection, tmp_path: Path) -> tuple[bytes, nx.Graph]:
    data = EXPORTERS["gexf"].export(selection)
    path = tmp_path / "export.gexf"
    path.write_bytes(data)
    return data, nx.read_gexf(path, version="1.3")


def test_gexf_nodes_carry_label_position_colour_and_size_gephi_draws(selection, tmp_path) -> None:
    _, graph = _gexf(selection, tmp_path)
    layout = packed_series_layout(export_graph(selection))
    for node in ("DET-001", "MEM-002", "DET-004"):
        viz = graph.nodes[node]["viz"]
        x, y = layout[node]
        assert graph.nodes[node]["label"] == node
        assert viz["position"] == {"x": round(x * 50, 3), "y": round(y * 50, 3), "z": 0.0}
        assert viz["size"] == 10.0
    assert len({tuple(graph.nodes[n]["viz"]["position"].values()) for n in graph}) == 8
    colour = series_colour("S-DET-001").lstrip("#")
    expected = {"r": int(colour[:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:], 16), "a": 1.0}
    assert graph.nodes["DET-001"]["viz"]["color"] == expected
    assert graph.nodes["DET-001"][S.ADDRESS] == "1200 block of Main St"
    assert graph.nodes["DET-002"][S.IS_ARTICULATION] is True


def _spells(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Spells as Gephi reads them: ``<spell start=...>`` (no end: open) per node id and per edge pair."""
    root = ET.fromstring(data)
    out: dict[str, list[dict[str, str]]] = {}
    for element in root.iter():
        tag = element.tag.split("}")[-1]
        if tag == "node":
            key = element.get("id")
        elif tag == "edge":
            key = f"{element.get('source')}--{element.get('target')}"
        else:
            continue
        out[key] = [dict(s.attrib) for s in element.iter() if s.tag.endswith("}spell")]
    return out


def test_gexf_positions_are_the_packed_layout_times_50_to_the_thousandth(tmp_path) -> None:
    rows = [*BASE_LINKS, ("DET-001", "DET-003", "lead", "L-9", "2019-03-30", None, 1, None)]  # a triangle
    frames = TinyFrames(incidents=make_incidents(), links=make_links(rows))
    triangle = select(frames, Filters(), today=date(2019, 12, 31))
    _, graph = _gexf(triangle, tmp_path)
    layout = packed_series_layout(export_graph(triangle))
    got = {n: graph.nodes[n]["viz"]["position"] for n in graph}
    expected = {n: {"x": round(x * 50, 3), "y": round(y * 50, 3), "z": 0.0} for n, (x, y) in layout.items()}
    assert got == expected
    # the triangle is drawn in two dimensions, off the thousandth grid before rounding
    off_grid = {n for n, (_, y) in layout.items() if round(y * 50, 3) != round(y * 50, 4)}
    assert off_grid & {"DET-002", "DET-003"}


def test_gexf_spells_replay_each_series_on_gephis_timeline(odd_selection, tmp_path) -> None:
    data, graph = _gexf(odd_selection, tmp_path)
    spells = _spells(data)
    assert spells["DET-001"] == [{"start": "2019-01-05"}]  # the local day, not the UTC one (01-06)
    assert spells["MEM-002"] == [{"start": "2019-06-01"}]
    # no local time: the UTC time of the shooting gives the day
    assert spells["DET-004"] == [{"start": "2019-04-20"}]
    assert spells["DET-005"] == []  # no time at all: always shown
    assert spells["DET-001--DET-002"] == [{"start": "2019-02-20"}]
    # no lead date: the link starts on the later shooting's day (here the only dated one)
    assert spells["DET-004--DET-005"] == [{"start": "2019-04-20"}]
    assert graph.edges["DET-001", "DET-002"]["label"] == "hit"
    assert graph.edges["DET-002", "DET-003"]["label"] == "lead"


def test_gexf_header_says_what_produced_it(selection, tmp_path) -> None:
    data, _ = _gexf(selection, tmp_path)
    root = ET.fromstring(data)
    assert root.get("version") == "1.3"
    assert b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in data
    namespace = root.tag.split("}")[0] + "}"
    meta = root.find(f"{namespace}meta")
    assert meta.findtext(f"{namespace}keywords") == "brassmap, NIBIN, lead vs hit"
    description = meta.findtext(f"{namespace}description")
    assert description.startswith("title: brassmap export\nformat: gexf\n")
    assert f"caution: {S.LEAD_DISCLAIMER}" in description
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<gexf")


# ---------------------------------------------------------------- GeoJSON (QGIS / GDAL)


def test_geojson_features_read_back_in_gdal_with_ids_properties_and_rounded_coordinates(
    odd_selection, tmp_path
) -> None:
    data = EXPORTERS["geojson"].export(odd_selection)
    assert "Café".encode() in data  # UTF-8 text, as QGIS shows it
    document = json.loads(data)
    assert document["type"] == "FeatureCollection" and document["brassmap"]["format"] == "geojson"
    features = {f["id"]: f for f in document["features"]}
    det1 = features["DET-001"]
    assert det1["type"] == "Feature"
    assert det1["geometry"] == {"type": "Point", "coordinates": [-83.1234568, 42.36]}
    assert det1["properties"]["feature_kind"] == "incident"
    assert det1["properties"][S.ADDRESS] == "1200 block of Main St"
    assert features["DET-005"]["geometry"] is None
    hit = features["DET-001--DET-002"]
    assert hit["type"] == "Feature" and hit["properties"]["feature_kind"] == "link"
    assert hit["geometry"] == {"type": "LineString", "coordinates": [[-83.1234568, 42.36], [-83.05, 42.38]]}
    assert hit["properties"]["notes"] == HOSTILE
    assert features["DET-004--DET-005"]["geometry"] is None

    path = tmp_path / "export.geojson"
    path.write_bytes(data)
    frame = pyogrio.read_dataframe(path).set_index(S.INCIDENT_ID, drop=False)
    incidents = frame[frame["feature_kind"] == "incident"]
    assert incidents.loc["DET-002", S.ADDRESS] == "0 block of Oak"
    assert incidents.loc["DET-005"].geometry is None
    assert bool(incidents.loc["DET-002", S.IS_ARTICULATION]) is True
    links = frame[frame["feature_kind"] == "link"]
    assert links.loc[links[S.INCIDENT_B] == "DET-002", "notes"].tolist() == [HOSTILE]


# ---------------------------------------------------------------- CSV bundle (zipfile + a spreadsheet)


def test_csv_bundle_readme_cells_and_compression(odd_selection) -> None:
    bundle = zipfile.ZipFile(io.BytesIO(EXPORTERS["csv"].export(odd_selection)))
    assert bundle.namelist() == ["README.txt", "nodes.csv", "edges.csv"]
    assert {i.compress_type for i in bundle.infolist()} == {zipfile.ZIP_DEFLATED}
    readme = bundle.read("README.txt").decode("utf-8")
    assert readme.startswith("title: brassmap export\nformat: csv\n")
    assert readme.endswith(
        "\n\nText cells starting with = + - @, tab, CR or NUL are prefixed with ' so spreadsheets "
        "do not run them as formulas; every text cell is quoted.\n"
    )
    nodes = pd.read_csv(io.BytesIO(bundle.read("nodes.csv")), encoding="utf-8-sig", keep_default_na=False)
    nodes = nodes.set_index(S.INCIDENT_ID)
    assert nodes.columns[0] == S.CITY and nodes.loc["DET-001", S.ADDRESS] == "1200 block of Main St"
    assert nodes.loc["DET-001", S.LONGITUDE] == "-83.123456789"  # the cell text, unrounded
    assert nodes.loc["DET-005", S.LONGITUDE] == ""
    edges = pd.read_csv(io.BytesIO(bundle.read("edges.csv")), encoding="utf-8-sig", keep_default_na=False)
    assert list(edges.columns[:3]) == [S.INCIDENT_A, S.INCIDENT_B, S.STATUS]
    assert edges.loc[edges[S.INCIDENT_B] == "DET-002", "notes"].tolist() == [HOSTILE]


# ---------------------------------------------------------------- GraphML and JSON node-link


def test_graphml_metadata_block_reads_back_as_graph_data(selection, tmp_path) -> None:
    data = EXPORTERS["graphml"].export(selection)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<graphml")
    # one element a line, keys named after their field: what someone reading the raw file sees
    assert b'\n  <key id="status" for="edge" attr.name="status" attr.type="string" />\n' in data
    assert b'<data key="status">hit</data>' in data
    path = tmp_path / "export.graphml"
    path.write_bytes(data)
    graph = nx.read_graphml(path)
    meta = graph.graph
    assert meta["meta_format"] == "graphml" and meta["meta_title"] == "brassmap export"
    assert meta["meta_status_labels"] == (
        f"lead = {S.LINK_STATUS_LABELS['lead']}; hit = {S.LINK_STATUS_LABELS['hit']}"
    )
    assert meta["meta_incidents"] == 8 and meta["meta_hits"] == 3
    assert meta["meta_synthetic"] is True and meta["meta_addresses_generalised_to_block"] is True
    assert meta["meta_synthetic_label"] == S.SYNTHETIC_LABEL
    assert graph.nodes["DET-001"][S.ADDRESS] == "1200 block of Main St"


def test_json_node_link_is_readable_utf8_with_the_metadata_first(odd_selection) -> None:
    data = EXPORTERS["json"].export(odd_selection)
    assert "Café".encode() in data and b"\\u00e9" not in data
    assert data.startswith(b'{\n "metadata": {\n  "title": "brassmap export",\n  "format": "json"')
    document = json.loads(data)
    assert list(document)[:2] == ["metadata", "directed"] and document["multigraph"] is False
    graph = nx.node_link_graph(document, edges="edges")
    assert graph.edges["DET-001", "DET-002"]["notes"] == HOSTILE
    assert graph.nodes["DET-001"][S.LONGITUDE] == -83.123456789


# ---------------------------------------------------------------- registry and HTML


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_export_selection_passes_the_redaction_choice_to_every_format(selection, name) -> None:
    def text(data: bytes) -> str:
        if name == "csv":
            bundle = zipfile.ZipFile(io.BytesIO(data))
            return "".join(bundle.read(n).decode("utf-8-sig") for n in bundle.namelist())
        return data.decode("utf-8")

    default = text(export_selection(name, selection))
    assert "1234 Main St" not in default and "1200 block of Main St" in default
    assert "secret narrative" not in default
    exact = text(export_selection(name, selection, generalise_addresses=False))
    assert "secret narrative" not in exact
    # the HTML map's popups always show the block (geo.layers); every data format gives the exact address
    assert ("1234 Main St" in exact) is (name != "html")
    full = text(export_selection(name, selection, include_sensitive=True))
    assert "secret narrative" in full and "1234 Main St" not in full


def test_unknown_format_names_every_choice() -> None:
    with pytest.raises(ExportError) as caught:
        export_selection("xlsx", None)
    assert str(caught.value) == (
        "unknown export format 'xlsx'; choose one of graphml, gexf, json, csv, geojson, kml, html"
    )
    assert EXPORTERS["kml"].file_name("case-17") == "case-17.kml"
    assert EXPORTERS["geojson"].file_name() == "brassmap.geojson"


# ---------------------------------------------------------------- XML 1.0 safety (linking.exports._xml)


def test_clean_graph_makes_every_name_and_text_value_xml_safe_and_keeps_the_rest(tmp_path) -> None:
    graph = nx.DiGraph(**{"ti\x01tle": "a\x02b", "count": 3})
    graph.add_node("N\x03-1", **{"no\x04te": "x\x05y", "weight": 2.5, "ok": True})
    graph.add_edge("N\x03-1", "N-2", **{"st\x06atus": "hit\x07", "association_count": 4})
    clean = clean_graph(graph)
    assert isinstance(clean, nx.DiGraph) and graph.has_node("N\x03-1")  # a copy; the input is unchanged
    assert clean.graph == {"title": "ab", "count": 3}
    assert dict(clean.nodes["N-1"]) == {"note": "xy", "weight": 2.5, "ok": True}
    assert clean.edges["N-1", "N-2"] == {"status": "hit", "association_count": 4}
    path = tmp_path / "clean.graphml"
    nx.write_graphml(clean, path)
    back = nx.read_graphml(path)
    assert back.nodes["N-1"] == {"note": "xy", "weight": 2.5, "ok": True}
    assert back.graph["title"] == "ab" and back.edges["N-1", "N-2"]["status"] == "hit"


def test_clean_tree_cleans_tags_text_tails_and_attributes_and_leaves_comments() -> None:
    root = ET.Element("kml")
    child = ET.SubElement(root, "na\x01me", {"i\x02d": "v\x03al"})
    child.text = "DET\x04-1"
    child.tail = "\n\x05  "
    root.append(ET.Comment("made by brassmap"))
    assert clean_tree(root) is root
    assert ET.tostring(root) == b'<kml><name id="val">DET-1</name>\n  <!--made by brassmap--></kml>'
    assert ET.fromstring(ET.tostring(root)).findtext("name") == "DET-1"


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_every_format_called_without_options_hides_narratives_serials_and_house_numbers(
    selection, name
) -> None:
    data = EXPORTERS[name].export(selection)
    if name == "csv":
        bundle = zipfile.ZipFile(io.BytesIO(data))
        data = b"".join(bundle.read(n) for n in bundle.namelist())
    text = data.decode("utf-8-sig")
    assert "secret narrative" not in text and "SECRET123" not in text
    assert "1234 Main St" not in text and "1200 block of Main St" in text
