"""Benchmark stores under ``var/bench/``: named by seed and size, reused unless ``--fresh``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.stats import timed

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK_DIR = REPO_ROOT / "var" / "bench"


@dataclass(frozen=True)
class BenchPaths:
    """Where one benchmark size keeps its files.

    Attributes
    ----------
    work_dir : Path
        Folder holding every file of the run (git-ignored ``var/bench`` by default).
    stem : str
        ``demo-seed<seed>-n<incidents>-l<links or auto>``.
    """

    work_dir: Path
    stem: str
    db_url: str | None = None

    @property
    def store_file(self) -> Path:
        """The SQLite demo store the server-side and browser figures read (unless ``--db``)."""
        return self.work_dir / f"{self.stem}.sqlite"

    @property
    def store_url(self) -> str:
        """SQLAlchemy URL of the demo store: ``--db`` when given, else :attr:`store_file`."""
        return self.db_url or f"sqlite:///{self.store_file}"

    @property
    def shown_store(self) -> str:
        """The demo store for the report (a database URL without its password)."""
        if self.db_url is None:
            return str(self.store_file)
        from sqlalchemy.engine import make_url

        return make_url(self.db_url).render_as_string(hide_password=True)

    @property
    def csv_file(self) -> Path:
        """The incidents CSV (brassmap export format) the ingest figure imports."""
        return self.work_dir / f"{self.stem}-incidents.csv"

    @property
    def ingest_store_file(self) -> Path:
        """A fresh store file the ingest figure imports into (deleted before each run)."""
        return self.work_dir / f"{self.stem}-ingest.sqlite"

    def scratch(self, name: str) -> Path:
        """Another file of this run, e.g. the naive baseline's points or a server log."""
        return self.work_dir / f"{self.stem}-{name}"


def bench_paths(
    work_dir: Path, *, seed: int, incidents: int, links: int | None, db_url: str | None = None
) -> BenchPaths:
    """Name the files of one benchmark size.

    Examples
    --------
    >>> bench_paths(Path("/tmp/b"), seed=7, incidents=2000, links=None).store_file.name
    'demo-seed7-n2000-lauto.sqlite'
    """
    links_part = "auto" if links is None else str(links)
    stem = f"demo-seed{seed}-n{incidents}-l{links_part}"
    return BenchPaths(work_dir=Path(work_dir), stem=stem, db_url=db_url)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def ensure_demo_store(
    paths: BenchPaths,
    *,
    seed: int,
    incidents: int,
    links: int | None,
    fresh: bool = False,
) -> dict[str, Any]:
    """Build the seeded demo store of this size, or reuse it when it is already there.

    Parameters
    ----------
    paths : BenchPaths
        Where the store lives.
    seed, incidents, links : int
        Passed to :func:`data.demo.build_demo_store` (``links=None`` lets the
        demo choose about one link per two incidents).
    fresh : bool, keyword-only
        Delete and rebuild even when the store exists.

    Returns
    -------
    dict
        ``url``, ``reused`` (bool), ``build_s`` (seconds, ``None`` when reused)
        and ``counts`` (rows per kind written, when built).
    """
    from data.demo import build_demo_store
    from data.store import Store

    paths.work_dir.mkdir(parents=True, exist_ok=True)
    if paths.db_url is not None:
        return _ensure_in_database(paths.db_url, seed=seed, incidents=incidents, links=links, fresh=fresh)
    if fresh:
        _remove_sqlite(paths.store_file)
    if paths.store_file.exists():
        from data.migrations.upgrade import upgrade_store

        upgrade_store(paths.store_url)  # a store cached by an earlier brassmap is migrated, not refused
        store = Store(paths.store_url)
        if not store.is_empty():
            return {"url": paths.store_url, "reused": True, "build_s": None, "counts": None}
        _remove_sqlite(paths.store_file)
    store = Store(paths.store_url)
    try:
        counts, seconds = timed(lambda: build_demo_store(store, seed=seed, incidents=incidents, links=links))
    except BaseException:
        _remove_sqlite(paths.store_file)  # never leave a half-built store to be "reused"
        raise
    return {
        "url": paths.store_url,
        "reused": False,
        "build_s": round(seconds, 3),
        "counts": {kind: int(n) for kind, n in dict(counts).items()},
    }


def _ensure_in_database(
    url: str, *, seed: int, incidents: int, links: int | None, fresh: bool
) -> dict[str, Any]:
    """:func:`ensure_demo_store` in a database given by ``--db`` (e.g. PostgreSQL).

    The database must be empty or hold only the synthetic demo: a demo of
    another size, or any demo with ``--fresh``, is cleared and rebuilt; real
    records are never touched (:class:`~bench.errors.BenchError`).
    """
    from bench.errors import BenchError
    from data import schema as S
    from data.demo import build_demo_store
    from data.demo_guard import mix_of
    from data.store import Store

    store = Store(url)
    if not store.is_empty():
        mix = mix_of(store)
        if mix.holds_real:
            raise BenchError(
                f"{store!r} holds real records; give --db an empty database (the benchmark writes a demo)"
            )
        if not fresh and store.count(S.INCIDENTS) == incidents:
            return {"url": url, "reused": True, "build_s": None, "counts": None}
        store.clear()
    counts, seconds = timed(lambda: build_demo_store(store, seed=seed, incidents=incidents, links=links))
    return {
        "url": url,
        "reused": False,
        "build_s": round(seconds, 3),
        "counts": {kind: int(n) for kind, n in dict(counts).items()},
    }


def scratch_database(url: str, name: str) -> tuple[str, Any]:
    """An empty scratch store beside ``url`` for the ingest figure: ``(url, cleanup)``.

    PostgreSQL: a schema ``name`` in the same database (dropped by ``cleanup``).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    def run(statement: str) -> None:
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    run(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    run(f'CREATE SCHEMA "{name}"')
    scratch = make_url(url).update_query_dict({"options": f"-csearch_path={name},public"})
    drop = f'DROP SCHEMA IF EXISTS "{name}" CASCADE'
    return scratch.render_as_string(hide_password=False), lambda: run(drop)
