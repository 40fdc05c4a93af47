"""Hostile values inside otherwise good files (issue 10, items 1 and 2): the row is rejected with a
reason, the rest is imported, and nothing stops with a traceback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data import schema as S
from data.__main__ import main
from data.errors import AllRowsRejectedError
from data.importer import import_file
from data.mapping import parse_mapping
from data.store import Store
from tests.data.conftest import incident_csv, incident_mapping, write

OUT_OF_RANGE = ("3000-01-01", "9999-12-31", "2262-04-12", "1500-01-01")
LATE_REASON = "impossible date: after 2262-04-10 (the latest date brassmap can store); check the source"
EARLY_REASON = "impossible date: before 1900"


def _errors(report: pd.DataFrame) -> list[tuple[int, str, str, str]]:
    errors = report[report[S.REJECT_SEVERITY] == "error"]
    return [
        (int(r[S.REJECT_ROW]), str(r[S.REJECT_FIELD]), str(r[S.REJECT_VALUE]), str(r[S.REJECT_REASON]))
        for _, r in errors.iterrows()
    ]


def _expected_reason(value: str) -> str:
    return EARLY_REASON if value.startswith("1500") else LATE_REASON


# ---------------------------------------------------------------- item 1: control characters in ids


def test_ids_with_control_characters_are_rejected_with_a_reason(store: Store, tmp_path: Path) -> None:
    path = incident_csv(
        tmp_path,
        [
            "DET\x01-1,Detroit,2019-06-01,42.36,-83.10,homicide",
            "DET-2,Detroit,2019-06-02,42.36,-83.10,homicide",
            "DET\x1b-3,Detroit,2019-06-03,42.36,-83.10,homicide",
        ],
    )
    report = import_file(path, incident_mapping(), store)
    assert _errors(report.rejects) == [
        (2, S.INCIDENT_ID, "DET<U+0001>-1",
         "id holds a control character (U+0001), which exports cannot carry; remove it from the source"),
        (4, S.INCIDENT_ID, "DET<U+001B>-3",
         "id holds a control character (U+001B), which exports cannot carry; remove it from the source"),
    ]
    assert list(store.ids(S.INCIDENTS)) == ["DET-2"]

    links = write(tmp_path, "links.csv", "a,b,status\nDET-2,X\x02Y,lead\n")
    toml = 'kind = "links"\n[columns]\nincident_a = "a"\nincident_b = "b"\nstatus = "status"\n'
    mapping = parse_mapping(toml)
    reason = r"most common reason: 'id holds a control character \(U\+0002\)"
    with pytest.raises(AllRowsRejectedError, match=reason):
        import_file(links, mapping, store)


# ---------------------------------------------------------------- item 2: dates outside the storable range

KINDS_AND_DATES = {
    S.INCIDENTS: (S.OCCURRED_AT,),
    S.EVIDENCE: (S.ENTERED_AT,),
    S.FIREARMS: (S.RECOVERED_AT,),
    S.LINKS: (S.LEAD_DATE, S.CONFIRMED_DATE),
}


def _seeded(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'dates.sqlite'}")
    rows = [f"I{n},Detroit,2019-06-0{n},42.36,-83.10,homicide" for n in range(1, 6)]
    import_file(incident_csv(tmp_path, rows, name="seed.csv"), incident_mapping(), store)
    firearms = write(tmp_path, "seed_guns.csv", "id\nF1\n")
    import_file(firearms, parse_mapping('kind = "firearms"\n[columns]\nfirearm_id = "id"\n'), store)
    return store


def _file_for(kind: str, field: str, values: list[str], tmp_path: Path, fmt: str) -> tuple[Path, str]:
    """A file of ``kind`` whose ``field`` takes each of ``values`` (then one good row), and its mapping."""
    formats = f'[formats]\n{field} = "{fmt}"\n' if fmt else ""
    good = "2019-07-01"
    if kind == S.INCIDENTS:
        rows = [f"N{n},Detroit,{v},42.36,-83.10,homicide" for n, v in enumerate([*values, good])]
        return incident_csv(tmp_path, rows, name="dates.csv"), incident_csv_mapping(formats)
    if kind == S.EVIDENCE:
        text = "id,kind,incident,when\n" + "".join(
            f"E{n},casing,I1,{v}\n" for n, v in enumerate([*values, good])
        )
        toml = 'kind = "evidence"\n[columns]\nevidence_id = "id"\nevidence_kind = "kind"\n'
        toml += 'incident_id = "incident"\nentered_at = "when"\n'
        return write(tmp_path, "dates.csv", text), toml + formats
    if kind == S.FIREARMS:
        text = "id,city,when\n" + "".join(f"G{n},Detroit,{v}\n" for n, v in enumerate([*values, good]))
        toml = 'kind = "firearms"\n[columns]\nfirearm_id = "id"\ncity = "city"\nrecovered_at = "when"\n'
        return write(tmp_path, "dates.csv", text), toml + formats
    pairs = [("I1", "I2"), ("I1", "I3"), ("I1", "I4"), ("I1", "I5"), ("I2", "I3")]
    other = S.CONFIRMED_DATE if field == S.LEAD_DATE else S.LEAD_DATE
    text = "a,b,status,when,other\n" + "".join(
        f"{a},{b},hit,{v},2019-07-01\n" for (a, b), v in zip(pairs, [*values, good], strict=True)
    )
    toml = 'kind = "links"\n[columns]\nincident_a = "a"\nincident_b = "b"\nstatus = "status"\n'
    toml += f'{field} = "when"\n{other} = "other"\n'
    return write(tmp_path, "dates.csv", text), toml + formats


def incident_csv_mapping(formats: str) -> str:
    return (
        'kind = "incidents"\n[columns]\nincident_id = "id"\ncity = "city"\noccurred_at = "when"\n'
        'latitude = "lat"\nlongitude = "lon"\nincident_type = "type"\n' + formats
    )


@pytest.mark.parametrize("fmt", ["", "%Y-%m-%d", "iso"])
@pytest.mark.parametrize(
    ("kind", "field"), [(kind, field) for kind, fields in KINDS_AND_DATES.items() for field in fields]
)
def test_dates_outside_the_storable_range_reject_the_row_and_keep_the_rest(
    tmp_path: Path, kind: str, field: str, fmt: str
) -> None:
    store = _seeded(tmp_path)
    path, toml = _file_for(kind, field, list(OUT_OF_RANGE), tmp_path, fmt)
    report = import_file(path, parse_mapping(toml, name="dates.toml"), store)
    assert _errors(report.rejects) == [
        (row, field, value, _expected_reason(value)) for row, value in enumerate(OUT_OF_RANGE, start=2)
    ]
    assert (report.read, report.stored, report.rejected) == (5, 1, 4)
    stored = store.read_table(kind)
    assert stored[field].notna().sum() >= 1


def test_excel_serial_dates_beyond_2262_are_rejected(tmp_path: Path) -> None:
    store = _seeded(tmp_path)
    # 401769 is 3000-01-01, 2958465 is 9999-12-31; 43647 is 2019-07-01
    path = incident_csv(
        tmp_path,
        ["X1,Detroit,401769,42.36,-83.10,homicide", "X2,Detroit,2958465,42.36,-83.10,homicide",
         "X3,Detroit,43647,42.36,-83.10,homicide"],
        name="excel.csv",
    )
    mapping = parse_mapping(incident_csv_mapping('[formats]\noccurred_at = "excel"\n'))
    report = import_file(path, mapping, store)
    assert _errors(report.rejects) == [
        (2, S.OCCURRED_AT, "401769", LATE_REASON),
        (3, S.OCCURRED_AT, "2958465", LATE_REASON),
    ]
    assert report.stored == 1


def test_the_cli_prints_no_traceback_for_a_year_3000_date(tmp_path: Path, capsys) -> None:
    mapping = write(tmp_path, "m.toml", incident_csv_mapping(""))
    path = incident_csv(
        tmp_path, ["1,Detroit,3000-01-01,42.36,-83.10,homicide", "2,Detroit,2019-07-01,42.36,-83.10,homicide"]
    )
    rejects = tmp_path / "rejects.csv"
    code = main(["import", str(path), "--mapping", str(mapping), "--db", f"sqlite:///{tmp_path / 'c.sqlite'}",
                 "--rejects", str(rejects)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Traceback" not in out.err + out.out
    assert "stored 1" in out.out and "rejected 1" in out.out
    assert "after 2262-04-10" in rejects.read_text(encoding="utf-8")
