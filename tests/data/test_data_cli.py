"""The command line: summaries, rejects reports, exit codes, no tracebacks."""

from __future__ import annotations

import csv

import pytest

from data.__main__ import main
from tests.data.conftest import INCIDENT_MAPPING, incident_csv, write


@pytest.fixture
def mapping_file(tmp_path):
    return write(tmp_path, "map.toml", INCIDENT_MAPPING)


def test_import_prints_summary_and_writes_rejects(tmp_path, mapping_file, capsys):
    path = incident_csv(
        tmp_path,
        [
            "1,Detroit,2019-06-01,42.36,-83.10,homicide",
            "2,Detroit,2019-06-01,0,0,homicide",
            "3,Detroit,2019-06-01,=1+2,-83.1,homicide",
        ],
    )
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    code = main(
        [
            "import",
            str(path),
            "--mapping",
            str(mapping_file),
            "--db",
            db,
            "--rejects",
            str(tmp_path / "r.csv"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "incidents.csv: read 3 rows, stored 1, rejected 2, warnings 0" in out
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["row", "field", "value", "reason", "severity"]
    assert [r["row"] for r in rows] == ["3", "4"]
    assert rows[1]["value"] == "'=1+2, -83.1"  # formula cells neutralised


def test_every_row_rejected_exits_1_with_message(tmp_path, mapping_file, capsys):
    path = incident_csv(
        tmp_path, ["1,Baltimore,2019-06-01,0,0,homicide", "2,Baltimore,2019-06-02,0,0,homicide"]
    )
    code = main(
        [
            "import",
            str(path),
            "--mapping",
            str(mapping_file),
            "--db",
            f"sqlite:///{tmp_path / 'c.sqlite'}",
            "--rejects",
            str(tmp_path / "r.csv"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "error: incidents.csv: every one of the 2 rows was rejected" in err
    assert "Traceback" not in err
    assert (tmp_path / "r.csv").read_text().count("null island") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "missing.csv", "--mapping", "{map}"], "missing.csv: file not found"),
        (["import", "{csv}", "--mapping", "nope.toml"], "mapping file nope.toml not found"),
    ],
)
def test_user_errors_exit_1_without_traceback(tmp_path, mapping_file, capsys, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    csv_path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,42.36,-83.10,homicide"])
    args = [a.format(map=mapping_file, csv=csv_path) for a in args] + [
        "--db",
        f"sqlite:///{tmp_path / 'c.sqlite'}",
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["import", "x.csv"])
    assert info.value.code == 2
    assert "--mapping" in capsys.readouterr().err


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "import" in out and "demo" in out and "BRASSMAP_DB" in out


def test_demo_if_empty_leaves_a_filled_store_alone(tmp_path, mapping_file, capsys):
    db = f"sqlite:///{tmp_path / 'c.sqlite'}"
    path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,42.36,-83.10,homicide"])
    assert main(["import", str(path), "--mapping", str(mapping_file), "--db", db]) == 0
    assert main(["demo", "--db", db, "--if-empty"]) == 0
    assert "already holds data; nothing to do" in capsys.readouterr().out


def test_demo_fills_a_synthetic_store(tmp_path, capsys):
    from data.store import Store

    db = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    assert main(["demo", "--db", db, "--seed", "3", "--incidents", "300"]) == 0
    assert "(synthetic)" in capsys.readouterr().out
    frames = Store(db).load_frames()
    assert len(frames.incidents) == 300 and frames.is_synthetic
    assert frames.incidents["is_synthetic"].all()


def test_dry_run_stores_nothing(tmp_path, mapping_file, capsys):
    from data.store import Store

    db = f"sqlite:///{tmp_path / 'dry.sqlite'}"
    path = incident_csv(tmp_path, ["1,Detroit,2019-06-01,42.36,-83.10,homicide"])
    assert main(["import", str(path), "--mapping", str(mapping_file), "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "read 1 rows, stored 1, rejected 0" in out and "dry run: nothing stored" in out
    assert Store(db).is_empty()
