"""The ids of a file being validated: trimmed text, no control character, each id once.

Every id field goes through :func:`checked_ids` (:meth:`data.validation.source.Source.ids`);
kinds whose ids must be unique in one file (incidents, evidence, firearms) then go through
:func:`check_duplicates` (:func:`data.validation.tail.finish`). An empty required id is
rejected by :func:`data.fields.check_required`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from data.problems import Problems

# characters XML 1.0 (GraphML, GEXF, KML) cannot carry, plus every other C0/C1 control character
# (text columns are Arrow strings, which cannot hold lone surrogates)
_CONTROL_CLASS = "[\x00-\x1f\x7f-\x9f\ufffe\uffff]"
_CONTROL = re.compile(_CONTROL_CLASS)


def _visible(text: str) -> str:
    r"""``text`` with each control character written as ``<U+0001>`` (so the report shows it).

    >>> _visible("A\x01B\x7f")
    'A<U+0001>B<U+007F>'
    """
    return _CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def _control_reason(text: str) -> str:
    r"""Why an id holding a control character is rejected, naming the first one.

    >>> _control_reason("A\x1bB\x01")
    'id holds a control character (U+001B), which exports cannot carry; remove it from the source'
    """
    first = _CONTROL.findall(text)[0]
    return (
        f"id holds a control character (U+{ord(first):04X}), which exports cannot carry; "
        "remove it from the source"
    )


def checked_ids(text: pd.Series, field: str, problems: Problems) -> pd.Series:
    """``text`` as trimmed ids (``string``, leading zeros kept); ids with a control character are rejected.

    No export format can carry such an id (XML forbids most of them) and
    no one can type it to search for it. The report shows the id with each
    control character written out (``A<U+0001>B``).
    """
    ids = text.astype("string").str.strip()
    bad = ids.str.contains(_CONTROL_CLASS, na=False)
    if bad.any():  # rare: skip the per-id work on every clean file
        flagged = ids.where(bad)
        problems.add(
            bad,
            field,
            flagged.map(_visible, na_action="ignore"),
            flagged.map(_control_reason, na_action="ignore"),
        )
    return ids


def check_duplicates(ids: pd.Series, field: str, problems: Problems) -> None:
    """Reject the second and later rows of each id, naming the row that was kept.

    Rows already rejected do not count: a valid later row is kept over a
    rejected earlier one.
    """
    positions = np.flatnonzero(ids.notna().to_numpy() & ~problems.rejected)
    values = ids.iloc[positions]
    repeated = values.duplicated().to_numpy()
    if not repeated.any():  # the usual case: skip the per-row work on every clean file
        return
    first_row = pd.Series(problems.rows[positions[~repeated]], index=values[~repeated].to_numpy())
    dupes = positions[repeated]
    reasons = np.empty(len(ids), dtype=object)
    for position in dupes:
        reasons[position] = (
            f"duplicate {field}: row {first_row[ids.iloc[position]]} has the same id and was kept; "
            "nothing was overwritten"
        )
    duplicate = np.zeros_like(problems.rejected)
    duplicate[dupes] = True
    problems.add(duplicate, field, ids, reasons)
