"""Compact, escaped JSON payloads for the map layers (pure functions).

A payload is columnar: one list per field, repeated strings replaced by an
index into a lookup list, incident coordinates as integer steps of 1e-5
degree from a base point. Every string from data is passed through
:func:`geo.escape.escape_text` here, once, so ``brassmap.js`` can
concatenate popups without ever seeing live markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from data import schema as S
from data.addresses import generalise_address
from geo.escape import escape_many, escape_text
from geo.hexbin import HexBins
from geo.palette import INCIDENT_TYPE_STYLES, UNLINKED_COLOUR, series_colour

TEXT_LIMIT = 160
NARRATIVE_LIMIT = 400
HEAT_RAMP: tuple[str, ...] = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
NOT_LINKED = "not linked"


@dataclass(frozen=True)
class PopupField:
    """One popup row: a label and the column it shows.

    ``lookup`` stores repeated values once (cities, agencies, types...).
    """

    label: str
    column: str
    lookup: bool = False


INCIDENT_FIELDS: tuple[PopupField, ...] = (
    PopupField("Incident", S.INCIDENT_ID),
    PopupField("Type", S.INCIDENT_TYPE, lookup=True),
    PopupField("When (local)", S.LOCAL_TIME),
    PopupField("City", S.CITY, lookup=True),
    PopupField("Series", S.SERIES_ID, lookup=True),
    PopupField("Killed", S.KILLED),
    PopupField("Injured", S.INJURED),
    PopupField("Agency", S.AGENCY, lookup=True),
    PopupField("Case number", S.CASE_NUMBER),
    PopupField("Address (block)", S.ADDRESS),
    PopupField("District", S.DISTRICT, lookup=True),
    PopupField("Neighbourhood", S.NEIGHBOURHOOD, lookup=True),
    PopupField("Caliber", S.CALIBER, lookup=True),
)
BRIEF_INCIDENT_COLUMNS: frozenset[str] = frozenset(
    {S.INCIDENT_ID, S.INCIDENT_TYPE, S.LOCAL_TIME, S.CITY, S.SERIES_ID, S.KILLED, S.INJURED}
)
NARRATIVE_FIELD = PopupField("Narrative (sensitive)", S.NARRATIVE)
FIREARM_FIELDS: tuple[PopupField, ...] = (
    PopupField("Firearm", S.FIREARM_ID),
    PopupField("Make", S.MAKE, lookup=True),
    PopupField("Model", S.MODEL, lookup=True),
    PopupField("Caliber", S.CALIBER, lookup=True),
    PopupField("Recovered", S.RECOVERED_AT),
    PopupField("City", S.CITY, lookup=True),
    PopupField("Agency", S.AGENCY, lookup=True),
)
SERIAL_FIELD = PopupField("Serial number (sensitive)", S.SERIAL_NUMBER)


# ---------------------------------------------------------------- column helpers
def _display_strings(column: pd.Series, name: str) -> pd.Series:
    """Values as display text (dates formatted, labels for types and statuses)."""
    if name == S.INCIDENT_TYPE:
        return column.astype("string").map(lambda v: S.INCIDENT_TYPE_LABELS.get(v, v), na_action="ignore")
    if name == S.STATUS:
        return column.astype("string").map(lambda v: S.LINK_STATUS_LABELS.get(v, v), na_action="ignore")
    if name == S.ADDRESS:  # the popup says "Address (block)": never the house number
        return column.astype("string").map(generalise_address, na_action="ignore").astype("string")
    if pd.api.types.is_datetime64_any_dtype(column):
        fmt = "%Y-%m-%d" if name in {S.LEAD_DATE, S.CONFIRMED_DATE, S.LOCAL_DATE} else "%Y-%m-%d %H:%M"
        text = column.dt.strftime(fmt)
        if getattr(column.dt, "tz", None) is not None:
            text = text + " UTC"
        return text.astype("string")
    return column.astype("string")


def encode_column(frame: pd.DataFrame, field: PopupField, limit: int) -> list[Any] | None:
    """Return ``[label, values, lookup|None]`` for one popup field, or None if absent."""
    name = field.column
    if name not in frame.columns:
        return None
    column = frame[name]
    label = escape_text(field.label)
    if pd.api.types.is_integer_dtype(column) or pd.api.types.is_bool_dtype(column):
        values = [None if pd.isna(v) else int(v) for v in column.tolist()]
        return [label, values, None]
    if pd.api.types.is_float_dtype(column):  # counts read as float because of gaps: 2.0 -> 2
        numbers = [
            None if pd.isna(v) else (int(v) if float(v).is_integer() else round(float(v), 5))
            for v in column.tolist()
        ]
        return [label, numbers, None]
    text = _display_strings(column, name)
    if name == S.SERIES_ID:
        text = text.fillna(NOT_LINKED)
    if field.lookup:
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
        lookup = [escape_text(value, max_length=limit) for value in uniques.tolist()]
        return [label, codes.astype("int64").tolist(), lookup]
    return [label, escape_many(text.tolist(), max_length=limit), None]


def _int_coordinates(lons: np.ndarray, lats: np.ndarray) -> dict[str, Any]:
    lon0 = round(float(lons.min()), 5) if lons.size else 0.0
    lat0 = round(float(lats.min()), 5) if lats.size else 0.0
    return {
        "lon0": lon0,
        "lat0": lat0,
        "x": np.rint((lons - lon0) * 1e5).astype("int64").tolist(),
        "y": np.rint((lats - lat0) * 1e5).astype("int64").tolist(),
    }


def finite_points(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``frame`` whose longitude/latitude are finite and in range.

    Returns ``frame`` itself when every row qualifies (callers never modify it).
    """
    lons = pd.to_numeric(frame[S.LONGITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    lats = pd.to_numeric(frame[S.LATITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    keep = np.isfinite(lons) & np.isfinite(lats) & (np.abs(lats) <= 90) & (np.abs(lons) <= 180)
    return frame if keep.all() else frame.loc[keep]


def coordinates_of(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lons = pd.to_numeric(frame[S.LONGITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    lats = pd.to_numeric(frame[S.LATITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    return lons, lats


# ---------------------------------------------------------------- incidents
def incident_payload(
    incidents: pd.DataFrame,
    *,
    brief: bool = False,
    include_sensitive: bool = False,
    picked: str | None = None,
) -> dict[str, Any]:
    """Payload for ``brassmap.incidents``: one circle per incident, one lazy popup function.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with finite coordinates (see :func:`finite_points`).
    brief : bool, keyword-only
        Keep only the core popup rows (id, type, time, city, series, casualties)
        to save space on big maps.
    include_sensitive : bool, keyword-only
        Add the narrative (cut to 400 characters).
    picked : str, optional, keyword-only
        The picked series: every other incident is drawn faded behind it
        (``pickedSeries`` is its code in ``series``, -1 when none is drawn).
    """
    lons, lats = coordinates_of(incidents)
    fields = [f for f in INCIDENT_FIELDS if not brief or f.column in BRIEF_INCIDENT_COLUMNS]
    if include_sensitive:
        fields.append(NARRATIVE_FIELD)
    limits = [NARRATIVE_LIMIT if field is NARRATIVE_FIELD else TEXT_LIMIT for field in fields]
    encoded = [
        column
        for field, limit in zip(fields, limits, strict=True)
        if (column := encode_column(incidents, field, limit)) is not None
    ]
    type_keys = list(S.INCIDENT_TYPES)
    if S.INCIDENT_TYPE in incidents.columns:
        raw_types = incidents[S.INCIDENT_TYPE].astype("string")
        type_codes = [type_keys.index(v) if v in type_keys else -1 for v in raw_types.tolist()]
    else:
        type_codes = [-1] * len(incidents)
    type_styles = [list(INCIDENT_TYPE_STYLES[key]) for key in type_keys]
    series_codes, series_ids = _series_codes(incidents)
    present = [field.column for field in fields if field.column in incidents.columns]
    tip = [present.index(c) for c in (S.INCIDENT_ID, S.LOCAL_TIME, S.SERIES_ID) if c in present]
    payload: dict[str, Any] = {
        "title": escape_text("Shooting incident"),
        "tip": tip,
        "type": type_codes,
        "typeStyles": type_styles,
        "series": series_codes,
        "seriesColours": [series_colour(s) for s in series_ids],
        "unlinkedColour": UNLINKED_COLOUR,
        "fields": encoded,
        # picking: which field holds the incident id (the click names the incident, not a point)
        "idField": present.index(S.INCIDENT_ID) if S.INCIDENT_ID in present else -1,
        # whole series under a filter: rows of shootings outside it, drawn faded
        "faded": _outside_filter(incidents),
    }
    if picked is not None:
        payload["pickedSeries"] = series_ids.index(str(picked)) if str(picked) in series_ids else -1
    payload.update(_int_coordinates(lons, lats))
    return payload


def _outside_filter(incidents: pd.DataFrame) -> list[int]:
    """Row numbers of incidents marked ``in_filter`` false (shown because their series is in view)."""
    if S.IN_FILTER not in incidents.columns:
        return []
    return np.flatnonzero(~incidents[S.IN_FILTER].to_numpy(dtype=bool)).tolist()


def shorten_incident_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of an incident payload keeping only the core popup rows.

    The same rows as ``incident_payload(..., brief=True)``, without encoding
    the frame again.
    """
    keep = {escape_text(f.label) for f in INCIDENT_FIELDS if f.column in BRIEF_INCIDENT_COLUMNS}
    fields = [column for column in payload["fields"] if column[0] in keep]
    labels = [column[0] for column in fields]
    tip_labels = [
        escape_text(f.label)
        for f in INCIDENT_FIELDS
        if f.column in (S.INCIDENT_ID, S.LOCAL_TIME, S.SERIES_ID)
    ]
    id_label = escape_text(INCIDENT_FIELDS[0].label)
    return {
        **payload,
        "fields": fields,
        "tip": [labels.index(label) for label in tip_labels if label in labels],
        "idField": labels.index(id_label) if id_label in labels else -1,
    }


def _series_codes(incidents: pd.DataFrame) -> tuple[list[int], list[str]]:
    if S.SERIES_ID not in incidents.columns:
        return [-1] * len(incidents), []
    codes, uniques = pd.factorize(incidents[S.SERIES_ID].astype("string"), use_na_sentinel=True)
    return codes.astype("int64").tolist(), [str(u) for u in uniques.tolist()]


def series_path_payload(incidents: pd.DataFrame, series_id: str, *, max_stops: int = 500) -> dict[str, Any]:
    """Payload for ``brassmap.seriesPath``: the series' incidents in time order, numbered.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Incidents with ``series_id`` and finite coordinates.
    series_id : str
        The selected series.
    max_stops : int, keyword-only
        Keep the first ``max_stops`` incidents in time order.
    """
    members = incidents.loc[incidents[S.SERIES_ID].astype("string") == str(series_id)]
    if S.OCCURRED_AT in members.columns:
        members = members.sort_values([S.OCCURRED_AT, S.INCIDENT_ID], kind="stable")
    members = members.head(max_stops)
    lons, lats = coordinates_of(members)
    fields = [f for f in INCIDENT_FIELDS if f.column in BRIEF_INCIDENT_COLUMNS]
    stop_numbers = PopupField("Stop", "__stop__")
    encoded = [[escape_text(stop_numbers.label), list(range(1, len(members) + 1)), None]]
    encoded += [c for f in fields if (c := encode_column(members, f, TEXT_LIMIT)) is not None]
    payload: dict[str, Any] = {
        "title": escape_text(f"Series {series_id} (stop in time order)", max_length=TEXT_LIMIT),
        "colour": series_colour(str(series_id)),
        "fields": encoded,
    }
    payload.update(_int_coordinates(lons, lats))
    return payload


# ---------------------------------------------------------------- firearms
def firearm_payload(firearms: pd.DataFrame, *, include_sensitive: bool = False) -> dict[str, Any]:
    """Payload for ``brassmap.firearms``: recovered guns with a recovery place."""
    placed = finite_points(firearms)
    lons, lats = coordinates_of(placed)
    fields = [*FIREARM_FIELDS, SERIAL_FIELD] if include_sensitive else list(FIREARM_FIELDS)
    payload: dict[str, Any] = {
        "title": escape_text("Recovered firearm"),
        "fields": [c for f in fields if (c := encode_column(placed, f, TEXT_LIMIT)) is not None],
    }
    payload.update(_int_coordinates(lons, lats))
    return payload


# ---------------------------------------------------------------- hexagons, heat, areas
def hexagon_payload(bins: HexBins, *, unit: str = "incidents") -> dict[str, Any]:
    """Payload for ``brassmap.hexagons`` / ``brassmap.heat`` from binned counts."""
    return {
        "cells": bins.boundaries(decimals=4),
        "counts": bins.counts.tolist(),
        "max": int(bins.counts.max()) if bins.counts.size else 0,
        "ramp": list(HEAT_RAMP),
        "unit": escape_text(unit),
        "resolution": bins.resolution,
    }


def area_payload(
    boundaries: pd.DataFrame,
    counts: pd.Series,
    *,
    outlines: np.ndarray,
    colour: str,
    weight: float,
    name_length: int = TEXT_LIMIT,
    decimals: int = 5,
) -> dict[str, Any]:
    """Payload for ``brassmap.areas``: outlines with name and incident count.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        One boundary layer (names and ids are read from it).
    counts : pandas.Series
        Incident counts indexed by ``boundary_id`` (see :mod:`geo.areas`).
    outlines : numpy.ndarray, keyword-only
        The geometries to draw, one per row (repaired and simplified by the
        caller); vertices are rounded to 5 decimals here.
    name_length : int, keyword-only
        Cut area names to this many characters.
    decimals : int, keyword-only
        Round vertices to this many decimals (5: about 1 m; 4: about 11 m).
    """
    import shapely

    rounded = shapely.transform(outlines, lambda xy: np.round(xy, decimals))
    names = boundaries[S.NAME] if S.NAME in boundaries.columns else boundaries[S.BOUNDARY_ID]
    ids = boundaries[S.BOUNDARY_ID].astype(str).tolist()
    features = []
    for geometry, name, boundary_id in zip(rounded.tolist(), names.tolist(), ids, strict=True):
        if geometry is None or geometry.is_empty or geometry.geom_type not in {"Polygon", "MultiPolygon"}:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry.__geo_interface__,
                "properties": {
                    "n": escape_text(name, max_length=name_length),
                    "c": int(counts.get(boundary_id, 0)),
                },
            }
        )
    return {"features": features, "colour": colour, "weight": weight, "unit": escape_text("incidents")}


def legend_items_for_types(types_present: Sequence[str]) -> list[dict[str, Any]]:
    """Legend rows for incident types (circle size and outline as drawn)."""
    return [
        {
            "kind": "circle",
            "colour": UNLINKED_COLOUR,
            "radius": INCIDENT_TYPE_STYLES[key][0],
            "stroke": INCIDENT_TYPE_STYLES[key][1],
            "label": escape_text(S.INCIDENT_TYPE_LABELS[key]),
        }
        for key in S.INCIDENT_TYPES
        if key in types_present
    ]
