"""Mutation survivors of data/csv_out.py that change what a spreadsheet user sees (make mutation)."""

from __future__ import annotations

import pandas as pd

from data.csv_out import csv_text, formula_safe


def test_csv_text_writes_no_index_column_by_default() -> None:
    text = csv_text(pd.DataFrame({"note": ["a"]}))
    assert text.lstrip("\ufeff").splitlines()[0] == '"note"'


def test_a_filtered_frame_keeps_its_values_when_made_safe() -> None:
    frame = pd.DataFrame({"note": ["=cmd", "plain", "x"], "n": [1, 2, 3]}, index=[5, 7, 9]).iloc[:2]
    safe = formula_safe(frame)
    assert safe["note"].tolist() == ["'=cmd", "plain"]
    assert csv_text(frame).lstrip("\ufeff").splitlines()[1:] == ['"\'=cmd",1', '"plain",2']


def test_asking_for_the_index_writes_it_as_the_first_column_in_every_writer(tmp_path) -> None:
    from data.csv_out import csv_bytes, write_csv

    frame = pd.DataFrame({"note": ["=cmd"]}, index=pd.Index(["S-1"], name="series"))
    expected = ['"series","note"', '"S-1","\'=cmd"']
    assert csv_text(frame, index=True).lstrip("\ufeff").splitlines() == expected
    assert csv_bytes(frame, index=True).decode("utf-8-sig").splitlines() == expected
    path = write_csv(frame, tmp_path / "out.csv", index=True)
    assert path.read_text(encoding="utf-8-sig").splitlines() == expected


def test_a_table_with_rows_but_no_columns_keeps_its_rows() -> None:
    # formula_safe returns a copy of the table: same rows even when no column is left to clean
    frame = pd.DataFrame(index=pd.Index(["S-1", "S-2", "S-3"], name="series"))
    safe = formula_safe(frame)
    assert safe.shape == (3, 0) and safe.index.tolist() == ["S-1", "S-2", "S-3"]
    assert csv_text(frame).removeprefix("\ufeff") == frame.to_csv(index=False, lineterminator="\r\n")
