"""Text and rank columns of the series table on integer keys (numpy and Arrow, no per-row Python)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linking.pairs import STATUS_RANK


def join_sorted(keys: np.ndarray, values: np.ndarray) -> pd.Series:
    """``"; "``-join ``values`` per key; rows must already be sorted by key.

    >>> join_sorted(np.array([0, 0, 3]), np.array(["a", "b", "c"], dtype=object)).to_dict()
    {0: 'a; b', 3: 'c'}
    """
    if len(keys) == 0:
        return pd.Series(dtype=object)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    text = arrow_texts(values)
    offsets = pa.array(np.r_[starts, len(keys)].astype(np.int64), type=pa.int64())
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, text), pa.scalar("; ", pa.large_string()))
    return pd.Series(joined.to_numpy(zero_copy_only=False), index=keys[starts], dtype=object)


def arrow_texts(values: np.ndarray) -> pa.Array:
    """``str(v)`` of every value as Arrow ``large_string`` (no Python loop when they are already strings)."""
    try:
        text = pa.array(values, type=pa.large_string(), from_pandas=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        text = None
    if text is None or text.null_count:
        text = pa.array([str(v) for v in values], type=pa.large_string())
    return text


def path_order(key: np.ndarray, at: np.ndarray, id_text: np.ndarray) -> np.ndarray:
    """Row order by series key, then time, then id text (ids compared only where key and time tie).

    >>> path_order(np.array([1, 0, 0, 0]), np.array([5, 9, 7, 7]),
    ...            np.array(["d", "c", "b", "a"], dtype=object)).tolist()
    [3, 2, 1, 0]
    """
    order = np.lexsort((at, key))
    keys, times = key[order], at[order]
    tied = (keys[1:] == keys[:-1]) & (times[1:] == times[:-1])
    if tied.any():
        in_tie = np.zeros(len(order), dtype=bool)
        in_tie[1:] |= tied
        in_tie[:-1] |= tied
        slots = np.flatnonzero(in_tie)  # runs of equal (key, time), already in place
        rows = order[slots]
        ranked = pd.DataFrame({"k": key[rows], "at": at[rows], "id": id_text[rows]}).sort_values(
            ["k", "at", "id"], kind="stable"
        )
        order[slots] = rows[ranked.index.to_numpy()]
    return order


def joined_unique(values: pd.Series, keys: pd.Series) -> pd.Series:
    """``"; "``-join the sorted distinct non-empty ``values`` per integer key (ints, not string sorts)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # clean each category once, not each row
        categories = pd.Series(values.cat.categories).astype("string").str.strip()
        by_category, uniques = pd.factorize(categories, sort=True)
        lookup = np.append(np.asarray(by_category, dtype=np.int64), -1)  # category code -1 (missing) -> -1
        codes = lookup[values.cat.codes.to_numpy(dtype=np.int64)]
    else:
        text = values.astype("string").str.strip()
        codes, uniques = pd.factorize(text, sort=True)  # code order = alphabetical order; -1 for missing
        codes = np.asarray(codes, dtype=np.int64)
    uniques = np.asarray(uniques, dtype=object)
    blank = np.flatnonzero(uniques == "")
    keep = codes >= 0
    if len(blank):
        keep &= codes != blank[0]
    width = max(len(uniques), 1)
    combined = np.unique(keys.to_numpy(dtype=np.int64)[keep] * width + codes[keep])
    return join_sorted(combined // width, uniques[combined % width])


def status_ranks(statuses: pd.Series) -> np.ndarray:
    """:data:`STATUS_RANK` of each status (-1 for missing or unknown), mapped per distinct value."""
    text = statuses if isinstance(statuses.dtype, pd.CategoricalDtype) else statuses.astype("string")
    codes, uniques = pd.factorize(text)
    by_code = np.array([STATUS_RANK.get(str(u), -1) for u in uniques] + [-1], dtype=np.int64)
    return by_code[np.asarray(codes, dtype=np.int64)]  # code -1 (missing) takes the appended -1
