"""``python -m data users list|grant|revoke``: who may use team mode, with which role and scope."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from data.access import ROLES, os_user_name

EXIT_OK = 0


def add_parser(commands: Any, db_help: str) -> None:
    """Add the ``users`` command (and its list, grant, revoke) to the ``python -m data`` subparsers."""
    users = commands.add_parser(
        "users",
        help="team mode: list, grant or revoke users' roles and scope",
        description="Roles and scope for team mode. A user in this table gets its role and scope whatever "
        "the identity provider's claims say; revoke keeps the user here with no access. Names are what the "
        "user signs in as (the e-mail claim by default), compared without case.",
    )
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="print every user with role and scope")
    granting = actions.add_parser("grant", help="give USER a role (and limit it to cities or agencies)")
    granting.add_argument("user", metavar="USER", help="the name the user signs in as (e-mail)")
    granting.add_argument("--role", required=True, choices=ROLES, help="viewer, analyst or admin")
    granting.add_argument("--city", action="append", default=[], metavar="CITY",
                          help="limit to this city (repeat for more; none: every city)")
    granting.add_argument("--agency", action="append", default=[], metavar="AGENCY",
                          help="limit to this agency (repeat for more; none: every agency)")
    revoking = actions.add_parser("revoke", help="take away USER's access")
    revoking.add_argument("user", metavar="USER")
    for action in (listing, granting, revoking):
        action.add_argument("--db", metavar="URL", help=db_help)
        action.add_argument("--as", dest="acting_as", metavar="NAME",
                            help="record the change as NAME (default: the operating-system user)")


def run(args: argparse.Namespace) -> int:
    """Carry out ``users list|grant|revoke``; return the exit code (errors raise ``BrassmapError``)."""
    from data.store import Store
    from data.users import describe, grant, list_users, revoke, unknown_scope

    store = Store(args.db)
    by = args.acting_as or os_user_name()
    if args.users_command == "list":
        users = list_users(store)
        for user in users:
            print(describe(user))
        if not users:
            print(f"no users in {store!r}: roles come from the identity provider's claims alone")
        return EXIT_OK
    if args.users_command == "grant":
        user = grant(store, args.user, args.role, cities=args.city, agencies=args.agency, by=by)
        print(f"granted: {describe(user)}")
        for note in unknown_scope(store, user):
            print(f"note: {note}", file=sys.stderr)
    else:
        user = revoke(store, args.user, by=by)
        print(f"revoked: {user.name} has no access now")
    _record(store, by, args.users_command, user)
    return EXIT_OK


def _record(store: Any, by: str, action: str, user: Any) -> None:
    """Append the role change to the audit trail (who changed whose role, to what scope)."""
    from data import audit

    audit.record_role_change(store, by=by, action=action, user=user)
