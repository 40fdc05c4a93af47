"""Fixtures shared by every test folder.

Tests that read ``../shared/realdata`` use the ``realdata`` fixture: it skips
with a reason when the folder is absent, and fails instead when
``BRASSMAP_REQUIRE_SHARED=1`` (CI sets it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
