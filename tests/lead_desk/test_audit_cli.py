"""``python -m linking`` leaves its trace: exports (with SHA-256), bulletins, lead events, searches, views.

Each record names the OS user, or ``--as NAME``; the hashes are computed here from the files written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from data import audit
from data.access import os_user_name
from data.store import Store
from linking.cli import main


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def records(url: str) -> list[audit.AuditRecord]:
    return list(audit.iter_records(Store(url)))


@pytest.mark.parametrize("export_format", ["csv", "graphml", "geojson"])
def test_an_export_record_holds_the_files_sha256_and_counts(desk_url, tmp_path, capsys, export_format):
    out = tmp_path / f"series.{export_format}"
    before = len(records(desk_url))
    assert main(["export", "--format", export_format, "--out", str(out), "--db", desk_url,
                 "--city", "Detroit", "--as", "A. Analyst"]) == 0  # fmt: skip
    capsys.readouterr()
    (record,) = records(desk_url)[before:]
    assert (record.action, record.user_name) == ("export", "A. Analyst")
    details = record.detail
    assert details["sha256"] == sha256(out) and details["bytes"] == out.stat().st_size
    assert details["format"] == export_format and details["file_name"] == out.name
    assert details["filter"].startswith("cities: Detroit") and details["filter_values"]["cities"] == "Detroit"
    assert details["rows"]["incidents"] >= 1 and details["include_sensitive"] is False
    assert details["os_user"] == os_user_name() and details["via"] == "command line"
    assert audit.verify(Store(desk_url)).ok


def test_a_bulletin_record_holds_the_pdfs_sha256(desk_url, tmp_path, capsys):
    out = tmp_path / "b.pdf"
    assert main(["bulletin", "--series", "S-D1", "--out", str(out), "--db", desk_url]) == 0
    printed = capsys.readouterr().out.split()[0]
    record = records(desk_url)[-1]
    assert (record.action, record.user_name) == ("bulletin", os_user_name())
    assert record.detail["sha256"] == sha256(out) == printed and record.detail["series_id"] == "S-D1"
    assert "os_user" not in record.detail


def test_a_lead_event_a_search_and_views_are_recorded(desk_url, capsys):
    before = len(records(desk_url))
    assert main(["lead", "set", "N-2", "--event", "disseminated", "--to", "Memphis PD", "--db", desk_url,
                 "--as", "jdoe"]) == 0  # fmt: skip
    assert main(["find", "N-3", "--db", desk_url, "--as", "jdoe"]) == 0
    assert main(["series", "--db", desk_url, "--city", "Memphis", "--as", "jdoe"]) == 0
    assert main(["lead", "show", "N-2", "--db", desk_url, "--as", "jdoe"]) == 0
    capsys.readouterr()
    event, search, series, show = records(desk_url)[before:]
    assert all(r.user_name == "jdoe" for r in (event, search, series, show))
    assert event.action == "lead_event" and event.detail["event"] == "disseminated"
    assert event.detail["to"] == "Memphis PD" and event.detail["link_ids"] == ["L2"]
    assert search.action == "search" and search.detail["text"] == "N-3" and search.detail["matches"] >= 1
    assert search.detail["opened"]["value"] == "N-3"
    assert (series.action, series.detail["command"]) == ("view", "series")
    assert series.detail["filter"].startswith("cities: Memphis")
    assert (show.action, show.detail["command"], show.detail["lead"]) == ("view", "lead", "N-2")


def test_a_refused_command_records_nothing(desk_url, tmp_path, capsys):
    before = len(records(desk_url))
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv"), "--db", desk_url]) != 0
    capsys.readouterr()
    assert len(records(desk_url)) == before
