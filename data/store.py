"""The embedded store: one database file holding every kind, plus import provenance.

``Store(url)`` opens (and creates on first use) a SQLAlchemy database:
``url`` → ``$BRASSMAP_DB`` → ``sqlite:///<repo>/var/brassmap.sqlite``; a
store written by an earlier brassmap is refused until ``python -m data db
upgrade`` migrates it (:mod:`data.migrations`).
:meth:`Store.save` upserts validated frames by id in one transaction and
records one provenance row; :meth:`Store.load_frames` returns typed
:class:`~data.frames.Frames` (through a Parquet snapshot keyed by the dataset
version, so repeated cold loads are fast).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, create_engine, delete, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from data import lead_events
from data import schema as S
from data._copy import copy_upsert
from data._sql import IMPORTS, LINK_EVENTS, META, SERIES_REGISTRY, TABLES, tune, upsert_statement
from data._types import SRID, iso_utc, nanos_from_sql, time_select
from data.demo_guard import DEMO_REMOVED, guard_demo_mixing
from data.errors import StoreError
from data.migrations import open_schema

if TYPE_CHECKING:
    from data.frames import Frames

ENV_VAR = "BRASSMAP_DB"
REPO_ROOT = Path(__file__).resolve().parent.parent
CHUNK_ROWS = 50_000
_VERSION_KEY = "dataset_version"
WRITE_LOCK_KEY = 0x62726173  # "bras": PostgreSQL advisory lock taken by every writing transaction
EMPTY_VERSION = "empty"


def default_db_url() -> str:
    """``$BRASSMAP_DB`` if set, else ``sqlite:///<repo>/var/brassmap.sqlite`` (never cwd-relative)."""
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{REPO_ROOT / 'var' / 'brassmap.sqlite'}"


@dataclass(frozen=True)
class ImportSource:
    """Provenance of one import (the store adds ``imported_at`` in UTC)."""

    file_name: str
    sha256: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    warnings: int


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _storable(kind: str, frame: pd.DataFrame, names: list[str], *, postgis: bool = False) -> list[tuple]:
    """Rows of ``frame`` as tuples of ``names`` (columns of the frame), in storage form.

    ``postgis``: geometries as hex EWKB (for PostgreSQL's COPY), else WKB bytes.
    """
    columns = [_to_storage(frame[name], _dtype(kind, name), postgis=postgis) for name in names]
    return list(zip(*columns, strict=True))


def _to_storage(values: pd.Series, dtype: str, *, postgis: bool = False) -> np.ndarray:
    missing = values.isna().to_numpy()
    if dtype == "datetime":  # ISO-8601 UTC text: SQLite keeps it, PostgreSQL reads it as timestamptz
        when = pd.to_datetime(values, utc=True)
        nanos = when.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view("int64")
        result = iso_utc(nanos)
    elif dtype == "date":
        result = pd.to_datetime(values).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    elif dtype == "geometry":
        import shapely

        shapes = np.asarray(values, dtype=object)
        if postgis:  # PostGIS columns are 2-D in EPSG:4326 (a file's heights are dropped)
            shapes = shapely.set_srid(shapely.force_2d(shapes), SRID)
        wkb = shapely.to_wkb(shapes, hex=postgis, include_srid=postgis)
        result = np.asarray(wkb, dtype=object)
    elif dtype == "int":
        result = values.astype("Int64").to_numpy(dtype=object, na_value=None)
    elif dtype == "float":
        result = values.astype("float64").to_numpy(dtype=object)
    elif dtype == "bool" or values.dtype == bool:
        result = values.astype("boolean").to_numpy(dtype=object, na_value=None)
    else:
        result = values.astype("string").to_numpy(dtype=object, na_value=None)
    if missing.any():
        result = result.copy()
        result[missing] = None
    return result


def _with_driver(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver brassmap installs)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _require_postgis(connection: Connection, where: str) -> None:
    """Make sure the PostGIS extension is there: create it when allowed, else say how."""
    installed = connection.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").first()
    if installed is not None:
        return
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    except SQLAlchemyError as exc:
        raise StoreError(
            f"the PostgreSQL database {where} has no PostGIS extension and this role may not create it "
            f"({str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}); as a superuser run "
            "`CREATE EXTENSION postgis;` in that database (Debian: apt-get install postgresql-15-postgis-3)"
        ) from exc


def _read_table(connection: Connection, kind: str, columns: tuple[str, ...] | None) -> pd.DataFrame:
    """One table in storage form, through the DBAPI cursor; times as nullable epoch ns (``Int64``)."""
    table = TABLES[kind]
    chosen = [table.c[c] for c in columns] if columns else list(table.columns)
    name = connection.dialect.name
    times = [c.name for c in chosen if kind in S.SCHEMAS and _dtype(kind, c.name) == "datetime"]
    selected = [time_select(c, name) if c.name in times else c for c in chosen]
    sql = str(select(*selected).compile(dialect=connection.dialect))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    names = [c.name for c in chosen]
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in names})
    frame = pd.DataFrame.from_records(rows, columns=names)
    for column in times:
        frame[column] = nanos_from_sql(frame[column])
    return frame


def _dtype(kind: str, name: str) -> str:
    schema = S.SCHEMAS[kind]
    return schema.field(name).dtype if name in schema.names else "raw"


class Store:
    """brassmap's database (see the module docstring).

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; ``None`` uses :func:`default_db_url`.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = _with_driver(url or default_db_url())
        try:
            if self.url.startswith("sqlite:///"):
                Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(self.url)
            weakref.finalize(self, self.engine.dispose)  # close pooled connections with the store
            tune(self.engine)
            with self.engine.begin() as connection:
                if self.is_postgresql:
                    _require_postgis(connection, self._shown_url())
                open_schema(connection, self._shown_url())  # a new store is created; an old one refused
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(
                f"cannot open the database {self._shown_url()}: {exc}; check --db / ${ENV_VAR}"
            ) from exc

    @property
    def is_postgresql(self) -> bool:
        """Whether the store is a PostgreSQL database (else SQLite)."""
        return self.engine.dialect.name == "postgresql"

    def _shown_url(self) -> str:
        if "@" in self.url:
            scheme, rest = self.url.split("://", 1)
            return f"{scheme}://***@{rest.split('@', 1)[1]}"
        return self.url

    def __repr__(self) -> str:
        return f"Store({self._shown_url()!r})"

    # ------------------------------------------------------------ writing
    def save(
        self, records: Mapping[str, pd.DataFrame], *, source: ImportSource, replace_demo: bool = False
    ) -> dict[str, int]:
        """Upsert validated frames by id, all kinds in one transaction, plus one provenance row.

        Parameters
        ----------
        records : mapping of kind -> DataFrame
            Schema-typed frames (extra columns are ignored; incidents may
            carry ``far_from_city``).
        source : ImportSource
            Provenance; ``imported_at`` is added here (UTC).
        replace_demo : bool, keyword-only
            Real records for a store holding the synthetic demo: delete the
            demo in the same transaction (else :class:`~data.errors.DemoDataError`;
            see :mod:`data.demo_guard`).

        Returns
        -------
        dict
            Rows written per kind (plus ``demo_removed`` when the demo was replaced).
        """
        unknown = [kind for kind in records if kind not in TABLES]
        if unknown:
            raise StoreError(f"cannot save unknown kind(s) {unknown}; known kinds: {', '.join(S.KINDS)}")
        written: dict[str, int] = {}
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            with self.engine.begin() as connection:
                self._lock_writes(connection)
                removed = guard_demo_mixing(
                    connection, records, file_name=source.file_name, where=self._shown_url(),
                    replace_demo=replace_demo,
                )
                if removed:
                    written[DEMO_REMOVED] = removed
                result = connection.execute(
                    IMPORTS.insert().values(
                        file_name=source.file_name,
                        sha256=source.sha256,
                        imported_at=now,
                        kinds=", ".join(k for k, f in records.items() if len(f)),
                        rows_read=source.rows_read,
                        rows_stored=source.rows_stored,
                        rows_rejected=source.rows_rejected,
                        warnings=source.warnings,
                    )
                )
                primary = result.inserted_primary_key
                if primary is None:
                    raise StoreError(f"{self._shown_url()}: the database gave the import record no id")
                import_id = int(primary[0])
                for kind in S.KINDS:
                    frame = records.get(kind)
                    if frame is None or frame.empty:
                        continue
                    frame = frame.assign(**{S.SOURCE_IMPORT_ID: import_id})
                    is_links = kind == S.LINKS
                    prior = lead_events.prior_link_state(connection, frame[S.LINK_ID]) if is_links else None
                    written[kind] = self._upsert(connection, kind, frame)
                    if prior is not None:  # each link's history: see data.lead_events
                        lead_events.record_import(connection, frame, prior, import_id=import_id,
                                                  file_name=source.file_name, recorded_at=now)  # fmt: skip
                self._bump_version(connection)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"saving {source.file_name} to {self._shown_url()} failed and was rolled back: {exc}"
            ) from exc
        return written

    def _upsert(self, connection: Connection, kind: str, frame: pd.DataFrame) -> int:
        table = TABLES[kind]
        # the columns the frame gives a value (its id always): a column left out keeps its stored values
        names = [c.name for c in table.columns if c.name in frame.columns and frame[c.name].notna().any()]
        if self.is_postgresql:  # bulk copy (data._copy)
            chunks = (
                _storable(kind, frame.iloc[start : start + CHUNK_ROWS], names, postgis=True)
                for start in range(0, len(frame), CHUNK_ROWS)
            )
            return copy_upsert(connection, table, names, chunks)
        statement = upsert_statement(connection, table, names).values({n: bindparam(n) for n in names})
        compiled = statement.compile(dialect=connection.dialect)
        order = list(compiled.positiontup or [])  # sqlite3 takes each row's values in this order
        sql = str(compiled)
        total = 0
        for start in range(0, len(frame), CHUNK_ROWS):
            rows = _storable(kind, frame.iloc[start : start + CHUNK_ROWS], order)
            connection.exec_driver_sql(sql, rows)
            total += len(rows)
        return total

    def _bump_version(self, connection: Connection) -> None:
        statement = upsert_statement(connection, META).values(key=_VERSION_KEY, value=uuid.uuid4().hex[:16])
        connection.execute(statement)

    def _lock_writes(self, connection: Connection) -> None:
        """PostgreSQL: one writer at a time (until this transaction ends); readers never wait.

        SQLite serialises writers itself (its write lock, waited for up to the
        busy timeout).
        """
        if self.is_postgresql:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})

    def clear(self) -> None:
        """Delete every record, the import history and the series registry (the schema stays)."""
        with self.engine.begin() as connection:
            self._lock_writes(connection)
            for table in (*TABLES.values(), IMPORTS, SERIES_REGISTRY, LINK_EVENTS):
                connection.execute(delete(table))
            self._bump_version(connection)

    # ------------------------------------------------------------ reading
    def dataset_version(self) -> str:
        """A short token that changes on every save and clear (``"empty"`` before the first)."""
        with self.engine.connect() as connection:
            value = connection.execute(select(META.c.value).where(META.c.key == _VERSION_KEY)).scalar()
        return value or EMPTY_VERSION

    def is_empty(self) -> bool:
        """Whether the store holds no incidents, links, evidence, firearms or boundaries."""
        with self.engine.connect() as connection:
            for table in TABLES.values():
                if connection.execute(select(table).limit(1)).first() is not None:
                    return False
        return True

    def count(self, kind: str) -> int:
        """Rows stored of one kind."""
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(TABLES[kind])).scalar() or 0)

    def imports(self) -> pd.DataFrame:
        """Import provenance, newest first."""
        with self.engine.connect() as connection:
            query = select(IMPORTS).order_by(IMPORTS.c[S.SOURCE_IMPORT_ID].desc())
            return pd.read_sql_query(query, connection)

    def read_table(self, kind: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
        """One table in storage form (see :mod:`data._sql`).

        Rows are fetched through the DBAPI cursor as plain tuples: building a
        frame from SQLAlchemy ``Row`` objects is several times slower.
        """
        with self.engine.connect() as connection:
            return _read_table(connection, kind, columns)

    def read_tables(self, kinds: tuple[str, ...]) -> tuple[str, dict[str, pd.DataFrame]]:
        """The dataset version and ``kinds``' tables, all read in one snapshot of the database.

        An import committing meanwhile is either wholly in the result or not
        at all (PostgreSQL: one REPEATABLE READ transaction; SQLite: one read
        transaction).
        """
        with self.engine.connect() as connection:
            if self.is_postgresql:
                connection.execution_options(isolation_level="REPEATABLE READ")
            else:
                connection.exec_driver_sql("BEGIN")
            try:
                version = connection.execute(select(META.c.value).where(META.c.key == _VERSION_KEY)).scalar()
                tables = {kind: _read_table(connection, kind, None) for kind in kinds}
            finally:
                connection.rollback()
        return version or EMPTY_VERSION, tables

    def ids(self, kind: str) -> pd.Index:
        """Stored ids of one kind (for orphan checks)."""
        id_field = S.SCHEMAS[kind].id_field
        return pd.Index(self.read_table(kind, (id_field,))[id_field], dtype="string")

    def city_limits(self) -> dict[str, object]:
        """City name -> union of its ``city_limits`` polygons, from stored boundaries."""
        import shapely

        frame = self.read_table(S.BOUNDARIES, (S.CITY, S.LAYER, S.GEOMETRY))
        frame = frame[(frame[S.LAYER] == "city_limits") & frame[S.CITY].notna()]
        limits: dict[str, object] = {}
        for city, group in frame.groupby(S.CITY):
            polygon = shapely.union_all(shapely.from_wkb(group[S.GEOMETRY].to_numpy()))
            shapely.prepare(polygon)
            limits[str(city)] = polygon
        return limits

    def snapshot_dir(self) -> Path:
        """Where Parquet snapshots of loaded frames are cached."""
        if self.url.startswith("sqlite:///"):
            db = Path(self.url.removeprefix("sqlite:///"))
            return db.parent / f"{db.name}.snapshots"
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:12]
        return REPO_ROOT / "var" / "snapshots" / digest

    def warm_snapshot(self) -> None:
        """Write the Parquet snapshot now (the CLI calls it after an import)."""
        self.load_frames(use_snapshot=True)

    def load_frames(self, *, use_snapshot: bool = True) -> Frames:
        """Load every kind as typed :class:`~data.frames.Frames`."""
        from data.frames import load_frames

        return load_frames(self, use_snapshot=use_snapshot)
