"""brassmap's users table: a role and a scope per user, for team mode (``python -m data users``).

A row here wins over the identity provider's claims (:func:`data.access.signed_in_user`);
``revoke`` keeps the row with no role, so access stays withdrawn whatever the claims say.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from data import schema as S
from data._sql import TABLES, USERS, upsert_statement
from data.access import ROLES, User
from data.errors import BrassmapError

if TYPE_CHECKING:
    from data.store import Store


class UserError(BrassmapError, ValueError):
    """A grant or revoke that cannot be done (unknown role, unknown user); the text says how to fix it."""


def _names(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _user(row: object) -> User:
    mapping = row._mapping  # type: ignore[attr-defined]
    return User(
        name=str(mapping["name"]),
        role=mapping["role"],
        cities=tuple(json.loads(mapping["cities"] or "[]")),
        agencies=tuple(json.loads(mapping["agencies"] or "[]")),
    )


def find_user(store: Store, name: str) -> User | None:
    """Return the users-table entry of ``name`` (case-insensitive), ``None`` when there is none."""
    with store.engine.connect() as connection:
        row = connection.execute(select(USERS).where(USERS.c.name == key(name))).first()
    return None if row is None else _user(row)


def key(name: str) -> str:
    """Return how a name is stored and looked up: trimmed, lower case (e-mail addresses ignore case).

    Examples
    --------
    >>> key("  Ann@PD.gov ")
    'ann@pd.gov'
    """
    return name.strip().lower()


def list_users(store: Store) -> list[User]:
    """Return every users-table entry, by name (revoked ones have role ``None``)."""
    with store.engine.connect() as connection:
        rows = connection.execute(select(USERS).order_by(USERS.c.name)).fetchall()
    return [_user(row) for row in rows]


def grant(
    store: Store,
    name: str,
    role: str,
    *,
    cities: tuple[str, ...] | list[str] = (),
    agencies: tuple[str, ...] | list[str] = (),
    by: str,
) -> User:
    """Give ``name`` a role and a scope (replacing what it had); return the stored user.

    Raises
    ------
    UserError
        An unknown role or an empty name.
    """
    if role not in ROLES:
        raise UserError(f"role {role!r} is not known: use one of {', '.join(ROLES)}")
    if not name.strip():
        raise UserError("give the user's name as they sign in (their e-mail, or the subject claim)")
    user = User(name=key(name), role=role, cities=_names(cities), agencies=_names(agencies))
    _write(store, user, by)
    return user


def revoke(store: Store, name: str, *, by: str) -> User:
    """Take away ``name``'s access (the row stays, with no role: claims no longer give one).

    Raises
    ------
    UserError
        ``name`` is not in the users table.
    """
    found = find_user(store, name)
    if found is None:
        raise UserError(f"user {name!r} is not in the users table; see `python -m data users list`")
    user = User(name=found.name, role=None)
    _write(store, user, by)
    return user


def forget(store: Store, name: str) -> None:
    """Delete ``name``'s row (tests and clean-up; the claims decide again)."""
    with store.engine.begin() as connection:
        connection.execute(delete(USERS).where(USERS.c.name == key(name)))


def _write(store: Store, user: User, by: str) -> None:
    row = {
        "name": key(user.name),
        "role": user.role,
        "cities": json.dumps(list(user.cities)),
        "agencies": json.dumps(list(user.agencies)),
        "granted_by": by,
        "granted_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with store.engine.begin() as connection:
        connection.execute(upsert_statement(connection, USERS).values([row]))


def describe(user: User) -> str:
    """One line for ``users list``: name, role (or no access) and scope.

    Examples
    --------
    >>> describe(User("ann@pd.gov", "viewer", cities=("Memphis",)))
    'ann@pd.gov  viewer  cities: Memphis  agencies: all'
    """
    role = user.role or "no access"
    cities = ", ".join(user.cities) or "all"
    agencies = ", ".join(user.agencies) or "all"
    return f"{user.name}  {role}  cities: {cities}  agencies: {agencies}"


def unknown_scope(store: Store, user: User) -> list[str]:
    """Return notes for scope names no incident of the store carries (a typo gives an empty scope).

    Nothing is said about an empty store: the grant may come before the import.
    """
    incidents = TABLES[S.INCIDENTS]
    notes = []
    with store.engine.connect() as connection:
        if connection.execute(select(incidents.c[S.INCIDENT_ID]).limit(1)).first() is None:
            return []
        for column, wanted in ((S.CITY, user.cities), (S.AGENCY, user.agencies)):
            if not wanted:
                continue
            held = {str(v) for v in connection.execute(select(incidents.c[column]).distinct()).scalars()}
            for name in wanted:
                if name not in held:
                    known = ", ".join(sorted(held)[:12]) + (", ..." if len(held) > 12 else "")
                    notes.append(f"no incident in this store has {column} {name!r} (names are exact; "
                                 f"the store holds: {known})")  # fmt: skip
    return notes
