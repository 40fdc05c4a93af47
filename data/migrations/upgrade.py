"""``python -m data db upgrade``: bring a store to the current schema with Alembic, keeping every row.

Alembic is driven from code (no ``alembic.ini``): the script directory is
this package, the connection is passed to ``env.py``. One upgrade is one
transaction, on SQLite too (the driver's implicit transactions are switched
off and ``BEGIN IMMEDIATE`` is issued, so DDL is part of it): a failing
revision leaves the store exactly as it was. Running it on a current store
changes nothing; on a new (empty) database it creates the store at head.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from data._sql import tune
from data.errors import OutdatedStoreError, StoreError
from data.migrations import (
    HEAD,
    REVISIONS,
    SchemaState,
    bump_dataset_version,
    create_at_head,
    outdated_message,
    schema_state,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class UpgradeResult:
    """What one upgrade did.

    Attributes
    ----------
    where : str
        The store (password hidden).
    before : SchemaState
        Its revision before.
    applied : tuple of str
        Revisions run, oldest first (empty: nothing to do, or a new store).
    created : bool
        The database was empty: the store was created at head.
    """

    where: str
    before: SchemaState
    applied: tuple[str, ...]
    created: bool

    def summary(self) -> str:
        """One line for the command line."""
        if self.created:
            return f"created a new store at schema revision {HEAD} in {self.where}"
        if not self.applied:
            return f"{self.where} is already at schema revision {HEAD}; nothing to do"
        start = self.before.revision if self.before.recorded else f"{self.before.revision} (release baseline)"
        return (
            f"upgraded {self.where} from schema revision {start} to {HEAD} "
            f"(ran {', '.join(self.applied)}); every record was kept"
        )


def shown(url: str) -> str:
    """``url`` with its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def alembic_config(connection: Connection | None) -> Any:
    """Alembic's configuration for this package's scripts, handing ``connection`` to ``env.py``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


def transactional_engine(url: str) -> Engine:
    """An engine whose transactions include DDL on SQLite too (pysqlite only wraps DML by default)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    tune(engine)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _driver_autocommit(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def pending(state: SchemaState) -> tuple[str, ...]:
    """Revisions an upgrade runs from ``state`` (a store with no recorded revision runs the baseline too)."""
    if state.revision is None:
        return ()
    start = REVISIONS.index(state.revision) + (1 if state.recorded else 0)
    return REVISIONS[start:]


def upgrade_store(url: str) -> UpgradeResult:
    """Upgrade the store at ``url`` to :data:`~data.migrations.HEAD` in one transaction.

    Raises
    ------
    OutdatedStoreError
        The store is at a revision this brassmap does not know (a newer brassmap wrote it).
    StoreError
        The database cannot be opened, or a revision failed (nothing was changed).
    """
    where = shown(url)
    try:
        engine = transactional_engine(url)
        try:
            with engine.begin() as connection:
                state = schema_state(connection)
                if state.is_new:
                    create_at_head(connection)
                    return UpgradeResult(where, state, (), created=True)
                if state.revision not in REVISIONS:
                    raise OutdatedStoreError(outdated_message(state, where))
                steps = pending(state)
                if steps:
                    from alembic import command

                    command.upgrade(alembic_config(connection), "head")
                    bump_dataset_version(connection, uuid.uuid4().hex[:16])
                return UpgradeResult(where, state, steps, created=False)
        finally:
            engine.dispose()
    except (SQLAlchemyError, OSError) as exc:
        raise StoreError(f"upgrading {where} failed and was rolled back, nothing changed: {exc}") from exc


def store_status(url: str) -> tuple[str, bool]:
    """One line on the store's schema revision, and whether it is current (nothing is changed)."""
    where = shown(url)
    new = f"{where} holds no brassmap store yet (one is created at schema revision {HEAD} on first use)"
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return new, True  # connecting would create the file
    try:
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                state = schema_state(connection)
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the schema revision of {where}: {exc}") from exc
    if state.is_new:
        return new, True
    if state.is_current:
        return f"{where} is at schema revision {HEAD}, the current one", True
    return outdated_message(state, where), False


def draft_revision(message: str) -> Path:
    """Write a draft revision for the difference between the revisions so far and :mod:`data._sql`.

    A scratch SQLite store is built through every revision, then Alembic's
    autogenerate compares it with the tables in ``data/_sql.py``. The draft
    needs reading: data conversions (for example a type change) are yours to
    write, and PostgreSQL-only columns need checking on PostgreSQL.

    Returns
    -------
    Path
        The new file in ``data/migrations/versions/``.
    """
    from alembic import command

    rev_id = f"{len(REVISIONS) + 1:04d}"
    with tempfile.TemporaryDirectory(prefix="brassmap-revision-") as scratch:
        engine = transactional_engine(f"sqlite:///{Path(scratch) / 'draft.sqlite'}")
        try:
            with engine.begin() as connection:
                command.upgrade(alembic_config(connection), "head")
                script = command.revision(
                    alembic_config(connection), message=message, autogenerate=True, rev_id=rev_id
                )
        finally:
            engine.dispose()
    if script is None or isinstance(script, list):
        raise StoreError("Alembic wrote no single revision; check data/migrations/versions")
    return Path(script.path)
