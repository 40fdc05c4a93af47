"""``python -m data db upgrade|status|revision``: the store's schema revisions (:mod:`data.migrations`)."""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK, EXIT_OUTDATED = 0, 1


def add_parser(commands: Any, db_help: str) -> None:
    """Add the ``db`` command (``upgrade``, ``status``, ``revision``) to the ``python -m data`` subparsers."""
    database = commands.add_parser(
        "db", help="the store's schema: upgrade a store written by an earlier brassmap",
        description="Schema revisions of the store (Alembic scripts, data/migrations/versions).")  # fmt: skip
    actions = database.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade", help="bring the store to the current schema, keeping every record",
        description="Migrate the store to the schema this brassmap needs, in one transaction (a failure "
        "changes nothing). Back the store up first. Running it again changes nothing; an empty database "
        "gets a new store.")  # fmt: skip
    upgrade.add_argument("--db", metavar="URL", help=db_help)
    status = actions.add_parser(
        "status", help="print the store's schema revision and whether it needs an upgrade (exit 1 if so)")
    status.add_argument("--db", metavar="URL", help=db_help)
    revision = actions.add_parser(
        "revision", help="(developers) draft a revision for a change to data/_sql.py",
        description="Write data/migrations/versions/vNNNN_<message>.py from the difference between the "
        "revisions so far and data/_sql.py; read it, add any data conversion, add NNNN to "
        "data/migrations/__init__.py REVISIONS (see SCHEMA.md).")  # fmt: skip
    revision.add_argument("message", help='what changed, e.g. "audit table"')


def run(args: argparse.Namespace) -> int:
    """Carry out ``db upgrade|status|revision``; return the exit code (errors raise ``BrassmapError``)."""
    from data.migrations.upgrade import draft_revision, store_status, upgrade_store
    from data.store import default_db_url

    if args.db_command == "revision":
        path = draft_revision(args.message)
        print(f"wrote {path}: read it, write the data conversion if any, then add its revision to REVISIONS "
              "in data/migrations/__init__.py and run tests/data/test_migrations.py")  # fmt: skip
        return EXIT_OK
    if args.db_command == "status":
        line, current = store_status(args.db or default_db_url())
        print(line)
        return EXIT_OK if current else EXIT_OUTDATED
    print(upgrade_store(args.db or default_db_url()).summary())
    return EXIT_OK
