"""The audit trail: an append-only, hash-chained record of who did what, and when (SECURITY.md, Deployment).

Each record of the ``audit_log`` table holds ``seq`` (1, 2, 3... without gaps), ``recorded_at`` (UTC),
``user_name``, ``action`` (one of :data:`ACTIONS`), ``details`` (canonical JSON: sorted keys, no
spaces), ``prev_hash`` (the hash of record ``seq - 1``; 64 zeros for the first) and ``hash``, the
SHA-256 of the canonical JSON array ``[seq, recorded_at, user_name, action, details, prev_hash]``
(:func:`record_hash`). The chain's head, ``"seq:hash"`` of the last record, is kept in the store's
``brassmap_meta`` table (key :data:`HEAD_KEY`), so deleting the *last* record shows too.

:func:`append` serialises writers (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write
lock taken by the transaction's first statement) and the table's UNIQUE ``prev_hash`` makes a fork
impossible even so: a second record following the same one is refused, and the append is retried on
the new head. :func:`verify` walks the chain and names the first broken record.

What the chain proves: any edit, deletion or insertion made by someone who does not also rewrite every
later record *and* the head shows. Someone with write access to the database who rewrites the whole
tail can hide a change; keep the head that ``python -m data audit verify`` prints somewhere else
(a ticket, an e-mail) and check it later with ``--head SEQ:HASH``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from data._sql import AUDIT_LOG, META
from data.access import User
from data.errors import StoreError

if TYPE_CHECKING:
    from data.store import Store

HEAD_KEY = "audit_head"
GENESIS = "0" * 64
ACTIONS: tuple[str, ...] = (
    "sign_in", "sign_out", "role_change", "view", "search", "export", "bulletin", "import", "demo",
    "reset", "lead_event", "audit_export",
)  # fmt: skip
"""What the trail records. ``role_change`` covers grants and revocations; ``demo`` is building the demo."""
COLUMNS: tuple[str, ...] = ("seq", "recorded_at", "user_name", "action", "details", "prev_hash", "hash")
_PG_LOCK_ID = 0x61756474  # 'audt': serialises appends on PostgreSQL (not the store's write lock 'bras':
# a view recorded during an import must not wait for the import)
_RETRIES = 5


class AuditError(StoreError):
    """An audit record cannot be written or read (unknown action, no user, database refused)."""


@dataclass(frozen=True)
class AuditRecord:
    """One record of the trail, as stored."""

    seq: int
    recorded_at: str
    user_name: str
    action: str
    details: str
    prev_hash: str
    hash: str

    @property
    def detail(self) -> dict[str, Any]:
        """The details as a dict."""
        return dict(json.loads(self.details))


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`verify`: ``ok``, the records checked, the head, and what broke first."""

    ok: bool
    records: int
    head: str | None
    broken_seq: int | None = None
    problem: str = ""

    def message(self) -> str:
        """One line for the user."""
        if self.ok:
            return f"audit trail OK: {self.records:,} records, head {self.head or '(empty)'}"
        return f"audit trail BROKEN at record {self.broken_seq}: {self.problem}"


# ------------------------------------------------------------------ canonical forms
def _plain(value: Any) -> Any:
    """``value`` as JSON-ready plain data (numpy scalars, dates, tuples, sets, paths, dataclasses)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(item) for item in value)
    if isinstance(value, dt.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return when.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy / pandas scalars
        return _plain(value.item())
    return str(value)


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value``: keys sorted, no spaces, UTF-8 kept, no NaN.

    Examples
    --------
    >>> canonical_json({"b": (1, 2), "a": "é", "when": dt.date(2021, 6, 30)})
    '{"a":"é","b":[1,2],"when":"2021-06-30"}'
    """
    plain = _plain(value)
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def time_text(when: dt.datetime) -> str:
    """A UTC time as the trail writes it: ISO 8601 with microseconds and ``+00:00``.

    >>> time_text(dt.datetime(2026, 12, 7, 5, 25, 1, 5))
    '2026-12-07T05:25:01.000005+00:00'
    """
    aware = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_hash(seq: int, recorded_at: str, user_name: str, action: str, details: str, prev_hash: str) -> str:
    """SHA-256 (hex) of the canonical record ``[seq, recorded_at, user_name, action, details, prev_hash]``.

    >>> len(record_hash(1, "2026-12-07T05:25:01.000000+00:00", "jdoe", "view", "{}", GENESIS))
    64
    """
    body = json.dumps([seq, recorded_at, user_name, action, details, prev_hash],
                      separators=(",", ":"), ensure_ascii=False)  # fmt: skip
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes (what an export's audit record holds).

    >>> sha256_bytes(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def _engine(target: Store | Engine) -> Engine:
    return target if isinstance(target, Engine) else target.engine


def _name(user: User | str) -> str:
    name = user.name if isinstance(user, User) else str(user)
    if not name.strip():
        raise AuditError("an audit record needs a user: got an empty name")
    return name.strip()


# ------------------------------------------------------------------ appending
def append(target: Store | Engine, user: User | str, action: str, details: Mapping[str, Any] | None = None,
           *, now: dt.datetime | None = None) -> AuditRecord:  # fmt: skip
    """Append one record to the trail and move the head, in one transaction.

    Parameters
    ----------
    target : Store or Engine
        The store (or its engine) the trail lives in.
    user : User or str
        Who acted (:class:`data.access.User` or a name).
    action : str
        One of :data:`ACTIONS`.
    details : mapping, optional
        What was done (file name, SHA-256, filter, counts...), stored as canonical JSON.
    now : datetime, keyword-only
        The time to record (default: now, UTC).

    Returns
    -------
    AuditRecord
        The record written.

    Raises
    ------
    AuditError
        Unknown action, empty user name, or the database refused the record.
    """
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}; use one of {', '.join(ACTIONS)}")
    name = _name(user)
    body = canonical_json(dict(details or {}))
    engine = _engine(target)
    last_error: Exception | None = None
    for attempt in range(_RETRIES):
        try:
            with engine.begin() as connection:
                return _append_in(connection, name, action, body, now)
        except (IntegrityError, OperationalError) as exc:  # another writer won the race: take the new head
            last_error = exc
            time.sleep(0.05 * (attempt + 1))
        except SQLAlchemyError as exc:
            raise AuditError(f"the audit record ({action} by {name}) could not be written: {exc}") from exc
    raise AuditError(f"the audit record ({action} by {name}) could not be written after {_RETRIES} tries "
                     f"(other writers kept the trail busy): {last_error}")  # fmt: skip


def record(target: Store | Engine, *, user: User | str, action: str,
           details: Mapping[str, Any] | None = None) -> AuditRecord:  # fmt: skip
    """:func:`append` with keywords (what sign-in and sign-out call: ``ui.identity.record_access``)."""
    return append(target, user, action, details)


def record_role_change(target: Store | Engine, *, by: str, action: str, user: User) -> AuditRecord:
    """Record ``python -m data users grant|revoke``: who changed whose role (``action``) to what scope."""
    from data.access import os_user_name

    details: dict[str, Any] = {"change": action, "user": user.name, "role": user.role,
                               "cities": list(user.cities), "agencies": list(user.agencies)}  # fmt: skip
    if by != os_user_name():
        details["os_user"] = os_user_name()
    return append(target, by, "role_change", details)


def _lock(connection: Connection) -> None:
    """Serialise appenders: PostgreSQL advisory lock; SQLite takes its write lock on the first write."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
    else:  # a write as the first statement: SQLite waits (busy_timeout) for the one write lock
        connection.execute(META.update().where(META.c.key == HEAD_KEY).values(value=META.c.value))


def _head(connection: Connection) -> tuple[int, str] | None:
    value = connection.execute(select(META.c.value).where(META.c.key == HEAD_KEY)).scalar()
    if not value:
        return None
    seq, _, digest = str(value).partition(":")
    return int(seq), digest


def _append_in(connection: Connection, name: str, action: str, body: str,
               now: dt.datetime | None) -> AuditRecord:  # fmt: skip
    _lock(connection)  # the time is taken after the lock, so times never go back along the chain
    head = _head(connection)
    if head is None:  # a new trail (or a head lost: chain onto the last record; verify reports the loss)
        last = connection.execute(
            select(AUDIT_LOG.c.seq, AUDIT_LOG.c.hash).order_by(AUDIT_LOG.c.seq.desc()).limit(1)
        ).first()
        head = (int(last[0]), str(last[1])) if last is not None else (0, GENESIS)
    seq, prev_hash = head[0] + 1, head[1]
    at = time_text(now or dt.datetime.now(dt.UTC))
    digest = record_hash(seq, at, name, action, body, prev_hash)
    connection.execute(AUDIT_LOG.insert().values(
        seq=seq, recorded_at=dt.datetime.fromisoformat(at), user_name=name, action=action, details=body,
        prev_hash=prev_hash, hash=digest,
    ))  # fmt: skip
    connection.execute(delete(META).where(META.c.key == HEAD_KEY))
    connection.execute(META.insert().values(key=HEAD_KEY, value=f"{seq}:{digest}"))
    return AuditRecord(seq, at, name, action, body, prev_hash, digest)


# ------------------------------------------------------------------ reading
def _stored_time(value: Any) -> str:
    """The stored time back in the form it was hashed (SQLite returns it naive, PostgreSQL aware)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return time_text(value)


def _since_bound(since: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(since, dt.datetime):
        return since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    return dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)


def _query(since: dt.date | dt.datetime | None, user: str | None, action: str | None,
           newest_first: bool, limit: int | None) -> Any:  # fmt: skip
    columns = select(*(AUDIT_LOG.c[name] for name in COLUMNS))
    query = columns.order_by(AUDIT_LOG.c.seq.desc() if newest_first else AUDIT_LOG.c.seq)
    if since is not None:
        query = query.where(AUDIT_LOG.c.recorded_at >= _since_bound(since))
    if user:
        query = query.where(AUDIT_LOG.c.user_name == user)
    if action:
        query = query.where(AUDIT_LOG.c.action == action)
    return query if limit is None else query.limit(limit)


def iter_records(target: Store | Engine, *, since: dt.date | dt.datetime | None = None,
                 user: str | None = None, action: str | None = None, newest_first: bool = False,
                 limit: int | None = None, batch: int = 10_000,
                 ) -> Generator[AuditRecord, None, None]:  # fmt: skip
    """The trail's records in ``seq`` order (or newest first), from a UTC day on, of a user or action."""
    query = _query(since, user, action, newest_first, limit)
    try:
        with _engine(target).connect() as connection:
            result = connection.execution_options(yield_per=batch).execute(query)
            try:
                for row in result:
                    yield AuditRecord(int(row[0]), _stored_time(row[1]), str(row[2]), str(row[3]),
                                      str(row[4]), str(row[5]), str(row[6]))  # fmt: skip
            finally:
                result.close()  # a server-side cursor (PostgreSQL) left open warns when collected
    except SQLAlchemyError as exc:
        raise AuditError(f"the audit trail could not be read: {exc}") from exc


def read_frame(target: Store | Engine, *, since: dt.date | dt.datetime | None = None, user: str | None = None,
               action: str | None = None, newest_first: bool = False,
               limit: int | None = None) -> pd.DataFrame:  # fmt: skip
    """The trail (or its filtered part) as a frame with :data:`COLUMNS`."""
    found = iter_records(target, since=since, user=user, action=action, newest_first=newest_first,
                         limit=limit)  # fmt: skip
    with closing(found) as records:
        rows = [tuple(getattr(r, c) for c in COLUMNS) for r in records]
    return pd.DataFrame.from_records(rows, columns=list(COLUMNS))


def count(target: Store | Engine) -> int:
    """Records in the trail."""
    with _engine(target).connect() as connection:
        return int(connection.execute(select(func.count()).select_from(AUDIT_LOG)).scalar() or 0)


def head(target: Store | Engine) -> str | None:
    """The chain head ``"seq:hash"`` kept in the meta table (``None`` for an empty trail)."""
    with _engine(target).connect() as connection:
        found = _head(connection)
    return None if found is None else f"{found[0]}:{found[1]}"


# ------------------------------------------------------------------ verifying
def verify(target: Store | Engine, *, expected_head: str | None = None) -> Verdict:
    """Walk the chain; return the first broken record and why (or OK with the count).

    Checks, record by record in ``seq`` order: no ``seq`` is missing, ``prev_hash`` is the hash of
    the record before, ``hash`` matches the record's contents; then that the last record is the
    head kept in the meta table, and (``expected_head``, ``"SEQ:HASH"`` kept outside the database)
    that the chain still holds that record unchanged.
    """
    with closing(iter_records(target)) as records:
        found = _first_break(records)
    if isinstance(found, Verdict):
        return found
    last = found
    kept = head(target)
    count_ = 0 if last is None else last.seq
    if last is None and kept is None:
        return _checked_anchor(target, Verdict(True, 0, None), expected_head)
    if kept is None:
        return _broken(count_, "the chain head is missing from brassmap_meta (audit_head): it was deleted")
    head_seq, _, head_hash = kept.partition(":")
    if last is None or int(head_seq) > last.seq:
        after = 0 if last is None else last.seq
        return _broken(after + 1, f"record {after + 1} is missing (deleted): the chain head says the last "
                       f"record is {head_seq}, the table ends at record {after}")  # fmt: skip
    if int(head_seq) < last.seq:
        return _broken(int(head_seq) + 1, f"record {int(head_seq) + 1} was inserted after the chain head "
                       f"(record {head_seq})")  # fmt: skip
    if head_hash != last.hash:
        return _broken(last.seq, f"record {last.seq} is not the record the chain head names (hash differs)")
    return _checked_anchor(target, Verdict(True, count_, kept), expected_head)


def _first_break(records: Iterator[AuditRecord]) -> Verdict | AuditRecord | None:
    """Walk the records: the first broken one as a :class:`Verdict`, else the last record (or ``None``)."""
    expected = 1
    previous, before_previous = GENESIS, None
    last: AuditRecord | None = None
    for record in records:
        if record.seq != expected:
            return _broken(expected, f"record {expected} is missing (deleted): the chain goes from record "
                           f"{expected - 1} to record {record.seq}")  # fmt: skip
        if record.prev_hash != previous:
            if before_previous is not None and record.prev_hash == before_previous:
                return _broken(record.seq - 1, f"record {record.seq - 1} was inserted: record {record.seq} "
                               f"follows record {record.seq - 2}, not record {record.seq - 1}")  # fmt: skip
            return _broken(record.seq, f"record {record.seq} does not follow record {record.seq - 1} (its "
                           f"prev_hash is not record {record.seq - 1}'s hash): record {record.seq - 1} was "
                           "rewritten, or a record was inserted or deleted before it")  # fmt: skip
        recomputed = record_hash(record.seq, record.recorded_at, record.user_name, record.action,
                                 record.details, record.prev_hash)  # fmt: skip
        if recomputed != record.hash:
            what = f"{record.action} by {record.user_name} at {record.recorded_at}"
            return _broken(record.seq, f"record {record.seq} was changed: its hash does not match its "
                           f"contents ({what})")  # fmt: skip
        before_previous, previous, last, expected = previous, record.hash, record, expected + 1
    return last


def _checked_anchor(target: Store | Engine, verdict: Verdict, expected_head: str | None) -> Verdict:
    """Compare the (intact) chain with a head kept outside the database (``SEQ:HASH``)."""
    if not expected_head:
        return verdict
    seq_text, _, digest = expected_head.strip().partition(":")
    if not seq_text.isdigit() or len(digest) != 64:
        raise AuditError(f"--head {expected_head!r}: give SEQ:HASH as `audit verify` printed it, e.g. "
                         f"12:{'ab' * 32}")  # fmt: skip
    seq = int(seq_text)
    with _engine(target).connect() as connection:
        stored = connection.execute(select(AUDIT_LOG.c.hash).where(AUDIT_LOG.c.seq == seq)).scalar()
    if stored is None:
        return _broken(seq, f"record {seq}, the head kept outside the database, is no longer in the trail")
    if stored != digest:
        return _broken(seq, f"record {seq} differs from the head kept outside the database: the chain was "
                       "rewritten from this record or before")  # fmt: skip
    return verdict


def _broken(seq: int, problem: str) -> Verdict:
    return Verdict(False, 0, None, broken_seq=seq, problem=problem)


# ------------------------------------------------------------------ what an import leaves in the trail
def import_details(report: Any | None, *, file_name: str, sha256: str | None, kind: str | None,
                   replace_demo: bool = False, error: str | None = None) -> dict[str, Any]:  # fmt: skip
    """An import's record: file name and SHA-256, counts read / stored / rejected / warnings, the outcome.

    ``report`` is the :class:`data.importer.ImportReport` (``None`` when the file could not be read);
    ``error`` the message of a refused import (every row rejected, the demo guard, an unreadable file).
    """
    details: dict[str, Any] = {"file_name": file_name, "sha256": sha256, "kind": kind,
                               "replace_demo": replace_demo, "outcome": "refused" if error else "stored"}
    if report is not None:
        details.update(rows_read=report.read, rows_stored=report.stored if not error else 0,
                       rows_rejected=report.rejected, warnings=report.warnings,
                       written=dict(report.written), demo_removed=report.demo_removed)  # fmt: skip
    if error:
        details["error"] = error
    return details
