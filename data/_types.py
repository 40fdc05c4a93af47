"""Column types that differ by database: UTC times and geometries.

One type per idea, so the tables of :mod:`data._sql` are written once:

* :class:`UtcTime` is ``timestamptz`` on PostgreSQL and ISO-8601 UTC text on
  SQLite (``2021-03-04T05:06:07.000000Z``: fixed width, so text order is time
  order, and any SQLite tool can read it; ``datetime()`` understands it).
* :class:`Geometry` is a PostGIS ``geometry(<kind>, 4326)`` on PostgreSQL and
  WKB in a BLOB on SQLite; Python sees WKB bytes either way.

The store's bulk paths (:meth:`data.store.Store.save`, ``read_table``) skip
SQLAlchemy's per-value processing and use the vectorised helpers here
(:func:`iso_utc`, :func:`nanos_from_sql`).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, LargeBinary, String, func, literal_column
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

SRID = 4326
ISO_WIDTH = 27  # len("2021-03-04T05:06:07.000000Z")


def iso_utc(nanos: np.ndarray) -> np.ndarray:
    """Epoch nanoseconds (int64, UTC) as fixed-width ISO-8601 text ending in ``Z`` (object array).

    Microsecond precision (PostgreSQL's); ``NaT``/min-int give ``None``.

    >>> iso_utc(np.array([0, 1_500_000_000_123_456_789])).tolist()
    ['1970-01-01T00:00:00.000000Z', '2017-07-14T02:40:00.123456Z']
    """
    values = np.asarray(nanos, dtype="int64")
    missing = values == np.iinfo("int64").min
    micros = values.view("datetime64[ns]").astype("datetime64[us]")
    text = np.datetime_as_string(micros, unit="us").astype(object) + "Z"
    if missing.any():
        text[missing] = None
    return text


def nanos_from_text(values: pd.Series) -> pd.Series:
    """ISO-8601 texts (any offset) to nullable epoch nanoseconds (``Int64``)."""
    when = pd.to_datetime(values.astype("string"), format="ISO8601", utc=True).dt.as_unit("ns")
    return pd.Series(when.array.asi8, index=values.index, dtype="int64").where(when.notna()).astype("Int64")


def nanos_from_sql(values: pd.Series) -> pd.Series:
    """A time column as read by :meth:`data.store.Store.read_table` to epoch nanoseconds (``Int64``).

    PostgreSQL's column arrives as epoch nanoseconds (see :func:`time_select`),
    SQLite's as ISO text; a store written before times were text holds
    integer nanoseconds (both are read).
    """
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        return nanos_from_text(values)
    if kind != "mixed-integer":
        return pd.to_numeric(values).astype("Int64")
    texts = values.map(lambda v: isinstance(v, str)).astype(bool)
    out = pd.to_numeric(values.where(~texts)).astype("Int64")
    out[texts] = nanos_from_text(values[texts])
    return out


def time_select(column: Any, dialect_name: str) -> ColumnElement[Any]:
    """The SELECT expression that reads a time column fast: epoch microseconds on PostgreSQL."""
    if dialect_name == "postgresql":
        micros = func.floor(func.extract("epoch", column) * literal_column("1000000"))
        return (micros.cast(BigInteger) * literal_column("1000")).label(column.name)
    return column




def _timestamp(value: Any) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (int, np.integer)):
        return pd.Timestamp(int(value), unit="ns", tz="UTC")
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


class UtcTime(TypeDecorator[Any]):
    """A UTC time: ``timestamptz`` on PostgreSQL, ISO-8601 UTC text on SQLite.

    Parameters
    ----------
    python : {"iso", "ns"}
        What Python reads back: ISO text with ``+00:00`` (e.g. ``imported_at``)
        or epoch nanoseconds (``series_registry.first_occurred_at``). Either is
        accepted when writing, as are datetimes and pandas Timestamps.
    """

    impl = String(ISO_WIDTH + 5)
    cache_ok = True

    def __init__(self, python: Literal["iso", "ns"] = "iso") -> None:
        super().__init__()
        self.python = python

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TIMESTAMP(timezone=True))
        return dialect.type_descriptor(String(ISO_WIDTH + 5))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        stamp = _timestamp(value)
        if stamp is None:
            return None
        if dialect.name == "postgresql":
            return stamp.to_pydatetime(warn=False)
        return iso_utc(np.array([stamp.value]))[0]

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        stamp = _timestamp(value)
        if stamp is None:
            return None
        return stamp.value if self.python == "ns" else stamp.isoformat()


class _PostGIS(UserDefinedType[bytes]):
    """PostGIS ``geometry(kind, 4326)``: WKB in (``ST_GeomFromWKB``), WKB out (``ST_AsBinary``)."""

    cache_ok = True

    def __init__(self, kind: str = "Geometry") -> None:
        self.kind = kind

    def get_col_spec(self, **_kw: Any) -> str:
        return f"geometry({self.kind}, {SRID})"

    def bind_expression(self, bindvalue: Any) -> Any:
        return func.ST_GeomFromWKB(bindvalue, literal_column(str(SRID)), type_=self)

    def column_expression(self, column: Any) -> Any:
        return func.ST_AsBinary(column, type_=LargeBinary)


class Geometry(TypeDecorator[bytes]):
    """A geometry in EPSG:4326: PostGIS on PostgreSQL, WKB bytes on SQLite."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(_PostGIS())
        return dialect.type_descriptor(LargeBinary())

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return bytes(value) if isinstance(value, memoryview) else value

