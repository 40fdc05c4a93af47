"""Escaping: every payload from SECURITY.md's Rendering table becomes inert text."""

from __future__ import annotations

import html
import json

import numpy as np
import pandas as pd
import pytest

from geo.escape import escape_many, escape_text, json_for_script
from tests.geo._geo_frames import PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_text_leaves_no_markup_or_js_string_breakers(payload: str) -> None:
    escaped = escape_text(payload)
    for live in ("<", ">", "`", "$", "\\", '"', "'"):
        assert live not in escaped
    # the browser shows exactly the original text
    assert html.unescape(escaped) == payload


def test_escape_text_encodes_backslash_backtick_dollar_as_numeric_references() -> None:
    assert escape_text("C:\\users `x` ${y}") == "C:&#92;users &#96;x&#96; &#36;{y}"


def test_escape_text_turns_missing_values_into_empty_text_and_cuts_long_values() -> None:
    assert escape_text(None) == ""
    assert escape_text(float("nan")) == ""
    cut = escape_text("<" * 500, max_length=10)
    assert cut == "&lt;" * 9 + "…"


@pytest.mark.parametrize("payload", [*PAYLOADS, "line\u2028sep\u2029end", "a & b", "Peña Ave…"])
def test_json_for_script_cannot_close_a_script_and_reads_back(payload: str) -> None:
    text = json_for_script({"value": payload, "list": [payload, 1.5]})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert text.isascii(), "every non-ASCII character is a \\uXXXX escape: no charset can garble the page"
    assert json.loads(text) == {"value": payload, "list": [payload, 1.5]}


def test_json_for_script_writes_non_finite_numbers_as_null() -> None:
    assert json_for_script([float("inf"), float("-inf"), float("nan"), 2]) == "[null,null,null,2]"


# --- what a popup, tooltip or legend shows for values that are not plain text (mutation testing) ---


def test_escape_text_shows_numbers_and_the_text_nan_but_hides_pandas_missing_markers() -> None:
    # a count or a year in a popup must show; a missing value must not show as "<NA>"/"NaT"/"nan"
    assert escape_text(42) == "42"
    assert escape_text(2.5) == "2.5"
    assert escape_text(pd.NA) == ""
    assert escape_text(pd.NaT) == ""
    assert escape_text(np.float32("nan")) == ""
    # ... while the same words typed in a text field are data and stay
    assert [escape_text(t) for t in ("nan", "NaT", "<NA>")] == ["nan", "NaT", "&lt;NA&gt;"]


def test_escape_text_cuts_only_text_longer_than_the_limit_and_never_exceeds_it() -> None:
    assert escape_text("abcd", max_length=4) == "abcd"
    assert escape_text("abcde", max_length=4) == "abc…"
    assert escape_text("abc", max_length=1) == "…"


def test_escape_many_escapes_each_value_keeps_missing_ones_missing_and_cuts_long_ones() -> None:
    values: list[object] = ["<b>", None, float("nan"), pd.NA, 7, "", "`$`", "x" * 8]
    assert escape_many(values) == ["&lt;b&gt;", None, None, None, "7", "", "&#96;&#36;&#96;", "x" * 8]
    assert escape_many(values, max_length=4) == [
        "&lt;b&gt;", None, None, None, "7", "", "&#96;&#36;&#96;", "xxx…"
    ]
    # a non-text value cut too, and escaped after the cut
    assert escape_many([12345678, pd.Timestamp("2024-01-02")], max_length=5) == ["1234…", "2024…"]
    # and the list is the same as escaping one by one (missing values apart)
    assert escape_many(["a<b", 3.5]) == [escape_text("a<b"), escape_text(3.5)]


def test_json_for_script_is_compact_and_keeps_nested_keys_with_non_finite_values() -> None:
    # the payload of every map layer: no padding spaces in megabytes of JSON
    assert json_for_script({"a": [1, 2], "b": "x"}) == '{"a":[1,2],"b":"x"}'
    # the slow path (a NaN somewhere) keeps keys, finite floats and nesting
    text = json_for_script({"a": float("nan"), "b": [1.5, {"c": float("inf"), "d": 2.5}]})
    assert text == '{"a":null,"b":[1.5,{"c":null,"d":2.5}]}'
