"""Reading and writing the series registry table (stable series ids, see SCHEMA.md "Series ids").

The registry is computed by :mod:`linking.registry` from the whole store and
written here once per dataset version: one row per series id ever given,
live or retired (``merged_into`` set, or dissolved), with its members and
its history. A ``brassmap_meta`` row records the dataset version it reflects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from data._sql import META, SERIES_REGISTRY
from data.errors import StoreError

if TYPE_CHECKING:
    from data.store import Store

REGISTRY_VERSION_KEY = "series_registry_version"
REGISTRY_COLUMNS: tuple[str, ...] = tuple(c.name for c in SERIES_REGISTRY.columns)


def empty_registry() -> pd.DataFrame:
    """A registry with no rows and every column."""
    return pd.DataFrame({name: pd.Series(dtype=object) for name in REGISTRY_COLUMNS})


def registry_version(store: Store) -> str | None:
    """Return the dataset version the stored registry reflects (``None``: no registry yet)."""
    with store.engine.connect() as connection:
        return connection.execute(select(META.c.value).where(META.c.key == REGISTRY_VERSION_KEY)).scalar()


def read_registry(store: Store) -> tuple[str | None, pd.DataFrame]:
    """Return ``(dataset version it reflects or None, registry rows)``."""
    with store.engine.connect() as connection:
        version = connection.execute(select(META.c.value).where(META.c.key == REGISTRY_VERSION_KEY)).scalar()
        rows = connection.execute(select(SERIES_REGISTRY)).all()
    if not rows:
        return version, empty_registry()
    return version, pd.DataFrame.from_records([tuple(r) for r in rows], columns=list(REGISTRY_COLUMNS))


def write_registry(store: Store, registry: pd.DataFrame, *, version: str, based_on: str | None) -> bool:
    """Replace the registry with ``registry`` for dataset ``version``, in one transaction.

    ``based_on`` is the registry version the caller started from; when another
    process wrote a newer registry meanwhile, nothing is written and ``False``
    is returned (the caller then reads that one).
    """
    records = [
        {name: (None if pd.isna(value) else value) for name, value in zip(REGISTRY_COLUMNS, row, strict=True)}
        for row in registry[list(REGISTRY_COLUMNS)].itertuples(index=False, name=None)
    ]
    try:
        with store.engine.begin() as connection:
            current = connection.execute(
                select(META.c.value).where(META.c.key == REGISTRY_VERSION_KEY)
            ).scalar()
            if current != based_on:
                return False
            connection.execute(delete(SERIES_REGISTRY))
            if records:
                connection.execute(SERIES_REGISTRY.insert(), records)
            connection.execute(delete(META).where(META.c.key == REGISTRY_VERSION_KEY))
            connection.execute(META.insert().values(key=REGISTRY_VERSION_KEY, value=version))
    except SQLAlchemyError as exc:
        raise StoreError(
            f"writing the series registry to {store!r} failed and was rolled back: {exc}"
        ) from exc
    return True
