"""Keep the whole view in the page URL so it can be shared and reopened.

The query parameters are ``Filters.to_dict()`` (non-default values only, the
picked series as ``series_id``), plus the rest of the view (:class:`ViewParams`):
``period=last_28_days`` (a relative period instead of its dates, so a
bookmark rolls forward), ``hot=1`` and ``hot_days=N``, ``sort=…`` for the
series table, ``tiles=on``/``off`` when the basemap differs from its default, and the
map's layers and view (``ui.map_state``). A URL that
cannot be read gives the default filter and a notice saying what was wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import streamlit as st

from linking.filters import FilterError, Filters
from ui.text import md

LOG = logging.getLogger("brassmap.ui")
TILES_PARAM = "tiles"
PERIOD_PARAM = "period"
HOT_PARAM = "hot"
HOT_DAYS_PARAM = "hot_days"
SORT_PARAM = "sort"
DEFAULT_HOT_DAYS = 28
K_VIEW = "url_view"


@dataclass(frozen=True)
class ViewParams:
    """The view beyond the filter: relative period, hot guns and their days, the series table's sort.

    ``period`` is a key of ``ui.filters.PERIOD_KEYS``'s values (``last_28_days``), ``sort`` a key of
    ``ui.series_view.SORTS``; ``None`` means the default.

    Examples
    --------
    >>> ViewParams(period="last_28_days", hot=True, hot_days=14).to_dict()
    {'period': 'last_28_days', 'hot': '1', 'hot_days': '14'}
    >>> ViewParams.from_params({"period": ["year_to_date"], "hot_days": ["x"]})
    ViewParams(period='year_to_date', hot=False, hot_days=28, sort=None)
    """

    period: str | None = None
    hot: bool = False
    hot_days: int = DEFAULT_HOT_DAYS
    sort: str | None = None

    def to_dict(self) -> dict[str, str]:
        """Non-default values as query parameters."""
        out: dict[str, str] = {}
        if self.period:
            out[PERIOD_PARAM] = self.period
        if self.hot:
            out[HOT_PARAM] = "1"
        if self.hot_days != DEFAULT_HOT_DAYS:
            out[HOT_DAYS_PARAM] = str(self.hot_days)
        if self.sort:
            out[SORT_PARAM] = self.sort
        return out

    @classmethod
    def from_params(cls, params: dict[str, list[str]]) -> ViewParams:
        """Read them from query parameters; an unreadable value keeps its default."""

        def first(key: str) -> str:
            values = params.get(key) or [""]
            return str(values[-1]).strip()

        try:
            days = int(first(HOT_DAYS_PARAM) or DEFAULT_HOT_DAYS)
        except ValueError:
            days = DEFAULT_HOT_DAYS
        return cls(
            period=first(PERIOD_PARAM) or None,
            hot=first(HOT_PARAM).lower() in ("1", "true", "yes", "on"),
            hot_days=min(max(days, 1), 3650),
            sort=first(SORT_PARAM) or None,
        )
TILES_OFF = "off"
TILES_ON = "on"
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
    except FilterError as exc:  # written for users: says which parameter and why
        LOG.info("ignoring URL filter: %s", exc)
        return Filters(), f"The link's filter could not be used, so the default view is shown. {exc}"
    except ValueError:  # not ours: its text is not for users (ui/errors.py)
        LOG.warning("ignoring URL filter %r", flat, exc_info=True)
        return Filters(), "The link's filter could not be used, so the default view is shown."


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
    st.session_state[K_VIEW] = ViewParams.from_params(params)
    return filters


def view_from_url() -> ViewParams:
    """The view parameters read by :func:`read_url_once` (defaults when none)."""
    value = st.session_state.get(K_VIEW)
    return value if isinstance(value, ViewParams) else ViewParams()


def show_url_notice() -> None:
    """Show (once per session) why the URL's filter was not used."""
    notice = st.session_state.pop(K_NOTICE, None)
    if notice:
        st.warning(md(notice), icon=":material/link_off:")


def tiles_on(default: bool = False) -> bool:
    """Whether the basemap is wanted: ``?tiles=on`` / ``?tiles=off``, else ``default``."""
    value = st.query_params.get(TILES_PARAM, "")
    return default if value not in (TILES_ON, TILES_OFF) else value == TILES_ON


def write_url(
    filters: Filters,
    *,
    tiles: bool,
    view: ViewParams | None = None,
    tiles_default: bool = False,
    keep: tuple[str, ...] = (),
) -> None:
    """Replace the URL's query parameters with ``filters``, ``view`` and the map's state.

    ``tiles=on``/``tiles=off`` is written when the basemap differs from
    ``tiles_default``; parameters named in ``keep`` (the map's layers and
    view, which the browser writes: :mod:`ui.map_state`) are left as they
    are. With a relative period the dates are left out: the period's name
    stands for them.
    """
    target = filters.to_dict()
    if view is not None:
        if view.period:
            target.pop("date_from", None)
            target.pop("date_to", None)
        target.update(view.to_dict())
    if tiles != tiles_default:
        target[TILES_PARAM] = TILES_ON if tiles else TILES_OFF
    current_keys = set(st.query_params)
    target.update({key: st.query_params[key] for key in keep if key in current_keys})
    current = {key: st.query_params.get(key) for key in st.query_params}
    if target != current:
        st.query_params.from_dict(target)
