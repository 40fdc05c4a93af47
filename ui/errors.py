"""Turn failures into a clear message on the page; details go to the server log.

Users never see a traceback (``client.showErrorDetails = "none"`` is the
second wall); every panel runs inside :func:`panel_guard`, so one failing
panel leaves the rest of the page working. Only the text of brassmap's own
errors (:class:`data.errors.BrassmapError`, written for users) reaches the
screen; anything else is logged with a short reference and shown as a
generic message carrying that reference.

A fragment (``@st.fragment``) reruns on its own, outside the ``with`` blocks
of ``dashboard.py``: decorate it with :func:`guarded_fragment` so its reruns
are guarded too.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException, StopException

from data.errors import BrassmapError
from ui.text import md

LOG = logging.getLogger("brassmap.ui")
P = ParamSpec("P")


def new_reference() -> str:
    """A short reference for one internal error, printed in the log and on the page.

    Examples
    --------
    >>> len(new_reference()), new_reference() != new_reference()
    (8, True)
    """
    return uuid.uuid4().hex[:8]


def internal_error_text(panel: str, reference: str) -> str:
    """The generic message of an internal error (no detail of the error itself).

    Examples
    --------
    >>> internal_error_text("map", "0a1b2c3d")  # doctest: +ELLIPSIS
    'The map could not be shown because of an internal error (reference 0a1b2c3d...'
    """
    return (
        f"The {panel} could not be shown because of an internal error (reference {reference}; "
        "the details are in the server log under it). The rest of the page still works."
    )


def report_exception(panel: str, exc: BaseException) -> None:
    """Show ``exc`` on the page the way the guard does (for code that catches it itself).

    A :class:`~data.errors.BrassmapError` shows its text; anything else is
    logged with its traceback under a new reference, and only the reference
    is shown.
    """
    if isinstance(exc, BrassmapError):
        LOG.warning("panel %s: %s", panel, exc, exc_info=exc)
        st.error(md(exc.user_text))
        return
    reference = new_reference()
    LOG.error("panel %s failed [reference %s]", panel, reference, exc_info=exc)
    st.error(internal_error_text(panel, reference))


@contextmanager
def panel_guard(panel: str) -> Iterator[None]:
    """Run one panel; on failure show a short message and log the traceback.

    Parameters
    ----------
    panel : str
        What the user was looking at, e.g. ``"map"``; named in the message.

    Notes
    -----
    A :class:`~data.errors.BrassmapError` carries a message written for users
    (file, row, column, value, fix), so its text is shown. Anything else
    (including a ``ValueError`` from pandas) is an internal error: the user
    gets a generic message with a reference that finds it in the server log.
    """
    started = time.perf_counter()
    try:
        yield
        LOG.info("panel %s drawn in %.3f s", panel, time.perf_counter() - started)
    except (RerunException, StopException):  # Streamlit's own control flow (st.rerun, st.stop)
        raise
    except BrassmapError as exc:
        LOG.warning("panel %s: %s", panel, exc, exc_info=True)
        st.error(f"The {panel} could not be shown: {md(exc.user_text)}")
    except Exception:
        reference = new_reference()
        LOG.exception("panel %s failed [reference %s]", panel, reference)
        st.error(internal_error_text(panel, reference))


def guarded_fragment(panel: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """Make ``func`` a Streamlit fragment whose every run (also its own reruns) is inside :func:`panel_guard`.

    Examples
    --------
    >>> @guarded_fragment("import")
    ... def import_panel() -> None: ...
    >>> import_panel.__name__
    'import_panel'
    """

    def decorate(func: Callable[P, None]) -> Callable[P, None]:
        @functools.wraps(func)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
            with panel_guard(panel):
                func(*args, **kwargs)

        return st.fragment(guarded)

    return decorate
