"""Stores for the audit tests: a SQLite file, and a fresh PostgreSQL schema when a server is given.

PostgreSQL runs when ``BRASSMAP_TEST_PG`` holds a server URL (``postgresql+psycopg://user:pw@host/db``);
without it those tests skip and say why, unless ``BRASSMAP_REQUIRE_PG=1`` (then they fail).
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

PG_ENV = "BRASSMAP_TEST_PG"


def postgres_base() -> str:
    """The PostgreSQL server URL to test against, or skip (fail when ``BRASSMAP_REQUIRE_PG=1``)."""
    url = os.environ.get(PG_ENV, "").strip()
    reason = f"no PostgreSQL server: set {PG_ENV}=postgresql+psycopg://user:pw@127.0.0.1/db to run these"
    if not url:
        if os.environ.get("BRASSMAP_REQUIRE_PG") == "1":
            pytest.fail(f"{reason} (BRASSMAP_REQUIRE_PG=1 requires it)")
        pytest.skip(reason)
    return url


def fresh_url(kind: str, folder: Path) -> Iterator[str]:
    """A new, empty store URL of ``kind`` (``sqlite`` or ``postgresql``); the PG schema is dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'audit.sqlite'}"
        return
    base = postgres_base()
    schema = f"audit_{uuid.uuid4().hex[:10]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty store on SQLite, then on PostgreSQL (skipped without a server).

    On PostgreSQL the stores made during the test (by the CLI too) keep no pooled connection: one left
    to the garbage collector warns, which the test run treats as an error.
    """
    if request.param == "postgresql":
        monkeypatch.setattr("data.store.create_engine", functools.partial(create_engine, poolclass=NullPool))
    yield from fresh_url(request.param, tmp_path)
