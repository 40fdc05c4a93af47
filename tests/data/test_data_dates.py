"""Dates and date-times read from the source text: what is stored (the UTC instant, the calendar date)
and every rejected or warned value with its row number and reason, word for word.

``data.parsing`` parses (ISO with or without a UTC offset, an explicit ``[formats]`` entry, Excel
serials), rejects what cannot be stored and warns about the future; ``data.validation.source`` reads a
naive local time in its row's time zone (warning about the hour skipped when clocks go forward).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import schema as S
from data.importer import read_validated
from data.mapping import parse_mapping
from data.parsing import (
    check_plausible_dates,
    in_dst_gap,
    localize,
    parse_date,
    parse_naive_datetimes,
    utc_now,
)
from data.problems import Problems
from tests.data.conftest import incident_csv, incident_mapping, write

ISO = (
    "impossible or malformed date; expected an ISO date such as 2016-07-04 or 2016-07-04T21:30 "
    "(or set [formats])"
)
EXCEL = "not an Excel date serial (days since 1899-12-30)"
EARLY = "impossible date: before 1900"
LATE = "impossible date: after 2262-04-10 (the latest date brassmap can store); check the source"
FUTURE = "date is in the future; kept, check the source"
DST_GAP = (
    "local time does not exist: the clocks skipped this hour (daylight saving time began); "
    "kept as one hour later, check the source"
)
NOW = pd.Timestamp("2020-01-01 00:00", tz="UTC")


def _problems(n: int) -> Problems:
    return Problems(np.arange(2, n + 2))


def _report(problems: Problems, field: str) -> list[tuple[int, str, str, str]]:
    """(row, value shown, reason, severity) of each problem, all of them about ``field``."""
    frame = problems.frame()
    assert set(frame["field"]) <= {field}
    return [
        (int(r["row"]), str(r["value"]), str(r["reason"]), str(r["severity"])) for _, r in frame.iterrows()
    ]


def _parse(texts: list[str | None], fmt: str | None) -> tuple[list[str], list[str], list[tuple]]:
    problems = _problems(len(texts))
    naive, aware = parse_naive_datetimes(pd.Series(texts, dtype="string"), "occurred_at", problems, fmt=fmt)
    assert (naive.dtype, aware.dtype) == ("datetime64[ns]", "datetime64[ns, UTC]")
    return [str(v) for v in naive], [str(v) for v in aware], _report(problems, "occurred_at")


@pytest.mark.parametrize("fmt", [None, "iso"])
def test_iso_dates_with_and_without_offsets_and_the_storable_range(fmt: str | None) -> None:
    texts = [
        "2019-06-01",  # 2
        "2019-06-01T21:30",  # 3
        "2019-06-01 21:30:15",  # 4
        "2019-06-01T21:30Z",  # 5: carries its offset, so it is an instant (UTC)
        "2019-06-01T21:30:00+02:00",  # 6
        "2019-06-01T21:30-0500",  # 7
        "2019-02-30",  # 8
        "junk",  # 9
        None,  # 10: empty, not a problem here
        "1900-01-01",  # 11: the earliest storable day
        "1899-12-31T23:59:59",  # 12
        "1899-12-31T23:00-02:00",  # 13: 1900-01-01 01:00 UTC
        "1899-12-31T23:00Z",  # 14
        "2262-04-10T23:59:59",  # 15: the last storable second
        "2262-04-11",  # 16
        "2262-04-11T00:00Z",  # 17
        "2019-02-30T10:00Z",  # 18
    ]
    naive, aware, report = _parse(texts, fmt)
    nat = "NaT"
    assert naive == [
        "2019-06-01 00:00:00", "2019-06-01 21:30:00", "2019-06-01 21:30:15", nat, nat, nat, nat, nat, nat,
        "1900-01-01 00:00:00", nat, nat, nat, "2262-04-10 23:59:59", nat, nat, nat,
    ]
    assert aware == [
        nat, nat, nat, "2019-06-01 21:30:00+00:00", "2019-06-01 19:30:00+00:00", "2019-06-02 02:30:00+00:00",
        nat, nat, nat, nat, nat, "1900-01-01 01:00:00+00:00", nat, nat, nat, nat, nat,
    ]
    assert report == [
        (8, "2019-02-30", ISO, "error"),
        (9, "junk", ISO, "error"),
        (12, "1899-12-31T23:59:59", EARLY, "error"),
        (14, "1899-12-31T23:00Z", EARLY, "error"),
        (16, "2262-04-11", LATE, "error"),
        (17, "2262-04-11T00:00Z", LATE, "error"),
        (18, "2019-02-30T10:00Z", ISO, "error"),
    ]


def test_a_format_from_the_mapping_is_the_only_form_read() -> None:
    fmt = "%m/%d/%Y %I:%M %p"
    texts = ["06/01/2019 09:30 PM", "2019-06-01", "02/30/2019 09:30 PM", None, "01/01/1850 01:00 AM",
             "2019-06-01T21:30Z"]
    naive, aware, report = _parse(texts, fmt)
    assert naive == ["2019-06-01 21:30:00"] + ["NaT"] * 5
    assert aware == ["NaT"] * 6
    expected = (
        "impossible or malformed date; expected a date in the format '%m/%d/%Y %I:%M %p' from [formats]"
    )
    assert report == [
        (3, "2019-06-01", expected, "error"),
        (4, "02/30/2019 09:30 PM", expected, "error"),
        (6, "01/01/1850 01:00 AM", EARLY, "error"),
        (7, "2019-06-01T21:30Z", expected, "error"),
    ]


def test_excel_serials_are_days_since_1899_12_30_to_the_microsecond() -> None:
    texts = ["43617", "43617.875", "36526.25", "0", "0.5", "-1", "2958466", "2958465", "abc", None]
    naive, aware, report = _parse(texts, "excel")
    assert naive == ["2019-06-01 00:00:00", "2019-06-01 21:00:00", "2000-01-01 06:00:00"] + ["NaT"] * 7
    assert aware == ["NaT"] * 10
    assert report == [
        (5, "0", EXCEL, "error"),
        (6, "0.5", EARLY, "error"),  # 1899-12-30 12:00: a serial, but before 1900
        (7, "-1", EXCEL, "error"),
        (8, "2958466", EXCEL, "error"),
        (9, "2958465", LATE, "error"),  # 9999-12-31
        (10, "abc", EXCEL, "error"),
    ]


@pytest.mark.parametrize("fmt", [None, "excel", "%d/%m/%Y"])
def test_a_column_with_no_dates_gives_missing_values_of_the_stored_types(fmt: str | None) -> None:
    naive, aware, report = _parse([None, None], fmt)
    assert (naive, aware, report) == (["NaT", "NaT"], ["NaT", "NaT"], [])


def test_plausible_dates_reject_before_1900_and_warn_from_the_day_after_now() -> None:
    text = pd.Series(["a", "b", "c", "d", None], dtype="string")
    naive = pd.Series(pd.to_datetime(["1899-12-31", "1900-01-01", "2020-01-02", "2020-01-03", None]))
    problems = _problems(5)
    kept = check_plausible_dates(naive, text, "lead_date", problems, now=NOW)
    assert [str(v) for v in kept] == ["NaT", "1900-01-01 00:00:00", "2020-01-02 00:00:00",
                                      "2020-01-03 00:00:00", "NaT"]
    assert _report(problems, "lead_date") == [(2, "a", EARLY, "error"), (5, "d", FUTURE, "warning")]

    utc = pd.Series(pd.to_datetime(["1899-12-31 23:59:59", "1900-01-01 00:00:00", "2020-01-02 00:00:00",
                                    "2020-01-02 00:00:01", None])).dt.tz_localize("UTC")
    problems = _problems(5)
    kept = check_plausible_dates(utc, text, "occurred_at", problems, now=NOW)
    assert [str(v) for v in kept] == ["NaT", "1900-01-01 00:00:00+00:00", "2020-01-02 00:00:00+00:00",
                                      "2020-01-02 00:00:01+00:00", "NaT"]
    assert _report(problems, "occurred_at") == [(2, "a", EARLY, "error"), (5, "d", FUTURE, "warning")]


def test_parse_date_keeps_the_calendar_date_and_an_offset_date_is_the_utc_day() -> None:
    texts = [
        "2019-06-01", "2019-06-01T23:30-05:00", "2019-06-01T21:30", None, "2020-01-03", "bad", "1850-01-01"
    ]
    problems = _problems(len(texts))
    dates = parse_date(pd.Series(texts, dtype="string"), "lead_date", problems, fmt=None, now=NOW)
    assert str(dates.dtype) == "datetime64[ns]"
    assert [str(v) for v in dates] == [
        "2019-06-01 00:00:00", "2019-06-02 00:00:00", "2019-06-01 00:00:00", "NaT", "2020-01-03 00:00:00",
        "NaT", "NaT",
    ]
    assert _report(problems, "lead_date") == [
        (6, "2020-01-03", FUTURE, "warning"),
        (7, "bad", ISO, "error"),
        (8, "1850-01-01", EARLY, "error"),
    ]


def test_local_times_become_utc_in_each_rows_zone() -> None:
    naive = pd.Series(pd.to_datetime([
        "2019-06-01 21:30",  # Chicago, daylight time (UTC-5)
        "2019-11-03 01:30",  # Chicago, the repeated hour: read as daylight time
        "2019-03-10 02:30",  # Chicago, the skipped hour: read one hour later, 03:30 daylight time
        "2019-06-01 09:00",  # Tokyo (UTC+9)
        "2019-06-01 12:00",  # UTC
        "2019-06-01 12:00",  # no zone
        None,  # Chicago, no time
    ])).dt.as_unit("ns")
    zones = pd.Series(
        ["America/Chicago"] * 3 + ["Asia/Tokyo", "UTC", None, "America/Chicago"], dtype="string"
    )
    utc = localize(naive, zones)
    assert utc.dtype == "datetime64[ns, UTC]"
    assert [str(v) for v in utc] == [
        "2019-06-02 02:30:00+00:00", "2019-11-03 06:30:00+00:00", "2019-03-10 08:30:00+00:00",
        "2019-06-01 00:00:00+00:00", "2019-06-01 12:00:00+00:00", "NaT", "NaT",
    ]


def test_only_times_in_the_hour_skipped_by_their_own_zone_are_in_the_dst_gap() -> None:
    naive = pd.Series(pd.to_datetime([
        None,  # Anchorage: no time at all (its zone comes first and is skipped)
        "2019-03-10 02:30",  # Chicago: skipped
        "2019-11-03 01:30",  # New York: repeated, not skipped
        "2019-03-10 02:30",  # Tokyo: no daylight saving time
        "2019-03-31 02:30",  # Berlin: skipped (Europe changes three weeks later)
        "2019-03-10 02:30",  # no zone
        None,  # Chicago, no time
    ]))
    zones = pd.Series(["America/Anchorage", "America/Chicago", "America/New_York", "Asia/Tokyo",
                       "Europe/Berlin", None, "America/Chicago"], dtype="string")
    assert in_dst_gap(naive, zones).tolist() == [False, True, False, False, True, False, False]


def test_now_is_the_current_utc_time() -> None:
    before = pd.Timestamp.now(tz="UTC")
    now = utc_now()
    assert str(now.tz) == "UTC"
    assert before <= now <= pd.Timestamp.now(tz="UTC")


# ------------------------------------------------------- through the importer (data.validation.source)


def _rows(batch, row: int) -> list[tuple[str, str, str, str]]:
    """(field, value shown, severity, reason) of each problem of ``row``."""
    found = batch.rejects[batch.rejects[S.REJECT_ROW] == row]
    return list(
        zip(found[S.REJECT_FIELD], found[S.REJECT_VALUE], found[S.REJECT_SEVERITY], found[S.REJECT_REASON],
            strict=True)
    )


def test_incident_times_are_read_in_the_citys_zone_unless_they_carry_an_offset(tmp_path) -> None:
    path = incident_csv(
        tmp_path,
        [
            "1,Detroit,2019-06-01T21:30,42.36,-83.10,homicide",  # EDT: 01:30 UTC the next day
            "2,Detroit,2019-01-15T21:30,42.36,-83.10,homicide",  # EST: 02:30 UTC the next day
            "3,Detroit,2019-11-03T01:30,42.36,-83.10,homicide",  # the repeated hour, read as EDT
            "4,Detroit,2019-03-10T02:30,42.36,-83.10,homicide",  # skipped: 03:30 EDT, with a warning
            "5,Detroit,2019-06-01T21:30Z,42.36,-83.10,homicide",  # an instant: the city does not matter
            "6,Detroit,2099-01-01T00:00,42.36,-83.10,homicide",  # kept with a warning
            "7,Detroit,2019-02-30T10:00,42.36,-83.10,homicide",
            "8,Milwaukee,2019-06-01T21:30,43.05,-87.96,homicide",  # CDT: 02:30 UTC the next day
        ],
    )
    batch = read_validated(path, incident_mapping())
    stored = batch.records[S.INCIDENTS].set_index(S.INCIDENT_ID)[S.OCCURRED_AT]
    assert stored.dtype == "datetime64[ns, UTC]"
    assert {k: str(v) for k, v in stored.items()} == {
        "1": "2019-06-02 01:30:00+00:00",
        "2": "2019-01-16 02:30:00+00:00",
        "3": "2019-11-03 05:30:00+00:00",
        "4": "2019-03-10 07:30:00+00:00",
        "5": "2019-06-01 21:30:00+00:00",
        "6": "2099-01-01 05:00:00+00:00",
        "8": "2019-06-02 02:30:00+00:00",
    }
    assert batch.rejects[S.REJECT_ROW].tolist() == [5, 7, 8]
    assert _rows(batch, 5) == [(S.OCCURRED_AT, "2019-03-10T02:30", "warning", DST_GAP)]
    assert _rows(batch, 7) == [(S.OCCURRED_AT, "2099-01-01T00:00", "warning", FUTURE)]
    assert _rows(batch, 8) == [(S.OCCURRED_AT, "2019-02-30T10:00", "error", ISO)]


def test_a_local_time_east_of_utc_can_fall_before_1900_once_in_utc(tmp_path) -> None:
    # 05:00 on 1 January 1900 in Tokyo is 20:00 UTC on 31 December 1899: rejected after the zone is applied
    mapping = parse_mapping(
        'kind = "incidents"\n[columns]\nincident_id = "id"\ncity = "city"\noccurred_at = "when"\n'
        'latitude = "lat"\nlongitude = "lon"\nincident_type = "type"\ntime_zone = "tz"\n',
        name="tz.toml",
    )
    path = write(
        tmp_path,
        "tokyo.csv",
        "id,city,when,lat,lon,type,tz\n"
        "T-1,Tokyo,1900-01-01T05:00,35.68,139.69,homicide,Asia/Tokyo\n"
        "T-2,Tokyo,1900-01-01T10:00,35.68,139.69,homicide,Asia/Tokyo\n",
    )
    batch = read_validated(path, mapping)
    stored = batch.records[S.INCIDENTS].set_index(S.INCIDENT_ID)[S.OCCURRED_AT]
    assert {k: str(v) for k, v in stored.items()} == {"T-2": "1900-01-01 01:00:00+00:00"}
    assert _rows(batch, 2) == [(S.OCCURRED_AT, "1900-01-01T05:00", "error", EARLY)]


EVIDENCE_TOML = (
    'kind = "evidence"\n[columns]\nevidence_id = "id"\nevidence_kind = "kind"\nincident_id = "incident"\n'
    'entered_at = "when"\n'
)


def test_evidence_entry_times_without_a_zone_are_utc_and_never_in_a_dst_gap(tmp_path) -> None:
    path = write(
        tmp_path,
        "evidence.csv",
        "id,kind,incident,when\nE1,casing,I1,2019-06-01T12:00\nE2,casing,I1,2019-03-10T02:30\n"
        "E3,casing,I1,06/01/2019\n",
    )
    batch = read_validated(path, parse_mapping(EVIDENCE_TOML, name="evidence.toml"))
    stored = batch.records[S.EVIDENCE].set_index(S.EVIDENCE_ID)[S.ENTERED_AT]
    assert {k: str(v) for k, v in stored.items()} == {
        "E1": "2019-06-01 12:00:00+00:00",
        "E2": "2019-03-10 02:30:00+00:00",
    }
    assert [row for row in batch.rejects[S.REJECT_ROW] if row > 0] == [4]  # row 0: no store to check ids
    assert _rows(batch, 4) == [(S.ENTERED_AT, "06/01/2019", "error", ISO)]


def test_evidence_entry_times_follow_the_format_in_the_mapping(tmp_path) -> None:
    path = write(tmp_path, "evidence.csv", "id,kind,incident,when\nE1,casing,I1,01/06/2019 13:05\n")
    mapping = parse_mapping(EVIDENCE_TOML + '[formats]\nentered_at = "%d/%m/%Y %H:%M"\n', name="ev.toml")
    batch = read_validated(path, mapping)
    assert [str(v) for v in batch.records[S.EVIDENCE][S.ENTERED_AT]] == ["2019-06-01 13:05:00+00:00"]
    assert batch.rows_rejected == 0


def test_link_dates_are_calendar_dates_read_by_the_format_in_the_mapping(tmp_path) -> None:
    path = write(
        tmp_path,
        "links.csv",
        "a,b,status,lead,confirmed\nI1,I2,hit,10/06/2019,02/07/2019\nI1,I3,lead,2019-06-10,\n"
        "I1,I4,lead,31/12/2098,\n",
    )
    mapping = parse_mapping(
        'kind = "links"\n[columns]\nincident_a = "a"\nincident_b = "b"\nstatus = "status"\n'
        'lead_date = "lead"\nconfirmed_date = "confirmed"\n[formats]\nlead_date = "%d/%m/%Y"\n'
        'confirmed_date = "%d/%m/%Y"\n',
        name="links.toml",
    )
    batch = read_validated(path, mapping)
    links = batch.records[S.LINKS].set_index(S.INCIDENT_B)
    assert str(links[S.LEAD_DATE].dtype) == "datetime64[ns]"
    assert {k: str(v) for k, v in links[S.LEAD_DATE].items()} == {
        "I2": "2019-06-10 00:00:00",
        "I4": "2098-12-31 00:00:00",
    }
    assert str(links.loc["I2", S.CONFIRMED_DATE]) == "2019-07-02 00:00:00"
    assert _rows(batch, 3) == [
        (S.LEAD_DATE, "2019-06-10", "error",
         "impossible or malformed date; expected a date in the format '%d/%m/%Y' from [formats]")
    ]
    assert _rows(batch, 4) == [(S.LEAD_DATE, "31/12/2098", "warning", FUTURE)]
