"""Turn failures into a clear message on the page; details go to the server log.

Users never see a traceback (``client.showErrorDetails = "none"`` is the
second wall); every panel runs inside :func:`panel_guard`, so one failing
panel leaves the rest of the page working.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException, StopException

from ui.text import md

LOG = logging.getLogger("brassmap.ui")


@contextmanager
def panel_guard(panel: str) -> Iterator[None]:
    """Run one panel; on failure show a short message and log the traceback.

    Parameters
    ----------
    panel : str
        What the user was looking at, e.g. ``"map"``; named in the message.

    Notes
    -----
    ``ValueError`` subclasses raised by the data layer carry messages written
    for users (file, row, column, value, fix), so their text is shown. Anything
    else is an internal error: the user gets a generic message with a reference
    to the server log.
    """
    started = time.perf_counter()
    try:
        yield
        LOG.info("panel %s drawn in %.3f s", panel, time.perf_counter() - started)
    except (RerunException, StopException):  # Streamlit's own control flow (st.rerun, st.stop)
        raise
    except ValueError as exc:
        LOG.warning("panel %s: %s", panel, exc, exc_info=True)
        st.error(f"The {panel} could not be shown: {md(exc)}")
    except Exception:
        LOG.exception("panel %s failed", panel)
        st.error(
            f"The {panel} could not be shown because of an internal error. "
            "The details are in the server log; the rest of the page still works."
        )
