"""The whole store's series, kept beside the frames' Parquet snapshot (one dataset version, one day).

Computing the series of every incident (components, the whole series table,
the registry check) is most of a cold start's work after reading the tables.
Its result depends only on the dataset version, the series registry (which
changes only with the dataset version) and the day its ``days_since_last``
counts from, so :mod:`linking.registry` keeps it here: numeric arrays in one
``.npz`` (no pickles: nothing read back can run code) and frames as Parquet,
written beside and renamed so a reader never sees half of it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from data.store import Store

_ARRAYS = "arrays.npz"
_DONE = "complete"


def _folder(store: Store, version: str, key: str) -> Path:
    return store.snapshot_dir() / version / f"series-{key}"


def read_series_parts(
    store: Store, version: str, key: str
) -> tuple[dict[str, np.ndarray], dict[str, pd.DataFrame]] | None:
    """Return the arrays and frames kept for dataset ``version`` and ``key``, or ``None`` when none are.

    Parameters
    ----------
    store : data.store.Store
    version : str
        The dataset version the parts were computed from.
    key : str
        What else they depend on (e.g. the reference day), as a file-name-safe text.
    """
    folder = _folder(store, version, key)
    if not (folder / _DONE).exists():
        return None
    try:
        with np.load(folder / _ARRAYS, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        tables = {path.stem: pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}
    except (OSError, ValueError):  # damaged or removed meanwhile: compute again
        return None
    return arrays, tables


def write_series_parts(
    store: Store, version: str, key: str, arrays: dict[str, np.ndarray], tables: dict[str, pd.DataFrame]
) -> None:
    """Keep ``arrays`` (numbers or fixed-width text, no objects) and ``tables`` for ``version`` and ``key``.

    Nothing is written unless the frames' snapshot of ``version`` exists (the
    parts live and are removed with it); failures to write are not errors (the
    next start computes again).
    """
    folder = _folder(store, version, key)
    if not folder.parent.is_dir() or (folder / _DONE).exists():
        return
    staging = folder.parent / f".{folder.name}.{uuid.uuid4().hex[:8]}"
    try:
        staging.mkdir()
        for old in folder.parent.glob("series-*"):  # another day's parts of this version
            shutil.rmtree(old, ignore_errors=True)
        np.savez(staging / _ARRAYS, **arrays)  # type: ignore[arg-type]
        for name, table in tables.items():
            table.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / _DONE).write_text("ok\n")
        os.rename(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
