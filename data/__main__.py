"""Command line: ``python -m data import FILE --mapping MAP.toml``, ``demo``, ``reset``, ``audit``, ``db``.

Imports, resets, demo builds and audit exports are recorded in the audit trail as the
operating-system user, or ``--as NAME`` (:mod:`data.audit_cli`).

Exit codes: 0 ok, 1 the import failed or every row was rejected, 2 usage
errors. User errors print one message, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from data import audit_cli, db_cli, users_cli
from data import schema as S
from data.errors import AllRowsRejectedError, BrassmapError
from data.store import EMPTY_VERSION, ENV_VAR, Store, default_db_url

if TYPE_CHECKING:
    from data.importer import ImportReport
    from data.mapping import Mapping

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_DB_HELP = (
    "database: sqlite:///FILE or postgresql+psycopg://USER:PW@HOST/DB "
    f"(default: ${ENV_VAR}, else var/brassmap.sqlite in the repository)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m data",
        description="brassmap data layer: import files into the store, or build the demo store.",
        epilog=f"The database defaults to ${ENV_VAR}, else {default_db_url()}.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    importing = commands.add_parser(
        "import",
        help="validate a file through a mapping and store what passes",
        description="Validate FILE through the mapping and store every row that passes (one transaction). "
        "Prints read / stored / rejected / warnings; exits 1 if the file cannot be read or every row "
        "is rejected. Presets live in data/presets/ (see SCHEMA.md).",
    )
    importing.add_argument("file", type=Path, metavar="FILE", help="CSV (any delimiter, gzip ok), .xlsx, "
                           "Parquet, GeoJSON, GeoPackage or shapefile (zipped or not)")
    importing.add_argument("--mapping", required=True, type=Path, metavar="MAP.toml",
                           help="mapping file (see SCHEMA.md)")
    importing.add_argument("--db", metavar="URL", help=_DB_HELP)
    importing.add_argument("--rejects", type=Path, metavar="OUT.csv",
                           help="write the rejects report (row, field, value, reason, severity) here")
    importing.add_argument("--dry-run", action="store_true", help="validate and report, store nothing")
    importing.add_argument("--replace-demo", action="store_true",
                           help="the store holds the synthetic demo: delete it in the same transaction as "
                           "this import (real records are never mixed into the demo)")
    audit_cli.add_as_option(importing)

    demo = commands.add_parser("demo", help="fill the store with synthetic demo data (clearly labelled)",
                               description="Fill the store with synthetic demo incidents and NIBIN links.")
    demo.add_argument("--db", metavar="URL", help=_DB_HELP)
    demo.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    demo.add_argument("--incidents", type=int, default=None, metavar="N",
                      help="number of incidents (default: realistic yearly counts per city)")
    demo.add_argument("--boundaries", type=Path, default=None, metavar="DIR",
                      help="folder of real boundary files read in place (default: ../shared/realdata/"
                      "boundaries; without it the demo keeps its own generated city limits)")
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing unless the store is new (a store emptied with reset stays empty)")
    audit_cli.add_as_option(demo)

    reset = commands.add_parser(
        "reset",
        help="empty the store (every record, the import history, series ids)",
        description="Delete every record, the import history and the series registry of the store; the "
        "tables stay. Refuses without --yes. The dashboard does not refill a store emptied this way with "
        "the demo: it waits for your import.",
    )
    reset.add_argument("--db", metavar="URL", help=_DB_HELP)
    reset.add_argument("--yes", action="store_true", help="really empty it (nothing is deleted without it)")
    users_cli.add_parser(commands, _DB_HELP)
    audit_cli.add_as_option(reset)
    audit_cli.add_commands(commands)
    db_cli.add_parser(commands, _DB_HELP)
    return parser


def _import(args: argparse.Namespace) -> int:
    from data.importer import read_validated, summarise, write_rejects
    from data.mapping import load_mapping

    mapping = load_mapping(args.mapping)
    store = Store(args.db)
    try:
        if args.dry_run:
            batch = read_validated(args.file, mapping, store=store)
            print(summarise(batch))
            print("dry run: nothing stored")
            from data.demo_guard import batch_mix, mix_of

            if batch_mix(batch.records).holds_real and mix_of(store).holds_demo and not args.replace_demo:
                print(f"note: {store!r} holds the synthetic demo; this import would be refused without "
                      "--replace-demo (or empty the store first: python -m data reset --db URL --yes)")
            rejects = batch.rejects
            code = EXIT_OK if batch.rows_stored else EXIT_FAILED
        else:
            report = _recorded_import(args, mapping, store)
            print(report.summary())
            store.warm_snapshot()
            rejects = report.rejects
            code = EXIT_OK
    except AllRowsRejectedError as exc:
        if args.rejects is not None and exc.report is not None:
            write_rejects(exc.report.rejects, args.rejects)
            print(f"rejects report: {args.rejects}", file=sys.stderr)
        if exc.report is not None:
            print(exc.report.summary(), file=sys.stderr)
        raise
    if args.rejects is not None:
        write_rejects(rejects, args.rejects)
        print(f"rejects report: {args.rejects} ({len(rejects):,} lines)")
    return code


def _recorded_import(args: argparse.Namespace, mapping: Mapping, store: Store) -> ImportReport:
    """Import the file and record it in the audit trail (a refused import too, with the reason)."""
    from data.audit import import_details
    from data.importer import import_file
    from data.store import sha256_of

    details = {"file_name": args.file.name, "kind": mapping.kind, "replace_demo": args.replace_demo}
    try:
        report = import_file(args.file, mapping, store, replace_demo=args.replace_demo)
    except BrassmapError as exc:
        failed = getattr(exc, "report", None)
        digest = failed.batch.sha256 if failed is not None else (
            sha256_of(args.file) if args.file.is_file() else None)  # fmt: skip
        refused = import_details(failed, **details, sha256=digest, error=str(exc))
        audit_cli.record(store, args, "import", refused)
        raise
    audit_cli.record(store, args, "import", import_details(report, **details, sha256=report.batch.sha256))
    return report


def _demo(args: argparse.Namespace) -> int:
    store = Store(args.db)
    if args.if_empty and not store.is_empty():
        print(f"{store!r} already holds data; nothing to do (--if-empty)")
        return EXIT_OK
    if args.if_empty and store.dataset_version() != EMPTY_VERSION:
        print(f"{store!r} was emptied on purpose (reset); it waits for your import (--if-empty)")
        return EXIT_OK
    from data.demo import build_demo_store

    started = time.perf_counter()
    from data.demo.real_boundaries import DEFAULT_FOLDER, real_boundary_files

    folder = args.boundaries or DEFAULT_FOLDER
    build_demo_store(store, seed=args.seed, incidents=args.incidents, boundaries_from=folder)
    if real_boundary_files(folder):
        print(f"geography: city limits, neighbourhoods and police districts read in place from {folder}")
    else:
        print(f"geography: {folder} not found, so only the demo's own generated city limits")
    store.warm_snapshot()
    frames_note = f"{store.count('incidents'):,} incidents, {store.count('links'):,} links"
    audit_cli.record(store, args, "demo", {"seed": args.seed, "incidents": store.count("incidents"),
                                           "links": store.count("links"), "boundaries_from": str(folder)})
    elapsed = time.perf_counter() - started
    print(f"demo store ready in {elapsed:.1f} s: {frames_note} (synthetic) in {store!r}")
    return EXIT_OK


def _reset(args: argparse.Namespace) -> int:
    store = Store(args.db)
    held = {kind: store.count(kind) for kind in S.KINDS}
    described = ", ".join(f"{n:,} {kind}" for kind, n in held.items())
    if not args.yes:
        print(
            f"error: reset deletes every record of {store!r} ({described}), its import history and series "
            "ids; nothing was deleted. Run again with --yes to empty it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    store.clear()
    audit_cli.record(store, args, "reset", {"removed": held})
    print(f"emptied {store!r}: removed {described}. Import your files with python -m data import.")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "import":
            return _import(args)
        if args.command == "reset":
            return _reset(args)
        if args.command == "users":
            return users_cli.run(args)
        if args.command == "audit":
            return audit_cli.run(args, Store(args.db))
        if args.command == "db":
            return db_cli.run(args)
        return _demo(args)
    except BrassmapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
