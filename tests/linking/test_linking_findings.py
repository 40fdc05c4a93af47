"""The findings of issue #11, on the default demo store (seed 2019), as tests.

Each of these failed on main before the series registry, whole-series
selection and the one counting rule.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from data import schema as S
from data.demo import build_demo_store
from data.store import Store
from linking.cli import main
from linking.exports import EXPORTERS
from linking.filters import Filters
from linking.graph import graph_for_selection
from linking.headline import count_headline, headline
from linking.selection import select

GUN = "F-000985"  # the firearm of the issue: incidents MEM-21-001325 and MEM-21-001349


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('findings') / 'demo.sqlite'}"
    build_demo_store(Store(url))
    return url


@pytest.fixture(scope="module")
def frames(demo_db: str):  # type: ignore[no-untyped-def]
    return Store(demo_db).load_frames()


@pytest.fixture(scope="module")
def last_day(frames) -> date:  # type: ignore[no-untyped-def]
    return pd.Timestamp(frames.incidents[S.LOCAL_DATE].max()).date()


def _last_28_days(last_day: date, **more: object) -> Filters:
    return Filters(cities=("Memphis",), date_from=last_day - timedelta(days=27), date_to=last_day, **more)  # type: ignore[arg-type]


def _series_of(selection, incident: str) -> str:  # type: ignore[no-untyped-def]
    rows = selection.incidents[selection.incidents[S.INCIDENT_ID].astype(str) == incident]
    return str(rows[S.SERIES_ID].iloc[0])


def test_finding_1_the_id_does_not_change_with_the_filter(frames, last_day) -> None:  # type: ignore[no-untyped-def]
    recent = select(frames, _last_28_days(last_day), today=last_day)
    everything = select(frames, Filters(), today=last_day)
    for incident in ("MEM-21-001325", "MEM-21-001349"):
        assert _series_of(recent, incident) == _series_of(everything, incident) == "S-MEM-21-000831"


def test_finding_2_a_date_filter_selects_whole_series(frames, last_day) -> None:  # type: ignore[no-untyped-def]
    recent = select(frames, _last_28_days(last_day), today=last_day)
    sizes = dict(zip(recent.series[S.SERIES_ID], recent.series[S.SERIES_SIZE], strict=True))
    assert sizes["S-MEM-21-000831"] == 7
    assert max(sizes.values()) == 9  # the most active gun, its latest shooting inside the window
    row = recent.series.set_index(S.SERIES_ID).loc["S-MEM-21-000831"]
    assert row[S.IN_FILTER] == 2 and GUN in row[S.FIREARM_IDS]
    members = recent.incidents[recent.incidents[S.SERIES_ID] == "S-MEM-21-000831"]
    assert len(members) == 7 and int(members[S.IN_FILTER].sum()) == 2
    graph = graph_for_selection(recent, max_nodes=600)  # the graph shows it whole too
    in_graph = [n for n, d in graph.nodes(data=True) if d.get(S.SERIES_ID) == "S-MEM-21-000831"]
    assert len(in_graph) == 7
    cut = select(frames, _last_28_days(last_day, cut_to_window=True), today=last_day)
    assert cut.series.set_index(S.SERIES_ID).loc["S-MEM-21-000831", S.SERIES_SIZE] == 2


def _graphml_counts(selection) -> tuple[dict[str, tuple[int, int]], dict[str, object]]:  # type: ignore[no-untyped-def]
    data = EXPORTERS["graphml"].export(selection)
    graph = nx.read_graphml(io.BytesIO(data))
    per_series: dict[str, tuple[int, int]] = {}
    for _, attrs in graph.nodes(data=True):
        if attrs.get(S.SERIES_ID):
            per_series[str(attrs[S.SERIES_ID])] = (int(attrs["series_leads"]), int(attrs["series_hits"]))
    return per_series, dict(graph.graph)


def test_finding_3_counts_agree_in_every_view_and_export_for_every_series(
    frames,
    last_day,
    demo_db: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from linking.counting import count_links
    from ui.drilldown import drilldown_counts

    everything = select(frames, Filters(), today=last_day)
    table = everything.series.set_index(S.SERIES_ID)
    assert main(["series", "--db", demo_db, "--json", "--today", last_day.isoformat()]) == 0
    cli = {r["series_id"]: (r["leads"], r["hits"]) for r in json.loads(capsys.readouterr().out)["series"]}
    exported, _ = _graphml_counts(everything)
    assert len(table) > 500
    for series_id, row in table.iterrows():
        expected = (int(row[S.SERIES_LEADS]), int(row[S.SERIES_HITS]))
        drilled = drilldown_counts(everything, str(series_id))
        assert (drilled.leads, drilled.hits) == expected, series_id
        assert cli[str(series_id)] == expected, series_id
        assert exported[str(series_id)] == expected, series_id
    # one series picked: the drill-down's selection, its export panel and its export say the same
    picked = select(frames, Filters(series_id="S-MEM-21-000831"), today=last_day)
    row = table.loc["S-MEM-21-000831"]
    assert (count_links(picked.links).leads, count_links(picked.links).hits) == (
        row[S.SERIES_LEADS],
        row[S.SERIES_HITS],
    )
    _, header = _graphml_counts(picked)
    assert (int(header["meta_leads"]), int(header["meta_hits"])) == (row[S.SERIES_LEADS], row[S.SERIES_HITS])
    # Memphis, last 28 days: overview = sum of the series table = the CLI export's header
    recent_filters = _last_28_days(last_day)
    recent = select(frames, recent_filters, today=last_day)
    top = headline(recent)
    assert (top.leads, top.hits) == (
        int(recent.series[S.SERIES_LEADS].sum()),
        int(recent.series[S.SERIES_HITS].sum()),
    )
    assert count_headline(frames, recent_filters) == top
    out = tmp_path / "recent.json"
    since = (last_day - timedelta(days=27)).isoformat()
    argv = ["export", "--db", demo_db, "--format", "json", "--out", str(out), "--city", "Memphis",
            "--since", since, "--until", last_day.isoformat()]  # fmt: skip
    assert main(argv) == 0
    document = json.loads(out.read_text())
    meta = document["metadata"]
    assert (int(meta["leads"]), int(meta["hits"])) == (top.leads, top.hits)


def test_finding_5_search_finds_every_kind_of_id(
    frames, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    incidents = frames.incidents.set_index(S.INCIDENT_ID)
    case = str(incidents.loc["MEM-21-001325", S.CASE_NUMBER])
    lead = frames.links[frames.links[S.INCIDENT_B].astype(str) == "MEM-21-001349"][S.LEAD_NUMBER].iloc[0]
    evidence = frames.evidence[frames.evidence[S.INCIDENT_ID].astype(str) == "MEM-21-001325"][
        S.EVIDENCE_ID
    ].iloc[0]
    for text, kind in (("MEM-21-001325", "incident"), (case, "case_number"), (lead, "lead_number"),
                       (GUN, "firearm"), (evidence, "evidence"), ("S-MEM-21-000831", "series")):  # fmt: skip
        assert main(["find", "--db", demo_db, str(text).lower(), "--json"]) == 0
        matches = json.loads(capsys.readouterr().out)["matches"]
        assert matches, text
        assert matches[0]["kind"] == kind and matches[0]["exact"], (text, matches[0])
        assert matches[0]["series_id"] == "S-MEM-21-000831", (text, matches[0])
    unlinked = frames.incidents[~frames.incidents[S.INCIDENT_ID].isin(
        frames.links[S.INCIDENT_A].tolist() + frames.links[S.INCIDENT_B].dropna().tolist())]  # fmt: skip
    lonely = str(unlinked[S.CASE_NUMBER].dropna().iloc[0])
    assert main(["find", "--db", demo_db, lonely, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["matches"][0]
    assert first["kind"] == "case_number" and first["series_id"] is None and first["incident_id"]
    assert main(["find", "--db", demo_db, "MEM-21-00132", "--json"]) == 0
    prefixed = json.loads(capsys.readouterr().out)["matches"]
    assert len(prefixed) >= 10 and not any(m["exact"] for m in prefixed)


def test_finding_7_graph_exports_carry_the_network_measures(frames, last_day) -> None:  # type: ignore[no-untyped-def]
    picked = select(frames, Filters(series_id="S-MEM-20-000919"), today=last_day)
    graph = nx.read_graphml(io.BytesIO(EXPORTERS["graphml"].export(picked)))
    assert all(
        "betweenness" in d and "is_articulation" in d and "degree" in d for _, d in graph.nodes(data=True)
    )
    truth = set(nx.articulation_points(graph.to_undirected()))
    flagged = {n for n, d in graph.nodes(data=True) if d["is_articulation"] in (True, "true", "True")}
    assert flagged == truth and truth
