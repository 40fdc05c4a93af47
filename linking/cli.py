"""``python -m linking``: export the current selection, or print the series table.

The same code path as the dashboard: ``Store.load_frames`` → ``select`` →
an exporter from :data:`linking.exports.EXPORTERS`.

Exit codes: 0 ok, 1 the data or the output could not be used, 2 usage
(bad option values). User errors print one line, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from data import schema as S
from data.errors import BrassmapError
from linking.filters import FilterError, Filters

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SERIES_PRINT_COLUMNS: tuple[str, ...] = (
    S.SERIES_ID,
    S.SERIES_SIZE,
    S.SERIES_LEADS,
    S.SERIES_HITS,
    S.FIRST_DATE,
    S.LAST_DATE,
    S.SPAN_DAYS,
    S.SPAN_KM,
    S.CITIES,
    S.HAS_FIREARM,
    S.DAYS_SINCE_LAST,
)


class CliError(BrassmapError):
    """A user error: printed as one line, then the process exits with ``code``."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2019-06-30") from None


def _statuses(text: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    bad = [v for v in values if v not in S.LINK_STATUSES]
    if bad or not values:
        raise argparse.ArgumentTypeError(
            f"{text!r}: unknown status {', '.join(bad) or '(none given)'}; "
            f"use a comma-separated list of {', '.join(S.LINK_STATUSES)}"
        )
    return values


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; use 1 or more")
    return value


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (the dashboard's sidebar)")
    group.add_argument(
        "--db", metavar="URL", help="SQLAlchemy URL (default: $BRASSMAP_DB, else var/brassmap.sqlite)"
    )
    group.add_argument("--city", action="extend", nargs="+", default=[], metavar="NAME",
                       help="city name(s); repeat or list several (default: all)")
    group.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="first local date (inclusive)")
    group.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="last local date (inclusive)")
    group.add_argument("--status", type=_statuses, default=S.DEFAULT_LINK_STATUSES, metavar="lead,hit",
                       help="link statuses that count (default lead,hit)")
    group.add_argument("--type", dest="incident_types", action="extend", nargs="+", default=[],
                       choices=S.INCIDENT_TYPES, metavar="TYPE", help="incident type(s)")
    group.add_argument("--min-series-size", type=_positive, default=2, metavar="N",
                       help="smallest series to keep (default 2)")
    group.add_argument(
        "--series", dest="series_id", metavar="ID", help="one series only, e.g. S-DET-19-000123"
    )
    group.add_argument("--only-linked", action="store_true", help="leave out incidents in no series")
    group.add_argument("--cut-to-window", action="store_true",
                       help="keep only the shootings matching the filter (default: series in view are whole)")
    group.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                       help="reference date for days since last shooting (default today, UTC)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and ``--help``)."""
    from linking.exports import EXPORTERS

    parser = argparse.ArgumentParser(
        prog="python -m linking",
        description="brassmap link engine: export the filtered link graph, list its series, work the leads.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export = commands.add_parser(
        "export",
        help="write the filtered incidents and links in one format",
        description="Write the filtered incidents and links. Every file says which filter and dataset "
        "produced it and that leads are not identifications. Sensitive fields are left out and addresses "
        "cut to the block unless asked.",
    )
    export.add_argument("--format", required=True, choices=list(EXPORTERS), help="output format")
    export.add_argument("--out", required=True, type=Path, metavar="PATH", help="file to write")
    _add_filters(export)
    export.add_argument("--include-sensitive", action="store_true",
                        help="include narratives and firearm serial numbers")
    export.add_argument(
        "--exact-addresses", action="store_true",
        help="do not generalise addresses to the block (the html map always shows the block)",
    )
    series = commands.add_parser("series", help="print the series table",
                                 description="Print one row per series, newest activity first.")
    _add_filters(series)
    series.add_argument("--json", action="store_true", help="print JSON records instead of a table")
    series.add_argument("--id", dest="lookup_id", metavar="S-…",
                        help="print that one series whole, following merges (ignores the filters)")
    find = commands.add_parser(
        "find", help="find an incident, case number, lead number, firearm, evidence or series id",
        description="Exact matches first (ignoring case), then ids starting with TEXT; each with its series.",
    )
    find.add_argument("text", metavar="TEXT")
    find.add_argument("--json", action="store_true", help="print JSON instead of a table")
    find.add_argument(
        "--db", metavar="URL", help="SQLAlchemy URL (default: $BRASSMAP_DB, else var/brassmap.sqlite)"
    )
    from data.audit_cli import add_as_option
    from linking import lead_cli

    for recorded in (export, series, find):
        add_as_option(recorded)
    lead_cli.add_commands(commands, _add_filters)
    return parser


def audit_record(args: argparse.Namespace, action: str, details: dict[str, Any]) -> None:
    """Append this command's record to the audit trail (as the OS user, or ``--as NAME``)."""
    from data.audit_cli import record
    from data.errors import StoreError
    from data.store import Store

    try:
        record(Store(args.db), args, action, {"command": args.command, **details})
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _filters(args: argparse.Namespace) -> Filters:
    try:
        return Filters(
            cities=tuple(args.city),
            date_from=args.since,
            date_to=args.until,
            incident_types=tuple(args.incident_types),
            link_statuses=tuple(args.status),
            min_series_size=args.min_series_size,
            only_linked=args.only_linked,
            series_id=args.series_id,
            cut_to_window=args.cut_to_window,
        )
    except FilterError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def _selection(args: argparse.Namespace) -> Any:
    from linking.selection import select

    filters = _filters(args)
    frames = _frames(args)
    known = set(frames.incidents[S.CITY].astype(str).unique())
    unknown = [c for c in filters.cities if c not in known]
    if unknown:
        raise CliError(
            f"--city {', '.join(unknown)}: no incidents for that city in the store; "
            f"known cities: {', '.join(sorted(known)) or '(none)'}",
            EXIT_USAGE,
        )
    return select(frames, filters, today=args.today)


def _frames(args: argparse.Namespace) -> Any:
    """The store's frames with their stable series (the registry brought up to date)."""
    from data.errors import StoreError
    from data.store import Store
    from linking.registry import stable_series

    try:
        store = Store(args.db)
        if store.is_empty():
            raise CliError(
                f"the store {store!r} holds no data; import a file (python -m data import ...) "
                "or build the demo (python -m data demo)"
            )
        return stable_series(store, store.load_frames())
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _export(args: argparse.Namespace) -> int:
    from linking.exports import EXPORTERS

    out: Path = args.out
    if out.exists() and out.is_dir():
        example = out / EXPORTERS[args.format].file_name()
        raise CliError(f"--out {out} is a folder; give a file name, e.g. {example}")
    if not out.parent.exists():
        raise CliError(f"--out {out}: the folder {out.parent} does not exist; create it first")
    selection = _selection(args)
    try:
        data = EXPORTERS[args.format].export(
            selection, include_sensitive=args.include_sensitive, generalise_addresses=not args.exact_addresses
        )
    except ImportError as exc:
        raise CliError(f"the {args.format} export is not available in this installation: {exc}") from None
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    from linking.audit_details import export_details

    details = export_details(selection, data, export_format=args.format, file_name=out.name,
                             include_sensitive=args.include_sensitive,
                             exact_addresses=args.exact_addresses)  # fmt: skip
    audit_record(args, "export", details)
    print(f"wrote {out} ({len(data):,} bytes, {args.format}): {selection.summary()}", file=sys.stderr)
    if selection.is_synthetic:
        print(S.SYNTHETIC_LABEL, file=sys.stderr)
    return EXIT_OK


def _json_cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _series(args: argparse.Namespace) -> int:
    from linking.cli_records import series_by_id, series_records

    if args.lookup_id:
        from linking.registry import UnknownSeriesError

        try:
            print(series_by_id(_frames(args), args.lookup_id, today=args.today, as_json=args.json))
        except UnknownSeriesError as exc:
            raise CliError(str(exc)) from None
        audit_record(args, "view", {"series_id": args.lookup_id})
        return EXIT_OK
    from linking.audit_details import filter_details, selection_counts

    selection = _selection(args)
    audit_record(args, "view", {**filter_details(selection.filters), "rows": selection_counts(selection)})
    table = selection.series
    if args.json:
        records = series_records(selection, _json_cell)
        document = {
            "filter": selection.filters.describe(),
            "dataset_version": selection.dataset_version,
            "caution": S.LEAD_DISCLAIMER,
            "synthetic": selection.is_synthetic,
            "series": records,
        }
        print(json.dumps(document, indent=1))
        return EXIT_OK
    print(f"# {selection.filters.describe()}")
    print(f"# {S.LEAD_DISCLAIMER}")
    if selection.is_synthetic:
        print(f"# {S.SYNTHETIC_LABEL}")
    if table.empty:
        print("no series in this filter")
        return EXIT_OK
    shown = table[list(SERIES_PRINT_COLUMNS)].copy()
    for column in (S.FIRST_DATE, S.LAST_DATE):
        shown[column] = pd.to_datetime(shown[column]).dt.strftime("%Y-%m-%d")
    print(shown.to_string(index=False))
    print(f"# {len(table)} series; {selection.summary()}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            return _export(args)
        if args.command == "find":
            from linking.audit_details import search_details
            from linking.cli_records import find_text
            from linking.search import find

            frames = _frames(args)
            print(find_text(frames, args.text, as_json=args.json))
            audit_record(args, "search", search_details(args.text, find(frames, args.text)))
            return EXIT_OK
        if args.command in ("lead", "leads", "kpis", "bulletin"):  # the lead desk: linking.lead_cli
            from linking import lead_cli

            return lead_cli.run(args, frames_of=_frames, selection_of=_selection)
        return _series(args)
    except CliError as exc:
        print(f"python -m linking {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK
