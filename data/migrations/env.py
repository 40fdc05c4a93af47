"""Alembic's environment for brassmap: run by :mod:`data.migrations.upgrade`, never on its own.

The caller passes an open connection, already in a transaction, in
``config.attributes["connection"]``: every revision of one upgrade runs in
that one transaction (all or nothing, SQLite included). Batch mode lets
revisions alter SQLite tables (Alembic copies the table).
"""

from __future__ import annotations

from alembic import context

from data._sql import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
