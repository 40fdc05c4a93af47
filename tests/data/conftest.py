"""Helpers for the data-layer tests: tiny files written inline, a store in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.mapping import Mapping, parse_mapping
from data.store import Store

INCIDENT_MAPPING = """
kind = "incidents"
[columns]
incident_id = "id"
city = "city"
occurred_at = "when"
latitude = "lat"
longitude = "lon"
incident_type = "type"
"""


def incident_mapping(extra: str = "") -> Mapping:
    """The test incident mapping plus extra TOML (appended)."""
    return parse_mapping(INCIDENT_MAPPING + extra, name="test_incidents.toml")


def write(folder: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    """Write a small text file and return its path."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "id,city,when,lat,lon,type\n"


def incident_csv(folder: Path, rows: list[str], *, name: str = "incidents.csv") -> Path:
    """A CSV with the test header and the given data lines."""
    return write(folder, name, HEADER + "".join(r + "\n" for r in rows))


@pytest.fixture
def store(db_url: str) -> Store:
    """An empty store, once on SQLite (a file in tmp_path) and once on PostgreSQL (a fresh schema)."""
    return Store(db_url)
