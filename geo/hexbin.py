"""Count points in H3 hexagons, fast enough for a million points.

Calling H3 once per point costs about 0.8 µs, so a million points would take
most of a second. :func:`hexagon_counts` first snaps points to a square grid
about ten times finer than the hexagons (vectorised with numpy), calls H3
once per occupied grid square, and sums the counts. A point lying within
about a tenth of a hexagon's edge of a border may be counted in the
neighbouring hexagon; totals are exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import h3.api.basic_int as h3int
import numpy as np

from data.errors import BrassmapError

FINEST_RESOLUTION = 10
COARSEST_RESOLUTION = 2
_KM_PER_DEGREE = 111.32
VISIBLE_ACROSS = 40  # at most this many hexagons across the data's extent, so each is several pixels wide


class HexbinError(BrassmapError, ValueError):
    """The inputs to hexagon binning are unusable."""


@dataclass(frozen=True)
class HexBins:
    """Hexagon cells with the number of points in each.

    Attributes
    ----------
    resolution : int
        H3 resolution of every cell (-1 when there are no cells).
    cells : numpy.ndarray
        H3 cell indexes (uint64), sorted by count, largest first.
    counts : numpy.ndarray
        Points per cell (int64), same order; sums to the number of finite points.
    """

    resolution: int
    cells: np.ndarray
    counts: np.ndarray

    @property
    def total(self) -> int:
        """Number of points counted."""
        return int(self.counts.sum())

    def boundaries(self, *, decimals: int = 4) -> list[list[float]]:
        """Return each cell's outline as a flat ``[lon0, lat0, lon1, lat1, ...]`` list.

        Parameters
        ----------
        decimals : int, keyword-only
            Round vertices to this many decimals (4 ≈ 11 m; hexagons are ≥ 65 m).
        """
        outlines: list[list[float]] = []
        for cell in self.cells.tolist():
            flat: list[float] = []
            for lat, lon in h3int.cell_to_boundary(int(cell)):
                flat.extend((round(lon, decimals), round(lat, decimals)))
            outlines.append(flat)
        return outlines


def _start_resolution(longitudes: np.ndarray, latitudes: np.ndarray, max_cells: int) -> int:
    """Finest resolution at which a sample of the points occupies at most ``max_cells`` cells.

    Resolutions whose hexagons would be too small to see with all points in view
    (more than ``VISIBLE_ACROSS`` across the extent: seven cities across the
    country) are skipped.

    Occupied hexagons are estimated, without H3, as occupied squares of the same
    area on a sample of at most 50 000 points (numpy only).
    """
    stride = max(1, longitudes.size // 50_000)
    lons, lats = longitudes[::stride], latitudes[::stride]
    shrink = max(0.05, math.cos(math.radians(float(lats.mean()))))
    # Hexagons must stay visible when the map shows all the points: at least 1/VISIBLE_ACROSS of the extent.
    extent_km = _KM_PER_DEGREE * math.hypot(float(np.ptp(lons)) * shrink, float(np.ptp(lats)))
    for resolution in range(FINEST_RESOLUTION, COARSEST_RESOLUTION - 1, -1):
        side_km = math.sqrt(h3int.average_hexagon_area(resolution, unit="km^2"))
        if side_km < extent_km / VISIBLE_ACROSS and resolution > COARSEST_RESOLUTION:
            continue
        side = side_km / _KM_PER_DEGREE
        col = np.floor(lons * shrink / side).astype("int64")
        row = np.floor(lats / side).astype("int64")
        if np.unique(row * 10_000_000 + col).size <= max_cells:
            return resolution
    return COARSEST_RESOLUTION


def hexagon_counts(
    longitudes: np.ndarray,
    latitudes: np.ndarray,
    *,
    max_cells: int = 600,
    resolution: int | None = None,
    snap: int = 10,
) -> HexBins:
    """Bin WGS84 points into H3 hexagons.

    Parameters
    ----------
    longitudes, latitudes : array-like of float
        Point coordinates; rows where either is NaN/inf are skipped.
    max_cells : int, keyword-only
        Use the finest resolution that yields at most this many occupied cells
        (ignored when ``resolution`` is given).
    resolution : int, optional, keyword-only
        A fixed H3 resolution (0-15).
    snap : int, keyword-only
        Points are snapped to a grid ``snap`` times finer than the hexagon
        edge before H3 is called; lower is faster and less exact at borders.

    Returns
    -------
    HexBins

    Examples
    --------
    >>> bins = hexagon_counts([-83.05, -83.05, -83.2], [42.33, 42.33, 42.4], resolution=7)
    >>> bins.counts.tolist(), bins.total
    ([2, 1], 3)
    """
    lons = np.asarray(longitudes, dtype="float64")
    lats = np.asarray(latitudes, dtype="float64")
    if lons.shape != lats.shape:
        raise HexbinError(
            f"hexagon binning got {lons.size} longitudes but {lats.size} latitudes; "
            "pass one longitude and one latitude per point"
        )
    if max_cells < 1:
        raise HexbinError(f"max_cells must be at least 1, got {max_cells}")
    keep = np.isfinite(lons) & np.isfinite(lats) & (np.abs(lats) <= 90) & (np.abs(lons) <= 180)
    lons, lats = lons[keep], lats[keep]
    empty = HexBins(-1, np.empty(0, dtype="uint64"), np.empty(0, dtype="int64"))
    if lons.size == 0:
        return empty
    res = resolution if resolution is not None else _start_resolution(lons, lats, max_cells)
    cells, counts = _bin(lons, lats, res, snap)
    while resolution is None and cells.size > max_cells and res > 0:
        res -= 1
        parents = np.fromiter(
            (h3int.cell_to_parent(int(cell), res) for cell in cells.tolist()), "uint64", cells.size
        )
        cells, inverse = np.unique(parents, return_inverse=True)
        counts = np.bincount(inverse, weights=counts, minlength=cells.size).astype("int64")
    order = np.lexsort((cells, -counts))
    return HexBins(res, cells[order], counts[order])


def _bin(lons: np.ndarray, lats: np.ndarray, resolution: int, snap: int) -> tuple[np.ndarray, np.ndarray]:
    """Snap to a grid ``snap`` times finer than the hexagons, then call H3 once per occupied square."""
    edge_km = h3int.average_hexagon_edge_length(resolution, unit="km")
    step = max(1e-6, edge_km / _KM_PER_DEGREE / max(1, snap))
    col = np.floor((lons + 180.0) / step).astype("int64")
    row = np.floor((lats + 90.0) / step).astype("int64")
    width = math.ceil(360.0 / step) + 2
    squares, square_counts = np.unique(row * width + col, return_counts=True)
    centre_lat = ((squares // width) + 0.5) * step - 90.0
    centre_lon = ((squares % width) + 0.5) * step - 180.0
    square_cells = np.fromiter(
        (
            h3int.latlng_to_cell(lat, lon, resolution)
            for lat, lon in zip(centre_lat.tolist(), centre_lon.tolist(), strict=True)
        ),
        dtype="uint64",
        count=squares.size,
    )
    cells, inverse = np.unique(square_cells, return_inverse=True)
    counts = np.bincount(inverse, weights=square_counts, minlength=cells.size).astype("int64")
    return cells, counts
