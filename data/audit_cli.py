"""``python -m data audit verify|export``, and the ``--as NAME`` every recording command takes.

Command-line actions are recorded as the operating-system user, or as ``--as NAME`` (then the
record's details keep the OS user too, under ``os_user``): see :func:`add_as_option`,
:func:`actor` and :func:`record`. ``python -m linking`` uses the same three.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from data import audit
from data.access import User, local_user, os_user_name

if TYPE_CHECKING:
    from data.store import Store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_DB_HELP = "SQLAlchemy URL (default: $BRASSMAP_DB, else var/brassmap.sqlite)"
EXPORT_COLUMNS: tuple[str, ...] = audit.COLUMNS


def add_as_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--as NAME`` (who the audit trail records; default the operating-system user)."""
    parser.add_argument("--as", dest="acting_as", metavar="NAME",
                        help="record this action in the audit trail as NAME (default: the OS user "
                        f"{os_user_name()!r}; the OS user is kept in the record too)")  # fmt: skip


def actor(args: argparse.Namespace) -> User:
    """Who a command acts as: ``--as NAME``, else the operating-system user."""
    name = getattr(args, "acting_as", None)
    return local_user(name.strip() if isinstance(name, str) and name.strip() else None)


def record(target: Store | Any, args: argparse.Namespace, action: str, details: dict[str, Any]) -> None:
    """Append the command's audit record (``via: command line``, the OS user when ``--as`` differs)."""
    user = actor(args)
    extra: dict[str, Any] = {"via": "command line"}
    if user.name != os_user_name():
        extra["os_user"] = os_user_name()
    audit.append(target, user, action, {**details, **extra})


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01") from None


def add_commands(commands: Any) -> None:
    """Add ``audit verify`` and ``audit export`` to the ``python -m data`` sub-parsers."""
    trail = commands.add_parser(
        "audit", help="check or export the audit trail (who imported, viewed, searched, exported what)",
        description="The audit trail is append-only and hash-chained: each record carries the hash of "
        "the one before (SCHEMA.md, 'Audit trail').",
    )
    actions = trail.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "verify", help="check the chain; name the first broken record (exit 1) or say OK with the count",
        description="Walk the trail in order: every record present, each carrying the hash of the one "
        "before, each hash matching its record, the last one the head kept in the store. Prints one line.",
    )
    check.add_argument("--db", metavar="URL", help=_DB_HELP)
    check.add_argument("--head", metavar="SEQ:HASH",
                       help="also check the chain still holds this head, printed by an earlier verify and "
                       "kept outside the database (catches a rewritten tail)")  # fmt: skip
    out = actions.add_parser(
        "export", help="write the trail (or part of it) to a formula-safe CSV",
        description="Columns: seq, recorded_at (UTC), user_name, action, details (JSON), prev_hash, hash. "
        "The export itself is recorded in the trail.",
    )
    out.add_argument("--out", required=True, type=Path, metavar="FILE.csv", help="file to write")
    out.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="records from this UTC day on")
    out.add_argument("--user", metavar="USER", help="only this user's records")
    out.add_argument("--action", choices=audit.ACTIONS, help="only this action's records")
    out.add_argument("--db", metavar="URL", help=_DB_HELP)
    add_as_option(out)


def run(args: argparse.Namespace, store: Store) -> int:
    """Run ``audit verify`` or ``audit export`` on ``store``; return the exit code."""
    if args.audit_command == "verify":
        verdict = audit.verify(store, expected_head=args.head)
        print(verdict.message(), file=sys.stdout if verdict.ok else sys.stderr)
        return EXIT_OK if verdict.ok else EXIT_FAILED
    return _export(args, store)


def _export(args: argparse.Namespace, store: Store) -> int:
    from data.csv_out import write_csv
    from data.store import sha256_of

    path: Path = args.out
    problem = None
    if path.is_dir():
        problem = f"--out {path} is a folder; give a file name, e.g. {path / 'audit.csv'}"
    elif not path.parent.exists():
        problem = f"--out {path}: the folder {path.parent} does not exist; create it first"
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    frame = audit.read_frame(store, since=args.since, user=args.user, action=args.action)
    write_csv(frame, path)
    digest = sha256_of(path)
    wanted = {"since": args.since, "user": args.user, "action": args.action}
    record(store, args, "audit_export", {
        "format": "csv", "file_name": path.name, "filter": {k: v for k, v in wanted.items() if v},
        "rows": len(frame), "sha256": digest,
    })  # fmt: skip
    print(f"{digest}  {path}")
    print(f"wrote {path}: {len(frame):,} audit records", file=sys.stderr)
    return EXIT_OK
