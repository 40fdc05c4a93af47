"""A lead report's calibre column: tidy the text, read placeholders as unknown, reject what is no calibre.

A calibre names a size, so it holds a digit: ``9mm Luger``, ``.40 S&W``,
``.380 ACP``, ``12 gauge``, ``7.62x39mm``. Placeholders (``Unknown``,
``UNK``, ``N/A``, ``-``, ``unknown/other``) mean the report does not know
it: the value is left empty and the incident's calibre comes from its
casings, as before. Everything else that cannot be a calibre is rejected
with the reason and the fix: text without a digit, a date (usually a
column mapped to the wrong field), a bare number of four or more digits
(an id or a case number), or text longer than :data:`MAX_LENGTH`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from data.mapping import Mapping
from data.problems import Problems

MAX_LENGTH = 40
PLACEHOLDERS = frozenset(
    {"unknown", "unk", "unkn", "n/a", "na", "none", "-", "--", "?", "other", S.UNKNOWN_CALIBER}
)
_EXAMPLES = "e.g. 9mm Luger, .40 S&W, .380 ACP, 12 gauge, 7.62x39mm"
_DATE = r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$"


def parse_caliber(text: pd.Series, problems: Problems, mapping: Mapping | None = None) -> pd.Series:
    """Return tidy calibres (``string``; missing for placeholders and rejects), rejecting bad values.

    Parameters
    ----------
    text : Series
        The mapped source text (``<NA>`` when empty).
    problems : Problems
        Where each bad value is reported as an error (the row is rejected).
    mapping : Mapping, optional
        Names the source column in the reason.

    Examples
    --------
    >>> import numpy as np
    >>> p = Problems(np.array([2, 3, 4, 5]))
    >>> parse_caliber(pd.Series([" 9mm   Luger", "Unknown", "Glock", None], dtype="string"), p).tolist()
    ['9mm Luger', <NA>, <NA>, <NA>]
    >>> p.frame()[["row", "value"]].values.tolist()
    [[4, 'Glock']]
    """
    tidy = text.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    tidy = tidy.mask(tidy == "")
    placeholder = tidy.str.casefold().isin(PLACEHOLDERS).fillna(False).to_numpy(dtype=bool)
    tidy = tidy.mask(placeholder)
    present = tidy.notna().to_numpy(dtype=bool)
    too_long = present & (tidy.str.len() > MAX_LENGTH).fillna(False).to_numpy(dtype=bool)
    is_date = present & tidy.str.fullmatch(_DATE).fillna(False).to_numpy(dtype=bool)
    long_number = present & tidy.str.fullmatch(r"\d{4,}").fillna(False).to_numpy(dtype=bool)
    no_digit = present & ~tidy.str.contains(r"\d", regex=True).fillna(False).to_numpy(dtype=bool)
    column = ""
    if mapping is not None and S.CALIBER in mapping.columns:
        column = " (source column " + " + ".join(repr(c) for c in mapping.columns[S.CALIBER]) + ")"
    fix = f"fix the value or leave the cell empty{column}"
    checks = (
        (too_long, f"too long for a caliber (more than {MAX_LENGTH} characters); {fix}"),
        (is_date & ~too_long, f"a date, not a caliber: is the right column mapped to caliber? {fix}"),
        (long_number & ~too_long, f"a number of 4 or more digits, not a caliber ({_EXAMPLES}); {fix}"),
        (no_digit & ~too_long, f"not a caliber: it names no size ({_EXAMPLES}); {fix}"),
    )
    bad = np.zeros(len(tidy), dtype=bool)
    for mask, reason in checks:
        problems.add(mask, S.CALIBER, text, reason)
        bad |= mask
    return tidy.mask(bad)
