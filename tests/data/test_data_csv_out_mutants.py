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
