"""The sidebar: filter widgets that return one frozen :class:`Filters`.

Widgets keep their values in ``st.session_state`` under the ``f_*`` keys;
:func:`seed_widgets` fills those keys from a ``Filters`` (the URL's on the
first run of a session), and :func:`filters_ui` reads them back. An empty
multi-select means "all", as its placeholder says.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from data import schema as S
from linking.filters import Filters
from ui.options import FilterOptions

PERIOD_ALL = "All dates"
PERIOD_7 = "Last 7 days"
PERIOD_28 = "Last 28 days"
PERIOD_90 = "Last 90 days"
PERIOD_YTD = "Year to date"
PERIOD_CUSTOM = "Custom range"
PERIODS: tuple[str, ...] = (PERIOD_ALL, PERIOD_7, PERIOD_28, PERIOD_90, PERIOD_YTD, PERIOD_CUSTOM)
PERIOD_KEYS: dict[str, str] = {
    PERIOD_7: "last_7_days",
    PERIOD_28: "last_28_days",
    PERIOD_90: "last_90_days",
    PERIOD_YTD: "year_to_date",
}
"""Relative periods as the URL names them (``?period=last_28_days``): a shared link rolls forward."""
_DAYS_BACK = {PERIOD_7: 7, PERIOD_28: 28, PERIOD_90: 90}

K_CITIES = "f_cities"
K_PERIOD = "f_period"
K_DATES = "f_dates"
K_TYPES = "f_types"
K_STATUSES = "f_statuses"
K_CALIBERS = "f_calibers"
K_AGENCIES = "f_agencies"
K_MIN_SIZE = "f_min_series_size"
K_ONLY_LINKED = "f_only_linked"
K_CUT = "f_cut_to_window"


def period_range(period: str, last_date: date) -> tuple[date | None, date | None]:
    """Return the local-date range of a quick pick, counted back from ``last_date``.

    Quick picks count from the newest incident in the data (not the wall
    clock), so a historical dataset still opens on its own latest weeks.

    Examples
    --------
    >>> period_range("Last 28 days", date(2021, 12, 31))
    (datetime.date(2021, 12, 4), datetime.date(2021, 12, 31))
    >>> period_range("Year to date", date(2021, 3, 2))
    (datetime.date(2021, 1, 1), datetime.date(2021, 3, 2))
    >>> period_range("All dates", date(2021, 3, 2))
    (None, None)
    """
    if period in _DAYS_BACK:
        return last_date - timedelta(days=_DAYS_BACK[period] - 1), last_date
    if period == PERIOD_YTD:
        return date(last_date.year, 1, 1), last_date
    return None, None


def seed_widgets(filters: Filters, options: FilterOptions, *, period: str | None = None) -> None:
    """Put the values of ``filters`` into the sidebar widgets' session state.

    ``period`` is a relative period's label (:data:`PERIOD_KEYS`); it wins over the dates.
    """
    state = st.session_state
    state[K_CITIES] = [c for c in (filters.cities or options.default_cities) if c in options.cities]
    if period in PERIOD_KEYS:
        state[K_PERIOD] = period
    elif filters.date_from is None and filters.date_to is None:
        state[K_PERIOD] = PERIOD_ALL
    else:
        state[K_PERIOD] = PERIOD_CUSTOM
        state[K_DATES] = (filters.date_from or options.first_date, filters.date_to or options.last_date)
    state[K_TYPES] = [t for t in filters.incident_types if t in S.INCIDENT_TYPES]
    state[K_STATUSES] = [s for s in filters.link_statuses if s in S.LINK_STATUSES]
    state[K_CALIBERS] = [c for c in filters.calibers if c in options.calibers]
    state[K_AGENCIES] = [a for a in filters.agencies if a in options.agencies]
    state[K_MIN_SIZE] = max(2, int(filters.min_series_size))
    state[K_ONLY_LINKED] = bool(filters.only_linked)
    state[K_CUT] = bool(filters.cut_to_window)


def relative_period() -> str | None:
    """The quick pick's label when it is a relative period (kept as such in the URL), else ``None``."""
    period = st.session_state.get(K_PERIOD)
    return str(period) if period in PERIOD_KEYS else None


def _on_period_change(options: FilterOptions) -> None:
    """When the quick pick switches to a custom range, start from the current range."""
    if st.session_state.get(K_PERIOD) == PERIOD_CUSTOM and K_DATES not in st.session_state:
        st.session_state[K_DATES] = (options.first_date, options.last_date)


def _date_range(options: FilterOptions) -> tuple[date | None, date | None]:
    period = st.radio(
        "Period",
        PERIODS,
        key=K_PERIOD,
        on_change=_on_period_change,
        args=(options,),
        help="Quick picks count back from the newest incident in the data.",
    )
    if period != PERIOD_CUSTOM:
        first, last = period_range(period, options.last_date)
        if first is not None:
            st.caption(f"{first:%d %b %Y} – {last:%d %b %Y} (local dates)")
        return first, last
    if K_DATES not in st.session_state:
        st.session_state[K_DATES] = (options.first_date, options.last_date)
    picked = st.date_input(
        "Local dates (from – to)",
        key=K_DATES,
        min_value=min(options.first_date, st.session_state[K_DATES][0]),
        max_value=max(options.last_date, st.session_state[K_DATES][-1]),
        format="YYYY-MM-DD",
    )
    dates = tuple(picked) if isinstance(picked, tuple | list) else (picked,)
    if len(dates) < 2:
        st.caption("Pick the end date too; until then the range is open-ended.")
        return dates[0] if dates else None, None
    return dates[0], dates[1]


def _type_label(incident_type: str) -> str:
    """How an incident type is shown in the filter (its schema value when it has no label)."""
    return S.INCIDENT_TYPE_LABELS.get(incident_type, incident_type)


def filters_ui(options: FilterOptions, *, series_id: str | None = None) -> Filters:
    """Draw the sidebar filters and return what they say.

    Parameters
    ----------
    options : FilterOptions
        Choices from the data (cities, calibers, agencies, date bounds).
    series_id : str, optional, keyword-only
        The series picked in the page, carried in the returned filters.

    Returns
    -------
    Filters
        Empty tuples mean "all"; picking every city is the same as none.
    """
    with st.sidebar:
        st.header("Filters")
        cities = st.multiselect("City", options.cities, key=K_CITIES, placeholder="All cities")
        date_from, date_to = _date_range(options)
        types = st.multiselect(
            "Incident type",
            S.INCIDENT_TYPES,
            key=K_TYPES,
            format_func=_type_label,
            placeholder="All types",
        )
        statuses = st.multiselect(
            "Link status",
            S.LINK_STATUSES,
            key=K_STATUSES,
            format_func=lambda status: status.capitalize() + ("s" if status in ("lead", "hit") else ""),
            placeholder="No links (pick a status)",
            help=S.LEAD_DISCLAIMER,
        )
        calibers = st.multiselect("Caliber", options.calibers, key=K_CALIBERS, placeholder="All calibers")
        agencies = st.multiselect("Agency", options.agencies, key=K_AGENCIES, placeholder="All agencies")
        min_size = st.number_input("Minimum series size", min_value=2, max_value=500, step=1, key=K_MIN_SIZE)
        only_linked = st.checkbox("Only linked incidents", key=K_ONLY_LINKED)
        cut = st.checkbox(
            "Cut series to the filter",
            key=K_CUT,
            help="Off: a series with a shooting in the filter is shown whole, its other shootings faded. "
            "On: only the shootings matching the filter are shown (series ids stay the same).",
        )
    chosen_cities = tuple(cities)
    if set(chosen_cities) == set(options.cities):
        chosen_cities = ()
    return Filters(
        cities=chosen_cities,
        date_from=date_from,
        date_to=date_to,
        incident_types=tuple(types),
        link_statuses=tuple(statuses),
        calibers=tuple(calibers),
        agencies=tuple(agencies),
        min_series_size=int(min_size),
        only_linked=bool(only_linked),
        series_id=series_id,
        cut_to_window=bool(cut),
    )
