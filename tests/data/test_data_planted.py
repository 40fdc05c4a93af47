"""Issue #15: bugs an analyst would notice that the suite once let through (data layer).

Each test goes through a public entry point (the importer, the store, the ``python -m data``
command) and asserts what the analyst sees: the stored value, the report cell, the row number.
"""

from __future__ import annotations

import csv
from datetime import date

import pandas as pd

from data import schema as S
from data.__main__ import main
from data.importer import import_file, write_rejects
from data.mapping import parse_mapping
from data.store import Store
from linking.filters import Filters
from linking.selection import select
from tests.data.conftest import INCIDENT_MAPPING, incident_csv, incident_mapping, write

FIREARMS_TOML = """
kind = "firearms"
[columns]
firearm_id = "Gun"
make = "Make"
serial_number = "Serial"
"""

EVIDENCE_TOML = """
kind = "evidence"
[columns]
evidence_id = "Exhibit"
evidence_kind = "Kind"
incident_id = "Incident"
"""

LINKS_TOML = """
kind = "links"
[columns]
incident_a = "A"
incident_b = "B"
status = "Status"
lead_number = "Lead"
"""


def _seed(store: Store, tmp_path) -> None:
    rows = ["001,Detroit,2019-06-01,42.36,-83.10,homicide", "002,Detroit,2019-06-02,42.37,-83.11,homicide"]
    import_file(incident_csv(tmp_path, rows, name="seed.csv"), incident_mapping(), store)


def test_duplicate_firearm_ids_in_one_file_are_rejected_not_overwritten(store, tmp_path) -> None:
    path = write(tmp_path, "guns.csv", "Gun,Make,Serial\nG-1,Glock,AAA\nG-1,Hi-Point,BBB\n")
    report = import_file(path, parse_mapping(FIREARMS_TOML, name="guns.toml"), store)
    assert report.rejected == 1
    (problem,) = report.rejects.to_dict("records")
    assert problem["row"] == 3 and problem["field"] == "firearm_id"
    assert "row 2 has the same id and was kept" in problem["reason"]
    firearms = store.load_frames().firearms
    assert firearms.set_index(S.FIREARM_ID).loc["G-1", S.MAKE] == "Glock"


def test_duplicate_evidence_ids_in_one_file_are_rejected_not_overwritten(store, tmp_path) -> None:
    _seed(store, tmp_path)
    path = write(tmp_path, "ev.csv", "Exhibit,Kind,Incident\nE-1,casing,001\nE-1,casing,002\n")
    report = import_file(path, parse_mapping(EVIDENCE_TOML, name="ev.toml"), store)
    assert report.rejected == 1
    assert report.rejects["row"].tolist() == [3]
    evidence = store.load_frames().evidence
    assert evidence.set_index(S.EVIDENCE_ID).loc["E-1", S.INCIDENT_ID] == "001"


def test_reimport_that_corrects_a_link_status_and_coordinates_is_stored(store, tmp_path) -> None:
    _seed(store, tmp_path)
    links = parse_mapping(LINKS_TOML, name="links.toml")
    import_file(write(tmp_path, "l1.csv", "A,B,Status,Lead\n001,002,lead,L-1\n"), links, store)
    import_file(write(tmp_path, "l2.csv", "A,B,Status,Lead\n001,002,hit,L-1\n"), links, store)
    corrected = ["001,Detroit,2019-06-01,42.40,-83.20,homicide"]
    import_file(incident_csv(tmp_path, corrected, name="fix.csv"), incident_mapping(), store)

    frames = store.load_frames()
    assert frames.links[S.STATUS].astype(str).tolist() == ["hit"]
    row = frames.incidents.set_index(S.INCIDENT_ID).loc["001"]
    assert (row[S.LATITUDE], row[S.LONGITUDE]) == (42.40, -83.20)


def test_time_zone_column_sets_the_local_date_of_a_city_outside_the_registry(store, tmp_path) -> None:
    mapping = parse_mapping(
        "kind = \"incidents\"\n[columns]\nincident_id = \"id\"\ncity = \"city\"\noccurred_at = \"when\"\n"
        "latitude = \"lat\"\nlongitude = \"lon\"\nincident_type = \"type\"\ntime_zone = \"tz\"\n",
        name="tz.toml",
    )
    # 20:00 in Honolulu on 1 June is 06:00 UTC on 2 June
    path = write(
        tmp_path, "hi.csv", "id,city,when,lat,lon,type,tz\nH-1,Hilo,2019-06-01 20:00,19.72,-155.08,homicide,"
        "Pacific/Honolulu\n",
    )
    report = import_file(path, mapping, store)
    assert report.rejected == 0
    frames = store.load_frames()
    # the instant is read in the row's zone (not UTC) and shown back at the wall-clock time the source gave
    assert frames.incidents[S.OCCURRED_AT].tolist() == [pd.Timestamp("2019-06-02 06:00", tz="UTC")]
    assert frames.incidents[S.LOCAL_TIME].tolist() == [pd.Timestamp("2019-06-01 20:00")]
    assert frames.incidents[S.LOCAL_DATE].tolist() == [pd.Timestamp("2019-06-01")]
    one_day = Filters(date_from=date(2019, 6, 1), date_to=date(2019, 6, 1))
    assert select(frames, one_day, today=date(2019, 12, 31)).incidents[S.INCIDENT_ID].tolist() == ["H-1"]


def _rejects(tmp_path, path, mapping_text: str) -> list[dict[str, str]]:
    mapping = write(tmp_path, "m.toml", mapping_text)
    out = tmp_path / "r.csv"
    main(["import", str(path), "--mapping", str(mapping), "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
          "--rejects", str(out)])
    with out.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_rejects_report_neutralises_every_formula_start(tmp_path) -> None:
    starts = ["=1+2", "@SUM(A1)", "+cmd", "-cmd"]  # the reader strips leading tab and CR
    lines = "".join(f'{n},Detroit,2019-06-01,42.36,-83.1,"{v}"\n' for n, v in enumerate(starts, start=1))
    path = write(tmp_path, "incidents.csv", "id,city,when,lat,lon,type\n" + lines)
    rows = _rejects(tmp_path, path, INCIDENT_MAPPING)
    values = {r["row"]: r["value"] for r in rows if r["field"] == "incident_type"}
    assert values == {str(n + 1): "'" + v for n, v in enumerate(starts, start=1)}


def test_rejects_writer_neutralises_tab_and_carriage_return_cells(tmp_path) -> None:
    report = pd.DataFrame(
        {"row": [2, 3], "field": ["\tfield", "note"], "value": ["\t=cmd", "\rcmd"],
         "reason": ["bad", "\rbad"], "severity": ["error", "error"]}
    )
    text = write_rejects(report, tmp_path / "r.csv").read_bytes().decode("utf-8")
    for cell in ("'\tfield", "'\t=cmd", "'\rcmd", "'\rbad"):
        assert cell in text, repr(cell)


def test_excel_rejects_report_row_numbers_match_the_spreadsheet(tmp_path) -> None:
    grid = pd.DataFrame(
        [
            ["1", "Detroit", "2019-06-01", "42.36", "-83.10", "homicide"],
            ["2", "Detroit", "2019-06-01", "0", "0", "homicide"],  # spreadsheet row 3
            ["3", "Detroit", "2019-06-01", "42.36", "-83.10", "homicide"],
            ["4", "Detroit", "2019-06-01", "95", "-83.10", "homicide"],  # spreadsheet row 5
        ],
        columns=["id", "city", "when", "lat", "lon", "type"],
    )
    path = tmp_path / "incidents.xlsx"
    grid.to_excel(path, index=False)
    rows = _rejects(tmp_path, path, INCIDENT_MAPPING)
    assert sorted({int(r["row"]) for r in rows}) == [3, 5]
