"""Files that are valid but unusual, and files that are broken (issue 10, items 5 and 6): the first are
read, the second give one clear line naming the file and exit 1, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from data import schema as S
from data.importer import read_validated
from data.mapping import parse_mapping
from tests.data.conftest import HEADER, incident_mapping, write

ROOT = Path(__file__).resolve().parents[2]
MAPPING = (
    'kind = "incidents"\n[columns]\nincident_id = "id"\ncity = "city"\noccurred_at = "when"\n'
    'latitude = "lat"\nlongitude = "lon"\nincident_type = "type"\nnarrative = "story"\n'
)
ROWS = ["1,Detroit,2019-06-01,42.36,-83.10,homicide", "2,Detroit,2019-06-02,42.37,-83.11,shots_fired"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_a_quoted_field_longer_than_131072_characters_is_read(tmp_path: Path) -> None:
    story = "He said, \"run\".\n" * 20_000  # 320,000 characters with quotes and line breaks inside
    quoted = '"' + story.replace('"', '""') + '"'
    text = "id,city,when,lat,lon,type,story\n" + f"1,Detroit,2019-06-01,42.36,-83.10,homicide,{quoted}\n"
    text += "2,Detroit,2019-06-02,42.37,-83.11,shots_fired,short\n"
    path = write(tmp_path, "long.csv", text)
    batch = read_validated(path, parse_mapping(MAPPING))
    incidents = batch.records[S.INCIDENTS]
    assert incidents[S.INCIDENT_ID].tolist() == ["1", "2"]
    assert incidents[S.NARRATIVE].iloc[0] == story.strip()
    assert incidents[S.REJECT_ROW].tolist() == [2, 3]


def test_cr_only_line_endings_are_read_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    """Excel's "CSV (Macintosh)" ends lines with CR alone."""
    rows = [*ROWS, "3,Detroit,not a date,42.36,-83.10,homicide"]
    text = HEADER.replace("\n", "\r") + "\r".join(rows) + "\r"
    path = tmp_path / "mac.csv"
    path.write_bytes(text.encode("utf-8"))
    batch = read_validated(path, incident_mapping())
    assert batch.records[S.INCIDENTS][S.INCIDENT_ID].tolist() == ["1", "2"]
    assert batch.rejects[S.REJECT_ROW].tolist() == [4]


def test_utf16_with_bom_is_read_and_a_declared_utf16_is_honoured(tmp_path: Path) -> None:
    text = HEADER.replace(",", "\t") + "".join(r.replace(",", "\t") + "\n" for r in ROWS)
    text = text.replace("Detroit", "Détroit").replace("Détroit", "Detroit", 1)
    bom = tmp_path / "unicode.txt"
    bom.write_bytes(text.encode("utf-16"))  # Excel's "Unicode Text": BOM + UTF-16LE, tab-separated
    assert bom.read_bytes()[:2] == b"\xff\xfe"
    batch = read_validated(bom, incident_mapping())
    assert batch.records[S.INCIDENTS][S.CITY].tolist() == ["Detroit", "Détroit"]
    assert batch.notices == []

    no_bom = tmp_path / "declared.csv"
    no_bom.write_bytes((HEADER + "".join(r + "\n" for r in ROWS)).encode("utf-16-le"))
    batch = read_validated(no_bom, incident_mapping('[csv]\nencoding = "utf-16-le"\n'))
    assert batch.records[S.INCIDENTS][S.INCIDENT_ID].tolist() == ["1", "2"]
    batch = read_validated(bom, incident_mapping('[csv]\nencoding = "utf-16"\ndelimiter = "\\t"\n'))
    assert batch.records[S.INCIDENTS][S.INCIDENT_ID].tolist() == ["1", "2"]


def test_a_corrupt_parquet_file_is_one_line_naming_the_file_and_exit_1(tmp_path: Path) -> None:
    import pandas as pd

    good = tmp_path / "good.parquet"
    pd.DataFrame({"id": ["1"], "city": ["Detroit"]}).to_parquet(good)
    data = good.read_bytes()
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(data[:8] + b"\x00" * 40 + data[48:-12] + b"garbage!PAR1")
    mapping = write(tmp_path, "m.toml", MAPPING)
    result = _cli("import", str(broken), "--mapping", str(mapping), "--db",
                  f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "broken.parquet: cannot be read as Parquet" in lines[0]
    assert "corrupt or truncated" in lines[0]
