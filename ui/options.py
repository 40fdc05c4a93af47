"""What the filter widgets can offer, computed once per dataset version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from data import schema as S
from geo.cities import DEFAULT_CITY_NAMES
from ui.loading import frames_for


@dataclass(frozen=True)
class FilterOptions:
    """Choices offered by the sidebar for one dataset.

    Attributes
    ----------
    cities : tuple of str
        Every city in the data, the seven default cities first.
    default_cities : tuple of str
        The default cities present in the data (the initial city selection).
    calibers, agencies : tuple of str
        Distinct values in the data, sorted (``S.UNKNOWN_CALIBER`` last).
    first_date, last_date : date
        Local dates of the first and last incident.
    """

    cities: tuple[str, ...]
    default_cities: tuple[str, ...]
    calibers: tuple[str, ...]
    agencies: tuple[str, ...]
    first_date: date
    last_date: date


@st.cache_resource(show_spinner=False, max_entries=2)
def filter_options(url: str, dataset_version: str) -> FilterOptions:
    """Return the filter choices of one dataset version (cached, never mutated)."""
    incidents = frames_for(url, dataset_version).incidents
    present = {str(city) for city in incidents[S.CITY].dropna().unique()}
    defaults = tuple(name for name in DEFAULT_CITY_NAMES if name in present)
    others = tuple(sorted(present - set(defaults)))
    calibers = (
        {str(value) for value in incidents[S.CALIBER].dropna().unique()} if S.CALIBER in incidents else set()
    )
    known_calibers = tuple(sorted(calibers - {S.UNKNOWN_CALIBER}))
    agencies = tuple(sorted({str(v) for v in incidents[S.AGENCY].dropna().unique() if str(v).strip()}))
    if len(incidents):
        first = pd.Timestamp(incidents[S.LOCAL_DATE].min()).date()
        last = pd.Timestamp(incidents[S.LOCAL_DATE].max()).date()
    else:
        first = last = date.today()
    return FilterOptions(
        cities=defaults + others,
        default_cities=defaults or others,
        calibers=(*known_calibers, S.UNKNOWN_CALIBER),
        agencies=agencies,
        first_date=first,
        last_date=last,
    )
