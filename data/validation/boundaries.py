"""Boundary validation: polygons only, in EPSG:4326, repaired when invalid.

Geometries arrive already reprojected by the reader when their CRS was
declared. Undeclared coordinates outside longitude/latitude ranges are
rejected; invalid polygons are repaired with ``make_valid`` (warning);
features sharing layer/city/name are merged into one (warning); rings are
oriented counter-clockwise (RFC 7946).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from data import schema as S
from data.errors import IngestError
from data.fields import layer_from_name
from data.mapping import Mapping
from data.problems import WARNING, Problems
from data.readers import RawTable
from data.validation.context import StoreContext
from data.validation.source import open_source
from data.validation.tail import finish

_POLYGONAL = ("Polygon", "MultiPolygon")


def _polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry | None:
    """Keep the polygons of a repaired geometry (make_valid may add lines/points)."""
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in _POLYGONAL:
        return geometry
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in _POLYGONAL]
        if parts:
            return shapely.union_all(parts)
    return None


def validate_boundaries(
    raw: RawTable,
    mapping: Mapping,
    problems: Problems,
    *,
    display_name: str,
    context: StoreContext,
    now: pd.Timestamp,
) -> pd.DataFrame:
    """Validate boundary polygons (name, city, layer, geometry)."""
    if raw.geometry is None:
        raise IngestError(
            f"{display_name}: boundaries need polygons, but this file has no geometry; "
            "import a GeoJSON, GeoPackage or (zipped) shapefile"
        )
    source = open_source(raw, mapping, problems, display_name=display_name, now=now, require=False)
    if S.NAME not in source.texts:
        raise IngestError(
            f"{display_name}: the mapping {mapping.name} gives no column for the boundary name; add "
            f"name = \"<column>\" under [columns]. Columns present: {', '.join(map(str, raw.frame.columns))}"
        )
    n = source.n
    name = source.texts[S.NAME]
    source.require(name, S.NAME)
    city = source.parse(S.CITY)
    layer = source.text(S.LAYER).fillna(layer_from_name(display_name))
    geometry: np.ndarray = np.array(list(raw.geometry), dtype=object)
    wkt_short = pd.Series(
        [("" if g is None else g.geom_type) for g in geometry], dtype="string"
    )
    missing = np.array([g is None or g.is_empty for g in geometry])
    problems.add(missing & ~problems.rejected, S.GEOMETRY, wkt_short, "feature has no geometry")
    kinds = np.array([("" if g is None else g.geom_type) for g in geometry])
    not_polygon = ~missing & ~np.isin(kinds, _POLYGONAL)
    problems.add(
        not_polygon & ~problems.rejected,
        S.GEOMETRY,
        wkt_short,
        "not a polygon; boundaries must be Polygon or MultiPolygon features",
    )
    probe = geometry.copy()
    probe[missing] = None
    bounds = shapely.bounds(probe)
    with np.errstate(invalid="ignore"):
        lon_bad = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1)
        out_of_range = lon_bad | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
    reason = (
        "coordinates outside longitude/latitude ranges: the file declares no CRS (or a wrong one); "
        "declare it with [options] crs in the mapping (e.g. \"EPSG:32054\")"
        if not raw.crs_declared
        else "coordinates outside longitude/latitude ranges after reprojection; check the file's CRS"
    )
    problems.add(out_of_range & ~problems.rejected, S.GEOMETRY, wkt_short, reason)
    usable = ~problems.rejected
    valid = np.ones(n, dtype=bool)
    valid[usable] = shapely.is_valid(geometry[usable].astype(object))
    invalid = usable & ~valid
    if invalid.any():
        reasons = np.full(n, "", dtype=object)
        for position in np.flatnonzero(invalid):
            why = shapely.is_valid_reason(geometry[position])
            repaired = _polygonal_part(shapely.make_valid(geometry[position]))
            geometry[position] = repaired
            reasons[position] = f"invalid polygon ({why}); repaired with make_valid"
            if repaired is None:
                reasons[position] = f"invalid polygon ({why}); make_valid left no polygon"
        lost = invalid & np.array([g is None for g in geometry])
        problems.add(lost, S.GEOMETRY, wkt_short, reasons)
        problems.add(invalid & ~lost, S.GEOMETRY, wkt_short, reasons, WARNING)
    keep = ~problems.rejected
    geometry[keep] = shapely.orient_polygons(geometry[keep].astype(object))
    boundary_id = layer + "/" + city.fillna("") + "/" + name.fillna("")
    columns = {
        S.BOUNDARY_ID: boundary_id.astype("string"),
        S.NAME: name.astype("string"),
        S.CITY: city.astype("string"),
        S.LAYER: layer.astype("string"),
        S.GEOMETRY: geometry,
    }
    frame = finish(source, columns)
    return _merge_same_area(frame, problems)


def _merge_same_area(frame: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    """Union features that share layer/city/name into one, with a warning per merged feature."""
    later = frame[S.BOUNDARY_ID].duplicated(keep="first").to_numpy()
    if not later.any():
        return frame.reset_index(drop=True)
    first = frame.groupby(S.BOUNDARY_ID, sort=False)[S.REJECT_ROW].transform("first")
    positions = np.searchsorted(problems.rows, frame[S.REJECT_ROW].to_numpy()[later])
    mask = np.zeros(len(problems.rows), dtype=bool)
    mask[positions] = True
    reasons = np.full(len(problems.rows), "", dtype=object)
    shown = pd.Series(pd.NA, index=range(len(problems.rows)), dtype="string")
    for position, into, area in zip(
        positions, first.to_numpy()[later], frame[S.BOUNDARY_ID].to_numpy()[later], strict=True
    ):
        reasons[position] = f"same layer/city/name as row {into} ({area}); merged into one area"
        shown.iloc[position] = area
    problems.add(mask, S.NAME, shown, reasons, WARNING)
    merged = frame.groupby(S.BOUNDARY_ID, sort=False).agg(
        {S.NAME: "first", S.CITY: "first", S.LAYER: "first", S.REJECT_ROW: "first",
         S.GEOMETRY: lambda parts: shapely.orient_polygons(shapely.union_all(list(parts)))}
    )
    return merged.reset_index()[list(frame.columns)]
