"""Escaping: every payload from SECURITY.md's Rendering table becomes inert text."""

from __future__ import annotations

import html
import json

import pytest

from geo.escape import escape_text, json_for_script
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


@pytest.mark.parametrize("payload", [*PAYLOADS, "line\u2028sep\u2029end", "a & b"])
def test_json_for_script_cannot_close_a_script_and_reads_back(payload: str) -> None:
    text = json_for_script({"value": payload, "list": [payload, 1.5]})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"value": payload, "list": [payload, 1.5]}


def test_json_for_script_writes_non_finite_numbers_as_null() -> None:
    assert json_for_script([float("inf"), float("-inf"), float("nan"), 2]) == "[null,null,null,2]"
