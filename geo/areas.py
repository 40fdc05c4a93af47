"""Counts of incidents per boundary area (city limits, police districts, neighbourhoods).

A spatial join of incident points to boundary polygons through a shapely
STRtree (vectorised; about 1.7 s for a million points and 200 polygons).
Points are WGS84; boundaries are reprojected to EPSG:4326 when they declare
another CRS. A point on a shared border counts for every area it touches.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data import schema as S
from data.errors import BrassmapError


class AreaCountError(BrassmapError, ValueError):
    """Boundaries or incidents cannot be joined."""


def _checked_boundaries(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    missing = [name for name in (S.BOUNDARY_ID, S.GEOMETRY) if name not in boundaries.columns]
    if missing:
        raise AreaCountError(
            f"boundaries frame lacks column(s) {', '.join(missing)}; got columns "
            f"{', '.join(map(str, boundaries.columns))}; load boundaries through data.store so "
            "they carry the schema columns"
        )
    if boundaries.crs is None:
        raise AreaCountError(
            "boundaries frame has no CRS; expected EPSG:4326 (as data.store returns it); "
            "set it with .set_crs('EPSG:4326') if the coordinates are longitude/latitude"
        )
    if not boundaries.crs.equals(S.STORAGE_CRS):
        boundaries = boundaries.to_crs(S.STORAGE_CRS)
    return boundaries


def repaired_polygons(geometries: np.ndarray) -> np.ndarray:
    """Return a copy with invalid polygons repaired (``make_valid``), polygon parts only.

    Real exports carry self-intersecting polygons; ``make_valid`` may turn one
    into a collection with stray lines or points, which are dropped. A
    geometry with no polygon part left becomes ``None``.

    Examples
    --------
    >>> import shapely
    >>> bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> [g.geom_type for g in repaired_polygons(np.array([bow_tie], dtype=object))]
    ['MultiPolygon']
    """
    repaired = np.array(geometries, dtype=object, copy=True)
    present = np.array([g is not None for g in repaired], dtype=bool)
    invalid = present.copy()
    invalid[present] = ~shapely.is_valid(repaired[present])
    if invalid.any():
        repaired[invalid] = [_polygon_parts(g) for g in shapely.make_valid(repaired[invalid])]
    return repaired


def _polygon_parts(geometry: shapely.Geometry) -> shapely.Geometry | None:
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    polygons = [part for part in shapely.get_parts(geometry) if part.geom_type in {"Polygon", "MultiPolygon"}]
    flat = [p for poly in polygons for p in shapely.get_parts(poly)]
    return shapely.MultiPolygon(flat) if flat else None


def incident_counts_by_area(incidents: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> pd.Series:
    """Count the incidents inside each boundary polygon.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Must hold ``longitude`` and ``latitude`` (WGS84); rows with missing
        coordinates are not counted.
    boundaries : geopandas.GeoDataFrame
        Must hold ``boundary_id`` and a polygon ``geometry`` with a CRS.

    Returns
    -------
    pandas.Series
        Integer counts indexed by ``boundary_id`` (every boundary, zeros
        included), named ``incidents``. Inputs are not modified.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> areas = gpd.GeoDataFrame({"boundary_id": ["a", "b"]},
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)], crs="EPSG:4326")
    >>> points = pd.DataFrame({"longitude": [0.5, 0.6, 9.0], "latitude": [0.5, 0.2, 9.0]})
    >>> incident_counts_by_area(points, areas).to_dict()
    {'a': 2, 'b': 0}
    """
    lons, lats, finite = _coordinates(incidents)
    polygons, ids = _polygons_and_ids(boundaries)
    counts = np.zeros(len(polygons), dtype="int64")
    if finite.any() and len(polygons):
        _, area_rows = _joined(lons[finite], lats[finite], polygons)
        counts = np.bincount(area_rows, minlength=len(polygons)).astype("int64")
    return pd.Series(counts, index=ids, name=S.INCIDENTS)


def _coordinates(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitudes, latitudes and which rows have both (finite)."""
    missing = [name for name in (S.LONGITUDE, S.LATITUDE) if name not in incidents.columns]
    if missing:
        raise AreaCountError(
            f"incidents frame lacks column(s) {', '.join(missing)}; expected WGS84 "
            f"{S.LONGITUDE}/{S.LATITUDE} columns as data.frames provides"
        )
    lons = pd.to_numeric(incidents[S.LONGITUDE], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lats = pd.to_numeric(incidents[S.LATITUDE], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return lons, lats, np.isfinite(lons) & np.isfinite(lats)


def _polygons_and_ids(boundaries: gpd.GeoDataFrame) -> tuple[np.ndarray, pd.Index]:
    """Repaired WGS84 polygons and the boundary ids, in the frame's order."""
    checked = _checked_boundaries(boundaries)
    polygons = repaired_polygons(checked.geometry.to_numpy())
    ids = pd.Index(checked[S.BOUNDARY_ID].astype(str).to_numpy(), name=S.BOUNDARY_ID)
    return polygons, ids


def _joined(lons: np.ndarray, lats: np.ndarray, polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point position, polygon position) for every point that touches a polygon (STRtree join)."""
    tree = shapely.STRtree(polygons)
    point_rows, polygon_rows = tree.query(shapely.points(lons, lats), predicate="intersects")
    return point_rows, polygon_rows


@dataclass(frozen=True)
class AreaMembership:
    """Which areas each incident of one loaded frame falls in, so counts per filter are a lookup.

    The spatial join is the slow part of :func:`incident_counts_by_area`
    (about 1 s for a million points). A dashboard joins every incident it
    loaded once per dataset version, then counts any filtered subset with
    :meth:`counts_for` in milliseconds.

    Attributes
    ----------
    incident_rows : numpy.ndarray
        Row label (0 .. ``size`` - 1) of the incident in each (incident, area) pair.
    area_rows : numpy.ndarray
        Position in ``boundary_ids`` of the area in each pair.
    boundary_ids : pandas.Index
        Every boundary's id, in the order of the boundaries frame.
    size : int
        Rows in the incidents frame that was joined.
    """

    incident_rows: np.ndarray
    area_rows: np.ndarray
    boundary_ids: pd.Index
    size: int

    def counts_for(self, labels: pd.Index | np.ndarray) -> pd.Series:
        """Count the incidents with these row labels in each area, as :func:`incident_counts_by_area` would.

        Parameters
        ----------
        labels : pandas.Index or numpy.ndarray
            Row labels of a subset of the joined frame (a filtered frame keeps them).

        Raises
        ------
        AreaCountError
            When a label is not a row of the joined frame.
        """
        rows = np.asarray(labels)
        if rows.size and (
            not np.issubdtype(rows.dtype, np.integer) or rows.min() < 0 or rows.max() >= self.size
        ):
            raise AreaCountError(
                f"row labels must be rows 0..{self.size - 1} of the incidents frame that was joined "
                f"(got {rows.dtype} labels, e.g. {rows[:3].tolist()}); pass the index of a filtered "
                "subset of that frame, or use incident_counts_by_area for other frames"
            )
        chosen = np.zeros(self.size, dtype=bool)
        chosen[rows] = True
        in_chosen = chosen[self.incident_rows]
        counts = np.bincount(self.area_rows[in_chosen], minlength=len(self.boundary_ids)).astype("int64")
        return pd.Series(counts, index=self.boundary_ids, name=S.INCIDENTS)


def area_membership(incidents: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> AreaMembership:
    """Join every incident to the areas it falls in, once (see :class:`AreaMembership`).

    Parameters
    ----------
    incidents : pandas.DataFrame
        WGS84 ``longitude``/``latitude`` columns and a default index
        (labels 0 .. n - 1, as loaded frames have).
    boundaries : geopandas.GeoDataFrame
        As for :func:`incident_counts_by_area`.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd, shapely
    >>> areas = gpd.GeoDataFrame({"boundary_id": ["a", "b"]},
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)], crs="EPSG:4326")
    >>> points = pd.DataFrame({"longitude": [0.5, 2.5, 0.6], "latitude": [0.5, 2.5, 0.2]})
    >>> area_membership(points, areas).counts_for(points.index[points.longitude < 1]).to_dict()
    {'a': 2, 'b': 0}
    """
    index = incidents.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        raise AreaCountError(
            f"incidents frame must have the default index 0..n-1 (got {type(index).__name__} "
            f"starting {index[:3].tolist()}); call .reset_index(drop=True) first"
        )
    lons, lats, finite = _coordinates(incidents)
    polygons, ids = _polygons_and_ids(boundaries)
    incident_rows = np.zeros(0, dtype="int64")
    area_rows = np.zeros(0, dtype="int64")
    if finite.any() and len(polygons):
        point_rows, area_rows = _joined(lons[finite], lats[finite], polygons)
        incident_rows = np.flatnonzero(finite)[point_rows]
    return AreaMembership(
        incident_rows=incident_rows.astype("int64"),
        area_rows=area_rows.astype("int64"),
        boundary_ids=ids,
        size=len(incidents),
    )
