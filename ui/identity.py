"""Who uses this browser session: local mode's OS account, or team mode's signed-in user (the sign-in gate).

Team mode is on when ``[brassmap] mode = "team"`` is in ``.streamlit/secrets.toml`` or
``BRASSMAP_MODE=team`` is set (README, "Team mode"). :func:`sign_in_gate` runs first on every page,
before anything is loaded: until the identity provider (``st.login``, the ``[auth]`` secrets) has
signed the user in, the page holds the use notice and a sign-in button and nothing else.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from data.access import (
    ANALYST,
    TeamSettings,
    User,
    can,
    local_user,
    signed_in_user,
    team_settings,
)
from ui.text import md

K_USER = "brassmap_user"
K_SEEN = "brassmap_last_activity"
LOCAL_LABEL = "local mode"
NO_ACCESS = "No access"
NO_AUTH = (
    "Team mode is on, but `.streamlit/secrets.toml` has no `[auth]` section naming the identity provider "
    "(redirect\\_uri, cookie\\_secret, client\\_id, client\\_secret, server\\_metadata\\_url): "
    "add it (README, \"Team mode\") or switch team mode off."
)
_LOG = logging.getLogger(__name__)


def settings() -> TeamSettings:
    """Return this server's mode and team-mode rules (``[brassmap]`` in secrets.toml, ``$BRASSMAP_MODE``)."""
    section: Mapping[str, Any] = {}
    try:
        if "brassmap" in st.secrets:
            section = st.secrets["brassmap"]
    except FileNotFoundError:  # no secrets.toml at all: local mode
        section = {}
    return team_settings(section, os.environ)


def _has_auth_section() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def current_user() -> User:
    """Return who uses this session: the signed-in user (team mode), else the local OS account."""
    user = st.session_state.get(K_USER)
    if isinstance(user, User):
        return user
    if settings().is_team:  # never reached on a page: the gate stops it first
        return User(name="signed out", role=None, cities=("",))
    return local_user()


@st.cache_resource(show_spinner=False)
def _last_activity() -> dict[str, float]:
    """Latest activity per signed-in user, over every session of this server (a new tab continues it)."""
    return {}


@st.cache_resource(show_spinner=False)
def _signed_in() -> set[tuple[str, float]]:
    """(user, sign-in time) pairs already recorded, so a new tab of one sign-in is not a new sign-in."""
    return set()


def sign_in_gate() -> User:
    """Stop the page unless its user may see it; return the user (call before anything is loaded).

    Local mode: the OS account, and a "local mode" note in the sidebar. Team mode:
    the use notice and a sign-in button until signed in; signed out after the idle
    timeout; a "no access" page for a user with no role. Fails closed: when the gate
    itself fails (a wrong setting, the users table unreadable) the page stops after the error.
    """
    from ui.errors import panel_guard

    with panel_guard("sign-in"):
        return _gate()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


def _gate() -> User:
    config = settings()
    if not config.is_team:
        st.session_state[K_USER] = local_user()
        st.sidebar.caption(f"**{LOCAL_LABEL}**: no sign-in; this computer only (127.0.0.1).")
        return st.session_state[K_USER]
    if not _has_auth_section() and not st.user.is_logged_in:
        st.error(NO_AUTH)
        st.stop()
    if not st.user.is_logged_in:
        st.session_state.pop(K_USER, None)
        _sign_in_page(config)
        st.stop()
    claims = dict(st.user.to_dict())
    name = str(claims.get(config.name_claim) or claims.get("email") or claims.get("sub") or "")
    now = time.time()
    if _idle(config, name, claims, now):
        _sign_out(name, reason="idle timeout")
        st.stop()
    _last_activity()[name] = now
    user = _resolve(claims, config)
    st.session_state[K_USER] = user
    _note_sign_in(user, claims)
    if user.role is None:
        _no_access_page(user)
        st.stop()
    _signed_in_sidebar(user, config)
    return user


def _idle(config: TeamSettings, name: str, claims: Mapping[str, Any], now: float) -> bool:
    """Whether the user has been idle longer than the timeout (last activity, else the sign-in time)."""
    since = _last_activity().get(name)
    if since is None:
        since = float(claims.get("auth_time") or claims.get("iat") or now)
    return now - since > config.idle_minutes * 60


def _resolve(claims: Mapping[str, Any], config: TeamSettings) -> User:
    """The user for these claims: brassmap's users table first, else the claim -> role mapping."""
    from data.access import claim_name
    from data.users import find_user
    from ui.loading import database_url, store_for

    granted = find_user(store_for(database_url()), claim_name(claims, config))
    return signed_in_user(claims, config, granted)


def _sign_in_page(config: TeamSettings) -> None:
    """The only thing a signed-out browser receives: the use notice and the sign-in button."""
    st.title("brassmap")
    st.warning(md(config.use_notice), icon=":material/policy:")
    st.caption("Signing in accepts these conditions; it goes through your agency's identity provider.")
    st.button("Sign in", type="primary", on_click=st.login)


def _no_access_page(user: User) -> None:
    st.title(NO_ACCESS)
    st.error(
        f"You are signed in as {md(user.name)}, but no brassmap role is given to you. "
        "Ask an administrator to grant one (`python -m data users grant`)."
    )
    st.button("Sign out", on_click=_sign_out_clicked)


def _signed_in_sidebar(user: User, config: TeamSettings) -> None:
    scope = "; ".join(
        part for part in (
            f"cities: {', '.join(user.cities)}" if user.cities else "",
            f"agencies: {', '.join(user.agencies)}" if user.agencies else "",
        ) if part
    )  # fmt: skip
    with st.sidebar:
        scoped = f" ({md(scope)})" if scope else ""
        st.caption(f"Signed in as **{md(user.name)}**, {md(user.role)}{scoped}")
        st.button("Sign out", key="brassmap_sign_out", on_click=_sign_out_clicked)
        _idle_watch(user.name, config.idle_minutes)


def _idle_watch(name: str, minutes: float) -> None:
    """Sign out a page left open: a fragment checks the idle time (its own runs are not activity)."""

    @st.fragment(run_every=max(1.0, min(60.0, minutes * 60 / 4)))
    def watch() -> None:
        since = _last_activity().get(name, time.time())
        if time.time() - since > minutes * 60:
            _sign_out(name, reason="idle timeout")
            st.stop()

    watch()


def _sign_out_clicked() -> None:
    user = st.session_state.get(K_USER)
    _sign_out(user.name if isinstance(user, User) else "", reason="signed out")


def _sign_out(name: str, *, reason: str) -> None:
    """Record the sign-out and end the session at the identity cookie (``st.logout``)."""
    _last_activity().pop(name, None)
    st.session_state.pop(K_USER, None)
    record_access("sign_out", name, {"reason": reason})
    st.logout()


def _note_sign_in(user: User, claims: Mapping[str, Any]) -> None:
    key = (user.name, float(claims.get("auth_time") or claims.get("iat") or 0))
    if key not in _signed_in():
        _signed_in().add(key)
        record_access("sign_in", user.name, {"role": user.role or "none", "cities": list(user.cities),
                                             "agencies": list(user.agencies)})  # fmt: skip


def record_access(action: str, name: str, details: dict[str, Any]) -> None:
    """Append a sign-in or sign-out to the audit trail (:func:`data.audit.record`), and log it."""
    from data import audit
    from ui.loading import database_url, store_for

    _LOG.info("%s: %s %s", action, name, details)
    audit.record(store_for(database_url()), user=name, action=action, details=details)


def may(role: str) -> bool:
    """Return whether this session's user holds ``role`` or higher (``"analyst"``, ``"admin"``)."""
    return can(current_user(), role)


def can_export() -> bool:
    """Exports, bulletins and lead events are for analysts and admins."""
    return may(ANALYST)


def allowed(role: str, what: str) -> bool:
    """Return whether this session's user holds ``role``; if not, say so in place of ``what``."""
    user = current_user()
    if can(user, role):
        return True
    text = f"Your role ({md(user.role)}) does not include {what}: it needs the {role} role."
    st.info(text, icon=":material/lock:")
    return False
