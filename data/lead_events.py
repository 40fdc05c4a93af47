"""Each link's life: an append-only history of events, and the status it implies.

Events (``link_events`` table, :data:`data.schema.EVENT_KINDS`):

``imported``
    written by :meth:`data.store.Store.save` when a link is first stored and
    whenever a later import gives it a *different* status from the previous
    import (file name, import id and the file's status kept). Re-importing the
    same file appends nothing.
``reviewed``, ``disseminated`` (to whom), ``note``
    written by analysts; they do not change the status.
``confirmed`` (examiner in ``event_by``, date), ``excluded`` (reason in ``event_note``)
    written by analysts; they set the status to ``hit`` / ``excluded``.

The current status is the status asserted by the **latest recorded**
status-bearing event (an import's, a confirmation or an exclusion). The
link's stored ``status`` column is kept equal to it in the same transaction
that appends the event, so every view and export that reads links sees it:
a confirmed lead is a hit everywhere; an excluded one leaves the default
graph. A re-import that repeats the file's old status does not undo an
analyst's confirmation; a file that later *changes* the status does (it is
newer information), and both stay in the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from data import schema as S
from data._sql import LINK_EVENTS, TABLES
from data.errors import LeadEventError, StoreError

if TYPE_CHECKING:
    from data.store import Store

EVENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in LINK_EVENTS.columns)
_STATUS_EVENTS = ("imported", *S.EVENT_STATUS_OF)


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _read(connection: Connection, statement: Any) -> pd.DataFrame:
    """Rows of ``statement`` as a frame, fetched from the DBAPI cursor (no SQLAlchemy ``Row`` per row).

    Each column's SQLAlchemy result processor (e.g. :class:`data._types.UtcTime` turning stored times
    into ISO text) runs once per distinct value: a million events hold a few import times.
    """
    names = list(statement.selected_columns.keys())
    result = connection.execute(statement)
    try:
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    frame = pd.DataFrame.from_records(rows, columns=names)
    for name, column in zip(names, statement.selected_columns, strict=True):
        process = column.type.result_processor(connection.dialect, None)
        if process is None:
            continue
        values = frame[name].to_numpy(dtype=object)
        memo = {value: None if value is None else process(value) for value in set(values.tolist())}
        frame[name] = pd.Series([memo[value] for value in values.tolist()], index=frame.index)
    return frame


# ------------------------------------------------------------------ the import hook (called by Store.save)
def prior_link_state(connection: Connection, link_ids: pd.Series) -> pd.DataFrame:
    """Before an upsert: each incoming link's stored status and the status its last import gave.

    Returns a frame indexed by ``link_id`` with ``stored`` (``None`` for a new
    link) and ``last_imported`` (``None`` when no import event exists yet, as
    in a store written before events were kept).
    """
    wanted = set(link_ids.astype(str))
    links = TABLES[S.LINKS]
    stored = _read(connection, select(links.c[S.LINK_ID], links.c[S.STATUS]))
    stored = stored[stored[S.LINK_ID].isin(wanted)].set_index(S.LINK_ID)[S.STATUS].rename("stored")
    imported = _read(
        connection,
        select(LINK_EVENTS.c[S.LINK_ID], LINK_EVENTS.c[S.EVENT_STATUS])
        .where(LINK_EVENTS.c[S.EVENT] == "imported")
        .order_by(LINK_EVENTS.c[S.EVENT_ID]),
    )
    imported = imported[imported[S.LINK_ID].isin(wanted)]
    last = imported.groupby(S.LINK_ID, sort=False)[S.EVENT_STATUS].last().rename("last_imported")
    return pd.concat([stored, last], axis=1)


def record_import(
    connection: Connection,
    links: pd.DataFrame,
    prior: pd.DataFrame,
    *,
    import_id: int,
    file_name: str,
    recorded_at: str,
) -> int:
    """After an upsert: append ``imported`` events and keep analysts' later statuses.

    An event is appended for a new link, and for a link whose file status
    differs from its previous import's (or, with no import event yet, from its
    stored status). Then every incoming link whose latest status-bearing event
    is an analyst's (a confirmation or exclusion recorded after the import
    that set the file's status) gets that status back in ``links.status``.

    Returns
    -------
    int
        Events appended.
    """
    if links.empty:
        return 0
    ids = links[S.LINK_ID].astype(str).to_numpy()
    status = links[S.STATUS].astype(str).to_numpy()
    before = prior.reindex(ids)
    previous = before["last_imported"].where(before["last_imported"].notna(), before["stored"])
    changed = previous.isna().to_numpy() | (previous.astype(object).to_numpy() != status)
    day = recorded_at[:10]
    rows = []
    for link_id, new, old in zip(ids[changed], status[changed], previous.to_numpy()[changed], strict=True):
        first = old is None or old is pd.NA or old != old
        note = "first import" if first else f"status {old} -> {new} in file"
        rows.append({S.LINK_ID: link_id, S.EVENT: "imported", S.EVENT_STATUS: new, S.EVENT_DATE: day,
                     S.RECORDED_AT: recorded_at, S.EVENT_BY: "import", S.EVENT_TO: None, S.EVENT_NOTE: note,
                     S.EVENT_FILE: file_name, S.SOURCE_IMPORT_ID: import_id})  # fmt: skip
    if rows:
        connection.execute(LINK_EVENTS.insert(), rows)
    _reapply_analyst_status(connection, set(ids))
    return len(rows)


def _reapply_analyst_status(connection: Connection, wanted: set[str]) -> None:
    """Set ``links.status`` from the latest status-bearing event where that event is an analyst's."""
    analyst = _read(
        connection,
        select(LINK_EVENTS.c[S.LINK_ID]).where(LINK_EVENTS.c[S.EVENT].in_(list(S.EVENT_STATUS_OF))).distinct(),
    )
    candidates = sorted(set(analyst[S.LINK_ID].astype(str)) & wanted)
    if not candidates:
        return
    events = _read(
        connection,
        select(LINK_EVENTS.c[S.LINK_ID], LINK_EVENTS.c[S.EVENT], LINK_EVENTS.c[S.EVENT_STATUS],
               LINK_EVENTS.c[S.EVENT_DATE])
        .where(LINK_EVENTS.c[S.LINK_ID].in_(candidates), LINK_EVENTS.c[S.EVENT].in_(_STATUS_EVENTS))
        .order_by(LINK_EVENTS.c[S.EVENT_ID]),
    )  # fmt: skip
    latest = events.groupby(S.LINK_ID, sort=False).last()
    by_analyst = latest[latest[S.EVENT] != "imported"]
    for link_id, row in by_analyst.iterrows():
        _set_status(connection, [str(link_id)], str(row[S.EVENT_STATUS]), row[S.EVENT_DATE])


def _set_status(connection: Connection, link_ids: Sequence[str], status: str, day: str | None) -> None:
    links = TABLES[S.LINKS]
    values: dict[str, Any] = {S.STATUS: status}
    if status == "hit" and day:
        values[S.CONFIRMED_DATE] = func.coalesce(links.c[S.CONFIRMED_DATE], day)
    connection.execute(update(links).where(links.c[S.LINK_ID].in_(list(link_ids))).values(**values))


# ------------------------------------------------------------------ analysts' events
def resolve_lead(store: Store, lead: str) -> list[str]:
    """Link ids named by ``lead``: a link id, else every link carrying that NIBIN lead number.

    Raises
    ------
    LeadEventError
        Nothing matches (the message says what was looked for and how to find ids).
    """
    text = lead.strip()
    links = store.read_table(S.LINKS, (S.LINK_ID, S.LEAD_NUMBER))
    by_id = links[links[S.LINK_ID].astype(str) == text]
    if len(by_id):
        return [text]
    by_number = links[links[S.LEAD_NUMBER].astype("string").str.strip() == text]
    if len(by_number):
        return sorted(by_number[S.LINK_ID].astype(str))
    raise LeadEventError(
        f"lead {text!r}: no link id or NIBIN lead number matches; "
        "list leads with `python -m linking leads` or search with `python -m linking find TEXT`"
    )


def _check_date(day: dt.date | str | None) -> str:
    if day is None:
        return dt.datetime.now(dt.UTC).date().isoformat()
    if isinstance(day, dt.date):
        return day.isoformat()
    try:
        return dt.date.fromisoformat(str(day).strip()).isoformat()
    except ValueError:
        raise LeadEventError(f"date {day!r}: expected YYYY-MM-DD, e.g. 2019-06-30") from None


def add_event(
    store: Store,
    link_ids: Sequence[str],
    *,
    event: str,
    day: dt.date | str | None = None,
    by: str | None = None,
    to: str | None = None,
    note: str | None = None,
) -> pd.DataFrame:
    """Append one analyst event to each of ``link_ids`` in one transaction; return the events written.

    ``confirmed`` and ``excluded`` also set the links' stored status (and a
    confirmation fills an empty ``confirmed_date``) and change the dataset
    version, so every cached view reloads; the other events leave links alone.

    Raises
    ------
    LeadEventError
        Unknown event, ``imported`` (only imports write it), a disseminated
        event without ``to``, an exclusion without a reason, a bad date.
    """
    if event not in S.ANALYST_EVENT_KINDS:
        raise LeadEventError(
            f"event {event!r}: expected one of {', '.join(S.ANALYST_EVENT_KINDS)} "
            "('imported' is written by imports only)"
        )
    clean = {key: (value.strip() or None) if isinstance(value, str) else value
             for key, value in (("by", by), ("to", to), ("note", note))}  # fmt: skip
    if event == "disseminated" and not clean["to"]:
        raise LeadEventError("a disseminated event needs --to: the agency, unit or investigator it went to")
    if event == "excluded" and not clean["note"]:
        raise LeadEventError("an excluded event needs --note: the reason the examiner gave")
    if event == "note" and not clean["note"]:
        raise LeadEventError("a note event needs --note TEXT")
    if not link_ids:
        raise LeadEventError("no link to add the event to")
    when = _check_date(day)
    now = _utc_now()
    rows = [{S.LINK_ID: str(link_id), S.EVENT: event, S.EVENT_STATUS: S.EVENT_STATUS_OF.get(event),
             S.EVENT_DATE: when, S.RECORDED_AT: now, S.EVENT_BY: clean["by"], S.EVENT_TO: clean["to"],
             S.EVENT_NOTE: clean["note"], S.EVENT_FILE: None, S.SOURCE_IMPORT_ID: None}
            for link_id in link_ids]  # fmt: skip
    try:
        with store.engine.begin() as connection:
            connection.execute(LINK_EVENTS.insert(), rows)
            status = S.EVENT_STATUS_OF.get(event)
            if status is not None:
                _set_status(connection, list(link_ids), status, when)
                store._bump_version(connection)
    except SQLAlchemyError as exc:
        message = f"recording the {event} event in {store!r} failed and was rolled back: {exc}"
        raise StoreError(message) from exc
    return read_events(store, link_ids).tail(len(rows)).reset_index(drop=True)


def append_events(store: Store, events: pd.DataFrame) -> int:
    """Append prepared events in bulk (the demo builder); statuses are not touched.

    ``events`` holds :data:`EVENT_COLUMNS` except ``event_id`` (missing ones are empty).
    """
    if events.empty:
        return 0
    names = [c for c in EVENT_COLUMNS if c != S.EVENT_ID]
    frame = events.reindex(columns=names).astype(object).where(events.reindex(columns=names).notna(), None)
    rows = list(frame.itertuples(index=False, name=None))
    statement = LINK_EVENTS.insert().values({n: bindparam(n) for n in names})
    with store.engine.begin() as connection:
        compiled = statement.compile(dialect=connection.dialect)
        if list(compiled.positiontup or []) == names:  # plain DBAPI executemany: several times faster
            connection.exec_driver_sql(str(compiled), rows)
        else:
            connection.execute(statement, [dict(zip(names, row, strict=True)) for row in rows])
    return len(rows)


def read_events(store: Store, link_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Events in recording order (all, or of ``link_ids``); dates stay ISO text."""
    statement = select(LINK_EVENTS).order_by(LINK_EVENTS.c[S.EVENT_ID])
    if link_ids is not None:
        statement = statement.where(LINK_EVENTS.c[S.LINK_ID].in_([str(i) for i in link_ids]))
    with store.engine.connect() as connection:
        events = _read(connection, statement)
    for column in (S.EVENT_ID, S.SOURCE_IMPORT_ID):
        events[column] = pd.to_numeric(events[column]).astype("Int64")
    return events


def events_token(store: Store) -> int:
    """A number that grows with every event appended (a cache key for views of the history)."""
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.max(LINK_EVENTS.c[S.EVENT_ID]))).scalar() or 0)


def current_status(events: pd.DataFrame) -> pd.Series:
    """Status per link id implied by its history: the latest recorded status-bearing event's.

    >>> ev = pd.DataFrame({"event_id": [1, 2, 3], "link_id": ["L1", "L1", "L1"],
    ...                    "event": ["imported", "confirmed", "note"],
    ...                    "event_status": ["lead", "hit", None]})
    >>> current_status(ev).to_dict()
    {'L1': 'hit'}
    """
    bearing = events[events[S.EVENT].isin(_STATUS_EVENTS) & events[S.EVENT_STATUS].notna()]
    ordered = bearing.sort_values(S.EVENT_ID, kind="stable")
    return ordered.groupby(S.LINK_ID, sort=True)[S.EVENT_STATUS].last()
