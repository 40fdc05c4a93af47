"""Ids in an imported file: trimmed text, control characters rejected, empty ids rejected, each id once.

Through :func:`data.importer.read_validated` (what the Import tab previews and ``python -m data
import`` stores); asserts the kept ids and the rejects report's rows word for word.
"""

from __future__ import annotations

from data.importer import read_validated
from tests.data.conftest import incident_csv, incident_mapping

REST = ",Detroit,2019-06-01,42.36,-83.10,homicide"


def _batch(tmp_path, ids_and_rest: list[str]):
    return read_validated(incident_csv(tmp_path, ids_and_rest), incident_mapping())


def _rejects(batch) -> list[tuple]:
    rejects = batch.rejects
    return list(rejects[["row", "field", "value", "reason"]].itertuples(index=False, name=None))


def _control(code: str) -> str:
    return f"id holds a control character (U+{code}), which exports cannot carry; remove it from the source"


def test_ids_are_trimmed_text_with_leading_zeros_kept(tmp_path) -> None:
    batch = _batch(tmp_path, [" 007 " + REST, "0042" + REST])
    assert batch.records["incidents"]["incident_id"].tolist() == ["007", "0042"]
    assert batch.rejects.empty


def test_an_id_with_a_control_character_is_rejected_and_shown_with_each_one_written_out(tmp_path) -> None:
    rows = [i + REST for i in ("A\x1bB\x01", "OK-1", "C\x7f", "E\x9fF", "G\ufffe", "OK-2")]
    batch = _batch(tmp_path, rows)
    assert batch.records["incidents"]["incident_id"].tolist() == ["OK-1", "OK-2"]
    assert _rejects(batch) == [
        (2, "incident_id", "A<U+001B>B<U+0001>", _control("001B")),  # the first one is named
        (4, "incident_id", "C<U+007F>", _control("007F")),
        (5, "incident_id", "E<U+009F>F", _control("009F")),
        (6, "incident_id", "G<U+FFFE>", _control("FFFE")),
    ]
    assert (batch.rows_read, batch.rows_stored, batch.rows_rejected) == (6, 2, 4)


def test_rows_without_an_id_are_rejected_once_each_not_as_duplicates_of_each_other(tmp_path) -> None:
    batch = _batch(tmp_path, [REST, "A1" + REST, REST])
    assert batch.records["incidents"]["incident_id"].tolist() == ["A1"]
    assert _rejects(batch) == [
        (2, "incident_id", "", "required field is empty (source column 'id')"),
        (4, "incident_id", "", "required field is empty (source column 'id')"),
    ]


def test_each_repeat_of_an_id_is_rejected_naming_the_row_kept(tmp_path) -> None:
    rows = [
        "A1,Detroit,2019-06-01,42.36,-83.10,homicide",
        "B2,Detroit,2019-06-02,42.36,-83.10,homicide",
        "A1,Detroit,2019-06-03,42.36,-83.10,shots_fired",
        "C3,Detroit,2019-06-04,42.36,-83.10,homicide",
        "B2,Detroit,2019-06-05,42.36,-83.10,shots_fired",
        "A1,Detroit,2019-06-06,42.36,-83.10,shots_fired",
    ]
    batch = _batch(tmp_path, rows)
    incidents = batch.records["incidents"]
    assert incidents["incident_id"].tolist() == ["A1", "B2", "C3"]
    assert incidents["row"].tolist() == [2, 3, 5]
    kept = "has the same id and was kept; nothing was overwritten"
    assert _rejects(batch) == [
        (4, "incident_id", "A1", f"duplicate incident_id: row 2 {kept}"),
        (6, "incident_id", "B2", f"duplicate incident_id: row 3 {kept}"),
        (7, "incident_id", "A1", f"duplicate incident_id: row 2 {kept}"),
    ]


def test_a_valid_row_is_kept_over_an_earlier_rejected_row_with_the_same_id(tmp_path) -> None:
    rows = [
        "A1,Detroit,not a date,42.36,-83.10,homicide",
        "A1,Detroit,2019-06-02,42.36,-83.10,shots_fired",
        "A1,Detroit,2019-06-03,42.36,-83.10,homicide",
    ]
    batch = _batch(tmp_path, rows)
    incidents = batch.records["incidents"]
    assert incidents["incident_id"].tolist() == ["A1"]
    assert incidents["incident_type"].tolist() == ["shots_fired"]
    duplicate = "duplicate incident_id: row 3 has the same id and was kept; nothing was overwritten"
    assert [(row, reason) for row, _field, _value, reason in _rejects(batch)][1:] == [(4, duplicate)]
    assert _rejects(batch)[0][:3] == (2, "occurred_at", "not a date")


def test_a_file_with_both_an_empty_id_and_an_id_with_a_control_character_reports_each(tmp_path) -> None:
    batch = _batch(tmp_path, [REST, "A\x01" + REST, "A2" + REST])
    assert batch.records["incidents"]["incident_id"].tolist() == ["A2"]
    assert _rejects(batch) == [
        (2, "incident_id", "", "required field is empty (source column 'id')"),
        (3, "incident_id", "A<U+0001>", _control("0001")),
    ]
