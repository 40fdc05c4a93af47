"""The two databases the store runs on, for tests: SQLite files and PostgreSQL schemas.

PostgreSQL comes from ``$BRASSMAP_TEST_PG_URL`` (default :data:`DEFAULT_PG_URL`,
the role and database ``.ci/run`` creates). Each test gets its own empty
schema in that database (``search_path`` set through the URL, PostGIS found
in ``public``), dropped afterwards. Without a server the PostgreSQL cases skip
and say why, unless ``BRASSMAP_REQUIRE_PG=1`` (``.ci/run`` sets it): then they
fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

PG_URL_ENV = "BRASSMAP_TEST_PG_URL"
REQUIRE_PG_ENV = "BRASSMAP_REQUIRE_PG"
DEFAULT_PG_URL = "postgresql+psycopg://brassmap_test:brassmap_test@127.0.0.1:5432/brassmap_test"
BACKENDS = ("sqlite", "postgresql")


def base_pg_url() -> str:
    """The test server's URL (``$BRASSMAP_TEST_PG_URL`` or the CI default)."""
    return os.environ.get(PG_URL_ENV, "").strip() or DEFAULT_PG_URL


@cache
def pg_problem() -> str | None:
    """Why PostgreSQL with PostGIS cannot be used for tests, or ``None`` when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -r requirements.txt)"
    from sqlalchemy.engine import make_url

    url = make_url(base_pg_url())
    try:
        with psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, password=url.password,
            dbname=url.database, connect_timeout=5,
        ) as connection:  # fmt: skip
            found = connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone()
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server for tests at {url.render_as_string(hide_password=True)} ({first})"
    if found is None:
        return f"the test database {url.database} has no PostGIS extension (CREATE EXTENSION postgis)"
    return None


def need_pg() -> None:
    """Skip the calling test when PostgreSQL is unavailable (fail instead when it is required)."""
    problem = pg_problem()
    if problem is None:
        return
    hint = f"; set {PG_URL_ENV} to a database with PostGIS, or run .ci/run"
    if os.environ.get(REQUIRE_PG_ENV) == "1":
        pytest.fail(f"{problem}, and {REQUIRE_PG_ENV}=1 requires it{hint}")
    pytest.skip(problem + hint)


def schema_url(schema: str) -> str:
    """The test server's URL with ``search_path`` set to ``schema`` (then ``public``, for PostGIS)."""
    base = base_pg_url()
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-csearch_path={schema},public')}"


def _admin(sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base_pg_url())
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password,
        dbname=url.database, autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(sql)  # type: ignore[arg-type]


@contextmanager
def fresh_schema(prefix: str = "t") -> Iterator[tuple[str, str]]:
    """A new empty schema for one test or module: yields ``(schema, url)``, drops it afterwards."""
    need_pg()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema, schema_url(schema)
    finally:
        _admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    """An empty database of ``backend``: a SQLite file in ``folder`` or a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'test.sqlite'}"
        return
    with fresh_schema() as (_schema, url):
        yield url


def pg_conninfo(schema: str) -> str:
    """GDAL's ``PG:`` connection string for the test server, limited to ``schema``."""
    from sqlalchemy.engine import make_url

    url = make_url(base_pg_url())
    return (
        f"PG:host={url.host} port={url.port or 5432} dbname={url.database} user={url.username} "
        f"password={url.password} active_schema={schema}"
    )
