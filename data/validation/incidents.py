"""Incident validation: ids, city, time, point, type and counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import schema as S
from data.mapping import Mapping
from data.parsing import parse_count
from data.problems import Problems
from data.readers import RawTable
from data.validation.context import StoreContext
from data.validation.places import checked_points, located, zones_for
from data.validation.source import Source, open_source
from data.validation.tail import finish

INFERRED_TYPE_NOTE = (
    "incident_type is not in the file: inferred from killed/injured (homicide when killed > 0, "
    "non_fatal_shooting when injured > 0, else shots_fired)"
)


def _inferrable(texts: dict[str, pd.Series]) -> bool:
    """No incident_type, but killed or injured mapped: the type can be inferred."""
    return S.INCIDENT_TYPE not in texts and (S.KILLED in texts or S.INJURED in texts)


def _inferred_type(source: Source) -> pd.Series:
    """homicide when killed > 0, non_fatal_shooting when injured > 0, else shots_fired (said in the summary).

    Counts that do not parse are reported by the killed/injured parsers; here they count as 0.
    """
    quiet = Problems(source.problems.rows)
    killed = parse_count(source.text(S.KILLED), S.KILLED, quiet).fillna(0).to_numpy()
    injured = parse_count(source.text(S.INJURED), S.INJURED, quiet).fillna(0).to_numpy()
    kind = np.where(killed > 0, "homicide", np.where(injured > 0, "non_fatal_shooting", "shots_fired"))
    source.problems.summary_note(INFERRED_TYPE_NOTE, field=S.INCIDENT_TYPE)
    return pd.Series(kind, dtype="string")


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
    def optional(texts: dict[str, pd.Series]) -> set[str]:
        """A point may come from a location or geometry; the type may be inferred from the counts."""
        absent = located(texts, raw.geometry is not None)
        if _inferrable(texts):
            absent.add(S.INCIDENT_TYPE)
        return absent

    source = open_source(raw, mapping, problems, display_name=display_name, now=now, optional=optional)
    ids = source.ids(S.INCIDENT_ID)
    source.require(ids, S.INCIDENT_ID)
    city = source.parse(S.CITY)
    source.require(city, S.CITY)
    inferred = _inferrable(source.texts)
    incident_type = _inferred_type(source) if inferred else source.parse(S.INCIDENT_TYPE)
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
