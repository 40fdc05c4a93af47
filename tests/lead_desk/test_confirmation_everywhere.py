"""One confirmation on the command line turns the lead into a hit in every export, the queue, the KPIs,
``lead show`` and the bulletin (tests/lead_desk/desk_data.py: N-2 joins D2 and D3)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pyogrio
import pytest

from data import schema as S
from linking.cli import main

PAIR = frozenset(("D2", "D3"))
TODAY = ["--today", "2019-04-10"]


def _export(url: str, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"export.{name}"
    assert main(["export", "--format", name, "--out", str(out), "--db", url, *TODAY]) == 0
    return out


def _statuses(url: str, tmp_path: Path) -> dict[str, str]:
    """The D2-D3 status as each export format's own reader sees it."""
    found = {}
    for name, reader in (("graphml", nx.read_graphml), ("gexf", lambda p: nx.read_gexf(p, version="1.3"))):
        graph = reader(_export(url, tmp_path, name))
        found[name] = next(d["status"] for a, b, d in graph.edges(data=True) if frozenset((a, b)) == PAIR)
    document = json.loads(_export(url, tmp_path, "json").read_bytes())
    graph = nx.node_link_graph(document, edges="edges")
    found["json"] = next(d["status"] for a, b, d in graph.edges(data=True) if frozenset((a, b)) == PAIR)
    bundle = zipfile.ZipFile(_export(url, tmp_path, "csv"))
    edges = pd.read_csv(io.BytesIO(bundle.read("edges.csv")), dtype=str)
    pair = edges[edges[S.INCIDENT_A].isin(PAIR) & edges[S.INCIDENT_B].isin(PAIR)]
    found["csv"] = pair[S.STATUS].item()
    geo = pyogrio.read_dataframe(_export(url, tmp_path, "geojson"))
    lines = geo[(geo["feature_kind"] == "link") & geo[S.INCIDENT_A].isin(PAIR) & geo[S.INCIDENT_B].isin(PAIR)]
    found["geojson"] = lines[S.STATUS].item()
    kml = _export(url, tmp_path, "kml")
    names = pd.concat([pyogrio.read_dataframe(kml, layer=layer) for layer, _ in pyogrio.list_layers(kml)])
    found["kml"] = next(n.rsplit("(", 1)[1].rstrip(")") for n in names["Name"] if n.startswith("D2 - D3"))
    return found


def _leads(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, dict]:
    capsys.readouterr()
    assert main(["leads", "--json", "--db", url, *TODAY, *extra]) == 0
    return {lead["lead_number"]: lead for lead in json.loads(capsys.readouterr().out)["leads"]}


def test_a_confirmation_is_a_hit_in_every_view_and_export(desk_url: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    formats = ("graphml", "gexf", "json", "csv", "geojson", "kml")
    assert _statuses(desk_url, tmp_path) == dict.fromkeys(formats, "lead")
    assert _leads(desk_url, capsys)["N-2"]["status"] == "lead" and "N-2" in _leads(desk_url, capsys, "--open")
    capsys.readouterr()
    assert main(["kpis", "--json", "--db", desk_url, *TODAY]) == 0
    assert json.loads(capsys.readouterr().out)["median_days_lead_to_confirmed"] == 13.0  # N-1 only

    assert main(["lead", "set", "N-2", "--event", "confirmed", "--by", "Examiner Ruiz",
                 "--date", "2019-04-09", "--db", desk_url]) == 0  # fmt: skip

    assert _statuses(desk_url, tmp_path) == dict.fromkeys(formats, "hit")
    assert _leads(desk_url, capsys)["N-2"]["status"] == "hit"
    assert "N-2" not in _leads(desk_url, capsys, "--open")  # decided: out of the queue
    capsys.readouterr()
    assert main(["kpis", "--json", "--db", desk_url, *TODAY]) == 0
    kpis = json.loads(capsys.readouterr().out)
    assert kpis["median_days_lead_to_confirmed"] == 10.0  # N-1 13 days, N-2 7 days (04-02 -> 04-09)
    assert "N-2" not in [lead["lead_number"] for lead in kpis["overdue"]]
    assert main(["lead", "show", "N-2", "--json", "--db", desk_url]) == 0
    (link,) = json.loads(capsys.readouterr().out)["links"]
    assert (link["status"], link["current_status"]) == ("hit", "hit")
    if shutil.which("pdftotext"):
        out = tmp_path / "bulletin.pdf"
        assert main(["bulletin", "--series", "S-D1", "--out", str(out), "--db", desk_url]) == 0
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True,
                              text=True).stdout  # fmt: skip
        assert "Links: 1 leads (unconfirmed) and 2 hits" in " ".join(text.split())  # N-1, N-2 hits; N-3
        row = next(line for line in text.splitlines() if "N-2" in line)
        assert row.split()[0] == "HIT" and "2019-04-09" in row
