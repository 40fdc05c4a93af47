"""Make values from data inert before they reach a map page.

Two functions, used for everything the map writes:

* :func:`escape_text` for any string that ends up as HTML (popup, tooltip,
  legend, layer name, note, banner). It HTML-escapes, and also encodes the
  three characters that are live inside a JavaScript template literal or
  string (backslash, backtick, dollar), so a value is inert in HTML *and*
  cannot end a JS string or open a ``${...}`` expression.
* :func:`json_for_script` for data inlined into a ``<script>`` element. It
  writes ``<``, ``>`` and ``&`` as ``\\u003c``/``\\u003e``/``\\u0026`` (no
  ``</script>`` can appear) and every non-ASCII character as a ``\\uXXXX``
  escape (json's default), U+2028/U+2029 included (old JS engines end a
  string at them).
"""

from __future__ import annotations

import json
import math
from typing import Any

_TEXT_ENTITIES: dict[int, str] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&#39;",
    ord("\\"): "&#92;",
    ord("`"): "&#96;",
    ord("$"): "&#36;",
    0x2028: "&#8232;",
    0x2029: "&#8233;",
    0: "&#65533;",
}

try:  # pandas' missing-value marker, compared by identity in escape_many
    from pandas import NA as _PD_NA
except ImportError:  # pragma: no cover - pandas is a dependency
    _PD_NA = object()

_SCRIPT_ESCAPES: dict[int, str] = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
}


def escape_text(value: object, *, max_length: int | None = None) -> str:
    """Return ``value`` as inert HTML text, safe inside JS strings too.

    Parameters
    ----------
    value : object
        Anything; ``None`` and NaN become ``""``, other values ``str(value)``.
    max_length : int, optional, keyword-only
        Cut the text (before escaping) to this many characters, ending with
        an ellipsis, so one huge field cannot blow up a map.

    Returns
    -------
    str
        Text with ``& < > " '`` as HTML entities and ``\\ ` $`` as numeric
        character references (``&#92;``, ``&#96;``, ``&#36;``).

    Examples
    --------
    >>> escape_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> escape_text("${x} `y` C:\\\\users")
    '&#36;{x} &#96;y&#96; C:&#92;users'
    >>> escape_text(None)
    ''
    >>> escape_text("abcdef", max_length=4)
    'abc…'
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    text = str(value)
    if text in {"<NA>", "NaT", "nan"} and not isinstance(value, str):
        return ""
    if max_length is not None and len(text) > max_length:
        text = text[: max(0, max_length - 1)] + "…"
    return text.translate(_TEXT_ENTITIES)


def escape_many(values: list[object], *, max_length: int | None = None) -> list[str | None]:
    """Escape a list of values like :func:`escape_text`, keeping missing ones as ``None``.

    Examples
    --------
    >>> escape_many(["<b>", None, "`x`"])
    ['&lt;b&gt;', None, '&#96;x&#96;']
    """
    out: list[str | None] = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is _PD_NA:
            out.append(None)
        elif type(value) is str and (max_length is None or len(value) <= max_length):
            out.append(value.translate(_TEXT_ENTITIES))
        else:
            out.append(escape_text(value, max_length=max_length) or None)
    return out


def json_for_script(payload: Any) -> str:
    """Serialise ``payload`` as JSON that is safe inside a ``<script>`` element.

    Parameters
    ----------
    payload : Any
        JSON-serialisable data (dicts, lists, str, int, float, bool, None).
        Non-finite floats become ``null``.

    Returns
    -------
    str
        Compact, pure-ASCII JSON: ``<``, ``>``, ``&`` and every non-ASCII
        character (U+2028 and U+2029 included) written as ``\\uXXXX`` escapes;
        the text never contains ``</script``.

    Examples
    --------
    >>> json_for_script({"a": "</script><script>x()</script>"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ex()\\\\u003c/script\\\\u003e"}'
    >>> json_for_script([1.5, float("nan")])
    '[1.5,null]'
    >>> json_for_script(["Peña\\u2028…"])
    '["Pe\\\\u00f1a\\\\u2028\\\\u2026"]'
    """
    try:
        text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN or inf somewhere: replace them (slow path; none left after _finite)
        text = json.dumps(_finite(payload), separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)


def _finite(value: Any) -> Any:
    """Replace NaN/inf floats (anywhere in nested lists/dicts) with ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
