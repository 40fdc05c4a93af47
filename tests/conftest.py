"""Fixtures shared by every test folder.

Tests that take ``db_url`` run once on SQLite and once on PostgreSQL
(:mod:`tests.backends`). Tests that read ``../shared/realdata`` use the ``realdata`` fixture: it skips
with a reason when the folder is absent, and fails instead when
``BRASSMAP_REQUIRE_SHARED=1`` (CI sets it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.backends import BACKENDS, database_url, fresh_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
REALDATA = REPO_ROOT.parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def realdata() -> Path:
    """Path to ``../shared/realdata`` (read in place, never copied)."""
    if not REALDATA.is_dir():
        reason = f"shared real data not found at {REALDATA}"
        if os.environ.get("BRASSMAP_REQUIRE_SHARED") == "1":
            pytest.fail(f"{reason}, and BRASSMAP_REQUIRE_SHARED=1 requires it")
        pytest.skip(reason)
    return REALDATA


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL, once per backend: a SQLite file, then a fresh PostgreSQL schema.

    The PostgreSQL case skips (or fails under ``BRASSMAP_REQUIRE_PG=1``)
    without a server: see :mod:`tests.backends`.
    """
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema's URL (PostgreSQL-only tests)."""
    with fresh_schema() as (_schema, url):
        yield url


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """One headless Debian Chromium for the whole session.

    Playwright's sync API allows one running instance per thread, so every
    browser test shares this one (opening a second ``sync_playwright`` while
    another is alive fails with "Sync API inside the asyncio loop").
    """
    from tests.browser_support import launch_chromium, need_chromium

    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
