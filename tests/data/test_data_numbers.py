"""Numbers, counts and yes/no values read from the source text: the value kept and every refused text
with its row number and reason, word for word (``data.parsing``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.parsing import parse_bool, parse_count, parse_float
from data.problems import Problems


def _run(parser, texts: list[str | None], **options) -> tuple[pd.Series, list[tuple[int, str, str]]]:
    problems = Problems(np.arange(2, len(texts) + 2))
    out = parser(pd.Series(texts, dtype="string"), "injured", problems, **options)
    report = problems.frame()
    assert set(report["severity"]) <= {"error"}
    assert set(report["field"]) <= {"injured"}  # the report names the field
    return out, list(zip(report["row"], report["value"], report["reason"], strict=True))


def test_numbers_keep_infinity_for_the_range_checks_and_report_the_rest() -> None:
    number, report = _run(parse_float, ["42.36", "-1e3", "inf", "1,5", "north", None, " 7 "], decimal=".")
    assert str(number.dtype) == "float64"
    assert number.tolist()[:3] == [42.36, -1000.0, np.inf]
    assert np.isnan(number.tolist()[3:6]).all() and number.tolist()[6] == 7.0
    assert report == [(5, "1,5", "not a number"), (6, "north", "not a number")]


def test_a_decimal_comma_is_read_when_the_mapping_declares_it() -> None:
    number, report = _run(parse_float, ["42,36", "-83,1", "7", "1,5,0"], decimal=",")
    assert number.tolist()[:3] == [42.36, -83.1, 7.0]
    assert report == [(5, "1,5,0", "not a number")]


def test_a_decimal_mark_is_taken_literally_not_as_a_pattern() -> None:
    # "|" as a regular expression would match the empty string between every character
    number, report = _run(parse_float, ["42|36"], decimal="|")
    assert number.tolist() == [42.36]
    assert report == []


def test_counts_are_whole_numbers_of_zero_or_more() -> None:
    count, report = _run(parse_count, ["3", "0", "3.0", "1e2", "-1", "2.5", "inf", "-inf", "many", None])
    assert str(count.dtype) == "Int64"
    assert count.iloc[:4].tolist() == [3, 0, 3, 100]
    assert count.iloc[4:].isna().all()
    reason = "not a whole number of 0 or more"
    assert report == [(6, "-1", reason), (7, "2.5", reason), (8, "inf", reason), (9, "-inf", reason),
                      (10, "many", reason)]


def test_yes_no_values_in_any_case_and_with_spaces() -> None:
    texts = ["true", "T", " yes ", "Y", "1", "FALSE", "f", "No", "n", "0", "maybe", None]
    flag, report = _run(parse_bool, texts)
    assert str(flag.dtype) == "boolean"
    assert flag.iloc[:10].tolist() == [True] * 5 + [False] * 5
    assert flag.iloc[10:].isna().all()
    assert report == [(12, "maybe", "not true/false (expected true, false, yes, no, 1 or 0)")]
