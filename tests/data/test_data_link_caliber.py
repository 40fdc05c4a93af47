"""Lead reports carry calibre: a "Caliber" column on links is stored, checked and feeds the filter."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data import schema as S
from data.importer import import_file, read_validated
from data.mapping import load_mapping, parse_mapping
from data.recognise import recognise_preset
from data.store import Store
from linking.exports import export_selection
from linking.filters import Filters
from linking.selection import select
from tests.data.conftest import incident_csv, incident_mapping, write

PRESETS = Path(__file__).resolve().parents[2] / "data" / "presets"
LEAD_REPORT = parse_mapping(
    """
kind = "links"
[columns]
lead_number = "Lead #"
incident_a = "Case 1"
incident_b = "Case 2"
status = "Result"
caliber = "Caliber"
[values.status]
"Lead" = "lead"
"HIT" = "hit"
""",
    name="lead_report.toml",
)
EVIDENCE = parse_mapping(
    """
kind = "evidence"
[columns]
evidence_id = "exhibit"
evidence_kind = "kind"
incident_id = "incident"
caliber = "caliber"
""",
    name="evidence.toml",
)


def _seed(store: Store, tmp_path: Path) -> None:
    rows = [f"00{n},Detroit,2019-06-0{n},42.36,-83.10,non_fatal_shooting" for n in range(1, 7)]
    import_file(incident_csv(tmp_path, rows, name="seed.csv"), incident_mapping(), store)
    casings = "exhibit,kind,incident,caliber\nE1,casing,001,9mm Luger\nE2,casing,005,.40 S&W\n"
    import_file(write(tmp_path, "evidence.csv", casings), EVIDENCE, store)


def _report(tmp_path: Path, rows: list[str]) -> Path:
    header = "Lead #,Case 1,Case 2,Result,Caliber\n"
    return write(tmp_path, "lead_report.csv", header + "\n".join(rows) + "\n")


def test_a_lead_reports_caliber_is_stored_and_drives_the_caliber_filter(store, tmp_path):
    _seed(store, tmp_path)
    report = _report(
        tmp_path,
        [
            "L-1,001,002,Lead,9MM  LUGER",  # 002 has no casing: takes 9mm Luger, spelt as the casing of 001
            "L-2,003,004,HIT,.45 ACP",  # neither has a casing: both .45 ACP
            "L-3,005,006,Lead,.45 ACP",  # 005's casing says .40 S&W: the casing wins; 006 takes .45 ACP
        ],
    )
    outcome = import_file(report, LEAD_REPORT, store)
    assert (outcome.stored, outcome.rejected) == (3, 0)
    stored = store.read_table(S.LINKS).set_index(S.LINK_ID)[S.CALIBER].to_dict()
    assert stored == {"001~002": "9MM LUGER", "003~004": ".45 ACP", "005~006": ".45 ACP"}

    frames = store.load_frames(use_snapshot=False)
    by_incident = frames.incidents.set_index(S.INCIDENT_ID)[S.CALIBER].to_dict()
    assert by_incident == {
        "001": "9mm Luger", "002": "9mm Luger", "003": ".45 ACP", "004": ".45 ACP",
        "005": ".40 S&W", "006": ".45 ACP",
    }  # fmt: skip
    chosen = select(frames, Filters(calibers=(".45 ACP",), cut_to_window=True), today=date(2019, 12, 31))
    assert sorted(chosen.incidents[S.INCIDENT_ID]) == ["003", "004", "006"]


def test_a_store_whose_only_calibres_come_from_a_lead_report_loads(store, tmp_path):
    """No evidence file at all: the lead report's calibres are the incidents' (the load used to stop)."""
    rows = [f"00{n},Detroit,2019-06-0{n},42.36,-83.10,non_fatal_shooting" for n in range(1, 5)]
    import_file(incident_csv(tmp_path, rows, name="seed.csv"), incident_mapping(), store)
    report = _report(tmp_path, ["L-1,001,002,Lead,9MM LUGER", "L-2,002,003,HIT,.45 ACP"])
    import_file(report, LEAD_REPORT, store)
    frames = store.load_frames(use_snapshot=False)
    assert frames.incidents.set_index(S.INCIDENT_ID)[S.CALIBER].to_dict() == {
        "001": "9MM LUGER", "002": ".45 ACP", "003": ".45 ACP", "004": S.UNKNOWN_CALIBER,
    }  # fmt: skip  (002 ties between its two links: the alphabetically first)


def test_exports_carry_the_links_caliber(store, tmp_path):
    _seed(store, tmp_path)
    import_file(_report(tmp_path, ["L-2,003,004,HIT,.45 ACP"]), LEAD_REPORT, store)
    selection = select(store.load_frames(use_snapshot=False), Filters(), today=date(2019, 12, 31))
    bundle = zipfile.ZipFile(io.BytesIO(export_selection("csv", selection)))
    edges = pd.read_csv(io.BytesIO(bundle.read("edges.csv")), dtype=str)
    assert edges[["incident_a", "incident_b", "calibers"]].values.tolist() == [["003", "004", ".45 ACP"]]


def test_bad_calibers_are_rejected_with_the_fix_and_placeholders_mean_unknown(store, tmp_path):
    _seed(store, tmp_path)
    report = _report(
        tmp_path,
        [
            "L-1,001,002,Lead,Unknown",  # row 2: kept, caliber empty
            "L-2,001,003,Lead,Glock",  # row 3: no size
            "L-3,001,004,Lead,06/01/2019",  # row 4: a date
            "L-4,001,005,Lead,20190601",  # row 5: an id-like number
            "L-5,001,006,Lead," + "9mm " * 11,  # row 6: too long
            "L-6,002,003,Lead,N/A",  # row 7: kept, caliber empty
            "L-7,002,004,Lead,.380 ACP",  # row 8: kept
        ],
    )
    batch = read_validated(report, LEAD_REPORT, store=store)
    kept = batch.records[S.LINKS].set_index(S.LEAD_NUMBER)[S.CALIBER]
    assert kept.isna().tolist() == [True, True, False] and kept.index.tolist() == ["L-1", "L-6", "L-7"]
    assert kept["L-7"] == ".380 ACP"
    rejects = batch.rejects.set_index("row")
    assert rejects.index.tolist() == [3, 4, 5, 6]
    assert set(rejects["field"]) == {"caliber"} and set(rejects["severity"]) == {"error"}
    assert rejects.loc[3, "value"] == "Glock"
    assert rejects.loc[3, "reason"].startswith("not a caliber: it names no size")
    assert rejects.loc[4, "reason"].startswith("a date, not a caliber")
    assert rejects.loc[5, "reason"].startswith("a number of 4 or more digits, not a caliber")
    assert rejects.loc[6, "reason"].startswith("too long for a caliber")
    assert all("leave the cell empty (source column 'Caliber')" in r for r in rejects["reason"])


def test_merged_rows_keep_the_first_caliber_given(store, tmp_path):
    _seed(store, tmp_path)
    report = _report(tmp_path, ["L-1,001,002,Lead,", "L-1,002,001,HIT,9mm Luger", "L-1,001,002,HIT,.40 S&W"])
    links = read_validated(report, LEAD_REPORT, store=store).records[S.LINKS]
    assert links[[S.STATUS, S.CALIBER]].values.tolist() == [["hit", "9mm Luger"]]


def test_the_brassmap_links_preset_reads_a_caliber_column(store, tmp_path):
    _seed(store, tmp_path)
    preset = load_mapping(PRESETS / "brassmap_links.toml")
    header = ["link_id", "incident_a", "incident_b", "status", "caliber"]
    path = write(tmp_path, "links.csv", ",".join(header) + "\nL-9,003,004,lead,.45 ACP\n")
    found = recognise_preset(header, {"links": preset})
    assert found.chosen == "links" and found.used_columns == 5
    import_file(path, preset, store)
    assert store.read_table(S.LINKS)[S.CALIBER].tolist() == [".45 ACP"]


def test_a_store_at_revision_0004_is_upgraded_to_links_with_a_caliber_keeping_its_rows(tmp_path, capsys):
    from data.__main__ import main as data_cli
    from data.errors import OutdatedStoreError

    path = tmp_path / "old.sqlite"
    store = Store(f"sqlite:///{path}")
    _seed(store, tmp_path)
    import_file(_report(tmp_path, ["L-1,001,002,Lead,"]), LEAD_REPORT, store)
    store.engine.dispose()
    with sqlite3.connect(path) as connection:  # what revision 0004 wrote: no links.caliber
        connection.execute("ALTER TABLE links DROP COLUMN caliber")
        connection.execute("UPDATE alembic_version SET version_num = '0004'")
    with pytest.raises(OutdatedStoreError, match="python -m data db upgrade"):
        Store(f"sqlite:///{path}")

    assert data_cli(["db", "upgrade", "--db", f"sqlite:///{path}"]) == 0
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(links)")]
    assert "caliber" in columns
    reopened = Store(f"sqlite:///{path}")
    assert reopened.count(S.LINKS) == 1 and reopened.count(S.INCIDENTS) == 6
    import_file(_report(tmp_path, ["L-2,003,004,Lead,.45 ACP"]), LEAD_REPORT, reopened)
    frames = reopened.load_frames(use_snapshot=False)
    calibers = frames.links.set_index(S.LINK_ID)[S.CALIBER].fillna("").to_dict()
    assert calibers == {"001~002": "", "003~004": ".45 ACP"}


@pytest.mark.parametrize("text", ["Unknown", "unk", "-", "unknown/other"])
def test_placeholders_leave_the_casing_caliber_in_charge(store, tmp_path, text):
    _seed(store, tmp_path)
    import_file(_report(tmp_path, [f"L-1,005,006,Lead,{text}"]), LEAD_REPORT, store)
    frames = store.load_frames(use_snapshot=False)
    assert frames.incidents.set_index(S.INCIDENT_ID)[S.CALIBER].loc[["005", "006"]].tolist() == [
        ".40 S&W", S.UNKNOWN_CALIBER,
    ]  # fmt: skip


def test_a_lead_reports_caliber_counts_as_a_known_caliber_in_triage(store, tmp_path):
    from data.lead_events import read_events
    from linking.leads import lead_table
    from linking.registry import stable_series
    from linking.triage import TRIAGE_WEIGHTS, lead_queue

    _seed(store, tmp_path)  # 002, 003, 004 and 006 have no casing
    import_file(_report(tmp_path, ["L-2,003,004,Lead,.45 ACP", "L-5,002,006,Lead,"]), LEAD_REPORT, store)
    frames = stable_series(store, store.load_frames(use_snapshot=False))
    today = date(2019, 6, 30)
    queue = lead_queue(frames, lead_table(frames, read_events(store), today=today), today=today)
    known = {row[S.LEAD_NUMBER]: row[S.SCORE_COMPONENTS]["solvability"]["known_caliber"]
             for row in queue.to_dict(orient="records")}  # fmt: skip
    assert known == {"L-2": TRIAGE_WEIGHTS.known_caliber, "L-5": 0}
