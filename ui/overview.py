"""Headline numbers with the change against the previous period of the same length."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from datetime import timedelta
from typing import Literal

import streamlit as st

from data import schema as S
from linking.filters import Filters
from linking.headline import Headline, count_headline, headline
from ui.background import BackgroundResults
from ui.context import PageContext
from ui.loading import frames_for


def previous_period(filters: Filters) -> Filters | None:
    """Return the same filters shifted to the period just before, or ``None`` when open-ended.

    Examples
    --------
    >>> from datetime import date
    >>> f = Filters(date_from=date(2021, 2, 1), date_to=date(2021, 2, 28))
    >>> p = previous_period(f)
    >>> (p.date_from, p.date_to)
    (datetime.date(2021, 1, 4), datetime.date(2021, 1, 31))
    >>> previous_period(Filters()) is None
    True
    """
    if filters.date_from is None or filters.date_to is None:
        return None
    length = (filters.date_to - filters.date_from).days + 1
    return replace(
        filters,
        date_from=filters.date_from - timedelta(days=length),
        date_to=filters.date_from - timedelta(days=1),
        series_id=None,
    )


def _delta(now: float, before: float | None, *, percent: bool = False) -> str | None:
    if before is None:
        return None
    change = now - before
    if percent:
        return f"{change * 100:+.1f} pts"
    return f"{change:+,.0f}"


# (label, Headline attribute, help, delta colour); "Incidents" up is bad news, the rest are neutral
DeltaColour = Literal["normal", "inverse", "off"]
_METRICS: tuple[tuple[str, str, str | None, DeltaColour], ...] = (
    ("Incidents", "incidents", None, "inverse"),
    ("Linked share", "linked_share", "Share of the incidents in the filter that belong to a series.", "off"),
    ("Series", "series", None, "off"),
    ("Leads", "leads", S.LEAD_DISCLAIMER, "off"),
    ("Hits", "hits", "Examiner-confirmed links.", "off"),
    ("Cross-city series", "cross_city_series", None, "off"),
)


def overview_ui(current: Headline, previous: Headline | None, *, period_note: str) -> None:
    """Draw the headline numbers; deltas compare with ``previous`` when given."""
    for column, (label, name, help_text, colour) in zip(st.columns(len(_METRICS)), _METRICS, strict=True):
        now = getattr(current, name)
        share = name == "linked_share"
        shown = f"{now:.1%}" if share else f"{now:,}"
        delta = _delta(now, getattr(previous, name) if previous else None, percent=share)
        column.metric(label, shown, delta, help=help_text, delta_color=colour)
    st.caption(period_note)


def describe_period(previous: Filters | None) -> str:
    """One line under the numbers saying what the deltas compare."""
    if previous is None:
        return "Changes are shown when a closed date range is picked (they compare with the period before)."
    return (
        f"Changes compare with {previous.date_from:%d %b %Y} – {previous.date_to:%d %b %Y}, "
        "the period of the same length just before."
    )


_PREVIOUS: BackgroundResults[Headline] = BackgroundResults("previous-period", max_remembered=64)


def previous_headline(url: str, dataset_version: str, filters: Filters) -> Future[Headline]:
    """Start (or find) the count of ``filters``'s headline on a worker thread; return its future.

    The period before is counted while the map and the graph are built on the
    main thread, without its series table (:func:`linking.headline.count_headline`),
    and only its six numbers are kept. Going back to a filter seen before costs nothing.
    """
    frames = frames_for(url, dataset_version)
    return _PREVIOUS.start((url, dataset_version, filters), count_headline, frames, filters)


def start_overview(ctx: PageContext) -> None:
    """Start counting the period before the page's filter (call before drawing the map and graph)."""
    before_filters = previous_period(ctx.selection.filters)
    if before_filters is not None:
        previous_headline(ctx.db_url, ctx.dataset_version, before_filters)


def overview_section(ctx: PageContext) -> None:
    """Draw the headline numbers of the page's filter, compared with the period before."""
    current = headline(ctx.selection)
    before_filters = previous_period(ctx.selection.filters)
    before = None
    if before_filters is not None:
        counting = previous_headline(ctx.db_url, ctx.dataset_version, before_filters)
        before = counting.result()
    overview_ui(current, before, period_note=describe_period(before_filters))
