"""Validation of incidents, evidence and firearms: raw text table -> typed records + problems.

Links live in :mod:`data.links` and boundaries in :mod:`data.boundaries`;
:func:`validate` dispatches on the mapping's kind.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data import schema as S
from data.coords import EMPTY_LOCATION, check_coordinates, parse_location
from data.errors import IngestError
from data.fields import (
    check_allowed,
    check_duplicates,
    check_known,
    check_required,
    column_or_empty,
    gather_text,
    map_values,
    require_fields,
    string_ids,
)
from data.mapping import Mapping
from data.parsing import (
    check_plausible_dates,
    localize,
    parse_bool,
    parse_count,
    parse_date,
    parse_float,
    parse_naive_datetimes,
)
from data.problems import Problems
from data.readers import RawTable
from geo.cities import known_city

_ZONES = frozenset(zoneinfo.available_timezones())


@dataclass(frozen=True)
class StoreContext:
    """What validation needs to know about data already stored.

    Attributes
    ----------
    incident_ids, firearm_ids : Index
        Ids already in the store (links and evidence may point at them).
    evidence : DataFrame
        Stored evidence: id, kind, incident and firearm (to resolve links
        given by evidence ids).
    city_limits : dict
        City name -> shapely polygon of its ``city_limits`` boundary.
    has_store : bool
        False when validating without a store (a preview): references to
        incidents, firearms and evidence cannot be checked and are not.
    """

    incident_ids: pd.Index = field(default_factory=lambda: pd.Index([], dtype="string"))
    firearm_ids: pd.Index = field(default_factory=lambda: pd.Index([], dtype="string"))
    evidence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {
                c: pd.Series(dtype="string")
                for c in (S.EVIDENCE_ID, S.EVIDENCE_KIND, S.INCIDENT_ID, S.FIREARM_ID)
            }
        )
    )
    city_limits: dict[str, object] = field(default_factory=dict)
    has_store: bool = True


NOT_CHECKED = (
    "references to incidents, firearms and evidence were not checked: no store was given "
    "(the import checks them)"
)


def validate(
    raw: RawTable,
    mapping: Mapping,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> tuple[pd.DataFrame, Problems]:
    """Validate a raw table for the mapping's kind.

    Returns
    -------
    records : DataFrame
        The kept rows, typed (ids ``string``, times UTC), plus the ``row``
        they came from.
    problems : Problems
        Every reject and warning.
    """
    from data.boundaries import validate_boundaries
    from data.links import validate_links

    problems = Problems(raw.rows)
    for notice in raw.notices:
        problems.notice(notice)
    if not context.has_store and mapping.kind in (S.LINKS, S.EVIDENCE):
        problems.notice(NOT_CHECKED)
    validators = {
        S.INCIDENTS: validate_incidents,
        S.EVIDENCE: validate_evidence,
        S.FIREARMS: validate_firearms,
        S.LINKS: validate_links,
        S.BOUNDARIES: validate_boundaries,
    }
    records = validators[mapping.kind](
        raw, mapping, problems, display_name=display_name, context=context, now=now
    )
    return records, problems


def _zones_for(cities: pd.Series, zones_text: pd.Series, problems: Problems) -> pd.Series:
    bad = zones_text.notna() & ~zones_text.isin(_ZONES).fillna(False)
    problems.add(bad, S.TIME_ZONE, zones_text, "not an IANA time zone such as America/Chicago")
    zones = zones_text.where(~bad)
    registry = {}
    for name in cities.dropna().unique():
        city = known_city(str(name))
        if city is not None:
            registry[name] = city.time_zone
    from_city = cities.map(registry).astype("string")
    return from_city.fillna(zones).fillna("UTC")


def parse_moment(
    texts: dict[str, pd.Series],
    name: str,
    mapping: Mapping,
    problems: Problems,
    zones: pd.Series,
    *,
    now: pd.Timestamp,
) -> pd.Series:
    """Parse a date-time field to UTC, reading naive values in each row's zone."""
    text = column_or_empty(texts, name, len(zones))
    naive, aware = parse_naive_datetimes(text, name, problems, fmt=mapping.formats.get(name))
    moment = localize(naive, zones)
    moment = moment.where(moment.notna(), aware)
    return check_plausible_dates(moment, text, name, problems, now=now)


def _points(
    raw: RawTable, texts: dict[str, pd.Series], mapping: Mapping, problems: Problems
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, str, str]:
    n = len(raw.frame)
    if S.LOCATION in texts and not (S.LATITUDE in texts and S.LONGITUDE in texts):
        text = texts[S.LOCATION]
        lat, lon = parse_location(text, S.LOCATION, problems)
        present = text.mask(text.str.fullmatch(EMPTY_LOCATION, case=False).fillna(False).to_numpy(dtype=bool))
        return lat, lon, present, present, S.LOCATION, S.LOCATION
    if S.LATITUDE not in texts and S.LONGITUDE not in texts and raw.geometry is not None:
        geometry = raw.geometry
        is_point = (geometry.geom_type == "Point").to_numpy()
        lon = pd.Series(np.where(is_point, geometry.x.where(is_point), np.nan), dtype="float64")
        lat = pd.Series(np.where(is_point, geometry.y.where(is_point), np.nan), dtype="float64")
        text = pd.Series(geometry.to_wkt(), dtype="string").where(is_point)
        return lat, lon, text, text, S.GEOMETRY, S.GEOMETRY
    lat_text = column_or_empty(texts, S.LATITUDE, n)
    lon_text = column_or_empty(texts, S.LONGITUDE, n)
    # unparseable numbers are reported once, by check_coordinates ("not a number; no real location")
    lat = parse_float(lat_text, S.LATITUDE, Problems(problems.rows), decimal=mapping.decimal or ".")
    lon = parse_float(lon_text, S.LONGITUDE, Problems(problems.rows), decimal=mapping.decimal or ".")
    if mapping.crs is not None:
        from pyproj import Transformer

        transformer = Transformer.from_crs(mapping.crs, S.STORAGE_CRS, always_xy=True)
        x, y = transformer.transform(lon.to_numpy(), lat.to_numpy())
        lon, lat = pd.Series(x, dtype="float64"), pd.Series(y, dtype="float64")
    return lat, lon, lat_text, lon_text, S.LATITUDE, S.LONGITUDE


def _strings(texts: dict[str, pd.Series], names: tuple[str, ...], n: int) -> dict[str, pd.Series]:
    return {name: column_or_empty(texts, name, n).astype("string") for name in names}


def _texts_and_ids(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    id_field: str,
    display_name: str,
    optional: Callable[[dict[str, pd.Series]], set[str]] | None = None,
) -> tuple[dict[str, pd.Series], int, pd.Series]:
    """The start every record validator shares: mapped texts, row count, trimmed ids (a missing id rejected).

    ``optional`` names, from the texts found, required fields that may be absent.
    """
    texts = gather_text(raw, mapping, display_name=display_name)
    allowed_absent = optional(texts) if optional is not None else set()
    require_fields(mapping, set(texts), display_name=display_name, optional=allowed_absent)
    ids = string_ids(texts[id_field])
    check_required(ids, id_field, problems, mapping)
    return texts, len(raw.frame), ids


def validate_incidents(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Validate shooting incidents (ids, city, time, point, type, counts)."""
    def located(texts: dict[str, pd.Series]) -> set[str]:
        """Latitude/longitude may be absent when a location column or a geometry gives the point."""
        return {S.LATITUDE, S.LONGITUDE} if (S.LOCATION in texts or raw.geometry is not None) else set()

    texts, n, ids = _texts_and_ids(
        raw, mapping, problems, id_field=S.INCIDENT_ID, display_name=display_name, optional=located
    )
    city = map_values(texts[S.CITY], S.CITY, mapping, problems)
    check_required(city, S.CITY, problems, mapping)
    incident_type = map_values(texts[S.INCIDENT_TYPE], S.INCIDENT_TYPE, mapping, problems)
    incident_type = check_allowed(incident_type, S.INCIDENT_TYPE, S.INCIDENT_TYPES, problems)
    check_required(incident_type, S.INCIDENT_TYPE, problems, mapping)
    zones = _zones_for(city, column_or_empty(texts, S.TIME_ZONE, n), problems)
    occurred = parse_moment(texts, S.OCCURRED_AT, mapping, problems, zones, now=now)
    check_required(texts[S.OCCURRED_AT].where(occurred.notna()), S.OCCURRED_AT, problems, mapping)
    lat, lon, lat_text, lon_text, lat_field, lon_field = _points(raw, texts, mapping, problems)
    lat, lon, far = check_coordinates(
        lat,
        lon,
        city,
        problems,
        lat_text=lat_text,
        lon_text=lon_text,
        lat_field=lat_field,
        lon_field=lon_field,
        swap_lat_lon=mapping.swap_lat_lon,
        city_limits=context.city_limits,
    )
    killed = parse_count(column_or_empty(texts, S.KILLED, n), S.KILLED, problems).fillna(0)
    injured = parse_count(column_or_empty(texts, S.INJURED, n), S.INJURED, problems).fillna(0)
    synthetic = parse_bool(column_or_empty(texts, S.IS_SYNTHETIC, n), S.IS_SYNTHETIC, problems).fillna(False)
    check_duplicates(ids, S.INCIDENT_ID, problems)
    frame = pd.DataFrame(
        {
            S.INCIDENT_ID: ids,
            S.CITY: city,
            **_strings(texts, (S.STATE,), n),
            S.OCCURRED_AT: occurred,
            S.LATITUDE: lat,
            S.LONGITUDE: lon,
            S.INCIDENT_TYPE: incident_type,
            S.KILLED: killed.astype("int64"),
            S.INJURED: injured.astype("int64"),
            **_strings(
                texts,
                (S.AGENCY, S.CASE_NUMBER, S.ADDRESS, S.NARRATIVE, S.DISTRICT, S.NEIGHBOURHOOD, S.TIME_ZONE),
                n,
            ),
            S.IS_SYNTHETIC: synthetic.astype(bool),
            S.FAR_FROM_CITY: far,
            S.REJECT_ROW: raw.rows,
        }
    )
    return frame.loc[~problems.rejected].reset_index(drop=True)


def validate_evidence(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Validate evidence items: casings need a known incident, test fires a firearm."""
    texts, n, ids = _texts_and_ids(raw, mapping, problems, id_field=S.EVIDENCE_ID, display_name=display_name)
    kind = map_values(texts[S.EVIDENCE_KIND], S.EVIDENCE_KIND, mapping, problems)
    kind = check_allowed(kind, S.EVIDENCE_KIND, S.EVIDENCE_KINDS, problems)
    check_required(kind, S.EVIDENCE_KIND, problems, mapping)
    incident = string_ids(column_or_empty(texts, S.INCIDENT_ID, n))
    firearm = string_ids(column_or_empty(texts, S.FIREARM_ID, n))
    casing = (kind == "casing").fillna(False).to_numpy(dtype=bool)
    test_fire = (kind == "test_fire").fillna(False).to_numpy(dtype=bool)
    no_incident = casing & incident.isna().to_numpy()
    no_firearm = test_fire & firearm.isna().to_numpy()
    problems.add(no_incident, S.INCIDENT_ID, incident, "a casing needs its incident_id")
    problems.add(no_firearm, S.FIREARM_ID, firearm, "a test fire needs its firearm_id")
    if context.has_store:
        reason = "unknown incident (not in the store); import the incidents first"
        check_known(incident, context.incident_ids, S.INCIDENT_ID, problems, reason=reason)
        reason = "unknown firearm (not in the store); import the firearms first"
        check_known(firearm, context.firearm_ids, S.FIREARM_ID, problems, reason=reason)
    entered = parse_moment(texts, S.ENTERED_AT, mapping, problems, pd.Series("UTC", index=ids.index), now=now)
    synthetic = parse_bool(column_or_empty(texts, S.IS_SYNTHETIC, n), S.IS_SYNTHETIC, problems).fillna(False)
    check_duplicates(ids, S.EVIDENCE_ID, problems)
    frame = pd.DataFrame(
        {
            S.EVIDENCE_ID: ids,
            S.EVIDENCE_KIND: kind,
            S.INCIDENT_ID: incident,
            S.FIREARM_ID: firearm,
            S.CALIBER: column_or_empty(texts, S.CALIBER, n),
            S.ENTERED_AT: entered,
            S.IS_SYNTHETIC: synthetic.astype(bool),
            S.REJECT_ROW: raw.rows,
        }
    )
    return frame.loc[~problems.rejected].reset_index(drop=True)


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
    texts, n, ids = _texts_and_ids(raw, mapping, problems, id_field=S.FIREARM_ID, display_name=display_name)
    city = map_values(column_or_empty(texts, S.CITY, n), S.CITY, mapping, problems)
    zones = _zones_for(city, pd.Series(pd.NA, index=ids.index, dtype="string"), problems)
    recovered = parse_moment(texts, S.RECOVERED_AT, mapping, problems, zones, now=now)
    lat, lon, lat_text, lon_text, lat_field, lon_field = _points(raw, texts, mapping, problems)
    lat, lon, _ = check_coordinates(
        lat, lon, city, problems,
        lat_text=lat_text, lon_text=lon_text, lat_field=lat_field, lon_field=lon_field,
        swap_lat_lon=mapping.swap_lat_lon, city_limits=context.city_limits, required=False,
    )
    synthetic = parse_bool(column_or_empty(texts, S.IS_SYNTHETIC, n), S.IS_SYNTHETIC, problems).fillna(False)
    check_duplicates(ids, S.FIREARM_ID, problems)
    frame = pd.DataFrame(
        {
            S.FIREARM_ID: ids,
            **_strings(texts, (S.MAKE, S.MODEL, S.CALIBER, S.SERIAL_NUMBER), n),
            S.RECOVERED_AT: recovered,
            S.CITY: city,
            S.LATITUDE: lat,
            S.LONGITUDE: lon,
            **_strings(texts, (S.AGENCY,), n),
            S.IS_SYNTHETIC: synthetic.astype(bool),
            S.REJECT_ROW: raw.rows,
        }
    )
    return frame.loc[~problems.rejected].reset_index(drop=True)


def parse_link_date(texts: dict[str, pd.Series], name: str, mapping: Mapping, problems: Problems,
                    n: int, *, now: pd.Timestamp) -> pd.Series:
    """Parse a link date field (calendar date, no zone)."""
    return parse_date(column_or_empty(texts, name, n), name, problems, fmt=mapping.formats.get(name), now=now)


def no_geometry(display_name: str, kind: str) -> IngestError:
    """Error for a boundaries mapping pointed at a table without geometry."""
    return IngestError(
        f"{display_name}: {kind} need polygons, but this file has no geometry; "
        "import a GeoJSON, GeoPackage or (zipped) shapefile"
    )
