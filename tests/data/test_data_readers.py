"""Reading files: content sniffing, delimiters, encodings, ragged rows, duplicate columns, Excel, Parquet."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from data.archives import sniff_format
from data.errors import IngestError, UnsupportedFormatError
from data.importer import read_validated
from tests.data.conftest import HEADER, incident_csv, incident_mapping, write

ROW = "{id},Detroit,2019-06-01T21:30,42.36,-83.10,homicide"


def test_sniffing_ignores_the_extension(tmp_path):
    csv_named_xlsx = write(tmp_path, "upload.xlsx", HEADER + ROW.format(id=1) + "\n")
    assert sniff_format(csv_named_xlsx) == "csv"
    gz = tmp_path / "x.csv"
    gz.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert sniff_format(gz) == "gzip"
    pdf = tmp_path / "report.csv"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    with pytest.raises(UnsupportedFormatError, match=r"report\.csv: binary content that is not a supported"):
        sniff_format(pdf)


def test_ids_keep_leading_zeros_and_lose_spaces(tmp_path):
    path = incident_csv(tmp_path, [ROW.format(id="00123"), ROW.format(id="  0042 ")])
    batch = read_validated(path, incident_mapping())
    assert batch.records["incidents"]["incident_id"].tolist() == ["00123", "0042"]


def test_semicolon_delimiter_is_sniffed(tmp_path):
    text = HEADER.replace(",", ";") + ROW.format(id=7).replace(",", ";") + "\n"
    batch = read_validated(write(tmp_path, "semi.csv", text), incident_mapping())
    assert batch.rows_stored == 1


def test_gzip_csv_reads(tmp_path):
    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress((HEADER + ROW.format(id=1) + "\n").encode()))
    assert read_validated(path, incident_mapping()).rows_stored == 1


def test_cp1252_fallback_is_reported(tmp_path):
    text = (
        "id,city,when,lat,lon,type,address\n1,Detroit,2019-06-01,42.36,-83.10,homicide,Caf\u00e9 Ren\u00e9\n"
    )
    path = write(tmp_path, "win.csv", text, encoding="cp1252")
    batch = read_validated(path, incident_mapping('address = "address"\n'))
    assert batch.records["incidents"]["address"].tolist() == ["Caf\u00e9 Ren\u00e9"]
    notice = batch.rejects[batch.rejects["row"] == 0]
    assert notice["severity"].tolist() == ["warning"]
    assert (
        "is not valid UTF-8" in notice["reason"].iloc[0] and "decoded as cp1252" in notice["reason"].iloc[0]
    )
    assert "decoded as cp1252" in "\n".join(batch.notices)


def test_declared_encoding_that_fails_is_an_error(tmp_path):
    path = write(
        tmp_path, "win.csv", HEADER + "1,D\u00e9troit,2019-06-01,42.3,-83.1,homicide\n", encoding="cp1252"
    )
    with pytest.raises(IngestError, match=r"win.csv: byte \d+ is not valid utf-8"):
        read_validated(path, incident_mapping('[csv]\nencoding = "utf-8"\n'))


def test_ragged_rows_name_the_row(tmp_path):
    path = incident_csv(
        tmp_path, [ROW.format(id=1), "2,Detroit,2019-06-01,42.3", ROW.format(id=3) + ",extra"]
    )
    with pytest.raises(IngestError) as info:
        read_validated(path, incident_mapping())
    message = str(info.value)
    assert "the header has 6 columns but row 3 has 4 fields; row 4 has 7 fields" in message


def test_duplicate_column_names_are_an_error(tmp_path):
    path = write(tmp_path, "dup.csv", "id,city,when,lat,lat,type\n1,Detroit,2019-06-01,42.3,-83.1,homicide\n")
    with pytest.raises(IngestError, match=r"column 'lat' appears twice \(columns 4 and 5\)"):
        read_validated(path, incident_mapping())


def test_missing_source_column_suggests_the_close_one(tmp_path):
    path = write(tmp_path, "x.csv", "id,city,when,lat,long,type\n1,Detroit,2019-06-01,42.3,-83.1,homicide\n")
    with pytest.raises(
        IngestError, match=r"maps longitude to column 'lon', which is not in the file. Did you mean"
    ):
        read_validated(path, incident_mapping())


def test_excel_and_parquet(tmp_path):
    frame = pd.DataFrame(
        {
            "id": ["007", "008"],
            "city": ["Memphis", "Memphis"],
            "when": [43617, 43618],
            "lat": [35.12, 35.13],
            "lon": [-89.97, -89.96],
            "type": ["homicide", "shots_fired"],
        }
    )
    xlsx = tmp_path / "book.xlsx"
    frame.to_excel(xlsx, index=False)
    mapping = incident_mapping('[formats]\noccurred_at = "excel"\n')
    batch = read_validated(xlsx, mapping)
    incidents = batch.records["incidents"]
    assert incidents["incident_id"].tolist() == ["007", "008"]
    # Excel serial 43617 is 2019-06-01; read as local midnight in Memphis (UTC-5 in summer)
    assert str(incidents["occurred_at"].iloc[0]) == "2019-06-01 05:00:00+00:00"
    assert batch.rows_stored == 2
    parquet = tmp_path / "t.parquet"
    frame.to_parquet(parquet)
    assert read_validated(parquet, mapping).records["incidents"]["incident_id"].tolist() == ["007", "008"]


def test_billion_laughs_workbook_is_one_clear_error(tmp_path):
    import zipfile

    good = tmp_path / "good.xlsx"
    pd.DataFrame({"id": ["1"], "city": ["Detroit"]}).to_excel(good, index=False)
    bomb = tmp_path / "bomb.xlsx"
    dtd = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = dtd + data.replace(b"<t>id</t>", b"<t>&lol2;</t>")
            target.writestr(name, data)
    with pytest.raises(IngestError) as info:
        read_validated(bomb, incident_mapping(), display_name="upload.xlsx")
    message = str(info.value)
    assert message.startswith("upload.xlsx: the workbook cannot be read: its XML is invalid or unsafe")
    assert str(tmp_path) not in message


def test_unknown_sheet_named(tmp_path):
    book = tmp_path / "book.xlsx"
    pd.DataFrame({"id": ["1"]}).to_excel(book, index=False)
    with pytest.raises(IngestError, match=r"book\.xlsx: no sheet 'Leads'"):
        read_validated(book, incident_mapping('[options]\nsheet = "Leads"\n'))


def test_upload_name_is_never_used_as_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    upload = incident_csv(tmp_path, [ROW.format(id=1)], name="tmp_upload_123")
    batch = read_validated(upload, incident_mapping(), display_name="../../x.csv")
    assert batch.file_name == "../../x.csv" and batch.rows_stored == 1
    assert not (tmp_path.parent.parent / "x.csv").exists()
    with pytest.raises(IngestError, match=r"^\.\./\.\./x\.csv: ragged rows"):
        read_validated(
            write(tmp_path, "u2", HEADER + "1,2\n"), incident_mapping(), display_name="../../x.csv"
        )


@pytest.mark.parametrize("quoted", [False, True], ids=["fast path", "csv module"])
def test_row_numbers_and_ragged_rows_agree_with_and_without_quotes(tmp_path, quoted):
    city = '"Detroit"' if quoted else "Detroit"
    good = f"1,{city},2019-06-01,42.36,-83.10,homicide"
    text = HEADER + good + "\r\n\r\n" + good.replace("1,", "2,", 1) + "\n"
    batch = read_validated(write(tmp_path, "crlf.csv", text), incident_mapping())
    assert batch.records["incidents"]["row"].tolist() == [2, 4]  # the blank line is row 3
    ragged = HEADER + good + "\n\n" + f"3,{city},2019\n"
    with pytest.raises(IngestError, match="the header has 6 columns but row 4 has 3 fields"):
        read_validated(write(tmp_path, "ragged.csv", ragged), incident_mapping())
