"""Every XML export parses in a standard XML parser, whatever control characters the records hold."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from data import schema as S
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select

from .conftest import TinyFrames, make_incidents, make_links

BAD = "\x01\x0b\x1f\ufffe"
XML_FORMATS = ("graphml", "gexf", "kml")


def _dirty(value: str) -> str:
    return value[:3] + BAD + value[3:]


@pytest.fixture
def dirty_selection():
    """Records stored before ids were checked: control characters in ids and in every text field."""
    incidents = make_incidents()
    links = make_links()
    for column in (S.INCIDENT_ID, S.ADDRESS, S.AGENCY, S.CASE_NUMBER, S.NARRATIVE, S.CALIBER):
        incidents[column] = pd.array([_dirty(str(v)) for v in incidents[column]], dtype="string")
    for column in (S.INCIDENT_A, S.INCIDENT_B, S.LEAD_NUMBER, S.SITE, S.FIREARM_ID, S.LINK_ID):
        values = [None if pd.isna(v) else _dirty(str(v)) for v in links[column]]
        links[column] = pd.array(values, dtype="string")
    links[S.NOTE] = pd.array(["note" + BAD] * len(links), dtype="string")
    incidents[S.CITY] = pd.Categorical([_dirty(str(c)) for c in incidents[S.CITY]])
    frames = TinyFrames(incidents=incidents, links=links)
    return select(frames, Filters(), today=date(2019, 12, 31))


@pytest.mark.parametrize("name", XML_FORMATS)
@pytest.mark.parametrize("sensitive", [False, True])
def test_xml_exports_parse_with_control_characters_in_the_records(
    dirty_selection, tmp_path: Path, name: str, sensitive: bool
) -> None:
    data = EXPORTERS[name].export(dirty_selection, include_sensitive=sensitive)
    root = ET.fromstring(data)  # raises ParseError on a character XML 1.0 forbids
    assert root is not None
    text = data.decode("utf-8")
    assert not any(ch in text for ch in BAD)
    assert "&#1;" not in text and "&#x1;" not in text
    path = tmp_path / EXPORTERS[name].file_name("export")
    path.write_bytes(data)
    if name == "graphml":
        graph = nx.read_graphml(path)
    elif name == "gexf":
        graph = nx.read_gexf(path, version="1.3")
    else:
        return
    assert "DET-001" in graph.nodes
    assert graph.number_of_nodes() == len(dirty_selection.incidents)
