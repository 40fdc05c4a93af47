"""Map string ids to integer row positions fast (Arrow's hash encoding, not Python sets).

Everything heavy in :mod:`linking.series` and :mod:`linking.selection` runs on
these integer positions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from data.frames import arrow_text


def _arrow_strings(values: pd.Series | pd.Index | np.ndarray) -> pa.Array:
    """Ids as Arrow text: the one helper, :func:`data.frames.arrow_text`."""
    return arrow_text(values if isinstance(values, pd.Series) else pd.Series(values))


def positions(ids: pd.Series | pd.Index, *lookups: pd.Series) -> list[np.ndarray]:
    """Return, for each lookup series, the row position of each value in ``ids`` (-1 when absent or null).

    ``ids`` should be unique; for a repeated id the last row wins.

    Examples
    --------
    >>> ids = pd.Series(["a", "b", "c"], dtype="string")
    >>> [p.tolist() for p in positions(ids, pd.Series(["c", None, "z"], dtype="string"))]
    [[2, -1, -1]]
    >>> none = pd.Series([], dtype="string")
    >>> [p.tolist() for p in positions(none, pd.Series(["a"], dtype="string"), none)]
    [[-1], []]
    >>> [p.tolist() for p in positions(ids, none, pd.Series(["b"], dtype="string"))]
    [[], [1]]
    """
    id_strings = _arrow_strings(ids)
    lookup_strings = [_arrow_strings(values) for values in lookups]
    if len(id_strings) == 0:  # nothing to find: every end is absent
        return [np.full(len(values), -1, dtype=np.int64) for values in lookup_strings]
    # Arrow drops empty chunks when encoding, so only non-empty lookups are encoded
    filled = [values for values in lookup_strings if len(values)]
    encoded = pc.dictionary_encode(pa.chunked_array([id_strings, *filled], type=pa.large_string()))
    chunks = encoded.chunks
    size = len(chunks[0].dictionary)
    codes = [c.indices.to_numpy(zero_copy_only=False) for c in chunks]
    id_codes = codes[0]
    where = np.full(size + 1, -1, dtype=np.int64)
    where[np.nan_to_num(id_codes, nan=size).astype(np.int64)] = np.arange(len(id_codes))
    found = iter(codes[1:])
    out = []
    for values in lookup_strings:
        if not len(values):
            out.append(np.empty(0, dtype=np.int64))
            continue
        as_int = np.nan_to_num(next(found).astype(float), nan=size).astype(np.int64)
        out.append(where[as_int])
    return out
