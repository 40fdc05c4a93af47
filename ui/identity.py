"""The user of this browser session (local mode: the operating-system account, every right)."""

from __future__ import annotations

from data.access import User, local_user


def current_user() -> User:
    """Return who is using this session; team mode (sign-in) replaces the local user."""
    return local_user()
