"""Who is acting: a user's name, role and scope (the shared vocabulary of sign-in, roles and audit).

Local mode (the default) has one user, the operating-system account, with every right. Team mode
fills :class:`User` from the identity provider's claims or the users table (see the README's
"Team mode").
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

VIEWER = "viewer"
ANALYST = "analyst"
ADMIN = "admin"
ROLES: tuple[str, ...] = (VIEWER, ANALYST, ADMIN)


@dataclass(frozen=True)
class User:
    """One person (or the command line's operating-system account) acting on the store.

    Attributes
    ----------
    name : str
        What the audit trail records: the identity provider's subject or e-mail, or the OS user.
    role : str or None
        One of :data:`ROLES`; ``None`` is a signed-in user with no access.
    cities, agencies : tuple of str
        The user's scope; empty means every city (or agency).
    """

    name: str
    role: str | None = ADMIN
    cities: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()

    @property
    def is_scoped(self) -> bool:
        """Return whether the user sees only some cities or agencies."""
        return bool(self.cities or self.agencies)


def os_user_name() -> str:
    """Return the operating-system account name (what command-line actions are recorded as)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def local_user(name: str | None = None) -> User:
    """Return the local-mode user: the OS account (or ``name``, as ``--as`` gives it), with every right.

    Examples
    --------
    >>> local_user("jdoe")
    User(name='jdoe', role='admin', cities=(), agencies=())
    """
    return User(name=name or os_user_name())
