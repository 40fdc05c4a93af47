"""Each lead's life: history kept across re-imports, confirmations and exclusions seen by every reader."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from data import schema as S
from data.errors import LeadEventError
from data.lead_events import add_event, current_status, read_events
from linking.cli import main
from tests.lead_desk.desk_data import LINKS, build_store, import_links


def _graphml_edges(url: str, tmp_path: Path) -> dict[frozenset[str], str]:
    out = tmp_path / "graph.graphml"
    assert main(["export", "--format", "graphml", "--out", str(out), "--db", url]) == 0
    graph = nx.read_graphml(out)
    return {frozenset((a, b)): str(data["status"]) for a, b, data in graph.edges(data=True)}


def _series(url: str, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["series", "--db", url, "--json", "--today", "2019-04-10"]) == 0
    return json.loads(capsys.readouterr().out)["series"]


def test_reimport_keeps_history_and_appends_only_changes(tmp_path: Path) -> None:
    store = build_store(tmp_path)
    before = read_events(store)
    assert before[S.EVENT].tolist().count("imported") == 5
    # the same file again: nothing new, and L1 stays the hit an analyst confirmed
    import_links(store, tmp_path / "links.csv")
    assert read_events(store).equals(before)
    assert current_status(read_events(store))["L1"] == "hit"
    # a newer file: N-2 confirmed at the lab, N-3 excluded
    changed = tmp_path / "links_v2.csv"
    text = LINKS.replace("L2,D2,D3,,lead,N-2,2019-04-02,,", "L2,D2,D3,,hit,N-2,2019-04-02,2019-04-09,")
    changed.write_text(text.replace("L3,D3,M1,,lead", "L3,D3,M1,,excluded"), encoding="utf-8")
    import_links(store, changed)
    after = read_events(store)
    assert after.iloc[: len(before)].equals(before)  # never overwritten
    new = after.iloc[len(before):]
    assert new[S.LINK_ID].tolist() == ["L2", "L3"]
    assert new[S.EVENT_NOTE].tolist() == ["status lead -> hit in file", "status lead -> excluded in file"]
    assert set(new[S.EVENT_FILE]) == {"links_v2.csv"}
    stored = store.read_table(S.LINKS).set_index(S.LINK_ID)[S.STATUS].to_dict()
    assert stored == {"L1": "hit", "L2": "hit", "L3": "excluded", "L4": "pending", "L5": "lead"}


def test_confirmation_makes_a_hit_in_exports_and_the_series_table(desk_url: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _graphml_edges(desk_url, tmp_path)[frozenset(("D2", "D3"))] == "lead"
    hits_before = sum(s["hits"] for s in _series(desk_url, capsys))
    code = main(["lead", "set", "N-2", "--event", "confirmed", "--by", "Examiner Ruiz",
                 "--date", "2019-04-09", "--db", desk_url])  # fmt: skip
    assert code == 0
    assert "status now hit" in capsys.readouterr().out
    assert _graphml_edges(desk_url, tmp_path)[frozenset(("D2", "D3"))] == "hit"
    assert sum(s["hits"] for s in _series(desk_url, capsys)) == hits_before + 1
    geojson = tmp_path / "map.geojson"
    assert main(["export", "--format", "geojson", "--out", str(geojson), "--db", desk_url]) == 0
    lines = [f["properties"] for f in json.loads(geojson.read_text())["features"]
             if f["geometry"]["type"] == "LineString"]  # fmt: skip
    statuses = {frozenset((p["incident_a"], p["incident_b"])): p["status"]
                for p in lines if p.get("incident_b")}  # fmt: skip
    assert statuses[frozenset(("D2", "D3"))] == "hit"


def test_exclusion_takes_the_link_out_of_the_default_graph(desk_url: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert frozenset(("D3", "M1")) in _graphml_edges(desk_url, tmp_path)
    assert any(s["cross_city"] for s in _series(desk_url, capsys))
    assert main(["lead", "set", "L3", "--event", "excluded", "--note", "different firearm",
                 "--db", desk_url]) == 0  # fmt: skip
    assert frozenset(("D3", "M1")) not in _graphml_edges(desk_url, tmp_path)
    assert not any(s["cross_city"] for s in _series(desk_url, capsys))


def test_lead_show_prints_the_link_and_its_events(desk_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["lead", "show", "N-1", "--json", "--db", desk_url]) == 0
    document = json.loads(capsys.readouterr().out)
    (link,) = document["links"]
    assert (link["link_id"], link["current_status"], link["confirmed_date"]) == ("L1", "hit", "2019-03-20")
    assert [e["event"] for e in link["events"]] == ["imported", "disseminated", "confirmed"]
    assert link["events"][1]["event_to"] == "Detroit PD Homicide"
    assert link["events"][0]["file_name"] == "links.csv"
    assert main(["lead", "show", "L2", "--db", desk_url]) == 0
    text = capsys.readouterr().out
    assert "link L2  lead N-2" in text and "imported" in text and "file=links.csv" in text


def test_bad_lead_events_are_refused_with_a_reason(desk_url: str, desk: object,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lead", "show", "NOPE-9", "--db", desk_url]) == 1
    assert "no link id or NIBIN lead number matches" in capsys.readouterr().err
    assert main(["lead", "set", "N-2", "--event", "disseminated", "--db", desk_url]) == 2
    assert "needs --to" in capsys.readouterr().err
    with pytest.raises(LeadEventError, match="imports only"):
        add_event(desk, ["L2"], event="imported")
    with pytest.raises(LeadEventError, match="YYYY-MM-DD"):
        add_event(desk, ["L2"], event="reviewed", day="04/09/2019")
    assert read_events(desk)[S.EVENT].tolist().count("reviewed") == 0


def test_rows_of_one_lead_are_one_lead_with_every_link_id(desk, tmp_path: Path) -> None:
    from datetime import date

    from linking.leads import lead_table
    from linking.registry import stable_series

    later = tmp_path / "later.csv"  # a later file names the pair the other way round, with its own ids
    later.write_text("link_id,incident_a,incident_b,status,lead_number,lead_date\n"
                     "L1-B,D2,D1,lead,N-1,2019-03-09\nL2-B,D3,D2,lead,N-2,2019-04-03\n"
                     "L2-A,D2,D3,lead,N-2,2019-04-04\n", encoding="utf-8")  # fmt: skip
    import_links(desk, later)
    frames = stable_series(desk, desk.load_frames())
    leads = lead_table(frames, read_events(desk), today=date(2019, 4, 10)).set_index(S.LEAD_NUMBER)
    assert leads.loc["N-1", S.LINK_IDS] == "L1; L1-B" and leads.loc["N-1", S.STATUS] == "hit"
    # L2-A repeats L2-B's pair in the same file: merged into L2-B on import
    assert leads.loc["N-2", S.LINK_IDS] == "L2; L2-B" and leads.loc["N-2", S.LINK_ID] == "L2"
    assert str(leads.loc["N-1", S.LEAD_DATE].date()) == "2019-03-07"  # the first lead date of its rows
    assert leads.loc["N-5", S.LINK_IDS] == "L5"


def test_the_history_reads_back_the_same_on_every_backend(db_url: str, tmp_path: Path) -> None:
    import re

    from data.importer import import_file
    from data.mapping import load_mapping
    from data.store import Store
    from tests.lead_desk.desk_data import PRESETS, write_files

    store = Store(db_url)
    paths = write_files(tmp_path)
    for kind in ("incidents", "firearms", "evidence"):
        import_file(paths[kind], load_mapping(PRESETS / f"brassmap_{kind}.toml"), store)
    import_links(store, paths["links"])
    add_event(store, ["L1"], event="disseminated", day="2019-03-08", by="analyst A", to="Detroit PD")
    events = read_events(store)
    assert events[S.EVENT].tolist() == ["imported"] * 5 + ["disseminated"]
    assert events[S.EVENT_ID].tolist() == sorted(events[S.EVENT_ID].tolist())
    iso_utc = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"
    assert all(re.fullmatch(iso_utc, t) for t in events[S.RECORDED_AT])
    assert events[S.EVENT_FILE].tolist()[:5] == ["links.csv"] * 5
    assert events[S.EVENT_TO].iloc[-1] == "Detroit PD"
    assert events[S.SOURCE_IMPORT_ID].notna().sum() == 5
    just_l1 = read_events(store, ["L1"])
    assert just_l1[S.EVENT].tolist() == ["imported", "disseminated"]
