"""Times readable by any tool: ISO-8601 UTC text on SQLite, ``timestamptz`` and PostGIS on PostgreSQL.

Revision 0002 (after 0001), for commit dbb3274 (issue #14, item 5).

SQLite: ``incidents.occurred_at``, ``evidence.entered_at``,
``firearms.recovered_at`` and ``series_registry.first_occurred_at`` held epoch
nanoseconds (UTC) in BIGINT columns; each value is rewritten in place as
fixed-width ISO text, ``2021-06-02T03:30:00.000000Z`` (microseconds, as
PostgreSQL keeps), and the columns become VARCHAR(32). ``imports.imported_at``
and ``link_events.recorded_at`` were already text (``...+00:00``): they are
rewritten in the same fixed-width form, so text order is time order.

PostgreSQL: those columns become ``timestamptz`` (exact to the microsecond),
``boundaries.geometry`` a PostGIS ``geometry(Geometry, 4326)``, and incidents
and firearms gain the generated ``geom`` point column, with GiST indexes.

Every row is kept; nothing else changes. The conversions are frozen here
(not imported from :mod:`data._types`, which may change later).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NANOS = {  # table -> (primary key, epoch-ns column)
    "incidents": ("incident_id", "occurred_at"),
    "evidence": ("evidence_id", "entered_at"),
    "firearms": ("firearm_id", "recovered_at"),
    "series_registry": ("series_id", "first_occurred_at"),
}
TEXTS = {"imports": ("import_id", "imported_at"), "link_events": ("event_id", "recorded_at")}
ISO_TYPE = sa.String(32)
CHUNK = 50_000


def _iso_from_nanos(nanos: list[int]) -> list[str]:
    micros = np.asarray(nanos, dtype="int64").view("datetime64[ns]").astype("datetime64[us]")
    return [f"{text}Z" for text in np.datetime_as_string(micros, unit="us")]


def _iso_from_text(texts: list[str]) -> list[str]:
    import pandas as pd

    when = pd.to_datetime(pd.Series(texts, dtype="string"), format="ISO8601", utc=True)
    return _iso_from_nanos(when.dt.as_unit("ns").array.asi8.tolist())


def _rewrite(connection: Any, table: str, key: str, column: str, *, stored: str) -> None:
    """Rewrite every ``stored`` ('integer' or 'text') value of one column as fixed-width ISO text."""
    rows = connection.exec_driver_sql(
        f'SELECT "{key}", "{column}" FROM "{table}" WHERE typeof("{column}") = ?', (stored,)
    ).fetchall()
    convert = _iso_from_nanos if stored == "integer" else _iso_from_text
    update = f'UPDATE "{table}" SET "{column}" = ? WHERE "{key}" = ?'
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        texts = convert([value for _key, value in chunk])
        connection.exec_driver_sql(update, [(text, k) for text, (k, _v) in zip(texts, chunk, strict=True)])


def _sqlite() -> None:
    connection = op.get_bind()
    for table, (key, column) in NANOS.items():
        _rewrite(connection, table, key, column, stored="integer")  # text in an INTEGER-affinity column stays
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=ISO_TYPE, existing_type=sa.BigInteger())
    for table, (key, column) in TEXTS.items():
        _rewrite(connection, table, key, column, stored="text")


def _postgresql() -> None:
    for table, (_key, column) in NANOS.items():  # integer microseconds: exact (a double holds them)
        op.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE timestamptz USING '
            f"timestamptz 'epoch' + (\"{column}\" / 1000) * interval '1 microsecond'"
        )
    for table, (_key, column) in TEXTS.items():
        op.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE timestamptz USING "{column}"::timestamptz'
        )
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        "ALTER TABLE boundaries ALTER COLUMN geometry TYPE geometry(Geometry, 4326) "
        "USING ST_SetSRID(ST_GeomFromWKB(geometry), 4326)"
    )
    for table in ("incidents", "firearms"):
        point = "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)"
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS geom geometry(Point, 4326) GENERATED ALWAYS AS "
            f"(CASE WHEN longitude IS NOT NULL AND latitude IS NOT NULL THEN {point} END) STORED"
        )
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_geom ON {table} USING gist (geom)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_boundaries_geometry ON boundaries USING gist (geometry)")


def upgrade() -> None:
    """Convert every stored time (and, on PostgreSQL, every shape) in place."""
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def downgrade() -> None:
    """Not supported: restore the backup taken before upgrading."""
    raise NotImplementedError("brassmap does not downgrade stores; restore your backup")
