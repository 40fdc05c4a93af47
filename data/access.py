"""Who is acting: a user's name, role and scope (the shared vocabulary of sign-in, roles and audit).

Local mode (the default) has one user, the operating-system account, with every right. Team mode
fills :class:`User` from the identity provider's claims or the users table (see the README's
"Team mode").
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from data.errors import BrassmapError

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


# --- team mode: settings, roles from claims, scope tokens -------------------------------------------------

LOCAL = "local"
TEAM = "team"
MODES: tuple[str, ...] = (LOCAL, TEAM)
MODE_ENV = "BRASSMAP_MODE"
DEFAULT_IDLE_MINUTES = 30.0
DEFAULT_NOTICE = (
    "This system holds criminal-justice information. Use is limited to authorised personnel for official "
    "purposes; every sign-in, view, search and export is recorded."
)
_RANK = {VIEWER: 1, ANALYST: 2, ADMIN: 3}


class AccessConfigError(BrassmapError, ValueError):
    """The ``[brassmap]`` settings or ``$BRASSMAP_MODE`` are wrong; the text says which and how."""


@dataclass(frozen=True)
class TeamSettings:
    """How the dashboard runs: local (default) or team mode, and team mode's rules.

    Attributes
    ----------
    mode : str
        ``"local"`` or ``"team"``.
    use_notice : str
        Shown before sign-in (team mode).
    idle_minutes : float
        Minutes without a click after which the user is signed out (team mode).
    role_claim : str
        The identity provider's claim read for roles (``groups`` by default): a text or a list of texts.
    claim_roles : dict
        Claim value -> role; a user holding several gets the highest.
    name_claim : str
        The claim that names the user (``email``, falling back to ``sub``).
    """

    mode: str = LOCAL
    use_notice: str = DEFAULT_NOTICE
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    role_claim: str = "groups"
    claim_roles: tuple[tuple[str, str], ...] = ()
    name_claim: str = "email"

    @property
    def is_team(self) -> bool:
        """Return whether sign-in is required."""
        return self.mode == TEAM


def _fail(key: str, value: object, fix: str) -> AccessConfigError:
    return AccessConfigError(f"[brassmap] {key} = {value!r} in .streamlit/secrets.toml is not valid: {fix}")


def team_settings(section: Mapping[str, Any] | None, env: Mapping[str, str] | None = None) -> TeamSettings:
    """Read the ``[brassmap]`` section of secrets.toml (and ``$BRASSMAP_MODE``, which wins) into settings.

    Raises
    ------
    AccessConfigError
        A mode, timeout or role that is not known (the message names the key, the value and the fix).

    Examples
    --------
    >>> team_settings({"mode": "team", "claim_roles": {"gun-unit": "analyst"}}).claim_roles
    (('gun-unit', 'analyst'),)
    >>> team_settings({}, {"BRASSMAP_MODE": "team"}).is_team
    True
    """
    section = dict(section or {})
    mode = str((env or {}).get(MODE_ENV) or section.get("mode") or LOCAL).strip().lower()
    if mode not in MODES:
        raise _fail("mode", mode, f"use one of {', '.join(MODES)} (or set ${MODE_ENV})")
    raw_idle = section.get("idle_timeout_minutes", DEFAULT_IDLE_MINUTES)
    try:
        idle = float(raw_idle)
    except (TypeError, ValueError):
        idle = -1.0
    if not idle > 0:
        raise _fail("idle_timeout_minutes", raw_idle, "give a number of minutes above 0 (default 30)")
    mapping = section.get("claim_roles") or {}
    if not isinstance(mapping, Mapping):
        raise _fail("claim_roles", mapping, 'write a table: [brassmap.claim_roles] "group name" = "analyst"')
    for value, role in mapping.items():
        if role not in ROLES:
            raise _fail(f"claim_roles.{value}", role, f"roles are {', '.join(ROLES)}")
    return TeamSettings(
        mode=mode,
        use_notice=str(section.get("use_notice") or DEFAULT_NOTICE),
        idle_minutes=idle,
        role_claim=str(section.get("role_claim") or "groups"),
        claim_roles=tuple((str(k), str(v)) for k, v in mapping.items()),
        name_claim=str(section.get("name_claim") or "email"),
    )


def highest_role(roles: Iterable[str | None]) -> str | None:
    """Return the highest of ``roles`` (admin > analyst > viewer), ``None`` when there is none.

    Examples
    --------
    >>> highest_role(["viewer", None, "analyst"]), highest_role([])
    ('analyst', None)
    """
    known = [role for role in roles if role in _RANK]
    return max(known, key=_RANK.__getitem__) if known else None


def claim_name(claims: Mapping[str, Any], settings: TeamSettings) -> str:
    """Return who the claims name: the configured claim (e-mail by default), else the subject."""
    for key in (settings.name_claim, "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise AccessConfigError("the identity provider sent no subject (sub) claim; check its configuration")


def role_from_claims(claims: Mapping[str, Any], settings: TeamSettings) -> str | None:
    """Return the highest role the configured claim maps to, or ``None``.

    Examples
    --------
    >>> settings = team_settings({"claim_roles": {"gun-unit": "analyst", "it": "admin"}})
    >>> role_from_claims({"groups": ["gun-unit", "hr"]}, settings)
    'analyst'
    >>> print(role_from_claims({"groups": "hr"}, settings))
    None
    """
    held = claims.get(settings.role_claim)
    values = [held] if isinstance(held, str) else list(held) if isinstance(held, (list, tuple)) else []
    mapping = dict(settings.claim_roles)
    return highest_role(mapping.get(str(value)) for value in values)


def signed_in_user(claims: Mapping[str, Any], settings: TeamSettings, granted: User | None) -> User:
    """Return the signed-in user: their users-table row if any (even revoked), else the claims' role.

    A row in brassmap's users table wins over the claims, so an administrator can
    narrow a user's scope or take away access (``revoke``) whatever the identity
    provider says.
    """
    name = claim_name(claims, settings)
    if granted is not None:
        return replace(granted, name=name)
    return User(name=name, role=role_from_claims(claims, settings))


def scope_token(user: User) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Return what a user's data depends on: cities, agencies, whether sensitive fields are blanked.

    Examples
    --------
    >>> scope_token(User("a", VIEWER, cities=("Memphis",)))
    (('Memphis',), (), True)
    """
    return (tuple(sorted(user.cities)), tuple(sorted(user.agencies)), not can(user, ANALYST))


def can(user: User, role: str) -> bool:
    """Return whether ``user`` holds ``role`` or a higher one.

    Examples
    --------
    >>> can(User("a", ANALYST), VIEWER), can(User("a", ANALYST), ADMIN), can(User("a", None), VIEWER)
    (True, False, False)
    """
    return _RANK.get(user.role or "", 0) >= _RANK[role]
