"""Mapping files: valid TOML is parsed; every problem is named in one error."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.errors import MappingError
from data.mapping import load_mapping, parse_mapping

PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"


def test_issue_example_parses():
    text = """
kind = "links"
[columns]
incident_a = "Agency Case # 1"
incident_b = "Agency Case # 2"
status = "Lead Status"
[values.status]
"HIT - Confirmed" = "hit"
[formats]
lead_date = "%m/%d/%Y"
[constants]
site = "Milwaukee"
[csv]
delimiter = ";"
encoding = "cp1252"
"""
    mapping = parse_mapping(text, name="links.toml")
    assert mapping.kind == "links"
    assert mapping.columns["incident_a"] == ("Agency Case # 1",)
    assert mapping.values["status"] == {"HIT - Confirmed": "hit"}
    assert mapping.delimiter == ";" and mapping.encoding == "cp1252"
    assert mapping.formats["lead_date"] == "%m/%d/%Y"


def test_every_problem_listed_in_one_error():
    text = """
kind = "incidents"
colums = 1
[columns]
incident_idd = "id"
[values.incident_type]
"Shooting" = "shooting"
[options]
swap_lat_lon = "yes"
"""
    with pytest.raises(MappingError) as info:
        parse_mapping(text, name="bad.toml")
    message = str(info.value)
    assert "mapping bad.toml: 4 problem(s)" in message
    assert "unknown section or key 'colums'" in message
    assert "unknown field 'incident_idd' for kind 'incidents'" in message
    assert "maps 'Shooting' to 'shooting', which is not one of homicide" in message
    assert "swap_lat_lon = 'yes': expected true or false" in message


def test_unknown_kind_and_bad_toml():
    with pytest.raises(MappingError, match="kind 'shootings' is not one of incidents"):
        parse_mapping('kind = "shootings"')
    with pytest.raises(MappingError, match="not valid TOML"):
        parse_mapping("kind = incidents")


def test_bad_crs_delimiter_and_format_named():
    text = (
        'kind = "links"\n[options]\ncrs = "EPSG:0"\n[csv]\ndelimiter = ";;"\n[formats]\nlead_date = "MM/DD"'
    )
    with pytest.raises(MappingError) as info:
        parse_mapping(text)
    message = str(info.value)
    assert "crs = 'EPSG:0' is not a CRS" in message
    assert "delimiter = ';;': expected one character" in message
    assert "lead_date = 'MM/DD': expected a strptime format" in message


def test_missing_mapping_file(tmp_path):
    with pytest.raises(MappingError, match=r"not found; pass an existing \.toml file"):
        load_mapping(tmp_path / "nope.toml")


@pytest.mark.parametrize("preset", sorted(PRESETS.glob("*.toml")), ids=lambda p: p.name)
def test_every_preset_parses(preset):
    mapping = load_mapping(preset)
    assert mapping.name == preset.name
    assert mapping.kind in ("incidents", "links", "evidence", "firearms", "boundaries")
