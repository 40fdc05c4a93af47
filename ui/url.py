"""Keep the current filter in the page URL so a view can be shared and reopened.

The query parameters are exactly ``Filters.to_dict()`` (non-default values
only) plus ``tiles=off`` when the basemap is switched off. A URL that cannot
be read gives the default filter and a notice saying what was wrong.
"""

from __future__ import annotations

import logging

import streamlit as st

from linking.filters import Filters
from ui.text import md

LOG = logging.getLogger("brassmap.ui")
TILES_PARAM = "tiles"
TILES_OFF = "off"
K_STARTED = "url_read"
K_NOTICE = "url_notice"


def filters_from_params(params: dict[str, list[str]]) -> tuple[Filters, str | None]:
    """Parse query parameters into filters; on a bad value return the defaults and a notice.

    Parameters
    ----------
    params : dict of str to list of str
        Every value of every query parameter (a key may repeat in a URL).

    Examples
    --------
    >>> filters_from_params({"cities": ["Detroit,Memphis"], "min_series_size": ["3"]})[0].cities
    ('Detroit', 'Memphis')
    >>> filters, notice = filters_from_params({"date_from": ["yesterday"]})
    >>> filters == Filters(), "date_from" in notice
    (True, True)
    """
    flat = {key: ",".join(values) for key, values in params.items()}
    try:
        return Filters.from_dict(flat), None
    except ValueError as exc:
        LOG.info("ignoring URL filter: %s", exc)
        return Filters(), f"The link's filter could not be used, so the default view is shown. {exc}"


def read_url_once() -> Filters | None:
    """On a session's first run return the URL's filters; afterwards ``None``.

    A notice about a bad URL is kept in the session for :func:`show_url_notice`.
    """
    if st.session_state.get(K_STARTED):
        return None
    st.session_state[K_STARTED] = True
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    filters, notice = filters_from_params(params)
    st.session_state[K_NOTICE] = notice
    return filters


def show_url_notice() -> None:
    """Show (once per session) why the URL's filter was not used."""
    notice = st.session_state.pop(K_NOTICE, None)
    if notice:
        st.warning(md(notice), icon=":material/link_off:")


def tiles_on() -> bool:
    """Whether the OpenStreetMap basemap is wanted (``?tiles=off`` switches it off)."""
    return st.query_params.get(TILES_PARAM, "") != TILES_OFF


def write_url(filters: Filters, *, tiles: bool) -> None:
    """Replace the URL's query parameters with ``filters`` (and ``tiles=off`` when the basemap is off)."""
    target = filters.to_dict()
    if not tiles:
        target[TILES_PARAM] = TILES_OFF
    current = {key: st.query_params.get(key) for key in st.query_params}
    if target != current:
        st.query_params.from_dict(target)
