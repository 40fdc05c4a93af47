"""The store's schema revision: what the code expects, what a store holds, and the check between them.

Every change to the tables of :mod:`data._sql` comes with an Alembic revision
in ``data/migrations/versions/`` that brings an existing store to it
(``python -m data db revision "what changed"`` writes a first draft; see
SCHEMA.md, "Schema changes and migrations"), and :data:`HEAD` names the
newest revision. ``tests/data/test_migrations.py`` fails until both are done.

A store records its revision in Alembic's ``alembic_version`` table. The
check here is plain SQLAlchemy (importing Alembic costs a second, and every
command opens the store): :func:`open_schema` creates a new store at
:data:`HEAD`, passes a store at :data:`HEAD`, and refuses anything else with
:class:`~data.errors.OutdatedStoreError`. A store holding brassmap's tables
but no revision was written by the release before migrations existed: it is
at :data:`BASELINE` (the first revision, which matches that release's schema).
Upgrading runs Alembic: :mod:`data.migrations.upgrade`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, select
from sqlalchemy.engine import Connection

from data._sql import META, metadata
from data.errors import OutdatedStoreError

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
"""Every revision in ``versions/``, oldest first. Add yours at the end with each schema change."""

BASELINE = REVISIONS[0]
"""The schema of the last release before migrations (commit 32f4621): tables made by ``create_all``."""

HEAD = REVISIONS[-1]
"""The newest revision: the schema :mod:`data._sql` describes."""

VERSION_TABLE = Table(  # the table Alembic keeps (same name, column and key), outside brassmap's metadata
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

UPGRADE_COMMAND = "python -m data db upgrade --db {url}"


@dataclass(frozen=True)
class SchemaState:
    """What a database holds.

    Attributes
    ----------
    revision : str or None
        The recorded revision; :data:`BASELINE` for a store without one that
        holds brassmap tables; ``None`` for a database without brassmap tables.
    recorded : bool
        Whether the revision is recorded (``alembic_version`` has a row).
    """

    revision: str | None
    recorded: bool

    @property
    def is_new(self) -> bool:
        """A database holding none of brassmap's tables (a new store)."""
        return self.revision is None

    @property
    def is_current(self) -> bool:
        """The store is recorded at :data:`HEAD` (an unrecorded one needs upgrading, if only to record it)."""
        return self.recorded and self.revision == HEAD


def schema_state(connection: Connection) -> SchemaState:
    """Read the revision a database's store is at (see :class:`SchemaState`)."""
    found = inspect(connection)  # the first schema of the search path only (PostGIS's tables are in public)
    tables = set(found.get_table_names(schema=found.default_schema_name))
    if VERSION_TABLE.name in tables:
        recorded = connection.execute(select(VERSION_TABLE.c.version_num)).scalars().all()
        if len(recorded) == 1:
            return SchemaState(revision=str(recorded[0]), recorded=True)
    if tables & set(metadata.tables):
        return SchemaState(revision=BASELINE, recorded=False)
    return SchemaState(revision=None, recorded=False)


def create_at_head(connection: Connection) -> None:
    """Create every table of a new store and record it at :data:`HEAD` (nothing to migrate)."""
    metadata.create_all(connection)
    VERSION_TABLE.create(connection, checkfirst=True)
    if connection.execute(select(VERSION_TABLE.c.version_num)).first() is None:
        connection.execute(VERSION_TABLE.insert().values(version_num=HEAD))


def outdated_message(state: SchemaState, where: str) -> str:
    """The user's message for a store that is not at :data:`HEAD`, naming the command that upgrades it."""
    command = UPGRADE_COMMAND.format(url=where)
    if state.revision not in REVISIONS:
        return (
            f"the store {where} is at schema revision {state.revision}, which this brassmap does not know "
            f"(it knows {', '.join(REVISIONS)}): it was written by a newer brassmap. "
            "Update brassmap to open it."
        )
    made_by = f"schema revision {state.revision}" if state.recorded else "the release before schema revisions"
    return (
        f"the store {where} was written by an earlier brassmap ({made_by}; this brassmap needs schema "
        f"revision {HEAD}). Back it up, then upgrade it, keeping every record: {command}"
    )


def open_schema(connection: Connection, where: str) -> None:
    """Create a new store at :data:`HEAD`, pass a current one, refuse any other.

    Parameters
    ----------
    connection : Connection
        In a transaction (creation is all or nothing).
    where : str
        The store's URL as shown to users (password hidden), for the message.

    Raises
    ------
    OutdatedStoreError
        The store is at another revision; the message says how to upgrade it.
    """
    state = schema_state(connection)
    if state.is_new:
        create_at_head(connection)
    elif not state.is_current:
        raise OutdatedStoreError(outdated_message(state, where))


def bump_dataset_version(connection: Connection, token: str) -> None:
    """Give a used store a new dataset version (snapshots and open dashboards then reload it).

    A store that never had one keeps none (the dashboard still fills a new store with the demo).
    """
    connection.execute(META.update().where(META.c.key == "dataset_version").values(value=token))
