"""The lead desk on the command line: ``lead show|set``, ``leads``, ``kpis`` and ``bulletin``.

``python -m linking`` (:mod:`linking.cli`) adds these sub-commands with
:func:`add_commands` and hands them to :func:`run`. Every command reads the
same store and the same code as the dashboard's Leads view.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from data import schema as S
from data.audit_cli import actor, add_as_option
from linking.cli import EXIT_OK, EXIT_USAGE, CliError, audit_record

COMMANDS: tuple[str, ...] = ("lead", "leads", "kpis", "bulletin")
_DB_HELP = "SQLAlchemy URL (default: $BRASSMAP_DB, else var/brassmap.sqlite)"
_TODAY_HELP = "reference date (default: the newest shooting or lead date in the store)"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2019-06-30") from None


def add_commands(commands: Any, add_filters: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``lead``, ``leads``, ``kpis`` and ``bulletin`` to the ``python -m linking`` sub-parsers."""
    lead = commands.add_parser("lead", help="show one lead's history, or append an event to it",
                               description="A lead's life: imported, reviewed, disseminated, confirmed, "
                               "excluded, notes. LEAD is a NIBIN lead number or a link id.")  # fmt: skip
    actions = lead.add_subparsers(dest="lead_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="print the link(s) and their events")
    show.add_argument("lead", metavar="LEAD", help="NIBIN lead number or link id")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument("--db", metavar="URL", help=_DB_HELP)
    put = actions.add_parser("set", help="append one event (every link of a lead number gets it)")
    put.add_argument("lead", metavar="LEAD", help="NIBIN lead number or link id")
    put.add_argument("--event", required=True, choices=S.ANALYST_EVENT_KINDS)
    put.add_argument("--to", metavar="TEXT", help="disseminated: the agency, unit or investigator")
    put.add_argument("--note", metavar="TEXT", help="excluded: the reason; note: the text; else a remark")
    put.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="when it happened (default today, UTC)")
    put.add_argument("--by", metavar="NAME", help="who: analyst, or the examiner for confirmed")
    put.add_argument("--db", metavar="URL", help=_DB_HELP)

    queue = commands.add_parser("leads", help="the lead queue, ranked by the GETS triage score",
                                description="Leads ranked by a triage score (Geography, Events, Time, "
                                "Solvability) with its parts (weights: linking.triage).")  # fmt: skip
    queue.add_argument("--city", action="extend", nargs="+", default=[], metavar="NAME",
                       help="your cities: leads touching them, scored higher when inside them")
    queue.add_argument("--open", action="store_true",
                       help="only open leads (lead or pending, not disseminated)")
    queue.add_argument("--json", action="store_true", help="print JSON")
    queue.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=_TODAY_HELP)
    queue.add_argument("--db", metavar="URL", help=_DB_HELP)

    kpis = commands.add_parser("kpis", help="timeliness of leads: shooting -> entry -> lead -> dissemination",
                               description="Medians and the share within 2 days, per city, agency and month "
                               "(definitions in the README, 'Lead desk').")  # fmt: skip
    kpis.add_argument("--city", action="extend", nargs="+", default=[], metavar="NAME",
                      help="city of the later shooting")
    kpis.add_argument("--agency", action="extend", nargs="+", default=[], metavar="ORI",
                      help="agency of the later shooting")
    kpis.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="first lead date (inclusive)")
    kpis.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="last lead date (inclusive)")
    kpis.add_argument("--json", action="store_true", help="print JSON")
    kpis.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=_TODAY_HELP)
    kpis.add_argument("--db", metavar="URL", help=_DB_HELP)

    bulletin = commands.add_parser("bulletin", help="write a series bulletin (PDF) and print its SHA-256",
                                   description="A one- or two-page PDF for investigators: marking, lead "
                                   "caution, summary, offline map, link chart, timeline, incidents, leads "
                                   "and hits, provenance. --series is required.")  # fmt: skip
    bulletin.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="file to write")
    add_filters(bulletin)
    bulletin.add_argument("--by", metavar="NAME", help="who makes it (default: the login name)")
    bulletin.add_argument("--include-sensitive", action="store_true",
                          help="print narratives, serial numbers and exact addresses")
    for recorded in (show, put, queue, kpis, bulletin):
        add_as_option(recorded)


def run(
    args: argparse.Namespace,
    *,
    frames_of: Callable[[argparse.Namespace], Any],
    selection_of: Callable[[argparse.Namespace], Any],
) -> int:
    """Run one lead-desk command (``args.command`` in :data:`COMMANDS`)."""
    if args.command == "lead":
        return _show(args) if args.lead_command == "show" else _set(args)
    if args.command == "leads":
        return _leads(args, frames_of(args))
    if args.command == "kpis":
        return _kpis(args, frames_of(args))
    if args.command == "bulletin":
        return _bulletin(args, selection_of)
    raise CliError(f"unknown command {args.command}", EXIT_USAGE)


def _store(args: argparse.Namespace) -> Any:
    from data.errors import StoreError
    from data.store import Store

    try:
        return Store(args.db)
    except StoreError as exc:
        raise CliError(str(exc)) from None


def _link_ids(store: Any, lead: str) -> list[str]:
    from data.errors import LeadEventError
    from data.lead_events import resolve_lead

    try:
        return resolve_lead(store, lead)
    except LeadEventError as exc:
        raise CliError(str(exc)) from None


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def lead_record(store: Any, link_ids: list[str]) -> dict[str, Any]:
    """The links named by a lead and their events, as a JSON-ready document."""
    from data.lead_events import current_status, read_events

    links = store.read_table(S.LINKS)
    links = links[links[S.LINK_ID].astype(str).isin(link_ids)].sort_values(S.LINK_ID)
    events = read_events(store, link_ids)
    derived = current_status(events)
    records = []
    for row in links.to_dict(orient="records"):
        link_id = str(row[S.LINK_ID])
        record = {key: _cell(row.get(key)) for key in S.LINK_SCHEMA.names}
        record["current_status"] = derived.get(link_id, record[S.STATUS])
        mine = events[events[S.LINK_ID].astype(str) == link_id]
        record["events"] = [{key: _cell(value) for key, value in event.items()}
                            for event in mine.to_dict(orient="records")]  # fmt: skip
        records.append(record)
    return {"caution": S.LEAD_DISCLAIMER, "links": records}


def _show(args: argparse.Namespace) -> int:
    store = _store(args)
    link_ids = _link_ids(store, args.lead)
    document = lead_record(store, link_ids)
    audit_record(args, "view", {"lead": args.lead, "link_ids": link_ids})
    if args.json:
        print(json.dumps(document, indent=1))
        return EXIT_OK
    print(f"# {S.LEAD_DISCLAIMER}")
    for link in document["links"]:
        far = link[S.INCIDENT_B] or f"firearm {link[S.FIREARM_ID]}"
        print(f"link {link[S.LINK_ID]}  lead {link[S.LEAD_NUMBER] or '-'}  {link[S.INCIDENT_A]} ~ {far}  "
              f"status {link['current_status']}  lead date {link[S.LEAD_DATE] or '-'}  "
              f"confirmed {link[S.CONFIRMED_DATE] or '-'}  caliber {link[S.CALIBER] or '-'}")  # fmt: skip
        for event in link["events"]:
            parts = [f"  #{event[S.EVENT_ID]}", str(event[S.EVENT_DATE] or "-"), event[S.EVENT]]
            if event[S.EVENT_STATUS]:
                parts.append(f"status={event[S.EVENT_STATUS]}")
            for key, label in ((S.EVENT_TO, "to"), (S.EVENT_BY, "by"), (S.EVENT_FILE, "file"),
                               (S.EVENT_NOTE, "note")):  # fmt: skip
                if event[key]:
                    parts.append(f"{label}={event[key]}")
            print("  ".join(parts))
    return EXIT_OK


def _set(args: argparse.Namespace) -> int:
    from data.errors import LeadEventError, StoreError
    from data.lead_events import add_event

    store = _store(args)
    link_ids = _link_ids(store, args.lead)
    try:
        written = add_event(store, link_ids, event=args.event, day=args.date, by=args.by, to=args.to,
                            note=args.note)  # fmt: skip
    except LeadEventError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    except StoreError as exc:
        raise CliError(str(exc)) from None
    audit_record(args, "lead_event", {"lead": args.lead, "event": args.event, "link_ids": link_ids,
                                      "event_ids": [int(i) for i in written[S.EVENT_ID]], "date": args.date,
                                      "by": args.by, "to": args.to, "note": args.note})  # fmt: skip
    for event in written.to_dict(orient="records"):
        status = f" (status now {event[S.EVENT_STATUS]})" if event[S.EVENT_STATUS] else ""
        print(f"link {event[S.LINK_ID]}: {event[S.EVENT]} on {event[S.EVENT_DATE]} recorded as event "
              f"#{event[S.EVENT_ID]}{status}")  # fmt: skip
    return EXIT_OK


def desk_tables(frames: Any, db: str | None, today: date | None) -> tuple[pd.DataFrame, date]:
    """The lead table of ``frames`` (events read from the same store) and the reference date used."""
    from data.lead_events import read_events
    from data.store import Store
    from linking.leads import lead_table, reference_date

    day = today or reference_date(frames)
    return lead_table(frames, read_events(Store(db)), today=day), day


def _check_cities(frames: Any, cities: list[str]) -> None:
    known = set(frames.incidents[S.CITY].astype(str).unique())
    unknown = [c for c in cities if c not in known]
    if unknown:
        raise CliError(f"--city {', '.join(unknown)}: no incidents for that city in the store; "
                       f"known cities: {', '.join(sorted(known)) or '(none)'}", EXIT_USAGE)  # fmt: skip


def _record(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if isinstance(value, pd.Timestamp):
            out[key] = value.date().isoformat()
        elif isinstance(value, dict):
            out[key] = value
        else:
            out[key] = _cell(value)
    return out


QUEUE_COLUMNS: tuple[str, ...] = (
    S.SCORE, S.LINK_ID, S.LEAD_NUMBER, S.STATUS, S.LEAD_DATE, S.LEAD_AGE_DAYS, S.INCIDENT_A, S.INCIDENT_B,
    S.FIREARM_ID, S.CITY, S.SERIES_ID, "geography", "events", "time", "solvability",
)  # fmt: skip


def _leads(args: argparse.Namespace, frames: Any) -> int:
    from linking.triage import lead_queue, weights_table

    _check_cities(frames, args.city)
    leads, today = desk_tables(frames, args.db, args.today)
    queue = lead_queue(frames, leads, today=today, cities=tuple(args.city), open_only=args.open)
    audit_record(args, "view", {"cities": args.city, "open_only": args.open, "today": today,
                                "rows": len(queue)})  # fmt: skip
    if args.json:
        records = [_record(row) for row in queue.to_dict(orient="records")]
        _print_json({"today": today.isoformat(), "caution": S.LEAD_DISCLAIMER, "open_only": args.open,
                     "cities": args.city, "weights": weights_table(), "leads": records})  # fmt: skip
        return EXIT_OK
    print(f"# {S.LEAD_DISCLAIMER}")
    print(f"# reference date {today}; score = geography + events + time + solvability (linking.triage)")
    if queue.empty:
        print("no leads" + (" open" if args.open else ""))
        return EXIT_OK
    shown = queue[list(QUEUE_COLUMNS)].copy()
    shown[S.LEAD_DATE] = pd.to_datetime(shown[S.LEAD_DATE]).dt.strftime("%Y-%m-%d").fillna("-")
    print(shown.to_string(index=False))
    print(f"# {len(queue)} leads")
    return EXIT_OK


def _kpis(args: argparse.Namespace, frames: Any) -> int:
    from linking.kpis import INTERVALS, TARGET_DAYS, timeliness

    _check_cities(frames, args.city)
    leads, today = desk_tables(frames, args.db, args.today)
    document = timeliness(leads, today=today, cities=tuple(args.city), agencies=tuple(args.agency),
                          since=args.since, until=args.until)  # fmt: skip
    audit_record(args, "view", {"cities": args.city, "agencies": args.agency, "since": args.since,
                                "until": args.until, "today": today, "leads": document["leads"]})  # fmt: skip
    if args.json:
        _print_json(document)
        return EXIT_OK
    print(f"# {document['leads']} leads; reference date {today}; target {TARGET_DAYS} days")
    for name, _, _ in INTERVALS:
        median = document[f"median_days_{name}"]
        share = document[f"share_{name}_within_{TARGET_DAYS}_days"]
        measured = document[f"measured_{name}"]
        text = "-" if median is None else f"median {median:g} days, {share:.0%} within {TARGET_DAYS} days"
        print(f"{name:<22} {text} ({measured} measured)")
    print(f"# {len(document['overdue'])} open leads older than {TARGET_DAYS} days nobody has disseminated")
    for lead in document["overdue"][:20]:
        print(f"  {lead['lead_number'] or lead['link_id']}  {lead['lead_date']}  {lead['age_days']} days  "
              f"{lead['city']}  {lead['series_id'] or '-'}")  # fmt: skip
    return EXIT_OK


def _bulletin(args: argparse.Namespace, selection_of: Callable[[argparse.Namespace], Any]) -> int:
    from data.lead_events import read_events
    from linking.audit_details import bulletin_details
    from linking.bulletin import BulletinError, build_bulletin, sha256_hex

    if not args.series_id:
        raise CliError("--series is required: the series to put in the bulletin, e.g. --series "
                       "S-DET-19-000123 (list them with `python -m linking series`)", EXIT_USAGE)  # fmt: skip
    out = _out_path(args.out)
    selection = selection_of(args)
    try:
        data = build_bulletin(selection, args.series_id, events=read_events(_store(args)),
                              generated_by=args.by or actor(args).name,
                              include_sensitive=args.include_sensitive)  # fmt: skip
    except BulletinError as exc:
        raise CliError(str(exc)) from None
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
    details = bulletin_details(args.series_id, data, file_name=out.name,
                               include_sensitive=args.include_sensitive,
                               dataset_version=selection.dataset_version)  # fmt: skip
    audit_record(args, "bulletin", {**details, "generated_by": args.by or actor(args).name})
    print(f"{sha256_hex(data)}  {out}")
    _stderr(f"wrote {out} ({len(data):,} bytes): bulletin of series {args.series_id}")
    return EXIT_OK


def _out_path(out: Path) -> Path:
    if out.exists() and out.is_dir():
        raise CliError(f"--out {out} is a folder; give a file name, e.g. {out / 'bulletin.pdf'}")
    if not out.parent.exists():
        raise CliError(f"--out {out}: the folder {out.parent} does not exist; create it first")
    return out


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, indent=1, default=str))


def _stderr(text: str) -> None:
    print(text, file=sys.stderr)
