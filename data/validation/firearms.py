"""Firearm validation: recovery time in the city's zone, recovery point optional but checked."""

from __future__ import annotations

import pandas as pd

from data import schema as S
from data.mapping import Mapping
from data.problems import Problems
from data.readers import RawTable
from data.validation.context import StoreContext
from data.validation.places import checked_points, zones_for
from data.validation.source import open_source
from data.validation.tail import finish


def validate_firearms(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Validate recovered firearms (recovery point optional, checked when given)."""
    source = open_source(raw, mapping, problems, display_name=display_name, now=now)
    ids = source.ids(S.FIREARM_ID)
    source.require(ids, S.FIREARM_ID)
    city = source.parse(S.CITY)
    zones = zones_for(city, pd.Series(pd.NA, index=ids.index, dtype="string"), problems)
    recovered = source.parse(S.RECOVERED_AT, zones=zones)
    lat, lon, _ = checked_points(source, city, context, required=False)
    columns = {
        S.FIREARM_ID: ids,
        **source.strings(S.MAKE, S.MODEL, S.CALIBER, S.SERIAL_NUMBER, S.AGENCY),
        S.RECOVERED_AT: recovered,
        S.CITY: city,
        S.LATITUDE: lat,
        S.LONGITUDE: lon,
    }
    return finish(source, columns, unique=S.FIREARM_ID)
