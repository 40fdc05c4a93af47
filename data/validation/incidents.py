"""Incident validation: ids, city, time, point, type and counts."""

from __future__ import annotations

import pandas as pd

from data import schema as S
from data.mapping import Mapping
from data.problems import Problems
from data.readers import RawTable
from data.validation.context import StoreContext
from data.validation.places import checked_points, located, zones_for
from data.validation.source import open_source
from data.validation.tail import finish


def validate_incidents(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Validate shooting incidents (ids, city, time, point, type, counts).

    Returns the kept rows, typed, with the ``row`` each came from; every
    reject and warning goes to ``problems``.
    """
    source = open_source(
        raw, mapping, problems, display_name=display_name, now=now,
        optional=lambda texts: located(texts, raw.geometry is not None),
    )
    ids = source.ids(S.INCIDENT_ID)
    source.require(ids, S.INCIDENT_ID)
    city = source.parse(S.CITY)
    source.require(city, S.CITY)
    incident_type = source.parse(S.INCIDENT_TYPE)
    source.require(incident_type, S.INCIDENT_TYPE)
    zones = zones_for(city, source.text(S.TIME_ZONE), problems)
    occurred = source.parse(S.OCCURRED_AT, zones=zones)
    source.require(source.text(S.OCCURRED_AT).where(occurred.notna()), S.OCCURRED_AT)
    lat, lon, far = checked_points(source, city, context)
    killed = source.parse(S.KILLED).fillna(0)
    injured = source.parse(S.INJURED).fillna(0)
    columns = {
        S.INCIDENT_ID: ids,
        S.CITY: city,
        S.OCCURRED_AT: occurred,
        S.LATITUDE: lat,
        S.LONGITUDE: lon,
        S.INCIDENT_TYPE: incident_type,
        S.KILLED: killed.astype("int64"),
        S.INJURED: injured.astype("int64"),
        **source.strings(
            S.STATE, S.AGENCY, S.CASE_NUMBER, S.ADDRESS, S.NARRATIVE, S.DISTRICT, S.NEIGHBOURHOOD, S.TIME_ZONE
        ),
        S.FAR_FROM_CITY: far,
    }
    return finish(source, columns, unique=S.INCIDENT_ID)
