"""H3 hexagon binning: totals exact, cell count bounded, bad input named."""

from __future__ import annotations

import h3
import numpy as np
import pytest

from geo.hexbin import HexbinError, hexagon_counts


def _city_points(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return -83.1 + rng.normal(0, 0.05, n), 42.36 + rng.normal(0, 0.04, n)


def test_counts_sum_to_the_finite_points_and_skip_missing_ones() -> None:
    lons, lats = _city_points(5_000)
    lons[:7] = np.nan
    lats[7:10] = np.inf
    bins = hexagon_counts(lons, lats, max_cells=300)
    assert bins.total == 5_000 - 10
    assert 0 < bins.cells.size <= 300
    assert list(bins.counts) == sorted(bins.counts, reverse=True)


def test_fewer_cells_allowed_means_a_coarser_resolution() -> None:
    lons, lats = _city_points(20_000)
    fine = hexagon_counts(lons, lats, max_cells=2_000)
    coarse = hexagon_counts(lons, lats, max_cells=20)
    assert coarse.resolution < fine.resolution
    assert coarse.cells.size <= 20
    assert coarse.total == fine.total == 20_000


def test_fixed_resolution_puts_each_point_in_its_h3_cell() -> None:
    lons = np.array([-83.05, -83.0501, -83.2])
    lats = np.array([42.33, 42.3301, 42.4])
    bins = hexagon_counts(lons, lats, resolution=6)
    expected = h3.str_to_int(h3.latlng_to_cell(42.4, -83.2, 6))
    assert bins.resolution == 6
    assert dict(zip(bins.cells.tolist(), bins.counts.tolist(), strict=True))[expected] == 1
    outlines = bins.boundaries()
    assert all(len(ring) == 12 for ring in outlines)  # six lon/lat vertices


def test_empty_input_gives_no_cells() -> None:
    bins = hexagon_counts([], [])
    assert bins.cells.size == 0 and bins.total == 0


def test_mismatched_lengths_are_rejected_with_both_counts() -> None:
    with pytest.raises(HexbinError, match="3 longitudes but 2 latitudes"):
        hexagon_counts([1.0, 2.0, 3.0], [1.0, 2.0])


def test_hexagons_stay_visible_when_the_points_span_the_country() -> None:
    # 200 points around each of the seven default cities: a national extent.
    from geo.cities import DEFAULT_CITIES

    rng = np.random.default_rng(7)
    lons = np.concatenate([city.longitude + rng.normal(0, 0.05, 200) for city in DEFAULT_CITIES])
    lats = np.concatenate([city.latitude + rng.normal(0, 0.05, 200) for city in DEFAULT_CITIES])
    national = hexagon_counts(lons, lats)
    one_city = hexagon_counts(lons[:200], lats[:200])
    national_edge_km = h3.average_hexagon_edge_length(national.resolution, unit="km")
    # ~2,400 km across: hexagons of at least ~20 km, not the sub-pixel ones a single city gets.
    assert national_edge_km >= 30
    assert one_city.resolution > national.resolution
    assert national.total == 1400
