"""PostgreSQL bulk upsert: ``COPY`` rows into a temporary table, then one ``INSERT ... ON CONFLICT``.

``COPY`` is PostgreSQL's fast path for loading rows (one stream instead of
a statement per row); the upsert from the temporary table keeps
:meth:`data.store.Store.save`'s rule: rows are matched by id, and columns the
import did not map keep their stored values. When one batch repeats an id,
the last row wins (as with SQLite's row-by-row upsert).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

_ORDER = "_brassmap_row"


def copy_upsert(
    connection: Connection, table: Table, names: Sequence[str], chunks: Iterable[list[tuple]]
) -> int:
    """Upsert rows (tuples of ``names``, in COPY text form) into ``table`` inside the open transaction.

    Parameters
    ----------
    connection : Connection
        A SQLAlchemy connection to PostgreSQL through psycopg 3, in a transaction.
    table : Table
        The target table; its primary key is the conflict target.
    names : sequence of str
        Columns of each row, the primary key among them.
    chunks : iterable of list of tuple
        Rows, chunk by chunk (values: ``None``, str, int, float, bool; times as
        ISO text, geometries as hex EWKB).

    Returns
    -------
    int
        Rows copied.
    """
    quote = connection.dialect.identifier_preparer.quote
    target = quote(table.name)
    temporary = quote(f"_brassmap_copy_{table.name}")
    columns = ", ".join(quote(n) for n in names)
    keys = [c.name for c in table.primary_key.columns]
    key_list = ", ".join(quote(k) for k in keys)
    updates = ", ".join(f"{quote(n)} = EXCLUDED.{quote(n)}" for n in names if n not in keys)
    on_conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    raw: Any = connection.connection.driver_connection
    try:
        return _copy(raw, target, temporary, columns, key_list, on_conflict, chunks)
    except raw.Error as exc:  # a driver error, reported like any other database error (data.store.save)
        raise DBAPIError.instance(f"COPY into {table.name}", None, exc, raw.Error) from exc


def _copy(
    raw: Any, target: str, temporary: str, columns: str, key_list: str, on_conflict: str,
    chunks: Iterable[list[tuple]],
) -> int:  # fmt: skip
    total = 0
    with raw.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temporary}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temporary} ON COMMIT DROP "
            f"AS SELECT {columns} FROM {target} WITH NO DATA"
        )
        cursor.execute(f"ALTER TABLE {temporary} ADD COLUMN {_ORDER} bigserial")
        with cursor.copy(f"COPY {temporary} ({columns}) FROM STDIN") as copy:
            for rows in chunks:
                for row in rows:
                    copy.write_row(row)
                total += len(rows)
        cursor.execute(
            f"INSERT INTO {target} ({columns}) "
            f"SELECT DISTINCT ON ({key_list}) {columns} FROM {temporary} ORDER BY {key_list}, {_ORDER} DESC "
            f"ON CONFLICT ({key_list}) {on_conflict}"
        )
        cursor.execute(f"DROP TABLE {temporary}")
    return total
