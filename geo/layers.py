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

from data import schema as S  # noqa: N812 (project convention, STYLE.md)
from geo.escape import escape_text
from geo.hexbin import HexBins
from geo.palette import INCIDENT_TYPE_STYLES, LINK_STYLES, UNLINKED_COLOUR, series_colour

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
    if pd.api.types.is_datetime64_any_dtype(column):
        fmt = "%Y-%m-%d" if name in {S.LEAD_DATE, S.CONFIRMED_DATE, S.LOCAL_DATE} else "%Y-%m-%d %H:%M"
        text = column.dt.strftime(fmt)
        if getattr(column.dt, "tz", None) is not None:
            text = text + " UTC"
        return text.astype("string")
    return column.astype("string")


def _encode_column(frame: pd.DataFrame, field: PopupField, limit: int) -> list[Any] | None:
    """Return ``[label, values, lookup|None]`` for one popup field, or None if absent."""
    name = field.column
    if name not in frame.columns:
        return None
    column = frame[name]
    label = escape_text(field.label)
    if pd.api.types.is_integer_dtype(column) or pd.api.types.is_bool_dtype(column):
        values = [None if pd.isna(v) else int(v) for v in column.tolist()]
        return [label, values, None]
    text = _display_strings(column, name)
    if name == S.SERIES_ID:
        text = text.fillna(NOT_LINKED)
    if field.lookup:
        codes, uniques = pd.factorize(text, use_na_sentinel=True)
        lookup = [escape_text(value, max_length=limit) for value in uniques.tolist()]
        return [label, codes.astype("int64").tolist(), lookup]
    values = [None if pd.isna(v) else escape_text(v, max_length=limit) for v in text.tolist()]
    return [label, values, None]


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
    """Rows of ``frame`` whose longitude/latitude are finite and in range (a view-safe copy)."""
    lons = pd.to_numeric(frame[S.LONGITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    lats = pd.to_numeric(frame[S.LATITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    keep = np.isfinite(lons) & np.isfinite(lats) & (np.abs(lats) <= 90) & (np.abs(lons) <= 180)
    return frame.loc[keep]


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lons = pd.to_numeric(frame[S.LONGITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    lats = pd.to_numeric(frame[S.LATITUDE], errors="coerce").to_numpy("float64", na_value=np.nan)
    return lons, lats


# ---------------------------------------------------------------- incidents
def incident_payload(
    incidents: pd.DataFrame, *, brief: bool = False, include_sensitive: bool = False
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
    """
    lons, lats = _coordinates(incidents)
    fields = [f for f in INCIDENT_FIELDS if not brief or f.column in BRIEF_INCIDENT_COLUMNS]
    if include_sensitive:
        fields.append(NARRATIVE_FIELD)
    limits = [NARRATIVE_LIMIT if field is NARRATIVE_FIELD else TEXT_LIMIT for field in fields]
    encoded = [
        column
        for field, limit in zip(fields, limits, strict=True)
        if (column := _encode_column(incidents, field, limit)) is not None
    ]
    type_keys = list(S.INCIDENT_TYPES)
    if S.INCIDENT_TYPE in incidents.columns:
        raw_types = incidents[S.INCIDENT_TYPE].astype("string")
        type_codes = [type_keys.index(v) if v in type_keys else -1 for v in raw_types.tolist()]
    else:
        type_codes = [-1] * len(incidents)
    type_styles = [list(INCIDENT_TYPE_STYLES[key]) for key in type_keys]
    series_codes, series_ids = _series_codes(incidents)
    payload: dict[str, Any] = {
        "title": escape_text("Shooting incident"),
        "type": type_codes,
        "typeStyles": type_styles,
        "series": series_codes,
        "seriesColours": [series_colour(s) for s in series_ids],
        "unlinkedColour": UNLINKED_COLOUR,
        "fields": encoded,
    }
    payload.update(_int_coordinates(lons, lats))
    return payload


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
    lons, lats = _coordinates(members)
    fields = [f for f in INCIDENT_FIELDS if f.column in BRIEF_INCIDENT_COLUMNS]
    stop_numbers = PopupField("Stop", "__stop__")
    encoded = [[escape_text(stop_numbers.label), list(range(1, len(members) + 1)), None]]
    encoded += [c for f in fields if (c := _encode_column(members, f, TEXT_LIMIT)) is not None]
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
    lons, lats = _coordinates(placed)
    fields = [*FIREARM_FIELDS, SERIAL_FIELD] if include_sensitive else list(FIREARM_FIELDS)
    payload: dict[str, Any] = {
        "title": escape_text("Recovered firearm"),
        "fields": [c for f in fields if (c := _encode_column(placed, f, TEXT_LIMIT)) is not None],
    }
    payload.update(_int_coordinates(lons, lats))
    return payload


# ---------------------------------------------------------------- links
LINK_FIELDS: tuple[PopupField, ...] = (
    PopupField("Status", S.STATUS, lookup=True),
    PopupField("Between", "__between__"),
    PopupField("Lead number", S.LEAD_NUMBER),
    PopupField("Lead date", S.LEAD_DATE),
    PopupField("Confirmed", S.CONFIRMED_DATE),
    PopupField("Site", S.SITE, lookup=True),
    PopupField("Associations", S.ASSOCIATION_COUNT),
)
_STATUS_ORDER = {status: rank for rank, status in enumerate(("hit", "lead", "pending", "excluded"))}


@dataclass(frozen=True)
class LinkLines:
    """Link lines ready to draw, and what could not be drawn."""

    payload: dict[str, Any]
    drawn: int
    total: int
    unplaced: int
    statuses: tuple[str, ...]


def link_payload(
    links: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    firearms: pd.DataFrame | None = None,
    selected_series_id: str | None = None,
    max_links: int = 2_500,
) -> LinkLines:
    """Payload for ``brassmap.links``: one line per link, lead dashed and hit solid.

    End points are looked up by incident id (and by firearm id for a test-fire
    link whose ``incident_b`` is empty). Links with an end that has no place
    on the map are counted in ``unplaced``. Above ``max_links`` the selected
    series' links are kept first, then hits, then leads, pending, excluded.
    """
    points = finite_points(incidents)
    lons, lats = _coordinates(points)
    where = pd.DataFrame({"lon": lons, "lat": lats}, index=points[S.INCIDENT_ID].astype("string").to_numpy())
    where = where.loc[~where.index.duplicated()]
    if firearms is not None and len(firearms) and S.FIREARM_ID in firearms.columns:
        placed = finite_points(firearms)
        f_lons, f_lats = _coordinates(placed)
        gun_where = pd.DataFrame(
            {"lon": f_lons, "lat": f_lats}, index=placed[S.FIREARM_ID].astype("string").to_numpy()
        )
        gun_where = gun_where.loc[~gun_where.index.duplicated()]
    else:
        gun_where = pd.DataFrame({"lon": [], "lat": []}, index=pd.Index([], dtype="string"))
    end_a = links[S.INCIDENT_A].astype("string")
    if S.INCIDENT_B in links.columns:
        end_b = links[S.INCIDENT_B].astype("string")
    else:
        end_b = pd.Series(pd.NA, index=links.index, dtype="string")
    a = where.reindex(end_a.to_numpy())
    b = where.reindex(end_b.to_numpy())
    if S.FIREARM_ID in links.columns:
        guns = gun_where.reindex(links[S.FIREARM_ID].astype("string").to_numpy())
        missing_b = b["lon"].isna().to_numpy()
        b.loc[missing_b, ["lon", "lat"]] = guns.loc[missing_b, ["lon", "lat"]].to_numpy()
    placed_mask = a["lon"].notna().to_numpy() & b["lon"].notna().to_numpy()  # positions, not labels
    status = links[S.STATUS].astype("string").fillna("lead")
    rank = status.map(lambda v: _STATUS_ORDER.get(v, 9)).to_numpy()
    if selected_series_id is not None and S.SERIES_ID in incidents.columns:
        ids = incidents[S.INCIDENT_ID].astype("string").to_numpy()
        series_of = pd.Series(incidents[S.SERIES_ID].astype("string").to_numpy(), index=ids)
        series_of = series_of.loc[~series_of.index.duplicated()]
        in_series = series_of.reindex(end_a.to_numpy()) == str(selected_series_id)
        rank = np.where(in_series.fillna(False).to_numpy(dtype=bool), -1, rank)
    order = np.argsort(rank, kind="stable")
    order = order[placed_mask[order]][:max_links]
    chosen = links.iloc[order]
    coords = np.column_stack(
        [
            a["lon"].to_numpy("float64")[order],
            a["lat"].to_numpy("float64")[order],
            b["lon"].to_numpy("float64")[order],
            b["lat"].to_numpy("float64")[order],
        ]
    ).round(5)
    statuses = tuple(dict.fromkeys(status.iloc[order].tolist()))
    style_keys = list(LINK_STYLES)
    styles = [[LINK_STYLES[k][0], LINK_STYLES[k][1], 3 if k == "hit" else 2.5] for k in style_keys]
    lead_code = style_keys.index("lead")
    drawn_status = status.iloc[order].tolist()
    status_codes = [style_keys.index(v) if v in style_keys else lead_code for v in drawn_status]
    far_label = end_b.copy()
    if S.FIREARM_ID in links.columns:
        far_label = far_label.fillna("firearm " + links[S.FIREARM_ID].astype("string"))
    between = (end_a + " \u2194 " + far_label.fillna("?")).iloc[order]
    frame = chosen.assign(__between__=between.to_numpy())
    encoded = [c for f in LINK_FIELDS if (c := _encode_column(frame, f, TEXT_LIMIT)) is not None]
    payload = {
        "title": escape_text("Ballistic link (NIBIN)"),
        "coords": coords.ravel().tolist(),
        "status": status_codes,
        "styles": styles,
        "fields": encoded,
    }
    return LinkLines(
        payload=payload,
        drawn=len(order),
        total=len(links),
        unplaced=int((~placed_mask).sum()),
        statuses=statuses,
    )


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
    tolerance: float,
    colour: str,
    weight: float,
) -> dict[str, Any]:
    """Payload for ``brassmap.areas``: simplified outlines with name and incident count.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        One boundary layer in EPSG:4326.
    counts : pandas.Series
        Incident counts indexed by ``boundary_id`` (see :mod:`geo.areas`).
    tolerance : float, keyword-only
        Simplification tolerance in degrees (topology preserved).
    """
    import shapely

    geometries = shapely.simplify(boundaries.geometry.to_numpy(), tolerance, preserve_topology=True)
    geometries = shapely.set_precision(geometries, 1e-5)
    names = boundaries[S.NAME] if S.NAME in boundaries.columns else boundaries[S.BOUNDARY_ID]
    ids = boundaries[S.BOUNDARY_ID].astype(str).tolist()
    features = []
    for geometry, name, boundary_id in zip(geometries.tolist(), names.tolist(), ids, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": _rounded_geometry(shapely.geometry.mapping(geometry)),
                "properties": {
                    "n": escape_text(name, max_length=TEXT_LIMIT),
                    "c": int(counts.get(boundary_id, 0)),
                },
            }
        )
    return {"features": features, "colour": colour, "weight": weight, "unit": escape_text("incidents")}


def _rounded_geometry(mapping: dict[str, Any]) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 5)
        if isinstance(value, list | tuple):
            return [walk(item) for item in value]
        return value

    return {"type": mapping["type"], "coordinates": walk(mapping["coordinates"])}


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
