"""The one CSV writer: every CSV brassmap writes goes through here, formula-safe (SECURITY.md).

A spreadsheet runs a cell starting with ``= + - @`` (and, in some, a tab, CR
or NUL) as a formula, so ``=HYPERLINK(...)`` in a narrative could phone home
when an analyst opens the file. Such text cells get a leading ``'`` (shown
as text by Excel, LibreOffice and Google Sheets); every text cell is quoted;
numbers stay numbers (``-83.1`` as a float is not touched, ``"-83.1"`` as
text is). The file is UTF-8 with a byte-order mark (so Excel reads accents
right) and CRLF line ends (RFC 4180).

Used by the rejects report (command line and Import tab), the CSV export
and the series table download: every CSV meant for people. The one other
CSV the project writes is the benchmark's *input* file (``bench/ingest.py``),
a fixture in brassmap's import format that ``python -m data import`` reads
back: prefixing its text would change the data it measures (a test lists
every CSV writer, so a new one cannot slip past this module).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\x00")
"""A text cell starting with one of these is prefixed with ``'``."""
_FORMULA_PATTERN = r"^[=+\-@\t\r\x00]"
BOM = "\ufeff"


def neutralise_cell(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with ``'``; leave anything else alone.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(1)"), neutralise_cell("-83.1"), neutralise_cell(-83.1)
    ("'=HYPERLINK(1)", "'-83.1", -83.1)
    >>> neutralise_cell("Detroit"), neutralise_cell(None)
    ('Detroit', None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _safe_column(values: pd.Series) -> pd.Series:
    """One column with its formula-like text cells prefixed (vectorised for text columns)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    elif not pd.api.types.is_string_dtype(values.dtype):  # true for object columns too
        return values  # numbers, booleans and times are never formulas
    # infer_dtype skips missing cells: "empty" means no value at all
    if pd.api.types.infer_dtype(values) not in ("string", "empty"):
        return values.map(neutralise_cell)  # mixed cells: numbers must stay numbers
    text = values.astype("string")
    risky = text.str.match(_FORMULA_PATTERN).fillna(False).to_numpy()
    safe = values.astype(object).where(values.notna(), None)
    safe[risky] = ("'" + text[risky]).to_numpy()
    return safe


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells a spreadsheet cannot run (the input is not changed).

    Column names are checked too (a header is a cell as well).

    Examples
    --------
    >>> frame = pd.DataFrame({"value": ["=1+2", "Detroit", None], "n": [-1, 2, 3]})
    >>> formula_safe(frame)["value"].tolist(), formula_safe(frame)["n"].tolist()
    (["'=1+2", 'Detroit', None], [-1, 2, 3])
    """
    safe = pd.DataFrame({column: _safe_column(frame[column]) for column in frame.columns}, index=frame.index)
    safe.columns = [neutralise_cell(str(column)) for column in frame.columns]
    return safe


def csv_text(frame: pd.DataFrame, *, index: bool = False) -> str:
    """The formula-safe CSV of ``frame`` as text (byte-order mark first, text cells quoted, CRLF).

    Examples
    --------
    >>> text = csv_text(pd.DataFrame({"field": ["latitude"], "value": ["@SUM(A1)"], "row": [3]}))
    >>> text.removeprefix(BOM).splitlines()
    ['"field","value","row"', '"latitude","\\'@SUM(A1)",3']
    """
    body = formula_safe(frame).to_csv(index=index, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    return BOM + body


def csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """The formula-safe CSV of ``frame`` as UTF-8 bytes (for a download button or a zip member)."""
    return csv_text(frame, index=index).encode()  # UTF-8


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = False) -> Path:
    """Write the formula-safe CSV of ``frame`` to ``path``; return the path."""
    path = Path(path)
    path.write_bytes(csv_bytes(frame, index=index))
    return path
