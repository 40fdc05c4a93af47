"""Issue #15: bugs an analyst would notice that the suite once let through (graph and exports).

Through public entry points only: the exporters on a selection, and ``python -m linking export``
on a real SQLite store built by the importer.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from data import schema as S
from data.importer import import_file
from data.mapping import parse_mapping
from data.store import Store
from linking.cli import main
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.selection import select
from tests.data.conftest import write
from tests.linking.conftest import BASE_LINKS, TinyFrames, make_incidents, make_links


def test_confirmed_hit_exports_as_hit_when_its_row_comes_before_a_later_lead(tmp_path) -> None:
    rows = list(BASE_LINKS)
    # the pair's hit row has the earlier lead date, so it sorts before the lead row
    rows[0] = ("DET-001", "DET-002", "hit", "L-0", "2019-02-10", "2019-03-01", 1, None)
    rows[1] = ("DET-001", "DET-002", "lead", "L-1", "2019-02-20", None, 1, None)
    frames = TinyFrames(incidents=make_incidents(), links=make_links(rows))
    selection = select(frames, Filters(), today=date(2019, 12, 31))
    path = tmp_path / "export.graphml"
    path.write_bytes(EXPORTERS["graphml"].export(selection))
    graph = nx.read_graphml(path)
    assert graph.edges["DET-001", "DET-002"]["status"] == "hit"


INCIDENTS_TOML = """
kind = "incidents"
[columns]
incident_id = "id"
city = "city"
occurred_at = "when"
latitude = "lat"
longitude = "lon"
incident_type = "type"
address = "address"
narrative = "narrative"
"""


def _store_with_exact_addresses(tmp_path) -> str:
    db = f"sqlite:///{tmp_path / 'exact.sqlite'}"
    path = write(
        tmp_path,
        "incidents.csv",
        "id,city,when,lat,lon,type,address,narrative\n"
        "D-1,Detroit,2019-06-01,42.36,-83.10,homicide,1234 Main St,victim named in the narrative\n"
        "D-2,Detroit,2019-06-02,42.37,-83.11,homicide,55 Oak Ave,witness statement\n",
    )
    import_file(path, parse_mapping(INCIDENTS_TOML, name="i.toml"), Store(db))
    return db


def _export(tmp_path, db: str, *flags: str) -> nx.Graph:
    out = tmp_path / f"out{len(flags)}{'-'.join(flags)}.graphml"
    assert main(["export", "--format", "graphml", "--out", str(out), "--db", db, *flags]) == 0
    return nx.read_graphml(out)


def test_cli_export_generalises_addresses_and_hides_narratives_by_default(tmp_path) -> None:
    db = _store_with_exact_addresses(tmp_path)
    default = _export(tmp_path, db)
    assert default.nodes["D-1"][S.ADDRESS] == "1200 block of Main St"
    assert S.NARRATIVE not in default.nodes["D-1"]
    assert "victim named" not in (tmp_path / "out0.graphml").read_text()

    exact = _export(tmp_path, db, "--exact-addresses")
    assert exact.nodes["D-1"][S.ADDRESS] == "1234 Main St"
    assert S.NARRATIVE not in exact.nodes["D-1"]


def test_cli_export_include_sensitive_adds_narratives(tmp_path) -> None:
    db = _store_with_exact_addresses(tmp_path)
    sensitive = _export(tmp_path, db, "--include-sensitive")
    assert sensitive.nodes["D-1"][S.NARRATIVE] == "victim named in the narrative"
    assert sensitive.nodes["D-2"][S.ADDRESS] == "0 block of Oak Ave"
