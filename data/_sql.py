"""SQL plumbing for the store: table definitions and the one dialect helper.

Times are :class:`~data._types.UtcTime` (``timestamptz`` on PostgreSQL, ISO-8601
UTC text on SQLite), calendar dates ISO text, geometries
:class:`~data._types.Geometry` (PostGIS on PostgreSQL, WKB on SQLite). On
PostgreSQL incidents and firearms also carry ``geom``, a PostGIS point computed
by the database from latitude/longitude, and every geometry has a GiST index,
so GIS tools (``ogrinfo``, QGIS) read the tables as layers. Everything goes
through SQLAlchemy Core; the dialect-specific code is :func:`upsert_statement`
(SQLite and PostgreSQL both have ``INSERT ... ON CONFLICT DO UPDATE``),
:func:`postgis_ddl` and the bulk copy of :mod:`data._copy`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    DDL,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.dml import Insert

from data import schema as S
from data._types import Geometry, UtcTime
from data.errors import StoreError

metadata = MetaData()

# logical dtype -> (SQL type, storage form)
_SQL_TYPES: dict[str, Any] = {
    "string": Text,
    "category": Text,
    "datetime": UtcTime(),  # timestamptz / ISO-8601 UTC text
    "date": String(10),  # YYYY-MM-DD
    "float": Float,
    "int": BigInteger,
    "bool": Boolean,
    "geometry": Geometry(),  # PostGIS / WKB
}


def _table(kind: str, *extra: Column) -> Table:
    schema = S.SCHEMAS[kind]
    columns: list[Column[Any]] = [
        Column(f.name, _SQL_TYPES[f.dtype], primary_key=f.name == schema.id_field) for f in schema.fields
    ]
    return Table(kind, metadata, *columns, *extra, Column(S.SOURCE_IMPORT_ID, Integer))


TABLES: dict[str, Table] = {
    S.INCIDENTS: _table(S.INCIDENTS, Column(S.FAR_FROM_CITY, Boolean)),
    S.EVIDENCE: _table(S.EVIDENCE),
    S.FIREARMS: _table(S.FIREARMS),
    S.LINKS: _table(S.LINKS),
    S.BOUNDARIES: _table(S.BOUNDARIES),
}
Index("ix_incidents_city_time", TABLES[S.INCIDENTS].c[S.CITY], TABLES[S.INCIDENTS].c[S.OCCURRED_AT])
Index("ix_evidence_incident", TABLES[S.EVIDENCE].c[S.INCIDENT_ID])
Index("ix_links_a", TABLES[S.LINKS].c[S.INCIDENT_A])
Index("ix_links_b", TABLES[S.LINKS].c[S.INCIDENT_B])

POINT_COLUMN = "geom"  # PostgreSQL only: the point GIS tools draw, computed from latitude/longitude
POINT_TABLES = (S.INCIDENTS, S.FIREARMS)


def postgis_ddl() -> list[str]:
    """The PostgreSQL statements that make the tables GIS layers (idempotent; migrations reuse them).

    A stored generated ``geom geometry(Point, 4326)`` column on incidents and
    firearms (empty when a coordinate is missing) and GiST indexes on it and
    on boundaries' geometry.
    """
    statements = []
    for kind in POINT_TABLES:
        point = f"ST_SetSRID(ST_MakePoint({S.LONGITUDE}, {S.LATITUDE}), 4326)"
        statements += [
            f"ALTER TABLE {kind} ADD COLUMN IF NOT EXISTS {POINT_COLUMN} geometry(Point, 4326) "
            f"GENERATED ALWAYS AS (CASE WHEN {S.LONGITUDE} IS NOT NULL AND {S.LATITUDE} IS NOT NULL "
            f"THEN {point} END) STORED",
            f"CREATE INDEX IF NOT EXISTS ix_{kind}_{POINT_COLUMN} ON {kind} USING gist ({POINT_COLUMN})",
        ]
    index = f"ix_{S.BOUNDARIES}_{S.GEOMETRY}"
    statements.append(f"CREATE INDEX IF NOT EXISTS {index} ON {S.BOUNDARIES} USING gist ({S.GEOMETRY})")
    return statements


for _kind, _statement in zip(
    (*(k for k in POINT_TABLES for _ in (0, 1)), S.BOUNDARIES), postgis_ddl(), strict=True
):
    event.listen(TABLES[_kind], "after_create", DDL(_statement).execute_if(dialect="postgresql"))

IMPORTS = Table(
    "imports",
    metadata,
    Column(S.SOURCE_IMPORT_ID, Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", UtcTime(), nullable=False),
    Column("kinds", Text),
    Column("rows_read", BigInteger),
    Column("rows_stored", BigInteger),
    Column("rows_rejected", BigInteger),
    Column("warnings", BigInteger),
)

SERIES_REGISTRY = Table(
    "series_registry",  # stable series ids (see SCHEMA.md, "Series ids"); rewritten per dataset version
    metadata,
    Column(S.SERIES_ID, Text, primary_key=True),
    Column("first_incident_id", Text),
    Column("first_occurred_at", UtcTime("ns")),  # Python sees epoch ns
    Column("size", BigInteger),
    Column("incident_ids", Text),  # "; "-joined, time order
    Column("link_ids", Text),  # "; "-joined
    Column("merged_into", Text),  # set on a retired id: the series it now belongs to
    Column("retired_on", String(10)),  # set when the id stopped naming a live series (merged or dissolved)
    Column("created_on", String(10)),
    Column("updated_on", String(10)),
    Column("history", Text),  # "; "-joined notes: merges, splits, dissolution, with dates
)

LINK_EVENTS = Table(
    S.LINK_EVENTS,  # append-only history of each link (data.lead_events); never updated or deleted
    metadata,
    Column(S.EVENT_ID, Integer, primary_key=True, autoincrement=True),
    Column(S.LINK_ID, Text, nullable=False, index=True),
    Column(S.EVENT, String(16), nullable=False),
    Column(S.EVENT_STATUS, String(16)),
    Column(S.EVENT_DATE, String(10)),  # YYYY-MM-DD
    Column(S.RECORDED_AT, UtcTime(), nullable=False),  # Python sees UTC ISO text
    Column(S.EVENT_BY, Text),
    Column(S.EVENT_TO, Text),
    Column(S.EVENT_NOTE, Text),
    Column(S.EVENT_FILE, Text),
    Column(S.SOURCE_IMPORT_ID, Integer),
)

USERS = Table(
    "users",  # team mode's role and scope per user (data.users; `python -m data users`)
    metadata,
    Column("name", Text, primary_key=True),  # as signed in: the e-mail (or subject) claim
    Column("role", String(16)),  # viewer / analyst / admin; NULL: revoked, no access
    Column("cities", Text, nullable=False, default="[]"),  # JSON list; empty: every city
    Column("agencies", Text, nullable=False, default="[]"),  # JSON list; empty: every agency
    Column("granted_by", Text),
    Column("granted_at", String(32)),  # UTC ISO time
)

META = Table(
    "brassmap_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

AUDIT_LOG = Table(
    "audit_log",  # append-only, hash-chained trail of who did what (data.audit); never updated or deleted
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),  # 1, 2, 3... with no gaps
    Column("recorded_at", DateTime(timezone=True), nullable=False),  # UTC, microseconds
    Column("user_name", Text, nullable=False),
    Column("action", String(32), nullable=False, index=True),
    Column("details", Text, nullable=False),  # canonical JSON (sorted keys, no spaces)
    Column("prev_hash", String(64), nullable=False, unique=True),  # the record before's hash: no fork
    Column("hash", String(64), nullable=False, unique=True),  # SHA-256 of the canonical record
)


def upsert_statement(connection: Connection, table: Table, columns: list[str] | None = None) -> Insert:
    """``INSERT ... ON CONFLICT (id) DO UPDATE`` of ``columns`` (default all) for the connection's dialect.

    Columns left out keep their stored values on conflict (an import that
    does not map a field does not erase it).
    """
    from sqlalchemy.dialects import postgresql, sqlite

    inserts: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
    name = connection.dialect.name
    if name not in inserts:
        raise StoreError(f"the store supports SQLite and PostgreSQL databases, not {name}; change --db")
    statement = inserts[name](table)
    keys = [c.name for c in table.primary_key.columns]
    chosen = columns or [c.name for c in table.columns]
    updates = {name: statement.excluded[name] for name in chosen if name not in keys}
    return statement.on_conflict_do_update(index_elements=keys, set_=updates)


def tune(engine: Engine) -> None:
    """Dialect settings that make bulk loads fast, applied to every new connection.

    SQLite: WAL journal (readers do not block the writer), ``synchronous=NORMAL``
    (safe with WAL), a 64 MiB page cache and a 30 s busy timeout.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536", "busy_timeout=30000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
