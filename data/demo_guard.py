"""Keep the synthetic demo and real records apart in one store.

A store holding the demo shows the "SYNTHETIC DEMO DATA" banner and marks
every export ``synthetic: true``; real rows mixed into it would carry those
marks too. So :func:`guard_demo_mixing`, run by :meth:`data.store.Store.save`
inside its transaction, refuses a batch of real records for a store that
holds demo records (and demo records for a store that holds real ones),
unless the caller asked to replace the demo: then the demo rows are deleted
in the same transaction as the import.

Incidents, links, evidence and firearms carry ``is_synthetic``. Boundaries
carry no such flag: they are geography, neither demo nor real records, and
may be imported into either store; when the demo is replaced, the boundaries
the demo import wrote go with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import delete, false, func, or_, select, true
from sqlalchemy.engine import Connection

from data import schema as S
from data._sql import IMPORTS, LINK_EVENTS, SERIES_REGISTRY, TABLES
from data.errors import DemoDataError

if TYPE_CHECKING:
    from data.store import Store

FLAGGED_KINDS: tuple[str, ...] = (S.INCIDENTS, S.LINKS, S.EVIDENCE, S.FIREARMS)
"""Kinds whose rows say whether they are synthetic."""
DEMO_IMPORT_PREFIX = "synthetic-demo"
"""How the demo's import record is named (see :func:`data.demo.store.demo_file_name`)."""
RESET_HINT = "python -m data reset --db URL --yes"
DEMO_REMOVED = "demo_removed"
"""Key of :meth:`data.store.Store.save`'s result counting the demo records a replacing import deleted."""


@dataclass(frozen=True)
class StoreMix:
    """What a store (or a batch) holds: synthetic rows, real rows, per flagged kind.

    Examples
    --------
    >>> StoreMix(synthetic=3, real=0).holds_demo, StoreMix(synthetic=0, real=2).holds_real
    (True, True)
    """

    synthetic: int
    real: int

    @property
    def holds_demo(self) -> bool:
        """Whether any synthetic (demo) row is present."""
        return self.synthetic > 0

    @property
    def holds_real(self) -> bool:
        """Whether any real row is present."""
        return self.real > 0


def batch_mix(records: Mapping[str, pd.DataFrame]) -> StoreMix:
    """Count synthetic and real rows of a batch (a missing ``is_synthetic`` column means real).

    Examples
    --------
    >>> batch_mix({"incidents": pd.DataFrame({"is_synthetic": [True, False]}), "links": pd.DataFrame()})
    StoreMix(synthetic=1, real=1)
    >>> batch_mix({"incidents": pd.DataFrame({"incident_id": ["a"]}), "boundaries": pd.DataFrame(index=[0])})
    StoreMix(synthetic=0, real=1)
    """
    synthetic = real = 0
    for kind in FLAGGED_KINDS:
        frame = records.get(kind)
        if frame is None or frame.empty:
            continue
        if S.IS_SYNTHETIC in frame.columns:
            flagged = int(frame[S.IS_SYNTHETIC].fillna(False).astype(bool).sum())
        else:
            flagged = 0
        synthetic += flagged
        real += len(frame) - flagged
    return StoreMix(synthetic=synthetic, real=real)


def mix_of(store: Store, *, exact: bool = True) -> StoreMix:
    """What ``store`` holds now: synthetic (demo) and real records (see :func:`store_mix` for ``exact``)."""
    with store.engine.connect() as connection:
        return store_mix(connection, exact=exact)


def store_mix(connection: Connection, *, exact: bool = True) -> StoreMix:
    """Count the synthetic and real rows a store holds (incidents, links, evidence, firearms).

    With ``exact=False`` each count is only 0 or 1 (whether any such row
    exists: a quick check before every save).
    """
    synthetic = real = 0
    for kind in FLAGGED_KINDS:
        table = TABLES[kind]
        flag = table.c[S.IS_SYNTHETIC]
        for wanted, is_demo in ((flag == true(), True), (or_(flag.is_(None), flag == false()), False)):
            if exact:
                query = select(func.count()).select_from(table).where(wanted)
            else:
                query = select(func.count()).select_from(select(flag).where(wanted).limit(1).subquery())
            found = int(connection.execute(query).scalar() or 0)
            if is_demo:
                synthetic += found
            else:
                real += found
    return StoreMix(synthetic=synthetic, real=real)


def delete_demo(connection: Connection) -> int:
    """Delete every synthetic row (and the history of demo links), the demo's boundaries and import
    records, and the series registry.

    The series registry is emptied because its ids were given to demo series;
    it is rebuilt from what the store holds on the next load. Returns the
    number of records deleted.
    """
    removed = 0
    links = TABLES[S.LINKS]
    demo_links = select(links.c[S.LINK_ID]).where(links.c[S.IS_SYNTHETIC] == true())
    connection.execute(delete(LINK_EVENTS).where(LINK_EVENTS.c[S.LINK_ID].in_(demo_links)))  # their history
    for kind in FLAGGED_KINDS:
        table = TABLES[kind]
        removed += connection.execute(delete(table).where(table.c[S.IS_SYNTHETIC] == true())).rowcount or 0
    demo_imports = select(IMPORTS.c[S.SOURCE_IMPORT_ID]).where(
        IMPORTS.c.file_name.startswith(DEMO_IMPORT_PREFIX)
    )
    boundaries = TABLES[S.BOUNDARIES]
    removed += (
        connection.execute(
            delete(boundaries).where(boundaries.c[S.SOURCE_IMPORT_ID].in_(demo_imports))
        ).rowcount
        or 0
    )
    connection.execute(delete(IMPORTS).where(IMPORTS.c.file_name.startswith(DEMO_IMPORT_PREFIX)))
    connection.execute(delete(SERIES_REGISTRY))
    return removed


def guard_demo_mixing(
    connection: Connection,
    records: Mapping[str, pd.DataFrame],
    *,
    file_name: str,
    where: str,
    replace_demo: bool = False,
) -> int:
    """Refuse to mix demo and real records; with ``replace_demo``, delete the demo first.

    Call inside the transaction that writes ``records``, so the deletion and
    the import succeed or fail together.

    Parameters
    ----------
    connection : Connection
        The open transaction's connection.
    records : mapping of kind -> DataFrame
        The batch about to be written.
    file_name, where : str, keyword-only
        The file and the store, named in the message.
    replace_demo : bool, keyword-only
        Delete the demo rows (see :func:`delete_demo`) when the batch is real.

    Returns
    -------
    int
        Demo records deleted (0 unless the demo was replaced).

    Raises
    ------
    DemoDataError
        Real records for a store holding the demo (without ``replace_demo``),
        or demo records for a store holding real ones.
    """
    incoming = batch_mix(records)
    if not (incoming.holds_real or incoming.holds_demo):
        return 0  # boundaries only, or nothing: neither demo nor real records
    if incoming.holds_real and incoming.holds_demo:
        raise DemoDataError(
            f"{file_name}: {incoming.synthetic:,} rows are marked is_synthetic and {incoming.real:,} "
            "are not; "
            "a file is either the synthetic demo or real records. Fix the is_synthetic column (or leave it "
            "out for real records) and import again."
        )
    held = store_mix(connection, exact=False)
    if incoming.holds_real and held.holds_demo:
        if replace_demo:
            return delete_demo(connection)
        held = store_mix(connection)
        raise DemoDataError(
            f"{file_name}: the database {where} holds the synthetic demo data ({held.synthetic:,} demo "
            f"records), so {incoming.real:,} real records are not imported into it (the demo banner and "
            "every export's synthetic mark would cover them). Start clean: replace the demo with this file "
            "(python -m data import ... --replace-demo, or the Import tab's \"Replace the demo data and "
            f"import\" button), or empty the database first ({RESET_HINT}) and import again."
        )
    if incoming.holds_demo and held.holds_real:
        held = store_mix(connection)
        raise DemoDataError(
            f"{file_name}: holds {incoming.synthetic:,} synthetic demo records, and the database {where} "
            f"holds {held.real:,} real records; demo data is not mixed into real data. Use another "
            f"database for the demo (--db), or empty this one first ({RESET_HINT})."
        )
    return 0
